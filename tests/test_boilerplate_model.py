"""The boilerplate classifier's parts: alignment labels, features, training and the model file.

Training runs end to end on ``tests/data/boilerplate``: eight wcxb-dev pages (one site
each, all seven page types; Web Content eXtraction Benchmark, Murrough Foley, 2026,
CC-BY-4.0) already turned into text in the three scraped forms.
"""
from __future__ import annotations

import math
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import REPO, records_with_modules_hidden, train_twice

from clean_corpus_plugins.boilerplate import features, labels
from clean_corpus_plugins.boilerplate.model import (BlockClassifier, TreeEnsemble,
                                                     context_features)
from clean_corpus_plugins.boilerplate.segment import segments
from clean_corpus_plugins.boilerplate.vocabulary import VOCAB_FEATURES, Counts, page_keys

FIXTURES = Path(__file__).parent / "data" / "boilerplate"


# ------------------------------------------------------------------------- labels
def test_blocks_aligned_with_the_main_content_are_content():
    reference = ("Introduction\n\nThe committee met on Tuesday to discuss the new budget for "
                 "the library and agreed to extend opening hours.")
    blocks = ["Home", "News", "Sport", "Introduction",
              "The committee met on Tuesday to discuss the new budget for the library",
              "and agreed to extend opening hours.", "Share this article", "Home"]
    assert labels.content_labels(blocks, reference) == [0, 0, 0, 1, 1, 1, 0, 0]


def test_a_word_of_the_content_in_a_menu_is_not_content():
    reference = "The library will open on Sunday. Opening hours are listed below."
    # "library" and "hours" occur in the reference, but not in the menu's word sequence
    assert labels.content_labels(["Library", "Opening", "Contact"], reference) == [0, 0, 0]


def test_blocks_without_words_are_boilerplate():
    assert labels.coverage(["|", "—", "Some words here"], "Some words here") == [0.0, 0.0, 1.0]


# ------------------------------------------------------------------------- features
def test_every_block_gets_a_row_of_named_features():
    texts = ["Home", "News", "The committee met on Tuesday to discuss the new budget for "
             "the library, and agreed to extend its opening hours.", "© 2025 Example"]
    X = features.text_features(texts)
    assert X.shape == (4, len(features.TEXT_FEATURES))
    assert np.isfinite(X).all()
    column = dict(zip(features.TEXT_FEATURES, X.T))
    assert column["ends_sentence"].tolist() == [0, 0, 1, 0]
    assert column["stop_share"][2] > 0.3 > column["stop_share"][0]
    assert column["in_prose_run"].tolist() == [0, 0, 1, 0]


def test_stop_words_are_counted_in_the_page_language():
    german = ["Der Ausschuss hat am Dienstag über den neuen Haushalt der Bibliothek beraten "
              "und die Öffnungszeiten verlängert, weil die Nachfrage gestiegen ist."]
    column = dict(zip(features.TEXT_FEATURES, features.text_features(german).T))
    assert column["stop_share"][0] > 0.3
    assert {"en", "de", "fr", "es", "it", "nl", "pt", "pl"} <= set(features.stopwords())


def test_the_words_of_a_block_are_its_lower_cased_word_characters_in_any_script():
    texts = ["Don’t STOP—the “Straße” İstanbul ΣΊΣΥΦΟΣ", "naïve café: 50% off!", "",
             "K\u212a e\u0301t\u00e9 🙂 x_y\u00a0z\u2028w", "中文。日本語、한국어 «Ελλάδα»",
             "a " + "".join(map(chr, range(0x2190, 0x21c0))) + " b"]
    words = features.stop_word_counts(tuple(texts))[0]
    assert words == [re.findall(r"\w+", text.lower()) for text in texts]
    assert words[0][:3] == ["don", "t", "stop"]


def test_the_fallback_reads_a_blocks_shape_against_its_pages_prose():
    english = ["Home", "About Us", "The committee met on Tuesday to discuss the new budget for "
               "the library, and it agreed to extend the opening hours in the winter.",
               "Many readers had asked for it, and the staff were glad of the change."]
    german = ["Startseite", "Über Uns", "Der Ausschuss hat am Dienstag über den neuen Haushalt "
              "der Bibliothek beraten und die Öffnungszeiten im Winter verlängert.",
              "Viele Leser hatten darum gebeten, und die Mitarbeiter freuten sich darüber."]
    absolute, relative = {}, {}
    for name, page in (("en", english), ("de", german)):
        X = features.text_features(page)
        absolute[name] = dict(zip(features.TEXT_FEATURES, X.T))["capitalised_words"]
        relative[name] = dict(zip(features.RELATIVE_FEATURES, features.relative_features(X).T))
    # German capitalises its nouns: its prose has more capitalised words than English...
    assert absolute["de"][2:].mean() > absolute["en"][2:].mean() + 0.1
    for name in ("en", "de"):
        column = relative[name]["capitalised_words-prose"]
        # ...but against the page's own prose, prose reads alike in both, a menu above it
        assert abs(column[2:]).max() < 0.1 and column[1] > 0.5
        assert "capitalised_words" not in relative[name]


def test_a_repeated_line_and_a_lexicon_phrase_are_marked():
    texts = ["Skip to content", "Menu", "Some text of the page.", "Menu"]
    column = dict(zip(features.TEXT_FEATURES, features.text_features(texts).T))
    assert column["lexicon_line"][0] == 1 and column["lexicon_line"][2] == 0
    assert column["seen_before"].tolist() == [0, 0, 0, 1]
    assert column["repeats"][1] > column["repeats"][2]


