"""The HTML extractor: trafilatura's text, and the main content it missed, by the learned
block classifier.

One walk over the shared parse (``document.tree``) gives the page's DOM blocks
(:mod:`.html`) and its type (:mod:`.page_type`); the classifier gives each block a
probability of being main content. trafilatura (the extractor after this one) extracts
the page as before; this plugin wraps it and takes back, in page order, every block the
classifier rates at or above the threshold of the page's type (``add_threshold``) that
trafilatura's text does not hold: the posts of a forum thread, the items of a listing,
a service page's sections, a documentation page's notes. trafilatura judges articles well
and the classifier adds little there (threshold 0.9); on collections and documentation
pages it adds more (0.4). The blocks trafilatura kept whose text the classifier rates
under ``drop_threshold`` wherever it stands on the page go, each one ``removed`` entry.
Cross-validated by site, this beats both alone on every page type
(``docs/classifier.md``).

Each block taken back is listed in the record's ``detections["boilerplate_html"]``
(``added``: its text and P(content)), so that what the extractor added can be explained
as what it removed can. A page where trafilatura finds nothing keeps the likeliest
blocks (:func:`.text_extract.keep_mask`), so a page with text never ends empty; a block
of bare web or e-mail addresses is never taken back (a sitemap is no article).
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import numpy as np

from clean_corpus import Plugin, hookimpl
from clean_corpus.document import Block, Extraction, Removal
from clean_corpus_plugins.boilerplate.html import dom_blocks, html_features, html_width
from clean_corpus_plugins.boilerplate.features import (page_tokens, stop_word_counts,
                                                        text_features)
from clean_corpus_plugins.boilerplate.labels import covered_share, ngram_codes, token_ids
from clean_corpus_plugins.boilerplate.model import BlockClassifier, load_model
from clean_corpus_plugins.boilerplate.name_odds import NAME_ODDS_FEATURES, NameOdds
from clean_corpus_plugins.boilerplate.page_type import load_page_type_model
from clean_corpus_plugins.boilerplate.text_extract import keep_mask
from clean_corpus_plugins.cleaners.lexmatch import is_bare_address

MODEL_FILE = Path(__file__).with_name("model-html.json")
PAGE_TYPE_FILE = Path(__file__).with_name("model-page-type.json")


def vocabulary(features, prefix: str = "near=") -> tuple[str, ...]:
    """The class/id words a model was trained with, read back from its feature names
    (cached: a model's names are read once, not every page)."""
    return _vocabulary(tuple(features), prefix)


@lru_cache(maxsize=16)
def _vocabulary(features: tuple[str, ...], prefix: str) -> tuple[str, ...]:
    return tuple(name[len(prefix):] for name in features if name.startswith(prefix))


def block_matrix(blocks, model: BlockClassifier) -> np.ndarray:
    """The features ``model`` reads, for a page's DOM blocks."""
    return block_columns(text_features([b.text for b in blocks]), blocks,
                         vocabulary(model.features), model.names)


def block_columns(text: np.ndarray, blocks, words: tuple[str, ...],
                  names: NameOdds | None = None) -> np.ndarray:
    """The HTML classifier's matrix of a page's blocks from ``text``, their shared text
    features: those, the HTML columns of the class/id vocabulary ``words``, then the
    class/id word table's columns with ``names`` (the same at training and inference)."""
    # the HTML columns written in place beside the text ones (no second matrix to join)
    width = text.shape[1] + html_width(words)
    X = np.zeros((len(blocks), width + (len(NAME_ODDS_FEATURES) if names is not None else 0)))
    X[:, :text.shape[1]] = text
    html_features(blocks, words, out=X[:, text.shape[1]:width])
    if names is not None:
        names.columns(blocks, out=X[:, width:])
    return X


def predict_page_type(tree, url: str | None, blocks) -> tuple[str | None, float]:
    """The page's type and its probability, by the shipped page-type model."""
    if not PAGE_TYPE_FILE.exists():
        return None, 0.0
    return load_page_type_model(str(PAGE_TYPE_FILE)).predict(tree, url, blocks)


class Alignment:
    """A page's blocks and the blocks an extractor took from it, matched by word 3-grams.

    ``held``: for each page block, the share of its words that sit in a 3-gram of the
    extracted text (as :func:`.labels.coverage` counts it: the n-grams run across block
    boundaries). ``positions``: for each extracted block, the page block where it starts
    (the first of its 3-grams found on the page places it; -1 before the first; never
    decreasing, a block without one stays where the one before it was). ``rated``: for
    each extracted block, the highest P(content) ``p`` of a page block holding one of its
    3-grams, None when fewer than half of them are on the page (the classifier did not
    rate that text).
    """

    def __init__(self, page: list[str], extracted: list[str], p: np.ndarray, n: int = 3):
        # the words as :func:`.labels.word_ids` cuts them: the page's are those its block
        # features cut (cached), the extracted text's cut the same way, at once
        ((stream, owner), (flat, flat_owner)), base = token_ids(
            stop_word_counts(tuple(page))[0], page_tokens(extracted))
        self.held = covered_share(stream, owner, len(page), flat, n, base)

        # each distinct n-gram of the page: where it first occurs, the best P(content)
        codes = ngram_codes(stream, n, base)
        grams, first = np.unique(codes, return_index=True)
        best = np.full(len(grams), -np.inf)
        if len(grams):
            np.maximum.at(best, np.searchsorted(grams, codes),
                          np.asarray(p, dtype=float)[owner[:len(codes)]])
        # the n-grams of each extracted block (none across its boundaries)
        own = ngram_codes(flat, n, base)
        of = flat_owner[:len(own)]
        inside = of == flat_owner[n - 1:n - 1 + len(own)] if len(own) else of[:0] == 0
        own, of = own[inside], of[inside]
        at = np.searchsorted(grams, own)
        found = (at < len(grams)) & (grams[np.minimum(at, max(len(grams) - 1, 0))] == own) \
            if len(grams) else np.zeros(len(own), dtype=bool)
        count = np.bincount(of, minlength=len(extracted))
        found_count = np.bincount(of[found], minlength=len(extracted))
        rated = np.full(len(extracted), -np.inf)
        np.maximum.at(rated, of[found], best[at[found]])
        start = np.full(len(extracted), -1)
        # the first found n-gram of each block: found ones in stream order, first per block
        blocks_found, first_found = np.unique(of[found], return_index=True)
        start[blocks_found] = owner[first[at[found][first_found]]]
        self.positions = np.maximum.accumulate(start).tolist() if len(start) else []
        self.rated = [float(r) if k and 2 * k >= c else None
                      for r, k, c in zip(rated.tolist(), found_count.tolist(), count.tolist())]


#: A page block is in the extracted text when this share of its words is.
HELD = 0.5


def taken_back(p: np.ndarray, alignment: Alignment, extracted: list[str],
               threshold: float) -> np.ndarray:
    """Indexes of the page blocks to add to ``extracted``: those rated ``threshold`` or
    more that the extracted text does not hold (``HELD`` of their words in a word
    3-gram of it); when nothing was extracted, the likeliest blocks and their run
    (:func:`.text_extract.keep_mask`), so that a page with text never ends empty."""
    if not len(p):
        return np.zeros(0, dtype=int)
    if not any(text.strip() for text in extracted):
        return np.flatnonzero(keep_mask(p, threshold))
    return np.flatnonzero((p >= threshold) & (alignment.held < HELD))


_LETTER_OR_DIGIT = re.compile(r"[^\W_]")
_WRAPPING = "()[]<>{}\"'«»“”‘’,;:.!?"


def has_words(text: str) -> bool:
    """Whether ``text`` holds a letter or digit besides web and e-mail addresses: a list
    of bare URLs (a sitemap read as a page, a feed's links) is never taken back. Word by
    word, with the cleaners' address test, which stays linear on hostile text."""
    return any(_LETTER_OR_DIGIT.search(word) and not is_bare_address(word.strip(_WRAPPING))
               for word in text.split())


def left_out(rated: list[float | None], threshold: float) -> set[int]:
    """The extracted blocks to drop: those whose text the classifier rated under
    ``threshold`` (:attr:`Alignment.rated`). When that is all of them, none: the two
    disagree on the whole page, and the extractor's text stays."""
    dropped = {j for j, r in enumerate(rated) if r is not None and r < threshold}
    return dropped if len(dropped) < len(rated) else set()


#: P(content) a block needs to be taken back, by page type: chosen on wcxb-dev, the
#: choice cross-validated by site (docs/classifier.md). trafilatura misses little of an
#: article and much of a collection's or a documentation page's content.
ADD_THRESHOLDS = {"article": 0.9, "forum": 0.5, "product": 0.9, "collection": 0.4,
                  "listing": 0.5, "documentation": 0.4, "service": 0.5}


class HtmlExtractor(Plugin):
    """Main content of HTML pages: trafilatura's text, and what it missed by the learned
    block classifier.

    A wrapper around the ``extract`` hook: it completes whichever extractor answered,
    trafilatura unless a third-party extractor did; disable this plugin to keep another
    extractor's result as it is.

    Options: ``add_threshold`` (P(content) a block trafilatura left out needs to be
    taken back, a table by page type; the types it leaves out keep the shipped values,
    and 1.1 takes nothing back), ``default_add_threshold`` (for a page of no known type),
    ``drop_threshold`` (a block trafilatura kept goes when every page block holding its
    text is rated under this; 0 drops nothing) and ``model`` (a model file to use instead
    of the shipped one).
    """

    name = "boilerplate_html"
    defaults = {"add_threshold": ADD_THRESHOLDS, "default_add_threshold": 0.9,
                "drop_threshold": 0.1, "model": None}
    reason = "boilerplate (block classifier)"

    def threshold(self, page_type: str | None) -> float:
        chosen = {**ADD_THRESHOLDS, **self.options["add_threshold"]}
        return float(chosen.get(page_type, self.options["default_add_threshold"]))

    @hookimpl(wrapper=True)
    def extract(self, document):
        extraction = yield
        tree = document.tree if document.html is not None else None
        if tree is None:
            return extraction  # a text document, or no HTML that parses
        if extraction is None:
            extraction = Extraction(blocks=[])
        blocks = dom_blocks(tree)
        page_type, sure = predict_page_type(tree, document.url, blocks)
        document.signatures["page_type"] = {"type": page_type, "probability": sure}
        if page_type:
            extraction.metadata["page_type"] = page_type
        if not blocks:
            return extraction
        model = load_model(str(self.options["model"] or MODEL_FILE))
        p = model.predict_page(block_matrix(blocks, model))
        texts = [b.text for b in blocks]
        extracted = [b.text for b in extraction.blocks]
        alignment = Alignment(texts, extracted, p)
        add = [i for i in taken_back(p, alignment, extracted, self.threshold(page_type))
               if has_words(texts[i])]
        positions, rated = alignment.positions, alignment.rated
        dropped = left_out(rated, float(self.options["drop_threshold"]))
        if not len(add) and not dropped:
            return extraction
        extraction.removed.extend(
            Removal(self.name, self.reason, extraction.blocks[j].text, score=1.0 - rated[j])
            for j in sorted(dropped))
        kept = [j for j in range(len(extracted)) if j not in dropped]
        extraction.blocks = self.merged([extraction.blocks[j] for j in kept],
                                        [blocks[i] for i in add], add,
                                        [positions[j] for j in kept])
        if len(add):
            document.detections[self.name] = {"added": [
                {"text": blocks[i].text, "score": round(float(p[i]), 4)} for i in add]}
        return extraction

    @staticmethod
    def merged(extracted: list[Block], taken, at, positions: list[int]) -> list[Block]:
        """``extracted`` with the page blocks ``taken`` (page indexes ``at``) put back in
        page order: each after the extracted blocks that start at or before it."""
        merged, j = [], 0
        for block, index in zip(taken, at):
            while j < len(extracted) and positions[j] <= index:
                merged.append(extracted[j])
                j += 1
            merged.append(Block(block.text, block.kind, link_chars=block.link_chars))
        return merged + list(extracted[j:])
