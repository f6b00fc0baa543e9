"""Structural boilerplate: repeated captions, photo credits, image file names, error-page tails.

Each cleaner is checked on what it removes (and records) and on the prose it must leave
alone, in French and English at least.
"""
from __future__ import annotations

import pytest

from clean_corpus import Document
from clean_corpus.config import Config
from clean_corpus.pipeline import Chain
from clean_corpus.testing import clean_text, removed_by

BODY_FR = ("Quelque 1 500 soldats vont être envoyés prochainement en Irak pour lutter contre le "
           "groupe Etat islamique. L'annonce a été faite ce lundi 8 décembre à Koweït par le "
           "général américain James Terry, haut responsable de la coalition.")
BODY_FR2 = ("Les détails de l'envoi de ces renforts sont encore en train d'être discutés. Il n'y a "
            "pas encore de précision sur les pays contributeurs, a précisé le porte-parole, qui "
            "n'a pas souhaité en dire davantage sur le calendrier des opérations.")
BODY_EN = ("Some 1,500 soldiers will soon be sent to Iraq to fight the Islamic State group. The "
           "announcement was made on Monday in Kuwait by the American general James Terry, a "
           "senior official of the coalition against the jihadists.")
BODY_EN2 = ("Details of the deployment are still being discussed, and no contributing country has "
            "been named so far. The spokesman declined to give a timetable for the operations, "
            "saying only that planning was well under way.")
CAPTION = ("La coalition anti-jihadiste va envoyer quelque 1 500 soldats pour aider les soldats "
           "irakiens - ici photographiés en octobre 2014 - à lutter contre l'organisation Etat "
           "islamique.")








# ------------------------------------------------------------------------- captions
def test_caption_repeated_with_its_credit_goes_to_the_caption_field(chain):
    doc = clean_text([BODY_FR, CAPTION, CAPTION + " AFP/HAIDAR HAMDANI", BODY_FR2], chain=chain)
    assert doc.meta["caption"] == CAPTION
    assert "photographiés" not in doc.clean_text and "HAMDANI" not in doc.clean_text
    assert doc.clean_text == BODY_FR + "\n\n" + BODY_FR2
    assert len(removed_by(doc, "captions")) == 2


def test_english_caption_repeated_with_a_labelled_credit(chain):
    caption = "Iraqi soldiers at a checkpoint north of Baghdad in October 2014."
    doc = clean_text([BODY_EN, caption, caption + " Photo: Reuters", BODY_EN2], chain=chain)
    assert doc.meta["caption"] == caption
    assert doc.clean_text == BODY_EN + "\n\n" + BODY_EN2


def test_a_paragraph_repeated_without_a_credit_is_no_caption(chain):
    line = "Les soldats sont arrivés à Bagdad dans la nuit de dimanche à lundi."
    doc = clean_text([BODY_FR, line, line, BODY_FR2], chain=chain)
    assert "caption" not in doc.meta and not removed_by(doc, "captions")
    # the copy goes as a repetition, not as a caption
    assert doc.clean_text.count(line) == 1 and removed_by(doc, "repeated_blocks") == [line]


# -------------------------------------------------------------------------- credits
@pytest.mark.parametrize("credit", [
    "AFP/HAIDAR HAMDANI", "Photo: Reuters", "© AFP", "Crédits photos : Bestimage",
    "Crédit photo : KB / Bondy Blog", "Foto: dpa", "REUTERS/Jim Young", "(c) Getty Images",
])
def test_credit_line_is_removed(chain, credit):
    doc = clean_text([BODY_FR, credit, BODY_FR2], chain=chain)
    assert doc.clean_text == BODY_FR + "\n\n" + BODY_FR2
    assert removed_by(doc, "credits") == [credit]


def test_credit_glued_to_a_caption_is_cut(chain):
    doc = clean_text([BODY_EN, "Fuelling the debate (Photo: Sarawut/Adobe Stock)", BODY_EN2], chain=chain)
    assert "Fuelling the debate" in doc.clean_text
    assert "Sarawut" not in doc.clean_text
    assert removed_by(doc, "credits") == ["(Photo: Sarawut/Adobe Stock)"]


@pytest.mark.parametrize("sentence", [
    "La photo a été prise par un passant, selon Reuters, quelques minutes après l'explosion.",
    "Photo : le port au lever du jour, prise depuis le ferry qui arrivait de Marseille.",
    "The photo was taken by AFP photographer Haidar Hamdani in October.",
    "Reuters reported the figures on Tuesday.",
])
def test_sentence_mentioning_a_photo_or_an_agency_stays(chain, sentence):
    doc = clean_text([BODY_FR, sentence, BODY_FR2], chain=chain)
    assert sentence in doc.clean_text
    assert not removed_by(doc, "credits")


# --------------------------------------------------------------------- image names
@pytest.mark.parametrize("fragment", [
    "/2014/11/08/RTR2VHB6_1.jpg)",
    "/2023/07/06/64a68815cd1a7_placeholder-36b69ec8.png)",
    "image.jpeg",
    "https://cdn.example.org/img/2021/photo-1.webp?w=640 IMG_2044.JPG",
])
def test_line_of_image_file_names_is_removed(chain, fragment):
    doc = clean_text([BODY_FR, fragment, BODY_FR2], chain=chain)
    assert doc.clean_text == BODY_FR + "\n\n" + BODY_FR2
    assert removed_by(doc, "image_names") == [fragment]


