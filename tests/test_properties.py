"""Properties of the per-document chain on any text (hypothesis).

For any input: the chain never fails, and it never writes text that was not in its input.
Cleaning its own output again changes nothing, but for one precise exception: the cleaners
that take a line at an edge of the document (see ``EDGE_CLEANERS``) may take the line that
their first pass bared, when it has the same shape; they only ever take text away.
"""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clean_corpus.document import Document, normalize_text
from clean_corpus.pipeline import FAILED, WRITTEN

#: Lines that look like what cleaners look for (labels, dates, credits, prompts, links),
#: so that generated documents reach the rules, not only the empty-input paths.
LIKELY = ["Lire aussi : La réforme des retraites adoptée", "Par Jean Dupont", "12 mars 2021",
          "Photo : AFP/Jean Dupont", "© Reuters", "Accueil / Monde / Europe",
          "Abonnez-vous à notre newsletter", "Partager sur Facebook", "ÉCONOMIE",
          "Publié le 3 janvier 2022 à 14h30", "Kontakt: info@example.org, Tel. 030 1234567",
          "Erreur 404", "Skip to content", "Read more", "(AFP)", "www.example.org",
          "Le conseil municipal a voté le budget de la ville après trois heures de débat.",
          "The council approved the city budget after a three-hour debate on Tuesday night.",
          "Der Stadtrat hat den Haushalt nach dreistündiger Debatte am Dienstag beschlossen."]

line = st.one_of(st.sampled_from(LIKELY), st.text(max_size=120),
                 st.text(alphabet=st.characters(codec="utf-8"), max_size=60))
document_text = st.lists(line, min_size=0, max_size=12).map("\n".join)
PROPERTY = settings(max_examples=400, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def cleaned(chain, text: str):
    """The per-document chain's outcome (the corpus-level hooks need a whole run)."""
    return chain.prepare(Document(source="property.txt", text=text))


@PROPERTY
@given(text=document_text)
def test_chain_never_fails_on_any_text(chain, text):
    outcome = cleaned(chain, text)
    assert outcome.status != FAILED, outcome.error


@PROPERTY
@given(text=document_text)
def test_chain_never_writes_text_that_was_not_in_its_input(chain, text):
    outcome = cleaned(chain, text)
    if outcome.status != WRITTEN:
        return
    source = " ".join(normalize_text(text).split())
    record = outcome.document.to_record()
    for token in record["text"].split():
        assert token in source


#: Cleaners that take what stands at an edge of the document (the first few lines, before
#: the prose: a date, a kicker, a title, a byline; the last: a byline). Taking one bares
#: the next line, which a second pass may take too when it has the same shape ("(AFP)"
#: twice at the end). Everything else a second pass leaves alone.
EDGE_CLEANERS = {"byline", "date_line", "kicker", "title_standfirst", "title_repeat",
                 "section_label", "breadcrumbs"}


@PROPERTY
@given(text=document_text)
def test_cleaning_its_own_output_again_changes_nothing_but_bared_edges(chain, text):
    first = cleaned(chain, text)
    if first.status != WRITTEN:
        return
    once = first.document.to_record()["text"]
    second = cleaned(chain, once)
    if second.status != WRITTEN:
        # The second pass took the last lines there were; only an edge cleaner may.
        assert {r.plugin for r in second.document.removed} <= EDGE_CLEANERS
        return
    again = second.document.to_record()["text"]
    if again != once:
        assert {r.plugin for r in second.document.removed} <= EDGE_CLEANERS, \
            (once, again, second.document.removed)
        assert len(again) < len(once)  # only taken away, never rewritten