def test_the_count_columns_are_the_c_librarys_logarithms_on_any_cpu():
    # The trees split exactly at the values their training machine computed (a block of
    # two words: log_words <= log1p(2) in many trees), and numpy's log1p is one bit off
    # them for 2, 13, 47, ... on CPUs with AVX-512: there such blocks went the other way.
    sizes = list(range(60)) + [73, 184, 195, 219, 298, 4100]  # (past the table: 4100)
    texts = [" ".join(["word"] * k) or "|" for k in sizes] + ["Share"] * 13
    column = dict(zip(features.TEXT_FEATURES, features.text_features(texts).T))
    n, words = len(texts), sizes + [1] * 13
    assert column["log_words"].tolist() == [math.log1p(k) for k in words]
    assert column["log_chars"].tolist() == [math.log1p(len(t.replace(" ", ""))) for t in texts]
    assert column["log_index"].tolist() == [math.log1p(i) for i in range(n)]
    assert column["log_from_end"].tolist() == [math.log1p(n - 1 - i) for i in range(n)]
    assert column["repeats"].tolist() == [0.0] * len(sizes) + [math.log(13)] * 13
    assert column["page_log_words"][0] == math.log1p(sum(words))
    assert column["page_mean_log_words"][0] == np.mean([math.log1p(k) for k in words])


def test_the_fallbacks_prose_means_are_exact_sums_on_any_cpu():
    # the words of each block back from log_words and the page's prose means as exact
    # sums: numpy's expm1 and the BLAS's products differ in the last bit between CPUs
    from clean_corpus_plugins.boilerplate.text_extract import text_blocks

    for name in ("0024", "0134", "0442", "4509"):  # (4509: no prose, every block counts)
        text = (FIXTURES / "text" / "nodes" / f"{name}.txt").read_text(encoding="utf-8")
        X = features.text_features(text_blocks(text))
        column = {k: v.tolist() for k, v in zip(features.TEXT_FEATURES, X.T)}
        relative = dict(zip(features.RELATIVE_FEATURES, features.relative_features(X).T))
        words = list(map(math.expm1, column["log_words"]))
        weights = [w if prose else 0.0 for w, prose in zip(words, column["is_prose"])]
        weights = weights if any(weights) else words
        total = float(np.sum(weights))
        for shape in ("stop_share", "mean_word_len", "capitalised_words", "comma_per_word"):
            mean = math.fsum(w * v for w, v in zip(weights, column[shape])) / total
            assert relative[f"{shape}-prose"].tolist() == [v - mean for v in column[shape]]


def test_the_vocabulary_learns_words_and_lines_seen_on_enough_sites():
    counts = Counts()
    for site in [f"site{n}.example" for n in range(20)]:
        page = ["Share", "Reply", f"The {site} committee met on Tuesday to discuss its budget.",
                "All rights reserved 2024"]
        counts.add(site, page_keys(page), np.array([0, 0, 1, 0]))
    counts.add("d.example", page_keys(["Share", "A word only this site uses"]), np.array([0, 1]))
    table = Counts.table([counts], min_sites=3)
    assert table.lines["share"] < 0 and table.lines["all rights reserved 0000"] < 0
    assert table.words["committee"] > 0 > table.words["reply"]
    assert "only" not in table.words  # seen on one site: left out, whatever its labels
    column = dict(zip(VOCAB_FEATURES, table.columns(
        ["Reply", "The committee will reply again in May.", "Unheard-of words", "Share"]).T))
    assert column["line_known"].tolist() == [1, 0, 0, 1]
    assert column["line_odds"][0] < 0 and column["line_odds"][1] == 0
    assert column["vocab_mean"][1] > 0 > column["vocab_mean"][0]
    assert column["vocab_share"][2] == 0 and 0 < column["vocab_share"][1] < 1
    assert column["vocab_min"][1] < 0 < column["vocab_max"][1]
    assert column["vocab_mean@+1"][0] == column["vocab_mean"][1]
    assert column["vocab_mean@-1"][0] == 0
    assert table.coverage(table.odds(page_keys(["Share", "Reply", "Share"])[0])) == 1.0
    german = table.odds(page_keys(["Teilen", "Antworten", "Share"])[0])
    assert table.coverage(german) == pytest.approx(1 / 3)


# ------------------------------------------------------------------------- segmentation
def test_a_page_on_one_line_is_cut_into_sentences_and_menu_runs():
    line = ("Home News Sport Weather Contact Heavy rain floods the valley. The river rose by "
            "two metres overnight and the council opened three shelters for residents. "
            "Roads stay closed until Friday. " * 3 + "Privacy Policy | Terms of Use | Cookies")
    pieces = [line[s:e] for s, e in segments(line, min_chars=100)]
    assert pieces[0] == "Home News Sport Weather Contact"
    assert "Heavy rain floods the valley." in pieces
    assert pieces[-3:] == ["Privacy Policy", "Terms of Use", "Cookies"]
    assert "".join(pieces).replace(" ", "") == line.replace(" ", "").replace("|", "")


