"""Passages a record shares with other records of the run (wire copy, rewrites, quotes)."""
from __future__ import annotations

import sys
from array import array

import numpy as np

from clean_corpus import hookimpl
from clean_corpus_plugins.detectors.base import CorpusDetector, SortedRuns, repeated_runs
from clean_corpus_plugins.detectors.tokens import text_hash, text_shingle_hashes, tokens, winnow

_INDEX = "text_reuse.index"


class TextReuse(CorpusDetector):
    """Which other records a record shares passages with, and how much (containment).

    News outlets rewrite the same agency dispatch: two such articles share a quarter of
    their 5-word shingles, far below any near-duplicate threshold, yet a corpus builder
    wants to know. Per document (``detect``), the 5-word shingles are hashed and
    *winnowed* (the smallest hash of every ``window`` consecutive shingles is kept as a
    fingerprint; any shared passage of ``shingle_words + window - 1`` words or more leaves
    a common fingerprint), at most ``max_fingerprints`` per document (the smallest, so the
    same ones in every copy). An inverted index of fingerprints gives, for each pair of
    records, the fingerprints they share; ``containment`` of A in B is the share of A's
    fingerprints found in B, an estimate of the share of A's text that B also has. Each
    ``corpus_ready`` pairs the documents observed since the last call with each other and
    with the earlier ones (binary searches in the sorted index), then adds them to it, so a
    crawl that asks after every page pays for that page only; earlier records, already
    revised, are not revisited.

    A pair is reported on both records when the containment either way reaches
    ``threshold`` (default 0.1, see docs/detectors.md for why) and they share at least
    ``min_shared`` fingerprints. Fingerprints found in more than ``max_doc_freq``
    documents (so far) are a site template or a stock phrase, not reuse, and are ignored.
    ``detections["text_reuse"]`` lists up to ``max_reported`` records, most contained
    first. Policy ``annotate`` (default); ``drop`` drops a record when at least
    ``drop_threshold`` of it is found in one record that ranks before it (more words, then
    content hash, then id: the same content-derived order as ``duplicates``).
    """

    name = "text_reuse"
    defaults = {"policy": "annotate", "threshold": 0.1, "min_shared": 3, "shingle_words": 5,
                "window": 6, "max_fingerprints": 512, "max_doc_freq": 10, "max_reported": 10,
                "drop_threshold": 0.5}
    minimums = {"window": 1}

    def _reset(self) -> None:
        # Per document 26 bytes; per fingerprint 4 bytes until corpus_ready takes it, then
        # 8 bytes in the index (fingerprint << 32 | document, sorted).
        self._pending = array("I")
        self._index = SortedRuns()
        self._counts = array("I")
        self._words = array("I")
        self._text_hash = array("Q")
        self._ids = bytearray()
        self._done = 0  # documents already in the index
        self._found: dict[int, list[tuple[int, float, float, int]]] = {}

    # ------------------------------------------------------------ per document
    @hookimpl
    def detect(self, document):
        text = document.clean_text
        prints = winnow(text_shingle_hashes(text, int(self.options["shingle_words"])),
                        int(self.options["window"]))
        # np.unique sorted them: the first ones are the smallest, the same in every copy.
        prints = prints[: int(self.options["max_fingerprints"])]
        document.signatures[self.name] = {"prints": prints.astype(np.uint32).tobytes(),
                                          "words": len(tokens(text)),
                                          "hash": text_hash(text)}

    @hookimpl
    def observe(self, document):
        signature = document.signatures.get(self.name) or {"prints": b"", "words": 0,
                                                            "hash": 0}
        index = len(self._counts)
        document.signatures[_INDEX] = index
        prints = array("I")
        prints.frombytes(signature["prints"])
        self._pending.extend(prints)
        self._counts.append(len(prints))
        self._words.append(signature["words"])
        self._text_hash.append(signature["hash"])
        self._ids += bytes.fromhex(document.id)

    # ------------------------------------------------------------- corpus-wide
    @hookimpl
    def corpus_ready(self, run):
        """Pair the documents observed since the last call with each other and with the
        earlier ones, through their fingerprints; then add them to the index."""
        first, n = self._done, len(self._counts)
        if first == n:
            return
        self._found = {}  # earlier documents were revised with what was found for them
        new = self._take_pending(first, n)
        limit = int(self.options["max_doc_freq"])
        rows = new
        if len(self._index) and len(new):
            # How many earlier documents hold each fingerprint of the batch: a fingerprint
            # in more than max_doc_freq documents so far is a template, not reuse.
            prints, new_freq = np.unique(_high(new), return_counts=True)
            low = prints.astype(np.uint64) << np.uint64(32)
            high = low | np.uint64(0xFFFFFFFF)
            old_freq = self._index.count_between(low, high)
            freq = old_freq + new_freq
            take = (old_freq > 0) & (freq <= limit)
            earlier = self._index.take_between(low[take], high[take])
            too_frequent = prints[freq > limit]
            if len(too_frequent):
                rows = new[~np.isin(_high(new), too_frequent)]
            if len(earlier):
                rows = np.concatenate((earlier, rows))
                rows.sort()
        pairs, shared = _shared_counts(rows, limit)
        del rows
        self._index.add(new, presorted=True)
        self._done = n
        if not len(pairs):
            return
        counts = np.frombuffer(self._counts, dtype=np.uint32).astype(np.float64)
        a, b = (pairs >> np.uint64(32)).astype(np.int64), (pairs & np.uint64(0xFFFFFFFF)) \
            .astype(np.int64)
        in_b, in_a = shared / counts[a], shared / counts[b]  # share of a found in b, and back
        keep = (b >= first) & (shared >= int(self.options["min_shared"])) & \
            (np.maximum(in_b, in_a) >= float(self.options["threshold"]))
        for i, j, c_ij, c_ji, k in zip(a[keep], b[keep], in_b[keep], in_a[keep], shared[keep],
                                       strict=True):
            # j is new; i is new too, or an earlier document already revised.
            self._found.setdefault(int(j), []).append((int(i), float(c_ji), float(c_ij), int(k)))
            if i >= first:
                self._found.setdefault(int(i), []).append((int(j), float(c_ij), float(c_ji),
                                                           int(k)))

    def _take_pending(self, first: int, n: int) -> np.ndarray:
        """The batch's (fingerprint << 32 | document) keys, sorted; the buffer is let go."""
        keys = np.frombuffer(self._pending, dtype=np.uint32).astype(np.uint64)
        self._pending = array("I")
        keys <<= np.uint64(32)
        counts = np.frombuffer(self._counts, dtype=np.uint32)[first:n]
        offsets = np.zeros(len(counts) + 1, dtype=np.int64)
        np.cumsum(counts, out=offsets[1:])
        step = 1 << 10  # documents numbered a slice at a time: no second full-size array
        for start in range(0, len(counts), step):
            stop = min(len(counts), start + step)
            keys[offsets[start]:offsets[stop]] |= np.repeat(
                np.arange(first + start, first + stop, dtype=np.uint64), counts[start:stop])
        keys.sort()
        return keys

    def _rank(self, index: int) -> tuple:
        # More words first, then smaller text hash, then smaller id: content only.
        return (-self._words[index], self._text_hash[index], self._packed_id(index))

    # ------------------------------------------------------------- per record

    @hookimpl
    def revise(self, document):
        index = document.signatures.get(_INDEX)
        entries = self._found.get(index, []) if index is not None else []
        entries = sorted(entries, key=lambda e: (-e[1], self._record_id(e[0])))
        signature = document.signatures.get(self.name) or {}
        found = {"fingerprints": len(signature.get("prints", b"")) // 4,
                 "max_containment": round(entries[0][1], 4) if entries else 0.0,
                 "records": len(entries),
                 "shares_with": [{"id": self._record_id(j), "containment": round(c_ij, 4),
                                  "other_containment": round(c_ji, 4), "shared": k}
                                 for j, c_ij, c_ji, k in
                                 entries[: int(self.options["max_reported"])]]}
        limit = float(self.options["drop_threshold"])
        ahead = [e for e in entries if e[1] >= limit and self._rank(e[0]) < self._rank(index)]
        found["contained_in_longer"] = self._record_id(ahead[0][0]) if ahead else None
        document.detections[self.name] = found

    def verdict(self, document):
        found = document.detections.get(self.name) or {}
        if found.get("contained_in_longer"):
            return (f"text reuse: at least {float(self.options['drop_threshold']):.0%} of the "
                    "text is in a longer record")
        return None


def _high(keys: np.ndarray) -> np.ndarray:
    """The fingerprint halves of (fingerprint << 32 | document) keys: a view, not a copy."""
    halves = keys.view(np.uint32)
    return halves[1::2] if sys.byteorder == "little" else halves[0::2]


def _shared_counts(keys: np.ndarray, max_doc_freq: int) -> tuple[np.ndarray, np.ndarray]:
    """Pairs of documents (a << 32 | b, a < b) and how many fingerprints they share, from
    sorted (fingerprint << 32 | document) keys; fingerprints of more than ``max_doc_freq``
    documents are left out."""
    if len(keys) < 2:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
    halves = keys.view(np.uint32)
    high, low = (halves[1::2], halves[0::2]) if sys.byteorder == "little" else \
        (halves[0::2], halves[1::2])
    starts, sizes = repeated_runs(high)
    chunks = []
    for size in range(2, max_doc_freq + 1):
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
