"""Running documents through the plugin chain, with accounting.

Every input document ends as exactly one :class:`Outcome`: ``written``, ``rejected`` (with
reasons) or ``failed`` (with the plugin and the error). A plugin raising on one document
fails that document only; the run goes on.
"""
from __future__ import annotations

import contextlib
import itertools
import json
import os
import pickle
import stat
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from clean_corpus import inputs
from clean_corpus.config import Config
from clean_corpus.document import (Block, Document, ReadFailure, Skipped, normalize_text,
                                   source_name, xml_safe)
from clean_corpus.plugins import PluginRegistry, call_each
from clean_corpus.workers import WorkerPool

WRITTEN, REJECTED, FAILED = "written", "rejected", "failed"


@dataclass
class Outcome:
    """What became of one input document."""

    status: str
    source: str
    document: Document | None = None
    reasons: list[str] = field(default_factory=list)
    plugin: str | None = None
    error: str | None = None
    url: str | None = None  # of an input that never became a document (a read failure)

    @property
    def record(self) -> dict | None:
        """The record as written (for a rejection, as it would have been), if there is one."""
        doc = self.document
        if doc is None or (self.status != WRITTEN and not doc.blocks):
            return None
        return doc.to_record()

    def report(self) -> dict:
        """The line written to the rejected/failures file."""
        doc = self.document
        entry = {"status": self.status, "source": self.source,
                 "id": doc.id if doc else None, "url": doc.url if doc else self.url}
        if self.status == REJECTED:
            entry["reasons"] = self.reasons
            if self.record is not None:
                entry["record"] = self.record
        else:
            entry["plugin"] = self.plugin
            entry["error"] = self.error
        return entry


def _as_json(value) -> str:
    """``value`` as strict JSON (no NaN or infinity, which JSON has no words for)."""
    return json.dumps(value, allow_nan=False)


def _as_utf8_json(value) -> bytes:
    """``value`` as the writers write it: strict JSON, in UTF-8 (no lone surrogate)."""
    return json.dumps(value, allow_nan=False, ensure_ascii=False).encode("utf-8")


def error_text(exc: BaseException) -> str:
    """How an error is reported: its type and message."""
    return f"{type(exc).__name__}: {exc}"


#: How many of the items skipped for one reason the stats name (``skipped_sources``);
#: ``skipped_reasons`` counts them all.
SKIPPED_NAMED = 100


class RunTally:
    """The counts of one run and the errors of its run-level hooks: its summary and stats.

    ``clean-corpus run`` and the Scrapy pipeline keep one each, so both report the same
    figures under the same names.
    """

    def __init__(self, registry: PluginRegistry | None = None) -> None:
        self.started = time.monotonic()
        self.counts: Counter = Counter()
        self.reasons: Counter = Counter()
        self.failed_plugins: Counter = Counter()
        self.skipped: Counter = Counter()
        #: The first :data:`SKIPPED_NAMED` items skipped for each reason, by name
        self.skipped_sources: dict[str, list[str]] = {}
        #: Errors of plugins outside any document: failing to load (from ``registry``),
        #: raising in a run-level hook.
        self.plugin_errors: list[dict] = registry.load_errors() if registry else []

    def admitted(self, items: Iterable) -> Iterator:
        """``items`` without the :class:`Skipped` ones, which are counted by reason."""
        for item in items:
            if isinstance(item, Skipped):
                self.skipped[item.reason] += 1
                named = self.skipped_sources.setdefault(item.reason, [])
                if len(named) < SKIPPED_NAMED:
                    named.append(item.source)
            else:
                yield item

    def count(self, outcome: Outcome) -> None:
        self.counts[outcome.status] += 1
        if outcome.status == REJECTED:
            self.reasons.update(outcome.reasons)
        elif outcome.status == FAILED:
            self.failed_plugins[outcome.plugin] += 1

    def stats(self) -> dict:
        """The counts, which add up: documents = written + rejected + failed."""
        elapsed = time.monotonic() - self.started
        documents = sum(self.counts.values())
        return {
            "documents": documents,
            "written": self.counts[WRITTEN],
            "rejected": self.counts[REJECTED],
            "failed": self.counts[FAILED],
            "rejected_reasons": dict(sorted(self.reasons.items())),
            "failed_plugins": dict(sorted(self.failed_plugins.items())),
            "skipped": sum(self.skipped.values()),
            "skipped_reasons": dict(sorted(self.skipped.items())),
            "skipped_sources": dict(sorted(self.skipped_sources.items())),
            "plugin_errors": list(self.plugin_errors),
            "seconds": round(elapsed, 3),
            "documents_per_second": round(documents / elapsed, 2) if elapsed else None,
        }


