"""The compiled DOM walk against the Python one, field by field, on every page of folders.

    python bench/dom_walks.py [PAGES_DIR ...] [--noscript]

Each page (``.html``, ``.htm``, ``.html.gz``; default: ../shared/wcxb-dev/pages and
../shared/devset/html) is parsed with ``clean_corpus.htmltree.parse_html``, and
``html._walk`` (the compiled walk, ``_dom.c``) and ``html._python_walk`` cut it into blocks
with the skip tags of the first walk and, with ``--noscript``, of the second (noscript
read). The blocks must be equal field by field, in the same order; the pages that differ
are named with the first field that does, and the walks' CPU times summed. Exit 1 when a
page differs or the compiled walk is not there.
"""
from __future__ import annotations

import argparse
import dataclasses
import gzip
import sys
import time
from pathlib import Path

from clean_corpus.htmltree import parse_html
from clean_corpus_plugins.boilerplate import html

FIELDS = [f.name for f in dataclasses.fields(html.DomBlock)]


def first_difference(fast: list, slow: list) -> str | None:
    """Where two walks' blocks first differ, or None."""
    if len(fast) != len(slow):
        return f"{len(fast)} blocks against {len(slow)}"
    for k, (a, b) in enumerate(zip(fast, slow)):
        for name in FIELDS:
            if getattr(a, name) != getattr(b, name):
                return f"block {k}, {name}: {getattr(a, name)!r} against {getattr(b, name)!r}"
    return None


def page_files(folders: list[Path]) -> list[Path]:
    """The HTML pages of the folders (``.html``, ``.htm``, ``.html.gz``), folder by folder,
    each in name order."""
    found = []
    for folder in folders:
        found += sorted(p for p in folder.iterdir()
                        if p.name.endswith((".html", ".htm", ".html.gz")))
    return found


def read_page(path: Path) -> bytes:
    """A page's bytes, unzipped when it ends in ``.gz``."""
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folders", nargs="*", type=Path,
                    default=[Path("../shared/wcxb-dev/pages"), Path("../shared/devset/html")])
    ap.add_argument("--noscript", action="store_true",
                    help="compare the second walk's skip tags too (noscript read)")
    args = ap.parse_args(argv)
    if html._dom is None:
        print("the compiled walk is not there (not built, or refused by its self-check)")
        return 1
    skips = [html.SKIP_TAGS] + ([html._SKIP_BUT_NOSCRIPT] if args.noscript else [])
    pages = same = blocks = 0
    seconds = {"compiled": 0.0, "python": 0.0}
    for path in page_files(args.folders):
        tree = parse_html(read_page(path).decode("utf-8", "replace"))
        if tree is None:
            continue
        root = tree.getroottree().getroot()
        pages += 1
        differs = None
        for skip in skips:
            start = time.process_time()
            fast = html._walk(root, skip)
            middle = time.process_time()
            slow = html._python_walk(root, skip)
            seconds["compiled"] += middle - start
            seconds["python"] += time.process_time() - middle
            blocks += len(slow)
            differs = differs or first_difference(fast, slow)
        if differs:
            print(f"{path}: {differs}")
        else:
            same += 1
    print(f"{same} of {pages} pages give equal blocks ({blocks} blocks); CPU seconds: "
          f"compiled {seconds['compiled']:.2f}, Python {seconds['python']:.2f}")
    return 0 if same == pages else 1


if __name__ == "__main__":
    sys.exit(main())
