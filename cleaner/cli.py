"""The ``clean-corpus`` command line."""
from __future__ import annotations

import argparse
import functools
import json
import os
import signal
import sys
import textwrap
import threading
from pathlib import Path

from clean_corpus import __version__, resume
from clean_corpus.config import DEFAULT_TIMEOUT, TIMEOUT_PER_MILLION_CHARS, Config, ConfigError
from clean_corpus.executors import RayExecutor
from clean_corpus.inputs import missing_inputs, walk
from clean_corpus.outputs import Shards
from clean_corpus.pipeline import (REJECTED, WRITTEN, Chain, RunContext, count_documents,
                                   iter_documents, iter_paths, run, write_stats)
from clean_corpus.plugins import BLOCK_ENTRY_POINTS_ENV, PluginRegistry
from clean_corpus.report import LEFT_OUT_PLUGIN, Colours, Report, document_html, entry_of
from clean_corpus.workers import WORKERS_PER_CPU, RunAborted, max_workers

EXIT_OK, EXIT_FAILURES, EXIT_USAGE, EXIT_ABORTED = 0, 1, 2, 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report Ctrl-C

EPILOG_RUN = f"""\
exit status:
  {EXIT_OK}  every document was processed (written or rejected with a reason)
  {EXIT_FAILURES}  some documents failed (see the failures file), or a plugin failed to load
     or failed at the start or end of the run; everything else was still processed and
     written (by the plugins that loaded)
  {EXIT_USAGE}  usage error: bad option, missing input, unreadable or invalid config
  {EXIT_ABORTED}  the run was aborted (worker processes die as they start): no output file is
     written or replaced
  {EXIT_INTERRUPTED}  interrupted (Ctrl-C; 143 for SIGTERM): no output file is written or replaced

A run keeps its state beside its output (OUT.unfinished/, DIR/.unfinished/) until it has
written it: after an interruption, even kill -9, the same command goes on where it stopped
and writes what an uninterrupted run writes (--restart starts afresh).

Every input document ends in exactly one place: the output, the rejected file (with the
reasons) or the failures file (with the plugin and the error). The summary on stderr and
--stats show the counts, which add up.
Set {BLOCK_ENTRY_POINTS_ENV}=1 to load no plugin package (--plugins-dir files
still load).
"""

