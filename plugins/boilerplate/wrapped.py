"""Hard-wrapped plain text read back paragraph by paragraph.

Text dumps of web pages (lynx, w3m, html2text) wrap each paragraph at a fixed width, about
72 to 80 columns, and put a blank line between paragraphs. Read line by line, every wrapped
line of prose is a short block of its own, and the classifier rates short lines of prose
like menu lines. Here a run of lines between blank lines becomes one paragraph when it was
wrapped: every line but the last is full (the next line's first word would not have fitted
on it within the page's wrap width), no line is wider than that width, and its words read
as prose. The width is the one that the most runs of the page can have been wrapped at.
Chinese and Japanese, which put no space between words, are not joined where a line of
theirs was cut (a space would be one too many there).

Width alone is no bound between blocks (a block ending near the width would be glued to the
next one); the blank lines are. A text without blank lines keeps a block per line.
"""
from __future__ import annotations

import re

#: Text dumps wrap at widths between these: a narrower column is a list of short lines,
#: and lines wider than ``MAX_WIDTH`` were not wrapped.
MIN_WIDTH, MAX_WIDTH = 40, 160
#: The page's width must explain this many line breaks (one could be chance).
MIN_BREAKS = 2
#: Share of a run's words that start with a lower-case letter for it to read as prose: a
#: menu or a list of headlines is capitalised, while even German prose, its nouns
#: capitalised, starts most of its words in lower case.
MIN_LOWER = 1 / 3

# a list item's marker, which starts a block of its own however full the line before it is
_LIST_ITEM = re.compile(r"(?:[*+•‣◦–-]|\d{1,3}[.)])\s")
_WORD = re.compile(r"[^\W\d_]+")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
# Han characters and kana
_NO_SPACES = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def runs(lines: list[str]) -> list[list[int]]:
    """The runs of non-empty ``lines`` between blank lines, as numbers counting the
    non-empty lines only; a list item starts a new run."""
    found: list[list[int]] = []
    number = 0
    blank = True
    for line in lines:
        if not line:
            blank = True
            continue
        if blank or _LIST_ITEM.match(line):
            found.append([])
        found[-1].append(number)
        number += 1
        blank = False
    return found


def _first_word(line: str) -> str:
    return line.split(" ", 1)[0]


def _widths(lines: list[str], run: list[int]) -> tuple[int, int]:
    """The widths ``run`` can have been wrapped at, ``(narrowest, widest)`` (the first
    greater when none): every line fits (a single word wider than the width, an address,
    stands alone on its line), and no line but the last could have taken the next
    line's first word."""
    narrowest = max([len(lines[n]) for n in run if " " in lines[n]], default=0)
    widest = min(len(lines[a]) + len(_first_word(lines[b])) for a, b in zip(run, run[1:]))
    return max(narrowest, MIN_WIDTH), min(widest, MAX_WIDTH)


def _breaks_at_spaces(lines: list[str], run: list[int]) -> bool:
    """Whether a space can have stood at every line break of ``run``: Chinese and
    Japanese put none between words, so a line of theirs may have been cut anywhere."""
    return not any(_NO_SPACES.match(lines[a][-1]) or _NO_SPACES.match(lines[b][0])
                   for a, b in zip(run, run[1:]))


def _reads_as_prose(text: str) -> bool:
    """Words, and not a capitalised menu or list of headlines."""
    words = _WORD.findall(text)
    cased = [w for w in words if w[0].islower() or w[0].isupper()]
    # a script without case (Arabic, Hebrew, Hindi) is left to the widths alone
    return bool(words) and sum(w[0].islower() for w in cased) >= MIN_LOWER * len(cased)


def wrap_width(spans: list[tuple[int, int, int]]) -> int | None:
    """The width that the most candidate runs were wrapped at, counted in line breaks
    (the widest of those as good), from each run's ``(narrowest, widest, breaks)``; None
    when no width explains ``MIN_BREAKS`` breaks."""
    events: dict[int, int] = {}  # +breaks where a run's widths begin, -breaks past the end
    for narrowest, widest, breaks in spans:
        if narrowest <= widest:
            events[narrowest] = events.get(narrowest, 0) + breaks
            events[widest + 1] = events.get(widest + 1, 0) - breaks
    points = sorted(events)
    best, width, counted = 0, None, 0
    for at, upto in zip(points, points[1:]):  # as many breaks from at to upto - 1
        counted += events[at]
        if counted >= best:
            best, width = counted, upto - 1
    return width if best >= MIN_BREAKS else None


def has_blank_line(text: str) -> bool:
    """Whether a blank line as written (empty, or spaces and tabs only) stands between two
    lines of ``text``. A line of an invisible character, such as a scraped zero-width
    space, is none: scrapers that write a line per text node leave such lines, and their
    lines are not paragraphs to join."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _BLANK_LINE.search(text.strip(" \t\n")) is not None


def paragraphs(lines: list[str]) -> list[list[int]]:
    """The blocks of a text's normalised ``lines`` (empty ones included), as numbers of its
    non-empty lines: the lines of a wrapped paragraph together, every other line alone.
    For a text with blank lines (:func:`has_blank_line`)."""
    filled = [line for line in lines if line]
    found = runs(lines)
    spans = {i: _widths(filled, run) for i, run in enumerate(found)
             if len(run) > 1 and _breaks_at_spaces(filled, run)
             and _reads_as_prose(" ".join(filled[n] for n in run))}
    width = wrap_width([(*spans[i], len(found[i]) - 1) for i in spans])
    groups: list[list[int]] = []
    for i, run in enumerate(found):
        if width is not None and i in spans and spans[i][0] <= width <= spans[i][1]:
            groups.append(run)
        else:
            groups += [[n] for n in run]
    return groups
