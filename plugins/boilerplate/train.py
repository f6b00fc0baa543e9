"""Train the boilerplate classifier on pages with known main content, and write the model.

    python -m clean_corpus_plugins.boilerplate.train --data ../shared --out MODEL.json

(the defaults, seed 0, threshold 0.4 and the devset weighted 3x, are the shipped model's:
``plugins/boilerplate/model-text.json`` is this command's file)

``--data`` is a folder holding ``wcxb-dev/`` (``index.jsonl.gz`` and ``pages/``),
``devset/`` (``index.jsonl`` and ``html/``) and ``tools/scraped_text.py``, the tool that
turns a page into the text scrapers leave (``--text`` reads pages already turned into text
instead). The devset's pages, in seven languages, teach the words of languages wcxb-dev's
English pages do not; their main content is what the HTML chain extracts from them,
corrected by their annotated snippets (:func:`devset_source`; ``--devset-labels no-html``:
what the chain without the HTML classifier extracts). Each
page becomes text in every ``--forms`` (a line per block element, a line per text node,
one line cut by :mod:`.segment`); its blocks are labelled by alignment with the page's
main content (:mod:`.labels`) and weighted by their words, since word F1 is what counts.
Stage one is fitted on the block features; stage two on stage one's out-of-fold
probabilities (folds grouped by site), so it learns how a block's neighbours' decisions
bear on it as they will look on unseen pages. The blocks' words are read through a table
learned from the training pages (:mod:`.vocabulary`; its columns of the training rows out
of fold, by site), and a model without it, the fallback, is trained on the same pages for
pages in a language the table does not know (``--no-vocabulary``: that model alone); it
reads the blocks' shapes against the page's prose (:func:`.relative_features`).
``--devset-weight K`` multiplies the weight of the devset's blocks by K in every fit (3 by
default: against 1, the devset as text gains in every form for 0.002 of wcxb-dev's
F1, docs/classifier-experiments.md).
``--stage1 NAME=VALUE,...`` and ``--stage2`` change a stage's gradient boosting settings
(:data:`STAGE_PARAMS`), ``--max-rows N`` the blocks each fit draws (:data:`MAX_ROWS`); the
defaults are the shipped model's, and a model trained otherwise names them in its file.
Needs the ``train`` extra (scikit-learn).
The same data and seed give a byte-identical file.
"""
from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from clean_corpus_plugins.boilerplate.features import (RELATIVE_FEATURES, TEXT_FEATURES,
                                                        relative_features, text_features)
from clean_corpus_plugins.boilerplate.labels import coverage, tokens
from clean_corpus_plugins.boilerplate.model import (CONTEXT_FEATURES, BlockClassifier,
                                                     TreeEnsemble, context_features)
from clean_corpus_plugins.boilerplate.text_extract import text_blocks
from clean_corpus_plugins.boilerplate.vocabulary import (MIN_SITES, VOCAB_FEATURES, Counts,
                                                          Vocabulary, page_keys)

FORMS = ("blocks", "nodes", "flat")

#: Gradient boosting settings: small trees, so that inference stays cheap.
STAGE_PARAMS = ({"max_iter": 120, "max_leaf_nodes": 24, "max_depth": 7, "learning_rate": 0.1,
                 "min_samples_leaf": 40, "l2_regularization": 1.0},
                {"max_iter": 60, "max_leaf_nodes": 16, "max_depth": 6, "learning_rate": 0.1,
                 "min_samples_leaf": 40, "l2_regularization": 1.0})
INNER_FOLDS = 2
#: Folds (grouped by site) the training rows' vocabulary columns are computed out of: each
#: row sees a table learned without its own site, as the model's table will look on a
#: site it never saw.
VOCAB_FOLDS = 5
#: Rows each stage is fitted on, drawn at random (with the seed) from all blocks.
MAX_ROWS = 150_000


def stage_params(changes: str, stage: int = 0) -> dict:
    """:data:`STAGE_PARAMS` of ``stage`` (0: the first) with ``changes``, comma-separated
    ``NAME=VALUE`` (``max_iter=300,learning_rate=0.06``: ``--stage1`` of the training
    command); only the names :data:`STAGE_PARAMS` sets, a value an integer or a number."""
    params = dict(STAGE_PARAMS[stage])
    for change in filter(None, (c.strip() for c in changes.split(","))):
        name, _, value = change.partition("=")
        name = name.strip()
        try:
            number = float(value)
        except ValueError:
            number = None
        whole = isinstance(params.get(name), int)
        if name not in params or number is None or (whole and not number.is_integer()):
            raise ValueError(f"stage {stage + 1}: {change!r} is not NAME=VALUE with NAME one "
                             f"of {', '.join(params)} and VALUE a number (whole for "
                             f"{', '.join(k for k, v in params.items() if isinstance(v, int))})")
        params[name] = int(number) if whole else number
    return params


