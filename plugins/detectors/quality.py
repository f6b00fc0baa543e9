"""Text quality signals of a record, with thresholds to drop (off by default)."""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

from clean_corpus import hookimpl
from clean_corpus_plugins.cleaners.lineshape import words as split_words
from clean_corpus_plugins.detectors.base import Detector
from clean_corpus_plugins.detectors.tokens import UNSPACED
from clean_corpus_plugins.lexicon import fold, fold_text, load_all

_TERMINAL = re.compile(r"[.!?…。！？:;][\"'»”’)\]]*$")
_SYMBOLS = frozenset("#@*|_~^<>[]{}\\/=+")

#: Threshold options and the signal each one bounds: (signal, "min" or "max").
THRESHOLDS = {
    "min_words": ("words", "min"),
    "min_mean_word_length": ("mean_word_length", "min"),
    "max_mean_word_length": ("mean_word_length", "max"),
    "max_symbol_ratio": ("symbol_ratio", "max"),
    "max_digit_ratio": ("digit_ratio", "max"),
    "min_stopword_ratio": ("stopword_ratio", "min"),
    "min_punctuated_lines": ("punctuated_lines", "min"),
}


@lru_cache(maxsize=None)
def stopwords(lang: str) -> frozenset[str]:
    """Folded stop words of ``lang`` (lexicon kind ``stopwords``); empty if none listed."""
    lexicons = load_all()
    listed = lexicons.get(lang) or lexicons.get(lang.split("-")[0]) or {}
    return frozenset(w for w in (fold(p) for p in listed.get("stopwords", [])) if w)


class Quality(Detector):
    """Signals that tell prose from menus, tables, code and spam.

    ``detections["quality"]`` holds ``words`` (in scripts written without spaces, each
    character counts as a word); ``mean_word_length`` (characters; ``None`` for text
    mostly in such scripts); the ``symbol_ratio`` (symbols such as ``# @ * | / =`` and
    Unicode symbols, per non-space character) and ``digit_ratio``; the
    ``stopword_ratio`` (share of words that
    are stop words of the detected language, from the lexicon kind ``stopwords``; ``None``
    when the language has no list); ``punctuated_lines`` (share of lines or paragraphs that
    end like a sentence); and ``flags``, the thresholds the text fails. Thresholds are
    options (``min_words``, ``min_mean_word_length``, ``max_mean_word_length``,
    ``max_symbol_ratio``, ``max_digit_ratio``, ``min_stopword_ratio``,
    ``min_punctuated_lines``; set one to ``false`` to ignore it). Policy ``annotate``
    (default) only reports; ``drop`` drops a record that fails any threshold.
    """

    name = "quality"
    # The defaults follow the heuristics of Rae et al. (2022, "Gopher") and C4, loosened
    # where news pages legitimately differ (short briefs, tables of results).
    defaults = {"policy": "annotate", "min_words": 50, "min_mean_word_length": 3.0,
                "max_mean_word_length": 10.0, "max_symbol_ratio": 0.1,
                "max_digit_ratio": 0.25, "min_stopword_ratio": 0.1,
                "min_punctuated_lines": 0.1}
    #: Thresholds that ``false`` switches off.
    switchable = frozenset(defaults) - {"policy"}

    @hookimpl
    def detect(self, document):
        text = document.clean_text
        # block by block: no word runs over a blank line, and the blocks' words are cached
        words = [w for part in text.split("\n\n") for w in split_words(part)]
        # Scripts written without spaces (Chinese, Japanese, Thai) have no words to measure:
        # each character counts as one, and the mean word length is left out.
        unspaced = len(UNSPACED.findall(text))
        spaced = [w for w in words if not UNSPACED.search(w)] if unspaced else words
        count = len(spaced) + unspaced
        # counted over the distinct characters: a page has thousands, but few kinds
        chars = {c: n for c, n in Counter(text).items() if not c.isspace()}
        visible = sum(chars.values())
        lines = [line for block in document.blocks for line in block.text.split("\n")
                 if line.strip()]
        lang = (document.detections.get("language") or {}).get("lang") \
            or document.meta.get("language") or "und"
        stops = stopwords(lang)
        # Elided articles count as words here ("l'armée" is "l" + "armee").
        folded = fold_text(text).split() if stops else []
        found = {
            "words": count,
            "mean_word_length": round(sum(map(len, spaced)) / len(spaced), 3)
            if spaced and len(spaced) >= unspaced else None,
            "symbol_ratio": _ratio(sum(n for c, n in chars.items() if _is_symbol(c)), visible),
            "digit_ratio": _ratio(sum(n for c, n in chars.items() if c.isdigit()), visible),
            "stopword_ratio": _ratio(sum(map(stops.__contains__, folded)), len(folded))
            if stops else None,
            "punctuated_lines": _ratio(sum(1 for line in lines
                                           if _TERMINAL.search(line.rstrip())), len(lines)),
        }
        found["flags"] = self._flags(found)
        document.detections[self.name] = found

    def _flags(self, found: dict) -> list[str]:
        flags = []
        for option, (signal, bound) in THRESHOLDS.items():
            limit, value = self.options.get(option), found[signal]
            if limit is False or limit is None or value is None:
                continue
            if (bound == "min" and value < float(limit)) or \
                    (bound == "max" and value > float(limit)):
                flags.append(f"{signal} {value} {'<' if bound == 'min' else '>'} "
                             f"{option} {limit}")
        return flags

    def verdict(self, document):
        flags = (document.detections.get(self.name) or {}).get("flags")
        return f"low quality: {'; '.join(flags)}" if flags else None


def _is_symbol(char: str) -> bool:
    return char in _SYMBOLS or unicodedata.category(char).startswith("S")


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0
