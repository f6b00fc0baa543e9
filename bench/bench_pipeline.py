"""What a run costs: the whole chain against bare trafilatura, text throughput, stages,
start-up, workers and memory, side by side in one run.

Usage::

    python bench/bench_pipeline.py [--pages DIR] [--count N] [--repeat N]

``--pages`` holds real HTML pages (``.html``, ``.htm`` or ``.html.gz``; default the
devset, ``../shared/devset/html``); the first ``--count`` of them (sorted by name) are
copied, decompressed, into a scratch folder. Every figure comes from whole processes
(``clean-corpus run``, or a Python process running the bare loop), timed with the
wall clock and with the CPU time the process and its workers used (``os.wait4``); the
measurements of a kind alternate and their medians are reported.

1. ``clean-corpus run -j 1`` against a process that runs ``trafilatura.extract`` (its
   defaults) over the same files, and their ratio: throughput at -j 1 / bare.
2. Text only: the same pages as scrapers leave them (``tools/scraped_text.py --mode
   blocks``), documents per CPU-second with the start-up (a run on one small file)
   taken out.
3. Milliseconds per page in each stage (extract, clean, every detector, the corpus
   pass) and the main process's own share per document, measured inside one process on
   the HTML pages and on the scraped text.
4. Start-up: ``clean-corpus run`` on one small text file.
5. ``-j 2`` against ``-j 1`` on the HTML pages (wall clock; needs two free cores).
6. Peak resident memory of a run at two corpus sizes (the pages, and three copies of them).

The per-document time limit is raised so that a busy machine fails no page.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import pickle
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
BIN = Path(sys.executable).parent
SUFFIXES = (".html", ".htm", ".html.gz")

BARE_LOOP = """
import sys, trafilatura
from pathlib import Path
for path in sorted(Path(sys.argv[1]).iterdir()):
    trafilatura.extract(path.read_bytes())
"""


def measure(command: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (the process and the workers it waited for), peak RSS MiB."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} exited {process.returncode}: "
                         f"{process.stderr.read().decode()[-2000:]}")
    process.stderr.close()
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def run_command(inputs: Path, out: Path, workers: int = 1) -> list[str]:
    return [str(BIN / "clean-corpus"), "run", str(inputs), "-o", str(out / "records.jsonl"),
            "--rejected", str(out / "rejected.jsonl"), "-j", str(workers),
            "--timeout", "600", "--no-progress", "-q"]


def alternate(commands: dict[str, list[str]], repeat: int,
              warm_up: bool = True) -> dict[str, list[tuple]]:
    """Each command ``repeat`` times, their order alternating, after one warm-up round."""
    results: dict[str, list[tuple]] = {name: [] for name in commands}
    names = list(commands)
    for rep in range(0 if warm_up else 1, repeat + 1):
        for name in (names if rep % 2 else names[::-1]):
            figures = measure(commands[name])
            if rep:
                results[name].append(figures)
        print(f"  {'/'.join(names)}: round {rep or 'warm-up'} done", file=sys.stderr)
    return results


def median(values, index: int) -> float:
    return statistics.median(v[index] for v in values)


def copy_pages(source: Path, target: Path, count: int, copies: int = 1) -> int:
    pages = sorted(p for p in source.iterdir() if p.name.lower().endswith(SUFFIXES))[:count]
    target.mkdir(parents=True)
    for copy in range(copies):
        for index, page in enumerate(pages):
            data = gzip.decompress(page.read_bytes()) if page.name.endswith(".gz") \
                else page.read_bytes()
            # copies differ in a comment only: the same work, no exact duplicate left out
            (target / f"{copy:02d}-{index:05d}.html").write_bytes(
                data + f"<!-- copy {copy} -->".encode() if copy else data)
    return len(pages) * copies


def stage_times(pages: Path) -> tuple[dict[str, float], int]:
    """CPU milliseconds per page in each hook implementation, inside this process, and the
    main process's own share: receiving each outcome from a worker (unpickling), observe,
    the spill to disk and back, corpus_ready, revise and judge, the record as JSON."""
    from clean_corpus.config import Config
    from clean_corpus.pipeline import Chain

    chain = Chain(Config())
    spent: dict[str, float] = defaultdict(float)
    for hook in ("screen", "extract", "clean", "detect", "observe", "corpus_ready",
                 "revise", "judge"):
        for impl in getattr(chain.hook, hook).get_hookimpls():
            key = hook if hook in ("screen", "extract", "clean") else \
                f"{hook}: {impl.plugin_name}" if hook == "detect" else "corpus pass"

            def timed(*args, _function=impl.function, _key=key, **kwargs):
                started = time.process_time()
                try:
                    return _function(*args, **kwargs)
                finally:
                    spent[_key] += time.process_time() - started

            def timed_wrapper(*args, _function=impl.function, _key=key, **kwargs):
                # a wrapper's own work, before and after the calls it wraps (which are
                # timed on their own): each step of its generator
                steps = _function(*args, **kwargs)
                value, error = None, None
                while True:
                    started = time.process_time()
                    try:
                        sent = steps.send(value) if error is None else steps.throw(error)
                    except StopIteration as stop:
                        return stop.value
                    finally:
                        spent[_key] += time.process_time() - started
                    value, error = None, None
                    try:
                        value = yield sent
                    except BaseException as exc:  # an inner call raised: the wrapper hears it
                        error = exc
            impl.function = timed_wrapper if impl.wrapper else timed
    paths = sorted(pages.iterdir())
    worker, main = time_chain(chain, paths, before=spent.clear)
    spent["worker (read, screen, extract, clean, detect)"] = worker
    spent["main process (receive, observe, spill, corpus pass, record)"] = main
    return {k: 1000 * v / len(paths) for k, v in spent.items()}, len(paths)


def time_chain(chain, paths: list[Path], before=None) -> tuple[float, float]:
    """CPU seconds ``chain`` spends on the documents of ``paths``, in this process: the
    worker's part (read, screen, extract, clean, detect) and the main process's (each
    outcome unpickled, observe, the spill to disk and back, the corpus pass, revise and
    judge, the record as JSON). Two documents are prepared first, untimed (models load,
    caches fill); ``before()`` is called after them. ``side_by_side.py`` runs this in
    another checkout's environment, so it uses only what every version of the chain has."""
    from clean_corpus.pipeline import RunContext, RunTally, Spill, iter_documents

    for document in iter_documents(chain.registry, paths[:2]):
        chain.prepare(document)
    if before is not None:
        before()
    started = time.process_time()
    outcomes = [chain.prepare(d) for d in iter_documents(chain.registry, paths)]
    worker = time.process_time() - started
    sent = [pickle.dumps(o, protocol=pickle.HIGHEST_PROTOCOL) for o in outcomes]
    started = time.process_time()
    tally = RunTally()
    spill = Spill()
    for data in sent:
        spill.add(chain.observe(pickle.loads(data)))
    chain.hook.corpus_ready(run=RunContext(chain.config))
    for outcome in spill:
        record = chain.finish(outcome, tally).record
        if record is not None:
            json.dumps(record, ensure_ascii=False)
    spill.close()
    return worker, time.process_time() - started


