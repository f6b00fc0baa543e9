"""Pages re-encoded in legacy code pages: how many the reader reads back exactly.

    python bench/legacy_encodings.py [DIR ...] [--against OLD_TREE] [--encodings cp1252,cp1250]
                                     [--chars N] [--time N] [--show 5]

Every UTF-8 page of the DIRs (text or HTML, gzipped or not; default: the text pages of
``/tmp/devset-text-blocks``, ``/tmp/wcxb-text-blocks`` and ``../shared/seeds/raw``) that
has a character beyond ASCII is encoded in each legacy encoding of ``--encodings`` that
holds all its characters, and the bytes are read with ``readers.decode_with_info`` as a
file without an HTTP charset is read (the UTF-8 an HTML page declares is passed over, as
the reader passes it over when the bytes are not UTF-8): the page counts as read back
when the text comes out exactly as it went in. ``--chars N`` cuts each page to its first
lines up to N characters first (short texts, where the detector has less to go on);
``--lossy`` takes the pages an encoding cannot hold too, the characters it lacks
written as ``?`` (Polish has „quotes” windows-1250 holds and ISO-8859-2 does not), each
then compared with what the encoding holds of it.
Prints, per encoding, the pages that fit and the pages read back, and the encodings the
reader took instead on the others.

With ``--against OLD_TREE`` (another checkout, as ``classifier_against.py`` takes it) the
same bytes are read by both checkouts' readers, the pages each reads back are counted,
and the pages they read differently are listed (``--show`` of them per encoding).
``--time N`` then times both on every N-th re-encoded page, and apart on every N-th page
as UTF-8, alternated, the order changing each of three rounds, a page's time its fastest
round (CPU time): medians, 90th percentiles, the ratio of the medians and the median of
the pages' ratios.
"""
from __future__ import annotations

import argparse
import gzip
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ablate_cleaners import SHARED  # noqa: E402
from classifier_against import imported  # noqa: E402

DEFAULT_DIRS = [Path("/tmp/devset-text-blocks"), Path("/tmp/wcxb-text-blocks"),
                SHARED / "seeds" / "raw"]
ENCODINGS = ["cp1252", "iso8859_15", "cp1250", "iso8859_2", "cp1251", "cp1253", "iso8859_7",
             "cp1254", "cp1257"]


def pages(dirs: list[Path], chars: int = 0) -> list[tuple[str, str]]:
    """``(name, text)`` of every page beyond ASCII; with ``chars``, of its first lines up to
    that many characters (its first ``chars`` characters when the first line is longer)."""
    found = []
    for folder in dirs:
        for path in sorted(p for p in folder.iterdir() if p.is_file()):
            data = path.read_bytes()
            text = (gzip.decompress(data) if path.suffix == ".gz" else data).decode(
                "utf-8", errors="replace")
            text = first_lines(text, chars)
            if not text.isascii():
                found.append((f"{folder.name}/{path.name}", text))
    return found


def first_lines(text: str, chars: int) -> str:
    """``text``'s first lines up to ``chars`` characters (its first ``chars`` characters when
    the first line is longer); all of it when ``chars`` is 0."""
    if not chars or len(text) <= chars:
        return text
    cut = text.rfind("\n", 0, chars)
    return text[:cut] if cut > 0 else text[:chars]


def read(readers, data: bytes) -> tuple[str | None, str]:
    try:
        text, info = readers.decode_with_info(data)
    except ValueError as exc:
        return None, f"refused ({type(exc).__name__})"
    return text, (info or {}).get("encoding", "utf-8")


def timed(readers, data: bytes) -> float:
    start = time.process_time()
    read(readers, data)
    return time.process_time() - start


def time_both(old, ours, data: bytes) -> tuple[float, float]:
    """Both checkouts' fastest of three reads of ``data`` (the order alternating), in ms."""
    best = [float("inf"), float("inf")]
    for round_ in range(3):
        for k in ((0, 1) if round_ % 2 == 0 else (1, 0)):
            best[k] = min(best[k], timed((old, ours)[k], data))
    return best[0] * 1000, best[1] * 1000


def report(label: str, times: list[tuple[float, float]]) -> None:
    old, new = [t[0] for t in times], [t[1] for t in times]
    p90 = [statistics.quantiles(v, n=10)[-1] for v in (old, new)]
    ratios = statistics.median(b / a for a, b in times if a > 0)
    print(f"time, {len(times)} {label} pages, ms: old median {statistics.median(old):.3f} "
          f"p90 {p90[0]:.3f}, new median {statistics.median(new):.3f} p90 {p90[1]:.3f}; "
          f"ratio of medians {statistics.median(new) / statistics.median(old):.3f}, "
          f"median of ratios {ratios:.3f}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dirs", type=Path, nargs="*", default=DEFAULT_DIRS)
    ap.add_argument("--against", type=Path, metavar="OLD_TREE")
    ap.add_argument("--encodings", default=",".join(ENCODINGS))
    ap.add_argument("--time", type=int, default=0, metavar="N",
                    help="with --against: time both readers on every N-th page")
    ap.add_argument("--show", type=int, default=5)
    ap.add_argument("--lossy", action="store_true",
                    help="also pages the encoding cannot hold, their other characters as '?'")
    ap.add_argument("--chars", type=int, default=0, metavar="N",
                    help="each page's first lines up to N characters only (short texts)")
    args = ap.parse_args(argv)
    ours = imported(None, ("readers",))["readers"]
    old = imported(args.against, ("readers",))["readers"] if args.against else None
    found = pages(args.dirs, args.chars)
    print(f"{len(found)} pages beyond ASCII")
    samples: list[bytes] = []
    for encoding in args.encodings.split(","):
        fit = back = back_old = 0
        instead: Counter = Counter()
        differ = []
        for name, text in found:
            try:
                data = text.encode(encoding)
            except UnicodeEncodeError:
                if not args.lossy:
                    continue
                data = text.encode(encoding, errors="replace")
                if data.isascii():
                    continue
                text = data.decode(encoding)
            fit += 1
            if args.time and fit % args.time == 0:
                samples.append(data)
            got, taken = read(ours, data)
            back += got == text
            if got != text:
                instead[taken] += 1
            if old is not None:
                got_old, taken_old = read(old, data)
                back_old += got_old == text
                if got_old != got:
                    differ.append(f"    {name}: {taken_old} -> {taken}"
                                  f" ({'exact' if got_old == text else 'wrong'} -> "
                                  f"{'exact' if got == text else 'wrong'})")
        others = ", ".join(f"{k} {v}" for k, v in instead.most_common())
        before = f"{back_old} -> " if old is not None else ""
        print(f"{encoding:<11} fit {fit:>5}  read back {before}{back}"
              + (f"   (not: {others})" if others else ""))
        for line in differ[:args.show]:
            print(line)
        if len(differ) > args.show:
            print(f"    ... {len(differ) - args.show} more read differently")
    if old is not None and args.time:
        utf8 = [text.encode("utf-8") for _, text in found[::args.time]]
        for label, group in (("re-encoded", samples), ("UTF-8", utf8)):
            report(label, [time_both(old, ours, data) for data in group])
    return 0


if __name__ == "__main__":
    sys.exit(main())