def test_a_page_on_one_line_is_cut_before_the_boilerplate_labels_inside_it():
    article = ("Die Regierung hat am Dienstag den Ausstieg aus der Kohle beschlossen, und wer "
               "mehr zum Thema wissen will, findet den Bericht im Netz. Die Kraftwerke gehen "
               "bis 2030 vom Netz, sagte der Minister in Berlin vor der Presse ") * 4
    line = (article + "Mehr zum Thema Gründe für den Ausstieg Share this: Facebook Twitter "
            "Lesen Sie auch Der Streit um die Windkraft")
    pieces = [line[s:e] for s, e in segments(line, min_chars=100, labels=True)]
    assert pieces[-3:] == ["Mehr zum Thema Gründe für den Ausstieg",
                           "Share this: Facebook Twitter",
                           "Lesen Sie auch Der Streit um die Windkraft"]
    # a label's words inside a sentence ("wer mehr zum Thema wissen will") cut nothing
    assert not any(p.startswith("mehr zum Thema") for p in pieces)
    # training pages are cut as the shipped model learned them: without the labels
    assert [line[s:e] for s, e in segments(line, min_chars=100)][-1].endswith(
        "vor der Presse Mehr zum Thema Gründe für den Ausstieg Share this: Facebook Twitter "
        "Lesen Sie auch Der Streit um die Windkraft")


def _one_line(page: Path) -> tuple[str, set[int]]:
    """A page's blocks joined into one line, as a scraper joining its text leaves it, and
    the offsets where its blocks met."""
    lines = [line for line in page.read_text(encoding="utf-8").split("\n") if line]
    return " ".join(lines), set(np.cumsum([len(line) + 1 for line in lines[:-1]]).tolist())


def test_the_boundary_model_finds_where_a_pages_blocks_met_on_one_line():
    from clean_corpus_plugins.boilerplate.boundaries import BOUNDARY_MODEL, load_boundaries

    model = load_boundaries(str(BOUNDARY_MODEL))
    found = {"rules": [0, 0], "learned": [0, 0]}  # right cuts, all cuts
    met = 0
    for page in sorted((FIXTURES / "text" / "blocks").glob("*.txt")):
        line, truth = _one_line(page)
        met += len(truth)
        for name, boundaries in (("rules", None), ("learned", model)):
            cuts = {start for start, _ in segments(line, min_chars=100, labels=True,
                                                   boundaries=boundaries)} - {0}
            found[name][0] += len(cuts & truth)
            found[name][1] += len(cuts)
    recall = {name: right / met for name, (right, _) in found.items()}
    # most meeting points show no sentence end or separator: the rules find few of them
    assert recall["rules"] < 0.3 and recall["learned"] > recall["rules"] + 0.2
    assert found["learned"][0] / found["learned"][1] > 0.5  # and most cuts are right


def test_the_boundary_model_cuts_a_page_on_one_line_not_a_long_paragraph_among_lines():
    from clean_corpus_plugins.boilerplate.boundaries import BOUNDARY_MODEL, load_boundaries
    from clean_corpus_plugins.boilerplate.text_extract import block_pieces

    model = load_boundaries(str(BOUNDARY_MODEL))
    line, _ = _one_line(FIXTURES / "text" / "blocks" / "4509.txt")
    assert len(line) >= 1000
    for text, cut in ((line, True), ("\n".join([line] + ["A line of the page."] * 200), False)):
        rules = block_pieces(text, min_chars=1000, labels=True)[1]
        learned = block_pieces(text, min_chars=1000, labels=True, boundaries=model)[1]
        assert (len(learned) > len(rules)) is cut


def test_boundary_model_training_gives_the_same_file_from_the_same_data(tmp_path_factory):
    from clean_corpus_plugins.boilerplate.boundaries import BoundaryModel

    first, second = train_twice(tmp_path_factory,
                                "clean_corpus_plugins.boilerplate.train_boundaries",
                                "--data", str(FIXTURES), "--seed", "3")
    assert first.read_bytes() == second.read_bytes()
    model = BoundaryModel.load(first)
    line, truth = _one_line(FIXTURES / "text" / "blocks" / "4509.txt")
    cuts = set(model.cuts(line))
    assert len(cuts & truth) > len(truth) / 2  # it learned where blocks meet


def test_a_boundary_model_made_for_other_features_is_refused(tmp_path):
    import json

    from clean_corpus_plugins.boilerplate.boundaries import BOUNDARY_MODEL, BoundaryModel

    data = json.loads(BOUNDARY_MODEL.read_text(encoding="utf-8"))
    data["features"] = data["features"][:-1]
    with pytest.raises(ValueError, match="other features"):
        BoundaryModel(data)


def test_short_lines_stay_whole():
    assert segments("One short line. Another one.") == [(0, 28)]


# ------------------------------------------------------------------------- model
def test_trees_are_walked_as_written():
    # one stump: x0 <= 1.5 -> -2, else +2
    tree = TreeEnsemble(0.0, np.array([0]), np.array([0, 0, 0]), np.array([1.5, 0, 0]),
                        np.array([1, -1, -1]), np.array([2, -1, -1]), np.array([0, -2.0, 2.0]))
    p = tree.predict(np.array([[1.0], [2.0]]))
    assert p[0] < 0.5 < p[1]
    assert p[0] == pytest.approx(1 / (1 + np.exp(2)))


