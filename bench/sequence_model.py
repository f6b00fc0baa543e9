"""A bidirectional GRU over a page's blocks, cross-validated by site as the text model is.

    python bench/eval_classifier.py --data ../shared --cache PAGES.pkl --only-fold K \\
        --reuse-models --models DIR --save-probabilities BASE-K.pkl
    python bench/sequence_model.py train --cache PAGES.pkl --fold K --models DIR \\
        --base BASE-K.pkl --out SEQ-K.pkl [--stage1] [--blend 0.5] [--save-net NET.pt]
    python bench/decision_rules.py SEQ-0.pkl SEQ-1.pkl --against BASE-0.pkl BASE-1.pkl
    python bench/sequence_model.py cost NET.pt --cache PAGES.pkl --model DIR/fold-0.json

An exploration, not a recipe the package ships: it needs torch, which no extra of the
project installs (a throwaway environment with torch and the ``train`` extra). The shipped
recipe's second stage reads stage one's probabilities of a fixed window of neighbours;
this model reads the whole page's sequence of blocks (a linear layer of 64 with ReLU, one
bidirectional GRU layer of ``--hidden``, an output reading both directions and the input
layer) and rates every block.

``train``: fold K of ``eval_classifier.py``'s folds (``train.group_folds`` of the sites,
5 folds, seed 0). It trains on the other folds' wcxb-dev pages and the devset's pages
less the fold's sites (the labelled-page cache ``PAGES.pkl`` and ``PAGES.devset.pkl``
that ``eval_classifier.py --cache`` writes), the devset's blocks weighted 3x, every block
weighted as the trees' fits weight it (``train._stack``); the vocabulary columns of the
training rows out of fold (``train.vocabulary_columns``, as ``train.train`` computes
them: the table must equal the fold model's), the test pages' from the fold model's
table; pages the table knows less than its ``min_coverage`` of keep the fold model's
probabilities (its fallback rates them). ``--stage1`` also reads stage one's
probability: out of fold for the training rows (two inner folds by site, fitted as
``train.train`` fits them), the fold model's stage one for the test pages. Columns are
standardised with the training rows' means and deviations. The number of epochs is
chosen on a seventh of the training pages' sites (never the test fold's): the model of
the epoch with the lowest weighted loss there is kept (``--patience`` epochs without a
lower one end the training). Fixed seed, one thread. ``--out`` holds ``BASE-K.pkl``'s
rows (``eval_classifier.py --save-probabilities``) with P(content) replaced, for
``decision_rules.py``; ``--blend W`` writes ``OUT.blend.pkl`` too: W times the GRU's
P(content) plus 1 - W times the fold model's.

``cost``: the model's forward pass in numpy (both directions in one loop over the
blocks), checked against torch's, timed on the first ``--pages`` wcxb-dev pages of the
cache in the blocks form (their features and vocabulary columns, and stage one's
probability for a ``--stage1`` net, computed before; best of 3 a page; median and 90th
percentile), beside the shipped second stage's (context columns and tree walk) on the
same pages. Set ``OPENBLAS_NUM_THREADS=1``: on a busy machine numpy's threaded matrix
products on such small matrices took ten times as long.
Figures: docs/classifier-experiments.md ("A sequence model over the page's blocks").
"""
from __future__ import annotations

import argparse
import math
import pickle
import sys
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from clean_corpus_plugins.boilerplate import train as training
from clean_corpus_plugins.boilerplate.model import context_features, load_model
from clean_corpus_plugins.boilerplate.vocabulary import MIN_SITES, page_keys

SEED = 0
DEVSET_WEIGHT = 3.0
FOLDS = 5
INPUT = 64  # the input layer's width


class Tagger(nn.Module):
    """Input layer, bidirectional GRU, and a logit per block from both and the input."""

    def __init__(self, n_in: int, hidden: int, layers: int = 1):
        super().__init__()
        self.inp = nn.Linear(n_in, INPUT)
        self.gru = nn.GRU(INPUT, hidden, num_layers=layers, bidirectional=True,
                          batch_first=True)
        self.out = nn.Linear(2 * hidden + INPUT, 1)

    def forward(self, x, lengths):
        z = torch.relu(self.inp(x))
        packed = pack_padded_sequence(z, lengths, batch_first=True, enforce_sorted=False)
        h, _ = self.gru(packed)
        h, _ = pad_packed_sequence(h, batch_first=True, total_length=x.shape[1])
        return self.out(torch.cat((h, z), dim=2)).squeeze(2)


