"""The page parsed once, and how plugins read it without changing it.

``Document.tree`` parses ``document.html`` the first time it is asked for and every plugin
reads the same tree; the extractor, the lead-paragraph scan and the page signals of the
detectors all use it. The tree is shared, so nobody edits it: :class:`Visible` reads the
page as if its scripts, styles and templates were gone, without removing them (metadata
extraction still needs the JSON-LD scripts).
"""
from __future__ import annotations

from typing import Iterator

#: Elements whose text the reader never sees.
HIDDEN_TAGS = ("script", "style", "noscript", "template")

_HIDDEN_TEXT = ".//text()[not(ancestor::script or ancestor::style or ancestor::noscript" \
               " or ancestor::template)]"


def parse_html(html: str):
    """``html`` as an lxml.html tree, or None when it is no HTML page at all.

    trafilatura's loader is used so that the tree is the one trafilatura would build from
    the string itself (same encoding handling, same repairs of faulty markup, comments and
    processing instructions left out), and can be handed to it as it is.
    """
    from trafilatura.utils import load_html  # imported on first use: start-up stays fast

    try:
        return load_html(html)
    except (TypeError, ValueError):
        return None


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