def shipped_tree_ensembles() -> dict[str, tuple[TreeEnsemble, list[int]]]:
    """Every tree ensemble the package ships, with the groups its callers sum it in."""
    from clean_corpus_plugins.boilerplate.boundaries import BOUNDARY_MODEL, load_boundaries
    from clean_corpus_plugins.boilerplate.html_extract import MODEL_FILE as HTML_MODEL
    from clean_corpus_plugins.boilerplate.html_extract import PAGE_TYPE_FILE
    from clean_corpus_plugins.boilerplate.page_type import PageTypeModel
    from clean_corpus_plugins.boilerplate.text_extract import TEXT_MODEL
    from clean_corpus_plugins.boilerplate.text_page_type import MODEL_FILE as TEXT_PAGE_TYPE_FILE
    from clean_corpus_plugins.boilerplate.text_page_type import TextPageTypeModel

    found = {}
    for name, path in (("text", TEXT_MODEL), ("html", HTML_MODEL)):
        model = BlockClassifier.load(path)
        for which, m in (("", model), (" fallback", model.fallback)):
            for k, stage in enumerate(m.stages if m else ()):
                found[f"{name}{which} stage {k + 1}"] = (stage, [0, len(stage.root)])
    boundaries = load_boundaries(str(BOUNDARY_MODEL)).trees
    found["boundaries"] = (boundaries, [0, len(boundaries.root)])
    for name, kind, path in (("page type", PageTypeModel, PAGE_TYPE_FILE),
                             ("text page type", TextPageTypeModel, TEXT_PAGE_TYPE_FILE)):
        types = kind.load(path)
        found[name] = (types._joined, types._bounds)
    return found


def rows_at_the_thresholds(ensemble: TreeEnsemble, n: int, seed: int) -> np.ndarray:
    """Rows whose values are the trees' own thresholds (where ``<=`` decides), their
    neighbours one bit either side, NaN and infinities."""
    rng = np.random.default_rng(seed)
    width = int(ensemble.feature[ensemble.left >= 0].max()) + 1
    split = ensemble.threshold[ensemble.left >= 0]
    values = np.concatenate((split, np.nextafter(split, np.inf), np.nextafter(split, -np.inf),
                             [np.nan, np.inf, -np.inf, 0.0, -0.0]))
    return rng.choice(values, size=(n, width))


def test_the_compiled_walk_is_built_and_gives_the_numpy_walks_bits(monkeypatch):
    # the walk is compiled at install where a C compiler is found (setup.py); a machine
    # without one runs the numpy walk, which must give the same bits, or the records of
    # the two machines would differ
    from clean_corpus_plugins.boilerplate import model

    assert model._trees is not None, \
        "the compiled tree walk was not built: is a C compiler there at install?"
    compiled = model._trees
    for seed, (name, (ensemble, bounds)) in enumerate(sorted(shipped_tree_ensembles().items())):
        X = rows_at_the_thresholds(ensemble, 203, seed)  # not a whole number of 8-row tiles
        monkeypatch.setattr(model, "_trees", compiled)
        fast = ensemble.sums(X, bounds)
        monkeypatch.setattr(model, "_trees", None)
        slow = ensemble.sums(X, bounds)
        assert fast.shape == (203, len(bounds) - 1), name
        assert fast.tobytes() == slow.tobytes(), name
        # and the sums are the leaves' values, added in tree order
        values = ensemble.leaf_values(X)
        for g, (a, b) in enumerate(zip(bounds, bounds[1:])):
            total = values[:, a].copy()
            for tree in range(a + 1, b):
                total += values[:, tree]
            assert fast[:, g].tobytes() == total.tobytes(), name


@pytest.mark.parametrize("broken, message", [
    ({"left": [1, -1, 7]}, "child is out of range"),            # a child past the arrays
    ({"left": [1, 0, -1], "right": [2, 2, -1]}, "reached twice"),  # a node back to the root
    ({"root": [0, 1]}, "reached twice"),                         # two trees share a node
    ({"feature": [-1, 0, 0]}, "feature out of range"),
    ({"root": [3]}, "root is out of range"),
])
def test_trees_out_of_shape_are_refused_not_walked(broken, message):
    # a model file out of shape would otherwise walk forever or read past the arrays
    stump = {"root": [0], "feature": [0, 0, 0], "threshold": [1.5, 0, 0], "left": [1, -1, -1],
             "right": [2, -1, -1], "value": [0, -2.0, 2.0]}
    stump.update(broken)
    with pytest.raises(ValueError, match=message):
        TreeEnsemble.from_dict({"baseline": 0.0, "trees": stump})


def test_rows_narrower_than_the_features_the_trees_read_are_refused(monkeypatch):
    from clean_corpus_plugins.boilerplate import model

    tree = TreeEnsemble(0.0, np.array([0]), np.array([2, 0, 0]), np.array([1.5, 0, 0]),
                        np.array([1, -1, -1]), np.array([2, -1, -1]), np.array([0, -2.0, 2.0]))
    assert tree.raw(np.zeros((4, 3))).tolist() == [-2.0] * 4
    for walk in (model._trees, None):
        monkeypatch.setattr(model, "_trees", walk)
        with pytest.raises(ValueError, match="read 3 features, the rows have 2"):
            tree.raw(np.zeros((4, 2)))


def test_a_leafs_feature_number_is_never_read_by_either_walk(monkeypatch):
    # a leaf's feature is no column (a model file may number it anything, as -2 or past
    # the rows' width): the compiled walk reads column 0 at a leaf, the numpy walk must
    # too instead of an IndexError (found by bench/compiled_fuzz.py)
    from clean_corpus_plugins.boilerplate import model

    for leaf_feature in (7, 2**31 + 3, -2):
        stump = TreeEnsemble(0.0, np.array([0, 3]), np.array([0, leaf_feature, leaf_feature,
                                                               leaf_feature]),
                             np.array([1.5, 0, 0, 0]), np.array([1, -1, -1, -1]),
                             np.array([2, -1, -1, -1]), np.array([0, -2.0, 2.0, 0.5]))
        X = np.array([[1.0], [2.0], [np.nan]])
        for walk in (model._trees, None):
            monkeypatch.setattr(model, "_trees", walk)
            assert stump.sums(X, [0, 1, 2]).tolist() == [[-2.0, 0.5], [2.0, 0.5], [2.0, 0.5]]


