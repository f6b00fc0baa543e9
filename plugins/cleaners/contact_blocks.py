"""Remove contact boxes: "Kontakt:" / "Press contact" and the names, e-mails and phones under it.

Where it earns its place: HTML articles (trafilatura's path) and short texts, which no
classifier cleans; on whole-page text the classifier does this work (ablation in
docs/classifier-experiments.md, "Rule cleaners, one by one").
"""
from __future__ import annotations

import re

from clean_corpus import Plugin, hookimpl
from clean_corpus_plugins.cleaners.lexmatch import holding_ids, is_prose, lexicon, word_count, words

# Each pattern starts at the start of its token (a lookbehind) and its runs never give
# back what they took (possessive): a 40,000-letter token is one pass, not 40,000.
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]++@[\w-]++(?:\.[\w-]++)+")
PHONE = re.compile(r"(?:\b(?:tel|tél|telefon|phone|fon|fax|mobil|mobile|handy)\b\.?\s*+:?\s*+"
                   r"|\+\d)[\d\s/().-]{6,}", re.IGNORECASE)
WEB = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)


def contact_signals(text: str) -> int:
    """How many kinds of contact data (e-mail, phone, web address) ``text`` holds."""
    return sum(bool(p.search(text)) for p in (EMAIL, PHONE, WEB))


class ContactBlocks(Plugin):
    """Drop the contact box of a press release or institutional page.

    * A heading of lexicon kind ``contact`` ("Kontakt:", "Contact presse", "Media
      contact"), or a short label ending with a colon that opens with one, and the
      short blocks under it (at most ``max_words`` words each, until prose) down to the
      last that holds an e-mail address, a phone number or a web address, within
      ``max_blocks`` blocks: names and addresses of press officers are no article text.
    * A single short block that holds both an e-mail address and a phone number (an
      imprint line: "Office X * Street 6 * Town Tel.: ... * info@x.de").
    A sentence that quotes an address stays: a contact line is short and no prose.
    """

    name = "contact_blocks"
    defaults = {"max_words": 25, "max_blocks": 12}

    @hookimpl
    def clean(self, document):
        headings = lexicon("contact")
        # a heading needs a phrase: most blocks have none
        lexical = holding_ids(document.blocks, headings)
        i = 0
        while i < len(document.blocks):
            block = document.blocks[i]
            if id(block) in lexical and self._is_heading(block, headings):
                run = self._run(document.blocks, i + 1)
                if run:
                    document.drop_block(block, self.name, "contact box heading")
                    document.drop_blocks(run, self.name, "contact box")
                    continue
            elif self._is_contact_line(block):
                document.drop_block(block, self.name, "contact line")
                continue
            i += 1

    @staticmethod
    def _is_heading(block, headings) -> bool:
        """ "Kontakt", or a short label that opens with one: "Ansprechpartnerin für die Presse:".

        The label form (at most six words, ending with a colon) lets a heading worded in
        any way the lexicon does not list count, as long as it starts like one.
        """
        ws = words(block.text)
        if headings.covers(ws, numbers=False):
            return True
        return (bool(headings.prefix(ws)) and len(ws) <= 6
                and block.text.rstrip().endswith(":"))

    def _short(self, block) -> bool:
        return word_count(block.text) <= int(self.options["max_words"])

    def _run(self, blocks, start: int) -> list:
        """The short blocks under a heading, down to the last that holds contact data,
        among the next ``max_blocks``: a box is a few lines, and a "Contact us" in a menu
        must not take the page of short lines after it (a shop's items and prices)."""
        run, boxed = [], 0
        for block in blocks[start:start + int(self.options["max_blocks"])]:
            if is_prose(block, min_chars=10_000) or not self._short(block):
                break
            run.append(block)
            if contact_signals(block.text):
                boxed = len(run)
        return run[:boxed]

    def _is_contact_line(self, block) -> bool:
        return ("@" in block.text and self._short(block) and bool(EMAIL.search(block.text))
                and bool(PHONE.search(block.text)))
