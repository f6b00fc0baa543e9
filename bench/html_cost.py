"""What the HTML extractor costs per page, step by step, next to trafilatura on the same pages.

    python bench/html_cost.py [PAGES_DIR] [--pages 200] [--repeat 3]
                              [--against OLD_TREE [--extract]]

PAGES_DIR holds ``.html`` or ``.html.gz`` files (default: ../shared/wcxb-dev/pages, every
n-th page up to ``--pages``). For each page, each step runs ``--repeat`` times and its
fastest CPU time counts (the machine may be shared); the medians and means over pages
are printed: the one parse, the DOM blocks, the block features, the classifier, the page
type, the alignment that finds the blocks trafilatura missed, and the whole extraction
wrapper around trafilatura's result (the parse included, trafilatura's own run not), next
to ``trafilatura.extract`` (default options) on the same page text. The classifier's own
cost, on top of the parse, is the sum of blocks, features and model. The steps of
trafilatura's extraction follow: trafilatura as
the ``trafilatura`` plugin calls it (XML output with links and metadata), without the
metadata, the metadata alone with and without htmldate's extensive date search, and the
lead-paragraph scan. (Fastest-of-N hides what a process pays once, such as the date
parser's languages: ``bench_pipeline.py`` times whole processes.)

With ``--against OLD_TREE`` (another checkout, as ``classifier_against.py`` takes it) only
the parse and the classifier's own steps are timed, in both checkouts, alternated page by
page in one process (the order alternating each round; a page's time is its fastest
round): each checkout's ``parse_html``, then on the tree it built the DOM blocks, the block
features and the model, their sum the classifier on top of the parse; with ``--extract``
also ``trafilatura.extract`` (default options) given that tree, which it copies, so the
copy's elements are made as the checkout's parser makes them. The caches a page of
another site would find empty (class names, tokens) are emptied before each timing, and
the garbage collected. Medians and 90th percentiles, the ratio of the medians and the
median of the pages' ratios: on a shared machine the ratios are the figures to quote.

With ``--once`` each page goes through the classifier's steps once, in order, as a run
takes it: nothing of the page computed before (the fastest-of-N steps above find the
page's own tokens and stop-word counts cached by the run before), the caches holding what
the pages before it left (class names and words shared by sites). Each step's CPU time,
and their sum, the classifier on top of the parse; medians and 90th percentiles over the
pages, for each of ``--repeat`` passes (each pass a new process would differ only in the
first pages) and the median of the passes. ``--model FILE`` times another block
classifier file; given more than once, the models take turns pass by pass (in the other
order every round) and each gets its own figures: models side by side in one run.
"""
from __future__ import annotations

import argparse
import gc
import gzip
import importlib.util
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import trafilatura

from clean_corpus.document import Document, Extraction
from clean_corpus.htmltree import parse_html
from clean_corpus_plugins.boilerplate.html import dom_blocks
from clean_corpus_plugins.boilerplate.html_extract import (MODEL_FILE, Alignment,
                                                           HtmlExtractor, block_matrix,
                                                           predict_page_type, taken_back)
from clean_corpus_plugins.boilerplate.model import load_model
from clean_corpus_plugins.extract import TrafilaturaExtractor, lead_paragraph


