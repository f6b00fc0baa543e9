"""What kind of page a document is: article, forum, product, collection, listing,
documentation or service.

A small model (one tree ensemble per type, trained on labelled pages with folds grouped
by site) reads what the page says about itself and how it is built: the ``og:type`` and
JSON-LD ``@type`` it declares, the words of its URL path, the class/id words its elements
use most, the shape of its blocks (how many, how long, how much link text, list items,
table cells, code, headings) and the share of its text the boilerplate classifier kept.
URL and class words come from a vocabulary fixed at training time: the words found on
the most sites, whatever their meaning, so the model learns what ``thread``, ``sku`` or
``docs`` signal rather than being told.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, repeat
from operator import attrgetter, itemgetter
from urllib.parse import urlsplit

import numpy as np

from clean_corpus_plugins.boilerplate.model import TypeEnsembles

PAGE_TYPES = ("article", "forum", "product", "collection", "listing", "documentation",
              "service")

#: Declared types (``og:type`` and JSON-LD ``@type``, lower-cased) grouped by what they say.
DECLARED = {
    "article": ("article", "newsarticle", "blogposting", "reportagenewsarticle",
                "opinionnewsarticle", "analysisnewsarticle", "scholarlyarticle", "report",
                "liveblogposting", "recipe", "review"),
    "discussion": ("discussionforumposting", "qapage", "question", "answer", "comment",
                   "socialmediaposting"),
    "product": ("product", "offer", "aggregateoffer", "productgroup", "og:product",
                "aggregaterating", "individualproduct", "vehicle", "book"),
    "collection": ("collectionpage", "itemlist", "searchresultspage", "offercatalog",
                   "listitem"),
    "documentation": ("techarticle", "apireference", "softwaresourcecode", "howto",
                      "softwareapplication", "learningresource"),
    "organisation": ("organization", "localbusiness", "service", "contactpage", "aboutpage",
                     "faqpage", "professionalservice", "corporation", "event", "place",
                     "medicalorganization", "store"),
    "website": ("website", "webpage", "webSite"),
    "breadcrumb": ("breadcrumblist",),
}
_TAG_COUNTS = ("a", "li", "p", "h1", "h2", "h3", "pre", "code", "table", "td", "form", "input",
               "img", "article", "time", "section", "nav", "aside", "dl", "button")
#: A price: a currency sign before a number, or a number with cents before a currency.
#: (The first character is one class, so the search skips to the signs and digits
#: instead of trying both forms at every character; the currency names alone ignore case.)
_PRICE = re.compile(r"[$€£¥₹\d](?:(?<=[$€£¥₹])\s?\d"
                    r"|(?<=\d)[.,]\d\d\s?(?:€|\$|£|(?i:eur|usd|chf|kr))\b)")
_PATH_SPLIT = re.compile(r"[^a-z]+")
_DATE_PATH = re.compile(r"/(?:19|20)\d\d/(?:[01]?\d/)?")
_MAX_SCRIPT = 200_000  # characters of JSON-LD read per script


FORMAT = "clean-corpus-page-type/1"


@dataclass
class PageTypeModel(TypeEnsembles):
    """The HTML page-type model: what the page declares, its URL and class words, its
    blocks (:func:`page_type_features`)."""

    FORMAT = FORMAT
    url_vocabulary: tuple[str, ...] = ()
    name_vocabulary: tuple[str, ...] = ()

    @classmethod
    def fields_from_file(cls, data: dict, path) -> dict:
        return {"url_vocabulary": tuple(data["url_vocabulary"]),
                "name_vocabulary": tuple(data["name_vocabulary"])}

    def file_fields(self) -> dict:
        return {"url_vocabulary": list(self.url_vocabulary),
                "name_vocabulary": list(self.name_vocabulary)}

    def features(self, tree, url: str | None, blocks) -> np.ndarray:
        return page_type_features(tree, url, blocks, self.url_vocabulary, self.name_vocabulary)

    def predict(self, tree, url: str | None, blocks) -> tuple[str, float]:
        """The likeliest type and its probability; without ``url``, the page's own."""
        return self.likeliest(self.features(tree, url or declared_url(tree), blocks))


@lru_cache(maxsize=None)
def load_page_type_model(path: str) -> PageTypeModel:
    return PageTypeModel.load(path)


def declared_types(tree) -> tuple[str, set[str]]:
    """The page's ``og:type`` and the JSON-LD types it declares (lower-cased)."""
    from clean_corpus_plugins.detectors.page import ld_type_names

    og = ""
    for meta in tree.iter("meta"):
        if (meta.get("property") or "").lower() == "og:type":
            og = (meta.get("content") or "").strip().lower()[:40]
            break
    scripts = (s.text[:_MAX_SCRIPT] for s in tree.iter("script")
               if (s.get("type") or "").lower() == "application/ld+json" and s.text)
    return og, {name.lower()[:60] for name in ld_type_names(scripts)}


