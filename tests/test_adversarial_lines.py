"""Long adversarial lines through every cleaner and detector, on real files via the CLI.

Each pattern of the project is written so that its work grows linearly with its input:
runs are matched from their start only (a lookbehind) and never given back (possessive
quantifiers), and spans that must be short (a sentence gap, a byline, a class name) are
capped before any pattern sees them. These lines make a backtracking pattern retry at
every position of a long run: 60,000 characters of one, quadratic, is billions of steps
and runs into the per-document limit; linear, it is a fraction of it. So the test asserts
that no document is stopped by the limit, with a limit far above their real cost.
"""
from __future__ import annotations

import json

from conftest import BUILTINS_ONLY, cli, read_jsonl, read_jsonl_if_any
from hostile import LINES

LENGTH = 60_000
PROSE = ("Le conseil municipal a voté le budget de la ville après trois heures de débat. "
         "La séance a été suspendue deux fois à la demande de l'opposition.")


def test_no_cleaner_is_quadratic_on_long_adversarial_lines(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    for number, (name, make) in enumerate(LINES.items()):
        line = make(LENGTH)
        (inputs / f"{number:02d}.txt").write_text(f"{PROSE}\n{line}\n{PROSE}\n", encoding="utf-8")
        html = (f"<html><head><title>{line[:5000]}</title></head><body><article>"
                f"<h1>Budget</h1><p>{PROSE}</p><p>{line}</p><ul><li><a href='/x'>{line}</a>"
                f"</li></ul></article></body></html>")
        (inputs / f"{number:02d}.html").write_text(html, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    stats_path = tmp_path / "stats.json"
    result = cli("run", inputs, "-o", out, "--stats", stats_path, "-j", 2, "--timeout", 30,
                 env=BUILTINS_ONLY, timeout=1200)
    assert "Traceback" not in result.stderr
    reports = read_jsonl_if_any(tmp_path / "out.rejected.jsonl")
    stopped = [r["source"] for r in reports if "TimeLimit" in (r.get("error") or "")]
    assert stopped == []
    failed = [r for r in reports if r["status"] == "failed"]
    assert failed == []
    stats = json.loads(stats_path.read_text(encoding="utf-8"))
    assert stats["documents"] == 2 * len(LINES) == len(read_jsonl(out)) + len(reports)
