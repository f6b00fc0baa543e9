"""A run killed with SIGKILL at any moment goes on where it stopped when the same command
runs again, and writes exactly what one uninterrupted run writes."""
from __future__ import annotations

import json
import random
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from conftest import CLI, FIXTURES, cli, cli_env


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """Seeds, pages and site, and copies of the seeds (duplicates for the corpus pass)."""
    root = tmp_path_factory.mktemp("resume") / "in"
    for part in ("seeds", "pages", "site", "holdout"):
        shutil.copytree(FIXTURES / part, root / part)
    shutil.copytree(FIXTURES / "seeds", root / "zz-copies")
    return root


def _command(corpus: Path, out: Path, trace: Path, *extra) -> list[str]:
    return [str(CLI), "run", str(corpus), "-o", str(out), "--stats", str(out.parent / "stats.json"),
            "--no-progress", "--enable", "faults", "--set", f"faults.trace_file={trace}",
            *map(str, extra)]


def _result(out: Path) -> tuple:
    stats = json.loads((out.parent / "stats.json").read_text(encoding="utf-8"))
    counts = {k: stats[k] for k in ("documents", "written", "rejected", "failed",
                                    "rejected_reasons", "failed_plugins")}
    return out.read_bytes(), out.with_name("out.rejected.jsonl").read_bytes(), counts


def _traced(trace: Path) -> list[str]:
    """Documents cleaned (not the page each fresh worker warms up on)."""
    lines = trace.read_text(encoding="utf-8").splitlines() if trace.exists() else []
    return [line for line in lines if line != "(warm-up)"]


@pytest.mark.parametrize("workers", [1, 2])
def test_killed_runs_resume_to_the_uninterrupted_output(corpus, tmp_path, plugin_env, workers):
    env = cli_env(plugin_env)
    whole = tmp_path / "whole" / "out.jsonl"
    subprocess.run(_command(corpus, whole, tmp_path / "whole.trace", "-j", workers), env=env,
                   check=True, capture_output=True, timeout=600)
    expected = _result(whole)
    traced = len(_traced(tmp_path / "whole.trace"))  # documents the chain cleaned
    assert expected[2]["documents"] >= traced > 35

    out = tmp_path / "killed" / "out.jsonl"
    trace = tmp_path / "killed.trace"
    rng = random.Random(11 + workers)
    kills = 0
    exiting = False  # a kill that came as the run was exiting, its work done
    for attempt in range(12):
        process = subprocess.Popen(_command(corpus, out, trace, "-j", workers), env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        before = len(_traced(trace))
        # Kill at a random point of the run's progress, not after a fixed time: a machine
        # fast enough to finish within a fixed delay would never be killed at all.
        target = before + rng.randint(2, 6)
        deadline = time.monotonic() + 300
        while (len(_traced(trace)) < target and process.poll() is None
               and time.monotonic() < deadline):
            time.sleep(0.01)
        # A short random delay past the target, no more: at tens of milliseconds a document,
        # a longer one let a run finish the corpus before its kill (the test then saw fewer
        # than two kills). Five kills at most 6 documents apart leave the corpus unfinished.
        time.sleep(rng.uniform(0.0, 0.02))
        if process.poll() is not None or kills >= 5:
            break
        process.send_signal(signal.SIGKILL)
        process.wait()
        prepared = _traced(trace)
        state = out.with_name("out.jsonl.unfinished")
        if len(prepared) > before and not state.is_dir():
            # The state goes last, once the output and the stats are whole: this kill
            # interrupted nothing.
            exiting = True
            break
        kills += 1
        if len(prepared) > before:
            # the state is kept beside the output, in plain sight: any output is older
            assert state.is_dir()
        # each run prepares only documents that no earlier run finished
        assert len(set(prepared[before:]) & set(prepared[:before])) <= workers * 4
    if not exiting:
        stderr = process.communicate(timeout=600)[1].decode()
        assert process.returncode == 0, stderr
    assert kills >= 2

    assert _result(out) == expected  # records, rejected, counts: byte for byte
    prepared = _traced(trace)
    assert set(prepared) == set(_traced(tmp_path / "whole.trace"))
    # what a kill cut short is redone, and nothing else: at most the documents in flight
    assert len(prepared) - traced <= kills * workers * 4
    assert sorted(p.name for p in out.parent.iterdir()) == ["out.jsonl", "out.rejected.jsonl",
                                                            "stats.json"]


def test_changed_configuration_or_inputs_is_refused(corpus, tmp_path, plugin_env):
    inputs = tmp_path / "in"
    shutil.copytree(corpus / "seeds", inputs)
    out = tmp_path / "out.jsonl"
    trace = tmp_path / "trace"
    env = cli_env(plugin_env)
    process = subprocess.Popen(_command(inputs, out, trace) + ["--set", "faults.pause_on=a",
                                                               "--set", f"faults.pause_file={tmp_path / 'p'}"],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not (tmp_path / "p").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    state = out.with_name("out.jsonl.unfinished")
    assert state.is_dir()

    changed = cli(*_command(inputs, out, trace)[1:], "--set", "quality.policy=drop",
                  env=plugin_env)
    assert changed.returncode == 2
    assert "since it began the configuration changed" in changed.stderr and "--restart" in changed.stderr
    (inputs / "new.txt").write_text("Un nouvel article sur le port et ses travaux.\n")
    added = cli(*_command(inputs, out, trace)[1:], "--set", "faults.pause_on=a",
                "--set", f"faults.pause_file={tmp_path / 'p'}", env=plugin_env)
    assert added.returncode == 2 and "the inputs" in added.stderr
    assert not out.exists()

    fresh = cli(*_command(inputs, out, trace)[1:], "--restart", env=plugin_env)
    assert fresh.returncode == 0, fresh.stderr
    assert not state.exists()
    nothing = cli(*_command(inputs, out, trace)[1:], "--resume", env=plugin_env)
    assert nothing.returncode == 2 and "nothing to resume" in nothing.stderr
