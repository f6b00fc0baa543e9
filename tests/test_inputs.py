"""Inputs as corpora come: WARC archives, compressed JSON Lines, Parquet, standard input,
file:// and other URLs (through fsspec); chosen by content, and refused with the reason when they are not documents."""
from __future__ import annotations

import bz2
import gzip
import io
import json
import subprocess
from pathlib import Path

import pytest

from conftest import CLI, FIXTURES, BUILTINS_ONLY, builtin_cli, cli, cli_env, read_jsonl, \
    read_jsonl_if_any

PAGES = sorted(p for p in FIXTURES.rglob("*.html"))


def zstd_compress(data: bytes) -> bytes:
    try:
        from compression import zstd
    except ImportError:
        from backports import zstd
    return zstd.compress(data)


def write_warc(path: Path, count: int) -> dict[str, dict]:
    """A gzipped WARC of ``count`` HTML responses made from the fixture pages (every third
    one sent as windows-1252 with the charset in its HTTP header only), with the request
    and an image response between them, as crawlers write them. Returns what each record
    should say, by URL."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    expected = {}
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for n in range(count):
            page = PAGES[n % len(PAGES)]
            html = page.read_text(encoding="utf-8")
            # one distinct sentence per copy, so every response is a page of its own
            html = html.replace("</body>", f"<p>Édition numéro {n} du fichier.</p></body>", 1)
            url = f"https://www.example{n % 7}.org/{page.stem}/{n}"
            latin = n % 3 == 0
            if latin:
                html = html.replace('charset="utf-8"', "").replace("charset=utf-8", "")
                body, content_type = html.encode("cp1252", "replace"), \
                    "text/html; charset=ISO-8859-1"
            else:
                body, content_type = html.encode("utf-8"), "text/html; charset=utf-8"
            writer.write_record(writer.create_warc_record(
                url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n"),
                warc_content_type="application/http; msgtype=request"))
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)],
                                       protocol="HTTP/1.1")
            record = writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                               http_headers=headers)
            writer.write_record(record)
            expected[url] = {"id": record.rec_headers.get_header("WARC-Record-ID"),
                             "latin": latin, "page": page}
            if n % 100 == 0:
                image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")],
                                         protocol="HTTP/1.1")
                writer.write_record(writer.create_warc_record(
                    url + ".png", "response", payload=io.BytesIO(b"\x89PNG\r\n"),
                    http_headers=image))
    return expected


def test_warc_of_a_thousand_responses_gives_records_with_url_and_charset(tmp_path):
    archive = tmp_path / "crawl.warc.gz"
    expected = write_warc(archive, 1000)
    out = tmp_path / "out.jsonl"
    done = builtin_cli("run", archive, "-o", out, "-j", "2", "--no-progress",
                       "--set", "duplicates.policy=annotate", "--stats", tmp_path / "s.json",
                       timeout=1200)
    stats = json.loads((tmp_path / "s.json").read_text())
    assert stats["documents"] == 1000, done.stderr  # the requests and images are not pages
    records = read_jsonl(out)
    reports = read_jsonl_if_any(tmp_path / "out.rejected.jsonl")
    assert len(records) + len(reports) == 1000 and stats["failed"] == 0
    # error pages, log-in walls and listings among the fixtures are rejected, with the url
    assert len(records) > 600
    assert all(r["status"] == "rejected" and r["url"] in expected for r in reports)
    seen = set()
    for record in records:
        want = expected[record["url"]]
        seen.add(record["url"])
        assert record["extra"]["warc_record_id"] == want["id"]
        assert record["source"] == f"{archive}#{want['id']}"
        assert "\ufffd" not in record["text"]  # no character lost to a wrong charset
        if want["latin"]:
            assert record["detections"]["encoding"] == {"encoding": "cp1252",
                                                         "detected": False, "by": "http"}
        else:
            assert "encoding" not in record["detections"]
    latin_pages = [r for r in records if expected[r["url"]]["latin"]]
    assert latin_pages and any("é" in r["text"] for r in latin_pages)
    assert seen == {r["url"] for r in records} and len(seen) == len(records)


def test_warc_record_over_max_bytes_is_rejected_with_its_url(tmp_path):
    archive = tmp_path / "crawl.warc.gz"
    expected = write_warc(archive, 3)
    out = tmp_path / "out.jsonl"
    config = tmp_path / "small.toml"
    config.write_text("[run]\nmax_bytes = 200\n", encoding="utf-8")
    builtin_cli("run", archive, "-o", out, "--no-progress", "--config", config)
    reports = read_jsonl(tmp_path / "out.rejected.jsonl")
    assert sorted(r["url"] for r in reports) == sorted(expected)
    assert all(r["reasons"][0].startswith("input too large") for r in reports), reports


def test_folder_named_by_url_is_read_through_fsspec(tmp_path):
    """A URL input goes through fsspec, as an ``s3://`` one would: here fsspec's own
    in-memory filesystem, in the same process (``clean-corpus run`` as ``main``)."""
    import fsspec

    from clean_corpus.cli import main

    memory = fsspec.filesystem("memory")
    page = PAGES[0].read_bytes()
    memory.pipe("/dump/2024/page.html", page)
    memory.pipe("/dump/2024/lot.jsonl.gz", gzip.compress(_jsonl(_documents()[6:8])))
    memory.pipe("/dump/.cache/stale.html", page)
    out, stats_path = tmp_path / "out.jsonl", tmp_path / "stats.json"
    try:
        code = main(["run", "memory://dump", "-o", str(out), "--stats", str(stats_path),
                     "--no-progress", "-q", "--set", "duplicates.policy=annotate"])
    finally:
        memory.rm("/dump", recursive=True)
    assert code == 0
    stats = json.loads(stats_path.read_text(encoding="utf-8"))
    assert (stats["documents"], stats["written"], stats["skipped"]) == (3, 3, 1)
    # the JSON Lines documents are named by their own "source" field
    assert sorted(r["source"] for r in read_jsonl(out)) == \
        [memory.unstrip_protocol("/dump/2024/page.html"), "seed-0", "seed-1"]


def _documents():
    docs = []
    for n, page in enumerate(PAGES[:6]):
        docs.append({"html": page.read_text(encoding="utf-8"), "source": f"doc-{n}",
                     "url": f"https://example.org/{page.stem}"})
    for n, seed in enumerate(sorted((FIXTURES / "seeds").iterdir())):
        docs.append({"text": seed.read_text(encoding="utf-8"), "source": f"seed-{n}"})
    return docs


def _jsonl(docs) -> bytes:
    return "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs).encode("utf-8")


def _parquet_bytes(docs, text_field="text") -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq
    rows = [{"text": d.get("text"), "html": d.get("html"), "source": d["source"],
             "url": d.get("url")} for d in docs]
    table = pa.Table.from_pylist(rows).rename_columns(
        [text_field if c == "text" else c for c in ["text", "html", "source", "url"]])
    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()


def _parquet_records(path: Path) -> list[dict]:
    import pyarrow.parquet as pq
    from clean_corpus_plugins.parquet import from_row
    return [from_row(row) for row in pq.read_table(path).to_pylist()]


def test_parquet_records_keep_the_score_of_each_removal(tmp_path):
    # a scraped page: the classifier's removals carry how sure it was; Parquet keeps it
    page = Path(__file__).parent / "data" / "boilerplate" / "text" / "blocks" / "0024.txt"
    records = {}
    for fmt in ("jsonl", "parquet"):
        out = tmp_path / f"records.{fmt}"
        builtin_cli("run", page, "-o", out, "--format", fmt, "--no-progress")
        records[fmt] = read_jsonl(out) if fmt == "jsonl" else _parquet_records(out)
    scores = [entry["score"] for entry in records["jsonl"][0]["removed"] if "score" in entry]
    assert scores and all(0 <= score <= 1 for score in scores)
    assert records["parquet"] == records["jsonl"]


def test_same_records_whatever_the_container(tmp_path):
    docs = _documents()
    plain = _jsonl(docs)
    containers = {
        "docs.jsonl": plain,
        "docs.jsonl.gz": gzip.compress(plain),
        "docs.jsonl.zst": zstd_compress(plain),
        "docs.jsonl.bz2": bz2.compress(plain),
        "docs.parquet": _parquet_bytes(docs),
        "docs.parquet.gz": gzip.compress(_parquet_bytes(docs)),
        "named-anything.data": gzip.compress(plain),  # recognised by content
    }
    results = {}
    for name, data in containers.items():
        (tmp_path / name).write_bytes(data)
        out = tmp_path / f"{name}.out.jsonl"
        builtin_cli("run", tmp_path / name, "-o", out, "--no-progress")
        results[name] = (read_jsonl(out), read_jsonl_if_any(tmp_path / f"{name}.out.rejected.jsonl"))
    reference = results["docs.jsonl"]
    assert len(reference[0]) >= 8
    for name, result in results.items():
        assert result == reference, name

    # and out: the same records as JSON Lines, gzip-compressed JSON Lines and Parquet
    for fmt in ("jsonl.gz", "parquet"):
        out = tmp_path / f"records.{fmt}"
        builtin_cli("run", tmp_path / "docs.jsonl", "-o", out, "--format", fmt, "--no-progress")
        got = read_gzip_jsonl(out) if fmt == "jsonl.gz" else _parquet_records(out)
        assert got == reference[0], fmt


def read_gzip_jsonl(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def test_field_names_are_options_and_other_fields_are_kept_in_extra(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    row = {"body": "Le conseil municipal a voté le budget de l'année prochaine mardi soir. "
                   "Les investissements dans les écoles augmentent de dix pour cent.",
           "link": "https://example.org/budget", "source": "b", "dump_id": 7,
           "lang": "fr", "crawled": None}
    (tmp_path / "a.jsonl").write_text(json.dumps(row) + "\n", encoding="utf-8")
    pq.write_table(pa.Table.from_pylist([row]), tmp_path / "a.parquet")
    records = []
    for name, reader in (("a.jsonl", "jsonl_reader"), ("a.parquet", "parquet_reader")):
        out = tmp_path / f"{name}.out.jsonl"
        builtin_cli("run", tmp_path / name, "-o", out, "--no-progress",
                    "--set", f"{reader}.text_field=body", "--set", f"{reader}.url_field=link")
        [record] = read_jsonl(out)
        records.append(record)
        assert record["url"] == "https://example.org/budget" and "budget" in record["text"]
        # what the row carries besides the page travels with it; absent values do not
        assert record["extra"] == {"dump_id": 7, "lang": "fr"}
    assert records[0] == records[1]


def test_missing_numbers_of_a_row_are_kept_as_null_not_failed(tmp_path):
    """NaN is how Parquet (and pandas) say a number is missing, and JSON Lines written by
    Python may hold it too. Kept as NaN in ``extra``, it made the record no JSON can hold:
    NaN was written (not JSON), and once records were checked as written, the row failed."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    text = ("Le conseil municipal a voté le budget de l'année prochaine mardi soir. "
            "Les investissements dans les écoles augmentent de dix pour cent.")
    pq.write_table(pa.Table.from_pylist([{"text": text, "score": float("nan"), "rank": 3.5}]),
                   tmp_path / "a.parquet")
    (tmp_path / "a.jsonl").write_text('{"text": "%s", "score": NaN, "rank": Infinity}\n' % text,
                                      encoding="utf-8")
    for name, extra in (("a.parquet", {"score": None, "rank": 3.5}),
                        ("a.jsonl", {"score": None, "rank": None})):
        out = tmp_path / f"{name}.out.jsonl"
        builtin_cli("run", tmp_path / name, "-o", out, "--no-progress")
        [line] = out.read_text(encoding="utf-8").splitlines()
        record = json.loads(line, parse_constant=lambda c: pytest.fail(f"{c} in the output"))
        assert record["extra"] == extra


