"""Worker processes for the per-document stage, each document under a time limit.

The per-document chain (screen, extract, clean, detect) runs in child processes, with one
worker as with many: a document that takes longer than the limit (a parser or a regex
busy in C code, which no signal or exception can interrupt) is stopped by killing its
worker, which is replaced. The document fails with the limit named and the run goes on;
so does a document whose worker dies (killed by the system, a crash in C code).

Outcomes come back in input order, so the output does not depend on the number of workers.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import time
from multiprocessing.connection import wait
from typing import Iterable, Iterator

from clean_corpus.config import DEFAULT_TIMEOUT, TIMEOUT_PER_MILLION_CHARS, Config
from clean_corpus.document import Document, ReadFailure

#: Who a stopped document is blamed on when no plugin was running (reading, pickling).
CORE = "core"
#: Bytes of shared memory in which a worker names the plugin it is running.
_NAME_BYTES = 96
#: Per-document hooks, whose implementations announce themselves (for the blame).
_DOCUMENT_HOOKS = ("screen", "extract", "clean", "detect")
#: Where the system reports a worker's processor time (Linux), the limit counts that: a
#: machine loaded by other work must not fail documents. Wall-clock time still stops a
#: worker that waits without computing, at this many times the limit.
_WALL_FACTOR = 3
#: How often a worker past the limit in wall-clock time has its processor time read.
_POLL_SECONDS = 0.2
_CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
#: Fresh workers that may die before taking any document before the run is given up.
_MAX_FAILED_STARTS = 3
#: Worker processes per processor the run may use, at most (``-j 100000`` would start that
#: many): the stage is computation, so processes beyond the processors only take turns on
#: them, each holding its own parsers and models in memory.
WORKERS_PER_CPU = 4


def max_workers() -> int:
    """The most worker processes a pool starts: :data:`WORKERS_PER_CPU` per processor this
    process may run on."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cpus = os.cpu_count() or 1
    return WORKERS_PER_CPU * max(cpus, 1)


#: A page a worker cleans before its first document of a kind (HTML, text): the first call
#: of some libraries loads data (parser tables, models, language profiles) that must not
#: count against a document. Only the kinds a run holds are warmed up: a run over text
#: files never loads the HTML extractor's libraries.
_WARM_UP_PAGE = ("<html><head><title>Warm-up</title></head><body><article><h1>Warm-up</h1>"
                 "<p>Le conseil municipal a voté le budget de la ville après trois heures de "
                 "débat.</p><p>The council approved the city budget after three hours of "
                 "debate.</p></article></body></html>")
#: The same for text: lines enough for the text classifier to run (and load its model).
_WARM_UP_TEXT = "\n".join((
    "Accueil", "Actualités", "Le budget de la ville voté",
    "Le conseil municipal a voté le budget de la ville après trois heures de débat.",
    "The council approved the city budget after three hours of debate, late last night.",
    "Les travaux de la nouvelle école commenceront au printemps, a précisé la maire.",
    "Mentions légales", "Contact"))
#: What the main process sends a worker to warm it up for one kind of document.
_WARM_UP = "warm-up"


def _characters(item) -> int:
    """How long a document is, for its time limit: its page, or its text."""
    return len(getattr(item, "html", None) or getattr(item, "text", None) or "")


def document_kind(item) -> str:
    """``"html"`` or ``"text"``: which warm-up a document needs."""
    return "html" if getattr(item, "html", None) is not None else "text"


def _warm_up(chain, kind: str) -> None:
    if kind == "html":
        chain.prepare(Document(source="(warm-up)", html=_WARM_UP_PAGE))
    else:
        chain.prepare(Document(source="(warm-up)", text=_WARM_UP_TEXT))


class RunAborted(RuntimeError):
    """The run cannot go on (workers die as they start); no output is written."""


class _Abort:
    """A worker's report that a plugin raised KeyboardInterrupt/SystemExit: stop the run."""

    def __init__(self, exc: BaseException):
        self.exc = exc


def _announcing(function, name: bytes, slot):
    """``function``, writing ``name`` into the worker's shared ``slot`` before it runs."""
    def call(*args, **kwargs):
        slot.raw = name
        return function(*args, **kwargs)
    return call


