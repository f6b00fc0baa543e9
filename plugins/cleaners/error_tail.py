"""Cut an error-page fragment ("Page non trouvée", "Page not found") appended to an article.

Where it earns its place: HTML articles (trafilatura's path) and short texts, which no
classifier cleans; on whole-page text the classifier does this work (ablation in
docs/classifier-experiments.md, "Rule cleaners, one by one").
"""
from __future__ import annotations

import re

from clean_corpus import Plugin, hookimpl
from clean_corpus_plugins.cleaners.lineshape import ends_sentence, is_prose, words
from clean_corpus_plugins.lexicon import fold, folded_phrases

#: Status words around an error heading ("Erreur 404 - Page non trouvée", "404 Not Found").
_STATUS_ONLY = re.compile(r"(?:(?:erreur|error|fehler|oops|oups|hoppla)\s+)?\d{3}")
_STATUS = re.compile(r"^(?:(?:erreur|error|fehler|err)\s+)?\d{3}\s+"
                     r"|(?<!\s)\s++(?:(?:erreur|error|fehler)\s+)?\d{3}$")


def is_error_line(text: str) -> bool:
    """True when the whole block is an error-page phrase, give or take a status code."""
    if len(words(text)) > 30:
        return False
    folded = fold(text)
    phrases = folded_phrases("error_page")
    if folded in phrases:
        return True
    stripped = _STATUS.sub("", folded).strip()
    return bool(stripped) and stripped in phrases


class ErrorTail(Plugin):
    """Remove an error-page fragment from its heading to the end of the document.

    Some scrapers save an article followed by the "page not found" block of the site's
    template. When a block that is wholly an error phrase (lexicon kind ``error_page``)
    comes after article prose, that block and everything after it go, provided what
    follows is short or is itself error text: an article that discusses a "Page non
    trouvée" under such a subheading keeps its paragraphs. A page that is nothing but an
    error page is left to the detectors.

    "Article prose" is a paragraph of prose, or sentences adding up to ``min_prose_chars``
    (text scraped one sentence per line has no long paragraph).

    Options: ``max_tail_chars`` (how much text may follow the heading),
    ``min_prose_chars``.
    """

    name = "error_tail"
    defaults = {"max_tail_chars": 1000, "min_prose_chars": 300}

    @hookimpl
    def clean(self, document):
        blocks = document.blocks
        prose_chars = 0
        for index, block in enumerate(blocks):
            if prose_chars < int(self.options["min_prose_chars"]):
                if is_prose(block.text):
                    prose_chars = max(prose_chars, int(self.options["min_prose_chars"]))
                elif ends_sentence(block.text) and not is_error_line(block.text):
                    prose_chars += len(block.text)
                continue
            if not is_error_line(block.text):
                continue
            tail = blocks[index + 1:]
            short = sum(len(b.text) for b in tail) <= int(self.options["max_tail_chars"])
            if short or any(is_error_line(b.text) for b in tail):
                start = index - 1 if _STATUS_ONLY.fullmatch(fold(blocks[index - 1].text)) \
                    else index  # "404" printed above the heading goes with it
                document.drop_blocks(blocks[start:], self.name,
                                     "error-page fragment after the article")
                return
