"""Resuming a run killed at any moment, with the output it would have written.

A run keeps its state in a folder beside its output (``OUT.unfinished/``, or
``DIR/.unfinished/`` for shards): the fingerprint of its inputs and configuration, and every
document's per-document result (screen, extract, clean, detect) appended as it comes, in
input order, each entry with its length and checksum. The corpus-level pass (observe,
corpus_ready, revise, judge) and the writing of the output are cheap next to the
per-document work: a resumed run takes the saved results back, prepares only the documents
that have none, then redoes the corpus-level pass over all of them in the same order, so
its output is byte-identical to that of a run never interrupted. The folder goes away when
the run has written its output; while it is there, the output beside it (if any) is an
older run's.
"""
from __future__ import annotations

import dataclasses
import json
import os
import pickle
import shutil
import struct
import zlib
from pathlib import Path
from typing import Iterator

from clean_corpus import __version__

FINGERPRINT = "fingerprint.json"
PREPARED = "prepared.bin"
_FRAME = struct.Struct("<II")  # length, CRC-32 of the pickled outcome


class ResumeRefused(ValueError):
    """The saved state belongs to a run with other inputs or another configuration."""


def state_dir(output: Path, sharded: bool) -> Path:
    return output / ".unfinished" if sharded else output.with_name(output.name + ".unfinished")


def input_fingerprint(names) -> list:
    """Each input file with its size and modification time, as ``make`` would tell a change."""
    from clean_corpus.inputs import local_path

    entries = []
    for name in names:
        if not isinstance(name, str):  # what the walk passed over or could not list
            entries.append([name.source, type(name).__name__])
            continue
        path = local_path(name)
        if path is not None:
            try:
                info = path.stat()
            except OSError as exc:  # reported as failed by the run; a change is seen
                entries.append([name, type(exc).__name__])
                continue
            entries.append([name, info.st_size, info.st_mtime_ns])
        else:
            from clean_corpus.inputs import _fsspec
            fs, root = _fsspec().core.url_to_fs(name)
            info = fs.info(root)
            entries.append([name, info.get("size"), str(info.get("mtime") or
                                                        info.get("LastModified") or
                                                        info.get("ETag") or "")])
    return entries


def run_fingerprint(config, registry, inputs: list, output: dict) -> dict:
    """What must not change between a run and its resumption (not the number of workers:
    the output does not depend on it)."""
    settings = dataclasses.asdict(config)
    settings.pop("workers", None)
    return {"clean_corpus": __version__, "config": settings,
            "plugins": [[info.name, info.version] for info in registry.infos],
            "output": output, "inputs": inputs}


class Checkpoint:
    """The saved per-document results of one run, appended to as documents are prepared."""

    def __init__(self, directory: Path, fingerprint: dict, *, resume: bool | None):
        """Open the state in ``directory``: ``resume=True`` requires one to continue,
        ``False`` discards any, ``None`` continues one if there is one.

        Raises :class:`ResumeRefused` when the saved run had other inputs or configuration.
        """
        self.directory = directory
        self.path = directory / PREPARED
        saved = self._saved_fingerprint()
        if resume is True and saved is None:
            raise ResumeRefused(f"nothing to resume: no unfinished run in {directory}")
        if resume is False or saved is None:
            shutil.rmtree(directory, ignore_errors=True)
            directory.mkdir(parents=True)
            (directory / FINGERPRINT).write_text(json.dumps(fingerprint) + "\n",
                                                 encoding="utf-8")
            self.done = 0
        else:
            changed = [key for key in ("inputs", "config", "plugins", "output", "clean_corpus")
                       if saved.get(key) != fingerprint[key]]
            if changed:
                what = {"inputs": "the inputs (files added, removed or modified)",
                        "config": "the configuration", "plugins": "the installed plugins",
                        "output": "the output format or shard limits",
                        "clean_corpus": "the clean-corpus version"}
                raise ResumeRefused(
                    f"{directory} holds an unfinished run, and since it began "
                    f"{' and '.join(what[c] for c in changed)} changed; restore them to "
                    "resume it, or run with --restart to discard it")
            self.done = self._valid_frames()
        self._file = open(self.path, "ab")

    def _saved_fingerprint(self) -> dict | None:
        try:
            return json.loads((self.directory / FINGERPRINT).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None  # none, or a run killed while it was writing it: start afresh

    def _frames(self) -> Iterator[tuple[int, bytes]]:
        """(end offset, pickled outcome) of each whole, intact entry, in order."""
        try:
            fh = open(self.path, "rb")
        except FileNotFoundError:
            return
        with fh:
            offset = 0
            while True:
                header = fh.read(_FRAME.size)
                if len(header) < _FRAME.size:
                    return
                length, crc = _FRAME.unpack(header)
                data = fh.read(length)
                if len(data) < length or zlib.crc32(data) != crc:
                    return  # the entry a kill cut short: it is redone
                offset += _FRAME.size + length
                yield offset, data

    def _valid_frames(self) -> int:
        count, end = 0, 0
        for end, _ in self._frames():
            count += 1
        if self.path.exists() and self.path.stat().st_size != end:
            os.truncate(self.path, end)
        return count

    def saved(self) -> Iterator:
        """The outcomes saved by the earlier run(s), in input order."""
        for number, (_, data) in enumerate(self._frames()):
            if number >= self.done:
                return
            yield pickle.loads(data)

    def add(self, outcome) -> None:
        data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        self._file.write(_FRAME.pack(len(data), zlib.crc32(data)) + data)
        self._file.flush()  # in the kernel's hands: a kill -9 of this process loses nothing

    def close(self) -> None:
        self._file.close()

    def remove(self) -> None:
        """The run has written its output: its state is no longer needed."""
        self.close()
        shutil.rmtree(self.directory, ignore_errors=True)
