"""How often do the language detectors agree with the devset's annotation, and with each other?

Usage::

    python bench/language_confusion.py DEVSET [--show-misses]
    python bench/language_confusion.py --agreement PATH [PATH ...]

``DEVSET`` is a folder holding ``index.jsonl`` (one page per line, with ``file`` and
``lang``) and the pages under ``html/`` (``../shared/devset`` for instance); an
``index.jsonl`` path works too. Each page goes through the ordinary chain (read, extract,
clean) once; then each backend (the ``language`` plugin with py3langid on a sample, and
the ``language_langdetect`` plugin, seeded langdetect) runs its ``detect`` hook on the
cleaned document. For each backend it prints the accuracy, the pages it called ``und``,
the milliseconds per page spent in detection alone, and the confusion (annotated
language -> detected language).

``--agreement`` needs no annotation: for the pages under each PATH (``.html``, ``.txt``,
``.html.gz``) it prints how often the two backends give the same language.

Languages are compared on their primary subtag (``zh-cn`` and ``zh`` are the same).
"""
from __future__ import annotations

import argparse
import copy
import gzip
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from clean_corpus.config import Config
from clean_corpus.pipeline import WRITTEN, Chain, iter_documents, iter_paths
from clean_corpus_plugins.detectors.language import LangdetectDetector, LanguageDetector
from clean_corpus_plugins.readers import decode_with_info, make_document

BACKENDS = (LanguageDetector, LangdetectDetector)


def primary(code: str | None) -> str:
    return (code or "none").split("-")[0].lower()


def load_index(path: Path) -> tuple[Path, dict[str, str]]:
    index = path / "index.jsonl" if path.is_dir() else path
    pages = [json.loads(line) for line in index.read_text(encoding="utf-8").splitlines()
             if line.strip()]
    return index.parent / "html", {p["file"]: p["lang"] for p in pages}


def _inputs(chain: Chain, paths: list[Path]):
    """The chain's documents for ``paths``; gzipped pages are read here (``.html.gz``)."""
    for path in iter_paths(paths):
        if path.name.endswith(".html.gz"):
            text, encoding = decode_with_info(gzip.decompress(path.read_bytes()))
            yield make_document(path, text, encoding, html=True)
        else:
            yield from iter_documents(chain.registry, [path])


def prepared_documents(paths: list[Path]):
    """Cleaned documents, the chain's own detectors off (each backend runs on its own)."""
    config = Config(workers=1, disable=["language"])
    chain = Chain(config)
    for doc in _inputs(chain, paths):
        outcome = chain.prepare(doc)
        if outcome.status == WRITTEN:
            yield Path(outcome.source).name, outcome.document
        else:
            yield Path(outcome.source).name, None


def detections(detectors, doc, seconds: Counter) -> dict[str, tuple[str, float]]:
    """Each detector's (language, probability) for ``doc``, timing the detection alone."""
    found = {}
    for detector in detectors:
        if doc is None:
            found[detector.name] = ("(rejected)", 0.0)
            continue
        copy_ = copy.deepcopy(doc)
        started = time.process_time()
        detector.detect(document=copy_)
        seconds[detector.name] += time.process_time() - started
        result = copy_.detections["language"]
        found[detector.name] = (result["lang"], result["prob"])
    return found


def agreement(detectors, paths: list[Path]) -> int:
    """How often the backends agree, per PATH (no annotation needed)."""
    first, other = (d.name for d in detectors)
    for path in paths:
        seconds, same, pages, differ = Counter(), 0, 0, Counter()
        for _name, doc in prepared_documents([path]):
            if doc is None:
                continue
            found = detections(detectors, doc, seconds)
            pages += 1
            a, b = (primary(found[n][0]) for n in (first, other))
            same += a == b
            if a != b:
                differ[f"{b} -> {a}"] += 1
        print(f"{path}: {pages} pages, {first} agrees with {other} on "
              f"{same}/{pages} ({same / max(1, pages):.1%}); ms/page in detection: "
              + ", ".join(f"{n} {1000 * seconds[n] / max(1, pages):.2f}" for n in (first, other)))
        if differ:
            print("  differ (" + other + " -> " + first + "): "
                  + ", ".join(f"{k} {v}" for k, v in differ.most_common()))
    return 0


def table(confusion: dict[str, Counter]) -> list[str]:
    predicted = sorted({p for row in confusion.values() for p in row})
    lines = ["gold \\ detected | " + " | ".join(predicted), "---|" + "---:|" * len(predicted)]
    for gold in sorted(confusion):
        lines.append(f"{gold} | " + " | ".join(str(confusion[gold][p] or "")
                                               for p in predicted))
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("devset", type=Path, nargs="?")
    parser.add_argument("--show-misses", action="store_true",
                        help="list every page a backend got wrong")
    parser.add_argument("--agreement", type=Path, nargs="+", metavar="PATH",
                        help="compare the backends with each other on these pages")
    args = parser.parse_args(argv)
    if not args.devset and not args.agreement:
        parser.error("give DEVSET or --agreement PATH...")
    detectors = []
    for cls in BACKENDS:
        detector = cls()
        detector.configure(config=Config())
        # Models load on first use: load them now, outside the timed calls.
        detector.identify("Warm-up text, long enough for any backend to load its model.")
        detectors.append(detector)
    if args.agreement:
        return agreement(detectors, args.agreement)
    html_dir, gold = load_index(args.devset)

    confusion = {d.name: defaultdict(Counter) for d in detectors}
    misses = {d.name: [] for d in detectors}
    seconds = Counter()
    for name, doc in prepared_documents([html_dir / f for f in sorted(gold)]):
        found = detections(detectors, doc, seconds)
        for detector in detectors:
            lang, prob = found[detector.name]
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
