"""Peak memory of `clean-corpus run` as the corpus grows: does it stay flat?

Generates corpora of N plain-text articles (made-up prose, ~3 kB each, seeded so every
run sees the same text) and runs the real CLI on each, once with the per-document chain
only (corpus-level detectors disabled) and once with every built-in plugin. Prints the
peak resident memory of each run and the growth per 1,000 extra documents.

    .venv/bin/python bench/bench_memory.py [--sizes 1000,4000] [--workers 1]
"""
from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
from pathlib import Path

CLI = Path(sys.executable).with_name("clean-corpus")
CORPUS_LEVEL = ("duplicates", "text_reuse", "site_boilerplate")

# Peak RSS of one child process, measured in a fresh interpreter so that earlier runs
# do not count (RUSAGE_CHILDREN keeps the maximum over every child ever waited for).
_MEASURE = ("import resource, subprocess, sys; "
            "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, "
            "stderr=subprocess.DEVNULL); "
            "print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")

WORDS = ("le la les un une des conseil ville maire budget projet travaux habitants rue "
         "école année semaine mardi prochain nouveau ancien public quartier port gare "
         "tribunal enquête témoins police région département été hiver eau réseau "
         "entreprise salariés emplois usine accord syndicat grève ministre gouvernement "
         "loi vote député sénat débat opposition majorité élection campagne candidat").split()


def article(rng: random.Random) -> str:
    paragraphs = []
    for _ in range(rng.randint(4, 7)):
        sentences = []
        for _ in range(rng.randint(3, 5)):
            words = [rng.choice(WORDS) for _ in range(rng.randint(12, 24))]
            sentences.append(" ".join(words).capitalize() + ".")
        paragraphs.append(" ".join(sentences))
    return "\n\n".join(paragraphs) + "\n"


def make_corpus(folder: Path, size: int) -> None:
    rng = random.Random(size)
    folder.mkdir(parents=True)
    for n in range(size):
        (folder / f"{n:06d}.txt").write_text(article(rng), encoding="utf-8")


def peak_rss_kib(corpus: Path, out: Path, workers: int, disable: tuple[str, ...]) -> int:
    command = [str(CLI), "run", str(corpus), "-o", str(out), "-q", "--no-progress",
               "-j", str(workers)]
    for name in disable:
        command += ["--disable", name]
    done = subprocess.run([sys.executable, "-c", _MEASURE, *command],
                          capture_output=True, text=True, check=True)
    returncode, rss = map(int, done.stdout.split())
    if returncode != 0:
        raise SystemExit(f"clean-corpus failed ({returncode}) on {corpus}")
    return rss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,4000",
                        help="comma-separated corpus sizes (default 1000,4000: past 1,000 the bounded caches are full)")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    rows = []
    with tempfile.TemporaryDirectory(prefix="clean-corpus-bench-") as tmp:
        for size in sizes:
            corpus = Path(tmp) / f"corpus-{size}"
            make_corpus(corpus, size)
            print(f"corpus of {size} documents generated", file=sys.stderr)
            chain_only = peak_rss_kib(corpus, Path(tmp) / "a.jsonl", args.workers, CORPUS_LEVEL)
            everything = peak_rss_kib(corpus, Path(tmp) / "b.jsonl", args.workers, ())
            rows.append((size, chain_only, everything))
    print(f"| documents | peak RSS, per-document chain only | peak RSS, all plugins |")
    print("|---:|---:|---:|")
    for size, chain_only, everything in rows:
        print(f"| {size} | {chain_only / 1024:.1f} MiB | {everything / 1024:.1f} MiB |")
    (small, a0, b0), (large, a1, b1) = rows[0], rows[-1]
    per_k = 1000 / (large - small)
    print(f"\ngrowth per 1,000 extra documents: chain only {(a1 - a0) / 1024 * per_k:+.2f} MiB, "
          f"all plugins {(b1 - b0) / 1024 * per_k:+.2f} MiB")


if __name__ == "__main__":
    main()
