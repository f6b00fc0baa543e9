"""Hostile inputs through the CLI, on real files: odd names, links, pipes, devices, huge and
deeply nested inputs, lying encodings. Each run must finish, write the good documents beside
the bad ones, and report every bad one with its reason; the counts must add up.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import BUILTINS_ONLY, cli, read_jsonl, read_jsonl_if_any

ARTICLE = ("Le conseil régional a adopté jeudi un plan de rénovation des lycées. Les travaux "
           "commenceront à la rentrée et dureront trois ans, selon la présidente de région.")


def article(number: int) -> str:
    return f"Dépêche {number}. {ARTICLE}\n"


def run(inputs: Path, tmp_path: Path, *options) -> tuple[dict, dict[str, dict], list[dict]]:
    """Run the CLI over ``inputs``; return the stats, the records by source file name and
    the rejected/failed reports."""
    out = tmp_path / "out" / "records.jsonl"
    stats_path = tmp_path / "out" / "stats.json"
    result = cli("run", inputs, "-o", out, "--stats", stats_path, "--disable", "duplicates",
                 *options, env=BUILTINS_ONLY, timeout=120)
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
    stats = json.loads(stats_path.read_text(encoding="utf-8"))
    records = {Path(r["source"]).name: r for r in read_jsonl(out)}
    reports = read_jsonl_if_any(out.with_name("records.rejected.jsonl"))
    assert stats["documents"] == stats["written"] + stats["rejected"] + stats["failed"]
    assert stats["written"] == len(records) and stats["rejected"] + stats["failed"] == len(reports)
    return stats, records, reports


def report_for(reports: list[dict], name: str) -> dict:
    [report] = [r for r in reports if Path(r["source"]).name == name]
    return report


def test_undecodable_file_name_and_lone_surrogate_are_written_not_a_crash(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "good.txt").write_text(article(1), encoding="utf-8")
    # A file name that is not UTF-8 (Latin-1 bytes from an old archive).
    with open(os.path.join(os.fsencode(inputs), b"caf\xe9.txt"), "wb") as fh:
        fh.write(article(2).encode())
    (inputs / "lot.jsonl").write_text(
        '{"text": "Un texte avec un demi-caract\\u00e8re \\ud800 perdu. ' + ARTICLE + '"}\n'
        + json.dumps({"text": article(3)}) + "\n", encoding="utf-8")
    stats, records, reports = run(inputs, tmp_path)
    assert reports == []
    assert sorted(records) == ["caf\\xe9.txt", "good.txt", "lot.jsonl#L1", "lot.jsonl#L2"]
    assert "demi-caractère \ufffd perdu" in records["lot.jsonl#L1"]["text"]


def test_links_pipes_devices_and_loops_are_reported_not_hung_or_crashed(tmp_path):
    inputs = tmp_path / "in"
    (inputs / "sub").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    (inputs / "good.txt").write_text(article(1), encoding="utf-8")
    (tmp_path / "elsewhere" / "linked.txt").write_text(article(2), encoding="utf-8")
    (inputs / "sub" / "up").symlink_to("..")  # a folder loop
    (inputs / "elsewhere").symlink_to(tmp_path / "elsewhere")  # a linked folder: read once
    (inputs / "a.txt").symlink_to("b.txt")  # a file link loop
    (inputs / "b.txt").symlink_to("a.txt")
    (inputs / "gone.txt").symlink_to("nowhere.txt")
    os.mkfifo(inputs / "pipe.html")  # opened, it would block for ever
    (inputs / "zero.txt").symlink_to("/dev/zero")  # read whole, it never ends
    stats, records, reports = run(inputs, tmp_path)
    assert sorted(records) == ["good.txt", "linked.txt"]
    assert "symbolic links" in report_for(reports, "a.txt")["error"]
    assert "symbolic links" in report_for(reports, "b.txt")["error"]
    assert "FileNotFoundError" in report_for(reports, "gone.txt")["error"]
    assert report_for(reports, "pipe.html")["error"] == "not a regular file: a named pipe (FIFO)"
    assert report_for(reports, "zero.txt")["error"] == "not a regular file: a character device"
    assert stats["skipped_reasons"] == {"folder already read (linked)": 1}


def test_folder_that_cannot_be_listed_is_a_failure_with_the_reason(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "good.txt").write_text(article(1), encoding="utf-8")
    # Folders nested deeper than the longest path the system takes: the walk cannot list
    # the innermost (unlike a chmod 000 folder, this holds for root too).
    fd = os.open(inputs, os.O_RDONLY)
    for _ in range(20):
        os.mkdir("d" * 250, dir_fd=fd)
        inner = os.open("d" * 250, os.O_RDONLY, dir_fd=fd)
        os.close(fd)
        fd = inner
    os.close(fd)
    stats, records, reports = run(inputs, tmp_path)
    assert sorted(records) == ["good.txt"]
    [report] = reports
    assert report["status"] == "failed" and "File name too long" in report["error"]


def test_hidden_files_and_folders_are_counted_as_skipped(tmp_path):
    inputs = tmp_path / "in"
    (inputs / ".cache").mkdir(parents=True)
    (inputs / "good.txt").write_text(article(1), encoding="utf-8")
    (inputs / ".draft.txt").write_text(article(2), encoding="utf-8")
    (inputs / ".cache" / "old.txt").write_text(article(3), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = cli("run", inputs, "-o", out, "--stats", tmp_path / "stats.json",
                 env=BUILTINS_ONLY)
    assert result.returncode == 0, result.stderr
    stats = json.loads((tmp_path / "stats.json").read_text(encoding="utf-8"))
    assert (stats["documents"], stats["skipped"], stats["skipped_reasons"]) == \
        (1, 2, {"hidden": 2})
    assert "skipped (not documents): 2 hidden" in result.stderr


def test_deeply_nested_jsonl_line_fails_alone_and_the_lines_after_it_are_read(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    lines = ["[" * 100_000 + "]" * 100_000] + [json.dumps({"text": article(n)}) for n in range(14)]
    (inputs / "lot.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    stats, records, reports = run(inputs, tmp_path)
    assert len(records) == 14
    [report] = reports
    assert report["source"].endswith("lot.jsonl#L1")
    assert report["error"] == "ValueError: JSON nested too deeply"


def test_size_limit_applies_before_a_file_is_read_whole(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "good.txt").write_text(article(1), encoding="utf-8")
    with open(inputs / "sparse.txt", "wb") as fh:  # 64 GB on paper, no room on disk
        fh.truncate(64 << 30)
    (inputs / "lot.jsonl").write_text(  # a line is read up to four times max_bytes
        json.dumps({"text": "mot " * 1_100_000}) + "\n" + json.dumps({"text": article(2)})
        + "\n", encoding="utf-8")
    stats, records, reports = run(inputs, tmp_path, "--config", _config(tmp_path, max_bytes=1_000_000))
    assert sorted(records) == ["good.txt", "lot.jsonl#L2"]
    sparse = report_for(reports, "sparse.txt")
    assert sparse["reasons"] == ["input too large: 68,719,476,736 bytes > max_bytes 1,000,000"]
    line = report_for(reports, "lot.jsonl#L1")
    assert line["reasons"] == ["input too large: 4,400,013 bytes > max_bytes 1,000,000"]


def _config(tmp_path: Path, **run_keys) -> Path:
    path = tmp_path / "clean-corpus.toml"
    path.write_text("[run]\n" + "".join(f"{k} = {v}\n" for k, v in run_keys.items()),
                    encoding="utf-8")
    return path


PARAGRAPH = ("Le conseil municipal a voté le budget de la ville après trois heures de débat. "
             "La séance a été suspendue deux fois à la demande de l'opposition.")


def page(head: str = "", body_prefix: str = "") -> str:
    return (f"<html><head>{head}<title>Budget voté</title></head><body><article>"
            f"<h1>Budget voté</h1><p>{body_prefix}{PARAGRAPH}</p><p>{PARAGRAPH}</p>"
            "</article></body></html>")


def test_decoding_prefers_utf8_tells_utf16_and_ignores_bogus_labels(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    # UTF-8 cut in the middle of a character: UTF-8 with one replacement, not mojibake.
    (inputs / "cut.txt").write_bytes(f"{PARAGRAPH} Il a voté".encode() + b"\xc3")
    (inputs / "utf16.txt").write_bytes(PARAGRAPH.encode("utf-16-le"))
    (inputs / "utf16be.html").write_bytes(page().encode("utf-16-be"))
    for label in ("base64", "bz2", "hex", "rot13"):
        (inputs / f"label-{label}.html").write_text(page(f"<meta charset={label}>"),
                                                    encoding="utf-8")
    stats, records, reports = run(inputs, tmp_path)
    assert reports == []
    assert records["cut.txt"]["text"].endswith("Il a voté\ufffd")
    assert records["cut.txt"]["detections"]["encoding"]["encoding"] == "utf-8"
    assert records["utf16.txt"]["text"] == PARAGRAPH
    assert records["utf16be.html"]["detections"]["encoding"]["encoding"] == "utf-16-be"
    for label in ("base64", "bz2", "hex", "rot13"):
        assert PARAGRAPH in records[f"label-{label}.html"]["text"]


def test_control_characters_are_tolerated_everywhere_the_text_goes(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "after-script.html").write_text(
        page().replace("</title>", "</title><script>var a = 1;</script>\f"), encoding="utf-8")
    (inputs / "in-paragraph.html").write_text(page(body_prefix="\f\x0b\x01"), encoding="utf-8")
    (inputs / "text.txt").write_text(f"\f{PARAGRAPH}\x00\n", encoding="utf-8")
    stats, records, reports = run(inputs, tmp_path)
    assert reports == []
    for name in ("after-script.html", "in-paragraph.html", "text.txt"):
        assert PARAGRAPH in records[name]["text"]


BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


def test_bidirectional_controls_are_removed_from_text_and_fields(tmp_path):
    """Right-to-left overrides, isolates and marks (U+202A-U+202E, U+2066-U+2069, U+200E,
    U+200F, U+061C) went to the record's text and title as they came: invisible, and an
    override makes a text show what it does not say (``\u202eetadpu`` reads "update").
    They are removed as other control characters are; the zero-width joiners that spell
    Persian and Indic words stay."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    marked = " ".join(f"{c}{w}" for c, w in zip(BIDI_CONTROLS, PARAGRAPH.split(" ")))
    marked += " " + " ".join(PARAGRAPH.split(" ")[len(BIDI_CONTROLS):])
    persian = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"  # "I want", with a ZWNJ
    (inputs / "text.txt").write_text(f"{marked} {persian}\n", encoding="utf-8")
    (inputs / "page.html").write_text(
        page().replace("Budget voté</title>", "Budget\u202e voté\u200f</title>", 1)
        .replace(f"<p>{PARAGRAPH}</p>", f"<p>{marked}</p>", 1), encoding="utf-8")
    stats, records, reports = run(inputs, tmp_path)
    assert reports == []
    assert records["text.txt"]["text"] == f"{PARAGRAPH} {persian}"
    assert PARAGRAPH in records["page.html"]["text"]
    assert records["page.html"]["title"] == "Budget voté"
    for record in records.values():
        assert not set(BIDI_CONTROLS) & set(json.dumps(record, ensure_ascii=False))


