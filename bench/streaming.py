"""What does ``corpus_ready`` cost per document when a crawl calls it after every page?

Usage::

    python bench/streaming.py [--sizes 100,1000,5000] [--words W] [--sites S]

For each size N, generates N documents (as ``bench/detector_memory.py`` does: random words,
a few boilerplate lines per site), runs the corpus-level detectors' ``detect`` on them,
then streams them as ``clean_corpus.crawl`` does: ``observe``, ``corpus_ready``,
``revise`` per document. Prints the mean time of one ``corpus_ready`` (all three detectors)
over the last 100 documents of the stream, i.e. with N - 100 to N documents seen. If the
detectors were not incremental, that figure would grow with N (each call rebuilding every
decision); incremental, it stays about flat.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from clean_corpus.config import Config  # noqa: E402
from detector_memory import DETECTORS, make_documents  # noqa: E402


def stream(count: int, words: int, sites: int, tail: int = 100) -> float:
    """Mean seconds of one corpus_ready over the last ``tail`` documents of a stream."""
    docs = make_documents(count, words, sites)
    config = Config(load_entry_points=False)
    plugins = []
    for cls in DETECTORS:
        plugin = cls()
        plugin.configure(config=config)
        plugin.run_start(run=None)
        plugins.append(plugin)
    for doc in docs:
        for plugin in plugins:
            if hasattr(plugin, "detect"):
                plugin.detect(document=doc)
    spent = 0.0
    for number, doc in enumerate(docs):
        for plugin in plugins:
            plugin.observe(document=doc)
        started = time.perf_counter()
        for plugin in plugins:
            plugin.corpus_ready(run=None)
        if number >= count - tail:
            spent += time.perf_counter() - started
        for plugin in plugins:
            plugin.revise(document=doc)
    return spent / min(tail, count)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,5000")
    parser.add_argument("--words", type=int, default=300)
    parser.add_argument("--sites", type=int, default=10)
    args = parser.parse_args(argv)
    print(f"documents of about {args.words} words, {args.sites} sites; corpus_ready after "
          "every document\n")
    print("| documents streamed | corpus_ready per document (mean of the last 100) |")
    print("|---:|---:|")
    for size in (int(s) for s in args.sizes.split(",")):
        print(f"| {size:,} | {stream(size, args.words, args.sites) * 1000:.2f} ms |",
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
