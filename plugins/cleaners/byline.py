"""Lift a trailing byline or agency credit ("M. T./Agences", "(AFP)", "By Jane Doe") into ``byline``.

What no classifier feature covers: it moves the byline into `byline`; a classifier can
only keep or drop a block.
"""
from __future__ import annotations

import re
from functools import lru_cache

from clean_corpus import Plugin, hookimpl
from clean_corpus_plugins.cleaners.date_line import labelled_date
from clean_corpus_plugins.cleaners.dates import parse_date
from clean_corpus_plugins.cleaners.lineshape import is_prose
from clean_corpus_plugins.lexicon import alternation, fold, folded_phrases

#: Lower-case name particles: "Jean de La Fontaine", "Ursula von der Leyen".
_PARTICLES = frozenset({"de", "du", "des", "d", "la", "le", "van", "von", "der", "den", "da",
                        "del", "della", "di", "dos", "bin", "ibn", "al", "y", "e", "zu", "ten"})
_INITIALS = re.compile(r"(?:[^\W\d_](?:-[^\W\d_])?\.\s?){1,3}|[^\W\d_]{2,3}")


@lru_cache(maxsize=None)
def _agencies() -> frozenset[str]:
    return folded_phrases("agency") | folded_phrases("agency_generic")


def is_agency_list(text: str) -> bool:
    """"AFP", "AFP/Reuters", "Agences", "dpa, AFP", "AFP et Reuters": only news agencies."""
    split = re.compile(rf"(?<!\s)\s*+(?:/|,|&|\+)\s*"
                       rf"|(?<!\s)\s++(?:{alternation('byline_joiner')})\s+",
                       re.IGNORECASE)
    parts = [p for p in split.split(text.strip()) if p]
    return bool(parts) and all(fold(p) in _agencies() for p in parts)


def is_initials(text: str) -> bool:
    """"M. T.", "J.D.", "JD": a journalist's initials (upper case)."""
    text = text.strip()
    return bool(_INITIALS.fullmatch(text)) and all(c.isupper() for c in text if c.isalpha())


def is_name(text: str) -> bool:
    """"Jean Dupont", "Ursula von der Leyen", "Jane K. Doe": two to five capitalised words."""
    tokens = text.split()
    if not 2 <= len(tokens) <= 5 or fold(tokens[0]) in folded_phrases("name_stopword"):
        return False  # "By The Numbers" is a heading, not a name
    for position, token in enumerate(tokens):
        letters = [c for c in token if c.isalpha()]
        if not letters or any(not (c.isalpha() or c in ".'’-") for c in token):
            return False
        capitalised = letters[0].isupper()
        if position in (0, len(tokens) - 1) and not capitalised:
            return False
        if not capitalised and token.lower() not in _PARTICLES:
            return False
    return not tokens[-1].endswith(".") or len(tokens[-1]) <= 3


def byline_of(text: str) -> str | None:
    """The byline ``text`` is, as a whole, or None.

    Shapes: ``(AFP)``; ``M. T./Agences``, ``J.D. avec AFP``, ``Jean Dupont/AFP``
    (initials or a name, joined to agencies); ``Par Jean Dupont``, ``By Jane Doe and John
    Roe``, ``Par Jean Dupont avec AFP`` (a label, then names: the names are returned);
    ``AFP`` or ``Agences`` alone.
    """
    text = " ".join(text.split())  # "Von:\nGötz Warnke" is one byline over two lines
    if not text or len(text) > 120:
        return None
    inner = text[1:-1].strip() if text.startswith("(") and text.endswith(")") else None
    if inner and is_agency_list(inner):
        return inner
    if is_agency_list(text):
        return text
    # Who wrote it (initials or a name), then "/" or "avec", then the agencies.
    pair = re.fullmatch(rf"(?P<who>.+?)\s*(?:/|\s(?:{alternation('byline_joiner')})\s)\s*"
                        r"(?P<with>.+)", text, re.IGNORECASE)
    if pair and (is_initials(pair["who"]) or is_name(pair["who"])) \
            and is_agency_list(pair["with"]):
        return text
    return labelled_byline(text)


