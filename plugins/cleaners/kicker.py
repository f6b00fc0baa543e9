"""Split an ALL-CAPS kicker glued to the headline on the first line into ``kicker`` and ``title``.

What no classifier feature covers: it moves the kicker into `kicker` and the title into
`title`; a classifier can only keep or drop a block.
"""
from __future__ import annotations

from clean_corpus import Plugin, hookimpl
from clean_corpus_plugins.cleaners.lineshape import is_headline


def _is_upper_token(token: str) -> bool:
    """An upper-case word ("L'ARMÉE", "2016", "USA:") or a lone dash/colon between words."""
    letters = [c for c in token if c.isalpha()]
    if not letters:
        return all(not c.isalnum() for c in token) or token.isdigit()
    return all(c.isupper() for c in letters)


def _starts_title(token: str) -> bool:
    """A capitalised word that goes on in lower case: "Plus", "Ukraine"."""
    letters = [c for c in token if c.isalpha()]
    return len(letters) >= 2 and letters[0].isupper() and any(c.islower() for c in letters)


def split_kicker(text: str, min_words: int = 2, min_letters: int = 10) -> tuple[str, str] | None:
    """``(kicker, title)`` when ``text`` is an upper-case kicker followed by a headline."""
    tokens = text.split()
    count = 0
    while count < len(tokens) and _is_upper_token(tokens[count]):
        count += 1
    if count == len(tokens) or not _starts_title(tokens[count]):
        return None
    kicker = " ".join(tokens[:count]).strip(" -–—:|/")
    title = " ".join(tokens[count:])
    kicker_words = [t for t in tokens[:count] if any(c.isalpha() for c in t)]
    if len(kicker_words) < min_words or sum(c.isalpha() for c in kicker) < min_letters:
        return None  # "NATO said..." starts with an acronym, not with a kicker
    if kicker.endswith(".") or "(" in kicker:
        return None  # "TEGUCIGALPA, HONDURAS.-", "PARIS (AFP) -": a dateline opening the story
    if not is_headline(title):
        return None  # the rest must be a headline, not the first sentence of the article
    return kicker, title


class Kicker(Plugin):
    """Lift an ALL-CAPS kicker glued to the title at the start of the text into fields.

    Flattened pages turn "<p class=kicker>AVANT L'ASSAUT SUR MOSSOUL</p><h1>Plus de 400
    militaires en renfort</h1>" into one line. When the first block is a run of at least
    ``min_words`` upper-case words followed by a headline-shaped rest (short, capitalised,
    no final full stop), the run goes to ``kicker``, the rest to ``title``, and the line
    leaves the text. An acronym opening a sentence ("NATO said on Monday that...") is one
    word followed by prose, and stays.

    Options: ``min_words``, ``min_letters`` (size of the upper-case run).
    """

    name = "kicker"
    defaults = {"min_words": 2, "min_letters": 10}

    @hookimpl
    def clean(self, document):
        if not document.blocks:
            return
        block = document.blocks[0]
        found = split_kicker(block.text, int(self.options["min_words"]),
                             int(self.options["min_letters"]))
        if not found:
            return
        kicker, title = found
        document.set_field("kicker", kicker)
        document.set_field("title", title)
        document.drop_block(block, self.name, "kicker and title")
