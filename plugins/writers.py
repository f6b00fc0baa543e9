"""The JSON Lines writer, with atomic output."""
from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

from clean_corpus import Plugin, hookimpl


def dumps(record: dict) -> str:
    """One record as one line of JSON; key order is the record's own, so output is stable."""
    return json.dumps(record, ensure_ascii=False, separators=(", ", ": "))


class AtomicJsonlFile:
    """Lines go to a hidden temporary file beside ``path``; ``close`` renames it into place.

    An interrupted run leaves no file at ``path`` (or the previous one, untouched), never a
    truncated file that looks complete. ``-`` writes to standard output.
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        if str(path) == "-":
            self._fh, self._tmp = sys.stdout, None
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.",
                                   suffix=".partial")
        self._tmp = Path(tmp)
        self._fh = os.fdopen(fd, "w", encoding="utf-8", newline="\n")

    def write(self, record: dict) -> None:
        self._fh.write(dumps(record) + "\n")

    def close(self) -> None:
        if self._tmp is None:
            self._fh.flush()
            return
        self._fh.flush()
        os.fsync(self._fh.fileno())
        self._fh.close()
        os.replace(self._tmp, self.path)
        self._tmp = None

    def abort(self) -> None:
        if self._tmp is not None:
            self._fh.close()
            self._tmp.unlink(missing_ok=True)
            self._tmp = None


class JsonlWriter(Plugin):
    """JSON Lines output (``--format jsonl``): one record per line."""

    name = "jsonl_writer"

    @hookimpl
    def register_writers(self, register):
        register("jsonl", AtomicJsonlFile)
