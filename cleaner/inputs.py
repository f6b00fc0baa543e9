"""Where documents come from: local files, standard input (``-``) or URLs, compressed or not.

An :class:`Input` is one file as a reader sees it: its name, the first bytes of its content
(to tell a WARC from a JSON Lines file whatever it is called) and a stream of its bytes,
decompressed when the content is gzip, zstd or bz2. Readers are chosen by what the content
is first, then by the full suffix once the compression suffix is set aside
(``pages.jsonl.zst`` is JSON Lines), then by the fallback reader.

Local paths and ``file://`` URLs work out of the box; any other URL (``s3://``,
``https://``...) is opened through fsspec when it is installed, with the filesystem
package its scheme needs.
"""
from __future__ import annotations

import bz2
import io
import os
import sys
import zlib
from pathlib import Path
from typing import BinaryIO, Callable, Iterable, Iterator, NamedTuple
from urllib.parse import unquote, urlsplit

from clean_corpus.document import Skipped

#: Leading bytes of each compression clean-corpus undoes, with the suffix it goes by.
MAGIC = ((b"\x1f\x8b", "gzip"), (b"\x28\xb5\x2f\xfd", "zstd"), (b"BZh", "bz2"))
COMPRESSION_SUFFIXES = (".gz", ".gzip", ".zst", ".zstd", ".bz2")
#: How much of the (decompressed) content readers get to see to recognise a format.
HEAD_BYTES = 8192


class InputTooLarge(ValueError):
    """More bytes than the run's ``max_bytes`` (counted once decompressed)."""


class TruncatedInput(Exception):
    """Compressed content that stops before its end (a download or copy cut short). Not a
    ValueError, nor an EOFError: a reader must not take it for a bad line or for the end."""


class DamagedInput(Exception):
    """Compressed content with a damaged part that was passed over (the content on each
    side of it was read). Not a ValueError: a reader must not take it for a bad line."""


class Damage(NamedTuple):
    """A damaged part of compressed content, passed over: where it starts and where reading
    went on (None: nothing after it was read), in the compressed bytes; why; and where it
    left the content: ``at`` bytes of it had been given out when it was found, ``gave`` of
    them from the damaged part (what inflated before anything was found wrong)."""

    start: int
    end: int | None
    reason: str
    at: int
    gave: int

    def __str__(self) -> str:
        return (f"the gzip member at byte {self.start:,} is damaged ({self.reason}): "
                + (f"read on from the next member, at byte {self.end:,}" if self.end is not None
                   else "nothing after it was read"))


#: How a gzip member starts: its magic bytes and the deflate method.
_GZIP_MEMBER = b"\x1f\x8b\x08"
#: The most compressed bytes of a member kept to look for the next member in, should it
#: turn out damaged.
_KEPT_MEMBER = 1 << 23


def _member_header(header: bytes) -> bool:
    """Whether the first bytes of what starts like a gzip member (up to its 10-byte
    header) are a member's header as writers write it: no reserved flag set, the extra
    flags 0, 2 or 4, a known system (0 to 13, or 255). Inside a member's deflate data the
    magic bytes turn up by chance (one place in 16 million); this tells all but about one
    in 12,000 of those apart (random bytes pass with 1/8 x 3/256 x 15/256)."""
    if len(header) < 10:
        return True  # cut by the end of the data: as a member (which ends too soon)
    return not header[3] & 0xE0 and header[8] in (0, 2, 4) and (header[9] <= 13
                                                                 or header[9] == 255)


