"""`clean-corpus plugins` shows the chain the same options would give a run."""
from __future__ import annotations

import json

from conftest import builtin_cli, cli


def listing(*args) -> list[dict]:
    return json.loads(builtin_cli("plugins", "--json", *args).stdout)


def test_listing_follows_order_and_enabling_options():
    default = listing()
    names = [p["name"] for p in default]
    assert names[:2] == ["text_reader", "html_reader"]
    assert {p["source"] for p in default} == {"builtin"}
    by_name = {p["name"]: p for p in default}
    assert by_name["trafilatura"]["hooks"] == ["configure", "extract"]
    assert not by_name["language_py3langid"]["enabled"]  # an alternative, off by default

    changed = {p["name"]: p for p in listing("--order", "kicker", "--disable", "quality",
                                              "--enable", "language_py3langid")}
    assert list(changed)[0] == "kicker"
    assert not changed["quality"]["enabled"]
    assert changed["quality"]["error"] == "disabled by configuration"
    assert changed["language_py3langid"]["enabled"]


def test_unknown_plugin_name_is_a_usage_error():
    done = cli("plugins", "--disable", "no_such_plugin")
    assert done.returncode == 2
    assert "unknown plugin name" in done.stderr and "no_such_plugin" in done.stderr