def test_standard_input_and_file_urls(tmp_path):
    docs = _documents()
    (tmp_path / "d.jsonl").write_bytes(_jsonl(docs))
    builtin_cli("run", tmp_path / "d.jsonl", "-o", tmp_path / "ref.jsonl", "--no-progress")
    done = subprocess.run([str(CLI), "run", "-", "-o", tmp_path / "stdin.jsonl", "--no-progress"],
                          input=gzip.compress(_jsonl(docs)), capture_output=True,
                          env=cli_env(BUILTINS_ONLY), timeout=300)
    assert done.returncode == 0, done.stderr
    assert read_jsonl(tmp_path / "stdin.jsonl") == read_jsonl(tmp_path / "ref.jsonl")
    builtin_cli("run", (tmp_path / "d.jsonl").as_uri(), "-o", tmp_path / "url.jsonl",
                "--no-progress")
    assert read_jsonl(tmp_path / "url.jsonl") == read_jsonl(tmp_path / "ref.jsonl")


def test_what_is_not_a_document_fails_with_why(tmp_path):
    urls = "https://example.org/a\nhttps://example.org/b\n\nhttp://example.org/c?x=1\n"
    (tmp_path / "liens.txt").write_text(urls, encoding="utf-8")
    write_warc(tmp_path / "archive.txt", 2)  # a WARC named .txt, with the WARC reader off
    out = tmp_path / "out.jsonl"
    done = cli("run", tmp_path / "liens.txt", tmp_path / "archive.txt", "-o", out,
               "--disable", "warc_reader", "--no-progress", env=BUILTINS_ONLY)
    assert done.returncode == 1
    assert read_jsonl_if_any(out) == []
    failures = {Path(r["source"]).name: r for r in read_jsonl(tmp_path / "out.rejected.jsonl")}
    assert "a list of 3 URL(s)" in failures["liens.txt"]["error"]
    assert "a WARC archive" in failures["archive.txt"]["error"]
    assert {r["plugin"] for r in failures.values()} == {"text_reader"}


