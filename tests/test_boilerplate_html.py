"""HTML pages through the learned extractor: DOM blocks, their features, the page type,
and pages of every kind keeping their main content.

The pages here are written for the tests (no benchmark page's text).
"""
from __future__ import annotations

import json
import math
import time
from pathlib import Path

import lxml.html
import numpy as np
import pytest

from clean_corpus import clean
from clean_corpus.config import Config
from clean_corpus.document import schema_path
from clean_corpus_plugins.boilerplate.html import dom_blocks, html_feature_names, html_features
from clean_corpus_plugins.boilerplate.page_type import PAGE_TYPES

PAGES = Path(__file__).parent / "data" / "html_types"


def blocks_of(html: str):
    return dom_blocks(lxml.html.fromstring(html))


# ------------------------------------------------------------------------- DOM blocks
def test_block_elements_make_blocks_and_inline_ones_run_on():
    blocks = blocks_of("""<html><body><nav><ul><li><a href="/">Home</a></li>
        <li><a href="/news">News</a></li></ul></nav>
        <h1>Rain floods the valley</h1>
        <p>The river rose by <b>two metres</b> overnight, <a href="/x">the council</a> said.</p>
        <script>var x = "not text";</script><style>p {}</style>
        <p>Roads stay closed<br>until Friday.</p></body></html>""")
    assert [b.text for b in blocks] == [
        "Home", "News", "Rain floods the valley",
        "The river rose by two metres overnight, the council said.",
        "Roads stay closed until Friday."]
    assert [b.kind for b in blocks] == ["item", "item", "head", "p", "p"]
    assert blocks[0].link_chars == len("Home") and blocks[0].links == 1
    assert blocks[3].link_chars == len("the council")
    assert blocks[0].path[:3] == ("li", "ul", "nav")


def test_text_after_a_nested_block_is_a_block_of_its_own():
    blocks = blocks_of("<html><body><div>Before<div>Inside</div>After</div></body></html>")
    assert [b.text for b in blocks] == ["Before", "Inside", "After"]


def test_text_around_comments_breaks_and_skipped_elements_joins_as_it_stands():
    # a comment's tail runs on; a line break parts words; a skipped element (a script, an
    # icon, a hidden span) holding only a space still parts the words around it
    blocks = blocks_of("<html><body><p>one<!-- a note -->two <b>three</b><!-- x --> four</p>"
                       "<p>a<br>b<br> <br>c</p>"
                       "<p>Share<svg> <path/> </svg>this <script>\n</script>page<span hidden>"
                       " </span>now<button>Go</button>too</p></body></html>")
    assert [b.text for b in blocks] == ["onetwo three four", "a b c", "Share this page nowtoo"]


def test_a_hidden_element_is_left_out_with_all_it_holds_wherever_it_stands():
    # the attribute in any spelling, on a block or an inline element, nested in either
    blocks = blocks_of("<html><body><p>Keep <span hidden>gone <b>too</b></span>this</p>"
                       "<div HIDDEN='hidden'><p>Not this</p><div><p>nor this</p></div></div>"
                       "<ul><li>one</li><li hidden=''>two</li><li>three</li></ul>"
                       "<section><div><p>Still <a hidden href='/x'>no</a>here</p></div>"
                       "</section></body></html>")
    assert [b.text for b in blocks] == ["Keep this", "one", "three", "Still here"]


def test_a_second_top_level_element_is_read_and_any_element_reads_the_whole_page():
    # markup after </html> makes a second top-level element; a text-node walk saw it
    tree = lxml.html.fromstring("<html><body><p>first</p></body></html><div>second</div>")
    assert len(tree.xpath("/*")) == 2
    assert [b.text for b in dom_blocks(tree)] == ["first", "second"]
    assert [b.text for b in dom_blocks(tree.find(".//p"))] == ["first", "second"]
    assert [b.depth for b in dom_blocks(tree)] == [3, 2]  # html, div