def write_stats(path: Path, stats: dict) -> None:
    """A run's counts as JSON (``--stats``), written beside and renamed into place."""
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(json.dumps(stats, indent=2) + "\n", encoding="utf-8")
    partial.replace(path)


class Chain:
    """The per-document part of the pipeline, for one process.

    ``prepare`` runs screen/extract/clean/detect (the work that can go to workers);
    ``observe`` and ``finish`` run the corpus-level hooks in the main process. The CLI and
    the Scrapy item pipeline both drive a Chain, so both produce the same records.
    """

    def __init__(self, config: Config, registry: PluginRegistry | None = None):
        self.config = config
        self.registry = registry or PluginRegistry(config)
        self.hook = self.registry.hook

    def failed(self, doc: Document, exc: BaseException) -> Outcome:
        """``doc`` failed with ``exc``, in the plugin whose code raised it."""
        return self.settle(doc, self.registry.blame(exc), error_text(exc))

    def run_hook(self, name: str, tally: RunTally, **kwargs) -> dict | None:
        """Call the run-level hook ``name``; a plugin raising is never fatal, and never keeps
        the other plugins' implementations from running (each is called on its own).

        Each error is recorded in ``tally.plugin_errors`` and returned, for the caller to
        report where its users look (stderr, the crawl log); ``None`` when all went well.
        """
        errors = call_each(getattr(self.hook, name), kwargs)
        for plugin, exc in errors:
            self._hook_error(tally, name, plugin, exc)
        return tally.plugin_errors[-1] if errors else None

    def _hook_error(self, tally: RunTally, hook: str, plugin: str, exc: BaseException) -> None:
        if plugin == "unknown":
            plugin = self.registry.blame(exc)
        tally.plugin_errors.append({"hook": hook, "plugin": plugin, "error": error_text(exc)})

    def writers(self) -> dict:
        """Writer factories by format name, as plugins register them (the first name wins)."""
        writers: dict = {}
        self.registry.setup_hook("register_writers", "failed to register its writers",
                                 register=lambda name, factory: writers.setdefault(name, factory))
        return writers

    def settle(self, item: Document | ReadFailure, plugin: str | None = None,
               error: str | None = None) -> Outcome:
        """The failure of ``item``: a part of an input that could not be read, or a document
        stopped by ``plugin`` with ``error`` (its worker ran out of time or died)."""
        if isinstance(item, ReadFailure):
            if item.rejected:
                return Outcome(REJECTED, item.source, reasons=[item.error], url=item.url)
            return Outcome(FAILED, item.source, plugin=item.plugin, error=item.error,
                           url=item.url)
        item.release_input()  # the report names the document; it need not carry the page
        return Outcome(FAILED, item.source, item, plugin=plugin, error=error)

    def invalid_result(self, doc: Document) -> tuple[str, str] | None:
        """``(plugin, error)`` when a plugin left in ``doc`` what no record can hold: a
        detection or field that is not JSON (a set, NaN), a signature that cannot be
        pickled (an lxml element; signatures travel between processes). Detections and
        signatures are keyed by plugin name: that plugin is blamed."""
        names = {info.name for info in self.registry.infos}
        for where, values, check in (("detections", doc.detections, _as_json),
                                     ("fields", doc.meta, _as_json),
                                     ("signatures", doc.signatures, pickle.dumps)):
            for key, value in values.items():
                try:
                    check(value)
                except Exception as exc:
                    plugin = key if key in names else "unknown"
                    # What cannot be written cannot travel either: the report needs none of it.
                    doc.detections, doc.meta, doc.signatures = {}, {}, {}
                    return plugin, (f"InvalidResult: {where}[{key!r}] cannot be written: "
                                    f"{error_text(exc)}")
        return None

    def prepare(self, item: Document | ReadFailure) -> Outcome:
        if isinstance(item, ReadFailure):
            return self.settle(item)
        doc = item
        _ = doc.id  # from the input as read, before it is made safe for parsers
        if doc.html is not None:
            doc.html = xml_safe(doc.html)
        if doc.text is not None:
            doc.text = xml_safe(doc.text)
        try:
            # As judge's: strings, whatever a plugin returns (a set cannot even be counted).
            reasons = [str(r) for r in self.hook.screen(document=doc) if r]
            if reasons:
                doc.release_input()  # do not carry a rejected 20 MB input around
                return Outcome(REJECTED, doc.source, doc, reasons=reasons)
            extraction = self.hook.extract(document=doc)
            if extraction is not None:
                doc.blocks = list(extraction.blocks)
                doc.removed.extend(extraction.removed)
                for key, value in extraction.metadata.items():
                    doc.set_field(key, value)
            elif doc.html is None:  # no text extractor enabled: every line is a block
                doc.blocks = [Block(line, "line")
                              for line in normalize_text(doc.text or "").split("\n") if line]
            doc.mark_input(extraction.removed if extraction is not None else ())
            self.hook.clean(document=doc)
            self.hook.detect(document=doc)
        except Exception as exc:
            return self.failed(doc, exc)
        invalid = self.invalid_result(doc)
        if invalid:
            return self.settle(doc, *invalid)
        # The raw page has served (extract and detect are the hooks that read it): let it
        # go, so that neither the workers' results nor the spill carry it.
        doc.release_input()
        return Outcome(WRITTEN, doc.source, doc)

    def observe(self, outcome: Outcome) -> Outcome:
        if outcome.status != WRITTEN:
            return outcome
        try:
            self.hook.observe(document=outcome.document)
        except Exception as exc:
            return self.failed(outcome.document, exc)
        return outcome

    def holds(self, outcome: Outcome, tally: RunTally) -> bool:
        """Does a plugin ask to decide ``outcome``'s document after the others? A plugin
        raising there is recorded in ``tally.plugin_errors``; the document is decided now."""
        if outcome.status != WRITTEN:
            return False
        try:
            return any(self.hook.hold(document=outcome.document))
        except Exception as exc:
            self._hook_error(tally, "hold", "unknown", exc)
            return False

    def finish(self, outcome: Outcome, tally: RunTally) -> Outcome:
        """Corpus-level revision, then the keep-or-drop decision, which every plugin hears
        (``settled``; errors there go to ``tally.plugin_errors``)."""
        outcome = self._judged(outcome)
        if outcome.document is not None:
            self.run_hook("settled", tally, document=outcome.document, status=outcome.status)
        return outcome

    def _judged(self, outcome: Outcome) -> Outcome:
        if outcome.status != WRITTEN:
            return outcome
        doc = outcome.document
        try:
            self.hook.revise(document=doc)
            reasons = [str(r) for r in self.hook.judge(document=doc) if r]
        except Exception as exc:
            return self.failed(doc, exc)
        invalid = self.invalid_result(doc) or self.unwritable(doc)
        if invalid:
            return self.settle(doc, *invalid)
        if reasons:
            return Outcome(REJECTED, doc.source, doc, reasons=reasons)
        return outcome

    @staticmethod
    def unwritable(doc: Document) -> tuple[str, str] | None:
        """``("unknown", error)`` when the record cannot be written as the writers write it
        (UTF-8 JSON): a plugin left a lone surrogate in the text or a field, or a URL that is
        no string. Which plugin did is not known; the document fails, not the run."""
        try:
            _as_utf8_json(doc.to_record())
        except (TypeError, ValueError) as exc:  # UnicodeEncodeError is a ValueError
            try:
                _as_utf8_json(doc.url)
            except (TypeError, ValueError):
                doc.url = None  # the failure's report names it: it must be writable too
            doc.detections, doc.meta, doc.signatures = {}, {}, {}
            return "unknown", f"InvalidResult: the record cannot be written: {error_text(exc)}"
        return None