def test_output_naming_an_existing_directory_is_refused_before_the_run(tmp_path):
    (tmp_path / "a.txt").write_text(article(1), encoding="utf-8")
    (tmp_path / "out").mkdir()
    result = cli("run", tmp_path / "a.txt", "-o", tmp_path / "out", env=BUILTINS_ONLY)
    assert result.returncode == 2
    assert "is a directory" in result.stderr and "Traceback" not in result.stderr
    assert list((tmp_path / "out").iterdir()) == []


@pytest.mark.parametrize("options, says", [
    (["-o", "{file}/r.jsonl"], "is a file, not a folder"),
    (["-o", "r.jsonl", "--stats", "{folder}"], "--stats {folder} is a directory"),
    (["-o", "r.jsonl", "--stats", "{file}/s.json"], "is a file, not a folder"),
    (["-o", "r.jsonl", "--rejected", "{file}/x.jsonl"], "is a file, not a folder"),
    (["-o", "r.jsonl", "--report", "{file}"], "--report {file} is a file, not a folder"),
    (["-o", "{input}"], "-o {input} is an input of the run"),
    (["-o", "r.jsonl", "--stats", "{input}"], "--stats {input} is an input of the run")])
def test_run_file_that_cannot_be_written_is_refused_before_the_run(tmp_path, options, says):
    """Each used to end in a traceback: before the run (-o under a file), or after it, once
    every document was cleaned (--stats naming a folder); -o naming the input replaced
    the page given with an empty file of records."""
    page = tmp_path / "a.txt"
    page.write_text(article(1), encoding="utf-8")
    places = {"file": tmp_path / "afile", "folder": tmp_path / "folder", "input": page}
    places["file"].write_text("not a folder", encoding="utf-8")
    places["folder"].mkdir()
    options = [o.format(**places) for o in options]
    result = cli("run", page, *options, env=BUILTINS_ONLY, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert says.format(**places) in result.stderr and "Traceback" not in result.stderr
    assert page.read_text(encoding="utf-8") == article(1)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "afile", "folder"]
    assert list(places["folder"].iterdir()) == []


