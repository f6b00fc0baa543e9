"""Remove photo and agency credits ("AFP/HAIDAR HAMDANI", "Photo: Reuters", "© AFP").

Where it earns its place: HTML articles (trafilatura's path) and short texts, which no
classifier cleans; on whole-page text the classifier does this work (ablation in
docs/classifier-experiments.md, "Rule cleaners, one by one").
"""
from __future__ import annotations

import re
from functools import lru_cache

from clean_corpus import Plugin, hookimpl
from clean_corpus_plugins.cleaners.byline import byline_of
from clean_corpus_plugins.cleaners.lineshape import is_prose, words
from clean_corpus_plugins.lexicon import alternation, fold, folded_phrases

#: A credit is short: a label or a ©, then a few names.
MAX_CREDIT_WORDS = 14
MAX_CREDIT_CHARS = 140


@lru_cache(maxsize=None)
def _patterns() -> tuple[re.Pattern, ...]:
    labels = alternation("photo_credit")
    agencies = alternation("agency")
    name = r"[^\W\d_][\w'’.\-]*"
    # Without dots: "J.D./AFP" is a byline's initials, left to the byline cleaner.
    full_name = r"[^\W\d_]{2,}[\w'’\-]*"
    return (
        # Photo: Reuters / Crédits photos : Bestimage / Fotos: A, B, C
        re.compile(rf"\(?(?:{labels})\s*[:|]\s*(?P<names>\S.*)", re.IGNORECASE),
        # © AFP / (c) Getty Images / Copyright 2020 Reuters
        re.compile(r"\(?(?:©|\(c\)|copyright\b)\s*(?P<names>\S.*)", re.IGNORECASE),
        # AFP/HAIDAR HAMDANI / REUTERS/Jim Young / AP Photo/Name
        re.compile(rf"\(?(?:{agencies})(?:\s+(?:photo|foto))?\s*/\s*{name}(?:\s+{name}){{0,3}}\)?",
                   re.IGNORECASE),
        # Name Surname/AFP / Sarawut /Adobe Stock
        re.compile(rf"\(?{full_name}(?:\s+{full_name}){{0,3}}\s*/\s*(?:{agencies})\)?",
                   re.IGNORECASE),
    )


#: What every credit pattern needs: a label's colon or bar, a copyright sign or a slash.
_CREDIT_MARK = re.compile(r"[:|/©]|\(c\)|copyright", re.IGNORECASE)


def may_hold_credit(text: str) -> bool:
    """False when no part of ``text`` can be a credit (most lines: one quick scan)."""
    return bool(_CREDIT_MARK.search(text))


def is_credit(text: str) -> bool:
    """True when ``text`` is, as a whole, a photo or agency credit."""
    text = text.strip()
    if not text or "\n" in text or len(text) > MAX_CREDIT_CHARS \
            or not may_hold_credit(text) or len(words(text)) > MAX_CREDIT_WORDS:
        return False
    labelled, copyright, agency_name, name_agency = _patterns()
    for pattern in (labelled, copyright):
        m = pattern.fullmatch(text)
        if m and _names_like(m.group("names")):
            return True
    # "AFP/Jim Young" credits a photographer; "(dpa/gem)", an agency and its editor.
    return bool(agency_name.fullmatch(text) or name_agency.fullmatch(text))


def _names_like(value: str) -> bool:
    """Credited names, not a sentence: mostly capitalised words, no final full stop.

    Keeps "Photo: the harbour at dawn, taken from the ferry." in the text.
    """
    tokens = [t for t in value.split()  # "dpa", "imago" sign in lower case
              if any(c.isalpha() for c in t) and fold(t) not in folded_phrases("agency")]
    if not tokens:
        return True
    lower = sum(1 for t in tokens if next(c for c in t if c.isalpha()).islower()
                and "." not in t and not t.startswith("("))
    last = value.rstrip(")").rstrip()
    final_stop = last.endswith(".") and len(words(last)[-1] if words(last) else "") > 2
    return lower * 2 <= len(tokens) and not final_stop


#: Where a credit glued to a line may start: after a sentence end, a spaced dash or before
#: an opening parenthesis. A run of spaces is matched from its start only (no quadratic
#: retries inside a long run).
_TAIL_START = re.compile(r"[.!?…»”\"]\s+|(?<!\s)\s++(?:-\s+|(?=\())")


@lru_cache(maxsize=4096)
def credit_tail(text: str) -> int | None:
    """Offset where a credit glued to the end of ``text`` starts, if there is one
    (cached: the captions cleaner asks of every block twice, this one once more).

    Only a credit after a sentence end or inside final parentheses counts: "... à lutter
    contre l'EI. AFP/HAIDAR HAMDANI", "... (Foto: Sarawut /Adobe Stock)".
    """
    if not may_hold_credit(text[-MAX_CREDIT_CHARS:]):
        return None
    for m in _TAIL_START.finditer(text):
        start = m.end()
        if len(text) - start <= MAX_CREDIT_CHARS and is_credit(text[start:]):
            tail = text[start:]
            if tail.startswith("(") and not tail.endswith(")"):
                continue
            return start
    return None


def strip_credit(text: str) -> str:
    """``text`` without a credit glued to its end."""
    start = credit_tail(text)
    return text[:start].rstrip(" -") if start else text


class Credits(Plugin):
    """Remove photo and agency credits, as whole lines or glued to the end of one.

    A credit is a labelled line (``Photo: Reuters``; labels are lexicon kind
    ``photo_credit``), a ``©`` line, or an agency and a name joined by a slash
    (``AFP/HAIDAR HAMDANI``; agencies are lexicon kind ``agency``), all short. A sentence
    that merely mentions a photo or an agency is never a credit: the whole line (or the
    whole tail after a sentence end) must have the credit's shape. After the last paragraph
    of prose, a credit that is also a byline ("Jean Dupont/AFP") is left for the byline
    cleaner, which runs later.
    """

    name = "credits"

    @hookimpl
    def clean(self, document):
        prose = [i for i, b in enumerate(document.blocks) if is_prose(b.text)]
        last_prose = document.blocks[prose[-1]] if prose else None
        trailing = False
        for block in list(document.blocks):
            trailing = trailing or block is last_prose
            if is_credit(block.text):
                if not (trailing and byline_of(block.text)):
                    document.drop_block(block, self.name, "photo or agency credit")
                continue
            start = credit_tail(block.text)
            # "... a-t-il dit. Jean Dupont/AFP" closing the article signs it: a byline,
            # which the byline cleaner lifts into its field.
            if start and not (trailing and byline_of(block.text[start:])):
                document.cut(block, start, len(block.text), self.name,
                             "photo or agency credit")