class _GzipMembers(io.RawIOBase):
    """The content of gzip data, member after member, as ``gzip.GzipFile`` gives it (zero
    bytes between members skipped), except that a damaged member (bytes that do not
    inflate, a wrong check, bytes where a member should start) does not end it: reading
    goes on at the next member's first bytes after the damage (files of one member a
    record, as ``.warc.gz``, lose only the damaged ones), and each damaged part is listed
    in ``damaged`` (a :class:`Damage`). Data that stops inside a member raises ``EOFError``
    as GzipFile does.
    """

    def __init__(self, raw: BinaryIO):
        self._raw = raw
        self._inflate = None  # the member being read, if any
        #: compressed bytes read and not yet inflated, from ``_offset`` in the data
        self._pending, self._offset = b"", 0
        self._member_start = 0
        #: the compressed bytes of the member being read, up to :data:`_KEPT_MEMBER` (a
        #: damaged member may be found so only well past the start of the next one)
        self._member: bytearray | None = bytearray()
        #: the damaged parts passed over, in order
        self.damaged: list[Damage] = []
        #: bytes of content given out, and how many of them before the member being read
        self._given = self._member_given = 0

    def readable(self) -> bool:
        return True

    def _more(self) -> bool:
        data = self._raw.read(1 << 16)
        self._pending += data
        return bool(data)

    def _advance(self, count: int) -> None:
        self._pending, self._offset = self._pending[count:], self._offset + count

    def _next_member(self) -> bool:
        """Start the member at the next non-zero byte; False at the end of the data."""
        while True:
            stripped = self._pending.lstrip(b"\x00")
            self._advance(len(self._pending) - len(stripped))
            if len(self._pending) >= len(_GZIP_MEMBER) or not self._more():
                break
        if not self._pending:
            return False
        self._member_start, self._member = self._offset, bytearray()
        self._member_given = self._given
        if not self._pending.startswith(_GZIP_MEMBER):
            return self._read_on("not a gzip member")
        self._inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
        return True

    def _read_on(self, reason: str) -> bool:
        """Pass over the damaged member to the next member's first bytes after its start;
        False when there is none."""
        self._inflate = None
        at, gave = self._given, self._given - self._member_given
        if self._member:  # read again from just after its start
            self._pending = bytes(self._member) + self._pending
            self._offset = self._member_start
        self._member = bytearray()
        search = max(self._member_start + 1 - self._offset, 0)
        while True:
            found = self._pending.find(_GZIP_MEMBER, search)
            while found >= 0 and not _member_header(self._pending[found:found + 10]):
                found = self._pending.find(_GZIP_MEMBER, found + 1)
            more = found < 0 or len(self._pending) - found < 10  # to tell, or to search on
            if found >= 0 and not (more and self._more()):
                self._advance(found)
                self.damaged.append(Damage(self._member_start, self._offset, reason, at, gave))
                self._member_start, self._member_given = self._offset, self._given
                self._inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
                return True
            if found >= 0:
                search = found  # its header is whole now
                continue
            keep = len(_GZIP_MEMBER) - 1
            self._advance(max(len(self._pending) - keep, 0))
            search = 0
            if not self._more():
                self._advance(len(self._pending))
                self.damaged.append(Damage(self._member_start, None, reason, at, gave))
                return False

    def readinto(self, buffer) -> int:
        data = self.read1(len(buffer))
        buffer[:len(data)] = data
        return len(data)

    def read1(self, size: int = -1) -> bytes:
        """Some of the content, at most ``size`` bytes (without a copy: the decompressing
        stream reads this way)."""
        size = size if size > 0 else 1 << 16
        while True:
            if self._inflate is None and not self._next_member():
                return b""
            if not self._pending and not self._more():
                if not (self._member and self._member.find(_GZIP_MEMBER, 1) > 0):
                    raise EOFError("the data ends inside a gzip member")
                # damage that inflates on past the start of the next member
                if not self._read_on("it does not end before the next member"):
                    return b""
                continue
            try:
                data = self._inflate.decompress(self._pending, size)
            except zlib.error as exc:
                if not self._read_on(str(exc).split(": ", 1)[-1]):
                    return b""
                continue
            done = self._inflate.eof
            rest = self._inflate.unused_data if done else self._inflate.unconsumed_tail
            used = len(self._pending) - len(rest)
            if self._member is not None:
                self._member += memoryview(self._pending)[:used]
                if len(self._member) > _KEPT_MEMBER:
                    self._member = None
            self._pending, self._offset = rest, self._offset + used
            if done:
                self._inflate = None
            if data:
                self._given += len(data)
                return data

    def close(self) -> None:
        self._raw.close()
        super().close()


def _zstd_file(raw: BinaryIO) -> BinaryIO:
    try:
        from compression import zstd  # Python 3.14+
    except ImportError:
        from backports import zstd
    return zstd.ZstdFile(raw)


_DECOMPRESSORS: dict[str, Callable[[BinaryIO], BinaryIO]] = {
    "gzip": _GzipMembers,
    "zstd": _zstd_file,
    "bz2": lambda raw: bz2.BZ2File(raw),
}


