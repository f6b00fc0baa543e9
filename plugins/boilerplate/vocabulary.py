"""Learned vocabulary of the text classifier: how often a word, or a whole short line, is
in main content rather than boilerplate, over the training pages of many sites.

Shape and stop words do not tell that a line "Share", "Reply", "Add to cart" or "All rights
reserved" is boilerplate wherever it stands. A :class:`Vocabulary` holds the log-odds of
content against boilerplate of every word (lower-cased, digits folded to ``0``) and of
every short line that the training pages show on at least ``min_sites`` distinct sites
(chosen by site counts, never by labels, so that what it knows carries to other sites),
and gives each block the :data:`VOCAB_FEATURES` columns: the mean log-odds of its known
words, the lowest and highest of them (0 when none is known), the share of its words that
are known, the log-odds of the whole line, and the mean of the neighbouring blocks. A
block counts each of its distinct words once (block-weighted), and the counts are
smoothed towards the training pages' base rate.

The words learned are those of the training pages' languages: on a page whose words the
table mostly does not know (:data:`MIN_COVERAGE`), content would look like boilerplate
for want of known content words, so such a page is rated by a model without vocabulary
(the model file's fallback).

The table ships inside the model file (``"vocabulary"``), so a model stays self-contained;
looking a page up is one dictionary lookup per word.
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from itertools import chain, repeat

import numpy as np

from clean_corpus_plugins.boilerplate.features import shifted, stop_word_counts, token_keys

#: Lines of at most this many words are looked up whole.
LINE_WORDS = 6
#: A word or line must occur on this many distinct training sites to enter the table.
MIN_SITES = 8
#: Pseudo-count of blocks pulling a rare word's log-odds towards 0 (the base rate).
SMOOTHING = 10.0
_DIGITS = bytes.maketrans(b"123456789", b"000000000")


def _fold_digits(text: str) -> str:
    """``text`` with every ASCII digit made ``0``: translated as UTF-8 bytes, where no
    byte of another character is an ASCII digit (half a regular expression's cost; a lone
    surrogate passes through as its own three bytes)."""
    return text.encode("utf-8", "surrogatepass").translate(_DIGITS) \
        .decode("utf-8", "surrogatepass")

#: A page whose words the table knows less than this share of is in a language (or of a
#: kind) the training pages did not teach it: the model without vocabulary rates it. Since
#: the devset's pages train the table too, a page it knows more than half of (most German
#: pages) is rated better with its words than without; at 0.5 French shop pages went to
#: the words and lost (docs/classifier-experiments.md).
MIN_COVERAGE = 0.55

VOCAB_FEATURES: tuple[str, ...] = (
    "vocab_mean", "vocab_min", "vocab_max", "vocab_share", "line_odds", "line_known",
    "vocab_mean@-1", "vocab_mean@+1",
)


def block_keys(token_lists: list[list[str]], keys: list[str] | None = None,
               ) -> tuple[list[str], np.ndarray, list[str | None]]:
    """Every block's words (digits folded) flattened in page order, how many each block
    has, and each short block's whole-line key (None for a longer one). ``keys``: the
    blocks' tokens joined by spaces, when already made."""
    lengths = np.fromiter(map(len, token_lists), dtype=np.int64, count=len(token_lists))
    if keys is None:
        keys = list(map(" ".join, token_lists))
    # the blocks' keys, a line each, folded at once
    folded = _fold_digits("\n".join(keys)).split("\n")
    lines = [key if 0 < n <= LINE_WORDS else None for key, n in zip(folded, lengths.tolist())]
    # a block without digits keeps its tokens: no new strings, and their hashes are known
    # from the stop-word lookup (a fresh string's hash costs as much as its lookup)
    words = [toks if key == fold else fold.split()
             for toks, key, fold in zip(token_lists, keys, folded)]
    return list(chain.from_iterable(words)), lengths, lines


def page_keys(texts: list[str]) -> tuple[list[str], np.ndarray, list[str | None]]:
    """:func:`block_keys` of a page's blocks (tokens as the text features cut them)."""
    page = tuple(texts)
    return block_keys(stop_word_counts(page)[0], token_keys(page))


