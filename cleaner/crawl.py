"""Scrapy integration: an item pipeline that runs the clean-corpus chain, and its add-on.

Enable it in a Scrapy project's ``settings.py`` with the add-on::

    ADDONS = {"clean_corpus.crawl.CleanCorpusAddon": 0}

or list the pipeline yourself (``ITEM_PIPELINES = {"clean_corpus.crawl.CleanCorpusPipeline":
500}``). Each item with an ``url`` and the page (``html``, ``body``, ``text`` or ``markdown``)
goes through
the very chain ``clean-corpus run`` uses and comes out as the record (a dict equal to
``Document.to_record()``), which Scrapy's feed exports write (``-O out.jsonl``). Rejected
and failed pages are dropped with :class:`scrapy.exceptions.DropItem` and written, with the
same entries as the CLI writes, to a JSON Lines file. Settings (all optional):

``CLEAN_CORPUS_ENABLED``
    ``False`` turns the pipeline off: items pass through untouched, so a crawl can save the
    raw pages (``{"url", "html"}``) for a later ``clean-corpus run``.
``CLEAN_CORPUS_CONFIG``
    Path of the TOML configuration file, as ``clean-corpus run --config`` (or a
    :class:`~clean_corpus.config.Config`, as ``clean-corpus crawl`` passes it).
``CLEAN_CORPUS_DISABLE`` / ``CLEAN_CORPUS_ENABLE``
    Plugin names (a list, or a comma-separated string with ``-s``), added to the config's.
``CLEAN_CORPUS_REJECTED``
    Where rejected and failed pages go (JSON Lines, the CLI's entry format). ``%(name)s`` and
    ``%(time)s`` are replaced as in feed URIs. Unset: beside the first local ``.jsonl`` feed,
    ``OUT.rejected.jsonl`` for ``-O OUT.jsonl`` (as the CLI does for ``-o OUT.jsonl``) and
    ``OUT.rejected.TIME.jsonl`` for ``-o OUT.jsonl``, which appends (resumed crawls);
    else no file. Empty: no file.
``CLEAN_CORPUS_READY_EVERY``
    Call ``corpus_ready`` after every N-th document (default 1); see below.
``CLEAN_CORPUS_STATS``
    Write the run's counts there as JSON at the end, as ``clean-corpus run --stats``.

Fields of an item other than the page (``url``, ``html``, ``body``, ``text``, ``markdown``,
``source``)
are kept in the record's ``extra`` object (values JSON cannot hold as their text). Feeds in
formats other than JSON (CSV, XML) get the nested fields (``detections``, ``removed``,
``section``, ``extra``) as JSON text: the add-on installs exporters that write them so.

Streaming and corpus-level detectors. ``clean-corpus run`` observes every document, calls
``corpus_ready`` once, then revises and judges each one. A crawl cannot wait for its end
before it emits records, so here each item is prepared, observed, and then — after
``corpus_ready`` has been called again — revised and judged at once. Corpus-level detectors
(duplicates, text reuse, site boilerplate) therefore decide with *the documents seen so far
in the crawl*: the first copy of a page is emitted before its duplicate is seen, and site
boilerplate is only learned once enough pages of a site have been observed. A record
already emitted is never taken back. ``corpus_ready`` is thus called many times in one run,
each call deciding on what was observed until then (the built-in detectors only take the
documents new since the previous call, so a crawl pays once per page); with a third-party
detector whose ``corpus_ready`` is costly, ``CLEAN_CORPUS_READY_EVERY = N`` calls it after
every N-th document only (and always before the first revision and once more at the end of the crawl,
so ``run_end`` saves profiles learned from every page). Pages in between are revised with
the decisions of the previous call. For decisions over the whole crawl, exactly as the CLI
makes them, crawl with ``CLEAN_CORPUS_ENABLED=False`` and run ``clean-corpus run`` on the
saved pages.

The chain runs on one worker thread, off the Twisted reactor, so downloads go on while a
page is being cleaned; one thread keeps items in arrival order and plugins single-threaded.
"""
from __future__ import annotations

