"""The text classifier's cost in two checkouts, alternated page by page in one process.

    python bench/classifier_against.py OLD_TREE TEXT_DIR [--pages 200] [--rounds 5]

OLD_TREE is another checkout of clean-corpus (``git worktree add`` or ``git archive``; no
environment of its own is needed): its ``plugins/boilerplate`` modules are imported
beside this checkout's, each under its own package, so that both rate the same pages in
the same process. For each page, each round times both (the order alternating): the
block features (tokens' caches emptied first, as ``bench_classifier.py`` does) and the
model (vocabulary and both stages); a page's time is its fastest round. Medians and
90th percentiles in ms per page, the ratio of the medians and the median of the pages'
ratios: on a shared machine the ratio is the figure to quote, the load moves the rest.
"""
from __future__ import annotations

import argparse
import atexit
import importlib
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

PACKAGE = "clean_corpus_plugins"


class Checkout:
    """One checkout's text classifier: its features, its model, its caches."""

    def __init__(self, modules: dict):
        self.features = modules["boilerplate.features"]
        model = modules["boilerplate.model"]
        extract = modules["boilerplate.text_extract"]
        self.model = model.load_model(str(extract.TEXT_MODEL))
        self.page_features = self.features.text_features
        # (the page's words: cached as page_words, or as the two before it)
        self.caches = [getattr(self.features, name)
                       for name in ("page_words", "stop_word_counts", "token_keys")
                       if hasattr(getattr(self.features, name, None), "cache_clear")]
        self.page_features(["warm up", "the tables"])

    def rate(self, blocks: list[str]) -> tuple[float, float]:
        """The page's features and model times, in seconds."""
        for cache in self.caches:
            cache.cache_clear()
        start = time.perf_counter()
        X = self.page_features(blocks)
        middle = time.perf_counter()
        self.model.predict_texts(blocks, X)
        return middle - start, time.perf_counter() - middle


#: The modules the text classifier is made of.
TEXT_MODULES = ("boilerplate.features", "boilerplate.model", "boilerplate.text_extract")


def imported(root: Path | None, names: tuple[str, ...] = TEXT_MODULES) -> dict:
    """The modules ``names`` (of the package, by default the text classifier's) of the
    checkout at ``root`` (None: this one), imported under the package's own name and then
    set aside, so that another checkout's can follow."""
    ours = {k: v for k, v in sys.modules.items() if k == PACKAGE or k.startswith(PACKAGE + ".")}
    if root is None:
        return {name: importlib.import_module(f"{PACKAGE}.{name}") for name in names}
    for key in ours:
        del sys.modules[key]
    # the modules read their files (model, stop words, lexicons) through this link later:
    # it stays for the process's life
    link = Path(tempfile.mkdtemp(prefix="classifier_against_"))
    atexit.register(shutil.rmtree, link, ignore_errors=True)
    os.symlink(root.resolve() / "plugins", link / PACKAGE)
    sys.path.insert(0, str(link))
    try:
        modules = {name: importlib.import_module(f"{PACKAGE}.{name}") for name in names}
    finally:
        sys.path.remove(str(link))
        for key in [k for k in sys.modules if k == PACKAGE or k.startswith(PACKAGE + ".")]:
            del sys.modules[key]
        sys.modules.update(ours)
    return modules


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("old_tree", type=Path)
    ap.add_argument("text_dir", type=Path)
    ap.add_argument("--pages", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args(argv)
    new = Checkout(imported(None))
    old = Checkout(imported(args.old_tree))
    text_blocks = importlib.import_module(f"{PACKAGE}.boilerplate.text_extract").text_blocks
    pages = [text_blocks(path.read_text(encoding="utf-8"))
             for path in sorted(args.text_dir.glob("*.txt"))[: args.pages]]
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    times = {"old": [], "new": []}
    for blocks in pages:
        best = {"old": (1e9, 1e9), "new": (1e9, 1e9)}
        for r in range(args.rounds):
            for name, checkout in ((("old", old), ("new", new)) if r % 2 == 0
                                   else (("new", new), ("old", old))):
                features, model = checkout.rate(blocks)
                best[name] = (min(best[name][0], features), min(best[name][1], model))
        for name in times:
            times[name].append(tuple(1000 * t for t in best[name]))
    print(f"load average after: {os.getloadavg()[0]:.2f}")

    def stat(values):
        values = sorted(values)
        return statistics.median(values), values[int(0.9 * (len(values) - 1))]

    print(f"{len(pages)} pages from {args.text_dir}; ms per page, median (p90):")
    for label, part in (("features", lambda t: t[0]), ("model", lambda t: t[1]),
                        ("classifier", lambda t: t[0] + t[1])):
        (a, a90), (b, b90) = (stat(map(part, times[name])) for name in ("old", "new"))
        per_page = statistics.median(part(n) / part(o) for o, n in zip(times["old"], times["new"]))
        print(f"  {label:11s} old {a:6.2f} ({a90:6.2f})  new {b:6.2f} ({b90:6.2f})  "
              f"ratio {b / a:.3f}, per page {per_page:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