def test_a_page_a_script_writes_is_read_from_its_noscript_elements():
    # a forum engine's thread page: an empty shell the script fills, the posts served in
    # noscript for readers without script; a page with text of its own keeps its noscript
    # notice out
    page = (PAGES / "forum_scripted.html").read_text(encoding="utf-8")
    texts = [b.text for b in blocks_of(page)]
    assert "The piston came out all the way in the warm water test." in " ".join(texts)
    assert texts[0] == "Greenhouse vent opener stuck half open"
    article = (PAGES / "article.html").read_text(encoding="utf-8").replace(
        "<body>", "<body><noscript><p>Please turn on JavaScript to read the comments of "
                  "this page and to see the pictures.</p></noscript>", 1)
    assert not any("JavaScript" in b.text for b in blocks_of(article))
    # a near-empty page without noscript elements stays as it is
    assert [b.text for b in blocks_of("<html><body><p>Loading</p></body></html>")] == ["Loading"]


def test_name_words_are_the_letter_runs_cut_before_a_capital():
    import random
    import re

    from clean_corpus_plugins.boilerplate.html import _split_names

    # the words as a split at non-letters and small-to-capital steps gives them
    split = re.compile(r"[^A-Za-z]+|(?<=[a-z])(?=[A-Z])")
    rng = random.Random(0)
    for _ in range(20_000):
        # (the second alphabet has no capital and is ASCII: the split's quick way)
        alphabet = rng.choice(("aAbZz-_ 1éÉıİKß", "abz-_ 1\t"))
        names = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        words = [w.lower() for w in split.split(names) if len(w) > 1]
        assert _split_names(names) == tuple(dict.fromkeys(words))[:12], names
    assert _split_names("mainFooter HTMLParser x-y navBar") == ("main", "footer", "htmlparser",
                                                                "nav", "bar")


def test_class_and_id_words_are_read_and_bounded():
    hostile = "x" * 4_000_000
    blocks = blocks_of(f"""<html><body><div class="site-footer {hostile}" id="mainFooter">
        <p class="{hostile} copyright">Copyright notice</p></div></body></html>""")
    (block,) = blocks
    assert {"site", "footer", "main"} <= set(block.names[1])
    # only the start of an attribute is read: the word after 4 MB of one class is not
    assert "copyright" not in block.names[0]
    assert all(len(w) <= 200 for level in block.names for w in level)


def test_html_features_have_a_named_column_each():
    blocks = blocks_of("""<html><body><nav><a href="/">Home</a> <a href="/a">About</a></nav>
        <article><p>A paragraph of the article with enough words to read as prose.</p>
        </article><footer>© Example</footer></body></html>""")
    vocabulary = ("footer", "nav")
    X = html_features(blocks, vocabulary)
    names = html_feature_names(vocabulary)
    assert X.shape == (len(blocks), len(names)) and np.isfinite(X).all()
    column = dict(zip(names, X.T))
    assert column["link_density"][0] > 0.85 and column["link_density"][1:].tolist() == [0, 0]
    # math's log1p, the one the model was trained with (numpy's is one bit off for 2 on
    # CPUs with AVX-512)
    assert column["log_links"].tolist() == [math.log1p(2), 0, 0]
    assert column["in=nav"].tolist() == [1, 0, 0] and column["in=article"].tolist() == [0, 1, 0]
    assert column["in=footer"].tolist() == [0, 0, 1]


