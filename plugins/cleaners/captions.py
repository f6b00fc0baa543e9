"""Move a photo caption that the page repeats (once bare, once with its credit) into ``caption``.

What no classifier feature covers: it moves the caption into `caption`; a classifier can
only keep or drop a block.
"""
from __future__ import annotations

from clean_corpus import Plugin, hookimpl
from clean_corpus_plugins.cleaners.credits import MAX_CREDIT_CHARS, strip_credit
from clean_corpus_plugins.lexicon import fold

#: Longer than this, a block is a paragraph, not a caption.
MAX_CAPTION_CHARS = 400


class RepeatedCaptions(Plugin):
    """Lift photo captions into the ``caption`` field and take every copy out of the text.

    Pages often print a caption twice next to each other: once as the image's alt text,
    once under the image with the photographer's credit appended ("... l'EI." then "...
    l'EI. AFP/HAIDAR HAMDANI"). Two neighbouring blocks that say the same thing, one of
    them followed by a credit, are that caption; blocks an extractor marks as ``caption``
    are captions too. The first caption found goes to the field (a string).
    """

    name = "captions"

    @hookimpl
    def clean(self, document):
        index = 0
        while index < len(document.blocks):
            block = document.blocks[index]
            if block.kind == "caption":
                document.set_field("caption", strip_credit(block.text))
                document.drop_block(block, self.name, "photo caption")
                continue
            following = document.blocks[index + 1] if index + 1 < len(document.blocks) else None
            caption = _repeated_caption(block.text, following.text) if following else None
            if caption:
                document.set_field("caption", caption)
                document.drop_blocks([block, following], self.name,
                                     "photo caption repeated with its credit")
                continue
            index += 1


def _repeated_caption(first: str, second: str) -> str | None:
    """The caption when ``first`` and ``second`` are one caption, one copy with a credit."""
    if max(len(first), len(second)) > MAX_CAPTION_CHARS + MAX_CREDIT_CHARS:
        return None  # paragraphs, not captions
    bare_first, bare_second = strip_credit(first), strip_credit(second)
    if bare_first == first and bare_second == second:
        return None  # no credit on either copy: two equal blocks are not enough
    if not fold(bare_first) or fold(bare_first) != fold(bare_second):
        return None
    if len(bare_first) > MAX_CAPTION_CHARS:
        return None
    return bare_first
