"""Remove advertising labels ("Publicité", "Anzeige"), affiliate notices and ad-sales boxes.

Where it earns its place: HTML articles (trafilatura's path) and short texts, which no
classifier cleans; on whole-page text the classifier does this work (ablation in
docs/classifier-experiments.md, "Rule cleaners, one by one").
"""
from __future__ import annotations

from clean_corpus import Plugin, hookimpl
from clean_corpus_plugins.cleaners.lexmatch import holding, lexicon, word_count, words


class AdLabels(Plugin):
    """Drop the marks an ad slot leaves in the text.

    * A block made only of advertising labels (lexicon kind ``advertising``: "Publicité",
      "Advertisement", "Anzeige, enthält Affiliate Links", "REKLAMA") is the label of an
      ad that the scraper did not keep. "La publicité en ligne a rapporté ..." stays: the
      label must be the whole block.
    * A block of at most ``max_disclosure_words`` words in which the site discloses
      affiliate links or paid content (kind ``ad_disclosure``: "Dieser Artikel enthält
      Affiliate-Links", "we may earn a commission") is a notice of the site, not of the
      article. "Affiliate links let bloggers earn ..." is about them and stays.
    * A block of at most ``max_notice_words`` words that opens by selling ad space (kind
      ``ad_sales``: "Advertise with us", "Werben Sie bei uns") is the site's ad box.
    """

    name = "ad_labels"
    defaults = {"max_disclosure_words": 60, "max_notice_words": 80}

    @hookimpl
    def clean(self, document):
        labels = lexicon("advertising")
        disclosures, sales = lexicon("ad_disclosure"), lexicon("ad_sales")
        for block in holding(document.blocks, labels, disclosures, sales):
            ws = words(block.text)
            count = word_count(block.text)
            if labels.covers(ws, numbers=False):
                document.drop_block(block, self.name, "advertising label")
            elif count <= int(self.options["max_disclosure_words"]) and disclosures.found(ws):
                document.drop_block(block, self.name, "affiliate or sponsored-content notice")
            elif count <= int(self.options["max_notice_words"]) and sales.prefix(ws):
                document.drop_block(block, self.name, "advertising sales box")