def test_container_columns_sum_the_blocks_each_container_holds():
    # on a shallow page the first containers holding more than one block, from the
    # outermost remembered level inwards, are the page's html and body elements
    blocks = blocks_of("""<html><body><div><p>One paragraph of text here.</p>
        <p>Another paragraph follows it.</p></div>
        <ul><li><a href="/a">First link</a></li><li><a href="/b">Second</a></li></ul>
        </body></html>""")
    column = dict(zip(html_feature_names(()), html_features(blocks, ()).T))
    chars = sum(len(b.text) for b in blocks)
    links = sum(b.link_chars for b in blocks)
    for level in ("parent", "grand"):
        assert np.allclose(column[f"{level}_log_chars"], np.log1p(chars))
        assert np.allclose(column[f"{level}_link_density"], links / chars)
        assert np.allclose(column[f"{level}_log_blocks"], np.log1p(len(blocks)))
    # a block whose every remembered ancestor holds it alone has no container columns
    deep = blocks_of("<html><body><p>Alone on the page.</p></body></html>")
    alone = dict(zip(html_feature_names(()), html_features(deep, ()).T))
    assert alone["parent_log_chars"].tolist() == [0.0] and alone["grand_log_blocks"].tolist() == [0.0]


def test_class_words_near_and_far_are_indicator_columns():
    blocks = blocks_of("""<html><body><div class="sidebar"><div><div><div><div><div>
        <p>Far below the sidebar.</p></div></div></div></div></div></div>
        <div class="content"><p>Near the content.</p></div></body></html>""")
    column = dict(zip(html_feature_names(("sidebar", "content")),
                      html_features(blocks, ("sidebar", "content")).T))
    assert column["near=sidebar"].tolist() == [0, 0] and column["far=sidebar"].tolist() == [1, 0]
    assert column["near=content"].tolist() == [0, 1] and column["far=content"].tolist() == [0, 1]


def test_a_deep_page_keeps_the_nearest_levels_of_each_path():
    html = "<html><body>" + "<div>" * 250 + "deep text" + "</div>" * 250 + "</body></html>"
    (block,) = blocks_of(html)
    assert block.text == "deep text" and block.depth > 250
    assert len(block.path) <= 16


# ------------------------------------------------------------------------- whole pages
#: For each kind of page: sentences of its main content (all must be kept).
MAIN_CONTENT = {
    "article": ["its wheel rusted in place", "Grinding flour again",
                "the bakery in the village sells the bread",
                "when the cooperative opens the ground floor"],
    "forum": ["the chain jumps every time I push hard", "Check the limit screw",
              "It was the hanger."],
    "product": ["Built from untreated western red cedar", "The corner posts slot together",
                "deep enough for carrots and potatoes"],
    "collection": ["Oak garden bench for two", "Folding bistro table in teak",
                   "Cotton hammock with steel stand"],
    "listing": ["Planting a hedge that feeds the birds all winter",
                "Hot composting in a small back garden",
                "Sharpening pruning shears the right way"],
    "documentation": ["The hub reads its settings from a file named hub.toml",
                      "Shorter intervals drain battery-powered sensors faster",
                      "restart the hub service"],
    "service": ["Our designers visit your garden", "A first visit of two hours",
                "The design visit costs 180 pounds"],
}
#: The page chrome every fixture shares: none of it is main content.
CHROME = ["We use cookies", "Sign up to our newsletter", "All rights reserved",
          "Ten garden tools we could not live without", "Careers"]


def clean_all(config=None):
    return {name: clean(html=(PAGES / f"{name}.html").read_text(encoding="utf-8"),
                        url=f"https://www.example.org/{name}/page", config=config).record
            for name in MAIN_CONTENT}


@pytest.fixture(scope="module")
def records():
    return clean_all()


EVERY_TYPE_AT_HALF = {kind: 0.5 for kind in MAIN_CONTENT}


@pytest.fixture(scope="module")
def classified():
    """Every page through the block classifier alone (trafilatura switched off)."""
    return clean_all(Config(disable=["trafilatura"],
                            options={"boilerplate_html": {"add_threshold": EVERY_TYPE_AT_HALF}}))


@pytest.fixture(scope="module")
def trafilatura_alone():
    """trafilatura's text, nothing taken back (the page type still set)."""
    return clean_all(Config(options={"boilerplate_html": {
        "add_threshold": {kind: 1.1 for kind in MAIN_CONTENT}}}))