def print_stages(title: str, pages: Path) -> None:
    stages, count = stage_times(pages)
    print(f"\nCPU ms per page by stage, in one process ({count} {title}):\n")
    print("| stage | ms/page |\n|---|---:|")
    for name, ms in sorted(stages.items(), key=lambda kv: -kv[1]):
        if ms >= 0.05:
            print(f"| {name} | {ms:.1f} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=Path, default=SHARED / "devset" / "html")
    parser.add_argument("--count", type=int, default=100, help="pages used (default 100)")
    parser.add_argument("--repeat", type=int, default=3, help="timed rounds (default 3)")
    args = parser.parse_args(argv)

    scratch = Path(tempfile.mkdtemp(prefix="clean-corpus-bench-"))
    try:
        html = scratch / "html"
        count = copy_pages(args.pages, html, args.count)
        text = scratch / "text"
        subprocess.run([sys.executable, str(SHARED / "tools" / "scraped_text.py"), str(html),
                        str(text), "--mode", "blocks"], check=True, stdout=subprocess.DEVNULL)
        small = scratch / "small"
        small.mkdir()
        (small / "one.txt").write_text("Un court article de quelques lignes, écrit pour "
                                       "mesurer le démarrage du programme.\n", encoding="utf-8")
        larger = scratch / "html3"
        copy_pages(args.pages, larger, args.count, copies=3)
        out = scratch / "out"
        out.mkdir()

        print(f"clean-corpus at {REPO.name}, Python {platform.python_version()}, "
              f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start; "
              f"{count} pages from {args.pages}; medians of {args.repeat} alternated rounds")

        whole = alternate({"chain -j 1": run_command(html, out),
                           "bare trafilatura loop": [sys.executable, "-c", BARE_LOOP, str(html)],
                           "start-up": run_command(small, out),
                           "text only": run_command(text, out)}, args.repeat)
        chain_wall, chain_cpu = median(whole["chain -j 1"], 0), median(whole["chain -j 1"], 1)
        bare_wall, bare_cpu = (median(whole["bare trafilatura loop"], i) for i in (0, 1))
        start_wall, start_cpu = median(whole["start-up"], 0), median(whole["start-up"], 1)
        text_cpu = median(whole["text only"], 1)
        print("\n| measure | wall s | CPU s | per page (CPU) |\n|---|---:|---:|---:|")
        for name, values in whole.items():
            pages = 1 if name == "start-up" else count
            print(f"| {name} | {median(values, 0):.2f} | {median(values, 1):.2f} | "
                  f"{1000 * median(values, 1) / pages:.1f} ms |")
        print(f"\nthroughput of clean-corpus run -j 1 / bare trafilatura.extract loop: "
              f"{bare_cpu / chain_cpu:.2f}x in CPU time ({bare_wall / chain_wall:.2f}x wall)")
        print(f"text only: {count / max(1e-9, text_cpu - start_cpu):.0f} documents per "
              f"CPU-second, start-up excluded ({count} pages of scraped text, "
              f"{sum(p.stat().st_size for p in text.iterdir()) / count / 1024:.1f} KiB each)")
        print(f"start-up (clean-corpus run, one small file): {start_wall:.2f} s wall, "
              f"{start_cpu:.2f} s CPU")

        workers = alternate({"-j 1": run_command(html, out, 1),
                             "-j 2": run_command(html, out, 2)}, args.repeat)
        one, two = median(workers["-j 1"], 0), median(workers["-j 2"], 0)
        print(f"-j 2 vs -j 1 (wall): {one:.2f} s / {two:.2f} s = {one / two:.2f}x "
              f"(load average {os.getloadavg()[0]:.1f} now: the cores were "
              f"{'not ' if os.getloadavg()[0] > 0.5 else ''}free)")

        memory = alternate({f"{count} pages": run_command(html, out),
                            f"{3 * count} pages": run_command(larger, out)}, 1, warm_up=False)
        print("peak memory: " + ", ".join(f"{name} {median(values, 2):.0f} MiB"
                                          for name, values in memory.items()))

        print_stages("HTML pages", html)
        print_stages("pages of scraped text", text)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