@dataclass
class Vocabulary:
    """Log-odds of content of words and of whole short lines."""

    words: dict[str, float]
    lines: dict[str, float]
    min_sites: int = MIN_SITES
    min_coverage: float = MIN_COVERAGE

    @classmethod
    def from_dict(cls, data: dict) -> "Vocabulary":
        return cls(dict(data["words"]), dict(data["lines"]), int(data["min_sites"]),
                   float(data["min_coverage"]))

    def as_dict(self) -> dict:
        return {"min_sites": self.min_sites, "min_coverage": self.min_coverage,
                "words": self.words, "lines": self.lines}

    def columns(self, texts: list[str]) -> np.ndarray:
        """The :data:`VOCAB_FEATURES` columns of a page's blocks."""
        return self.columns_of(*page_keys(texts))

    def odds(self, flat: list[str]) -> np.ndarray:
        """The log-odds of each word of ``flat``, NaN for a word the table does not know."""
        return np.fromiter(map(self.words.get, flat, repeat(np.nan)), dtype=np.float64,
                           count=len(flat))

    @staticmethod
    def coverage(odds: np.ndarray) -> float:
        """The share of a page's words (their :meth:`odds`) the table knows."""
        return float(np.count_nonzero(~np.isnan(odds))) / len(odds) if len(odds) else 0.0

    def columns_of(self, flat: list[str], lengths: np.ndarray, lines: list[str | None],
                   odds: np.ndarray | None = None) -> np.ndarray:
        """The columns of a page given as its :func:`page_keys` (and the words' odds)."""
        n = len(lengths)
        if n == 0:
            return np.zeros((0, len(VOCAB_FEATURES)))
        if odds is None:
            odds = self.odds(flat)
        known = ~np.isnan(odds)
        owner = np.repeat(np.arange(n), lengths)
        hits = np.bincount(owner, weights=known, minlength=n)
        values = np.where(known, odds, 0.0)
        mean = np.bincount(owner, weights=values, minlength=n) / np.maximum(1.0, hits)
        # lowest and highest known word of each block: the blocks' words are contiguous
        low, high = np.zeros(n), np.zeros(n)
        words = np.flatnonzero(lengths)
        if len(words):
            starts = (np.cumsum(lengths) - lengths)[words]
            low[words] = np.minimum.reduceat(np.where(known, odds, np.inf), starts)
            high[words] = np.maximum.reduceat(np.where(known, odds, -np.inf), starts)
            low[hits == 0] = high[hits == 0] = 0.0
        share = hits / np.maximum(1, lengths)
        # (None, a long block's, is no key of the table)
        line_odds = np.fromiter(map(self.lines.get, lines, repeat(np.nan)), dtype=np.float64,
                                count=n)
        line_known = ~np.isnan(line_odds)
        return np.column_stack((mean, low, high, share, np.where(line_known, line_odds, 0.0),
                                line_known.astype(np.float64),
                                shifted(mean, -1, 0.0), shifted(mean, 1, 0.0)))


class Counts:
    """Block counts of words and short lines, content and boilerplate, and the sites
    each is seen on, added page by page; tables are made from sums of them."""

    def __init__(self) -> None:
        self.words: dict[str, list] = defaultdict(lambda: [0, 0, set()])
        self.lines: dict[str, list] = defaultdict(lambda: [0, 0, set()])
        self.blocks = [0, 0]
        #: blocks added (their weights sum to ``sum(blocks)``)
        self.rows = 0

    def add(self, site: str, keys, labels: np.ndarray,
            weights: np.ndarray | None = None) -> None:
        """Count a page's blocks, each once (or ``weights``: as that many)."""
        flat, lengths, lines = keys
        at = 0
        weights = repeat(1) if weights is None else weights.tolist()
        for n, line, label, weight in zip(lengths.tolist(), lines, labels.tolist(), weights):
            label = int(label)
            self.blocks[label] += weight
            self.rows += 1
            for word in set(flat[at:at + n]):
                entry = self.words[word]
                entry[label] += weight
                entry[2].add(site)
            if line is not None:
                entry = self.lines[line]
                entry[label] += weight
                entry[2].add(site)
            at += n

    @staticmethod
    def table(parts: list["Counts"], min_sites: int = MIN_SITES) -> Vocabulary:
        """The vocabulary of the pages counted in ``parts`` together."""
        blocks = [sum(p.blocks[k] for p in parts) for k in (0, 1)]
        prior = max(1, blocks[1]) / max(1, sum(blocks))
        base = math.log(prior / (1.0 - prior)) if 0 < prior < 1 else 0.0
        # the pseudo-count stands for SMOOTHING blocks of the mean weight
        rows = sum(p.rows for p in parts)
        smoothing = SMOOTHING * (sum(blocks) / rows if rows else 1)

        def odds(kind: str) -> dict[str, float]:
            merged: dict[str, list] = {}
            for part in parts:
                for key, (c0, c1, sites) in getattr(part, kind).items():
                    entry = merged.get(key)
                    if entry is None:
                        merged[key] = [c0, c1, set(sites)]
                    else:
                        entry[0] += c0
                        entry[1] += c1
                        entry[2] |= sites
            out = {}
            for key in sorted(merged):
                c0, c1, sites = merged[key]
                if len(sites) >= min_sites:
                    value = math.log((c1 + smoothing * prior) / (c0 + smoothing * (1 - prior)))
                    out[key] = round(value - base, 3)
            return out

        return Vocabulary(odds("words"), odds("lines"), min_sites)
