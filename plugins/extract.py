"""The built-in HTML extractor: trafilatura, keeping the page's block structure."""
from __future__ import annotations

import copy
import re
from functools import lru_cache

from lxml import etree

from clean_corpus import Plugin, hookimpl
from clean_corpus.document import Block, Extraction, normalize_text
from clean_corpus.htmltree import HIDDEN_TAGS, Visible
from clean_corpus_plugins.cleaners.lineshape import ends_sentence, is_prose

#: trafilatura XML elements and the block kind each becomes.
_KINDS = {"p": "p", "head": "head", "item": "item", "quote": "quote", "row": "table",
          "caption": "caption", "code": "p"}

#: Document attributes of trafilatura's XML output that become record fields.
_META = {"title": "title", "author": "byline", "date": "date", "description": "description",
         "sitename": "sitename", "categories": "section"}


#: Class/id words that name an article's lead paragraph (standfirst, chapô, teaser text).
#: trafilatura drops most of these on purpose, since the same words name teaser boxes.
_LEAD_WORDS = frozenset({"lead", "intro", "chapo", "chapeau", "standfirst", "teaser", "summary",
                         "excerpt", "abstract", "description", "deck", "dek", "sapo",
                         "lede", "leadin", "subline", "subtitle", "entradilla", "entradeta"})

#: Class/id words of page regions whose teasers are other articles', not this one's lead,
#: looked for on the element and its closest ancestors (a page layout named
#: "header-and-sidebar" high above the article says nothing).
_NOT_LEAD_WORDS = frozenset({"related", "sidebar", "widget", "comment", "comments", "promo", "nav",
                             "menu", "footer", "aside", "card", "slider", "carousel", "more",
                             "recommended", "popular", "author", "bio"})
#: Words that make the element itself the site's tagline, not an article's lead
#: (WordPress's ``site-description``); a ``site-main`` around the article is harmless.
_SITE_WORDS = frozenset({"site", "blog", "tagline", "slogan", "brand", "logo", "header"})
#: Parts of compound names ("cookiebar__intro-copy") that rule a region out as well.
_NOT_LEAD_PARTS = ("cookie", "consent", "gdpr", "privacy", "newsletter", "subscri", "paywall",
                   "related", "sidebar", "comment")
_NEAR_ANCESTORS = 3

#: Elements whose text is never the article's lead.
_NOT_LEAD_TAGS = frozenset({"a", "nav", "aside", "footer", "form", "li", "figure", "figcaption",
                            "button", "select", "label", "table", *HIDDEN_TAGS})

_NAME_SPLIT = re.compile(r"[^A-Za-z]+|(?<=[a-z])(?=[A-Z])")
_WS = re.compile(r"\s+")
_WORDS = re.compile(r"[^\W_]+")


#: Characters of an element's class and id read: a 4 MB class attribute is no page's
#: design, and each element asks after its ancestors' names.
_MAX_NAMES_CHARS = 1000


def _names(element) -> str:
    """The element's class and id, as one string (its first ``_MAX_NAMES_CHARS``)."""
    return f"{element.get('class') or ''} {element.get('id') or ''}"[:_MAX_NAMES_CHARS]


def _name_words(element) -> frozenset[str]:
    """Lower-cased words of the element's class and id ("tb-article-intro", "documentDescription")."""
    return _split_names(_names(element))


@lru_cache(maxsize=4096)
def _split_names(names: str) -> frozenset[str]:
    # cached: a page repeats the same few class names on most of its elements
    return frozenset(w.lower() for w in _NAME_SPLIT.split(names) if w)


def _names_other_region(element) -> bool:
    if _name_words(element) & _NOT_LEAD_WORDS:
        return True
    names = _names(element).lower()
    return any(part in names for part in _NOT_LEAD_PARTS)


def _flat(text: str) -> str:
    return _WS.sub(" ", text).strip()


