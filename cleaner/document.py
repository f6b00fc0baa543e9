"""The in-flight document, its text blocks, and the record it becomes."""
from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass, field, fields
from functools import cached_property, lru_cache
from itertools import accumulate
from operator import itemgetter
from pathlib import Path
from typing import Any

SCHEMA_VERSION = "1.0"

#: Kinds of text block. Extractors keep the page structure; plain text becomes lines, and
#: a long line cut in parts a "line" followed by "piece" blocks that continue it.
BLOCK_KINDS = ("p", "head", "item", "caption", "quote", "table", "line", "piece")

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
#: The runs of ``_SPACES`` that folding them to one space changes: not a lone space (a
#: text has one between every two words, and a replacement each cost more than the rest).
_SPACES_TO_FOLD = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]{2,}"
                             r"|[\t\u00a0\u2000-\u200b\u202f\u205f\u3000]")
#: Control characters, and the invisible marks and controls of bidirectional text (LRM, RLM,
#: the Arabic letter mark, embeddings, overrides and isolates): they only steer how a text is
#: shown, and an override (U+202E) makes it show what it does not say. Zero-width joiners
#: (U+200C, U+200D) spell words in Persian and Indic scripts: kept.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_BLANK_LINES = re.compile(r"\n{3,}")


@lru_cache(maxsize=2)
def normalize_text(text: str) -> str:
    """NFC, control characters and bidirectional controls gone, runs of spaces folded,
    each line stripped.

    The last results are kept: the text extractor and ``mark_input`` normalise the same
    document text one after the other.
    """
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " " \
            and unicodedata.is_normalized("NFC", text):
        # the usual block: one line, no control character, no space to fold or strip
        # (any other space character is no printable one), already NFC
        return text
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _SPACES_TO_FOLD.sub(" ", _CONTROL.sub("", text))  # (no run crosses a line)
    return "\n".join([line.strip() for line in text.split("\n")])


class PickledByFields:
    """Pickled as the tuple of its dataclass fields, in order.

    A document carries hundreds of blocks and removals from the worker to the main process
    and through the spill; the default pickle of a dataclass (a dict of its attributes by
    name) takes about three times as long to load. Attributes set outside the fields
    travel too.
    """

    __slots__ = ()

    def __reduce__(self):
        names, values = _field_names(type(self))
        state = self.__dict__
        args = values(state)
        if len(state) == len(names):
            return type(self), args
        return type(self), args, {k: v for k, v in state.items() if k not in names}


@lru_cache(maxsize=None)
def _field_names(cls) -> tuple[tuple[str, ...], Any]:
    """The names of ``cls``'s fields, and a function giving their values from an
    instance's ``__dict__``, as a tuple (one C call: hundreds of blocks are pickled per
    document, twice)."""
    names = tuple(f.name for f in fields(cls))
    if len(names) == 1:
        return names, lambda state: (state[names[0]],)
    return names, itemgetter(*names)


