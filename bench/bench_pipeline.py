"""How fast is the whole chain, and what does it cost on top of bare trafilatura?

Usage::

    python bench/bench_pipeline.py [HTML_DIR ...] [--repeat N] [--workers N] [--config FILE]

Corpora: the seed texts (fixtures/seeds), the HTML pages shipped in fixtures/ (the test
news site and any pages in fixtures/pages), and every HTML_DIR given (searched recursively
for .html/.htm, for instance /work/shared/devset/html).

For each corpus, each repetition times, side by side in this process:

- ``chain``: the full pipeline as ``clean-corpus run`` drives it (read and decode, screen,
  extract, clean, detect, observe, corpus_ready, revise, judge, records serialised to
  JSON), on a fresh plugin chain;
- for HTML: ``bare``, ``trafilatura.extract(raw_bytes)`` with its defaults on the same
  files, and ``extractor``, the built-in extractor plugin alone (trafilatura with XML
  output and metadata, turned into blocks), which tells extraction from cleaning.

The order of the measurements alternates between repetitions, one untimed warm-up
repetition runs first (lazy model loading), and medians are reported.
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import trafilatura

from clean_corpus import __version__
from clean_corpus.config import Config
from clean_corpus.document import Document
from clean_corpus.pipeline import WRITTEN, Chain, RunContext, iter_documents, run
from clean_corpus_plugins.extract import TrafilaturaExtractor
from clean_corpus_plugins.readers import decode
from clean_corpus_plugins.writers import dumps

REPO = Path(__file__).resolve().parents[1]
HTML_SUFFIXES = (".html", ".htm")


def html_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.suffix.lower() in HTML_SUFFIXES and p.is_file())


def time_chain(paths: list[Path], config: Config) -> tuple[float, dict]:
    chain = Chain(config)  # fresh: corpus-level detectors keep state across a run
    with open(os.devnull, "w", encoding="utf-8") as devnull:
        def sink(outcome):
            entry = outcome.document.to_record() if outcome.status == WRITTEN else outcome.report()
            devnull.write(dumps(entry) + "\n")

        started = time.perf_counter()
        stats = run(chain, iter_documents(chain.registry, paths), sink, RunContext(config))
        return time.perf_counter() - started, stats


def time_bare(paths: list[Path]) -> float:
    started = time.perf_counter()
    for path in paths:
        trafilatura.extract(path.read_bytes())
    return time.perf_counter() - started


def time_extractor(paths: list[Path]) -> float:
    extractor = TrafilaturaExtractor()
    started = time.perf_counter()
    for path in paths:
        text, _ = decode(path.read_bytes())
        extractor.extract(Document(source=str(path), html=text))
    return time.perf_counter() - started


def bench(name: str, paths: list[Path], html: bool, repeat: int, config: Config) -> dict:
    keys = ["chain", "bare", "extractor"] if html else ["chain"]
    times: dict[str, list[float]] = {key: [] for key in keys}
    stats = {}
    for rep in range(repeat + 1):  # repetition 0 is the warm-up
        order = keys if rep % 2 == 0 else keys[::-1]
        for key in order:
            if key == "chain":
                seconds, stats = time_chain(paths, config)
            elif key == "bare":
                seconds = time_bare(paths)
            else:
                seconds = time_extractor(paths)
            if rep:
                times[key].append(seconds)
        print(f"  {name}: repetition {rep or 'warm-up'} done", file=sys.stderr)
    result = {"corpus": name, "documents": stats["documents"], "written": stats["written"],
              "rejected": stats["rejected"], "failed": stats["failed"]}
    for key, values in times.items():
        result[key] = statistics.median(values)
    result["docs_per_second"] = result["documents"] / result["chain"]
    if html:
        result["ratio"] = result["chain"] / result["bare"]
        result["ratio_per_rep"] = statistics.median(c / b for c, b in zip(times["chain"], times["bare"]))
        result["extractor_ratio"] = result["extractor"] / result["bare"]
    return result


def table(results: list[dict]) -> str:
    lines = ["| corpus | docs | chain s (median) | docs/s | bare trafilatura s | chain / bare "
             "| extractor plugin / bare |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        bare = f"{r['bare']:.3f}" if "bare" in r else "–"
        ratio = f"{r['ratio']:.2f}× (per rep {r['ratio_per_rep']:.2f}×)" if "ratio" in r else "–"
        extractor = f"{r['extractor_ratio']:.2f}×" if "extractor_ratio" in r else "–"
        lines.append(f"| {r['corpus']} | {r['documents']} | {r['chain']:.3f} | "
                     f"{r['docs_per_second']:.1f} | {bare} | {ratio} | {extractor} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("html_dirs", nargs="*", type=Path, metavar="HTML_DIR",
                        help="more HTML pages to benchmark (searched recursively)")
    parser.add_argument("--repeat", type=int, default=5, help="timed repetitions (default 5)")
    parser.add_argument("--workers", type=int, default=1,
                        help="worker processes for the chain (default 1; ratios mean most at 1)")
    parser.add_argument("--config", type=Path, help="TOML configuration for the chain")
    args = parser.parse_args(argv)
    config = Config.load(args.config)
    config.workers = args.workers

    corpora = [("seeds (text)", sorted((REPO / "fixtures" / "seeds").glob("*.txt")), False),
               ("fixtures HTML", html_files(REPO / "fixtures"), True)]
    for directory in args.html_dirs:
        corpora.append((f"{directory} (HTML)", html_files(directory), True))
    results = []
    for name, paths, html in corpora:
        if not paths:
            print(f"  {name}: no files, skipped", file=sys.stderr)
            continue
        results.append(bench(name, paths, html, args.repeat, config))

    print(f"clean-corpus {__version__}, trafilatura {trafilatura.__version__}, "
          f"Python {platform.python_version()}, {platform.machine()}, "
          f"{os.cpu_count()} CPUs, workers={args.workers}, median of {args.repeat} repetitions")
    print()
    print(table(results))
    for r in results:
        if r["rejected"] or r["failed"]:
            print(f"\nnote: {r['corpus']}: {r['rejected']} rejected, {r['failed']} failed "
                  "(they still count as documents)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
