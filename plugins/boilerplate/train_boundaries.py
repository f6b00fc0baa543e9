"""Train the boundary model of one-line text (:mod:`.boundaries`) from the pages' blocks.

    python -m clean_corpus_plugins.boilerplate.train_boundaries --data ../shared \\
        [--out plugins/boilerplate/model-boundaries.json] [--seed 0]

Every wcxb-dev and devset page is turned into text with a line per block element by the
data's own tool (``tools/scraped_text.py``); joined by spaces, those lines are the page's
one-line form, and the gaps between them are the boundaries to learn (``--data`` may also
be a folder of pages already turned into text, as ``train`` takes it). Each gap whose next
word does not start in lower case is a row. Needs the ``train`` extra (scikit-learn);
one thread and the seed make the same data give the same file.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from clean_corpus_plugins.boilerplate.boundaries import (BOUNDARY_FEATURES, BOUNDARY_MODEL,
                                                          FORMAT, gap_features)
from clean_corpus_plugins.boilerplate.model import model_file_text
from clean_corpus_plugins.boilerplate.train import (devset_site, fit_stage, load_scraper,
                                                     text_source, wcxb_source)

#: Gradient boosting settings: few small trees, as every one-line page pays for them.
PARAMS = {"max_iter": 80, "max_leaf_nodes": 16, "max_depth": 6, "learning_rate": 0.1,
          "min_samples_leaf": 40, "l2_regularization": 1.0}
#: Rows the model is fitted on, drawn with the seed from all gaps.
MAX_ROWS = 300_000
#: P(a block ended here) a gap needs to be cut (chosen out of fold: docs/classifier.md).
THRESHOLD = 0.5


def page_lines(data: Path) -> list[tuple[str, list[str]]]:
    """``(site, lines)`` of every page of ``data``, as text with a line per block element:
    wcxb-dev's, then the devset's, or those of a folder of pages already turned into text
    (``index.jsonl`` and ``text/blocks/<id>.txt``, as the tests' fixtures are)."""
    if (data / "index.jsonl").exists():
        entries, text_of = text_source(data)
        return [(entry["domain"], text_of(entry, "blocks").split("\n")) for entry in entries]
    entries, text_of = wcxb_source(data)
    pages = [(entry["domain"], text_of(entry, "blocks").split("\n")) for entry in entries]
    visible_text = load_scraper(data)
    with open(data / "devset" / "index.jsonl", encoding="utf-8") as index:
        for entry in map(json.loads, filter(str.strip, index)):
            html = (data / "devset" / "html" / entry["file"]).read_bytes()
            pages.append((devset_site(entry), visible_text(html, "blocks").split("\n")))
    return pages


def gap_rows(lines: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The candidate gaps of ``lines`` joined into one line, as rows, and whether each is
    where one line ended (the boundary of two blocks)."""
    words: list[str] = []
    ends = []
    for line in lines:
        words += line.split()
        ends.append(len(words) - 1)
    if len(words) < 2:
        return np.zeros((0, len(BOUNDARY_FEATURES))), np.zeros(0, dtype=np.int64)
    gaps, X = gap_features(words)
    boundary = np.zeros(len(words), dtype=np.int64)
    boundary[ends] = 1
    return X, boundary[gaps]


def train(pages: list[list[str]], seed: int = 0, threshold: float = THRESHOLD) -> dict:
    """A boundary model file's content, fitted on the gaps of ``pages`` (their lines)."""
    rows = [gap_rows(lines) for lines in pages]
    X = np.vstack([x for x, _ in rows])
    y = np.concatenate([y for _, y in rows])
    if len(y) > MAX_ROWS:
        chosen = np.sort(np.random.default_rng(seed).choice(len(y), MAX_ROWS, replace=False))
        X, y = X[chosen], y[chosen]
    trees = fit_stage(X, y, np.ones(len(y)), PARAMS, seed)
    return {"format": FORMAT, "features": list(BOUNDARY_FEATURES), "threshold": threshold,
            "trees": trees.as_dict(),
            "trained": {"seed": seed, "pages": len(pages), "rows": int(len(y)),
                        "params": PARAMS}}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared"))
    ap.add_argument("--out", type=Path, default=BOUNDARY_MODEL)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threshold", type=float, default=THRESHOLD)
    args = ap.parse_args(argv)
    pages = [lines for _, lines in page_lines(args.data)]
    args.out.write_text(model_file_text(train(pages, args.seed, args.threshold)),
                        encoding="utf-8")
    print(f"{args.out}: trained on {len(pages)} pages")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