EPILOG_CRAWL = f"""\
exit status:
  {EXIT_OK}  every page fetched was processed (written or rejected with a reason)
  {EXIT_FAILURES}  some pages failed (see the rejected file), or a plugin failed to load or
     failed at the start or end of the crawl, or the crawl could not start
  {EXIT_USAGE}  usage error: bad option or URL, unreadable or invalid config

Records are written as pages arrive. Corpus-level detectors (duplicates, site boilerplate)
decide with the pages seen so far; see docs/crawling.md. Politeness delays apply: a crawl
of a real site takes its time.
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="clean-corpus",
        description="Turn raw web pages and scraped text into clean, normalised article records.")
    parser.add_argument("--version", action="version", version=f"clean-corpus {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    run_p = sub.add_parser(
        "run", help="clean files, directories or archives into records",
        description="Read PATH... (text, HTML, JSON Lines, WARC/ARC and Parquet files, told\n"
                    "apart by content, each possibly gzip, zstd or bz2 compressed; directories\n"
                    "walked recursively; '-' for standard input; URLs), clean each document\n"
                    "through the plugin chain and write the records (JSON Lines unless --format\n"
                    "says otherwise).",
        epilog=EPILOG_RUN, formatter_class=argparse.RawDescriptionHelpFormatter)
    run_p.add_argument("paths", nargs="+", metavar="PATH",
                       help="input files, directories or URLs ('-' for standard input)")
    run_p.add_argument("-o", "--output", required=True, metavar="OUT.jsonl",
                       help="where the records go ('-' for standard output; DIR/ for "
                            "shards part-00000.FORMAT... and a manifest.json)")
    run_p.add_argument("--rejected", metavar="FILE",
                       help="where dropped documents go, with their reasons "
                            "(default: OUT.rejected.jsonl; DIR/rejected.jsonl with -o DIR/; "
                            "rejected.jsonl with -o -)")
    run_p.add_argument("--failures", metavar="FILE",
                       help="where failed documents go, with plugin and error "
                            "(default: the rejected file)")
    run_p.add_argument("--stats", metavar="FILE", help="write the run's counts as JSON")
    _add_plugin_options(run_p)
    run_p.add_argument("-j", "--workers", type=int, metavar="N",
                       help="worker processes for the per-document stage (default 1; at "
                            f"most {WORKERS_PER_CPU} per processor, more are cut to that "
                            "with a note); output is identical for any N")
    run_p.add_argument("--timeout", type=float, metavar="SECONDS",
                       help="time limit per document, in seconds of processor time where "
                            f"the system reports it (default {DEFAULT_TIMEOUT:g}, and "
                            f"{TIMEOUT_PER_MILLION_CHARS:g} more per million characters of the "
                            "document; inf: none); a "
                            "document over it fails, the run goes on")
    run_p.add_argument("--format", default="jsonl",
                       help="output format: jsonl (default), jsonl.gz, parquet, or one a "
                            "plugin adds")
    run_p.add_argument("--shard-records", type=int, default=100_000, metavar="N",
                       help="with -o DIR/: at most N records per shard (default 100000)")
    run_p.add_argument("--shard-bytes", type=int, default=1 << 30, metavar="N",
                       help="with -o DIR/: about N bytes of records (as JSON, before "
                            "compression) per shard at most (default 1 GiB)")
    run_p.add_argument("--executor", choices=("local", "ray"), default="local",
                       help="where the per-document stage runs: local worker processes "
                            "(default) or Ray (the 'ray' extra; -j N actors, default one per "
                            "CPU of the cluster); output is identical")
    run_p.add_argument("--ray-address", metavar="ADDRESS",
                       help="the Ray cluster to use (default: RAY_ADDRESS, else a local Ray "
                            "started for the run)")
    again = run_p.add_mutually_exclusive_group()
    again.add_argument("--resume", action="store_true",
                       help="continue the unfinished run kept beside the output (the "
                            "default when there is one); an error when there is none")
    again.add_argument("--restart", action="store_true",
                       help="discard an unfinished run kept beside the output and start "
                            "afresh")
    run_p.add_argument("--report", metavar="DIR",
                       help="also write an HTML report of the run into DIR (index.html: "
                            "the overview; a page per document)")
    run_p.add_argument("--no-progress", action="store_true", help="no progress bar")
    run_p.add_argument("-q", "--quiet", action="store_true", help="no summary on stderr")

    explain_p = sub.add_parser(
        "explain", help="show in a browser what cleaning removed, and why",
        description="Clean PATH... as `run` does and write an HTML report a person reads in "
                    "a browser: the text with every removed span highlighted by plugin and "
                    "reason, what extraction left out, the fields lifted out of the text and "
                    "the detections. Self-contained files: nothing is fetched.")
    explain_p.add_argument("paths", nargs="+", metavar="PATH", help="input files or directories")
    where = explain_p.add_mutually_exclusive_group(required=True)
    where.add_argument("-o", "--output", metavar="PAGE.html",
                       help="one page, for inputs holding one document")
    where.add_argument("--report", metavar="DIR",
                       help="a report of the whole run: an overview and a page per document")
    _add_plugin_options(explain_p)
    explain_p.add_argument("-j", "--workers", type=int, metavar="N",
                           help=f"worker processes (default 1; at most {WORKERS_PER_CPU} per "
                                "processor)")
    explain_p.add_argument("--no-progress", action="store_true", help="no progress bar")

    plugins_p = sub.add_parser("plugins", help="list plugins with their hooks and options",
                               description="List every plugin in chain order: name, version, "
                                           "source (builtin, package or file), the hooks it "
                                           "implements, what it does and its options with "
                                           "their values (defaults unless configured); "
                                           "disabled plugins last, with why.")
    plugins_p.add_argument("--json", action="store_true", help="print JSON")
    _add_plugin_options(plugins_p)

    crawl_p = sub.add_parser(
        "crawl", help="crawl news sites into JSONL records",
        description="Crawl from URL... (front pages, RSS/Atom feeds or sitemaps) with the "
                    "news spider: robots.txt obeyed, one request at a time per site with "
                    "AutoThrottle, the clean-corpus user agent. Article pages go through "
                    "the plugin chain as with `run`; listings are only followed.",
        epilog=EPILOG_CRAWL, formatter_class=argparse.RawDescriptionHelpFormatter)
    crawl_p.add_argument("urls", nargs="+", metavar="URL", help="where to start")
    crawl_p.add_argument("-o", "--output", required=True, metavar="OUT.jsonl",
                         help="where the records go ('-' for standard output)")
    crawl_p.add_argument("--rejected", metavar="FILE",
                         help="where dropped and failed pages go (default: OUT.rejected.jsonl; "
                              "rejected.jsonl with -o -)")
    crawl_p.add_argument("--stats", metavar="FILE", help="write the run's counts as JSON")
    crawl_p.add_argument("--max-pages", type=int, metavar="N",
                         help="stop after N article pages")
    crawl_p.add_argument("--allowed-domains", metavar="D,...",
                         help="domains to stay in (default: the start URLs' domains)")
    crawl_p.add_argument("-s", "--setting", action="append", default=[], metavar="NAME=VALUE",
                         dest="scrapy_settings",
                         help="Scrapy setting, as `scrapy crawl -s` (repeatable); "
                              "-s LOG_LEVEL=INFO shows the crawl's log")
    _add_plugin_options(crawl_p)
    crawl_p.add_argument("-q", "--quiet", action="store_true", help="no summary on stderr")

    new_p = sub.add_parser("new-plugin", help="write a new plugin package to start from",
                           description="Write a working plugin package for NAME: "
                                       "pyproject.toml with its entry points, a cleaner, a "
                                       "lexicon file, a test using clean_corpus.testing, "
                                       "and a README (see docs/plugins.md).")
    new_p.add_argument("name", metavar="NAME", help="plugin name, such as drop-shouting")
    new_p.add_argument("-d", "--directory", default=".", metavar="DIR",
                       help="where the package folder is created (default: here)")
    return parser


def _add_plugin_options(parser: argparse.ArgumentParser) -> None:
    """Options that choose, order and set up plugins (shared by `run` and `plugins`)."""
    parser.add_argument("--config", metavar="FILE", help="TOML configuration file")
    parser.add_argument("--disable", action="append", default=[], metavar="PLUGIN",
                        help="disable a plugin (repeatable)")
    parser.add_argument("--enable", action="append", default=[], metavar="PLUGIN",
                        help="enable a plugin that is disabled by the config or by default "
                             "(repeatable)")
    parser.add_argument("--order", metavar="A,B,...",
                        help="run these plugins first in the chain, in this order")
    parser.add_argument("--set", action="append", default=[], metavar="PLUGIN.KEY=VALUE",
                        dest="settings", help="set a plugin option (repeatable); "
                                              "PLUGIN.before=NAME / PLUGIN.after=NAME place it "
                                              "in the chain")
    parser.add_argument("--plugins-dir", action="append", default=[], metavar="DIR",
                        dest="plugins_dirs", help="load plugins from the .py files in DIR "
                                                  "(repeatable)")


def _say_capped(asked: int, what: str, running: int) -> None:
    print(f"clean-corpus: {asked} {what} asked for; running {running}, {WORKERS_PER_CPU} per "
          "processor this machine gives the run", file=sys.stderr)


def _config_from(args) -> Config:
    config = Config.load(args.config)
    config.disable += args.disable
    config.enable += args.enable
    config.plugins_dirs += args.plugins_dirs
    if args.order:
        config.order = [n.strip() for n in args.order.split(",") if n.strip()]
    for assignment in args.settings:
        config.set_option(assignment)
    if getattr(args, "workers", None) is not None:  # `run` only; -j 0 is an error, not unset
        if args.workers < 1:
            raise ConfigError("--workers must be at least 1")
        config.workers = args.workers
    if hasattr(args, "workers") and getattr(args, "executor", "local") == "local" \
            and config.workers > max_workers():
        # the output is the same for any number: more processes than that only cost memory
        _say_capped(config.workers, "worker processes", max_workers())
        config.workers = max_workers()
    if getattr(args, "timeout", None) is not None:
        if not args.timeout > 0:
            raise ConfigError("--timeout must be a number of seconds above 0")
        config.timeout = args.timeout
    return config


def cmd_plugins(args) -> int:
    registry = PluginRegistry(_config_from(args))
    infos = [info.as_dict() for info in registry.all_infos()]
    if args.json:
        print(json.dumps(infos, indent=2))
        return EXIT_OK
    # Columns as wide as their longest entry: package names can be long.
    widths = {key: max([len(i[key]) for i in infos] + [1]) for key in ("name", "version", "source")}
    for info in infos:
        state = "" if info["enabled"] else f"  [{info['error']}]"
        print(f"{info['name']:<{widths['name']}}  {info['version']:<{widths['version']}}  "
              f"{info['source']:<{widths['source']}}  {', '.join(info['hooks'])}{state}")
        if info["doc"]:
            print(textwrap.fill(info["doc"], width=88, initial_indent="    ",
                                subsequent_indent="    "))
        if info["options"]:
            print("    options: " + ", ".join(
                f"{key}={json.dumps(value, ensure_ascii=False)}"
                + ("" if value == info["defaults"].get(key) else
                   f" (default {json.dumps(info['defaults'].get(key), ensure_ascii=False)})")
                for key, value in info["options"].items()))
    return EXIT_OK


def cmd_new_plugin(args) -> int:
    from clean_corpus.template import write_package

    root = write_package(args.name, Path(args.directory))
    print(f"wrote {root}/: `pip install -e '{root}[test]'`, then `pytest {root}` and "
          "`clean-corpus plugins`")
    return EXIT_OK


class Sinks:
    """Routes each outcome to the output, rejected or failures writer.

    Records go through the ``--format`` writer; rejection and failure reports are always
    JSON Lines.
    """

    def __init__(self, record_factory, report_factory, output: Path, rejected: Path,
                 failures: Path):
        self.output = record_factory(output)
        self.rejected = report_factory(rejected)
        # One writer when both name one file, however spelt (./r.jsonl, d/../r.jsonl):
        # two would each replace the file on close, and one's entries would be lost.
        self.failures = (self.rejected if failures.resolve() == rejected.resolve()
                         else report_factory(failures))

    def __call__(self, outcome) -> None:
        if outcome.status == WRITTEN:
            self.output.write(outcome.document.to_record())
        elif outcome.status == REJECTED:
            self.rejected.write(outcome.report())
        else:
            self.failures.write(outcome.report())

    def _each(self):
        return {id(w): w for w in (self.output, self.rejected, self.failures)}.values()

    def close(self) -> None:
        for writer in self._each():
            writer.close()

    def abort(self) -> None:
        for writer in self._each():
            writer.abort()


class ProgressBar:
    """A tqdm bar over both passes: documents cleaned (total counted from the inputs
    beforehand), then records written (total: the documents cleaned), each with its ETA."""

    def __init__(self, total: int):
        from tqdm import tqdm
        self.bar = tqdm(total=total, unit="doc", desc="cleaning", file=sys.stderr,
                        leave=False, dynamic_ncols=True)

    def advance(self) -> None:
        self.bar.update(1)

    def phase(self, name: str, total: int | None) -> None:
        self.bar.set_description(name, refresh=False)
        self.bar.reset(total=total)

    def close(self) -> None:
        self.bar.close()


def _progress(args, chain: Chain, outputs) -> ProgressBar | None:
    if args.no_progress or not sys.stderr.isatty():
        return None
    return ProgressBar(count_documents(chain.registry, args.paths, exclude=outputs))


def _plugin_names(chain: Chain) -> list[str]:
    return [info.name for info in chain.registry.all_infos()]


def _report(args, chain: Chain) -> Report | None:
    return Report(args.report, _plugin_names(chain)) if args.report else None


def _both(*sinks):
    def sink(outcome):
        for each in sinks:
            each(outcome)
    return sink


def _chain_for(args) -> Chain:
    """The run's chain; a report also needs what extraction left out of each page."""
    config = _config_from(args)
    try:
        missing = missing_inputs(args.paths)
    except ValueError as exc:  # a URL and no fsspec to open it
        raise ConfigError(str(exc)) from None
    if missing:
        raise ConfigError(f"no such file or directory: {', '.join(missing)}")
    if getattr(args, "report", None) or args.command == "explain":
        config.enable.append(LEFT_OUT_PLUGIN)
    return Chain(config)