# ----------------------------------------------------------------------- inputs
def iter_paths(paths: Iterable[str | Path], exclude: Iterable[Path] = ()) -> Iterator:
    """Files named, and files under directories named, in a stable (sorted) order.

    Yields paths, and :class:`Skipped` for what is passed over with a count: hidden files and
    folders, the ``exclude`` paths (the run's own output files and report folder, so that
    writing into an input folder never feeds a run its output) and folders already walked (linked folders
    are followed, each real folder once: a link loop ends there). A folder that cannot be
    listed is a :class:`ReadFailure` with the reason.
    """
    skip = {os.path.realpath(p) for p in exclude}
    for raw in paths:
        path = Path(raw)
        if not path.is_dir():
            yield path
            continue
        seen = {_identity(path)}
        errors: list[OSError] = []
        for root, dirs, files in os.walk(path, onerror=errors.append, followlinks=True):
            yield from (ReadFailure(source_name(e.filename or root), error_text(e), "core")
                        for e in errors)
            errors.clear()
            kept = []
            for name in sorted(dirs):
                folder = os.path.join(root, name)
                identity = _identity(folder)
                if name.startswith("."):
                    yield Skipped(source_name(folder), "hidden")
                elif os.path.realpath(folder) in skip:
                    yield Skipped(source_name(folder), "the run's own output")
                elif os.path.realpath(folder) in skip:
                    yield Skipped(source_name(folder), "the run's own output")
                elif identity is not None and identity in seen:
                    yield Skipped(source_name(folder), "folder already read (linked)")
                else:
                    seen.add(identity)
                    kept.append(name)
            dirs[:] = kept
            for name in sorted(files):
                candidate = Path(root) / name
                if name.startswith("."):
                    yield Skipped(source_name(candidate), "hidden")
                elif os.path.realpath(candidate) in skip:
                    yield Skipped(source_name(candidate), "the run's own output")
                else:
                    yield candidate
        yield from (ReadFailure(source_name(e.filename or path), error_text(e), "core")
                    for e in errors)


