"""Remove inline teasers: "À lire aussi : ...", "Lea también: ...", a paragraph that is one link.

Where it earns its place: HTML articles (trafilatura's path) and short texts, which no
classifier cleans; on whole-page text the classifier does this work (ablation in
docs/classifier-experiments.md, "Rule cleaners, one by one").
"""
from __future__ import annotations

import re

from clean_corpus import Plugin, hookimpl
from clean_corpus_plugins.cleaners.lexmatch import (LABEL_SEPARATOR, ends_with_full_stop,
                                                    holding_ids, is_bare_address, lexicon,
                                                    word_count, words)

#: Between the end of a sentence and a label glued after it ("... ministre. (Lire aussi").
#: The most characters between two sentences' words ("?!» « ").
_MAX_GAP = 16
_SENTENCE_GAP = re.compile(r"[^\w]*[.!?…»”\"][^\w\s]*(?P<space>\s)[^\w]*")
#: A web address as text: a scheme, "www.", or a host name ending in a top-level domain
#: (letters only, lower case, then a path or the end of the word: "itfjuniors.de").
_ADDRESS = re.compile(r"https?://|www\.|\b[\w-]{2,}\.[a-z]{2,6}(?=/|\s|$|[.,;)])")


class InlineTeasers(Plugin):
    """Drop single blocks that point the reader to another article.

    * A teaser label (lexicon kind ``related``: "Lire aussi", "LESEN SIE AUCH", "Czytaj
      też"), a separator (``:``, ``»``, ``|``, ``-``) and a headline: a title of at most
      ``max_title_words`` words without a final full stop, or a link. One-word labels
      that are also names or verbs ("Lea", "Mira", "Watch", kind ``related_label``)
      count only before a link. "Read more about this in the report" has no separator and
      stays; "Related: the minister's remarks ... resignation." is a sentence and stays.
    * The same teaser glued after the last sentence of a paragraph is cut from it
      ("... a indiqué le ministre. Lire aussi : La réforme adoptée").
    * A paragraph that is a link and nothing else (link density at least
      ``link_density``, 3 to ``max_link_words`` words, not a bare URL or e-mail address,
      not a byline): the title of another page set between the article's paragraphs.
      ``link_run`` or more of them in a row are a list, left to ``link_lists``.
    * A short pointer (at most ``max_pointer_words`` words) that opens with a "more
      information" phrase (kind ``more_info``: "Weitere Infos unter", "Plus d'infos sur")
      and gives a web address or a link.
    """

    name = "inline_teasers"
    defaults = {"max_title_words": 25, "link_density": 0.8, "max_link_words": 30,
                "max_pointer_words": 15, "link_run": 3}

    @hookimpl
    def clean(self, document):
        # the label, glued-teaser and pointer tests need a phrase: most blocks have none
        labelled = holding_ids(document.blocks, lexicon("related"), lexicon("related_label"),
                               lexicon("more_info"))
        for block in list(document.blocks):
            lexical = id(block) in labelled
            if lexical and self._labelled(block):
                document.drop_block(block, self.name, "inline teaser")
            elif lexical and (start := self._glued(block)) is not None:
                # the teaser's link goes with it; the paragraph left is prose
                document.cut(block, start, len(block.text), self.name,
                             "inline teaser at the end of a paragraph",
                             link_chars=len(block.text) - start)
            elif self._lone_link(block) and not self._in_link_run(document.blocks, block):
                document.drop_block(block, self.name, "paragraph that is only a link")
            elif lexical and self._pointer(block):
                document.drop_block(block, self.name, "pointer to another page")

    def _labelled(self, block) -> bool:
        ws = words(block.text)
        strong, weak = lexicon("related").prefix(ws), lexicon("related_label").prefix(ws)
        k = max(strong, weak)
        if not k or k == len(ws):
            return False
        after = block.text[ws[k - 1].end:]
        separator = LABEL_SEPARATOR.match(after)
        if not separator:
            return False
        title = after[separator.end():].strip()
        linked = block.link_density >= 0.5
        if not strong:
            return linked
        return linked or self._headline(title)

    def _glued(self, block) -> int | None:
        """Where a teaser glued after the last sentence of a paragraph starts, if any.

        "... a indiqué le ministre. Lire aussi : La réforme adoptée": a ``related``
        label right after a sentence end, a separator, and a headline up to the end.
        """
        text, ws = block.text, words(block.text)
        related = lexicon("related")
        # the label is within the last words: a headline is short
        first = max(1, len(ws) - int(self.options["max_title_words"]) - 6)
        for i in range(len(ws) - 1, first - 1, -1):
            k = related.prefix_at(ws.tokens, i)
            if not k or i + k >= len(ws):
                continue
            if ws[i].start - ws[i - 1].end > _MAX_GAP:
                continue  # a run of punctuation, not a sentence end (and quadratic to match)
            gap = _SENTENCE_GAP.fullmatch(text, ws[i - 1].end, ws[i].start)
            if not gap:
                continue
            after = text[ws[i + k - 1].end:]
            separator = LABEL_SEPARATOR.match(after)
            if separator and self._headline(after[separator.end():]):
                return gap.start("space")  # with its opening bracket, if any
        return None

    def _headline(self, title: str) -> bool:
        title = title.strip()
        return (0 < word_count(title) <= int(self.options["max_title_words"])
                and "\n" not in title and not ends_with_full_stop(title))

    def _pointer(self, block) -> bool:
        """ "Weitere Infos unter www.x.de", "More information at <link>": short, addressed."""
        if word_count(block.text) > int(self.options["max_pointer_words"]):
            return False
        if not lexicon("more_info").prefix(words(block.text)):
            return False
        return block.link_density >= 0.3 or bool(_ADDRESS.search(block.text))

    def _in_link_run(self, blocks, block) -> bool:
        """True when the block is one of ``link_run`` or more link paragraphs in a row.

        That is a list of links, the ``link_lists`` cleaner's, which takes the label above
        it ("Keep exploring:") as well; taken one by one here, the label would stay behind.
        Only short paragraphs count, as ``link_lists`` takes only those.
        """
        def linked(b) -> bool:
            return self._lone_link(b) and len(b.text) <= 200

        i = blocks.index(block)
        start = end = i
        while start > 0 and linked(blocks[start - 1]):
            start -= 1
        while end + 1 < len(blocks) and linked(blocks[end + 1]):
            end += 1
        return linked(block) and end - start + 1 >= int(self.options["link_run"])

    def _lone_link(self, block) -> bool:
        if block.kind not in ("p", "line", "piece", "quote") \
                or block.link_density < float(self.options["link_density"]):
            return False  # (scraped text has no links: its blocks all stop here)
        # "Von: Götz Warnke", "By Jane Doe": a linked byline is left to the byline cleaner.
        if lexicon("byline_label").prefix(words(block.text)):
            return False
        count = word_count(block.text)
        return 3 <= count <= int(self.options["max_link_words"]) \
            and not is_bare_address(block.text)