def _worker_main(conn, config: Config, slot, parent_end=None) -> None:
    """A worker's life: build the chain, then prepare each document it is sent."""
    if parent_end is not None:
        # Forked with the main process's end of its own pipe: closed here, so that when the
        # main process is gone (even killed with SIGKILL) recv() ends, and so does the worker.
        parent_end.close()
    from clean_corpus.pipeline import Chain  # the pipeline imports this module

    # Ctrl-C reaches the whole process group: the main process alone handles it and stops
    # the workers. SIGTERM keeps its default action (the pool may stop a worker with it).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    chain = Chain(config)
    for hook_name in _DOCUMENT_HOOKS:
        for impl in getattr(chain.hook, hook_name).get_hookimpls():
            label = impl.plugin_name.encode("utf-8", "replace")[:_NAME_BYTES - 1]
            impl.function = _announcing(impl.function, label.ljust(_NAME_BYTES, b"\0"), slot)
    conn.send("ready")
    while True:
        try:
            job = conn.recv()
        except EOFError:  # the main process is gone
            return
        if job is None:
            return
        seq, item = job
        if seq == _WARM_UP:
            slot.raw = CORE.encode().ljust(_NAME_BYTES, b"\0")
            _warm_up(chain, item)
            conn.send(_WARM_UP)
            continue
        slot.raw = CORE.encode().ljust(_NAME_BYTES, b"\0")
        try:
            outcome = chain.prepare(item)
        except BaseException as exc:  # a plugin's KeyboardInterrupt/SystemExit
            conn.send((seq, _Abort(exc)))
            return
        try:
            conn.send((seq, outcome))
        except Exception as exc:  # an outcome that cannot be pickled: report, not die
            error = f"InvalidResult: the outcome cannot be sent: {type(exc).__name__}: {exc}"
            conn.send((seq, chain.settle(ReadFailure(item.source, error, CORE))))


