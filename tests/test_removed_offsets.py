"""Removed spans carry offsets: ``start``/``end`` in the text cleaning started from, ``at``
in the record's text, so that a user (and the explain report) can put each one back."""
from __future__ import annotations

import re

import pytest

from conftest import FIXTURES
from clean_corpus import Document, hookimpl
from clean_corpus.config import Config
from clean_corpus.document import Block, Extraction, Removal
from clean_corpus.pipeline import Chain
from clean_corpus.testing import clean_text

INPUTS = sorted((FIXTURES / "seeds").glob("*.txt")) + sorted((FIXTURES / "holdout").glob("*.html"))


def _document(path) -> Document:
    content = path.read_text(encoding="utf-8")
    if path.suffix == ".html":
        return Document(source=str(path), html=content)
    return Document(source=str(path), text=content)


@pytest.fixture(scope="module")
def uncleaned() -> Chain:
    """The chain without its cleaners: its record's text is the input text cleaning starts from."""
    registry = Chain(Config(load_entry_points=False)).registry
    return Chain(Config(load_entry_points=False, disable=registry.chain("clean")))


def _record(chain: Chain, path) -> dict:
    outcome = chain.prepare(_document(path))
    assert outcome.status == "written", outcome.error
    return outcome.document.to_record()


def _put_back(record: dict) -> str:
    """The record's text with every removed span put back where ``at`` says, in page order."""
    text, pieces, pos = record["text"], [], 0
    for span in sorted(record["removed"], key=lambda r: (r["at"], r["start"])):
        pieces += [text[pos:span["at"]], " ", span["text"], " "]
        pos = span["at"]
    return "".join(pieces) + text[pos:]


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.name)
def test_start_and_end_point_at_the_removed_text_in_the_input_text(chain, uncleaned, path):
    record = _record(chain, path)
    input_text = _record(uncleaned, path)["text"]
    assert record["removed"], "every one of these inputs has boilerplate"
    for span in record["removed"]:
        assert input_text[span["start"]:span["end"]] == span["text"], span


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.name)
def test_spans_put_back_at_their_offsets_give_the_input_text_again(chain, uncleaned, path):
    record = _record(chain, path)
    input_text = _record(uncleaned, path)["text"]
    assert _squeeze(_put_back(record)) == _squeeze(input_text)


def test_offsets_follow_several_cuts_in_one_paragraph():
    doc = Document(source="a.txt", blocks=[Block("Intro line"),
                                           Block("Alpha beta. Read more: x. Gamma. Ad label"),
                                           Block("Last paragraph")])
    doc.mark_input()  # input text: "Intro line\n\nAlpha beta. Read more: x. Gamma. Ad label\n\n..."
    middle = doc.blocks[1]
    doc.cut(middle, middle.text.index("Ad label"), len(middle.text), "ads", "label")
    doc.cut(middle, middle.text.index("Read more"), middle.text.index("Gamma"), "teasers", "pointer")
    doc.drop_block(doc.blocks[0], "title", "title line")
    record = doc.to_record()
    assert record["text"] == "Alpha beta. Gamma.\n\nLast paragraph"
    spans = {r["text"]: r for r in record["removed"]}
    assert (spans["Ad label"]["start"], spans["Ad label"]["end"]) == (45, 53)
    assert (spans["Read more: x."]["start"], spans["Read more: x."]["end"]) == (24, 37)
    assert (spans["Intro line"]["start"], spans["Intro line"]["end"]) == (0, 10)
    # where each stood in the record's text: before "Gamma.", after it, at the start
    assert spans["Read more: x."]["at"] == record["text"].index("Gamma.")
    assert spans["Ad label"]["at"] == len("Alpha beta. Gamma.")
    assert spans["Intro line"]["at"] == 0


def test_a_span_after_the_last_kept_character_stands_at_the_end_of_the_text():
    doc = Document(source="a.txt", blocks=[Block("Kept paragraph."), Block("Share this")])
    doc.mark_input()
    doc.drop_block(doc.blocks[1], "share", "share prompt")
    record = doc.to_record()
    assert record["removed"][0]["at"] == len(record["text"])
    assert record["removed"][0]["start"] == len("Kept paragraph.\n\n")


def test_a_removal_recorded_by_hand_has_no_offsets_and_still_validates():
    """A third-party plugin appending to ``removed`` itself gives no place: null offsets."""
    doc = Document(source="a.txt", blocks=[Block("Kept paragraph.")])
    doc.mark_input()
    doc.removed.append(Removal("mine", "why", "gone"))
    assert doc.to_record()["removed"] == [{"plugin": "mine", "reason": "why", "text": "gone",
                                           "start": None, "end": None, "at": None}]


class _MenuLinesOut:
    """A text extractor that leaves out lines starting with "Menu", as a classifier would."""

    name = "menu_lines_out"

    @hookimpl(trylast=True)
    def extract(self, document):
        if document.html is not None:
            return None
        lines = [line for line in document.text.split("\n") if line.strip()]
        return Extraction(blocks=[Block(line, "line") for line in lines if not line.startswith("Menu")],
                          removed=[Removal(self.name, "menu", line) for line in lines
                                   if line.startswith("Menu")])


def test_what_a_text_extractor_removed_is_placed_in_the_input_text():
    lines = ["Menu Home News", "Home news of the valley.", "The council met on Monday to vote.",
             "Menu Home", "The vote passed."]
    doc = clean_text("\n".join(lines), _MenuLinesOut(), builtins=False)
    record = doc.to_record()
    input_text = "\n\n".join(lines)
    spans = [r for r in record["removed"] if r["plugin"] == "menu_lines_out"]
    assert [input_text[r["start"]:r["end"]] for r in spans] == ["Menu Home News", "Menu Home"]
    assert [r["at"] for r in spans] == [0, record["text"].index("\n\nThe vote")]
    assert _squeeze(_put_back(record)) == _squeeze(input_text)


@pytest.mark.parametrize("at_once", [False, True], ids=["drop_block", "drop_blocks"])
def test_of_two_equal_blocks_the_one_named_goes(at_once):
    """A line printed twice ("Share" above and below the article): removing the second
    copy keeps the first, and the removal's offsets are the second copy's."""
    doc = Document(source="a.txt", blocks=[Block("Share"), Block("Body of the article."),
                                           Block("Share")])
    doc.mark_input()
    second = doc.blocks[2]
    if at_once:
        doc.drop_blocks([second], "share", "share prompt")
    else:
        doc.drop_block(second, "share", "share prompt")
    record = doc.to_record()
    assert record["text"] == "Share\n\nBody of the article."
    assert doc.blocks[0].input_span() == (0, 5)
    removal = record["removed"][0]
    assert (removal["start"], removal["end"], removal["at"]) == (29, 34, len(record["text"]))
