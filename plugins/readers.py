"""Readers for plain text, HTML and JSON Lines files."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

import charset_normalizer

from clean_corpus import Plugin, hookimpl
from clean_corpus.document import Document, ReadFailure


class UndecodableInput(ValueError):
    """The bytes are not text in any encoding we can tell."""


_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\f\x1b")


def _looks_binary(head: bytes) -> bool:
    """Many control bytes mean binary; a few stray NULs in a real page do not."""
    if not head:
        return False
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls / len(head) > 0.02


def decode(data: bytes) -> tuple[str, str | None]:
    """Text of ``data`` and, when it was not UTF-8, the encoding that was detected.

    Never guesses silently: the detected encoding is reported with the record, and bytes
    that look binary or match no encoding are refused with the reason.
    """
    if _looks_binary(data[:65536]):
        raise UndecodableInput("binary content (control bytes), not a text document")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        utf8_error = exc
    best = charset_normalizer.from_bytes(data[:1_000_000]).best()
    if best is None or best.chaos > 0.2:
        raise UndecodableInput(
            f"not valid UTF-8 ({utf8_error.reason} at byte {utf8_error.start}) "
            "and no other encoding fits")
    return data.decode(best.encoding, errors="replace"), best.encoding


def site_of(path: Path, url: str | None) -> str:
    """The site a document belongs to: its URL's host, else the folder it lies in."""
    if url:
        host = urlsplit(url).hostname
        if host:
            return host.removeprefix("www.")
    return str(path.parent)


def _document(path: Path, text: str, encoding: str | None, *, html: bool,
              source: str | None = None, url: str | None = None) -> Document:
    doc = Document(source=source or str(path), url=url, site=site_of(path, url))
    if html:
        doc.html = text
    else:
        doc.text = text
    if encoding:
        doc.detections["encoding"] = {"encoding": encoding, "detected": True}
    return doc


def looks_like_html(text: str) -> bool:
    head = text[:2048].lstrip().lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) or "<body" in head


class TextReader(Plugin):
    """Plain text files; also the fallback for files of unknown type (sniffs for HTML)."""

    name = "text_reader"
    suffixes = (".txt", ".text")
    fallback = True

    @hookimpl
    def register_readers(self, register):
        register(self)

    def read(self, path: Path) -> Iterator[Document]:
        text, encoding = decode(path.read_bytes())
        html = path.suffix.lower() not in self.suffixes and looks_like_html(text)
        yield _document(path, text, encoding, html=html)


class HtmlReader(Plugin):
    """HTML pages saved to disk; the text comes from the ``extract`` hook."""

    name = "html_reader"
    suffixes = (".html", ".htm", ".xhtml")

    @hookimpl
    def register_readers(self, register):
        register(self)

    def read(self, path: Path) -> Iterator[Document]:
        text, encoding = decode(path.read_bytes())
        yield _document(path, text, encoding, html=True)


class JsonlReader(Plugin):
    """JSON Lines: one document per line, with ``text`` or ``html`` and optional ``url``.

    A line that is not a JSON object with text or HTML becomes a failure of its own; the
    other lines are read as usual. Documents are named ``FILE#LINE``.
    """

    name = "jsonl_reader"
    suffixes = (".jsonl", ".ndjson")

    @hookimpl
    def register_readers(self, register):
        register(self)

    def read(self, path: Path) -> Iterator[Document | ReadFailure]:
        with path.open("rb") as fh:
            for number, raw in enumerate(fh, 1):
                source = f"{path}#L{number}"
                if not raw.strip():
                    continue
                try:
                    yield self._parse(path, raw, source)
                except (ValueError, UndecodableInput) as exc:
                    yield ReadFailure(source, f"{type(exc).__name__}: {exc}", plugin=self.name)

    def _parse(self, path: Path, raw: bytes, source: str) -> Document:
        text, _ = decode(raw)
        obj = json.loads(text)
        if not isinstance(obj, dict):
            raise ValueError("line is not a JSON object")
        url = obj.get("url") if isinstance(obj.get("url"), str) else None
        for key, html in (("html", True), ("text", False)):
            if isinstance(obj.get(key), str):
                return _document(path, obj[key], None, html=html,
                                 source=obj.get("source") or source, url=url)
        raise ValueError("line has neither a 'text' nor an 'html' string")