def fastest(step, repeat: int) -> float:
    """The fastest of ``repeat`` runs of ``step()``, in CPU milliseconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        step()
        best = min(best, time.process_time() - start)
    return best * 1000


def wrapped(extractor: HtmlExtractor, document: Document, found: Extraction) -> Extraction:
    """The extractor's wrapper around ``found``, trafilatura's extraction (not timed again)."""
    hook = extractor.extract(document)
    next(hook)
    try:
        hook.send(Extraction(list(found.blocks), dict(found.metadata)))
    except StopIteration as done:
        return done.value
    raise RuntimeError("the extract wrapper did not return")


def read(path: Path) -> str:
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    return data.decode("utf-8", "replace")


#: The modules of a checkout the classifier's steps come from.
HTML_MODULES = ("boilerplate.html", "boilerplate.html_extract", "boilerplate.model",
                "boilerplate.features")


def tree_module(root: Path):
    """The ``htmltree`` module (the shared parse) of the checkout at ``root``, loaded from
    its file under a name of its own: it imports nothing of the package."""
    spec = importlib.util.spec_from_file_location(f"htmltree_of_{root.name}",
                                                  root / "cleaner" / "htmltree.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def against(old_tree: Path, files: list[Path], repeat: int, extract_too: bool = False) -> int:
    """The parse and the classifier's steps in this checkout and in ``old_tree``, alternated
    page by page."""
    from classifier_against import imported

    checkouts = {"old": imported(old_tree, HTML_MODULES), "new": imported(None, HTML_MODULES)}
    parsers = {"old": tree_module(old_tree).parse_html, "new": parse_html}

    def steps(modules: dict, parse, page: str):
        """The checkout's steps on ``page``, the later ones on the tree its parse built: for
        each, the caches to empty first (what a page of another site would find in them)
        and a function of nothing. None when the page gives no tree."""
        html = modules["boilerplate.html"]
        extract = modules["boilerplate.html_extract"]
        model = modules["boilerplate.model"].load_model(str(extract.MODEL_FILE))
        features = modules["boilerplate.features"]
        tree = parse(page)
        if tree is None:
            return None
        blocks = html.dom_blocks(tree)
        X = extract.block_matrix(blocks, model)
        timed = [((), lambda: parse(page)),
                 (caches(html, "_split_names"), lambda: html.dom_blocks(tree)),
                 (caches(features, "page_words", "stop_word_counts", "token_keys"),
                  lambda: extract.block_matrix(blocks, model)),
                 ((), lambda: model.predict_page(X))]
        if extract_too:
            timed.append(((), lambda: trafilatura.extract(tree)))
        return blocks, timed

    def caches(module, *names):
        """The caches of these names ``module`` has (a checkout's may lack some, or not
        cache there)."""
        return [getattr(module, name) for name in names
                if hasattr(getattr(module, name, None), "cache_clear")]

    classifier = ("DOM blocks", "block features", "model")  # on top of the parse
    names = ("parse", *classifier) + (("trafilatura.extract on the tree",) if extract_too else ())
    in_classifier = [names.index(step) for step in classifier]
    times: dict[str, list[tuple[float, ...]]] = {"old": [], "new": []}
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    for path in files:
        page = read(path)
        made = {name: steps(modules, parsers[name], page) for name, modules in checkouts.items()}
        if None in made.values() or not made["new"][0]:  # no tree, or no blocks: nothing to time
            continue
        timed = {name: steps_of for name, (_, steps_of) in made.items()}
        best = {name: [float("inf")] * len(names) for name in timed}
        for r in range(repeat):
            for name in (("old", "new") if r % 2 == 0 else ("new", "old")):
                for k, (emptied, step) in enumerate(timed[name]):
                    for cache in emptied:
                        cache.cache_clear()
                    gc.collect()  # no step pays for the garbage of the one before
                    best[name][k] = min(best[name][k], fastest(step, 1))
        for name in times:
            times[name].append(tuple(best[name]) + (sum(best[name][k] for k in in_classifier),))
    print(f"load average after: {os.getloadavg()[0]:.2f}")

    def stat(values):
        values = sorted(values)
        return statistics.median(values), values[int(0.9 * (len(values) - 1))]

    print(f"{len(times['new'])} pages, fastest of {repeat} alternated rounds, CPU ms per page, "
          f"median (p90):")
    for k, label in enumerate(names + ("classifier on top of the parse",)):
        (a, a90), (b, b90) = (stat(t[k] for t in times[name]) for name in ("old", "new"))
        per_page = statistics.median(n[k] / o[k] for o, n in zip(times["old"], times["new"])
                                     if o[k] > 0)
        print(f"  {label:<31} old {a:6.2f} ({a90:6.2f})  new {b:6.2f} ({b90:6.2f})  "
              f"ratio {b / a:.3f}, per page {per_page:.3f}")
    return 0


def once(files: list[Path], repeat: int, models: list[Path] | None = None) -> int:
    """Each page through the classifier's steps once, in order, as a run takes it; with
    several ``models``, each pass runs one of them, the models taking turns (in the other
    order every round)."""
    models = models or [MODEL_FILE]
    loaded = [load_model(str(path)) for path in models]
    pages = [read(path) for path in files]
    names = ("parse", "DOM blocks", "block features", "model")
    passes: dict[int, list] = {m: [] for m in range(len(models))}
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    for r in range(repeat):
        for m in (range(len(models)) if r % 2 == 0 else reversed(range(len(models)))):
            passes[m].append(one_pass(pages, loaded[m]))
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    for m, path in enumerate(models):
        if len(models) > 1:
            print(f"\nmodel {path}:")
        print(f"{len(passes[m][0])} pages, each once a pass, in order, {repeat} passes; CPU ms "
              f"per page, median (p90) of each pass, then the median of the passes' medians:")
        for k, label in enumerate(names + ("classifier on top of the parse",)):
            figures = []
            for times in passes[m]:
                values = sorted(t[k] for t in times)
                figures.append((statistics.median(values), values[int(0.9 * (len(values) - 1))]))
            shown = "  ".join(f"{med:6.2f} ({p90:6.2f})" for med, p90 in figures)
            print(f"  {label:<31} {shown}   median "
                  f"{statistics.median(med for med, _ in figures):6.2f}")
    return 0


def one_pass(pages: list[str], model) -> list[tuple[float, ...]]:
    """One pass of :func:`once` over ``pages`` with ``model``: each step's CPU ms a page."""
    times: list[tuple[float, ...]] = []
    for page in pages:
        start = time.process_time()
        tree = parse_html(page)
        parsed = time.process_time()
        if tree is None:
            continue
        blocks = dom_blocks(tree)
        walked = time.process_time()
        if not blocks:
            continue
        X = block_matrix(blocks, model)
        featured = time.process_time()
        model.predict_page(X)
        done = time.process_time()
        times.append(tuple(1000 * t for t in (parsed - start, walked - parsed,
                                               featured - walked, done - featured,
                                               done - parsed)))
    return times


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pages", nargs="?", type=Path, default=Path("../shared/wcxb-dev/pages"))
    ap.add_argument("--pages", dest="count", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--against", type=Path, metavar="OLD_TREE",
                    help="time the parse and the classifier's steps against another "
                         "checkout's")
    ap.add_argument("--extract", action="store_true",
                    help="with --against: time trafilatura.extract on each checkout's tree too")
    ap.add_argument("--once", action="store_true",
                    help="each page once, in order, as a run takes it (the classifier's steps)")
    ap.add_argument("--model", type=Path, action="append", metavar="FILE",
                    help="with --once: the block classifier's model file (default: the "
                         "shipped one); given more than once, the models side by side")
    args = ap.parse_args(argv)
    files = sorted(p for p in args.pages.iterdir() if p.name.endswith((".html", ".htm", ".html.gz")))
    files = files[::max(1, len(files) // args.count)][:args.count]
    if args.against:
        return against(args.against, files, args.repeat, args.extract)
    if args.once:
        return once(files, args.repeat, args.model)
    model = load_model(str(MODEL_FILE))
    extractor = HtmlExtractor()
    extractor.options = dict(HtmlExtractor.defaults)
    article = TrafilaturaExtractor()
    article.options = dict(TrafilaturaExtractor.defaults)
    from trafilatura.metadata import extract_metadata
    from trafilatura.settings import set_date_params
    steps: dict[str, list[float]] = {}
    for path in files:
        html = read(path)
        tree = parse_html(html)
        if tree is None:
            continue
        blocks = dom_blocks(tree)
        X = block_matrix(blocks, model)
        p = model.predict_page(X)
        texts = [b.text for b in blocks]
        document = Document(source=path.name, html=html)
        found = article.extract(document) or Extraction([])
        extracted = [b.text for b in found.blocks]
        timings = {
            "parse (one per page)": fastest(lambda: parse_html(html), args.repeat),
            "DOM blocks": fastest(lambda: dom_blocks(tree), args.repeat),
            "block features": fastest(lambda: block_matrix(blocks, model), args.repeat),
            "classifier": fastest(lambda: model.predict_page(X), args.repeat),
            "page type": fastest(lambda: predict_page_type(tree, None, blocks), args.repeat),
            "alignment with trafilatura's text": fastest(
                lambda: taken_back(p, Alignment(texts, extracted, p), extracted, 0.5),
                args.repeat),
            "extract hook (all of the above)": fastest(
                lambda: wrapped(extractor, Document(source=path.name, html=html), found),
                args.repeat),
            "trafilatura.extract (default)": fastest(lambda: trafilatura.extract(html),
                                                     args.repeat),
        }
        lead_blocks = found.blocks
        timings.update({
            "article path: trafilatura plugin": fastest(lambda: article.extract(document),
                                                        args.repeat),
            "  its extraction, no metadata": fastest(
                lambda: article._run(document, False, with_metadata=False), args.repeat),
            "  metadata, extensive date search": fastest(
                lambda: extract_metadata(tree, None, set_date_params(True)), args.repeat),
            "  metadata, no extensive search": fastest(
                lambda: extract_metadata(tree, None, set_date_params(False)), args.repeat),
            "  lead-paragraph scan": fastest(lambda: lead_paragraph(tree, lead_blocks),
                                             args.repeat),
        })
        for name, ms in timings.items():
            steps.setdefault(name, []).append(ms)
    print(f"{len(steps.get('parse (one per page)', []))} pages, fastest of {args.repeat} runs "
          f"each, CPU ms per page:")
    for name, values in steps.items():
        print(f"  {name:<34} median {statistics.median(values):7.2f}  mean {np.mean(values):7.2f}")
    classifier = [b + f + c for b, f, c in zip(steps["DOM blocks"], steps["block features"],
                                                steps["classifier"])]
    print(f"  {'classifier on top of the parse':<34} median {statistics.median(classifier):7.2f}"
          f"  mean {np.mean(classifier):7.2f}")
    ratio = np.mean(steps["extract hook (all of the above)"]) / \
        np.mean(steps["trafilatura.extract (default)"])
    print(f"extract hook (without trafilatura's own run) / trafilatura.extract (means): "
          f"{ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
