"""Cross-validated figures of the boilerplate classifier on wcxb-dev, by page type and input form.

    python bench/eval_classifier.py --data ../shared [--folds 5] [--seed 0] [--chain]

Pages are split into folds by site (the wcxb ``domain``: no site is in both the training
and the test folds); each fold's pages are classified by a model trained on the other
folds, exactly as ``python -m clean_corpus_plugins.boilerplate.train`` trains the shipped
one. Scores are mean word F1 per page, computed by the scorer of ``../shared/tools/
score_wcxb.py`` (imported, so the figures are the benchmark's), for each input form
(``blocks``, ``nodes``, ``flat`` from ``tools/scraped_text.py``; ``html``: the page's DOM
blocks through the HTML classifier, with the page type) next to doing nothing (the whole
text) and trafilatura alone on the page's HTML. With ``--chain`` every fold's model
also runs inside the real ``clean-corpus run`` on the fold's text files (rule cleaners
included) and the records are scored by the scorer's command line; ``--ablate NAME,...``
adds one chain run per named plugin with that plugin disabled, and ``--set PLUGIN.OPTION=
VALUE`` sets an option of every chain run (``text_classifier.familiar=0``: the decision
before pages the vocabulary knows less had a threshold of their own). ``--only-fold K`` evaluates
one fold (with ``--reuse-models``, its model from an earlier run), for ablations that
would take hours over every fold. The text models train, as the shipped one, on the
devset's annotated pages too (``--sources``), less any site of the fold evaluated.
The chain's extraction cuts a page on one line where a boundary model finds its blocks
met: ``--boundaries fold`` (the default) trains one per fold without the fold's sites, as
``train_boundaries`` trains the shipped one; ``shipped`` uses the shipped file, ``off``
none. ``--devset`` evaluates on the devset instead: its pages as text, folds by site, each
fold through the chain with a model trained on wcxb-dev and the other folds, scored by
``tools/score_devset.py``. ``--stage1``, ``--stage2`` and ``--max-rows`` size every fold
model as the training command's options do (the shipped model's sizes by default).
``--save-probabilities FILE`` keeps every page form's
out-of-fold P(content), with its blocks, labels and reference, for
``bench/decision_rules.py`` to compare ways of deciding on them without training again.
For ``html``, ``--name-odds`` trains the fold models with the class/id word table
(``train_html --name-odds``, words on ``--vocab-sites`` sites), ``--save-f1 FILE`` keeps
every method's F1 of each page and ``--f1-against FILE`` prints the per-page difference
against such a file, ± its standard error, over all pages and per type; the combination
is also scored with each predicted type's add threshold chosen on four folds and scored
on the fifth (``thresholds nested``).
``--devset-labels no-html`` labels the devset's pages of the text fold models by the
chain without the HTML classifier (``train.py --devset-labels``; in the cache apart).
``--html-sources wcxb,devset`` trains every HTML fold model on the devset's annotated
pages too, less the fold's sites (``train_html --sources``; ``--html-devset-weight``),
``--html-stages 2`` trains them with a second stage (``train_html --stages 2``),
and ``--forms html --devset`` runs the devset's HTML through the default chain instead,
each page with a block classifier trained as those fold models are, less every page of
its site's fold (the devset's sites in ``--folds`` folds), scored by
``tools/score_devset.py`` (``--save-records FILE`` keeps the records; with ``--chain``,
each form's records of wcxb-dev in ``FILE.FORM.jsonl``).
Needs the ``train`` extra (scikit-learn). Figures are printed; docs/classifier.md quotes them.
"""
from __future__ import annotations

import argparse
import collections
import gzip
import importlib.util
import json
import pickle
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from clean_corpus_plugins.boilerplate import train as training
from clean_corpus_plugins.boilerplate.model import load_model, model_file_text
from clean_corpus_plugins.boilerplate.text_extract import TEXT_MODEL, TextClassifier, keep_mask

TYPES = ["article", "forum", "product", "collection", "listing", "documentation", "service"]
THRESHOLDS = (0.3, 0.4, 0.45, 0.5, 0.55, 0.6)


