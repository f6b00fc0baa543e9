"""Error pages, log-in walls and (by policy) listing pages are dropped with their reason; real articles
(one that ends with an appended "Page non trouvée" fragment, one with a related-links list
and a sign-in box) are kept. Through the command line on the pages in fixtures/pages."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from clean_corpus.testing import builtin_cli, read_jsonl
from conftest import FIXTURES

PAGES = FIXTURES / "pages"
SEED_002 = FIXTURES / "seeds" / "002_83486dd3ab81b09f.txt"

ERROR = "error page (page not found)"
WALL = "log-in wall (the article is behind a log-in or subscription)"
LISTING = "listing page (teasers for other articles, not one article)"
EXPECTED = {
    "soft404_fr.html": ERROR,
    "not_found_en.html": ERROR,
    "nicht_gefunden_de.html": ERROR,
    "pagina_no_encontrada_es.html": ERROR,
    "login_wall_fr.html": WALL,
    "login_wall_en.html": WALL,
    "listing_fr.html": LISTING,
    "listing_en.html": LISTING,
}
KEPT = ("article_error_tail_fr.html", "article_related_links_en.html", SEED_002.name)






@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("pages")
    shutil.copytree(PAGES, folder, dirs_exist_ok=True)
    shutil.copyfile(SEED_002, folder / SEED_002.name)
    return folder


def test_fixture_set_is_what_this_test_covers():
    assert sorted(p.name for p in PAGES.iterdir()) == sorted([*EXPECTED, *KEPT[:2]])


def test_non_articles_dropped_with_reason_articles_kept(inputs, tmp_path):
    # listing pages are kept by default (a corpus of every kind of page); an article
    # corpus drops them by policy
    out, rejected = tmp_path / "out.jsonl", tmp_path / "rejected.jsonl"
    builtin_cli("run", inputs, "-o", out, "--rejected", rejected, "-q",
                "--set", "listing_page.policy=drop")
    reasons = {Path(e["source"]).name: e["reasons"] for e in read_jsonl(rejected)}
    for name, reason in EXPECTED.items():
        assert reason in reasons.get(name, []), (name, reasons.get(name))
    written = {Path(r["source"]).name: r for r in read_jsonl(out)}
    assert sorted(written) == sorted(KEPT)
    # The article whose end is a "Page non trouvée" fragment keeps its text.
    tail = written["article_error_tail_fr.html"]
    assert "dérogation de trois semaines" in tail["text"]
    assert tail["detections"]["error_page"]["error_page"] is False
    # So does seed 002, a plain-text article followed by the same kind of fragment.
    assert "Quelque 1 500 soldats vont être envoyés" in written[SEED_002.name]["text"]


def test_annotate_policy_keeps_them_with_the_finding(inputs, tmp_path):
    out = tmp_path / "out.jsonl"
    builtin_cli("run", inputs, "-o", out, "-q", "--set", "error_page.policy=annotate",
            "--set", "login_wall.policy=annotate", "--set", "listing_page.policy=annotate")
    written = {Path(r["source"]).name: r["detections"] for r in read_jsonl(out)}
    assert written["soft404_fr.html"]["error_page"]["error_page"] is True
    assert written["soft404_fr.html"]["error_page"]["cue"] == "Page non trouvée"
    assert written["login_wall_fr.html"]["login_wall"]["login_wall"] is True
    assert written["listing_fr.html"]["listing_page"]["listing"] is True
    assert written["listing_fr.html"]["listing_page"]["headline_links"] == 10
    assert written["article_related_links_en.html"]["listing_page"]["listing"] is False
