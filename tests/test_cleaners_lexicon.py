"""Lexicon and list cleaners: skip links, ad labels, cookie banners, subscription and comment
prompts, teaser lists, inline teasers, link lists, link labels, contact boxes, legal notices.

Each cleaner is checked on what it removes (and that the removal is recorded with its name
and a reason) and on the prose it must leave alone, in French and English at least. Text
input goes through the whole chain; the rules that need link information get blocks with
``link_chars`` set, as the HTML extractor makes them, and an HTML page goes through the CLI.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from clean_corpus import Block, Document
from clean_corpus.testing import clean_text, removed_by

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "fixtures" / "seeds"
CLI = Path(sys.executable).with_name("clean-corpus")

BODY_FR = ("Le conseil municipal a adopté mardi soir le budget de la ville pour l'année "
           "prochaine, après plus de quatre heures de débats parfois vifs entre la majorité "
           "et l'opposition, qui a voté contre.")
BODY_FR2 = ("Le maire a défendu un budget responsable, qui prévoit une hausse des "
            "investissements dans les écoles et les transports, tout en maintenant les taux "
            "d'imposition au même niveau que l'an dernier.")
BODY_EN = ("The city council approved next year's budget on Tuesday evening after more than "
           "four hours of sometimes heated debate between the majority and the opposition, "
           "which voted against it.")
BODY_EN2 = ("The mayor defended what he called a responsible budget, with more money for "
            "schools and public transport while keeping local tax rates at last year's level.")






def clean_blocks(chain, *blocks: Block) -> Document:
    """Run ready-made blocks (as the HTML extractor makes them) through the clean hook."""
    doc = Document(source="page.html", html="<html></html>")
    doc.blocks = list(blocks)
    chain.hook.clean(document=doc)
    return doc


def linked(text: str, kind: str = "p", share: float = 1.0) -> Block:
    """A block whose text is (a share of) link anchors."""
    return Block(text, kind, link_chars=int(len(text) * share))




def texts(doc: Document) -> list[str]:
    return [b.text for b in doc.blocks]


# ------------------------------------------------------------------------ skip links
@pytest.mark.parametrize("line", ["Accéder au contenu principal", "Skip to content",
                                  "Zum Inhalt springen", "Saltar al contenido",
                                  "Skip to main content Skip to navigation"])
def test_skip_links_are_removed(chain, line):
    doc = clean_text([line, BODY_FR, BODY_FR2], chain=chain)
    assert removed_by(doc, "skip_links") == [line]
    assert texts(doc) == [BODY_FR, BODY_FR2]


def test_sentence_about_main_content_stays(chain):
    sentence = ("Les enquêteurs ont pu accéder au contenu principal du téléphone grâce à "
                "une faille du système, a indiqué le parquet.")
    doc = clean_text([BODY_FR, sentence, BODY_FR2], chain=chain)
    assert sentence in texts(doc)
    assert not removed_by(doc, "skip_links")


# ---------------------------------------------------------------------- ad labels
@pytest.mark.parametrize("label", ["Publicité", "PUBLICITÉ", "Advertisement", "Anzeige",
                                   "Publicidad", "REKLAMA", "Anzeige, enthält Affiliate Links",
                                   "Suite après la publicité"])
def test_ad_labels_are_removed(chain, label):
    doc = clean_text([BODY_FR, label, BODY_FR2], chain=chain)
    assert removed_by(doc, "ad_labels") == [label]
    assert texts(doc) == [BODY_FR, BODY_FR2]


@pytest.mark.parametrize("sentence", [
    "La publicité en ligne a rapporté 8 milliards d'euros en 2023, selon le syndicat des régies.",
    "Publicité mensongère : l'entreprise a été condamnée à une amende de 50 000 euros.",
    "Advertising revenue fell by 5% last year, the company said in its annual report.",
    "Die Anzeige wurde am Montag bei der Polizei in Hamburg erstattet.",
])
def test_sentences_that_mention_advertising_stay(chain, sentence):
    doc = clean_text([BODY_FR, sentence, BODY_EN], chain=chain)
    assert sentence in texts(doc)
    assert not removed_by(doc, "ad_labels")


def test_affiliate_disclosure_and_ad_sales_box_are_removed(chain):
    disclosure = ("Letzte Aktualisierung am 2.02.2022 / Bei den Verlinkungen handelt es sich "
                  "um Affiliate Links / Bilder von der Amazon Product Advertising API")
    # Cyrillic look-alike letters, as spam boxes use them to dodge filters.
    sales = ("Аdvеrtіѕе wіth thе most visited news site in the country ~ Wе оffеr "
             "flexible digital marketing packages. Contact us at ads@example.com.")
    doc = clean_text([BODY_EN, disclosure, BODY_EN2, sales], chain=chain)
    assert removed_by(doc, "ad_labels") == [disclosure, sales]
    assert texts(doc) == [BODY_EN, BODY_EN2]


def test_article_about_affiliate_marketing_stays(chain):
    prose = ("Affiliate links let bloggers earn a commission on sales, and regulators now "
             "require them to say so clearly. Many readers, however, never notice the "
             "disclosure, according to a survey of 2,000 people published on Monday by the "
             "consumer agency, which wants stricter rules for influencers and publishers.")
    doc = clean_text([BODY_EN, prose], chain=chain)
    assert prose in texts(doc)


# ----------------------------------------------------------------- cookie banners
def test_cookie_banner_and_buttons_are_removed(chain):
    banner = ("Nous utilisons des cookies pour améliorer votre expérience. En poursuivant "
              "votre navigation, vous acceptez leur utilisation.")
    doc = clean_text([banner, "Tout accepter", "Paramétrer les cookies", BODY_FR, BODY_FR2], chain=chain)
    assert removed_by(doc, "cookie_consent") == [banner, "Tout accepter",
                                                  "Paramétrer les cookies"]
    assert texts(doc) == [BODY_FR, BODY_FR2]


def test_english_cookie_banner_is_removed(chain):
    banner = "We use cookies to personalise content and ads. Read our cookie policy."
    doc = clean_text([BODY_EN, BODY_EN2, banner, "Accept all"], chain=chain)
    assert removed_by(doc, "cookie_consent") == [banner, "Accept all"]


@pytest.mark.parametrize("sentence", [
    "La CNIL a infligé une amende à Google pour l'utilisation de cookies sans consentement.",
    "Google uses cookies to follow users across websites, the regulator said on Monday.",
])
def test_articles_about_cookies_stay(chain, sentence):
    doc = clean_text([BODY_FR, sentence, BODY_EN], chain=chain)
    assert sentence in texts(doc)
    assert not removed_by(doc, "cookie_consent")


# --------------------------------------------------------- subscription and paywall
def test_glued_newsletter_prompt_is_removed(chain):
    prompt = "NewsletterRecevez toute l'actualité internationale directement dans votre boite mail"
    doc = clean_text([BODY_FR, BODY_FR2, prompt], chain=chain)
    assert removed_by(doc, "subscription_prompts") == [prompt]
    assert texts(doc) == [BODY_FR, BODY_FR2]


def test_newsletter_box_is_removed_with_its_small_print(chain):
    box = ["Sign up for our newsletter",
           "Never miss the latest news by signing up to our newsletter today!",
           "Every day we'll send you a roundup email of all the latest news.",
           "You can unsubscribe from this service at any time."]
    doc = clean_text([BODY_EN, *box, BODY_EN2], chain=chain)
    assert removed_by(doc, "subscription_prompts") == box
    assert texts(doc) == [BODY_EN, BODY_EN2]


@pytest.mark.parametrize("sentence", [
    "Le journal a lancé une newsletter en 2019, envoyée chaque matin par e-mail à ses lecteurs.",
    "The newsletter, sent by email to 10,000 readers every week, was discontinued in May.",
    "Les abonnés peuvent désormais recevoir le journal gratuitement sur leur tablette.",
])
def test_sentences_about_newsletters_stay(chain, sentence):
    doc = clean_text([BODY_FR, sentence, BODY_EN], chain=chain)
    assert sentence in texts(doc)
    assert not removed_by(doc, "subscription_prompts")


def test_paywall_takes_the_sales_box_after_it(chain):
    box = ["Pour lire la suite et accéder gratuitement à 3 articles par mois, créez votre compte",
           "Ou si vous avez déjà un compte, connectez-vous ici",
           "Offre découverte", "1€ le 1er mois puis 12€ par mois", "Abonnez-vous"]
    doc = clean_text([BODY_FR, BODY_FR2, *box], chain=chain)
    assert removed_by(doc, "subscription_prompts") == box
    assert texts(doc) == [BODY_FR, BODY_FR2]


def test_paywall_line_before_prose_goes_alone(chain):
    doc = clean_text([BODY_EN, "Subscribe to continue reading", BODY_EN2], chain=chain)
    assert removed_by(doc, "subscription_prompts") == ["Subscribe to continue reading"]
    assert texts(doc) == [BODY_EN, BODY_EN2]


def test_sentence_with_paywall_words_stays(chain):
    sentence = "Il était déjà abonné au journal depuis vingt ans."
    doc = clean_text([BODY_FR, BODY_FR2, sentence, "Le maire a conclu la séance."], chain=chain)
    assert texts(doc)[2:] == [sentence, "Le maire a conclu la séance."]


# --------------------------------------------------------------- comment prompts
def test_comment_section_and_login_prompt_are_removed(chain):
    tail = ["Commentaires",
            "Connectez-vous ou créez votre espace franceinfo pour commenter.",
            "Déjà un compte ? Se connecter"]
    doc = clean_text([BODY_FR, BODY_FR2, *tail], chain=chain)
    assert removed_by(doc, "comment_prompts") == tail
    assert texts(doc) == [BODY_FR, BODY_FR2]


@pytest.mark.parametrize("line", ["Log in to comment", "Comments (12)", "Leave a reply",
                                  "0 Kommentare",
                                  "Your email address will not be published.",
                                  "Du musst eingeloggt sein, um Kommentare zu schreiben!"])
def test_english_and_german_comment_prompts_are_removed(chain, line):
    doc = clean_text([BODY_EN, BODY_EN2, line], chain=chain)
    assert removed_by(doc, "comment_prompts") == [line]


@pytest.mark.parametrize("sentence", [
    "The company declined to comment.",
    "Il n'a pas souhaité commenter ces informations, publiées mardi par le journal.",
    "Les commentaires du ministre ont suscité une vive polémique.",
    "Comments by the minister caused an uproar in parliament.",
])
def test_prose_about_comments_stays(chain, sentence):
    doc = clean_text([BODY_EN, sentence, BODY_FR], chain=chain)
    assert sentence in texts(doc)
    assert not removed_by(doc, "comment_prompts")


# ------------------------------------------------------------------ teaser lists
def test_teaser_list_with_separator_lines_is_removed(chain):
    # The shape of seed 004: heading, then items with "-" lines between them.
    teaser = ["À regarder", "-", "Maison Blanche : un nouveau bâtiment", "-",
              "Tempête : des annulations de trains en cascade", "-",
              "Que disent les images de l'incarcération ?"]
    doc = clean_text([BODY_FR, BODY_FR2, *teaser], chain=chain)
    assert removed_by(doc, "teaser_lists") == teaser
    assert texts(doc) == [BODY_FR, BODY_FR2]


def test_teaser_list_ends_where_prose_resumes(chain):
    teaser = ["Read more", "Council votes on new cycle lanes",
              "Local elections: what the candidates promise"]
    section = "What the budget means for schools"
    doc = clean_text([BODY_EN, *teaser, section, BODY_EN2], chain=chain)
    assert removed_by(doc, "teaser_lists") == teaser
    # a section title that heads prose belongs to the article
    assert texts(doc) == [BODY_EN, section, BODY_EN2]


def test_menu_item_above_the_article_does_not_take_its_title(chain):
    lines = ["Accueil", "À la une", "Politique", "International",
             "Le budget de la ville adopté après quatre heures de débats",
             "La majorité a fait voter un budget sans hausse d'impôts"]
    doc = clean_text([*lines, BODY_FR, BODY_FR2], chain=chain)
    assert removed_by(doc, "teaser_lists") == ["À la une", "Politique", "International"]
    # title and standfirst stay for the metadata cleaners (in the text or lifted out)
    kept = texts(doc) + [doc.meta.get("title"), doc.meta.get("description")]
    assert lines[4] in kept and lines[5] in kept


def test_list_of_short_items_without_teaser_heading_stays(chain):
    recipe = ["Ingrédients", "200 g de farine", "3 œufs", "1 sachet de levure",
              "Préchauffer le four", "Mélanger la farine et les œufs"]
    steps = ["You will need:", "a drill", "two screws", "a spirit level"]
    doc = clean_text([BODY_FR, *recipe, BODY_FR2, BODY_EN, *steps, BODY_EN2], chain=chain)
    assert texts(doc) == [BODY_FR, *recipe, BODY_FR2, BODY_EN, *steps, BODY_EN2]
    assert not removed_by(doc, "teaser_lists")


@pytest.mark.parametrize("paragraph", [
    "Read more about this in the report, which the ministry published on Tuesday.",
    "Related to this, the ministry said it would review every contract signed since 2019.",
    "Lire aussi le rapport de la Cour des comptes, qui pointe des dépenses mal maîtrisées.",
])
def test_teaser_words_inside_a_paragraph_stay(chain, paragraph):
    doc = clean_text([BODY_EN, paragraph, "Short item one", "Short item two", BODY_EN2], chain=chain)
    assert paragraph in texts(doc)
    assert "Short item one" in texts(doc)
    assert not removed_by(doc, "teaser_lists") and not removed_by(doc, "inline_teasers")


def test_heading_that_only_starts_like_a_teaser_label_stays(chain):
    # "Auch auf" announces another site ("Auch auf example.de"), not the countryside
    heading = "Auch auf dem Land"
    items = ["Busse fahren seltener", "Schulen schließen früher"]
    doc = clean_text([BODY_EN, heading, *items, BODY_EN2], chain=chain)
    assert texts(doc) == [BODY_EN, heading, *items, BODY_EN2]


def test_linked_teaser_box_under_a_heading_is_removed(chain):
    doc = clean_blocks(chain, Block(BODY_DE := (
        "Die Stadt hat am Dienstag den Haushalt für das kommende Jahr beschlossen, nach "
        "mehr als vier Stunden Debatte im Rat, teils mit heftigen Wortwechseln.")),
        Block("Auch auf example.de", "head"),
        linked("Warum nehme ich nicht ab? 4 Gründe 20 Kilo abnehmen: Mit dieser "
               "Strategie klappt's! Endlich schlank mit diesen Tipps"))
    assert texts(doc) == [BODY_DE]
    assert len(removed_by(doc, "teaser_lists")) == 2


# ---------------------------------------------------------------- inline teasers
@pytest.mark.parametrize("line", [
    "À lire aussi : Les impôts locaux augmentent de 2 % dans la région",
    "Lire aussi - Municipales : les candidats dévoilent leurs programmes",
    "Lea también: Impiden ingreso a Nicaragua a reportero y camarógrafo estadounidense",
    "LESEN SIE AUCH: Das sind die neuen Regeln für Radfahrer",
    "Read more: Looted colonial art: Germany to set up new contact office",
    "Leggi anche: Il governo approva la manovra",
    "Lees ook: Gemeente stelt begroting vast",
])
def test_inline_teasers_are_removed(chain, line):
    doc = clean_text([BODY_FR, line, BODY_FR2], chain=chain)
    assert removed_by(doc, "inline_teasers") == [line]
    assert texts(doc) == [BODY_FR, BODY_FR2]


def test_teaser_glued_after_the_last_sentence_is_cut(chain):
    glued = BODY_FR + " (Lire aussi : Les impôts locaux augmentent de 2 % dans la région)"
    sentence = BODY_FR2 + " Lire aussi le rapport de la Cour des comptes, publié mardi."
    doc = clean_text([glued, sentence], chain=chain)
    assert texts(doc) == [BODY_FR, sentence]
    assert removed_by(doc, "inline_teasers") == [
        "(Lire aussi : Les impôts locaux augmentent de 2 % dans la région)"]


def test_labelled_sentence_is_no_teaser(chain):
    sentence = ("Related: the minister's remarks sparked a row across Europe, with many "
                "calling for his resignation.")
    doc = clean_text([BODY_EN, sentence, BODY_EN2], chain=chain)
    assert sentence in texts(doc)


def test_one_word_label_needs_a_link(chain):
    plain = "Lea: Ich finde, das war ein guter Abend für alle"
    doc = clean_blocks(chain, Block(BODY_EN), Block(plain),
                       linked("Lea: Consejo Permanente de la OEA aborda la confiscación",
                              share=0.9),
                       Block(BODY_EN2))
    assert texts(doc) == [BODY_EN, plain, BODY_EN2]
    assert removed_by(doc, "inline_teasers") == [
        "Lea: Consejo Permanente de la OEA aborda la confiscación"]


def test_paragraph_that_is_only_a_link_is_removed(chain):
    teaser = ">> Transports : la nouvelle ligne de tramway ouvrira en septembre <<"
    address = "https://www.example.org/rapport-annuel-2023"
    byline = "Von: Götz Warnke"
    doc = clean_blocks(chain, Block(BODY_FR), linked(teaser), Block(BODY_FR2),
                       linked(address), linked(byline))
    assert removed_by(doc, "inline_teasers") == [teaser]
    assert address in texts(doc)  # the address is the text itself, not a link label
    assert byline not in removed_by(doc, "inline_teasers")  # left to the byline cleaner


def test_more_information_pointer_is_removed(chain):
    pointer = "Weitere Infos unter www.example.de."
    sentence = ("Weitere Informationen zu den Terminen gibt es in Kürze, teilte der Verband "
                "am Montag mit.")
    doc = clean_text([BODY_FR, sentence, pointer], chain=chain)
    assert removed_by(doc, "inline_teasers") == [pointer]
    assert sentence in texts(doc)


# -------------------------------------------------------------------- link lists
def test_run_of_link_blocks_with_its_label_is_removed(chain):
    run = [Block("Links:", "p"), linked("Politik", "item"), linked("Wirtschaft", "item"),
           linked("Kultur und Gesellschaft", "item")]
    doc = clean_blocks(chain, Block(BODY_EN), *run, Block(BODY_EN2))
    assert texts(doc) == [BODY_EN, BODY_EN2]
    assert removed_by(doc, "link_lists") == ["Links:", "Politik", "Wirtschaft",
                                             "Kultur und Gesellschaft"]


def test_two_links_or_a_titled_list_keep_their_text(chain):
    title = Block("Cycling in the city", "head")
    doc = clean_blocks(chain, Block(BODY_EN), title, linked("First link", "item"),
                       linked("Second link", "item"), Block(BODY_EN2))
    assert texts(doc) == [BODY_EN, "Cycling in the city", "First link", "Second link",
                          BODY_EN2]


def test_items_with_text_besides_their_links_stay(chain):
    items = [linked("2 décembre 2019 : Reportage JT 13 heures de France 2", "item", 0.6),
             linked("1er décembre 2019 : Article Libération", "item", 0.5),
             linked("26 avril 2019 : Dossier Les Echos Week-end", "item", 0.6)]
    doc = clean_blocks(chain, Block(BODY_FR), *items)
    assert len(doc.blocks) == 4


def test_menu_bar_is_removed(chain):
    menu = linked("Politik | Wirtschaft | Kultur | Sport", "p", 0.8)
    doc = clean_blocks(chain, menu, Block(BODY_EN), Block(BODY_EN2))
    assert removed_by(doc, "link_lists") == [menu.text]


# -------------------------------------------------------------------- link labels
@pytest.mark.parametrize("label", ["Lire la suite", "Share on Facebook", "Weiterlesen",
                                   "Article suivant", "Zum Vergrößern bitte anklicken"])
def test_link_labels_are_removed(chain, label):
    doc = clean_text([BODY_FR, label, BODY_FR2], chain=chain)
    assert removed_by(doc, "link_labels") == [label]


def test_download_link_is_removed(chain):
    download = linked("Informationsschreiben vom 14. Oktober 2021 PDF | 38 KB", "p", 0.6)
    doc = clean_blocks(chain, Block(BODY_EN), download, Block(BODY_EN2))
    assert removed_by(doc, "link_labels") == [download.text]


@pytest.mark.parametrize("label", ["Temps de lecture : 3 min", "5 min read",
                                   "Lesezeit: 4 Minuten"])
def test_reading_time_labels_are_removed(chain, label):
    doc = clean_text([label, BODY_FR, BODY_FR2], chain=chain)
    assert removed_by(doc, "link_labels") == [label]


def test_follow_us_prompt_is_removed(chain):
    prompt = "Suivez-nous sur Facebook, Twitter et Instagram"
    quoted = "« Suivez-nous », a lancé le maire aux manifestants devant la mairie."
    doc = clean_text([BODY_FR, quoted, BODY_FR2, prompt], chain=chain)
    assert removed_by(doc, "subscription_prompts") == [prompt]
    assert quoted in texts(doc)


def test_sentence_with_link_label_words_stays(chain):
    sentence = "Lire la suite du rapport a pris deux heures aux élus de l'opposition."
    doc = clean_text([BODY_FR, sentence, BODY_FR2], chain=chain)
    assert sentence in texts(doc)


# ----------------------------------------------------------------- contact boxes
def test_contact_box_is_removed(chain):
    box = ["Kontakt:", "Dr. Erika Muster, Pressestelle, E-Mail: presse@example.de",
           "Max Beispiel, Tel.: +49 40 123 456 78"]
    doc = clean_text([BODY_EN, BODY_EN2, *box], chain=chain)
    assert removed_by(doc, "contact_blocks") == box
    assert texts(doc) == [BODY_EN, BODY_EN2]


def test_contact_in_a_menu_takes_no_list_of_short_lines_after_it(chain):
    # a shop page: "Contact us" in its menu, then items and prices, the shop's address and
    # e-mail at the foot; the lines after the last contact line of a box stay
    menu = ["Shop", "About", "Contact us"]
    items = [line for n in range(1, 21) for line in (f"Hand dyed silk scarf no. {n}", f"${n}0.00")]
    foot = ["Our shop", "12 Market Street", "E-Mail: shop@example.com"]
    doc = clean_text([*menu, *items, *foot], chain=chain)
    assert "contact box" not in {r.reason for r in doc.removed}
    assert [t for t in texts(doc) if t in items] == items
    box = ["Kontakt:", "Dr. Erika Muster, Pressestelle", "E-Mail: presse@example.de",
           "Öffnungszeiten der Ausstellung"]
    doc = clean_text([BODY_EN, BODY_EN2, *box], chain=chain)
    assert removed_by(doc, "contact_blocks") == box[:3]


def test_contact_heading_before_prose_and_quoted_address_stay(chain):
    contact = "Contact"
    prose = ("First contact with the tribe was made in 1981, when a team of "
             "anthropologists reached the river, the museum's archive shows.")
    quoted = "Readers can write to letters@example.com with their questions."
    doc = clean_text([BODY_EN, contact, prose, quoted], chain=chain)
    assert texts(doc) == [BODY_EN, contact, prose, quoted]


# ----------------------------------------------------------------- legal notices
def test_copyright_notice_is_removed(chain):
    notice = ("© 2022, Example News. This article is the copyrighted property of Example "
              "News. Written permission must be obtained before reprint in online or print media.")
    doc = clean_text([BODY_EN, BODY_EN2, notice, "© 1996 - 2022 Tous droits réservés"], chain=chain)
    assert removed_by(doc, "legal_notices") == [notice, "© 1996 - 2022 Tous droits réservés"]


def test_prose_about_copyright_stays(chain):
    sentence = ("Le droit d'auteur protège les œuvres pendant soixante-dix ans après la mort "
                "de l'auteur, a rappelé la ministre.")
    doc = clean_text([BODY_FR, sentence], chain=chain)
    assert sentence in texts(doc)


# ----------------------------------------------------------- seeds, HTML, records
def test_seed_boilerplate_does_not_leak(tmp_path):
    out = tmp_path / "seeds.jsonl"
    subprocess.run([str(CLI), "run", str(SEEDS), "-o", str(out), "-q", "--no-progress"],
                   check=True)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 5
    text = "\n".join(r["text"] for r in records)
    for leak in ("Publicité", "Newsletter", "Recevez toute", "À regarder", "Louvre",
                 "Sarkozy", "Commentaires", "Connectez-vous", "Se connecter",
                 "Accéder au contenu principal"):
        assert leak not in text, leak
    removals = {(r["plugin"], r["text"]) for rec in records for r in rec["removed"]}
    assert ("ad_labels", "Publicité") in removals
    assert ("skip_links", "Accéder au contenu principal") in removals
    assert ("teaser_lists", "À regarder") in removals
    assert ("comment_prompts", "Déjà un compte ? Se connecter") in removals
    # the article's own sub-heading in seed 004 survives the teaser list below it
    assert "1 400 soldats américains sont déjà en Irak" in text


PAGE = """<!DOCTYPE html><html lang="fr"><head><title>Le budget de la ville adopté</title>
</head><body><main><article>
<h1>Le budget de la ville adopté</h1>
<p>{body}</p>
<p>Lire aussi : <a href="/a/1">Les impôts locaux augmentent de 2 % dans la région</a></p>
<p>{body2}</p>
<p><a href="/a/2">Transports : la nouvelle ligne de tramway ouvrira en septembre</a></p>
<p>L'opposition a dénoncé un budget sans ambition. Plusieurs élus ont regretté l'absence de
mesures pour le logement social, selon le compte rendu de la séance publié mercredi.</p>
</article></main></body></html>"""


def test_html_page_through_the_cli(tmp_path):
    page = tmp_path / "budget.html"
    page.write_text(PAGE.format(body=BODY_FR, body2=BODY_FR2), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    subprocess.run([str(CLI), "run", str(page), "-o", str(out), "-q", "--no-progress"],
                   check=True)
    line = out.read_text(encoding="utf-8").strip()
    record = json.loads(line)
    assert BODY_FR in record["text"] and BODY_FR2 in record["text"]
    assert "Lire aussi" not in record["text"] and "tramway" not in record["text"]
    reasons = {r["plugin"]: r["reason"] for r in record["removed"]}
    assert reasons["inline_teasers"] in ("inline teaser", "paragraph that is only a link")
    assert "link_chars" not in line  # link information never reaches the record


def test_extractor_counts_link_characters(chain):
    html = PAGE.format(body=BODY_FR, body2=BODY_FR2)
    extraction = chain.hook.extract(document=Document(source="p.html", html=html))
    by_text = {b.text: b for b in extraction.blocks}
    teaser = by_text["Lire aussi : Les impôts locaux augmentent de 2 % dans la région"]
    assert teaser.link_chars == len("Les impôts locaux augmentent de 2 % dans la région")
    assert by_text[BODY_FR].link_chars == 0
    assert by_text["Transports : la nouvelle ligne de tramway ouvrira en septembre"] \
        .link_density == 1.0


def test_a_cleaner_can_be_disabled(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text(f"{BODY_FR}\nPublicité\n{BODY_FR2}\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    subprocess.run([str(CLI), "run", str(src), "-o", str(out), "-q", "--no-progress",
                    "--disable", "ad_labels", "--disable", "text_classifier"], check=True)
    assert "Publicité" in json.loads(out.read_text(encoding="utf-8"))["text"]


# ------------------------------------------- generality: prose that uses the words
@pytest.mark.parametrize("sentence", [
    "Users can sign up for free by email.",
    "Readers who sign up get the newsletter every week.",
    "Les lecteurs qui s'abonnent reçoivent la newsletter chaque semaine.",
])
def test_short_sentences_reporting_on_subscriptions_stay(chain, sentence):
    # Short sentences of an article about a service: they report a sign-up, they do
    # not call the reader to one (no sentence opens with the call).
    doc = clean_text([BODY_EN, sentence, BODY_EN2], chain=chain)
    assert sentence in texts(doc)


@pytest.mark.parametrize("prompt", [
    "Sign up for our free daily newsletter.",
    "Subscribe to our newsletters.",
    "Abonnez-vous à notre newsletter.",
])
def test_calls_to_subscribe_ending_with_a_full_stop_still_go(chain, prompt):
    doc = clean_text([BODY_EN, prompt, BODY_EN2], chain=chain)
    assert prompt in removed_by(doc, "subscription_prompts")


@pytest.mark.parametrize("sentence", [
    "The band said all rights reserved by the label had been sold to a fund.",
    "The book may not be reproduced in schools, the court ruled on Friday.",
])
def test_sentences_quoting_legal_wording_stay(chain, sentence):
    doc = clean_text([BODY_EN, sentence, BODY_EN2], chain=chain)
    assert sentence in texts(doc)


@pytest.mark.parametrize("notice", [
    "All rights reserved.",
    "From the book The Long Road by Jane Roe. Copyright © 2019 by Jane Roe. "
    "Reprinted by permission of the publisher. All rights reserved.",
])
def test_legal_notices_with_a_mark_or_short_still_go(chain, notice):
    doc = clean_text([BODY_EN, notice, BODY_EN2], chain=chain)
    assert notice in removed_by(doc, "legal_notices")


def test_the_blocks_a_lexicon_test_can_hold_of_are_all_kept_as_candidates():
    # ``holding`` lets a cleaner skip blocks: it must keep every block that ``covers``,
    # ``prefix`` or ``found`` says yes to (glued words and look-alike letters included),
    # and it does skip a block where no phrase of the lists can start
    from clean_corpus_plugins.cleaners.lexmatch import Phrases, holding, lexicon, words
    from clean_corpus_plugins.lexicon import load_all

    kinds = sorted({kind for tables in load_all().values() for kind in tables})
    lines = [BODY_FR, BODY_FR2, "12 Kommentare", "NewsletterRecevez nos infos",
             "Аdvеrtіѕеment", "Lire aussi : la réforme", "© 2024 Tous droits réservés"]
    for kind in kinds:
        lines += [" ".join(seq) for seq in lexicon(kind).seqs[:40]]
    blocks = [Block(line) for line in lines]
    for kind in kinds:
        phrases = lexicon(kind)
        kept = {id(b) for b in holding(blocks, phrases)}
        for block in blocks:
            ws = words(block.text)
            if phrases.covers(ws) or phrases.prefix(ws) or phrases.found(ws):
                assert id(block) in kept, (kind, block.text)
    plain = Block("Xylophon quarzt zebrafink")
    assert not holding([plain], *(lexicon(kind) for kind in kinds))
    # a list made after the block was first looked at is looked up anew
    assert holding([plain], Phrases("advertising", extra=("quarzt",)))
