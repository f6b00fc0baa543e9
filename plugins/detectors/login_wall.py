"""Pages that show a log-in or subscription wall instead of the article."""
from __future__ import annotations

from clean_corpus import hookimpl
from clean_corpus_plugins.cleaners.lexmatch import holding, lexicon, words
from clean_corpus_plugins.detectors.base import Detector
from clean_corpus_plugins.detectors.page import heads, is_cue, page_signals, words_outside

#: A block longer than this is article prose that mentions a subscription, not the wall.
_MESSAGE_WORDS = 60


class LoginWall(Detector):
    """Drop pages whose article is hidden behind a log-in or subscription wall.

    The cue is a phrase of the lexicon kind ``login_wall`` ("Connectez-vous pour lire la
    suite", "Sign in to continue reading", "Bitte melden Sie sich an") or ``paywall``
    ("réservé aux abonnés", "subscribe to continue reading") in a short block of the text,
    in one a cleaner removed, or in the title; or a password field on a page whose title or
    heading is a log-in label (lexicon kind ``login``). It marks a wall when what is left
    of the article is under ``max_words`` words: a teaser paragraph and the prompt. A full
    article with a subscription box under it keeps its text and is not a wall. Default
    policy ``drop``.
    """

    name = "login_wall"
    defaults = {"policy": "drop", "max_words": 150}
    flag, reason = "login_wall", "log-in wall (the article is behind a log-in or subscription)"

    @staticmethod
    def _is_cue(text: str) -> bool:
        return is_cue(text, _MESSAGE_WORDS, "login_wall", "paywall")

    @hookimpl
    def detect(self, document):
        signals = page_signals(document)
        titles = heads(document, signals)
        # a cue holds a phrase: only the blocks and removals where one can start are read
        phrases = (lexicon("login_wall"), lexicon("paywall"))
        body_cues = [b.text for b in holding(document.blocks, *phrases) if self._is_cue(b.text)]
        removed = [r.text for r in holding(document.removed, *phrases)]
        cue = next((t for t in (*titles, *body_cues, *removed) if self._is_cue(t)), None)
        if cue is None and signals["password"]:
            cue = next((h for h in titles if lexicon("login").found(words(h))), None)
        rest = words_outside(document, body_cues)
        is_wall = cue is not None and rest < int(self.options["max_words"])
        document.detections[self.name] = {"login_wall": is_wall,
                                          "cue": cue[:120] if cue else None,
                                          "other_words": rest}