@pytest.mark.parametrize("kind", sorted(MAIN_CONTENT))
def test_the_classifier_keeps_the_main_content_of_a_page_of_each_kind(classified, kind):
    record = classified[kind]
    for sentence in MAIN_CONTENT[kind]:
        assert sentence in record["text"], (kind, sentence, record["text"])
    for chrome in CHROME:
        assert chrome not in record["text"], (kind, chrome)


@pytest.mark.parametrize("kind", sorted(MAIN_CONTENT))
def test_the_default_chain_keeps_the_main_content(records, kind):
    record = records[kind]
    for sentence in MAIN_CONTENT[kind]:
        assert sentence in record["text"], (kind, sentence, record["text"])
    for chrome in CHROME:
        assert chrome not in record["text"], (kind, chrome)


def test_the_posts_of_a_thread_served_in_noscript_are_kept_by_the_classifier():
    # trafilatura switched off: the classifier alone must find the posts, which it sees
    # only when the noscript elements of a page a script writes are read
    page = (PAGES / "forum_scripted.html").read_text(encoding="utf-8")
    record = clean(html=page, url="https://growers.example.org/t/vent-opener/4711",
                   config=Config(disable=["trafilatura"], options={
                       "boilerplate_html": {"add_threshold": EVERY_TYPE_AT_HALF}})).record
    for sentence in ("My automatic vent opener has stopped halfway",
                     "stand the cylinder in a bowl of warm water",
                     "the window now opens fully by ten o'clock"):
        assert sentence in record["text"], record["text"]
    assert "Terms of Service" not in record["text"]


def test_content_trafilatura_misses_is_taken_back_and_explained(records, trafilatura_alone):
    # trafilatura alone loses part of the main content of these small pages; the
    # classifier's blocks bring it back, each listed with its P(content)
    missed = {kind: [s for s in MAIN_CONTENT[kind] if s not in trafilatura_alone[kind]["text"]]
              for kind in MAIN_CONTENT}
    assert any(missed.values()), "trafilatura alone keeps everything: the test shows nothing"
    for kind, sentences in missed.items():
        if not sentences:
            continue
        added = records[kind]["detections"]["boilerplate_html"]["added"]
        for sentence in sentences:
            assert sentence in records[kind]["text"]
            entry = next(a for a in added if sentence in a["text"])
            assert entry["score"] >= 0.4
    # what trafilatura kept stays in its order, the blocks taken back sit in page order
    text = records["forum"]["text"]
    positions = [text.index(s) for s in MAIN_CONTENT["forum"]]
    assert positions == sorted(positions)


def test_prices_are_counted_in_any_currency_and_case():
    from clean_corpus_plugins.boilerplate.page_type import feature_names, page_type_features

    def prices(text):
        tree = lxml.html.fromstring(f"<html><body><p>{text}</p></body></html>")
        row = page_type_features(tree, None, dom_blocks(tree), (), ())
        return round(math.expm1(row[feature_names((), ()).index("prices")]))

    assert prices("$5, € 12, £3 and ¥ 400 or ₹99") == 5
    assert prices("12.99 EUR, 3,50 kr, 10.00 Usd and 4.20 CHF") == 4
    # no currency, a word going on, a sign without a number: no price
    assert prices("In 2024 it rose 12.5 %, 3.99 eurozone, 1.00 krone, a $ sign") == 0
    # (the currency's name ignores case as Unicode does: the Kelvin sign is a K)
    assert prices("5.00 \u212ar") == 1


