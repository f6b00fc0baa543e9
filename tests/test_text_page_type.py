"""The page type of text documents: its training, the shipped model, the record field and
the listing detector that reads it.

Training runs end to end on ``tests/data/boilerplate``: eight wcxb-dev pages (one site
each, all seven page types; Web Content eXtraction Benchmark, Murrough Foley, 2026,
CC-BY-4.0) already turned into text in the three scraped forms.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import train_twice

from clean_corpus import Document
from clean_corpus.pipeline import Chain
from clean_corpus_plugins.boilerplate import train
from clean_corpus_plugins.boilerplate.page_type import PAGE_TYPES
from clean_corpus_plugins.boilerplate.text_page_type import (MODEL_FILE, FEATURES,
                                                              TextPageTypeModel, _LinesWith,
                                                              text_page_features)
from clean_corpus_plugins.boilerplate.train_text_page_type import load_pages

FIXTURES = Path(__file__).parent / "data" / "boilerplate"
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """The training command run twice on the fixture pages, with the same seed."""
    return train_twice(tmp_path_factory, "clean_corpus_plugins.boilerplate.train_text_page_type",
                       "--text", str(FIXTURES), "--seed", "3", "--folds", "0")


def test_training_twice_with_the_same_seed_gives_the_same_file(trained):
    assert trained[0].read_bytes() == trained[1].read_bytes()


def test_the_trained_model_tells_the_types_of_its_training_pages(trained):
    model = TextPageTypeModel.load(trained[0])
    pages = load_pages(train.text_source(FIXTURES))
    right = sum(model.predict(p.blocks)[0] == p.type for p in pages)
    assert right / len(pages) > 0.9  # 24 pages (8 in 3 forms) it has seen


def test_the_shipped_model_predicts_as_it_did_when_it_was_trained():
    model = TextPageTypeModel.load(MODEL_FILE)
    kept = model.trained["check"]
    pages = load_pages(train.text_source(FIXTURES))
    assert len(kept) == len(pages)
    assert {f"{p.id}/{p.form}": model.predict(p.blocks)[0] for p in pages} == kept


def test_a_model_reading_other_features_is_refused(tmp_path):
    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    data["features"] = list(FEATURES[:-1])
    path = tmp_path / "model.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match="other features"):
        TextPageTypeModel.load(path)


def test_features_of_an_empty_page_and_of_a_huge_one_are_finite():
    for lines in ([], ["x"] * 100_000, ["word " * 50_000]):
        row = text_page_features(lines)
        assert row.shape == (len(FEATURES),)
        assert all(abs(v) < float("inf") for v in row.tolist())


@pytest.mark.parametrize("text", [
    "", "12:30", "a\n12:30\nb 1:00 and 2:00\n\n3:45", "$\n5 then $6\n$7", "x 9.99\neur\ny 1,00 kr",
    "| a » b\n\n›", "1999 12.03.2020\n2024", "no match\nat all\n", "12:30\n" * 50])
def test_lines_with_a_pattern_are_counted_as_an_anchored_findall_counts_them(text):
    # the count reads each line's first match and skips what a match ran over, as the
    # anchored pattern does: "$\n5" is a price running over a newline
    for pattern in (r"[$€£¥₹]\s?\d|\d[.,]\d\d\s?(?:€|\$|£|eur|usd|chf|kr)\b",
                    r"\b\d{1,2}:\d\d\b", r"[|»›]", r"\b(?:19|20)\d\d\b"):
        anchored = re.compile(r"^[^\n]*?(?:" + pattern + ")", re.M | re.I)
        assert _LinesWith(pattern).count(text) == len(anchored.findall(text))


def _record(chain: Chain, text: str) -> dict:
    outcome = chain.prepare(Document(source="page.txt", text=text))
    assert outcome.status == "written", outcome.error
    return outcome.document.to_record()


def test_every_text_record_gets_a_page_type(chain):
    for path in sorted((FIXTURES / "text" / "blocks").glob("*.txt")):
        record = _record(chain, path.read_text(encoding="utf-8"))
        assert record["page_type"] in PAGE_TYPES, path.name


@pytest.mark.parametrize("page_type, probability, listing", [
    ("listing", 0.9, True), ("collection", 0.85, True), ("listing", 0.6, False),
    ("article", 0.99, False)])
def test_listing_page_reads_the_predicted_type_of_a_text_document(page_type, probability,
                                                                   listing):
    """An article corpus can drop listings by policy, whatever form its pages came in."""
    from clean_corpus_plugins.detectors.listing_page import ListingPage

    detector = ListingPage()
    detector.options = dict(ListingPage.defaults)
    document = Document(source="page.txt", text="Home\n\nNews\n\nSport")
    document.signatures["page_type"] = {"type": page_type, "probability": probability}
    detector.detect(document)
    assert document.detections["listing_page"]["listing"] is listing
    assert (detector.verdict(document) is not None) is listing