import json
import logging
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.exporters import CsvItemExporter, XmlItemExporter

from clean_corpus.config import Config, ConfigError
from clean_corpus.document import Document
from clean_corpus.pipeline import (FAILED, REJECTED, WRITTEN, Chain, Outcome, RunContext,
                                   RunTally, error_text, write_stats)
from clean_corpus_plugins.readers import (UndecodableInput, decode_with_info, extra_fields,
                                          looks_like_html, make_document)

logger = logging.getLogger(__name__)

PIPELINE_PATH = "clean_corpus.crawl.CleanCorpusPipeline"
ADDON_PATH = "clean_corpus.crawl.CleanCorpusAddon"
#: Item fields that carry the page; every other field goes to the record's ``extra``.
PAGE_FIELDS = ("url", "html", "body", "text", "markdown", "source")
#: Where the add-on puts the pipeline: after pipelines that fill items (lower numbers),
#: before pipelines that store records (higher numbers).
PIPELINE_PRIORITY = 500
STATS_PREFIX = "clean_corpus"


def _names(settings, key: str) -> list[str]:
    # getlist splits "a,b" given with -s; strip the blanks people type after commas.
    return [name.strip() for name in settings.getlist(key) if name.strip()]


def config_from_settings(settings) -> Config:
    """The run's :class:`Config` from ``CLEAN_CORPUS_*`` settings (the CLI's options)."""
    given = settings.get("CLEAN_CORPUS_CONFIG") or None
    config = replace(given) if isinstance(given, Config) else Config.load(given)
    config.disable += _names(settings, "CLEAN_CORPUS_DISABLE")
    config.enable += _names(settings, "CLEAN_CORPUS_ENABLE")
    # One process, one thread: the chain runs per item as it arrives.
    config.workers = 1
    return config


def rejected_path(settings, spider_name: str) -> Path | None:
    """Where rejections go: the setting, else beside the first local ``.jsonl`` feed."""
    value = settings.get("CLEAN_CORPUS_REJECTED")
    params = {"name": spider_name,
              "time": datetime.now(timezone.utc).replace(microsecond=0).isoformat()
                      .replace(":", "-")}
    if value is not None:
        return Path(str(value) % params) if value else None
    for uri, options in settings.getdict("FEEDS").items():
        parts = urlsplit(str(uri))
        if parts.scheme not in ("", "file") or "%(" in str(uri):
            continue
        path = Path(parts.path if parts.scheme == "file" else str(uri))
        if path.suffix != ".jsonl":
            continue
        stem = path.name.removesuffix(".jsonl")
        if not (options or {}).get("overwrite", False):
            # -o appends records run after run (a resumed JOBDIR crawl): keep each run's
            # rejections too, in a file of its own, instead of replacing the last one.
            return path.with_name(f"{stem}.rejected.{params['time']}.jsonl")
        return path.with_name(f"{stem}.rejected.jsonl")
    return None


