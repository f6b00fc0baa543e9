"""Scrapy integration: the `news` spider and the clean-corpus item pipeline, for real.

The fixture news site (fixtures/site) is served from a local HTTP server in a thread; the
real ``scrapy crawl news`` command runs as a subprocess from the repository root, as a user
runs it. Politeness delays are switched off with ``-s`` here only.
"""
from __future__ import annotations

import gzip
import http.server
import json
import os
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import scrapy
from scrapy.exceptions import DropItem, NotConfigured, UsageError
from scrapy.http import HtmlResponse, Response
from scrapy.utils.test import get_crawler

from clean_corpus import Plugin, hookimpl
from clean_corpus.config import Config, ConfigError
from clean_corpus.crawl import PIPELINE_PATH, CleanCorpusAddon, CleanCorpusPipeline
from clean_corpus.plugins import PluginRegistry
from clean_corpus.testing import cli, read_jsonl, read_jsonl_if_any
from clean_corpus_spiders.news import NewsSpider, Page, classify, feed_links, xml_kind

REPO = Path(__file__).resolve().parents[1]
SITE = REPO / "fixtures" / "site"
BIN = Path(sys.executable).parent
#: The host the fixture feed and sitemap name; the server puts its own origin instead.
FIXTURE_ORIGIN = b"http://www.courrier-des-rives.test"

ARTICLES = {
    "/2024/03/12/port-lanvel-extension-du-quai.html",
    "/2024/03/13/nappes-phreatiques-hiver-sec.html",
    "/2024/03/14/tramway-ligne-b-retards.html",
    "/2024/03/15/festival-baroque-abbaye.html",
    "/2024/03/15/hopital-urgences-renforts-ete.html",  # linked from the section page only
}
LISTINGS = {"/", "/rubrique/region.html"}
DISALLOWED = "/prive/abonnes-enquete-logement.html"  # an article, but robots.txt says no
MISSING = "/2024/03/11/digue-de-kermor-travaux.html"  # linked from the front page, 404
FAST = ("-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False")


# ----------------------------------------------------------------------- the site
class Site:
    """fixtures/site over HTTP on 127.0.0.1:<free port>, logging every request."""

    def __init__(self):
        site = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=str(SITE), **kwargs)

            def send_head(self):
                target = Path(self.translate_path(self.path))
                if target.suffix == ".xml" and target.is_file():
                    # Feeds and sitemaps hold absolute URLs: point them at this server.
                    body = target.read_bytes().replace(FIXTURE_ORIGIN, site.origin.encode())
                    self.send_response(200)
                    self.send_header("Content-Type", "application/xml")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    import io
                    return io.BytesIO(body)
                return super().send_head()

            def log_request(self, code="-", size="-"):
                site.requests.append((self.path, int(code)))
                site.agents.append(self.headers.get("User-Agent", ""))

            def log_message(self, *args):
                pass

        self.requests: list[tuple[str, int]] = []
        self.agents: list[str] = []
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def paths(self) -> set[str]:
        return {path for path, _ in self.requests}

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def site():
    served = Site()
    yield served
    served.close()


