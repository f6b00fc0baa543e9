"""The compiled HTML columns against the Python ones, byte for byte, on every page of folders.

    python bench/html_columns.py [PAGES_DIR ...] [--against OLD_TREE] [--every K]
                                 [--text TEXT_DIR ...]

Each page (``.html``, ``.htm``, ``.html.gz``; default: ../shared/wcxb-dev/pages and
../shared/devset/html, every ``K``-th) is parsed with ``clean_corpus.htmltree.parse_html``
and cut into its DOM blocks; then

- ``html_extract.block_matrix`` with the shipped model, by the compiled columns
  (``_dom.html_columns``) and with them set aside (``html._python_html_features``): the
  sha256 of the two matrices must be equal;
- ``html_features`` alone, both ways, with no vocabulary, one repeating a word, the
  model's reversed, and on the page's blocks taken every other one (other neighbours,
  containers and runs);
- the stop-word counts of the blocks' texts, by the compiled counts
  (``_trees.stop_counts``) and ``features._python_stop_counts``, their character counts
  and flags (``features.char_columns``), by ``_trees.char_columns`` and
  ``features._python_char_columns``, their words (``features.page_words``), by
  ``_trees.page_words`` and ``features._python_page_words``, and their key columns
  (lexicon phrases, repeats), by ``_trees.key_columns`` and
  ``features._python_key_columns``; with
  ``--text``, both of the blocks of the text documents (``.txt``) of the folders too,
  cut as the text classifier cuts them (``text_extract.text_blocks``), and with
  ``--against`` their text features and the text classifier's P(content) against that
  checkout's (sha256);
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
from clean_corpus_plugins.boilerplate import features, html
from clean_corpus_plugins.boilerplate.compiled import same_arrays
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


def counts_differ(texts: list[str]) -> bool:
    """Whether the compiled stop-word counts, character columns, words or key columns of
    ``texts`` differ from the Python ones."""
    tokens = features.page_tokens(texts)
    fast = np.empty(len(texts)), np.empty(len(texts))
    features._counts.stop_counts(tokens, features._stopword_lists(),
                                 len(features.stopwords()), *fast)
    chars = features.char_columns(texts)
    slow = features._python_page_words(texts)
    words = features._compiled_page_words(features._words, texts)
    lexicon, firsts = features._lexicon(), features._lexicon_first_words()
    keyed = features._compiled_key_columns(features._keys, slow[0], slow[3], lexicon, firsts)
    return not (same_arrays(fast, features._python_stop_counts(tokens))
                and same_arrays(chars, features._python_char_columns(texts))
                and (words is None or (words[0] == slow[0] and words[3] == slow[3]
                                       and same_arrays(words[1:3], slow[1:3])))
                and same_arrays(keyed, features._python_key_columns(slow[0], slow[3], lexicon,
                                                                    firsts)))


def text_counts(folders: list[Path], old: dict | None) -> tuple[int, int, int]:
    """Text documents whose blocks' compiled stop-word counts are the Python ones, those
    whose text features and P(content) are ``old``'s (the modules of another checkout),
    and all."""
    from clean_corpus_plugins.boilerplate import model as model_module
    from clean_corpus_plugins.boilerplate.text_extract import TEXT_MODEL, text_blocks

    text_model = model_module.load_model(str(TEXT_MODEL))
    if old is not None:
        old_model = old["boilerplate.model"].load_model(
            str(old["boilerplate.text_extract"].TEXT_MODEL))
    same = same_old = documents = 0
    for folder in folders:
        for path in sorted(folder.glob("*.txt")):
            documents += 1
            blocks = text_blocks(path.read_text(encoding="utf-8"))
            if counts_differ(blocks):
                print(f"{path}: stop-word counts, character columns, words or key columns differ")
            else:
                same += 1
            if old is not None and blocks:
                ours = features.text_features(blocks)
                theirs = old["boilerplate.features"].text_features(blocks)
                if digest(ours) == digest(theirs) and \
                        digest(text_model.predict_texts(blocks, ours)) == \
                        digest(old_model.predict_texts(blocks, theirs)):
                    same_old += 1
                else:
                    print(f"{path}: text features or P(content) differ from the other "
                          f"checkout's")
            elif old is not None:
                same_old += 1
    return same, same_old, documents


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folders", nargs="*", type=Path,
                    default=[Path("../shared/wcxb-dev/pages"), Path("../shared/devset/html")])
    ap.add_argument("--against", type=Path, metavar="OLD_TREE",
                    help="compare block_matrix with another checkout's, page by page")
    ap.add_argument("--every", type=int, default=1, help="every K-th page only")
    ap.add_argument("--text", nargs="*", type=Path, default=[], metavar="TEXT_DIR",
                    help="compare the stop-word counts of these text documents' blocks too")
    args = ap.parse_args(argv)
    if html._columns is None or features._counts is None or features._chars is None \
            or features._words is None or features._keys is None:
        print("the compiled columns or counts are not there (not built, or refused by "
              "their check)")
        return 1
    model = load_model(str(MODEL_FILE))
    words = vocabulary(model.features)
    vocabularies = {"none": (), "a word twice": words[:5] + words[2:3],
                    "reversed": tuple(reversed(words))}
    old = None
    if args.against:
        from classifier_against import imported
        from html_cost import HTML_MODULES

        old = imported(args.against, HTML_MODULES + ("boilerplate.text_extract",))
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
        if counts_differ([b.text for b in blocks]):
            differs = differs or "stop-word counts, character columns, words or key columns"
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
          f"({blocks_seen} blocks; block_matrix, html_features with 4 vocabularies on "
          f"all blocks and every other one, stop-word counts, character columns, words, "
          f"key columns); CPU "
          f"seconds of "
          f"html_features: compiled "
          f"{seconds['compiled']:.2f}, Python {seconds['python']:.2f}")
    if old is not None:
        print(f"{same_old} of {pages} pages: block_matrix sha256 equal to {args.against}'s")
    same_text, same_text_old, documents = text_counts(args.text, old)
    if args.text:
        print(f"{same_text} of {documents} text documents: compiled and Python stop-word "
              f"counts, character columns, words and key columns equal")
    if args.text and old is not None:
        print(f"{same_text_old} of {documents} text documents: text features and "
              f"P(content) sha256 equal to {args.against}'s")
    return 0 if same == pages and (old is None or same_old == pages) \
        and same_text == documents and (old is None or same_text_old == documents) else 1


if __name__ == "__main__":
    sys.exit(main())
