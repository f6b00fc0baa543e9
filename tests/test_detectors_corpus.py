"""Corpus-level detectors through the command line on real files: text reuse between the
wire-copy seeds, exact and near duplicates with the kept copy chosen by content, and the
same decisions whatever the number of workers and the order the inputs are listed in."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from clean_corpus.testing import builtin_cli, read_jsonl_if_any
from conftest import FIXTURES

SEEDS = FIXTURES / "seeds"
PAGES = FIXTURES / "pages"






def outcome(out: Path) -> dict[str, dict]:
    """Every document by source: its record and, when it was rejected, the reasons."""
    result = {r["source"]: {"record": r, "reasons": None} for r in read_jsonl_if_any(out)}
    for entry in read_jsonl_if_any(out.with_name(out.stem + ".rejected.jsonl")):
        result[entry["source"]] = {"record": entry.get("record"), "reasons": entry["reasons"]}
    return result


def by_name(result: dict) -> dict[str, dict]:
    return {Path(source).name: value for source, value in result.items()}


# --------------------------------------------------------------------- text reuse
@pytest.fixture(scope="module")
def seeds_run(tmp_path_factory) -> dict[str, dict]:
    out = tmp_path_factory.mktemp("seeds") / "seeds.jsonl"
    builtin_cli("run", SEEDS, "-o", out, "-q")
    return by_name(outcome(out))


def test_wire_rewrites_are_reported_as_text_reuse(seeds_run):
    ids = {name[:3]: value["record"]["id"] for name, value in seeds_run.items()}
    reuse = {name[:3]: value["record"]["detections"]["text_reuse"]
             for name, value in seeds_run.items()}
    # 000 and 002 rewrite the agency dispatch that 001 carries almost whole.
    for seed in ("000", "002"):
        shared = {e["id"]: e for e in reuse[seed]["shares_with"]}
        assert ids["001"] in shared
        assert 0.1 <= shared[ids["001"]]["containment"] <= 0.5
    assert {e["id"] for e in reuse["001"]["shares_with"]} == {ids["000"], ids["002"]}
    # 003 and 004 cover the same war, written independently: no reuse.
    assert reuse["003"]["shares_with"] == [] and reuse["004"]["shares_with"] == []


def test_seeds_are_not_near_duplicates_of_each_other(seeds_run):
    assert len(seeds_run) == 5
    for value in seeds_run.values():
        assert value["reasons"] is None
        assert value["record"]["detections"]["duplicates"]["cluster"] is None


def test_reuse_drop_policy_drops_the_record_contained_in_a_longer_one(tmp_path):
    out = tmp_path / "out.jsonl"
    builtin_cli("run", SEEDS, "-o", out, "-q", "--set", "text_reuse.policy=drop",
            "--set", "text_reuse.drop_threshold=0.2")
    result = by_name(outcome(out))
    dropped = {name[:3]: value["reasons"] for name, value in result.items() if value["reasons"]}
    # 000 has about 28 % of its text in 001, the longer record; 002 has under 20 %.
    assert dropped == {"000": ["text reuse: at least 20% of the text is in a longer record"]}


# --------------------------------------------------------------------- duplicates
def make_near_copy(seed: Path) -> str:
    """The seed with a few words changed and one sentence more: a near duplicate."""
    text = seed.read_text(encoding="utf-8")
    text = text.replace("vendredi 7 novembre", "jeudi 6 novembre")
    text = text.replace("120 formateurs", "130 formateurs")
    return text.replace("Environ 1 400 soldats", "Selon le Pentagone, environ 1 400 soldats")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, Path]:
    """Two input folders: the originals, and copies that make duplicates across them."""
    root = tmp_path_factory.mktemp("corpus")
    first, second = root / "first", root / "second"
    shutil.copytree(SEEDS, first / "seeds")
    shutil.copytree(PAGES, first / "pages")
    second.mkdir()
    seeds = sorted(SEEDS.iterdir())
    shutil.copyfile(seeds[1], second / "copy-of-001.txt")
    shutil.copyfile(seeds[3], second / "copy-of-003.txt")
    (second / "near-004.txt").write_text(make_near_copy(seeds[4]), encoding="utf-8")
    return first, second


def test_exact_and_near_copies_are_clustered_and_all_but_one_dropped(corpus, tmp_path):
    first, second = corpus
    out = tmp_path / "out.jsonl"
    builtin_cli("run", first, second, "-o", out, "-q")
    result = outcome(out)
    seeds = {p.name[:3]: str(first / "seeds" / p.name) for p in SEEDS.iterdir()}

    def dup(source):
        return result[source]["record"]["detections"]["duplicates"]

    for original, copy in (("001", "copy-of-001.txt"), ("003", "copy-of-003.txt")):
        a, b = dup(seeds[original]), dup(str(second / copy))
        assert a["cluster"] == b["cluster"] and a["kind"] == b["kind"] == "exact"
        assert a["size"] == 2 and a["similarity"] == 1.0
        # Same text: the kept copy is the one with the smaller id, whatever came first.
        kept = min(result[s]["record"]["id"] for s in (seeds[original], str(second / copy)))
        assert a["kept"] == b["kept"] == kept
        assert [dup(s)["is_kept"] for s in (seeds[original], str(second / copy))] == \
            [result[s]["record"]["id"] == kept for s in (seeds[original], str(second / copy))]
        loser = next(s for s in (seeds[original], str(second / copy)) if not dup(s)["is_kept"])
        assert result[loser]["reasons"] == ["exact duplicate of a kept record"]

    original, near = dup(seeds["004"]), dup(str(second / "near-004.txt"))
    assert original["cluster"] == near["cluster"] and original["kind"] == "near"
    assert 0.8 <= original["similarity"] < 1.0
    # The near copy has one sentence more: the longer text is the one kept.
    assert near["is_kept"] and near["kept"] == result[str(second / "near-004.txt")]["record"]["id"]
    assert result[seeds["004"]]["reasons"] == ["near duplicate of a kept record"]
    assert result[str(second / "near-004.txt")]["reasons"] is None


def test_annotate_policy_keeps_every_copy(corpus, tmp_path):
    out = tmp_path / "out.jsonl"
    builtin_cli("run", *corpus, "-o", out, "-q", "--set", "duplicates.policy=annotate")
    result = outcome(out)
    copies = [s for s, v in result.items() if v["record"] and
              v["record"]["detections"].get("duplicates", {}).get("cluster")]
    assert len(copies) == 6
    assert all(result[s]["reasons"] is None for s in copies)


def test_same_decisions_for_any_workers_and_input_order(corpus, tmp_path):
    first, second = corpus
    runs = []
    for name, args in (("a", (first, second, "-j", "1")), ("b", (second, first, "-j", "2"))):
        out = tmp_path / f"{name}.jsonl"
        builtin_cli("run", *args, "-o", out, "-q")
        runs.append(outcome(out))
    a, b = runs
    assert a.keys() == b.keys() and len(a) == 5 + len(list(PAGES.iterdir())) + 3
    for source in a:
        # Records (detections included) and rejection reasons are identical.
        assert a[source] == b[source], source
    assert any(v["reasons"] == ["exact duplicate of a kept record"] for v in a.values())


def test_streaming_keeps_the_copy_already_passed_on():
    """A crawl revises each page as it arrives (corpus_ready after every page): the copy
    already passed on stays the kept one, and a later, longer copy is the duplicate."""
    from clean_corpus.config import Config
    from clean_corpus.document import Document
    from clean_corpus.pipeline import REJECTED, WRITTEN, Chain, RunContext, RunTally

    # The generated articles are random words, no text the boilerplate classifier is made
    # for: it is left out, so that the copies differ exactly as they were made to.
    chain = Chain(Config(load_entry_points=False, disable=["text_classifier"]))
    run = RunContext(chain.config)
    chain.hook.run_start(run=run)
    seed = sorted(SEEDS.iterdir())[4]
    outcomes = []
    for name, text in (("first.txt", seed.read_text(encoding="utf-8")),
                       ("longer.txt", make_near_copy(seed))):
        outcome = chain.observe(chain.prepare(Document(source=name, text=text, site="s")))
        chain.hook.corpus_ready(run=run)
        outcomes.append(chain.finish(outcome, RunTally()))
    first, longer = outcomes
    assert first.status == WRITTEN
    assert longer.status == REJECTED and longer.reasons == ["near duplicate of a kept record"]
    assert longer.document.detections["duplicates"]["kept"] == first.document.id


# ------------------------------------------------------------ streaming and other detectors
def generated_corpus(count: int = 240, seed: int = 11):
    """``count`` articles of random words, then exact copies of 30 of them and near copies
    (the last word changed, two added: longer than the original) of 30 others, each copy placed
    at a random point after its original. Returns [(name, text, original name or None)]."""
    import random

    rng = random.Random(seed)
    vocabulary = sorted({"".join(rng.choice("abcdefghijklmnoprstuvy") for _ in range(
        rng.randint(3, 9))) for _ in range(3000)})

    def article() -> list[list[str]]:
        return [[rng.choice(vocabulary) for _ in range(rng.randint(25, 35))] for _ in range(4)]

    originals = [(f"doc{i:03d}.txt", article()) for i in range(count)]
    order = [(name, "\n".join(" ".join(line) for line in lines), None)
             for name, lines in originals]
    chosen = rng.sample(range(count), 60)
    for k, number in enumerate(chosen):
        name, lines = originals[number]
        if k < 30:
            copy, text = f"exact-{name}", "\n".join(" ".join(line) for line in lines)
        else:
            # The last word changed and two added: similarity about 0.97, where the LSH
            # bands find a pair for certain (at 0.85 they miss about one in four).
            lines = [list(line) for line in lines]
            lines[-1][-1] = "changed"
            lines[-1] += ["two", "more"]
            copy, text = f"near-{name}", "\n".join(" ".join(line) for line in lines)
        position = next(i for i, item in enumerate(order) if item[0] == name)
        order.insert(rng.randint(position + 1, len(order)), (copy, text, name))
    return order


def stream(chain, run, documents):
    """Drive the chain as the Scrapy pipeline does: corpus_ready after every document."""
    from clean_corpus.pipeline import RunTally

    outcomes = {}
    for document in documents:
        outcome = chain.observe(chain.prepare(document))
        chain.hook.corpus_ready(run=run)
        outcomes[document.source] = chain.finish(outcome, RunTally())
    return outcomes


def streaming_chain():
    from clean_corpus.config import Config
    from clean_corpus.pipeline import Chain, RunContext

    # The generated articles are random words, no text the boilerplate classifier is made
    # for: it is left out, so that the copies differ exactly as they were made to.
    chain = Chain(Config(load_entry_points=False, disable=["text_classifier"]))
    run = RunContext(chain.config)
    chain.hook.run_start(run=run)
    return chain, run


def test_streaming_drops_each_later_copy_and_names_the_kept_record():
    from clean_corpus.document import Document
    from clean_corpus.pipeline import REJECTED, WRITTEN

    corpus = generated_corpus()
    assert len(corpus) == 300
    chain, run = streaming_chain()
    outcomes = stream(chain, run, [Document(source=name, text=text, site="example.org")
                                   for name, text, _ in corpus])
    for name, _, original in corpus:
        found = outcomes[name].document.detections["duplicates"]
        if original is None:
            assert outcomes[name].status == WRITTEN, (name, outcomes[name].reasons)
            continue
        kept = outcomes[original].document.id
        kind = "exact" if name.startswith("exact-") else "near"
        # The near copy is longer, yet the original was passed on first: it stays kept.
        assert outcomes[name].status == REJECTED
        assert outcomes[name].reasons == [f"{kind} duplicate of a kept record"], name
        assert found["kept"] == found["cluster"] == kept and not found["is_kept"]
        assert found["kind"] == kind and found["size"] == 2
        assert (found["similarity"] == 1.0) == (kind == "exact")
        assert kind == "exact" or 0.8 <= found["similarity"] < 1.0
    # Originals without copies are in no cluster (no false positive among 240 articles).
    copied = {original for _, _, original in corpus if original}
    alone = [name for name, _, original in corpus if original is None and name not in copied]
    assert len(alone) == 180
    assert all(outcomes[n].document.detections["duplicates"]["cluster"] is None for n in alone)


ARTICLE = ("Le conseil municipal de Morbier a voté jeudi soir le budget de la nouvelle "
           "médiathèque, qui ouvrira ses portes au printemps prochain dans l'ancienne fromagerie "
           "du village. Les travaux, estimés à un million d'euros, seront financés pour moitié "
           "par la région. La maire a salué un projet attendu depuis dix ans par les habitants "
           "et les écoles du plateau.")
#: A longer copy (so content alone would keep it) that is an error page: a scraper saved the
#: teaser of the article above the site's "page not found" message.
ERROR_COPY = (ARTICLE + " Le chantier commencera en septembre.\nPage non trouvée\n"
              "La page que vous cherchez n'existe pas ou a été déplacée.\n")


def test_the_kept_copy_is_one_no_other_detector_drops(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "article.txt").write_text(ARTICLE + "\n", encoding="utf-8")
    (folder / "error.txt").write_text(ERROR_COPY, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    builtin_cli("run", folder, "-o", out, "-q")
    result = by_name(outcome(out))
    article, error = result["article.txt"], result["error.txt"]
    assert error["record"]["detections"]["duplicates"]["kind"] == "near"
    # The cluster is not lost with the error page: the article is the copy kept.
    assert article["reasons"] is None
    assert article["record"]["detections"]["duplicates"]["is_kept"]
    assert error["reasons"] == ["error page (page not found)", "near duplicate of a kept record"]


def test_streaming_a_copy_after_a_dropped_first_copy_is_kept():
    from clean_corpus.document import Document
    from clean_corpus.pipeline import REJECTED, WRITTEN

    chain, run = streaming_chain()
    outcomes = stream(chain, run, [Document(source="error.txt", text=ERROR_COPY, site="s"),
                                   Document(source="article.txt", text=ARTICLE, site="s")])
    assert outcomes["error.txt"].status == REJECTED
    assert outcomes["error.txt"].reasons == ["error page (page not found)"]
    assert outcomes["article.txt"].status == WRITTEN
    assert outcomes["article.txt"].document.detections["duplicates"]["is_kept"]


def test_lsh_makes_candidates_of_similar_signatures_only():
    # LSH proposes, the similarity check decides: a pair is proposed when one of its bands
    # is equal whole, which the default 14 bands of 9 rows make near-certain for signatures
    # agreeing on 95 % of their values and near-impossible at 30 %.
    import numpy as np

    from clean_corpus_plugins.detectors.duplicates import _band_key
    from clean_corpus_plugins.detectors.lsh import BandIndex

    rng = np.random.default_rng(0)
    proposed = {}
    for similarity in (0.3, 0.95):
        hits = 0
        for _ in range(200):
            index = BandIndex(0.8, 128, (0.1, 0.9), _band_key)
            signature = rng.integers(0, 2**32, 128, dtype=np.uint32)
            other = signature.copy()
            changed = rng.random(128) >= similarity
            other[changed] = rng.integers(0, 2**32, int(changed.sum()), dtype=np.uint32)
            index.insert(7, signature)
            hits += index.query(other) == {7}
        proposed[similarity] = hits / 200
    assert (index.bands, index.rows) == (14, 9)  # the figures docs/detectors.md gives
    assert proposed[0.95] >= 0.98 and proposed[0.3] <= 0.02
    with pytest.raises(ValueError, match="add up to 1.0"):
        BandIndex(0.8, 128, (0.5, 0.6), _band_key)
