"""Markdown as crawlers write it (whole pages turned into Markdown), read as the text it shows.

The Markdown reader (``.md`` files) and the row readers (a ``markdown`` field) hand the
chain the Markdown as written, marked ``document.markdown``; the ``markdown`` plugin reads
it at the start of extraction, in the worker, so that the per-document time limit covers
the parse. A text document that is Markdown without saying so (a crawler's Markdown saved
as ``.txt``, or in a row's ``text`` field) is read so too when it holds Markdown links
with their addresses throughout (``detect``; :func:`looks_like_markdown`). Disabled, the
Markdown is cleaned as the plain text it is.

A page converted to Markdown keeps every link's address, every image's, and the marks of
emphasis, headings and tables; read as plain text, those addresses and marks would land in
the records and hide the page's lines from the cleaners (a menu of ``* [Home](https://...)``
lines reads like nothing a page shows). Parsed with markdown-it-py (CommonMark, with tables
and strikethrough), a Markdown document becomes what a scraper leaves of the same page: a
line per block (a paragraph, a heading, a list item, a table cell, a line of code), link
text without its address, images and inline HTML tags left out.
"""
from __future__ import annotations

import functools
import re

import lxml.html

from clean_corpus import Plugin, hookimpl

#: Runs of spaces an image or a tag left between two words
_SPACES = re.compile(r"[ \t]{2,}")
#: The two ends of a link (or image) whose text held a blank line (a link around a whole
#: card or block, as converters write it): CommonMark reads no link there, so the opening
#: ``[`` or ``![`` and the closing ``](address)`` are left as text; neither is anything a
#: page shows.
_DANGLING_OPENING = re.compile(r"^(?:!?\[\s*)+")
_DANGLING_LINK_END = re.compile(r'\]\(\s*+(?:<?[^\s<>()"]{1,2000}+(?:\([^\s<>()]{0,500}+\)'
                                r'[^\s<>()"]{0,500}+)?>?)?\s*+(?:"[^"\n]{0,500}+"\s*+)?\)')


#: How deep blocks may nest (quotes in quotes, lists in lists). markdown-it skips whatever
#: lies deeper (CommonMark's preset: 20, which a forum's quotes of quotes can reach); a
#: document that goes this deep is read again with its lines' quote and list marks taken
#: off, each line a paragraph, so that nothing is lost.
MAX_NESTING = 100
#: The quote and list marks (and indentation) that open a line
_BLOCK_MARKS = re.compile(r"^(?:\s*(?:>|[*+-]|\d{1,9}[.)])(?=\s|$))*\s*")


#: A Markdown link or image with its address: ``[text](https://...)``, ``![alt](/a.png)``
#: (a linked image counts once, as its image). Its text and address are bounded and never
#: given back (possessive), so that a text of many ``[`` or ``](`` costs linear time.
_LINK = re.compile(r'!?\[[^\[\]\n]{0,500}+\]\((?:https?://|/|#|mailto:|\.\.?/|www\.)'
                   r'[^)\s]{0,2000}+(?:\s++"[^"\n]{0,500}+")?\)')
#: How many such links a text needs, and how many per 1,000 characters, to be read as
#: Markdown: every converted page's menus give it dozens (wcxb-dev and the devset turned
#: into Markdown: 1,455 of 1,518 pages), while the text scrapers leave has none (one of
#: the same 1,518 pages in each form has 11, at 0.5 per 1,000 characters: a page that
#: shows Markdown it failed to render).
DETECT_LINKS, DETECT_DENSITY = 10, 1.0


def looks_like_markdown(text: str) -> int:
    """How many Markdown links with their address ``text`` holds when there are enough of
    them, everywhere enough, to read it as Markdown; else 0."""
    links = len(_LINK.findall(text))
    if links >= DETECT_LINKS and links * 1000 >= DETECT_DENSITY * len(text):
        return links
    return 0


@functools.cache
def _parser():
    from markdown_it import MarkdownIt

    # no linkify, no typographer: the text stays as written
    return MarkdownIt("commonmark", {"maxNesting": MAX_NESTING}).enable(["table",
                                                                        "strikethrough"])


def _inline_text(children) -> str:
    """The text an inline run shows: text and code as written, link text without the
    address, a soft break as a space, a hard break as a new line; images and HTML tags
    show nothing."""
    parts = []
    for token in children or ():  # an image's alt text is a child of the image: not read
        if token.type in ("text", "code_inline"):
            parts.append(token.content)
        elif token.type == "softbreak":
            parts.append(" ")
        elif token.type == "hardbreak":
            parts.append("\n")
    return _SPACES.sub(" ", "".join(parts))  # as a browser shows it: "a ![x](y) b" is "a b"


def _html_text(html: str) -> list[str]:
    """The lines of text a raw HTML block in the Markdown shows."""
    try:
        text = lxml.html.fragment_fromstring(html, create_parent="div").text_content()
    except (lxml.etree.ParserError, ValueError):  # comments or nothing but tags
        return []
    return text.splitlines()


def markdown_text(markdown: str) -> str:
    """The text of a Markdown document, a line per block (see the module's docstring)."""
    tokens = _parser().parse(markdown)
    if any(token.level >= MAX_NESTING - 1 for token in tokens):
        flat = (_BLOCK_MARKS.sub("", line) for line in markdown.splitlines())
        tokens = _parser().parse("\n\n".join(line for line in flat if line))
    lines: list[str] = []
    for token in tokens:
        if token.type == "inline":
            lines.extend(map(_without_dangling_link, _inline_text(token.children).split("\n")))
        elif token.type in ("fence", "code_block"):  # code as written: "[" may be its own
            lines.extend(line.strip() for line in token.content.splitlines())
        elif token.type == "html_block":
            lines.extend(line.strip() for line in _html_text(token.content))
    return "\n".join(line for line in lines if line)


def _without_dangling_link(line: str) -> str:
    line = _DANGLING_LINK_END.sub("", line).strip()
    if "]" not in line:  # the opening of such a link, or of an image inside one
        line = _DANGLING_OPENING.sub("", line)
    return line


class MarkdownText(Plugin):
    """Read a Markdown document as the text it shows (:func:`markdown_text`) before any
    extractor sees it: a line per block, link text without its address, images, HTML tags
    and emphasis marks left out. A text document that holds Markdown links with their
    addresses throughout is read so too (``detect``; its record's ``detections["markdown"]``
    counts them)."""

    name = "markdown"
    defaults = {"detect": True}

    @hookimpl(wrapper=True, tryfirst=True)
    def extract(self, document):
        if document.html is None and document.text:
            links = 0
            if not document.markdown and self.options["detect"]:
                links = looks_like_markdown(document.text)
                if links:
                    document.detections[self.name] = {"detected": True, "links": links}
            if document.markdown or links:
                document.text = markdown_text(document.text)
        document.markdown = False  # read: it is the text it shows now
        return (yield)
