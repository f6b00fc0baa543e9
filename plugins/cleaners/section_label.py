"""Lift a labelled category line ("Kategorie: News", "Posted in: Guides, Tips") into ``section``.

What no classifier feature covers: it moves the category into `section`; a classifier can
only keep or drop a block.
"""
from __future__ import annotations

import re
from functools import lru_cache

from clean_corpus import Plugin, hookimpl
from clean_corpus_plugins.cleaners.lineshape import ends_sentence, words
from clean_corpus_plugins.lexicon import alternation

# Spaces before a separator are matched from the start of their run only (linear).
_LIST_SEPARATORS = re.compile(r"(?<!\s)\s*+(?:,|;|•|·|\|)\s*|(?<!\s)\s++/\s+")


@lru_cache(maxsize=None)
def _label() -> re.Pattern:
    return re.compile(rf"(?:{alternation('section_label')})\s*:\s*(?P<value>.+)", re.IGNORECASE)


def labelled_sections(text: str, max_words: int = 5) -> list[str] | None:
    """The sections a "Label: A, B" line names, or None when it is not one."""
    m = _label().fullmatch(text.strip())
    if not m or ends_sentence(m.group("value")):
        return None
    sections = [s for s in _LIST_SEPARATORS.split(m.group("value")) if s]
    if not sections or not all(1 <= len(words(s)) <= max_words for s in sections):
        return None
    return sections


class SectionLabel(Plugin):
    """Move a category line at the top or bottom of the text into ``section``.

    Blogs and news sites print "Kategorie: News" or "Posted in: Guides • Tips" above or
    below the article. A block among the first or last ``max_blocks`` that is exactly a
    label (lexicon kind ``section_label``), a colon and a short list of names leaves the
    text; the names go to ``section`` unless the extractor found sections already.
    """

    name = "section_label"
    defaults = {"max_blocks": 3, "max_words": 5}

    @hookimpl
    def clean(self, document):
        reach = int(self.options["max_blocks"])
        edges = document.blocks[:reach] + document.blocks[reach:][-reach:]
        for block in edges:
            if block not in document.blocks:
                continue
            found = [block]
            sections = labelled_sections(block.text, int(self.options["max_words"]))
            position = document.blocks.index(block)
            if not sections and block.text.rstrip().endswith(":") \
                    and position + 1 < len(document.blocks):
                # The label and its value may come out of the page as two blocks.
                following = document.blocks[position + 1]
                sections = labelled_sections(f"{block.text} {following.text}",
                                             int(self.options["max_words"]))
                found.append(following)
            if sections:
                document.set_field("section", sections)
                document.drop_blocks(found, self.name, "category line")
