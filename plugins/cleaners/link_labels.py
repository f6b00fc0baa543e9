"""Remove bare link labels: "Lire la suite", "Weiterlesen", "Share on Facebook", "Next article"."""
from __future__ import annotations

from clean_corpus import Plugin, hookimpl
from clean_corpus_plugins.cleaners.lexmatch import lexicon, words


class LinkLabels(Plugin):
    """Drop blocks that are only the label of a button or link.

    "Read more", share buttons, "previous / next article", "click to enlarge" (lexicon
    kind ``link_label``) carry no text of their own; a block made only of such labels
    (and maybe a count, as in "Share 12") goes, the same words inside a sentence stay.
    """

    name = "link_labels"

    @hookimpl
    def clean(self, document):
        labels = lexicon("link_label")
        for block in list(document.blocks):
            if labels.covers(words(block.text)):
                document.drop_block(block, self.name, "link or button label")