class _Decompressed(io.RawIOBase):
    """A decompressing stream whose content, when the compressed data stops short, ends
    first as any content ends, so that a buffered read hands over every byte decompressed
    before the cut, and then raises :class:`TruncatedInput` on any further read.

    The decompressors raise ``EOFError`` there, which a buffered read turns into the loss
    of what it had gathered, and which a reader may take for the normal end of its input
    (warcio does: a cut ``.warc.gz`` gave no document and no error).
    """

    def __init__(self, stream: BinaryIO, kind: str):
        self._stream, self._kind = stream, kind
        #: the decompressing stream
        self.stream = stream
        self._read = getattr(stream, "read1", stream.read)
        #: The compressed data stopped before its end marker.
        self.truncated = False
        self._end_again = False

    def readable(self) -> bool:
        return True

    def error(self) -> TruncatedInput:
        return TruncatedInput(f"the {self._kind} data ends before its end marker (a file cut "
                              "short); what came before the cut was read")

    def end_again(self) -> None:
        """Show the end once more: the peek at the head met the cut, and the readers, who
        have yet to read that head, must meet it as an end too."""
        self._end_again = self.truncated

    def readinto(self, buffer) -> int:
        if self._end_again:
            self._end_again = False
            return 0
        if self.truncated:
            raise self.error()
        try:
            data = self._read(len(buffer))
        except EOFError:
            self.truncated = True
            return 0
        buffer[:len(data)] = data
        return len(data)

    def close(self) -> None:
        self._stream.close()
        super().close()


class _Prefixed(io.RawIOBase):
    """``head`` (already read) followed by the rest of ``stream``: a peek that works on pipes."""

    def __init__(self, head: bytes, stream: BinaryIO):
        self._head, self._stream = memoryview(head), stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._stream.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)

    def close(self) -> None:
        self._stream.close()
        super().close()


def _read_head(stream: BinaryIO, size: int) -> bytes:
    chunks, got = [], 0
    while got < size:
        chunk = stream.read(size - got)
        if not chunk:
            break
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def _peeked(stream: BinaryIO, size: int) -> tuple[bytes, BinaryIO]:
    head = _read_head(stream, size)
    return head, io.BufferedReader(_Prefixed(head, stream), buffer_size=1 << 16)


class Input:
    """One input file, opened once: ``head`` to recognise it, ``stream`` to read it."""

    def __init__(self, name: str, opener: Callable[[], BinaryIO], max_bytes: int,
                 path: Path | None = None):
        self.name = name
        #: The local file, when there is one (readers that need to seek may use it).
        self.path = path
        self.max_bytes = max_bytes
        raw_head, raw = _peeked(opener(), 4)
        self.compression = next((kind for magic, kind in MAGIC if raw_head.startswith(magic)),
                                None)
        self._decompressed = None
        if self.compression:
            raw = self._decompressed = _Decompressed(_DECOMPRESSORS[self.compression](raw),
                                                     self.compression)
        self.head, self.stream = _peeked(raw, HEAD_BYTES)
        if self._decompressed is not None:
            self._decompressed.end_again()
        #: How many of :attr:`damaged` the reader reported itself (each with what it held,
        #: in order); :meth:`check_complete` names the others. :meth:`damage_before` and
        #: :meth:`damage_within` count what they return.
        self.damage_reported = 0

    @property
    def damaged(self) -> list[Damage]:
        """The damaged parts of the compressed content passed over so far, in order (gzip
        members: the content on each side of them is read)."""
        stream = self._decompressed.stream if self._decompressed is not None else None
        return getattr(stream, "damaged", [])

    def _take_damage(self, belongs: Callable[[Damage], bool]) -> list[Damage]:
        taken, damaged = [], self.damaged
        while self.damage_reported < len(damaged) and belongs(damaged[self.damage_reported]):
            taken.append(damaged[self.damage_reported])
            self.damage_reported += 1
        return taken

    def damage_before(self, offset: int | None) -> list[Damage]:
        """The damaged parts not reported yet that were found at or before ``offset`` of
        the (decompressed) content, None: its end. A reader calls it at the start of each
        part it reads (a line, a record): nothing they gave out went into a part read, so
        each is a failure of its own. They count as reported."""
        return self._take_damage(lambda part: offset is None or part.at <= offset)

    def damage_within(self, start: int, end: int) -> list[Damage]:
        """The damaged parts not reported yet whose content ended inside the part of the
        content from ``start`` to ``end`` (a line, a record): the part holds what each gave
        out, or its content on each side of the damage, and fails with them (one failure,
        :class:`DamagedInput`, whatever it reads as). One that gave out nothing, found at
        ``end``, is the next part's. They count as reported."""
        return self._take_damage(lambda part: start < part.at
                                 and (part.at < end or part.at == end and part.gave > 0))

    @property
    def suffixes(self) -> list[str]:
        """The name's suffixes, lower-case, without a compression suffix at the end."""
        return suffixes_of(self.name)

    def size(self) -> int | None:
        """Bytes of content, when known without reading it (an uncompressed local file)."""
        if self.path is not None and self.compression is None:
            return os.stat(self.path).st_size
        return None

    def read_bytes(self) -> bytes:
        """The whole (decompressed) content; past ``max_bytes`` it stops reading and raises."""
        data = self.stream.read(self.max_bytes + 1)
        if len(data) > self.max_bytes:
            raise InputTooLarge(too_large(self.max_bytes))
        self.check_complete()
        return data

    def check_complete(self) -> None:
        """Raise :class:`TruncatedInput` if the compressed content was found cut short (a
        reader that stops at the end of its content sees that end as any other), and
        :class:`DamagedInput` if a damaged part of it was passed over (that the reader did
        not report)."""
        if self._decompressed is None:
            return
        if self._decompressed.truncated:
            raise self._decompressed.error()
        damaged = self.damaged[self.damage_reported:]
        if damaged:
            raise DamagedInput("; ".join(map(str, damaged)))

    def close(self) -> None:
        self.stream.close()


