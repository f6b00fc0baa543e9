"""Exact and near duplicates across the whole run, and which copy is kept."""
from __future__ import annotations

from array import array
from functools import lru_cache

import numpy as np

from clean_corpus import hookimpl
from clean_corpus_plugins.detectors.base import CorpusDetector, hash64
from clean_corpus_plugins.detectors.lsh import BandIndex
from clean_corpus_plugins.detectors.tokens import text_hash, text_shingle_hashes, tokens

_INDEX = "duplicates.index"
_SEED = 1
_SCHEME = "affine32"


#: MurmurHash3's 32-bit finaliser: shifts and multipliers.
_FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35),
           np.uint32(16))


@lru_cache(maxsize=None)
def _permutations(num_perm: int) -> tuple[np.ndarray, np.ndarray]:
    """The affine permutations ``h -> a * h + b mod 2**32`` of datasketch's ``affine32``
    scheme, drawn as it draws them for the seed (odd ``a``: each one is a bijection)."""
    gen = np.random.RandomState(_SEED)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


def minhash(hashes: np.ndarray, num_perm: int) -> np.ndarray:
    """The MinHash of 32-bit shingle hashes: the values datasketch's ``MinHash`` (scheme
    ``affine32``, our seed) gives, computed here so that the workers need not import
    datasketch (whose LSH module loads scipy) for the signature alone."""
    s1, m1, s2, m2, s3 = _FMIX32
    hv = hashes.astype(np.uint32).reshape(-1, 1)
    hv = hv ^ (hv >> s1)
    hv = hv * m1
    hv = hv ^ (hv >> s2)
    hv = hv * m2
    hv = hv ^ (hv >> s3)
    a, b = _permutations(num_perm)
    if not len(hv):
        return np.full(num_perm, np.uint32(0xFFFFFFFF), dtype=np.uint32)
    return (hv * a + b).min(axis=0)


def _band_key(band: bytes) -> bytes:
    # datasketch keys each band by its raw bytes (8 per row); 8 bytes of BLAKE2b say the
    # same for a fraction of the memory. A collision only costs one similarity check.
    return hash64(band.hex()).to_bytes(8, "little")


