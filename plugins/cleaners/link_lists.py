"""Remove lists of links without prose: runs of link-only blocks and menu bars.

Where it earns its place: HTML articles (trafilatura's path) and short texts, which no
classifier cleans; on whole-page text the classifier does this work (ablation in
docs/classifier-experiments.md, "Rule cleaners, one by one").
"""
from __future__ import annotations

import re

from clean_corpus import Plugin, hookimpl
from clean_corpus_plugins.cleaners.lexmatch import is_bare_address, is_separator, word_count

_MENU_SEPARATORS = re.compile(r"\s[|•·]\s")


class LinkLists(Plugin):
    """Drop navigation that survived extraction, told by its links, not its words.

    * A run of at least ``min_run`` consecutive short blocks (at most ``max_chars``
      characters each) that are almost all link text (link density at least
      ``link_density``) is a menu, a tag list or an untitled "related" box; a short label
      right above it (at most ``max_heading_words`` words, ending with a colon) goes
      with it. Bare URLs and e-mail addresses are the text itself and break a run.
    * A single block of at least three short parts separated by ``|``, ``•`` or ``·``,
      mostly links, is a menu bar ("Politik | Wirtschaft | Kultur").

    Needs the extractor's link information (``Block.link_chars``): plain text has none,
    and nothing is removed from it here. On a page whose ``page_type`` is one of
    ``content_types`` (a listing, a product grid) the lists of links are the content.
    """

    name = "link_lists"
    defaults = {"min_run": 3, "max_chars": 200, "link_density": 0.8,
                "menu_link_density": 0.6, "max_heading_words": 8,
                "content_types": ["listing", "collection"]}
    minimums = {"min_run": 1}

    @hookimpl
    def clean(self, document):
        if document.meta.get("page_type") in self.options["content_types"]:
            return
        blocks = document.blocks
        i = 0
        while i < len(blocks):
            j, links = i, 0
            while j < len(blocks) and (self._is_link(blocks[j])
                                       or (j > i and is_separator(blocks[j].text))):
                links += self._is_link(blocks[j])
                j += 1
            if links >= int(self.options["min_run"]):
                run = blocks[i:j]
                if i > 0 and self._is_heading(blocks[i - 1]):
                    run.insert(0, blocks[i - 1])
                    i -= 1
                document.drop_blocks(run, self.name, "list of links")
                continue
            if self._is_menu(blocks[i]):
                document.drop_block(blocks[i], self.name, "menu bar")
                continue
            i += 1

    def _is_link(self, block) -> bool:
        return (block.link_density >= float(self.options["link_density"])
                and len(block.text) <= int(self.options["max_chars"])
                and not is_bare_address(block.text))

    def _is_heading(self, block) -> bool:
        # Only a label that announces the list ("Links:", "Partner:"); a title without
        # a colon may be the article's own and stays.
        return (block.link_density < float(self.options["link_density"])
                and 1 <= word_count(block.text) <= int(self.options["max_heading_words"])
                and block.text.rstrip().endswith(":"))

    def _is_menu(self, block) -> bool:
        # A table row is joined with "|" too: it must be links almost throughout.
        density = float(self.options["link_density" if block.kind == "table"
                                     else "menu_link_density"])
        if block.link_density < density:
            return False  # (the usual block, and every block of plain text)
        parts = [p for p in _MENU_SEPARATORS.split(block.text) if p.strip()]
        return len(parts) >= 3 and all(word_count(p) <= 4 for p in parts)
