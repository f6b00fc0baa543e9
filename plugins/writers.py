"""Record writers: JSON Lines, gzip-compressed JSON Lines; all with atomic output."""
from __future__ import annotations

import gzip
import io
import json
import os
import sys
from pathlib import Path

from clean_corpus import Plugin, hookimpl


def dumps(record: dict) -> str:
    """One record as one line of JSON; key order is the record's own, so output is stable."""
    return json.dumps(record, ensure_ascii=False, separators=(", ", ": "))


def partial_path(path: Path) -> Path:
    """Where ``path`` is written before it is complete: hidden, beside it, and always the
    same name, so that a run killed outright leaves nothing the next run does not replace."""
    return path.with_name(f".{path.name}.partial")


class AtomicFile:
    """Bytes go to a hidden file beside ``path``; ``close`` renames it into place.

    An interrupted run leaves no file at ``path`` (or the previous one, untouched), never a
    truncated file that looks complete. The file is created with the user's umask.
    ``-`` writes to standard output.
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        if str(path) == "-":
            self._tmp, self.raw = None, sys.stdout.buffer
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._tmp = partial_path(self.path)
        self.raw = open(self._tmp, "wb")

    def commit(self) -> None:
        """Flush to disk and rename into place (standard output: flush)."""
        self.finish()
        self.publish()

    def finish(self) -> None:
        """The file complete on disk, still hidden."""
        if self.raw.closed:
            return
        self.raw.flush()
        if self._tmp is not None:
            os.fsync(self.raw.fileno())
            self.raw.close()

    def publish(self) -> None:
        """Rename the finished file into place."""
        if self._tmp is not None:
            os.replace(self._tmp, self.path)
            self._tmp = None

    def abort(self) -> None:
        if self._tmp is not None:
            self.raw.close()
            self._tmp.unlink(missing_ok=True)
            self._tmp = None


class AtomicJsonlFile(AtomicFile):
    """One record per line, UTF-8."""

    def __init__(self, path: str | Path):
        super().__init__(path)
        self._fh = io.TextIOWrapper(self._open_stream(), encoding="utf-8", newline="\n",
                                    write_through=False)

    def _open_stream(self):
        # The text layer must not close standard output when it is closed.
        return self.raw if self._tmp is not None else _Unclosable(self.raw)

    def write(self, record: dict) -> None:
        self._fh.write(dumps(record) + "\n")

    def close(self) -> None:
        self._fh.flush()
        self._finish_stream()
        self.commit()

    def _finish_stream(self) -> None:
        pass

    def abort(self) -> None:
        if self._tmp is not None:
            self._fh.flush()
            self._finish_stream()
        super().abort()


class AtomicJsonlGzFile(AtomicJsonlFile):
    """JSON Lines compressed with gzip; the same records give the same bytes (no time
    stamp or file name in the gzip header)."""

    def _open_stream(self):
        self._gzip = gzip.GzipFile(filename="", mode="wb", fileobj=super()._open_stream(),
                                   mtime=0)
        return self._gzip

    def _finish_stream(self) -> None:
        self._gzip.close()  # writes the gzip trailer; leaves the file itself open


class _Unclosable(io.RawIOBase):
    """A write-only view of a stream that closing leaves open (standard output)."""

    def __init__(self, stream):
        self._stream = stream

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        return self._stream.write(data)

    def flush(self) -> None:
        self._stream.flush()


class JsonlWriter(Plugin):
    """JSON Lines output (``--format jsonl``): one record per line."""

    name = "jsonl_writer"

    @hookimpl
    def register_writers(self, register):
        register("jsonl", AtomicJsonlFile)
        register("jsonl.gz", AtomicJsonlGzFile)
