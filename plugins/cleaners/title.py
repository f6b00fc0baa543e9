"""Lift the headline and the standfirst at the top of a plain text into ``title``/``description``.

What no classifier feature covers: it moves the headline and standfirst into `title` and
`description`; a classifier can only keep or drop a block.
"""
from __future__ import annotations

from clean_corpus import Plugin, hookimpl
from clean_corpus_plugins.cleaners.lineshape import (ends_sentence, is_headline, is_prose,
                                                     median_length, sentence_count, words)


class TitleStandfirst(Plugin):
    """Move a headline line and a standfirst line at the top of the text into fields.

    The headline is a short capitalised line with no final full stop; the standfirst, when
    there is one, is the next line: one sentence, clearly shorter than the body paragraphs
    that follow. At least one paragraph of prose must follow them, so that a list of short
    lines or a poem is left alone. A few short lines may come before the headline (a
    skip link another cleaner did not know); they are left where they are.

    When the document has a title already (an HTML extractor's, a JSONL record's, or the
    one the kicker cleaner split off the first line), only the standfirst is looked for,
    and only in plain text: an extractor keeps the page's lead paragraph as article text.

    Options: ``max_lead_blocks`` (short lines allowed before the headline),
    ``standfirst_ratio`` (standfirst length / median body paragraph length, at most),
    ``max_standfirst_chars``.
    """

    name = "title_standfirst"
    defaults = {"max_lead_blocks": 2, "standfirst_ratio": 0.7, "max_standfirst_chars": 320}

    @hookimpl
    def clean(self, document):
        if document.meta.get("title"):
            if document.html is None and document.blocks:
                self._lift_standfirst(document)
            return
        blocks = document.blocks
        lead = int(self.options["max_lead_blocks"])
        for index, block in enumerate(blocks[: lead + 1]):
            if is_headline(block.text):
                if self._lift(document, index):
                    return
            if is_prose(block.text) or len(words(block.text)) > 8:
                return  # the body has begun, or this is no lead-in line

    def _lift(self, document, index: int) -> bool:
        title, rest = document.blocks[index], document.blocks[index + 1:]
        if not rest:
            return False
        first = rest[0].text
        body = [b.text for b in rest[1:] if is_prose(b.text)]
        if len(rest) > 1 and is_prose(rest[1].text) and self._is_standfirst(first, body):
            standfirst = rest[0]
        elif is_prose(first):
            standfirst = None  # the body follows the headline straight away
        else:
            return False
        document.set_field("title", title.text)
        document.drop_block(title, self.name, "title line")
        if standfirst is not None:
            document.set_field("description", standfirst.text)
            document.drop_block(standfirst, self.name, "standfirst line")
        return True

    def _lift_standfirst(self, document) -> None:
        first, rest = document.blocks[0], document.blocks[1:]
        body = [b.text for b in rest if is_prose(b.text)]
        if rest and is_prose(rest[0].text) and self._is_standfirst(first.text, body):
            document.set_field("description", first.text)
            document.drop_block(first, self.name, "standfirst line")

    def _is_standfirst(self, text: str, body: list[str]) -> bool:
        if not body or "\n" in text or not ends_sentence(text):
            return False
        if len(text) > int(self.options["max_standfirst_chars"]) or len(words(text)) < 5:
            return False
        if sentence_count(text) > 1:
            return False
        return len(text) <= float(self.options["standfirst_ratio"]) * median_length(body)
