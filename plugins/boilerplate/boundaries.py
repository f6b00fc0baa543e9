"""Where the blocks of a page meet in a line of text: learned cut points for one-line text.

A page scraped onto one line has lost the line breaks between its blocks. Many of them
still show: a menu item ends and a headline starts, a teaser title runs into the sentence
of the next paragraph. :class:`BoundaryModel` rates every gap between two words whose
second word does not start in lower case (where nearly every block of the page starts)
with P(a block ended here), from the shape of the words on each side: capitals, digits,
symbols, a sentence or colon ending the word before, stop words, runs of capitalised
words, how much sentence-like text (lower-case words that are no stop words) stands
before and after the gap, and how far the nearest sentence ends are. No word of any site
or language is read, only the stop words of every language the package knows.

The model learns from the pages' text with a line per block (``tools/scraped_text.py
--mode blocks``): joined by spaces, that text is exactly the one-line form, and its line
breaks are the gaps to find (:mod:`.train_boundaries`). The model file is a tree ensemble
of :mod:`.model`::

    {"format": "clean-corpus-boundaries/1", "features": [...], "threshold": 0.5,
     "trees": {"baseline": b, "trees": {...}}, "trained": {...}}
"""
from __future__ import annotations

import copy
import json
from functools import lru_cache
from pathlib import Path

import numpy as np

from clean_corpus_plugins.boilerplate.features import all_stopwords
from clean_corpus_plugins.boilerplate.model import TreeEnsemble, check_format

FORMAT = "clean-corpus-boundaries/1"
BOUNDARY_MODEL = Path(__file__).with_name("model-boundaries.json")

#: The columns of a gap between word ``i`` (before) and word ``i + 1`` (after).
BOUNDARY_FEATURES: tuple[str, ...] = (
    "before_upper", "before_lower", "before_digit", "before_symbol", "before_sentence_end",
    "before_colon", "before_comma", "before_ends_symbol", "before_all_caps", "before_stop",
    "before_chars", "second_before_upper", "second_before_lower", "second_before_sentence_end",
    "after_upper", "after_digit", "after_symbol", "after_all_caps", "after_stop", "after_chars",
    "after_sentence_end", "second_after_upper", "second_after_lower", "second_after_stop",
    "second_after_sentence_end", "third_after_lower", "prose_words_next_5", "capitals_next_5",
    "prose_words_last_5", "capitals_last_5", "prose_words_next_15", "prose_words_last_15",
    "words_since_sentence_end", "words_to_sentence_end", "capitalised_run_before",
    "capitalised_run_after",
)

# first and last characters of the words, by class
_LOWER, _UPPER, _DIGIT, _LETTER, _OTHER = range(5)
_CLOSERS = "\"'»”’)]"
_ENDS = frozenset(".!?…")
_END_CODES = np.array([ord(c) for c in _ENDS], dtype=np.uint32)
_CLOSER_CODES = np.array([ord(c) for c in _CLOSERS], dtype=np.uint32)
_FAR = 60  # words: "no sentence end near"
_RUN_CAP = 20


@lru_cache(maxsize=4096)
def _char_class(char: str) -> int:
    if char.islower():
        return _LOWER
    if char.isupper():
        return _UPPER
    if char.isdigit():
        return _DIGIT
    return _LETTER if char.isalpha() else _OTHER


_ASCII_CLASS = np.array([_char_class(chr(c)) for c in range(128)], dtype=np.int8)


def _classes(chars: str) -> np.ndarray:
    """The class of each character of ``chars``: numpy for ASCII, a cached lookup else."""
    codes = np.frombuffer(chars.encode("utf-32-le"), dtype=np.uint32)
    out = np.empty(len(codes), dtype=np.int8)
    ascii_ = codes < 128
    out[ascii_] = _ASCII_CLASS[codes[ascii_]]
    if not ascii_.all():
        wide = np.flatnonzero(~ascii_)
        out[wide] = [_char_class(chars[i]) for i in wide.tolist()]
    return out


def _ends_sentence(word: str) -> bool:
    return word.rstrip(_CLOSERS)[-1:] in _ENDS


def words_and_starts(text: str) -> tuple[list[str], np.ndarray]:
    """The space-separated words of ``text`` and the offset each starts at."""
    parts = text.split(" ")
    starts = np.cumsum([0] + [len(p) + 1 for p in parts[:-1]])
    keep = [i for i, p in enumerate(parts) if p]
    if len(keep) < len(parts):
        return [parts[i] for i in keep], starts[keep]
    return parts, starts


