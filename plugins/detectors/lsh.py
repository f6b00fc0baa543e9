"""Locality-sensitive hashing of MinHash signatures, for the near-duplicate detector.

A signature of ``num_perm`` values is cut into ``bands`` bands of ``rows`` values; two
signatures sharing one band whole are candidates. The band count is chosen as datasketch's
``MinHashLSH`` chooses it (the least weighted sum of the false-positive and false-negative
probabilities at the threshold), and a band is keyed by the same bytes, so that the
candidates are the ones datasketch would propose, without importing it: its LSH module
loads scipy, about half a second of CPU per run.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Callable, Hashable

import numpy as np


@lru_cache(maxsize=None)
def optimal_bands(threshold: float, num_perm: int, false_positive_weight: float,
                  false_negative_weight: float) -> tuple[int, int]:
    """``(bands, rows)`` with ``bands * rows <= num_perm`` that minimise the weighted
    probabilities of a pair under ``threshold`` becoming a candidate and of a pair over it
    not becoming one.

    Both probabilities are integrals of polynomials of degree ``bands * rows``, which
    Gauss-Legendre quadrature with ``num_perm // 2 + 1`` points integrates exactly.
    """
    nodes, weights = np.polynomial.legendre.leggauss(num_perm // 2 + 1)

    def integral(function, lo: float, hi: float) -> float:
        s = (hi - lo) / 2 * nodes + (hi + lo) / 2
        return float((hi - lo) / 2 * np.dot(weights, function(s)))

    best, best_error = (0, 0), float("inf")
    for bands in range(1, num_perm + 1):
        for rows in range(1, num_perm // bands + 1):
            def candidate(s, b=float(bands), r=float(rows)):
                return 1 - (1 - s ** r) ** b
            false_positive = integral(candidate, 0.0, threshold)
            false_negative = integral(lambda s: 1 - candidate(s), threshold, 1.0)
            error = false_positive * false_positive_weight + \
                false_negative * false_negative_weight
            if error < best_error:
                best, best_error = (bands, rows), error
    return best


class BandIndex:
    """Signatures filed by their bands: ``query`` gives the keys sharing a band with one.

    ``band_key`` turns a band's bytes (its values as big-endian 64-bit integers, as
    datasketch writes them) into the key it is filed under.
    """

    def __init__(self, threshold: float, num_perm: int, weights: tuple[float, float],
                 band_key: Callable[[bytes], Hashable]):
        if not 0.0 <= threshold <= 1.0:
            raise ValueError("threshold must be in [0.0, 1.0]")
        if num_perm < 2:
            raise ValueError("too few permutations (num_perm < 2)")
        if any(w < 0.0 or w > 1.0 for w in weights) or sum(weights) != 1.0:
            raise ValueError("the two LSH weights must lie in [0.0, 1.0] and add up to 1.0")
        self.bands, self.rows = optimal_bands(threshold, num_perm, *weights)
        if self.bands < 2:
            raise ValueError("too few LSH bands (< 2) for this threshold and these weights")
        self.band_key = band_key
        self.tables: list[dict[Hashable, list]] = [{} for _ in range(self.bands)]

    def _keys(self, signature: np.ndarray) -> list[Hashable]:
        data = signature.astype(">u8").tobytes()
        size = 8 * self.rows
        return [self.band_key(data[i * size:(i + 1) * size]) for i in range(self.bands)]

    def query(self, signature: np.ndarray) -> set:
        found: set = set()
        for table, key in zip(self.tables, self._keys(signature)):
            found.update(table.get(key, ()))
        return found

    def insert(self, key: Hashable, signature: np.ndarray) -> None:
        for table, band in zip(self.tables, self._keys(signature)):
            table.setdefault(band, []).append(key)