def cmd_explain(args) -> int:
    """Clean the inputs in memory and write the report (nothing else is written)."""
    chain = _chain_for(args)
    entries: list = []
    report = _report(args, chain)
    outputs = [Path(args.report)] if args.report else []
    bar = _progress(args, chain, outputs)
    try:
        inputs = iter_documents(chain.registry, args.paths, exclude=outputs)
        sink = report if report is not None else (lambda outcome: entries.append(entry_of(outcome)))
        stats = run(chain, inputs, sink, RunContext(chain.config), bar)
    finally:
        if bar is not None:
            bar.close()
    if report is not None:
        print(f"clean-corpus: report of {stats['documents']} documents: {report.close()}",
              file=sys.stderr)
    elif len(entries) != 1:
        raise ConfigError(f"{' '.join(args.paths)} holds {len(entries)} documents; -o writes "
                          "the page of one: use --report DIR for a report of them all")
    else:
        page = document_html(entries[0], colours=Colours(_plugin_names(chain)))
        Path(args.output).write_text(page, encoding="utf-8")
        print(f"clean-corpus: {entries[0]['status']}: {args.output}", file=sys.stderr)
    return EXIT_FAILURES if stats["failed"] or stats["plugin_errors"] else EXIT_OK


def cmd_run(args) -> int:
    chain = _chain_for(args)
    config = chain.config
    writers = chain.writers()
    if args.format not in writers:
        raise ConfigError(f"unknown --format {args.format!r}; known: {sorted(writers)}")
    output = Path(args.output)
    sharded = args.output.endswith(("/", os.sep))
    if output.is_dir() and not sharded:
        raise ConfigError(f"-o {args.output} is a directory; name the file the records go to "
                          f"(or write {args.output.rstrip(os.sep)}{os.sep} for shards in it)")
    rejected = _rejected_path(args, sharded)
    failures = Path(args.failures) if args.failures else rejected
    stats_path = Path(args.stats) if args.stats else None
    run_files = {"-o": output, "--rejected": rejected, "--failures": failures,
                 "--stats": stats_path}
    _refuse_shared_files(run_files)
    _refuse_unwritable(run_files, args.report, sharded, args.paths)
    records = writers[args.format]
    if sharded:
        if min(args.shard_records, args.shard_bytes) < 1:
            raise ConfigError("--shard-records and --shard-bytes must be at least 1")
        records = functools.partial(Shards, records, extension=args.format,
                                    max_records=args.shard_records, max_bytes=args.shard_bytes)
    executor = None
    if args.executor == "ray":
        try:
            executor = RayExecutor(args.ray_address, actors=args.workers)
        except ValueError as exc:
            raise ConfigError(str(exc)) from None
        if executor.asked:  # a local Ray: its actors are processes of this machine
            _say_capped(executor.asked, "Ray actors", executor.actors)
    outputs = [Path(p) for p in (*run_files.values(), args.report) if p is not None]
    checkpoint = _checkpoint(args, chain, output, sharded, outputs)
    sinks = Sinks(records, writers["jsonl"], output, rejected, failures)
    run_ctx = RunContext(config, output, rejected, failures)
    report = _report(args, chain)
    bar = _progress(args, chain, outputs)
    try:
        inputs = iter_documents(chain.registry, args.paths, exclude=outputs)
        stats = run(chain, inputs, _both(sinks, report) if report else sinks, run_ctx, bar,
                    checkpoint, executor)
    except BaseException as exc:
        sinks.abort()
        if checkpoint is not None:
            checkpoint.close()
            if not isinstance(exc, (ConfigError, BrokenPipeError)):
                print(f"clean-corpus: the documents prepared so far are kept in "
                      f"{checkpoint.directory}: the same command goes on from there",
                      file=sys.stderr)
        raise
    finally:
        if bar is not None:
            bar.close()
    sinks.close()
    if report is not None:
        report.close()
    stats["output"] = str(output)
    stats["rejected_file"] = str(rejected)
    stats["failures_file"] = str(failures)
    if stats_path is not None:
        write_stats(stats_path, stats)
    if checkpoint is not None:
        checkpoint.remove()
    if not args.quiet:
        _print_summary(stats)
    return EXIT_FAILURES if stats["failed"] or stats["plugin_errors"] else EXIT_OK


