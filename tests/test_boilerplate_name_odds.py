"""The class/id word table of the HTML classifier (``train_html --name-odds``): what it
learns from the labelled pages, that a training row never reads counts of its own site,
and that a model file carrying it rates a page as the training run did.

The pages here are written for the tests (no benchmark page's text).
"""
from __future__ import annotations

import json

import lxml.html
import numpy as np
import pytest

from clean_corpus_plugins.boilerplate.features import text_features
from clean_corpus_plugins.boilerplate.html import dom_blocks
from clean_corpus_plugins.boilerplate.name_odds import NAME_ODDS_FEATURES, NameOdds, name_keys
from clean_corpus_plugins.boilerplate.vocabulary import Counts

train_html = pytest.importorskip("clean_corpus_plugins.boilerplate.train_html")

SITES = [f"site{n:02d}.example" for n in range(24)]


def page(site: str, article: str = "story", n: int = 0):
    """A labelled page of ``site``: a prose block in ``article``'s container, and a menu
    whose ``menu`` class stands five levels above its items (a far word to them)."""
    html = (f'<html><body><div class="{article}"><p>The committee of {site} met on Tuesday '
            f"and agreed the budget for the year, page {n}.</p></div>"
            '<div class="menu"><div><div><div><ul class="links">'
            '<li class="item"><a href="/">Home</a></li><li class="item"><a href="/news">News'
            "</a></li></ul></div></div></div></div></body></html>")
    blocks = dom_blocks(lxml.html.fromstring(html))
    labels = np.array([1] + [0] * (len(blocks) - 1), dtype=np.int64)
    return train_html.HtmlPage(f"{site}/{n}", site, "article", "", blocks, blocks[0].text,
                               labels, np.ones(len(blocks)),
                               text_features([b.text for b in blocks]),
                               np.zeros((len(blocks), 0)))


def test_the_table_learns_class_words_near_and_far_seen_on_enough_sites():
    counts = Counts()
    for site in SITES:
        p = page(site)
        counts.add(site, name_keys(p.blocks), p.labels)
    odd = page("d.example", article="onlyhere")
    counts.add("d.example", name_keys(odd.blocks), odd.labels)
    table = NameOdds.from_vocabulary(Counts.table([counts], min_sites=3))
    assert table.words["story"] > 0 > table.words["links"]
    assert "onlyhere" not in table.words  # one site: left out, whatever its labels
    # a word above the owner's four nearest ancestors counts apart, as a far word
    assert table.words["^menu"] < 0 and "menu" not in table.words
    column = dict(zip(NAME_ODDS_FEATURES, table.columns(page("e.example").blocks).T))
    assert column["names_near_known"].tolist() == [1, 2, 2]
    assert column["names_near_mean"][0] > 0 > column["names_near_max"][1]
    assert column["names_owner_mean"][0] == 0 > column["names_owner_mean"][1]  # p: no class
    assert column["names_far_max"][0] == 0 > column["names_far_min"][1]
    # where the same word stands near, the far one is not read
    near_menu = dom_blocks(lxml.html.fromstring(
        '<html><body><div class="menu"><p>Home</p></div></body></html>'))
    assert table.columns(near_menu)[0].tolist() == [0.0] * len(NAME_ODDS_FEATURES)


def test_training_rows_read_a_table_their_own_site_did_not_feed():
    # "rare" stands on exactly three sites: the table of all pages knows it, but a
    # training row of one of those sites must read a table learned without its site,
    # which saw "rare" on two sites at most and so does not know it
    pages = [page(site, article="rare" if i < 3 else "story", n=k)
             for i, site in enumerate(SITES) for k in range(2)]
    table = train_html.name_odds_columns(pages, seed=0, min_sites=3)
    assert "rare" in table.words and "links" in table.words
    known = NAME_ODDS_FEATURES.index("names_near_known")
    for p in pages:
        assert p.X.shape == (len(p.blocks), len(NAME_ODDS_FEATURES))
        # the menu, on every site, is known out of fold too: the columns read the table
        assert p.X[1:, known].tolist() == [2.0] * (len(p.blocks) - 1)
        assert p.X[0, known] == (0.0 if p.domain in SITES[:3] else 1.0)


def test_a_model_file_with_the_table_rates_a_page_as_the_training_run_did(tmp_path):
    from clean_corpus_plugins.boilerplate.html_extract import block_matrix
    from clean_corpus_plugins.boilerplate.model import BlockClassifier

    pages = [page(site, n=k) for site in SITES for k in range(3)]
    model = train_html.train_blocks(pages, seed=0, name_odds="blocks", min_sites=3)
    assert model.features[-len(NAME_ODDS_FEATURES):] == NAME_ODDS_FEATURES
    path = tmp_path / "model-html.json"
    path.write_text(model.dumps(), encoding="utf-8")
    loaded = BlockClassifier.load(path)
    assert loaded.dumps() == model.dumps() and loaded.names.words == model.names.words
    new = page("new.example")
    train_html.featurise([new], train_html.vocabulary(model.features), model.names)
    X = block_matrix(new.blocks, loaded)
    assert X.tolist() == new.X.tolist()
    p = loaded.predict_page(X)
    assert p[0] > 0.5 > p[1:].max()
    assert train_html.train_blocks(pages, seed=0, name_odds="blocks", min_sites=3).dumps() \
        == model.dumps()
    # a file whose features and table disagree is refused
    data = json.loads(model.dumps())
    del data["names"]
    with pytest.raises(ValueError, match="class/id word"):
        BlockClassifier.from_dict(data)


def test_counted_by_words_a_long_block_outweighs_many_short_ones():
    # on every site "card" holds one long content block and three one-word boilerplate
    # ones; the rest of the page is one long boilerplate block and three one-word content
    # ones. Counted once a block, "card" is less often content than the page's blocks;
    # counted by words, more often than the page's words
    html = ('<html><body><div class="card"><p>{}</p></div>'
            '<div class="card"><p>Home</p></div><div class="card"><p>News</p></div>'
            '<div class="card"><p>Shop</p></div><div class="footer"><p>{}</p></div>'
            '<div class="body"><p>One</p><p>Two</p><p>Three</p></div></body></html>')
    footer = " ".join(["Copyright and all the other rights of this company are reserved"] * 2)
    by_block, by_words = Counts(), Counts()
    for site in SITES:
        blocks = dom_blocks(lxml.html.fromstring(html.format(
            f"The committee of {site} met on Tuesday and agreed the budget for the year.",
            footer)))
        labels = np.array([1, 0, 0, 0, 0, 1, 1, 1])
        words = np.array([len(b.text.split()) for b in blocks], dtype=np.float64)
        by_block.add(site, name_keys(blocks), labels)
        by_words.add(site, name_keys(blocks), labels, words)
    assert Counts.table([by_block], min_sites=3).words["card"] < 0
    assert Counts.table([by_words], min_sites=3).words["card"] > 0