def crawl(start_url: str, out: Path, *args: str, env: dict | None = None):
    """``scrapy crawl news -a start_url=URL -O OUT ARGS`` from the repository root."""
    env = {**{k: v for k, v in os.environ.items()
              if k not in ("PYTHONPATH", "SCRAPY_SETTINGS_MODULE")}, **(env or {})}
    result = subprocess.run(
        [str(BIN / "scrapy"), "crawl", "news", "-a", f"start_url={start_url}",
         "-O", str(out), *FAST, *args],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    return result






def path_of(url: str) -> str:
    return urlsplit(url).path


def h1_of(path: str) -> str:
    html = (SITE / path.lstrip("/")).read_text(encoding="utf-8")
    return HtmlResponse(url="http://x/", body=html.encode(), encoding="utf-8") \
        .xpath("normalize-space(//h1)").get()


def corpus_level_plugins() -> list[str]:
    """Plugins that decide over the corpus (they observe documents): their decisions
    depend on what else was seen, so per-page comparisons leave them out."""
    registry = PluginRegistry(Config())
    return sorted({name for hook in ("observe", "corpus_ready", "revise")
                   for name in registry.chain(hook)})


# ------------------------------------------------------------------ crawling the site
def test_crawl_from_front_page_emits_every_allowed_article_and_nothing_else(site, tmp_path):
    out = tmp_path / "out.jsonl"
    result = crawl(site.origin + "/", out)
    records = read_jsonl(out)

    assert {path_of(r["url"]) for r in records} == ARTICLES
    assert len(records) == len(ARTICLES)  # each article once
    # The records are the articles' own text, through the clean-corpus chain.
    for record in records:
        assert record["schema_version"] and record["id"] and record["source"] == record["url"]
        assert record["title"] == h1_of(path_of(record["url"]))
        assert len(record["text"]) > 500
        assert "Accéder au contenu principal" not in record["text"]
    # robots.txt was read, and the page it forbids was never fetched.
    assert ("/robots.txt", 200) in site.requests
    assert not any(path.startswith("/prive/") for path in site.paths)
    # The dead link was tried, and is no record; front and section pages were only followed.
    assert (MISSING, 404) in site.requests
    assert LISTINGS <= site.paths
    # The crawler says who it is.
    assert all(agent.startswith("clean-corpus/") for agent in site.agents)
    # Rejections go beside the output, as with `clean-corpus run -o out.jsonl`.
    assert (tmp_path / "out.rejected.jsonl").read_text() == ""
    assert "'clean_corpus/written': 5" in result.stderr


@pytest.mark.parametrize("start", ["/feed.xml", "/sitemap.xml"])
def test_crawl_from_feed_or_sitemap(site, tmp_path, start):
    out = tmp_path / "out.jsonl"
    crawl(site.origin + start, out)
    assert {path_of(r["url"]) for r in read_jsonl(out)} == ARTICLES
    assert not any(path.startswith("/prive/") for path in site.paths)


def test_max_pages_stops_after_that_many_articles(site, tmp_path):
    out = tmp_path / "out.jsonl"
    crawl(site.origin + "/", out, "-a", "max_pages=2")
    records = read_jsonl(out)
    assert len(records) == 2
    assert {path_of(r["url"]) for r in records} <= ARTICLES


def test_allowed_domains_keeps_the_crawl_in(site, tmp_path):
    # The same server under another name: the feed's links (to 127.0.0.1) are offsite.
    out = tmp_path / "out.jsonl"
    start = site.origin.replace("127.0.0.1", "localhost") + "/feed.xml"
    crawl(start, out, "-a", "allowed_domains=localhost")
    assert read_jsonl(out) == []
    assert site.paths == {"/robots.txt", "/feed.xml"}


def test_pause_and_resume_with_jobdir(site, tmp_path):
    out, job = tmp_path / "out.jsonl", tmp_path / "job"
    # Stopped early (as Ctrl-C would), then resumed with -o, which appends.
    first = crawl(site.origin + "/", out, "-s", f"JOBDIR={job}", "-s", "CLOSESPIDER_PAGECOUNT=4")
    assert "closespider_pagecount" in first.stderr
    done = {path_of(r["url"]) for r in read_jsonl(out)}
    assert done and done < ARTICLES
    fetched_before = len(site.requests)
    resume = [str(BIN / "scrapy"), "crawl", "news", "-a", f"start_url={site.origin}/",
              "-o", str(out), "-s", f"JOBDIR={job}", *FAST]
    result = subprocess.run(resume, cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    records = [path_of(r["url"]) for r in read_jsonl(out)]
    assert sorted(records) == sorted(ARTICLES)  # every article once, none twice
    # Pages fetched before the pause are not fetched again.
    again = [path for path, _ in site.requests[fetched_before:]]
    assert not set(again) & (done | {"/"})
    # The rejections of each part are kept apart: -O gave out.rejected.jsonl, the resumed
    # part (-o appends to the records) its own out.rejected.TIME.jsonl.
    assert (tmp_path / "out.rejected.jsonl").is_file()
    assert len(list(tmp_path.glob("out.rejected.*.jsonl"))) == 1


# ----------------------------------------------------------- crawl versus clean-corpus run
def test_crawled_records_equal_cli_records_of_the_pages_fetched(site, tmp_path):
    """Same pages, same chain: a crawl and `clean-corpus run` on the saved pages agree.

    The pages are saved by the same spider with the pipeline off (the body fetched, with
    its URL, which trafilatura's metadata uses: a page without a site name gets its host).
    Corpus-level detectors see "the pages so far" in a crawl and the whole input in a CLI
    run, so this page-by-page comparison leaves them out (test below for one page, all in).
    """
    corpus_level = corpus_level_plugins()
    disable = ",".join(corpus_level)
    crawled = tmp_path / "crawled.jsonl"
    crawl(site.origin + "/", crawled, "-s", f"CLEAN_CORPUS_DISABLE={disable}")
    raw = tmp_path / "raw.jsonl"
    crawl(site.origin + "/", raw, "-s", "CLEAN_CORPUS_ENABLED=False")

    pages = read_jsonl(raw)
    assert {path_of(p["url"]) for p in pages} == ARTICLES
    for page in pages:  # the HTML saved is the body the server sent
        assert page["html"] == (SITE / path_of(page["url"]).lstrip("/")).read_text("utf-8")

    cli_out = tmp_path / "cli.jsonl"
    result = cli("run", raw, "-o", cli_out, "--no-progress",
                          *[arg for name in corpus_level for arg in ("--disable", name)])
    assert result.returncode == 0, result.stderr

    def comparable(record):
        return {k: v for k, v in record.items() if k not in ("source", "id")}

    by_url = {r["url"]: comparable(r) for r in read_jsonl(cli_out)}
    records = read_jsonl(crawled)
    assert len(records) == len(by_url) == len(ARTICLES)
    for record in records:
        assert comparable(record) == by_url[record["url"]]


def test_one_page_crawled_equals_cli_with_every_plugin(site, tmp_path):
    url = site.origin + "/2024/03/15/hopital-urgences-renforts-ete.html"
    crawled = tmp_path / "crawled.jsonl"
    crawl(url, crawled, "-a", "max_pages=1")
    [record] = read_jsonl(crawled)

    saved = tmp_path / "page.jsonl"
    body = (SITE / "2024/03/15/hopital-urgences-renforts-ete.html").read_text("utf-8")
    saved.write_text(json.dumps({"url": url, "html": body}) + "\n", encoding="utf-8")
    cli_out = tmp_path / "cli.jsonl"
    assert cli("run", saved, "-o", cli_out, "--no-progress").returncode == 0
    [expected] = read_jsonl(cli_out)
    assert record["source"] == url and expected["source"] == f"{saved}#L1"
    assert {k: v for k, v in record.items() if k not in ("source", "id")} == \
        {k: v for k, v in expected.items() if k not in ("source", "id")}


def test_rejected_pages_are_dropped_and_written_like_the_cli_does(site, tmp_path):
    config = tmp_path / "strict.toml"
    config.write_text("[run]\nmax_bytes = 2000\n", encoding="utf-8")
    out, rejected = tmp_path / "out.jsonl", tmp_path / "rejected.jsonl"
    result = crawl(site.origin + "/", out, "-s", f"CLEAN_CORPUS_CONFIG={config}",
                   "-s", f"CLEAN_CORPUS_REJECTED={rejected}")
    assert read_jsonl(out) == []
    entries = read_jsonl(rejected)
    assert {path_of(e["url"]) for e in entries} == ARTICLES
    assert all(e["status"] == "rejected" and e["reasons"] for e in entries)
    assert "'clean_corpus/rejected': 5" in result.stderr
    for entry in entries:  # each drop is logged with its reason
        assert f"clean-corpus rejected {entry['url']}: {entry['reasons'][0]}" in result.stderr

    # Same entries as `clean-corpus run --rejected` gives for the same pages.
    raw = tmp_path / "raw.jsonl"
    crawl(site.origin + "/", raw, "-s", "CLEAN_CORPUS_ENABLED=False")
    cli_rejected = tmp_path / "cli-rejected.jsonl"
    cli("run", raw, "-o", tmp_path / "cli.jsonl", "--rejected", cli_rejected,
                 "--config", config, "--no-progress")
    cli_entries = {e["url"]: e for e in read_jsonl(cli_rejected)}
    for entry in entries:
        expected = cli_entries[entry["url"]]
        assert entry.keys() == expected.keys()
        assert {k: v for k, v in entry.items() if k not in ("source", "id")} == \
            {k: v for k, v in expected.items() if k not in ("source", "id")}


def test_a_plugin_failing_on_one_page_does_not_stop_the_crawl(site, tmp_path, plugin_env):
    # The example third-party package (tests/plugin_package, installed by pip for real)
    # has a plugin that raises on pages containing a configured string.
    config = tmp_path / "faults.toml"
    config.write_text('[plugin.faults]\nfail_on = "tramway"\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = crawl(site.origin + "/", out, "-s", f"CLEAN_CORPUS_CONFIG={config}",
                   "-s", "CLEAN_CORPUS_ENABLE=faults", env=plugin_env)
    failed = "/2024/03/14/tramway-ligne-b-retards.html"
    assert {path_of(r["url"]) for r in read_jsonl(out)} == ARTICLES - {failed}
    [entry] = read_jsonl(tmp_path / "out.rejected.jsonl")
    assert (entry["status"], path_of(entry["url"]), entry["plugin"]) == ("failed", failed, "faults")
    assert "RuntimeError" in entry["error"]
    assert "'clean_corpus/failed/faults': 1" in result.stderr
    assert f"ERROR: clean-corpus: {site.origin}{failed} failed in plugin faults" in result.stderr


# ------------------------------------------------------- the pipeline inside Scrapy
@pytest.fixture
def make_pipeline(tmp_path):
    opened = []

    def make(*plugins, **settings):
        # Plugin objects are registered directly (so a failure is blamed on the right one).
        crawler = get_crawler(NewsSpider, {"ADDONS": {CleanCorpusAddon: 0},
                                           "CLEAN_CORPUS_REJECTED": str(tmp_path / "rej.jsonl"),
                                           **settings})
        pipeline = CleanCorpusPipeline.from_crawler(crawler, plugins=plugins)
        pipeline.open_spider(scrapy.Spider(name="news"))
        opened.append(pipeline)
        return pipeline

    yield make
    for pipeline in opened:
        pipeline.close_spider()


ARTICLE = SITE / "2024/03/13/nappes-phreatiques-hiver-sec.html"


def test_addon_installs_the_pipeline_and_can_be_switched_off():
    crawler = get_crawler(NewsSpider, {"ADDONS": {CleanCorpusAddon: 0}})
    assert PIPELINE_PATH in crawler.settings.getdict("ITEM_PIPELINES")
    assert isinstance(CleanCorpusPipeline.from_crawler(crawler), CleanCorpusPipeline)
    off = get_crawler(NewsSpider, {"ADDONS": {CleanCorpusAddon: 0}, "CLEAN_CORPUS_ENABLED": False})
    with pytest.raises(NotConfigured):
        CleanCorpusPipeline.from_crawler(off)


def test_a_bad_config_stops_the_crawl_before_it_starts(tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text("[plugins\n", encoding="utf-8")
    # Any spider: the pipeline refuses to start.
    with pytest.raises(ConfigError):
        CleanCorpusPipeline.from_crawler(
            get_crawler(scrapy.Spider, {"CLEAN_CORPUS_CONFIG": str(broken)}))
    with pytest.raises(ConfigError, match="no_such"):
        CleanCorpusPipeline.from_crawler(
            get_crawler(scrapy.Spider, {"CLEAN_CORPUS_DISABLE": "no_such"}))
    # The news spider checks its settings as its crawler is made: a usage error, which
    # Scrapy's commands report in one line.
    with pytest.raises(UsageError, match="clean-corpus settings: .*no_such"):
        get_crawler(NewsSpider, {"CLEAN_CORPUS_DISABLE": "no_such"})


@dataclass
class ScrapedPage:
    url: str
    body: bytes


class PageItem(scrapy.Item):
    url = scrapy.Field()
    text = scrapy.Field()


def test_any_item_type_with_html_body_or_text(make_pipeline):
    # The same page is fed four times on purpose: duplicate detection would drop the copies.
    pipeline = make_pipeline(CLEAN_CORPUS_DISABLE=["duplicates", "text_reuse"])
    html = ARTICLE.read_text("utf-8")
    from_dict = pipeline.clean({"url": "http://site.test/a.html", "html": html})
    from_page = pipeline.clean(Page(url="http://site.test/a.html", html=html))
    from_body = pipeline.clean(ScrapedPage("http://site.test/a.html", html.encode("utf-8")))
    # `text` holding a page (response.text) is recognised as HTML, as the CLI's reader does.
    from_text = pipeline.clean(PageItem(url="http://site.test/a.html", text=html))
    assert from_dict == from_page == from_body == from_text
    assert from_dict["title"] == h1_of("/2024/03/13/nappes-phreatiques-hiver-sec.html")

    plain = pipeline.clean({"url": "http://site.test/n.txt", "text": "Une ligne.\nUne autre."})
    assert plain["text"] == "Une ligne.\n\nUne autre."
    # a page a converter turned into Markdown: its text, not its link addresses
    markdown = pipeline.clean({"url": "http://site.test/m", "markdown":
                               "Une [ligne](http://site.test/l).\n\n**Une** autre."})
    assert markdown["text"] == "Une ligne.\n\nUne autre." and "extra" not in markdown
    # Bytes in another encoding are decoded and the encoding reported, as for files.
    latin_bytes = html.encode("latin-1", "replace")
    latin = pipeline.clean(ScrapedPage("http://site.test/l.html", latin_bytes))
    assert latin["detections"]["encoding"]["detected"] is True
    assert latin["text"] == from_dict["text"].encode("latin-1", "replace").decode("latin-1")

    other = {"name": "not a page"}
    assert pipeline.clean(other) is other  # items without a page pass through
    stats = pipeline.crawler.stats
    assert stats.get_value("clean_corpus/written") == 7
    assert stats.get_value("clean_corpus/skipped") == 1


class Exploding(Plugin):
    name = "exploding"

    @hookimpl
    def clean(self, document):
        if "boum" in (document.html or document.text or ""):
            raise RuntimeError("boum")


def test_a_failing_plugin_drops_that_page_only_and_is_counted(make_pipeline, tmp_path):
    pipeline = make_pipeline(Exploding())
    with pytest.raises(DropItem, match="exploding"):
        pipeline.clean({"url": "http://site.test/boum", "text": "boum"})
    with pytest.raises(DropItem, match="rejected"):
        pipeline.clean({"url": "http://site.test/empty", "text": "   "})
    with pytest.raises(DropItem, match="failed"):
        pipeline.clean(ScrapedPage("http://site.test/bin", bytes(range(32)) * 100))
    assert pipeline.clean({"url": "http://site.test/ok", "text": "Tout va bien."})["text"]
    pipeline.close_spider()

    stats = pipeline.crawler.stats
    assert stats.get_value("clean_corpus/failed") == 2
    assert stats.get_value("clean_corpus/failed/exploding") == 1
    assert stats.get_value("clean_corpus/rejected") == 1
    entries = {e["url"]: e for e in read_jsonl(tmp_path / "rej.jsonl")}
    assert entries["http://site.test/boum"]["plugin"] == "exploding"
    assert "RuntimeError: boum" in entries["http://site.test/boum"]["error"]
    assert entries["http://site.test/empty"]["reasons"] == ["empty input"]
    assert "binary" in entries["http://site.test/bin"]["error"]



def test_item_with_a_malformed_url_is_cleaned_with_its_url_kept(make_pipeline, tmp_path):
    # Spider code can build an item with any url. The url is metadata: a page whose url
    # Python cannot take apart is cleaned as one without a host, as the JSONL reader and
    # clean() do (it used to fail with "Invalid IPv6 URL"); the crawl goes on.
    pipeline = make_pipeline()
    item = pipeline.clean({"url": "http://[site.test/a", "text": "Une ligne de texte."})
    assert item["text"] == "Une ligne de texte." and item["url"] == "http://[site.test/a"
    assert pipeline.clean({"url": "http://site.test/ok", "text": "Tout va bien."})["text"]
    pipeline.close_spider()
    stats = pipeline.crawler.stats
    assert stats.get_value("clean_corpus/documents") == 2
    assert stats.get_value("clean_corpus/written") == 2
    assert read_jsonl_if_any(tmp_path / "rej.jsonl") == []


class Recorder(Plugin):
    """Watches the corpus-level hooks the way a duplicate detector would use them."""

    name = "recorder"

    def __init__(self):
        super().__init__()
        self.events: list = []
        self.seen = 0

    @hookimpl
    def run_start(self, run):
        self.events.append("run_start")

    @hookimpl
    def observe(self, document):
        self.seen += 1

    @hookimpl
    def corpus_ready(self, run):
        self.events.append(("corpus_ready", self.seen))

    @hookimpl
    def revise(self, document):
        self.events.append(("revise", self.seen))

    @hookimpl
    def run_end(self, run, stats):
        self.events.append(("run_end", stats["written"]))


@pytest.mark.parametrize("every, expected", [
    (1, [("corpus_ready", 1), ("revise", 1), ("corpus_ready", 2), ("revise", 2),
         ("corpus_ready", 3), ("revise", 3), ("corpus_ready", 4), ("revise", 4)]),
    # Every 2nd document, but always before the first revision, and once more at the end
    # for the documents observed since the last call.
    (2, [("corpus_ready", 1), ("revise", 1), ("revise", 2), ("corpus_ready", 3),
         ("revise", 3), ("revise", 4), ("corpus_ready", 4)]),
])
def test_corpus_level_hooks_see_the_documents_so_far(make_pipeline, every, expected):
    recorder = Recorder()
    pipeline = make_pipeline(recorder, CLEAN_CORPUS_READY_EVERY=every)
    for n in range(4):
        pipeline.clean({"url": f"http://site.test/{n}", "text": f"Article numéro {n}."})
    pipeline.close_spider()
    assert recorder.events == ["run_start", *expected, ("run_end", 4)]


def test_disable_setting_takes_a_comma_separated_list(make_pipeline):
    pipeline = make_pipeline(CLEAN_CORPUS_DISABLE="empty_text, size_limit")
    names = [info.name for info in pipeline.chain.registry.infos]
    assert "empty_text" not in names and "size_limit" not in names
    assert pipeline.clean({"url": "http://site.test/e", "text": "  "})["text"] == ""


# ------------------------------------------------------------ the spider's decisions
def _html(path: str, url: str | None = None) -> HtmlResponse:
    return HtmlResponse(url=url or "http://site.test" + path,
                        body=(SITE / path.lstrip("/")).read_bytes(), encoding="utf-8")


@pytest.mark.parametrize("path", sorted(ARTICLES | {DISALLOWED}))
def test_article_pages_are_articles(path):
    kind, signals = classify(_html(path))
    assert kind == "article", signals


@pytest.mark.parametrize("path", ["/index.html", "/rubrique/region.html"])
def test_front_and_section_pages_are_listings(path):
    kind, signals = classify(_html(path))
    assert kind == "listing", signals


def test_article_signals_hold_without_url_or_metadata_help():
    # The hospital page has no og:type and no <article>: its prose decides, even at a
    # URL that says nothing.
    page = _html("/2024/03/15/hopital-urgences-renforts-ete.html", "http://site.test/p?id=7")
    assert classify(page)[0] == "article"


def page(html: str, url: str = "http://s.test/x") -> HtmlResponse:
    return HtmlResponse(url=url, body=html.encode(), encoding="utf-8")


def test_json_ld_and_teaser_grids():
    sentence = "Une phrase d'article assez longue pour compter comme de la prose. "
    prose = f"<p>{sentence * 8}</p>"
    ld = '<script type="application/ld+json">{"@graph": [{"@type": "NewsArticle"}]}</script>'
    article = f"<html><head>{ld}</head><body><div>{prose}</div></body></html>"
    assert classify(page(article))[0] == "article"
    # A grid of teaser cards, each with a headline link and a long standfirst, is a listing
    # even though every standfirst looks like prose, with no metadata and a neutral URL.
    standfirst = "Un chapeau de présentation qui résume le sujet en deux phrases. " * 2
    cards = "".join(
        f'<article><h2><a href="/a{n}">Titre du sujet numéro {n} de la une</a></h2>'
        f"<p>{standfirst}</p></article>"
        for n in range(8))
    grid = f"<html><body>{cards}</body></html>"
    kind, signals = classify(page(grid, "http://s.test/economie"))
    assert kind == "listing", signals
    # The same standfirsts as the paragraphs of one text make an article.
    paragraphs = f"<p>{standfirst}</p>" * 8
    merged = f"<html><body><h1>Titre</h1><div>{paragraphs}</div></body></html>"
    kind, signals = classify(page(merged, "http://s.test/economie"))
    assert kind == "article", signals


ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<!-- a comment before the root -->
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Atom</title>
  <link rel="self" href="http://site.test/atom.xml"/>
  <entry><title>Un</title><link href="http://site.test/2024/01/02/un.html"/></entry>
  <entry><title>Deux</title><link rel="alternate" href="/2024/01/03/deux.html"/>
         <link rel="enclosure" href="http://site.test/deux.mp3"/></entry>
</feed>"""


def test_feeds_and_sitemaps_are_recognised_by_content():
    assert xml_kind(ATOM) == "feed"
    assert xml_kind((SITE / "feed.xml").read_bytes()) == "rss"
    assert xml_kind((SITE / "sitemap.xml").read_bytes()) == "urlset"
    assert xml_kind(b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml">'
                    b"<body><p>&lt;rss&gt; <feed></p></body></html>") is None
    assert feed_links(ATOM, "http://site.test/atom.xml") == [
        "http://site.test/2024/01/02/un.html", "http://site.test/2024/01/03/deux.html"]


def test_gzipped_sitemap_index_is_followed():
    spider = NewsSpider.from_crawler(get_crawler(NewsSpider), start_url="http://site.test/")
    index = (b'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/'
             b'sitemap/0.9"><sitemap><loc>http://site.test/s1.xml.gz</loc></sitemap>'
             b"<sitemap><loc>http://elsewhere.test/s.xml</loc></sitemap></sitemapindex>")
    requests = list(spider.parse(Response("http://site.test/sitemap.xml", body=index)))
    assert [r.url for r in requests] == ["http://site.test/s1.xml.gz"]  # offsite dropped
    urlset = (SITE / "sitemap.xml").read_bytes().replace(FIXTURE_ORIGIN, b"http://site.test")
    gzipped = Response("http://site.test/s1.xml.gz", body=gzip.compress(urlset))
    requests = list(spider.parse(gzipped))
    assert {path_of(r.url) for r in requests} == ARTICLES | LISTINGS
    # Likely articles are fetched first.
    assert all(r.priority == 1 for r in requests if path_of(r.url).startswith("/2024/"))


def test_spider_arguments_are_checked():
    with pytest.raises(ValueError, match="start_url"):
        NewsSpider()
    with pytest.raises(ValueError, match="http"):
        NewsSpider(start_url="ftp://site.test/")
    spider = NewsSpider(start_url="https://www.site.test/", max_pages="3")
    assert spider.allowed_domains == ["site.test"] and spider.max_pages == 3
    spider = NewsSpider(start_url="https://b.test/", allowed_domains="a.test, b.test:8080")
    assert spider.allowed_domains == ["a.test", "b.test"]
    with pytest.raises(ValueError, match="outside allowed_domains"):
        NewsSpider(start_url="https://feeds.c.test/rss", allowed_domains="a.test")


@pytest.mark.parametrize("start,settings,error", [
    ("http://127.0.0.1:9/", (), "ConnectionRefusedError"),  # nothing listens there
    (None, ("-s", "DOWNLOAD_MAXSIZE=100"), "Cancelled")])  # every page over the size limit
def test_pages_the_crawl_gives_up_on_are_counted_and_reported(site, tmp_path, start, settings,
                                                               error):
    out, stats_path = tmp_path / "out.jsonl", tmp_path / "stats.json"
    crawl(start or site.origin + "/", out, "-s", f"CLEAN_CORPUS_STATS={stats_path}",
          "-s", "RETRY_ENABLED=False", "-s", "ROBOTSTXT_OBEY=False", *settings)
    entries = read_jsonl(tmp_path / "out.rejected.jsonl")
    assert entries and all(e["status"] == "failed" and e["plugin"] == "download" for e in entries)
    assert error in entries[0]["error"]
    stats = json.loads(stats_path.read_text(encoding="utf-8"))
    assert stats["failed"] == len(entries) and stats["documents"] == stats["written"] + len(entries)
    assert stats["failed_plugins"] == {"download": len(entries)}