def load_scorer(data: Path):
    path = data / "tools" / "score_wcxb.py"
    spec = importlib.util.spec_from_file_location("score_wcxb", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def cached(path: Path | None, build):
    if path and path.exists():
        return pickle.loads(path.read_bytes())
    value = build()
    if path:
        path.write_bytes(pickle.dumps(value))
    return value


def trafilatura_texts(data: Path, entries) -> dict[str, str]:
    import trafilatura

    texts = {}
    for entry in entries:
        html = gzip.decompress((data / "wcxb-dev" / "pages" / f"{entry['id']}.html.gz").read_bytes())
        texts[entry["id"]] = trafilatura.extract(html.decode("utf-8", "replace")) or ""
    return texts


def plugin_texts(data: Path, entries) -> dict[str, list[str]]:
    """The text blocks the chain's ``trafilatura`` plugin (default options, its lead and
    recall repairs) takes from each page: what the HTML extractor combines at inference."""
    from clean_corpus.document import Document
    from clean_corpus_plugins.extract import TrafilaturaExtractor

    extractor = TrafilaturaExtractor()
    texts = {}
    for entry in entries:
        html = gzip.decompress((data / "wcxb-dev" / "pages" / f"{entry['id']}.html.gz").read_bytes())
        extraction = extractor.extract(Document(source=f"{entry['id']}.html",
                                                url=entry.get("url") or None,
                                                html=html.decode("utf-8", "replace")))
        texts[entry["id"]] = [b.text for b in extraction.blocks] if extraction else []
    return texts


def table(title: str, scores: dict[str, list[tuple[str, float]]]) -> None:
    """One line per method: mean F1 over all pages, then per page type."""
    print(f"\n{title}")
    print(f"  {'':<34} {'all':>6} " + " ".join(f"{t[:7]:>7}" for t in TYPES))
    for name, rows in scores.items():
        by_type = collections.defaultdict(list)
        for page_type, f1 in rows:
            by_type[page_type].append(f1)
        cells = " ".join(f"{np.mean(by_type[t]):7.3f}" if by_type[t] else "      -" for t in TYPES)
        print(f"  {name:<34} {np.mean([f for _, f in rows]):6.3f} {cells}")


def chain_scores(args, fold_models, folds_of, text_dirs, disable=None) -> None:
    """Every fold's text files through ``clean-corpus run`` with that fold's model, scored."""
    for form, folder in text_dirs.items():
        with tempfile.TemporaryDirectory() as tmp:
            merged = Path(tmp) / "records.jsonl"
            with open(merged, "w", encoding="utf-8") as out:
                for k, model in fold_models.items():
                    files = [str(folder / f"{pid}.html.txt") for pid, f in folds_of.items() if f == k]
                    records = Path(tmp) / f"fold{k}.jsonl"
                    run_chain(files, model, records, disable)
                    out.write(records.read_text(encoding="utf-8"))
            if args.save_records and not disable:
                args.save_records.with_suffix(f".{form}.jsonl").write_bytes(merged.read_bytes())
            ids = Path(tmp) / "ids.txt"  # the folds evaluated: every page, or --only-fold's
            ids.write_text("".join(f"{pid}\n" for pid, f in folds_of.items()
                                   if f in fold_models), encoding="utf-8")
            result = subprocess.run([sys.executable, str(args.data / "tools" / "score_wcxb.py"),
                                     str(merged), "--ids", str(ids)],
                                    check=True, capture_output=True, text=True)
            label = f"chain {form}" + (f" without {disable}" if disable else "")
            print(f"\n{label} (score_wcxb.py):\n" + result.stdout.rstrip())


#: ``--set`` options of every chain run (``--set`` of this script)
CHAIN_OPTIONS: list[str] = []
#: The boundary model of one-line text each fold's chain runs use, by the fold's text
#: model (``--boundaries fold``): trained without the fold's sites.
FOLD_BOUNDARIES: dict[Path, Path] = {}


def fold_boundaries(args, held: set[str], model: Path) -> None:
    """Train (or, with ``--reuse-models``, load) the boundary model of the chain runs
    that use the text model ``model``: on every page of a site not in ``held``, as
    ``train_boundaries`` trains the shipped one on all of them."""
    from clean_corpus_plugins.boilerplate import train_boundaries

    if args.boundaries != "fold":
        return
    path = model.with_suffix(".boundaries.json")
    if not (args.reuse_models and path.exists()):
        if not BOUNDARY_PAGES:
            BOUNDARY_PAGES.extend(train_boundaries.page_lines(args.data))
        pages = [lines for site, lines in BOUNDARY_PAGES if site not in held]
        path.write_text(model_file_text(train_boundaries.train(pages, args.seed)),
                        encoding="utf-8")
    FOLD_BOUNDARIES[model] = path


BOUNDARY_PAGES: list = []  # (site, lines) of every page, read once


def run_chain(files: list[str], model: Path, records: Path, disable: str | None = None,
              options: dict | None = None) -> None:
    """``clean-corpus run`` on ``files`` with the text model ``model`` (and the
    ``text_classifier`` ``options`` given, and ``--set``'s)."""
    clean_corpus = Path(sys.executable).with_name("clean-corpus")
    cmd = [str(clean_corpus), "run", *files, "-o", str(records), "--no-progress",
           "--set", f"text_classifier.model={model}", "-j", "1",
           "--timeout", "600"]  # a busy machine must fail no page
    for name, value in (options or {}).items():
        cmd += ["--set", f"text_classifier.{name}={value}"]
    if model in FOLD_BOUNDARIES:
        cmd += ["--set", f"text_lines.boundary_model={FOLD_BOUNDARIES[model]}"]
    for option in CHAIN_OPTIONS:
        cmd += ["--set", option]
    if disable:
        cmd += ["--disable", disable]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode not in (0, 1):  # 1: some documents failed, reported
        raise SystemExit(f"clean-corpus exited {done.returncode}: {done.stderr[-2000:]}")


def save_probabilities(path: Path, pages, folds_of, probabilities, known, thresholds) -> None:
    """Every evaluated page form's out-of-fold P(content) and what scoring it needs: one
    dict a page form (id, form, type, fold, blocks, labels, reference, p, known share,
    the fold model's threshold)."""
    rows = [{"id": p.id, "form": p.form, "type": p.type, "fold": folds_of[p.id],
             "blocks": p.blocks, "labels": np.asarray(p.labels), "reference": p.reference,
             "p": probabilities[p.id, p.form], "known": known[p.id, p.form],
             "threshold": thresholds[folds_of[p.id]]}
            for p in pages if (p.id, p.form) in probabilities]
    path.write_bytes(pickle.dumps(rows))
    print(f"{len(rows)} page forms' probabilities -> {path}", flush=True)


def in_order(pages: list) -> list:
    """Pages in the order the training command loads them: by id, then form."""
    return sorted(pages, key=lambda p: (p.id, training.FORMS.index(p.form)))


def site_folds(sites, folds: int, seed: int) -> dict[str, int]:
    """The fold of each of the devset's sites in ``--devset``'s cross-validation."""
    sites = sorted(set(sites))
    return dict(zip(sites, training.group_folds(sites, folds, seed)))


def devset_chain(args, pages, dev, forms) -> None:
    """The devset as text, cross-validated by site: each fold's pages through the chain
    with a model trained on every other page (wcxb-dev's and the other folds' devset
    pages; no site of the fold among them), scored by ``tools/score_devset.py`` on the
    folds evaluated (``--only-fold``: one; with ``--reuse-models``, every fold whose model
    an earlier run wrote)."""
    visible_text = training.load_scraper(args.data)
    folder = args.data / "devset"
    sites = sorted({p.domain for p in dev})
    fold_of = site_folds(sites, args.folds, args.seed)
    models = {}
    for k in range(args.folds):
        path = args.models / f"devset-fold-{k}.json"
        if args.only_fold in (None, k) and not (args.reuse_models and path.exists()):
            held = {s for s in sites if fold_of[s] == k}
            inside = in_order([p for p in pages + dev if p.domain not in held])
            path.write_text(training.train(inside, args.seed, args.threshold,
                                           devset_weight=args.devset_weight,
                                           **training.capacity(args)).dumps(),
                            encoding="utf-8")
            print(f"devset fold {k}: trained on {len({p.id for p in inside})} pages", flush=True)
        if path.exists() and (args.only_fold in (None, k) or args.reuse_models):
            models[k] = path
            fold_boundaries(args, {s for s in sites if fold_of[s] == k}, path)
    names = {page.id.removeprefix(training.DEVSET_PREFIX) + ".html": fold_of[page.domain]
             for page in dev}
    for form in forms:
        with tempfile.TemporaryDirectory() as tmp:
            merged = Path(tmp) / "records.jsonl"
            with open(merged, "w", encoding="utf-8") as out:
                for k, model in models.items():
                    texts = Path(tmp) / f"{form}-{k}"
                    texts.mkdir()
                    for name in (n for n, f in names.items() if f == k):
                        (texts / f"{name}.txt").write_text(
                            visible_text((folder / "html" / name).read_bytes(), form),
                            encoding="utf-8")
                    records = Path(tmp) / f"fold{k}.jsonl"
                    run_chain([str(texts)], model, records)
                    out.write(records.read_text(encoding="utf-8"))
            index = Path(tmp) / "index.jsonl"  # the pages of the folds evaluated
            with open(folder / "index.jsonl", encoding="utf-8") as fh:
                index.write_text("".join(line for line in fh if line.strip() and
                                         names.get(json.loads(line)["file"]) in models),
                                 encoding="utf-8")
            result = subprocess.run([sys.executable, str(args.data / "tools" / "score_devset.py"),
                                     str(merged), "--index", str(index)],
                                    check=True, capture_output=True, text=True)
            print(f"\ndevset as text, {form}, chain, folds {sorted(models)} of {args.folds} "
                  f"by site (score_devset.py):\n" + "\n".join(result.stdout.splitlines()[-2:]))


def combination(page, extracted: list[str], result: dict, extractor):
    """The extractor's decision on ``page``, as the chain combines them: the trafilatura
    plugin's blocks ``extracted`` less those the classifier is sure are boilerplate, and
    the page blocks it missed that the classifier rates at or above the threshold of the
    page's (out-of-fold) type. Returns the blocks kept, the indexes of the page blocks
    taken back and the indexes of the extracted blocks dropped."""
    from clean_corpus_plugins.boilerplate.html_extract import (Alignment, has_words,
                                                               left_out, taken_back)

    texts = [b.text for b in page.blocks]
    if not texts:
        return list(extracted), [], set()
    p = result["p"]
    alignment = Alignment(texts, extracted, p)
    add = [i for i in taken_back(p, alignment, extracted, extractor.threshold(result["type"]))
           if has_words(texts[i])]
    dropped = left_out(alignment.rated, extractor.options["drop_threshold"])
    return [text for j, text in enumerate(extracted) if j not in dropped], add, dropped


#: The add thresholds :func:`nested_thresholds` chooses from (1.1: nothing taken back).
ADD_GRID = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.1)


