"""Pages crawlers wrote as Markdown: read as the text they show, a line per block, with no
link or image address and no Markdown marks left in the records.

``data/boilerplate/markdown`` holds two of the wcxb-dev fixture pages (CC-BY-4.0) as a
converter of whole pages writes them (``bench/markdown_pages.py``): menus of links,
images, bold runs, the article between.
"""
from __future__ import annotations

import collections
import json
import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

import clean_corpus
from clean_corpus.testing import builtin_cli, cli, read_jsonl
from clean_corpus_plugins.markdown import markdown_text

FIXTURES = Path(__file__).parent / "data" / "boilerplate"
PAGES = {e["id"]: e for e in map(json.loads, (FIXTURES / "index.jsonl").read_text().splitlines())}


def words(text: str) -> collections.Counter:
    return collections.Counter(re.findall(r"\w+", text.lower()))


def precision_recall(text: str, reference: str) -> tuple[float, float]:
    found, wanted = words(text), words(reference)
    overlap = sum((found & wanted).values())
    return overlap / max(1, sum(found.values())), overlap / sum(wanted.values())


def test_each_block_is_a_line_and_only_what_the_page_shows_is_kept():
    page = """# A *heading*

* [Home](https://example.org/ "Start")
* [News](/news)

Some **bold** text, ![a photo](photo.jpg) a [link](https://example.org/a) &amp; `code`
on two lines.  
After a hard break.

| Name | Price |
|------|-------|
| Tea  | 3 €   |

```
  indented code
[
```

<div><p>Raw <b>HTML</b> block</p></div>
"""
    assert markdown_text(page).split("\n") == [
        "A heading", "Home", "News",
        "Some bold text, a link & code on two lines.", "After a hard break.",
        "Name", "Price", "Tea", "3 €", "indented code", "[", "Raw HTML block"]


def test_a_link_around_whole_blocks_leaves_neither_its_brackets_nor_its_address():
    # converters write a link around a card as "[", the card's lines, "](address)"; with
    # blank lines inside, CommonMark reads no link there
    page = ("[\n\nTen tips for a better garden\n\n](https://example.org/garden-tips)\n\n"
            "[![\n\nA card with an image\n\n](https://example.org/card)\n\n"
            "![A photo with a title\n\nand no address]( \"A photo\")\n\nNext")
    assert markdown_text(page).split("\n") == ["Ten tips for a better garden",
                                                "A card with an image", "A photo with a title",
                                                "and no address", "Next"]


def test_a_markdown_page_is_cleaned_as_the_page_it_was(tmp_path):
    for name in ("0024", "0134"):
        (tmp_path / "md").mkdir(exist_ok=True)
        (tmp_path / "txt").mkdir(exist_ok=True)
        markdown = (FIXTURES / "markdown" / f"{name}.md").read_text(encoding="utf-8")
        (tmp_path / "md" / f"{name}.md").write_text(markdown, encoding="utf-8")
        (tmp_path / "txt" / f"{name}.txt").write_text(markdown, encoding="utf-8")
    builtin_cli("run", tmp_path / "md", "-o", tmp_path / "md.jsonl", "--no-progress")
    builtin_cli("run", tmp_path / "txt", "-o", tmp_path / "txt.jsonl", "--no-progress",
                "--set", "markdown.detect=false")
    as_markdown = {Path(r["source"]).stem: r["text"] for r in read_jsonl(tmp_path / "md.jsonl")}
    as_text = {Path(r["source"]).stem: r["text"] for r in read_jsonl(tmp_path / "txt.jsonl")}
    assert sorted(as_markdown) == ["0024", "0134"]
    for name, text in as_markdown.items():
        reference = PAGES[name]["main_content"]
        precision, recall = precision_recall(text, reference)
        assert recall >= 0.9, (name, recall)
        assert precision >= 0.8, (name, precision)
        assert "](" not in text and "![" not in text and "http" not in text
        assert not re.search(r"\*\*|^#+ ", text, re.MULTILINE)
        # read as plain text, the same bytes keep the addresses the records must not hold
        assert "https://" in as_text[name]
        assert precision > precision_recall(as_text[name], reference)[0]


def test_markdown_saved_as_text_is_recognised_and_plain_text_is_not(tmp_path):
    markdown = (FIXTURES / "markdown" / "0024.md").read_text(encoding="utf-8")
    (tmp_path / "page.md").write_text(markdown, encoding="utf-8")
    (tmp_path / "page.txt").write_text(markdown, encoding="utf-8")
    # the same page as a scraper leaves it: no link syntax, so nothing to recognise
    scraped = (FIXTURES / "text" / "blocks" / "0024.txt").read_text(encoding="utf-8")
    (tmp_path / "scraped.txt").write_text(scraped, encoding="utf-8")
    builtin_cli("run", tmp_path, "-o", tmp_path / "out.jsonl", "--no-progress",
                "--disable", "duplicates")
    records = {Path(r["source"]).name: r for r in read_jsonl(tmp_path / "out.jsonl")}
    assert records["page.txt"]["text"] == records["page.md"]["text"]
    assert records["page.txt"]["detections"]["markdown"]["detected"] is True
    assert "markdown" not in records["page.md"]["detections"]  # read as declared
    assert "markdown" not in records["scraped.txt"]["detections"]


