"""Dangling metadata lifted into fields: dates, kickers, titles, standfirsts, bylines, sections.

Each cleaner is checked on what it must take out of the text (and where it puts it) and on
the prose it must leave alone, in French and English at least.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from clean_corpus import Document
from clean_corpus.testing import builtin_cli, clean_text, removed_by

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "fixtures" / "seeds"
CLI = Path(sys.executable).with_name("clean-corpus")

#: A paragraph of article prose, long enough for every rule to see the article has begun.
BODY_FR = ("Les membres de la coalition se sont réunis les 2 et 3 décembre et se sont engagés à "
           "envoyer près de 1 500 hommes pour entraîner et aider les forces irakiennes. Ces "
           "soldats vont s'ajouter aux conseillers militaires américains déjà sur place.")
BODY_FR2 = ("Les détails de l'envoi de ces renforts sont encore en train d'être discutés. Il n'y a "
            "pas encore de précision sur les pays contributeurs, a précisé le porte-parole, qui "
            "n'a pas souhaité en dire davantage sur le calendrier des opérations.")
BODY_EN = ("The coalition members met on 2 and 3 December and pledged to send nearly 1,500 troops "
           "to train and assist the Iraqi forces. These soldiers will join the American military "
           "advisers already deployed in the country, the spokesman said.")
BODY_EN2 = ("Details of the deployment are still being discussed, and no contributing country has "
            "been named so far. The spokesman declined to give a timetable for the operations, "
            "saying only that planning was well under way.")








# ----------------------------------------------------------------------------- dates
@pytest.mark.parametrize("line, iso", [
    ("date 2021-12", "2021-12"),
    ("Date: 12/09/2016", "2016-09-12"),
    ("Publié le 8 décembre 2014", "2014-12-08"),
    ("Published: Monday, April 21, 2022.", "2022-04-21"),
    ("Veröffentlicht am 12. Januar 2022", "2022-01-12"),
    ("Publicado el 12 de enero de 2022", "2022-01-12"),
    ("12. Januar 2022,", "2022-01-12"),
    ("mercredi 11 septembre 2019", "2019-09-11"),
    ("April 21, 2022", "2022-04-21"),
])
def test_date_line_at_the_top_goes_to_the_date_field(chain, line, iso):
    doc = clean_text([line, BODY_FR, BODY_FR2], chain=chain)
    assert doc.meta["date"] == iso
    assert doc.clean_text.startswith("Les membres")
    assert removed_by(doc, "date_line") == [line]


def test_labelled_date_glued_to_the_first_paragraph_is_cut(chain):
    doc = clean_text([" date 2021-12 " + BODY_FR, BODY_FR2], chain=chain)
    assert doc.meta["date"] == "2021-12"
    assert doc.clean_text.startswith("Les membres de la coalition")
    assert "2021-12" not in doc.clean_text


def test_labelled_date_line_at_the_bottom_goes_to_the_date_field(chain):
    doc = clean_text([BODY_EN, BODY_EN2, "Last updated: 17.01.2021"], chain=chain)
    assert doc.meta["date"] == "2021-01-17"
    assert doc.clean_text.endswith("well under way.")


@pytest.mark.parametrize("first", [
    "Le 12 mars 2021, le gouvernement a annoncé de nouvelles mesures pour soutenir les "
    "entreprises touchées par la crise, a indiqué le ministre de l'Economie lors d'une "
    "conférence de presse à Paris.",
    "On 12 March 2021 the government announced new measures to support the businesses hit by "
    "the crisis, the economy minister told a press conference in London on Friday.",
    "Date 1 of the tour was cancelled because of the storm, and the band apologised to the "
    "thousands of fans who had travelled to the stadium for the opening night.",
    "Stand 1. Januar 2021 lebten in Deutschland rund 83 Millionen Menschen, wie das "
    "Statistische Bundesamt am Montag in Wiesbaden mitteilte.",
])
def test_date_inside_prose_stays(chain, first):
    doc = clean_text([first, BODY_EN2], chain=chain)
    assert "date" not in doc.meta
    assert doc.clean_text.startswith(first)


def test_date_line_after_the_prose_has_begun_stays(chain):
    doc = clean_text([BODY_FR, "12 mars 2021", BODY_FR2], chain=chain)
    assert "date" not in doc.meta
    assert "12 mars 2021" in doc.clean_text


# ---------------------------------------------------------------------------- kicker
def test_all_caps_kicker_glued_to_the_title_is_split_into_fields(chain):
    doc = clean_text([" date 2016-09 AVANT L'ASSAUT DE L'ARMÉE IRAKIENNE SUR MOSSOUL Plus de 400 "
                "militaires américains en renfort", BODY_FR, BODY_FR2], chain=chain)
    assert doc.meta["kicker"] == "AVANT L'ASSAUT DE L'ARMÉE IRAKIENNE SUR MOSSOUL"
    assert doc.meta["title"] == "Plus de 400 militaires américains en renfort"
    assert doc.meta["date"] == "2016-09"
    assert doc.clean_text.startswith("Les membres")


def test_standfirst_after_a_kicker_and_title_line(chain):
    doc = clean_text(["GUERRE EN IRAK Plus de 400 militaires américains en renfort",
                "Le Pentagone a confirmé jeudi l'arrivée des renforts.", BODY_FR, BODY_FR2], chain=chain)
    assert doc.meta["title"] == "Plus de 400 militaires américains en renfort"
    assert doc.meta["description"] == "Le Pentagone a confirmé jeudi l'arrivée des renforts."
    assert doc.clean_text.startswith("Les membres")


def test_english_kicker_and_title(chain):
    doc = clean_text(["WAR IN UKRAINE Kyiv braces for a new wave of strikes", BODY_EN, BODY_EN2], chain=chain)
    assert doc.meta["kicker"] == "WAR IN UKRAINE"
    assert doc.meta["title"] == "Kyiv braces for a new wave of strikes"


@pytest.mark.parametrize("first", [
    "NATO said on Monday that it would send more troops to the region, officials confirmed, "
    "after a week of talks between the allies in Brussels and in Washington.",
    "ONU : le Conseil de sécurité a adopté lundi une résolution appelant à un cessez-le-feu "
    "immédiat, après des semaines de négociations entre ses membres permanents.",
    "TEGUCIGALPA, HONDURAS.- Tras la extradición del expresidente de Honduras hacia Estados "
    "Unidos, crecen las preguntas sobre los testigos que declararán en el juicio.",
])
def test_acronym_or_dateline_opening_a_sentence_is_no_kicker(chain, first):
    doc = clean_text([first, BODY_EN2], chain=chain)
    assert "kicker" not in doc.meta
    assert doc.clean_text.startswith(first)


# ------------------------------------------------------------------ title/standfirst
def test_title_and_standfirst_lines_go_to_fields(chain):
    doc = clean_text(["Les Etats-Unis doublent leur contingent en Irak contre l'Etat islamique",
                "Le Pentagone a annoncé l'envoi de 1500 conseillers militaires américains "
                "supplémentaires.",
                BODY_FR, BODY_FR2], chain=chain)
    assert doc.meta["title"] == ("Les Etats-Unis doublent leur contingent en Irak contre "
                                 "l'Etat islamique")
    assert doc.meta["description"].startswith("Le Pentagone a annoncé")
    assert doc.clean_text.startswith("Les membres de la coalition")


def test_title_line_without_standfirst(chain):
    doc = clean_text(["Coalition to send 1,500 troops to fight the Islamic State group",
                BODY_EN, BODY_EN2], chain=chain)
    assert doc.meta["title"] == "Coalition to send 1,500 troops to fight the Islamic State group"
    assert "description" not in doc.meta
    assert doc.clean_text.startswith("The coalition members")


def test_text_that_starts_with_prose_has_no_title(chain):
    doc = clean_text([BODY_FR, BODY_FR2], chain=chain)
    assert "title" not in doc.meta and "description" not in doc.meta
    assert doc.clean_text == BODY_FR + "\n\n" + BODY_FR2


@pytest.mark.parametrize("lines", [
    # a poem: short lines, no prose paragraph after them
    ("The woods are lovely, dark and deep", "But I have promises to keep",
     "And miles to go before I sleep"),
    # a list of ingredients
    ("Deux oeufs frais de la ferme", "Cent grammes de farine de blé", "Un verre de lait entier"),
])
def test_short_lines_without_a_body_are_not_a_title(chain, lines):
    doc = clean_text([*lines], chain=chain)
    assert "title" not in doc.meta
    assert doc.clean_text.split("\n\n") == list(lines)


def test_a_first_paragraph_as_long_as_the_body_is_not_a_standfirst(chain):
    first = ("Le gouvernement a présenté mercredi un plan de soutien aux entreprises touchées par "
             "la crise, avec des prêts garantis, des reports de charges et une aide directe aux "
             "plus petites d'entre elles, qui devra être voté par le Parlement avant l'été.")
    doc = clean_text(["Un plan de soutien aux entreprises", first, BODY_FR], chain=chain)
    assert doc.meta["title"] == "Un plan de soutien aux entreprises"
    assert "description" not in doc.meta
    assert doc.clean_text.startswith("Le gouvernement a présenté")


# --------------------------------------------------------------------- title (HTML)
def _html(title: str, headings: str) -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in (BODY_EN, BODY_EN2, BODY_EN, BODY_EN2))
    return (f"<html><head><title>{title}</title></head><body><article>{headings}"
            f"{paragraphs}</article></body></html>")


def test_html_heading_that_repeats_the_title_leaves_the_text(chain):
    headline = "Coalition to send 1,500 troops to Iraq"
    html = _html(headline, f"<h1>{headline}</h1><h2>What the allies decided in Kuwait</h2>")
    doc = chain.prepare(Document(source="page.html", html=html)).document
    assert doc.meta["title"] == headline
    assert headline not in doc.clean_text
    assert removed_by(doc, "title_repeat") == [headline]
    # the subheading next to it is not the title, and stays
    assert doc.clean_text.startswith("What the allies decided in Kuwait")


# --------------------------------------------------------------------------- byline
@pytest.mark.parametrize("last, byline", [
    ("M. T./Agences", "M. T./Agences"),
    ("(AFP)", "AFP"),
    ("Par Jean Dupont", "Jean Dupont"),
    ("J.D. avec AFP", "J.D. avec AFP"),
    ("By Jane Doe", "Jane Doe"),
    ("Von Anna Schmidt und Peter Müller", "Anna Schmidt und Peter Müller"),
])
def test_trailing_byline_line_goes_to_the_byline_field(chain, last, byline):
    doc = clean_text([BODY_FR, BODY_FR2, last], chain=chain)
    assert doc.meta["byline"] == byline
    assert doc.clean_text.endswith("calendrier des opérations.")


def test_byline_glued_to_the_end_of_the_last_paragraph_is_cut(chain):
    doc = clean_text([BODY_FR, BODY_FR2 + " M. T./Agences"], chain=chain)
    assert doc.meta["byline"] == "M. T./Agences"
    assert doc.clean_text.endswith("calendrier des opérations.")
    assert removed_by(doc, "byline") == ["M. T./Agences"]


@pytest.mark.parametrize("last", [
    "Il est parti.", "Par ailleurs, rien n'a changé.", "He left.", "By then, it was over.",
    "New York and Los Angeles", "By The Numbers",
])
def test_short_real_last_sentence_is_no_byline(chain, last):
    doc = clean_text([BODY_EN, BODY_EN2, last], chain=chain)
    assert "byline" not in doc.meta
    assert doc.clean_text.endswith(last)


@pytest.mark.parametrize("line, byline, date", [
    ("Par Jean Dupont, le 12 mars 2021", "Jean Dupont", "2021-03-12"),
    ("By Jane Doe | Published: March 12, 2021", "Jane Doe", "2021-03-12"),
    ("Von:\nAnna Schmidt", "Anna Schmidt", None),
])
def test_labelled_byline_under_the_title_goes_to_fields(chain, line, byline, date):
    doc = clean_text(["Coalition to send 1,500 troops to Iraq", line, BODY_EN, BODY_EN2], chain=chain)
    assert doc.meta["byline"] == byline
    assert doc.meta.get("date") == date
    assert doc.meta["title"] == "Coalition to send 1,500 troops to Iraq"
    assert doc.clean_text.startswith("The coalition members")


def test_sentence_starting_with_a_byline_label_at_the_top_stays(chain):
    first = "By Monday, the coalition had agreed to send troops."
    doc = clean_text([first, BODY_EN, BODY_EN2], chain=chain)
    assert "byline" not in doc.meta
    assert doc.clean_text.startswith(first)


def test_short_last_sentence_glued_to_the_paragraph_stays(chain):
    doc = clean_text([BODY_FR, BODY_FR2 + " Il est parti."], chain=chain)
    assert "byline" not in doc.meta
    assert doc.clean_text.endswith("Il est parti.")


# ---------------------------------------------------------------------- breadcrumbs
@pytest.mark.parametrize("trail, section", [
    ("Irak / Terrorisme", ["Irak", "Terrorisme"]),
    ("Home > World > Europe", ["World", "Europe"]),
    ("Accueil › Economie › Entreprises", ["Economie", "Entreprises"]),
])
def test_breadcrumb_trail_near_the_top_goes_to_section(chain, trail, section):
    doc = clean_text([trail, BODY_FR, BODY_FR2], chain=chain)
    assert doc.meta["section"] == section
    assert trail not in doc.clean_text
    assert removed_by(doc, "breadcrumbs") == [trail]


def test_breadcrumb_ending_with_the_page_title_leaves_the_title_out_of_section(chain):
    doc = clean_text(["Home > Politics > Coalition to send troops",
                "Coalition to send troops", BODY_EN, BODY_EN2], chain=chain)
    assert doc.meta["section"] == ["Politics"]


@pytest.mark.parametrize("lines", [
    ("Le rapport qualité / prix de ces voitures reste le meilleur du marché, selon l'étude "
     "publiée mardi par l'association de consommateurs, qui a testé cinquante modèles.", BODY_FR2),
    (BODY_EN, "Sales / Purchases", BODY_EN2),
])
def test_slashes_in_prose_or_after_it_are_no_breadcrumb(chain, lines):
    doc = clean_text([*lines], chain=chain)
    assert "section" not in doc.meta
    assert doc.clean_text.split("\n\n") == list(lines)


# -------------------------------------------------------------------- category lines
def test_category_line_goes_to_section(chain):
    doc = clean_text(["Kategorie: News", BODY_EN, BODY_EN2, "Posted in: Guides, Tips"], chain=chain)
    assert doc.meta["section"] == ["News"]
    assert "Kategorie" not in doc.clean_text and "Posted in" not in doc.clean_text


def test_category_word_in_a_sentence_stays(chain):
    first = ("Catégorie : les petites entreprises sont les plus touchées par la crise, selon "
             "l'étude publiée mardi par la Banque de France, qui en a interrogé dix mille.")
    doc = clean_text([first, BODY_FR2], chain=chain)
    assert "section" not in doc.meta
    assert doc.clean_text.startswith(first)


# ------------------------------------------------------------------ through the CLI
def _run_cli(tmp_path, *args) -> str:
    out = tmp_path / "out.jsonl"
    builtin_cli("run", *args, "-o", out)
    return out.read_text(encoding="utf-8")


def test_seed_files_get_their_fields_through_the_cli(tmp_path):
    lines = _run_cli(tmp_path, SEEDS).splitlines()
    records = {Path(r["source"]).stem[:3]: r for r in map(json.loads, lines)}
    assert records["000"]["byline"] == "M. T./Agences"
    assert not records["000"]["text"].endswith("Agences")
    assert records["001"]["date"] == "2021-12"
    assert not records["001"]["text"].startswith("date")
    assert records["002"]["title"] == ("Irak: la coalition va envoyer 1500 soldats pour "
                                       "combattre le groupe EI")
    assert records["002"]["section"] == ["Irak", "Terrorisme"]
    assert records["002"]["caption"].startswith("La coalition anti-jihadiste va envoyer")
    assert records["003"]["kicker"] == "AVANT L'ASSAUT DE L'ARMÉE IRAKIENNE SUR MOSSOUL"
    assert records["003"]["title"] == "Plus de 400 militaires américains en renfort"
    assert records["003"]["date"] == "2016-09"
    assert records["004"]["title"] == ("Les Etats-Unis doublent leur contingent en Irak contre "
                                       "l'Etat islamique")
    assert records["004"]["description"].startswith("Le Pentagone a annoncé")
    # Every removal is accounted for, with the plugin that made it.
    plugins = {r["plugin"] for rec in records.values() for r in rec["removed"]}
    assert {"byline", "date_line", "breadcrumbs", "captions", "kicker", "title_standfirst",
            "image_names", "error_tail"} <= plugins


def test_same_records_with_two_workers(tmp_path):
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    assert _run_cli(tmp_path / "one", SEEDS) == _run_cli(tmp_path / "two", SEEDS, "-j", "2")
