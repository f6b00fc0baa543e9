"""Peak memory of `clean-corpus run` as the corpus grows: does it stay flat?

Generates corpora of N plain-text articles (made-up prose, ~3 kB each, seeded so every
run sees the same text), written as one gzipped JSON Lines file (the way a dump comes),
and runs the real CLI on each, once with the per-document chain only (corpus-level
detectors disabled) and once with every built-in plugin. Prints the peak resident memory
of each run (the largest of the main process and its workers), the growth per 1,000
extra documents and, for every plugin, the growth per document next to the corpus-level
detectors' documented budget.

    .venv/bin/python bench/bench_memory.py [--sizes 10000,100000] [--workers 2] [--lean]
"""
from __future__ import annotations

import argparse
import gzip
import json
import time
import random
import subprocess
import sys
import tempfile
from pathlib import Path

CLI = Path(sys.executable).with_name("clean-corpus")
CORPUS_LEVEL = ("duplicates", "text_reuse", "site_boilerplate")
#: Per-document plugins that ``--lean`` leaves out: what they cost is time per document,
#: not memory that grows with the corpus, and without them 100,000 documents take minutes
#: instead of hours on a small machine.
PER_DOCUMENT = ("boilerplate_html", "trafilatura", "text_lines", "text_classifier", "image_names", "error_tail", "breadcrumbs", "captions",
                "credits", "skip_links", "ad_labels", "cookie_consent",
                "subscription_prompts", "comment_prompts", "teaser_lists", "inline_teasers",
                "link_lists", "link_labels", "contact_blocks", "legal_notices", "date_line",
                "section_label", "kicker", "title_repeat", "byline", "title_standfirst",
                "language", "error_page", "login_wall", "listing_page", "quality")

# Peak RSS of one child process, measured in a fresh interpreter so that earlier runs
# do not count (RUSAGE_CHILDREN keeps the maximum over every child ever waited for).
_MEASURE = ("import resource, subprocess, sys; "
            "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, "
            "stderr=subprocess.DEVNULL); "
            "print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")

WORDS = ("le la les un une des conseil ville maire budget projet travaux habitants rue "
         "école année semaine mardi prochain nouveau ancien public quartier port gare "
         "tribunal enquête témoins police région département été hiver eau réseau "
         "entreprise salariés emplois usine accord syndicat grève ministre gouvernement "
         "loi vote député sénat débat opposition majorité élection campagne candidat").split()


def article(rng: random.Random) -> str:
    paragraphs = []
    for _ in range(rng.randint(4, 7)):
        sentences = []
        for _ in range(rng.randint(3, 5)):
            words = [rng.choice(WORDS) for _ in range(rng.randint(12, 24))]
            sentences.append(" ".join(words).capitalize() + ".")
        paragraphs.append(" ".join(sentences))
    return "\n\n".join(paragraphs) + "\n"


def make_corpus(path: Path, size: int) -> None:
    rng = random.Random(size)
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as fh:
        for n in range(size):
            fh.write(json.dumps({"text": article(rng), "source": f"doc-{n:07d}"},
                                ensure_ascii=False) + "\n")


#: What docs/detectors.md gives as the corpus-level detectors' state per document, once
#: indexed (duplicates 3,113 B + text_reuse 1,628 B + site_boilerplate 139 B).
DOCUMENTED_BYTES_PER_DOC = 4_880


def peak_rss_kib(corpus: Path, out: Path, workers: int, disable: tuple[str, ...]) -> tuple[int, float]:
    # A generous time limit: on a loaded machine a document must not be stopped (and its
    # worker replaced) for want of processor time; memory is what is measured here.
    command = [str(CLI), "run", str(corpus), "-o", str(out), "-q", "--no-progress",
               "-j", str(workers), "--timeout", "600"]
    for name in disable:
        command += ["--disable", name]
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", _MEASURE, *command],
                          capture_output=True, text=True, check=True)
    returncode, rss = map(int, done.stdout.split())
    if returncode != 0:
        raise SystemExit(f"clean-corpus failed ({returncode}) on {corpus}")
    return rss, time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000",
                        help="comma-separated corpus sizes (default 10000,100000)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--lean", action="store_true",
                        help="leave the per-document cleaners and detectors out of both runs "
                             "(reading, workers, spill, corpus-level detectors and writing "
                             "remain)")
    args = parser.parse_args()
    lean = PER_DOCUMENT if args.lean else ()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    rows = []
    with tempfile.TemporaryDirectory(prefix="clean-corpus-bench-") as tmp:
        for size in sizes:
            corpus = Path(tmp) / f"corpus-{size}.jsonl.gz"
            make_corpus(corpus, size)
            print(f"corpus of {size} documents generated", file=sys.stderr)
            chain_only, t_chain = peak_rss_kib(corpus, Path(tmp) / "a.jsonl", args.workers,
                                               CORPUS_LEVEL + lean)
            everything, t_all = peak_rss_kib(corpus, Path(tmp) / "b.jsonl", args.workers, lean)
            rows.append((size, chain_only, everything))
            print(f"{size} documents: {t_chain:.0f} s chain only, {t_all:.0f} s all plugins "
                  f"({args.workers} workers); peak RSS {chain_only / 1024:.1f} MiB chain only, "
                  f"{everything / 1024:.1f} MiB all plugins", file=sys.stderr)
    what = "lean: no cleaners or per-document detectors; " if args.lean else ""
    print(f"({what}{args.workers} workers)")
    print("| documents | peak RSS, per-document chain only | peak RSS, all plugins |")
    print("|---:|---:|---:|")
    for size, chain_only, everything in rows:
        print(f"| {size:,} | {chain_only / 1024:.1f} MiB | {everything / 1024:.1f} MiB |")
    (small, a0, b0), (large, a1, b1) = rows[0], rows[-1]
    per_k = 1000 / (large - small)
    print(f"\ngrowth per 1,000 extra documents: chain only {(a1 - a0) / 1024 * per_k:+.2f} MiB, "
          f"all plugins {(b1 - b0) / 1024 * per_k:+.2f} MiB")
    print(f"corpus-level state: {((b1 - b0) - (a1 - a0)) * 1024 / (large - small):,.0f} bytes "
          f"per document (documented budget: {DOCUMENTED_BYTES_PER_DOC:,} bytes indexed, "
          "docs/detectors.md)")


if __name__ == "__main__":
    main()