@dataclass
class Block(PickledByFields):
    """One unit of text as the source laid it out: a paragraph, heading, list item..."""

    text: str
    kind: str = "p"
    #: Characters of ``text`` that were link anchors on the page (0 when unknown, e.g.
    #: plain text). Cleaners use it to tell navigation and teaser links from prose; it is
    #: never written to the record.
    link_chars: int = 0
    #: Where the block's characters stood in the document's input text (see
    #: :meth:`Document.mark_input`), as runs ``(position in text, input offset, length)``;
    #: ``None`` for a block added after cleaning began. A text extractor may set it (see
    #: :func:`input_line_starts`; a paragraph it joined from several lines cannot be found
    #: verbatim); otherwise ``mark_input`` does. Never written to the record.
    origin: list[tuple[int, int, int]] | None = field(default=None, repr=False, compare=False)

    def origins(self) -> list[int]:
        """Input offset of each character of ``text`` (-1 where it has none)."""
        offsets = [-1] * len(self.text)
        for at, start, length in self.origin or ():
            offsets[at:at + length] = range(start, start + length)
        return offsets[:len(self.text)]

    def input_span(self, start: int = 0, end: int | None = None) -> tuple[int, int] | None:
        """``(start, end)`` in the input text of ``text[start:end]``, None when unknown."""
        origin = self.origin
        if start == 0 and end is None and origin is not None and len(origin) == 1:
            at, offset, length = origin[0]
            if at == 0 and offset >= 0 and 0 < length == len(self.text):
                return offset, offset + length  # the usual block: one run, the whole text
        if not _in_order(self.origin, len(self.text)):
            known = [o for o in self.origins()[start:end] if o >= 0]
            return (known[0], known[-1] + 1) if known else None
        start, end, _ = slice(start, end).indices(len(self.text))
        first = last = None
        for at, offset, length in self.origin:  # runs in order: read them, not each character
            lo, hi = max(at, start), min(at + length, end)
            if lo < hi:
                if first is None:
                    first = offset + lo - at
                last = offset + hi - at
        return (first, last) if first is not None else None

    def runs(self) -> list[tuple[int, int, int]]:
        """``origin`` as :func:`_runs` makes it of :meth:`origins`: runs of consecutive
        known offsets, merged where one continues the other."""
        if not _in_order(self.origin, len(self.text)):
            return _runs(self.origins())
        merged: list[list[int]] = []
        for at, offset, length in self.origin:
            if length <= 0:
                continue
            if merged and merged[-1][0] + merged[-1][2] == at and \
                    merged[-1][1] + merged[-1][2] == offset:
                merged[-1][2] += length
            else:
                merged.append([at, offset, length])
        return [tuple(run) for run in merged]

    @property
    def link_density(self) -> float:
        """Share of the block's characters inside links, 0.0 to 1.0."""
        return min(1.0, self.link_chars / len(self.text)) if self.text else 0.0


def _in_order(origin, size: int) -> bool:
    """Whether ``origin`` runs are in order, apart and within ``size`` characters (as
    blocks make them), so that they can be read as they are."""
    end = 0
    for at, offset, length in origin or ():
        if at < end or offset < 0 or length < 0 or at + length > size:
            return False
        end = at + length
    return origin is not None


def _runs(offsets: list[int]) -> list[tuple[int, int, int]]:
    """``(position, offset, length)`` runs of consecutive known offsets."""
    runs: list[list[int]] = []
    for at, offset in enumerate(offsets):
        if offset < 0:
            continue
        if runs and runs[-1][0] + runs[-1][2] == at and runs[-1][1] + runs[-1][2] == offset:
            runs[-1][2] += 1
        else:
            runs.append([at, offset, 1])
    return [tuple(run) for run in runs]


def _follow(source: str, offsets: list[int], result: str) -> list[int]:
    """Offsets of ``result``, a copy of ``source`` with characters deleted (and runs of
    spaces folded into one), matched character by character."""
    out, j = [], 0
    for char in result:
        while j < len(source) and source[j] != char and not (
                char == " " and _SPACES.fullmatch(source[j])):
            j += 1
        if j < len(source):
            out.append(offsets[j])
            j += 1
        else:
            out.append(-1)
    return out


def _remove(blocks: list, block) -> None:
    """Remove ``block`` itself from ``blocks``; when only a copy of it is there (equal, as
    ``list.remove`` compares), the first such copy. Identity comes first: of two equal
    blocks (a caption printed twice), the one the cleaner named goes, so the text kept is
    the other copy and the offsets of both stay true."""
    texts = [b.text for b in blocks]
    at, first_equal = 0, None
    while True:
        try:
            at = texts.index(block.text, at)  # only blocks of the same text are compared
        except ValueError:
            if first_equal is None:
                raise  # as list.remove, when none is left
            del blocks[first_equal]
            return
        if blocks[at] is block:
            del blocks[at]
            return
        if first_equal is None and blocks[at] == block:
            first_equal = at
        at += 1


#: What stands between two lines of a plain text in its input text (see
#: :meth:`Document.mark_input`): a blank line, as between the record's paragraphs.
INPUT_LINE_BREAK = "\n\n"


def input_line_starts(lines: list[str]) -> list[int]:
    """Where each of a plain text's non-empty normalised ``lines`` starts in the
    document's input text, for an extractor placing blocks it made of several lines."""
    gap = len(INPUT_LINE_BREAK)
    return list(accumulate([len(line) + gap for line in lines], initial=0))[:len(lines)]


