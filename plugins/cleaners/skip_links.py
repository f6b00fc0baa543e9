"""Remove skip links and menu controls ("Accéder au contenu principal", "Skip to content").

Where it earns its place: HTML articles (trafilatura's path) and short texts, which no
classifier cleans; on whole-page text the classifier does this work (ablation in
docs/classifier-experiments.md, "Rule cleaners, one by one").
"""
from __future__ import annotations

from clean_corpus import Plugin, hookimpl
from clean_corpus_plugins.cleaners.lexmatch import lexicon, words


class SkipLinks(Plugin):
    """Drop blocks that are only accessibility or menu controls.

    Screen-reader shortcuts ("Zum Inhalt springen", "Saltar al contenido") and menu toggles
    are links, not text; scrapers keep them as the first lines of a page. A block goes only
    when it consists of such phrases (lexicon kind ``skip_link``), so a sentence that
    mentions the main content stays.
    """

    name = "skip_links"

    @hookimpl
    def clean(self, document):
        phrases = lexicon("skip_link")
        for block in list(document.blocks):
            if phrases.covers(words(block.text), numbers=False):
                document.drop_block(block, self.name, "skip link or menu control")
