"""What each rule cleaner adds: the whole chain, then the chain without one cleaner at a time.

    python bench/ablate_cleaners.py --wcxb-type article      # wcxb-dev article pages (HTML)
    python bench/ablate_cleaners.py --devset                 # the 208 devset pages (HTML)
    python bench/ablate_cleaners.py --devset --pages DIR     # the devset as scraped text

Each run is a real ``clean-corpus run`` (``-j`` workers) on the same pages, scored by the
data's own scorer (``tools/score_wcxb.py`` or ``tools/score_devset.py``, last lines
quoted). Prints one row per cleaner: the scores without it and the change against the
whole chain. A cleaner whose removal changes nothing is not earning its place on these
pages; one whose removal raises F1 costs more than it gives. The rule cleaners were tuned
on the devset and the seeds, never on wcxb-dev, so wcxb-dev is the fairer judge.
"""
from __future__ import annotations

import argparse
import gzip
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CLI = Path(sys.executable).with_name("clean-corpus")
_FIGURE = re.compile(r"(F1|P|R|boilerplate_left|with|without) ([0-9.]+)")


def cleaners() -> list[str]:
    """The built-in plugins on the ``clean`` hook, in chain order."""
    listing = subprocess.run([str(CLI), "plugins", "--json"], capture_output=True, text=True,
                             check=True)
    return [p["name"] for p in json.loads(listing.stdout)
            if "clean" in p.get("hooks", []) and p.get("enabled", True)
            and p["name"] not in ("text_lines", "text_classifier")]


def score(records: Path, scorer: list[str]) -> dict[str, float]:
    done = subprocess.run([sys.executable, *scorer[:1], str(records), *scorer[1:]],
                          capture_output=True, text=True, check=True)
    figures = {}
    for line in done.stdout.strip().splitlines()[-2:]:
        figures.update((k, float(v)) for k, v in _FIGURE.findall(line))
    return figures


def run(pages: Path, out: Path, workers: int, disable: str | None) -> None:
    command = [str(CLI), "run", str(pages), "-o", str(out), "-q", "--no-progress",
               "-j", str(workers)]
    if disable:
        command += ["--disable", disable]
    subprocess.run(command, check=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--devset", action="store_true", help="score with score_devset.py")
    ap.add_argument("--pages", type=Path, help="the pages (default: the data's HTML pages)")
    ap.add_argument("--wcxb-type", help="only wcxb-dev pages of this type")
    ap.add_argument("--only", default="", help="comma-separated cleaners (default: all)")
    ap.add_argument("-j", "--workers", type=int, default=1)
    args = ap.parse_args(argv)
    names = [n for n in args.only.split(",") if n] or cleaners()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if args.devset:
            pages = args.pages or SHARED / "devset" / "html"
            scorer = [str(SHARED / "tools" / "score_devset.py")]
        else:
            pages = args.pages or tmp / "pages"
            scorer = [str(SHARED / "tools" / "score_wcxb.py")]
            if args.wcxb_type:
                scorer += ["--type", args.wcxb_type]
            if args.pages is None:
                pages.mkdir()
                index = SHARED / "wcxb-dev" / "index.jsonl.gz"
                for line in gzip.open(index, "rt", encoding="utf-8"):
                    entry = json.loads(line)
                    if args.wcxb_type in (None, entry["type"]):
                        name = f"{entry['id']}.html.gz"
                        shutil.copyfile(SHARED / "wcxb-dev" / "pages" / name, pages / name)
        base = tmp / "all.jsonl"
        run(pages, base, args.workers, None)
        whole = score(base, scorer)
        keys = [k for k in ("F1", "P", "R", "boilerplate_left", "without") if k in whole]
        print(f"{len(names)} cleaners, pages {pages}\n")
        print("| without | " + " | ".join(keys) + " | ΔF1 |")
        print("|---|" + "---:|" * (len(keys) + 1))
        print("| (whole chain) | " + " | ".join(f"{whole[k]:.3f}" for k in keys) + " | |")
        for name in names:
            out = tmp / f"{name}.jsonl"
            run(pages, out, args.workers, name)
            figures = score(out, scorer)
            print(f"| {name} | " + " | ".join(f"{figures.get(k, 0):.3f}" for k in keys)
                  + f" | {figures.get('F1', 0) - whole['F1']:+.3f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
