"""Hard-wrapped text dumps (lynx, w3m, html2text wrap each paragraph at about 78 columns and
put a blank line between paragraphs): a wrapped paragraph is read as one block, and where
each of its lines stood in the input text is kept.

The pages of the CLI tests are the eight of ``tests/data/boilerplate`` (wcxb-dev,
CC-BY-4.0), wrapped here as such a dump would.
"""
from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from clean_corpus import hookimpl
from clean_corpus.testing import builtin_cli, clean_text, read_jsonl, text
from clean_corpus_plugins.boilerplate.text_extract import TextLines, text_blocks
from test_removed_offsets import _put_back, _squeeze

FIXTURES = Path(__file__).parent / "data" / "boilerplate"
PAGES = {e["id"]: e for e in map(json.loads, (FIXTURES / "index.jsonl").read_text().splitlines())}
WIDTH = 78

P1 = ("The council met on Monday evening to vote on the new cycle lanes along the river, "
      "which residents had asked for since the spring floods closed the old towpath for weeks.")
P2 = ("Work on the first section starts in March and should be finished before the summer "
      "holidays, the mayor said, while the second section still waits for the regional grant.")
MENU = ["Home", "News", "Sport", "Weather", "Contact us"]
# each fills the width (the next one's first word would not fit after it), but a list of
# capitalised headlines is no paragraph
HEADLINES = ["Council Approves New Cycle Lanes Along The River After Months Of Long Debate",
             "Regional Grant For The Second Section Of The Towpath Still Waits For Approval",
             "Residents Celebrate The Reopening Of The Old Market Hall With A Summer Fair"]


def wrapped(block: str) -> str:
    return "\n".join(textwrap.wrap(block, WIDTH, break_long_words=False))


def dump(*runs: str) -> str:
    """Runs of lines with a blank line between two, as a text dump has them."""
    return "\n\n".join(runs) + "\n"


def input_text(page: str) -> str:
    """The input text that removed spans' offsets point into: the non-empty lines joined by
    a blank line."""
    return "\n\n".join(line.strip() for line in page.split("\n") if line.strip())


def test_a_wrapped_paragraph_between_blank_lines_is_one_block():
    page = dump("\n".join(MENU), wrapped(P1), wrapped(P2), "Contact: town hall, 1 Market Square")
    assert wrapped(P1).count("\n") == 2 and wrapped(P2).count("\n") == 2
    assert text_blocks(page) == [*MENU, P1, P2, "Contact: town hall, 1 Market Square"]


def test_the_joined_block_points_at_each_of_its_lines_in_the_input_text():
    page = dump("Home", wrapped(P1), wrapped(P2))
    doc = text(page)
    doc.blocks = list(TextLines().extract(doc).blocks)
    doc.mark_input()
    paragraph = doc.blocks[1]
    assert paragraph.text == P1
    source = input_text(page)
    lines = wrapped(P1).split("\n")
    assert [source[offset:offset + length] for _, offset, length in paragraph.origin] == lines
    assert [paragraph.text[at:at + length] for at, _, length in paragraph.origin] == lines


class _DropsParagraph:
    """Drops every block holding ``word``, and cuts "Monday evening" (across a line break of
    the wrapped paragraph) out of the others, as rule cleaners do."""

    name = "drops_paragraph"

    def __init__(self, word: str):
        self.word = word

    @hookimpl
    def clean(self, document):
        for block in list(document.blocks):
            if self.word in block.text:
                document.drop_block(block, self.name, "test")
            elif "Monday evening" in block.text:
                at = block.text.index("Monday evening")
                document.cut(block, at, at + len("Monday evening"), self.name, "test")


def test_removals_from_a_joined_paragraph_point_at_its_lines_in_the_input_text():
    page = dump("Home", wrapped(P1), wrapped(P2))
    assert "Monday\nevening" in wrapped(P1) or "Monday evening" in wrapped(P1)
    record = clean_text(page, _DropsParagraph("regional grant"),
                        builtins=["text_lines"]).to_record()
    source = input_text(page)
    cut, dropped = record["removed"]
    assert dropped["text"] == P2
    assert source[dropped["start"]:dropped["end"]] == "\n\n".join(wrapped(P2).split("\n"))
    assert source[cut["start"]:cut["end"]].replace("\n\n", " ") == "Monday evening"
    assert record["text"] == f"Home\n\n{P1.replace('Monday evening ', '')}"
    assert cut["at"] == record["text"].index("to vote") and dropped["at"] == len(record["text"])


