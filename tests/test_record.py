"""The record: shipped JSON Schema, stable ids, identical output for any number of workers,
normalised text; and what the command line says about itself."""
from __future__ import annotations

import json
import shutil
import unicodedata
from importlib.metadata import version

import jsonschema
import pytest

from clean_corpus.testing import cli, read_jsonl
from conftest import FIXTURES
from clean_corpus.document import schema_path

SCHEMA = json.loads(schema_path().read_text(encoding="utf-8"))
TEXT_FIELDS = ("title", "kicker", "description", "byline", "caption", "sitename", "text")

# Decomposed accents (NFD), Windows line ends, runs of blank lines, tabs and no-break spaces.
MESSY_TEXT = ("  Le tribunal administratif a annule\u0301 mercredi l'arrêté municipal   sur les terrasses.  \r\n"
              "\r\n\r\n\r\n"
              "\tLes restaurateurs du centre-ville s'en félicitent, la mairie étudie un appel.\r\n"
              "La de\u0301cision pre\u0301cise que la concertation\u00a0préalable était insuffisante.\r\n\r\n")
MESSY_PARAGRAPHS = [
    "Le tribunal administratif a annulé mercredi l'arrêté municipal sur les terrasses.",
    "Les restaurateurs du centre-ville s'en félicitent, la mairie étudie un appel.",
    "La décision précise que la concertation préalable était insuffisante.",
]
PAGE = """<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">
<title>Le port de commerce s'agrandit - Le Courrier du Littoral</title>
<meta property="og:title" content="Le port de commerce s'agrandit">
<meta name="author" content="Anne Le Gall"><meta name="date" content="2024-03-12">
</head><body><nav><a href="/">Accueil</a> <a href="/region">Région</a></nav>
<article><h1>Le port de commerce s'agrandit</h1>
<p>Les travaux d'extension du quai principal commenceront en septembre, a annoncé la
chambre de commerce, pour un coût estimé à quarante millions d'euros.</p>
<p>Le nouveau quai permettra d'accueillir des navires de 300 me\u0300tres, contre 180
aujourd'hui, et de doubler le trafic de conteneurs d'ici à dix ans.</p>
<p>Les associations de riverains demandent une étude sur le bruit et la circulation des
camions dans le quartier du port.</p></article>
<footer>© 2024 Le Courrier du Littoral</footer></body></html>
"""


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """Seeds, the HTML pages shipped in fixtures/, a messy text, a page, and copies that make
    duplicates for the corpus-level detectors (so that ordering across workers matters)."""
    root = tmp_path_factory.mktemp("corpus") / "in"
    shutil.copytree(FIXTURES / "seeds", root / "seeds")
    for page in sorted(FIXTURES.rglob("*.html")):
        target = root / "html" / page.relative_to(FIXTURES)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(page, target)
    (root / "messy.txt").write_bytes(MESSY_TEXT.encode("utf-8"))
    (root / "html" / "port.html").write_text(PAGE, encoding="utf-8")
    copies = root / "seeds-copies"  # read after the originals, so these are the duplicates
    copies.mkdir()
    for seed in sorted((root / "seeds").iterdir())[:3]:
        shutil.copyfile(seed, copies / seed.name)
    return root


def clean(corpus, out, *args) -> list[dict]:
    """Every document's record: the written ones, then those carried by rejection reports
    (duplicates are dropped by default, and which copy is kept is the detector's call)."""
    result = cli("run", corpus, "-o", out, "--no-progress", *args)
    assert result.returncode == 0, result.stderr
    rejected = out.with_name(out.name.removesuffix(".jsonl") + ".rejected.jsonl")
    reports = read_jsonl(rejected) if rejected.exists() else []
    return read_jsonl(out) + [report["record"] for report in reports if "record" in report]


@pytest.fixture(scope="module")
def records(corpus, tmp_path_factory):
    return clean(corpus, tmp_path_factory.mktemp("out") / "records.jsonl")


def test_records_validate_against_the_shipped_schema(records, corpus):
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    validator = jsonschema.Draft202012Validator(SCHEMA)
    for record in records:
        errors = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(record)]
        assert errors == [], (record["source"], errors)
    inputs = {str(p) for p in corpus.rglob("*") if p.is_file()}
    assert {r["source"] for r in records} == inputs
    assert len(records) == len(inputs)


def test_schema_rejects_what_it_should(records):
    # The schema is a contract only if it refuses broken records.
    validator = jsonschema.Draft202012Validator(SCHEMA)
    record = records[0]
    for broken in ({**record, "id": "not-an-id"}, {**record, "date": "12/03/2024"},
                   {**record, "extra": 1}, {k: v for k, v in record.items() if k != "text"},
                   {**record, "removed": [{"plugin": "x", "text": "y"}]}):
        assert not validator.is_valid(broken)


