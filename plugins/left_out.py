"""What extraction left out of an HTML page: the page's text blocks it did not keep.

Only the explain report needs this, so the plugin ships disabled: ``clean-corpus explain``
and ``clean-corpus run --report DIR`` enable it. It is not written to the record: on the
development pages the text extraction leaves out (menus, footers, teaser boxes) is three
quarters as long as the text it keeps, and every record would grow by as much.
"""
from __future__ import annotations

import re

from lxml import etree

from clean_corpus import Plugin, hookimpl
from clean_corpus.htmltree import HIDDEN_TAGS

SIGNATURE = "left_out"

#: Elements that start a new block of text on a rendered page.
_BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "br", "button", "caption", "dd",
    "details", "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer",
    "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "label", "legend", "li",
    "main", "menu", "nav", "ol", "option", "p", "pre", "section", "select", "summary",
    "table", "td", "th", "tr", "ul"})
#: Elements whose text a reader never sees as page text.
_HIDDEN_TAGS = frozenset({*HIDDEN_TAGS, "head", "svg", "iframe", "object"})
_WS = re.compile(r"\s+")
_WORDS = re.compile(r"\w+")


def _where(element) -> str:
    """``tag.class#id`` of an element, as a reader of the page source would look for it."""
    name = element.tag
    classes = (element.get("class") or "").split()
    if classes:
        name += "." + classes[0]
    if element.get("id"):
        name += "#" + element.get("id")
    return name


def page_blocks(tree) -> list[tuple[str, str]]:
    """The page's text as a reader sees it, block by block: ``(text, where)`` in page order.

    ``where`` names the block element the text belongs to (``nav``, ``div.related``).
    The tree is only read (it is the document's shared one).
    """
    blocks: list[tuple[str, str]] = []
    parts: list[str] = []
    where = ["body"]
    hidden = 0  # depth inside elements whose text is never shown

    def flush():
        text = _WS.sub(" ", "".join(parts)).strip()
        if text:
            blocks.append((text, where[-1]))
        parts.clear()

    for event, element in etree.iterwalk(tree, events=("start", "end")):
        if not isinstance(element.tag, str):
            if event == "end" and not hidden:  # a comment: its tail is page text
                parts.append(element.tail or "")
            continue
        is_hidden = element.tag in _HIDDEN_TAGS
        if event == "start":
            if hidden or is_hidden:
                hidden += 1
                continue
            if element.tag in _BLOCK_TAGS:
                flush()
                where.append(_where(element))
            parts.append(element.text or "")
        else:
            if hidden:
                hidden -= 1
                if hidden or not is_hidden:
                    continue
            elif element.tag in _BLOCK_TAGS:
                flush()
                where.pop()
            parts.append(element.tail or "")
    flush()
    return blocks


def _shingles(words: list[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i:i + 3]) for i in range(max(1, len(words) - 2))}


def left_out(html_tree, kept_text: str) -> list[dict]:
    """Blocks of the page that are not in ``kept_text`` (what extraction returned).

    A block counts as kept when its text is in ``kept_text`` as it stands, or, for a
    block of 8 words or more that extraction reflowed (a table row, a line break), when
    half its word triples are. Returns ``{"text", "where"}`` entries in page order.
    """
    flat = _WS.sub(" ", kept_text).strip()
    kept_words = _WORDS.findall(flat.lower())
    kept_shingles = _shingles(kept_words)
    out = []
    for text, where in page_blocks(html_tree):
        if text in flat:
            continue
        words = _WORDS.findall(text.lower())
        if not words:
            continue  # a separator, a bullet: nothing a reader would miss
        if len(words) >= 8:
            mine = _shingles(words)
            if len(mine & kept_shingles) >= 0.5 * len(mine):
                continue
        out.append({"text": text, "where": where})
    return out


class ExtractionLeftOut(Plugin):
    """For the explain report: the page's text blocks that extraction did not keep.

    Kept in ``document.signatures`` (never in the record); disabled unless a report is
    asked for. The extracted text is what cleaning started from: the blocks kept plus
    every span the cleaners removed.
    """

    name = "left_out"
    enabled_by_default = False

    @hookimpl
    def detect(self, document):
        tree = document.tree if document.html is not None else None
        if tree is None:
            return
        extracted = "\n".join([*(b.text for b in document.blocks),
                               *(r.text for r in document.removed)])
        document.signatures[SIGNATURE] = left_out(tree, extracted)
