"""Ways of deciding on the text classifier's out-of-fold probabilities, side by side.

    python bench/eval_classifier.py --data ../shared --cache PAGES --reuse-models \\
        --save-probabilities OOF.pkl
    python bench/decision_rules.py OOF.pkl --data ../shared
    python bench/decision_rules.py OOF.pkl --against BASE.pkl --data ../shared

Reads what ``eval_classifier.py --save-probabilities`` keeps (every page form's
P(content) from the fold model that never saw its site) and scores, per input form, the
mean word F1 of the blocks each rule keeps (the scorer of ``tools/score_wcxb.py``; the
classifier alone, no rule cleaners), with the per-page difference against the chain's
rule and its standard error. Nothing is trained, so a rule is tried in seconds.

Rules: the chain's (``text_classifier``'s defaults: the model's threshold, or 0.6x the
page's likeliest block, the one-line threshold on the one-line form and the
unfamiliar-page threshold), the same at other thresholds (one threshold for every form),
and a two-state decoding of the page (``--viterbi``): each block's evidence is its
log-odds against the chain's threshold for the page, times ``(words + 1) ** alpha``, and
each change between content and boilerplate along the page costs ``lambda``; the best
sequence is kept (Viterbi). It asks whether smoothing the decisions into runs adds to
what the model's second stage already smooths.

Several files are read as one (the folds of ``--only-fold`` runs). ``--against FILE...``
compares two models instead (another recipe's out-of-fold probabilities of the same page
forms): its first row is the chain's rule on those, and every difference is against it,
page by page.
"""
from __future__ import annotations

import argparse
import math
import pickle
import re
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from eval_classifier import load_scorer  # noqa: E402

from clean_corpus_plugins.boilerplate.text_extract import (  # noqa: E402
    TextClassifier, keep_mask, page_threshold)

OPTIONS = TextClassifier.defaults
WORD = re.compile(r"\w+")


def row_threshold(row: dict, threshold: float | None = None) -> float:
    """The chain's threshold for the page (:func:`.text_extract.page_threshold`, the
    one-line form a page on one line), or ``threshold`` in place of the model's."""
    options = OPTIONS if threshold is None else \
        {**OPTIONS, "threshold": threshold, "one_line_threshold": 0}
    return page_threshold(options, row["threshold"], row["known"], row["form"] == "flat")


def chain_rule(threshold: float | None = None):
    def keep(row: dict) -> np.ndarray:
        return keep_mask(row["p"], row_threshold(row, threshold), float(OPTIONS["relative"]))
    return keep


def two_state(evidence: list[float], switch: float) -> list[bool]:
    """The content (True) / boilerplate sequence maximising the evidence of the blocks
    kept less ``switch`` for every change of state."""
    best = [0.0, evidence[0]]  # the best score ending in boilerplate, in content
    back: list[tuple[int, int]] = []
    for e in evidence[1:]:
        to_out = (0, best[0]) if best[0] >= best[1] - switch else (1, best[1] - switch)
        to_in = (1, best[1]) if best[1] >= best[0] - switch else (0, best[0] - switch)
        back.append((to_out[0], to_in[0]))
        best = [to_out[1], to_in[1] + e]
    state = 1 if best[1] > best[0] else 0
    path = [state]
    for previous in reversed(back):
        state = previous[state]
        path.append(state)
    return [bool(s) for s in reversed(path)]


def viterbi_rule(switch: float, alpha: float):
    def keep(row: dict) -> np.ndarray:
        p = np.clip(row["p"], 1e-6, 1 - 1e-6)
        if not len(p):
            return np.zeros(0, dtype=bool)
        t = min(row_threshold(row), float(OPTIONS["relative"]) * float(p.max()))
        words = np.array([len(WORD.findall(b)) for b in row["blocks"]], dtype=float)
        evidence = (np.log(p / (1 - p)) - math.log(t / (1 - t))) * (words + 1) ** alpha
        kept = np.array(two_state(evidence.tolist(), switch))
        return kept if kept.any() else chain_rule()(row)  # never an empty page
    return keep


def read_rows(paths: list[Path]) -> list[dict]:
    """The page forms of every file (each, what ``--save-probabilities`` wrote), in order."""
    return [row for path in paths for row in pickle.loads(path.read_bytes())]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("probabilities", type=Path, nargs="+")
    ap.add_argument("--against", type=Path, nargs="+", default=[], metavar="FILE",
                    help="another model's probabilities of the same page forms: the "
                         "chain's rule on them is the row every difference is against")
    ap.add_argument("--data", type=Path, default=Path("../shared"))
    ap.add_argument("--thresholds", default="0.3,0.5,0.6")
    ap.add_argument("--viterbi", default="0.5:0,0.5:0.5,1:0.5,2:0.5,4:0",
                    help="LAMBDA:ALPHA,... decodings to try ('' for none)")
    args = ap.parse_args(argv)
    scorer = load_scorer(args.data)
    rows = read_rows(args.probabilities)
    forms = sorted({r["form"] for r in rows}, key=["blocks", "nodes", "flat"].index)
    rules = [("chain's rule", chain_rule())]
    if args.against:
        against = {(r["id"], r["form"]): r for r in read_rows(args.against)}
        if sorted(against) != sorted((r["id"], r["form"]) for r in rows) or \
                any(against[r["id"], r["form"]]["blocks"] != r["blocks"] for r in rows):
            raise SystemExit("--against: not the same page forms cut into the same blocks")
        rules.insert(0, ("chain's rule, --against's model",
                         lambda row: chain_rule()(against[row["id"], row["form"]])))
    rules += [(f"threshold {t}", chain_rule(float(t))) for t in args.thresholds.split(",") if t]
    for item in filter(None, args.viterbi.split(",")):
        switch, alpha = map(float, item.split(":"))
        rules.append((f"two-state, lambda {switch:g}, alpha {alpha:g}", viterbi_rule(switch, alpha)))

    def f1(row: dict, keep: np.ndarray) -> float:  # the blocks and labels of both are the same
        return scorer.word_prf("\n".join(b for b, k in zip(row["blocks"], keep) if k),
                               row["reference"])[2]

    base = {}
    print(f"{len(rows)} page forms; mean word F1 (per-page difference against "
          f"{rules[0][0]} ± standard error)")
    print(f"{'rule':34s}" + "".join(f"{form:>28s}" for form in forms))
    for name, rule in rules:
        cells = []
        for form in forms:
            scores = np.array([f1(r, rule(r)) for r in rows if r["form"] == form])
            base.setdefault(form, scores)
            diff = scores - base[form]
            cells.append(f"{scores.mean():.4f} ({diff.mean():+.4f}±{diff.std() / math.sqrt(len(diff)):.4f})")
        print(f"{name:34s}" + "".join(f"{c:>28s}" for c in cells), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