def batches(lengths: list[int], budget: int, rng) -> list[list[int]]:
    """Page indices grouped by length into batches of at most ``budget`` padded rows, in
    an order drawn with ``rng``."""
    out, current, longest = [], [], 0
    for i in np.argsort(lengths, kind="stable"):
        widest = max(longest, lengths[i])
        if current and widest * (len(current) + 1) > budget:
            out.append(current)
            current, widest = [], lengths[i]
        current.append(int(i))
        longest = widest
    if current:
        out.append(current)
    rng.shuffle(out)
    return out


def tensors(seqs, idx, ys=None, ws=None):
    """A padded batch of the pages ``idx``: inputs, lengths, labels, weights (0 past the end)."""
    lengths = [len(seqs[i]) for i in idx]
    x = np.zeros((len(idx), max(lengths), seqs[idx[0]].shape[1]), dtype=np.float32)
    y = np.zeros(x.shape[:2], dtype=np.float32)
    w = np.zeros(x.shape[:2], dtype=np.float32)
    for j, i in enumerate(idx):
        x[j, :lengths[j]] = seqs[i]
        if ys is not None:
            y[j, :lengths[j]] = ys[i]
            w[j, :lengths[j]] = ws[i]
    return torch.from_numpy(x), torch.tensor(lengths), torch.from_numpy(y), torch.from_numpy(w)


def weighted_loss(model, seqs, ys, ws, budget) -> float:
    """The weighted mean cross-entropy of ``model`` on the pages ``seqs``."""
    model.eval()
    total = weight = 0.0
    with torch.no_grad():
        for idx in batches([len(s) for s in seqs], budget, np.random.default_rng(0)):
            x, lengths, y, w = tensors(seqs, idx, ys, ws)
            total += float(nn.functional.binary_cross_entropy_with_logits(
                model(x, lengths), y, weight=w, reduction="sum"))
            weight += float(w.sum())
    return total / weight


def predict(model, seqs, budget: int) -> list[np.ndarray]:
    """P(content) of every block of every page (an empty page: an empty array)."""
    model.eval()
    out = [np.zeros(0) for _ in seqs]
    full = [i for i, s in enumerate(seqs) if len(s)]
    with torch.no_grad():
        for idx in batches([len(seqs[i]) for i in full], budget, np.random.default_rng(0)):
            idx = [full[i] for i in idx]
            x, lengths, _, _ = tensors(seqs, idx)
            p = torch.sigmoid(model(x, lengths)).numpy().astype(np.float64)
            for j, i in enumerate(idx):
                out[i] = p[j, :len(seqs[i])]
    return out


def fit(seqs, ys, ws, val, args, log):
    """Adam on the training pages, an epoch a pass in batches; the state of every epoch
    kept with its loss on the validation pages ``val``; the best is loaded."""
    torch.manual_seed(SEED)
    rng = np.random.default_rng(SEED)
    model = Tagger(seqs[0].shape[1], args.hidden, args.layers)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    history = []
    for epoch in range(args.epochs):
        model.train()
        started = time.monotonic()
        total = weight = 0.0
        for idx in batches([len(s) for s in seqs], args.budget, rng):
            x, lengths, y, w = tensors(seqs, idx, ys, ws)
            loss = nn.functional.binary_cross_entropy_with_logits(model(x, lengths), y,
                                                                  weight=w, reduction="sum")
            opt.zero_grad()
            (loss / w.sum()).backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            total += float(loss.detach())
            weight += float(w.sum())
        held = weighted_loss(model, *val, args.budget)
        history.append((held, {k: t.clone() for k, t in model.state_dict().items()}))
        log(f"  epoch {epoch + 1}: training loss {total / weight:.4f}, validation "
            f"{held:.4f} ({time.monotonic() - started:.0f} s)")
        losses = [h for h, _ in history]
        if len(losses) - 1 - int(np.argmin(losses)) >= args.patience:
            break
    best = int(np.argmin([h for h, _ in history]))
    model.load_state_dict(history[best][1])
    log(f"best epoch {best + 1} (validation {history[best][0]:.4f})")
    return model