def _rejected_path(args, sharded: bool = False) -> Path:
    """``--rejected``, else beside ``-o``: ``OUT.rejected.jsonl`` (``DIR/rejected.jsonl``
    for shards)."""
    if args.rejected:
        return Path(args.rejected)
    if args.output == "-":  # not "-.rejected.jsonl", a name the shell takes for an option
        return Path("rejected.jsonl")
    output = Path(args.output)
    if sharded:
        return output / "rejected.jsonl"
    stem = output.name.removesuffix(f".{getattr(args, 'format', 'jsonl')}")
    return output.with_name(stem.removesuffix(".jsonl") + ".rejected.jsonl")


def _checkpoint(args, chain: Chain, output: Path, sharded: bool, exclude: list):
    """The run's saved state beside its output (None for standard input or output, which
    cannot be read again); ``exclude`` gains its folder, so it is never read as input."""
    if args.output == "-" or "-" in args.paths:
        if args.resume:
            raise ConfigError("--resume needs inputs and an output that are files")
        return None
    directory = resume.state_dir(output, sharded)
    exclude.append(directory)
    names = list(walk(args.paths, iter_paths, exclude))
    fingerprint = resume.run_fingerprint(
        chain.config, chain.registry, resume.input_fingerprint(names),
        {"format": args.format, "sharded": sharded,
         "shard_limits": [args.shard_records, args.shard_bytes] if sharded else None})
    try:
        checkpoint = resume.Checkpoint(directory, fingerprint,
                                       resume=True if args.resume else
                                       False if args.restart else None)
    except resume.ResumeRefused as exc:
        raise ConfigError(str(exc)) from None
    if checkpoint.done and not args.quiet:
        print(f"clean-corpus: resuming the unfinished run kept in {directory} "
              f"({checkpoint.done} documents already prepared)", file=sys.stderr)
    return checkpoint


