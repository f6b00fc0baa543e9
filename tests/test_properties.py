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


runs = st.lists(st.tuples(st.integers(-2, 14), st.integers(-2, 40), st.integers(-2, 6)),
                max_size=5)


@settings(max_examples=2000, deadline=None)
@given(size=st.integers(0, 14), origin=st.one_of(st.none(), runs),
       start=st.integers(-4, 16), end=st.one_of(st.none(), st.integers(-4, 16)))
def test_a_block_reads_where_its_characters_stood_from_its_runs_as_from_each_character(
        size, origin, start, end):
    # Spans and runs are read from the block's runs directly (the record's offsets, every
    # removal); they must say what the per-character offsets say, whatever the runs.
    from clean_corpus.document import Block, _runs

    block = Block("x" * size, origin=origin)
    known = [o for o in block.origins()[start:end] if o >= 0]
    assert block.input_span(start, end) == ((known[0], known[-1] + 1) if known else None)
    assert block.runs() == _runs(block.origins())


@settings(max_examples=500, deadline=None)
@given(texts=st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, max_size=12),
       data=st.data())
def test_dropping_blocks_at_once_removes_what_dropping_them_one_by_one_does(texts, data):
    from clean_corpus.document import Block

    blocks = [Block(text, origin=[(0, i, 1)]) for i, text in enumerate(texts)]
    named = data.draw(st.lists(st.sampled_from(blocks), unique_by=id))
    one_by_one, at_once = (Document(source="d.txt", blocks=list(blocks)) for _ in range(2))
    for block in named:
        one_by_one.drop_block(block, "p", "r")
    at_once.drop_blocks(named, "p", "r")
    assert [id(b) for b in at_once.blocks] == [id(b) for b in one_by_one.blocks]
    assert at_once.removed == one_by_one.removed


@PROPERTY
@given(text=st.one_of(line, document_text))
def test_normalised_text_is_nfc_without_control_characters_or_loose_spaces(text):
    # what every block and record field is held to, whichever path normalize_text takes
    import re
    import unicodedata

    normal = normalize_text(text)
    assert unicodedata.is_normalized("NFC", normal)
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f\r]", normal)
    for part in normal.split("\n"):
        assert part == part.strip() and not re.search(r"[ \t\u00a0\u3000]{2}", part)
    assert normalize_text(normal) == normal