def test_a_rows_markdown_field_is_read_as_the_markdown_file_is(tmp_path):
    markdown = (FIXTURES / "markdown" / "0024.md").read_text(encoding="utf-8")
    (tmp_path / "0024.md").write_text(markdown, encoding="utf-8")
    (tmp_path / "rows.jsonl").write_text(
        json.dumps({"markdown": markdown, "url": "https://www.sallytomatoes.com/post/x"}) + "\n",
        encoding="utf-8")
    builtin_cli("run", tmp_path / "0024.md", "-o", tmp_path / "file.jsonl", "--no-progress")
    builtin_cli("run", tmp_path / "rows.jsonl", "-o", tmp_path / "rows.out.jsonl",
                "--no-progress")
    [from_file] = read_jsonl(tmp_path / "file.jsonl")
    [from_row] = read_jsonl(tmp_path / "rows.out.jsonl")
    assert from_row["text"] == from_file["text"]
    assert from_row["url"] == "https://www.sallytomatoes.com/post/x"


def test_clean_takes_markdown_as_the_cli_reads_a_markdown_file(tmp_path):
    markdown = (FIXTURES / "markdown" / "0134.md").read_text(encoding="utf-8")
    (tmp_path / "0134.md").write_text(markdown, encoding="utf-8")
    builtin_cli("run", tmp_path / "0134.md", "-o", tmp_path / "out.jsonl", "--no-progress")
    [from_file] = read_jsonl(tmp_path / "out.jsonl")
    outcome = clean_corpus.clean(markdown=markdown, source=str(tmp_path / "0134.md"))
    assert outcome.status == "written"
    assert outcome.record["text"] == from_file["text"]


def test_markdown_that_parses_slowly_fails_alone_within_the_time_limit(tmp_path):
    # unclosed image openings cost the parser about 60 microseconds each: the parse runs
    # in the worker, so the time limit stops it and the other documents are written
    (tmp_path / "slow.md").write_text("![" * 100000, encoding="utf-8")
    markdown = (FIXTURES / "markdown" / "0024.md").read_text(encoding="utf-8")
    (tmp_path / "page.md").write_text(markdown, encoding="utf-8")
    done = cli("run", tmp_path, "-o", tmp_path / "out.jsonl", "--no-progress",
               "--timeout", "2", timeout=300)
    assert done.returncode == 1, done.stderr
    assert [Path(r["source"]).name for r in read_jsonl(tmp_path / "out.jsonl")] == ["page.md"]
    [failure] = read_jsonl(tmp_path / "out.rejected.jsonl")
    assert Path(failure["source"]).name == "slow.md" and failure["status"] == "failed"
    assert failure["plugin"] == "markdown" and failure["error"].startswith("TimeLimit")


markdown_piece = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["# ", "* ", "> ", "**", "_", "`", "```\n", "[", "](", ")", "![", "|",
                     "\n", "\n\n", "<div>", "</div>", "&amp;", "---\n"]))


@settings(max_examples=300, deadline=None)
@given(pieces=st.lists(markdown_piece, max_size=30))
def test_any_text_is_read_as_markdown_without_error_into_stripped_non_empty_lines(pieces):
    text = markdown_text("".join(pieces))
    assert all(line and line == line.strip() for line in text.split("\n")) or text == ""


@settings(max_examples=200, deadline=None)
@given(label=st.text(alphabet=st.characters(categories=["L", "N"]), min_size=1, max_size=20),
       path=st.text(alphabet="abcdefghij0123456789-/", min_size=1, max_size=30))
def test_a_link_shows_its_text_and_never_its_address(label, path):
    address = f"https://example.org/{path}"
    text = markdown_text(f"* [{label}]({address})\n\nSee [{label}]({address} \"title\") here.")
    assert text.split("\n") == [label, f"See {label} here."]


def test_text_nested_deeper_than_the_parser_reads_is_not_lost():
    # a forum's quotes of quotes: CommonMark's preset skips what lies 20 levels deep
    assert markdown_text("> " * 30 + "the first post, quoted thirty times") == \
        "the first post, quoted thirty times"
    # deeper than any page nests (a hostile document): read without its quote and list
    # marks, nothing skipped, links still without their addresses
    deep = markdown_text("- " * 500 + "an item [five hundred](https://example.org/500) down\n"
                         + "> " * 500 + "and a quote")
    assert deep.split("\n") == ["an item five hundred down", "and a quote"]