def cmd_crawl(args) -> int:
    import tempfile

    from clean_corpus.crawl import crawl
    from clean_corpus_spiders.news import NewsSpider

    config = _config_from(args)
    PluginRegistry(config)  # a wrong plugin name or option stops us before any fetch
    spider_args = {"allowed_domains": args.allowed_domains, "max_pages": args.max_pages}
    try:
        NewsSpider(start_url=args.urls, **spider_args)  # the spider's own argument checks
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    settings = {"LOG_LEVEL": "WARNING"}
    for assignment in args.scrapy_settings:
        name, sep, value = assignment.partition("=")
        if not (sep and name):
            raise ConfigError(f"-s expects NAME=VALUE, got {assignment!r}")
        settings[name] = value
    rejected = _rejected_path(args)
    stats_path = Path(args.stats) if args.stats else None
    run_files = {"-o": Path(args.output), "--rejected": rejected, "--stats": stats_path}
    _refuse_shared_files(run_files)
    _refuse_unwritable(run_files, None, False, [])
    with tempfile.TemporaryDirectory(prefix="clean-corpus-crawl-") as scratch:
        counts = stats_path or Path(scratch) / "stats.json"
        crawl(args.urls, args.output, config, rejected=str(rejected), stats=str(counts),
              settings=settings, spider_args=spider_args)
        if not counts.exists():  # the crawl never started (Scrapy said why in its log)
            print("clean-corpus: error: the crawl did not run", file=sys.stderr)
            return EXIT_FAILURES
        stats = json.loads(counts.read_text(encoding="utf-8"))
    stats["output"] = args.output
    stats["rejected_file"] = stats["failures_file"] = str(rejected)
    if stats_path is not None:
        write_stats(stats_path, stats)
    if not args.quiet:
        _print_summary(stats)
    return EXIT_FAILURES if stats["failed"] or stats["plugin_errors"] else EXIT_OK