@pytest.mark.parametrize("sentence", [
    "Le rapport complet est disponible dans le fichier rapport.pdf.",
    "Download the image.jpeg file from the press kit.",
])
def test_sentence_naming_a_file_stays(chain, sentence):
    doc = clean_text([BODY_EN, sentence, BODY_EN2], chain=chain)
    assert sentence in doc.clean_text


def test_file_name_line_inside_an_html_paragraph_is_cut():
    chain = Chain(Config(load_entry_points=False))
    html = ("<html><body><article><p>" + BODY_EN + "</p><p>A quiet street in Mosul<br>"
            "/2014/11/08/RTR2VHB6_1.jpg)<br>in October 2014.</p><p>" + BODY_EN2
            + "</p></article></body></html>")
    text = chain.prepare(Document(source="page.html", html=html)).document.to_record()["text"]
    assert ".jpg" not in text
    assert "A quiet street in Mosul\nin October 2014." in text


# ---------------------------------------------------------------- error-page tails
@pytest.mark.parametrize("tail", [
    ("Page non trouvée",
     "Le contenu auquel vous tentez d'accéder n'existe pas ou n'est plus disponible."),
    ("Page not found", "The page you are looking for does not exist."),
    ("Seite nicht gefunden", "Zurück zur Startseite"),
    ("Página no encontrada",),
    ("Erreur 404 - Page non trouvée",),
    ("404", "Page not found"),
])
def test_error_page_fragment_after_the_article_is_cut(chain, tail):
    doc = clean_text([BODY_FR, BODY_FR2, *tail], chain=chain)
    assert doc.clean_text == BODY_FR + "\n\n" + BODY_FR2
    assert removed_by(doc, "error_tail") == list(tail)


def test_error_fragment_after_an_article_scraped_one_sentence_per_line_is_cut(chain):
    sentences = ("Some 1,500 soldiers will soon be sent to Iraq.",
                 "The announcement was made on Monday in Kuwait by general James Terry.",
                 "The troops will train and advise the Iraqi forces.",
                 "Details of the deployment are still being discussed.",
                 "No contributing country has been named so far, the spokesman said.",
                 "Planning is well under way, he added.")
    doc = clean_text([*sentences, "Page not found", "Go back to the home page"], chain=chain)
    assert doc.clean_text == "\n\n".join(sentences)


def test_error_phrase_quoted_in_a_sentence_stays(chain):
    quoted = ("Lundi matin, les internautes ont vu s'afficher « Page non trouvée » sur le site "
              "du ministère, resté inaccessible pendant plusieurs heures.")
    doc = clean_text([BODY_FR, quoted, BODY_FR2], chain=chain)
    assert doc.clean_text == "\n\n".join((BODY_FR, quoted, BODY_FR2))


def test_error_heading_followed_by_article_paragraphs_stays(chain):
    # An article about broken links may use the phrase as a subheading: its text stays.
    more = [BODY_EN.replace("Monday", day) for day in ("Tuesday", "Wednesday", "Friday")] + \
        [BODY_EN2.replace("discussed", word) for word in ("debated", "negotiated")]
    lines = (BODY_EN, "Page not found", BODY_EN2, *more)
    doc = clean_text([*lines], chain=chain)
    assert doc.clean_text == "\n\n".join(lines)


def test_page_that_is_only_an_error_page_is_left_to_the_detectors(chain):
    doc = clean_text(["Page not found", "The page you are looking for does not exist."], chain=chain)
    assert "Page not found" in doc.clean_text
    assert not removed_by(doc, "error_tail")


# ------------------------------------------------------------------------- repeated blocks
PROMPT = "Recevez chaque matin l'essentiel de l'actualité dans votre boîte mail"


def test_later_copy_of_a_block_goes_and_the_first_stays(chain):
    doc = clean_text([BODY_FR, PROMPT, BODY_FR2, PROMPT.upper().replace("  ", " "), BODY_EN],
                     chain=chain)
    assert doc.clean_text.count(PROMPT) == 1 and PROMPT.upper() not in doc.clean_text
    assert doc.clean_text.index(PROMPT) < doc.clean_text.index(BODY_FR2)
    assert removed_by(doc, "repeated_blocks") == [PROMPT.upper()]
    assert [r.reason for r in doc.removed if r.plugin == "repeated_blocks"] == \
        ["repeats an earlier block"]


def test_short_repeated_labels_stay(chain):
    # a list or table repeats short labels ("En stock", "Couleur : bleu"): not boilerplate
    # the way a repeated sentence is
    lines = [BODY_FR, "Couleur : bleu", BODY_FR2, "Couleur : bleu", BODY_EN]
    doc = clean_text(lines, chain=chain)
    assert doc.clean_text.count("Couleur : bleu") == 2
    assert not removed_by(doc, "repeated_blocks")
