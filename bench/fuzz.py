"""Fuzz the CLI with hostile inputs, in batches, and check the accounting of every one.

    .venv/bin/python bench/fuzz.py [--inputs 100000] [--batch 2000] [--seed 1] [-j 2]

Each batch writes ``--batch`` generated inputs (random bytes, tag soup, deep nesting, lying
or bogus charsets, legacy encodings, control characters, huge attributes and lines, many
attributes on one tag, adversarial lines, UTF-16, empty files, bad JSON Lines, odd and
undecodable file names, FIFOs, links to devices, loops and nowhere, hidden files; see
``tests/hostile.py``) into a fresh folder and runs ``clean-corpus run`` on it. Checks, per
batch: the run ends (no crash, no hang: exit 0 or 1), every input file is accounted for
exactly once (as many records and reports as documents it holds), hidden files and link
loops are counted as skipped, the counts add up, and no document outlives the time limit.
Prints one line per batch and the totals.
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
from hostile import source_file, write_inputs  # noqa: E402

CLI = Path(sys.executable).with_name("clean-corpus")


def read_jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def expected_failures() -> set[str]:
    """Plugins whose failures are the expected end of a hostile input: every reader the
    built-in chain registers (it cannot be read), the two limits (it is too large or too
    deeply nested) and the core (it outlived the time limit). A failure elsewhere is a
    bug worth a look (``--keep``)."""
    from clean_corpus.config import Config
    from clean_corpus.plugins import PluginRegistry

    readers = {info.name for info in PluginRegistry(Config()).infos
               if "register_readers" in info.hooks}
    return readers | {"core", "size_limit", "markup_limit"}


def run_batch(root: Path, seed: int, count: int, workers: int, timeout: float,
              keep: Path | None = None) -> dict:
    """One batch: inputs written, run, checked. Returns its figures; raises on a breach.

    With ``keep``, every input that a chain plugin (not a reader) failed is copied there
    with its error, to be replayed."""
    inputs = root / "in"
    expected, skipped = write_inputs(inputs, random.Random(seed), count)
    out = root / "out" / "records.jsonl"
    stats_path = root / "out" / "stats.json"
    started = time.monotonic()
    done = subprocess.run([str(CLI), "run", str(inputs), "-o", str(out), "--stats",
                           str(stats_path), "-j", str(workers), "--timeout", str(timeout),
                           "--no-progress", "-q"], capture_output=True, text=True,
                          timeout=3600)
    seconds = time.monotonic() - started
    problems = []
    if done.returncode not in (0, 1) or "Traceback" in done.stderr:
        problems.append(f"exit {done.returncode}: {done.stderr[-2000:]}")
        return {"problems": problems, "seconds": seconds}
    stats = json.loads(stats_path.read_text(encoding="utf-8"))
    records = read_jsonl(out)
    reports = read_jsonl(out.with_name("records.rejected.jsonl"))
    seen = Counter(source_file(entry["source"]) for entry in records + reports)
    wrong = {name: (seen.get(name, 0), want) for name, want in expected.items()
             if seen.get(name, 0) != want}
    wrong.update({name: (got, 0) for name, got in seen.items() if name not in expected})
    if wrong:
        problems.append(f"{len(wrong)} inputs not accounted exactly once, e.g. "
                        f"{sorted(wrong.items())[:3]}")
    if stats["documents"] != stats["written"] + stats["rejected"] + stats["failed"] \
            or stats["documents"] != len(records) + len(reports):
        problems.append(f"counts do not add up: {stats}")
    if stats["skipped"] != skipped:
        problems.append(f"skipped {stats['skipped']}, expected {skipped}")
    limited = sum(1 for r in reports if "TimeLimit" in (r.get("error") or ""))
    if keep is not None:
        keep_failures(reports, inputs, keep, seed)
    return {"problems": problems, "seconds": seconds, "inputs": count,
            "documents": stats["documents"], "written": stats["written"],
            "rejected": stats["rejected"], "failed": stats["failed"],
            "skipped": stats["skipped"], "time_limited": limited,
            "failed_plugins": stats["failed_plugins"]}


def keep_failures(reports: list[dict], inputs: Path, keep: Path, seed: int) -> None:
    expected = expected_failures()
    for number, report in enumerate(reports):
        error = report.get("error") or ""
        if report.get("status") != "failed" or report.get("plugin") in expected \
                or "TimeLimit" in error:
            continue
        source = Path(source_file(report["source"]))
        if not source.is_absolute():
            source = inputs / source
        keep.mkdir(parents=True, exist_ok=True)
        name = f"{seed}-{number}-{report.get('plugin')}"
        if source.is_file():
            shutil.copyfile(source, keep / f"{name}{''.join(source.suffixes)[-12:]}")
        (keep / f"{name}.error.txt").write_text(f"{report['source']}\n{error}\n",
                                                encoding="utf-8")
        print(f"  kept {name}: {error.splitlines()[-1][:200] if error else '?'}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--inputs", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-j", "--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=10.0)
    parser.add_argument("--keep", type=Path, help="copy inputs a chain plugin failed here")
    args = parser.parse_args()
    totals: Counter = Counter()
    failed_plugins: Counter = Counter()
    breaches = 0
    batches = (args.inputs + args.batch - 1) // args.batch
    for number in range(batches):
        count = min(args.batch, args.inputs - number * args.batch)
        root = Path(tempfile.mkdtemp(prefix="clean-corpus-fuzz-"))
        try:
            figures = run_batch(root, args.seed * 1_000_003 + number, count, args.workers,
                                args.timeout, args.keep)
        finally:
            shutil.rmtree(root, ignore_errors=True)
        for problem in figures["problems"]:
            breaches += 1
            print(f"batch {number}: PROBLEM {problem}", flush=True)
        for key in ("inputs", "documents", "written", "rejected", "failed", "skipped",
                    "time_limited"):
            totals[key] += figures.get(key, 0)
        totals["seconds"] += figures["seconds"]
        failed_plugins.update(figures.get("failed_plugins", {}))
        print(f"batch {number + 1}/{batches}: {figures.get('inputs', count)} inputs, "
              f"{figures.get('documents', '?')} documents in {figures['seconds']:.1f}s "
              f"({figures.get('time_limited', 0)} stopped at the limit), "
              f"{len(figures['problems'])} problems", flush=True)
    print(f"total: {totals['inputs']} inputs in {batches} runs, {totals['documents']} documents "
          f"({totals['written']} written, {totals['rejected']} rejected, {totals['failed']} "
          f"failed), {totals['skipped']} skipped, {totals['time_limited']} stopped at the "
          f"{args.timeout:g} s limit, {breaches} problems, {totals['seconds']:.0f}s")
    print(f"failures by plugin: {dict(failed_plugins.most_common())}")
    return 1 if breaches else 0


if __name__ == "__main__":
    sys.exit(main())
