"""The compiled HTML columns against the Python ones, byte for byte, on every page of folders.

    python bench/html_columns.py [PAGES_DIR ...] [--against OLD_TREE] [--every K]

Each page (``.html``, ``.htm``, ``.html.gz``; default: ../shared/wcxb-dev/pages and
../shared/devset/html, every ``K``-th) is parsed with ``clean_corpus.htmltree.parse_html``
and cut into its DOM blocks; then

- ``html_extract.block_matrix`` with the shipped model, by the compiled columns
  (``_dom.html_columns``) and with them set aside (``html._python_html_features``): the
  sha256 of the two matrices must be equal;
- ``html_features`` alone, both ways, with no vocabulary, one repeating a word, the
  model's reversed, and on the page's blocks taken every other one (other neighbours,
  containers and runs);
- with ``--against OLD_TREE`` (another checkout, as ``classifier_against.py`` takes it),
  that checkout's ``dom_blocks`` and ``block_matrix`` on the same parse: its matrix's
  sha256 must be this one's.

Prints the pages that differ (the first way that does) and the counts, and the CPU
seconds of the two ways of computing the columns; exit 1 when a page differs or the
compiled columns are not there.
"""
from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

import numpy as np

from clean_corpus.htmltree import parse_html
from clean_corpus_plugins.boilerplate import html
from clean_corpus_plugins.boilerplate.html_extract import (MODEL_FILE, block_matrix,
                                                           vocabulary)
from clean_corpus_plugins.boilerplate.model import load_model
from dom_walks import page_files, read_page


def digest(X: np.ndarray) -> str:
    return hashlib.sha256(repr(X.shape).encode() + X.tobytes()).hexdigest()


def both_ways(blocks, words: tuple[str, ...], seconds: dict) -> str | None:
    """``html_features`` of ``blocks`` by the compiled columns and in Python: None when
    their bytes are equal, else what differs."""
    width = (len(blocks), html.html_width(words))
    start = time.process_time()
    fast = html.html_features(blocks, words, np.zeros(width))
    middle = time.process_time()
    slow = html._python_html_features(blocks, words, np.zeros(width)) if blocks \
        else np.zeros(width)
    seconds["compiled"] += middle - start
    seconds["python"] += time.process_time() - middle
    if fast.tobytes() == slow.tobytes():
        return None
    rows, cols = np.nonzero((fast != slow) & ~(np.isnan(fast) & np.isnan(slow)))
    names = html.html_feature_names(words)
    return (f"{len(rows)} values differ, first block {rows[0]} column {names[cols[0]]}: "
            f"{fast[rows[0], cols[0]]!r} against {slow[rows[0], cols[0]]!r}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folders", nargs="*", type=Path,
                    default=[Path("../shared/wcxb-dev/pages"), Path("../shared/devset/html")])
    ap.add_argument("--against", type=Path, metavar="OLD_TREE",
                    help="compare block_matrix with another checkout's, page by page")
    ap.add_argument("--every", type=int, default=1, help="every K-th page only")
    args = ap.parse_args(argv)
    if html._columns is None:
        print("the compiled columns are not there (not built, or refused by their check)")
        return 1
    model = load_model(str(MODEL_FILE))
    words = vocabulary(model.features)
    vocabularies = {"none": (), "a word twice": words[:5] + words[2:3],
                    "reversed": tuple(reversed(words))}
    old = None
    if args.against:
        from classifier_against import imported
        from html_cost import HTML_MODULES

        old = imported(args.against, HTML_MODULES)
        old_model = old["boilerplate.model"].load_model(
            str(old["boilerplate.html_extract"].MODEL_FILE))
    pages = same = same_old = blocks_seen = 0
    seconds = {"compiled": 0.0, "python": 0.0}
    for path in page_files(args.folders)[::args.every]:
        tree = parse_html(read_page(path).decode("utf-8", "replace"))
        if tree is None:
            continue
        pages += 1
        blocks = html.dom_blocks(tree)
        blocks_seen += len(blocks)
        matrix = block_matrix(blocks, model)
        compiled, html._columns = html._columns, None
        try:
            python = block_matrix(blocks, model)
        finally:
            html._columns = compiled
        differs = None if digest(matrix) == digest(python) else "block_matrix"
        for name, vocab in [("the model's", words), *vocabularies.items()]:
            differs = differs or both_ways(blocks, vocab, seconds)
            differs = differs or both_ways(blocks[::2], vocab, seconds)
            if differs and not differs.startswith("block_matrix"):
                differs = f"{name} vocabulary: {differs}"
        if differs:
            print(f"{path}: {differs}")
        else:
            same += 1
        if old is not None:
            old_blocks = old["boilerplate.html"].dom_blocks(tree)
            theirs = old["boilerplate.html_extract"].block_matrix(old_blocks, old_model)
            if digest(theirs) == digest(matrix):
                same_old += 1
            else:
                print(f"{path}: block_matrix differs from {args.against}'s")
    print(f"{same} of {pages} pages: compiled and Python columns equal, byte for byte "
          f"({blocks_seen} blocks; block_matrix, and html_features with 4 vocabularies on "
          f"all blocks and every other one); CPU seconds of html_features: compiled "
          f"{seconds['compiled']:.2f}, Python {seconds['python']:.2f}")
    if old is not None:
        print(f"{same_old} of {pages} pages: block_matrix sha256 equal to {args.against}'s")
    return 0 if same == pages and (old is None or same_old == pages) else 1


if __name__ == "__main__":
    sys.exit(main())