def nested_thresholds(pages, results: dict, plugin: dict, extractor, f1
                      ) -> tuple[dict[str, float], list[dict]]:
    """The combination with the add threshold of each predicted page type chosen on four
    folds and scored on the fifth: for held-out fold K, each type's threshold of
    :data:`ADD_GRID` with the highest mean F1 over the other folds' pages of that
    predicted type (the first of equals; a page of no predicted type keeps the
    extractor's default, which the grid holds). Returns each page's F1 and each fold's
    chosen thresholds."""
    from clean_corpus_plugins.boilerplate.html_extract import (Alignment, has_words,
                                                               left_out, taken_back)

    at = {}  # page id -> F1 at each threshold of the grid
    for page in pages:
        extracted, p = plugin[page.id], results[page.id]["p"]
        texts = [b.text for b in page.blocks]
        if not texts:
            at[page.id] = [f1("\n".join(extracted), page)] * len(ADD_GRID)
            continue
        alignment = Alignment(texts, extracted, p)
        dropped = left_out(alignment.rated, extractor.options["drop_threshold"])
        kept = [text for j, text in enumerate(extracted) if j not in dropped]
        at[page.id] = [f1("\n".join([*kept, *(texts[i] for i in taken_back(
            p, alignment, extracted, t) if has_words(texts[i]))]), page) for t in ADD_GRID]
    folds = sorted({results[p.id]["fold"] for p in pages})
    chosen, nested = [], {}
    for k in folds:
        others = [p for p in pages if results[p.id]["fold"] != k]
        picks = {}
        for page_type in TYPES:
            typed = [at[p.id] for p in others if results[p.id]["type"] == page_type]
            if typed:
                picks[page_type] = ADD_GRID[int(np.argmax(np.mean(typed, axis=0)))]
        chosen.append(picks)
        for page in pages:
            if results[page.id]["fold"] == k:
                t = picks.get(results[page.id]["type"], extractor.threshold(None))
                nested[page.id] = at[page.id][ADD_GRID.index(t)]
    return nested, chosen


