"""How often do the language detectors agree with the devset's annotation?

Usage::

    python bench/language_confusion.py DEVSET [--show-misses]

``DEVSET`` is a folder holding ``index.jsonl`` (one page per line, with ``file`` and
``lang``) and the pages under ``html/`` (``/work/shared/devset`` for instance); an
``index.jsonl`` path works too. Each page goes through the ordinary chain (read, extract,
clean) once; then each backend (the ``language`` plugin with langdetect and the
``language_py3langid`` plugin) runs its ``detect`` hook on the cleaned document. For each
backend it prints the accuracy, the pages it called ``und``, the milliseconds per page
spent in detection alone, and the confusion (annotated language -> detected language).

Languages are compared on their primary subtag (``zh-cn`` and ``zh`` are the same).
"""
from __future__ import annotations

import argparse
import copy
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from clean_corpus.config import Config
from clean_corpus.pipeline import WRITTEN, Chain, iter_documents
from clean_corpus_plugins.detectors.language import LanguageDetector, Py3LangidDetector

BACKENDS = (LanguageDetector, Py3LangidDetector)


def primary(code: str | None) -> str:
    return (code or "none").split("-")[0].lower()


def load_index(path: Path) -> tuple[Path, dict[str, str]]:
    index = path / "index.jsonl" if path.is_dir() else path
    pages = [json.loads(line) for line in index.read_text(encoding="utf-8").splitlines()
             if line.strip()]
    return index.parent / "html", {p["file"]: p["lang"] for p in pages}


def prepared_documents(html_dir: Path, files: list[str]):
    """Cleaned documents, the chain's own detectors off (each backend runs on its own)."""
    config = Config(workers=1, disable=["language"])
    chain = Chain(config)
    for doc in iter_documents(chain.registry, [html_dir / f for f in files]):
        outcome = chain.prepare(doc)
        if outcome.status == WRITTEN:
            yield Path(outcome.source).name, outcome.document
        else:
            yield Path(outcome.source).name, None


def table(confusion: dict[str, Counter]) -> list[str]:
    predicted = sorted({p for row in confusion.values() for p in row})
    lines = ["gold \\ detected | " + " | ".join(predicted), "---|" + "---:|" * len(predicted)]
    for gold in sorted(confusion):
        lines.append(f"{gold} | " + " | ".join(str(confusion[gold][p] or "")
                                               for p in predicted))
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("devset", type=Path)
    parser.add_argument("--show-misses", action="store_true",
                        help="list every page a backend got wrong")
    args = parser.parse_args(argv)
    html_dir, gold = load_index(args.devset)
    detectors = []
    for cls in BACKENDS:
        detector = cls()
        detector.configure(config=Config())
        # Models load on first use: load them now, outside the timed calls.
        detector.identify("Warm-up text, long enough for any backend to load its model.")
        detectors.append(detector)

    confusion = {d.name: defaultdict(Counter) for d in detectors}
    misses = {d.name: [] for d in detectors}
    seconds = Counter()
    for name, doc in prepared_documents(html_dir, sorted(gold)):
        for detector in detectors:
            if doc is None:
                lang, prob = "(rejected)", 0.0
            else:
                copy_ = copy.deepcopy(doc)
                started = time.perf_counter()
                detector.detect(document=copy_)
                seconds[detector.name] += time.perf_counter() - started
                found = copy_.detections["language"]
                lang, prob = found["lang"], found["prob"]
            confusion[detector.name][primary(gold[name])][primary(lang)] += 1
            if primary(lang) != primary(gold[name]):
                misses[detector.name].append((name, gold[name], lang, prob))

    pages = len(gold)
    for detector in detectors:
        rows = confusion[detector.name]
        right = sum(row[g] for g, row in rows.items())
        und = sum(row["und"] for row in rows.values())
        print(f"## {detector.name} ({detector.backend})")
        print(f"accuracy {right / pages:.3f} ({right}/{pages}), und {und}, "
              f"{1000 * seconds[detector.name] / pages:.2f} ms/page in detection")
        print()
        print("\n".join(table(rows)))
        print()
        if args.show_misses:
            for name, want, got, prob in misses[detector.name]:
                print(f"  miss: {name}: {want} -> {got} ({prob})")
            print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
