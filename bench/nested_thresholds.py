"""Nested check of the text classifier's unfamiliar-page rule on the devset as text.

    python bench/nested_thresholds.py --data ../shared --models DIR [--work DIR]

``text_classifier``'s ``familiar`` (0.85) and ``unfamiliar_threshold`` (0.3) were chosen
on the same out-of-fold devset figures they are quoted with. Here they are chosen again
for each of ``bench/eval_classifier.py --devset``'s site folds, on the other folds alone:
every setting of a small grid runs through the whole chain (``clean-corpus run -j 1``)
on every fold's pages with that fold's model (``DIR/devset-fold-K.json``, as
``eval_classifier.py --devset --models DIR`` writes them; each trained without the fold's
sites). For held-out fold K the setting is chosen on the other folds' records together,
by ``--rule``: ``margin`` (default, how the shipped setting was chosen) the setting
farthest inside both of issue #8's bars (recall ``--recall`` or more, boilerplate left
``--left`` or less), its smaller margin in standard errors; ``recall`` the lowest
boilerplate left among the settings with recall ``--recall`` or more (none: the highest
recall). Fold K's records at that setting are kept. The five held-out
folds' records are scored together by ``tools/score_devset.py``: the nested figure
(the records scored: ``WORK/nested-FORM.jsonl``). The folds are ``eval_classifier.py``'s (:func:`site_folds`), the pages' text is made by
the data's ``tools/scraped_text.py`` as there. Records are kept under ``--work`` and
reused when there (a fresh directory runs everything: 2 forms x 20 settings x 5 folds).
"""
from __future__ import annotations

import argparse
import itertools
import json
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from eval_classifier import run_chain, site_folds  # noqa: E402

from clean_corpus_plugins.boilerplate import train as training  # noqa: E402

FAMILIAR = (0.7, 0.75, 0.8, 0.85)
UNFAMILIAR = (0.28, 0.3, 0.33, 0.35, 0.4)
SHIPPED = (0.85, 0.3)


def floats(text: str) -> tuple[float, ...]:
    return tuple(float(x) for x in text.split(","))


def score(data: Path, files: list[Path], pages: set[str], tmp: Path) -> dict[str, float]:
    """``score_devset.py`` on the records of ``files`` together, over ``pages`` alone."""
    records = tmp / "records.jsonl"
    records.write_text("".join(f.read_text(encoding="utf-8") for f in files), encoding="utf-8")
    index = tmp / "index.jsonl"
    with open(data / "devset" / "index.jsonl", encoding="utf-8") as fh:
        index.write_text("".join(line for line in fh if line.strip() and
                                 json.loads(line)["file"] in pages), encoding="utf-8")
    out = subprocess.run([sys.executable, str(data / "tools" / "score_devset.py"),
                          str(records), "--index", str(index)],
                         check=True, capture_output=True, text=True).stdout
    left = re.search(r"missing (\d+)\), boilerplate_left ([\d.]+)", out)
    prf = re.search(r"F1 ([\d.]+) P ([\d.]+) R ([\d.]+) n=(\d+)", out)
    if not left or not prf:
        raise SystemExit(f"score_devset.py said:\n{out}")
    return {"missing": int(left[1]), "left": float(left[2]), "f1": float(prf[1]),
            "recall": float(prf[3]), "pages": int(prf[4])}


def figure(s: dict[str, float]) -> str:
    return f"{s['left']:.3f} / {s['recall']:.3f} / {s['f1']:.3f}"


def choose(scores: dict[tuple[float, float], dict], recall: float) -> tuple[float, float]:
    """Lowest boilerplate left among settings with ``recall`` or more (ties: higher
    recall, then grid order); none there: the highest recall (ties: less left)."""
    grid = list(scores)
    good = [s for s in grid if scores[s]["recall"] >= recall]
    if good:
        return min(good, key=lambda s: (scores[s]["left"], -scores[s]["recall"], grid.index(s)))
    return min(grid, key=lambda s: (-scores[s]["recall"], scores[s]["left"], grid.index(s)))


def choose_margin(scores: dict[tuple[float, float], dict], recall: float, left: float,
                  snippets: tuple[int, int]) -> tuple[float, float]:
    """The setting farthest inside both bars: the largest of the smaller margin, each
    margin in standard errors of its bar's proportion over ``snippets`` (content,
    boilerplate) -- recall and boilerplate left are both judged on unseen pages, and a
    setting on one edge meets that bar there about half the time."""
    content, boilerplate = snippets
    se_recall = (recall * (1 - recall) / content) ** 0.5
    se_left = (left * (1 - left) / boilerplate) ** 0.5

    def margin(s):
        return min((scores[s]["recall"] - recall) / se_recall, (left - scores[s]["left"]) / se_left)
    grid = list(scores)
    return max(grid, key=lambda s: (margin(s), -grid.index(s)))


