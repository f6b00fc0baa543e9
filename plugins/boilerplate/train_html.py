"""Train the HTML block classifier and the page-type model on pages with known main content.

    python -m clean_corpus_plugins.boilerplate.train_html --data ../shared --seed 0

Every wcxb-dev page is parsed once and cut into DOM blocks (:mod:`.html`); blocks are
labelled by aligning them with the page's main content (:mod:`.labels`, as the text
model's blocks are) and described by the shared text features plus the HTML ones. The
class/id vocabulary is the words found on the most sites, chosen without looking at
labels (``--name-odds`` adds a table of class/id word log-odds learned from the labels,
:mod:`.name_odds`: measured and not adopted, so off). ``--sources wcxb,devset`` adds
the devset's annotated pages to the block classifier's training pages, labelled as the
text model's are but by the chain without this classifier (:func:`devset_pages`;
``--devset-weight`` multiplies their weight; measured and not adopted, so off). The block
classifier is one tree ensemble on those features, fitted as the text
one's stages are (:func:`.train.fit_stage`; ``--stages 2`` adds a second stage that reads
the first's probabilities of each block and its neighbours, fitted as the text model's
second stage, :func:`.train.fit_stages`); the page-type model is one tree ensemble per
type on page features (:mod:`.page_type`), wcxb-dev's pages alone. Both files are written
next to this module unless ``--out-dir`` says otherwise. Needs the ``train`` extra.
The same data and seed give byte-identical files.
"""
from __future__ import annotations

import argparse
import gzip
import json
import math
import multiprocessing
import pickle
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from clean_corpus.htmltree import parse_html
from clean_corpus_plugins.boilerplate import train as training
from clean_corpus_plugins.boilerplate.features import TEXT_FEATURES, text_features
from clean_corpus_plugins.boilerplate.html import dom_blocks, html_feature_names
from clean_corpus_plugins.boilerplate.html_extract import block_columns, vocabulary
from clean_corpus_plugins.boilerplate.text_extract import keep_mask
from clean_corpus_plugins.boilerplate.labels import coverage, tokens
from clean_corpus_plugins.boilerplate.model import BlockClassifier
from clean_corpus_plugins.boilerplate.name_odds import NAME_ODDS_FEATURES, NameOdds, name_keys
from clean_corpus_plugins.boilerplate.vocabulary import MIN_SITES
from clean_corpus_plugins.boilerplate.page_type import (PAGE_TYPES, PageTypeModel,
                                                        page_type_features, url_words)

HERE = Path(__file__).parent
CHECK_PAGE = training.REPOSITORY / "tests" / "data" / "html_types" / "article.html"
#: Class/id words (near and far columns each) and URL words the models know.
NAME_VOCABULARY = 80
PAGE_NAME_VOCABULARY = 60
URL_VOCABULARY = 60
MAX_BLOCKS_PER_PAGE = 250
THRESHOLD = 0.5
BLOCK_PARAMS = {"max_iter": 100, "max_leaf_nodes": 24, "max_depth": 7, "learning_rate": 0.1,
                "min_samples_leaf": 40, "l2_regularization": 1.0}
#: The second stage's settings (``--stages 2``): the text model's second stage's.
STAGE2_PARAMS = training.STAGE_PARAMS[1]
PAGE_TYPE_PARAMS = {"max_iter": 120, "max_leaf_nodes": 8, "max_depth": 4,
                    "learning_rate": 0.08, "min_samples_leaf": 10, "l2_regularization": 1.0}
DATA_CREDIT = ("Web Content eXtraction Benchmark (WCXB) development split, Murrough Foley, "
               "2026, CC-BY-4.0")


@dataclass
class HtmlPage:
    """One labelled page: its DOM blocks, their labels and weights, and page facts."""

    id: str
    domain: str
    type: str
    url: str
    blocks: list
    reference: str
    labels: np.ndarray = field(default=None)
    weights: np.ndarray = field(default=None)
    text_X: np.ndarray = field(default=None)
    X: np.ndarray = field(default=None)
    #: page-type features that need no vocabulary, and the words the vocabularies count
    page_base: np.ndarray = field(default=None)
    url_words: set = field(default_factory=set)
    names: Counter = field(default_factory=Counter)