def html_form(args, scorer, entries) -> None:
    """The HTML extractor (DOM blocks, HTML classifier, page type), cross-validated by site.

    The models of each fold are trained as ``python -m clean_corpus_plugins.boilerplate.
    train_html`` trains the shipped ones, on the other folds' pages only (their class/id
    and URL vocabularies included).
    """
    from clean_corpus_plugins.boilerplate import train_html

    started = time.monotonic()
    pages = train_html.load_pages(args.data, jobs=args.jobs,
                                  cache=args.cache.with_suffix(".html.pkl") if args.cache else None)
    print(f"html: {len(pages)} pages, {sum(len(p.blocks) for p in pages)} DOM blocks "
          f"({time.monotonic() - started:.0f} s)", flush=True)
    dev = train_html.devset_pages(args.data, args.cache.with_suffix(".html-devset.pkl")
                                  if args.cache else None) \
        if "devset" in args.html_sources.split(",") else []
    if args.devset:
        html_devset(args, pages, dev)
        return
    # (the fold results of the class/id word table, and of the devset's pages in training,
    # kept apart from those without)
    variant = f"-names-{args.name_odds}{args.vocab_sites}" if args.name_odds else ""
    variant += f"-devset{args.html_devset_weight:g}" if dev else ""
    variant += f"-stages{args.html_stages}" if args.html_stages != 1 else ""
    results = cached(args.cache.with_suffix(f".html-cv{variant}.pkl") if args.cache else None,
                     lambda: train_html.cross_validate(pages, args.folds, args.seed,
                                                       args.name_odds, args.vocab_sites,
                                                       dev, args.html_devset_weight,
                                                       args.html_stages))
    tra = cached(args.cache.with_suffix(".trafilatura.pkl") if args.cache else None,
                 lambda: trafilatura_texts(args.data, entries))
    plugin = cached(args.cache.with_suffix(".plugin.pkl") if args.cache else None,
                    lambda: plugin_texts(args.data, entries))

    def f1(text, page):
        return scorer.word_prf(text, page.reference)[2]

    scores = {
        "doing nothing": [(p.type, f1("\n".join(b.text for b in p.blocks), p)) for p in pages],
        "trafilatura (default options)": [(p.type, f1(tra[p.id], p)) for p in pages],
        "trafilatura plugin (the chain's)": [(p.type, f1("\n".join(plugin[p.id]), p))
                                             for p in pages],
        "aligned labels (ceiling)": [
            (p.type, f1("\n".join(b.text for b, y in zip(p.blocks, p.labels) if y), p))
            for p in pages],
        "classifier (HTML blocks)": [(p.type, f1(results[p.id]["text"], p)) for p in pages],
    }
    from clean_corpus_plugins.boilerplate.html_extract import HtmlExtractor

    extractor = HtmlExtractor()

    def combined(page):
        kept, add, _ = combination(page, plugin[page.id], results[page.id], extractor)
        return "\n".join([*kept, *(page.blocks[i].text for i in add)])

    scores["trafilatura + classifier"] = [(p.type, f1(combined(p), p)) for p in pages]
    nested, chosen = nested_thresholds(pages, results, plugin, extractor, f1)
    scores["+ classifier, thresholds nested"] = [(p.type, nested[p.id]) for p in pages]
    table(f"html: mean word F1, cross-validated by site ({args.folds} folds; "
          f"{time.monotonic() - started:.0f} s)", scores)
    per_page = {name: {p.id: f for p, (_, f) in zip(pages, rows)}
                for name, rows in scores.items()}
    if args.save_f1:
        args.save_f1.write_bytes(pickle.dumps(per_page))
    if args.f1_against:
        compare_f1(pages, per_page, pickle.loads(args.f1_against.read_bytes()))
    print("\nadd thresholds chosen on the other folds (nested), by fold: " + "; ".join(
        f"{k}: " + " ".join(f"{t[:4]} {v:g}" for t, v in picks.items())
        for k, picks in enumerate(chosen)))
    right = collections.Counter(p.type for p in pages if results[p.id]["type"] == p.type)
    total = collections.Counter(p.type for p in pages)
    print(f"\npage type, cross-validated by site: {sum(right.values()) / len(pages):.3f} right; "
          "per type (recall): " + ", ".join(f"{t} {right[t] / total[t]:.2f}" for t in TYPES))


