"""Held-out pages: the cleaners on articles written for this check, not tuned on.

``fixtures/holdout/`` holds short pages in en, fr, de and es, written after the cleaners
were, with boilerplate worded in ways the lexicons do not list where a structural rule
(position, links, list shape, a label and a colon, a © and a year) should catch it anyway,
and with prose that looks like boilerplate: a short last sentence, a sentence quoting the
words "Lire aussi", numbered steps, a paragraph opening with an acronym, a sentence that
reads like a caption. One real run of the CLI over the folder; every prose sentence must
survive and every piece of boilerplate must be gone, removed by a cleaner (recorded in
``removed``), not lost by the extractor.

Variants no rule can tell without their words are left out on purpose (see
docs/cleaning.md, "Generality"): "Continue reading after the ad" (en_science), "Pin it"
(en_recipe).
"""
from __future__ import annotations

import pytest

from clean_corpus.testing import builtin_cli, read_jsonl
from conftest import FIXTURES

HOLDOUT = FIXTURES / "holdout"

#: Per page: sentences of the article that must stay.
PROSE = {
    "en_council.html": [
        "Construction is due to start next spring and the first trams should run in 2028.",
        "NASA engineers are not usually consulted on city transport",  # acronym opening
        "Figure 2 shows the planned route",  # reads like a caption
        "Opposition members said the figure did not include the cost",
        '"People in the north of the city have waited long enough',
        "Work on the depot starts first.",  # short last sentence
    ],
    "fr_ecole.html": [
        "Depuis la rentrée, les élèves de l'école Jules-Verne",
        "Le bandeau « Lire aussi » que les sites d'information glissent entre deux paragraphes",
        "Le conseil d'école votera en janvier sur sa reconduction",
        "Sur la photo, les élèves de CE1 pendant l'atelier de lecture",
        "La mairie, elle, attend.",
    ],
    "de_kommune.html": [
        "DLRG und Schwimmverein hatten seit der Schließung",
        "So geht es nun weiter:",
        "Im Frühjahr wird der Architektenwettbewerb ausgeschrieben.",
        "Im Herbst entscheidet eine Jury über die Entwürfe.",
        "Der Abriss des alten Bads beginnt im Jahr darauf.",
        "Das letzte Wort haben die Bürger.",
    ],
    "de_presse.html": [
        "Ein Team des Instituts für Umweltbiologie hat im Schlamm eines Klärwerks",
        "PET-Flaschen und Verpackungsfolien gehören zu den häufigsten Quellen",
        "berichtet die Leiterin der Arbeitsgruppe, Dr. Meike Albers.",
        "Die Studie wurde von der Landesstiftung gefördert.",
    ],
    "es_mercado.html": [
        "El mercado central de Villaverde abrió de nuevo sus puertas este sábado",
        "«Hemos pasado dos inviernos de frío, pero ha merecido la pena»",
        "El nuevo edificio tiene cubierta de madera",
        "El alcalde anunció además que la plaza se peatonalizará por completo en verano.",
        "Habrá fiesta.",
    ],
    "es_blog_huerto.html": [
        "Tener un huerto no exige un jardín.",
        "Pasos para la primera siembra:",
        "Llena las macetas con sustrato universal mezclado con compost.",
        "Riega con cuidado para no arrastrar las semillas.",
        "ONU y FAO recomiendan desde hace años la agricultura urbana",
        "Así de fácil.",
    ],
    "en_recipe.html": [
        "This is the loaf I bake most weeks in winter",
        "300 g dark rye flour",
        "Mix the flours, yeast and salt in a large bowl.",
        "Bake at 220 degrees for 50 minutes.",
        "Wet hands make it much easier to shape",
        "Enjoy it warm.",
    ],
    "en_science.html": [
        "Glaciers in the tropical Andes are losing ice twice as fast",
        "UNESCO lists several of the affected mountain ranges",
        "A graph in the paper shows the loss year by year",
        "The team now plans to install ground stations on three glaciers",
        "The answer may be ten years.",
    ],
    "fr_blog_velo.html": [
        "SNCF et TER permettent de rejoindre Besançon en vélo",
        "La première étape, jusqu'à Ornans, suit la vallée de la Loue",
        "Réservez les campings du lac de Saint-Point en juillet.",
        "Emportez de quoi réparer une crevaison.",
        # an unlinked list under a heading worded like a teaser label is the article's
        "À voir",
        "La saline royale d'Arc-et-Senans",
        "Les cascades du Hérisson",
        "Le retour en train depuis Saint-Claude prend moins de quatre heures.",
        "On y retournera.",
    ],
}

