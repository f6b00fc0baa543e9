"""Whole pages that are error pages ("soft 404s" served with status 200)."""
from __future__ import annotations

import re

from clean_corpus import hookimpl
from clean_corpus_plugins.cleaners.lexmatch import holding, lexicon
from clean_corpus_plugins.detectors.base import Detector
from clean_corpus_plugins.detectors.page import heads, is_cue, page_signals, words_outside

# A title or heading that starts with the status code: "404", "Error 404 | Site", "410 Gone".
_STATUS = re.compile(r"^\W*(?:(?:error|erreur|fehler|errore)\W*)?(?:404|410)\b", re.I)
#: A block longer than this is a sentence of an article, not an error message.
_MESSAGE_WORDS = 40


class ErrorPage(Detector):
    """Drop pages that only say the page was not found.

    The cue is a phrase of the lexicon kind ``error_page`` ("Page non trouvée", "404 Not
    Found", "Diese Seite existiert nicht", "Página no encontrada"), or a status code opening
    the title. In the title or the ``<h1>`` it marks an error page when the rest of the text
    has fewer than ``max_words`` words; in a short block of the text (or one a cleaner
    removed) when the rest has fewer than ``max_words_body``. An article that ends with an
    error fragment (a scraper appended the next, missing page) keeps its hundreds of words
    and is not an error page: the ``error_tail`` cleaner removes the fragment. Default
    policy ``drop``.
    """

    name = "error_page"
    defaults = {"policy": "drop", "max_words": 150, "max_words_body": 80}
    flag, reason = "error_page", "error page (page not found)"

    @staticmethod
    def _is_cue(text: str) -> bool:
        return is_cue(text, _MESSAGE_WORDS, "error_page")

    @hookimpl
    def detect(self, document):
        signals = page_signals(document)
        head_cue = next((h for h in heads(document, signals)
                         if _STATUS.match(h) or self._is_cue(h)), None)
        # a cue holds a phrase: only the blocks and removals where one can start are read
        phrases = lexicon("error_page")
        body_cues = [b.text for b in holding(document.blocks, phrases) if self._is_cue(b.text)]
        removed_cue = next((r.text for r in holding(document.removed, phrases)
                            if self._is_cue(r.text)), None)
        rest = words_outside(document, body_cues)
        is_error = bool(head_cue and rest < int(self.options["max_words"])) or bool(
            (body_cues or removed_cue) and rest < int(self.options["max_words_body"]))
        cue = head_cue or (body_cues[0] if body_cues else removed_cue)
        document.detections[self.name] = {"error_page": is_error,
                                          "cue": cue[:120] if cue else None,
                                          "other_words": rest}
