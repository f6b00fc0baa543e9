"""A few thousand generated hostile inputs through the CLI (``bench/fuzz.py`` runs 100,000).

Random bytes, tag soup, lying and bogus charsets, legacy encodings, control characters,
UTF-16, empty files, bad JSON Lines, odd and undecodable file names, FIFOs, links to
devices, loops and nowhere, hidden files (``tests/hostile.py``): the run must end, every
input must be accounted for exactly once, skipped files counted, the counts add up, and
-j 1 and -j 2 write the same bytes.
"""
from __future__ import annotations

import json
import random
from collections import Counter

from conftest import BUILTINS_ONLY, cli, read_jsonl, read_jsonl_if_any
from hostile import source_file, write_inputs


def test_thousands_of_hostile_inputs_are_each_accounted_for_once(tmp_path):
    inputs = tmp_path / "in"
    # The costly kinds (deep nesting, huge lines) are left to the bench script.
    expected, skipped = write_inputs(inputs, random.Random(20261201), 2000, heavy_share=0.0)
    outputs = []
    for workers in (2, 1):
        out = tmp_path / f"j{workers}" / "records.jsonl"
        stats_path = out.with_name("stats.json")
        result = cli("run", inputs, "-o", out, "--stats", stats_path, "-j", workers,
                     env=BUILTINS_ONLY, timeout=1200)
        assert result.returncode == 1, result.stderr  # some inputs fail, none crashes
        assert "Traceback" not in result.stderr
        records = read_jsonl(out)
        reports = read_jsonl_if_any(out.with_name("records.rejected.jsonl"))
        seen = Counter(source_file(entry["source"]) for entry in records + reports)
        assert seen == Counter({name: n for name, n in expected.items() if n})
        stats = json.loads(stats_path.read_text(encoding="utf-8"))
        assert stats["documents"] == len(records) + len(reports) == sum(expected.values())
        assert stats["skipped"] == skipped
        outputs.append((out.read_bytes(), out.with_name("records.rejected.jsonl").read_bytes()))
    assert outputs[0] == outputs[1]