def suffixes_of(name: str, compressed: bool = False) -> list[str]:
    """The suffixes of a file name or URL, lower-case; without the compression suffixes at
    the end (``x.jsonl.gz``: ``[".jsonl"]``) unless ``compressed``."""
    suffixes = [s.lower() for s in Path(urlsplit(name).path or name).suffixes]
    while not compressed and suffixes and suffixes[-1] in COMPRESSION_SUFFIXES:
        suffixes.pop()
    return suffixes


def too_large(max_bytes: int) -> str:
    return f"input too large: more than {max_bytes:,} bytes > max_bytes {max_bytes:,}"


# ------------------------------------------------------------------- naming inputs
def is_url(name: str) -> bool:
    return "://" in name and urlsplit(name).scheme.isalpha()


def local_path(name: str) -> Path | None:
    """The local path ``name`` stands for (a plain path or a ``file://`` URL), else None."""
    if name == "-":
        return None
    if is_url(name):
        parts = urlsplit(name)
        return Path(unquote(parts.path)) if parts.scheme == "file" else None
    return Path(name)


def _fsspec():
    try:
        import fsspec
    except ImportError:
        raise ValueError("reading URLs needs fsspec (pip install 'clean-corpus[remote]'), "
                         "with the filesystem package of the URL's scheme") from None
    return fsspec


def missing_inputs(names: Iterable[str]) -> list[str]:
    """The names that stand for nothing: no such local file or directory, or URL."""
    missing = []
    for name in names:
        path = local_path(name)
        if name == "-":
            continue
        if path is not None:
            if not path.exists():
                missing.append(name)
            continue
        fs, root = _fsspec().core.url_to_fs(name)
        if not fs.exists(root):
            missing.append(name)
    return missing


def walk(names: Iterable[str], local_walk: Callable[..., Iterator[Path]],
         exclude: Iterable[Path] = ()) -> Iterator[str | Skipped]:
    """Every file named or under a directory named, in a stable (sorted) order, as names.

    ``local_walk(paths, exclude)`` walks local paths; URLs are listed through fsspec.
    """
    exclude = list(exclude)
    for name in names:
        path = local_path(name)
        if name == "-":
            yield name
        elif path is not None:
            # the local walk also yields what it passes over or cannot list, as it is
            yield from (str(p) if isinstance(p, Path) else p for p in local_walk([path], exclude))
        else:
            fs, root = _fsspec().core.url_to_fs(name)
            if fs.isdir(root):
                for found in sorted(fs.find(root)):
                    inside = Path(found).relative_to(Path(root)).parts if found != root else ()
                    if any(part.startswith(".") for part in inside):
                        # as in a local folder: passed over, and counted
                        yield Skipped(fs.unstrip_protocol(found), "hidden")
                    else:
                        yield fs.unstrip_protocol(found)
            else:
                yield name


def open_input(name: str, max_bytes: int, label: str | None = None) -> Input:
    """Open ``name`` (a local path, ``-`` for standard input, or a URL); documents are named
    after ``label`` (default: ``name``)."""
    if name == "-":
        return Input("-", lambda: sys.stdin.buffer, max_bytes)
    path = local_path(name)
    if path is not None:
        # O_NONBLOCK: a FIFO put in place of the file must not block the run.
        def opener():
            return os.fdopen(os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb")
        return Input(label or (str(path) if is_url(name) else name), opener, max_bytes, path)
    opened = _fsspec().open(name, "rb")
    return Input(name, opened.open, max_bytes)
