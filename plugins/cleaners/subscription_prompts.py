"""Remove newsletter, subscription and paywall prompts ("Recevez toute l'actualité ...").

Where it earns its place: HTML articles (trafilatura's path) and short texts, which no
classifier cleans; on whole-page text the classifier does this work (ablation in
docs/classifier-experiments.md, "Rule cleaners, one by one").
"""
from __future__ import annotations

import re

from clean_corpus import Plugin, hookimpl
from clean_corpus_plugins.cleaners.lexmatch import (ends_with_full_stop, is_prose, lexicon,
                                                    holding_ids, word_count, words)


#: Where a sentence ends and the next begins (after its closing quotes).
_SENTENCES = re.compile(r"(?<=[.!?…])[\"'»”’)]*\s+")


class SubscriptionPrompts(Plugin):
    """Drop calls to subscribe and the sales box of a paywall.

    A call to subscribe is short and made of cues: strong ones (lexicon kind
    ``subscription``: "newsletter", "abonnez-vous", "sign up") count two, weak ones
    (``subscription_hint``: "par e-mail", "your inbox", "kostenlos") one. A block of at
    most ``max_words`` words scoring ``min_score`` goes; when it ends with a full stop, one
    of its sentences must open with a strong cue, as a call does ("Sign up here."):
    "The newsletter, sent by email to 10,000 readers, ..." and "Readers who sign up get
    the newsletter every week." are the article reporting and stay. Blocks right after a prompt that carry
    two more cues ("You can unsubscribe at any time") are the rest of the same box.

    A paywall (kind ``paywall``: "Pour lire la suite", "Subscribe to continue reading")
    ends the readable article: from its block on, everything goes when no prose follows;
    otherwise the paywall block goes alone.
    """

    name = "subscription_prompts"
    defaults = {"max_words": 40, "min_score": 3}

    @hookimpl
    def clean(self, document):
        self._paywall(document)
        strong, weak = lexicon("subscription"), lexicon("subscription_hint")
        with_cues = holding_ids(document.blocks, strong, weak)
        in_box = False
        for block in list(document.blocks):
            if id(block) not in with_cues:
                in_box = False  # no cue: not a prompt, and the box (if any) ended
                continue
            ws = words(block.text)
            count = word_count(block.text)
            n_strong, n_weak = len(strong.found(ws)), len(weak.found(ws))
            if count <= int(self.options["max_words"]) and (
                    strong.covers(ws) or self._is_prompt(block.text, n_strong, n_weak)):
                document.drop_block(block, self.name, "newsletter or subscription prompt")
                in_box = True
            elif in_box and count <= int(self.options["max_words"]) \
                    and n_strong + n_weak >= 2:
                document.drop_block(block, self.name, "newsletter or subscription prompt")
            else:
                in_box = False

    def _is_prompt(self, text: str, n_strong: int, n_weak: int) -> bool:
        if not n_strong or 2 * n_strong + n_weak < int(self.options["min_score"]):
            return False
        if not ends_with_full_stop(text):
            return True  # a call or a label: "Newsletter abonnieren", "Sign up now!"
        # A sentence: a prompt opens one of its sentences with the call itself ("Sign up
        # here.", "Abonnieren Sie jetzt ..."); the article reports it ("Readers who sign
        # up get the newsletter every week.").
        strong = lexicon("subscription")
        return any(strong.prefix(words(sentence)) for sentence in _SENTENCES.split(text))

    def _paywall(self, document) -> None:
        paywall = lexicon("paywall")
        with_cues = holding_ids(document.blocks, paywall)
        for i, block in enumerate(document.blocks):
            if id(block) not in with_cues \
                    or word_count(block.text) > int(self.options["max_words"]):
                continue
            hits = paywall.found(words(block.text))
            # "Il était déjà abonné." is a sentence; a paywall line is a call, or says
            # it twice ("Cet article est réservé aux abonnés.").
            if hits and (len(hits) >= 2 or not ends_with_full_stop(block.text)):
                rest = document.blocks[i + 1:]
                if any(is_prose(b) for b in rest):
                    document.drop_block(block, self.name, "paywall prompt")
                else:
                    document.drop_blocks(document.blocks[i:], self.name,
                                         "paywall and what follows it")
                return