def test_a_machine_without_the_compiled_walk_and_counts_writes_the_same_records(tmp_path):
    # the CLI with the compiled module hidden, as on a machine that could not build it
    # (the tree walk and the stop-word counts of the features, both in it)
    assert features._counts is not None, "the compiled stop-word counts were not built"
    sources = [FIXTURES / "text" / "blocks", FIXTURES / "text" / "flat",
               REPO / "tests" / "data" / "html_types"]
    compiled = records_with_modules_hidden(tmp_path / "compiled", sources)
    numpy = records_with_modules_hidden(tmp_path / "numpy", sources,
                                        ("clean_corpus_plugins.boilerplate._trees",))
    for source in ("blocks", "flat", "html_types"):
        assert compiled[source].count(b"\n") >= 8
        assert compiled[source] == numpy[source], source


def test_probabilities_are_the_logistic_of_the_log_odds_as_the_c_library_gives_it():
    # numpy's exp, like its log1p, is one bit off the C library's for some inputs on CPUs
    # with AVX-512, and the second stage's trees read the first stage's probabilities
    from clean_corpus_plugins.boilerplate.text_extract import TEXT_MODEL, text_blocks

    model = BlockClassifier.load(TEXT_MODEL)
    blocks = text_blocks((FIXTURES / "text" / "nodes" / "4509.txt").read_text(encoding="utf-8"))
    X = np.hstack((features.text_features(blocks), model.vocabulary.columns(blocks)))
    for stage, rows in ((model.stages[0], X),
                        (model.stages[1], context_features(model.stages[0].predict(X), X))):
        raw = stage.raw(rows).tolist()
        assert len(raw) > 100
        assert stage.predict(rows).tolist() == [1.0 / (1.0 + math.exp(-r)) for r in raw]


def test_blocks_are_kept_against_the_threshold_or_the_pages_best_block():
    from clean_corpus_plugins.boilerplate.text_extract import keep_mask

    sure = np.array([0.02, 0.9, 0.6, 0.3, 0.45, 0.05])
    assert keep_mask(sure, 0.5, relative=0.6).tolist() == [False, True, True, False, False, False]
    # a page unlike the training pages: its content rated low, but well above its menus
    unsure = np.array([0.03, 0.04, 0.30, 0.25, 0.12, 0.35, 0.03])
    assert keep_mask(unsure, 0.5, relative=0.6).tolist() == \
        [False, False, True, True, False, True, False]
    # without the relative threshold only the likeliest block and its run stay
    assert keep_mask(unsure, 0.5).tolist() == [False, False, False, False, False, True, False]
    assert not keep_mask(np.zeros(0), 0.5, relative=0.6).any()


def test_a_feature_matrix_of_another_width_is_refused():
    model = BlockClassifier(("a", "b"), [TreeEnsemble(0.0, np.array([0]), np.array([0]),
                                                      np.array([0.0]), np.array([-1]),
                                                      np.array([-1]), np.array([1.0]))], 0.5, {})
    assert model.predict_page(np.zeros((3, 2))) == pytest.approx([1 / (1 + np.exp(-1))] * 3)
    with pytest.raises(ValueError, match="reads 2 features per block, got 3"):
        model.predict_page(np.zeros((3, 3)))


#: The training command's arguments for the fixture pages (a small, quick model).
TRAINING = ("--text", str(FIXTURES), "--seed", "3", "--trees", "30", "--vocab-sites", "2",
            "--check", str(FIXTURES))


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """The training command run twice on the fixture pages, with the same seed."""
    return train_twice(tmp_path_factory, "clean_corpus_plugins.boilerplate.train", *TRAINING)


def test_training_twice_with_the_same_seed_gives_the_same_file(trained):
    assert trained[0].read_bytes() == trained[1].read_bytes()


def test_a_cpu_without_numpys_simd_code_trains_the_same_file(trained, tmp_path):
    # numpy picks SIMD code for the CPU it runs on (on AVX-512, log1p, expm1 and exp one
    # bit off the C library's for some inputs): with all of it switched off, as on a
    # machine without it, the same command writes the same bytes
    try:
        from numpy._core._multiarray_umath import __cpu_dispatch__
    except ImportError:  # numpy 1
        from numpy.core._multiarray_umath import __cpu_dispatch__
    out = tmp_path / "model.json"
    done = subprocess.run([sys.executable, "-m", "clean_corpus_plugins.boilerplate.train",
                           *TRAINING, "--out", str(out)], capture_output=True, text=True,
                          cwd=REPO, env=dict(os.environ,
                                             NPY_DISABLE_CPU_FEATURES=" ".join(__cpu_dispatch__)))
    assert done.returncode == 0, done.stderr
    assert out.read_bytes() == trained[0].read_bytes()


def test_the_written_model_predicts_as_the_trained_one_and_learned_the_labels(trained):
    from clean_corpus_plugins.boilerplate import train

    pages = train.load_pages(train.text_source(FIXTURES))
    model = train.train(pages, seed=3, trees=30, min_sites=2, **train.SHIPPED)
    model.trained["check"] = train.check_labels(model, FIXTURES)
    loaded = BlockClassifier.load(trained[0])
    assert loaded.dumps() == model.dumps()
    assert loaded.vocabulary.words and loaded.fallback.vocabulary is None
    assert loaded.features == features.TEXT_FEATURES + VOCAB_FEATURES
    assert loaded.fallback.features == features.RELATIVE_FEATURES
    hits = total = 0
    for page in pages:
        p = loaded.predict_texts(page.blocks)
        assert np.array_equal(p >= loaded.threshold,
                              model.predict_texts(page.blocks, page.X) >= model.threshold)
        hits += float(((p >= 0.5) == page.labels) @ page.weights)
        total += float(page.weights.sum())
    assert hits / total > 0.9  # the words of the training pages are mostly labelled right