def _is_lead_candidate(page: Visible, element, min_words: int, max_words: int) -> str | None:
    """The element's text when it is shaped like a lead paragraph, else None."""
    names = _name_words(element)
    if not names & _LEAD_WORDS or names & _SITE_WORDS:
        return None
    for depth, node in enumerate([element, *element.iterancestors()]):
        if node.tag in _NOT_LEAD_TAGS:
            return None
        if depth <= _NEAR_ANCESTORS and _names_other_region(node):
            return None
    text = _flat(page.text(element))
    count = len(_WORDS.findall(text))
    if not min_words <= count <= max_words or not ends_sentence(text) or text.startswith("©"):
        return None  # a lead is sentences; a credit line or a label is not
    links = sum(len(_flat(page.text(a))) for a in element.iter("a"))
    if links > 0.3 * len(text):
        return None
    return text


def lead_paragraph(tree, blocks: list[Block], min_words: int = 8,
                   max_words: int = 200) -> tuple[int, Block] | None:
    """The article's lead paragraph when extraction lost it, and where it goes.

    Extractors drop elements named "teaser", "intro" or "summary" because those words
    also name boxes of links to other articles; but the article's own standfirst is
    named the same way. It is taken back when it follows the page's headline (the first
    ``h1``; any ``h2``/``h3`` on a page without one), is
    the first such element after it, reads as text (few links, 8 to 200 words), and comes
    before the first extracted paragraph it is not part of. Returns the block index to
    insert at (page order) and the block, or None.
    """
    if not blocks or tree is None:
        return None
    page = Visible(tree)
    # pages without an h1 (some CMSs style an h2/h3 as the headline) take any heading
    headings = ("h1",) if next(page.elements("h1"), None) is not None else ("h2", "h3")
    seen_headline = False
    lead = None
    for element in page.elements():
        if element.tag in headings:
            seen_headline = seen_headline or bool(_flat(page.text(element)))
            continue
        if seen_headline:
            lead = _is_lead_candidate(page, element, min_words, max_words)
            if lead:
                break
    if not lead:
        return None
    extracted = _flat(" ".join(b.text for b in blocks))
    if lead[:80] in extracted or any(_flat(b.text)[:80] in lead for b in blocks
                                     if len(b.text) >= 40):
        return None  # extraction kept it, whole or in part
    text = _flat(page.text(tree))
    at = text.find(lead)
    # the lead goes before the body: only the headings extraction kept may come first
    index = 0
    while index < len(blocks) and blocks[index].kind == "head":
        index += 1
    if index == len(blocks):
        return None
    body = text.find(_flat(blocks[index].text)[:60])
    if at < 0 or body < 0 or at > body:
        return None  # not before the article's first extracted paragraph
    return index, Block(lead, "p")


