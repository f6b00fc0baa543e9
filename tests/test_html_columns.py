"""The compiled HTML columns (``_dom.html_columns``) give the Python columns' bytes.

``html._python_html_features`` is the specification: on every page here, parsed both ways,
with the model's class/id vocabulary, none, one repeating a word and one reversed, the
HTML columns ``html_features`` computes by the compiled code must be the same float64
bytes, and so the classifier's matrix; blocks the compiled code does not read (fields of
other types than the walks give) are left to the Python columns, which then give their
values or raise their error.
"""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from conftest import REPO, assert_used_only_when_right
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_dom_walk import FIXTURE_PAGES, PAGES, both_parses, fragments

from clean_corpus.htmltree import parse_html
from clean_corpus_plugins.boilerplate import html
from clean_corpus_plugins.boilerplate.html_extract import MODEL_FILE, block_matrix, vocabulary
from clean_corpus_plugins.boilerplate.model import load_model

MODEL = load_model(str(MODEL_FILE))
WORDS = vocabulary(MODEL.features)
VOCABULARIES = {"the model's": WORDS, "none": (), "a word twice": WORDS[:6] + WORDS[3:4],
                "reversed": tuple(reversed(WORDS)), "the page's": ("main", "page", "item",
                                                                   "top", "nav", "bar")}


def columns():
    assert html._columns is not None, \
        "the compiled HTML columns were not built or refused: a C compiler and lxml at install?"
    return html._columns


def both_ways(blocks, words) -> np.ndarray:
    """The compiled columns of ``blocks``, which are the Python columns' bytes."""
    width = (len(blocks), html.html_width(words))
    fast = html._compiled_html_features(columns(), blocks, words, np.zeros(width))
    slow = html._python_html_features(blocks, words, np.zeros(width))
    assert fast.tobytes() == slow.tobytes(), np.argwhere(fast != slow)[:5]
    return fast


def assert_same_columns(blocks) -> None:
    if not blocks:
        return
    for words in VOCABULARIES.values():
        both_ways(blocks, words)
        if len(blocks) > 2:  # other neighbours, containers and runs
            both_ways(blocks[1::2], words)


def test_the_compiled_columns_are_built_and_used(monkeypatch):
    page = parse_html("<html><body><nav><a href='/'>Home</a></nav><p>Some text here, "
                      "and more.</p></body></html>")
    blocks = html.dom_blocks(page)
    X = html.html_features(blocks, WORDS)
    assert X.tobytes() == html._python_html_features(blocks, WORDS, np.zeros(X.shape)).tobytes()
    assert X[0, html.html_feature_names(WORDS).index("in=nav")] == 1.0

    class Ones:  # a compiled module that writes ones: html_features gives them
        Unsupported = columns().Unsupported

        @staticmethod
        def html_columns(blocks, words_of, n_words, out, values, config):
            out[...] = 1.0
            values[...] = 0.0

    monkeypatch.setattr(html, "_columns", Ones)
    assert (np.delete(html.html_features(blocks, WORDS), 4, axis=1) == 1.0).all()


def test_a_module_without_the_columns_or_giving_other_values_is_not_used(monkeypatch):
    module = columns()
    real = module.html_columns

    def off_by_a_bit(blocks, words_of, n_words, out, values, config):
        real(blocks, words_of, n_words, out, values, config)
        out[-1, -1] = np.nextafter(out[-1, -1], 1.0)

    assert_used_only_when_right(monkeypatch, html._compiled_columns, module, "html_columns",
                                off_by_a_bit)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_the_compiled_columns_are_the_python_ones_on_each_case(name):
    for root in both_parses(PAGES[name]):
        assert_same_columns(html.dom_blocks(root))


@pytest.mark.parametrize("page", FIXTURE_PAGES, ids=lambda p: str(p.relative_to(REPO)))
def test_the_compiled_columns_are_the_python_ones_on_the_fixtures(page, monkeypatch):
    for root in both_parses(page.read_bytes().decode("utf-8", "replace")):
        blocks = html.dom_blocks(root)
        assert_same_columns(blocks)
        X = block_matrix(blocks, MODEL)
        monkeypatch.setattr(html, "_columns", None)
        assert block_matrix(blocks, MODEL).tobytes() == X.tobytes()
        monkeypatch.undo()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fragments(), fragments())
def test_the_compiled_columns_are_the_python_ones_on_any_fragment(body, after):
    page = f"<html><body>{body}</body></html>{after}"
    for root in both_parses(page):
        assert_same_columns(html.dom_blocks(root))