def test_ids_are_unique_and_stable_across_runs(corpus, records, tmp_path):
    ids = [r["id"] for r in records]
    assert len(set(ids)) == len(ids)
    assert [r["id"] for r in clean(corpus, tmp_path / "again.jsonl")] == ids
    # A document cleaned on its own keeps the id it had in the whole corpus.
    seed = sorted((corpus / "seeds").iterdir())[-1]  # one without a copy
    (alone,) = clean(seed, tmp_path / "alone.jsonl")
    assert alone["id"] == next(r["id"] for r in records if r["source"] == str(seed))


def test_id_does_not_depend_on_the_outcome(tmp_path):
    # Rejected on size first, accepted once the limit is raised: still the same document.
    page = tmp_path / "page.txt"
    page.write_text(MESSY_TEXT * 20, encoding="utf-8")
    result = cli("run", page, "-o", tmp_path / "small.jsonl", "--set", "size_limit.max_bytes=1000")
    assert result.returncode == 0, result.stderr
    (rejected,) = read_jsonl(tmp_path / "small.rejected.jsonl")
    assert rejected["reasons"][0].startswith("input too large")
    (record,) = clean(page, tmp_path / "large.jsonl")
    assert rejected["id"] == record["id"]


def test_output_is_byte_identical_for_one_or_two_workers(corpus, tmp_path):
    runs = {}
    for workers in (1, 2):
        out = tmp_path / f"j{workers}" / "records.jsonl"
        stats = tmp_path / f"j{workers}" / "stats.json"
        result = cli("run", corpus, "-o", out, "-j", workers, "--stats", stats)
        assert result.returncode == 0, result.stderr
        counts = json.loads(stats.read_text())
        for key in ("seconds", "documents_per_second", "output", "rejected_file", "failures_file"):
            counts.pop(key)
        rejected = out.with_name("records.rejected.jsonl")
        runs[workers] = (out.read_bytes(), rejected.read_bytes() if rejected.exists() else b"",
                         counts)
    assert runs[1][0] and runs[1][2]["documents"] > 8  # several chunks of work per worker
    assert runs[1] == runs[2]


def test_records_to_standard_output_match_the_file(tmp_path):
    seeds = FIXTURES / "seeds"
    result = cli("run", seeds, "-o", "-", "-q", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    clean(seeds, tmp_path / "file.jsonl")
    assert result.stdout == (tmp_path / "file.jsonl").read_text(encoding="utf-8")
    # Rejections still have a home: rejected.jsonl in the working directory.
    assert (tmp_path / "rejected.jsonl").exists()
    assert not list(tmp_path.glob("-*"))


def test_text_is_nfc_with_paragraphs_separated_by_one_blank_line(records, corpus):
    for record in records:
        for name in TEXT_FIELDS:
            value = record[name]
            if value is not None:
                assert unicodedata.is_normalized("NFC", value), (record["source"], name)
        text = record["text"]
        assert text == text.strip() and "\n\n\n" not in text and "\r" not in text
        for paragraph in text.split("\n\n"):
            assert paragraph and paragraph == paragraph.strip(), (record["source"], paragraph)
    by_source = {r["source"]: r for r in records}
    assert by_source[str(corpus / "messy.txt")]["text"].split("\n\n") == MESSY_PARAGRAPHS
    page = by_source[str(corpus / "html" / "port.html")]
    assert "navires de 300 mètres" in page["text"]
    assert len(page["text"].split("\n\n")) == 3


def test_version_and_help_tell_the_user_what_to_expect():
    result = cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"clean-corpus {version('clean-corpus')}"
    result = cli("run", "--help")
    assert result.returncode == 0
    help_text = result.stdout
    assert "exit status" in help_text
    for code in ("0", "1", "2", "3", "130"):
        assert any(line.strip().startswith(code + " ") for line in help_text.splitlines()), code
    assert "CLEAN_CORPUS_DISABLE_PLUGIN_AUTOLOAD" in help_text
    result = cli()
    assert result.returncode == 2 and "run" in result.stderr


def test_a_document_crosses_to_the_main_process_whole(chain):
    # Workers send documents to the main process and the spill keeps them on disk, both
    # by pickle; blocks and removals pickle by their fields, and what a plugin set on a
    # block outside them travels too.
    import pickle

    from clean_corpus import Document

    outcome = chain.prepare(Document(source="page.txt", text="\n".join([
        "Accueil > Monde", "Publicité",
        "Le conseil municipal a voté le budget de la ville après trois heures de débat.",
        "Publicité"])))
    doc = outcome.document
    doc.blocks[0].note = {"seen_by": "my_plugin"}
    back = pickle.loads(pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)).document
    assert back.removed == doc.removed and back.removed
    assert back.blocks == doc.blocks
    assert [b.origin for b in back.blocks] == [b.origin for b in doc.blocks]
    assert back.blocks[0].note == {"seen_by": "my_plugin"}
    assert back.to_record() == doc.to_record()