def _prose_chars(blocks: list[Block]) -> int:
    """Characters in the blocks that read as article prose (sentences, 150+ characters)."""
    return sum(len(b.text) for b in blocks if is_prose(b.text))


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
    taken = set()
    for element in main.iter(*_KINDS):
        if any(above in taken for above in element.iterancestors(*_KINDS)):
            continue  # the block around it (a list item, a quote, a table row) holds its text
        taken.add(element)
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

    Two repairs of our own, both measured there too: ``recover_lead`` takes back the
    article's lead paragraph that trafilatura drops for its class name
    (:func:`lead_paragraph`), and when the balanced result has fewer than
    ``recall_below`` characters of prose (0 switches it off), a second pass in recall
    mode replaces it if that finds at least twice as much prose.

    ``extensive_date_search`` turns on htmldate's extensive search for the page's date:
    when the page declares no date (meta, JSON-LD, ``time`` and date-named elements) it
    reads every text segment, the whole page source and, for date-like strings, the
    dateparser library. It is off by default, as measured on wcxb-dev (691 pages with a
    known date, whole chain): on, 563 dates right, 105 wrong, 23 missing; off, 545 right,
    94 wrong, 52 missing (text identical; devset F1 unchanged). It costs about 7 ms a page
    on average, mostly on pages without a date, and about 1.3 s of CPU once per process
    when dateparser first loads its languages: 29 % of the CPU of a run over 100 devset
    pages (``bench/README.md``).

    When trafilatura fails on a page while reading its metadata (htmldate's date search
    tripping on tag soup), the page is extracted again without metadata and the record's
    ``detections["trafilatura"]["metadata_failed"]`` names the error, so a record without
    title or date says why.
    """

    name = "trafilatura"
    defaults = {"favor_precision": False, "favor_recall": False, "include_tables": True,
                "include_links": True, "recover_lead": True, "recall_below": 300,
                "extensive_date_search": False}

    @hookimpl(trylast=True)
    def extract(self, document):
        if document.html is None:
            return None  # a text document: the text extractor's
        root = self._run(document, self.options["favor_recall"])
        if root is None:
            return Extraction(blocks=[])
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
        blocks = _blocks(main) if main is not None else []
        if not self.options["favor_recall"] and _prose_chars(blocks) < self.options["recall_below"]:
            blocks = self._recall_fallback(document, blocks)
        if self.options["recover_lead"]:
            found = lead_paragraph(document.tree, blocks)
            if found:
                blocks.insert(*found)
        return Extraction(blocks=blocks, metadata=metadata)

    def _run(self, document, favor_recall: bool, with_metadata: bool = True):
        if document.tree is None:
            return None
        # on first use: a run over text files never loads trafilatura
        from trafilatura.settings import Extractor, set_date_params

        options = Extractor(
            output_format="xml", url=document.url, with_metadata=with_metadata,
            date_params=set_date_params(self.options["extensive_date_search"]),
            comments=False, images=False, formatting=False,
            tables=self.options["include_tables"], links=self.options["include_links"],
            precision=self.options["favor_precision"] and not favor_recall,
            recall=favor_recall, dedup=False)
        try:
            xml = _xml_output(document.tree, options)
        except etree.XMLSyntaxError:
            # Tag soup can leave tag or attribute names that are no XML names ('<p a"b=1>',
            # '<la&x;>'): trafilatura's own XML output then fails to parse. Retry on an
            # XML-safe copy (the shared tree is never changed).
            xml = _xml_output(_xml_safe_copy(document.tree), options)
        except Exception as error:
            if not with_metadata:
                raise
            # htmldate's date search can trip on tag soup (an AssertionError in lxml's
            # drop_tree): the text is still worth having, without the page's metadata,
            # and the record says why its title and date are missing.
            document.detections[self.name] = {
                "metadata_failed": f"{type(error).__name__}: {error}"[:300]}
            return self._run(document, favor_recall, with_metadata=False)
        return etree.fromstring(xml.encode("utf-8")) if xml else None

    def _recall_fallback(self, document, blocks: list[Block]) -> list[Block]:
        """trafilatura's recall mode, when the balanced result has almost no prose.

        A page whose article sits in an unusual container sometimes comes out as a few
        labels; recall mode finds it. Recall mode on every page brings back boilerplate
        (see ``docs/cleaning.md``), so its result is only taken when the balanced one is
        short of prose and recall mode has at least twice as much.
        """
        # the metadata is the balanced pass's: only the blocks are taken from this one
        root = self._run(document, favor_recall=True, with_metadata=False)
        main = root.find("main") if root is not None else None
        if main is None:
            return blocks
        recalled = _blocks(main)
        return recalled if _prose_chars(recalled) >= 2 * max(1, _prose_chars(blocks)) else blocks


def _xml_output(tree, options) -> str | None:
    """trafilatura's XML output of the page: what ``trafilatura.extract`` returns, without
    the content fingerprint it also computes (a hash over the text, nowhere used here:
    about 3 % of a page's time)."""
    try:
        from trafilatura.core import bare_extraction, determine_returnstring
    except ImportError:  # internals a later trafilatura may move: its public call instead
        import trafilatura

        return trafilatura.extract(tree, options=options)
    document = bare_extraction(tree, options=options)
    return determine_returnstring(document, options) if document is not None else None


_XML_NAME = re.compile(r"[A-Za-z_][-A-Za-z0-9_.]*\Z")


def _xml_safe_copy(tree):
    """A copy of ``tree`` whose tag and attribute names are all XML names: an element
    with another name becomes a ``span`` (its text stays), such an attribute goes."""
    tree = copy.deepcopy(tree)
    for element in tree.iter():
        if isinstance(element.tag, str) and not _XML_NAME.match(element.tag):
            element.tag = "span"
        for name in [n for n in element.attrib if not _XML_NAME.match(n)]:
            del element.attrib[name]
    return tree
