"""What the raw HTML says about a page as a whole (helpers, not a plugin).

The error-page, log-in-wall and listing detectors need a few facts the extracted blocks no
longer carry: the ``<title>`` and ``<h1>`` (an error page may have no main text at all),
what the page declares itself to be (``og:type``, JSON-LD ``@type``), whether it holds a
password field, and its *teaser cards*: headline links (a link of 4 to 30 words that is a
heading, holds one, or fills its list item) with the block around each. They read the
document's shared parse (``document.tree``) and keep only this small summary, in
``document.signatures``.
"""
from __future__ import annotations

import json

from clean_corpus.document import normalize_text
from clean_corpus.htmltree import Visible
from clean_corpus_plugins.cleaners.lexmatch import lexicon, word_count, words

SIGNATURE = "page"
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_CHROME_TAGS = ("nav", "header", "footer", "aside")
_CHROME_ROLES = ("navigation", "banner", "contentinfo", "complementary")

#: JSON-LD / Open Graph types that say "one article" and "a list of them".
ARTICLE_TYPES = frozenset({"article", "newsarticle", "blogposting", "reportagenewsarticle",
                           "analysisnewsarticle", "opinionnewsarticle", "reviewnewsarticle",
                           "backgroundnewsarticle", "techarticle", "scholarlyarticle",
                           "report", "recipe", "liveblogposting", "socialmediaposting"})
LISTING_TYPES = frozenset({"collectionpage", "searchresultspage"})


def _squash(text: str) -> str:
    return " ".join(normalize_text(text).split())


def _is_chrome(element) -> bool:
    for node in (element, *element.iterancestors()):
        if node.tag in _CHROME_TAGS or node.get("role") in _CHROME_ROLES:
            return True
    return False


def ld_type_names(scripts):
    """Every ``@type`` named in the JSON-LD ``scripts`` (their texts), as written.

    Looks inside ``@graph``, ``mainEntity`` and ``mainEntityOfPage``; a script that is not
    valid JSON is skipped (broken JSON-LD is common; the page's other signals still count).
    """
    def walk(node):
        if isinstance(node, dict):
            kind = node.get("@type")
            for value in (kind if isinstance(kind, list) else [kind]):
                if isinstance(value, str):
                    yield value
            for key in ("@graph", "mainEntity", "mainEntityOfPage"):
                yield from walk(node.get(key))
        elif isinstance(node, list):
            for item in node:
                yield from walk(item)

    for script in scripts:
        try:
            data = json.loads(script or "")
        except ValueError:
            continue
        yield from walk(data)


def _ld_types(root) -> set[str]:
    scripts = (s.text for s in root.xpath('//script[@type="application/ld+json"]'))
    return {name.lower() for name in ld_type_names(scripts)}


def _card(page: Visible, link, headline_links: set, max_words: int = 80):
    """The teaser card of a headline link: the largest block around it (up to four levels)
    that holds no other headline link and at most ``max_words`` words."""
    card = link
    for parent in list(link.iterancestors())[:4]:
        if word_count(page.text(parent)) > max_words or \
                any(a in headline_links for a in parent.iter("a") if a is not link):
            break
        card = parent
    return card


def _headline_links(page: Visible) -> list:
    links, hrefs = [], set()
    for link in page.elements("a"):
        href = (link.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")) or href in hrefs:
            continue
        text = page.text(link)
        if not 4 <= word_count(text) <= 30 or _is_chrome(link):
            continue
        near = list(link.iterancestors())[:3]
        headline = any(n.tag in _HEADINGS for n in near) or \
            any(c.tag in _HEADINGS for c in link.iterdescendants())
        item = next((n for n in near if n.tag == "li"), None)
        if item is not None and len(text.strip()) >= 0.6 * len(page.text(item).strip()):
            headline = True
        if headline:
            hrefs.add(href)
            links.append(link)
    return links


def page_signals(document) -> dict:
    """The summary of ``document.html`` (computed once, then read from the signatures)."""
    cached = document.signatures.get(SIGNATURE)
    if cached is not None:
        return cached
    signals = {"html": False, "title": "", "h1": [], "og_type": "", "ld_types": [],
               "password": False, "headline_links": 0, "cards": []}
    if document.html and document.tree is not None:
        signals.update(_summarise(document.tree))
    document.signatures[SIGNATURE] = signals
    return signals


def _summarise(root) -> dict:
    page = Visible(root)
    og_type = root.xpath('string(//meta[@property="og:type"]/@content)').strip().lower()
    links = _headline_links(page)
    linked = set(links)
    cards = {_squash(page.text(_card(page, link, linked))) for link in links}
    title = next(page.elements("title"), None)
    return {"html": True,
            "title": _squash(page.text(title)) if title is not None else "",
            "h1": [_squash(page.text(h)) for h in page.elements("h1")][:3],
            "og_type": og_type,
            "ld_types": sorted(_ld_types(root)),
            "password": any(i.get("type") == "password" for i in page.elements("input")),
            "headline_links": len(links),
            "cards": sorted(cards)}


def heads(document, signals: dict) -> list[str]:
    """The record's title, the page's ``<title>`` and its first ``<h1>`` texts (non-empty)."""
    return [h for h in (document.meta.get("title"), signals["title"], *signals["h1"]) if h]


def is_cue(text: str, max_words: int, *kinds: str) -> bool:
    """A short text (at most ``max_words`` words) holding a phrase of one of ``kinds``.

    Longer, it is a sentence of an article that mentions the phrase, not the page's message.
    """
    if not text or word_count(text) > max_words:
        return False
    ws = words(text)
    return any(lexicon(kind).found(ws) for kind in kinds)


def words_outside(document, texts) -> int:
    """Words of the record's blocks, leaving out the blocks whose text is in ``texts``."""
    return sum(word_count(b.text) for b in document.blocks if b.text not in texts)


def card_share(document, signals: dict) -> float:
    """Share of the record's words that lie in the page's teaser cards (0 to 1)."""
    cards = signals.get("cards") or []
    total = card = 0
    for block in document.blocks:
        words = word_count(block.text)
        total += words
        squashed = _squash(block.text)
        if squashed and any(squashed in text for text in cards):
            card += words
    return card / total if total else 0.0


def declares_article(signals: dict) -> bool:
    types = {signals.get("og_type") or ""} | set(signals.get("ld_types") or ())
    return bool(types & ARTICLE_TYPES)


def declares_listing(signals: dict) -> bool:
    types = {signals.get("og_type") or ""} | set(signals.get("ld_types") or ())
    return bool(types & LISTING_TYPES)
