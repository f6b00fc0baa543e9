"""Two checkouts of clean-corpus side by side on the same documents, alternated in one run.

Usage::

    python bench/side_by_side.py OLD_TREE NEW_TREE DOCUMENTS [--rounds N] [--whole]

Each tree is a checkout with its own ``.venv`` (``make .venv/.installed``). By default each
round runs, for each tree in turn (the order alternating), one process that imports that
tree's chain, prepares two documents (models load, caches fill), then times one pass over
``DOCUMENTS`` in CPU time: the worker's part (read, screen, extract, clean, detect) and the
main process's part (the outcome unpickled, observe, the spill, the corpus pass, revise and
judge, the record as JSON), per document. ``--whole`` times whole ``clean-corpus run -j 1``
processes instead (CPU of the process and its workers, ``os.wait4``), on ``DOCUMENTS`` and
on one small file (the start-up, taken out), as ``bench_pipeline.py``'s text figure does.
Medians over the rounds, after one untimed warm-up round.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

#: Runs in the other checkout's environment: its chain, timed by this checkout's
#: :func:`bench_pipeline.time_chain`.
IN_PROCESS = r"""
import json, sys
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from bench_pipeline import time_chain
from clean_corpus.config import Config
from clean_corpus.pipeline import Chain
paths = sorted(Path(sys.argv[1]).iterdir())
worker, main = time_chain(Chain(Config()), paths)
print(json.dumps({"worker": 1000 * worker / len(paths), "main": 1000 * main / len(paths)}))
"""


def cpu_of(command: list[str]) -> float:
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed")
    return usage.ru_utime + usage.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("documents", type=Path)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--whole", action="store_true", help="whole clean-corpus processes")
    args = parser.parse_args(argv)
    trees = {"old": args.old.resolve(), "new": args.new.resolve()}
    count = len(list(args.documents.iterdir()))
    scratch = Path(tempfile.mkdtemp(prefix="side-by-side-"))
    small = scratch / "small"
    small.mkdir()
    (small / "one.txt").write_text("Un court article de quelques lignes, écrit pour mesurer le "
                                   "démarrage du programme.\n", encoding="utf-8")

    def run_whole(tree: Path, inputs: Path) -> float:
        return cpu_of([str(tree / ".venv" / "bin" / "clean-corpus"), "run", str(inputs),
                       "-o", str(scratch / "out.jsonl"), "--rejected", str(scratch / "rej.jsonl"),
                       "-j", "1", "--timeout", "600", "--no-progress", "-q"])

    def run_in_process(tree: Path) -> dict:
        done = subprocess.run([str(tree / ".venv" / "bin" / "python"), "-c", IN_PROCESS,
                               str(args.documents), str(Path(__file__).resolve().parent)], capture_output=True, text=True,
                              check=True, cwd=scratch)
        return json.loads(done.stdout.strip().splitlines()[-1])

    figures: dict[str, list] = {name: [] for name in trees}
    for rep in range(args.rounds + 1):
        for name in (list(trees) if rep % 2 else list(trees)[::-1]):
            if args.whole:
                result = {"documents": run_whole(trees[name], args.documents),
                          "start-up": run_whole(trees[name], small)}
            else:
                result = run_in_process(trees[name])
            if rep:
                figures[name].append(result)
        print(f"round {rep or 'warm-up'} done", file=sys.stderr)

    totals = {}
    for name, results in figures.items():
        if args.whole:
            per = [1000 * (r["documents"] - r["start-up"]) / count for r in results]
            startup = statistics.median(r["start-up"] for r in results)
            print(f"{name} ({trees[name]}): {statistics.median(per):.1f} ms of CPU a document, "
                  f"start-up {startup:.2f} s excluded: "
                  f"{1000 / statistics.median(per):.0f} documents per CPU-second")
        else:
            per = [r["worker"] + r["main"] for r in results]
            print(f"{name} ({trees[name]}): worker "
                  f"{statistics.median(r['worker'] for r in results):.2f} ms, main process "
                  f"{statistics.median(r['main'] for r in results):.2f} ms, together "
                  f"{statistics.median(per):.2f} ms of CPU a document "
                  f"({1000 / statistics.median(per):.0f} documents per CPU-second)")
        totals[name] = statistics.median(per)
    print(f"new / old: {totals['new'] / totals['old']:.3f} ({count} documents, medians of "
          f"{args.rounds} alternated rounds)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
