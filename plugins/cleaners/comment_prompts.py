"""Remove comment-section headings and log-in prompts ("Commentaires", "Se connecter").

Where it earns its place: HTML articles (trafilatura's path) and short texts, which no
classifier cleans; on whole-page text the classifier does this work (ablation in
docs/classifier-experiments.md, "Rule cleaners, one by one").
"""
from __future__ import annotations

from clean_corpus import Plugin, hookimpl
from clean_corpus_plugins.cleaners.lexmatch import holding, lexicon, word_count, words


class CommentPrompts(Plugin):
    """Drop what is left of a comment section and its log-in form.

    * headings and buttons, as whole blocks, maybe with a count (lexicon kind
      ``comments``: "Commentaires", "0 Kommentare", "Leave a reply");
    * log-in controls, as whole blocks (kind ``login``: "Déjà un compte ? Se connecter");
    * short prompts: a block of at most ``max_words`` words with a comment-form phrase
      (kind ``comment_prompt``: "Your email address will not be published"), or with a
      "to comment" phrase *and* a log-in cue ("Connectez-vous ... pour commenter",
      "Log in to comment"). "He declined to comment." has no log-in cue and stays.
    """

    name = "comment_prompts"
    defaults = {"max_words": 25}

    @hookimpl
    def clean(self, document):
        headings, login = lexicon("comments"), lexicon("login")
        prompts, actions = lexicon("comment_prompt"), lexicon("comment_action")
        for block in holding(document.blocks, headings, login, prompts, actions):
            ws = words(block.text)
            if headings.covers(ws):
                document.drop_block(block, self.name, "comment section heading")
            elif login.covers(ws):
                document.drop_block(block, self.name, "log-in prompt")
            elif word_count(block.text) <= int(self.options["max_words"]):
                logins = login.found(ws)
                if prompts.found(ws) or (actions.found(ws) and logins):
                    document.drop_block(block, self.name, "comment prompt")
                elif len(logins) >= 2 and word_count(block.text) <= 12:
                    # "Ou si vous avez déjà un compte, connectez-vous ici"
                    document.drop_block(block, self.name, "log-in prompt")
