"""Text documents: their extraction step (lines, long lines cut, wrapped paragraphs joined)
and the classifier's pass."""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from clean_corpus import Plugin, hookimpl
from clean_corpus.config import ConfigError
from clean_corpus.document import Block, Extraction, input_line_starts, normalize_text
from clean_corpus_plugins.boilerplate.boundaries import (BOUNDARY_MODEL, BoundaryModel,
                                                          load_boundaries)
from clean_corpus_plugins.boilerplate.model import load_model
from clean_corpus_plugins.boilerplate.segment import MIN_CHARS, segments
from clean_corpus_plugins.boilerplate.wrapped import has_blank_line, paragraphs

#: The model shipped with the package, trained on text in every scraped form.
TEXT_MODEL = Path(__file__).with_name("model-text.json")

#: A block's pieces: ``(line, start, end)`` of each part of a line it was made of.
Pieces = list[tuple[int, int, int]]

#: A list marker opening a line: a bullet, an asterisk, a hyphen, a plus or an arrow, then
#: spaces. It is the list's formatting, as an HTML list item's bullet is, so a block is
#: read without it: "• Foto: X" is the caption "Foto: X" to the cleaners and the model,
#: as it is on a page scraped without bullets. (Dashes opening dialogue are text.)
LIST_MARKER = re.compile(r"[•·▪►◦‣○●■*+\-→»›][ \t]+(?=\S)")


def block_pieces(text: str, min_chars: int = MIN_CHARS, join_wrapped: bool = True,
                 labels: bool = False, boundaries: BoundaryModel | None = None
                 ) -> tuple[list[str], list[Pieces]]:
    """A text's non-empty normalised lines, and the pieces of each of its blocks: a line,
    a part of a long line (:mod:`.segment`), or, with ``join_wrapped``, every line of a
    hard-wrapped paragraph (:mod:`.wrapped`). With ``labels``, a long line is also cut
    before the boilerplate labels inside it, and with ``boundaries`` a line holding half
    the text or more (a page on one line) also where that model finds two blocks met, as
    the chain cuts it (training does not: the shipped model
    learned its pages without these cuts)."""
    all_lines = normalize_text(text).split("\n")
    lines = [line for line in all_lines if line]
    if join_wrapped and has_blank_line(text):
        groups = paragraphs(all_lines)
    else:
        groups = [[n] for n in range(len(lines))]
    blocks: list[Pieces] = []
    # the boundary model looks for a page's blocks inside a line that holds most of the
    # page (a page on one line), not inside a long paragraph among the page's lines
    page_line = _page_line_length(lines)
    for group in groups:
        if len(group) > 1:
            blocks.append([(n, 0, len(lines[n])) for n in group])
        else:
            line = lines[group[0]]
            blocks += [[(group[0], s, e)] for s, e in segments(
                line, min_chars, labels, boundaries if len(line) >= page_line else None)]
    return lines, blocks


def _page_line_length(lines: list[str]) -> float:
    """How long a line must be to hold the page: half the characters of all ``lines``."""
    return sum(map(len, lines)) / 2


def on_one_line(text: str) -> bool:
    """Whether ``text`` is a page scraped onto one line: one of its lines holds half its
    characters or more, the line :func:`block_pieces` cuts also where the boundary model
    finds two blocks met."""
    lines = [line for line in normalize_text(text).split("\n") if line]
    return bool(lines) and max(map(len, lines)) >= _page_line_length(lines)


def page_threshold(options: dict, model_threshold: float, known: float | None,
                   one_line: bool) -> float:
    """The P(content) a block of one page needs, by :class:`TextClassifier`'s ``options``:
    ``threshold`` (the model's, ``model_threshold``, when unset), ``one_line_threshold`` on
    a page scraped onto one line, ``unfamiliar_threshold`` before both on a page whose
    words the vocabulary knows less than ``familiar`` of (``known``)."""
    threshold = options["threshold"]
    threshold = model_threshold if threshold is None else float(threshold)
    if one_line and options["one_line_threshold"]:
        threshold = float(options["one_line_threshold"])
    if known is not None and known < float(options["familiar"]):
        threshold = float(options["unfamiliar_threshold"])
    return threshold


