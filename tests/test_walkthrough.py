"""docs/plugins.md's "Your first plugin, step by step", done for real.

`clean-corpus new-plugin` writes the package, pip builds and installs it (offline, into a
folder of its own: other runs share this environment), its own generated tests run with
pytest against the installed copy, and the CLI lists it, runs it, sets its options, places
it before and after another plugin and disables it. Each command the test runs is one the
page shows, so the page cannot drift from what works.
"""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from clean_corpus.testing import cli, cli_env, install_package, read_jsonl, removed_by
from conftest import REPO

GUIDE = (REPO / "docs" / "plugins.md").read_text(encoding="utf-8")
PROSE = ("Le conseil municipal a voté mardi soir le budget primitif après trois heures de "
         "débat, et la majorité a défendu une hausse mesurée des investissements.")


def shown(command: str) -> str:
    """``command``, after checking that the guide shows it."""
    assert command in GUIDE, f"docs/plugins.md no longer shows {command!r}"
    return command


@pytest.fixture(scope="module")
def package(tmp_path_factory):
    work = tmp_path_factory.mktemp("walkthrough")
    args = shown("clean-corpus new-plugin drop-shouting").split()[1:]
    done = cli(*args, "-d", work)
    assert done.returncode == 0, done.stderr
    root = work / "clean-corpus-drop-shouting"
    shown("pip install -e 'clean-corpus-drop-shouting[test]'")
    env = install_package(root, work / "install")
    return root, env


def listing(env, *args) -> list[dict]:
    done = cli("plugins", "--json", *args, env=env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_generated_package_passes_its_own_tests(package):
    root, env = package
    shown("pytest clean-corpus-drop-shouting")
    # Run from the package folder, against the installed copy (src/ is not on the path).
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "tests"], cwd=root, env=cli_env(env),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "4 passed" in done.stdout
    imported = subprocess.run([sys.executable, "-c", "import clean_corpus_drop_shouting as m; "
                               "print(m.__file__)"], cwd=root, env=cli_env(env),
                              capture_output=True, text=True)
    assert imported.stdout.startswith(env["PYTHONPATH"])


def test_listed_with_source_doc_and_options(package):
    _, env = package
    shown("clean-corpus plugins")
    info = next(p for p in listing(env) if p["name"] == "drop_shouting")
    assert info["source"] == "package:clean-corpus-drop-shouting"
    assert info["version"] == "0.1.0" and info["enabled"]
    assert info["doc"].startswith("Drop lines that are one of the phrases")
    assert info["defaults"] == {"max_words": 12} and "clean" in info["hooks"]


def test_runs_sets_options_places_and_disables(package, tmp_path):
    _, env = package
    article = tmp_path / "article.txt"
    article.write_text(f"{PROSE}\nReport a typo\n{PROSE}\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"

    def record(*args) -> dict:
        done = cli("run", article, "-o", out, "-q", "--no-progress", *args, env=env)
        assert done.returncode == 0, done.stderr
        return read_jsonl(out)[0]

    # Its lexicon, shipped in the package, is found through the entry point.
    assert removed_by(record(), "drop_shouting") == ["Report a typo"]
    assert "Report a typo" not in record()["text"]

    shown("--set drop_shouting.max_words=20")
    assert removed_by(record("--set", "drop_shouting.max_words=1"), "drop_shouting") == []
    wrong = shown("--set drop_shouting.max_words=many").split()[1]
    done = cli("run", article, "-o", out, "--set", wrong, env=env)
    assert done.returncode == 2
    assert shown("option drop_shouting.max_words expects a whole number (default 12), "
                 "got 'many'") in done.stderr

    def clean_chain(*args):
        return [p["name"] for p in listing(env, *args) if "clean" in p["hooks"] and p["enabled"]]

    assert clean_chain()[-1] == "drop_shouting"  # a package plugin runs after the built-ins
    config = tmp_path / "placed.toml"
    config.write_text("[plugin.drop_shouting]\n" + shown('after = ["byline"]') + "\n",
                      encoding="utf-8")
    after = clean_chain("--config", config)
    assert after.index("drop_shouting") == after.index("byline") + 1
    before = clean_chain(*shown("--set drop_shouting.before=skip_links").split())
    assert before.index("drop_shouting") + 1 == before.index("skip_links")
    assert removed_by(record("--set", "drop_shouting.before=skip_links"),
                      "drop_shouting") == ["Report a typo"]

    shown("--disable drop_shouting")
    assert removed_by(record("--disable", "drop_shouting"), "drop_shouting") == []
    [info] = [p for p in listing(env, "--disable", "drop_shouting") if p["name"] == "drop_shouting"]
    assert not info["enabled"] and info["error"] == "disabled by configuration"

    shown("CLEAN_CORPUS_TRACE=1 clean-corpus run")
    traced = cli("run", article, "-o", out, "-q", env={**env, "CLEAN_CORPUS_TRACE": "1"})
    assert any(" clean <- " in line and "drop_shouting" in line
               for line in traced.stderr.splitlines())