def test_the_alignment_reads_words_as_the_labels_do():
    # the extractor's alignment cuts the page's words as the block features do and the
    # extracted text's at once: in any script and case, across quotes, dashes, line
    # breaks, as the labels' regular expression cuts them
    from clean_corpus_plugins.boilerplate.html_extract import Alignment
    from clean_corpus_plugins.boilerplate.labels import coverage

    page = ["Ärger über DIE Straße — „sagt“ er heute", "Home Menu", "ΣΟΦΊΑ ΚΑΙ ΛΌΓΟΣ τέλος",
            "a line\nbreak in one block", "İstanbul’da ıslak Şehir"]
    extracted = ["ärger ÜBER die straße - sagt", "σοφία και λόγος ΤΈΛΟΣ",
                 "line break in", "istanbul'da ISLAK şehir"]
    held = Alignment(page, extracted, np.zeros(len(page))).held
    assert held.tolist() == coverage(page, "\n".join(extracted))
    assert 0 < held[0] < 1 and held[1] == 0 and held[2] == 1


def test_every_html_record_has_a_page_type_the_schema_allows(records):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    for record in records.values():
        jsonschema.validate(record, schema)
        assert record["page_type"] in schema["properties"]["page_type"]["enum"]
    assert records["article"]["page_type"] == "article"


def test_plain_text_gets_its_page_type_from_the_text_model():
    record = clean(text="A short note.\n\nIt has two paragraphs of plain text in it.").record
    assert record["page_type"] in PAGE_TYPES


def test_the_shipped_model_decides_as_it_did_when_trained():
    # the training command kept the labels the model gave one fixture page
    from clean_corpus_plugins.boilerplate.html_extract import MODEL_FILE
    from clean_corpus_plugins.boilerplate.model import load_model
    from clean_corpus_plugins.boilerplate.train_html import check_labels

    model = load_model(str(MODEL_FILE))
    expected = model.trained["check"]
    assert check_labels(model, PAGES / expected["page"]) == expected
    assert "1" in expected["labels"] and "0" in expected["labels"]


def around(kind: str, extracted: list[str], **options):
    """The extractor wrapped around another extractor that found ``extracted`` on the
    fixture page of ``kind``: the extraction it returns."""
    from clean_corpus.document import Block, Document, Extraction
    from clean_corpus_plugins.boilerplate.html_extract import HtmlExtractor

    extractor = HtmlExtractor()
    extractor.options = {**HtmlExtractor.defaults, **options}
    document = Document(source=f"{kind}.html", url=f"https://www.example.org/{kind}/page",
                        html=(PAGES / f"{kind}.html").read_text(encoding="utf-8"))
    hook = extractor.extract(document)
    next(hook)  # up to the extractor it wraps
    with pytest.raises(StopIteration) as done:
        hook.send(Extraction(blocks=[Block(text) for text in extracted]))
    return done.value.value


def test_a_page_the_extractor_finds_nothing_in_keeps_its_likeliest_blocks():
    extraction = around("service", [])
    text = "\n".join(b.text for b in extraction.blocks)
    assert all(sentence in text for sentence in MAIN_CONTENT["service"])
    assert extraction.metadata["page_type"] == "service"


def test_a_list_of_bare_addresses_is_never_taken_back_as_content():
    """A sitemap read as a page holds nothing but URLs: it is left with no text (and
    rejected so) rather than written as a record of addresses."""
    urls = "".join(f"<url><loc>http://www.example.org/2024/03/{day:02d}/a-story-{day}.html"
                   f"</loc></url>" for day in range(1, 12))
    result = clean(html=f'<?xml version="1.0"?><urlset>{urls}</urlset>', source="sitemap.xml")
    assert result.status == "rejected"
    assert "no text left after extraction and cleaning" in result.reasons
    kept = clean(html="<html><body><p>Contact: mail@example.org, or read "
                      "https://www.example.org/about for the whole story of the shop.</p>"
                      "</body></html>", source="page.html")
    assert "whole story" in (kept.record or {}).get("text", "")