def with_stage1(x: np.ndarray, p: np.ndarray) -> np.ndarray:
    """``x`` and stage one's probability, as it is and as log-odds."""
    p = np.clip(p, 1e-4, 1 - 1e-4)
    return np.column_stack((x, p, np.log(p / (1 - p))))


def train_fold(args) -> int:
    torch.set_num_threads(1)
    started = time.monotonic()

    def log(message):
        print(f"[{time.monotonic() - started:6.0f} s] {message}", flush=True)

    pages = pickle.loads(args.cache.read_bytes())
    dev = pickle.loads(args.cache.with_suffix(".devset.pkl").read_bytes())
    sites = sorted({p.domain for p in pages})
    site_fold = dict(zip(sites, training.group_folds(sites, FOLDS, SEED)))
    held = {s for s, f in site_fold.items() if f == args.fold}
    inside = sorted([p for p in pages if site_fold[p.domain] != args.fold] +
                    [p for p in dev if p.domain not in held],
                    key=lambda p: (p.id, training.FORMS.index(p.form)))
    test = [p for p in pages if site_fold[p.domain] == args.fold]
    fold_model = load_model(str(args.models / f"fold-{args.fold}.json"))
    table = fold_model.vocabulary
    log(f"fold {args.fold}: {len(inside)} training page forms, {len(test)} test page forms")

    learned, columns = training.vocabulary_columns(inside, SEED, MIN_SITES)
    if learned.as_dict() != table.as_dict():
        raise SystemExit("the training pages' table is not the fold model's: another cache?")
    X_train = [np.hstack((p.X, v)) for p, v in zip(inside, columns)]
    X_test, known = [], []
    for p in test:
        keys = page_keys(p.blocks)
        odds = table.odds(keys[0])
        known.append(table.coverage(odds))
        X_test.append(np.hstack((p.X, table.columns_of(*keys, odds))))
    if args.stage1:  # stage one's out-of-fold probabilities, as train.train computes them
        rows = [training.Page(p.id, p.domain, p.type, p.form, p.blocks, p.reference, p.labels,
                              p.weights, x) for p, x in zip(inside, X_train)]
        inner = training.group_folds([p.domain for p in rows], training.INNER_FOLDS, SEED)
        first = [None] * len(rows)
        for j in range(training.INNER_FOLDS):
            part = [p for p, f in zip(rows, inner) if f != j]
            stage = training.fit_stage(*training._stack(part, training.MAX_ROWS, SEED,
                                                        DEVSET_WEIGHT),
                                       training.STAGE_PARAMS[0], SEED)
            for i, f in enumerate(inner):
                if f == j:
                    first[i] = stage.predict(rows[i].X)
            log(f"stage one, inner fold {j} fitted")
        X_train = [with_stage1(x, p) for x, p in zip(X_train, first)]
        X_test = [with_stage1(x, fold_model.stages[0].predict(x)) for x in X_test]

    every = np.vstack(X_train)
    mean, deviation = every.mean(0), every.std(0)
    deviation[deviation < 1e-9] = 1.0
    del every

    def standard(x):
        return np.clip((x - mean) / deviation, -6, 6).astype(np.float32)

    S_train = [standard(x) for x in X_train]
    S_test = [standard(x) for x in X_test]
    ys = [p.labels.astype(np.float32) for p in inside]
    ws = [((np.sqrt(p.weights) + 0.1) * (DEVSET_WEIGHT if training.is_devset(p) else 1.0))
          .astype(np.float32) for p in inside]
    # a seventh of the training pages' sites chooses the epoch
    split = training.group_folds([p.domain for p in inside], 7, SEED)
    fitted = [i for i, f in enumerate(split) if f != 0 and len(S_train[i])]
    chosen = [i for i, f in enumerate(split) if f == 0 and len(S_train[i])]

    def pick(items, idx):
        return [items[i] for i in idx]

    log(f"fitted on {len(fitted)} page forms, epochs chosen on {len(chosen)}")
    model = fit(pick(S_train, fitted), pick(ys, fitted), pick(ws, fitted),
                (pick(S_train, chosen), pick(ys, chosen), pick(ws, chosen)), args, log)
    log(f"{sum(t.numel() for t in model.parameters())} parameters")
    if args.save_net:
        torch.save({"state": model.state_dict(), "mean": mean, "deviation": deviation,
                    "hidden": args.hidden, "layers": args.layers, "stage1": args.stage1},
                   args.save_net)
    base = {(r["id"], r["form"]): r for r in pickle.loads(args.base.read_bytes())}
    rows, blended, fallback = [], [], 0
    for page, p, share in zip(test, predict(model, S_test, 20000), known):
        row = base[page.id, page.form]
        if row["blocks"] != page.blocks:
            raise SystemExit("--base: not the cache's pages")
        if share < table.min_coverage:  # the fold model's fallback rates the page
            p = row["p"]
            fallback += 1
        rows.append(dict(row, p=p))
        blended.append(dict(row, p=args.blend * p + (1 - args.blend) * row["p"]))
    args.out.write_bytes(pickle.dumps(rows))
    if args.blend:
        args.out.with_suffix(".blend.pkl").write_bytes(pickle.dumps(blended))
    log(f"{len(rows)} page forms -> {args.out} ({fallback} rated by the fold model's fallback)")
    return 0