def set_markers_aside(lines: list[str], blocks: list[Pieces]) -> dict[int, int]:
    """Each block that opens a line with a list marker starts after the marker; the index
    of each such block and the length of its marker.

    Only the chain's extraction sets markers aside; training reads the lines as they
    are (:func:`text_blocks`), as the shipped model was trained (a model retrained with them set
    aside is another model, not cross-validated yet: docs/classifier-experiments.md)."""
    aside = {}
    for i, pieces in enumerate(blocks):
        n, start, end = pieces[0]
        marker = LIST_MARKER.match(lines[n]) if start == 0 else None
        if marker and marker.end() < end:
            pieces[0] = (n, marker.end(), end)
            aside[i] = marker.end()
    return aside


def _joined(lines: list[str], pieces: Pieces) -> str:
    return " ".join(lines[n][s:e] for n, s, e in pieces)


def text_blocks(text: str, min_chars: int = MIN_CHARS, join_wrapped: bool = True) -> list[str]:
    """A text document's blocks as :class:`TextLines` makes them."""
    lines, blocks = block_pieces(text, min_chars, join_wrapped)
    return [_joined(lines, pieces) for pieces in blocks]


def _placed_block(lines: list[str], starts: list[int], pieces: Pieces, marker: int = 0) -> Block:
    """The block of ``pieces`` (one space between two), with where each stood in the
    input text: a paragraph joined from lines is not there verbatim to be found. A block
    starting ``marker`` characters into its line, after a list marker, is a line."""
    kind = "line" if pieces[0][1] == marker else "piece"
    if len(pieces) == 1:  # the usual block, a line or a part of one: made the short way
        n, s, e = pieces[0]
        return Block(lines[n][s:e], kind, origin=[(0, starts[n] + s, e - s)])
    origin, at = [], 0
    for n, s, e in pieces:
        origin.append((at, starts[n] + s, e - s))
        at += e - s + 1
    return Block(_joined(lines, pieces), kind, origin=origin)


def keep_mask(p: np.ndarray, threshold: float, relative: float = 0.0) -> np.ndarray:
    """Blocks to keep: those rated ``threshold`` or more, or ``relative`` times the
    page's likeliest block or more; when none is, the likeliest block and its run.

    The model's probabilities are surest on pages like those it learned from; on a page
    unlike them (a table of figures, a list of short items) it rates the main content low
    but still above the menus, and a threshold relative to the page's best block keeps it.
    A page with main content must never come out empty because the model was unsure of
    every block: the block it rates highest stays, with the neighbours rated at least
    half as high.
    """
    if len(p) and relative > 0:
        threshold = min(threshold, relative * float(p.max()))
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


def _has_words(blocks: list[Block], count: int) -> bool:
    """Whether ``blocks`` hold ``count`` words or more (read only as far as they go)."""
    words = 0
    for block in blocks:
        if words >= count:
            return True
        words += len(block.text.split())
    return words >= count


