"""What every built-in detector shares: the ``policy`` option, a stable hash, and the
growing sorted index the corpus-level detectors keep."""
from __future__ import annotations

import hashlib
import weakref

import numpy as np

from clean_corpus import Plugin, hookimpl
from clean_corpus.config import ConfigError

POLICIES = ("annotate", "drop")
#: A record id (``Document.id``, 20 hex digits) packed as bytes.
ID_BYTES = 10


def hash64(text: str) -> int:
    """A 64-bit hash that is the same in every process and on every run.

    Python's ``hash()`` of a string changes from one process to the next, so it must never
    decide anything that workers compute: this one is what signatures are made of.
    """
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8", "surrogatepass"),
                                          digest_size=8).digest(), "little")


def repeated_runs(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and length of every run of two or more equal values in a *sorted* array.

    Works with one byte per value of scratch memory (plus the runs), so that corpus-wide
    indexes of millions of entries can be grouped without copies of them.
    """
    if len(values) < 2:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    follows = np.flatnonzero(values[1:] == values[:-1])  # i where values[i + 1] == values[i]
    if not len(follows):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    breaks = np.flatnonzero(np.diff(follows) != 1)
    first = np.r_[follows[0], follows[breaks + 1]]
    last = np.r_[follows[breaks], follows[-1]]
    return first, last - first + 2


class SortedRuns:
    """A growing multiset of 64-bit values, kept as a few sorted arrays (8 bytes a value).

    Corpus-level detectors add the values of each new batch of documents and look up what
    earlier documents hold, so that a crawl which asks after every page pays for that page
    only. A new batch becomes a sorted array of its own; the last two arrays are merged
    while the older one is not larger than the newer (a binary counter), so there are at
    most about log2(N) arrays, each value is merged about log2(N) times in all, and a look-up
    is a binary search in each array.
    """

    def __init__(self) -> None:
        self.parts: list[np.ndarray] = []

    def __len__(self) -> int:
        return sum(len(part) for part in self.parts)

    def add(self, values: np.ndarray, presorted: bool = False) -> None:
        """Add ``values``; with ``presorted`` a sorted uint64 array is taken as it is."""
        part = values if presorted else np.sort(np.asarray(values, dtype=np.uint64))
        if not len(part):
            return
        self.parts.append(part)
        while len(self.parts) > 1 and len(self.parts[-2]) <= len(self.parts[-1]):
            newer = self.parts.pop()
            older = self.parts.pop()
            merged = np.concatenate((older, newer))
            del older, newer
            merged.sort(kind="stable")  # two sorted runs: a linear merge
            self.parts.append(merged)

    def _bounds(self, low: np.ndarray, high: np.ndarray):
        for part in self.parts:
            yield part, np.searchsorted(part, low, "left"), np.searchsorted(part, high, "right")

    def count_between(self, low: np.ndarray, high: np.ndarray) -> np.ndarray:
        """How many values lie in ``[low[i], high[i]]``, for each i."""
        counts = np.zeros(len(low), dtype=np.int64)
        for _, first, last in self._bounds(low, high):
            counts += last - first
        return counts

    def count(self, values: np.ndarray) -> np.ndarray:
        """How many times each of ``values`` was added."""
        values = np.asarray(values, dtype=np.uint64)
        return self.count_between(values, values)

    def take_between(self, low: np.ndarray, high: np.ndarray) -> np.ndarray:
        """Every value in any of the ranges ``[low[i], high[i]]`` (ranges must not overlap)."""
        taken = []
        for part, first, last in self._bounds(low, high):
            sizes = last - first
            total = int(sizes.sum())
            if total:
                starts = np.repeat(first - (np.cumsum(sizes) - sizes), sizes)
                taken.append(part[starts + np.arange(total)])
        return np.concatenate(taken) if taken else np.zeros(0, dtype=np.uint64)


# Detectors configured with one Config (one plugin chain), so that a corpus-level detector
# can ask the per-document ones whether they will drop a document (see would_drop).
_PEERS: dict[int, list] = {}


def _join_chain(config, detector) -> None:
    key = id(config)
    if key not in _PEERS:
        _PEERS[key] = []
        weakref.finalize(config, _PEERS.pop, key, None)
    _PEERS[key].append(weakref.ref(detector))


class Detector(Plugin):
    """A plugin that annotates ``document.detections[name]`` and may drop by policy.

    ``policy = "annotate"`` only writes the detection; ``policy = "drop"`` also makes
    :meth:`judge` return the reason :meth:`verdict` gives (``None`` when the document is
    fine). A detector whose detection holds a yes/no key names it in ``flag`` and its
    reason in ``reason``, and the default ``verdict`` reads it; others override ``verdict``.
    """

    policies: tuple[str, ...] = POLICIES
    #: True for detectors that decide over the corpus (their verdict needs ``revise``).
    corpus_level: bool = False
    #: The key of ``detections[name]`` that says "drop this document", if there is one.
    flag: str | None = None
    #: The reason given when ``flag`` is set.
    reason: str = ""

    @hookimpl
    def configure(self, config):
        super().configure(config)
        _join_chain(config, self)
        self._config_key = id(config)
        policy = self.options.get("policy", "annotate")
        if policy not in self.policies:
            raise ConfigError(f"[plugin.{self.name}] policy must be one of "
                              f"{list(self.policies)}, not {policy!r}")

    @property
    def drops(self) -> bool:
        return self.options.get("policy") == "drop"

    def verdict(self, document) -> str | None:
        if self.flag and (document.detections.get(self.name) or {}).get(self.flag):
            return self.reason
        return None

    def would_drop(self, document) -> bool:
        """Will a per-document detector of this chain drop ``document``?

        Their ``detect`` ran before ``observe``, so their verdict is already known: a
        corpus-level detector uses it to prefer, as the copy to keep, one that survives.
        """
        for ref in _PEERS.get(getattr(self, "_config_key", None), ()):
            peer = ref()
            if peer is not None and peer is not self and not peer.corpus_level and \
                    peer.drops and peer.verdict(document):
                return True
        return False

    @hookimpl
    def judge(self, document):
        if not self.drops:
            return None
        return self.verdict(document)


class CorpusDetector(Detector):
    """A detector that decides over the whole run (``corpus_ready``, then ``revise``).

    What it learns from the run lives in attributes that ``_reset`` sets, on creation and
    at the start of every run, so that one plugin instance can serve run after run. Record
    ids, when a subclass keeps them, are packed ``ID_BYTES`` each in ``self._ids``.
    """

    corpus_level = True

    def __init__(self) -> None:
        super().__init__()
        self._reset()

    def _reset(self) -> None:
        """Set the state of a new run (overridden)."""

    @hookimpl
    def run_start(self, run):
        self._reset()

    def _packed_id(self, index: int) -> bytearray:
        """The id of the ``index``-th observed record, as packed bytes (sorts as its hex)."""
        return self._ids[index * ID_BYTES:(index + 1) * ID_BYTES]

    def _record_id(self, index: int) -> str:
        return self._packed_id(index).hex()
