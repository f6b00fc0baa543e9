"""The per-document stage on Ray gives the records the local executor gives."""
from __future__ import annotations

import json
import os
import shutil
import subprocess

from conftest import BUILTINS_ONLY, CLI, FIXTURES, builtin_cli, cli_env, read_jsonl


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


def test_actors_of_a_local_ray_are_capped_as_worker_processes_with_a_note(tmp_path):
    """``-j N`` started N actors on a local Ray whatever N, each a process of this machine
    with a worker process of its own, where local worker processes are capped at four per
    processor. A Ray started for the run now gets that many actors at most, and the run
    says so on stderr as it does for workers; the actors of a cluster named by its address
    are not this machine's and are not capped."""
    from clean_corpus.executors import RayExecutor
    from clean_corpus.workers import WORKERS_PER_CPU

    limit = WORKERS_PER_CPU  # the run is kept to one processor
    (tmp_path / "a.txt").write_text(
        "The council approved the city budget after three hours of debate on Tuesday.\n\n"
        "Work on the new school will start in the spring, the mayor said after the vote.",
        encoding="utf-8")
    out = tmp_path / "out.jsonl"
    one = min(os.sched_getaffinity(0))
    done = subprocess.run(
        [str(CLI), "run", str(tmp_path / "a.txt"), "-o", str(out), "--executor", "ray",
         "-j", str(limit + 1), "--no-progress"],
        env=cli_env({**BUILTINS_ONLY, "RAY_ADDRESS": ""}), capture_output=True, text=True,
        timeout=600, preexec_fn=lambda: os.sched_setaffinity(0, {one}))
    assert done.returncode == 0, done.stderr
    assert (f"{limit + 1} Ray actors asked for; running {limit}, {WORKERS_PER_CPU} per "
            "processor this machine gives the run") in done.stderr
    assert [r["source"] for r in read_jsonl(out)] == [str(tmp_path / "a.txt")]
    assert RayExecutor("ray://head:10001", actors=1000).actors == 1000
