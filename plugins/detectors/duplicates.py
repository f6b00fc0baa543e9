"""Exact and near duplicates across the whole run, and which copy is kept."""
from __future__ import annotations

from array import array
from functools import lru_cache

import numpy as np
from datasketch import MinHash, MinHashLSH

from clean_corpus import hookimpl
from clean_corpus_plugins.detectors.base import Detector, hash64, repeated_runs
from clean_corpus_plugins.detectors.tokens import shingle_hashes, tokens

_INDEX = "duplicates.index"


@lru_cache(maxsize=None)
def _permutations(num_perm: int):
    return MinHash(num_perm=num_perm, seed=1).permutations


@lru_cache(maxsize=None)
def _bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows) that datasketch's LSH picks for this threshold and signature size."""
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return lsh.b, lsh.r


class _Components:
    """Union-find over document numbers (a numpy array: 8 bytes per document)."""

    def __init__(self, n: int):
        self.parent = np.arange(n, dtype=np.int64)

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = int(parent[i])
        return i

    def roots(self, items: np.ndarray) -> np.ndarray:
        return np.fromiter((self.find(int(i)) for i in items), dtype=np.int64,
                           count=len(items))

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


class Duplicates(Detector):
    """Exact copies (same normalised text) and near copies (MinHash + LSH) of a record.

    Per document (``detect``, in workers): the hash of the normalised text (case, accents,
    punctuation and number typography folded, see :mod:`.tokens`) and a MinHash of its
    5-word shingles. Over the run (``observe`` -> ``corpus_ready``): copies with the same
    hash form a cluster; MinHash signatures are banded as datasketch's LSH would band them
    for ``threshold`` and candidate pairs whose estimated Jaccard similarity reaches
    ``threshold`` join the same cluster.

    The copy kept in a cluster is the one with the most words, then the smallest text hash,
    then the smallest id: a key derived from content, so the choice never depends on the
    order inputs were listed or on the number of workers. ``detections["duplicates"]``
    tells every record its text ``hash`` and, in a cluster, the cluster id (the kept
    record's id), its ``size``, ``kept``, ``is_kept``, ``kind`` (exact/near) and the
    ``similarity`` to the kept copy. Default policy ``drop``: copies that are not kept are
    dropped; ``annotate`` keeps them all.
    """

    name = "duplicates"
    defaults = {"policy": "drop", "threshold": 0.8, "num_perm": 128, "shingle_words": 5}

    def __init__(self) -> None:
        super().__init__()
        self._reset()

    def _reset(self) -> None:
        # Per observed document, in compact arrays: ~ num_perm * 4 + 22 bytes each.
        self._signatures = bytearray()
        self._hashes = array("Q")
        self._words = array("I")
        self._ids = bytearray()
        self._decisions: dict[int, tuple[int, int, str, float]] = {}
        # 1 where a document was already revised as the copy to keep (see corpus_ready).
        self._released = bytearray()

    @hookimpl
    def run_start(self, run):
        self._reset()

    # ------------------------------------------------------------ per document
    @hookimpl
    def detect(self, document):
        words = tokens(document.clean_text)
        if not words:
            document.signatures[self.name] = None
            return
        num_perm = int(self.options["num_perm"])
        minhash = MinHash(num_perm=num_perm, seed=1, hashfunc=int, scheme="affine32",
                          permutations=_permutations(num_perm))
        minhash.update_batch(shingle_hashes(words, int(self.options["shingle_words"])).tolist())
        document.signatures[self.name] = {
            "hash": hash64(" ".join(words)), "words": len(words),
            "minhash": minhash.hashvalues.astype(np.uint32).tobytes()}

    @hookimpl
    def observe(self, document):
        signature = document.signatures.get(self.name)
        document.signatures[_INDEX] = len(self._hashes)
        num_perm = int(self.options["num_perm"])
        if signature is None:  # no words: nothing to compare, never a duplicate
            self._signatures += bytes(4 * num_perm)
            self._hashes.append(0)
            self._words.append(0)
        else:
            self._signatures += signature["minhash"]
            self._hashes.append(signature["hash"])
            self._words.append(signature["words"])
        self._ids += bytes.fromhex(document.id)
        self._released.append(0)

    # ------------------------------------------------------------- corpus-wide
    @hookimpl
    def corpus_ready(self, run):
        n = len(self._hashes)
        self._decisions = {}
        if n < 2:
            return
        num_perm = int(self.options["num_perm"])
        threshold = float(self.options["threshold"])
        # Views, not copies: the state is the index (they are let go before observe runs).
        sigs = np.frombuffer(self._signatures, dtype=np.uint32).reshape(n, num_perm)
        hashes = np.frombuffer(self._hashes, dtype=np.uint64)
        words = np.frombuffer(self._words, dtype=np.uint32)
        id_key = np.frombuffer(self._ids, dtype=np.uint8).reshape(n, 10)[:, :8] \
            .copy().view(">u8").ravel()
        # Rank: most words first, then smallest hash, then smallest id (content only).
        rank = np.empty(n, dtype=np.int64)
        rank[np.lexsort((id_key, hashes, -words.astype(np.int64)))] = np.arange(n)

        groups = _Components(n)
        candidates = np.flatnonzero(words > 0)
        for members in _equal_runs(hashes[candidates], candidates):
            for other in members[1:]:
                groups.union(int(members[0]), int(other))
        # Near copies: one representative per exact text is enough.
        reps = np.unique(groups.roots(candidates))
        bands, rows = _bands(threshold, num_perm)
        for band in range(bands):
            keys = _band_keys(sigs[reps, band * rows:(band + 1) * rows])
            for members in _equal_runs(keys, reps):
                self._join_similar(groups, sigs, members, threshold)

        for members in _equal_runs(groups.roots(candidates), candidates):
            members = [int(i) for i in members]
            # A crawl revises pages as they come, so a copy may already have been passed
            # on as the one kept; it stays the kept one. A run over files decides once,
            # before any revision, by content alone.
            kept = min(members, key=lambda i: (not self._released[i], rank[i]))
            exact = all(hashes[i] == hashes[kept] for i in members)
            for i in members:
                if i == kept:
                    kind, similarity = ("exact" if exact else "near"), 1.0
                elif hashes[i] == hashes[kept]:
                    kind, similarity = "exact", 1.0
                else:
                    kind = "near"
                    similarity = float(np.count_nonzero(sigs[i] == sigs[kept])) / num_perm
                self._decisions[i] = (kept, len(members), kind, similarity)
        del sigs, hashes, words  # release the views on the state arrays

    @staticmethod
    def _join_similar(groups, sigs, members, threshold) -> None:
        """Join the members of an LSH bucket whose estimated similarity reaches threshold."""
        num_perm = sigs.shape[1]
        # A bucket of many members (a template page) is compared with its first member
        # only, to stay linear; a small bucket is compared pair by pair.
        pairs = ([(members[0], m) for m in members[1:]] if len(members) > 16 else
                 [(a, b) for k, a in enumerate(members) for b in members[k + 1:]])
        for a, b in pairs:
            if groups.find(int(a)) == groups.find(int(b)):
                continue
            if np.count_nonzero(sigs[a] == sigs[b]) / num_perm >= threshold:
                groups.union(int(a), int(b))

    # ------------------------------------------------------------- per record
    @hookimpl
    def revise(self, document):
        signature = document.signatures.get(self.name)
        found = {"hash": None if signature is None else f"{signature['hash']:016x}",
                 "cluster": None}
        index = document.signatures.get(_INDEX)
        decision = self._decisions.get(index) if index is not None else None
        if decision is not None:
            kept, size, kind, similarity = decision
            kept_id = self._ids[kept * 10:(kept + 1) * 10].hex()
            found.update({"cluster": kept_id, "size": size, "kept": kept_id,
                          "is_kept": kept == index, "kind": kind,
                          "similarity": round(similarity, 4)})
        if index is not None and index < len(self._released) and \
                (decision is None or decision[0] == index):
            self._released[index] = 1
        document.detections[self.name] = found

    def verdict(self, document):
        found = document.detections.get(self.name) or {}
        if found.get("cluster") and not found.get("is_kept"):
            return f"{found['kind']} duplicate of a kept record"
        return None


def _band_keys(rows: np.ndarray) -> np.ndarray:
    """One 64-bit key per row of a band (a collision only costs one similarity check)."""
    weights = np.array([hash64(str(k)) | 1 for k in range(rows.shape[1])], dtype=np.uint64)
    with np.errstate(over="ignore"):
        return (rows.astype(np.uint64) * weights).sum(axis=1, dtype=np.uint64)


def _equal_runs(keys: np.ndarray, items: np.ndarray):
    """Groups (arrays of ``items``, in increasing order) that share a key seen twice or more."""
    order = np.argsort(keys, kind="stable")
    starts, sizes = repeated_runs(keys[order])
    for start, size in zip(starts, sizes):
        yield np.sort(items[order[start:start + size]])
