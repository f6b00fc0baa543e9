"""Web archives: WARC and ARC files (``.warc``, ``.warc.gz``, ``.arc.gz``), through warcio."""
from __future__ import annotations

import functools
import io
import re
from pathlib import Path
from typing import Iterator

from clean_corpus import Plugin, hookimpl
from clean_corpus.document import Document, ReadFailure, Skipped
from clean_corpus.inputs import DamagedInput, TruncatedInput, too_large
from clean_corpus_plugins.readers import (UndecodableInput, damaged_members, decode_with_info,
                                          make_document)

_HTML_TYPES = ("text/html", "application/xhtml+xml")
#: Record types whose block starts with HTTP headers, which warcio reads for the target URI.
_HTTP_RECORDS = ("response", "request", "revisit")


class BadArchive(ValueError):
    """A file recognised as a web archive whose record headers cannot be read as one."""


def _shown(text: str, limit: int = 80) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "...")


def _where(number: int, offset: int) -> str:
    return f"record {number} (at byte {offset:,})"


def _passed(start: int, end: int | None) -> str:
    return (f"{end - start:,} bytes at byte {start:,}" if end is not None
            else f"the bytes from byte {start:,} to the end")


def _unknown(exc) -> str:
    # warcio's message quotes the whole first line, which may be megabytes
    return f"not read as a WARC or ARC record ({_shown(str(exc))})"


#: How much of a line is read at once when looking for the next record (a run of bytes
#: without a line break is not held whole).
_CHUNK = 1 << 16
#: The most of a record's block kept to be read again, should the record turn out to have
#: been cut short with the next one starting inside its length.
_KEPT = 1 << 22
#: What a WARC record's first line is, at the end of a line read (on a line of its own, or
#: glued to the end of other data: a record cut short, the next one following it).
_LINE_END_START = re.compile(rb"WARC/\d+\.\d+\r\n\Z")
#: The same wherever it is in a record's block.
_RECORD_START = re.compile(rb"WARC/\d+\.\d+\r\n")
#: A header line: a field's name and its colon.
_FIELD = re.compile(rb"([!#$%&'*+.^_`|~0-9A-Za-z-]+)[ \t]*:")
#: The most bytes after such a line looked at to tell whether a record starts there.
_AHEAD = 1 << 15


def _headers_follow(ahead: bytes, glued: bool) -> bool:
    """Whether ``ahead``, the bytes after a line ``WARC/1.x``, are a WARC record's headers:
    its next line a field of the WARC headers (``WARC-Type``, ``WARC-Record-ID``, any
    ``WARC-*``, ``Content-Length``, ``Content-Type``); when that line was glued to the end
    of other bytes, every line up to a blank line a field, ``WARC-Type`` and
    ``Content-Length`` among them. Text that merely mentions ``WARC/1.0`` is not a record's
    start, nor is a URL ending in it at the end of a header line."""
    names: set[bytes] = set()
    for line in ahead.split(b"\r\n"):
        if not line:  # the blank line ending the headers
            return bool(names) and (not glued or {b"warc-type", b"content-length"} <= names)
        if names and line[:1] in (b" ", b"\t"):
            continue  # a field's value going on
        field = _FIELD.match(line)
        if field is None:
            return False
        name = field[1].lower()
        if not names and not (name.startswith(b"warc-")
                              or name in (b"content-length", b"content-type")):
            return False
        if not glued:
            return True
        names.add(name)
    return False  # no end to the headers in what was looked at


class _Unreadable:
    """In place of a WARC record whose headers cannot be read: what is wrong with it, and
    an empty block, so that reading goes on from just after what was read of it."""

    rec_type = None

    def __init__(self, problem: str, headers=None):
        self.problem = problem
        self.raw_stream = io.BytesIO()
        get = headers.get_header if headers is not None else lambda name: None
        self.record_id = get("WARC-Record-ID")
        self.url = get("WARC-Target-URI")
        #: its WARC-Type, when its headers were read
        self.kind = get("WARC-Type")


def _no_page(kind: str | None, url: str | None) -> bool:
    """Whether a damaged record is known not to hold a page: its headers say it is not a
    response (a request, metadata, warcinfo, a revisit), or a response of a URL that is not
    HTTP (``dns:``). A response whose HTTP headers were not read may be one."""
    if kind is None:
        return False
    return kind != "response" or (url is not None
                                  and not url.lower().startswith(("http:", "https:")))


