"""Scraped text with the small variations scrapers and exports add, through the whole chain.

    python bench/text_variants.py [/tmp/devset-text-blocks] [--only crlf,bom] [--keep DIR] [-j 1]

From a folder of scraped text pages (default ``/tmp/devset-text-blocks``, as
``tools/scraped_text.py`` writes them from the devset) it writes, in a temporary folder
(or ``--keep DIR``), one folder per variant, each a deterministic transformation of every
page under the same file name (the scorer matches records by file name):

- ``as-is``: the pages unchanged;
- ``crlf``: CRLF line endings;
- ``bom``: a UTF-8 byte order mark at the start;
- ``trailing-ws``: spaces and a tab after every line;
- ``indent``: every line indented with four spaces;
- ``nbsp``: a no-break space (U+00A0) instead of about one space in five (seeded per page);
- ``zwsp``: a zero-width space (U+200B) after about one space in five (seeded per page);
- ``entities``: the text as a scraper that forgot to decode HTML entities leaves it:
  ``&`` as ``&amp;``, ``'`` as ``&#39;``, ``"`` as ``&quot;`` and about one space in five as
  ``&nbsp;`` (seeded per page);
- ``bullets``: ``"• "``, ``"* "`` or ``"- "`` (in turn) before every line of at most six words;
- ``blank-between``: a blank line between every two lines;
- ``cp1252``: the page encoded in windows-1252 instead of UTF-8 when every character fits
  (the others stay UTF-8; the count is printed).

Each folder goes through ``clean-corpus run DIR -o OUT.jsonl -j 1 --no-progress -q`` and the
records are scored by ``tools/score_devset.py``. Prints boilerplate left, precision, recall and
F1 per variant, the difference from ``as-is`` (BL and R beyond 0.01 marked ``!``), and how
many pages failed (a failed page counts as empty text).
"""
from __future__ import annotations

import argparse
import random
import re
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ablate_cleaners import CLI, SHARED, score  # noqa: E402

SEED = 12
_SPACE = re.compile(" ")


def _rng(name: str, salt: str) -> random.Random:
    return random.Random(zlib.crc32(f"{SEED}:{salt}:{name}".encode()))


def _some_spaces(text: str, rng: random.Random, replacement: str) -> str:
    return _SPACE.sub(lambda m: replacement if rng.random() < 0.2 else " ", text)


def _lines(text: str, each) -> str:
    return "\n".join(each(line) for line in text.split("\n"))


def _bullets(text: str) -> str:
    marks = ("• ", "* ", "- ")
    out, n = [], 0
    for line in text.split("\n"):
        if line.strip() and len(line.split()) <= 6:
            line = marks[n % 3] + line
            n += 1
        out.append(line)
    return "\n".join(out)


def _entities(text: str, rng: random.Random) -> str:
    text = text.replace("&", "&amp;").replace("'", "&#39;").replace('"', "&quot;")
    return _some_spaces(text, rng, "&nbsp;")


# name -> function(text, page name) -> str (written as UTF-8) or bytes (written as they are)
VARIANTS = {
    "as-is": lambda text, name: text,
    "crlf": lambda text, name: text.replace("\n", "\r\n"),
    "bom": lambda text, name: "\ufeff" + text,
    "trailing-ws": lambda text, name: _lines(text, lambda l: l + "  \t" if l else l),
    "indent": lambda text, name: _lines(text, lambda l: "    " + l if l else l),
    "nbsp": lambda text, name: _some_spaces(text, _rng(name, "nbsp"), "\u00a0"),
    "zwsp": lambda text, name: _some_spaces(text, _rng(name, "zwsp"), " \u200b"),
    "entities": lambda text, name: _entities(text, _rng(name, "entities")),
    "bullets": lambda text, name: _bullets(text),
    "blank-between": lambda text, name: "\n\n".join(text.split("\n")),
    "cp1252": lambda text, name: _cp1252(text),
}


def _cp1252(text: str) -> str | bytes:
    try:
        return text.encode("cp1252")
    except UnicodeEncodeError:
        return text


def write_variant(pages: Path, out: Path, variant) -> int:
    """Write every page of ``pages`` transformed into ``out``; the number written as bytes."""
    out.mkdir(parents=True, exist_ok=True)
    as_bytes = 0
    for page in sorted(p for p in pages.iterdir() if p.is_file()):
        made = variant(page.read_text(encoding="utf-8"), page.name)
        if isinstance(made, bytes):
            as_bytes += 1
            (out / page.name).write_bytes(made)
        else:
            (out / page.name).write_bytes(made.encode("utf-8"))
    return as_bytes


def run(pages: Path, out: Path, workers: int) -> int:
    """Clean ``pages`` into ``out``; the number of pages that failed (exit status 1 says
    some did; their reasons are in ``out``'s ``.rejected.jsonl``)."""
    done = subprocess.run([str(CLI), "run", str(pages), "-o", str(out), "-j", str(workers),
                           "--no-progress", "-q"])
    if done.returncode not in (0, 1) or not out.exists():
        raise SystemExit(f"clean-corpus run {pages} failed ({done.returncode})")
    rejected = out.with_suffix(".rejected.jsonl")
    return sum('"status": "failed"' in line for line in rejected.open(encoding="utf-8")) \
        if rejected.exists() else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("pages", type=Path, nargs="?", default=Path("/tmp/devset-text-blocks"))
    ap.add_argument("--shared", type=Path, default=SHARED)
    ap.add_argument("--only", help="comma-separated variants (as-is is always run)")
    ap.add_argument("--keep", type=Path, help="write the variants and records here and keep them")
    ap.add_argument("-j", "--workers", type=int, default=1)
    args = ap.parse_args(argv)
    names = list(VARIANTS)
    if args.only:
        names = ["as-is"] + [n for n in args.only.split(",") if n != "as-is"]
        unknown = [n for n in names if n not in VARIANTS]
        if unknown:
            ap.error(f"unknown variants: {', '.join(unknown)}")
    scorer = [str(args.shared / "tools" / "score_devset.py")]
    print(f"{'variant':<14} {'BL':>6} {'P':>6} {'R':>6} {'F1':>6}   {'dBL':>7} {'dR':>7} {'dF1':>7}")
    with tempfile.TemporaryDirectory() as tmp:
        base = args.keep or Path(tmp)
        first = None
        for name in names:
            folder = base / name
            as_bytes = write_variant(args.pages, folder, VARIANTS[name])
            records = base / f"{name}.jsonl"
            failed = run(folder, records, args.workers)
            f = score(records, scorer)
            row = (f["boilerplate_left"], f["P"], f["R"], f["F1"])
            first = first or row
            d_bl, d_r, d_f1 = row[0] - first[0], row[2] - first[2], row[3] - first[3]
            flag = " !" if d_bl > 0.01 or d_r < -0.01 else ""
            note = f"  ({as_bytes} pages in cp1252)" if name == "cp1252" else ""
            note += f"  ({failed} pages failed)" if failed else ""
            print(f"{name:<14} {row[0]:>6.3f} {row[1]:>6.3f} {row[2]:>6.3f} {row[3]:>6.3f}   "
                  f"{d_bl:>+7.3f} {d_r:>+7.3f} {d_f1:>+7.3f}{flag}{note}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
