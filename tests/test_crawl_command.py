"""`clean-corpus crawl`, a bare `scrapy runspider` on the shipped spider, item fields kept
in the record, CSV feeds, and bad settings: all against the fixture site on 127.0.0.1.

Every command runs from a folder outside the repository, so no Scrapy project
(scrapy.cfg) is found: what a user of the installed package gets.
"""
from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import scrapy
from scrapy.utils.test import get_crawler

import clean_corpus_spiders.news
from clean_corpus.crawl import CleanCorpusPipeline
from clean_corpus.document import schema_path
from clean_corpus.testing import cli, cli_env, read_jsonl
from test_crawl import ARTICLE, ARTICLES, FAST, Site, path_of

BIN = Path(sys.executable).parent
SCHEMA = json.loads(schema_path().read_text(encoding="utf-8"))


@pytest.fixture
def site():
    served = Site()
    yield served
    served.close()


def fast(*settings: str) -> list[str]:
    """``-s`` options without the politeness delays (tests only)."""
    return [*FAST, *settings]


def test_crawl_command_cleans_the_site_and_obeys_robots(site, tmp_path):
    out, stats = tmp_path / "out.jsonl", tmp_path / "stats.json"
    done = cli("crawl", site.origin + "/", "-o", out, "--stats", stats, *fast(), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    records = read_jsonl(out)
    assert {path_of(r["url"]) for r in records} == ARTICLES
    for record in records:
        jsonschema.validate(record, SCHEMA)
        assert len(record["text"]) > 500
    assert ("/robots.txt", 200) in site.requests
    assert not any(path.startswith("/prive/") for path in site.paths)
    assert all(agent.startswith("clean-corpus/") for agent in site.agents)
    counts = json.loads(stats.read_text())
    assert counts["written"] == len(ARTICLES)
    assert counts["documents"] == counts["written"] + counts["rejected"] + counts["failed"]
    assert (tmp_path / "out.rejected.jsonl").exists()
    assert f"{len(ARTICLES)} written" in done.stderr
    assert "Traceback" not in done.stderr


def test_crawl_command_takes_plugin_options_and_several_start_urls(site, tmp_path):
    out = tmp_path / "out.jsonl"
    other = site.origin.replace("127.0.0.1", "localhost")
    starts = {"/2024/03/12/port-lanvel-extension-du-quai.html": site.origin,
              "/2024/03/14/tramway-ligne-b-retards.html": other}
    # (no --max-pages: which pages a limit lets in depends on the order the two sites
    # answer, as pages link to each other)
    done = cli("crawl", *(origin + path for path, origin in starts.items()),
               "-o", out, "--set", "quality.min_words=5000", "--set", "quality.policy='drop'",
               *fast(), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert read_jsonl(out) == []  # every page is too short for 5000 words: rejected
    rejected = read_jsonl(tmp_path / "out.rejected.jsonl")
    # each start URL was crawled, on its own host, and dropped by the option set
    reasons = {(e["url"].split("/2024/")[0], path_of(e["url"])): e["reasons"] for e in rejected}
    for path, origin in starts.items():
        assert any("min_words 5000" in r for r in reasons[origin, path]), reasons


def test_crawl_without_a_plugin_that_failed_to_load_ends_with_exit_status_1(site, tmp_path):
    """A crawl goes on with the plugins that loaded, as `clean-corpus run` does, and says
    the one that did not: once as it loads, in the summary, in --stats, and by its exit
    status."""
    folder = tmp_path / "local"
    folder.mkdir()
    (folder / "broken.py").write_text("import no_such_module\n", encoding="utf-8")
    out, stats = tmp_path / "out.jsonl", tmp_path / "stats.json"
    done = cli("crawl", site.origin + "/", "-o", out, "--stats", stats, "--plugins-dir", folder,
               *fast(), cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert {path_of(r["url"]) for r in read_jsonl(out)} == ARTICLES
    [error] = json.loads(stats.read_text())["plugin_errors"]
    assert (error["hook"], error["plugin"]) == ("load", "broken")
    assert "no_such_module" in error["error"]
    assert "plugin error in broken (load)" in done.stderr
    assert done.stderr.count("broken.py failed to load") == 1  # said once, not per registry
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("args, message", [
    (["ftp://site.test/"], "http(s) URL"),
    (["http://127.0.0.1:9/", "--set", "quality.min_words=abc"], "expects a whole number"),
    (["http://127.0.0.1:9/", "--disable", "no_such_plugin"], "no_such_plugin"),
])
def test_crawl_command_usage_errors_fetch_nothing(tmp_path, args, message):
    done = cli("crawl", *args, "-o", tmp_path / "out.jsonl", cwd=tmp_path)
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out.jsonl").exists()


@pytest.mark.parametrize("args, message", [
    (["-o", "folder"], "-o folder is a directory"),
    (["-o", "afile/out.jsonl"], "-o afile/out.jsonl: afile is a file, not a folder"),
    (["-o", "out.jsonl", "--stats", "folder"], "--stats folder is a directory"),
    (["-o", "out.jsonl", "--stats", "afile/s.json"], "afile is a file, not a folder"),
])
def test_crawl_files_that_cannot_be_written_are_usage_errors(tmp_path, args, message):
    """Each used to end in a traceback after the crawl, or (-o naming a folder) in a
    summary of records written nowhere."""
    (tmp_path / "folder").mkdir()
    (tmp_path / "afile").write_text("not a folder", encoding="utf-8")
    done = cli("crawl", "http://127.0.0.1:9/", *args, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert message in done.stderr and "Traceback" not in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile", "folder"]
    assert list((tmp_path / "folder").iterdir()) == []


def test_bare_runspider_on_the_shipped_spider_is_polite_and_cleans(site, tmp_path):
    spider_file = clean_corpus_spiders.news.__file__
    out = tmp_path / "out.jsonl"
    done = subprocess.run([str(BIN / "scrapy"), "runspider", spider_file, "-a",
                           f"start_url={site.origin}/", "-O", str(out), *fast()],
                          cwd=tmp_path, env=cli_env(), capture_output=True, text=True,
                          timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    records = read_jsonl(out)
    assert {path_of(r["url"]) for r in records} == ARTICLES
    assert all(r["schema_version"] and r["text"] for r in records)  # records, not raw pages
    assert ("/robots.txt", 200) in site.requests
    assert not any(path.startswith("/prive/") for path in site.paths)
    assert all(agent.startswith("clean-corpus/") for agent in site.agents)


def test_a_bad_config_setting_is_one_line_and_nothing_is_fetched(site, tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text("[plugins\n", encoding="utf-8")
    done = subprocess.run([str(BIN / "scrapy"), "runspider", clean_corpus_spiders.news.__file__,
                           "-a", f"start_url={site.origin}/", "-O", str(tmp_path / "o.jsonl"),
                           "-s", f"CLEAN_CORPUS_CONFIG={broken}"],
                          cwd=tmp_path, env=cli_env(), capture_output=True, text=True,
                          timeout=120)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    [line] = [l for l in done.stderr.splitlines() if "clean-corpus settings" in l]
    assert "is not valid TOML" in line and str(broken) in line
    assert site.requests == []
    done = cli("crawl", site.origin + "/", "-o", tmp_path / "o.jsonl", "--config", broken,
               cwd=tmp_path)
    assert done.returncode == 2 and "is not valid TOML" in done.stderr
    assert "Traceback" not in done.stderr and site.requests == []


class Story(scrapy.Item):
    url = scrapy.Field()
    html = scrapy.Field()
    author_id = scrapy.Field()
    tags = scrapy.Field()
    published = scrapy.Field()


def test_an_items_own_fields_are_kept_under_extra():
    from datetime import date

    crawler = get_crawler(scrapy.Spider, {"CLEAN_CORPUS_REJECTED": ""})
    pipeline = CleanCorpusPipeline.from_crawler(crawler)
    pipeline.open_spider(scrapy.Spider(name="stories"))
    try:
        record = pipeline.clean(Story(url="http://site.test/a.html",
                                      html=ARTICLE.read_text("utf-8"), author_id=42,
                                      tags=["port", "économie"], published=date(2024, 3, 13)))
        plain = pipeline.clean({"url": "http://site.test/b.txt",
                                "text": "Une ligne de texte assez longue pour un article."})
    finally:
        pipeline.close_spider()
    assert record["extra"] == {"author_id": 42, "tags": ["port", "économie"],
                               "published": "2024-03-13"}
    jsonschema.validate(record, SCHEMA)
    assert "extra" not in plain  # nothing of its own: no field


def test_csv_and_xml_feeds_hold_nested_fields_as_json(site, tmp_path):
    out = tmp_path / "out.csv"
    xml = tmp_path / "out.xml"
    done = subprocess.run([str(BIN / "scrapy"), "runspider", clean_corpus_spiders.news.__file__,
                           "-a", f"start_url={site.origin}/", "-O", str(out), "-O", str(xml),
                           *fast()],
                          cwd=tmp_path, env=cli_env(), capture_output=True, text=True,
                          timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    with open(out, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert {path_of(r["url"]) for r in rows} == ARTICLES
    for row in rows:
        assert isinstance(json.loads(row["detections"]), dict)
        removed = json.loads(row["removed"])
        assert isinstance(removed, list) and all("plugin" in r for r in removed)
        if row["section"]:
            assert isinstance(json.loads(row["section"]), list)
    from lxml import etree
    items = etree.parse(str(xml)).getroot()
    assert len(items) == len(ARTICLES)
    for item in items:
        assert isinstance(json.loads(item.findtext("detections")), dict)