def html_devset(args, pages, dev) -> None:
    """The devset as HTML through the default chain, each page's HTML block classifier
    trained as :func:`html_form`'s fold models are (wcxb-dev's pages, the devset's with
    ``--html-sources wcxb,devset``), less every page of the sites of the page's fold:
    the devset's sites in ``--folds`` folds (:func:`site_folds`); the records of all the
    folds scored together by ``tools/score_devset.py``."""
    from clean_corpus_plugins.boilerplate import train_html

    folder = args.data / "devset"
    sites = {entry["file"]: training.devset_site(entry)
             for entry in training.devset_index(args.data)}
    fold_of = site_folds(sites.values(), args.folds, args.seed)
    args.models.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        merged = Path(tmp) / "records.jsonl"
        with open(merged, "w", encoding="utf-8") as out:
            for k in range(args.folds):
                held = {s for s in sites.values() if fold_of[s] == k}
                path = args.models / f"devset-html-fold-{k}.json"
                if not (args.reuse_models and path.exists()):
                    inside = [p for p in pages + dev if p.domain not in held]
                    path.write_text(train_html.train_blocks(
                        inside, args.seed, args.name_odds, args.vocab_sites,
                        args.html_devset_weight, args.html_stages).dumps(), encoding="utf-8")
                files = Path(tmp) / f"fold{k}"
                files.mkdir()
                for name, site in sites.items():
                    if fold_of[site] == k:
                        (files / name).symlink_to((folder / "html" / name).resolve())
                records = Path(tmp) / f"fold{k}.jsonl"
                done = subprocess.run(
                    [str(Path(sys.executable).with_name("clean-corpus")), "run", str(files),
                     "-o", str(records), "--no-progress", "-j", "1", "--timeout", "600",
                     "--set", f"boilerplate_html.model={path}"], capture_output=True, text=True)
                if done.returncode not in (0, 1):
                    raise SystemExit(f"clean-corpus exited {done.returncode}: "
                                     f"{done.stderr[-2000:]}")
                out.write(records.read_text(encoding="utf-8"))
                print(f"devset html fold {k}: {len(held)} sites held out", flush=True)
        if args.save_records:
            args.save_records.write_bytes(merged.read_bytes())
        result = subprocess.run([sys.executable, str(args.data / "tools" / "score_devset.py"),
                                 str(merged)], check=True, capture_output=True, text=True)
    print(f"\ndevset as HTML, chain, {args.folds} folds by site (score_devset.py):\n"
          + "\n".join(result.stdout.splitlines()[-2:]))