def _find_outside(text: str, part: str, start: int, taken: list[tuple[int, int]]) -> int:
    """First place of ``part`` in ``text`` from ``start`` that overlaps no ``taken`` span."""
    at = text.find(part, start) if part else -1
    while at >= 0 and any(a < at + len(part) and at < b for a, b in taken):
        at = text.find(part, at + 1)
    return at


@dataclass
class Removal(PickledByFields):
    """One span a plugin removed, and why.

    ``start``/``end``: where the span stood in the document's input text (the text
    cleaning started from, see :meth:`Document.mark_input`); None when unknown.
    """

    plugin: str
    reason: str
    text: str
    start: int | None = None
    end: int | None = None
    #: How sure the plugin was that this is boilerplate (0.0 to 1.0), when it can tell.
    score: float | None = None

    def as_dict(self) -> dict:
        entry = {"plugin": self.plugin, "reason": self.reason, "text": self.text,
                 "start": self.start, "end": self.end}
        if self.score is not None:
            entry["score"] = round(self.score, 4)
        return entry


@dataclass
class Extraction:
    """What an extractor returns: blocks plus whatever metadata the page declared."""

    blocks: list[Block]
    metadata: dict[str, Any] = field(default_factory=dict)
    #: What the extractor left out and why, when it can say (added to ``Document.removed``).
    removed: list[Removal] = field(default_factory=list)


@dataclass
class ReadFailure:
    """A part of an input that could not be read as a document (reported, never lost)."""

    source: str
    error: str
    plugin: str = "reader"
    #: Refused rather than broken (larger than ``max_bytes`` once decompressed): the
    #: document is rejected, with ``error`` as its reason.
    rejected: bool = False
    #: The address of the page that could not be read, when the input names it (a WARC
    #: record's ``WARC-Target-URI``).
    url: str | None = None


@dataclass
class Skipped:
    """A file in a folder the user named that is deliberately not read (hidden, the run's
    own output, a folder already walked through a link), or a file in which its reader
    found no document (a web archive without HTML responses): counted in the summary."""

    source: str
    reason: str


