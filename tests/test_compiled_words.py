"""The compiled words of a page (``_trees.page_words``) and their key columns
(``_trees.key_columns``) give the Python ones.

``features._python_page_words`` is the specification of the first: for the blocks of any
page, each block's lower-cased tokens (``features.page_tokens``), its stop words and tokens
counted (``features._python_stop_counts``), and its key (the tokens joined by spaces); the
compiled pass gives them, or refuses a page holding a character that may change case,
which ``features.page_words`` then lowers first. ``features._python_key_columns`` is the
specification of the second: each block's lexicon columns and the first block with its key.
"""
from __future__ import annotations

import sys

import numpy as np
import pytest
from conftest import REPO, assert_used_only_when_right
from hypothesis import given, settings
from hypothesis import strategies as st
from test_compiled_counts import page_texts
from test_dom_walk import FIXTURE_PAGES

from clean_corpus_plugins.boilerplate import features
from clean_corpus_plugins.boilerplate.text_extract import text_blocks


def module():
    assert features._words is not None and features._keys is not None, \
        "the compiled words were not built or refused: a C compiler at install?"
    return features._words


def same_words(fast, slow) -> None:
    assert fast[0] == slow[0] and fast[3] == slow[3], (fast, slow)
    for a, b in zip(fast[1:3], slow[1:3]):
        assert a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def both_ways(texts) -> bool:
    """Whether the compiled pass cut ``texts`` (lowered first where it must be); its words,
    when it did, and page_words' in any case, are the specification's."""
    slow = features._python_page_words(texts)
    fast = features._compiled_page_words(module(), texts)
    if fast is not None:
        same_words(fast, slow)
    features.page_words.cache_clear()
    same_words(features.page_words(tuple(texts)), slow)
    return fast is not None


def refused(texts) -> bool:
    """Whether the compiled pass, called once, refuses ``texts``."""
    out = np.empty(len(texts)), np.empty(len(texts))
    return module().page_words(texts, features._stopword_lists(), len(features.stopwords()),
                               *out) is None


def test_the_compiled_words_are_built_and_used(monkeypatch):
    texts = ("The cat and the dog.", "Der Hund", "", "naïve — café")
    features.page_words.cache_clear()
    tokens, stop, n, keys = features.page_words(texts)
    assert tokens == [["the", "cat", "and", "the", "dog"], ["der", "hund"], [],
                      ["naïve", "café"]]
    assert keys == ["the cat and the dog", "der hund", "", "naïve café"]
    assert stop.tolist() == [3.0, 0.0, 0.0, 0.0] and n.tolist() == [5.0, 2.0, 0.0, 2.0]

    class Nines:  # a compiled module whose every block is "nine": page_words gives it
        @staticmethod
        def page_words(texts, lists_of, n_lists, stop_count, n_tokens):
            stop_count[...] = n_tokens[...] = 1.0
            return [["nine"] for _ in texts], ["nine" for _ in texts]

    monkeypatch.setattr(features, "_words", Nines)
    features.page_words.cache_clear()
    assert features.page_words(texts)[3] == ["nine"] * 4
    assert features.token_keys(texts) == ["nine"] * 4
    assert features.stop_word_counts(texts)[0] == [["nine"]] * 4
    monkeypatch.undo()
    features.page_words.cache_clear()


def test_a_module_without_the_words_or_cutting_otherwise_is_not_used(monkeypatch):
    words = module()
    real = words.page_words

    def one_more_stop_word(texts, lists_of, n_lists, stop_count, n_tokens):
        made = real(texts, lists_of, n_lists, stop_count, n_tokens)
        stop_count[:1] += 1
        return made

    def no_refusal(texts, lists_of, n_lists, stop_count, n_tokens):
        # cuts the page with its capitals as they are: a page holding one gives other words
        return real(["".join(c if c.isascii() else "x" for c in t) for t in texts], lists_of,
                    n_lists, stop_count, n_tokens) or ([], [])

    def keys_of_other_words(texts, lists_of, n_lists, stop_count, n_tokens):
        made = real(texts, lists_of, n_lists, stop_count, n_tokens)
        return made and (made[0], [k.upper() for k in made[1]])

    assert_used_only_when_right(monkeypatch, features._compiled_words, words, "page_words",
                                one_more_stop_word, no_refusal, keys_of_other_words)


def test_a_module_without_the_key_columns_or_reading_otherwise_is_not_used(monkeypatch):
    keys = module()
    real = keys.key_columns

    def no_prefix(token_lists, key_list, lexicon, firsts, max_words, line, prefix, ids):
        left = real(token_lists, key_list, lexicon, firsts, max_words, line, prefix, ids)
        prefix[...] = 0.0
        return left

    def none_left(token_lists, key_list, lexicon, firsts, max_words, line, prefix, ids):
        # the blocks whose keys are not ASCII read as no phrase
        left = real(token_lists, key_list, lexicon, firsts, max_words, line, prefix, ids)
        line[left] = prefix[left] = 0.0
        return []

    def each_its_own(token_lists, key_list, lexicon, firsts, max_words, line, prefix, ids):
        left = real(token_lists, key_list, lexicon, firsts, max_words, line, prefix, ids)
        ids[...] = np.arange(len(ids))
        return left

    assert_used_only_when_right(monkeypatch, features._compiled_keys, keys, "key_columns",
                                no_prefix, none_left, each_its_own)


