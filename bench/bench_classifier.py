"""What the boilerplate classifier costs per page: features, both model stages, segmentation.

    python bench/bench_classifier.py TEXT_DIR [--pages 200] [--model MODEL.json] [--chain-cuts]

TEXT_DIR holds pages as scrapers leave them (``tools/scraped_text.py`` output, any form).
For each page: the time to make its blocks (lines, long lines cut), to compute the block
features (the blocks' tokens included: their cache is emptied before each run), and to
run the model (for a model with a vocabulary its lookups included, and also shown
alone; and again with the numpy tree walk, which runs where the compiled one was not
built); medians and 90th percentiles in milliseconds per page, best of three runs per
page (the machine may be shared: compare the columns of one run). Blocks are cut as
training cuts them; with ``--chain-cuts``, as the chain's extraction does (a long line also
cut before the boilerplate labels inside it and where the boundary model finds two blocks
met: on pages scraped onto one line, more and shorter blocks for the classifier).
"""
from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from clean_corpus_plugins.boilerplate.features import page_words, text_features
from clean_corpus_plugins.boilerplate import model as trees_module
from clean_corpus_plugins.boilerplate.model import load_model
from clean_corpus_plugins.boilerplate.boundaries import BOUNDARY_MODEL, load_boundaries
from clean_corpus_plugins.boilerplate.text_extract import (TEXT_MODEL, _joined, block_pieces,
                                                           text_blocks)


def chain_blocks(text: str) -> list[str]:
    """A text's blocks as the chain's extraction cuts them."""
    lines, blocks = block_pieces(text, labels=True,
                                 boundaries=load_boundaries(str(BOUNDARY_MODEL)))
    return [_joined(lines, pieces) for pieces in blocks]


def best_of(fn, repeat=3):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times) * 1000, result


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("text_dir", type=Path)
    ap.add_argument("--pages", type=int, default=200)
    ap.add_argument("--model", type=Path, default=TEXT_MODEL)
    ap.add_argument("--chain-cuts", action="store_true",
                    help="cut long lines as the chain does (labels, boundary model)")
    args = ap.parse_args(argv)
    model = load_model(str(args.model))
    compiled = trees_module._trees
    cut = chain_blocks if args.chain_cuts else text_blocks
    text_features(["warm up", "the tables"])
    rows = []
    for path in sorted(args.text_dir.glob("*.txt"))[: args.pages]:
        text = path.read_text(encoding="utf-8")
        t_blocks, blocks = best_of(lambda: cut(text))
        def features():
            page_words.cache_clear()  # the tokens are this page's cost
            return text_features(blocks)

        t_features, X = best_of(features)
        t_model, _ = best_of(lambda: model.predict_texts(blocks, X))
        t_numpy = 0.0
        if compiled:  # the same model with the numpy walk, a machine without a C compiler's
            trees_module._trees = None
            t_numpy, _ = best_of(lambda: model.predict_texts(blocks, X))
            trees_module._trees = compiled
        t_vocab = best_of(lambda: model.vocabulary.columns(blocks))[0] if model.vocabulary \
            else 0.0
        rows.append((len(blocks), t_blocks, t_features, t_model, t_vocab, t_numpy))

    def stat(i):
        values = sorted(r[i] for r in rows)
        return f"{statistics.median(values):6.2f} {values[int(0.9 * (len(values) - 1))]:6.2f}"

    print(f"{len(rows)} pages from {args.text_dir}, median {statistics.median(r[0] for r in rows):.0f} "
          f"blocks per page; ms per page (median, p90):")
    print(f"  blocks (lines, cutting)  {stat(1)}")
    print(f"  features                 {stat(2)}")
    print(f"  model (both stages)      {stat(3)}")
    if model.vocabulary:
        print(f"  of which vocabulary      {stat(4)}")
    if compiled:
        print(f"  model, numpy walk        {stat(5)}")
    else:
        print("  (the compiled tree walk is not built: the model's row is the numpy walk)")
    total = sorted(r[2] + r[3] for r in rows)
    print(f"  classifier (features + model) median {statistics.median(total):.2f} ms, "
          f"p90 {total[int(0.9 * (len(total) - 1))]:.2f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
