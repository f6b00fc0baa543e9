"""`clean-corpus explain` and `run --report` on the command line: what they write, what
they refuse, and that a report never changes the records."""
from __future__ import annotations

import json
import shutil

from conftest import BUILTINS_ONLY, FIXTURES, builtin_cli, cli


def test_a_report_changes_nothing_in_the_records(tmp_path):
    inputs = tmp_path / "in"
    shutil.copytree(FIXTURES / "holdout", inputs)
    plain, reported = tmp_path / "plain.jsonl", tmp_path / "reported.jsonl"
    builtin_cli("run", inputs, "-o", plain, "--no-progress", "-q")
    builtin_cli("run", inputs, "-o", reported, "--report", tmp_path / "report", "--no-progress",
                "-q")
    assert plain.read_bytes() == reported.read_bytes()
    pages = sorted((tmp_path / "report" / "docs").glob("*.html"))
    assert len(pages) == len(list(inputs.iterdir()))
    index = (tmp_path / "report" / "index.html").read_text(encoding="utf-8")
    assert all(f'href="docs/{page.name}"' in index for page in pages)
    # self-contained: no stylesheet, script or image comes from anywhere else
    for html in [index, *(p.read_text(encoding="utf-8") for p in pages)]:
        assert "<link" not in html and " src=" not in html and "@import" not in html


def test_explain_writes_one_page_and_no_records(tmp_path):
    page = tmp_path / "page.html"
    done = builtin_cli("explain", FIXTURES / "holdout" / "en_council.html", "-o", page,
                       "--no-progress", cwd=tmp_path)
    assert "written" in done.stderr
    html = page.read_text(encoding="utf-8")
    assert 'class="rm' in html and "What extraction left out" in html
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.html"]


def test_explain_of_many_documents_asks_for_a_report_directory(tmp_path):
    done = cli("explain", FIXTURES / "holdout", "-o", tmp_path / "page.html", "--no-progress",
               env=BUILTINS_ONLY)
    assert done.returncode == 2
    assert "--report DIR" in done.stderr and "9 documents" in done.stderr
    assert not (tmp_path / "page.html").exists()
    builtin_cli("explain", FIXTURES / "holdout", "--report", tmp_path / "report", "--no-progress")
    assert len(list((tmp_path / "report" / "docs").glob("*.html"))) == 9


def test_explain_needs_somewhere_to_write(tmp_path):
    done = cli("explain", FIXTURES / "holdout" / "en_council.html", env=BUILTINS_ONLY)
    assert done.returncode == 2 and "-o/--output" in done.stderr


def test_a_report_inside_an_input_folder_is_never_read_as_input(tmp_path):
    inputs = tmp_path / "in"
    shutil.copytree(FIXTURES / "holdout", inputs)
    for _ in range(2):  # the second run finds the first one's report in its input folder
        builtin_cli("run", inputs, "-o", inputs / "records.jsonl", "--report", inputs / "report",
                    "--stats", tmp_path / "stats.json", "--no-progress", "-q")
        stats = json.loads((tmp_path / "stats.json").read_text(encoding="utf-8"))
        assert stats["documents"] == 9
