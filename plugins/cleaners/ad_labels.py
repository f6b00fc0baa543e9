"""Remove advertising labels ("Publicité", "Anzeige") and affiliate / ad-sales notices."""
from __future__ import annotations

from clean_corpus import Plugin, hookimpl
from clean_corpus_plugins.cleaners.lexmatch import lexicon, word_count, words


class AdLabels(Plugin):
    """Drop the marks an ad slot leaves in the text.

    * A block made only of advertising labels (lexicon kind ``advertising``: "Publicité",
      "Advertisement", "Anzeige, enthält Affiliate Links", "REKLAMA") is the label of an
      ad that the scraper did not keep. "La publicité en ligne a rapporté ..." stays: the
      label must be the whole block.
    * A short block that discloses affiliate links or sells ad space (kind
      ``ad_disclosure``: "Bei den Verlinkungen handelt es sich um Affiliate Links",
      "Advertise with us ...") is a notice of the site, not of the article; a longer one
      goes only when it opens with such a phrase.
    """

    name = "ad_labels"
    defaults = {"max_disclosure_words": 40, "max_notice_words": 80}

    @hookimpl
    def clean(self, document):
        labels, disclosures = lexicon("advertising"), lexicon("ad_disclosure")
        for block in list(document.blocks):
            ws = words(block.text)
            if labels.covers(ws, numbers=False):
                document.drop_block(block, self.name, "advertising label")
            elif disclosures and self._is_notice(ws, block.text, disclosures):
                document.drop_block(block, self.name, "affiliate or advertising notice")

    def _is_notice(self, ws, text, disclosures) -> bool:
        count = word_count(text)
        if count <= int(self.options["max_disclosure_words"]) and disclosures.found(ws):
            return True
        return count <= int(self.options["max_notice_words"]) and disclosures.prefix(ws) > 0
