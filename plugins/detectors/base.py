"""What every built-in detector shares: the ``policy`` option and a stable hash."""
from __future__ import annotations

import hashlib

import numpy as np

from clean_corpus import Plugin, hookimpl
from clean_corpus.config import ConfigError

POLICIES = ("annotate", "drop")


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


class Detector(Plugin):
    """A plugin that annotates ``document.detections[name]`` and may drop by policy.

    ``policy = "annotate"`` only writes the detection; ``policy = "drop"`` also makes
    :meth:`judge` return the reason :meth:`verdict` gives. Subclasses implement ``verdict``
    (``None`` when the document is fine).
    """

    policies: tuple[str, ...] = POLICIES

    @hookimpl
    def configure(self, config):
        super().configure(config)
        policy = self.options.get("policy", "annotate")
        if policy not in self.policies:
            raise ConfigError(f"[plugin.{self.name}] policy must be one of "
                              f"{list(self.policies)}, not {policy!r}")

    @property
    def drops(self) -> bool:
        return self.options.get("policy") == "drop"

    def verdict(self, document) -> str | None:  # pragma: no cover - overridden
        return None

    @hookimpl
    def judge(self, document):
        if not self.drops:
            return None
        return self.verdict(document)
