"""What kind of page a text document was: article, forum, product, collection, listing,
documentation or service, told from its lines alone.

Scraped text keeps no tags, URL or declared type, but the seven kinds still look
different line by line: an article is a long run of prose, a forum a string of short
posts between user names and times, a product page prices and specification lines, a
listing many short titles of about the same length, documentation code and headings.
A small model (one tree ensemble per type, as :mod:`.page_type` has for HTML) reads the
shape of the lines: how many, how long, how many end a sentence or hold enough stop words
to be one, digits, prices, times, dates, code characters, repeated lines, the longest run
of prose. No word of any one language is a feature: a vocabulary of the words found on
the most training sites was right more often on those (English) pages, 0.72 against
0.67 cross-validated, but called 76 of the 208 mostly German, mostly article pages of
the devset listings (docs/classifier.md).

Training: ``python -m clean_corpus_plugins.boilerplate.train_text_page_type``.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from clean_corpus import Plugin, hookimpl
from clean_corpus_plugins.boilerplate.features import stop_word_counts
from clean_corpus_plugins.boilerplate.model import TypeEnsembles

FORMAT = "clean-corpus-text-page-type/1"
MODEL_FILE = Path(__file__).with_name("model-text-page-type.json")


class _LinesWith:
    r"""Counts the lines of a text (lines joined by newlines) that hold a match of
    ``pattern``: as many as ``re.findall(r"^[^\n]*?(?:" + pattern + ")", text, re.M | re.I)``
    finds, for less (0.44 against 0.70 ms for the four counts of a devset page): a search
    finds the first match of a line, and the next one starts at the first line after
    that match's end (a match may run over a newline, as ``\s`` allows)."""

    def __init__(self, pattern: str):
        self._search = re.compile(pattern, re.I).search

    def count(self, text: str) -> int:
        search, find = self._search, text.find
        count = start = 0
        while (match := search(text, start)) is not None:
            count += 1
            end = match.end()
            if text[end - 1] == "\n":
                start = end
            elif (start := find("\n", end) + 1) == 0:
                break
        return count


_PRICE_LINES = _LinesWith(r"[$€£¥₹]\s?\d|\d[.,]\d\d\s?(?:€|\$|£|eur|usd|chf|kr)\b")
_TIME_LINES = _LinesWith(r"\b\d{1,2}:\d\d\b")
_DATE_LINES = _LinesWith(r"\b\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b|\b(?:19|20)\d\d\b")
_SEPARATOR_LINES = _LinesWith(r"[|»›]")
_SENTENCE_ENDS = re.compile(r"[.!?…。！？][\"'»”’)\]]*[ \t]*$", re.M)
_QUESTION_ENDS = re.compile(r"\?[ \t]*$", re.M)
_COLON_ENDS = re.compile(r":[ \t]*$", re.M)
_NUMBERED = re.compile(r"^[0-9]", re.M)
_CODE = re.compile(r"[{}();=<>\[\]_#$]")
#: Lines of the page that are read (a hostile page of millions of lines costs no more
#: than a long article).
MAX_LINES = 2000

FEATURES = ("log_lines", "log_words", "mean_words", "median_words", "short_lines",
            "tiny_lines", "long_lines", "long_line_words", "sentence_ends",
            "questions", "digit_share", "upper_share", "price_lines", "time_lines",
            "date_lines", "code_share", "repeated_lines", "prose_run", "prose_run_at",
            "separator_lines", "numbered_lines", "colon_lines", "stop_share",
            "stop_lines", "stop_line_words")