def read_page(entry: dict, html: bytes | str) -> HtmlPage:
    """Blocks, labels, weights and the vocabulary-free features of one page (``html``
    as bytes: read as UTF-8)."""
    tree = parse_html(html.decode("utf-8", "replace") if isinstance(html, bytes) else html)
    blocks = dom_blocks(tree) if tree is not None else []
    texts = [b.text for b in blocks]
    page = HtmlPage(entry["id"], entry["domain"], entry["type"], entry.get("url") or "",
                    blocks, entry["main_content"])
    page.labels = np.array([share >= 0.5 for share in coverage(texts, page.reference)],
                           dtype=np.int64)
    page.weights = np.array([len(tokens(t)) for t in texts], dtype=np.float64)
    page.text_X = text_features(texts)
    if tree is not None:
        page.page_base = page_type_features(tree, page.url, blocks, (), ())
    page.url_words = url_words(page.url)
    page.names = Counter(w for b in blocks for level in b.names[:3] for w in level)
    return page


def _read_entry(job) -> HtmlPage:
    data, entry = job
    return read_page(entry, gzip.decompress(
        (data / "wcxb-dev" / "pages" / f"{entry['id']}.html.gz").read_bytes()))


def load_pages(data: Path, limit: int | None = None, jobs: int = 1,
               cache: Path | None = None) -> list[HtmlPage]:
    """The wcxb-dev pages of ``data``, read on ``jobs`` processes (kept in ``cache``)."""
    if cache and cache.exists():
        return pickle.loads(cache.read_bytes())
    index = data / "wcxb-dev" / "index.jsonl.gz"
    entries = sorted((json.loads(line) for line in gzip.open(index, "rt", encoding="utf-8")),
                     key=lambda e: e["id"])[:limit]
    jobs_ = [(data, e) for e in entries]
    if jobs > 1:
        with multiprocessing.Pool(jobs) as pool:
            pages = list(pool.imap(_read_entry, jobs_, chunksize=4))
    else:
        pages = [_read_entry(job) for job in jobs_]
    if cache:
        cache.write_bytes(pickle.dumps(pages))
    return pages


def devset_pages(data: Path, cache: Path | None = None) -> list[HtmlPage]:
    """The devset's pages (``data/devset``), labelled as the text model's training labels
    them (:func:`.train.devset_source`: the chain's record of the page, corrected by its
    annotated snippets), but by the chain without this classifier (trafilatura and the rule
    cleaners): the labels must not hold the decisions of the model they train, or the
    model file would change each time it is trained again. Read as the chain reads them
    (:func:`clean_corpus_plugins.readers.decode`); the page type is not annotated, so
    these pages train the block classifier only (kept in ``cache``)."""
    if cache and cache.exists():
        return pickle.loads(cache.read_bytes())
    from clean_corpus_plugins.readers import decode

    entries, _ = training.devset_source(data, training.devset_config("no-html"))
    pages = []
    for entry in sorted(entries, key=lambda e: e["id"]):
        html, _ = decode((data / "devset" / "html" / entry["file"]).read_bytes())
        pages.append(read_page(entry, html))
    if cache:
        cache.write_bytes(pickle.dumps(pages))
    return pages


def site_vocabulary(pages, words_of, size: int) -> tuple[str, ...]:
    """The ``size`` words found on the most sites (ties by the word), sorted."""
    sites = defaultdict(set)
    for page in pages:
        for word in words_of(page):
            sites[word].add(page.domain)
    ranked = sorted(sites, key=lambda w: (-len(sites[w]), w))[:size]
    return tuple(sorted(ranked))


def block_vocabulary(pages, size: int = NAME_VOCABULARY) -> tuple[str, ...]:
    return site_vocabulary(pages, lambda p: {w for b in p.blocks for ws in b.names for w in ws},
                           size)


def featurise(pages, vocabulary, names: NameOdds | None = None) -> None:
    """The full block matrix of every page: shared text features, then the HTML ones
    (and the class/id word table's columns, with ``names``)."""
    for page in pages:
        page.X = block_columns(page.text_X, page.blocks, vocabulary, names)


def name_odds_columns(pages, seed: int, min_sites: int = MIN_SITES,
                      weighted: bool = False) -> NameOdds:
    """The class/id word table of ``pages`` (:mod:`.name_odds`), after appending each
    page's columns to its ``X`` as the table learned without the page's site's fold gives
    them (:func:`.train.out_of_fold_tables`, as the text vocabulary's training rows).
    ``weighted``: a block counts as its words, not once."""
    keys = [name_keys(p.blocks) for p in pages]
    table, tables = training.out_of_fold_tables(pages, keys, seed, min_sites, weighted)
    for page, own in zip(pages, tables):
        page.X = np.hstack([page.X, NameOdds.from_vocabulary(own).columns(page.blocks)])
    return NameOdds.from_vocabulary(table)


