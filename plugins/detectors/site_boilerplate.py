"""Lines a site repeats on many of its pages, learned from the corpus itself."""
from __future__ import annotations

import json
import math
import os
import re
import tempfile
from array import array
from pathlib import Path

import numpy as np

from clean_corpus import hookimpl
from clean_corpus_plugins.detectors.base import CorpusDetector, SortedRuns, hash64
from clean_corpus_plugins.lexicon import fold, fold_text

PROFILE_VERSION = 1


def profile_file_name(site: str) -> str:
    """A file name for a site's profile: the site itself when it is safe, else a slug + hash."""
    slug = re.sub(r"[^A-Za-z0-9.-]+", "_", site).strip("._-")[:80] or "site"
    if slug != site:
        slug += f"-{hash64(site):016x}"[:9]
    return slug + ".json"


def _write_atomically(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class SiteBoilerplate(CorpusDetector):
    """Remove the lines and paragraphs a site repeats across many of its documents.

    A header, a footer, a comment prompt or a newsletter box that the cleaners' lexicons do
    not know still gives itself away by repetition: the same block on page after page of
    one site (``document.site``: the host of the URL, or the folder of a local file). Over
    the run, each distinct block of each document is counted once (identical documents
    count once, so a page saved twice does not turn its own paragraphs into boilerplate).
    A block is boilerplate of its site when it occurs in at least ``min_docs`` documents
    and in at least ``min_share`` of the site's documents; in ``revise`` it is removed with
    ``document.drop_block`` and the reason (policy ``drop``, the default), or only counted
    in ``detections["site_boilerplate"]`` (policy ``annotate``). Each ``corpus_ready``
    counts only the documents observed since the last call (into sorted indexes of block
    and document hashes), so in a crawl a site's profile grows as its pages arrive and a
    block becomes boilerplate once it reaches both thresholds.

    Profiles: with ``profile_dir`` set, what was learned is saved there at the end of the
    run, one JSON file per site (``lines`` with their text and counts), to be read, edited
    (delete an entry to keep that line, add ``{"text": ...}`` to remove one) and applied to
    a later run with ``load_profiles = true``: a loaded line is removed whatever its count
    in the new run, and a run that loads and learns saves both.
    """

    name = "site_boilerplate"
    defaults = {"policy": "drop", "min_docs": 5, "min_share": 0.1, "max_chars": 1000,
                "learn": True, "profile_dir": "", "load_profiles": False}

    def _reset(self) -> None:
        # Documents observed since the last corpus_ready: 8 bytes per distinct block + 20.
        self._keys = array("Q")
        self._key_counts = array("I")
        self._doc_hash = array("Q")
        self._doc_site = array("I")
        # What corpus_ready took in: 8 bytes per block of a distinct document, 8 per
        # distinct document.
        self._block_index = SortedRuns()
        self._doc_index = SortedRuns()
        self._sites: dict[str, int] = {}
        self._learned: dict[int, int] = {}
        self._site_docs: dict[str, int] = {}
        self._loaded: dict[int, tuple[str, str]] = {}  # key -> (site, text)
        self._profile_counts: dict[int, int] = {}
        self._seen: dict[int, tuple[str, str, int]] = {}  # key -> (site, text, documents)

    def _key(self, site: str, text: str) -> int | None:
        if not text or len(text) > int(self.options["max_chars"]):
            return None
        folded = fold(text)
        return hash64(f"{site}\x00{folded}") if folded else None

    # ----------------------------------------------------------------- run state
    @hookimpl
    def run_start(self, run):
        super().run_start(run)
        if self.options["load_profiles"]:
            self._load_profiles()

    def _profile_dir(self) -> Path | None:
        value = str(self.options.get("profile_dir") or "")
        return Path(value) if value else None

    def _load_profiles(self) -> None:
        folder = self._profile_dir()
        if folder is None or not folder.is_dir():
            raise ValueError(f"load_profiles is set but profile_dir {folder} is not a folder")
        for path in sorted(folder.glob("*.json")):
            try:
                profile = json.loads(path.read_text(encoding="utf-8"))
                site = profile["site"]
                for line in profile.get("lines", []):
                    key = self._key(site, line["text"])
                    if key is not None:
                        self._loaded[key] = (site, line["text"])
                        self._profile_counts[key] = int(line.get("documents") or 0)
            except (ValueError, KeyError, TypeError) as exc:
                raise ValueError(f"site profile {path} is not valid: {exc!r}") from exc

    # -------------------------------------------------------------- per document
    @hookimpl
    def detect(self, document):
        """The keys of the document's blocks and of its whole text, folded in the worker
        (the main process, which every document passes through, only reads them)."""
        site = document.site or ""
        document.signatures[self.name] = {
            "blocks": {block.text: self._key(site, block.text) for block in document.blocks},
            "document": hash64(site + "\x00" + fold_text(document.clean_text))}

    def _block_keys(self, document) -> dict:
        signature = document.signatures.get(self.name)
        return signature["blocks"] if signature else {}

    @hookimpl
    def observe(self, document):
        if not self.options["learn"]:
            return
        site = document.site or ""
        known = self._block_keys(document)
        keys = {known[b.text] if b.text in known else self._key(site, b.text)
                for b in document.blocks} - {None}
        self._keys.extend(sorted(keys))
        self._key_counts.append(len(keys))
        signature = document.signatures.get(self.name)
        self._doc_hash.append(signature["document"] if signature else
                              hash64(site + "\x00" + fold_text(document.clean_text)))
        self._doc_site.append(self._sites.setdefault(site, len(self._sites)))

    # --------------------------------------------------------------- corpus-wide
    @hookimpl
    def corpus_ready(self, run):
        """Count the blocks of the documents observed since the last call into the site
        profiles; a block is learned as soon as its count reaches ``min_docs``."""
        n = len(self._doc_hash)
        if not n:
            return
        doc_hash = np.frombuffer(self._doc_hash, dtype=np.uint64)
        distinct = np.zeros(n, dtype=bool)
        distinct[np.unique(doc_hash, return_index=True)[1]] = True
        if len(self._doc_index):
            distinct &= self._doc_index.count(doc_hash) == 0
        self._doc_index.add(doc_hash[distinct])
        sites = {i: site for site, i in self._sites.items()}
        per_site = np.bincount(np.frombuffer(self._doc_site, dtype=np.uint32)[distinct],
                               minlength=len(self._sites))
        for i in np.flatnonzero(per_site).tolist():
            self._site_docs[sites[i]] = self._site_docs.get(sites[i], 0) + int(per_site[i])
        # Keys of the new distinct documents only (a copy, sorted in place); a key's count
        # is its documents in this batch plus those in the index.
        keys = np.frombuffer(self._keys, dtype=np.uint64)[
            np.repeat(distinct, np.frombuffer(self._key_counts, dtype=np.uint32))]
        del doc_hash
        self._keys, self._key_counts = array("Q"), array("I")
        self._doc_hash, self._doc_site = array("Q"), array("I")
        keys.sort()
        starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if len(keys) else \
            np.zeros(0, dtype=np.int64)
        counts = np.diff(np.r_[starts, len(keys)])
        distinct_keys = keys[starts]
        if len(self._block_index):
            counts += self._block_index.count(distinct_keys)
        self._block_index.add(keys, presorted=True)
        often = counts >= int(self.options["min_docs"])
        self._learned.update(zip(distinct_keys[often].tolist(), counts[often].tolist(), strict=True))

    def _needed(self, site: str) -> int:
        share = float(self.options["min_share"]) * self._site_docs.get(site, 0)
        return max(int(self.options["min_docs"]), math.ceil(share))

    # ----------------------------------------------------------------- per record
    @hookimpl
    def revise(self, document):
        site = document.site or ""
        needed, total = self._needed(site), self._site_docs.get(site, 0)
        found = {"lines": 0, "chars": 0}
        known = self._block_keys(document)  # a block another plugin changed is keyed anew
        for block in list(document.blocks):
            key = known[block.text] if block.text in known else self._key(site, block.text)
            if key is None:
                continue
            count = self._learned.get(key, 0)
            if count >= needed:
                reason = f"site boilerplate: in {count} of {total} documents of the site"
                documents = count
            elif key in self._loaded:
                reason = "site boilerplate: listed in the site's profile"
                documents = max(count, self._profile_counts.get(key, 0))
            else:
                continue
            seen = self._seen.get(key)
            text = block.text if seen is None else min(seen[1], block.text)
            self._seen[key] = (site, text, documents)
            found["lines"] += 1
            found["chars"] += len(block.text)
            if self.drops:
                document.drop_block(block, self.name, reason)
        document.detections[self.name] = found

    def verdict(self, document):
        return None  # this detector removes lines; it never drops a whole document

    @hookimpl
    def run_end(self, run, stats):
        folder = self._profile_dir()
        if folder is None:
            return
        by_site: dict[str, dict[str, int]] = {}
        for key, (site, text) in self._loaded.items():
            by_site.setdefault(site, {})[text] = self._profile_counts.get(key, 0)
        for site, text, documents in self._seen.values():
            lines = by_site.setdefault(site, {})
            lines[text] = max(documents, lines.get(text, 0))
        folder.mkdir(parents=True, exist_ok=True)
        for site, lines in sorted(by_site.items()):
            total = self._site_docs.get(site, 0)
            profile = {
                "version": PROFILE_VERSION,
                "site": site,
                "documents": total,
                "min_docs": int(self.options["min_docs"]),
                "min_share": float(self.options["min_share"]),
                "lines": [{"text": text, "documents": count,
                           "share": round(count / total, 4) if total else None}
                          for text, count in sorted(lines.items(),
                                                    key=lambda item: (-item[1], item[0]))],
            }
            _write_atomically(folder / profile_file_name(site),
                              json.dumps(profile, ensure_ascii=False, indent=2) + "\n")