def _refuse_shared_files(files: dict) -> None:
    """Stop before running when two of the run's files are one path.

    Each file is written beside itself and renamed into place at the end, so the last one
    closed would replace the other: records (or reports) lost without a word. The rejected
    and failures files alone may be one file (that is the default).
    """
    seen: dict = {}
    for option, path in files.items():
        if path is None or str(path) == "-":
            continue
        key = path.resolve()
        if key in seen and {seen[key], option} != {"--rejected", "--failures"}:
            raise ConfigError(f"{seen[key]} and {option} name the same file ({path}); "
                              "give each its own path")
        seen.setdefault(key, option)


def _refuse_unwritable(files: dict, report: str | None, sharded: bool, inputs) -> None:
    """Stop before running when a file of the run cannot be written where it is named:
    over a folder, under a file, or over an input named on the command line (which would be
    replaced by the run's output, the input itself passed over as that output)."""
    named = {Path(p).resolve() for p in inputs if p != "-" and Path(p).is_file()}
    places = [(option, path, option == "-o" and sharded) for option, path in files.items()]
    places.append(("--report", Path(report) if report else None, True))
    for option, path, folder in places:
        if path is None or str(path) == "-":
            continue
        if path.resolve() in named:
            raise ConfigError(f"{option} {path} is an input of the run; the run would "
                              "replace it: name another file")
        if path.is_dir() and not folder:
            raise ConfigError(f"{option} {path} is a directory; name a file")
        above = path if folder else path.parent
        while not os.path.lexists(above) and above != above.parent:
            above = above.parent
        if os.path.lexists(above) and not above.is_dir():
            where = f"{option} {path}" if above == path else f"{option} {path}: {above}"
            raise ConfigError(f"{where} is a file, not a folder")