def _identity(folder) -> tuple[int, int] | None:
    try:
        info = os.stat(folder)
    except OSError:
        return None  # unreadable: os.walk reports it
    return info.st_dev, info.st_ino


_FILE_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
               (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
               (stat.S_ISSOCK, "a socket"))


def unreadable_reason(path: Path) -> str | None:
    """Why ``path`` is not a file to read (a FIFO would block, /dev/zero never ends), or
    ``None`` for a regular file."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        return error_text(exc)
    if stat.S_ISREG(mode):
        return None
    kind = next((name for test, name in _FILE_KINDS if test(mode)), "not a regular file")
    return f"not a regular file: {kind}"


def iter_documents(registry: PluginRegistry, paths: Iterable[str | Path],
                   exclude: Iterable[Path] = ()):
    """Documents, ReadFailures and Skipped from every input; a bad file never stops the rest.

    ``paths`` are local paths, ``-`` (standard input) or URLs (see :mod:`clean_corpus.inputs`).
    """
    readers = Readers(registry)
    max_bytes = registry.config.max_bytes
    for name in inputs.walk(map(str, paths), iter_paths, exclude):
        if isinstance(name, (ReadFailure, Skipped)):
            yield name
            continue
        path = inputs.local_path(name)
        label = source_name(path) if path is not None else name
        reason = unreadable_reason(path) if path is not None else None
        if reason:
            yield ReadFailure(label, reason, plugin="core")
            continue
        try:
            source = inputs.open_input(name, max_bytes, label)
        except Exception as exc:
            yield ReadFailure(label, error_text(exc), plugin="core")
            continue
        with contextlib.closing(source):
            reader = readers.for_input(source)
            if reader is None:
                # No reader recognises the content or claims the suffix, and none is the
                # fallback (the text reader was disabled): reported as failed, not lost.
                suffix = "".join(source.suffixes)
                kind = f"ending in {suffix!r}" if suffix else "without a suffix"
                yield ReadFailure(label, f"no reader for files {kind} (and no fallback "
                                  "reader enabled)", plugin="core")
                continue
            try:
                found = False
                for item in reader.read(source):
                    found = found or not isinstance(item, Skipped)
                    yield item
                source.check_complete()
                if not found:  # counted, not lost without a word
                    yield Skipped(label, f"no document in it ({reader.name})")
            except (inputs.TruncatedInput, inputs.DamagedInput) as exc:
                yield ReadFailure(label, error_text(exc), plugin="core")
            except inputs.InputTooLarge as exc:
                yield ReadFailure(label, str(exc), plugin=reader.name, rejected=True)
            except Exception as exc:
                yield ReadFailure(label, error_text(exc), plugin=reader.name)


def count_documents(registry: PluginRegistry, paths: Iterable[str | Path],
                    exclude: Iterable[Path] = ()) -> int:
    """How many documents the inputs hold, cheaply, for the progress bar's total.

    A reader with a ``count(path)`` method says for an uncompressed local file (JSON Lines:
    its non-blank lines); any other input counts as one document.
    """
    readers = Readers(registry)
    total = 0
    for name in inputs.walk(map(str, paths), iter_paths, exclude):
        if isinstance(name, Skipped):
            continue
        path = inputs.local_path(name) if isinstance(name, str) else None
        suffixes = inputs.suffixes_of(name) if path is not None else []
        count = getattr(readers.for_suffixes(suffixes), "count", None) \
            if path is not None and suffixes == inputs.suffixes_of(name, compressed=True) \
            else None
        try:
            total += count(path) if count else 1
        except Exception:  # unreadable: reading it will report why; count it once
            total += 1
    return total


class Readers:
    """Readers registered through ``register_readers``: the first whose ``sniff(head)``
    recognises the content, else the one claiming the longest suffix, else the fallback."""

    def __init__(self, registry: PluginRegistry):
        self.by_suffix: dict[str, object] = {}
        self.sniffers: list = []
        self.default = None
        # The end of the chain first: a third-party reader claims a suffix (and sniffs)
        # before the built-in one does.
        registry.setup_hook("register_readers", "failed to register its readers",
                            last_first=True, register=self._add)

    def _add(self, reader) -> None:
        for suffix in reader.suffixes:
            self.by_suffix.setdefault(suffix.lower(), reader)
        if hasattr(reader, "sniff"):
            self.sniffers.append(reader)
        if getattr(reader, "fallback", False) and self.default is None:
            self.default = reader

    def for_input(self, source: inputs.Input):
        for reader in self.sniffers:
            if reader.sniff(source.head):
                return reader
        return self.for_suffixes(source.suffixes)

    def for_suffixes(self, suffixes: list[str]):
        for start in range(len(suffixes)):  # pages.warc.gz: ".warc.gz", then ".gz"
            reader = self.by_suffix.get("".join(suffixes[start:]))
            if reader is not None:
                return reader
        return self.default


# ------------------------------------------------------------------------- runs
@dataclass
class RunContext:
    """What corpus-level hooks get to know about the run."""

    config: Config
    output: Path | None = None
    rejected: Path | None = None
    failures: Path | None = None


class Spill:
    """Prepared documents parked on disk between the two passes, so memory stays flat."""

    def __init__(self, directory: Path | None = None):
        self.directory = directory
        self.file = tempfile.TemporaryFile(dir=directory, prefix="clean-corpus-spill-")
        self.count = 0

    def add(self, outcome: Outcome) -> None:
        pickle.dump(outcome, self.file, protocol=pickle.HIGHEST_PROTOCOL)
        self.count += 1

    def __iter__(self) -> Iterator[Outcome]:
        self.file.flush()
        self.file.seek(0)
        for _ in range(self.count):
            yield pickle.load(self.file)

    def close(self) -> None:
        self.file.close()


def prepared_outcomes(chain: Chain, items: Iterable, workers: int) -> Iterator[Outcome]:
    """Run the per-document stage, in input order, on ``workers`` processes, each document
    under the run's time limit (see :mod:`clean_corpus.workers`)."""
    with WorkerPool(chain.config, workers) as pool:
        yield from pool.prepared(items, chain.settle)


