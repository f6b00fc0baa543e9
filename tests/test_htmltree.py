"""The shared parse (``Document.tree``): the tree trafilatura would build from the page.

``parse_html`` parses with a parser of its own (a C-level element class lookup instead of
lxml.html's Python one) but must give the tree trafilatura's ``load_html`` gives: the
extractor hands it to trafilatura as it is, and every plugin reads it.
"""
from __future__ import annotations

import threading

import lxml.html
import pytest
import trafilatura
from conftest import FIXTURES, REPO
from lxml import etree
from trafilatura.utils import load_html

from clean_corpus.htmltree import parse_html

PAGES = sorted(p for folder in (FIXTURES, REPO / "tests" / "data" / "html_types")
               for p in folder.rglob("*.htm*"))

FORM_PAGE = """<!DOCTYPE html><html><head><title>Sign in</title></head><body>
<form action="/login" method="post"><label for="u">User</label>
<input id="u" name="user" value="ada"><input type="checkbox" name="keep" checked>
<select name="lang"><option value="en" selected>English</option><option>Deutsch</option>
</select><textarea name="note">a note</textarea><button>Go</button></form>
<p>Forgot your password? Ask the desk, it opens at nine every morning.</p></body></html>"""


def serialised(tree):
    """The tree as text, with its document (doctype) around it; None stays None."""
    if tree is None:
        return None
    return (etree.tostring(tree, encoding="unicode"),
            etree.tostring(tree.getroottree(), encoding="unicode"))


def assert_parsed_as_trafilatura(page):
    ours = parse_html(page)
    assert serialised(ours) == serialised(load_html(page))
    if ours is not None:  # the lxml.html element methods plugins use are all there
        assert all(isinstance(element, lxml.html.HtmlElement) for element in ours.iter()
                   if isinstance(element.tag, str))
    return ours


def test_fixture_pages_parse_exactly_as_trafilatura_parses_them():
    assert len(PAGES) >= 30
    for page in PAGES:
        assert assert_parsed_as_trafilatura(page.read_text(encoding="utf-8")) is not None, page


@pytest.mark.parametrize("page", [
    # a str that declares its encoding, which lxml refuses: parsed again as bytes
    '<?xml version="1.0" encoding="iso-8859-1"?>\n<html><body><p>Café crème</p>'
    '<p>à la carte</p></body></html>',
    "<html><head><meta charset=\"windows-1252\"></head><body><p>Grüße</p></body></html>",
    FORM_PAGE,
    # comments are left out of the tree (libxml2 2.14 reads "<?...?>" in HTML as one too)
    "<html><body><!-- a note --><p>one<?php echo 1; ?> two</p><?pi x?></body></html>",
    # fragments: two blocks come back in a container, markup after </html> is kept
    "<p>one</p><p>two</p>",
    "<div><p>one</p></div><span>two</span> three",
    "<html><body><p>first</p></body></html><div>second</div>",
    # a self-closing <html/> and a doctype with a slash, repaired before parsing
    "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0//EN\" \"http://x/\">\n"
    "<html/>\n<body><p>text</p><p>more</p></body>",
    "<html><body><p>a\x00b\x0bc</p><table><tr><td>cell</table></body></html>",
    # a lone surrogate stops the str's parse: the bytes (surrogate kept) are parsed again
    "<p>\ud800 x</p><p>y</p>",
])
def test_awkward_pages_parse_as_trafilatura_parses_them(page):
    assert assert_parsed_as_trafilatura(page) is not None


@pytest.mark.parametrize("junk", ["", "   ", "just a line of text", '{"a": [1, 2]}',
                                  "\x00\x01\x02", "<p>one block alone</p>",
                                  "<div><p>one block in a container</p></div>"])
def test_what_is_no_html_page_gives_no_tree(junk):
    assert load_html(junk) is None
    assert parse_html(junk) is None


def test_bytes_are_decoded_as_trafilatura_decodes_them():
    page = "<html><body><p>Grüße aus Köln</p><p>und Düsseldorf</p></body></html>"
    for data in (page.encode("utf-8"), page.encode("latin-1")):
        assert serialised(parse_html(data)) == serialised(load_html(data))


def test_trafilatura_extracts_the_same_from_our_tree_as_from_the_page():
    for path in PAGES[::3] + [None]:
        page = path.read_text(encoding="utf-8") if path else FORM_PAGE
        assert trafilatura.extract(parse_html(page)) == trafilatura.extract(page), path


def test_trafilaturas_own_parser_is_left_as_it_was():
    parse_html(FORM_PAGE)
    # trafilatura (and anyone else using its loader) still gets lxml.html's form classes
    assert isinstance(load_html(FORM_PAGE).forms[0], lxml.html.FormElement)


def test_threads_parsing_at_once_get_the_same_trees():
    pages = [p.read_text(encoding="utf-8") for p in PAGES[:8]]
    expected = [serialised(parse_html(page)) for page in pages]
    results: dict[int, list] = {}

    def parse_all(n):
        results[n] = [serialised(parse_html(page)) for page in pages * 3]

    threads = [threading.Thread(target=parse_all, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(found == expected * 3 for found in results.values())