def test_page_chrome_the_extractor_kept_is_dropped_with_the_classifier_score():
    body = [s for s in MAIN_CONTENT["article"]]
    teaser = "Ten garden tools we could not live without this year"
    newsletter = "Sign up to our newsletter for weekly deals"
    extraction = around("article", [teaser, *body, newsletter])
    assert [b.text for b in extraction.blocks if b.text in body] == body
    assert teaser not in [b.text for b in extraction.blocks]
    assert newsletter not in [b.text for b in extraction.blocks]
    removed = {r.text: r for r in extraction.removed}
    for chrome in (teaser, newsletter):
        assert removed[chrome].plugin == "boilerplate_html"
        assert removed[chrome].score >= 0.9
    # with the drop switched off, what the extractor kept stays
    kept = around("article", [teaser, *body, newsletter], drop_threshold=0.0)
    assert teaser in [b.text for b in kept.blocks] and not kept.removed
    # nor does the drop ever take all the extractor found
    alone = around("article", [teaser], add_threshold={"article": 1.1})
    assert [b.text for b in alone.blocks] == [teaser] and not alone.removed


def test_the_threshold_of_each_page_type_can_be_set():
    from clean_corpus_plugins.boilerplate.html_extract import ADD_THRESHOLDS, HtmlExtractor

    extractor = HtmlExtractor()
    extractor.options = {**HtmlExtractor.defaults, "add_threshold": {"forum": 0.9}}
    assert extractor.threshold("forum") == 0.9
    assert extractor.threshold("article") == ADD_THRESHOLDS["article"]
    assert extractor.threshold(None) == HtmlExtractor.defaults["default_add_threshold"]