def test_counts_past_the_log_tables_are_logged_by_the_same_function():
    # a block of 5,000 links, containers of more than 4,096 characters, a run of 4,100
    # alike blocks: values past features' tables of 4,096, computed by math.log1p/math.log
    links = "".join(f"<a href='/{k}'>w</a> " for k in range(5000))
    items = "".join(f"<li>item {k}</li>" for k in range(4100))
    page = f"<html><body><div><p>{links}</p><p>{'word ' * 3000}</p></div><ul>{items}</ul>" \
           f"</body></html>"
    blocks = html.dom_blocks(parse_html(page))
    assert blocks[0].links == 5000 and len(blocks) == 4102
    X = both_ways(blocks, WORDS)
    names = html.html_feature_names(WORDS)
    assert X[0, names.index("log_links")] == np.log1p(5000)
    assert X[-1, names.index("same_tag_run")] == np.log(4100)


# blocks made by hand: the fields any walk gives, with values a page seldom has
NAMES = ("main", "nav", "page", "footer", "x", "item", "top", "menu")
TAGS = ("p", "div", "li", "a", "td", "span", "h2", "nav", "{urn:x}p")


@st.composite
def made_blocks(draw):
    words = st.tuples(*[st.sampled_from(NAMES)] * 2) | st.just(())
    n = draw(st.integers(1, 40))
    blocks = []
    for _ in range(n):
        depth = draw(st.integers(0, 30))
        levels = draw(st.integers(0, html.MAX_PATH + 1))
        path = tuple(draw(st.sampled_from(TAGS)) for _ in range(max(levels, 1)))
        blocks.append(html.DomBlock(
            text=draw(st.text(alphabet="ab \u00e9\u2003\U0001f600", max_size=30)),
            tag=path[0], kind="p",
            link_chars=draw(st.integers(0, 40)),
            links=draw(st.sampled_from([0, 1, 2, 4095, 4096, 10**6])),
            depth=depth, path=path,
            names=tuple(draw(words) for _ in range(levels)),
            ancestors=tuple(draw(st.lists(st.integers(0, 60), min_size=levels,
                                          max_size=levels))),
            tags_above=frozenset(draw(st.lists(st.sampled_from(html.ANCESTOR_TAGS + TAGS)))),
            words_above=frozenset(draw(st.lists(st.sampled_from(NAMES))))))
    return blocks


@settings(max_examples=500, deadline=None)
@given(made_blocks())
def test_the_compiled_columns_are_the_python_ones_on_any_blocks(blocks):
    for words in VOCABULARIES.values():
        width = (len(blocks), html.html_width(words))
        try:
            slow = html._python_html_features(blocks, words, np.zeros(width))
        except IndexError:  # more ancestors than a path keeps
            with pytest.raises(columns().Unsupported):
                html._compiled_html_features(columns(), blocks, words, np.zeros(width))
            continue
        fast = html._compiled_html_features(columns(), blocks, words, np.zeros(width))
        assert fast.tobytes() == slow.tobytes()


@pytest.mark.parametrize("field, value", [
    ("path", ["p", "div"]), ("names", [("main",)]), ("names", (["main"],)),
    ("tags_above", {"nav"}), ("words_above", ["main"]), ("links", -1), ("links", 2.0),
    ("depth", 2**62), ("link_chars", None), ("ancestors", (1, -2)), ("ancestors", (1.0,)),
    ("text", b"bytes"), ("tag", None),
])
def test_blocks_of_other_field_types_are_left_to_the_python_columns(field, value):
    page = parse_html("<html><body><div class='main'><p>One text.</p><p>Two <a href='x'>"
                      "texts</a>.</p></div><nav>Menu</nav></body></html>")
    blocks = html.dom_blocks(page)
    blocks[1] = dataclasses.replace(blocks[1], **{field: value})
    width = (len(blocks), html.html_width(WORDS))
    out = np.zeros(width)
    with pytest.raises(columns().Unsupported):
        html._compiled_html_features(columns(), blocks, WORDS, out)
    assert not out.any()  # refused before a column is written
    try:
        expected = html._python_html_features(blocks, WORDS, np.zeros(width))
    except Exception as error:  # the Python columns' own error, raised by html_features
        with pytest.raises(type(error)):
            html.html_features(blocks, WORDS)
    else:
        assert html.html_features(blocks, WORDS).tobytes() == expected.tobytes()