def _cpu_seconds(pid: int) -> float | None:
    """Processor time process ``pid`` has used, where the system tells (Linux), else None."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            fields = fh.read().rsplit(b")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS  # utime + stime
    except (OSError, IndexError, ValueError):
        return None


class _Worker:
    """One child process and the document it holds, if any."""

    def __init__(self, ctx, config: Config):
        self.slot = ctx.Array("c", _NAME_BYTES, lock=False)
        self.conn, child_conn = ctx.Pipe()
        parent_end = self.conn if ctx.get_start_method() == "fork" else None
        self.process = ctx.Process(target=_worker_main,
                                   args=(child_conn, config, self.slot, parent_end),
                                   daemon=True, name="clean-corpus-worker")
        self.process.start()
        child_conn.close()
        self.ready = False
        self.job: tuple | None = None  # (seq, item)
        self.started = 0.0
        self.limit = 0.0  # seconds the document it holds may take
        self.cpu_at_start: float | None = None
        self.warmed: set[str] = set()

    def give(self, seq: int, item, limit: float) -> None:
        kind = document_kind(item)
        if kind not in self.warmed:
            # Warmed up just before its first document of the kind: the document's clock
            # starts again when the worker reports it warm (see ``warm``).
            self.warmed.add(kind)
            self.conn.send((_WARM_UP, kind))
        self.job = (seq, item)
        self.limit = limit
        self.start_clock()
        self.conn.send((seq, item))

    def start_clock(self) -> None:
        self.started = time.monotonic()
        self.cpu_at_start = _cpu_seconds(self.process.pid)

    def over(self, limit: float, now: float) -> bool:
        """Whether the document it holds has had more than ``limit`` seconds."""
        elapsed = now - self.started
        if elapsed < limit:
            return False
        if self.cpu_at_start is None or elapsed >= _WALL_FACTOR * limit:
            return True
        cpu = _cpu_seconds(self.process.pid)
        return cpu is None or cpu - self.cpu_at_start >= limit

    def running(self) -> str:
        """The plugin the worker was running last."""
        return self.slot.raw.rstrip(b"\0").decode("utf-8", "replace") or CORE

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.conn.close()


class WorkerPool:
    """``size`` worker processes preparing documents (at most :func:`max_workers`), each
    under the configuration's time limit for its size (:meth:`Config.time_limit`)."""

    def __init__(self, config: Config, size: int, backlog: int = 64):
        self.config = config
        self.size = max(1, min(size, max_workers()))
        # Outcomes waiting for an earlier, slower document; bounds memory behind a slow one.
        self.backlog = backlog * self.size
        self.ctx = multiprocessing.get_context("fork" if sys.platform != "win32" else "spawn")
        self.workers: list[_Worker] = []
        self.failed_starts = 0

    def __enter__(self) -> "WorkerPool":
        self.workers = [_Worker(self.ctx, self.config) for _ in range(self.size)]
        return self

    def __exit__(self, *exc_info) -> None:
        for worker in self.workers:
            if exc_info[0] is None and worker.process.is_alive():
                try:
                    worker.conn.send(None)
                    worker.process.join(timeout=5)
                except OSError:
                    pass
            worker.stop()
        self.workers = []

    def prepared(self, items: Iterable, prepare_here) -> Iterator:
        """Outcomes of ``items`` in input order. ``prepare_here(item)`` handles the items
        that need no worker (read failures) and makes the outcome of a stopped document:
        ``prepare_here(item, plugin=..., error=...)``."""
        items = iter(items)
        done: dict[int, object] = {}
        next_in = next_out = 0
        exhausted = False
        while True:
            while not exhausted and len(done) < self.backlog:
                idle = next((w for w in self.workers if w.ready and w.job is None), None)
                if idle is None:
                    break
                item = next(items, None)
                if item is None:
                    exhausted = True
                elif isinstance(item, ReadFailure):
                    done[next_in] = prepare_here(item)
                    next_in += 1
                else:
                    idle.give(next_in, item, self.config.time_limit(_characters(item)))
                    next_in += 1
            while next_out in done:
                yield done.pop(next_out)
                next_out += 1
            busy = [w for w in self.workers if w.job is not None or not w.ready]
            if exhausted and not any(w.job for w in self.workers) and not done:
                return
            if busy:  # else the outcomes just yielded freed the backlog: fill it first
                self._wait(busy, done, prepare_here)

    def _wait(self, busy: list[_Worker], done: dict, prepare_here) -> None:
        now = time.monotonic()
        # Wake when the first document may reach the limit, then check every little while.
        # At most an hour: a limit of infinity (no limit) or 1e308 s cannot be waited for.
        wakes = [min(max(w.started + w.limit - now, _POLL_SECONDS), 3600.0) for w in busy
                 if w.job is not None]
        timeout = min(wakes) if wakes else None
        handles = {}
        for worker in busy:
            handles[worker.conn] = worker
            handles[worker.process.sentinel] = worker
        ready = wait(list(handles), timeout=timeout)
        for worker in {id(handles[h]): handles[h] for h in ready}.values():
            try:
                if worker.conn.poll():
                    self._receive(worker, done)
                    continue
            except EOFError:  # nothing more will come: it died
                pass
            if not worker.process.is_alive():
                worker.process.join()
                self._replace(worker, done, prepare_here,
                              f"WorkerDied: the worker process died (exit code "
                              f"{worker.process.exitcode}) while cleaning this document")
        now = time.monotonic()
        for worker in list(self.workers):
            if worker.job is not None and worker.over(worker.limit, now):
                self._replace(worker, done, prepare_here,
                              f"TimeLimit: cleaning took longer than {self._limit_text(worker)}"
                              "; stopped", plugin=worker.running())

    def _limit_text(self, worker: _Worker) -> str:
        if self.config.timeout is not None:
            return f"the limit of {self.config.timeout:g} s per document (--timeout)"
        return (f"the limit of {worker.limit:.0f} s for a document of "
                f"{_characters(worker.job[1]):,} characters (the default: "
                f"{DEFAULT_TIMEOUT:g} s and {TIMEOUT_PER_MILLION_CHARS:g} s more per million "
                "characters; --timeout sets one)")

    def _receive(self, worker: _Worker, done: dict) -> None:
        message = worker.conn.recv()
        if message == "ready":
            worker.ready = True
            self.failed_starts = 0
            return
        if message == _WARM_UP:  # the document it holds starts now
            worker.start_clock()
            return
        seq, outcome = message
        if isinstance(outcome, _Abort):
            raise outcome.exc
        done[seq] = outcome
        worker.job = None

    def _replace(self, worker: _Worker, done: dict, prepare_here, error: str,
                 plugin: str = CORE) -> None:
        worker.stop()
        if worker.job is None:
            self.failed_starts += 1
            if self.failed_starts > _MAX_FAILED_STARTS:
                raise RunAborted(f"worker processes die as they start (exit code "
                                 f"{worker.process.exitcode})")
        else:
            seq, item = worker.job
            done[seq] = prepare_here(item, plugin=plugin, error=error)
        self.workers[self.workers.index(worker)] = _Worker(self.ctx, self.config)
