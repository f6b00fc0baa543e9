"""What the lexicon cleaners' cache of phrase-list bits saves on a long page on one line.

    python bench/long_line_cache.py TEXT_DIR [--chars 1000000] [--rounds 3]

Joins the text files of TEXT_DIR (a folder of scraped text, such as
``../shared/tools/scraped_text.py --mode flat`` writes) into one line of ``--chars``
characters, which ``text_lines`` cuts into thousands of blocks, and cleans it with
``clean_corpus.clean`` alternately with a cache of 4,096 texts (its size before) and the
shipped size (:data:`clean_corpus_plugins.cleaners.lexmatch._BITS_CACHE`). Prints the
median CPU time of each, their ratio and whether the records are equal.
"""
from __future__ import annotations

import argparse
import statistics
import time
from functools import lru_cache
from pathlib import Path

from clean_corpus import clean
from clean_corpus_plugins.cleaners import lexmatch

OLD_SIZE = 4096


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("text_dir", type=Path)
    ap.add_argument("--chars", type=int, default=1_000_000)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args(argv)
    files = sorted(args.text_dir.glob("*.txt"))
    text = " ".join(f.read_text(encoding="utf-8").strip() for f in files)[:args.chars]
    text = " ".join(text.split())  # one line
    bits = lexmatch._starting_bits.__wrapped__
    clean(text=text[:2000])  # models and lexicons loaded before timing
    sizes = (OLD_SIZE, lexmatch._BITS_CACHE)
    times: dict[int, list[float]] = {size: [] for size in sizes}
    records: dict[int, set[str]] = {size: set() for size in sizes}
    for round_ in range(args.rounds):
        for size in sizes if round_ % 2 == 0 else sizes[::-1]:
            lexmatch._starting_bits = lru_cache(maxsize=size)(bits)
            lexmatch.words.cache_clear()
            start = time.process_time()
            outcome = clean(text=text)
            times[size].append(time.process_time() - start)
            records[size].add(repr(outcome.record))
    print(f"{len(text):,} characters on one line, {args.rounds} rounds alternated")
    for size in sizes:
        print(f"  cache of {size:>6,} texts: median {statistics.median(times[size]):.2f} s CPU")
    old, new = (statistics.median(times[size]) for size in sizes)
    same = len(records[OLD_SIZE]) == 1 and records[OLD_SIZE] == records[lexmatch._BITS_CACHE]
    print(f"  ratio {new / old:.2f}; records equal: {same}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
