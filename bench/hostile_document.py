"""What one hostile document costs a run over real pages.

    .venv/bin/python bench/hostile_document.py [PAGES_DIR] [-j 2] [--timeout 10]

Runs ``clean-corpus run`` over the pages (default: the devset) as they are, then with one
hostile document added, for each of: a 40,000-character run of "!" before a teaser label
(quadratic in the inline-teaser pattern before it was made linear), a 104 KB byline-shaped
block, a 40,000-letter token, and a page whose one tag carries 100,000 attributes (the
parser's own cost grows with their square: the time limit is what stops it). Prints the
seconds of each run and the difference, which the per-document limit bounds. The machine
may be shared: compare the differences with the limit, not the seconds between machines.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CLI = Path(sys.executable).with_name("clean-corpus")

HOSTILE = {
    "bangs.txt": "Mot" + "!" * 40000 + "Lire aussi : La réforme\n",
    "byline.txt": "Par Jean Dupont, " * 6500 + "\n",
    "token.txt": "Le " + "a" * 40000 + " mot.\n",
    "attributes.html": "<html><body><p " + " ".join(f"a{i}=\"{i}\"" for i in range(100_000))
                       + ">Le conseil municipal a voté le budget.</p></body></html>",
}


def timed_run(inputs: list[Path], out: Path, workers: int, timeout: float) -> tuple[float, str]:
    started = time.monotonic()
    done = subprocess.run([str(CLI), "run", *map(str, inputs), "-o", str(out), "-j",
                           str(workers), "--timeout", str(timeout), "--no-progress"],
                          capture_output=True, text=True)
    summary = done.stderr.strip().splitlines()[0] if done.stderr.strip() else ""
    return time.monotonic() - started, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pages", nargs="?", default=str(REPO.parent / "shared" / "devset" / "html"))
    parser.add_argument("-j", "--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=10.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        base, summary = timed_run([Path(args.pages)], tmp / "base.jsonl", args.workers,
                                  args.timeout)
        print(f"pages alone: {base:.1f}s  ({summary})")
        for name, content in HOSTILE.items():
            extra = tmp / name
            extra.write_text(content, encoding="utf-8")
            seconds, summary = timed_run([Path(args.pages), extra], tmp / f"{name}.jsonl",
                                         args.workers, args.timeout)
            print(f"+ {name:<16} {seconds:.1f}s  ({seconds - base:+.1f}s; limit "
                  f"{args.timeout:g}s)  ({summary})")


if __name__ == "__main__":
    main()
