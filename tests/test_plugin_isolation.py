"""A misbehaving plugin is contained at the boundary and named; the other plugins still run.

Through the CLI, with the example package's ``faults`` plugin installed for real.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import BUILTINS_ONLY, cli, read_jsonl, read_jsonl_if_any

ARTICLE = ("Le conseil régional a adopté jeudi un plan de rénovation des lycées. Les travaux "
           "commenceront à la rentrée et dureront trois ans, selon la présidente de région.")


def write_articles(root: Path, count: int, same: bool = False) -> Path:
    root.mkdir()
    for number in range(1, count + 1):
        head = "Dépêche." if same else f"Dépêche {number} sur {'abcdefghij'[number]} sujets."
        (root / f"d{number}.txt").write_text(f"{head} {ARTICLE}\n", encoding="utf-8")
    return root


def test_unwritable_plugin_results_fail_the_document_and_blame_the_plugin(tmp_path, plugin_env):
    inputs = write_articles(tmp_path / "in", 4)
    out = tmp_path / "out.jsonl"
    result = cli("run", inputs, "-o", out, "--enable", "faults", "--disable", "duplicates",
                 "--set", "faults.bad_result_on='Dépêche 2'", env=plugin_env)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(Path(r["source"]).name for r in read_jsonl(out)) == ["d1.txt", "d3.txt", "d4.txt"]
    [failure] = read_jsonl(tmp_path / "out.rejected.jsonl")
    assert Path(failure["source"]).name == "d2.txt" and failure["plugin"] == "faults"
    assert failure["error"].startswith("InvalidResult: detections['faults'] cannot be written")
    for line in out.read_text(encoding="utf-8").splitlines():  # strict JSON: no NaN
        json.loads(line, parse_constant=lambda c: pytest.fail(f"{c} in the output"))


def test_raising_corpus_ready_does_not_skip_duplicate_detection(tmp_path, plugin_env):
    inputs = write_articles(tmp_path / "in", 5, same=True)
    out = tmp_path / "out.jsonl"
    stats_path = tmp_path / "stats.json"
    # faults first in the chain: its corpus_ready raises before the built-ins' would run.
    result = cli("run", inputs, "-o", out, "--stats", stats_path, "--enable", "faults",
                 "--order", "faults", "--set", "faults.fail_in=['corpus_ready', 'run_end']",
                 env=plugin_env)
    assert result.returncode == 1, result.stderr
    stats = json.loads(stats_path.read_text(encoding="utf-8"))
    assert (stats["written"], stats["rejected"]) == (1, 4)
    assert set(stats["rejected_reasons"]) == {"exact duplicate of a kept record"}
    assert [(e["hook"], e["plugin"]) for e in stats["plugin_errors"]] == \
        [("corpus_ready", "faults"), ("run_end", "faults")]
    assert "corpus_ready failed in plugin faults: RuntimeError" in result.stderr


@pytest.mark.parametrize("hook", ["configure", "register_readers", "register_writers"])
def test_raising_set_up_hook_is_a_clear_error_not_a_traceback(tmp_path, plugin_env, hook):
    inputs = write_articles(tmp_path / "in", 1)
    out = tmp_path / "out.jsonl"
    result = cli("run", inputs, "-o", out, "--enable", "faults",
                 "--set", f"faults.fail_in=['{hook}']", env=plugin_env)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert f"plugin 'faults' failed" in result.stderr
    assert f"RuntimeError: faults: failing in {hook} on purpose" in result.stderr
    assert "--disable faults" in result.stderr
    assert not out.exists() and read_jsonl_if_any(tmp_path / "out.rejected.jsonl") == []


def write_copies(root: Path) -> Path:
    """Three near copies of one dispatch; ``d3`` has the most words (the copy to keep) and
    comes last in input order, after the copies it would make redundant."""
    root.mkdir()
    body = (f"{ARTICLE} Le budget atteint deux cents millions d'euros, financés pour moitié "
            "par un emprunt. Les syndicats d'enseignants saluent un effort attendu depuis dix "
            "ans mais regrettent que les internats ne soient pas concernés. Le vote a réuni "
            "la majorité et une partie de l'opposition.")
    (root / "d3.txt").write_text(f"{body} Précisions du rectorat.\n",
                                 encoding="utf-8")
    (root / "d1.txt").write_text(f"{body}\n", encoding="utf-8")
    (root / "d2.txt").write_text(f"{body} Correction.\n", encoding="utf-8")
    return root


@pytest.mark.parametrize("fault, outcome", [("drop_on", "rejected"),
                                            ("judge_fail_on", "failed")])
def test_kept_copy_that_is_not_written_hands_over_to_another_copy(tmp_path, plugin_env,
                                                                  fault, outcome):
    inputs = write_copies(tmp_path / "in")
    out = tmp_path / "out.jsonl"
    stats_path = tmp_path / "stats.json"
    result = cli("run", inputs, "-o", out, "--stats", stats_path, "--enable", "faults",
                 "--set", f"faults.{fault}='rectorat'", env=plugin_env)
    assert "Traceback" not in result.stderr
    stats = json.loads(stats_path.read_text(encoding="utf-8"))
    assert stats["documents"] == stats["written"] + stats["rejected"] + stats["failed"] == 3
    # d3 would be kept (most words) but ends rejected or failed: d2, the next longest
    # copy, is written instead of being dropped as a copy of a record that never was.
    [record] = read_jsonl(out)
    assert Path(record["source"]).name == "d2.txt"
    assert record["detections"]["duplicates"]["is_kept"] is True
    reports = {Path(r["source"]).name: r for r in read_jsonl(tmp_path / "out.rejected.jsonl")}
    assert reports["d3.txt"]["status"] == outcome and "faults" in str(reports["d3.txt"])
    assert reports["d1.txt"]["reasons"] == ["near duplicate of a kept record"]
    assert reports["d1.txt"]["record"]["detections"]["duplicates"]["kept"] == record["id"]


def test_kept_copy_written_drops_the_copies_before_it(tmp_path, plugin_env):
    inputs = write_copies(tmp_path / "in")
    out = tmp_path / "out.jsonl"
    result = cli("run", inputs, "-o", out, "--enable", "faults", env=plugin_env)
    assert result.returncode == 0, result.stderr
    assert [Path(r["source"]).name for r in read_jsonl(out)] == ["d3.txt"]
    reports = read_jsonl(tmp_path / "out.rejected.jsonl")
    assert sorted(Path(r["source"]).name for r in reports) == ["d1.txt", "d2.txt"]


@pytest.mark.parametrize("workers", [1, 2])
def test_plugin_results_no_file_can_hold_fail_that_document_not_the_run(tmp_path, plugin_env,
                                                                        workers):
    """A reason that is not a string (a set), a lone surrogate in the text and a URL that
    is no string: each used to stop the whole run with a traceback while writing (after
    every document was cleaned); now that document alone is rejected or failed."""
    inputs = write_articles(tmp_path / "in", 4)
    out = tmp_path / "out.jsonl"
    stats_path = tmp_path / "stats.json"
    result = cli("run", inputs, "-o", out, "--stats", stats_path, "-j", workers,
                 "--enable", "faults", "--disable", "duplicates",
                 "--set", "faults.bad_reason_on='Dépêche 2'",
                 "--set", "faults.unwritable_on='Dépêche 3'", env=plugin_env)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(Path(r["source"]).name for r in read_jsonl(out)) == ["d1.txt", "d4.txt"]
    reports = {Path(r["source"]).name: r for r in read_jsonl(tmp_path / "out.rejected.jsonl")}
    assert reports["d2.txt"]["status"] == "rejected"
    assert all(isinstance(reason, str) for reason in reports["d2.txt"]["reasons"])
    assert reports["d3.txt"]["status"] == "failed"
    assert reports["d3.txt"]["error"].startswith("InvalidResult: the record cannot be written")
    stats = json.loads(stats_path.read_text(encoding="utf-8"))
    assert (stats["written"], stats["rejected"], stats["failed"]) == (2, 1, 1)


@pytest.mark.parametrize("source, says", [
    ('class Quality(Plugin):\n    name = "quality"\n\n    @hookimpl\n'
     '    def clean(self, document):\n        pass\n',
     "plugin 'quality' (file:{dir}/mine.py) failed to load: the name is taken by the plugin "
     "from builtin"),
    ('class Mine(Plugin):\n    name = "mine"\n\n    @hookimpl\n'
     '    def detect(self, document):\n        pass\n\n    @hookimpl\n'
     '    def clean(self, doc):\n        pass\n',
     "plugin 'mine' (file:{dir}/mine.py) failed to load: Plugin 'mine' for hook 'clean'"),
    ('class Mine(Plugin):\n    name = "mine"\n\n    @hookimpl\n'
     '    def cleen(self, document):\n        pass\n',
     "plugin 'mine' (file:{dir}/mine.py) failed to load: ['cleen'] is not a hook of "
     "clean-corpus")])
def test_plugin_that_cannot_be_registered_is_reported_and_the_run_goes_on(tmp_path, source,
                                                                          says):
    """A plugin named as a built-in one used to stop the run with "before/after settings
    form a cycle among []", one whose hook takes an argument the hook does not give with
    a traceback; a misspelt hook was never called, without a word. Each is now left out
    as a plugin that failed to load, and said so."""
    folder = tmp_path / "local"
    folder.mkdir()
    (folder / "mine.py").write_text("from clean_corpus import Plugin, hookimpl\n\n\n" + source,
                                    encoding="utf-8")
    inputs = write_articles(tmp_path / "in", 2)
    out = tmp_path / "out.jsonl"
    result = cli("run", inputs, "-o", out, "--plugins-dir", folder, "-j", 2, env=BUILTINS_ONLY)
    assert result.returncode == 1, result.stderr  # a plugin of the run is missing
    # Said once, not again by each worker process.
    assert result.stderr.count(says.format(dir=folder)) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert len(read_jsonl(out)) == 2
    listed = {p["name"]: p for p in json.loads(cli("plugins", "--json", "--plugins-dir", folder,
                                                    env=BUILTINS_ONLY).stdout)
              if p["source"].startswith("file:")}
    assert [p["enabled"] for p in listed.values()] == [False]
    assert next(iter(listed.values()))["error"].startswith("failed to load:")


def test_run_without_a_plugin_that_failed_to_load_ends_with_exit_status_1(tmp_path):
    """A plugin that failed to load was said once on stderr, and the run then exited 0 as
    if it had run with it; a plugin failing at the start or end of the run gives 1. Now a
    load failure does too: the run still completes with the other plugins (the local one
    beside it screens its document), and the summary and ``--stats`` list it."""
    folder = tmp_path / "local"
    folder.mkdir()
    (folder / "broken.py").write_text("import no_such_module\n", encoding="utf-8")
    (folder / "mine.py").write_text(
        "from clean_corpus import Plugin, hookimpl\n\n\nclass Mine(Plugin):\n"
        "    name = \"mine\"\n\n    @hookimpl\n    def screen(self, document):\n"
        "        return 'screened by mine' if 'Dépêche 2' in (document.text or '') else None\n",
        encoding="utf-8")
    inputs = write_articles(tmp_path / "in", 3)
    out, stats_path = tmp_path / "out.jsonl", tmp_path / "stats.json"
    result = cli("run", inputs, "-o", out, "--plugins-dir", folder, "--stats", stats_path,
                 env=BUILTINS_ONLY)
    assert result.returncode == 1, result.stderr
    assert sorted(Path(r["source"]).name for r in read_jsonl(out)) == ["d1.txt", "d3.txt"]
    [rejected] = read_jsonl(tmp_path / "out.rejected.jsonl")
    assert rejected["reasons"] == ["screened by mine"]
    stats = json.loads(stats_path.read_text(encoding="utf-8"))
    assert (stats["written"], stats["rejected"], stats["failed"]) == (2, 1, 0)
    [error] = stats["plugin_errors"]
    assert (error["hook"], error["plugin"]) == ("load", "broken")
    assert "no_such_module" in error["error"]
    assert f"plugin error in broken (load): {error['error']}" in result.stderr
    assert "Traceback" not in result.stderr


def test_plugin_with_an_optional_hook_clean_corpus_does_not_declare_still_runs(tmp_path):
    """A hook marked ``optionalhook`` (meant for a hook a later clean-corpus may declare) is
    no misspelling: the plugin loads and its other hooks run."""
    folder = tmp_path / "local"
    folder.mkdir()
    (folder / "mine.py").write_text(
        "from clean_corpus import Plugin, hookimpl\n\n\nclass Mine(Plugin):\n"
        "    name = \"mine\"\n\n    @hookimpl(optionalhook=True)\n"
        "    def a_future_hook(self, document):\n        pass\n\n"
        "    @hookimpl\n    def screen(self, document):\n"
        "        return 'screened by mine' if 'Dépêche 2' in (document.text or '') else None\n",
        encoding="utf-8")
    inputs = write_articles(tmp_path / "in", 3)
    out = tmp_path / "out.jsonl"
    result = cli("run", inputs, "-o", out, "--plugins-dir", folder, "--disable", "duplicates",
                 env=BUILTINS_ONLY)
    assert result.returncode == 0, result.stderr
    assert "failed to load" not in result.stderr
    assert sorted(Path(r["source"]).name for r in read_jsonl(out)) == ["d1.txt", "d3.txt"]
    [rejected] = read_jsonl(tmp_path / "out.rejected.jsonl")
    assert rejected["reasons"] == ["screened by mine"]


def test_extractor_returning_what_is_no_extraction_is_blamed_for_it(tmp_path):
    """An extract hook returning a dict used to fail the document in the text classifier
    (the first to read the result: "'dict' object has no attribute 'blocks'"), sending
    the plugin's author to the wrong plugin."""
    folder = tmp_path / "local"
    folder.mkdir()
    (folder / "mine.py").write_text(
        "from clean_corpus import Plugin, hookimpl\n\n\nclass Mine(Plugin):\n"
        "    name = \"mine\"\n\n    @hookimpl\n    def extract(self, document):\n"
        "        if 'Dépêche 2' in (document.text or ''):\n"
        "            return {'blocks': [document.text]}\n", encoding="utf-8")
    inputs = write_articles(tmp_path / "in", 3)
    out = tmp_path / "out.jsonl"
    result = cli("run", inputs, "-o", out, "--plugins-dir", folder, "--disable", "duplicates",
                 env=BUILTINS_ONLY)
    assert result.returncode == 1, result.stderr
    assert sorted(Path(r["source"]).name for r in read_jsonl(out)) == ["d1.txt", "d3.txt"]
    [failure] = read_jsonl(tmp_path / "out.rejected.jsonl")
    assert (failure["plugin"], failure["error"]) == \
        ("mine", "InvalidResult: extract returned a dict, not an Extraction (or None)")
