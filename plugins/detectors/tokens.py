"""Words and word shingles as the corpus-level detectors compare them (helpers, not a plugin).

Two copies of a text should compare equal whatever their typography: case, accents,
punctuation, the kind of apostrophe, and how thousands are written ("1.500", "1 500",
"1500") are folded away. Scripts written without spaces (Chinese, Japanese, Thai) have no
words to split on, so each of their characters counts as a word.

``duplicates`` and ``text_reuse`` read the same text of the same document one after the
other, so the words, the shingle hashes and the text hash are cached for the last few texts
(the arrays handed out are read-only: they are shared).
"""
from __future__ import annotations

import re
from functools import lru_cache
from hashlib import blake2b

import numpy as np

from clean_corpus_plugins.detectors.base import hash64
from clean_corpus_plugins.lexicon import fold_text

# "1.500", "1 500", "1,500", "1 500" (narrow no-break space) are one number.
_THOUSANDS = re.compile(r"(?<=\d)[ .,\u00a0\u202f'’](?=\d{3}(?!\d))")
#: Letters of scripts written without spaces between words (Thai, Japanese kana, CJK).
UNSPACED = re.compile(r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")


@lru_cache(maxsize=4)
def tokens(text: str) -> tuple[str, ...]:
    """The folded words of ``text``."""
    # no thousands separator stands at a line break, so the paragraphs come out of the
    # substitution as they went in: most are the record's blocks, folded already (cached)
    folded = fold_text(_THOUSANDS.sub("", text))
    if not UNSPACED.search(folded):  # the usual text: no word to cut in characters
        return tuple(folded.split())
    out: list[str] = []
    for word in folded.split():
        if UNSPACED.search(word):
            out.extend(word)
        else:
            out.append(word)
    return tuple(out)


@lru_cache(maxsize=4)
def text_hash(text: str) -> int:
    """The hash of the folded words of ``text``: equal for copies that differ in typography."""
    return hash64(" ".join(tokens(text)))


@lru_cache(maxsize=4)
def text_shingle_hashes(text: str, size: int) -> np.ndarray:
    """:func:`shingle_hashes` of the words of ``text`` (read-only)."""
    hashes = shingle_hashes(tokens(text), size)
    hashes.flags.writeable = False
    return hashes


def shingles(words: tuple[str, ...], size: int) -> list[str]:
    """Every run of ``size`` consecutive words (the whole text when it is shorter)."""
    if len(words) < size:
        return [" ".join(words)] if words else []
    return [" ".join(words[i:i + size]) for i in range(len(words) - size + 1)]


def shingle_hashes(words: tuple[str, ...], size: int) -> np.ndarray:
    """32-bit hashes of the shingles, in text order (stable across processes and runs):
    the low 32 bits of :func:`hash64`, the first 4 bytes of its digest."""
    if size < 1 or len(words) < size:
        parts = [s.encode("utf-8", "surrogatepass") for s in shingles(words, size)]
    else:
        # each shingle's bytes cut out of the words' bytes joined once (a space is one
        # byte, found in no word): no string joined and encoded per shingle
        data = " ".join(words).encode("utf-8", "surrogatepass")
        spaces = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 32).tolist()
        starts, ends = [0, *(at + 1 for at in spaces)], [*spaces, len(data)]
        parts = [data[s:e] for s, e in zip(starts, ends[size - 1:])]
    digests = b"".join([blake2b(part, digest_size=8).digest()[:4] for part in parts])
    return np.frombuffer(digests, dtype="<u4").astype(np.uint32)


def winnow(hashes: np.ndarray, window: int) -> np.ndarray:
    """The distinct minimum hash of every ``window`` consecutive shingles (winnowing).

    Schleimer, Wilkerson and Aiken's fingerprint selection: any passage two texts share
    that spans at least ``window`` shingles yields at least one common fingerprint, and
    about ``2 / (window + 1)`` of the shingles are kept, so the share of fingerprints two
    texts have in common estimates the share of text they have in common.
    """
    if len(hashes) <= window:
        return np.unique(hashes)
    views = np.lib.stride_tricks.sliding_window_view(hashes, window)
    return np.unique(views.min(axis=1))
