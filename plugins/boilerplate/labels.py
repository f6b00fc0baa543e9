"""Block labels derived by aligning a page's blocks with its known main content.

A block is content when most of its words sit in a word n-gram that also occurs in the
reference text. N-grams are taken over the page's whole word stream, across block
boundaries, so a one-word heading followed by the paragraph it introduces is aligned
through the n-grams it shares with that paragraph, while a lone "Home" or "Share" between
menus finds no n-gram of the reference to sit in, even though the word itself may occur
there. Words are lower-cased ``\\w+`` tokens, as the benchmark's scorer counts them.

The same alignment tells the HTML extractor which page blocks trafilatura's text holds
(:class:`.html_extract.Alignment`): both count with :func:`covered_share`.
"""
from __future__ import annotations

import re
from itertools import chain, count, filterfalse

import numpy as np

TOKEN = re.compile(r"\w+")


def tokens(text: str) -> list[str]:
    """Lower-cased ``\\w+`` words, as word F1 is scored."""
    return TOKEN.findall(text.lower())


def word_ids(*groups: list[str]) -> tuple[list[tuple[np.ndarray, np.ndarray]], int]:
    """The words of each group of texts as integer ids of one shared vocabulary.

    For each group: the ids of its words in order and, for each word, the index of the
    text it came from. Also a base above every id, for :func:`ngram_codes`.
    """
    return token_ids(*(list(map(tokens, texts)) for texts in groups))


def token_ids(*groups: list[list[str]]) -> tuple[list[tuple[np.ndarray, np.ndarray]], int]:
    """:func:`word_ids` of groups already cut into their words (a list of tokens a text):
    the ids numbered in the order the words first occur, group after group."""
    vocabulary: dict[str, int] = {}
    encoded = []
    for words in groups:
        flat = list(chain.from_iterable(words))
        # the group's new words, numbered after those known, then every word looked up
        # (C-level maps: no Python step a word)
        new = list(filterfalse(vocabulary.__contains__, dict.fromkeys(flat)))
        vocabulary.update(zip(new, count(len(vocabulary))))
        ids = np.fromiter(map(vocabulary.__getitem__, flat), dtype=np.int64, count=len(flat))
        owner = np.repeat(np.arange(len(words)), list(map(len, words)))
        encoded.append((ids, owner))
    return encoded, len(vocabulary) + 1


def ngram_codes(ids: np.ndarray, n: int, base: int) -> np.ndarray:
    """One integer per word n-gram of the word ids ``ids`` (``base`` above every id)."""
    if len(ids) < n:
        return np.zeros(0, dtype=np.int64)
    codes = np.zeros(len(ids) - n + 1, dtype=np.int64)
    for k in range(n):
        codes = codes * base + ids[k:len(ids) - n + 1 + k]
    return codes


def covered_share(stream: np.ndarray, owner: np.ndarray, count: int, reference: np.ndarray,
                  n: int, base: int) -> np.ndarray:
    """For each of ``count`` blocks, the share of its words that sit in an n-gram of
    ``reference``: ``stream`` is the blocks' word ids in order, ``owner`` the block of
    each. A block without words gets 0.0; a reference shorter than ``n`` words is matched
    with n-grams of its own length."""
    m = max(1, min(n, len(reference)))
    codes = ngram_codes(stream, m, base)
    # whether each n-gram is one of the reference's: looked up among them sorted (a third
    # of np.isin's time on a page's few thousand words, which sorts both together)
    known = np.unique(ngram_codes(reference, m, base))
    if len(known):
        hit = known[np.minimum(np.searchsorted(known, codes), len(known) - 1)] == codes
    else:
        hit = np.zeros(len(codes), dtype=bool)
    covered = np.zeros(len(stream), dtype=bool)
    for k in range(m):
        covered[k:k + len(hit)] |= hit
    totals = np.bincount(owner, minlength=count)
    hits = np.bincount(owner, weights=covered, minlength=count)
    return np.divide(hits, totals, out=np.zeros(count), where=totals > 0)


def coverage(blocks: list[str], reference: str, n: int = 3) -> list[float]:
    """For each block, the share of its words covered by an n-gram of ``reference``."""
    ((stream, owner), (ref, _)), base = word_ids(blocks, [reference])
    return covered_share(stream, owner, len(blocks), ref, n, base).tolist()


def content_labels(blocks: list[str], reference: str, min_share: float = 0.5) -> list[int]:
    """1 for a block that is main content (``min_share`` of its words aligned), else 0."""
    return [int(share >= min_share) for share in coverage(blocks, reference)]
