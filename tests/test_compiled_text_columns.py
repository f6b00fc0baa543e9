"""The compiled text columns (``_trees.text_columns``) give the Python ones.

``features._python_text_columns`` is the specification: for the blocks of any page, the
:data:`features.TEXT_FEATURES` matrix from their character columns, words and key columns
(shares, logarithms of counts, repeats, neighbours, windows, the run of prose and the
page's own columns), the same bytes.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import REPO, assert_used_only_when_right
from hypothesis import given, settings
from hypothesis import strategies as st
from test_compiled_counts import page_texts
from test_dom_walk import FIXTURE_PAGES

from clean_corpus_plugins.boilerplate import features
from clean_corpus_plugins.boilerplate.text_extract import text_blocks

COLUMN = {name: i for i, name in enumerate(features.TEXT_FEATURES)}


def module():
    assert features._columns is not None, \
        "the compiled text columns were not built or refused: a C compiler at install?"
    return features._columns


def parts_of(texts) -> tuple:
    """What the text columns are computed from, by the Python specifications."""
    counts, words, caps, flags = features._python_char_columns(texts)
    token_lists, stop_count, n_tokens, keys = features._python_page_words(texts)
    return (counts, words, caps, flags, stop_count, n_tokens,
            *features._python_key_columns(token_lists, keys, features._lexicon(),
                                          features._lexicon_first_words()))


def both_ways(texts) -> np.ndarray:
    parts = parts_of(texts)
    fast = features._compiled_text_columns(module(), *parts)
    slow = features._python_text_columns(*parts)
    assert fast.dtype == slow.dtype and fast.shape == slow.shape
    if fast.tobytes() != slow.tobytes():
        rows, cols = np.nonzero((fast != slow) & ~(np.isnan(fast) & np.isnan(slow)))
        raise AssertionError(f"{len(rows)} values differ, first block {rows[0]} column "
                             f"{features.TEXT_FEATURES[cols[0]]}: {fast[rows[0], cols[0]]!r} "
                             f"against {slow[rows[0], cols[0]]!r}")
    return fast


PROSE = "The cat and the dog sat on the mat in the sun, as they do every day."


def test_the_compiled_columns_are_built_and_used(monkeypatch):
    texts = ["Menu", PROSE, PROSE + " Again.", "Read more", "Menu"]
    X = features.text_features(texts)
    assert X.tolist() == features._python_text_columns(*parts_of(texts)).tolist()
    assert X[:, COLUMN["in_prose_run"]].tolist() == [0, 1, 1, 0, 0]
    assert X[:, COLUMN["seen_before"]].tolist() == [0, 0, 0, 0, 1]

    class Nines:  # a compiled module whose every column is nine: text_features gives it
        @staticmethod
        def text_columns(*args):
            args[-2][...] = 9.0

    monkeypatch.setattr(features, "_columns", Nines)
    X = features.text_features(texts)
    assert X[:, COLUMN["log_words"]].tolist() == [9.0] * 5
    assert X[:, COLUMN["page_mean_log_words"]].tolist() == [9.0] * 5


def test_a_module_without_the_columns_or_computing_otherwise_is_not_used(monkeypatch):
    columns = module()
    real = columns.text_columns

    def no_run(*args):
        real(*args)
        args[-2][:, COLUMN["in_prose_run"]] = 0.0

    def edges_of_zeros(*args):
        real(*args)
        X = args[-2]
        X[0, COLUMN["log_words@-1"]] = 0.0

    def log_words_rounded(*args):
        real(*args)
        X = args[-2]
        X[:, COLUMN["log_words"]] = np.round(X[:, COLUMN["log_words"]], 6)

    assert_used_only_when_right(monkeypatch, features._compiled_matrix, columns,
                                "text_columns", no_run, edges_of_zeros, log_words_rounded)


@pytest.mark.parametrize("page", FIXTURE_PAGES, ids=lambda p: str(p.relative_to(REPO)))
def test_the_compiled_columns_are_the_python_ones_on_the_fixture_pages(page):
    texts = page_texts(page)
    if texts:
        both_ways(texts)
        both_ways(texts[::3] or texts)


def test_the_compiled_columns_are_the_python_ones_on_the_text_fixtures():
    documents = sorted((REPO / "tests" / "data" / "boilerplate" / "text").rglob("*.txt"))
    assert len(documents) >= 10
    for path in documents:
        texts = text_blocks(path.read_text(encoding="utf-8"))
        if texts:
            both_ways(texts)


BLOCKS = [PROSE, PROSE[:30], "Menu", "Home | News | Sport", "Read more", "", "2024-01-05",
          "Ünïcode — «quoted»", "Wait…", "Contact us:", "see www.example.org", "ÉTÉ ß"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(BLOCKS), min_size=1, max_size=40))
def test_the_compiled_columns_are_the_python_ones_on_any_page(texts):
    both_ways(texts)


def test_counts_past_the_tables_are_their_logarithms():
    # a block of more words, characters and stop words than the log tables hold, a page of
    # more blocks, a text repeated past them: the functions' values, as in Python
    long = " ".join(["the word"] * 3000)
    texts = [long, PROSE] + ["Menu"] * (features._LOG_TABLE + 10) + [PROSE]
    X = both_ways(texts)
    assert X[0, COLUMN["log_words"]] == math.log1p(6000)
    assert X[2, COLUMN["repeats"]] == math.log(features._LOG_TABLE + 10)
    assert X[0, COLUMN["page_log_blocks"]] == math.log1p(len(texts))


def test_a_page_without_prose_and_one_of_prose_only():
    for texts in (["Menu", "Home", "Read more"], [PROSE] * 5, [PROSE], ["Menu"]):
        X = both_ways(texts)
    X = both_ways(["Menu", "Home", "Read more"])
    assert X[:, COLUMN["log_run_distance"]].tolist() == [math.log1p(3)] * 3


def test_bad_calls_are_refused():
    parts = list(parts_of([PROSE, "Menu"]))
    X = np.empty((2, len(features.TEXT_FEATURES)))
    for k, bad in ((1, np.zeros(3, dtype=np.int64)), (0, np.zeros((2, 7), dtype=np.int64)),
                   (8, np.array([0, 2])), (8, np.array([-1, 0])), (4, np.zeros(2, dtype=int)),
                   (9, np.empty((2, 59)))):
        wrong = parts + [X]
        wrong[k] = bad
        with pytest.raises((TypeError, ValueError)):
            module().text_columns(*wrong, features._TEXT_CONFIG)
    with pytest.raises((TypeError, ValueError)):
        module().text_columns(*parts, X, (np.zeros(3, dtype=np.int64), math.log1p,
                                          np.zeros(3), math.log))