class CleanCorpusPipeline:
    """Turns crawled pages into clean-corpus records with the chain the CLI uses.

    Built with :meth:`from_crawler`; ``open_spider`` starts a run (``run_start``),
    ``process_item`` cleans one page and returns its record or raises ``DropItem``,
    ``close_spider`` ends the run (``run_end``). Items of any type are read through
    ``itemadapter``: ``url``, and the page in ``html`` (always HTML), ``body`` or ``text``
    (bytes are decoded as the CLI decodes files; HTML is recognised as the CLI's text reader
    does), or ``markdown`` (a page converted to Markdown, read as the CLI reads ``.md``
    files). Items with none of the four pass through untouched. A page whose cleaning fails
    is logged, counted in the crawl stats (``clean_corpus/failed``) and dropped; the crawl
    goes on. See the module docstring for settings and for how corpus-level detectors see a
    crawl.
    """

    def __init__(self, crawler, config: Config, ready_every: int = 1):
        self.crawler = crawler
        self.stats = crawler.stats
        self.config = config
        self.ready_every = max(1, ready_every)
        # Built now, so that a wrong plugin name stops the crawl before it fetches anything.
        self.chain = Chain(config)
        self.run_ctx: RunContext | None = None
        self.rejected = None
        self._pool = None
        self._unready = 0          # documents observed since the last corpus_ready
        self._ready_called = False
        self._serial = 0
        self._spider_name = "crawl"
        self.tally = RunTally(self.chain.registry)

    @classmethod
    def from_crawler(cls, crawler, plugins=()):
        """The pipeline for ``crawler``'s settings; ``plugins`` are plugin objects to
        register directly (Scrapy's settings would copy them)."""
        settings = crawler.settings
        if not settings.getbool("CLEAN_CORPUS_ENABLED", True):
            raise NotConfigured("CLEAN_CORPUS_ENABLED is off")
        try:
            return cls(crawler, config_from_settings(settings).with_plugins(plugins),
                       settings.getint("CLEAN_CORPUS_READY_EVERY", 1))
        except (ConfigError, ValueError) as exc:
            # A wrong setting must stop the crawl before it fetches anything.
            raise ConfigError(f"clean-corpus settings: {exc}") from exc

    # ------------------------------------------------------------------ run life
    def open_spider(self, spider=None):
        spider = spider or self.crawler.spider
        self._spider_name = getattr(spider, "name", None) or "crawl"
        path = rejected_path(self.crawler.settings, self._spider_name)
        self.run_ctx = RunContext(self.config, output=None, rejected=path, failures=path)
        if path is not None:
            self.rejected = self.chain.writers()["jsonl"](path)
        self.tally = RunTally(self.chain.registry)  # the clock starts with the spider
        if self.tally.plugin_errors:  # plugins that failed to load
            self.stats.inc_value(f"{STATS_PREFIX}/plugin_errors", len(self.tally.plugin_errors))
        self._corpus_hook("run_start", run=self.run_ctx)

    def close_spider(self, spider=None):
        if self.run_ctx is None:
            return
        self._stop_thread()
        if self._unready:
            # Learned state (site profiles) is saved in run_end: let it include every page.
            self._corpus_hook("corpus_ready", run=self.run_ctx)
        stats = self.tally.stats()  # as `clean-corpus run` reports them (and --stats)
        self._corpus_hook("run_end", run=self.run_ctx, stats=stats)
        stats["plugin_errors"] = list(self.tally.plugin_errors)  # with run_end's own
        stats_path = self.crawler.settings.get("CLEAN_CORPUS_STATS")
        if stats_path:
            write_stats(Path(stats_path), stats)
        if self.rejected is not None:
            self.rejected.close()
            self.rejected = None
        self.run_ctx = None
        logger.info("clean-corpus: %(documents)d documents: %(written)d written, "
                    "%(rejected)d rejected, %(failed)d failed", stats)

    # -------------------------------------------------------------------- items
    async def process_item(self, item, spider=None):
        # Decoding and cleaning run off the reactor; counting and dropping happen here.
        return self._finish(item, await self._in_thread(self.outcome_of, item))

    def clean(self, item):
        """Synchronous ``process_item``: the record for ``item``, or ``DropItem``."""
        return self._finish(item, self.outcome_of(item))

    def _finish(self, item, outcome: Outcome | None):
        if outcome is None:
            self.stats.inc_value(f"{STATS_PREFIX}/skipped")
            return item
        return self.deliver(outcome)

    def outcome_of(self, item) -> Outcome | None:
        """What becomes of ``item``; ``None`` when it carries no page."""
        document = self.document_for(item)
        if document is None or isinstance(document, Outcome):
            return document
        return self.outcome_for(document)

    def document_for(self, item) -> Document | Outcome | None:
        """The chain's input for ``item``; ``None`` when the item carries no page, a failed
        :class:`Outcome` when its bytes are no text (as the CLI's readers report files)."""
        adapter = ItemAdapter(item)
        fields = {key: adapter.get(key) for key in ("html", "body", "text", "markdown")
                  if adapter.get(key) is not None}
        if not fields:
            if adapter.get("download_error"):  # a page the crawl gave up on: counted
                url = str(adapter.get("url") or f"{self._spider_name}#{self._serial}")
                return Outcome(FAILED, url, Document(source=url, url=url), plugin="download",
                               error=str(adapter["download_error"]))
            return None
        url = adapter.get("url")
        url = str(url) if url else None
        self._serial += 1
        source = str(adapter.get("source") or url or f"{self._spider_name}#{self._serial}")
        key, raw = next(iter(fields.items()))
        encoding = None
        if isinstance(raw, (bytes, bytearray)):
            try:
                raw, encoding = decode_with_info(bytes(raw))
            except UndecodableInput as exc:
                return self._unreadable(source, url, exc)
        raw = str(raw)
        # Same document as the CLI's readers make: an ``html`` field is HTML; ``body`` and
        # ``text`` hold HTML when they look like it (``response.text`` is a page).
        try:
            document = make_document(Path(source), raw, encoding, source=source, url=url,
                                     html=key == "html" or looks_like_html(raw),
                                     markdown=key == "markdown")
        except ValueError as exc:
            # An item built by spider code can carry a malformed URL ("http://[x"): it is
            # reported as failed, as the JSONL reader reports such a line, not lost.
            return self._unreadable(source, url, exc)
        document.extra = extra_fields(adapter.asdict(), PAGE_FIELDS)
        return document

    @staticmethod
    def _unreadable(source: str, url: str | None, exc: Exception) -> Outcome:
        return Outcome(FAILED, source, Document(source=source, url=url), plugin="crawl",
                       error=error_text(exc))

    def outcome_for(self, document) -> Outcome:
        """The whole chain for one document: prepare, observe, corpus_ready, finish."""
        try:
            outcome = self.chain.observe(self.chain.prepare(document))
            if outcome.status == WRITTEN:
                self._unready += 1
                if not self._ready_called or self._unready >= self.ready_every:
                    self._corpus_hook("corpus_ready", run=self.run_ctx)
            return self.chain.finish(outcome, self.tally)
        except Exception as exc:  # the chain isolates plugins; this guards the crawl anyway
            return self.chain.failed(document, exc)

    def deliver(self, outcome: Outcome):
        """Count the outcome; return the record, or write the rejection and drop the item."""
        self.tally.count(outcome)
        self.stats.inc_value(f"{STATS_PREFIX}/documents")
        self.stats.inc_value(f"{STATS_PREFIX}/{outcome.status}")
        if outcome.status == WRITTEN:
            return outcome.document.to_record()
        if self.rejected is not None:
            self.rejected.write(outcome.report())
        if outcome.status == REJECTED:
            # Rejections are expected outcomes (listed in the rejected file), not warnings.
            raise DropItem(f"clean-corpus rejected {outcome.source}: "
                           f"{'; '.join(outcome.reasons)}", log_level="INFO")
        self.stats.inc_value(f"{STATS_PREFIX}/failed/{outcome.plugin}")
        logger.error("clean-corpus: %s failed in plugin %s: %s",
                     outcome.source, outcome.plugin, outcome.error)
        raise DropItem(f"clean-corpus failed on {outcome.source} in plugin {outcome.plugin}: "
                       f"{outcome.error}", log_level="ERROR")

    # -------------------------------------------------------------------- helpers
    def _corpus_hook(self, name: str, **kwargs) -> None:
        """Run-level hooks: a plugin raising is logged and counted, never fatal."""
        if name == "corpus_ready":
            self._unready = 0
            self._ready_called = True
        error = self.chain.run_hook(name, self.tally, **kwargs)
        if error:
            self.stats.inc_value(f"{STATS_PREFIX}/plugin_errors")
            logger.error("clean-corpus: %s failed in plugin %s: %s", name, error["plugin"],
                         error["error"])

    def _stop_thread(self) -> None:
        if self._pool is not None:
            self._pool.stop()  # waits for the item being cleaned, if any
            self._pool = None

    async def _in_thread(self, function, *args):
        from scrapy.utils.defer import maybe_deferred_to_future
        from twisted.internet import reactor
        from twisted.internet.threads import deferToThreadPool
        from twisted.python.threadpool import ThreadPool

        if self._pool is None:
            self._pool = ThreadPool(minthreads=1, maxthreads=1, name="clean-corpus")
            self._pool.start()
            # A forced shutdown (Ctrl-C twice) skips close_spider: still let the process end.
            reactor.addSystemEventTrigger("during", "shutdown", self._stop_thread)
        return await maybe_deferred_to_future(
            deferToThreadPool(reactor, self._pool, function, *args))