class Duplicates(CorpusDetector):
    """Exact copies (same normalised text) and near copies (MinHash + LSH) of a record.

    Per document (``detect``, in workers): the hash of the normalised text (case, accents,
    punctuation and number typography folded, see :mod:`.tokens`) and a MinHash of its
    5-word shingles. Each ``corpus_ready`` takes the documents observed since the last call,
    in observe order: a document whose LSH candidates (:mod:`.lsh`, the bands datasketch's
    ``MinHashLSH`` would choose, queried with its MinHash) include one with the same text
    hash is an exact copy of it; otherwise it is inserted into the index (one entry per
    distinct text), and every candidate whose estimated Jaccard similarity reaches
    ``threshold`` joins its cluster. So each document is compared with every earlier one
    once, and a crawl that asks after every page pays for that page only.

    The copy kept in a cluster is, first, one that no per-document detector of the chain
    drops (an error page that happens to be a copy must not take its cluster down with it),
    then the one with the most words, then the smallest text hash, then the smallest id: a
    key derived from content, so the choice never depends on the order inputs were listed
    or on the number of workers. In a crawl a copy already passed on stays the kept one.
    Only a written copy counts as kept: a copy that comes before its kept copy is held back
    (``hold``) until the kept one is settled, and if that one fails or another plugin drops
    it, the next copy by the same key is kept instead (``settled``).
    ``detections["duplicates"]`` tells every record its text ``hash`` and, in a cluster,
    the cluster id (the kept record's id), its ``size``, ``kept``, ``is_kept``, ``kind``
    (exact/near) and the ``similarity`` to the kept copy. Default policy ``drop``: copies
    that are not kept are dropped; ``annotate`` keeps them all.
    """

    name = "duplicates"
    # LSH only proposes candidates, each verified against ``threshold``: weighting false
    # negatives over false positives (datasketch's ``weights``) picks 14 bands of 9 rows
    # instead of 9 of 13, so a pair at 0.8 is found 87 % of the time instead of 40 %.
    defaults = {"policy": "drop", "threshold": 0.8, "num_perm": 128, "shingle_words": 5,
                "lsh_weights": [0.1, 0.9]}
    minimums = {"num_perm": 1}

    def _reset(self) -> None:
        # Per observed document, in compact arrays: num_perm * 4 + 32 bytes each.
        self._signatures = bytearray()
        self._hashes = array("Q")
        self._words = array("I")
        self._ids = bytearray()
        # 1: a per-document detector drops it; 2: written (a crawl never takes it back);
        # 4: settled; 8: settled and not written (failed, or dropped by some plugin).
        self._flags = bytearray()
        self._members: dict[int, list[int]] | None = None  # cluster root -> its documents
        self._judging: dict[str, int] = {}  # record id -> index, from revise to settled
        self._parent = array("q")  # union-find over processed documents
        # Per cluster root of two or more documents: [kept, size, distinct texts].
        self._clusters: dict[int, list[int]] = {}
        self._lsh = None  # the LSH index (.lsh), made when there are texts to compare
        self._pending: list[int] = []  # documents with words, not yet in the index

    # ------------------------------------------------------------ per document
    @hookimpl
    def detect(self, document):
        text = document.clean_text
        words = tokens(text)
        if not words:
            document.signatures[self.name] = None
            return
        signature = minhash(text_shingle_hashes(text, int(self.options["shingle_words"])),
                            int(self.options["num_perm"]))
        document.signatures[self.name] = {
            "hash": text_hash(text), "words": len(words), "minhash": signature.tobytes()}

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
        self._flags.append(1 if self.would_drop(document) else 0)

    # ------------------------------------------------------------- corpus-wide
    @hookimpl
    def corpus_ready(self, run):
        num_perm = int(self.options["num_perm"])
        for index in range(len(self._parent), len(self._hashes)):
            self._parent.append(index)
            if self._words[index]:
                self._pending.append(index)
        if self._lsh is None:
            if len(self._pending) < 2:
                return  # one text is no copy of anything: no index needed yet
            self._lsh = BandIndex(float(self.options["threshold"]), num_perm,
                                  tuple(map(float, self.options["lsh_weights"])), _band_key)
        for index in self._pending:
            self._add(index, num_perm)
        self._pending.clear()
        self._members = None  # clusters may have grown

    def _signature(self, index: int) -> np.ndarray:
        size = 4 * int(self.options["num_perm"])
        return np.frombuffer(self._signatures, dtype=np.uint32,
                             count=size // 4, offset=index * size)

    def _similarity(self, a: int, b: int) -> float:
        return float(np.count_nonzero(self._signature(a) == self._signature(b))) / \
            int(self.options["num_perm"])

    def _add(self, index: int, num_perm: int) -> None:
        """Cluster one new document with the earlier ones its LSH candidates point to."""
        signature = self._signature(index)
        candidates = sorted(self._lsh.query(signature))
        same_text = [c for c in candidates if self._hashes[c] == self._hashes[index]]
        if same_text:
            # Identical MinHash, identical candidates: the text's first copy stands for it.
            self._union(index, same_text[0], shared_texts=1)
            return
        self._lsh.insert(index, signature)
        threshold = float(self.options["threshold"])
        joined = False
        for other in candidates:
            # A candidate already in this document's cluster adds nothing: a template page
            # with a thousand copies costs one comparison, not a thousand.
            if joined and self._find(other) == self._find(index):
                continue
            if self._similarity(index, other) >= threshold:
                self._union(index, other, shared_texts=0)
                joined = True

    # union-find; components do not depend on the order the edges come in.
    def _find(self, i: int) -> int:
        parent = self._parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def _rank(self, i: int) -> tuple:
        # Released first (a crawl never takes back a copy passed on), then not dropped by
        # another detector, then most words, smallest text hash, smallest id: content only.
        # A copy known to be lost (settled, not written) comes last of all.
        return (not self._flags[i] & 2, self._flags[i] & 8, self._flags[i] & 1,
                -self._words[i], self._hashes[i], self._packed_id(i))

    def _union(self, new: int, other: int, shared_texts: int) -> None:
        a, b = self._find(new), self._find(other)
        if a == b:
            return
        first = self._clusters.pop(a, None) or [a, 1, 1]
        second = self._clusters.pop(b, None) or [b, 1, 1]
        kept = min(first[0], second[0], key=self._rank)
        distinct = first[2] + second[2] - shared_texts  # an exact copy adds no text
        root, child = min(a, b), max(a, b)
        self._parent[child] = root
        self._clusters[root] = [kept, first[1] + second[1], distinct]

    # ------------------------------------------------------------- per record
    @hookimpl
    def revise(self, document):
        signature = document.signatures.get(self.name)
        found = {"hash": None if signature is None else f"{signature['hash']:016x}",
                 "cluster": None}
        index = document.signatures.get(_INDEX)
        cluster = self._cluster_of(index)
        if cluster is not None:
            kept, size, distinct = cluster
            kept_id = self._record_id(kept)
            if index == kept:
                kind, similarity = ("exact" if distinct == 1 else "near"), 1.0
            elif self._hashes[index] == self._hashes[kept]:
                kind, similarity = "exact", 1.0
            else:
                kind, similarity = "near", self._similarity(index, kept)
            found.update({"cluster": kept_id, "size": size, "kept": kept_id,
                          "is_kept": kept == index, "kind": kind,
                          "similarity": round(similarity, 4)})
        if index is not None:
            self._judging[document.id] = index
        document.detections[self.name] = found

    def _cluster_of(self, index: int | None) -> list[int] | None:
        if index is None or index >= len(self._parent):
            return None
        return self._clusters.get(self._find(index))

    @hookimpl
    def hold(self, document):
        # A copy waits until the copy its cluster keeps is settled: if that one is lost,
        # this one may be kept instead.
        if not self.drops:
            return False
        index = document.signatures.get(_INDEX)
        cluster = self._cluster_of(index)
        return cluster is not None and cluster[0] != index and not self._flags[cluster[0]] & 4

    @hookimpl
    def settled(self, document, status):
        index = self._judging.pop(document.id, None)
        if index is None:
            index = document.signatures.get(_INDEX)
        if index is None or index >= len(self._flags):
            return
        self._flags[index] |= 4 | (2 if status == "written" else 8)
        cluster = self._cluster_of(index)
        if cluster is not None and cluster[0] == index and status != "written":
            cluster[0] = min(self._members_of(self._find(index)), key=self._rank)

    def _members_of(self, root: int) -> list[int]:
        # Built once for every cluster, on the first kept copy lost after corpus_ready.
        if self._members is None:
            self._members = {}
            for index in range(len(self._parent)):
                found = self._find(index)
                if found in self._clusters:
                    self._members.setdefault(found, []).append(index)
        return self._members[root]

    def verdict(self, document):
        found = document.detections.get(self.name) or {}
        if found.get("cluster") and not found.get("is_kept"):
            return f"{found['kind']} duplicate of a kept record"
        return None
