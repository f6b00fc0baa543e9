"""Where the per-document stage runs: local worker processes, or a Ray cluster.

An executor turns documents into prepared outcomes (screen, extract, clean, detect), in
input order; the corpus-level pass stays in the main process whatever the executor, so
the output is the same byte for byte.
"""
from __future__ import annotations

import collections
import itertools
import os
from typing import Iterable, Iterator


class LocalExecutor:
    """Worker processes on this machine (``-j N``), each document under the time limit."""

    def prepared(self, chain, items: Iterable) -> Iterator:
        from clean_corpus.pipeline import prepared_outcomes

        return prepared_outcomes(chain, items, chain.config.workers)


class _RayPreparer:
    """One Ray actor: a local worker pool of one process, so that a document over the
    time limit is stopped there as it is on one machine."""

    def __init__(self, config):
        from clean_corpus.pipeline import Chain
        from clean_corpus.workers import WorkerPool

        self.chain = Chain(config)
        self.pool = WorkerPool(config, 1).__enter__()

    def prepare(self, batch: list) -> list:
        return list(self.pool.prepared(batch, self.chain.settle))


class RayExecutor:
    """Batches of documents sent to ``actors`` Ray actors (default: one per CPU of the
    cluster), at most ``window`` batches per actor in flight, results taken in input order.

    ``address`` is that of a running cluster; without one, Ray's own rules apply (the
    ``RAY_ADDRESS`` variable, else a local Ray started for the run and stopped after it).
    The actors of a local Ray run on this machine: as local worker processes, at most
    :func:`~clean_corpus.workers.max_workers` of them (``asked`` keeps the number asked
    for when it was more).
    """

    def __init__(self, address: str | None = None, actors: int | None = None,
                 batch: int = 8, window: int = 2):
        from clean_corpus.workers import max_workers

        try:
            import ray  # noqa: F401
        except ImportError:
            raise ValueError("--executor ray needs Ray: pip install 'clean-corpus[ray]'") \
                from None
        self.asked = None
        if actors and not address and not os.environ.get("RAY_ADDRESS") \
                and actors > max_workers():
            self.asked, actors = actors, max_workers()
        self.address, self.actors, self.batch, self.window = address, actors, batch, window

    def prepared(self, chain, items: Iterable) -> Iterator:
        import ray

        started_here = not ray.is_initialized()
        if started_here:
            local = {} if self.address else {"num_cpus": self.actors} if self.actors else {}
            ray.init(address=self.address, include_dashboard=False, log_to_driver=False,
                     configure_logging=False, **local)
        count = self.actors or max(1, int(ray.cluster_resources().get("CPU", 1)))
        preparer = ray.remote(num_cpus=1)(_RayPreparer)
        actors = [preparer.remote(chain.config) for _ in range(count)]
        in_flight: collections.deque = collections.deque()
        try:
            items = iter(items)
            for number in itertools.count():
                batch = list(itertools.islice(items, self.batch))
                if not batch:
                    break
                in_flight.append(actors[number % count].prepare.remote(batch))
                if len(in_flight) >= count * self.window:
                    yield from ray.get(in_flight.popleft())
            while in_flight:
                yield from ray.get(in_flight.popleft())
        finally:
            for actor in actors:
                ray.kill(actor)
            if started_here:
                ray.shutdown()
