"""Remove "read also" teaser lists: a heading ("À regarder", "Related") and its short items.

Where it earns its place: HTML articles (trafilatura's path) and short texts, which no
classifier cleans; on whole-page text the classifier does this work (ablation in
docs/classifier-experiments.md, "Rule cleaners, one by one").
"""
from __future__ import annotations

from clean_corpus import Plugin, hookimpl
from clean_corpus_plugins.cleaners.lexmatch import (LABEL_SEPARATOR, ends_with_full_stop,
                                                    is_prose, is_separator, lexicon, words)


def is_teaser_heading(block) -> bool:
    """A block that announces a list of links to other articles.

    Either only phrases of the lexicon kind ``related`` ("À lire aussi", "Mehr zum
    Thema :") or such a phrase and a short name without separator ("Auch auf
    gofeminin.de", "More from CNN"). "Read more about this in the report" is a sentence.
    """
    text = block.text
    ws = words(text)
    related = lexicon("related")
    if not related.may_start_in(ws):
        return False
    if related.covers(ws, numbers=False):
        return True
    k = related.prefix(ws)
    if not k or len(ws) - k > 3 or len(text) > 60 or ends_with_full_stop(text):
        return False
    rest = text[ws[k - 1].end:]
    if LABEL_SEPARATOR.match(rest):
        return False
    # the name of a site or a place, not the rest of a phrase ("Auch auf dem Land")
    name = rest.strip()
    return name[:1].isupper() or name[:1].isdigit() or "." in name


class TeaserLists(Plugin):
    """Drop a teaser heading and the run of short items under it.

    The run goes on over short headline-shaped blocks (at most ``max_item_chars``
    characters, no final full stop), separator lines ("-", "•", as in scraped lists),
    link-dense blocks, and further teaser headings. It stops where the article resumes:
    at prose (a long paragraph or a sentence), or before a short line that heads prose
    (a section title of the article). Above the article's first paragraph, the last two
    plain lines of a run are left alone: they are its title and standfirst. A heading
    with no item under it goes only when no article text follows it. A list of short
    items without such a heading (ingredients, steps) is never touched here, nor are list
    items of a page under such a heading when they are not links.
    """

    name = "teaser_lists"
    defaults = {"max_item_chars": 160, "max_linked_chars": 600}

    @hookimpl
    def clean(self, document):
        i = 0
        while i < len(document.blocks):
            block = document.blocks[i]
            if is_teaser_heading(block):
                run = self._items(document.blocks, i + 1)
                if not any(is_prose(b) for b in document.blocks[:i]):
                    run = self._spare_title(document.blocks, run)
                rest = document.blocks[i + 1 + len(run):]
                if run or not any(is_prose(b) for b in rest):
                    document.drop_block(block, self.name, "teaser list heading")
                    document.drop_blocks(run, self.name, "teaser list item")
                    continue
            i += 1

    def _items(self, blocks, start: int) -> list:
        run = []
        for j in range(start, len(blocks)):
            block = blocks[j]
            if is_separator(block.text) or is_teaser_heading(block):
                run.append(block)
            elif is_prose(block):
                break
            elif block.link_density >= 0.5 \
                    and len(block.text) <= int(self.options["max_linked_chars"]):
                run.append(block)
            elif self._is_item(block):
                if block.kind == "item":
                    # Only an extracted page has list items, and the extractor counts their
                    # links: a teaser item is a link, an item without one is the article's
                    # own list ("À voir" over the sights of a trip). It ends the run.
                    break
                if self._heads_prose(blocks, j + 1):
                    break
                run.append(block)
            else:
                break
        while run and is_separator(run[-1].text) and run[-1] is not blocks[-1]:
            run.pop()  # a trailing separator before prose belongs to neither
        return run

    @staticmethod
    def _spare_title(blocks, run: list) -> list:
        """Above the article, the two plain lines over its first paragraph are not items.

        A menu item such as "À la une" may head the page; the run under it must not take
        the article's title and standfirst, which stand right above the first paragraph.
        """
        if not run:
            return run
        start = blocks.index(run[0])
        first_prose = next((j for j in range(start, len(blocks)) if is_prose(blocks[j])), None)
        if first_prose is None:
            return run
        spared = [b for b in blocks[start:first_prose] if not is_separator(b.text)][-2:]
        spared = [b for b in spared if b.kind != "item" and b.link_density < 0.5
                  and not is_teaser_heading(b)]
        return [b for b in run if not any(b is s for s in spared)]

    def _is_item(self, block) -> bool:
        text = block.text
        return (len(text) <= int(self.options["max_item_chars"]) and "\n" not in text
                and not ends_with_full_stop(text))

    @staticmethod
    def _heads_prose(blocks, start: int) -> bool:
        for block in blocks[start:]:
            if not is_separator(block.text):
                return is_prose(block)
        return False