def _print_summary(stats: dict) -> None:
    err = sys.stderr
    print(f"clean-corpus: {stats['documents']} documents: {stats['written']} written, "
          f"{stats['rejected']} rejected, {stats['failed']} failed "
          f"in {stats['seconds']:.1f}s", file=err)
    print(f"  records:  {stats['output']}", file=err)
    if stats["rejected"]:
        print(f"  rejected: {stats['rejected_file']}", file=err)
        for reason, count in stats["rejected_reasons"].items():
            print(f"    {count:>5}  {reason}", file=err)
    if stats["failed"]:
        print(f"  failures: {stats['failures_file']}", file=err)
        for plugin, count in stats["failed_plugins"].items():
            print(f"    {count:>5}  failed in {plugin}", file=err)
    if stats.get("skipped"):
        reasons = ", ".join(f"{count} {reason}" for reason, count in
                            stats["skipped_reasons"].items())
        print(f"  skipped (not documents): {reasons}", file=err)
    for error in stats["plugin_errors"]:
        print(f"  plugin error in {error['plugin']} ({error['hook']}): {error['error']}", file=err)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    if threading.current_thread() is threading.main_thread():
        # `kill` (SIGTERM) unwinds like Ctrl-C does, so partial output files are removed.
        signal.signal(signal.SIGTERM, _terminated)
    try:
        commands = {"run": cmd_run, "crawl": cmd_crawl, "explain": cmd_explain,
                    "plugins": cmd_plugins,
                    "new-plugin": cmd_new_plugin}
        return commands[args.command](args)
    except ConfigError as exc:
        print(f"clean-corpus: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except RunAborted as exc:
        print(f"clean-corpus: error: {exc}; no output file was written or replaced",
              file=sys.stderr)
        return EXIT_ABORTED
    except KeyboardInterrupt:
        print("clean-corpus: interrupted; no output file was written or replaced",
              file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # `clean-corpus plugins | head`: the reader left. Exit quietly, with the status a
        # shell gives a command stopped by SIGPIPE, as other Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 128 + signal.SIGPIPE


def _terminated(signum, frame):
    raise SystemExit(128 + signum)


if __name__ == "__main__":
    sys.exit(main())
