"""Index and listing pages: a list of teasers for other articles, not one article."""
from __future__ import annotations

from clean_corpus import hookimpl
from clean_corpus_plugins.cleaners.lexmatch import word_count
from clean_corpus_plugins.detectors.base import Detector
from clean_corpus_plugins.detectors.page import (card_share, declares_article,
                                                 declares_listing, page_signals)


class ListingPage(Detector):
    """Front pages, section pages, tag pages, archives and product grids.

    Such a page is a run of *teaser cards*, each a headline link (a link of 4 to 30 words
    that is a heading, holds one, or fills its list item) with perhaps a line of summary.
    An article page has cards too (related links), but its text is its own prose. So a
    page is a listing when it has at least ``min_links`` headline links and at least
    ``min_card_share`` of the record's words lie inside those cards (or almost no words
    are left: under ``min_words``). A page that declares itself one article (``og:type``
    article, JSON-LD ``NewsArticle``...) needs ``min_card_share_article``: listicles
    built of headline links stay. A page whose predicted ``page_type`` is one of ``types``,
    with a probability of at least ``min_type_probability``, is a listing too; for a text
    document (no links to read) the predicted type is all there is. Default policy
    ``annotate``: a corpus of articles sets ``drop``.
    """

    name = "listing_page"
    defaults = {"policy": "annotate", "min_links": 5, "min_card_share": 0.6,
                "min_card_share_article": 0.9, "min_words": 20,
                "types": ["listing", "collection"], "min_type_probability": 0.8}
    flag, reason = "listing", "listing page (teasers for other articles, not one article)"

    @hookimpl
    def detect(self, document):
        signals = page_signals(document)
        typed = document.signatures.get("page_type") or {}
        by_type = typed.get("type") in self.options["types"] and \
            typed.get("probability", 0.0) >= float(self.options["min_type_probability"])
        if not signals["html"]:  # text: no links to read, the predicted type alone
            document.detections[self.name] = {"listing": by_type,
                                              "page_type": document.meta.get("page_type"),
                                              "headline_links": 0, "card_share": 0.0}
            return
        share = card_share(document, signals)
        article = declares_article(signals)
        needed = float(self.options["min_card_share_article" if article else "min_card_share"])
        few_words = sum(word_count(b.text) for b in document.blocks) < \
            int(self.options["min_words"])
        cards = signals["headline_links"] >= int(self.options["min_links"]) and \
            (share >= needed or few_words)
        document.detections[self.name] = {
            "listing": cards or by_type, "page_type": document.meta.get("page_type"),
            "headline_links": signals["headline_links"],
            "card_share": round(share, 4), "declares_article": article,
            "declares_listing": declares_listing(signals)}