def declared_url(tree) -> str | None:
    """The URL a page gives for itself (``link rel=canonical``, else ``og:url``)."""
    for link in tree.iter("link"):
        if (link.get("rel") or "").lower() == "canonical" and link.get("href"):
            return link.get("href")[:2000]
    for meta in tree.iter("meta"):
        if (meta.get("property") or "").lower() == "og:url" and meta.get("content"):
            return meta.get("content")[:2000]
    return None


def url_words(url: str | None) -> set[str]:
    """Lower-case words of a URL's path (no host, no query values)."""
    if not url:
        return set()
    try:
        path = urlsplit(url).path.lower()
    except ValueError:
        return set()
    return {w for w in _PATH_SPLIT.split(path[:300]) if 1 < len(w) <= 20}


def feature_names(url_vocabulary, name_vocabulary) -> tuple[str, ...]:
    return (tuple(f"declares={group}" for group in DECLARED)
            + ("og=article", "og=product", "og=website", "og=other", "og=none")
            + ("url_depth", "url_digits", "url_date", "url_query", "url_html", "url_last_len",
               "url_hyphens")
            + tuple(f"tags={t}" for t in _TAG_COUNTS)
            + ("log_blocks", "log_words", "link_share", "item_share", "cell_share",
               "head_share", "pre_share", "mean_block_words", "long_blocks", "prices")
            + tuple(f"url={w}" for w in url_vocabulary)
            + tuple(f"name={w}" for w in name_vocabulary))


def page_type_features(tree, url: str | None, blocks, url_vocabulary,
                       name_vocabulary) -> np.ndarray:
    """One row of :func:`feature_names` for a page and its DOM blocks."""
    og, ld = declared_types(tree)
    declared = ld | {og}
    row: list[float] = [float(bool(declared & set(names))) for names in DECLARED.values()]
    row += [float(og == "article"), float(og == "product"), float(og == "website"),
            float(bool(og) and og not in ("article", "product", "website")), float(not og)]
    path = ""
    if url:
        try:
            parts = urlsplit(url)
            path, query = parts.path, parts.query
        except ValueError:
            query = ""
    else:
        query = ""
    segments = [s for s in path.split("/") if s]
    row += [len(segments), sum(c.isdigit() for c in path[:300]), float(bool(_DATE_PATH.search(path))),
            float(bool(query)), float(path.endswith((".html", ".htm", ".php", ".aspx"))),
            len(segments[-1]) if segments else 0, path.count("-")]
    # only the tags counted; C-level maps here and below, no Python step an element or block
    counts = Counter(map(_TAG, tree.iter(*_TAG_COUNTS)))
    row += [math.log1p(counts[t]) for t in _TAG_COUNTS]

    n = len(blocks)
    texts = list(map(_TEXT, blocks))
    words = np.fromiter(map(len, map(str.split, texts)), dtype=np.float64, count=n)
    chars = np.fromiter(map(max, repeat(1), map(len, texts)), dtype=np.float64, count=n)
    links = np.fromiter(map(_LINK_CHARS, blocks), dtype=np.float64, count=n)
    kinds = list(map(_KIND, blocks))
    total = max(1.0, words.sum())

    def share(mask):
        return float((words * mask).sum() / total)

    item, cell, head = (np.fromiter(map(kind.__eq__, kinds), dtype=bool, count=n)
                        for kind in ("item", "table", "head"))
    pre = np.fromiter(map("pre".__eq__, map(_TAG, blocks)), dtype=bool, count=n)
    text = " ".join(texts)[:200_000]
    row += [math.log1p(n), math.log1p(total), float(links.sum() / chars.sum()) if n else 0.0,
            share(item), share(cell), share(head), share(pre),
            float(words.mean()) if n else 0.0, float((words >= 40).sum()),
            math.log1p(len(_PRICE.findall(text)))]
    found_url = url_words(url)
    row += [float(w in found_url) for w in url_vocabulary]
    # the class/id words of each block's element and its two nearest ancestors
    names = Counter(chain.from_iterable(chain.from_iterable(map(_FIRST_THREE,
                                                                map(_NAMES, blocks)))))
    row += [math.log1p(names[w]) for w in name_vocabulary]
    return np.array(row, dtype=np.float64)


_TAG, _TEXT, _KIND, _NAMES, _LINK_CHARS = (attrgetter(a) for a in
                                           ("tag", "text", "kind", "names", "link_chars"))
_FIRST_THREE = itemgetter(slice(None, 3))
