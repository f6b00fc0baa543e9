"""Passages a record shares with other records of the run (wire copy, rewrites, quotes)."""
from __future__ import annotations

import sys
from array import array

import numpy as np

from clean_corpus import hookimpl
from clean_corpus_plugins.detectors.base import Detector, hash64, repeated_runs
from clean_corpus_plugins.detectors.tokens import shingle_hashes, tokens, winnow

_INDEX = "text_reuse.index"


class TextReuse(Detector):
    """Which other records a record shares passages with, and how much (containment).

    News outlets rewrite the same agency dispatch: two such articles share a quarter of
    their 5-word shingles, far below any near-duplicate threshold, yet a corpus builder
    wants to know. Per document (``detect``), the 5-word shingles are hashed and
    *winnowed* (the smallest hash of every ``window`` consecutive shingles is kept as a
    fingerprint; any shared passage of ``shingle_words + window - 1`` words or more leaves
    a common fingerprint), at most ``max_fingerprints`` per document (the smallest, so the
    same ones in every copy). Over the run, an inverted index of fingerprints gives, for
    each pair of records, the fingerprints they share; ``containment`` of A in B is the
    share of A's fingerprints found in B, an estimate of the share of A's text that B also
    has.

    A pair is reported on both records when the containment either way reaches
    ``threshold`` (default 0.1, see docs/detectors.md for why) and they share at least
    ``min_shared`` fingerprints. Fingerprints found in more than ``max_doc_freq``
    documents are a site template or a stock phrase, not reuse, and are ignored.
    ``detections["text_reuse"]`` lists up to ``max_reported`` records, most contained
    first. Policy ``annotate`` (default); ``drop`` drops a record when at least
    ``drop_threshold`` of it is found in one record that ranks before it (more words, then
    content hash, then id: the same content-derived order as ``duplicates``).
    """

    name = "text_reuse"
    defaults = {"policy": "annotate", "threshold": 0.1, "min_shared": 3, "shingle_words": 5,
                "window": 6, "max_fingerprints": 512, "max_doc_freq": 10, "max_reported": 10,
                "drop_threshold": 0.5}

    def __init__(self) -> None:
        super().__init__()
        self._reset()

    def _reset(self) -> None:
        # 4 bytes per fingerprint plus 26 bytes per document; a fingerprint's document is
        # told by the per-document counts, in observe order.
        self._fp_hash = array("I")
        self._counts = array("I")
        self._words = array("I")
        self._text_hash = array("Q")
        self._ids = bytearray()
        self._found: dict[int, list[tuple[int, float, float, int]]] = {}
        self._rank = np.zeros(0, dtype=np.int64)

    @hookimpl
    def run_start(self, run):
        self._reset()

    # ------------------------------------------------------------ per document
    @hookimpl
    def detect(self, document):
        words = tokens(document.clean_text)
        prints = winnow(shingle_hashes(words, int(self.options["shingle_words"])),
                        int(self.options["window"]))
        # np.unique sorted them: the first ones are the smallest, the same in every copy.
        prints = prints[: int(self.options["max_fingerprints"])]
        document.signatures[self.name] = {"prints": prints.astype(np.uint32).tobytes(),
                                          "words": len(words),
                                          "hash": hash64(" ".join(words))}

    @hookimpl
    def observe(self, document):
        signature = document.signatures.get(self.name) or {"prints": b"", "words": 0,
                                                            "hash": 0}
        index = len(self._counts)
        document.signatures[_INDEX] = index
        prints = array("I")
        prints.frombytes(signature["prints"])
        self._fp_hash.extend(prints)
        self._counts.append(len(prints))
        self._words.append(signature["words"])
        self._text_hash.append(signature["hash"])
        self._ids += bytes.fromhex(document.id)

    # ------------------------------------------------------------- corpus-wide
    @hookimpl
    def corpus_ready(self, run):
        self._found = {}
        n = len(self._counts)
        counts = np.frombuffer(self._counts, dtype=np.uint32).astype(np.float64)
        words = np.frombuffer(self._words, dtype=np.uint32).astype(np.int64)
        text_hash = np.frombuffer(self._text_hash, dtype=np.uint64).copy()
        id_key = np.frombuffer(bytes(self._ids), dtype=np.uint8).reshape(n, 10)[:, :8] \
            .copy().view(">u8").ravel() if n else np.zeros(0, dtype=np.uint64)
        self._rank = np.empty(n, dtype=np.int64)
        self._rank[np.lexsort((id_key, text_hash, -words))] = np.arange(n)
        pairs, shared = self._shared_counts()
        if not len(pairs):
            return
        a, b = (pairs >> np.uint64(32)).astype(np.int64), (pairs & np.uint64(0xFFFFFFFF)) \
            .astype(np.int64)
        in_b, in_a = shared / counts[a], shared / counts[b]  # share of a found in b, and back
        keep = (shared >= int(self.options["min_shared"])) & \
            (np.maximum(in_b, in_a) >= float(self.options["threshold"]))
        for i, j, c_ij, c_ji, k in zip(a[keep], b[keep], in_b[keep], in_a[keep], shared[keep]):
            self._found.setdefault(int(i), []).append((int(j), float(c_ij), float(c_ji), int(k)))
            self._found.setdefault(int(j), []).append((int(i), float(c_ji), float(c_ij), int(k)))

    def _shared_counts(self) -> tuple[np.ndarray, np.ndarray]:
        """Pairs of documents (a << 32 | b, a < b) and how many fingerprints they share."""
        if len(self._fp_hash) < 2:
            return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
        # One sorted array of (fingerprint << 32 | document): 8 bytes per fingerprint is the
        # whole index; its two halves are read through views, never copied.
        keys = np.frombuffer(self._fp_hash, dtype=np.uint32).astype(np.uint64)
        keys <<= np.uint64(32)
        counts = np.frombuffer(self._counts, dtype=np.uint32)
        offsets = np.zeros(len(counts) + 1, dtype=np.int64)
        np.cumsum(counts, out=offsets[1:])
        step = 1 << 10  # documents numbered a slice at a time: no second full-size array
        for first in range(0, len(counts), step):
            last = min(len(counts), first + step)
            keys[offsets[first]:offsets[last]] |= np.repeat(
                np.arange(first, last, dtype=np.uint64), counts[first:last])
        keys.sort()
        halves = keys.view(np.uint32)
        high, low = (halves[1::2], halves[0::2]) if sys.byteorder == "little" else \
            (halves[0::2], halves[1::2])
        starts, sizes = repeated_runs(high)
        chunks = []
        for size in range(2, int(self.options["max_doc_freq"]) + 1):
            first = starts[sizes == size]
            if not len(first):
                continue
            # One row per shared fingerprint, its documents in increasing order.
            members = low[first[:, None] + np.arange(size)].astype(np.uint64)
            for x in range(size):
                for y in range(x + 1, size):
                    chunks.append((members[:, x] << np.uint64(32)) | members[:, y])
        if not chunks:
            return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
        pairs = np.concatenate(chunks)
        pairs.sort()
        first = np.flatnonzero(np.r_[True, pairs[1:] != pairs[:-1]])
        return pairs[first], np.diff(np.r_[first, len(pairs)])

    # ------------------------------------------------------------- per record
    def _id(self, index: int) -> str:
        return self._ids[index * 10:(index + 1) * 10].hex()

    @hookimpl
    def revise(self, document):
        index = document.signatures.get(_INDEX)
        entries = self._found.get(index, []) if index is not None else []
        entries = sorted(entries, key=lambda e: (-e[1], self._id(e[0])))
        signature = document.signatures.get(self.name) or {}
        found = {"fingerprints": len(signature.get("prints", b"")) // 4,
                 "max_containment": round(entries[0][1], 4) if entries else 0.0,
                 "records": len(entries),
                 "shares_with": [{"id": self._id(j), "containment": round(c_ij, 4),
                                  "other_containment": round(c_ji, 4), "shared": k}
                                 for j, c_ij, c_ji, k in
                                 entries[: int(self.options["max_reported"])]]}
        limit = float(self.options["drop_threshold"])
        ahead = [e for e in entries if e[1] >= limit and len(self._rank) > max(e[0], index)
                 and self._rank[e[0]] < self._rank[index]]
        found["contained_in_longer"] = self._id(ahead[0][0]) if ahead else None
        document.detections[self.name] = found

    def verdict(self, document):
        found = document.detections.get(self.name) or {}
        if found.get("contained_in_longer"):
            return (f"text reuse: at least {float(self.options['drop_threshold']):.0%} of the "
                    "text is in a longer record")
        return None
