"""Records written to a directory of shards (``-o DIR/``) with a manifest.

``DIR/part-00000.jsonl.gz``, ``DIR/part-00001.jsonl.gz``... each holding at most
``max_records`` records and about ``max_bytes`` bytes of records (as JSON, before
compression), then ``DIR/manifest.json`` naming every shard with its record count, size and
SHA-256. Every shard is written through the format's own writer and stays hidden until the
run ends; the manifest is written last, and shards of an earlier run into the same folder
that the new manifest does not name are removed then, so the folder never mixes two runs.
"""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

MANIFEST = "manifest.json"
_PART = re.compile(r"^part-\d{5,}\.")


class DeferredCommit:
    """A format's writer whose ``close`` finishes its file but leaves it hidden until
    ``publish``, so that shards appear together when the run ends. (A writer without
    ``finish``/``publish`` makes its file appear when closed.)"""

    def __init__(self, writer):
        self.writer = writer
        if hasattr(writer, "finish") and hasattr(writer, "publish"):
            writer.commit = writer.finish

    def publish(self) -> None:
        getattr(self.writer, "publish", lambda: None)()


class Shards:
    """A writer (``write``/``close``/``abort``) over shard files of one format."""

    def __init__(self, factory, directory: Path, extension: str, max_records: int,
                 max_bytes: int):
        self.factory, self.directory, self.extension = factory, Path(directory), extension
        self.max_records, self.max_bytes = max_records, max_bytes
        self.directory.mkdir(parents=True, exist_ok=True)
        self.done: list[tuple[Path, int, DeferredCommit]] = []
        self.current: DeferredCommit | None = None
        self.records = self.bytes = 0

    def _path(self, number: int) -> Path:
        return self.directory / f"part-{number:05d}.{self.extension}"

    def write(self, record: dict) -> None:
        from clean_corpus_plugins.writers import dumps

        size = len(dumps(record).encode("utf-8", "surrogatepass")) + 1
        if self.current is not None and (self.records >= self.max_records
                                         or self.bytes + size > self.max_bytes):
            self._finish_shard()
        if self.current is None:
            self.current = DeferredCommit(self.factory(self._path(len(self.done))))
        self.current.writer.write(record)
        self.records += 1
        self.bytes += size

    def _finish_shard(self) -> None:
        self.current.writer.close()
        self.done.append((self._path(len(self.done)), self.records, self.current))
        self.current, self.records, self.bytes = None, 0, 0

    def close(self) -> None:
        if self.current is not None:
            self._finish_shard()
        shards = []
        for path, records, shard in self.done:
            shard.publish()
            shards.append({"file": path.name, "records": records,
                           "bytes": path.stat().st_size, "sha256": _sha256(path)})
        names = {entry["file"] for entry in shards}
        for stale in self.directory.iterdir():
            # shards of an earlier run, finished or cut short by a kill
            if _PART.match(stale.name.removeprefix(".")) and stale.name not in names:
                stale.unlink()
        manifest = {"format": self.extension, "records": sum(s["records"] for s in shards),
                    "shards": shards}
        from clean_corpus_plugins.writers import partial_path

        partial = partial_path(self.directory / MANIFEST)
        partial.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        partial.replace(self.directory / MANIFEST)

    def abort(self) -> None:
        if self.current is not None:
            self.current.writer.abort()
        for _, _, shard in self.done:
            shard.writer.abort()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
