"""The compiled character columns (``_trees.char_columns``) give the Python ones.

``features._python_char_columns`` is the specification: for the blocks of any page, each
block's count of each character class (the line break after it counted as its space),
its words and capitalised words, and whether it ends a sentence, ends with a colon,
starts with a capital and holds a URL; the same dtypes, shapes and bytes.
"""
from __future__ import annotations

import numpy as np
import pytest
from conftest import REPO, assert_used_only_when_right
from hypothesis import given, settings
from hypothesis import strategies as st
from test_compiled_counts import page_texts
from test_dom_walk import FIXTURE_PAGES

from clean_corpus_plugins.boilerplate import features
from clean_corpus_plugins.boilerplate.text_extract import text_blocks


def chars():
    assert features._chars is not None, \
        "the compiled character columns were not built or refused: a C compiler at install?"
    return features._chars


def both_ways(texts) -> tuple[np.ndarray, ...]:
    fast = features._empty_char_columns(len(texts))
    chars().char_columns(texts, *fast)
    slow = features._python_char_columns(texts)
    for a, b in zip(fast, slow):
        assert a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes(), \
            (texts, a, b)
    return fast


def test_the_compiled_columns_are_built_and_used(monkeypatch):
    texts = ["Read www.example.org now.", "Menu:", "", "über «Alles»"]
    counts, words, caps, flags = features.char_columns(texts)
    assert words.tolist() == [5, 1, 0, 2] and caps.tolist() == [1, 1, 0, 1]
    assert flags.tolist() == [[1, 0, 1, 1], [0, 1, 1, 0], [0, 0, 0, 0], [0, 0, 0, 0]]

    class Nines:  # a compiled module that finds nine words everywhere: the features read it
        @staticmethod
        def char_columns(texts, counts, words, caps, flags):
            counts[...], words[...], caps[...], flags[...] = 1, 9, 0, 0.0

    monkeypatch.setattr(features, "_chars", Nines)
    assert features.char_columns(texts)[1].tolist() == [9] * 4
    X = features.text_features(texts)
    assert X[:, features.TEXT_FEATURES.index("log_words")].tolist() == [np.log1p(9)] * 4


def test_a_module_without_the_columns_or_counting_otherwise_is_not_used(monkeypatch):
    module = chars()
    real = module.char_columns

    def one_more_word(texts, counts, words, caps, flags):
        real(texts, counts, words, caps, flags)
        words[:1] += 1

    def no_urls(texts, counts, words, caps, flags):
        real(texts, counts, words, caps, flags)
        flags[:, 3] = 0.0

    assert_used_only_when_right(monkeypatch, features._compiled_chars, module, "char_columns",
                                one_more_word, no_urls)


@pytest.mark.parametrize("page", FIXTURE_PAGES, ids=lambda p: str(p.relative_to(REPO)))
def test_the_compiled_columns_are_the_python_ones_on_the_fixture_pages(page):
    texts = page_texts(page)
    both_ways(texts)
    both_ways(tuple(texts[::2]))


def test_the_compiled_columns_are_the_python_ones_on_the_text_fixtures():
    documents = sorted((REPO / "tests" / "data" / "boilerplate" / "text").rglob("*.txt"))
    assert len(documents) >= 10
    for path in documents:
        both_ways(text_blocks(path.read_text(encoding="utf-8")))


def test_every_code_point_has_the_python_class():
    # one block a code point: every one of the BMP, and some past it (all letters)
    texts = [chr(c) for c in range(0x110000) if c < 0x10000 or c % 251 == 0]
    both_ways(texts)


# characters of every class, the ends and URLs are made of, and others
ALPHABET = (list("abcXYZ019 \t\n.,;:!?…|•·»›><«‹–—-_#@©®™=+*\"')]”’“([") + list("httpw.")
            + ["é", "É", "ß", "ǅ", "Ⅻ", "٣", "\u00a0", "\u2028", "\u3000", "\ud800",
               "\U0001f600", "\U00010400", "ﬁ", "\x00", "\x1c"])


@settings(max_examples=500, deadline=None)
@given(st.lists(st.text(st.sampled_from(ALPHABET), max_size=15), max_size=20))
def test_the_compiled_columns_are_the_python_ones_on_any_blocks(texts):
    both_ways(texts)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=12), max_size=12))
def test_the_compiled_columns_are_the_python_ones_on_any_text(texts):
    both_ways(texts)


def test_ends_starts_and_urls():
    counts, words, caps, flags = both_ways(
        ["Done.)”  ", "Done. ) ", "Wait…", "Note:", "Éclair", "hxttp ww.w", "ahttpz",
         "“Quoted.”", " lead"])
    assert flags[:, 0].tolist() == [1, 0, 1, 0, 0, 0, 0, 1, 0]
    assert flags[:, 1].tolist() == [0, 0, 0, 1, 0, 0, 0, 0, 0]
    assert flags[:, 2].tolist() == [1, 1, 1, 1, 1, 0, 0, 0, 0]
    assert flags[:, 3].tolist() == [0, 0, 0, 0, 0, 0, 1, 0, 0]


def test_bad_calls_are_refused():
    good = features._empty_char_columns(1)
    for texts, out in (([b"a"], good), ([1], good), ("a", good), (["a", "b"], good),
                       (["a"], (np.empty((1, 7), dtype=np.int64), *good[1:])),
                       (["a"], (good[0], np.empty(1), *good[2:])),
                       (["a"], (*good[:3], np.empty((1, 4), dtype=np.int64))),
                       (["a"], (*good[:3], np.empty((1, 4))[:, ::2]))):
        with pytest.raises((TypeError, ValueError, BufferError)):
            chars().char_columns(texts, *out)