def test_a_menu_or_headlines_between_blank_lines_stay_a_block_per_line():
    page = dump("\n".join(MENU), wrapped(P1), "\n".join(HEADLINES), wrapped(P2))
    assert all(len(h) <= WIDTH < len(h) + 1 + len(n.split()[0])
               for h, n in zip(HEADLINES, HEADLINES[1:]))
    assert text_blocks(page) == [*MENU, P1, *HEADLINES, P2]


def test_list_items_are_not_glued_to_what_comes_before_them():
    items = ["* Free parking for residents of the old town on weekends and on public holidays "
             "from April",
             "- A new bus line from the station to the hospital, every twenty minutes all day",
             "+ Two more crossings on the ring road near the schools and the sports ground",
             "1. The market moves to the square in front of the town hall during the works",
             "2) Bins emptied twice a week in the summer months"]
    page = dump(wrapped(P1), "\n".join(wrapped(item) for item in items), wrapped(P2))
    assert wrapped(items[0]).count("\n") == 1  # an item wrapped onto a second line
    assert text_blocks(page) == [P1, *items, P2]


def test_a_page_wrapped_without_blank_lines_is_still_read_line_by_line():
    page = "\n".join([*MENU, wrapped(P1), wrapped(P2)]) + "\n"
    assert text_blocks(page) == [line for line in page.split("\n") if line]
    # a scraper's line of a zero-width space (a text node of nothing visible) is no blank
    # line, though nothing is left of it once normalised; spaces and tabs make one
    invisible = "\n\u200b\n".join([*MENU, wrapped(P1), wrapped(P2)]) + "\n"
    assert text_blocks(invisible) == [line for line in page.split("\n") if line]
    assert text_blocks(invisible.replace("\u200b", " \t")) == [*MENU, P1, P2]


@pytest.fixture(scope="module")
def lynx(tmp_path_factory) -> Path:
    """The eight pages dumped as lynx does: every block wrapped, a blank line between two."""
    folder = tmp_path_factory.mktemp("lynx")
    for path in sorted((FIXTURES / "text" / "blocks").glob("*.txt")):
        blocks = [line for line in path.read_text(encoding="utf-8").split("\n") if line]
        (folder / path.name).write_text(dump(*map(wrapped, blocks)), encoding="utf-8")
    return folder


def records(pages: Path, out: Path, *options: str) -> dict[str, dict]:
    builtin_cli("run", pages, "-o", out, "--no-progress", *options)
    return {Path(r["source"]).stem: r for r in read_jsonl(out)}


def test_wrapped_paragraphs_of_real_pages_come_back_whole(lynx, tmp_path):
    joined = records(lynx, tmp_path / "joined.jsonl")
    by_line = records(lynx, tmp_path / "lines.jsonl", "--set", "text_lines.join_wrapped=false")
    whole = 0
    for pid, record in joined.items():
        blocks = (FIXTURES / "text" / "blocks" / f"{pid}.txt").read_text().split("\n")
        long_paragraphs = [p for p in record["text"].split("\n\n") if len(p) > WIDTH]
        if PAGES[pid]["type"] in ("article", "service"):
            assert long_paragraphs and all(p in blocks for p in long_paragraphs), pid
        whole += len(long_paragraphs)
        # read line by line (the option off), no paragraph is longer than the width
        assert all(len(p) <= WIDTH or " " not in p
                   for p in by_line[pid]["text"].split("\n\n")), pid
    assert whole >= 10


def test_removals_on_real_pages_point_at_where_they_stood(lynx, tmp_path):
    for pid, record in records(lynx, tmp_path / "out.jsonl").items():
        source = input_text((lynx / f"{pid}.txt").read_text(encoding="utf-8"))
        assert record["removed"], pid
        for span in record["removed"]:
            assert source[span["start"]:span["end"]].replace("\n\n", " ") == span["text"], pid
        # what was kept, joined paragraphs included, and what was removed make the page
        assert _squeeze(_put_back(record)) == _squeeze(source), pid


@pytest.mark.parametrize("form", ["blocks", "nodes", "flat"])
def test_text_without_blank_lines_gives_the_same_records_either_way(form, tmp_path):
    pages = FIXTURES / "text" / form
    assert not any("\n\n" in p.read_text().strip("\n") for p in pages.glob("*.txt"))
    builtin_cli("run", pages, "-o", tmp_path / "on.jsonl", "--no-progress")
    builtin_cli("run", pages, "-o", tmp_path / "off.jsonl", "--no-progress",
                "--set", "text_lines.join_wrapped=false")
    assert (tmp_path / "on.jsonl").read_bytes() == (tmp_path / "off.jsonl").read_bytes()