def snippet_counts(data: Path, pages: set[str]) -> tuple[int, int]:
    """Content and boilerplate snippets the devset annotates on ``pages``."""
    content = boilerplate = 0
    with open(data / "devset" / "index.jsonl", encoding="utf-8") as fh:
        for entry in (json.loads(line) for line in fh if line.strip()):
            if entry["file"] in pages:
                content += len(entry["with"])
                boilerplate += len(entry["without"])
    return content, boilerplate


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared"))
    ap.add_argument("--models", type=Path, required=True,
                    help="the devset fold models (devset-fold-K.json) of eval_classifier --devset")
    ap.add_argument("--work", type=Path, default=Path("nested-work"),
                    help="texts and records kept here, reused when there")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--forms", default="blocks,flat")
    ap.add_argument("--familiar", type=floats, default=FAMILIAR)
    ap.add_argument("--unfamiliar", type=floats, default=UNFAMILIAR)
    ap.add_argument("--recall", type=float, default=0.95, help="the recall a choice must reach")
    ap.add_argument("--left", type=float, default=0.20,
                    help="the boilerplate left a choice must stay under (--rule margin)")
    ap.add_argument("--rule", choices=("recall", "margin"), default="margin",
                    help="recall: the least boilerplate left at --recall or more; margin: the "
                         "setting farthest inside both bars, in standard errors")
    args = ap.parse_args(argv)

    entries = training.devset_index(args.data)
    fold_of_site = site_folds([training.devset_site(e) for e in entries], args.folds, args.seed)
    fold_of = {e["file"]: fold_of_site[training.devset_site(e)] for e in entries}
    folds = range(args.folds)
    pages_of = {k: {name for name, f in fold_of.items() if f == k} for k in folds}
    print("pages per fold: " + ", ".join(f"{k}: {len(pages_of[k])}" for k in folds))
    visible_text = training.load_scraper(args.data)
    settings = list(itertools.product(args.familiar, args.unfamiliar))
    tmp = args.work / "score"
    tmp.mkdir(parents=True, exist_ok=True)

    for form in args.forms.split(","):
        records: dict[tuple[tuple[float, float], int], Path] = {}
        for k in folds:
            texts = args.work / "text" / f"{form}-{k}"
            if not texts.exists():
                part = texts.with_suffix(".part")
                part.mkdir(parents=True, exist_ok=True)
                for name in sorted(pages_of[k]):
                    (part / f"{name}.txt").write_text(
                        visible_text((args.data / "devset" / "html" / name).read_bytes(), form),
                        encoding="utf-8")
                part.rename(texts)
            model = args.models / f"devset-fold-{k}.json"
            for familiar, unfamiliar in settings:
                path = args.work / "records" / form / f"familiar{familiar}-t{unfamiliar}" / \
                    f"fold{k}.jsonl"
                if not path.exists():
                    path.parent.mkdir(parents=True, exist_ok=True)
                    part = path.with_suffix(".part")
                    run_chain([str(texts)], model, part, options={
                        "familiar": familiar, "unfamiliar_threshold": unfamiliar})
                    part.rename(path)
                records[(familiar, unfamiliar), k] = path
            print(f"{form}: fold {k} run at {len(settings)} settings", flush=True)

        every = set(fold_of)
        pooled = {s: score(args.data, [records[s, k] for k in folds], every, tmp)
                  for s in settings}
        print(f"\n{form}: every setting, all {args.folds} folds' out-of-fold records together "
              "(the in-sample choice; boilerplate left / recall / F1):")
        for s in settings:
            mark = "  (shipped)" if s == SHIPPED else ""
            print(f"  familiar {s[0]:<5} unfamiliar_threshold {s[1]:<5} {figure(pooled[s])}{mark}")

        chosen = {}
        print(f"\n{form}: nested, each fold's setting chosen on the other folds' records:")
        for k in folds:
            others = [j for j in folds if j != k]
            others_pages = set().union(*(pages_of[j] for j in others))
            inner = {s: score(args.data, [records[s, j] for j in others], others_pages, tmp)
                     for s in settings}
            chosen[k] = choose(inner, args.recall) if args.rule == "recall" else \
                choose_margin(inner, args.recall, args.left, snippet_counts(args.data, others_pages))
            held = score(args.data, [records[chosen[k], k]], pages_of[k], tmp)
            shipped = score(args.data, [records[SHIPPED, k]], pages_of[k], tmp) \
                if SHIPPED in settings else None
            print(f"  fold {k}: familiar {chosen[k][0]}, unfamiliar_threshold {chosen[k][1]}; "
                  f"other folds {figure(inner[chosen[k]])}; held out {figure(held)}"
                  + (f" (shipped setting {figure(shipped)})" if shipped else ""))
        nested = score(args.data, [records[chosen[k], k] for k in folds], every, tmp)
        kept = args.work / f"nested-{form}.jsonl"  # the records scored, for score_devset.py
        kept.write_text((tmp / "records.jsonl").read_text(encoding="utf-8"), encoding="utf-8")
        print(f"{form}: nested figure, the {args.folds} held-out folds together "
              f"(score_devset.py, {nested['pages']} pages, missing {nested['missing']}): "
              f"boilerplate_left {nested['left']:.3f} recall {nested['recall']:.3f} "
              f"F1 {nested['f1']:.3f}\n", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
