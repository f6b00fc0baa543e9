"""Text documents through the real CLI: the shipped classifier keeps the main content.

The pages are the eight of ``tests/data/boilerplate`` (wcxb-dev, CC-BY-4.0), one of each
page type, as scrapers leave them: a line per block, a line per text node, or one line.
"""
from __future__ import annotations

import collections
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "data" / "boilerplate"
PAGES = {e["id"]: e for e in map(json.loads, (FIXTURES / "index.jsonl").read_text().splitlines())}
CLI = [sys.executable, "-m", "clean_corpus.cli"]


def words(text: str) -> collections.Counter:
    return collections.Counter(re.findall(r"\w+", text.lower()))


def recall(text: str, reference: str) -> float:
    ref = words(reference)
    return sum((words(text) & ref).values()) / max(1, sum(ref.values()))


def precision(text: str, reference: str) -> float:
    got = words(text)
    return sum((got & words(reference)).values()) / max(1, sum(got.values()))


@pytest.fixture(scope="module", params=["blocks", "nodes", "flat"])
def records(request, tmp_path_factory):
    out = tmp_path_factory.mktemp(request.param) / "records.jsonl"
    subprocess.run([*CLI, "run", str(FIXTURES / "text" / request.param), "-o", str(out),
                    "--no-progress"], check=True, capture_output=True)
    return {Path(r["source"]).stem: r for r in map(json.loads, out.read_text().splitlines())}


def test_pages_of_prose_keep_their_main_content_and_shed_boilerplate(records, request):
    """Articles, forum threads and service pages, as lines of blocks or of text nodes.

    (Listings, product and documentation pages, whose content is short lines, are where
    the classifier is weakest: docs/classifier.md gives their figures.)
    """
    form = request.node.callspec.params["records"]
    for pid, record in records.items():
        page = PAGES[pid]
        raw = (FIXTURES / "text" / form / f"{pid}.txt").read_text()
        assert record["text"], pid
        if page["type"] in ("article", "forum", "service") and form != "flat":
            assert recall(record["text"], page["main_content"]) >= 0.9, (pid, page["type"])
            assert precision(record["text"], page["main_content"]) > \
                precision(raw, page["main_content"]) + 0.2, (pid, page["type"])


def test_each_removal_names_the_classifier_and_its_score(records):
    removed = [r for record in records.values() for r in record["removed"]
               if r["plugin"] == "text_classifier"]
    assert removed
    for entry in removed:
        assert entry["reason"] == "boilerplate (classifier)"
        assert 0.5 <= entry["score"] <= 1.0
        assert entry["text"]


def test_a_page_on_one_line_comes_out_in_pieces_without_its_menu(tmp_path):
    page = PAGES["0024"]
    flat = (FIXTURES / "text" / "flat" / "0024.txt").read_text()
    assert flat.count("\n") <= 1
    source = tmp_path / "page.txt"
    source.write_text(flat)
    out = tmp_path / "out.jsonl"
    subprocess.run([*CLI, "run", str(source), "-o", str(out), "--no-progress"], check=True,
                   capture_output=True)
    record = json.loads(out.read_text())
    dropped = [r["text"] for r in record["removed"] if r["plugin"] == "text_classifier"]
    assert len(dropped) >= 3  # pieces of the line, not the whole line or nothing
    assert all(piece in flat for piece in dropped)
    assert recall(record["text"], page["main_content"]) >= 0.8
    assert len(record["text"]) < 0.9 * len(flat)


RULE_REMOVERS = ("image_names", "error_tail", "credits", "skip_links", "ad_labels",
                 "cookie_consent", "subscription_prompts", "comment_prompts", "teaser_lists",
                 "inline_teasers", "link_lists", "link_labels", "contact_blocks",
                 "legal_notices")


def classifier_and_rule_spans(out: Path, *options) -> dict[str, tuple[set, set]]:
    subprocess.run([*CLI, "run", str(FIXTURES / "text" / "blocks"), "-o", str(out),
                    "--no-progress", *options], check=True, capture_output=True)
    spans = {}
    for record in map(json.loads, out.read_text().splitlines()):
        mine = {(r["start"], r["end"]) for r in record["removed"] if r["plugin"] == "text_classifier"}
        rules = {(r["start"], r["end"]) for r in record["removed"]
                 if r["plugin"] in RULE_REMOVERS}
        spans[Path(record["source"]).stem] = (mine, rules)
    return spans


