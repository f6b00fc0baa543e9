"""Remove copyright and reprint notices ("© 2022 X. All rights reserved.").

Where it earns its place: HTML articles (trafilatura's path) and short texts, which no
classifier cleans; on whole-page text the classifier does this work (ablation in
docs/classifier-experiments.md, "Rule cleaners, one by one").
"""
from __future__ import annotations

import re

from clean_corpus import Plugin, hookimpl
from clean_corpus_plugins.cleaners.lexmatch import lexicon, word_count, words

_COPYRIGHT = re.compile(r"^\s*(?:©|\(c\)|copyright\b)", re.IGNORECASE)
_MARK = re.compile(r"©|\(c\)|\bcopyright\b", re.IGNORECASE)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


class LegalNotices(Plugin):
    """Drop the site's copyright notice printed under the article.

    A block of at most ``max_words`` words goes when it opens with ``©``/"Copyright" and
    a year ("© 1996 - 2022 Internetchemie"), or says what such notices say (lexicon kind
    ``legal_notice``: "all rights reserved", "Nachdruck nur mit Genehmigung",
    "reproduction interdite") with a copyright mark or in at most ``max_bare_words``
    words: "The band said all rights reserved by the label had been sold." is a sentence
    of the article. A photo credit ("© AFP") is the credits cleaner's.
    """

    name = "legal_notices"
    defaults = {"max_words": 60, "max_bare_words": 12}

    def _notice_shaped(self, text: str) -> bool:
        # A sentence of the article may say "all rights reserved" or "may not be
        # reproduced" too; a notice carries the copyright mark or is a short line.
        return bool(_MARK.search(text)) \
            or word_count(text) <= int(self.options["max_bare_words"])

    @hookimpl
    def clean(self, document):
        notices = lexicon("legal_notice")
        for block in list(document.blocks):
            if word_count(block.text) > int(self.options["max_words"]):
                continue
            if (_COPYRIGHT.match(block.text) and _YEAR.search(block.text)) \
                    or (notices.found(words(block.text)) and self._notice_shaped(block.text)):
                document.drop_block(block, self.name, "copyright or reprint notice")
