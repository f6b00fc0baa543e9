"""Web archives: WARC and ARC files (``.warc``, ``.warc.gz``, ``.arc.gz``), through warcio."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

from clean_corpus import Plugin, hookimpl
from clean_corpus.document import Document, ReadFailure
from clean_corpus.inputs import too_large
from clean_corpus_plugins.readers import UndecodableInput, decode_with_info, make_document

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def _content_type(value: str | None) -> tuple[str, str | None]:
    """The media type of a Content-Type header and its charset parameter, if any."""
    media, *params = (value or "").split(";")
    charset = None
    for param in params:
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset":
            charset = val.strip().strip("\"'") or None
    return media.strip().lower(), charset


class WarcReader(Plugin):
    """Each HTML response of a WARC (or ARC) archive is a document.

    The page is decoded with the charset of its HTTP ``Content-Type`` header when it fits
    the bytes (else as any page: meta charset, then detection); ``WARC-Target-URI`` is its
    ``url``; the document is named ``FILE#WARC-Record-ID`` and the record keeps
    ``extra.warc_record_id`` and ``extra.warc_date``. Records that are not HTML responses
    (requests, metadata, images, PDFs, revisits) are not documents and are passed over.
    Recognised by content, whatever the file is called.
    """

    name = "warc_reader"
    suffixes = (".warc", ".arc")

    @hookimpl
    def register_readers(self, register):
        register(self)

    def sniff(self, head: bytes) -> bool:
        return head.startswith((b"WARC/", b"filedesc://"))

    def read(self, source) -> Iterator[Document | ReadFailure]:
        from warcio.archiveiterator import ArchiveIterator

        for record in ArchiveIterator(source.stream, arc2warc=True):
            if record.rec_type != "response" or record.http_headers is None:
                continue
            media, charset = _content_type(record.http_headers.get_header("Content-Type"))
            if media not in _HTML_TYPES:
                continue
            record_id = record.rec_headers.get_header("WARC-Record-ID") or ""
            name = f"{source.name}#{record_id}"
            url = record.rec_headers.get_header("WARC-Target-URI")
            body = record.content_stream().read(source.max_bytes + 1)
            if len(body) > source.max_bytes:
                yield ReadFailure(name, too_large(source.max_bytes), plugin=self.name,
                                  rejected=True, url=url)
                continue
            try:
                html, encoding = decode_with_info(body, http_charset=charset)
            except UndecodableInput as exc:
                yield ReadFailure(name, f"{type(exc).__name__}: {exc}", plugin=self.name,
                                  url=url)
                continue
            doc = make_document(Path(source.name), html, encoding, html=True, source=name,
                                url=url)
            doc.extra["warc_record_id"] = record_id
            doc.extra["warc_date"] = record.rec_headers.get_header("WARC-Date")
            yield doc