def test_the_devset_weight_decides_which_source_the_fit_follows_where_they_disagree():
    # the fixture pages twice: as they are, and as devset pages of other sites whose
    # annotation says the opposite of every block; stage one of a model without
    # vocabulary, fitted on the same rows of both, follows the heavier source
    from dataclasses import replace

    from clean_corpus_plugins.boilerplate import train

    pages = train.load_pages(train.text_source(FIXTURES))
    copies = [replace(p, id=train.DEVSET_PREFIX + p.id, domain="copy." + p.domain,
                      labels=1 - p.labels) for p in pages]

    def agreement(weight):  # share of the words stage one labels as the devset does
        model = train.train(pages + copies, seed=3, trees=30, vocabulary=False,
                            devset_weight=weight)
        first = BlockClassifier(model.features, model.stages[:1], 0.5, {})
        agree = sum(float(((first.predict_texts(c.blocks) >= 0.5) == c.labels) @ c.weights)
                    for c in copies)
        return agree / sum(float(c.weights.sum()) for c in copies), model.trained

    heavier, trained = agreement(4.0)
    lighter, _ = agreement(0.25)
    assert heavier > 0.9 and lighter < 0.1
    assert trained["devset_weight"] == 4.0


def test_the_devset_weight_option_reaches_the_model_file(tmp_path):
    import json
    import shutil

    from clean_corpus_plugins.boilerplate import train

    # the fixture folder with one page named as a devset page
    shutil.copytree(FIXTURES, tmp_path / "pages")
    index = tmp_path / "pages" / "index.jsonl"
    entries = [json.loads(line) for line in index.read_text(encoding="utf-8").splitlines()]
    for form in train.FORMS:
        folder = tmp_path / "pages" / "text" / form
        (folder / f"{entries[0]['id']}.txt").rename(
            folder / f"{train.DEVSET_PREFIX}{entries[0]['id']}.txt")
    entries[0]["id"] = train.DEVSET_PREFIX + entries[0]["id"]
    index.write_text("".join(json.dumps(e) + "\n" for e in entries), encoding="utf-8")
    written = {}
    for weight in ("1", "3"):
        out = tmp_path / f"{weight}.json"
        assert train.main(["--text", str(tmp_path / "pages"), "--out", str(out), "--trees", "3",
                           "--no-vocabulary", "--check", str(tmp_path / "none"),
                           "--devset-weight", weight]) == 0
        written[weight] = json.loads(out.read_text(encoding="utf-8"))
    assert "devset_weight" not in written["1"]["trained"]  # weight 1: the file as before
    assert written["3"]["trained"]["devset_weight"] == 3.0
    assert written["1"]["stages"] != written["3"]["stages"]


def test_the_devset_labels_option_chooses_whether_the_html_classifier_labels_them(
        tmp_path, monkeypatch):
    """``train.py --devset-labels no-html``: the devset's pages are labelled by the chain
    without the HTML classifier, so their labels, and the text model trained on them, stay
    the same whatever HTML model file ships; ``chain`` labels them by the default chain,
    whose record goes with that file. Each choice, not the default, is named in the model
    file."""
    import argparse
    import json

    from clean_corpus_plugins.boilerplate import html_extract, train

    data = annotated_folder(tmp_path / "data")

    def references(labels: str) -> str:
        ap = argparse.ArgumentParser()
        train.add_source_arguments(ap)
        args = ap.parse_args(["--data", str(data), "--sources", "devset",
                              "--devset-labels", labels])
        (entry,), _ = train.page_source(args)
        return entry["main_content"]

    shipped = {labels: references(labels) for labels in train.DEVSET_LABELS}
    # the same pages with no HTML classifier model to read: the default chain fails the
    # page (its main content falls back to the annotated snippets), the chain without the
    # classifier does not read the file
    monkeypatch.setattr(html_extract, "MODEL_FILE", tmp_path / "no-model.json")
    missing = {labels: references(labels) for labels in train.DEVSET_LABELS}
    assert missing["no-html"] == shipped["no-html"]
    assert "the stone mill at the bend of the river" in missing["no-html"]
    assert missing["chain"] != shipped["chain"] and "stone mill" not in missing["chain"]

    monkeypatch.undo()
    for labels in train.DEVSET_LABELS:
        out = tmp_path / f"{labels}.json"
        assert train.main(["--data", str(data), "--sources", "devset", "--devset-labels",
                           labels, "--out", str(out), "--trees", "2", "--no-vocabulary",
                           "--check", str(tmp_path / "none")]) == 0
        trained = json.loads(out.read_text(encoding="utf-8"))["trained"]
        assert trained.get("devset_labels") == (
            None if labels == train.DEFAULT_DEVSET_LABELS else labels)


