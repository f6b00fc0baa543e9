"""The page parsed once, and how plugins read it without changing it.

``Document.tree`` parses ``document.html`` the first time it is asked for and every plugin
reads the same tree; the extractor, the lead-paragraph scan and the page signals of the
detectors all use it. The tree is shared, so nobody edits it: :class:`Visible` reads the
page as if its scripts, styles and templates were gone, without removing them (metadata
extraction still needs the JSON-LD scripts).
"""
from __future__ import annotations

import threading
from typing import Iterator

#: Elements whose text the reader never sees.
HIDDEN_TAGS = ("script", "style", "noscript", "template")

_HIDDEN_TEXT = ".//text()[not(ancestor::script or ancestor::style or ancestor::noscript" \
               " or ancestor::template)]"


def _new_parser():
    """An HTML parser with the options of trafilatura's ``HTML_PARSER`` whose element
    objects come from a C-level class lookup (see :func:`parse_html`)."""
    from lxml import etree, html

    parser = etree.HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8",
                              remove_comments=True, remove_pis=True)
    parser.set_element_class_lookup(etree.ElementDefaultClassLookup(
        element=html.HtmlElement, comment=html.HtmlComment,
        pi=html.HtmlProcessingInstruction, entity=html.HtmlEntity))
    return parser


#: One parser a thread: lxml locks a parser while it parses, so threads sharing one take
#: turns (two threads parsing at once took twice as long with one parser as with one
#: each). The chain's workers are processes, but a program may call the library from
#: several threads.
_parsers = threading.local()


def _parser():
    """This thread's parser, made on its first parse."""
    try:
        return _parsers.parser
    except AttributeError:
        _parsers.parser = _new_parser()
        return _parsers.parser


def _parsed(markup: str, parser):
    """``lxml.html.fromstring`` of ``markup`` with ``parser``, or of its UTF-8 bytes when
    the str fails (lxml refuses a str declaring its encoding; "Document is empty") or gives
    a root with nothing in it (a lone surrogate can stop the str's parse); None when the
    bytes fail too. trafilatura's ``load_html`` does the same with its parser (a str refused
    goes straight to the bytes, which then decide: the same result)."""
    from lxml.html import fromstring

    try:
        tree = fromstring(markup, parser=parser)
    except Exception:
        tree = None
    if tree is None or len(tree) < 1:
        try:
            tree = fromstring(markup.encode("utf-8", "surrogatepass"), parser=parser)
        except Exception:
            tree = None
    return tree


def parse_html(html: str):
    """``html`` as an lxml.html tree, or None when it is no HTML page at all.

    The steps of trafilatura's ``load_html``, with its own helpers (decoding, the test of
    a page that does not look like HTML, the repairs of faulty markup), so that the tree
    serialises exactly as the one trafilatura would build from the string (comments and
    processing instructions left out) and can be handed to it as it is. Only the parser
    is ours: trafilatura's ``HTML_PARSER`` options, with lxml's C-level
    ``ElementDefaultClassLookup`` making every element an ``HtmlElement`` instead of
    lxml.html's lookup, a Python call for each element object lxml makes. What that
    gives up, lxml.html's form classes (``FormElement``, ``InputElement``,
    ``SelectElement``, ``TextareaElement``, ``LabelElement``, with ``.inputs``,
    ``.fields``, ``.value``, ``.checkable``, ``.for_element``...), neither trafilatura,
    htmldate nor any plugin uses. trafilatura's parser is left as it is: it belongs to
    everyone in the process.
    """
    from trafilatura.utils import decode_file, is_dubious_html, repair_faulty_html

    if not isinstance(html, (str, bytes)):
        return None
    html = decode_file(html)
    beginning = html[:50].lower()
    dubious = is_dubious_html(beginning)
    tree = _parsed(repair_faulty_html(html, beginning), _parser())
    # a page that does not say it is HTML must at least parse into two parts
    if tree is not None and dubious and len(tree) < 2:
        return None
    return tree


class Visible:
    """The visible part of a shared tree: elements and text outside scripts and styles."""

    def __init__(self, root):
        self.root = root
        hidden = list(root.iter(*HIDDEN_TAGS))
        # elements inside a hidden one, and the elements that hold one (whose text needs care)
        self._inside = {node for element in hidden for node in element.iter()}
        self._holders = {node for element in hidden for node in element.iterancestors()}

    def elements(self, *tags: str) -> Iterator:
        """Elements in document order (only those named ``tags`` when given), hidden ones left out."""
        for element in self.root.iter(*tags):
            if isinstance(element.tag, str) and element not in self._inside:
                yield element

    def text(self, element) -> str:
        """``element.text_content()`` without the text of scripts, styles and templates."""
        if element in self._inside:
            return ""
        if element not in self._holders:
            return element.text_content()
        return "".join(element.xpath(_HIDDEN_TEXT))
