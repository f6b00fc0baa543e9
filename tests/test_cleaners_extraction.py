"""Extraction repairs: the article's lead paragraph, which trafilatura drops for its class name.

The pages go to the trafilatura extractor itself (the learned HTML extractor, which hands
articles to it, is disabled: whether these small pages read as articles is not the point).
"""
from __future__ import annotations

from clean_corpus.testing import builtin_cli, read_jsonl

LEAD = ("After twenty years of silence, two restored cranes will lift cargo again in the old "
        "port, and the city hopes they will bring back visitors too.")
BODY = [
    "The first of the two cranes was lifted onto its rails on Tuesday morning, watched by a "
    "crowd of former dock workers who had operated it in the nineteen-eighties. Engineers spent "
    "most of the day checking the brakes and the cables before the arm was allowed to turn.",
    "Restoring the machines took three years and cost the city a little over four million euros, "
    "most of it paid for by a regional fund for industrial heritage. The harbour authority says "
    "the cranes will handle small container ships twice a week from the spring onwards.",
    "Local shop owners welcomed the news. Several of them told reporters that the waterfront had "
    "been empty for too long and that any activity, even a slow one, would make the quarter feel "
    "alive again after the closure of the shipyard.",
]
COOKIES = ("This website uses cookies and similar technologies to improve your experience and to "
           "measure how visitors use the pages.")
OTHER_STORY = ("Another story entirely: the ferry timetable changes next week, and travellers "
               "should check the new departure times before they leave home.")


def page(between_title_and_body: str) -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in BODY)
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            f"<title>Harbour cranes return</title></head><body>"
            f"<header class='site-header'><p class='site-name'>Coastal Herald</p></header>"
            f"<main><article><h1>Harbour cranes return to the old port</h1>"
            f"{between_title_and_body}<div class='article-body'>{paragraphs}</div></article>"
            f"</main></body></html>")


def run(tmp_path, html: str, *options: str) -> str:
    source = tmp_path / "page.html"
    source.write_text(html, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    builtin_cli("run", source, "-o", out, "-q", "--disable", "boilerplate_html", *options)
    [record] = read_jsonl(out)
    return record["text"]


def test_lead_in_a_teaser_text_box_is_kept_before_the_body(tmp_path):
    html = page(f"<div class='teaser-text'><p>{LEAD}</p></div>")
    text = run(tmp_path, html)
    assert text.split("\n\n")[0] == LEAD
    assert all(p in text for p in BODY)


def test_recover_lead_off_gives_trafilaturas_own_result(tmp_path):
    # trafilatura alone drops the lead: this is the loss the repair is for
    text = run(tmp_path, page(f"<div class='teaser-text'><p>{LEAD}</p></div>"),
               "--set", "trafilatura.recover_lead=false")
    assert LEAD not in text
    assert text.startswith(BODY[0])


def test_other_articles_teasers_and_cookie_text_are_not_taken_for_a_lead(tmp_path):
    html = page(f"<div class='cookiebar__intro-copy'><p>{COOKIES}</p></div>"
                f"<div class='related-stories'><div class='teaser-text'><p>{OTHER_STORY}</p>"
                f"</div></div>")
    text = run(tmp_path, html)
    assert COOKIES not in text and OTHER_STORY not in text
    assert text.startswith(BODY[0])


def test_site_tagline_under_the_site_name_is_not_a_lead(tmp_path):
    html = page("").replace(
        "<header class='site-header'><p class='site-name'>Coastal Herald</p></header>",
        "<header><h1>Coastal Herald</h1><p class='site-description'>News, weather and "
        "stories from the coast, written by people who live here.</p></header>")
    text = run(tmp_path, html)
    assert "written by people who live here" not in text
    assert text.startswith(BODY[0])



def extracted_date(**options):
    from clean_corpus.document import Document
    from clean_corpus_plugins.extract import TrafilaturaExtractor

    extractor = TrafilaturaExtractor()
    extractor.options = {**TrafilaturaExtractor.defaults, **options}
    html = page("<p>Posted on March 3, 2021 by the harbour desk.</p>")
    return extractor.extract(Document(source="page.html", html=html)).metadata.get("date")


def test_a_date_written_only_in_the_text_takes_the_extensive_search():
    # the page declares no date (no meta, no JSON-LD, no <time>, no date-named element):
    # only htmldate's slower extensive search, off by default, reads it from the text
    assert extracted_date() is None
    assert extracted_date(extensive_date_search=True) == "2021-03-03"


def test_text_inside_a_table_row_or_a_list_item_is_written_once(tmp_path):
    # trafilatura's XML nests lists in table cells and lists in list items: each
    # element holds its descendants' text, which must not come out twice
    rows = "".join(f"<tr><td><h2>Chapter {n}</h2><ul><li>{BODY[n]}</li></ul></td>"
                   f"<td>Notes on chapter {n}</td></tr>" for n in range(3))
    nested = (f"<ul><li>{LEAD}<ul><li>{OTHER_STORY}</li></ul></li></ul>")
    html = (f"<!DOCTYPE html><html lang='en'><head><title>Cranes</title></head><body><main>"
            f"<article><h1>Harbour cranes</h1><table>{rows}</table>{nested}</article>"
            f"</main></body></html>")
    text = run(tmp_path, html)
    for sentence in BODY:
        assert text.count(sentence[:60]) == 1, (sentence, text)
    for sentence in (LEAD, OTHER_STORY):
        assert text.count(sentence[:60]) <= 1, (sentence, text)