def text_page_features(lines: list[str]) -> np.ndarray:
    """The :data:`FEATURES` of a page's lines."""
    lines = lines[:MAX_LINES]
    n = len(lines)
    words = np.array([len(line.split()) for line in lines], dtype=np.float64)
    chars = np.array([len(line) for line in lines], dtype=np.float64)
    total_words = max(1.0, float(words.sum()))
    total_chars = max(1.0, float(chars.sum()))
    joined = "\n".join(lines)

    def share(count: float) -> float:
        return count / n if n else 0.0

    digits, upper = _digits_and_capitals(joined)
    prose = (words >= 20)
    # the longest run of consecutive prose lines, as a share of the page's words
    best = run = 0.0
    best_end = 0
    for i, (is_prose, w) in enumerate(zip(prose.tolist(), words.tolist())):
        run = run + w if is_prose else 0.0
        if run > best:
            best, best_end = run, i
    counts = Counter(lines)
    row = [math.log1p(n), math.log1p(total_words),
           float(words.mean()) if n else 0.0, float(np.median(words)) if n else 0.0,
           share(float((words <= 3).sum())), share(float((words <= 1).sum())),
           share(float(prose.sum())), float(words[prose].sum()) / total_words,
           share(len(_SENTENCE_ENDS.findall(joined))), share(len(_QUESTION_ENDS.findall(joined))),
           digits / total_chars, upper / total_chars,
           share(_PRICE_LINES.count(joined)), share(_TIME_LINES.count(joined)),
           share(_DATE_LINES.count(joined)), len(_CODE.findall(joined)) / total_chars,
           share(sum(c for c in counts.values() if c > 1)),
           best / total_words, best_end / n if n else 0.0,
           share(_SEPARATOR_LINES.count(joined)), share(len(_NUMBERED.findall(joined))),
           share(len(_COLON_ENDS.findall(joined)))]
    # stop words tell prose in any language the lists cover: a page of sentences or of
    # names, titles, prices and labels
    _, hits, sizes = stop_word_counts(tuple(lines))
    sentences = (sizes >= 4) & (hits >= 0.25 * sizes)
    row += [float(hits.sum()) / max(1.0, float(sizes.sum())), share(float(sentences.sum())),
            float(sizes[sentences].sum()) / max(1.0, float(sizes.sum()))]
    return np.array(row, dtype=np.float64)


def _digits_and_capitals(text: str) -> tuple[int, int]:
    """ASCII digits and capital letters in ``text``, counted with numpy (a Python step
    per character would cost more than the rest of the features)."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    digits = int(((codes >= 48) & (codes <= 57)).sum())
    lower = text.lower()
    if len(lower) != len(text):  # a letter whose lower case is longer ("İ")
        return digits, sum(c.isupper() for c in text)
    return digits, int((codes != np.frombuffer(lower.encode("utf-32-le"), dtype=np.uint32)).sum())


@dataclass
class TextPageTypeModel(TypeEnsembles):
    """The text page-type model: the shape of the page's lines (:func:`text_page_features`)."""

    FORMAT = FORMAT

    @classmethod
    def fields_from_file(cls, data: dict, path) -> dict:
        if tuple(data.get("features", ())) != FEATURES:
            raise ValueError(f"{path}: the model reads other features than this version's")
        return {}

    def file_fields(self) -> dict:
        return {"features": list(FEATURES)}

    def predict(self, lines: list[str]) -> tuple[str, float]:
        """The likeliest type of the page made of ``lines``, and its probability."""
        return self.likeliest(text_page_features(lines))


@lru_cache(maxsize=None)
def load_text_page_type_model(path: str) -> TextPageTypeModel:
    return TextPageTypeModel.load(path)


class TextPageType(Plugin):
    """The page type of a text document, predicted from its lines as extracted.

    Sets the record's ``page_type`` (HTML pages get theirs from ``boilerplate_html``)
    and ``document.signatures["page_type"]`` (type and probability), which the
    ``listing_page`` detector reads: an article corpus can drop listings by policy
    whatever form its pages came in. ``model`` names another model file.
    """

    name = "text_page_type"
    defaults = {"model": None}

    @hookimpl(wrapper=True)
    def extract(self, document):
        extraction = yield
        if document.html is None and extraction is not None and extraction.blocks:
            model = load_text_page_type_model(str(self.options["model"] or MODEL_FILE))
            page_type, sure = model.predict([b.text for b in extraction.blocks])
            document.signatures["page_type"] = {"type": page_type, "probability": sure}
            extraction.metadata.setdefault("page_type", page_type)
        return extraction