class NumpyTagger:
    """:class:`Tagger`'s forward pass in numpy, one page at a time."""

    def __init__(self, net: dict):
        if net["layers"] != 1:
            raise SystemExit("cost: one GRU layer only")
        s = {k: v.numpy().astype(np.float64) for k, v in net["state"].items()}
        self.mean, self.deviation, H = net["mean"], net["deviation"], net["hidden"]
        self.H = H
        self.W_in, self.b_in = s["inp.weight"].T.copy(), s["inp.bias"]
        # both directions' gates side by side, [r_f r_b z_f z_b n_f n_b], the recurrent
        # weights one block matrix; r and z halved (sigmoid(a) = (1 + tanh(a / 2)) / 2)
        self.W_i = np.zeros((INPUT, 6 * H))
        self.b_i = np.zeros(6 * H)
        self.W_h = np.zeros((2 * H, 6 * H))
        self.b_h = np.zeros(6 * H)
        for d, suffix in enumerate(("", "_reverse")):
            for gate in range(3):
                at = slice((2 * gate + d) * H, (2 * gate + d + 1) * H)
                rows = slice(gate * H, (gate + 1) * H)
                half = 0.5 if gate < 2 else 1.0
                self.W_i[:, at] = s[f"gru.weight_ih_l0{suffix}"][rows].T * half
                self.b_i[at] = s[f"gru.bias_ih_l0{suffix}"][rows] * half
                self.W_h[d * H:(d + 1) * H, at] = s[f"gru.weight_hh_l0{suffix}"][rows].T * half
                self.b_h[at] = s[f"gru.bias_hh_l0{suffix}"][rows] * half
        self.W_out, self.b_out = s["out.weight"].ravel(), float(s["out.bias"][0])

    def __call__(self, X: np.ndarray) -> np.ndarray:
        H = self.H
        z = np.maximum(np.clip((X - self.mean) / self.deviation, -6, 6) @ self.W_in
                       + self.b_in, 0.0)
        G = z @ self.W_i + self.b_i
        for gate in range(3):  # the backward direction's inputs read from the end
            at = slice((2 * gate + 1) * H, (2 * gate + 2) * H)
            G[:, at] = G[::-1, at]
        out = np.empty((len(X), 2 * H))
        h = np.zeros(2 * H)
        for t in range(len(X)):
            g = G[t]
            gh = h @ self.W_h + self.b_h
            rz = np.tanh(g[:4 * H] + gh[:4 * H])
            rz += 1.0
            rz *= 0.5
            n = np.tanh(g[4 * H:] + rz[:2 * H] * gh[4 * H:])
            h = n + rz[2 * H:] * (h - n)
            out[t] = h
        both = np.hstack((out[:, :H], out[::-1, H:], z))
        return 1.0 / (1.0 + np.exp(-(both @ self.W_out + self.b_out)))