def sample_rows(pages, seed: int, cap: int = MAX_BLOCKS_PER_PAGE, devset_weight: float = 1.0):
    """Rows, labels and weights of every page, at most ``cap`` blocks drawn from each.

    Menus make some pages thousands of blocks long; drawing a sample of them (weights
    scaled up to stand for the rest) keeps every page's say in the model the same while
    training costs a fraction. The devset's blocks weigh ``devset_weight`` times more.
    """
    rng = np.random.default_rng(seed)
    X, y, w = [], [], []
    for page in pages:
        n = len(page.blocks)
        rows = np.sort(rng.choice(n, cap, replace=False)) if n > cap else np.arange(n)
        X.append(page.X[rows])
        y.append(page.labels[rows])
        w.append((np.sqrt(page.weights[rows]) + 0.1) * max(1.0, n / cap)
                 * (devset_weight if training.is_devset(page) else 1.0))
    return np.vstack(X), np.concatenate(y), np.concatenate(w)


def train_blocks(pages, seed: int = 0, name_odds: str | None = None,
                 min_sites: int = MIN_SITES, devset_weight: float = 1.0,
                 stages: int = 1) -> BlockClassifier:
    """The HTML block classifier (vocabulary chosen from ``pages``, without their labels).
    With ``name_odds`` (``"blocks"``: a block counts once; ``"words"``: as its words), it
    also reads the class/id word table (:mod:`.name_odds`) of words on ``min_sites`` sites
    or more, its training rows' columns computed out of fold. The devset's pages among
    ``pages`` (:func:`devset_pages`) weigh ``devset_weight`` times their words. With
    ``stages`` 2, a second stage reads the first's probabilities of the block and its
    neighbours with the features, fitted as the text model's (:func:`.train.fit_stages`,
    :data:`STAGE2_PARAMS`)."""
    pages = [p for p in pages if len(p.blocks)]
    vocabulary = block_vocabulary(pages)
    featurise(pages, vocabulary)
    names = name_odds_columns(pages, seed, min_sites, name_odds == "words") \
        if name_odds else None

    def rows(chosen):
        return sample_rows(chosen, seed, devset_weight=devset_weight)

    fitted = training.fit_stages(pages, rows, (BLOCK_PARAMS, STAGE2_PARAMS), seed) \
        if stages == 2 else [training.fit_stage(*rows(pages), BLOCK_PARAMS, seed)]
    devset = sum(map(training.is_devset, pages))
    trained = {"seed": seed, "pages": len(pages), "forms": ["html"],
               "blocks": int(sum(len(p.blocks) for p in pages)),
               "data": DATA_CREDIT + ("; " + training.CREDITS["devset"] if devset else "")}
    if devset:
        trained["devset"] = {"pages": devset, "weight": devset_weight}
    features = TEXT_FEATURES + html_feature_names(vocabulary)
    if names is not None:
        features += NAME_ODDS_FEATURES
        trained["names"] = {"words": len(names.words), "counted": name_odds}
    return BlockClassifier(features, fitted, THRESHOLD, trained, names=names)


def page_type_vocabularies(pages) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return (site_vocabulary(pages, lambda p: p.url_words, URL_VOCABULARY),
            site_vocabulary(pages, lambda p: set(p.names), PAGE_NAME_VOCABULARY))


def page_type_matrix(pages, url_vocabulary, name_vocabulary) -> np.ndarray:
    rows = []
    for page in pages:
        rows.append(np.concatenate([
            page.page_base, [float(w in page.url_words) for w in url_vocabulary],
            [math.log1p(page.names[w]) for w in name_vocabulary]]))  # as page_type.py
    return np.vstack(rows)


def train_page_type(pages, seed: int = 0) -> PageTypeModel:
    """One ensemble per page type, each telling its type from all the others."""
    pages = [p for p in pages if p.page_base is not None]
    url_vocabulary, name_vocabulary = page_type_vocabularies(pages)
    X = page_type_matrix(pages, url_vocabulary, name_vocabulary)
    ensembles = []
    for page_type in PAGE_TYPES:
        y = np.array([p.type == page_type for p in pages], dtype=np.int64)
        ensembles.append(training.fit_stage(X, y, np.ones(len(y)), PAGE_TYPE_PARAMS, seed))
    trained = {"seed": seed, "pages": len(pages), "data": DATA_CREDIT}
    return PageTypeModel(PAGE_TYPES, ensembles, trained, url_vocabulary, name_vocabulary)