class TextLines(Plugin):
    """The blocks of a text document: its lines, a long line cut into its pieces.

    A line of ``segment_min_chars`` or more (a page scraped onto one line) is cut into
    sentences and runs of menu-like words (:mod:`clean_corpus_plugins.boilerplate.segment`),
    and, with ``boundaries`` (the default), at the gaps where the learned boundary model
    (:mod:`clean_corpus_plugins.boilerplate.boundaries`; ``boundary_model`` names another
    file) finds two of the page's blocks met,
    so that the cleaners and the classifier can tell its menu from its article: the first
    part is a "line" block, the others "piece" blocks; once every cleaner has run, the
    pieces still standing next to each other are joined back into one paragraph.

    With ``join_wrapped``, a text with blank lines between its paragraphs (a lynx or
    html2text dump) has each run of lines between blank lines that was hard-wrapped at
    the page's width read as one "line" block, its lines joined by a space
    (:mod:`clean_corpus_plugins.boilerplate.wrapped`); a text without blank lines is read
    line by line whatever the option.

    A list marker opening a line (:data:`LIST_MARKER`) is set aside: the cleaners and the
    classifier read the item without it, and the items still standing get it back.
    """

    name = "text_lines"
    defaults = {"segment_min_chars": MIN_CHARS, "join_wrapped": True, "boundaries": True,
                "boundary_model": None, "boundary_threshold": None}

    #: (document id, {block id: (block, its list marker, the marker's input offset)}),
    #: from extract to clean.
    _markers: tuple[str, dict[int, tuple[Block, str, int]]] | None = None

    @hookimpl
    def configure(self, config):
        super().configure(config)
        if self.options["boundaries"]:
            try:  # a model file that cannot be read stops the run before any document
                self._boundaries()
            except (OSError, ValueError, KeyError) as exc:
                raise ConfigError(f"[plugin.{self.name}] boundary_model: cannot load "
                                  f"{self.options['boundary_model'] or BOUNDARY_MODEL}: "
                                  f"{exc}") from exc

    def _boundaries(self) -> BoundaryModel | None:
        if not self.options["boundaries"]:
            return None
        model = load_boundaries(str(self.options["boundary_model"] or BOUNDARY_MODEL))
        threshold = self.options["boundary_threshold"]
        return model if threshold is None else model.at(float(threshold))

    @hookimpl(trylast=True)
    def extract(self, document):
        if document.html is not None:
            return None
        boundaries = self._boundaries()
        lines, blocks = block_pieces(document.text or "", int(self.options["segment_min_chars"]),
                                     bool(self.options["join_wrapped"]),
                                     labels=True, boundaries=boundaries)
        aside = set_markers_aside(lines, blocks)
        starts = input_line_starts(lines)
        placed = [_placed_block(lines, starts, pieces, aside.get(i, 0))
                  for i, pieces in enumerate(blocks)]
        markers = {}
        for i, length in aside.items():
            n = blocks[i][0][0]
            markers[id(placed[i])] = (placed[i], lines[n][:length], starts[n])
        self._markers = (document.id, markers)
        return Extraction(blocks=placed)

    def _restore_markers(self, document) -> None:
        """The list items still standing get their marker back: it was set aside for the
        cleaners and the classifier only, and the record keeps the list as it was."""
        markers = self._markers[1] if self._markers and self._markers[0] == document.id else {}
        self._markers = None
        for block in document.blocks if markers else ():
            item, marker, start = markers.get(id(block), (None, "", 0))
            if item is not block:
                continue  # not an item, or a block a cleaner made in its place
            if block.origin is not None:
                block.origin = [(0, start, len(marker))] + [
                    (at + len(marker), offset, length) for at, offset, length in block.origin]
            block.text = marker + block.text

    @hookimpl(trylast=True)
    def clean(self, document):
        """List items get their marker back; kept pieces of one line of the input become
        one block again (one paragraph)."""
        self._restore_markers(document)
        joined: list[Block] = []
        for block in document.blocks:
            if block.kind == "piece" and joined and joined[-1].kind in ("line", "piece"):
                previous = joined[-1]
                start = len(previous.text) + 1
                previous.text = f"{previous.text} {block.text}"
                previous.link_chars += block.link_chars
                if previous.origin is not None and block.origin is not None:
                    previous.origin = previous.origin + [(at + start, offset, length)
                                                         for at, offset, length in block.origin]
                continue
            joined.append(block)
        document.blocks = joined


