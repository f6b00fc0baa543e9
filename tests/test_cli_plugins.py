"""`clean-corpus plugins` shows the chain the same options would give a run."""
from __future__ import annotations

import json

import pytest

from clean_corpus.testing import BUILTINS_ONLY, builtin_cli, cli, read_jsonl
from conftest import FIXTURES


def listing(*args) -> list[dict]:
    return json.loads(builtin_cli("plugins", "--json", *args).stdout)


def test_listing_follows_order_and_enabling_options():
    default = listing()
    names = [p["name"] for p in default]
    assert names[:2] == ["text_reader", "html_reader"]
    assert {p["source"] for p in default} == {"builtin"}
    by_name = {p["name"]: p for p in default}
    assert by_name["trafilatura"]["hooks"] == ["configure", "extract"]
    assert not by_name["language_langdetect"]["enabled"]  # an alternative, off by default

    changed = {p["name"]: p for p in listing("--order", "kicker", "--disable", "quality",
                                              "--enable", "language_langdetect")}
    assert list(changed)[0] == "kicker"
    assert not changed["quality"]["enabled"]
    assert changed["quality"]["error"] == "disabled by configuration"
    assert changed["language_langdetect"]["enabled"]


def test_unknown_plugin_name_is_a_usage_error():
    done = cli("plugins", "--disable", "no_such_plugin")
    assert done.returncode == 2
    assert "unknown plugin name" in done.stderr and "no_such_plugin" in done.stderr


def test_misspelt_plugin_option_is_a_usage_error(tmp_path):
    config = tmp_path / "c.toml"
    config.write_text("[plugin.duplicates]\nthreshhold = 0.9\n", encoding="utf-8")
    done = cli("run", FIXTURES / "seeds", "-o", tmp_path / "out.jsonl", "--config", config)
    assert done.returncode == 2
    assert "'duplicates' has no option threshhold" in done.stderr
    assert "threshold" in done.stderr  # the options it does have are listed
    assert not (tmp_path / "out.jsonl").exists()


def test_run_wide_size_limit_can_be_overridden_for_the_plugin(tmp_path):
    big = tmp_path / "in" / "big.txt"
    big.parent.mkdir()
    big.write_text("Une phrase d'article assez longue pour compter. " * 40, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    builtin_cli("run", big.parent, "-o", out, "--set", "size_limit.max_bytes=500")
    [entry] = read_jsonl(tmp_path / "out.rejected.jsonl")
    assert entry["reasons"][0].startswith("input too large") and "max_bytes 500" in entry["reasons"][0]


@pytest.mark.parametrize("assignment, says", [
    ("link_lists.min_run=0", "option link_lists.min_run must be at least 1, got 0"),
    ("text_reuse.window=0", "option text_reuse.window must be at least 1, got 0"),
    ("duplicates.num_perm=-1", "option duplicates.num_perm must be at least 1, got -1")])
def test_option_value_no_document_can_be_cleaned_with_is_a_usage_error(tmp_path, assignment,
                                                                       says):
    """Each used to fail or stall every document one by one: a run of 0 links made the
    link-list cleaner loop until the time limit stopped it (for ever through clean()),
    a window of 0 words and a signature of -1 hashes raised inside numpy."""
    page = tmp_path / "a.txt"
    page.write_text("Le conseil régional a adopté jeudi un plan de rénovation des lycées.\n",
                    encoding="utf-8")
    result = cli("run", page, "-o", tmp_path / "out.jsonl", "--set", assignment,
                 env=BUILTINS_ONLY)
    assert result.returncode == 2, result.stderr
    assert says in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out.jsonl").exists()
