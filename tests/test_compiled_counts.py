"""The compiled stop-word counts (``_trees.stop_counts``) give the Python counts.

``features._python_stop_counts`` is the specification: for the tokens of any page, each
block's tokens in the page's stop-word list (the list holding most of the page's tokens,
the first on a tie, none without a hit) and its tokens, as float64, the same bytes.
"""
from __future__ import annotations

import gzip

import numpy as np
import pytest
from conftest import REPO, assert_used_only_when_right
from hypothesis import given, settings
from hypothesis import strategies as st
from test_dom_walk import FIXTURE_PAGES

from clean_corpus.htmltree import parse_html
from clean_corpus_plugins.boilerplate import features, html
from clean_corpus_plugins.boilerplate.text_extract import text_blocks


def counts():
    assert features._counts is not None, \
        "the compiled stop-word counts were not built or refused: a C compiler at install?"
    return features._counts


def both_ways(token_lists) -> tuple[np.ndarray, np.ndarray]:
    fast = np.empty(len(token_lists)), np.empty(len(token_lists))
    counts().stop_counts(token_lists, features._stopword_lists(), len(features.stopwords()),
                         *fast)
    slow = features._python_stop_counts(token_lists)
    for a, b in zip(fast, slow):
        assert a.dtype == b.dtype and a.tobytes() == b.tobytes(), (a, b)
    return fast


def test_the_compiled_counts_are_built_and_used(monkeypatch):
    texts = ("The cat and the dog.", "Der Hund", "")  # (English: the most stop words)
    features.page_words.cache_clear()
    _, stop, n = features.stop_word_counts(texts)
    assert stop.tolist() == [3.0, 0.0, 0.0] and n.tolist() == [5.0, 2.0, 0.0]

    class Nines:  # a compiled module that counts nines: stop_word_counts gives them
        @staticmethod
        def stop_counts(token_lists, lists_of, n_lists, stop_count, n_tokens):
            stop_count[...] = n_tokens[...] = 9.0

    monkeypatch.setattr(features, "_counts", Nines)
    # (the counts of the tokens cut in Python: the compiled words, which count their own,
    # set aside)
    monkeypatch.setattr(features, "_words", None)
    features.page_words.cache_clear()
    assert features.stop_word_counts(texts)[1].tolist() == [9.0] * 3
    monkeypatch.undo()
    features.page_words.cache_clear()


def test_a_module_without_the_counts_or_counting_otherwise_is_not_used(monkeypatch):
    module = counts()
    real = module.stop_counts

    def one_more(token_lists, lists_of, n_lists, stop_count, n_tokens):
        real(token_lists, lists_of, n_lists, stop_count, n_tokens)
        stop_count[:1] += 1

    assert_used_only_when_right(monkeypatch, features._compiled_counts, module, "stop_counts",
                                one_more)


def page_texts(page) -> list[str]:
    """The texts of a fixture page's DOM blocks."""
    data = page.read_bytes()
    if page.name.endswith(".gz"):
        data = gzip.decompress(data)
    return [b.text for b in html.dom_blocks(parse_html(data.decode("utf-8", "replace")))]


@pytest.mark.parametrize("page", FIXTURE_PAGES, ids=lambda p: str(p.relative_to(REPO)))
def test_the_compiled_counts_are_the_python_ones_on_the_fixture_pages(page):
    both_ways(features.page_tokens(page_texts(page)))


def test_the_compiled_counts_are_the_python_ones_on_the_text_fixtures():
    documents = sorted((REPO / "tests" / "data" / "boilerplate" / "text").rglob("*.txt"))
    assert len(documents) >= 10
    for path in documents:
        both_ways(features.page_tokens(text_blocks(path.read_text(encoding="utf-8"))))


# tokens of several lists (some in more than one), and words of none
LISTS = features.stopwords()
WORDS = sorted({w for words in LISTS.values() for w in sorted(words)[:15]}) \
    + ["zzz", "cat", "katze", "", "THE"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.lists(st.sampled_from(WORDS), max_size=12), max_size=25))
def test_the_compiled_counts_are_the_python_ones_on_any_tokens(token_lists):
    both_ways(token_lists)


def test_a_tie_between_lists_takes_the_first_and_no_hit_counts_none():
    first, second = list(LISTS)[:2]
    a = sorted(LISTS[first] - LISTS[second])[0]
    b = sorted(LISTS[second] - LISTS[first])[0]
    stop, n = both_ways([[b, a], [a, "zzz"], [b]])
    assert stop.tolist() == [1.0, 1.0, 0.0] and n.tolist() == [2.0, 2.0, 1.0]
    stop, n = both_ways([["zzz"], []])
    assert stop.tolist() == [0.0, 0.0] and n.tolist() == [1.0, 0.0]


def test_bad_calls_are_refused():
    lists_of, n_lists = features._stopword_lists(), len(features.stopwords())
    for token_lists, out, n in (([("a",)], 1, n_lists), ([["a"]], 2, n_lists),
                                ([["a"]], 1, 0), ([["a"]], 1, 63), ((["a"],), 1, n_lists)):
        with pytest.raises((TypeError, ValueError)):
            counts().stop_counts(token_lists, lists_of, n, np.empty(out), np.empty(1))
