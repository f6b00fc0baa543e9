"""Readers for plain text, HTML and JSON Lines files."""
from __future__ import annotations

import codecs
import json
import re
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


#: Byte-order marks, longest first (the UTF-32-LE mark starts with the UTF-16-LE one).
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))

_DECLARED = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)"""
                       rb"""|<\?xml[^>]*?encoding\s*=\s*["']([\w.:-]+)""", re.IGNORECASE)

#: Legacy encodings that web pages and text exports actually use. Left free to choose
#: among every code page, the detector sometimes prefers a rare one (hp_roman8,
#: mac_latin2) for a short Western text.
WEB_ENCODINGS = ["cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1255", "cp1256",
                 "cp1257", "cp1258", "iso8859_2", "iso8859_5", "iso8859_7", "iso8859_8",
                 "iso8859_15", "koi8_r", "koi8_u", "cp874", "cp932", "shift_jis", "euc_jp",
                 "gb18030", "big5", "euc_kr", "cp949", "latin_1"]


def _declared_encoding(data: bytes) -> str | None:
    """The charset an HTML/XML document declares in its head, as a Python codec name."""
    match = _DECLARED.search(data[:4096])
    if not match:
        return None
    try:
        name = codecs.lookup((match.group(1) or match.group(2)).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None
    # As browsers do: a page labelled latin-1 or ASCII is read as windows-1252.
    return "cp1252" if name in ("iso8859-1", "ascii") else name


def _guess_encoding(data: bytes) -> str | None:
    matches = list(charset_normalizer.from_bytes(data[:1_000_000], cp_isolation=WEB_ENCODINGS))
    if not matches or matches[0].chaos > 0.2:
        return None
    best = matches[0]
    # A short text often fits several single-byte code pages equally well (French in
    # latin-1 reads as cp1250 just as "cleanly"). When the detector cannot tell them
    # apart, take windows-1252, the most common legacy encoding of the web.
    for match in matches:
        if (match.chaos, match.coherence) == (best.chaos, best.coherence) \
                and "cp1252" in match.could_be_from_charset:
            return "cp1252"
    return best.encoding


def decode(data: bytes) -> tuple[str, str | None]:
    """Text of ``data`` and, when it was not UTF-8, the name of the encoding it was read with."""
    text, info = decode_with_info(data)
    return text, info["encoding"] if info else None


def decode_with_info(data: bytes) -> tuple[str, dict | None]:
    """Text of ``data`` and, when it was not UTF-8, how its encoding was found.

    Never guesses silently: the encoding is reported with the record (``detections``), and
    bytes that look binary or match no encoding are refused with the reason. Order: a
    byte-order mark, UTF-8, the charset the page declares, then statistical detection.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace"), {
                "encoding": encoding, "detected": False, "by": "bom"}
    if _looks_binary(data[:65536]):
        raise UndecodableInput("binary content (control bytes), not a text document")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        utf8_error = exc
    declared = _declared_encoding(data)
    if declared and declared != "utf-8":
        try:
            return data.decode(declared), {"encoding": declared, "detected": False,
                                           "by": "declared"}
        except UnicodeDecodeError:
            pass  # the label is wrong too; fall back to detection
    guessed = _guess_encoding(data)
    if guessed is None:
        raise UndecodableInput(
            f"not valid UTF-8 ({utf8_error.reason} at byte {utf8_error.start}) "
            "and no other encoding fits")
    return data.decode(guessed, errors="replace"), {"encoding": guessed, "detected": True,
                                                    "by": "charset_normalizer"}


def site_of(path: Path, url: str | None) -> str:
    """The site a document belongs to: its URL's host, else the folder it lies in."""
    if url:
        host = urlsplit(url).hostname
        if host:
            return host.removeprefix("www.")
    return str(path.parent)


def make_document(path: Path, text: str, encoding: dict | None, *, html: bool,
                  source: str | None = None, url: str | None = None) -> Document:
    """The document a reader (or the crawl) hands to the chain: HTML or text, its site,
    and how its encoding was found when it was not UTF-8."""
    doc = Document(source=source or str(path), url=url, site=site_of(path, url))
    if html:
        doc.html = text
    else:
        doc.text = text
    if encoding:
        doc.detections["encoding"] = encoding
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
        text, encoding = decode_with_info(path.read_bytes())
        html = path.suffix.lower() not in self.suffixes and looks_like_html(text)
        yield make_document(path, text, encoding, html=html)


class HtmlReader(Plugin):
    """HTML pages saved to disk; the text comes from the ``extract`` hook."""

    name = "html_reader"
    suffixes = (".html", ".htm", ".xhtml")

    @hookimpl
    def register_readers(self, register):
        register(self)

    def read(self, path: Path) -> Iterator[Document]:
        text, encoding = decode_with_info(path.read_bytes())
        yield make_document(path, text, encoding, html=True)


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
                named = obj.get("source") if isinstance(obj.get("source"), str) else None
                return make_document(path, obj[key], None, html=html,
                                 source=named or source, url=url)
        raise ValueError("line has neither a 'text' nor an 'html' string")
