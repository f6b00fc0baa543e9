"""Outputs: shards with a manifest, files with the user's umask, and the rejected file
named after the output whatever its format."""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import stat

from conftest import FIXTURES, builtin_cli, read_jsonl


def _shard_records(directory) -> list[dict]:
    manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    records = []
    for shard in manifest["shards"]:
        path = directory / shard["file"]
        data = path.read_bytes()
        assert hashlib.sha256(data).hexdigest() == shard["sha256"]
        assert len(data) == shard["bytes"]
        lines = gzip.decompress(data).decode("utf-8").splitlines()
        assert len(lines) == shard["records"]
        records += [json.loads(line) for line in lines]
    assert manifest["records"] == len(records)
    return records


def test_directory_output_is_shards_with_a_manifest(tmp_path):
    builtin_cli("run", FIXTURES / "seeds", FIXTURES / "site", "-o", tmp_path / "one.jsonl",
                "--no-progress")
    whole = read_jsonl(tmp_path / "one.jsonl")
    out = tmp_path / "shards"
    builtin_cli("run", FIXTURES / "seeds", FIXTURES / "site", "-o", f"{out}/", "--format",
                "jsonl.gz", "--shard-records", "3", "--no-progress")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [s["file"] for s in manifest["shards"]] == [
        f"part-{n:05d}.jsonl.gz" for n in range(len(manifest["shards"]))]
    assert all(s["records"] <= 3 for s in manifest["shards"]) and len(manifest["shards"]) >= 3
    assert _shard_records(out) == whole
    assert (out / "rejected.jsonl").exists()
    assert not [p for p in out.iterdir() if p.name.startswith(".")]

    # A second run with bigger shards replaces the first: no shard of the old run is left.
    builtin_cli("run", FIXTURES / "seeds", FIXTURES / "site", "-o", f"{out}/", "--format",
                "jsonl.gz", "--shard-bytes", "1000000", "--no-progress")
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json", "part-00000.jsonl.gz",
                                                     "rejected.jsonl"]
    assert _shard_records(out) == whole


def test_output_files_get_the_users_umask(tmp_path):
    old = os.umask(0o022)
    try:
        builtin_cli("run", FIXTURES / "seeds", "-o", tmp_path / "r.jsonl.gz", "--format",
                    "jsonl.gz", "--stats", tmp_path / "s.json", "--no-progress")
    finally:
        os.umask(old)
    for name in ("r.jsonl.gz", "r.rejected.jsonl", "s.json"):
        path = tmp_path / name
        if path.exists():
            assert stat.S_IMODE(path.stat().st_mode) == 0o644, name
    assert (tmp_path / "r.jsonl.gz").exists()
    assert not (tmp_path / "r.jsonl.gz.rejected.jsonl").exists()