def _record_start(line: bytes, line_start: bool = True) -> tuple[int, bool] | None:
    """Where a line ``WARC/1.x`` (a record's first line, if headers follow) starts in
    ``line``, if it does, and whether it is glued to the end of other bytes (not at the
    start of ``line``, or ``line`` not at a line's start)."""
    found = _LINE_END_START.search(line)
    if found is None:
        return None
    return found.start(), not (line_start and found.start() == 0)


@functools.cache
def _classes():
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed
    from warcio.recordloader import ArcWarcRecordLoader

    class CutHeaders(BadArchive):
        def __init__(self, restart: bytes, headers, which: str = ""):
            super().__init__(f"its {which}headers are cut short: the next record starts in "
                             "them")
            #: the next record's first line; the WARC headers read before the cut
            self.restart, self.headers = restart, headers

    class HeaderLines:
        """The stream a header parser (WARC, then HTTP) reads, ending the headers at a
        line where another record starts, dropped (a record whose headers were cut took
        the next one's). ``starts(glued)`` tells whether the line just read, ``WARC/1.x``,
        starts a record (looking at what follows it)."""

        def __init__(self, stream, first_line: bool, starts):
            self.stream, self.restart, self.starts = stream, None, starts
            #: The record's own first line is still to be read
            self.first_line = first_line

        def readline(self, *args):
            if self.restart is not None:
                return b"\r\n"
            line = self.stream.readline(*args)
            found = None if self.first_line else _record_start(line)
            self.first_line = False
            if found is None or not self.starts(found[1]):
                return line
            self.restart = line[found[0]:]
            return b"\r\n"  # a blank line, where the headers end (without the cut one)

        def __getattr__(self, name):
            return getattr(self.stream, name)

    class Loader(ArcWarcRecordLoader):
        resync = False
        #: whether a record starts at the line just read (see ``Resyncing.starts``)
        starts = None

        def load_http_headers(self, rec_type, uri, stream, length):
            if uri is None and rec_type in _HTTP_RECORDS and length != 0:
                raise BadArchive(f"a {rec_type} record without a WARC-Target-URI header")
            if not self.resync:
                return super().load_http_headers(rec_type, uri, stream, length)
            lines = HeaderLines(stream, False, self.starts)
            found = super().load_http_headers(rec_type, uri, lines, length)
            if lines.restart is not None:
                raise CutHeaders(lines.restart, self.warc_headers, "HTTP ")
            return found

        def _detect_type_load_headers(self, stream, statusline=None, known_format=None):
            if not self.resync:
                return super()._detect_type_load_headers(stream, statusline, known_format)
            lines = HeaderLines(stream, statusline is None, self.starts)
            found = super()._detect_type_load_headers(lines, statusline, known_format)
            stream.reset()  # the record's block starts here
            self.warc_headers = found[1]
            if lines.restart is not None:
                raise CutHeaders(lines.restart, self.warc_headers)
            return found

        def _ensure_target_uri_format(self, rec_headers):
            # warcio writes spaces in a WARC-Target-URI as %20 itself, warning on stderr
            # through its logger (even with -q); it is done here first, without a word
            uri = rec_headers.get_header("WARC-Target-URI")
            if uri is not None and " " in uri:
                rec_headers.replace_header("WARC-Target-URI", uri.replace(" ", "%20"))
            return super()._ensure_target_uri_format(rec_headers)

    class Watched:
        """The reader as a record is read from it, keeping the bytes from the first line
        ``WARC/1.x`` of its block on (``kept``; up to :data:`_KEPT` bytes, else from a
        later such line): should the record turn out to go on past its end, it may have
        been cut short and taken the start of the next records with it."""

        def __init__(self, reader):
            self.reader = reader
            self.reset()

        def reset(self) -> None:
            """Watch from here (the start of a record's block, at a line's start)."""
            self.kept: bytearray | None = None
            #: whether ``kept`` starts at a line's start
            self.kept_line_start = False
            self.tail = b""
            self.fresh = True  # nothing read yet: at a line's start

        def _see(self, data: bytes) -> bytes:
            if self.kept is not None:
                self.kept += data
                if len(self.kept) > _KEPT:
                    self.kept, self.tail = None, b""
            else:
                seen = self.tail + data
                found = _RECORD_START.search(seen)
                if found:
                    at = found.start()
                    self.kept = bytearray(seen[at:])
                    self.kept_line_start = seen[at - 1:at] == b"\n" if at else self.fresh
                self.tail = seen[-16:]  # the last bytes read, when nothing is kept
            self.fresh = self.fresh and not data
            return data

        def read(self, *args):
            return self._see(self.reader.read(*args))

        def readline(self, *args):
            return self._see(self.reader.readline(*args))

        def __getattr__(self, name):
            return getattr(self.reader, name)

    class Resyncing(ArchiveIterator):
        """warcio's iterator, which in a WARC file finds its place again after data where a
        record should start: a record longer than its Content-Length, bytes between
        records, a record whose headers cannot be read or are cut short. It reads on to
        the next line starting a WARC record (``WARC/1.0``...) and goes on from there;
        a record that cannot be read is an :class:`_Unreadable`, the bytes passed over
        between records are listed in ``passed_over`` as ``(start, end)`` (``end`` None
        at the end of the file). Elsewhere (ARC files) it reads as warcio does."""

        # warcio writes this warning on stderr itself; the reader reports the record
        INC_RECORD = ""

        def __init__(self, stream, resync: bool):
            super().__init__(stream, arc2warc=True)
            self.loader = Loader(verify_http=False, arc2warc=True)
            self.loader.starts = self.starts
            self.resync = self.loader.resync = resync
            self.restart: bytes | None = None
            self.passed_over: list[tuple[int, int | None]] = []
            self.watched = Watched(self.reader)
            #: Records found cut short, the next record starting inside their length
            self.cut_count = 0

        def _position(self) -> int:
            return self.fh.tell() - self.reader.rem_length()

        def _push_back(self, data: bytes) -> None:
            """Make ``data`` the next bytes to be read."""
            buff = self.reader.buff
            rest = buff.read() if buff is not None else b""
            self.reader.buff = io.BytesIO(data + rest)
            self.reader.buff_size = len(data) + len(rest)

        def starts(self, glued: bool, ahead: bytes = b"") -> bool:
            """Whether the line ``WARC/1.x`` just read starts a record: whether ``ahead``
            and the bytes to be read next (which are left to be read) are a record's
            headers (see :func:`_headers_follow`)."""
            if len(ahead) < _AHEAD:
                more = self.reader.read(_AHEAD - len(ahead))
                self._push_back(more)
                ahead += more
            return _headers_follow(ahead, glued)

        def _restart_in_block(self, after: bytes) -> bytes | None:
            """The bytes from where the next record starts inside the block of the record
            just read (its start seen by ``watched``) to the end of ``after`` (what was
            read after the block), or None: the record was not cut short."""
            watched = self.watched
            if watched.kept is not None:
                block, line_start = bytes(watched.kept), watched.kept_line_start
            else:  # the next record's first line begun in the last bytes of the block?
                block, line_start = watched.tail, False
            data = block + after
            for found in _RECORD_START.finditer(data):
                at = found.start()
                if at >= len(block):
                    break
                glued = not (data[at - 1:at] == b"\n" if at else line_start)
                if self.starts(glued, data[found.end():found.end() + _AHEAD]):
                    return data[at:]
            return None

        def _next_record(self, next_line):
            if not self.resync:
                return super()._next_record(next_line)
            self.member_info = None  # what read_to_end goes by, also after a failure
            self.watched.reset()
            try:
                record = self.loader.parse_record_stream(self.watched, next_line)
            except CutHeaders as exc:
                self.restart = exc.restart
                return _Unreadable(str(exc), exc.headers)
            except BadArchive as exc:  # its WARC headers were read
                return _Unreadable(str(exc), self.loader.warc_headers)
            except ArchiveLoadFailed as exc:
                return _Unreadable(_unknown(exc))
            problem = _header_problem(record)
            if problem:
                return _Unreadable(problem, record.rec_headers)
            return record

        def _consume_blanklines(self):
            if not self.resync:
                return super()._consume_blanklines()
            if self.restart is not None:  # the next record started in the last one's headers
                line, self.restart = self.restart, None
                return line, 0
            blanks = []
            while True:
                line = self.reader.readline(_CHUNK)
                if not line or line.strip():
                    break
                blanks.append(line)
            blank = sum(map(len, blanks))
            if line.startswith(b"WARC/"):
                return line, blank
            restart = None
            # the data ending inside the record's length is a file cut short, unless the
            # next records started inside it
            short = getattr(self.record.raw_stream, "limit", 0) > 0
            if not isinstance(self.record, _Unreadable) and (self.watched.kept or not blank) \
                    and (line or short):
                restart = self._restart_in_block(b"".join(blanks) + line)
            if restart is None and not line:
                return None, blank
            if restart is not None:
                # the record was cut short: the next one started inside its length; it is
                # read again from there
                self.cut_count += 1
                self.watched.reset()
                self._push_back(restart)
                return self.reader.readline(_CHUNK), blank
            start = self._position() - len(line)
            if isinstance(self.record, _Unreadable):
                pass  # the rest of a record already reported
            elif not blank:
                self.err_count += 1  # the record goes on past its Content-Length
            else:
                self.passed_over.append((start, None))
            line = self._read_on(line)
            if self.passed_over and self.passed_over[-1] == (start, None) and line:
                self.passed_over[-1] = (start, self._position() - len(line))
            return line, blank

        def _read_on(self, line: bytes) -> bytes | None:
            """Read on from ``line`` to the first line of the next WARC record (None: the
            end of the file)."""
            line_start, tail = False, b""
            while True:
                found = _record_start(tail + line, line_start)
                if found is not None and self.starts(found[1]):
                    return (tail + line)[found[0]:]
                line_start = line.endswith(b"\n")
                tail = b"" if line_start else (tail + line)[-16:]
                line = self.reader.readline(_CHUNK)
                if not line:
                    return None

    return Resyncing


