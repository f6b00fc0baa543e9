"""The compiled DOM walk (plugins/boilerplate/_dom.c) gives the Python walk's blocks.

``html._python_walk`` is the specification: on every page here, parsed as the chain parses
pages and as lxml.html does (comments and processing instructions kept), the compiled walk
must give the same blocks, field by field, in the same order, with the same ids, for both
sets of skipped tags (the second walk of a page a script writes reads its noscript).
"""
from __future__ import annotations

import dataclasses
import gzip
import string
from pathlib import Path

import lxml.etree as etree
import lxml.html
import pytest
from conftest import FIXTURES, REPO, records_with_modules_hidden
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clean_corpus.htmltree import parse_html
from clean_corpus_plugins.boilerplate import html

FIELDS = [f.name for f in dataclasses.fields(html.DomBlock)]
SKIPS = (html.SKIP_TAGS, html._SKIP_BUT_NOSCRIPT)


def compiled():
    assert html._dom is not None, \
        "the compiled DOM walk was not built or refused: a C compiler and lxml at install?"
    return html._dom


def assert_same_walks(root, skips=SKIPS) -> list:
    """The compiled walk's blocks of the page under ``root`` are the Python walk's; the
    blocks of the first skip set are returned."""
    walk = compiled().walk
    found = []
    for skip in skips:
        fast = walk(root, skip, html._DOM_CONFIG)
        slow = html._python_walk(root, skip)
        assert len(fast) == len(slow), [b.text for b in fast]
        for k, (a, b) in enumerate(zip(fast, slow)):
            for name in FIELDS:
                assert getattr(a, name) == getattr(b, name), (k, name)
        found.append(fast)
    return found[0]


def both_parses(page: str):
    """The page as the chain parses it and as lxml.html does (comments and PIs kept)."""
    return [parse_html(page).getroottree().getroot(),
            lxml.html.fromstring(page).getroottree().getroot()]


def test_the_compiled_walk_is_built_and_used(monkeypatch):
    # dom_blocks goes through it: a walk that gives nothing gives a page without blocks
    page = lxml.html.fromstring("<html><body><p>Some text here.</p></body></html>")
    assert [b.text for b in html.dom_blocks(page)] == ["Some text here."]

    class Nothing:
        Unsupported = compiled().Unsupported

        @staticmethod
        def walk(root, skip, config):
            return []

    monkeypatch.setattr(html, "_dom", Nothing)
    assert html.dom_blocks(page) == []


def test_a_compiled_walk_built_for_another_lxml_or_giving_other_blocks_is_not_used(
        monkeypatch):
    module = compiled()
    assert html._compiled_walk() is module
    monkeypatch.setattr(module, "LXML_VERSION", "0.1.0")
    assert html._compiled_walk() is None
    monkeypatch.undo()
    real = module.walk
    monkeypatch.setattr(module, "walk", lambda root, skip, config: real(root, skip, config)[1:])
    assert html._compiled_walk() is None
    monkeypatch.undo()
    assert html._compiled_walk() is module