def run(chain: Chain, items: Iterable, sink, run_ctx: RunContext, progress=None,
        checkpoint=None, executor=None) -> dict:
    """Run every input through the chain; ``sink(outcome)`` receives each final outcome.

    ``progress``, when given, hears ``advance()`` after each document of both passes and
    ``phase(name, total)`` when the second pass (``"writing"``, over the documents the
    first one prepared) starts.

    With a :class:`clean_corpus.resume.Checkpoint`, the per-document results it saved are
    taken back instead of preparing their documents again, and every new one is saved.
    ``executor`` runs the per-document stage (:mod:`clean_corpus.executors`; default: local
    worker processes). Returns the stats: counts that add up (documents = written +
    rejected + failed).
    """
    tally = RunTally(chain.registry)

    def corpus_hook(name, **kwargs):
        error = chain.run_hook(name, tally, **kwargs)
        if error:
            print(f"clean-corpus: {name} failed in plugin {error['plugin']}: {error['error']}",
                  file=sys.stderr)

    corpus_hook("run_start", run=run_ctx)
    spill = Spill(run_ctx.output.parent if run_ctx.output else None)
    try:
        items = tally.admitted(items)
        if checkpoint is not None:
            for outcome in checkpoint.saved():
                spill.add(chain.observe(outcome))
                if progress:
                    progress.advance()
            items = itertools.islice(items, checkpoint.done, None)
        prepared = executor.prepared(chain, items) if executor is not None \
            else prepared_outcomes(chain, items, chain.config.workers)
        for outcome in prepared:
            if checkpoint is not None:
                checkpoint.add(outcome)  # before observe, which may change it
            spill.add(chain.observe(outcome))
            if progress:
                progress.advance()
        corpus_hook("corpus_ready", run=run_ctx)
        if progress:
            progress.phase("writing", spill.count)
        # Rounds: documents a plugin holds back wait for the next one, as long as each
        # round decides at least one document (so a plugin holding everything cannot loop).
        pending, may_hold = spill, True
        while pending.count:
            held = Spill(spill.directory)
            try:
                for outcome in pending:
                    if may_hold and chain.holds(outcome, tally):
                        held.add(outcome)
                        continue
                    outcome = chain.finish(outcome, tally)
                    tally.count(outcome)
                    sink(outcome)
                    if progress:
                        progress.advance()
            except BaseException:
                held.close()
                raise
            may_hold = held.count < pending.count
            if pending is not spill:
                pending.close()
            pending = held
        pending.close()
    finally:
        spill.close()
    stats = tally.stats()
    corpus_hook("run_end", run=run_ctx, stats=stats)
    stats["plugin_errors"] = list(tally.plugin_errors)  # with run_end's own, if it failed
    return stats
