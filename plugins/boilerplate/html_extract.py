"""The HTML extractor: the page's DOM blocks, kept or left by the learned classifier.

One walk over the shared parse (``document.tree``) gives the blocks (:mod:`.html`) and
the page type (:mod:`.page_type`). Pages of the types trafilatura extracts best
(``trafilatura_types``, articles, forums and products by default: cross-validated figures in
``docs/classifier.md``) are left to trafilatura, the extractor after this one, with the
page type set. On the others (collections, listings, documentation,
service pages) the classifier gives each block a probability of being main content and
the blocks at or above the threshold make the record, in page order, with their kinds
(heading, list item, caption...) and link text; metadata (title, author, date,
description, site name, categories) comes from trafilatura's metadata reader on the same
tree.

Blocks left out between the first and the last block kept (a share bar inside the
content, a teaser between two paragraphs) are recorded in ``removed`` with the
classifier's score (its probability that the block is boilerplate); the page's chrome
around the main content (menus, footers) is simply not extracted.
A page where no block clears the threshold keeps its likeliest block and the run around
it (:func:`.text_extract.keep_mask`, as for text), so a page with text never ends empty.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from clean_corpus import Plugin, hookimpl
from clean_corpus.document import Block, Extraction, Removal
from clean_corpus_plugins.boilerplate.html import dom_blocks, html_features
from clean_corpus_plugins.boilerplate.features import text_features
from clean_corpus_plugins.boilerplate.model import BlockClassifier, load_model
from clean_corpus_plugins.boilerplate.page_type import load_page_type_model
from clean_corpus_plugins.boilerplate.text_extract import keep_mask

MODEL_FILE = Path(__file__).with_name("model-html.json")
PAGE_TYPE_FILE = Path(__file__).with_name("model-page-type.json")

#: trafilatura's metadata fields and the record fields they fill.
_META = {"title": "title", "author": "byline", "date": "date", "description": "description",
         "sitename": "sitename"}


def vocabulary(features, prefix: str = "near=") -> tuple[str, ...]:
    """The class/id words a model was trained with, read back from its feature names."""
    return tuple(name[len(prefix):] for name in features if name.startswith(prefix))


def block_matrix(blocks, model: BlockClassifier) -> np.ndarray:
    """The features ``model`` reads, for a page's DOM blocks."""
    texts = [b.text for b in blocks]
    return np.hstack([text_features(texts), html_features(blocks, vocabulary(model.features))])


def predict_page_type(tree, url: str | None, blocks) -> tuple[str | None, float]:
    """The page's type and its probability, by the shipped page-type model."""
    if not PAGE_TYPE_FILE.exists():
        return None, 0.0
    return load_page_type_model(str(PAGE_TYPE_FILE)).predict(tree, url, blocks)


def page_metadata(tree, url: str | None) -> dict:
    """Title, byline, date, description, site name and categories the page declares."""
    from trafilatura.metadata import extract_metadata  # heavy import, first page only

    found = extract_metadata(tree, url, extensive=False)
    metadata = {field: getattr(found, attribute) for attribute, field in _META.items()
                if getattr(found, attribute, None)}
    if found.categories:
        metadata["section"] = [c.strip() for c in found.categories if c and c.strip()]
    return metadata


class HtmlExtractor(Plugin):
    """Main content of HTML pages with the learned block classifier.

    Options: ``threshold`` (P(content) a block needs; the model's own when unset),
    ``model`` (a model file to use instead of the shipped one), ``metadata`` (read
    title, author, date... with trafilatura's metadata reader) and ``trafilatura_types``
    (page types left to trafilatura's extraction; ``[]`` runs the classifier on all), and
    ``min_type_probability`` (a page whose type is less sure than this goes to trafilatura
    too).
    """

    name = "boilerplate_html"
    defaults = {"threshold": None, "model": None, "metadata": True,
                "trafilatura_types": ["article", "forum", "product"],
                "min_type_probability": 0.8}
    reason = "boilerplate inside the main content (block classifier)"

    @hookimpl
    def extract(self, document):
        tree = document.tree
        if tree is None:
            return None  # not HTML that parses: the next extractor may know better
        blocks = dom_blocks(tree)
        model = load_model(str(self.options["model"] or MODEL_FILE))
        threshold = self.options["threshold"]
        threshold = model.threshold if threshold is None else float(threshold)
        page_type, sure = predict_page_type(tree, document.url, blocks)
        document.signatures["page_type"] = {"type": page_type, "probability": sure}
        if page_type in self.options["trafilatura_types"] or \
                sure < float(self.options["min_type_probability"]):
            # trafilatura's extraction (the extractor after this one) is the better judge
            # of an article's text; the page type stays
            document.set_field("page_type", page_type)
            return None
        p = model.predict_page(block_matrix(blocks, model)) if blocks else np.zeros(0)
        keep = keep_mask(p, threshold)
        kept = np.flatnonzero(keep)
        span = range(kept[0], kept[-1] + 1) if len(kept) else range(0)
        metadata = page_metadata(tree, document.url) if self.options["metadata"] else {}
        if page_type:
            metadata["page_type"] = page_type
        return Extraction(
            blocks=[Block(blocks[i].text, blocks[i].kind, link_chars=blocks[i].link_chars)
                    for i in span if keep[i]],
            metadata=metadata,
            removed=[Removal(self.name, self.reason, blocks[i].text, score=1.0 - float(p[i]))
                     for i in span if not keep[i]])