#: The source tree the package is installed from (editable installs: the repository).
REPOSITORY = Path(__file__).resolve().parents[2]
#: Pages the shipped models' predictions are kept for (eight wcxb-dev pages as text), in
#: the repository whatever the working directory: a test tells whether today's feature
#: code still agrees (without the folder, as in an installed wheel, no check is kept).
CHECK_PAGES = REPOSITORY / "tests" / "data" / "boilerplate"


@dataclass
class Page:
    """One page in one input form: its blocks, their labels and weights."""

    id: str
    domain: str
    type: str
    form: str
    blocks: list[str]
    reference: str
    labels: np.ndarray = field(default=None)
    weights: np.ndarray = field(default=None)
    X: np.ndarray = field(default=None)


def load_scraper(data: Path):
    """``visible_text(html_bytes, mode)`` from the data's ``tools/scraped_text.py``."""
    path = data / "tools" / "scraped_text.py"
    spec = importlib.util.spec_from_file_location("scraped_text", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.visible_text


def wcxb_source(data: Path):
    """The wcxb-dev pages of ``data``, and their text in a form made by the data's tool."""
    visible_text = load_scraper(data)
    index = data / "wcxb-dev" / "index.jsonl.gz"
    entries = [json.loads(line) for line in gzip.open(index, "rt", encoding="utf-8")]

    def text_of(entry: dict, form: str) -> str:
        page = data / "wcxb-dev" / "pages" / f"{entry['id']}.html.gz"
        return visible_text(gzip.decompress(page.read_bytes()), form)

    return entries, text_of


def annotated_reference(text: str, keep: list[str], drop: list[str]) -> str:
    """``text`` (an extraction of the page) less its paragraphs holding a ``drop``
    snippet, with the ``keep`` snippets it lacks appended: the annotation wins where the
    extraction and the annotator disagree."""
    def one_line(snippet: str) -> str:  # spaces collapsed, as the devset's scorer compares
        return " ".join(snippet.split())

    dropped = [one_line(s) for s in drop]
    kept = [p for p in text.split("\n")
            if p.strip() and not any(s in one_line(p) for s in dropped)]
    flat = one_line(" ".join(kept))
    return "\n\n".join(kept + [s for s in keep if one_line(s) not in flat])


#: The id prefix of the devset's pages (:func:`devset_source`), whose weight
#: ``devset_weight`` multiplies in the fits.
DEVSET_PREFIX = "devset-"


def is_devset(page) -> bool:
    """Whether a training page (its ``id``) is one of the devset's."""
    return page.id.startswith(DEVSET_PREFIX)


def devset_site(entry: dict) -> str:
    """The site of a devset page (an ``index.jsonl`` entry): its URL's host, ``www.``
    left out, or the host in its id."""
    from urllib.parse import urlsplit

    host = urlsplit(entry["id"]).hostname or entry["id"].split("::")[-1]
    return host.removeprefix("www.")


def devset_index(data: Path) -> list[dict]:
    """The devset's annotated pages (``devset/index.jsonl``), in file order."""
    with open(data / "devset" / "index.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def devset_source(data: Path, config=None):
    """The devset's pages (``devset/index.jsonl``: ``file``, ``with`` and ``without``
    snippets) and their text in a form made by the data's tool. A page's main content is
    the text of its record from the default chain on its HTML (trafilatura and the HTML
    classifier, trained on wcxb-dev alone: no circle through the text model), by
    :func:`annotated_reference`; its site is its URL's host (the index's ``id``).
    ``config`` (a :class:`clean_corpus.config.Config`) runs another chain instead: the
    HTML classifier's own training runs it without that classifier."""
    from clean_corpus.library import Cleaner
    from clean_corpus_plugins.readers import decode

    visible_text = load_scraper(data)
    folder = data / "devset"
    cleaner = Cleaner(config)
    entries = []
    for page in devset_index(data):
        html, _ = decode((folder / "html" / page["file"]).read_bytes())
        record = cleaner.clean(html=html, source=page["file"]).record
        entries.append({"id": DEVSET_PREFIX + Path(page["file"]).stem,
                        "domain": devset_site(page), "type": "article",
                        "file": page["file"],
                        "main_content": annotated_reference((record or {}).get("text") or "",
                                                            page["with"], page["without"])})

    def text_of(entry: dict, form: str) -> str:
        return visible_text((folder / "html" / entry["file"]).read_bytes(), form)

    return entries, text_of


def text_source(folder: Path):
    """Pages already turned into text: ``index.jsonl`` and ``text/<form>/<id>.txt``."""
    with open(folder / "index.jsonl", encoding="utf-8") as fh:
        entries = [json.loads(line) for line in fh if line.strip()]

    def text_of(entry: dict, form: str) -> str:
        return (folder / "text" / form / f"{entry['id']}.txt").read_text(encoding="utf-8")

    return entries, text_of


def combined_source(*sources):
    """One source of the pages of several (entries and ``text_of``, as each returns)."""
    entries, readers = [], []
    for n, (items, text_of) in enumerate(sources):
        entries += [dict(entry, source=n) for entry in items]
        readers.append(text_of)
    return entries, lambda entry, form: readers[entry["source"]](entry, form)


#: The data sets ``--sources`` names, each a function of the ``--data`` folder, and the
#: credit each gets in the model file.
SOURCES = {"wcxb": wcxb_source, "devset": devset_source}
CREDITS = {"wcxb": "Web Content eXtraction Benchmark (WCXB) development split, "
                   "Murrough Foley, 2026, CC-BY-4.0",
           "devset": "the evaluation set of the trafilatura project, Apache-2.0"}

#: The chains whose record of a devset page is its main content before the annotation
#: corrects it (``--devset-labels``), by the plugins each disables: the default chain
#: ("chain", with the HTML classifier) or the chain without the HTML classifier
#: ("no-html": trafilatura and the rule cleaners, as ``train_html --sources`` labels).
DEVSET_LABELS = {"chain": (), "no-html": ("boilerplate_html",)}
DEFAULT_DEVSET_LABELS = "chain"


def devset_config(labels: str = DEFAULT_DEVSET_LABELS):
    """The :class:`clean_corpus.config.Config` :func:`devset_source` labels with for
    ``labels`` (a :data:`DEVSET_LABELS` name); None: the default chain."""
    from clean_corpus.config import Config

    disabled = DEVSET_LABELS[labels]
    return Config(disable=list(disabled)) if disabled else None


def load_pages(source, forms=FORMS, limit: int | None = None) -> list[Page]:
    """Every page of ``source`` in each form, labelled and featurised, in id order."""
    entries, text_of = source
    entries = sorted(entries, key=lambda e: e["id"])[:limit]
    pages = []
    for entry in entries:
        for form in forms:
            blocks = text_blocks(text_of(entry, form))
            pages.append(labelled(Page(entry["id"], entry["domain"], entry["type"], form, blocks,
                                       entry["main_content"])))
    return pages


def labelled(page: Page) -> Page:
    """Labels, weights and features of a page's blocks."""
    shares = coverage(page.blocks, page.reference)
    page.labels = np.array([share >= 0.5 for share in shares], dtype=np.int64)
    page.weights = np.array([len(tokens(b)) for b in page.blocks], dtype=np.float64)
    page.X = text_features(page.blocks)
    return page


def fit_stage(X: np.ndarray, y: np.ndarray, w: np.ndarray, params: dict, seed: int) -> TreeEnsemble:
    """Gradient-boosted trees fitted with scikit-learn, exported to flat arrays."""
    from sklearn.ensemble import HistGradientBoostingClassifier
    from threadpoolctl import threadpool_limits

    clf = HistGradientBoostingClassifier(early_stopping=False, random_state=seed, **params)
    with threadpool_limits(1):  # one thread: the same sums in the same order on any machine
        clf.fit(X, y, sample_weight=w)
    roots, feature, threshold, left, right, value = [], [], [], [], [], []
    for (predictor,) in clf._predictors:
        nodes = predictor.nodes
        offset = len(feature)
        roots.append(offset)
        for node in nodes:
            leaf = bool(node["is_leaf"])
            feature.append(0 if leaf else int(node["feature_idx"]))
            threshold.append(0.0 if leaf else float(node["num_threshold"]))
            left.append(-1 if leaf else offset + int(node["left"]))
            right.append(-1 if leaf else offset + int(node["right"]))
            value.append(float(np.float32(node["value"])) if leaf else 0.0)
    return TreeEnsemble(float(np.asarray(clf._baseline_prediction).ravel()[0]),
                        np.array(roots), np.array(feature), np.array(threshold),
                        np.array(left), np.array(right), np.array(value))


def _stack(pages: list[Page], max_rows: int | None = None, seed: int = 0,
           devset_weight: float = 1.0):
    """Rows, labels and weights of ``pages``; at most ``max_rows`` rows, drawn with ``seed``.

    A weight grows with the block's words (word F1 counts words) but as a square root, so
    that short blocks, most of the boilerplate, still count; the devset's blocks' weights
    are multiplied by ``devset_weight``.
    """
    X = np.vstack([p.X for p in pages])
    y = np.concatenate([p.labels for p in pages])
    scale = np.concatenate([np.full(len(p.labels), devset_weight
                                    if is_devset(p) else 1.0) for p in pages])
    w = (np.sqrt(np.concatenate([p.weights for p in pages])) + 0.1) * scale
    if max_rows and len(y) > max_rows:
        rows = np.sort(np.random.default_rng(seed).choice(len(y), max_rows, replace=False))
        X, y, w = X[rows], y[rows], w[rows]
    return X, y, w


def fit_stages(pages: list, rows, params, seed: int) -> list[TreeEnsemble]:
    """Both stages on ``pages`` (objects with ``domain`` and ``X``: text or HTML pages):
    stage one on the rows ``rows(pages)`` gives (rows, labels, weights), stage two on
    those of the same pages with stage one's probabilities and their neighbours'
    (:func:`.context_features`) before the features, the probabilities out of fold: each
    page's from a stage one fitted on the :data:`INNER_FOLDS` folds (grouped by site)
    without its own, as the model will rate a site it never saw. ``params``: each stage's
    gradient boosting settings."""
    first = fit_stage(*rows(pages), params[0], seed)
    folds = group_folds([p.domain for p in pages], INNER_FOLDS, seed)
    out_of_fold: list[np.ndarray | None] = [None] * len(pages)
    for k in range(INNER_FOLDS):
        inside = [p for p, f in zip(pages, folds) if f != k]
        if not inside or len(inside) == len(pages):
            continue
        model = fit_stage(*rows(inside), params[0], seed)
        for i, (page, f) in enumerate(zip(pages, folds)):
            if f == k:
                out_of_fold[i] = model.predict(page.X)
    for i, page in enumerate(pages):
        if out_of_fold[i] is None:
            out_of_fold[i] = first.predict(page.X)
    stacked = [replace(p, X=np.column_stack((context_features(p1), p.X)))
               for p1, p in zip(out_of_fold, pages)]
    return [first, fit_stage(*rows(stacked), params[1], seed)]


def group_folds(groups: list[str], k: int, seed: int) -> list[int]:
    """A fold number for each item, whole groups (sites) in one fold, balanced by size."""
    rng = np.random.default_rng(seed)
    names = sorted(set(groups))
    order = rng.permutation(len(names))
    fold_of = {names[i]: n % k for n, i in enumerate(order)}
    return [fold_of[g] for g in groups]


def out_of_fold_tables(pages: list, keys: list, seed: int, min_sites: int = MIN_SITES,
                       weighted: bool = False) -> tuple[Vocabulary, list[Vocabulary]]:
    """The table (:meth:`.vocabulary.Counts.table`) of all ``pages``, whose words are
    ``keys`` (each page's, as :meth:`.vocabulary.Counts.add` takes them), and for each
    page the table learned without its site's fold (:data:`VOCAB_FOLDS`, grouped by
    site): the one that gives a training row its columns, so that no row reads counts of
    its own label. ``weighted``: each block counts as its ``weights`` (its words), not once."""
    folds = group_folds([p.domain for p in pages], VOCAB_FOLDS, seed)
    parts = [Counts() for _ in range(VOCAB_FOLDS)]
    for page, key, k in zip(pages, keys, folds):
        parts[k].add(page.domain, key, page.labels, page.weights if weighted else None)
    tables = [Counts.table([part for j, part in enumerate(parts) if j != k], min_sites)
              for k in range(VOCAB_FOLDS)]
    return Counts.table(parts, min_sites), [tables[k] for k in folds]


def vocabulary_columns(pages: list[Page], seed: int, min_sites: int = MIN_SITES
                       ) -> tuple[Vocabulary, list[np.ndarray]]:
    """The vocabulary of all ``pages``, and each page's vocabulary columns as a table
    learned without its site's fold (:func:`out_of_fold_tables`) gives them."""
    keys = [page_keys(p.blocks) for p in pages]
    table, tables = out_of_fold_tables(pages, keys, seed, min_sites)
    return table, [t.columns_of(*key) for t, key in zip(tables, keys)]


def train(pages: list[Page], seed: int = 0, threshold: float = 0.5,
          trees: int | None = None, vocabulary: bool = True,
          min_sites: int = MIN_SITES, data: str = CREDITS["wcxb"],
          devset_weight: float = 1.0, stages: tuple[dict, dict] = STAGE_PARAMS,
          max_rows: int = MAX_ROWS) -> BlockClassifier:
    """Both stages on ``pages`` (:func:`fit_stages`; stage two on out-of-fold stage-one
    probabilities).

    ``trees`` caps the number of trees of each stage (a quick model for tests). With
    ``vocabulary``, the blocks' words are read too (:mod:`.vocabulary`): words and lines on
    at least ``min_sites`` sites; the training rows' columns are computed out of fold; a
    model without vocabulary, trained on the same pages, rates the pages whose words the
    table mostly does not know. It, as any model without vocabulary, reads the block
    shapes against the page's prose (:func:`.relative_features`), which carry across
    languages. ``data`` credits the pages' data sets in the model file. The devset's
    blocks weigh ``devset_weight`` times their words' weight in every fit (both stages,
    the fallback's too). ``stages`` are the two stages' gradient boosting settings, and
    each fit draws at most ``max_rows`` blocks (the fallback's too); the model file
    names them where they are not :data:`STAGE_PARAMS` and :data:`MAX_ROWS`.
    """
    names = TEXT_FEATURES
    table = fallback = None
    if not vocabulary:
        pages = [replace(p, X=relative_features(p.X)) for p in pages]
        names = RELATIVE_FEATURES
    else:
        fallback = train(pages, seed, threshold, trees, vocabulary=False, data=data,
                         devset_weight=devset_weight, stages=stages, max_rows=max_rows)
        fallback.trained = {}
        table, columns = vocabulary_columns(pages, seed, min_sites)
        pages = [Page(p.id, p.domain, p.type, p.form, p.blocks, p.reference, p.labels,
                      p.weights, np.hstack((p.X, v))) for p, v in zip(pages, columns)]
        names = TEXT_FEATURES + VOCAB_FEATURES
    params = [dict(p, max_iter=min(p["max_iter"], trees or p["max_iter"])) for p in stages]
    first, second = fit_stages(pages, lambda chosen: _stack(chosen, max_rows, seed,
                                                            devset_weight), params, seed)
    trained = {"seed": seed, "pages": len({p.id for p in pages}),
               "forms": sorted({p.form for p in pages}),
               "blocks": int(sum(len(p.blocks) for p in pages)),
               "data": data}
    if devset_weight != 1.0:
        trained["devset_weight"] = devset_weight
    if tuple(stages) != STAGE_PARAMS:
        trained["stages"] = [dict(p) for p in stages]
    if max_rows != MAX_ROWS:
        trained["max_rows"] = max_rows
    if table is not None:
        trained["vocabulary"] = {"words": len(table.words), "lines": len(table.lines)}
    return BlockClassifier(names, [first, second], threshold, trained, table, fallback)


def check_labels(model: BlockClassifier, folder: Path) -> dict[str, str]:
    """Which blocks ``model`` keeps on the pages of ``folder`` (``"1"`` kept, ``"0"``
    dropped, block by block), kept in the model file for the tests."""
    return {f"{p.id}/{p.form}": "".join("01"[k] for k in
                                        (model.predict_texts(p.blocks, p.X) >= model.threshold)
                                        .tolist())
            for p in load_pages(text_source(folder))}


def stage_features() -> tuple[str, ...]:
    """Column names of the second stage's input, for reports."""
    return CONTEXT_FEATURES + TEXT_FEATURES


def add_source_arguments(ap: argparse.ArgumentParser, sources: str = "wcxb") -> None:
    """``--data`` (the data sets ``--sources`` names, by default ``sources``, and the
    scraper tool) or ``--text`` (pages already as text)."""
    ap.add_argument("--data", type=Path, default=Path("../shared"),
                    help="a folder with wcxb-dev/, devset/ and tools/scraped_text.py")
    ap.add_argument("--sources", default=sources,
                    help="comma-separated data sets of --data to train on: "
                         + ", ".join(SOURCES))
    ap.add_argument("--text", type=Path, help="instead of --data: a folder with index.jsonl "
                    "and text/<form>/<id>.txt (pages already turned into text)")
    ap.add_argument("--devset-labels", choices=tuple(DEVSET_LABELS),
                    default=DEFAULT_DEVSET_LABELS,
                    help="the chain whose record of a devset page, corrected by its "
                         "annotation, is its main content: the default chain or the chain "
                         "without the HTML classifier (trafilatura and the rule cleaners)")


def page_source(args: argparse.Namespace):
    """The pages the arguments of :func:`add_source_arguments` name."""
    if args.text:
        return text_source(args.text)
    config = devset_config(args.devset_labels)
    return combined_source(*(devset_source(args.data, config) if name == "devset"
                             else SOURCES[name](args.data) for name in args.sources.split(",")))


def add_capacity_arguments(ap: argparse.ArgumentParser) -> None:
    """``--stage1``, ``--stage2`` and ``--max-rows``: the size of the model and of its fits
    (the defaults, :data:`STAGE_PARAMS` and :data:`MAX_ROWS`, are the shipped model's)."""
    for n, stage in enumerate(STAGE_PARAMS, 1):
        ap.add_argument(f"--stage{n}", default="", metavar="NAME=VALUE,...",
                        help=f"change stage {n}'s gradient boosting settings ("
                             + ", ".join(f"{k}={v}" for k, v in stage.items()) + ")")
    ap.add_argument("--max-rows", type=int, default=MAX_ROWS,
                    help="blocks each fit draws at most, at random with the seed")


def capacity(args: argparse.Namespace) -> dict:
    """``train``'s ``stages`` and ``max_rows`` from :func:`add_capacity_arguments`'s."""
    try:
        stages = (stage_params(args.stage1, 0), stage_params(args.stage2, 1))
    except ValueError as error:
        raise SystemExit(f"error: {error}") from None
    return {"stages": stages, "max_rows": args.max_rows}


#: The settings of the shipped model file, the command's defaults (the functions' defaults
#: stay neutral: threshold 0.5, no weight).
SHIPPED = {"threshold": 0.4, "devset_weight": 3.0}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_source_arguments(ap, ",".join(SOURCES))
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threshold", type=float, default=SHIPPED["threshold"],
                    help="the P(content) a block needs, kept in the model file: the chain's "
                         "default (text_classifier.threshold)")
    ap.add_argument("--forms", default=",".join(FORMS), help="comma-separated: blocks,nodes,flat")
    ap.add_argument("--limit", type=int, help="only the first N pages (for a quick try)")
    ap.add_argument("--trees", type=int, help="at most N trees per stage (for a quick try)")
    ap.add_argument("--no-vocabulary", action="store_true",
                    help="read no words of the blocks (the features of shape alone)")
    ap.add_argument("--vocab-sites", type=int, default=MIN_SITES,
                    help="sites a word or line must occur on to enter the vocabulary")
    ap.add_argument("--devset-weight", type=float, default=SHIPPED["devset_weight"],
                    help="multiply the weight of the devset's blocks by this in every fit")
    add_capacity_arguments(ap)
    ap.add_argument("--check", type=Path, default=CHECK_PAGES,
                    help="pages turned into text (as --text) whose predicted labels the model "
                         "file keeps, for the tests")
    args = ap.parse_args(argv)
    pages = load_pages(page_source(args), args.forms.split(","), args.limit)
    credit = CREDITS["wcxb"] if args.text else \
        "; ".join(CREDITS[name] for name in args.sources.split(","))
    model = train(pages, args.seed, args.threshold, trees=args.trees,
                  vocabulary=not args.no_vocabulary, min_sites=args.vocab_sites, data=credit,
                  devset_weight=args.devset_weight, **capacity(args))
    if args.devset_labels != DEFAULT_DEVSET_LABELS and not args.text \
            and "devset" in args.sources.split(","):
        model.trained["devset_labels"] = args.devset_labels
    if args.check and (args.check / "index.jsonl").exists():
        model.trained["check"] = check_labels(model, args.check)
    args.out.write_text(model.dumps(), encoding="utf-8")
    print(f"{model.trained['pages']} pages, {model.trained['blocks']} blocks -> {args.out} "
          f"({args.out.stat().st_size // 1024} KB)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
