"""Language detection, through the command line on real files: the seeds are French, text
too short to tell is `und`, the langdetect backend is switched on by configuration, and the
drop policy keeps only the languages asked for."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from clean_corpus.testing import BUILTINS_ONLY, cli
from conftest import FIXTURES

SEEDS = FIXTURES / "seeds"

GERMAN = ("Der Stadtrat hat am Dienstag beschlossen, die Brücke über den Fluss im kommenden "
          "Frühjahr zu sanieren. Die Arbeiten sollen etwa acht Monate dauern, und während "
          "dieser Zeit wird der Verkehr über eine Umleitung geführt.\n")
ENGLISH = ("The city council voted on Tuesday to repair the bridge over the river next "
           "spring. The works should last about eight months, and traffic will be diverted "
           "through the old town while they go on.\n")




def records(path: Path) -> dict[str, dict]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return {Path(r["source"]).name: r for r in map(json.loads, filter(None, lines))}


@pytest.fixture(scope="module")
def mixed(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("mixed")
    (folder / "de.txt").write_text(GERMAN, encoding="utf-8")
    (folder / "en.txt").write_text(ENGLISH, encoding="utf-8")
    (folder / "short.txt").write_text("Merci !\n", encoding="utf-8")
    return folder


def test_seeds_are_french_with_probability_and_backend(tmp_path):
    out = tmp_path / "seeds.jsonl"
    done = cli("run", SEEDS, "-o", out, "-q", env=BUILTINS_ONLY)
    assert done.returncode == 0, done.stderr
    recs = records(out)
    assert len(recs) == 5
    for rec in recs.values():
        assert rec["language"] == "fr"
        found = rec["detections"]["language"]
        assert found["lang"] == "fr" and found["backend"] == "py3langid"
        assert 0.9 <= found["prob"] <= 1.0


def test_other_languages_and_too_short_text(mixed, tmp_path):
    out = tmp_path / "out.jsonl"
    done = cli("run", mixed, "-o", out, "-q", env=BUILTINS_ONLY)
    assert done.returncode == 0, done.stderr
    recs = records(out)
    assert recs["de.txt"]["language"] == "de"
    assert recs["en.txt"]["language"] == "en"
    # Two words: no guess, and no probability pretending to be one.
    assert recs["short.txt"]["language"] == "und"
    assert recs["short.txt"]["detections"]["language"]["prob"] == 0.0


def test_langdetect_backend_switched_on_by_config(mixed, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[plugins]\ndisable = ["language"]\nenable = ["language_langdetect"]\n',
                      encoding="utf-8")
    out = tmp_path / "out.jsonl"
    done = cli("run", mixed, SEEDS, "-o", out, "-q", "--config", config, env=BUILTINS_ONLY)
    assert done.returncode == 0, done.stderr
    recs = records(out)
    assert {r["detections"]["language"]["backend"] for r in recs.values()} == {"langdetect"}
    assert recs["de.txt"]["language"] == "de" and recs["en.txt"]["language"] == "en"
    assert recs["short.txt"]["language"] == "und"
    assert all(recs[p.name]["language"] == "fr" for p in SEEDS.iterdir())


def test_drop_policy_keeps_the_languages_asked_for(mixed, tmp_path):
    out, rejected = tmp_path / "out.jsonl", tmp_path / "rejected.jsonl"
    done = cli("run", mixed, "-o", out, "--rejected", rejected, "-q",
                   "--set", "language.policy=drop", "--set", 'language.keep=["de"]', env=BUILTINS_ONLY)
    assert done.returncode == 0, done.stderr
    assert list(records(out)) == ["de.txt"]
    reasons = {Path(r["source"]).name: r["reasons"] for r in map(
        json.loads, rejected.read_text(encoding="utf-8").splitlines())}
    assert reasons["en.txt"] == ["language en not in keep ['de']"]
    assert any("undetermined" in r for r in reasons["short.txt"])


def test_unknown_policy_is_a_usage_error(mixed, tmp_path):
    done = cli("run", mixed, "-o", tmp_path / "out.jsonl", "-q",
                   "--set", "language.policy=delete", env=BUILTINS_ONLY)
    assert done.returncode == 2
    assert "policy must be one of ['annotate', 'drop']" in done.stderr


@pytest.mark.parametrize("text", ["", "a", "12 34 __ --", "l'été 2024 à Paris", "x1y2z3_",
                                  "日本語のテキスト", "ab" * 30, "Straße, café, ÆØÅ!", "9" * 100])
def test_enough_letters_is_told_as_counting_them_tells_it(text):
    import re

    from clean_corpus_plugins.detectors.language import has_letters

    letters = len(re.findall(r"[^\W\d_]", text))
    for count in range(0, 70):
        assert has_letters(text, count) == (letters >= count), (text, count)