class TextClassifier(Plugin):
    """Drop the blocks of a text document that the boilerplate classifier rejects.

    Drops after the rule cleaners, which lift the date line, kicker, title and byline into
    fields before anything else could take them; rates the blocks before them, as
    extracted (``score_on = "page"``): the model was trained on whole pages, and a rule
    removing a "Comments" line first would hide from it where the page's tail begins
    (devset as text: boilerplate left 0.204 -> 0.178 at the same recall; wcxb-dev
    unchanged within 0.002; docs/classifier-experiments.md). ``"cleaned"`` rates what
    the rules left.
    Blocks a rule cleaner made are kept. Every block the model rates under
    ``threshold`` (P(content); the model's own when unset) and under ``relative`` times
    the page's likeliest block (0 switches this off) is one ``removed`` entry whose
    score is P(boilerplate). On a page whose words the model's vocabulary knows less than
    ``familiar`` of (another language than most training pages': content words it does
    not know lift no block), ``unfamiliar_threshold`` replaces ``threshold`` (0 for
    ``familiar`` switches this off). A page scraped onto one line (:func:`on_one_line`),
    whose blocks are pieces the segmentation and the boundary model cut, is rated against
    ``one_line_threshold`` instead of ``threshold`` (0: the same; the unfamiliar-page
    threshold still comes first). ``model`` names another model file than the shipped one. A
    document of fewer than ``min_blocks`` blocks or ``min_words`` words (a note, a few
    paragraphs) is no page as scrapers leave it, with menus and footers around the text,
    and too short for the features that read a page's layout: it is left to the rules.
    """

    name = "text_classifier"
    defaults = {"threshold": None, "relative": 0.6, "familiar": 0.85,
                "unfamiliar_threshold": 0.3, "one_line_threshold": 0.5, "model": None,
                "min_words": 30, "min_blocks": 6, "score_on": "page"}

    @hookimpl
    def configure(self, config):
        super().configure(config)
        if self.options["score_on"] not in ("page", "cleaned"):
            raise ConfigError(f"[plugin.{self.name}] score_on must be 'page' or 'cleaned', "
                              f"got {self.options['score_on']!r}")
        for name in ("relative", "familiar", "unfamiliar_threshold", "one_line_threshold"):
            value = self.options[name]
            if isinstance(value, bool) or not isinstance(value, (int, float)) \
                    or not 0.0 <= value <= 1.0:
                raise ConfigError(f"[plugin.{self.name}] {name} must be between 0 and 1, "
                                  f"got {value!r}")

    _scored: tuple[str, dict | None] | None = None  # (document id, verdicts), extract to clean

    def _verdicts(self, blocks: list[Block], one_line: bool
                  ) -> dict[int, tuple[Block, float]] | None:
        """Each block to drop and its P(content), by the block's identity (the block is
        held, so its id is not reused while the verdicts live); None when the page is too
        short for the classifier. ``one_line``: the page came on one line."""
        if len(blocks) < int(self.options["min_blocks"]) or \
                not _has_words(blocks, int(self.options["min_words"])):
            return None
        model = load_model(str(self.options["model"] or TEXT_MODEL))
        p, known = model.rate_texts([b.text for b in blocks])
        # one line: measured, not explained (wcxb-dev as one line, cross-validated, 0.824
        # -> 0.828 at 0.5 with the shipped boundary model; docs/classifier.md)
        threshold = page_threshold(self.options, model.threshold, known, one_line)
        keep = keep_mask(p, threshold, float(self.options["relative"]))
        return {id(b): (b, float(pb))
                for b, pb, k in zip(blocks, p.tolist(), keep.tolist()) if not k}

    @hookimpl(wrapper=True)
    def extract(self, document):
        # With ``score_on = "page"`` the blocks are rated as extracted, with the whole
        # page around them (what the model was trained on): a rule cleaner removing a
        # "Comments" line must not hide from the model where the page's tail begins.
        extraction = yield
        self._scored = None
        if self.options["score_on"] == "page" and document.html is None \
                and extraction is not None and extraction.blocks:
            self._scored = (document.id, self._verdicts(list(extraction.blocks),
                                                        on_one_line(document.text or "")))
        return extraction

    @hookimpl
    def clean(self, document):
        if document.html is not None or not document.blocks:
            return
        blocks = list(document.blocks)
        scored = self._scored
        if self.options["score_on"] == "page":
            # Blocks a rule cleaner made after extraction (none of the page's own) stay.
            verdicts = scored[1] if scored is not None and scored[0] == document.id else None
        else:
            verdicts = self._verdicts(blocks, on_one_line(document.text or ""))
        self._scored = None
        if not verdicts:
            return
        dropped = [b for b in blocks if verdicts.get(id(b), (None,))[0] is b]
        document.drop_blocks(dropped, self.name, "boilerplate (classifier)",
                             scores=[1.0 - verdicts[id(b)][1] for b in dropped])