@pytest.mark.parametrize("page", FIXTURE_PAGES, ids=lambda p: str(p.relative_to(REPO)))
def test_the_compiled_words_are_the_python_ones_on_the_fixture_pages(page):
    texts = page_texts(page)
    both_ways(texts)
    both_ways(tuple(texts[::2]))
    key_columns_both_ways(texts)


def test_the_compiled_words_are_the_python_ones_on_the_text_fixtures():
    documents = sorted((REPO / "tests" / "data" / "boilerplate" / "text").rglob("*.txt"))
    assert len(documents) >= 10
    for path in documents:
        texts = text_blocks(path.read_text(encoding="utf-8"))
        both_ways(texts)
        key_columns_both_ways(texts)


def test_a_page_whose_characters_change_case_is_cut_lower_cased():
    # a capital of a non-ASCII letter, final and other sigmas, a dotted capital I (two
    # characters lower-cased), a title-case letter, a Roman numeral: the compiled pass
    # refuses each page as it is, and cuts it lower-cased as page_tokens does
    for texts in (["Über den Fluß", "ÉTÉ"], ["ΟΔΟΣ ΣΑΣ.", "σας"], ["İstanbul"], ["ǅemal"],
                  ["Chapter Ⅻ"]):
        assert refused(texts)
        assert both_ways(texts)
    # a block holding a line break: cut block by block in Python, lowered or not
    assert not both_ways(["Éa\nb", "c"])
    assert both_ways(["éa\nB", "c"])


def test_every_character_that_changes_case_is_refused_and_the_others_cut_alike():
    changes = [c for c in range(128, sys.maxunicode + 1) if chr(c).lower() != chr(c)]
    assert len(changes) > 1000
    assert all(refused([chr(c)]) for c in changes)
    # no word character is white space (page_tokens splits at white space, the compiled
    # pass at what is no word character)
    assert not [c for c in range(sys.maxunicode + 1) if chr(c).isalnum() and chr(c).isspace()]
    kept = [c for c in range(128, sys.maxunicode + 1) if not refused([chr(c)])]
    assert len(kept) > 1_000_000
    for at in range(0, len(kept), 50_000):
        texts = ["a" + "".join(chr(c) + "b" + chr(c) for c in kept[k:k + 100]) + " Z_1"
                 for k in range(at, min(at + 50_000, len(kept)), 100)]
        assert both_ways(texts)


ALPHABET = list("aZ_9 .,'-\n\t") + ["é", "É", "ß", "Σ", "σ", "İ", "ǅ", "Ⅻ", "٣", "²", "\u00a0",
                                      "\u2019", "\u0301", "\ud800", "\U0001f600", "\U00010400",
                                      "\u3000", "中"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.text(alphabet=ALPHABET, max_size=30), max_size=12))
def test_the_compiled_words_are_the_python_ones_on_any_text(texts):
    both_ways(texts)


def key_columns_both_ways(texts, lexicon=None, firsts=None) -> None:
    token_lists = features.page_tokens(texts)
    keys = list(map(" ".join, token_lists))
    lexicon = features._lexicon() if lexicon is None else lexicon
    firsts = features._lexicon_first_words() if firsts is None else firsts
    fast = features._compiled_key_columns(module(), token_lists, keys, lexicon, firsts)
    slow = features._python_key_columns(token_lists, keys, lexicon, firsts)
    for a, b in zip(fast, slow):
        assert a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes(), \
            (texts, a, b)


PHRASES = sorted(features._lexicon())
PHRASE_PARTS = sorted({w for p in PHRASES[::7] for w in p.split()}) + ["À", "Propos", "zzz"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(PHRASES),
                          st.lists(st.sampled_from(PHRASE_PARTS), max_size=14).map(" ".join)),
                max_size=20))
def test_the_compiled_key_columns_are_the_python_ones_on_lexicon_phrases(texts):
    key_columns_both_ways(texts)


def test_the_key_columns_find_phrases_and_repeats():
    texts = ["Read more", "Read more about it", "Share", "À propos", "read more", "x " * 13]
    lexicon = frozenset({"read more", "share", "a propos", "x"})
    firsts = frozenset({"read", "share", "a", "x"})
    key_columns_both_ways(texts, lexicon, firsts)
    token_lists = features.page_tokens(texts)
    keys = list(map(" ".join, token_lists))
    line, prefix, ids = features._compiled_key_columns(module(), token_lists, keys, lexicon,
                                                       firsts)
    assert line.tolist() == [1, 0, 1, 1, 1, 0] and prefix.tolist() == [1, 1, 1, 1, 1, 1]
    assert ids.tolist() == [0, 1, 2, 3, 0, 5]


def test_bad_calls_are_refused():
    lists_of, n_lists = features._stopword_lists(), len(features.stopwords())
    for texts, out, n in (([1], 1, n_lists), (["a", "b"], 1, n_lists), ("a", 1, n_lists),
                          (["a"], 1, 0), (["a"], 1, 63)):
        with pytest.raises((TypeError, ValueError)):
            module().page_words(texts, lists_of, n, np.empty(out), np.empty(1))
    lexicon = frozenset({"a"})
    good = [np.empty(1), np.empty(1), np.empty(1, dtype=np.int64)]
    for token_lists, keys, arrays in (([["a"]], ["a", "b"], good), ([("a",)], ["a"], good),
                                      ([[1]], ["a"], good), ([["a"]], [b"a"], good),
                                      ([["a"]], ["a"], [np.empty(1)] * 3),
                                      ([["a"]], ["a"], [np.empty(2), *good[1:]])):
        with pytest.raises((TypeError, ValueError)):
            module().key_columns(token_lists, keys, lexicon, lexicon, 12, *arrays)
