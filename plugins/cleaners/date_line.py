"""Lift a dangling date ("date 2021-12", "Date: 12/09/2016", a lone date line) into ``date``.

What no classifier feature covers: it moves the date into `date`; a classifier can only
keep or drop a block.
"""
from __future__ import annotations

import re
from functools import lru_cache

from clean_corpus import Plugin, hookimpl
from clean_corpus_plugins.cleaners.dates import date_prefix, parse_date
from clean_corpus_plugins.cleaners.lineshape import is_prose
from clean_corpus_plugins.lexicon import alternation


@lru_cache(maxsize=None)
def _label() -> re.Pattern:
    return re.compile(rf"(?:{alternation('date_label')})(?![^\W\d_])\s*[:\-–]?\s*", re.IGNORECASE)


def labelled_date(text: str) -> tuple[str, int] | None:
    """``(iso, end)`` when ``text`` starts with a date label and a date ("date 2021-12 ...")."""
    label = _label().match(text)
    if not label:
        return None
    found = date_prefix(text[label.end():])
    if not found:
        return None
    iso, end = found
    end += label.end()
    # Swallow the punctuation that closed the metadata ("Date: 12/09/2016 -").
    while end < len(text) and text[end] in " ,.;:|-–—":
        end += 1
    if end < len(text) and text[end].islower():
        return None  # "Stand 1. Januar 2021 lebten ...": the date belongs to the sentence
    return iso, end


class DateLine(Plugin):
    """Move a date that dangles at the top or bottom of the text into the ``date`` field.

    Three shapes, each recognised by its form, never by its words alone:

    * a labelled date at the start of one of the first blocks, alone or glued to the
      text that follows ("date 2016-09 AVANT L'ASSAUT..."; labels are lexicon kind
      ``date_label``, per language): the label and the date are cut;
    * a block that is only a date ("12. Januar 2022", "April 21, 2022") among the
      first blocks, before the article prose begins;
    * a block that is only a labelled date among the last blocks ("Aktualisiert am
      17.01.2021.").

    A date inside a sentence ("Le 12 mars 2021, il a...") is never touched. The field
    keeps the first date found (an extractor's date wins); ISO 8601, partial allowed.

    Options: ``max_blocks``: how many blocks from the top and bottom to look at.
    """

    name = "date_line"
    defaults = {"max_blocks": 3}

    @hookimpl
    def clean(self, document):
        reach = int(self.options["max_blocks"])
        for block in list(document.blocks[:reach]):
            if is_prose(block.text):
                # Prose has begun; only a label glued to its very start still counts.
                self._cut_labelled(document, block)
                break
            if self._cut_labelled(document, block):
                continue
            iso = parse_date(block.text)
            if iso:
                document.set_field("date", iso)
                document.drop_block(block, self.name, "date line")
        for block in list(document.blocks[-reach:]):
            found = labelled_date(block.text)
            if found and found[1] >= len(block.text):
                document.set_field("date", found[0])
                document.drop_block(block, self.name, "labelled date line")

    def _cut_labelled(self, document, block) -> bool:
        found = labelled_date(block.text)
        if not found:
            return False
        iso, end = found
        document.set_field("date", iso)
        document.cut(block, 0, end, self.name, "labelled date")
        return True