#: Per page: boilerplate a cleaner must remove, and which cleaner claims that kind.
#: Wording not in the lexicons is marked "variant": a structural rule has to catch it.
BOILERPLATE = {
    "en_council.html": [
        ("Reading time: 4 minutes", "link_labels"),
        ("Bus routes to be redrawn once the trams start running", "inline_teasers"),  # variant
        ("Sign up for the Courier Morning Briefing", "subscription_prompts"),  # variant
        ("© 2024 Riverside Courier Media Ltd", None),  # variant: © and a year
    ],
    "fr_ecole.html": [
        # variant label, told by the paragraph being one link
        ("À découvrir également : le bilan de la réforme", "inline_teasers"),
        ("Publicité", "ad_labels"),
        ("Sur le même sujet", "teaser_lists"),
        ("Cantine : la part du bio atteint 40 % dans les écoles", "teaser_lists"),
    ],
    "de_kommune.html": [
        ("Anzeige", "ad_labels"),
        # variant: an untitled run of links
        ("Freibad-Saison endet mit Besucherrekord", "link_lists"),
        ("Bauhof zieht in das alte Gewerbegebiet um", "link_lists"),
        # variant: an imprint line, told by its e-mail and phone
        ("Redaktion Kreisbote, Am Markt 4", "contact_blocks"),
    ],
    "de_presse.html": [
        ("12. März 2024", "date_line"),
        # variant heading: a label ending with a colon, then an e-mail
        ("Ansprechpartnerin für die Presse:", "contact_blocks"),
        ("m.albers@umweltbio-institut.de", "contact_blocks"),
        ("Alle Rechte vorbehalten.", None),
    ],
    "es_mercado.html": [
        ("Inicio | Noticias | Deportes", "link_lists"),  # variant: a linked menu bar
        ("Lee también: La feria de abril tendrá un recinto nuevo", "inline_teasers"),
        ("Noticias relacionadas", "teaser_lists"),
        ("Las obras de la calle Mayor terminan en marzo", "teaser_lists"),
        ("12 comentarios", "comment_prompts"),
    ],
    "es_blog_huerto.html": [
        ("Suscríbete a nuestro boletín semanal", "subscription_prompts"),
        ("Compartir en Facebook", "link_labels"),
        ("Deja un comentario", "comment_prompts"),
    ],
    "en_recipe.html": [
        ("This post may contain affiliate links", "ad_labels"),
        ("Photograph: Tom Baker", "credits"),
        ("Home | Recipes | About | Contact", "link_lists"),  # variant: a linked menu bar
        ("Leave a Reply", "comment_prompts"),
        ("Your email address will not be published.", "comment_prompts"),
    ],
    "en_science.html": [
        ("By Daniel Okafor", "byline"),
        # variant: a label with a colon over a run of links goes with the run
        ("Keep exploring:", "link_lists"),
        ("Greenland melt season starts early", "link_lists"),
        ("this article may not be republished", "legal_notices"),
    ],
    "fr_blog_velo.html": [
        ("Accueil › Voyages › Vélo", "breadcrumbs"),
        ("Par Claire Martin", "byline"),
        ("Nous utilisons des cookies", "cookie_consent"),
        ("Tous droits réservés", "legal_notices"),
    ],
}


@pytest.fixture(scope="module")
def records(tmp_path_factory) -> dict[str, dict]:
    out = tmp_path_factory.mktemp("holdout") / "out.jsonl"
    builtin_cli("run", HOLDOUT, "-o", out, "-q", "--no-progress")
    return {r["source"].rsplit("/", 1)[-1]: r for r in read_jsonl(out)}


def test_every_holdout_page_is_written(records):
    assert sorted(records) == sorted(p.name for p in HOLDOUT.glob("*.html"))
    assert sorted(PROSE) == sorted(BOILERPLATE) == sorted(records)


@pytest.mark.parametrize("page", sorted(PROSE))
def test_article_prose_survives(records, page):
    record = records[page]
    removed = [r["text"] for r in record["removed"]]
    for sentence in PROSE[page]:
        assert sentence in record["text"], sentence
        assert not any(sentence in text for text in removed), sentence


@pytest.mark.parametrize("page", sorted(BOILERPLATE))
def test_boilerplate_is_removed_by_its_cleaner(records, page):
    record = records[page]
    for snippet, plugin in BOILERPLATE[page]:
        assert snippet not in record["text"], snippet
        by = {r["plugin"] for r in record["removed"] if snippet in r["text"]}
        assert by, f"{snippet!r} was not removed by a cleaner"
        if plugin:
            assert plugin in by, (snippet, by)


def test_lists_without_a_teaser_heading_stay_whole(records):
    # Steps and ingredients are short lines without final full stops or with one each:
    # no cleaner may take a list the article itself sets out.
    text = records["en_recipe.html"]["text"]
    for item in ("300 g dark rye flour", "200 g strong white flour", "100 g walnuts, toasted",
                 "7 g dried yeast"):
        assert item in text