def test_page_heavy_with_inline_script_is_cleaned_not_refused(tmp_path):
    # Real pages carry megabytes of inline script and state (2 of wcxb-dev's 1,310 pass
    # 5 MB); the default limit is what the bundled spider downloads, so such a page is cleaned.
    article = (FIXTURES / "pages" / "article_related_links_en.html").read_text(encoding="utf-8")
    state = "<script>window.__STATE__ = " + json.dumps(["x" * 1000] * 6000) + ";</script>"
    page = tmp_path / "heavy.html"
    page.write_text(article.replace("</head>", state + "</head>", 1), encoding="utf-8")
    assert 6_000_000 < page.stat().st_size < 10 * 1024 * 1024
    out = tmp_path / "out.jsonl"
    builtin_cli("run", page, "-o", out, "--no-progress")
    (record,) = read_jsonl(out)
    light = tmp_path / "light.jsonl"
    builtin_cli("run", FIXTURES / "pages" / "article_related_links_en.html", "-o", light, "--no-progress")
    assert record["text"] == read_jsonl(light)[0]["text"]
    assert "__STATE__" not in record["text"]


def test_compression_bomb_is_rejected_without_being_read_whole(tmp_path):
    # 2 GB of zeros compress to about 2 MB; the run must stop reading at max_bytes.
    bomb = tmp_path / "page.html.gz"
    with gzip.open(bomb, "wb", compresslevel=1) as fh:
        chunk = b"<p>" + b"a" * (1 << 20)
        for _ in range(2048):
            fh.write(chunk)
    lines = tmp_path / "lines.jsonl.gz"
    with gzip.open(lines, "wb") as fh:
        fh.write(b'{"text": "' + b"b" * 45_000_000 + b'"}\n')
        fh.write(json.dumps({"text": "Une ligne courte mais bien réelle, sur le marché."})
                 .encode() + b"\n")
    out = tmp_path / "out.jsonl"
    done = subprocess.run(["prlimit", f"--as={1 << 30}", str(CLI), "run", bomb, lines,
                           "-o", out, "--no-progress", "--stats", tmp_path / "s.json"],
                          env=cli_env(BUILTINS_ONLY),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    stats = json.loads((tmp_path / "s.json").read_text())
    assert (stats["written"], stats["rejected"], stats["failed"]) == (1, 2, 0)
    reasons = {Path(r["source"]).name: r["reasons"] for r in read_jsonl(tmp_path / "out.rejected.jsonl")}
    assert reasons["page.html.gz"] == ["input too large: more than 10,485,760 bytes > max_bytes 10,485,760"]
    assert "input too large" in reasons["lines.jsonl.gz#L1"][0]


def _escaped(text: str) -> str:
    """``text`` as a scraper that forgot to decode HTML entities leaves it."""
    text = text.replace("&", "&amp;").replace("'", "&#39;").replace('"', "&quot;")
    words = text.split(" ")
    return "".join(w + ("&nbsp;" if n % 3 == 2 else " ") for n, w in enumerate(words)).rstrip()


def test_html_entities_left_in_scraped_text_are_decoded(tmp_path):
    plain, escaped = tmp_path / "plain", tmp_path / "escaped"
    plain.mkdir(), escaped.mkdir()
    pages = sorted((FIXTURES / "seeds").glob("*.txt"))
    rows = []
    for page in pages:
        text = page.read_text(encoding="utf-8")
        (plain / page.name).write_text(text, encoding="utf-8")
        (escaped / page.name).write_text(_escaped(text), encoding="utf-8")
        rows.append({"source": page.name, "text": _escaped(text)})
    (tmp_path / "rows.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows),
                                         encoding="utf-8")
    texts = {}
    for name in ("plain", "escaped", "rows.jsonl"):
        out = tmp_path / f"{name}.out.jsonl"
        builtin_cli("run", tmp_path / name, "-o", out, "--no-progress", "-j", "1")
        texts[name] = {Path(r["source"]).name: " ".join(r["text"].split())
                       for r in read_jsonl(out)}
    assert len(texts["plain"]) == len(pages)
    # the same article text as from the decoded page: "&amp;" or "&#39;" reaches no reader
    assert texts["escaped"] == texts["plain"]
    assert texts["rows.jsonl"] == texts["plain"]
    assert not any(e in t for t in texts["escaped"].values() for e in ("&amp;", "&#39;", "&nbsp;"))


def test_ampersands_that_are_no_entity_are_left_as_written(tmp_path):
    text = ("Le conseil municipal de la ville a voté mardi soir le budget de l'année prochaine "
            "après un long débat. AT&T et R&D &nothing &copy sans point-virgule, "
            "&bogus; restent tels quels; les investissements dans les écoles augmentent.\n")
    (tmp_path / "page.txt").write_text(text, encoding="utf-8")
    builtin_cli("run", tmp_path / "page.txt", "-o", tmp_path / "out.jsonl", "--no-progress")
    [record] = read_jsonl(tmp_path / "out.jsonl")
    assert "AT&T et R&D &nothing &copy sans point-virgule, &bogus; restent" in record["text"]


def test_entity_decoding_of_text_can_be_switched_off(tmp_path):
    # a text about HTML means its "&amp;" literally: each reader of text takes
    # decode_entities = false and keeps what the file says; HTML pages are untouched
    import pyarrow as pa
    import pyarrow.parquet as pq

    text = ("Écrire une esperluette en HTML\nDans une page web, le caractère & s'écrit "
            "&amp; et l'espace insécable s'écrit &nbsp; : le navigateur les remplace par les "
            "caractères qu'ils représentent. Une apostrophe peut s'écrire &#39; et un "
            "guillemet &quot;, ce qui évite de fermer un attribut par erreur. Les éditeurs "
            "de texte affichent ces références telles quelles, et c'est ainsi qu'il faut "
            "les apprendre avant de publier sa première page.\n")
    (tmp_path / "page.txt").write_text(text, encoding="utf-8")
    (tmp_path / "rows.jsonl").write_text(json.dumps({"text": text}) + "\n", encoding="utf-8")
    pq.write_table(pa.Table.from_pylist([{"text": text}]), tmp_path / "rows.parquet")
    literal = "le caractère & s'écrit &amp; et l'espace insécable s'écrit &nbsp; :"
    for name, reader in (("page.txt", "text_reader"), ("rows.jsonl", "jsonl_reader"),
                         ("rows.parquet", "parquet_reader")):
        out = tmp_path / f"{name}.default.jsonl"
        builtin_cli("run", tmp_path / name, "-o", out, "--no-progress")
        [record] = read_jsonl(out)
        assert literal not in record["text"] and "s'écrit & et" in record["text"], name
        out = tmp_path / f"{name}.kept.jsonl"
        builtin_cli("run", tmp_path / name, "-o", out, "--no-progress",
                    "--set", f"{reader}.decode_entities=false")
        [record] = read_jsonl(out)
        assert literal in record["text"], name
        assert "s'écrire &#39; et un guillemet &quot;," in record["text"], name
    config = tmp_path / "clean-corpus.toml"
    config.write_text("[plugin.text_reader]\ndecode_entities = false\n", encoding="utf-8")
    builtin_cli("run", tmp_path / "page.txt", "-o", tmp_path / "conf.jsonl", "--no-progress",
                "--config", config)
    [record] = read_jsonl(tmp_path / "conf.jsonl")
    assert literal in record["text"]


def test_windows_1252_text_with_many_soft_hyphens_is_read_not_failed(tmp_path):
    # German text that hyphenates its long words: hundreds of soft hyphens (byte 0xAD in
    # windows-1252), which the encoding detector took for mess and refused the page over
    sh = "\u00ad"
    text = (f"Die Bundes{sh}regierung hat am Mittwoch den Entwurf für die Neu{sh}regelung der "
            f"Tabak{sh}steuer beschlossen. Künftig sollen auch erhitzte Tabak{sh}erzeugnisse "
            f"und Liquids für elektronische Zigaretten höher besteuert werden. Die Mehr{sh}"
            f"einnahmen fließen in den Bundes{sh}haushalt. Der Verbraucher{sh}schutz{sh}verband "
            f"kritisierte, die Erhöhung treffe vor allem Gering{sh}verdiener, während die "
            f"Gesundheits{sh}ministerin die Lenkungs{sh}wirkung der Steuer betonte.\n"
            f"Nach Angaben des Finanz{sh}ministeriums sollen die neuen Steuer{sh}sätze "
            f"schrittweise bis zum Jahr 2026 steigen. Die Hersteller müssen ihre Verpackungen "
            f"nicht ändern; die Steuer{sh}zeichen bleiben gültig. Händler{sh}verbände fordern "
            f"eine längere Über{sh}gangs{sh}frist für bereits gekaufte Bestände.\n")
    (tmp_path / "utf8.txt").write_text(text, encoding="utf-8")
    (tmp_path / "legacy.txt").write_bytes(text.encode("cp1252"))
    records = {}
    for name in ("utf8.txt", "legacy.txt"):
        out = tmp_path / f"{name}.out.jsonl"
        builtin_cli("run", tmp_path / name, "-o", out, "--no-progress")  # exit 0: none failed
        [records[name]] = read_jsonl(out)
    assert records["legacy.txt"]["text"] == records["utf8.txt"]["text"]
    assert "Bestände" in records["legacy.txt"]["text"]
    assert records["legacy.txt"]["detections"]["encoding"]["encoding"] == "cp1252"


def shop_page() -> str:
    """A shop's page as a scraper keeps it, many short lines, with "’" and a "©": the
    detector finds its windows-1252 bytes cleaner read as Shift-JIS ("Chef痴", "ｩ 2026")."""
    products = ["Cast Iron Skillet, 26 cm, Pre-seasoned", "Enamel Casserole Dish, 4.2 litres, Red",
                "Carbon Steel Wok, 30 cm", "Stainless Saucepan Set, 3 pieces",
                "Bamboo Chopping Board, Large", "Chef’s Knife, 20 cm, German Steel",
                "Glass Storage Jars, Set of 4", "Silicone Baking Mat, 2 pack",
                "Copper Milk Pan, 14 cm", "Digital Kitchen Scale"]
    lines = ["Skip to content", "Menu", "Search", "Account", "Basket", "Kitchen", "Cookware",
             "Knives", "Bakeware", "Storage"]
    for i in range(30):
        lines += [products[i % len(products)], f"4.{i * 7 % 10} out of 5 stars. {100 + 37 * i} "
                  "reviews", "Collect today", "Add to basket"]
    lines += ["Give feedback", "Help", "Delivery", "Returns", "Store finder", "Gift cards",
              "Careers", "About us", "Privacy", "Cookies", "Terms", "Accessibility", "Sitemap",
              "© 2026 Hearth & Pan Ltd. Registered in England and Wales. All rights reserved."]
    return "\n".join(lines) + "\n"


#: Windows-1252 texts another single-byte code page fits about as "cleanly" to the detector,
#: and a sentence each must keep: Spanish (windows-1250 reads "Mańana", "ˇAtención"; the
#: detector cannot tell the two apart), French (windows-1257 reads "ą" for "à", "źtre" for
#: "être", "Koweļt" with slightly less "mess"; the stop words each reads, "à", "été",
#: "après", tell), trademark signs (ISO-8859-2 reads "®" as "Ž" and "™" as the control
#: character U+0099, and the detector ranked it first; a code page that makes control
#: characters is ruled out), "®" and "©" alone (ISO-8859-2 reads "OEKO-TEXŽ", "CopyrightŠ"),
#: a shop page with "’" and a "©" (read as Shift-JIS: "Chef痴 Knife", "ｩ 2026").
WINDOWS_1252_TEXTS = {
    "spanish-not-windows-1250": (
        "Política\nEconomía\nDeportes\nEl gobierno anunció ayer que la inversión pública "
        "crecerá en el próximo período. Según el ministro, la economía está en "
        "recuperación, aunque la inflación todavía preocupa. La oposición criticó la "
        "decisión y pidió más información sobre el déficit. Mañana habrá una sesión "
        "especial. ¡Atención!\n",
        ["Mañana habrá una sesión especial."]),
    "french-not-windows-1257": (
        "Actualités\nÀ la une\nLe gouvernement a présenté mercredi son projet de budget "
        "pour l'année à venir. Selon le ministre, la croissance devrait être plus forte "
        "que prévu, même si la dette reste élevée. Les syndicats, reçus à Matignon, ont "
        "dénoncé des économies « très dures » pour les hôpitaux et les écoles. Après des "
        "mois de négociations, le texte sera débattu à l'Assemblée dès la semaine "
        "prochaine ; l'opposition a déjà annoncé qu'elle déposerait une motion de "
        "censure. Où trouver l'argent ? Le Koweït et le Qatar ont été cités comme "
        "investisseurs possibles.\n",
        ["Le Koweït et le Qatar ont été cités comme investisseurs possibles."]),
    "trademarks-not-iso-8859-2": (
        "Trail Shoes\nMen\nWomen\nSale\n"
        "The Ridgeline® trail shoe grips wet rock and loose gravel alike. Its upper is woven "
        "from recycled yarn, and the StormShield® lining keeps water out while letting heat "
        "escape. A cushioned midsole made with FoamCore™ softens every step on long "
        "descents.\nSizes run true to length; if you are between sizes, order the larger "
        "one. Free returns within sixty days, even on worn shoes.\n"
        "Pair them with Ridgeline® socks for a full day on the mountain.\n"
        "© 2024 Northpeak Outfitters. All rights reserved.\n",
        ["made with FoamCore™ softens", "The Ridgeline® trail shoe"]),
    "registered-sign-not-iso-8859-2": (
        "Bedding\nTowels\nSale\n"
        "Our organic cotton sheets are certified to OEKO-TEX® Standard 100 and woven in "
        "Portugal. Each set includes a fitted sheet, a flat sheet and two pillowcases.\n"
        "Machine wash at 60 degrees. Tumble dry on low heat.\n"
        "Copyright© 2024 Linen House Ltd. All rights reserved.\n",
        ["certified to OEKO-TEX® Standard 100"]),
    "shop-page-not-shift-jis": (shop_page(), ["Chef’s Knife, 20 cm, German Steel"]),
}


@pytest.mark.parametrize("name", WINDOWS_1252_TEXTS)
def test_windows_1252_text_is_not_read_as_a_near_code_page(tmp_path, name):
    text, kept = WINDOWS_1252_TEXTS[name]
    (tmp_path / "page.txt").write_bytes(text.encode("cp1252"))
    builtin_cli("run", tmp_path / "page.txt", "-o", tmp_path / "out.jsonl", "--no-progress")
    [record] = read_jsonl(tmp_path / "out.jsonl")
    for sentence in kept:
        assert sentence in record["text"]
    assert record["detections"]["encoding"]["encoding"] == "cp1252"


#: Texts in the scripts legacy encodings were made for, with the characters that read as
#: symbols in windows-1252 ("ą" and "ś" are its "±" and "¶" in ISO-8859-2) or as lone
#: ideographs next to Latin letters ("iPhoneとiPad"): they must still read in their script.
LEGACY_SCRIPT_TEXTS = {
    "japanese-shift-jis": (
        "shift_jis", ("cp932", "shift_jis"),
        "東京都は昨日、来年度の予算案を発表しました。子育て支援や防災対策に重点を置き、総額は"
        "過去最大となります。知事は記者会見で「誰もが安心して暮らせる街を目指す」と述べました。"
        "一方、野党からは財源の確保について疑問の声も上がっています。\n"
        "新しいiPhoneとiPadは、9月20日から予約を受け付けます。価格は税込みで12万円からです。"
        "Apple Storeのほか、各キャリアでも購入できます。\n",
        ["新しいiPhoneとiPadは、9月20日から予約を受け付けます。"]),
    "polish-iso-8859-2": (
        "iso8859_2", ("iso8859_2",),
        "Rząd przedstawił wczoraj projekt budżetu na przyszły rok. Najwięcej pieniędzy trafi na "
        "ochronę zdrowia, edukację i transport publiczny. Premier zapowiedział, że deficyt nie "
        "przekroczy trzech procent. Opozycja skrytykowała jednak plan i zażądała szczegółowych "
        "wyjaśnień. Łódź, Gdańsk i Kraków otrzymają dodatkowe środki.\nŹródło: PAP\n",
        ["Łódź, Gdańsk i Kraków otrzymają dodatkowe środki."]),
    # In ISO-8859-2, "ą ś ź" read as "± ¶ Ľ" in windows-1250, which the detector finds
    # messy; it then passed over ISO-8859-2 as a code page like it, and refused these two
    # (a notice in lines of about 80 characters, a news paragraph)
    "polish-iso-8859-2-notice": (
        "iso8859_2", ("iso8859_2",),
        "Uwaga! Z powodu awarii sieci wodociągowej w piątek nie będzie wody na ulicach\n"
        "Łąkowej, Słonecznej i Źródlanej. Przepraszamy za utrudnienia.\n",
        ["Łąkowej, Słonecznej i Źródlanej."]),
    "polish-iso-8859-2-news": (
        "iso8859_2", ("iso8859_2",),
        "W piątek po południu zarząd spółki ogłosił, że nowa linia tramwajowa połączy dworzec "
        "z osiedlem na północy miasta. Prace mają się zakończyć jesienią przyszłego roku, a "
        "koszt inwestycji przekroczy dwieście milionów złotych. Mieszkańcy skarżą się jednak "
        "na hałas i utrudnienia w ruchu.\n",
        ["Prace mają się zakończyć jesienią przyszłego roku"]),
    "russian-windows-1251": (
        "cp1251", ("cp1251",),
        "Правительство Москвы вчера представило проект бюджета на следующий год. Основное "
        "внимание уделено образованию, здравоохранению и общественному транспорту. Мэр заявил "
        "на пресс-конференции, что город сделает всё, чтобы каждый житель чувствовал себя в "
        "безопасности. Однако некоторые эксперты усомнились в источниках финансирования. "
        "Фото: © «Вести».\n",
        ["Мэр заявил на пресс-конференции", "финансирования. Фото: © «Вести»."]),
}


@pytest.mark.parametrize("name", LEGACY_SCRIPT_TEXTS)
def test_legacy_text_in_another_script_is_read_in_its_script(tmp_path, name):
    encoding, read_as, text, kept = LEGACY_SCRIPT_TEXTS[name]
    (tmp_path / "page.txt").write_bytes(text.encode(encoding))
    builtin_cli("run", tmp_path / "page.txt", "-o", tmp_path / "out.jsonl", "--no-progress")
    [record] = read_jsonl(tmp_path / "out.jsonl")
    for sentence in kept:
        assert sentence in record["text"]
    assert record["detections"]["encoding"]["encoding"] in read_as



#: A Polish site's menu in windows-1250 (written for this test), as a scraper keeps it and as
#: a page without a charset: short lines whose "ą" and "ł" windows-1252 reads as "¹" and "³"
#: inside words ("G³ówna", "Urz¹d"); the detector finds both readings as clean, and windows-1252
#: was taken.
POLISH_MENU = ("Strona główna\nAktualności\nOgłoszenia\nUrząd gminy\nRada gminy\nSołectwa\n"
               "Kontakt\n")
POLISH_PAGE = ("<html><head><title>Urząd Gminy</title></head><body><ul><li>Strona główna</li>"
               "<li>Ogłoszenia</li><li>Przetargi</li><li>Kontakt</li></ul><p>Urząd jest czynny "
               "od poniedziałku do piątku w godzinach 7.30-15.30.</p></body></html>")


@pytest.mark.parametrize("name, text, kept", [
    ("menu.txt", POLISH_MENU, "Urząd gminy"),
    ("page.html", POLISH_PAGE, "Urząd jest czynny od poniedziałku do piątku")],
    ids=["text", "html"])
def test_polish_in_windows_1250_is_not_read_as_windows_1252(tmp_path, name, text, kept):
    (tmp_path / name).write_bytes(text.encode("cp1250"))
    builtin_cli("run", tmp_path / name, "-o", tmp_path / "out.jsonl", "--no-progress")
    [record] = read_jsonl(tmp_path / "out.jsonl")
    assert kept in record["text"]
    assert record["detections"]["encoding"]["encoding"] == "cp1250"
