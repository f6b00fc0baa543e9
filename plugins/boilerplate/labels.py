"""Block labels derived by aligning a page's blocks with its known main content.

A block is content when most of its words sit in a word n-gram that also occurs in the
reference text. N-grams are taken over the page's whole word stream, across block
boundaries, so a one-word heading followed by the paragraph it introduces is aligned
through the n-grams it shares with that paragraph, while a lone "Home" or "Share" between
menus finds no n-gram of the reference to sit in, even though the word itself may occur
there. Words are lower-cased ``\\w+`` tokens, as the benchmark's scorer counts them.
"""
from __future__ import annotations

import re

TOKEN = re.compile(r"\w+")


def tokens(text: str) -> list[str]:
    """Lower-cased ``\\w+`` words, as word F1 is scored."""
    return TOKEN.findall(text.lower())


def coverage(blocks: list[str], reference: str, n: int = 3) -> list[float]:
    """For each block, the share of its words covered by an n-gram of ``reference``.

    A block without words gets 0.0. A reference shorter than ``n`` words is matched with
    n-grams of its own length.
    """
    ref = tokens(reference)
    n = max(1, min(n, len(ref)))
    grams = {tuple(ref[i:i + n]) for i in range(len(ref) - n + 1)} if ref else set()
    stream: list[str] = []
    owner: list[int] = []
    for index, block in enumerate(blocks):
        words = tokens(block)
        stream.extend(words)
        owner.extend([index] * len(words))
    covered = [False] * len(stream)
    for i in range(len(stream) - n + 1):
        if tuple(stream[i:i + n]) in grams:
            for j in range(i, i + n):
                covered[j] = True
    hits = [0] * len(blocks)
    totals = [0] * len(blocks)
    for index, hit in zip(owner, covered):
        totals[index] += 1
        hits[index] += hit
    return [h / t if t else 0.0 for h, t in zip(hits, totals)]


def content_labels(blocks: list[str], reference: str, min_share: float = 0.5) -> list[int]:
    """1 for a block that is main content (``min_share`` of its words aligned), else 0."""
    return [int(share >= min_share) for share in coverage(blocks, reference)]