class CleanCorpusAddon:
    """Scrapy add-on: installs :class:`CleanCorpusPipeline` (``ADDONS`` setting).

    The pipeline goes in ``ITEM_PIPELINES`` at priority 500 unless the project lists it
    already; ``CLEAN_CORPUS_*`` settings configure it (see :mod:`clean_corpus.crawl`).
    """

    def update_settings(self, settings):
        pipelines = settings.getdict("ITEM_PIPELINES")
        if PIPELINE_PATH not in pipelines and CleanCorpusPipeline not in pipelines:
            settings["ITEM_PIPELINES"][PIPELINE_PATH] = PIPELINE_PRIORITY
        exporters = settings.getdict("FEED_EXPORTERS")
        for name, exporter in (("csv", CsvRecordExporter), ("xml", XmlRecordExporter)):
            if name not in exporters:
                settings["FEED_EXPORTERS"][name] = exporter


class _NestedAsJson:
    """Write dict and list fields as JSON text (not Python's repr, nor nested elements)."""

    def serialize_field(self, field, name, value):
        if isinstance(value, (dict, list)):
            value = json.dumps(value, ensure_ascii=False)
        return super().serialize_field(field, name, value)


class CsvRecordExporter(_NestedAsJson, CsvItemExporter):
    """CSV feeds of records: one column per field, nested fields as JSON text."""


