"""Train the page-type model of text documents, cross-validate it by site, write it.

    python -m clean_corpus_plugins.boilerplate.train_text_page_type --data ../shared --seed 0

Every wcxb-dev page is turned into text in each scraped form (``tools/scraped_text.py``:
a line per block, a line per text node, one line) and cut into blocks as ``text_lines``
cuts a text document; the page's known type is the label. Before the shipped model is trained on all pages, the
same training runs on folds grouped by site (no site in both the training and the test
folds) and prints how often the type is right, per type and per form. Needs the
``train`` extra. The same data and seed give a byte-identical file.
"""
from __future__ import annotations

import argparse
import pickle
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from clean_corpus_plugins.boilerplate import train as training
from clean_corpus_plugins.boilerplate.page_type import PAGE_TYPES
from clean_corpus_plugins.boilerplate.text_extract import text_blocks
from clean_corpus_plugins.boilerplate.text_page_type import (MODEL_FILE, TextPageTypeModel,
                                                              text_page_features)
from clean_corpus_plugins.boilerplate.train_html import DATA_CREDIT, PAGE_TYPE_PARAMS

#: Pages the shipped model's predictions are kept for.
CHECK_PAGES = training.CHECK_PAGES


@dataclass
class TextPage:
    """One page in one scraped form: its blocks and their features."""

    id: str
    domain: str
    type: str
    form: str
    blocks: list[str]
    X: np.ndarray = field(default=None)


def load_pages(source, forms=training.FORMS, limit: int | None = None,
               cache: Path | None = None) -> list[TextPage]:
    """Every page of ``source`` (:func:`.train.wcxb_source` or :func:`.train.text_source`)
    in each form, in id order (kept in ``cache``)."""
    if cache and cache.exists():
        return pickle.loads(cache.read_bytes())
    entries, text_of = source
    pages = []
    for entry in sorted(entries, key=lambda e: e["id"])[:limit]:
        for form in forms:
            blocks = text_blocks(text_of(entry, form))
            pages.append(TextPage(entry["id"], entry["domain"], entry["type"], form, blocks,
                                  text_page_features(blocks)))
    if cache:
        cache.write_bytes(pickle.dumps(pages))
    return pages


def train(pages: list[TextPage], seed: int = 0) -> TextPageTypeModel:
    """One ensemble per page type, each telling its type from all the others."""
    X = np.vstack([p.X for p in pages])
    ensembles = []
    for page_type in PAGE_TYPES:
        y = np.array([p.type == page_type for p in pages], dtype=np.int64)
        ensembles.append(training.fit_stage(X, y, np.ones(len(y)), PAGE_TYPE_PARAMS, seed))
    trained = {"seed": seed, "pages": len({p.id for p in pages}),
               "forms": sorted({p.form for p in pages}), "data": DATA_CREDIT}
    return TextPageTypeModel(PAGE_TYPES, ensembles, trained)


def cross_validate(pages: list[TextPage], folds: int = 5, seed: int = 0) -> list[tuple]:
    """``(page, predicted type, probability)`` of every page, each predicted by a model
    trained on the other folds only."""
    fold_of = training.group_folds([p.domain for p in pages], folds, seed)
    results = []
    for k in range(folds):
        model = train([p for p, f in zip(pages, fold_of) if f != k], seed)
        for page, f in zip(pages, fold_of):
            if f == k:
                results.append((page, *model.predict(page.blocks)))
    return results


def report(results: list[tuple]) -> str:
    """How often the type is right: over all pages, per form, and recall per type."""
    lines = []
    right = Counter((p.form, p.type) for p, t, _ in results if t == p.type)
    total = Counter((p.form, p.type) for p, _, _ in results)
    forms = sorted({p.form for p, _, _ in results})
    lines.append("| form | all | " + " | ".join(PAGE_TYPES) + " |")
    lines.append("| --- " * (len(PAGE_TYPES) + 2) + "|")
    for form in forms:
        n = sum(v for (f, _), v in total.items() if f == form)
        ok = sum(v for (f, _), v in right.items() if f == form)
        cells = [f"{right[(form, t)] / total[(form, t)]:.2f}" if total[(form, t)] else "-"
                 for t in PAGE_TYPES]
        lines.append(f"| {form} | {ok / n:.3f} | " + " | ".join(cells) + " |")
    articles = sum(1 for p, _, _ in results if p.type == "article")
    lines.append(f"\nalways 'article': {articles / len(results):.3f} right")
    # what the listing_page detector flags by default: listing or collection, p >= 0.8
    flagged = [p for p, t, sure in results if t in ("listing", "collection") and sure >= 0.8]
    lines.append(f"typed listing or collection with p >= 0.8: {len(flagged)} of {len(results)}, "
                 f"{sum(p.type in ('listing', 'collection') for p in flagged)} of them are, "
                 f"{sum(p.type == 'article' for p in flagged)} are articles")
    return "\n".join(lines)


def check_types(model: TextPageTypeModel, folder: Path) -> dict[str, str]:
    """What ``model`` says of the pages of ``folder``, kept in the model file so that a
    test can tell the shipped model and today's feature code still agree."""
    return {f"{p.id}/{p.form}": model.predict(p.blocks)[0]
            for p in load_pages(training.text_source(folder))}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    training.add_source_arguments(ap)
    ap.add_argument("--check", type=Path, default=CHECK_PAGES,
                    help="pages turned into text (as --text) whose predicted types the model "
                         "file keeps, for the tests")
    ap.add_argument("--out", type=Path, default=MODEL_FILE)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--folds", type=int, default=5, help="0 skips the cross-validation")
    ap.add_argument("--limit", type=int, help="only the first N pages (for a quick try)")
    ap.add_argument("--cache", type=Path, help="keep the pages' text in this file, and reuse it")
    args = ap.parse_args(argv)
    pages = load_pages(training.page_source(args), limit=args.limit, cache=args.cache)
    if args.folds:
        print(report(cross_validate(pages, args.folds, args.seed)))
    model = train(pages, args.seed)
    if args.check and (args.check / "index.jsonl").exists():
        model.trained["check"] = check_types(model, args.check)
    args.out.write_text(model.dumps(), encoding="utf-8")
    print(f"{model.trained['pages']} pages in {len(model.trained['forms'])} forms -> {args.out} "
          f"({args.out.stat().st_size // 1024} KB)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    # run through the imported module, so that pickled pages name its classes
    from clean_corpus_plugins.boilerplate.train_text_page_type import main as train_main

    sys.exit(train_main())