def test_hostile_mix_is_byte_identical_for_one_or_two_workers(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    for number in range(6):
        (inputs / f"p{number}.html").write_text(page(body_prefix=f"N°{number} "), encoding="utf-8")
    (inputs / "cut.txt").write_bytes(f"{PARAGRAPH} Il a voté".encode() + b"\xc3")
    os.mkfifo(inputs / "pipe.txt")
    outputs = []
    for workers in (1, 2):
        out = tmp_path / f"j{workers}" / "records.jsonl"
        result = cli("run", inputs, "-o", out, "-j", workers, env=BUILTINS_ONLY)
        assert result.returncode == 1, result.stderr
        outputs.append((out.read_bytes(), out.with_name("records.rejected.jsonl").read_bytes()))
    assert outputs[0] == outputs[1]
    records, reports = outputs[0]
    assert records.count(b"\n") + reports.count(b"\n") == 8 and b"named pipe" in reports


def test_tag_with_too_many_attributes_is_rejected_before_the_parser_sees_it(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    page = "<html><body><article><h1>Lycées</h1><p>{}</p>{}</article></body></html>"
    (inputs / "good.html").write_text(page.format(ARTICLE, ""), encoding="utf-8")
    # 50,000 attributes on one tag: seconds to minutes inside the parser, a rejection here.
    attributes = " ".join(f'data-a{i}="{i}"' for i in range(50_000))
    (inputs / "heavy.html").write_text(page.format(ARTICLE, f"<span {attributes}>x</span>"),
                                       encoding="utf-8")
    # Not attributes: a class of 50,000 words (one attribute), a script comparing with "<"
    # then assigning thousands of times, markup escaped inside an attribute value.
    words = " ".join(f"w{i}" for i in range(50_000))
    (inputs / "long-class.html").write_text(
        page.format(ARTICLE, f'<span class="{words}">x</span>'), encoding="utf-8")
    script = "for (i = 0; i<items.length; i++) { " + " ".join(
        f"v{i} = items[{i}];" for i in range(20_000)) + " }"
    (inputs / "script.html").write_text(page.format(ARTICLE, f"<script>{script}</script>"),
                                        encoding="utf-8")
    path = " ".join(f"L {i} {i + 1}" for i in range(20_000))
    (inputs / "escaped.html").write_text(page.format(
        ARTICLE, f'<span data-icon="<g d=&quot;M 0 0 {path} z=1 &quot;">x</span>'),
        encoding="utf-8")
    stats, records, reports = run(inputs, tmp_path, "--set", "markup_limit.max_attributes=1000")
    assert sorted(records) == ["escaped.html", "good.html", "long-class.html", "script.html"]
    assert report_for(reports, "heavy.html")["reasons"] == [
        "markup too heavy to parse: a tag with 50,000 attributes > max_attributes 1,000"]


@pytest.mark.parametrize("name, word", [
    # attribute names such as "audit<![cdata[" that the HTML parser keeps and XML refuses
    # made trafilatura's own XML output fail
    ("tag-soup-attributes.html", "trois"),
    # so did a tag name such as "la&bogus;'&amp;<&bogus;<<"
    ("tag-soup-names.html", "trois"),
    # htmldate's date search raised an AssertionError on this soup, failing the page
    ("tag-soup-date-search.html", "budget"),
])
def test_tag_soup_that_trafilatura_trips_on_is_still_extracted(tmp_path, name, word):
    # Pages made by tests/hostile.py (tag soup), found failing by bench/fuzz.py.
    inputs = tmp_path / "in"
    inputs.mkdir()
    page = Path(__file__).parent / "data" / "hostile" / name
    (inputs / page.name).write_bytes(page.read_bytes())
    stats, records, reports = run(inputs, tmp_path)
    assert stats["failed"] == 0, reports
    assert word in records[page.name]["text"]
    # the page kept without its metadata says so; the others lost none
    lost = records[page.name]["detections"].get("trafilatura", {}).get("metadata_failed", "")
    assert lost.startswith("AssertionError") == (name == "tag-soup-date-search.html"), lost


def _warc_response(number: int, more: str = "", url: str = "") -> bytes:
    body = ("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
            f"<html><body><article><p>{article(number)}</p>{more}</article></body></html>").encode()
    url = url or f"https://example.org/{number}"
    head = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {url}\r\n"
            f"WARC-Record-ID: <urn:uuid:{number}>\r\n"
            "Content-Type: application/http; msgtype=response\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode()
    return head + body + b"\r\n\r\n"


def _archive(tmp_path: Path, parts: list[bytes], compressed: bool) -> Path:
    """``in/crawl.warc`` of ``parts``, or ``in/crawl.warc.gz`` of one gzip member a part."""
    import gzip

    inputs = tmp_path / "in"
    inputs.mkdir()
    archive = inputs / ("crawl.warc.gz" if compressed else "crawl.warc")
    archive.write_bytes(b"".join(gzip.compress(p, mtime=0) for p in parts) if compressed
                        else b"".join(parts))
    return archive

def test_compressed_input_cut_short_keeps_what_came_before_and_fails_the_rest(tmp_path):
    """A download cut short: a gzip WARC (one member per record) or gzip JSON Lines missing
    its last bytes. Every whole record before the cut is read, and the file is reported as
    cut, not read as if it had ended (the WARC used to give no document and no failure)."""
    import gzip
    import zlib

    inputs = tmp_path / "in"
    inputs.mkdir()
    warc = b"".join(gzip.compress(_warc_response(n)) for n in range(1, 21))
    (inputs / "crawl.warc.gz").write_bytes(warc[:-40])  # the last record's gzip trailer
    lines = "".join(json.dumps({"text": article(n)}) + "\n" for n in range(100, 150)).encode()
    packed = gzip.compress(lines)[:len(gzip.compress(lines)) * 3 // 4]
    (inputs / "rows.jsonl.gz").write_bytes(packed)
    whole_lines = zlib.decompressobj(31).decompress(packed).count(b"\n")

    stats, records, reports = run(inputs, tmp_path)
    sources = {r["source"] for r in read_jsonl(tmp_path / "out" / "records.jsonl")}
    warc_records = {s for s in sources if "crawl.warc.gz#" in s}
    assert len(warc_records) >= 19  # every record before the cut one
    jsonl_records = {s for s in sources if "rows.jsonl.gz#" in s}
    assert len(jsonl_records) == whole_lines
    cut = [r for r in reports if r["source"].endswith(("crawl.warc.gz", "rows.jsonl.gz"))]
    assert sorted(Path(r["source"]).name for r in cut) == ["crawl.warc.gz", "rows.jsonl.gz"]
    for report in cut:
        assert report["status"] == "failed" and report["error"].startswith("TruncatedInput")


def test_small_compressed_input_cut_short_keeps_what_came_before(tmp_path):
    """The same cut in a file of a few kilobytes, inside what is read first to tell its
    format: the whole records before the cut used to be lost with it (a gzip WARC of five
    pages cut in the fifth gave no record at all)."""
    import gzip
    import zlib

    inputs = tmp_path / "in"
    inputs.mkdir()
    members = [gzip.compress(_warc_response(n)) for n in range(1, 6)]
    (inputs / "crawl.warc.gz").write_bytes(b"".join(members)[:-len(members[-1]) // 2])
    lines = "".join(json.dumps({"text": article(n)}) + "\n" for n in range(100, 106)).encode()
    packed = gzip.compress(lines)[:-12]  # its trailer and the end of the last line
    (inputs / "rows.jsonl.gz").write_bytes(packed)
    whole_lines = zlib.decompressobj(31).decompress(packed).count(b"\n")
    assert 0 < whole_lines < 6

    stats, records, reports = run(inputs, tmp_path)
    sources = sorted(r["source"] for r in read_jsonl(tmp_path / "out" / "records.jsonl"))
    assert sources == sorted([f"{inputs / 'crawl.warc.gz'}#<urn:uuid:{n}>" for n in range(1, 5)]
                             + [f"{inputs / 'rows.jsonl.gz'}#L{n}" for n in range(1, whole_lines + 1)])
    cut = [r for r in reports if r["source"].endswith(".gz")]  # not the line cut in two
    assert sorted(Path(r["source"]).name for r in cut) == ["crawl.warc.gz", "rows.jsonl.gz"]
    assert all(r["error"].startswith("TruncatedInput: the gzip data ends") for r in cut)


def test_file_a_reader_finds_no_document_in_is_counted_not_lost(tmp_path):
    """A file its reader takes but finds no document in (a text named ``.warc``, a web
    archive of requests only, JSON Lines of blank lines) used to vanish: no record, no
    report, no count. It is now counted as skipped, with the reader that found nothing."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "good.txt").write_text(article(1), encoding="utf-8")
    (inputs / "notes.warc").write_text(article(2), encoding="utf-8")
    request = (b"WARC/1.0\r\nWARC-Type: request\r\nWARC-Target-URI: https://example.org/\r\n"
               b"WARC-Record-ID: <urn:uuid:1>\r\nContent-Type: application/http; "
               b"msgtype=request\r\nContent-Length: 18\r\n\r\nGET / HTTP/1.1\r\n\r\n\r\n\r\n")
    (inputs / "requests.warc").write_bytes(request)
    (inputs / "blank.jsonl").write_bytes(b"\n  \n\n")
    stats, records, reports = run(inputs, tmp_path)
    assert list(records) == ["good.txt"] and reports == []
    assert stats["skipped"] == 3
    assert stats["skipped_reasons"] == {"no document in it (warc_reader)": 2,
                                        "no document in it (jsonl_reader)": 1}


def test_uncompressed_warc_cut_short_keeps_what_came_before_and_fails_the_rest(tmp_path):
    """A plain ``.warc`` whose last record stops before its Content-Length (a download cut
    short) used to give that record's page cut short, as if whole, and no word of the cut.
    As for a cut ``.warc.gz``: the whole records before it are read, the cut one is not
    written, and the file fails with ``TruncatedInput`` saying which record."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    whole = b"".join(_warc_response(n) for n in range(1, 21))
    (inputs / "crawl.warc").write_bytes(whole[:-60])  # inside the last page's text
    stats, records, reports = run(inputs, tmp_path)
    sources = sorted(r["source"] for r in read_jsonl(tmp_path / "out" / "records.jsonl"))
    assert sources == sorted(f"{inputs / 'crawl.warc'}#<urn:uuid:{n}>" for n in range(1, 20))
    [report] = reports
    assert report["status"] == "failed" and report["source"] == str(inputs / "crawl.warc")
    assert report["error"].startswith("TruncatedInput: record 20 ")
    assert "Content-Length" in report["error"]


@pytest.mark.parametrize("compressed", [False, True])
def test_warc_record_longer_than_its_length_fails_alone_and_is_not_written_cut(tmp_path,
                                                                             compressed):
    """A record whose Content-Length is short of its block was written cut at that length,
    and warcio only wrote "WARNING: Record not followed by newline" on stderr (even with
    -q). That page now fails on its own, saying why; the pages after it are written (more
    than one line past its length: test_warc_reads_on_after_data_where_a_record_should_start)."""
    second = _warc_response(2)
    head, block = second.split(b"\r\n\r\n", 1)
    block = block[:-len(b"\r\n\r\n")]
    length = int(head.split(b"Content-Length: ")[1])
    short = head.replace(b"Content-Length: %d" % length, b"Content-Length: %d" % (length - 20))
    records = [_warc_response(1), short + b"\r\n\r\n" + block + b"\r\n\r\n", _warc_response(3)]
    inputs = _archive(tmp_path, records, compressed).parent
    out = tmp_path / "out.jsonl"
    result = cli("run", inputs, "-o", out, "-q", "--disable", "duplicates", env=BUILTINS_ONLY,
                 timeout=120)
    assert result.returncode == 1
    assert result.stderr == ""  # nothing of warcio's own
    written = {r["url"]: r for r in read_jsonl(out)}
    assert sorted(written) == ["https://example.org/1", "https://example.org/3"]
    [report] = read_jsonl(tmp_path / "out.rejected.jsonl")
    assert (report["status"], report["url"]) == ("failed", "https://example.org/2")
    assert report["error"].startswith("BadArchive: record 2 ")
    assert f"past its Content-Length of {length - 20:,} bytes" in report["error"]


@pytest.mark.parametrize("compressed", [False, True])
def test_warc_reads_on_after_data_where_a_record_should_start(tmp_path, compressed):
    """Damage in the middle of a web archive: a record going on several lines past its
    Content-Length, bytes between records, a record whose headers are cut short (the next
    record's follow), a record cut short (the next one starts inside its length), a record
    without a WARC-Type, a record a few bytes short (the next one's first line begins inside
    its length), bytes after the last record. warcio read on from the wrong place and the
    file failed at the first of them: every later record was lost. Each bad part
    now fails on its own and the reader finds its place again at the next record, so every
    intact record is written and the counts add up (plain, and one gzip member a record)."""
    pages = {n: _warc_response(n) for n in range(1, 13)}
    head_7 = pages[7].index(b"\r\n\r\n") + 4
    parts = [
        pages[1],
        # its block three lines longer than its Content-Length
        pages[2].replace(b"<article>", b"<article>\r\n<p>one</p>\r\n<p>two</p>\r\n"),
        pages[3],
        b"\x00\x13 not a record\r\nnor this\r\n\r\n",
        pages[4],
        pages[5][:70],  # cut inside its WARC-Target-URI header
        pages[6],
        pages[7][:head_7 + 40],  # cut 40 bytes into its block
        pages[8],
        pages[9].replace(b"WARC-Type: response\r\n", b""),
        pages[10],
        pages[11][:-len(b"\r\n\r\n") - 5],  # 5 bytes short of its Content-Length
        pages[12],
        b"trailing bytes",
    ]
    archive = _archive(tmp_path, parts, compressed)
    inputs = archive.parent
    out = tmp_path / "out.jsonl"
    result = cli("run", inputs, "-o", out, "-q", "--stats", tmp_path / "stats.json",
                 "--disable", "duplicates", env=BUILTINS_ONLY, timeout=120)
    assert result.returncode == 1 and result.stderr == ""
    written = sorted(r["url"] for r in read_jsonl(out))
    assert written == [f"https://example.org/{n}" for n in (1, 10, 12, 3, 4, 6, 8)]
    reports = read_jsonl(tmp_path / "out.rejected.jsonl")
    assert all(r["status"] == "failed" and r["plugin"] == "warc_reader" for r in reports)
    garbage_at = sum(map(len, parts[:3]))
    end_at = sum(map(len, parts[:-1]))
    name = str(archive)
    # where record n starts: parts[n - 1] up to the bytes between records 3 and 4
    at = {n: f"{sum(map(len, parts[:n if n > 3 else n - 1])):,}" for n in (2, 5, 7, 9, 11)}
    length_11 = int(pages[11].split(b"Content-Length: ")[1].split(b"\r")[0])
    assert [(r["source"], r.get("url"), r["error"]) for r in reports] == [
        (f"{name}#<urn:uuid:2>", "https://example.org/2", f"BadArchive: record 2 (at byte "
         f"{at[2]}) goes on past its Content-Length of 293 bytes (data where the next record "
         "should start): it is not written cut"),
        (f"{name}#byte {garbage_at}", None, f"BadArchive: {len(parts[3])} bytes at byte "
         f"{garbage_at:,} where a record should start; read on from the record at byte "
         f"{garbage_at + len(parts[3]):,}"),
        (f"{name}#record 5", None, f"BadArchive: record 5 (at byte {at[5]}): its headers are "
         "cut short: the next record starts in them"),
        (f"{name}#<urn:uuid:7>", "https://example.org/7", f"BadArchive: record 7 (at byte "
         f"{at[7]}): its HTTP headers are cut short: the next record starts in them"),
        (f"{name}#<urn:uuid:9>", "https://example.org/9", f"BadArchive: record 9 (at byte "
         f"{at[9]}): no WARC-Type header"),
        (f"{name}#<urn:uuid:11>", "https://example.org/11", f"BadArchive: record 11 (at byte "
         f"{at[11]}) is cut short: the next record starts inside its Content-Length of "
         f"{length_11} bytes; it is not written cut"),
        (f"{name}#byte {end_at}", None, f"BadArchive: the bytes from byte {end_at:,} to the "
         "end where a record should start; nothing after it was a record"),
    ]
    stats = json.loads((tmp_path / "stats.json").read_text(encoding="utf-8"))
    assert (stats["written"], stats["failed"]) == (7, 7)
    assert stats["documents"] == stats["written"] + stats["rejected"] + stats["failed"]


@pytest.mark.parametrize("compressed", [False, True])
def test_warc_1_0_in_a_page_or_a_url_is_not_taken_for_the_next_record(tmp_path, compressed):
    """Finding its place again after damage, the reader took any line ending in
    ``WARC/1.0`` for the next record's first line: a page mentioning it, followed by
    bytes where a record should start, was failed as cut short and its end read as a
    record of its own; the text in a damaged record's block was read as one more record;
    and a WARC-Target-URI ending in ``WARC/1.0``, in a whole file, was taken for a record
    cut in its headers (the page lost, two failures). A record starts only where a line
    ``WARC/1.x`` is followed by a WARC header line (by a whole block of WARC headers when
    it is glued to the end of other bytes): each page is read whole, and only the damage
    fails."""
    mention = "<p>This crawl is kept as WARC/1.0\r\nand read back.</p>\r\n"
    parts = [
        _warc_response(1),
        _warc_response(2, more=mention),
        b"bytes where a record should start\r\n\r\n",
        _warc_response(3),
        _warc_response(4, url="https://example.org/spec/WARC/1.0"),
        _warc_response(5, more=mention).replace(b"WARC-Type: response\r\n", b""),
        _warc_response(6),
    ]
    archive = _archive(tmp_path, parts, compressed)
    stats, records, reports = run(archive.parent, tmp_path)
    urls = sorted(r["url"] for r in records.values())
    assert urls == [f"https://example.org/{n}" for n in (1, 2, 3, 6)] + [
        "https://example.org/spec/WARC/1.0"]
    assert "read back" in records[f"{archive.name}#<urn:uuid:2>"]["text"]
    errors = [(Path(r["source"]).name, r["error"].split(":")[0]) for r in reports]
    assert errors == [(f"{archive.name}#byte {sum(map(len, parts[:2]))}", "BadArchive"),
                      (f"{archive.name}#<urn:uuid:5>", "BadArchive")]
    assert "no WARC-Type header" in reports[1]["error"]
    assert (stats["written"], stats["failed"]) == (5, 2)


def test_warc_record_read_again_after_a_cut_keeps_its_blank_lines(tmp_path):
    """A record whose Content-Length runs into the next record, ending just before the
    blank line after that record's HTTP headers: the next record was read again from its
    first line without that blank line (dropped as the blank lines between records), so
    its page was read as more headers and rejected as an empty input. It is written."""
    first, second, third = _warc_response(1), _warc_response(2), _warc_response(3)
    head, block = first.split(b"\r\n\r\n", 1)
    block = block[:-4]
    reach = second.index(b"\r\n\r\n", second.index(b"HTTP/1.1")) + 2
    longer = head.replace(b"Content-Length: %d" % len(block),
                          b"Content-Length: %d" % (len(block) + 4 + reach))
    archive = _archive(tmp_path, [longer + b"\r\n\r\n" + block + b"\r\n\r\n", second, third],
                       False)
    stats, records, reports = run(archive.parent, tmp_path)
    assert sorted(records) == [f"crawl.warc#<urn:uuid:{n}>" for n in (2, 3)]
    [report] = reports
    assert report["error"].startswith("BadArchive: record 1 (at byte 0) is cut short")


def test_warc_record_cut_short_whose_length_runs_to_the_end_keeps_the_records_after_it(tmp_path):
    """A record cut short (the next records start inside its Content-Length) whose length
    runs past the end of the file was taken for the file cut short: the file failed with
    ``TruncatedInput`` and the whole records after the cut one were lost. So was a
    ``.warc.gz`` whose large page's member is damaged at its end (what inflated of it runs
    into the next members' records). The cut record fails on its own; the others are
    written."""
    import gzip

    long = "".join(f"<p>{article(n)}</p>" for n in range(800))
    big = _warc_response(4, more=long)
    cut = big[:big.index(b"\r\n\r\n", big.index(b"HTTP/1.1")) + 40]  # 40 bytes into its page
    _archive(tmp_path, [_warc_response(1), _warc_response(2), cut, _warc_response(5)], False)
    inputs = tmp_path / "in"
    members = [gzip.compress(_warc_response(n), mtime=0) for n in (1, 2)]
    member = gzip.compress(_warc_response(3, more=long), mtime=0)
    check = bytes(b ^ 0x55 for b in member[-8:-4])  # its CRC-32: found at its end
    members += [member[:-8] + check + member[-4:]]
    members += [gzip.compress(_warc_response(n), mtime=0) for n in (4, 5)]
    (inputs / "check.warc.gz").write_bytes(b"".join(members))
    stats, records, reports = run(inputs, tmp_path)
    assert sorted(records) == sorted([f"crawl.warc#<urn:uuid:{n}>" for n in (1, 2, 5)]
                                     + [f"check.warc.gz#<urn:uuid:{n}>" for n in (1, 2, 4, 5)])
    errors = {Path(r["source"]).name: r["error"] for r in reports}
    assert errors["crawl.warc#<urn:uuid:4>"].startswith(
        f"BadArchive: record 3 (at byte {len(_warc_response(1) + _warc_response(2)):,}) is cut "
        "short: the next record starts inside its Content-Length")
    assert errors["check.warc.gz#<urn:uuid:3>"].startswith(
        f"DamagedInput: record 3 (at byte {len(_warc_response(1) + _warc_response(2)):,}): the "
        f"gzip member at byte {len(members[0] + members[1]):,} is damaged (incorrect data check)")
    assert (stats["written"], stats["failed"]) == (7, 2)


def test_damaged_records_that_are_not_pages_are_counted_as_skipped(tmp_path):
    """Damaged records that are not pages (a request cut short, an image cut short, metadata
    going on past its length, a request without Content-Length, a metadata record whose
    gzip member is damaged) were passed over without a word, or failed as if they were
    documents. They are not documents: each is counted as skipped, as a damaged record
    that is not a page, in ``--stats`` and once in the summary; the pages are written and
    nothing fails."""
    import gzip

    def record(kind: str, number: int, block: bytes, content_type: str) -> bytes:
        return (f"WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: https://example.org/{number}"
                f"\r\nWARC-Record-ID: <urn:uuid:{kind}-{number}>\r\nContent-Type: {content_type}"
                f"\r\nContent-Length: {len(block)}\r\n\r\n").encode() + block + b"\r\n\r\n"

    request = record("request", 2, b"GET / HTTP/1.1\r\nHost: example.org\r\n\r\n",
                     "application/http; msgtype=request")
    image = record("response", 3, b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n"
                   + bytes(range(256)) * 4, "application/http; msgtype=response")
    metadata = record("metadata", 4, b"outlink: https://example.org/x\r\n",
                      "application/warc-fields")
    parts = [_warc_response(1),
             request.replace(b"Content-Length: ", b"Content-Length: 1"),  # runs into page 5
             _warc_response(5),
             image[:image.index(b"image/png") + 50],  # cut inside its body
             _warc_response(6),
             metadata.replace(b"Content-Length: 3", b"Content-Length: 2"),  # goes on past
             _warc_response(7),
             request.replace(b"Content-Length: ", b"X-Length: "),
             _warc_response(9)]
    archive = _archive(tmp_path, parts, False)
    outlinks = b"".join(b"outlink: https://example.org/%d\r\n" % n for n in range(2000))
    member = bytearray(gzip.compress(record("metadata", 10, outlinks, "application/warc-fields"),
                                     mtime=0))
    for i in range(len(member) - 30, len(member) - 22):  # inflates on into the next member
        member[i] ^= 0x55
    (archive.parent / "crawl.warc.gz").write_bytes(
        gzip.compress(_warc_response(11), mtime=0) + bytes(member)
        + gzip.compress(_warc_response(12), mtime=0))
    # no page at all: still a file with no document in it
    (archive.parent / "requests.warc").write_bytes(request.replace(b"Content-Length: ",
                                                                   b"X-Length: "))
    out = tmp_path / "out.jsonl"
    result = cli("run", archive.parent, "-o", out, "--stats", tmp_path / "stats.json",
                 "--no-progress", "--disable", "duplicates", env=BUILTINS_ONLY, timeout=120)
    assert result.returncode == 0, result.stderr
    assert sorted(r["url"] for r in read_jsonl(out)) == [
        f"https://example.org/{n}" for n in (1, 11, 12, 5, 6, 7, 9)]
    stats = json.loads((tmp_path / "stats.json").read_text(encoding="utf-8"))
    assert (stats["documents"], stats["written"], stats["failed"]) == (7, 7, 0)
    reason = "damaged web archive record, not a page (warc_reader)"
    assert stats["skipped_reasons"] == {reason: 6, "no document in it (warc_reader)": 1}
    assert f"skipped (not documents): 6 {reason}, 1 no document in it" in result.stderr
    # which ones: by name, in the order read (they were counted by reason only)
    named = {why: [Path(source).name for source in sources]
             for why, sources in stats["skipped_sources"].items()}
    assert named == {reason: [f"crawl.warc#<urn:uuid:{which}>" for which in
                              ("request-2", "response-3", "metadata-4", "request-2")]
                     + ["crawl.warc.gz#<urn:uuid:metadata-10>", "requests.warc#<urn:uuid:request-2>"],
                     "no document in it (warc_reader)": ["requests.warc"]}


def test_damaged_gzip_member_is_passed_over_and_the_members_after_it_are_read(tmp_path):
    """A ``.warc.gz`` (one gzip member a record) with the compressed bytes of one member
    damaged, and another with bytes between two members: the gzip reader stopped there
    (``zlib.error``, ``BadGzipFile``), failing the file, and within its first 8 KiB (read
    to tell its format) before any record: no record was written. Reading now goes on at
    the next member: every other record is written and the file fails saying which
    member was passed over."""
    import gzip

    members = [gzip.compress(_warc_response(n), mtime=0) for n in range(1, 6)]
    damaged = bytearray(members[2])
    for i in range(20, 40):  # inside its deflate data
        damaged[i] ^= 0x55
    # its last deflate bytes damaged: inflating runs on past its end, into the next members
    runs_on = bytearray(members[2])
    for i in range(len(runs_on) - 30, len(runs_on) - 22):
        runs_on[i] ^= 0x55
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "damaged.warc.gz").write_bytes(b"".join(members[:2]) + bytes(damaged)
                                             + b"".join(members[3:]))
    (inputs / "runs-on.warc.gz").write_bytes(b"".join(members[:2]) + bytes(runs_on)
                                             + b"".join(members[3:]))
    (inputs / "between.warc.gz").write_bytes(b"".join(members[:3]) + b"junk"
                                             + b"".join(members[3:]))
    stats, records, reports = run(inputs, tmp_path)
    assert sorted(records) == sorted([f"damaged.warc.gz#<urn:uuid:{n}>" for n in (1, 2, 4, 5)]
                                     + [f"runs-on.warc.gz#<urn:uuid:{n}>" for n in (1, 2, 4, 5)]
                                     + [f"between.warc.gz#<urn:uuid:{n}>" for n in range(1, 6)])
    errors = {Path(r["source"]).name: r["error"] for r in reports}
    at = len(b"".join(members[:2]))
    error = errors[f"damaged.warc.gz#gzip member at byte {at}"]
    assert error.startswith(f"DamagedInput: the gzip member at byte {at:,} is damaged (")
    assert error.endswith(f"read on from the next member, at byte {at + len(damaged):,}")
    # what inflating gave of the damaged record is the record's: it fails once, saying so
    assert errors["runs-on.warc.gz#<urn:uuid:3>"] == (
        f"DamagedInput: record 3 (at byte {len(b''.join(map(gzip.decompress, members[:2]))):,}): "
        f"the gzip member at byte {at:,} is damaged (it does not end before the next member): "
        f"read on from the next member, at byte {at + len(damaged):,}")
    at = len(b"".join(members[:3]))
    assert errors[f"between.warc.gz#gzip member at byte {at}"] == (
        f"DamagedInput: the gzip member at byte {at:,} is damaged (not a gzip member): read "
        f"on from the next member, at byte {at + 4:,}")
    assert all(r["status"] == "failed" and r["plugin"] == "warc_reader" for r in reports)
    assert stats["failed"] == 3


def test_each_damaged_gzip_member_is_one_failure(tmp_path):
    """A ``.warc.gz`` with damaged members counted what it lost wrongly: a record partly
    inflated from its damaged member failed on its own and the file failed too (two
    failures for one record); two damaged members were one failure of the file (one for
    two records); and the gzip magic bytes turning up inside a damaged member's data were
    taken for the next member, which failed in its turn (two failures). Each damaged
    member is now one failure: the record's, when some of it was read, else the member's
    own; the counts come to the records of the files."""
    import gzip

    def damage(member: bytes, start: int, end: int) -> bytes:
        changed = bytearray(member)
        for i in range(start, end):
            changed[i] ^= 0x55
        return bytes(changed)

    members = [gzip.compress(_warc_response(n), mtime=0) for n in range(1, 6)]
    # stored (not deflated): its page's bytes are in the member as they are, magic and all
    magic = b"\x1f\x8b\x08\x18\xb2\xda\x5a\x6d\xaf\xd6"  # no header a writer writes
    page = _warc_response(3, more="<p>0123456789 bytes like a member's start</p>")
    stored = gzip.compress(page.replace(b"0123456789", magic), compresslevel=0, mtime=0)
    assert stored.count(b"\x1f\x8b\x08") == 2
    inputs = tmp_path / "in"
    inputs.mkdir()
    files = {
        "runs-on.warc.gz": [*members[:2], damage(members[2], len(members[2]) - 30,
                                                 len(members[2]) - 22), *members[3:]],
        "two.warc.gz": [members[0], damage(members[1], 20, 40), members[2],
                        damage(members[3], 20, 40), members[4]],
        "magic.warc.gz": [*members[:2], damage(stored, 12, 14), *members[3:]],
    }
    for name, parts in files.items():
        (inputs / name).write_bytes(b"".join(parts))
    stats, records, reports = run(inputs, tmp_path)
    assert sorted(records) == sorted([f"runs-on.warc.gz#<urn:uuid:{n}>" for n in (1, 2, 4, 5)]
                                     + [f"two.warc.gz#<urn:uuid:{n}>" for n in (1, 3, 5)]
                                     + [f"magic.warc.gz#<urn:uuid:{n}>" for n in (1, 2, 4, 5)])
    at = {name: [sum(map(len, parts[:n])) for n in range(5)] for name, parts in files.items()}
    failed = sorted((Path(r["source"]).name, r["error"].split(" is damaged")[0]) for r in reports)
    assert failed == sorted([
        (f"magic.warc.gz#gzip member at byte {at['magic.warc.gz'][2]}",
         f"DamagedInput: the gzip member at byte {at['magic.warc.gz'][2]:,}"),
        ("runs-on.warc.gz#<urn:uuid:3>", "DamagedInput: record 3 (at byte "
         f"{len(b''.join(map(gzip.decompress, members[:2]))):,}): the gzip member at byte "
         f"{at['runs-on.warc.gz'][2]:,}"),
        (f"two.warc.gz#gzip member at byte {at['two.warc.gz'][1]}",
         f"DamagedInput: the gzip member at byte {at['two.warc.gz'][1]:,}"),
        (f"two.warc.gz#gzip member at byte {at['two.warc.gz'][3]}",
         f"DamagedInput: the gzip member at byte {at['two.warc.gz'][3]:,}"),
    ])
    # read on from the next member, not from the magic bytes inside the damaged one
    assert [r["error"] for r in reports if "magic" in r["source"]][0].endswith(
        f"read on from the next member, at byte {at['magic.warc.gz'][3]:,}")
    assert (stats["documents"], stats["written"], stats["failed"]) == (15, 11, 4)


def _damage(member: bytes, start: int, end: int) -> bytes:
    changed = bytearray(member)
    for i in range(start, end):
        changed[i] ^= 0x55
    return bytes(changed)


def test_damaged_gzip_member_of_json_lines_is_one_failure(tmp_path):
    """JSON Lines in several gzip members (concatenated ``.gz`` files, or a writer that
    starts a member every so many bytes, cutting lines) with one member damaged. The
    line the damage cut failed as bad JSON and the file failed too (two failures for one
    damaged member), or, the two pieces reading as JSON, was written with a piece of its
    text missing beside the file's failure; a member holding whole lines failed the file.
    Each damaged member is now one failure: the line it cut, else the member's own; no
    record is written from the pieces of two lines, and the counts come to the lines."""
    import gzip

    lines = b"".join(json.dumps({"text": article(n)}).encode() + b"\n" for n in range(1, 9))
    chunks = [lines[i:i + 150] for i in range(0, len(lines), 150)]  # lines cut in pieces
    pieces = [gzip.compress(chunk, mtime=0) for chunk in chunks]
    inside = next(n for n, chunk in enumerate(chunks) if n and b"\n" not in chunk)
    whole = [gzip.compress(json.dumps({"text": article(n)}).encode() + b"\n", mtime=0)
             for n in range(1, 6)]
    files = {
        "intact.jsonl.gz": pieces,
        # inside one line: its two ends read as JSON, a piece of its text missing
        "inside.jsonl.gz": [*pieces[:inside], _damage(pieces[inside], 20, 40),
                            *pieces[inside + 1:]],
        # the first and last members: the line read on from there is a piece of one
        "first.jsonl.gz": [_damage(pieces[0], 20, 40), *pieces[1:]],
        "last.jsonl.gz": [*pieces[:-1], _damage(pieces[-1], 20, 40)],
        # a member a line: the damaged one held a whole line, no line read holds it
        "lines.jsonl.gz": [*whole[:2], _damage(whole[2], 20, 40), *whole[3:]],
    }
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name, parts in files.items():
        (inputs / name).write_bytes(b"".join(parts))
    stats, records, reports = run(inputs, tmp_path)
    texts = {r["text"] for name, r in records.items() if name.startswith("intact.")}
    assert len(texts) == 8
    for name, record in records.items():  # each record one of the lines, whole
        assert record["text"] in texts, name
    for name in files:
        if name == "intact.jsonl.gz":
            continue
        failed = [r for r in reports if Path(r["source"]).name.startswith(name)]
        assert len(failed) == 1, (name, failed)
        [report] = failed
        assert report["status"] == "failed" and report["plugin"] == "jsonl_reader"
        assert report["error"].startswith("DamagedInput: the gzip member at byte "), report
    at = sum(map(len, files["lines.jsonl.gz"][:2]))
    error = report_for(reports, f"lines.jsonl.gz#gzip member at byte {at}")["error"]
    assert error.startswith(f"DamagedInput: the gzip member at byte {at:,} is damaged (")
    assert error.endswith(f"read on from the next member, at byte {at + len(whole[2]):,}")
    written = {name: sum(r.startswith(name) for r in records) for name in files}
    assert written == {"intact.jsonl.gz": 8, "inside.jsonl.gz": 7, "first.jsonl.gz": 7,
                       "last.jsonl.gz": 7, "lines.jsonl.gz": 4}
    assert (stats["documents"], stats["failed"]) == (37, 4)


def test_warc_target_uri_with_spaces_is_repaired_without_a_word_on_stderr(tmp_path):
    """A WARC-Target-URI with spaces in it: warcio writes them as %20 itself, and said so
    through its logger, which reached stderr even with -q ("Replacing spaces in invalid
    WARC-Target-URI"). The record is written with the repaired URL, and -q is quiet."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    spaced = _warc_response(2).replace(b"https://example.org/2", b"https://example.org/a page")
    (inputs / "crawl.warc").write_bytes(_warc_response(1) + spaced)
    out = tmp_path / "out.jsonl"
    result = cli("run", inputs, "-o", out, "-q", "--disable", "duplicates", env=BUILTINS_ONLY,
                 timeout=120)
    assert (result.returncode, result.stderr) == (0, "")
    assert sorted(r["url"] for r in read_jsonl(out)) == ["https://example.org/1",
                                                         "https://example.org/a%20page"]


def test_file_starting_like_a_warc_without_valid_headers_fails_saying_what_is_wrong(tmp_path):
    """Files that start with ``WARC/`` but whose record headers are not a WARC record's
    (a response without its target URI, a record without a type, a length that is no
    number) failed with warcio's ``AttributeError: 'NoneType' object has no attribute
    'startswith'`` or were passed over as holding no document. The bad record now fails
    on its own, naming the record and what its headers lack; the records before it are
    read (and those after it: test_warc_reads_on_after_data_where_a_record_should_start)."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    head = b"WARC/1.0\r\nWARC-Type: response\r\n"
    (inputs / "no-uri.warc").write_bytes(head + b"Content-Length: 5\r\n\r\nhello\r\n\r\n")
    (inputs / "no-type.warc").write_bytes(b"WARC/1.0\r\nthis is not a header\r\n\r\nhello")
    second = _warc_response(2)
    length = second.split(b"Content-Length: ")[1].split(b"\r")[0].decode()
    (inputs / "bad-length.warc").write_bytes(_warc_response(1) + second.replace(
        b"Content-Length: ", b"Content-Length: about "))
    stats, records, reports = run(inputs, tmp_path)
    assert list(records) == ["bad-length.warc#<urn:uuid:1>"]
    errors = {Path(r["source"]).name: r["error"] for r in reports}
    assert all(r["status"] == "failed" and r["plugin"] == "warc_reader" for r in reports)
    assert errors == {
        "no-uri.warc#record 1": "BadArchive: record 1 (at byte 0): a response record "
                                "without a WARC-Target-URI header",
        "no-type.warc#record 1": "BadArchive: record 1 (at byte 0): no WARC-Type header",
        "bad-length.warc#<urn:uuid:2>": f"BadArchive: record 2 (at byte {len(_warc_response(1)):,}): "
                           f"Content-Length 'about {length}' is not a number of bytes"}
