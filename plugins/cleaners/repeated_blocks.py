"""Drop a block that repeats an earlier block of the same document word for word.

What no classifier feature covers: the classifier rates each copy on its own, so a
newsletter prompt, a forum signature or a teaser printed twice keeps both copies or
neither; what remains after every other cleaner is read once, the first copy kept.
"""
from __future__ import annotations

from clean_corpus import Plugin, hookimpl


class RepeatedBlocks(Plugin):
    """Drop each later copy of a block of at least ``min_words`` words (case and spacing
    aside), once the other cleaners and the text classifier have run.

    A page that prints the same sentence twice shows boilerplate (a prompt under every
    post, a signature, a promotion at the top and the bottom) far more often than an
    article that means to say it twice. Shorter blocks (list labels, table cells, a
    refrain of a few words) are left alone. Measured on wcxb-dev (docs/cleaning.md).
    """

    name = "repeated_blocks"
    defaults = {"min_words": 4}

    @hookimpl
    def clean(self, document):
        min_words = int(self.options["min_words"])
        seen: set[str] = set()
        repeats = []
        for block in document.blocks:
            words = block.text.casefold().split()
            if len(words) < min_words:
                continue
            key = " ".join(words)
            if key in seen:
                repeats.append(block)
            else:
                seen.add(key)
        if repeats:
            document.drop_blocks(repeats, self.name, "repeats an earlier block")