def gap_features(words: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The candidate gaps of a line's ``words`` (indices ``i``: the gap after word ``i``,
    whose next word does not start in lower case) and their :data:`BOUNDARY_FEATURES`."""
    n = len(words)
    first = _classes("".join(w[0] for w in words))
    last_chars = "".join(w[-1] for w in words)
    last = _classes(last_chars)
    last_code = np.frombuffer(last_chars.encode("utf-32-le"), dtype=np.uint32)
    upper, lower, digit = first == _UPPER, first == _LOWER, first == _DIGIT
    symbol = first == _OTHER
    sentence_end = np.isin(last_code, _END_CODES)
    for i in np.flatnonzero(np.isin(last_code, _CLOSER_CODES)).tolist():
        sentence_end[i] = _ends_sentence(words[i])  # a sentence mark before a quote
    colon = last_code == ord(":")
    comma = (last_code == ord(",")) | (last_code == ord(";"))
    ends_symbol = (last == _OTHER) & ~sentence_end & ~colon & ~comma
    chars = np.fromiter(map(len, words), dtype=np.float64, count=n)
    all_caps = np.fromiter(map(str.isupper, words), dtype=bool, count=n) & (chars > 1)
    stops = all_stopwords()
    stop = np.fromiter(map(stops.__contains__, " ".join(words).lower().split(" ")),
                       dtype=bool, count=n)
    prose = lower & ~stop
    capital = upper | digit

    def at(a: np.ndarray, k: int, fill: float = 0.0) -> np.ndarray:
        """``a`` of word ``i + k`` for every word ``i``."""
        out = np.full(n, fill, dtype=np.float64)
        if k > 0:
            out[:n - k] = a[k:]
        else:
            out[-k:] = a[:n + k]
        return out

    def total(a: np.ndarray, lo: int, hi: int) -> np.ndarray:
        """Sum of ``a`` over words ``i + lo`` to ``i + hi``."""
        sums = np.concatenate(([0.0], np.cumsum(a, dtype=np.float64)))
        index = np.arange(n)
        return sums[np.clip(index + hi + 1, 0, n)] - sums[np.clip(index + lo, 0, n)]

    index = np.arange(n)
    since_end = np.minimum(index - np.maximum.accumulate(np.where(sentence_end, index, -1)), _FAR)
    next_end = np.minimum.accumulate(np.where(sentence_end, index, n + _FAR)[::-1])[::-1]
    run_before = np.minimum(index - np.maximum.accumulate(np.where(~capital, index, -1)),
                            _RUN_CAP)
    run_from = np.minimum(np.minimum.accumulate(np.where(~capital, index, n)[::-1])[::-1] - index,
                          _RUN_CAP)
    columns = (
        upper, lower, digit, symbol, sentence_end, colon, comma, ends_symbol, all_caps, stop,
        chars, at(upper, -1), at(lower, -1), at(sentence_end, -1),
        at(upper, 1), at(digit, 1), at(symbol, 1), at(all_caps, 1), at(stop, 1), at(chars, 1),
        at(sentence_end, 1), at(upper, 2), at(lower, 2), at(stop, 2), at(sentence_end, 2),
        at(lower, 3), total(prose, 2, 6), total(capital, 2, 6), total(prose, -4, 0),
        total(capital, -4, 0), total(prose, 2, 16), total(prose, -14, 0), since_end,
        at(np.minimum(next_end - index, _FAR), 1, _FAR), run_before, at(run_from, 1),
    )
    gaps = np.flatnonzero(~lower[1:])  # the gap after word i, the next word not lower case
    X = np.column_stack([np.asarray(c, dtype=np.float64)[gaps] for c in columns])
    return gaps, X


class BoundaryModel:
    """Rates the gaps of a line; :meth:`cuts` gives where its blocks most likely met."""

    def __init__(self, data: dict) -> None:
        check_format(data, FORMAT)
        if tuple(data["features"]) != BOUNDARY_FEATURES:
            raise ValueError("the boundary model was made for other features")
        self.trees = TreeEnsemble.from_dict(data["trees"])
        self.threshold = float(data["threshold"])
        self.trained = data.get("trained", {})

    def at(self, threshold: float) -> "BoundaryModel":
        """The same model cutting where P(a block ended here) is ``threshold`` or more."""
        other = copy.copy(self)
        other.threshold = threshold
        return other

    @classmethod
    def load(cls, path: str | Path) -> "BoundaryModel":
        return cls(json.loads(Path(path).read_text(encoding="utf-8")))

    def probabilities(self, words: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """The candidate gaps of ``words`` and P(a block ended there) of each."""
        if len(words) < 2:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        gaps, X = gap_features(words)
        return gaps, (self.trees.predict(X) if len(gaps) else np.zeros(0))

    def cuts(self, text: str, start: int = 0, end: int | None = None) -> list[int]:
        """Offsets in ``text`` (within ``start:end``) where a block most likely starts."""
        end = len(text) if end is None else end
        words, starts = words_and_starts(text[start:end])
        gaps, p = self.probabilities(words)
        return (starts[gaps[p >= self.threshold] + 1] + start).tolist()


@lru_cache(maxsize=4)
def load_boundaries(path: str) -> BoundaryModel:
    """The boundary model at ``path``, loaded once per process."""
    return BoundaryModel.load(path)
