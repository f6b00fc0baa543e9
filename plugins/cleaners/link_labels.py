"""Remove bare link labels: "Lire la suite", "Weiterlesen", "Share on Facebook", "Next article".

Where it earns its place: HTML articles (trafilatura's path) and short texts, which no
classifier cleans; on whole-page text the classifier does this work (ablation in
docs/classifier-experiments.md, "Rule cleaners, one by one").
"""
from __future__ import annotations

import re

from clean_corpus import Plugin, hookimpl
from clean_corpus_plugins.cleaners.lexmatch import holding_ids, lexicon, word_count, words

#: "PDF | 38 KB", "(PDF, 1,2 Mo)": the file type and size a download link shows.
_DOWNLOAD = re.compile(r"(?<![A-Za-z])(?:PDF|DOCX?|XLSX?|PPTX?|ODT|ODS|ZIP|EPUB|MP3|MP4)\b\W{0,4}"
                       r"\d+(?:[.,]\d+)?\s?(?:[KkMG]i?B|[KMG]o|Bytes?)\b")


class LinkLabels(Plugin):
    """Drop blocks that are only the label of a button or link.

    "Read more", share buttons, "previous / next article", "click to enlarge" (lexicon
    kind ``link_label``) carry no text of their own; a block made only of such labels
    (and maybe a count, as in "Share 12") goes, the same words inside a sentence stay.
    A download link goes too: a short linked block showing a file type and size
    ("Informationsschreiben PDF | 38 KB | Datei ist nicht barrierefrei"), and so does a
    reading-time label (kind ``reading_time`` and a number in at most six words: "5 min
    read").
    """

    name = "link_labels"

    @hookimpl
    def clean(self, document):
        labels = lexicon("link_label")
        # the label and reading-time tests need a phrase: most blocks have none
        lexical = holding_ids(document.blocks, labels, lexicon("reading_time"))
        for block in list(document.blocks):
            if id(block) in lexical and labels.covers(words(block.text)):
                document.drop_block(block, self.name, "link or button label")
            elif block.link_density >= 0.3 and word_count(block.text) <= 20 \
                    and _DOWNLOAD.search(block.text):
                document.drop_block(block, self.name, "download link")
            elif id(block) in lexical and self._reading_time(block.text):
                document.drop_block(block, self.name, "reading-time label")

    @staticmethod
    def _reading_time(text: str) -> bool:
        """ "Temps de lecture : 3 min", "5 min read", "Lesezeit: 4 Minuten"."""
        return (word_count(text) <= 6 and any(c.isdigit() for c in text)
                and bool(lexicon("reading_time").found(words(text))))
