"""Drop a leading block that repeats the title the extractor already put in ``title``.

What no classifier feature covers: it compares a block with the `title` the extractor
found, which the text alone does not show.
"""
from __future__ import annotations

import re

from clean_corpus import Plugin, hookimpl
from clean_corpus_plugins.cleaners.dates import parse_date
from clean_corpus_plugins.cleaners.lineshape import is_prose
from clean_corpus_plugins.lexicon import fold

#: How page titles join their parts: "08.11.2021 | Headline", "Headline - Site".
_TITLE_PARTS = re.compile(r"(?<!\s)\s++[|–—-]\s+")  # a space run matched from its start


def title_forms(title: str) -> set[str]:
    """The title, and the title without the dates some sites decorate it with, folded."""
    forms = {fold(title)}
    parts = _TITLE_PARTS.split(title)
    undated = [p for p in parts if not parse_date(p)]
    if undated and len(undated) < len(parts):
        forms.add(fold(" ".join(undated)))
    return {f for f in forms if f}


class TitleRepeat(Plugin):
    """Remove the copies of the title at the top of the text.

    HTML extraction gives the title as metadata and usually keeps the page's headline as
    the first block as well; the record would say it twice. A block among the first
    ``max_blocks``, before the article prose, that is the title (case, accents and
    punctuation aside; a date the site glued to its page title aside) leaves the text.
    A "title" longer than ``max_chars`` is a page's summary misread as its title, and the
    block that repeats it is left alone.
    A headline that only shares words with a title decorated with the site's name
    ("Headline - Site name") is kept: the field does not hold it as such.
    """

    name = "title_repeat"
    defaults = {"max_blocks": 3, "max_chars": 200}

    @hookimpl
    def clean(self, document):
        title = document.meta.get("title")
        if not title:
            return
        forms = title_forms(title)
        for block in list(document.blocks[: int(self.options["max_blocks"])]):
            if len(block.text) <= int(self.options["max_chars"]) and fold(block.text) in forms:
                document.drop_block(block, self.name, "repeats the title")
            elif is_prose(block.text):
                return
