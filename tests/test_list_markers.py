"""Scraped text whose list items carry a bullet ("• ", "* ", "- "): the bullet is the list's
formatting, so the chain decides on such a page as on the same page scraped without
bullets, and the items it keeps keep their bullet in the record.

The pages are the eight of ``tests/data/boilerplate`` (wcxb-dev, CC-BY-4.0), a line per
block, with a bullet put before every short line as some scrapers and exports do.
"""
from __future__ import annotations

from pathlib import Path

from clean_corpus.testing import builtin_cli, clean_text, read_jsonl
from test_wrapped_text import input_text

PAGES = Path(__file__).parent / "data" / "boilerplate" / "text" / "blocks"
BULLETS = ("• ", "* ", "- ")


def bulleted(text: str) -> str:
    """``text`` with a bullet (in turn) before every line of six words or fewer."""
    lines, n = [], 0
    for line in text.split("\n"):
        if line.strip() and len(line.split()) <= 6:
            line, n = BULLETS[n % 3] + line, n + 1
        lines.append(line)
    return "\n".join(lines)


def without_bullets(record_text: str) -> str:
    return "\n\n".join(p[2:] if p[:2] in BULLETS else p for p in record_text.split("\n\n"))


def test_a_page_with_bulleted_lines_is_cleaned_as_the_same_page_without(tmp_path):
    plain, marked = tmp_path / "plain", tmp_path / "marked"
    plain.mkdir(), marked.mkdir()
    for page in sorted(PAGES.glob("*.txt")):
        (plain / page.name).write_text(page.read_text(encoding="utf-8"), encoding="utf-8")
        (marked / page.name).write_text(bulleted(page.read_text(encoding="utf-8")),
                                        encoding="utf-8")
    records = {}
    for folder in (plain, marked):
        builtin_cli("run", str(folder), "-o", str(tmp_path / f"{folder.name}.jsonl"), "-j", "1",
                    "--no-progress", "-q")
        records[folder.name] = {Path(r["source"]).name: r
                                for r in read_jsonl(tmp_path / f"{folder.name}.jsonl")}
    assert len(records["plain"]) == len(records["marked"]) == len(list(PAGES.glob("*.txt"))) == 8
    kept_items = 0
    for name, record in records["marked"].items():
        assert without_bullets(record["text"]) == records["plain"][name]["text"], name
        kept_items += sum(p[:2] in BULLETS for p in record["text"].split("\n\n"))
        # every removal points at its text in the input text, bullets and all
        page = input_text(bulleted((PAGES / name).read_text(encoding="utf-8")))
        assert all(page[r["start"]:r["end"]] == r["text"] for r in record["removed"]), name
    assert kept_items, "some bulleted line of the articles is kept, with its bullet"


def test_a_bulleted_credit_line_goes_and_a_bulleted_item_keeps_its_bullet():
    doc = clean_text(["Le conseil municipal a voté mardi soir le budget de la ville pour "
                      "l'année prochaine, après trois heures de débat animé.",
                      "• Foto: Instagram",
                      "- les écoles de la commune seront rénovées",
                      "– Nous tiendrons le budget, a promis le maire."])
    assert [block.text for block in doc.blocks] == [
        "Le conseil municipal a voté mardi soir le budget de la ville pour l'année prochaine, "
        "après trois heures de débat animé.",
        "- les écoles de la commune seront rénovées",
        "– Nous tiendrons le budget, a promis le maire."]
    credit = [r for r in doc.removed if r.plugin == "credits"]
    assert [r.text for r in credit] == ["Foto: Instagram"]