# one small page for each thing the walk must read as lxml does
PAGES = {
    "comments and PIs": "<html><body><p>one<!-- a note -->two <b>three</b><!-- x --> four"
                        "<?php echo 1 ?>five</p><div><!--c-->six<?pi x?> seven</div>"
                        "</body></html>",
    "CDATA": "<html><body><p>a<![CDATA[ b ]]>c <b>d</b></p></body></html>",
    "br tails": "<html><body><p>a<br>b<br> <br>c<br/>\nd <a href='x'>e<br>f</a></p>"
                "<div>x<br>y</div></body></html>",
    "hidden": "<html><body><p>Keep <span hidden>gone <b>too</b></span>this</p>"
              "<div HIDDEN='hidden'><p>Not this</p></div><ul><li>one</li><li hidden=''>two"
              "</li><li>three</li></ul><p>Still <a hidden href='/x'>no</a>here</p></body>"
              "</html>",
    "skip with whitespace": "<html><body><p>Share<svg> <path/> </svg>this <script>\n"
                            "</script>page<span hidden> </span>now<button>Go</button>too"
                            "<select><option>\u00a0</option></select>end<style></style>x"
                            "<iframe>\u2003</iframe>y</p><p><script> </script>z</p></body>"
                            "</html>",
    "links": "<html><body><p>See <a href='a'>the first</a> and <a href='b'> the <b>second"
             "</b> </a> and <a href='a'>the first</a> again.</p><div><a href='c'>x<p>inside"
             "</p>y</a></div><a href='d'>a top link</a></body></html>",
    "names": "<html><body class='page mainBody' id='top'><div role='main' itemprop='text'>"
             "<p class='' id=''>a</p><section class='Nav navBar nav'><div id='x-y' "
             "class='HTMLParser'><p>b</p></div></section><div class='a b c d e f g h i j k "
             "l m n o'><p itemprop='articleBody'>c</p></div></div></body></html>",
    "unicode whitespace": "<html><body><p>\u00a0\u2003a\u3000b\u200b c\u2028d\u0085</p>"
                          "<p>\u00a0 <b>\u2003</b> e</p><p><a href='x'>\u00a0link\u2002</a>"
                          "</p><p>\x0b\x1c_</p><p>__ \u00b2</p><p>\u0661</p></body></html>",
    "empty and punctuation blocks": "<html><body><p>...</p><p>-- !</p><p>_</p><div>"
                                    "<p></p><p> </p></div><p>\u00bd</p></body></html>",
    "entity in attribute": "<html><body><div class='a&amp;b c&lt;d' id='&#x6e;av'><p "
                           "class='foo&nbsp;bar'>text</p></div></body></html>",
    "tables and kinds": "<html><body><table><tr><th>h</th><td>d <i>i</i></td></tr></table>"
                        "<dl><dt>t</dt><dd>d</dd></dl><blockquote>q</blockquote><figure>"
                        "<figcaption>c</figcaption></figure><h2>t <span>s</span></h2>"
                        "</body></html>",
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_the_compiled_walk_reads_each_case_as_lxml_does(name):
    for root in both_parses(PAGES[name]):
        assert assert_same_walks(root)


def test_comments_and_pis_are_read_where_they_stand():
    # (lxml.html keeps them; the chain's parser drops them)
    (block, six) = assert_same_walks(lxml.html.fromstring(PAGES["comments and PIs"]))
    assert block.text == "onetwo three fourfive" and six.text == "six seven"


def test_a_page_a_script_writes_is_read_from_its_noscript_elements_by_both_walks(
        monkeypatch):
    page = (REPO / "tests" / "data" / "html_types" / "forum_scripted.html").read_text(
        encoding="utf-8")
    for root in both_parses(page):
        assert_same_walks(root)
        fast = html.dom_blocks(root)
        monkeypatch.setattr(html, "_dom", None)
        slow = html.dom_blocks(root)
        monkeypatch.undo()
        assert fast == slow
        assert "The piston came out all the way in the warm water test." in \
            " ".join(b.text for b in fast)


def test_namespaced_tags_are_read_as_lxml_names_them():
    # (an XHTML page's tags are all namespaced: no block tag, one block)
    root = etree.fromstring(
        "<html xmlns='http://www.w3.org/1999/xhtml'><body><p>one</p><p>two</p></body></html>")
    (block,) = assert_same_walks(root)
    assert block.tag == "{http://www.w3.org/1999/xhtml}html" and block.text == "onetwo"
    root = etree.fromstring(
        "<html xmlns:o='urn:other'><body><p>one <a href='x'>two</a></p><o:div class='x'><p>"
        "three</p></o:div><div><o:a>four</o:a><br/>five</div></body></html>")
    blocks = assert_same_walks(root)
    assert [b.text for b in blocks] == ["one two", "three", "four five"]
    assert blocks[1].path == ("p", "{urn:other}div", "body", "html")


def test_two_top_elements_are_both_read():
    root = lxml.html.fromstring("<html><body><p>first</p></body></html><div>second "
                                "<!-- c --> third</div><!-- after --><p>fourth</p>")
    assert len(root.xpath("/*")) >= 2
    assert [b.text for b in assert_same_walks(root)][:2] == ["first", "second third"]
    assert_same_walks(root.getroottree().getroot())


def test_an_attribute_of_more_than_one_node_is_left_to_the_python_walk():
    # an XML parse that keeps entities: the class attribute holds an entity reference
    root = etree.fromstring(
        b"<!DOCTYPE html [<!ENTITY e 'nav menu'>]><html><body><div class='&e; main'><p>"
        b"text</p></div></body></html>", etree.XMLParser(resolve_entities=False))
    with pytest.raises(compiled().Unsupported):
        compiled().walk(root, html.SKIP_TAGS, html._DOM_CONFIG)
    assert [b.names for b in html.dom_blocks(root)] == \
        [b.names for b in html._python_walk(root, html.SKIP_TAGS)]


def test_attribute_defaults_a_dtd_declares_are_read_as_lxml_reads_them():
    # an XML parse of a page whose DTD gives div a default class and p a default hidden:
    # Element.get reads them though the elements do not carry them (found by
    # bench/compiled_fuzz.py: the compiled walk gave these blocks no class words)
    page = (b'<?xml version="1.0"?><!DOCTYPE html [<!ATTLIST div class CDATA "mainFooter">'
            b'<!ATTLIST p hidden CDATA "hidden">]><html><body><div><span>footer text</span>'
            b'</div><p>hidden by default</p><p hidden="">also hidden</p></body></html>')
    root = etree.fromstring(page)
    blocks = html.dom_blocks(root)
    assert [(b.text, b.names[0]) for b in blocks] == [("footer text", ("main", "footer"))]
    assert blocks == html._python_walk(root, html.SKIP_TAGS)
    with pytest.raises(compiled().Unsupported):
        compiled().walk(root, html.SKIP_TAGS, html._DOM_CONFIG)


def test_a_page_nested_20000_deep_is_walked_without_recursion():
    root = etree.Element("html")
    node = etree.SubElement(root, "body")
    for k in range(20_000):
        node = etree.SubElement(node, "div" if k % 3 else "span",
                                {"class": f"level{k % 7} x"} if k % 5 == 0 else {})
        node.text = "word " if k % 997 == 0 else None
    node.text = "deep text"
    blocks = assert_same_walks(root)
    assert blocks[-1].text == "deep text" and blocks[-1].depth > 10_000
    assert len(blocks[-1].path) == html.MAX_PATH


def test_whitespace_deep_inside_a_skipped_element_still_parts_words():
    # the text nodes under a skipped element are searched without recursion too
    root = etree.Element("html")
    body = etree.SubElement(root, "body")
    p = etree.SubElement(body, "p")
    p.text = "before"
    node = skipped = etree.SubElement(p, "svg")
    for _ in range(20_000):
        node = etree.SubElement(node, "g")
    node.text = "\u2003"
    skipped.tail = "after"
    (block,) = assert_same_walks(root)
    assert block.text == "before after"
    node.text = "x"
    (block,) = assert_same_walks(root)
    assert block.text == "beforeafter"


def test_an_error_in_the_walk_is_raised_and_leaves_the_collector_on():
    import gc

    class Failing:  # a block class that cannot be made
        def __init__(self, *values):
            raise MemoryError

    config = list(html._DOM_CONFIG)
    config[4] = Failing  # the block class
    root = lxml.html.fromstring("<html><body><div class='x'><p>text</p></div></body></html>")
    assert gc.isenabled()
    with pytest.raises(MemoryError):
        compiled().walk(root, html.SKIP_TAGS, tuple(config))
    assert gc.isenabled()
    assert [b.text for b in compiled().walk(root, html.SKIP_TAGS, html._DOM_CONFIG)] == ["text"]


def test_a_long_class_attribute_is_read_only_to_its_first_characters():
    hostile = "x" * 2_000_000
    page = (f"<html><body><div class='site-footer {hostile}' id='mainFooter'><p class="
            f"'{'é' * 199}ab cd{hostile}'>Copyright notice</p><p class='{'ab ' * 70}'>"
            f"x</p></div></body></html>")
    for root in both_parses(page):
        (block, x) = assert_same_walks(root)
        assert "main" in block.names[1] and "cd" not in block.names[0]


FIXTURE_PAGES = sorted([p for p in FIXTURES.rglob("*") if p.suffix in (".html", ".htm")]
                       + list((REPO / "tests" / "data" / "html_types").glob("*.html")))


@pytest.mark.parametrize("page", FIXTURE_PAGES, ids=lambda p: str(p.relative_to(REPO)))
def test_the_compiled_walk_gives_the_python_walks_blocks_on_the_fixtures(page):
    data = page.read_bytes()
    if page.name.endswith(".gz"):
        data = gzip.decompress(data)
    for root in both_parses(data.decode("utf-8", "replace")):
        assert_same_walks(root)


# ---------------------------------------------------------------- class/id words
def split(names: str) -> tuple:
    """The compiled split of ``names``, and the words are what _split_names gives."""
    words = compiled().split_names(names, html._MAX_WORDS)
    assert words == html._split_names.__wrapped__(names), names
    assert all(type(w) is str for w in words)
    return words


@pytest.mark.parametrize("names, words", [
    ("mainFooter", ("main", "footer")),
    ("HTMLParser", ("htmlparser",)),   # capitals then small letters: one word
    ("aB", ()),                        # letters alone are no words
    ("ABc", ("abc",)),
    ("x-y", ()),
    ("navBarTOP", ("nav", "bar", "top")),
    ("nav Nav NAV nav-bar navBar", ("nav", "bar")),   # each word once, the first kept
    ("A1bc2DEf_gh", ("bc", "def", "gh")),
    ("ÉtéMenu naïveList ßeta Kelvin\u212aab", ("menu", "na", "ve", "list", "eta", "kelvin",
                                               "ab")),   # ASCII letters alone
    (" ".join(f"w{'a' * k}" for k in range(1, 20)),
     tuple(f"w{'a' * k}" for k in range(1, 13))),   # 12 words at most
    ("", ()),
    ("  \t-_ 12 ", ()),
])
def test_class_and_id_words_are_split_in_c_as_in_python(names, words):
    assert split(names) == words


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=st.one_of(
    st.sampled_from(string.ascii_letters + string.digits + string.punctuation + " \t\n"),
    st.sampled_from("ÉéÀàßıİſ\u212aÆæ\u00a0\u2003\u0661"), st.characters()),
    max_size=300))