def test_the_size_options_set_the_trees_and_the_rows_and_reach_the_model_file(tmp_path):
    import json

    from clean_corpus_plugins.boilerplate import train

    def trained(*options):
        out = tmp_path / "model.json"
        assert train.main(["--text", str(FIXTURES), "--out", str(out), "--check",
                           str(tmp_path / "none"), "--stage2", "max_iter=2", *options]) == 0
        return json.loads(out.read_text(encoding="utf-8"))

    def leaves(stage):  # leaves of each tree of a stage
        trees = stage["trees"]
        ends = trees["root"][1:] + [len(trees["left"])]
        return [sum(1 for left in trees["left"][start:end] if left == -1)
                for start, end in zip(trees["root"], ends)]

    small = trained("--stage1", "max_iter=5, max_leaf_nodes=4", "--max-rows", "300")
    for model in (small, small["fallback"]):  # the fallback is sized as the model
        first, second = model["stages"]
        assert len(first["trees"]["root"]) == 5 and max(leaves(first)) == 4
        assert len(second["trees"]["root"]) == 2 and max(leaves(second)) > 4
    assert small["trained"]["stages"][0]["max_iter"] == 5
    assert small["trained"]["stages"][1]["max_iter"] == 2
    assert small["trained"]["max_rows"] == 300
    # the rows drawn change the fit; the shipped sizes leave the file as it was
    every_row = trained("--stage1", "max_iter=5,max_leaf_nodes=4")
    assert every_row["stages"] != small["stages"] and "max_rows" not in every_row["trained"]
    shipped = trained("--stage2", "max_iter=60", "--trees", "3")["trained"]
    assert "stages" not in shipped and "max_rows" not in shipped
    for wrong in ("max_leaves=4", "max_iter=2.5", "max_iter"):
        with pytest.raises(SystemExit, match="NAME=VALUE"):
            trained("--stage1", wrong)


def test_the_shipped_model_keeps_the_blocks_it_kept_when_it_was_trained():
    from clean_corpus_plugins.boilerplate import train
    from clean_corpus_plugins.boilerplate.text_extract import TEXT_MODEL

    model = BlockClassifier.load(TEXT_MODEL)
    kept = model.trained["check"]
    assert len(kept) == 24  # eight pages in three forms
    assert train.check_labels(model, FIXTURES) == kept
    # the check would tell: the pages keep some blocks and drop others
    assert {"0", "1"} <= set("".join(kept.values()))


def test_a_model_made_for_other_neighbour_features_is_refused(trained, tmp_path):
    import json

    data = json.loads(trained[0].read_text())
    data["context"] = data["context"][:-1]  # a version that computed one column fewer
    path = tmp_path / "older.json"
    path.write_text(json.dumps(data))
    with pytest.raises(ValueError, match="other neighbour features"):
        BlockClassifier.load(path)


def test_a_model_and_its_vocabulary_must_agree(trained, tmp_path):
    import json

    data = json.loads(trained[0].read_text())
    without = dict(data)
    del without["vocabulary"]  # columns read, but no table to compute them from
    (tmp_path / "a.json").write_text(json.dumps(without))
    with pytest.raises(ValueError, match="vocabulary columns"):
        BlockClassifier.load(tmp_path / "a.json")
    fewer = dict(data, features=data["features"][:-1])  # a version with one column fewer
    (tmp_path / "b.json").write_text(json.dumps(fewer))
    with pytest.raises(ValueError, match="vocabulary columns"):
        BlockClassifier.load(tmp_path / "b.json")
    unread = dict(data, features=[f for f in data["features"] if f not in VOCAB_FEATURES])
    (tmp_path / "c.json").write_text(json.dumps(unread))
    with pytest.raises(ValueError, match="vocabulary its features do not read"):
        BlockClassifier.load(tmp_path / "c.json")


def test_a_page_the_vocabulary_does_not_know_goes_to_the_fallback(trained):
    model = BlockClassifier.load(trained[0])
    english = ["Home", "About us", "Contact", "Log in", "Privacy policy", "Terms of use"]
    X = features.text_features(english)
    model.vocabulary.min_coverage = 0.0  # every page is read with the vocabulary
    with_words = model.predict_texts(english)
    assert np.array_equal(with_words, model.predict_page(
        np.hstack((X, model.vocabulary.columns(english)))))
    model.vocabulary.min_coverage = 1.01  # no page is: the fallback reads shape against prose
    shape = features.relative_features(X)
    assert np.array_equal(model.predict_texts(english), model.fallback.predict_page(shape))
    assert not np.array_equal(with_words, model.fallback.predict_page(shape))


def test_a_page_the_vocabulary_knows_more_than_half_of_is_read_with_its_words(trained):
    # a page in a language the training pages hold a little of (German or French pages
    # beside English ones) is rated better with the words the table knows than without
    model = BlockClassifier.load(trained[0])
    known = sorted(w for w in model.vocabulary.words if w.isalpha())[:13]
    unknown = ["zqxw", "vqjk", "xqzv", "jqvx", "kzqx", "wqxz", "qvzk", "zvqj", "xjqk"]

    def page(n_unknown):  # 13 known words, n_unknown unknown ones, four blocks
        words = known + unknown[:n_unknown]
        return [" ".join(words[i::4]).capitalize() + "." for i in range(4)]

    half = page(9)  # 13 of 22 words known
    assert 0.55 <= model.vocabulary.coverage(model.vocabulary.odds(page_keys(half)[0])) < 0.6
    assert np.array_equal(model.predict_texts(half), model.predict_page(
        np.hstack((features.text_features(half), model.vocabulary.columns(half)))))
    model.vocabulary.min_coverage = 0.6  # the gate before: such a page went to the fallback
    assert np.array_equal(model.predict_texts(half), model.fallback.predict_texts(half))