def labelled_byline(text: str) -> str | None:
    """The names when ``text`` is a label and names: "Par Jean Dupont" gives "Jean Dupont".

    The label is the page's wording, not part of who wrote the article, so the field
    holds the names alone, as an extractor's author field does.
    """
    text = " ".join(text.split())
    labels, joiners = alternation("byline_label"), alternation("byline_joiner")
    labelled = re.fullmatch(rf"(?:{labels})\s*:?\s+(?P<rest>.+)", text)
    if not labelled or len(text) > 120:
        return None
    names = labelled["rest"].rstrip(" ,;:")
    who = re.split(rf"\s*(?:,|/|\s(?:{joiners})\s)\s*", names.rstrip("."))
    if is_name(who[0]) and all(is_name(w) or is_initials(w) or is_agency_list(w)
                               for w in who if w):
        return names
    return None


#: A labelled byline (120 characters at most) and its date.
MAX_DATED_BYLINE_CHARS = 240


def byline_and_date(text: str) -> tuple[str, str | None] | None:
    """``(byline, iso date or None)`` for a labelled byline, maybe followed by its date."""
    text = " ".join(text.split())
    if len(text) > MAX_DATED_BYLINE_CHARS:
        return None  # and each separator below would copy the line: quadratic
    if labelled_byline(text):
        return labelled_byline(text), None
    for m in re.finditer(r"[,|•·–—]|\s-\s|\s(?:le|on|am|el|du)\s", text):
        head, rest = text[:m.start()].rstrip(" ,|•·–—-"), text[m.end():].strip()
        names = labelled_byline(head)
        if not names:
            continue
        iso = parse_date(rest)
        if not iso:
            found = labelled_date(rest)
            iso = found[0] if found and found[1] >= len(rest.rstrip()) else None
        if iso:
            return names, iso
    return None


#: Where a byline glued to the last paragraph may start: after a sentence end.
_SENTENCE_END = re.compile(r"[.!?…»”\"]\s+")


class Byline(Plugin):
    """Move the byline or agency credit that closes the article into the ``byline`` field.

    Articles end with who wrote them: a block of its own or the last words of the last
    paragraph ("... selon un communiqué du CMI. M. T./Agences"). A tail counts only when
    it has a byline's shape as a whole: initials or a name joined to an agency
    (lexicon kinds ``agency``, ``agency_generic``, ``byline_joiner``), a label and a name
    (``byline_label``: "Par", "By", "Von"), or agencies in parentheses. A short last
    sentence ("He left.") has none of these shapes and stays.

    At the top, before the prose, only a labelled byline counts ("Par Jean Dupont",
    "By Jane Doe | March 12, 2021"); a date printed with it goes to ``date``.

    Options: ``max_tail_chars`` (longest byline glued to the last paragraph),
    ``max_blocks`` (how far from the top a labelled byline may be).
    """

    name = "byline"
    defaults = {"max_tail_chars": 80, "max_blocks": 4}

    @hookimpl
    def clean(self, document):
        self._leading(document)
        if document.blocks:
            self._trailing(document)

    def _leading(self, document) -> None:
        head = document.blocks[: int(self.options["max_blocks"])]
        for index, block in enumerate(head):
            if is_prose(block.text):
                return
            blocks = [block]
            found = byline_and_date(block.text)
            if not found and index + 1 < len(head) \
                    and fold(block.text) in folded_phrases("byline_label"):
                # "Von:" and the name may come as two lines.
                blocks.append(head[index + 1])
                found = byline_and_date(f"{block.text} {head[index + 1].text}")
            if found:
                document.set_field("byline", found[0])
                document.set_field("date", found[1])
                document.drop_blocks(blocks, self.name, "byline")
                return

    def _trailing(self, document) -> None:
        last = document.blocks[-1]
        byline = byline_of(last.text)
        if byline:
            document.set_field("byline", byline)
            document.drop_block(last, self.name, "byline")
            return
        limit = int(self.options["max_tail_chars"])
        for m in _SENTENCE_END.finditer(last.text, max(0, len(last.text) - limit - 2)):
            byline = byline_of(last.text[m.end():])
            if byline:
                document.set_field("byline", byline)
                document.cut(last, m.end(), len(last.text), self.name, "byline")
                return