def cross_validate(pages, folds: int = 5, seed: int = 0, name_odds: str | None = None,
                   min_sites: int = MIN_SITES, devset=(), devset_weight: float = 1.0,
                   stages: int = 1) -> dict[str, dict]:
    """Out-of-fold results of every page: the text kept, the type predicted (and how
    sure, ``type_p``), and the probability of each block (``p``).

    Folds are grouped by site (no site in both the training and the test folds); each
    fold's models, vocabularies included, are trained on the other folds only, exactly
    as :func:`main` trains the shipped ones on all pages (``name_odds``, ``min_sites``,
    ``stages``: as :func:`train_blocks`). The ``devset`` pages join every fold's block
    classifier's training pages, less those of a site of the fold (``devset_weight``: as
    :func:`train_blocks`); they are not evaluated.
    """
    fold_of = training.group_folds([p.domain for p in pages], folds, seed)
    results = {}
    for k in range(folds):
        train = [p for p, f in zip(pages, fold_of) if f != k]
        test = [p for p, f in zip(pages, fold_of) if f == k]
        held = {p.domain for p in test}
        blocks_model = train_blocks(train + [p for p in devset if p.domain not in held],
                                    seed, name_odds, min_sites, devset_weight, stages)
        types_model = train_page_type(train, seed)
        featurise(test, vocabulary(blocks_model.features), blocks_model.names)
        typed = [p for p in test if p.page_base is not None]
        types = types_model.probabilities(
            page_type_matrix(typed, types_model.url_vocabulary, types_model.name_vocabulary))
        predicted = {p.id: (types_model.types[int(np.argmax(row))], float(row.max()))
                     for p, row in zip(typed, types)}
        for page in test:
            p = blocks_model.predict_page(page.X) if len(page.blocks) else np.zeros(0)
            keep = keep_mask(p, blocks_model.threshold)
            results[page.id] = {"text": "\n".join(b.text for b, k in zip(page.blocks, keep) if k),
                                "type": predicted.get(page.id, (None, 0.0))[0],
                                "type_p": predicted.get(page.id, (None, 0.0))[1],
                                "fold": k, "p": p}
    return results


def check_labels(model: BlockClassifier, page: Path) -> dict:
    """What ``model`` decides on ``page``, kept in the model file so that a test can tell
    the shipped model and today's feature code still agree with the training run."""
    from clean_corpus_plugins.boilerplate.html_extract import block_matrix

    tree = parse_html(page.read_text(encoding="utf-8"))
    blocks = dom_blocks(tree)
    keep = model.predict_page(block_matrix(blocks, model)) >= model.threshold
    return {"page": page.name, "blocks": len(blocks), "labels": "".join("1" if k else "0" for k in keep)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared"))
    ap.add_argument("--out-dir", type=Path, default=HERE)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--limit", type=int, help="only the first N pages (for a quick try)")
    ap.add_argument("--jobs", type=int, default=1, help="processes reading the pages")
    ap.add_argument("--cache", type=Path, help="keep the read pages in this file, and reuse it")
    ap.add_argument("--name-odds", nargs="?", const="blocks", choices=("blocks", "words"),
                    help="also read the log-odds of the class/id words around each block, "
                         "a block counted once (blocks, the default) or as its words")
    ap.add_argument("--name-sites", type=int, default=MIN_SITES,
                    help="sites a class/id word must occur on to enter that table")
    ap.add_argument("--sources", default="wcxb", choices=("wcxb", "wcxb,devset"),
                    help="pages the block classifier trains on: wcxb-dev's, and with "
                         "wcxb,devset the devset's too, labelled by the chain without this "
                         "classifier and the annotated snippets (the page-type model: "
                         "wcxb-dev's alone)")
    ap.add_argument("--devset-weight", type=float, default=1.0,
                    help="multiply the weight of the devset's blocks by this")
    ap.add_argument("--devset-cache", type=Path,
                    help="keep the devset's read pages in this file, and reuse it")
    ap.add_argument("--stages", type=int, choices=(1, 2), default=1,
                    help="2: a second stage reads the first's probabilities of each block "
                         "and its neighbours, as the text model's does")
    ap.add_argument("--check", type=Path, default=CHECK_PAGE,
                    help="a page whose labels the model file keeps, for the tests")
    args = ap.parse_args(argv)
    pages = load_pages(args.data, args.limit, args.jobs, args.cache)
    devset = devset_pages(args.data, args.devset_cache) if "devset" in args.sources else []
    blocks_model = train_blocks(pages + devset, args.seed, args.name_odds, args.name_sites,
                                args.devset_weight, args.stages)
    if args.check and args.check.exists():
        blocks_model.trained["check"] = check_labels(blocks_model, args.check)
    (args.out_dir / "model-html.json").write_text(blocks_model.dumps(), encoding="utf-8")
    types_model = train_page_type(pages, args.seed)
    (args.out_dir / "model-page-type.json").write_text(types_model.dumps(), encoding="utf-8")
    print(f"{len(pages)} pages, {blocks_model.trained['blocks']} blocks -> {args.out_dir}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    # run through the imported module, so that pickled pages name its classes
    from clean_corpus_plugins.boilerplate.train_html import main as train_main

    sys.exit(train_main())
