"""bench/decision_rules.py: two models' out-of-fold probabilities compared page by page."""
from __future__ import annotations

import pickle
import sys

import numpy as np
import pytest
from conftest import REPO

sys.path.insert(0, str(REPO / "bench"))
import decision_rules  # noqa: E402

#: A scorer of the shape ``tools/score_wcxb.py`` has: word F1 of a text against a reference.
SCORER = '''
def word_prf(pred, ref):
    p_tok, r_tok = pred.lower().split(), ref.lower().split()
    if not p_tok or not r_tok:
        return (1.0, 1.0, 1.0) if p_tok == r_tok else (0.0, 0.0, 0.0)
    overlap = len(set(p_tok) & set(r_tok))
    p, r = overlap / len(p_tok), overlap / len(r_tok)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)
'''


def page(n: int, p: list[float]) -> dict:
    """A page of a menu line and a content line, rated ``p`` by some model."""
    return {"id": f"{n:04d}", "form": "blocks", "type": "article", "fold": 0,
            "blocks": ["home about contact", f"the story of page {n} told at length"],
            "labels": np.array([0, 1]), "reference": f"the story of page {n} told at length",
            "p": np.array(p), "known": 1.0, "threshold": 0.4}


@pytest.fixture
def data(tmp_path):
    (tmp_path / "tools").mkdir()
    (tmp_path / "tools" / "score_wcxb.py").write_text(SCORER, encoding="utf-8")
    return tmp_path


def test_a_second_model_is_scored_against_the_first_page_by_page(data, tmp_path, capsys):
    # the first model keeps the menu of every page; the second, split over two files
    # (two folds), keeps the menu of one page in four
    first = tmp_path / "first.pkl"
    first.write_bytes(pickle.dumps([page(n, [0.9, 0.9]) for n in range(8)]))
    folds = [tmp_path / "second-0.pkl", tmp_path / "second-1.pkl"]
    for k, path in enumerate(folds):
        path.write_bytes(pickle.dumps([page(n, [0.9 if n % 4 == 0 else 0.1, 0.9])
                                       for n in range(k * 4, k * 4 + 4)]))
    assert decision_rules.main([*map(str, folds), "--against", str(first), "--data", str(data),
                                "--thresholds", "", "--viterbi", ""]) == 0
    lines = capsys.readouterr().out.splitlines()
    against = next(line for line in lines if line.startswith("chain's rule, --against"))
    second = next(line for line in lines if line.startswith("chain's rule "))
    menu = 16 / 19  # F1 of a page whose menu is kept: 8 of 11 words right, all 8 found
    assert f"{menu:.4f} (+0.0000±0.0000)" in against
    gain = (1 - menu) * 6 / 8  # six pages of eight lose their menu
    assert f"{menu + gain:.4f} ({gain:+.4f}±" in second


def test_models_of_other_pages_are_not_compared(data, tmp_path):
    one, other = tmp_path / "one.pkl", tmp_path / "other.pkl"
    one.write_bytes(pickle.dumps([page(0, [0.9, 0.9])]))
    other.write_bytes(pickle.dumps([page(1, [0.9, 0.9])]))
    with pytest.raises(SystemExit, match="not the same page forms"):
        decision_rules.main([str(one), "--against", str(other), "--data", str(data)])
