"""Cutting a long line of text into the pieces a page was made of.

Scrapers that join every text node with spaces leave a page as one line: menu, headline,
paragraphs and footer run together. The classifier needs blocks, so a long line is cut
(1) after each sentence end followed by a capitalised word, (2) around separators that
only menus and breadcrumbs use (" | ", " • ", " › ", " » "), and (3) where a run of
capitalised words (menu items, a headline) meets the sentence that follows it: the cut
goes before the capitalised word that starts the sentence (the first lower-case word that
is not a stop word marks the sentence). With ``labels`` (the chain's extraction), also (4)
before a boilerplate label that opens with a capital inside a piece: "Read more", "Mehr
zum Thema", "Share this:" (:data:`LABEL_KINDS` of the cleaners' lexicons), so that the
rules and the classifier see the teasers and prompts after it apart from the article.
With a ``boundaries`` model (:mod:`.boundaries`, the chain's default), also (5) at every
gap the model rates as the place where two of the page's blocks met: a menu item and the
headline after it, a teaser title and the next paragraph's first sentence.
Pieces are ``(start, end)`` offsets into the line, so cutting one out of the original text
is exact.
"""
from __future__ import annotations

import re
from functools import lru_cache

from clean_corpus_plugins.boilerplate.boundaries import BoundaryModel
from clean_corpus_plugins.boilerplate.features import all_stopwords
from clean_corpus_plugins.cleaners.lexmatch import lexicon, words

#: Lines shorter than this are left whole (a long paragraph is not a page on one line).
MIN_CHARS = 1000

# not after a one-letter word: initials ("M. T./Agences", "J. R. R. Tolkien")
_SENTENCE_END = re.compile(r"(?<!\b\w)[.!?…][\"'»”’)\]]*\s+(?=[\"'«“‘(\[]?[^\W_])")
# from the start of a run of spaces only, and never given back: a separator must follow the
# whole run (it is no space), and retrying at every space of a long run was quadratic
_SEPARATOR = re.compile(r"(?<!\s)\s++[|•·›»]\s+")
_WORD = re.compile(r"[^\W_][\w'’-]*")
#: A run of capitalised words this long before a sentence is cut off it.
MIN_RUN = 3


def _split_runs(text: str, start: int, end: int, stops: frozenset[str]) -> list[tuple[int, int]]:
    """Cut the capitalised run that precedes the first sentence of ``text[start:end]``."""
    words = list(_WORD.finditer(text, start, end))
    last_cap = None
    caps = 0
    for i, word in enumerate(words):
        token = word.group()
        if token[0].isupper() or token[0].isdigit():
            last_cap, caps = i, caps + 1
            continue
        if token.lower() in stops:
            continue
        # the first lower-case word of content: the sentence starts at the last capital
        if last_cap is not None and last_cap >= MIN_RUN and caps > last_cap * 0.7:
            cut = words[last_cap].start()
            return [(start, cut), (cut, end)]
        return [(start, end)]
    return [(start, end)]


#: Lexicon kinds whose phrases head a run of boilerplate: related articles, share and
#: newsletter prompts, comment forms, log-in links.
LABEL_KINDS = ("related", "related_label", "link_label", "subscription", "paywall", "comments",
               "comment_prompt", "login", "reading_time", "more_info")


@lru_cache(maxsize=1)
def _labels() -> tuple[list, frozenset[str]]:
    """The phrase lists of :data:`LABEL_KINDS`, and the words their phrases start with."""
    lists = [lexicon(kind) for kind in LABEL_KINDS]
    return lists, frozenset().union(*(phrases.firsts for phrases in lists))


def _label_cuts(text: str, start: int, end: int) -> list[int]:
    """Where in ``text[start:end]`` a boilerplate label starts: a phrase of
    :data:`LABEL_KINDS` of two words or more, or of one followed by a colon, that opens
    with a capital inside the piece ("... the last line Read more Other story ...")."""
    lists, firsts = _labels()
    piece = text[start:end]
    ws = words(piece)
    tokens = ws.tokens
    cuts = []
    for i in range(1, len(tokens)):
        if tokens[i] not in firsts:
            continue  # the usual word: no label starts with it
        length = max(phrases.prefix_at(tokens, i) for phrases in lists)
        if not length:
            continue
        word = ws[i]
        if not piece[word.start].isupper() or ws[i - 1].end == word.start:
            continue  # inside a sentence, or a part of a glued word
        after = ws[i + length - 1].end
        if length >= 2 or piece[after:after + 1] == ":":
            cuts.append(start + word.start)
    return cuts


def segments(text: str, min_chars: int = MIN_CHARS, labels: bool = False,
             boundaries: BoundaryModel | None = None) -> list[tuple[int, int]]:
    """``(start, end)`` offsets of the pieces of ``text``, in order, covering its words."""
    if len(text) < min_chars:
        return [(0, len(text))] if text.strip() else []
    cuts = {0, len(text)}
    if boundaries is not None:
        cuts.update(boundaries.cuts(text))
    cuts.update(m.end() for m in _SENTENCE_END.finditer(text))
    for m in _SEPARATOR.finditer(text):
        cuts.update((m.start(), m.end()))
    bounds = sorted(cuts)
    stops = all_stopwords()
    pieces: list[tuple[int, int]] = []
    if labels:
        bounds = sorted({*bounds, *(cut for a, b in zip(bounds, bounds[1:])
                                    for cut in _label_cuts(text, a, b))})
    for a, b in zip(bounds, bounds[1:]):
        for s, e in _split_runs(text, a, b, stops):
            # strip the spaces and separators around the piece
            while s < e and (text[s].isspace() or text[s] in "|•·›»"):
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if s < e:
                pieces.append((s, e))
    return pieces
