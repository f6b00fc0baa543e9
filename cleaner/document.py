"""The in-flight document, its text blocks, and the record it becomes."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

SCHEMA_VERSION = "1.0"

#: Kinds of text block. Extractors keep the page structure; plain text becomes lines.
BLOCK_KINDS = ("p", "head", "item", "caption", "quote", "table", "line")

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def normalize_text(text: str) -> str:
    """NFC, control characters gone, runs of spaces folded, each line stripped."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(lines)


@dataclass
class Block:
    """One unit of text as the source laid it out: a paragraph, heading, list item..."""

    text: str
    kind: str = "p"
    #: Characters of ``text`` that were link anchors on the page (0 when unknown, e.g.
    #: plain text). Cleaners use it to tell navigation and teaser links from prose; it is
    #: never written to the record.
    link_chars: int = 0

    @property
    def link_density(self) -> float:
        """Share of the block's characters inside links, 0.0 to 1.0."""
        return min(1.0, self.link_chars / len(self.text)) if self.text else 0.0


@dataclass
class Removal:
    """One span a plugin removed, and why."""

    plugin: str
    reason: str
    text: str

    def as_dict(self) -> dict:
        return {"plugin": self.plugin, "reason": self.reason, "text": self.text}


@dataclass
class Extraction:
    """What an extractor returns: blocks plus whatever metadata the page declared."""

    blocks: list[Block]
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass
class ReadFailure:
    """A part of an input that could not be read as a document (reported, never lost)."""

    source: str
    error: str
    plugin: str = "reader"


#: Metadata fields a record carries, besides the text.
META_FIELDS = ("title", "kicker", "description", "byline", "date", "section", "language",
               "caption", "sitename")


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

    @cached_property
    def id(self) -> str:
        """Stable id: the same source and input content give the same id.

        Computed once: a document rejected on screening lets its (maybe huge) input go,
        and must keep the id its content gave it.
        """
        content = self.html if self.html is not None else (self.text or "")
        digest = hashlib.sha256(f"{self.source}\x00{content}".encode("utf-8", "surrogatepass"))
        return digest.hexdigest()[:20]

    def release_input(self) -> None:
        """Let the raw input go (a rejected 20 MB page), keeping the id it gave the document."""
        _ = self.id  # cached: computed now, from the input
        self.text = self.html = None

    # --- helpers cleaners use so that every removal is recorded -----------------
    def drop_block(self, block: Block, plugin: str, reason: str) -> None:
        """Remove ``block`` from the document and record it."""
        self.blocks.remove(block)
        self.removed.append(Removal(plugin, reason, block.text))

    def drop_blocks(self, blocks, plugin: str, reason: str) -> None:
        for block in list(blocks):
            self.drop_block(block, plugin, reason)

    def cut(self, block: Block, start: int, end: int, plugin: str, reason: str,
            link_chars: int | None = None) -> str:
        """Remove ``block.text[start:end]``, record it, and return the removed text.

        ``link_chars`` says how many of the removed characters were link text, when the
        caller knows (a teaser link cut off a paragraph); otherwise the block's link count
        shrinks in proportion. A block left empty is dropped from the document.
        """
        removed = block.text[start:end]
        block.text = (block.text[:start] + " " + block.text[end:]).strip()
        block.text = _SPACES.sub(" ", block.text)
        if link_chars is not None:
            block.link_chars = max(0, block.link_chars - link_chars)
        elif block.link_chars:  # where the links stood is not kept: assume their share went
            kept = len(block.text) / max(1, len(block.text) + len(removed))
            block.link_chars = round(block.link_chars * kept)
        block.link_chars = min(block.link_chars, len(block.text))
        self.removed.append(Removal(plugin, reason, removed.strip()))
        if not block.text:
            self.blocks.remove(block)
        return removed

    def set_field(self, name: str, value: Any) -> None:
        """Set a metadata field unless a value is already there."""
        if value and not self.meta.get(name):
            self.meta[name] = value

    @property
    def clean_text(self) -> str:
        """Blocks joined as paragraphs separated by a blank line."""
        return "\n\n".join(b.text for b in self.blocks if b.text)

    def to_record(self) -> dict:
        """The output record, with the fields of the shipped JSON Schema, in a fixed order."""
        text = normalize_text(self.clean_text)
        text = re.sub(r"\n{3,}", "\n\n", text).strip()
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
        record["removed"] = [r.as_dict() for r in self.removed]
        return record


def schema_path() -> Path:
    """Path of the JSON Schema the records follow (shipped in the package)."""
    return Path(__file__).with_name("schema") / f"record-v{SCHEMA_VERSION.split('.')[0]}.json"
