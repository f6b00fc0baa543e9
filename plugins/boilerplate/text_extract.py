"""The extraction step of text documents: lines, long lines cut, boilerplate left out."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from clean_corpus import Plugin, hookimpl
from clean_corpus.document import Block, Extraction, Removal, normalize_text
from clean_corpus_plugins.boilerplate.features import text_features
from clean_corpus_plugins.boilerplate.model import load_model
from clean_corpus_plugins.boilerplate.segment import MIN_CHARS, segments

#: The model shipped with the package, trained on text in every scraped form.
TEXT_MODEL = Path(__file__).with_name("model-text.json")


def keep_mask(p: np.ndarray, threshold: float) -> np.ndarray:
    """Blocks to keep; when none clears the threshold, the likeliest block and its run.

    A page with main content must never come out empty because the model was unsure of
    every block: the block it rates highest stays, with the neighbours rated at least
    half as high.
    """
    keep = p >= threshold
    if keep.any() or not len(p):
        return keep
    best = int(np.argmax(p))
    keep[best] = True
    for step in (-1, 1):
        i = best + step
        while 0 <= i < len(p) and p[i] >= p[best] / 2:
            keep[i] = True
            i += step
    return keep


def line_pieces(lines: list[str], min_chars: int = MIN_CHARS) -> list[tuple[int, int, int]]:
    """``(line, start, end)`` of every piece: a line, or a part of a long line."""
    return [(n, s, e) for n, line in enumerate(lines) for s, e in segments(line, min_chars)]


class TextExtractor(Plugin):
    """Blocks of a text document, less the boilerplate the classifier finds.

    Each line is a block; a line of ``segment_min_chars`` or more (a page scraped onto one
    line) is first cut into sentences and runs of menu-like words. The classifier rates
    every piece and drops those under ``threshold`` (the model's own when unset), each as
    one ``removed`` entry with its score; the kept pieces of a line stay one block.

    Options: ``threshold`` (P(content) a piece needs), ``model`` (a model file to use
    instead of the shipped one), ``segment_min_chars``.
    """

    name = "text_classifier"
    defaults = {"threshold": None, "model": None, "segment_min_chars": MIN_CHARS}

    @hookimpl(trylast=True)
    def extract(self, document):
        if document.html is not None:
            return None
        model = load_model(str(self.options["model"] or TEXT_MODEL))
        threshold = self.options["threshold"]
        lines = [line for line in normalize_text(document.text or "").split("\n") if line]
        pieces = line_pieces(lines, int(self.options["segment_min_chars"]))
        texts = [lines[n][s:e] for n, s, e in pieces]
        p = model.predict_page(text_features(texts))
        keep = keep_mask(p, model.threshold if threshold is None else float(threshold))
        blocks: list[Block] = []
        removed: list[Removal] = []
        run: tuple[int, int, int] | None = None  # line, start, end of the kept run
        for (n, s, e), kept, score in zip(pieces, keep, p):
            if not kept:
                removed.append(Removal(self.name, "boilerplate (classifier)", lines[n][s:e],
                                       score=float(1.0 - score)))
                if run:
                    blocks.append(Block(lines[run[0]][run[1]:run[2]], "line"))
                    run = None
            elif run and run[0] == n:
                run = (n, run[1], e)
            else:
                if run:
                    blocks.append(Block(lines[run[0]][run[1]:run[2]], "line"))
                run = (n, s, e)
        if run:
            blocks.append(Block(lines[run[0]][run[1]:run[2]], "line"))
        return Extraction(blocks=blocks, removed=removed)