def test_the_classifier_rates_the_page_as_extracted_whatever_the_rules_removed(tmp_path):
    """The model was trained on whole pages: a rule removing a "Comments" line first must
    not hide from it where the page's tail begins, nor change any other verdict."""
    with_rules = classifier_and_rule_spans(tmp_path / "a.jsonl")
    without = classifier_and_rule_spans(
        tmp_path / "b.jsonl", *(arg for name in RULE_REMOVERS for arg in ("--disable", name)))
    assert with_rules.keys() == without.keys()

    def touched(span, rule_spans):
        return any(span[0] < end and start < span[1] for start, end in rule_spans)

    for pid, (mine, rules) in with_rules.items():
        alone = without[pid][0]
        # what the classifier drops beside the rules, it drops without them too; what it
        # drops alone, either it drops beside them or a rule took (part of) it first
        assert mine <= alone, pid
        assert all(span in mine or touched(span, rules) for span in alone), pid


def test_a_relative_threshold_out_of_range_is_a_clear_error(tmp_path):
    done = subprocess.run([*CLI, "run", str(FIXTURES / "text" / "blocks"), "-o",
                           str(tmp_path / "out.jsonl"), "--no-progress",
                           "--set", "text_classifier.relative=1.5"], capture_output=True, text=True)
    assert done.returncode == 2
    assert "relative must be between 0 and 1, got 1.5" in done.stderr
    assert not (tmp_path / "out.jsonl").exists()


def test_a_boundary_model_that_cannot_be_read_stops_the_run_before_any_document(tmp_path):
    broken = tmp_path / "boundaries.json"
    broken.write_text('{"format": "clean-corpus-boundaries/1"', encoding="utf-8")  # cut short
    done = subprocess.run([*CLI, "run", str(FIXTURES / "text" / "flat"), "-o",
                           str(tmp_path / "out.jsonl"), "--no-progress",
                           "--set", f"text_lines.boundary_model={broken}"],
                          capture_output=True, text=True)
    assert done.returncode == 2
    assert f"boundary_model: cannot load {broken}" in done.stderr
    assert not (tmp_path / "out.jsonl").exists()


def test_a_page_whose_words_the_model_knows_little_of_has_its_own_threshold(tmp_path):
    """On a page of another language than most training pages', content words the table
    does not know lift no block: ``unfamiliar_threshold`` applies there instead."""
    def dropped(name, *options):
        out = tmp_path / f"{name}.jsonl"
        subprocess.run([*CLI, "run", str(FIXTURES / "text" / "blocks"), "-o", str(out),
                        "--no-progress", *(a for o in options for a in ("--set", o))],
                       check=True, capture_output=True)
        return {Path(r["source"]).stem: [(e["start"], e["end"]) for e in r["removed"]
                                         if e["plugin"] == "text_classifier"]
                for r in map(json.loads, out.read_text().splitlines())}

    # every page counts as unfamiliar (no page's words are all known), or none does
    unfamiliar = dropped("a", "text_classifier.familiar=1.0",
                         "text_classifier.unfamiliar_threshold=0.6")
    familiar = dropped("b", "text_classifier.familiar=0", "text_classifier.threshold=0.6")
    assert unfamiliar == familiar and any(unfamiliar.values())
    shipped = dropped("c", "text_classifier.familiar=0")  # the model's threshold, lower
    assert sum(map(len, shipped.values())) < sum(map(len, unfamiliar.values()))
    done = subprocess.run([*CLI, "run", str(FIXTURES / "text" / "blocks"), "-o",
                           str(tmp_path / "d.jsonl"), "--no-progress",
                           "--set", "text_classifier.unfamiliar_threshold=2"],
                          capture_output=True, text=True)
    assert done.returncode == 2
    assert "unfamiliar_threshold must be between 0 and 1, got 2" in done.stderr


def test_a_page_on_one_line_has_its_own_threshold(tmp_path):
    """A page scraped onto one line is rated in pieces the segmentation and the boundary
    model cut: ``one_line_threshold`` applies there, and only there."""
    def dropped(form, name, *options):
        out = tmp_path / f"{name}.jsonl"
        subprocess.run([*CLI, "run", str(FIXTURES / "text" / form), "-o", str(out),
                        "--no-progress", "--set", "text_classifier.familiar=0",
                        *(a for o in options for a in ("--set", o))],
                       check=True, capture_output=True)
        return {Path(r["source"]).stem: [(e["start"], e["end"]) for e in r["removed"]
                                         if e["plugin"] == "text_classifier"]
                for r in map(json.loads, out.read_text().splitlines())}

    own = dropped("flat", "a", "text_classifier.one_line_threshold=0.7")
    same = dropped("flat", "b", "text_classifier.threshold=0.7",
                   "text_classifier.one_line_threshold=0")  # 0: the page's threshold
    assert own == same and any(own.values())
    lower = dropped("flat", "c", "text_classifier.one_line_threshold=0.3")
    assert sum(map(len, lower.values())) < sum(map(len, own.values()))
    # pages with a line per block or per text node are not on one line
    for form in ("blocks", "nodes"):
        assert dropped(form, f"{form}-a", "text_classifier.one_line_threshold=0.9") == \
            dropped(form, f"{form}-b", "text_classifier.one_line_threshold=0")
