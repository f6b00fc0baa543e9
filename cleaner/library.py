"""The chain as a function, for pipelines of other frameworks (datatrove, Spark, Ray).

::

    import clean_corpus

    outcome = clean_corpus.clean(html=page, url="https://example.org/a")
    if outcome.status == "written":
        rows.append(outcome.record)
    else:
        print(outcome.status, outcome.reasons or outcome.error)

Each call is a run of one document: the same plugins, in the same order, as
``clean-corpus run`` on that document alone, so the record is the one the command would
write. Corpus-level detectors (duplicates, text reuse, site boilerplate) see a corpus of
one; to deduplicate across documents, run ``clean-corpus run`` over the whole set.
"""
from __future__ import annotations

import threading
from pathlib import Path

from clean_corpus.config import Config
from clean_corpus.pipeline import Chain, Outcome, RunContext, RunTally


class Cleaner:
    """One configured chain, reused call after call (building it loads every plugin)."""

    def __init__(self, config: Config | None = None):
        self.chain = Chain(config or Config())
        self.run = RunContext(self.chain.config)
        # Plugins keep per-run state between the hooks of one document: one call at a time.
        self._lock = threading.Lock()

    def clean(self, *, html: str | None = None, text: str | None = None,
              url: str | None = None, source: str | None = None,
              markdown: str | None = None) -> Outcome:
        """Clean one page (``html``), one scraped text (``text``) or one page a crawler
        wrote as Markdown (``markdown``, read as the text it shows).

        ``source`` names the document in the record and in its id (default: ``url``, else
        ``"-"``). Returns the :class:`~clean_corpus.pipeline.Outcome`: ``status`` is
        ``written``, ``rejected`` (with ``reasons``) or ``failed`` (with ``plugin`` and
        ``error``); ``record`` is the record as ``clean-corpus run`` writes it.
        """
        if [html, text, markdown].count(None) != 2:
            raise TypeError("clean() takes exactly one of html=, text= or markdown=")
        for name, value in (("html", html), ("text", text), ("markdown", markdown),
                            ("url", url), ("source", source)):
            if value is None or isinstance(value, str):
                continue
            kind = type(value).__name__
            if name in ("url", "source"):
                raise TypeError(f"{name}= must be a str or None, not {kind}")
            hint = " (decode the bytes first)" if isinstance(value, (bytes, bytearray)) else ""
            raise TypeError(f"{name}= must be a str{hint}, not {kind}")
        from clean_corpus_plugins.readers import make_document

        name = source or url or "-"
        # text is read as the text reader reads a file: its ``decode_entities`` option holds
        entities = self.chain.config.plugin_options("text_reader").get("decode_entities", True)
        content = next(value for value in (html, text, markdown) if value is not None)
        document = make_document(Path(name), content, None, html=html is not None,
                                 source=name, url=url, entities=entities,
                                 markdown=markdown is not None)
        with self._lock:
            tally = RunTally()
            self.chain.run_hook("run_start", tally, run=self.run)
            outcome = self.chain.observe(self.chain.prepare(document))
            self.chain.run_hook("corpus_ready", tally, run=self.run)
            outcome = self.chain.finish(outcome, tally)
            tally.count(outcome)
            self.chain.run_hook("run_end", tally, run=self.run, stats=tally.stats())
        return outcome


_cleaners: dict[str, Cleaner] = {}
_cleaners_lock = threading.Lock()


def clean(*, html: str | None = None, text: str | None = None, url: str | None = None,
          source: str | None = None, config: Config | None = None,
          markdown: str | None = None) -> Outcome:
    """Clean one document with the built-in and installed plugins; see :class:`Cleaner`.

    The chain of each configuration is built on its first call and reused.
    """
    config = config or Config()
    key = repr(config)  # a dataclass of plain values: equal configurations, equal reprs
    with _cleaners_lock:
        cleaner = _cleaners.get(key)
        if cleaner is None:
            cleaner = _cleaners[key] = Cleaner(config)
    return cleaner.clean(html=html, text=text, url=url, source=source, markdown=markdown)