def cost(args) -> int:
    torch.set_num_threads(1)
    net = torch.load(args.net, weights_only=False)
    tagger = Tagger(len(net["mean"]), net["hidden"], net["layers"])
    tagger.load_state_dict(net["state"])
    tagger.eval()
    fast = NumpyTagger(net)
    model = load_model(str(args.model))
    table = model.vocabulary
    pages = sorted((p for p in pickle.loads(args.cache.read_bytes())
                    if p.form == "blocks" and len(p.blocks)), key=lambda p: p.id)[:args.pages]

    def best_of_3(function) -> float:
        best = math.inf
        for _ in range(3):
            started = time.perf_counter()
            function()
            best = min(best, time.perf_counter() - started)
        return best * 1000

    ours, shipped, sizes, worst = [], [], [], 0.0
    for page in pages:
        keys = page_keys(page.blocks)
        X = np.hstack((page.X, table.columns_of(*keys, table.odds(keys[0]))))
        first = model.stages[0].predict(X)
        Z = with_stage1(X, first) if net["stage1"] else X
        sizes.append(len(X))
        ours.append(best_of_3(lambda: fast(Z)))
        shipped.append(best_of_3(lambda: model.stages[1].predict(context_features(first, X))))
        with torch.no_grad():
            S = np.clip((Z - net["mean"]) / net["deviation"], -6, 6).astype(np.float32)
            reference = torch.sigmoid(tagger(torch.from_numpy(S)[None],
                                             torch.tensor([len(S)]))).numpy()[0]
        worst = max(worst, float(np.abs(reference - fast(Z)).max()))
    print(f"{args.net.name}: {sum(t.numel() for t in tagger.parameters())} parameters; "
          f"{len(pages)} pages, blocks a page median {np.median(sizes):.0f} (p90 "
          f"{np.percentile(sizes, 90):.0f}); numpy forward pass, ms a page: median "
          f"{np.median(ours):.2f}, p90 {np.percentile(ours, 90):.2f} (largest difference "
          f"from torch's {worst:.1e}); the shipped second stage (context columns and walk): "
          f"median {np.median(shipped):.2f}, p90 {np.percentile(shipped, 90):.2f}")
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train", help="train fold K's sequence model and write its probabilities")
    t.add_argument("--cache", type=Path, required=True,
                   help="eval_classifier.py --cache's labelled pages (and .devset.pkl beside)")
    t.add_argument("--fold", type=int, required=True)
    t.add_argument("--models", type=Path, required=True,
                   help="eval_classifier.py --models: fold-K.json, the shipped recipe's")
    t.add_argument("--base", type=Path, required=True,
                   help="fold K's eval_classifier.py --save-probabilities file")
    t.add_argument("--out", type=Path, required=True)
    t.add_argument("--stage1", action="store_true", help="read stage one's probability too")
    t.add_argument("--hidden", type=int, default=32)
    t.add_argument("--layers", type=int, default=1)
    t.add_argument("--epochs", type=int, default=12, help="at most")
    t.add_argument("--patience", type=int, default=3)
    t.add_argument("--lr", type=float, default=3e-3)
    t.add_argument("--budget", type=int, default=16000, help="padded rows a batch, at most")
    t.add_argument("--blend", type=float, default=0.0,
                   help="also write OUT.blend.pkl: this share of the GRU's P(content), the "
                        "rest the fold model's")
    t.add_argument("--save-net", type=Path, help="keep the trained network here (torch.save)")
    c = sub.add_parser("cost", help="time the numpy forward pass of a saved network")
    c.add_argument("net", type=Path)
    c.add_argument("--cache", type=Path, required=True)
    c.add_argument("--model", type=Path, required=True, help="the fold model (vocabulary)")
    c.add_argument("--pages", type=int, default=200)
    args = ap.parse_args(argv)
    return train_fold(args) if args.command == "train" else cost(args)


if __name__ == "__main__":
    sys.exit(main())