class XmlRecordExporter(_NestedAsJson, XmlItemExporter):
    """XML feeds of records: one element per field, nested fields as JSON text."""


def crawl(start_urls: list[str], output: str, config: Config, *, rejected: str | None = None,
          stats: str | None = None, settings: dict | None = None,
          spider_args: dict | None = None) -> None:
    """Run the news spider on ``start_urls`` with the clean-corpus chain of ``config``.

    What ``clean-corpus crawl`` does, from the installed package (no Scrapy project
    needed): the spider's polite settings, records to ``output`` (JSON Lines; ``-`` is
    standard output), rejections to ``rejected`` and the counts to ``stats``. ``settings``
    override Scrapy settings as ``-s`` does.
    """
    from scrapy.crawler import CrawlerProcess
    from scrapy.settings import Settings

    from clean_corpus_spiders.news import NewsSpider

    feed = {"format": "jsonlines", "encoding": "utf-8"}
    if output != "-":  # standard output cannot be overwritten: Scrapy would warn
        feed["overwrite"] = True
    overrides = {"FEEDS": {"stdout:" if output == "-" else str(output): feed},
                 "CLEAN_CORPUS_CONFIG": config,
                 "CLEAN_CORPUS_REJECTED": str(rejected) if rejected else "",
                 "CLEAN_CORPUS_STATS": str(stats) if stats else None,
                 **(settings or {})}
    process = CrawlerProcess(Settings(overrides))
    process.crawl(NewsSpider, start_url=list(start_urls), **(spider_args or {}))
    process.start()
