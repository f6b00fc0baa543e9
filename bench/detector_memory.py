"""How much memory do the corpus-level detectors keep per document?

Usage::

    python bench/detector_memory.py [--docs N] [--words W] [--sites S]

Generates N documents of about W words (random words, so that no two documents share
shingles by chance; a few boilerplate lines per site, S sites), runs each corpus-level
detector's ``detect`` on them, then measures with ``tracemalloc``:

- ``observed/doc``: bytes the plugin holds after ``observe`` has seen every document,
  divided by N (a run over files: one ``corpus_ready`` comes after all of them);
- ``indexed/doc``: bytes it holds once ``corpus_ready`` has taken them into its index,
  which is what a crawl holds (``corpus_ready`` after every page) and what grows with it;
- ``ready peak/doc``: the peak while ``corpus_ready`` builds its index, above the
  observed state, per document (transient);
- the extrapolation to a million documents.

Documents themselves are not counted: between the two passes they are spilled to disk.
"""
from __future__ import annotations

import argparse
import gc
import random
import sys
import tracemalloc

from clean_corpus.config import Config
from clean_corpus.document import Block, Document
from clean_corpus_plugins.detectors.duplicates import Duplicates
from clean_corpus_plugins.detectors.site_boilerplate import SiteBoilerplate
from clean_corpus_plugins.detectors.text_reuse import TextReuse

DETECTORS = (Duplicates, TextReuse, SiteBoilerplate)


def make_documents(count: int, words: int, sites: int, seed: int = 7) -> list[Document]:
    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyzéèàç"
    vocabulary = ["".join(rng.choice(letters) for _ in range(rng.randint(2, 10)))
                  for _ in range(50_000)]
    boiler = {s: [f"Site {s} footer line {k}: all rights reserved, subscribe now."
                  for k in range(4)] for s in range(sites)}
    docs = []
    for number in range(count):
        site = number % sites
        size = max(50, int(rng.lognormvariate(0, 0.5) * words))
        text = [rng.choice(vocabulary) for _ in range(size)]
        blocks = [Block(" ".join(text[i:i + 60]) + ".") for i in range(0, size, 60)]
        blocks += [Block(line, "line") for line in boiler[site]]
        doc = Document(source=f"/corpus/site{site}/doc{number}.txt", text="",
                       site=f"site{site}.example")
        doc.blocks = blocks
        docs.append(doc)
    return docs


def measure(cls, docs: list[Document]) -> dict:
    plugin = cls()
    plugin.configure(config=Config())
    plugin.run_start(run=None)
    for doc in docs:
        doc.signatures.clear()
        if hasattr(plugin, "detect"):
            plugin.detect(document=doc)
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    for doc in docs:
        plugin.observe(document=doc)
    for doc in docs:  # the index number observe leaves on the document is not state
        doc.signatures.clear()
    gc.collect()
    state = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.reset_peak()
    plugin.corpus_ready(run=None)
    gc.collect()
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"state": state, "ready_peak": peak - before - state, "indexed": current - before}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=5000)
    parser.add_argument("--words", type=int, default=600)
    parser.add_argument("--sites", type=int, default=50)
    args = parser.parse_args(argv)
    docs = make_documents(args.docs, args.words, args.sites)
    mean_words = sum(len(" ".join(b.text for b in d.blocks).split()) for d in docs) / len(docs)
    print(f"{args.docs} documents, {mean_words:.0f} words on average, {args.sites} sites\n")
    print("| detector | observed/doc (B) | indexed/doc (B) | 1M docs: indexed | "
          "corpus_ready peak/doc (B) | 1M docs: peak |")
    print("|---|---:|---:|---:|---:|---:|")
    total_state = total_indexed = total_peak = 0.0
    mib = 1e6 / 2**20
    for cls in DETECTORS:
        found = measure(cls, docs)
        state, peak = found["state"] / len(docs), found["ready_peak"] / len(docs)
        indexed = found["indexed"] / len(docs)
        total_state += state
        total_indexed += indexed
        total_peak = max(total_peak, peak)
        print(f"| {cls.name} | {state:,.0f} | {indexed:,.0f} | {indexed * mib:,.0f} MiB | "
              f"{peak:,.0f} | {peak * mib:,.0f} MiB |")
    print(f"| all three | {total_state:,.0f} | {total_indexed:,.0f} | "
          f"{total_indexed * mib:,.0f} MiB | (one at a time) {total_peak:,.0f} | "
          f"{total_peak * mib:,.0f} MiB |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
