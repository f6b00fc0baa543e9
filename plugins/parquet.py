"""Parquet in and out (needs pyarrow: ``pip install 'clean-corpus[parquet]'``)."""
from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Iterator

from clean_corpus import Plugin, hookimpl
from clean_corpus.document import META_FIELDS, Document, ReadFailure
from clean_corpus.inputs import too_large
from clean_corpus_plugins.readers import FieldsReader
from clean_corpus_plugins.writers import AtomicFile

#: Rows per row group written, and per batch read: memory stays bounded either way.
BATCH_ROWS = 1000


def _parquet():
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise RuntimeError("Parquet needs pyarrow: pip install 'clean-corpus[parquet]'") from None
    return pyarrow


class ParquetReader(FieldsReader):
    """Parquet files: one document per row, with the same fields (and options) as JSON
    Lines. Documents are named ``FILE#ROW`` (from 1); a value over ``max_bytes`` makes its
    row a rejection. Recognised by content, whatever the file is called."""

    name = "parquet_reader"
    suffixes = (".parquet",)

    @hookimpl
    def register_readers(self, register):
        register(self)

    def sniff(self, head: bytes) -> bool:
        return head.startswith(b"PAR1")

    def read(self, source) -> Iterator[Document | ReadFailure]:
        pa = _parquet()
        with tempfile.TemporaryFile(prefix="clean-corpus-parquet-") as spool:
            if source.path is not None and source.compression is None:
                opened = pa.parquet.ParquetFile(source.path)
            else:  # Parquet is read from its end: a stream is kept on disk first
                shutil.copyfileobj(source.stream, spool, 1 << 20)
                spool.seek(0)
                opened = pa.parquet.ParquetFile(spool)
            number = 0
            # every column: those besides the page go to the record's ``extra``
            for batch in opened.iter_batches(batch_size=BATCH_ROWS):
                for row in batch.to_pylist():
                    number += 1
                    yield self._row(source, row, number)

    def _row(self, source, row: dict, number: int) -> Document | ReadFailure:
        name = f"{source.name}#R{number}"
        if any(isinstance(v, str) and len(v.encode("utf-8", "surrogatepass")) > source.max_bytes
               for v in row.values()):
            return ReadFailure(name, too_large(source.max_bytes), plugin=self.name,
                               rejected=True)
        try:
            return self.document(source.name, row, name)
        except ValueError as exc:
            return ReadFailure(name, f"ValueError: row has {exc}", plugin=self.name)


def record_schema():
    """The record as Parquet columns; ``detections`` and ``extra`` hold free-form objects,
    kept as JSON text."""
    pa = _parquet()
    text = pa.string()
    fields = [("schema_version", text), ("id", text), ("source", text), ("url", text)]
    fields += [(name, pa.list_(text) if name == "section" else text) for name in META_FIELDS]
    fields += [("text", text), ("detections", text),
               ("removed", pa.list_(pa.struct([("plugin", text), ("reason", text),
                                               ("text", text), ("start", pa.int64()),
                                               ("end", pa.int64()), ("at", pa.int64()),
                                               ("score", pa.float64())]))),
               ("extra", text)]
    return pa.schema(fields)


#: Record fields written as JSON text.
JSON_COLUMNS = ("detections", "extra")


def to_row(record: dict) -> dict:
    row = dict(record)
    for key in JSON_COLUMNS:
        if row.get(key) is not None:
            row[key] = json.dumps(row[key], ensure_ascii=False, sort_keys=False)
    return row


def from_row(row: dict) -> dict:
    """A record read back from a Parquet row: the JSON columns parsed again."""
    record = dict(row)
    for key in JSON_COLUMNS:
        if record.get(key) is not None:
            record[key] = json.loads(record[key])
    if record.get("extra") is None:  # a record carries extra only when there is some
        record.pop("extra", None)
    # a removal carries a score only when its plugin gave one (a column holds None else)
    if record.get("removed"):
        record["removed"] = [{k: v for k, v in entry.items() if k != "score" or v is not None}
                             for entry in record["removed"]]
    return record


class AtomicParquetFile(AtomicFile):
    """Records as Parquet rows, in row groups of ``BATCH_ROWS``."""

    def __init__(self, path: str | Path):
        if str(path) == "-":
            raise ValueError("Parquet cannot be written to standard output; give -o a file")
        pa = _parquet()
        super().__init__(path)
        self._pa = pa
        self._schema = record_schema()
        self._writer = pa.parquet.ParquetWriter(self.raw, self._schema, compression="zstd")
        self._rows: list[dict] = []

    def write(self, record: dict) -> None:
        self._rows.append(to_row(record))
        if len(self._rows) >= BATCH_ROWS:
            self._flush()

    def _flush(self) -> None:
        if self._rows:
            self._writer.write_table(self._pa.Table.from_pylist(self._rows, self._schema))
            self._rows = []

    def close(self) -> None:
        self._flush()
        self._writer.close()
        self.commit()


class ParquetWriter(Plugin):
    """Parquet output (``--format parquet``): one row per record."""

    name = "parquet_writer"

    @hookimpl
    def register_writers(self, register):
        register("parquet", AtomicParquetFile)
