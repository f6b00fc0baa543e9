"""The per-document stage on Ray gives the records the local executor gives."""
from __future__ import annotations

import json
import shutil

from conftest import FIXTURES, builtin_cli


def test_ray_executor_output_is_byte_identical_to_one_local_worker(tmp_path):
    corpus = tmp_path / "in"
    shutil.copytree(FIXTURES, corpus)
    shutil.copytree(FIXTURES / "seeds", corpus / "zz-copies")  # duplicates to decide on
    local, on_ray = tmp_path / "local", tmp_path / "ray"
    builtin_cli("run", corpus, "-o", local / "out.jsonl", "--stats", local / "stats.json",
                "-j", "1", "--no-progress")
    done = builtin_cli("run", corpus, "-o", on_ray / "out.jsonl", "--stats",
                       on_ray / "stats.json", "--executor", "ray", "-j", "2", "--no-progress",
                       env={"RAY_ADDRESS": ""}, timeout=600)
    for name in ("out.jsonl", "out.rejected.jsonl"):
        assert (on_ray / name).read_bytes() == (local / name).read_bytes(), name
    counts = [{k: v for k, v in json.loads((d / "stats.json").read_text()).items()
               if k in ("documents", "written", "rejected", "failed", "rejected_reasons")}
              for d in (local, on_ray)]
    assert counts[0] == counts[1] and counts[0]["written"] > 20, done.stderr
