"""Quality signals through the command line: annotated on every record, and with the drop
policy the thresholds (configurable) drop a menu of symbols and numbers but not prose."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from clean_corpus.testing import builtin_cli, read_jsonl_if_any
from conftest import FIXTURES

SEEDS = FIXTURES / "seeds"

# A scraped price table and menu: short lines, figures and symbols, no sentence.
JUNK = "\n".join(
    [f"#{n} | SKU-{4410 + n} | {n * 3}.99 € | ★★★★☆ | {n * 7} % >> /shop/item/{n}"
     for n in range(1, 25)]) + "\n"
ENGLISH = ("The harbour master said on Monday that the new breakwater would be finished before "
           "the winter storms. The works have been delayed twice, first by a shortage of granite "
           "and then by a dispute with the contractor over the cost of the foundations. Fishermen, "
           "who have had to moor their boats in the river mouth for two seasons, said they would "
           "believe it when they saw it. The council has set aside a further sum for repairs to "
           "the old quay, which was damaged in the February gales and has been closed since.\n")






@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("quality")
    shutil.copytree(SEEDS, folder / "seeds")
    (folder / "junk.txt").write_text(JUNK, encoding="utf-8")
    (folder / "english.txt").write_text(ENGLISH, encoding="utf-8")
    return folder


def names(records) -> dict[str, dict]:
    return {Path(r["source"]).name: r for r in records}


def test_signals_are_annotated(inputs, tmp_path):
    out = tmp_path / "out.jsonl"
    builtin_cli("run", inputs, "-o", out, "-q")
    records = names(read_jsonl_if_any(out))
    assert len(records) == 7  # annotate only: nothing dropped by default
    english = records["english.txt"]["detections"]["quality"]
    assert english["words"] == len(ENGLISH.split())
    assert english["punctuated_lines"] == 1.0 and english["flags"] == []
    assert 0.3 <= english["stopword_ratio"] <= 0.6
    assert english["symbol_ratio"] == 0.0 and english["digit_ratio"] == 0.0
    for seed in SEEDS.iterdir():
        quality = records[seed.name]["detections"]["quality"]
        assert quality["flags"] == [] and quality["stopword_ratio"] > 0.3
    junk = records["junk.txt"]["detections"]["quality"]
    assert junk["punctuated_lines"] == 0.0
    assert junk["symbol_ratio"] > 0.1 and junk["digit_ratio"] > 0.25
    flagged = {flag.split()[0] for flag in junk["flags"]}
    assert {"symbol_ratio", "digit_ratio", "punctuated_lines"} <= flagged


def test_drop_policy_and_configurable_thresholds(inputs, tmp_path):
    out, rejected = tmp_path / "out.jsonl", tmp_path / "rejected.jsonl"
    builtin_cli("run", inputs, "-o", out, "--rejected", rejected, "-q",
            "--set", "quality.policy=drop")
    assert sorted(names(read_jsonl_if_any(out))) == sorted(
        [p.name for p in SEEDS.iterdir()] + ["english.txt"])
    reasons = {Path(e["source"]).name: e["reasons"] for e in read_jsonl_if_any(rejected)}
    assert list(reasons) == ["junk.txt"]
    assert reasons["junk.txt"][0].startswith("low quality: ")
    assert "max_symbol_ratio 0.1" in reasons["junk.txt"][0]

    # Stricter: at least 300 words; the symbol threshold switched off.
    out2, rejected2 = tmp_path / "out2.jsonl", tmp_path / "rejected2.jsonl"
    builtin_cli("run", inputs, "-o", out2, "--rejected", rejected2, "-q",
            "--set", "quality.policy=drop", "--set", "quality.min_words=300",
            "--set", "quality.max_symbol_ratio=false")
    kept = {name: r["detections"]["quality"]["words"] for name, r in
            names(read_jsonl_if_any(out2)).items()}
    assert kept and all(words >= 300 for words in kept.values())
    dropped = {Path(e["source"]).name: e["reasons"][0] for e in read_jsonl_if_any(rejected2)}
    assert "english.txt" in dropped and "min_words 300" in dropped["english.txt"]
    assert "symbol_ratio" not in dropped["junk.txt"]


@pytest.mark.parametrize("text", ["", "\n\n", "Un été à Paris.\n\nDer Straße 1 000 Schritte.",
                                  "e\n\n\u0301t\u0301e", "ﬁn\n\nß\n\n\n\nΣΑΣ ς", "a\u0308\n\n\u0308b",
                                  "日本語\n\n1,000\n\n000 x", " \n\n  Leading and trailing \n\n"])
def test_a_text_folds_as_its_paragraphs_fold(text):
    # the detectors fold a record's text paragraph by paragraph (cached per block): it
    # must be the fold of the whole text, and its words the same
    from clean_corpus_plugins.detectors.tokens import _THOUSANDS, UNSPACED, tokens
    from clean_corpus_plugins.lexicon import fold, fold_text

    assert fold_text(text) == fold(text)
    whole = fold(_THOUSANDS.sub("", text)).split()
    assert tokens(text) == tuple(c for w in whole for c in (w if UNSPACED.search(w) else [w]))
