"""Remove cookie-consent banners ("Nous utilisons des cookies ...", "Tout accepter").

Where it earns its place: HTML articles (trafilatura's path) and short texts, which no
classifier cleans; on whole-page text the classifier does this work (ablation in
docs/classifier-experiments.md, "Rule cleaners, one by one").
"""
from __future__ import annotations

from clean_corpus import Plugin, hookimpl
from clean_corpus_plugins.cleaners.lexmatch import holding, lexicon, word_count, words


class CookieConsent(Plugin):
    """Drop the text of a cookie banner that the extractor kept.

    A banner speaks in the site's own voice ("we use cookies", "en poursuivant votre
    navigation", lexicon kind ``cookie_notice``): a block of at most ``max_words`` words
    that says so goes. Its buttons ("Tout accepter", "Alle ablehnen", kind
    ``consent_button``) go when a block is only buttons. An article *about* cookies
    ("Google uses cookies to ...") has none of these first-person phrases and stays.
    """

    name = "cookie_consent"
    defaults = {"max_words": 80}

    @hookimpl
    def clean(self, document):
        notices, buttons = lexicon("cookie_notice"), lexicon("consent_button")
        for block in holding(document.blocks, notices, buttons):
            ws = words(block.text)
            if buttons.covers(ws, numbers=False):
                document.drop_block(block, self.name, "cookie consent button")
            elif word_count(block.text) <= int(self.options["max_words"]) \
                    and notices.found(ws):
                document.drop_block(block, self.name, "cookie consent notice")
