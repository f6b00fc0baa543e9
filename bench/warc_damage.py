"""Damage web archives at random and count the intact records the WARC reader loses.

    .venv/bin/python bench/warc_damage.py [--seeds 1 2] [--trials 150] [--pages 60]

Builds a WARC of ``--pages`` devset pages (a request record before every seventh
response), plain and one gzip member a record, with fixed record ids and dates. Each trial
damages one copy at a random place: bytes inserted (random, or line breaks), deleted,
changed or repeated (1 to 3,000 of them), then reads it with the reader of the tree this
runs from. A record is intact when the damage does not touch its bytes (in the file as
written: compressed for ``.warc.gz``); every intact record must come out as a document.
Prints, per seed and kind of file, the trials that lost intact records, how many, and
the errors that failed the file (``TruncatedInput``, ``DamagedInput``, ``BadArchive`` are
the reader's own words for a damaged file; any other is listed); then what the run would
count: the failures (each failed part of the file, and the file's own failure), the
trials with more failures than records the damage touched (a record counted twice), and
the records skipped as damaged records that are not pages.
"""
from __future__ import annotations

import argparse
import io
import random
import sys
import tempfile
from collections import Counter
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared"
KINDS = ("insert", "delete", "change", "repeat")
OWN_ERRORS = ("TruncatedInput", "DamagedInput", "BadArchive")


def build(pages: list[Path], compressed: bool) -> tuple[bytes, list[tuple[int, int, str]]]:
    """The archive, and where each record lies in it: ``(start, end, url)``, the url of a
    request record marked ``request:``."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=compressed)
    places = []
    for number, page in enumerate(pages):
        url = f"https://example.org/{number}"

        def headers(kind: str) -> dict:
            return {"WARC-Record-ID": f"<urn:uuid:{kind}-{number}>",
                    "WARC-Date": "2020-01-01T00:00:00Z"}

        if number % 7 == 0:
            start = out.tell()
            writer.write_record(writer.create_warc_record(
                url, "request", payload=io.BytesIO(b""), warc_headers_dict=headers("request"),
                http_headers=StatusAndHeaders("GET / HTTP/1.1", [("Host", "example.org")],
                                              is_http_request=True)))
            places.append((start, out.tell(), f"request:{url}"))
        start = out.tell()
        writer.write_record(writer.create_warc_record(
            url, "response", payload=io.BytesIO(page.read_bytes()),
            warc_headers_dict=headers("response"),
            http_headers=StatusAndHeaders("200 OK", [("Content-Type", "text/html")],
                                          protocol="HTTP/1.1")))
        places.append((start, out.tell(), url))
    return out.getvalue(), places


def damage(data: bytes, rng: random.Random) -> tuple[bytes, str, int, int]:
    kind = rng.choice(KINDS)
    where, size = rng.randrange(len(data)), rng.choice([1, 5, 40, 300, 3000])
    damaged = bytearray(data)
    if kind == "insert":
        damaged[where:where] = (rng.randbytes(size) if rng.random() < 0.5
                                else b"\r\n" * (size // 2 + 1))
    elif kind == "delete":
        del damaged[where:where + size]
    elif kind == "change":
        for i in range(where, min(where + size, len(damaged))):
            damaged[i] ^= rng.randrange(1, 256)
    else:
        damaged[where:where] = damaged[where:where + size]
    return bytes(damaged), kind, where, size


def read(path: Path) -> tuple[set[str], str | None, int, int]:
    """The urls of the documents read, the error that failed the file (if any), the
    failed parts of the file and the records skipped."""
    from clean_corpus.document import ReadFailure, Skipped
    from clean_corpus.inputs import open_input
    from clean_corpus_plugins.warc import WarcReader

    urls, error, failures, skipped = set(), None, 0, 0
    try:  # opening reads the first bytes, which may fail too
        source = open_input(str(path), 1 << 30)
        try:
            for item in WarcReader().read(source):
                if isinstance(item, ReadFailure):
                    failures += 1
                elif isinstance(item, Skipped):
                    skipped += 1
                else:
                    urls.add(item.url)
            source.check_complete()
        finally:
            source.close()
    except Exception as exc:  # what the run reports as the file's failure
        error = type(exc).__name__
    return urls, error, failures, skipped


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--trials", type=int, default=150, help="a seed and kind of file")
    parser.add_argument("--pages", type=int, default=60)
    args = parser.parse_args()
    pages = sorted((SHARED / "devset" / "html").glob("*.html"))[:args.pages]
    other_errors = Counter()
    with tempfile.TemporaryDirectory() as folder:
        for compressed in (False, True):
            data, places = build(pages, compressed)
            path = Path(folder) / ("crawl.warc.gz" if compressed else "crawl.warc")
            for seed in args.seeds:
                rng = random.Random(seed)
                losing = lost = failed = failures = twice = skipped = 0
                for _ in range(args.trials):
                    damaged, kind, where, size = damage(data, rng)
                    path.write_bytes(damaged)
                    urls, error, parts, skips = read(path)
                    touched = {url for start, end, url in places
                               if start <= where + size and where <= end}
                    missing = [url for start, end, url in places
                               if url not in touched and url not in urls
                               and not url.startswith("request:")]
                    losing += bool(missing)
                    lost += len(missing)
                    failed += error is not None
                    counted = parts + (error is not None)
                    failures += counted
                    twice += counted > len(touched)
                    skipped += skips
                    if error and error not in OWN_ERRORS:
                        other_errors[error] += 1
                print(f"{path.name:14} seed {seed}: {losing} of {args.trials} trials lost "
                      f"intact records ({lost} records); the file failed in {failed}")
                print(f"{'':14}         {failures} failures, {twice} trials with more failures "
                      f"than records damaged; {skipped} records skipped")
    for error, count in other_errors.most_common():
        print(f"  failed with {error}: {count}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