def _iterator(stream, resync: bool):
    return _classes()(stream, resync)


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
    (requests, metadata, images, PDFs, revisits) are not documents and are passed over; a
    damaged one is counted as skipped (:attr:`damaged_reason`), not as a failure.
    Recognised by content, whatever the file is called.
    """

    name = "warc_reader"
    suffixes = (".warc", ".arc")
    #: Why a damaged record that is not a page is skipped (counted, not a document)
    damaged_reason = f"damaged web archive record, not a page ({name})"

    @hookimpl
    def register_readers(self, register):
        register(self)

    def sniff(self, head: bytes) -> bool:
        return head.startswith((b"WARC/", b"filedesc://"))

    def read(self, source) -> Iterator[Document | ReadFailure]:
        """Documents of the archive's HTML responses. In a WARC file, a record whose
        headers cannot be read or are cut short, and a response that goes on past its
        ``Content-Length`` or is cut short (the next record starting inside its length),
        fail on their own with :class:`BadArchive` saying which record and why; so do
        bytes where a record should start (named ``FILE#byte N``); the reader reads on
        from the next record. A damaged gzip member of a ``.warc.gz`` fails once, with
        ``DamagedInput``: the record some of it was read into, else the member itself
        (``FILE#gzip member at byte N``). Such a record known not to be a page (by its
        WARC-Type, its URL, its HTTP Content-Type) is a :class:`Skipped` instead. The last
        record shorter than its ``Content-Length`` (a file cut short) fails the file with
        ``TruncatedInput``, as a bad record in an ARC file fails it with
        :class:`BadArchive`; the whole records before either are read."""
        for item in self._records(source):
            if isinstance(item, (ReadFailure, Skipped)):
                yield item
                continue
            number, offset, record, finish = item
            record_id = record.rec_headers.get_header("WARC-Record-ID") or ""
            name = f"{source.name}#{record_id}"
            url = record.rec_headers.get_header("WARC-Target-URI")
            media, charset = (_content_type(record.http_headers.get_header("Content-Type"))
                              if record.http_headers is not None else (None, None))
            if record.rec_type != "response" or media not in _HTML_TYPES:
                if finish():  # not a document: counted as skipped, not as a failure
                    yield Skipped(name, self.damaged_reason)
                continue
            body = record.content_stream().read(source.max_bytes + 1)
            problem = finish()
            if problem:  # the page would be cut where its Content-Length says, or damaged
                yield ReadFailure(name, problem, plugin=self.name, url=url)
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
        """``(number, offset, record, finish)`` for each record, counted from 1, at its
        offset in the (decompressed) content, and a :class:`ReadFailure` for each part of
        a WARC file that is not a readable record (see ``Resyncing``). In a file
        read as ARC, warcio's errors on a record it cannot parse fail the file with a
        :class:`BadArchive` that says which record and what is wrong."""
        from warcio.exceptions import ArchiveLoadFailed

        warc = source.head.startswith(b"WARC/")
        iterator = _iterator(source.stream, resync=warc)
        records = iter(iterator)
        number = 0

        def alone(offset: int | None):
            """The damaged gzip members before ``offset`` that held no record read
            (:meth:`~clean_corpus.inputs.Input.damage_before`)."""
            if warc:
                yield from damaged_members(source.damage_before(offset), source, self.name)

        def held(start: int, end: int | None) -> str | None:
            """The damaged gzip members whose content ended in the part of the content from
            ``start`` to ``end`` (None: where the iterator is), as an error, or None: a
            record, or bytes where a record should start, hold them
            (:meth:`~clean_corpus.inputs.Input.damage_within`)."""
            if not warc:
                return None
            parts = source.damage_within(start, end if end is not None else iterator.offset)
            return "; ".join(map(str, parts)) or None

        def passed_over():
            while iterator.passed_over:
                start, end = iterator.passed_over.pop(0)
                yield from alone(start)
                damage = held(start, end)
                if damage:
                    yield ReadFailure(f"{source.name}#byte {start}",
                                      f"{DamagedInput.__name__}: {_passed(start, end)} where "
                                      f"a record should start: {damage}", plugin=self.name)
                    continue
                after = (f"read on from the record at byte {end:,}" if end is not None
                         else "nothing after it was a record")
                yield ReadFailure(f"{source.name}#byte {start}",
                                  f"{BadArchive.__name__}: {_passed(start, end)} where a "
                                  f"record should start; {after}", plugin=self.name)

        while True:
            number += 1
            try:
                record = next(records)
            except StopIteration:
                yield from passed_over()
                yield from alone(None)
                return
            except BadArchive as exc:
                raise BadArchive(f"{_where(number, iterator.offset)}: {exc}") from None
            except ArchiveLoadFailed as exc:
                raise BadArchive(f"{_where(number, iterator.offset)}: {_unknown(exc)}") \
                    from None
            offset = iterator.offset  # where warcio found this record's start
            yield from passed_over()
            yield from alone(offset)
            if isinstance(record, _Unreadable):
                iterator.read_to_end()  # on to the next record: where this one ends
                damage = held(offset, iterator.offset)
                name = f"{source.name}#{record.record_id or f'record {number}'}"
                if _no_page(record.kind, record.url):
                    yield Skipped(name, self.damaged_reason)
                    continue
                problem = (f"{DamagedInput.__name__}: {_where(number, offset)}: {damage}"
                           if damage else
                           f"{BadArchive.__name__}: {_where(number, offset)}: {record.problem}")
                yield ReadFailure(name, problem, plugin=self.name, url=record.url)
                continue

            def finish(record=record, number=number, offset=offset, done=[]) -> str | None:
                """Read the rest of the record and the blank lines after it; what is wrong
                with the record, as the error of its failure, or None. A gzip member
                damaged in it, data where the next record should start (its Content-Length
                too short: warcio cuts it there), the next record starting inside its
                length are; a file that ends inside it raises ``TruncatedInput``."""
                if done:
                    return done[0]
                errors, cuts = iterator.err_count, iterator.cut_count
                iterator.read_to_end()
                missing = max(getattr(record.raw_stream, "limit", 0), 0)
                if missing and iterator.cut_count == cuts:
                    source.check_complete()  # compressed content cut short says so itself
                    raise TruncatedInput(
                        f"{_where(number, offset)} ends {missing:,} bytes before its "
                        "Content-Length (a file cut short); the records before it were read")
                # it ends where the bytes after it start, if any, else at the next record
                end = iterator.passed_over[0][0] if iterator.passed_over else iterator.offset
                damage = held(offset, end)
                problem = None
                if damage:
                    problem = f"{DamagedInput.__name__}: {_where(number, offset)}: {damage}"
                elif iterator.cut_count > cuts:
                    problem = (f"{BadArchive.__name__}: {_where(number, offset)} is cut short: "
                               "the next record starts inside its Content-Length of "
                               f"{record.length:,} bytes; it is not written cut")
                elif iterator.err_count > errors:
                    problem = (f"{BadArchive.__name__}: {_where(number, offset)} goes on past "
                               f"its Content-Length of {record.length:,} bytes (data where "
                               "the next record should start): it is not written cut")
                done.append(problem)
                return problem

            yield number, offset, record, finish
