"""Lift a breadcrumb trail near the top ("Irak / Terrorisme", "Home > World") into ``section``.

What no classifier feature covers: it moves the trail into `section`; a classifier can
only keep or drop a block.
"""
from __future__ import annotations

import re

from clean_corpus import Plugin, hookimpl
from clean_corpus_plugins.cleaners.lineshape import ends_sentence, is_prose, starts_capitalised, words
from clean_corpus_plugins.lexicon import fold, folded_phrases

#: Separators of breadcrumb trails, always with spaces around them so that "AFP/NAME",
#: "1/2" or French quotes are never taken for one. A pipe is left out: "A | B | C" is
#: far more often a menu than a trail. The spaces are taken from the start of their run
#: and never given back, so a run of a million spaces costs one pass, not a million.
_SEPARATORS = re.compile(r"(?<!\s)\s++(/|>|»|›|→|::)\s+")


def _segments(text: str) -> list[str] | None:
    parts = _SEPARATORS.split(text)
    if len(parts) < 3:
        return None
    separators = set(parts[1::2])
    if len(separators) != 1:  # a trail uses one separator throughout
        return None
    return [p.strip() for p in parts[0::2]]


def _is_crumb(segment: str, max_words: int, max_chars: int) -> bool:
    count = len(words(segment))
    return (1 <= count <= max_words and len(segment) <= max_chars
            and starts_capitalised(segment) and not ends_sentence(segment))


class Breadcrumbs(Plugin):
    """Move a breadcrumb trail found near the top of the document into ``section``.

    A trail is one line of two or more short capitalised segments joined by one repeated
    separator (`` / ``, `` > ``, `` » ``, `` › ``). Its root ("Accueil", "Home": lexicon
    kind ``breadcrumb_root``) and a last segment that is the page's own title are not
    sections and are left out of the field; the whole line leaves the text.

    Options: ``max_blocks`` (how far from the top to look), ``max_words`` and
    ``max_chars`` per segment.
    """

    name = "breadcrumbs"
    defaults = {"max_blocks": 4, "max_words": 5, "max_chars": 40}

    @hookimpl
    def clean(self, document):
        head = document.blocks[: int(self.options["max_blocks"])]
        for index, block in enumerate(head):
            if is_prose(block.text):
                return  # the article has begun: a trail comes before it
            segments = _segments(block.text) if "\n" not in block.text else None
            if not segments:
                continue
            following = head[index + 1].text if index + 1 < len(head) else ""
            titles = {fold(t) for t in (document.meta.get("title") or "", following) if t}
            if fold(segments[-1]) in titles:
                page, segments = segments[-1], segments[:-1]
            else:
                page = None
            limits = (int(self.options["max_words"]), int(self.options["max_chars"]))
            if not segments or not all(_is_crumb(s, *limits) for s in segments):
                continue
            if page is None and len(segments) < 2:
                continue
            roots = folded_phrases("breadcrumb_root")
            sections = [s for s in segments if fold(s) not in roots]
            document.drop_block(block, self.name, "breadcrumb trail")
            document.set_field("section", sections)
            return
