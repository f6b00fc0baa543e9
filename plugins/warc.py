"""Web archives: WARC and ARC files (``.warc``, ``.warc.gz``, ``.arc.gz``), through warcio."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

from clean_corpus import Plugin, hookimpl
from clean_corpus.document import Document, ReadFailure
from clean_corpus.inputs import TruncatedInput, too_large
from clean_corpus_plugins.readers import UndecodableInput, decode_with_info, make_document

_HTML_TYPES = ("text/html", "application/xhtml+xml")
#: Record types whose block starts with HTTP headers, which warcio reads for the target URI.
_HTTP_RECORDS = ("response", "request", "revisit")


class BadArchive(ValueError):
    """A file recognised as a web archive whose record headers cannot be read as one."""


def _shown(text: str, limit: int = 80) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "...")


def _where(number: int, offset: int) -> str:
    return f"record {number} (at byte {offset:,})"


def _header_problem(record) -> str | None:
    """What makes the headers of a WARC record unusable, or None: no ``WARC-Type``, or a
    ``Content-Length`` missing or not a number of bytes (warcio then reads the rest of the
    file as this record, or none of it)."""
    if not record.rec_type:
        return "no WARC-Type header"
    length = record.rec_headers.get_header("Content-Length")
    if length is None:
        return "no Content-Length header"
    if not length.strip().isdigit():
        return f"Content-Length {_shown(length)} is not a number of bytes"
    return None


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
        """Documents of the archive's HTML responses. A record whose headers cannot be read
        fails the file with :class:`BadArchive` saying which record and why; a record
        shorter than its ``Content-Length`` (a file cut short) fails it with
        ``TruncatedInput``; the whole records before either are read. A response longer
        than its ``Content-Length`` (data where the next record should start) fails on its
        own, and the records after it are read as warcio finds them."""
        for number, offset, record, finish in self._records(source):
            if record.rec_type != "response" or record.http_headers is None:
                finish()
                continue
            media, charset = _content_type(record.http_headers.get_header("Content-Type"))
            if media not in _HTML_TYPES:
                continue
            record_id = record.rec_headers.get_header("WARC-Record-ID") or ""
            name = f"{source.name}#{record_id}"
            url = record.rec_headers.get_header("WARC-Target-URI")
            body = record.content_stream().read(source.max_bytes + 1)
            overlong = finish()
            if overlong:  # the page would be cut where its Content-Length says
                yield ReadFailure(name, f"{BadArchive.__name__}: {overlong}", plugin=self.name,
                                  url=url)
                continue
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

    def _records(self, source):
        """``(number, offset, record)`` for each record, counted from 1, at its offset in
        the (decompressed) content; warcio's errors on a record it cannot parse are
        turned into a :class:`BadArchive` that says which record and what is wrong."""
        from warcio.archiveiterator import ArchiveIterator
        from warcio.exceptions import ArchiveLoadFailed
        from warcio.recordloader import ArcWarcRecordLoader

        class Loader(ArcWarcRecordLoader):
            def load_http_headers(self, rec_type, uri, stream, length):
                if uri is None and rec_type in _HTTP_RECORDS and length != 0:
                    raise BadArchive(f"a {rec_type} record without a WARC-Target-URI header")
                return super().load_http_headers(rec_type, uri, stream, length)

        class Iterator(ArchiveIterator):
            # warcio writes this warning on stderr itself; the reader reports the record
            INC_RECORD = ""

        iterator = Iterator(source.stream, arc2warc=True)
        iterator.loader = Loader(verify_http=False, arc2warc=True)
        records = iter(iterator)
        warc = source.head.startswith(b"WARC/")
        number = 0
        while True:
            number += 1
            try:
                record = next(records)
            except StopIteration:
                return
            except BadArchive as exc:
                raise BadArchive(f"{_where(number, iterator.offset)}: {exc}") from None
            except ArchiveLoadFailed as exc:
                # warcio's message quotes the whole first line, which may be megabytes
                raise BadArchive(f"{_where(number, iterator.offset)}: not read as a WARC or "
                                 f"ARC record ({_shown(str(exc))})") from None
            offset = iterator.offset  # where warcio found this record's start
            # A file taken for its suffix alone (a text named .warc) is read as warcio
            # reads it, as ARC lines, and gives no document
            problem = _header_problem(record) if warc else None
            if problem:
                raise BadArchive(f"{_where(number, offset)}: {problem}")

            def finish(record=record, number=number, offset=offset) -> str | None:
                """Read the rest of the record and the blank lines after it. A file that
                ends inside it raises ``TruncatedInput``; data where the next record should
                start (its Content-Length too short: warcio cuts it there) is returned as
                what is wrong with it."""
                errors = iterator.err_count
                iterator.read_to_end()
                missing = max(getattr(record.raw_stream, "limit", 0), 0)
                if missing:
                    source.check_complete()  # compressed content cut short says so itself
                    raise TruncatedInput(
                        f"{_where(number, offset)} ends {missing:,} bytes before its "
                        "Content-Length (a file cut short); the records before it were read")
                if iterator.err_count > errors:
                    return (f"{_where(number, offset)} goes on past its Content-Length of "
                            f"{record.length:,} bytes (data where the next record should "
                            "start): it is not written cut")
                return None

            yield number, offset, record, finish