# ------------------------------------------------------------------------- training
def annotated_data(folder: Path) -> Path:
    """A ``--data`` folder for ``train_html``: wcxb-dev's layout holding the fixture page
    of every type on three sites (main content: the text of its ``main``), and the
    devset's holding the article page, annotated."""
    import gzip

    pages = folder / "wcxb-dev" / "pages"
    pages.mkdir(parents=True)
    entries = []
    for kind in PAGE_TYPES:
        html = (PAGES / f"{kind}.html").read_text(encoding="utf-8")
        main = lxml.html.fromstring(html).find(".//main")
        for site in range(3):
            entry = {"id": f"{kind}{site}", "domain": f"{kind}{site}.example", "type": kind,
                     "url": f"https://{kind}{site}.example/{kind}/page",
                     "main_content": " ".join(main.text_content().split())}
            (pages / f"{entry['id']}.html.gz").write_bytes(gzip.compress(html.encode()))
            entries.append(entry)
    with gzip.open(folder / "wcxb-dev" / "index.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.writelines(json.dumps(e) + "\n" for e in entries)
    (folder / "tools").mkdir()  # the scraper tool the devset's loader reads (unused here)
    (folder / "tools" / "scraped_text.py").write_text(
        "def visible_text(data, mode):\n    return ''\n", encoding="utf-8")
    devset = folder / "devset" / "html"
    devset.mkdir(parents=True)
    (devset / "mill page.html").write_bytes((PAGES / "article.html").read_bytes())
    (folder / "devset" / "index.jsonl").write_text(json.dumps({
        "id": "https://www.northfield.example/blog/mill", "file": "mill page.html",
        "lang": "en", "with": ["Northfield Works"], "without": ["Grinding flour again"]})
        + "\n", encoding="utf-8")
    return folder


def test_the_devset_trains_the_block_classifier_labelled_by_the_chain_without_it(
        tmp_path, monkeypatch):
    """``train_html --sources wcxb,devset``: the devset's annotated pages join the block
    classifier's training pages, labelled by the chain without the HTML classifier (so
    that retraining gives the same file whatever model file ships), corrected by the
    annotation; the page-type model stays wcxb-dev's."""
    from clean_corpus_plugins.boilerplate import html_extract
    from clean_corpus_plugins.boilerplate.model import BlockClassifier

    train_html = pytest.importorskip("clean_corpus_plugins.boilerplate.train_html")
    data = annotated_data(tmp_path / "data")
    # no HTML classifier model to read: the devset's labels must not need one
    monkeypatch.setattr(html_extract, "MODEL_FILE", tmp_path / "no-model.json")
    (page,) = train_html.devset_pages(data)
    assert page.id == "devset-mill page" and page.domain == "northfield.example"
    labels = {b.text: y for b, y in zip(page.blocks, page.labels.tolist())}
    assert labels["Grinding flour again"] == 0  # kept by the chain, boilerplate by the snippet
    assert labels["Home"] == 0 and labels["Sign up to our newsletter for weekly deals"] == 0
    assert any(y == 1 and "stone mill at the bend" in text for text, y in labels.items())

    def trained(name: str, *options: str) -> Path:
        out = tmp_path / name
        out.mkdir()
        assert train_html.main(["--data", str(data), "--out-dir", str(out),
                                "--check", str(PAGES / "article.html"), *options]) == 0
        return out

    alone = trained("wcxb")
    both = trained("both", "--sources", "wcxb,devset")
    again = trained("again", "--sources", "wcxb,devset")
    heavier = trained("heavier", "--sources", "wcxb,devset", "--devset-weight", "3")
    model = BlockClassifier.load(both / "model-html.json")
    assert model.trained["pages"] == 22 and model.trained["devset"] == {"pages": 1,
                                                                        "weight": 1.0}
    assert "trafilatura project" in model.trained["data"]
    assert "devset" not in BlockClassifier.load(alone / "model-html.json").trained
    files = {name: (out / "model-html.json").read_bytes()
             for name, out in (("alone", alone), ("both", both), ("again", again),
                               ("heavier", heavier))}
    assert files["both"] == files["again"]
    assert len(set(files.values())) == 3  # the devset's page, and its weight, count
    assert (both / "model-page-type.json").read_bytes() == \
        (alone / "model-page-type.json").read_bytes()


def test_two_stages_train_a_model_whose_second_reads_the_first_around_each_block(tmp_path):
    """``train_html --stages 2``: the block classifier gets the text model's second stage
    (the first's probabilities of the block and its neighbours, out of fold by site),
    which the model file keeps and the chain runs; the default stays one stage."""
    from clean_corpus_plugins.boilerplate.html_extract import block_matrix
    from clean_corpus_plugins.boilerplate.model import CONTEXT_FEATURES, BlockClassifier

    train_html = pytest.importorskip("clean_corpus_plugins.boilerplate.train_html")
    data = annotated_data(tmp_path / "data")

    def trained(name: str, *options: str) -> Path:
        out = tmp_path / name
        out.mkdir()
        assert train_html.main(["--data", str(data), "--out-dir", str(out),
                                "--check", str(PAGES / "article.html"), *options]) == 0
        return out / "model-html.json"

    one, two, again = trained("one"), trained("two", "--stages", "2"), \
        trained("again", "--stages", "2")
    assert len(json.loads(one.read_text(encoding="utf-8"))["stages"]) == 1
    stored = json.loads(two.read_text(encoding="utf-8"))
    assert len(stored["stages"]) == 2 and stored["context"] == list(CONTEXT_FEATURES)
    assert two.read_bytes() == again.read_bytes()  # the same data and seed, the same file
    model = BlockClassifier.load(two)
    tree = lxml.html.fromstring((PAGES / "article.html").read_text(encoding="utf-8"))
    blocks = dom_blocks(tree)
    X = block_matrix(blocks, model)
    p = model.predict_page(X)
    assert len(p) == len(blocks) and ((p >= 0) & (p <= 1)).all()
    assert not np.array_equal(p, model.stages[0].predict(X))  # the second stage decides
    assert train_html.check_labels(model, PAGES / "article.html") == model.trained["check"]
    record = clean(html=(PAGES / "article.html").read_text(encoding="utf-8"),
                   url="https://www.example.org/article/page",
                   config=Config(options={"boilerplate_html": {"model": str(two)}})).record
    assert all(sentence in record["text"] for sentence in MAIN_CONTENT["article"])
