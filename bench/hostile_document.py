"""What one hostile document costs a run over real pages.

    .venv/bin/python bench/hostile_document.py [PAGES_DIR] [-j 2] [--timeout 10] [--rounds 3]

Runs ``clean-corpus run`` over the pages (default: the devset) as they are, then with one
hostile document added, for each of: a 40,000-character run of "!" before a teaser label
(quadratic in the inline-teaser pattern before it was made linear), a 104 KB byline-shaped
block, a 40,000-letter token, and a page whose one tag carries 100,000 attributes (the
parser's cost grows with their square; ``markup_limit`` rejects it before any parse). The
runs alternate, ``--rounds`` times; prints the median wall-clock and CPU seconds of each
(CPU: the process and its workers) and the difference from the pages alone, which the
per-document limit bounds. On a shared machine the CPU difference is the steadier figure.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_pipeline import measure  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
CLI = Path(sys.executable).with_name("clean-corpus")

HOSTILE = {
    "bangs.txt": "Mot" + "!" * 40000 + "Lire aussi : La réforme\n",
    "byline.txt": "Par Jean Dupont, " * 6500 + "\n",
    "token.txt": "Le " + "a" * 40000 + " mot.\n",
    "attributes.html": "<html><body><p " + " ".join(f"a{i}=\"{i}\"" for i in range(100_000))
                       + ">Le conseil municipal a voté le budget.</p></body></html>",
}


def command(inputs: list[Path], out: Path, workers: int, timeout: float) -> list[str]:
    return [str(CLI), "run", *map(str, inputs), "-o", str(out), "-j", str(workers),
            "--timeout", str(timeout), "--no-progress", "-q"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pages", nargs="?", default=str(REPO.parent / "shared" / "devset" / "html"))
    parser.add_argument("-j", "--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=10.0)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        runs = {"pages alone": [Path(args.pages)]}
        for name, content in HOSTILE.items():
            (tmp / name).write_text(content, encoding="utf-8")
            runs[f"+ {name}"] = [Path(args.pages), tmp / name]
        times: dict[str, list[tuple[float, float]]] = {label: [] for label in runs}
        for _ in range(args.rounds):
            for label, inputs in runs.items():  # alternated: load changes hit every kind
                wall, cpu, _rss = measure(command(inputs, tmp / "out.jsonl", args.workers,
                                                  args.timeout))
                times[label].append((wall, cpu))
        base_wall, base_cpu = (statistics.median(t[i] for t in times["pages alone"])
                               for i in (0, 1))
        print(f"medians of {args.rounds} alternated rounds, -j {args.workers}, "
              f"limit {args.timeout:g} s per document")
        for label, values in times.items():
            wall = statistics.median(v[0] for v in values)
            cpu = statistics.median(v[1] for v in values)
            print(f"{label:<20} wall {wall:6.1f} s ({wall - base_wall:+5.1f})   "
                  f"CPU {cpu:6.1f} s ({cpu - base_cpu:+5.1f})")


if __name__ == "__main__":
    main()
