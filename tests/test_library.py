"""clean_corpus.clean(): the chain as a function for other pipelines gives the records the
command line writes."""
from __future__ import annotations

import json
import threading

import pytest

import clean_corpus
from clean_corpus.testing import builtin_cli, read_jsonl, read_jsonl_if_any
from conftest import FIXTURES
from clean_corpus.config import Config

BUILTINS = Config(load_entry_points=False)


def test_clean_gives_the_record_the_command_writes(tmp_path):
    pages = sorted((FIXTURES / "site" / "2024").rglob("*.html"))[:3]
    for page in pages:
        builtin_cli("run", page, "-o", tmp_path / "out.jsonl", "--no-progress")
        [expected] = read_jsonl(tmp_path / "out.jsonl")
        outcome = clean_corpus.clean(html=page.read_text(encoding="utf-8"), source=str(page),
                                     config=BUILTINS)
        assert outcome.status == "written"
        assert outcome.record == expected


def test_clean_of_text_takes_url_and_names_the_document_by_it():
    seed = sorted((FIXTURES / "seeds").iterdir())[0].read_text(encoding="utf-8")
    outcome = clean_corpus.clean(text=seed, url="https://www.example.org/a", config=BUILTINS)
    assert outcome.status == "written"
    assert outcome.record["url"] == outcome.record["source"] == "https://www.example.org/a"
    assert outcome.record["text"]


def test_clean_returns_the_rejection_with_its_reasons(tmp_path):
    page = FIXTURES / "pages" / "not_found_en.html"
    builtin_cli("run", page, "-o", tmp_path / "out.jsonl", "--no-progress")
    [expected] = read_jsonl_if_any(tmp_path / "out.rejected.jsonl")
    outcome = clean_corpus.clean(html=page.read_text(encoding="utf-8"), source=str(page),
                                 config=BUILTINS)
    assert outcome.status == "rejected"
    assert outcome.report() == expected
    assert outcome.reasons == expected["reasons"]


def test_each_call_is_a_corpus_of_one():
    """A second identical document is not a duplicate of the first call's."""
    seed = sorted((FIXTURES / "seeds").iterdir())[1].read_text(encoding="utf-8")
    first = clean_corpus.clean(text=seed, source="a.txt", config=BUILTINS)
    second = clean_corpus.clean(text=seed, source="b.txt", config=BUILTINS)
    assert (first.status, second.status) == ("written", "written")
    assert second.record["detections"]["duplicates"]["cluster"] is None


def test_concurrent_calls_give_the_same_records():
    seeds = [p.read_text(encoding="utf-8") for p in sorted((FIXTURES / "seeds").iterdir())]
    alone = [clean_corpus.clean(text=s, source=f"{n}.txt", config=BUILTINS).record
             for n, s in enumerate(seeds)]
    together = [None] * len(seeds)

    def work(n):
        together[n] = clean_corpus.clean(text=seeds[n], source=f"{n}.txt",
                                         config=BUILTINS).record
    threads = [threading.Thread(target=work, args=(n,)) for n in range(len(seeds))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert together == alone


def test_clean_takes_html_or_text_not_both():
    with pytest.raises(TypeError):
        clean_corpus.clean(html="<p>a</p>", text="a")
    with pytest.raises(TypeError):
        clean_corpus.clean()


@pytest.mark.parametrize("arguments, says", [
    ({"html": b"<p>un article</p>"}, "html= must be a str (decode the bytes first), not bytes"),
    ({"text": 123}, "text= must be a str, not int"),
    ({"text": "un article", "url": 5}, "url= must be a str or None, not int"),
    ({"text": "un article", "source": b"a.txt"}, "source= must be a str or None, not bytes")])
def test_clean_given_what_is_not_text_says_which_argument(arguments, says):
    """Raw bytes of a page (what a WARC or a crawl holds) used to fail deep in a cleaner
    with "cannot use a string pattern on a bytes-like object"."""
    with pytest.raises(TypeError) as raised:
        clean_corpus.clean(config=BUILTINS, **arguments)
    assert str(raised.value) == says


@pytest.mark.parametrize("url", ["http://[::1", "http://example.org]/a", "http://ex\uff03ample.org/a"])
def test_malformed_url_is_kept_as_metadata_and_the_document_cleaned(tmp_path, url):
    """A URL Python cannot take apart (an IPv6 host not opened or not closed, a
    host that NFKC turns into another) raised ``ValueError: Invalid IPv6 URL`` out of
    clean(), and failed the JSON Lines line that carried it. It is the document's metadata:
    the document is cleaned as one without a host, the URL kept as given; the record is
    the one a well-formed URL without a host gives, but for the URL."""
    seed = sorted((FIXTURES / "seeds").iterdir())[0].read_text(encoding="utf-8")
    outcome = clean_corpus.clean(text=seed, url=url, config=BUILTINS)
    assert outcome.status == "written", outcome.error
    assert outcome.record["url"] == url and outcome.record["source"] == url
    hostless = clean_corpus.clean(text=seed, url="urn:x", config=BUILTINS)
    strip = ("url", "source", "id")
    assert {k: v for k, v in outcome.record.items() if k not in strip} == \
        {k: v for k, v in hostless.record.items() if k not in strip}
    rows = tmp_path / "rows.jsonl"
    rows.write_text(json.dumps({"text": seed, "url": url}) + "\n", encoding="utf-8")
    builtin_cli("run", rows, "-o", tmp_path / "out.jsonl", "--no-progress")
    [record] = read_jsonl(tmp_path / "out.jsonl")
    assert record["url"] == url and record["text"] == outcome.record["text"]


def test_clean_of_text_keeps_entities_as_the_text_reader_is_told(tmp_path):
    """``clean(text=...)`` reads text as ``clean-corpus run`` reads a text file: its HTML
    character references decoded unless ``text_reader.decode_entities`` is false."""
    text = ("Écrire une esperluette en HTML\nDans une page web, le caractère & s'écrit "
            "&amp; et l'espace insécable s'écrit &nbsp; : le navigateur les remplace par les "
            "caractères qu'ils représentent. Une apostrophe peut s'écrire &#39; et un "
            "guillemet &quot;, ce qui évite de fermer un attribut par erreur.\n")
    (tmp_path / "page.txt").write_text(text, encoding="utf-8")
    for options, literal in (({}, False), ({"text_reader": {"decode_entities": False}}, True)):
        config = Config(load_entry_points=False, options=options)
        outcome = clean_corpus.clean(text=text, source=str(tmp_path / "page.txt"),
                                     config=config)
        out = tmp_path / "out.jsonl"
        builtin_cli("run", tmp_path / "page.txt", "-o", out, "--no-progress",
                    *(["--set", "text_reader.decode_entities=false"] if literal else []))
        [expected] = read_jsonl(out)
        assert outcome.record == expected
        assert ("s'écrit &amp; et" in outcome.record["text"]) is literal