def source_name(path: str | Path) -> str:
    """A path as records name it: printable UTF-8 whatever bytes the file system holds
    (an undecodable byte of a file name shows as ``\\xe9``)."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


#: Characters no XML tree may hold (lxml refuses them) and lone surrogates (no UTF-8
#: encoder takes them): form feeds and vertical tabs become spaces, the rest go.
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_XML_UNSAFE_AS = {"\x0b": " ", "\x0c": " "}


def xml_safe(text: str) -> str:
    """``text`` with nothing an XML parser or a UTF-8 encoder refuses (one linear scan)."""
    if not _XML_UNSAFE.search(text):
        return text
    return _XML_UNSAFE.sub(lambda m: _XML_UNSAFE_AS.get(m.group(), "\ufffd"
                                                        if "\ud800" <= m.group() <= "\udfff"
                                                        else ""), text)


#: Metadata fields a record carries, besides the text.
META_FIELDS = ("title", "kicker", "description", "byline", "date", "section", "language",
               "caption", "sitename", "page_type")


@dataclass
class Document:
    """A document on its way through the chain.

    ``blocks`` is what cleaners work on; ``removed`` records every span they took out;
    ``detections`` is what detectors found; ``signatures`` is scratch space for
    corpus-level detectors and is never written out.
    """

    source: str
    text: str | None = None
    html: str | None = None
    url: str | None = None
    site: str | None = None
    blocks: list[Block] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    detections: dict[str, Any] = field(default_factory=dict)
    removed: list[Removal] = field(default_factory=list)
    signatures: dict[str, Any] = field(default_factory=dict)
    #: Size of the raw input in bytes when a reader knew it without reading it whole (a
    #: file over the size limit is not read: its content is left empty).
    input_bytes: int | None = None
    #: Fields of the input beyond the page (a crawled item's own fields), kept as they came,
    #: and what a reader kept from the input's container (a WARC record's id and date).
    extra: dict[str, Any] = field(default_factory=dict)
    #: ``text`` is Markdown (a page a crawler wrote as Markdown): the ``markdown`` plugin
    #: makes it the text it shows before extraction, inside the per-document time limit.
    markdown: bool = False

    @cached_property
    def id(self) -> str:
        """Stable id: the same source and input content give the same id.

        Computed once: a document rejected on screening lets its (maybe huge) input go,
        and must keep the id its content gave it.
        """
        content = self.html if self.html is not None else (self.text or "")
        digest = hashlib.sha256(f"{self.source}\x00{content}".encode("utf-8", "surrogatepass"))
        return digest.hexdigest()[:20]

    @cached_property
    def tree(self):
        """``html`` parsed once (an lxml.html tree), or None: no HTML, or none that parses.

        Shared by the extractor and every plugin that reads the page, so that a page is
        parsed once: read it, never change it (:class:`clean_corpus.htmltree.Visible` reads
        it without its scripts and styles; work on a ``copy.deepcopy`` to edit).
        """
        if not self.html:
            return None
        from clean_corpus.htmltree import parse_html

        return parse_html(self.html)

    def release_input(self) -> None:
        """Let the raw input go (a rejected 20 MB page), keeping the id it gave the document."""
        _ = self.id  # cached: computed now, from the input
        self.text = self.html = None
        self.__dict__.pop("tree", None)

    def __getstate__(self) -> dict:
        # A parsed tree does not pickle (and is rebuilt from ``html`` when asked for).
        state = dict(self.__dict__)
        state.pop("tree", None)
        return state

    def mark_input(self, extracted: list[Removal] = ()) -> None:
        """Take the text that cleaning starts from as the input text, and place the blocks
        (and what extraction removed, ``extracted``) in it.

        For an HTML page the input text is the extracted blocks joined by a blank line, as
        the record's ``text`` is. For plain text it is the document's normalised lines,
        joined the same way: a text extractor's blocks and removed spans are found in it,
        in order (a span that is not there verbatim keeps no place), but for the blocks the
        extractor placed itself (``origin`` set, as ``text_lines`` does: a paragraph it
        joined from wrapped lines is not there verbatim).
        """
        if self.html is not None or self.text is None:
            offset = 0
            for block in self.blocks:
                if block.text:
                    block.origin = [(0, offset, len(block.text))]
                    offset += len(block.text) + 2
            return
        lines = [line for line in normalize_text(self.text).split("\n") if line]
        source = INPUT_LINE_BREAK.join(lines)
        taken: list[tuple[int, int]] = []
        cursor = 0
        for block in self.blocks:
            span = block.input_span() if block.origin is not None else None
            if span is not None:
                taken.append(span)
                cursor = span[1]
                continue
            at = source.find(block.text, cursor) if block.text else -1
            if at >= 0:
                block.origin = [(0, at, len(block.text))]
                taken.append((at, at + len(block.text)))
                cursor = at + len(block.text)
        cursor = 0
        for removal in extracted:
            at = _find_outside(source, removal.text, cursor, taken)
            if at >= 0:
                removal.start, removal.end = at, at + len(removal.text)
                cursor = removal.end

    # --- helpers cleaners use so that every removal is recorded -----------------
    def drop_block(self, block: Block, plugin: str, reason: str,
                   score: float | None = None) -> None:
        """Remove ``block`` from the document and record it (with the plugin's ``score``)."""
        _remove(self.blocks, block)
        self._record_drop(block, plugin, reason, score)

    def _record_drop(self, block: Block, plugin: str, reason: str,
                     score: float | None) -> None:
        span = block.input_span() or (None, None)
        self.removed.append(Removal(plugin, reason, block.text, *span, score=score))

    def drop_blocks(self, blocks, plugin: str, reason: str,
                    scores: list[float] | None = None) -> None:
        """Remove ``blocks`` (with a ``score`` each, when given) as :meth:`drop_block`
        does, in one pass over the document's blocks."""
        blocks = list(blocks)
        scores = [None] * len(blocks) if scores is None else list(scores)
        present = set(map(id, self.blocks))
        if len(set(map(id, blocks))) < len(blocks) or not all(id(b) in present for b in blocks):
            for block, score in zip(blocks, scores):  # not all there: one at a time
                self.drop_block(block, plugin, reason, score=score)
            return
        named = set(map(id, blocks))
        self.blocks[:] = [block for block in self.blocks if id(block) not in named]
        for block, score in zip(blocks, scores):
            self._record_drop(block, plugin, reason, score)

    def cut(self, block: Block, start: int, end: int, plugin: str, reason: str,
            link_chars: int | None = None) -> str:
        """Remove ``block.text[start:end]``, record it, and return the removed text.

        ``link_chars`` says how many of the removed characters were link text, when the
        caller knows (a teaser link cut off a paragraph); otherwise the block's link count
        shrinks in proportion. A block left empty is dropped from the document.
        """
        removed = block.text[start:end]
        lead = len(removed) - len(removed.lstrip())
        span = block.input_span(start + lead, start + lead + len(removed.strip()))
        offsets = block.origins()
        joined = block.text[:start] + " " + block.text[end:]
        block.text = _SPACES.sub(" ", joined.strip())
        block.origin = _runs(_follow(joined, offsets[:start] + [-1] + offsets[end:], block.text))
        if link_chars is not None:
            block.link_chars = max(0, block.link_chars - link_chars)
        elif block.link_chars:  # where the links stood is not kept: assume their share went
            kept = len(block.text) / max(1, len(block.text) + len(removed))
            block.link_chars = round(block.link_chars * kept)
        block.link_chars = min(block.link_chars, len(block.text))
        self.removed.append(Removal(plugin, reason, removed.strip(), *(span or (None, None))))
        if not block.text:
            _remove(self.blocks, block)
        return removed

    def set_field(self, name: str, value: Any) -> None:
        """Set a metadata field unless a value is already there."""
        if value and not self.meta.get(name):
            self.meta[name] = value

    @property
    def clean_text(self) -> str:
        """Blocks joined as paragraphs separated by a blank line."""
        return "\n\n".join(b.text for b in self.blocks if b.text)

    def _record_text(self) -> tuple[str, list[tuple[int, int, int]]]:
        """The record's text (each block normalised, joined by a blank line) and where
        its characters stood in the input text, as runs ``(position, offset, length)``."""
        parts, runs, at = [], [], 0
        for block in self.blocks:
            text = normalize_text(block.text)
            if "\n\n\n" in text:
                text = _BLANK_LINES.sub("\n\n", text)
            text = text.strip()
            if not text:
                continue
            if parts:
                at += 2
            block_runs = block.runs() if text == block.text else \
                _runs(_follow(block.text, block.origins(), text))
            runs += [(at + pos, offset, length) for pos, offset, length in block_runs]
            parts.append(text)
            at += len(text)
        return "\n\n".join(parts), runs

    @staticmethod
    def _place(start: int | None, runs: list[tuple[int, int, int]],
               offsets: list[int]) -> int | None:
        """Offset in the record's text just after the last kept character that stood
        before input offset ``start`` (0 when none did); ``offsets``: the runs' offsets."""
        if start is None:
            return None
        i = bisect_left(offsets, start) - 1
        if i < 0:
            return 0
        pos, offset, length = runs[i]
        return pos + min(length, start - offset)

    def to_record(self) -> dict:
        """The output record, with the fields of the shipped JSON Schema, in a fixed order."""
        text, runs = self._record_text()
        record = {
            "schema_version": SCHEMA_VERSION,
            "id": self.id,
            "source": self.source,
            "url": self.url,
        }
        for name in META_FIELDS:
            value = self.meta.get(name)
            if isinstance(value, str):
                value = normalize_text(value) or None
            record[name] = value if value not in ("", []) else None
        record["text"] = text
        record["detections"] = self.detections
        offsets = [offset for _, offset, _ in runs]
        record["removed"] = [{**r.as_dict(), "at": self._place(r.start, runs, offsets)}
                             for r in self.removed]
        if self.extra:
            record["extra"] = self.extra
        return record


def schema_path() -> Path:
    """Path of the JSON Schema the records follow (shipped in the package)."""
    return Path(__file__).with_name("schema") / f"record-v{SCHEMA_VERSION.split('.')[0]}.json"