def test_a_file_of_another_format_is_refused(tmp_path):
    path = tmp_path / "model.json"
    path.write_text('{"format": "something-else"}')
    with pytest.raises(ValueError, match="not a clean-corpus-boilerplate"):
        BlockClassifier.load(path)


def test_a_model_without_vocabulary_of_the_absolute_columns_still_rates_pages():
    # a `--no-vocabulary` model trained before the relative columns reads TEXT_FEATURES
    column = features.TEXT_FEATURES.index("log_words")
    stump = TreeEnsemble(0.0, np.array([0]), np.array([column] * 3), np.array([1.5, 0, 0]),
                         np.array([1, -1, -1]), np.array([2, -1, -1]), np.array([0, -2.0, 2.0]))
    older = BlockClassifier(features.TEXT_FEATURES, [stump], 0.5, {})
    page = ["Home", "A paragraph of several words that reads like prose, as articles do."]
    assert (older.predict_texts(page) >= 0.5).tolist() == [False, True]
    newer = BlockClassifier(features.RELATIVE_FEATURES, [stump], 0.5, {})
    shape = features.relative_features(features.text_features(page))  # the 62 columns
    assert np.array_equal(newer.predict_texts(page), newer.predict_page(shape))


def test_a_block_with_a_lone_surrogate_is_rated_like_any_other():
    # text read with errors="surrogateescape" keeps undecodable bytes as lone surrogates
    page = ["Home", "Broken byte \udcff here", "A paragraph of prose, as articles write it."]
    X = features.text_features(page)
    assert X.shape == (3, len(features.TEXT_FEATURES)) and np.isfinite(X).all()
    # read as any other character that is no letter, digit or separator
    assert np.array_equal(X, features.text_features([page[0], "Broken byte \u2603 here", page[2]]))


def test_the_annotation_corrects_an_extraction_used_as_main_content():
    from clean_corpus_plugins.boilerplate.train import annotated_reference

    extracted = "The mill grinds spelt and rye.\nSign up to our newsletter today!\nIt opens on Sundays."
    reference = annotated_reference(extracted, keep=["The baker sells the bread on Saturdays."],
                                    drop=["Sign up to our  newsletter"])
    assert reference.split("\n\n") == ["The mill grinds spelt and rye.", "It opens on Sundays.",
                                       "The baker sells the bread on Saturdays."]
    # a snippet the extraction already holds is not added twice
    assert annotated_reference(extracted, keep=["spelt and rye"], drop=[]).count("spelt") == 1


SCRAPER = '''
import lxml.html

def visible_text(data, mode):
    texts = [t.strip() for t in lxml.html.fromstring(data).xpath("//body//text()") if t.strip()]
    return " ".join(texts) if mode == "flat" else "\\n".join(texts)
'''


def annotated_folder(folder: Path) -> Path:
    """A ``--data`` folder holding the scraper tool and the devset's layout with one
    annotated page (the fixture article)."""
    import json

    (folder / "tools").mkdir(parents=True)
    (folder / "tools" / "scraped_text.py").write_text(SCRAPER, encoding="utf-8")
    html = folder / "devset" / "html"
    html.mkdir(parents=True)
    page = Path(__file__).parent / "data" / "html_types" / "article.html"
    (html / "a1.html").write_bytes(page.read_bytes())
    (folder / "devset" / "index.jsonl").write_text(json.dumps({
        "id": "https://www.northfield.example/blog/mill", "file": "a1.html", "lang": "en",
        "with": ["Northfield Works"],  # the site's name, which the chain leaves out
        "without": ["Grinding flour again"]}) + "\n", encoding="utf-8")
    return folder


def test_annotated_pages_are_training_pages_labelled_by_the_html_chain(tmp_path):
    """A folder of annotated pages (the devset's layout) becomes training pages: main
    content is what the chain extracts from the HTML, less what the annotation calls
    boilerplate, plus what it calls content."""
    from clean_corpus_plugins.boilerplate import train

    annotated_folder(tmp_path)
    entries, text_of = train.devset_source(tmp_path)
    (entry,) = entries
    assert entry["domain"] == "northfield.example" and entry["id"] == "devset-a1"
    reference = entry["main_content"]
    assert "the stone mill at the bend of the river" in reference
    assert "Grinding flour again" not in reference and "Home" not in reference.split()
    assert reference.endswith("Northfield Works")
    (blocks,) = train.load_pages((entries, text_of), forms=("blocks",))
    labels = dict(zip(blocks.blocks, blocks.labels.tolist()))
    assert labels["Privacy policy"] == 0 and labels["Grinding flour again"] == 0
    assert any(y == 1 and "stone mill" in b for b, y in labels.items())


def test_the_training_command_keeps_the_check_pages_labels_from_any_working_directory(
        tmp_path, monkeypatch):
    # the default --check pages are the repository's, wherever the command runs: run from
    # elsewhere, it used to write a file without them (not the shipped file's bytes)
    import json

    from clean_corpus_plugins.boilerplate import train

    monkeypatch.chdir(tmp_path)
    out = tmp_path / "model.json"
    assert train.main(["--text", str(FIXTURES), "--out", str(out), "--stage1",
                       "max_iter=5,max_leaf_nodes=4", "--stage2", "max_iter=2"]) == 0
    check = json.loads(out.read_text(encoding="utf-8"))["trained"]["check"]
    shipped = json.loads((train.REPOSITORY / "plugins" / "boilerplate" / "model-text.json")
                         .read_text(encoding="utf-8"))["trained"]["check"]
    assert sorted(check) == sorted(shipped)  # the same pages and forms