def compare_f1(pages, scores: dict, against: dict) -> None:
    """Per page, the difference of each method's F1 against the same method's in
    ``against`` (an earlier run's ``--save-f1``), its mean ± standard error, over all pages
    and per page type."""
    print("\nper-page difference against --f1-against (mean ± standard error)")
    print(f"  {'':<34} {'all':>16} " + " ".join(f"{t[:7]:>16}" for t in TYPES))
    for name, now in scores.items():
        if name not in against or set(against[name]) != set(now):
            continue

        def cell(chosen):
            diff = np.array([now[p.id] - against[name][p.id] for p in chosen])
            return f"{diff.mean():+.4f}±{diff.std() / np.sqrt(len(diff)):.4f}" \
                if len(diff) else "-"
        print(f"  {name:<34} {cell(pages):>16} " + " ".join(
            f"{cell([p for p in pages if p.type == t]):>16}" for t in TYPES))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared"))
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--forms", default=",".join(training.FORMS),
                    help="comma-separated: blocks,nodes,flat,html")
    ap.add_argument("--cache", type=Path, help="keep the labelled pages here between runs "
                    "(for html also the fold results and trafilatura's texts, reused when there)")
    ap.add_argument("--models", type=Path, default=Path(tempfile.gettempdir()) / "cv-models",
                    help="where the fold models are written")
    ap.add_argument("--chain", action="store_true", help="also score the whole chain per fold")
    ap.add_argument("--text-dirs", default="", help="FORM=DIR,... text folders for --chain "
                    "(tools/scraped_text.py output of wcxb-dev/pages)")
    ap.add_argument("--ablate", default="", help="plugins to disable one at a time (--chain)")
    ap.add_argument("--jobs", type=int, default=1, help="processes reading the HTML pages")
    ap.add_argument("--only-fold", type=int, help="evaluate this fold alone (text forms)")
    ap.add_argument("--reuse-models", action="store_true",
                    help="load a fold's model from --models when it is there instead of "
                         "training it again (text forms)")
    ap.add_argument("--no-vocabulary", action="store_true",
                    help="train the fold models without the vocabulary columns")
    ap.add_argument("--vocab-sites", type=int, default=training.MIN_SITES,
                    help="sites a word or line must occur on to enter the vocabulary")
    ap.add_argument("--sources", default=",".join(training.SOURCES),
                    help="data sets the fold models train on (wcxb,devset): the devset's "
                         "pages join every wcxb-dev fold's training pages, less their sites")
    ap.add_argument("--devset-weight", type=float,
                    default=training.SHIPPED["devset_weight"],
                    help="multiply the weight of the devset's blocks by this in every fold "
                         "model's fits (train.py --devset-weight; default: the shipped "
                         "model's)")
    ap.add_argument("--devset-labels", choices=tuple(training.DEVSET_LABELS),
                    default=training.DEFAULT_DEVSET_LABELS,
                    help="the chain whose record labels the devset's pages in the text fold "
                         "models' training (train.py --devset-labels)")
    training.add_capacity_arguments(ap)  # --stage1, --stage2, --max-rows: as train.py's
    ap.add_argument("--threshold", type=float, default=load_model(str(TEXT_MODEL)).threshold,
                    help="the fold models' threshold, which the chain runs use (default: the "
                         "shipped model's)")
    ap.add_argument("--devset", action="store_true",
                    help="instead: the devset as text through the chain, cross-validated by "
                         "site (each fold's model trained on wcxb-dev and the other folds)")
    ap.add_argument("--set", action="append", default=[], metavar="PLUGIN.OPTION=VALUE",
                    help="an option of every chain run (as clean-corpus run --set)")
    ap.add_argument("--save-probabilities", type=Path, metavar="FILE",
                    help="write each page form's out-of-fold P(content) here (a pickle, "
                         "for bench/decision_rules.py)")
    ap.add_argument("--name-odds", nargs="?", const="blocks", choices=("blocks", "words"),
                    help="html: the fold models also read the log-odds of the class/id "
                         "words around each block (train_html --name-odds; words on "
                         "--vocab-sites sites)")
    ap.add_argument("--save-f1", type=Path, metavar="FILE",
                    help="html: write every method's F1 of each page here (a pickle)")
    ap.add_argument("--f1-against", type=Path, metavar="FILE",
                    help="html: print the per-page difference against an earlier run's "
                         "--save-f1, ± standard error")
    ap.add_argument("--html-sources", default="wcxb", choices=("wcxb", "wcxb,devset"),
                    help="html: pages the fold models' block classifiers train on "
                         "(train_html --sources): with wcxb,devset the devset's join every "
                         "fold's, less the fold's sites")
    ap.add_argument("--html-devset-weight", type=float, default=1.0,
                    help="html: multiply the weight of the devset's blocks by this "
                         "(train_html --devset-weight)")
    ap.add_argument("--html-stages", type=int, choices=(1, 2), default=1,
                    help="html: the fold models' block classifiers with a second stage "
                         "(train_html --stages 2)")
    ap.add_argument("--save-records", type=Path, metavar="FILE",
                    help="html --devset: keep the chain's records of the devset here; "
                         "--chain: each form's records of wcxb-dev in FILE.FORM.jsonl")
    ap.add_argument("--boundaries", choices=("fold", "shipped", "off"), default="fold",
                    help="the boundary model of one-line text in the chain runs: one per "
                         "fold, trained without the fold's sites (default); the shipped "
                         "one; or none (text_lines.boundaries=false)")
    args = ap.parse_args(argv)
    training.capacity(args)  # settings out of shape refused before any page is read
    CHAIN_OPTIONS[:] = args.set + (["text_lines.boundaries=false"]
                                   if args.boundaries == "off" else [])
    forms = args.forms.split(",")
    scorer = load_scorer(args.data)
    entries, text_of = training.wcxb_source(args.data)
    if "html" in forms:
        html_form(args, scorer, entries)
        forms.remove("html")
        if not forms:
            return 0
    started = time.monotonic()
    pages = cached(args.cache, lambda: training.load_pages((entries, text_of), forms))
    pages = [p for p in pages if p.form in forms]
    print(f"{len({p.id for p in pages})} pages, {len(pages)} page forms, "
          f"{sum(len(p.blocks) for p in pages)} blocks ({time.monotonic() - started:.0f} s)")

    dev = []
    if "devset" in args.sources.split(","):
        # each label source's pages kept apart (the chain's in the name caches had first)
        suffix = "" if args.devset_labels == "chain" else f"-{args.devset_labels}"
        dev = cached(args.cache.with_suffix(f".devset{suffix}.pkl") if args.cache else None,
                     lambda: training.load_pages(training.devset_source(
                         args.data, training.devset_config(args.devset_labels))))
        dev = [p for p in dev if p.form in forms]
    args.models.mkdir(parents=True, exist_ok=True)
    if args.devset:
        devset_chain(args, pages, dev, forms)
        return 0
    site_fold = dict(zip(sorted({p.domain for p in pages}),
                         training.group_folds(sorted({p.domain for p in pages}), args.folds, args.seed)))
    folds_of = {p.id: site_fold[p.domain] for p in pages}
    probabilities: dict[tuple[str, str], np.ndarray] = {}
    known: dict[tuple[str, str], float | None] = {}  # share of the page's words the table knows
    fold_models: dict[int, Path] = {}
    evaluated = range(args.folds) if args.only_fold is None else [args.only_fold]
    for k in evaluated:
        held = {p.domain for p in pages if folds_of[p.id] == k}
        inside = in_order([p for p in pages if folds_of[p.id] != k] +
                          [p for p in dev if p.domain not in held])
        path = args.models / f"fold-{k}.json"
        if args.reuse_models and path.exists():
            model = load_model(str(path))
        else:
            model = training.train(inside, args.seed, args.threshold,
                                   vocabulary=not args.no_vocabulary, min_sites=args.vocab_sites,
                                   devset_weight=args.devset_weight,
                                   **training.capacity(args))
            path.write_text(model.dumps(), encoding="utf-8")
        fold_models[k] = path
        fold_boundaries(args, held, path)
        for page in pages:
            if folds_of[page.id] == k:
                probabilities[page.id, page.form], known[page.id, page.form] = \
                    model.rate_texts(page.blocks, page.X)
        print(f"fold {k}: trained on {len({p.id for p in inside})} pages "
              f"({time.monotonic() - started:.0f} s)", flush=True)

    if args.save_probabilities:
        save_probabilities(args.save_probabilities, pages, folds_of, probabilities, known,
                           {k: load_model(str(path)).threshold for k, path in fold_models.items()})
    tra = cached(args.cache.with_suffix(".trafilatura.pkl") if args.cache else None,
                 lambda: trafilatura_texts(args.data, entries))
    reference = {e["id"]: e["main_content"] for e in entries}
    for form in forms:
        scores: dict[str, list[tuple[str, float]]] = {}
        form_pages = [p for p in pages if p.form == form and folds_of[p.id] in fold_models]
        scores["doing nothing"] = [(p.type, scorer.word_prf("\n".join(p.blocks), p.reference)[2])
                                   for p in form_pages]
        scores["trafilatura (HTML)"] = [(p.type, scorer.word_prf(tra[p.id], reference[p.id])[2])
                                        for p in form_pages]
        scores["aligned labels (ceiling)"] = [
            (p.type, scorer.word_prf("\n".join(b for b, y in zip(p.blocks, p.labels) if y),
                                     p.reference)[2]) for p in form_pages]
        # the chain's decision: P(content) >= threshold, or >= relative x the page's best;
        # last, the shipped rule of pages not on one line (one-line pages take
        # ``one_line_threshold``: bench/decision_rules.py applies it): on a page whose words
        # the table knows less than ``familiar`` of, ``unfamiliar_threshold`` instead of the
        # model's threshold
        options = TextClassifier.defaults
        relative = float(options["relative"])
        shipped = fold_models[min(fold_models)]
        rules = [(0.5, 0.0, None)] + [(t, relative, None) for t in THRESHOLDS] + \
            [(load_model(str(shipped)).threshold, relative, options["unfamiliar_threshold"])]
        for threshold, share, unfamiliar in rules:
            rows = []
            for p in form_pages:
                page_threshold = threshold
                if unfamiliar is not None and known[p.id, form] is not None \
                        and known[p.id, form] < options["familiar"]:
                    page_threshold = unfamiliar
                keep = keep_mask(probabilities[p.id, form], page_threshold, share)
                kept = "\n".join(b for b, k in zip(p.blocks, keep) if k)
                rows.append((p.type, scorer.word_prf(kept, p.reference)[2]))
            name = f"p>={threshold}" + (f" or {share}x best" if share else "") + \
                (f", {unfamiliar} under {options['familiar']} known" if unfamiliar else "")
            scores[f"classifier {name}"] = rows
        table(f"{form}: mean word F1, cross-validated by site ({args.folds} folds)", scores)

    if args.chain:
        text_dirs = dict(item.split("=", 1) for item in args.text_dirs.split(",") if item)
        text_dirs = {form: Path(d) for form, d in text_dirs.items() if form in forms}
        chain_scores(args, fold_models, folds_of, text_dirs)
        for name in filter(None, args.ablate.split(",")):
            chain_scores(args, fold_models, folds_of, text_dirs, disable=name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
