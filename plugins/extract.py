"""The built-in HTML extractor: trafilatura, keeping the page's block structure."""
from __future__ import annotations

from lxml import etree
import trafilatura

from clean_corpus import Plugin, hookimpl
from clean_corpus.document import Block, Extraction, normalize_text

#: trafilatura XML elements and the block kind each becomes.
_KINDS = {"p": "p", "head": "head", "item": "item", "quote": "quote", "row": "table",
          "caption": "caption", "code": "p"}

#: Document attributes of trafilatura's XML output that become record fields.
_META = {"title": "title", "author": "byline", "date": "date", "description": "description",
         "sitename": "sitename", "categories": "section"}


def _text_of(element) -> str:
    for lb in element.iter("lb"):
        lb.tail = "\n" + (lb.tail or "")
    # strip: the XML's own indentation around links is no line of the page
    return normalize_text("".join(element.itertext())).strip()


def _link_chars(element) -> int:
    """Characters of the element's text that sit inside links (``ref`` elements)."""
    return sum(len(normalize_text("".join(ref.itertext()))) for ref in element.iter("ref"))


def _blocks(main) -> list[Block]:
    blocks = []
    for element in main.iter(*_KINDS):
        if element.tag == "p" and element.getparent() is not None \
                and element.getparent().tag in ("item", "quote", "cell"):
            continue  # the enclosing item/quote carries this text
        if element.tag == "row":
            text = " | ".join(_text_of(cell) for cell in element.iter("cell"))
        else:
            text = _text_of(element)
        if text.strip():
            blocks.append(Block(text, _KINDS[element.tag], link_chars=_link_chars(element)))
    return blocks


class TrafilaturaExtractor(Plugin):
    """Main text and metadata with trafilatura (``trylast``: any other extractor wins).

    Options are trafilatura's own: ``favor_precision``, ``favor_recall``,
    ``include_tables`` and ``include_links``. Links are asked for so that every block
    knows how much of its text was link anchors (``Block.link_chars``), the signal the
    teaser and navigation cleaners rely on; the link targets themselves are not kept.
    The defaults were measured on the development set (see ``docs/cleaning.md``):
    ``favor_precision`` removes more boilerplate but loses article text that the
    cleaners downstream would have kept, so the balanced mode stays the default.
    """

    name = "trafilatura"
    defaults = {"favor_precision": False, "favor_recall": False, "include_tables": True,
                "include_links": True}

    @hookimpl(trylast=True)
    def extract(self, document):
        xml = trafilatura.extract(
            document.html, url=document.url, output_format="xml", with_metadata=True,
            include_comments=False, include_images=False, include_formatting=False,
            include_tables=self.options["include_tables"],
            include_links=self.options["include_links"],
            favor_precision=self.options["favor_precision"],
            favor_recall=self.options["favor_recall"], deduplicate=False)
        if not xml:
            return Extraction(blocks=[])
        root = etree.fromstring(xml.encode("utf-8"))
        main = root.find("main")
        metadata = {}
        for attribute, field_name in _META.items():
            value = root.get(attribute)
            if value:
                metadata[field_name] = value
        if "section" in metadata:
            metadata["section"] = [s.strip() for s in metadata["section"].split(";") if s.strip()]
        if root.get("url") and not document.url:
            document.url = root.get("url")
        return Extraction(blocks=_blocks(main) if main is not None else [], metadata=metadata)