def test_the_c_split_gives_the_python_words_on_any_string(names):
    split(names)


def test_the_c_split_gives_the_python_words_on_every_class_and_id_of_the_fixtures():
    strings = set()
    for page in FIXTURE_PAGES:
        data = page.read_bytes()
        if page.name.endswith(".gz"):
            data = gzip.decompress(data)
        root = parse_html(data.decode("utf-8", "replace"))
        for element in root.iter(etree.Element):
            for name in ("class", "id", "role", "itemprop"):
                if element.get(name):
                    strings.add(element.get(name)[:html._MAX_ATTR])
            strings.add(" ".join(element.get(name)[:html._MAX_ATTR]
                                 for name in ("class", "id", "role", "itemprop")
                                 if element.get(name)))
    assert len(strings) > 100
    for names in strings:
        split(names)


def test_more_class_strings_than_the_walk_keeps_give_the_same_blocks():
    # 1,500 distinct class strings, each on two elements: the table of split strings
    # fills up, and the walk goes on splitting without it
    def letters(k):
        return "w" + "".join(chr(97 + k // 26 ** d % 26) for d in range(3))

    # (the strings part only after their first 30 characters)
    names = [f"page-content-column main-area {letters(k)}Item box{k % 7}"
             for k in range(1500)]
    divs = "".join(f"<div class='{n}'><p class='{n}'>text</p></div>" for n in names)
    root = lxml.html.fromstring(f"<html><body>{divs}</body></html>")
    blocks = assert_same_walks(root, SKIPS[:1])
    assert len(blocks) == 1500
    assert blocks[-1].names[0] == ("page", "content", "column", "main", "area", "wrfc",
                                   "item", "box")
    assert blocks[-1].names[1] == blocks[-1].names[0]
    # equal class strings of one walk share their words
    assert blocks[0].names[0] is blocks[0].names[1]


# fragments of HTML made of the pieces the walk reads differently
TAGS = ("p", "div", "span", "a", "b", "br", "li", "ul", "td", "h2", "script", "noscript",
        "svg", "button", "section", "pre")
ATTRS = ("", " hidden", " class='navBar main'", " id='x'", " role='main' class='a'",
         " itemprop='text'", " class=''")
TEXTS = st.text(alphabet=string.ascii_letters[:6] + " \t\n,._-\u00a0\u2003\u00e9\u0661",
                max_size=8)


@st.composite
def fragments(draw, depth=0):
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.integers(0, 5))
        if kind <= 1 or depth >= 5:
            parts.append(draw(TEXTS).replace("&", ""))
        elif kind == 2:
            parts.append(draw(st.sampled_from(("<!-- c -->", "<br>", "<![CDATA[ z ]]>",
                                               "&amp;", "&nbsp;", "<?pi x?>"))))
        else:
            tag = draw(st.sampled_from(TAGS))
            attrs = draw(st.sampled_from(ATTRS))
            parts.append(f"<{tag}{attrs}>{draw(fragments(depth + 1))}</{tag}>")
    return "".join(parts)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fragments(), fragments())
def test_both_walks_agree_on_any_fragment(body, after):
    page = f"<html><body>{body}</body></html>{after}"
    for root in both_parses(page):
        assert_same_walks(root)
        assert_same_walks(lxml.html.fragment_fromstring(page, create_parent="div"))


def test_a_machine_without_the_compiled_dom_walk_and_columns_writes_the_same_records(
        tmp_path):
    compiled()  # (this build's walk and HTML columns, which the first run uses)
    assert html._columns is compiled(), "the compiled HTML columns were not built or refused"
    sources = [REPO / "tests" / "data" / "html_types", FIXTURES / "pages",
               FIXTURES / "holdout"]
    fast = records_with_modules_hidden(tmp_path / "compiled", sources)
    slow = records_with_modules_hidden(tmp_path / "python", sources,
                                       ("clean_corpus_plugins.boilerplate._dom",))
    for source in sources:
        assert fast[source.name].count(b"\n") >= 4
        assert fast[source.name] == slow[source.name], source.name
