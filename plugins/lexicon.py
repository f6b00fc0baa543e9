"""Phrase lists per language, kept as data in ``lexicons/<lang>.toml``.

Each file holds tables named after a kind of boilerplate, each with a ``phrases`` list::

    [advertising]
    phrases = ["Publicité", "Annonce"]

Adding a language or a phrase is adding data: every ``*.toml`` file in the folder is read,
and cleaners see the union over all languages (the language is not known yet when
cleaning runs, and a boilerplate phrase of one language is rarely prose in another).
Plugin packages ship their own lexicon files: a package (a folder with an ``__init__.py``
and ``*.toml`` files) named in the ``clean_corpus.lexicons`` entry-point group is read too,
unless ``CLEAN_CORPUS_DISABLE_PLUGIN_AUTOLOAD`` is set. Extra folders can be added with the
``CLEAN_CORPUS_LEXICONS`` environment variable (``os.pathsep``-separated).
"""
from __future__ import annotations

import os
import re
import tomllib
import sys
import unicodedata
from functools import lru_cache
from importlib.metadata import entry_points
from importlib.resources import files
from pathlib import Path

from clean_corpus.plugins import BLOCK_ENTRY_POINTS_ENV

LEXICON_DIR = Path(__file__).with_name("lexicons")
EXTRA_DIRS_ENV = "CLEAN_CORPUS_LEXICONS"
#: Entry-point group of plugin packages' lexicon folders (packages holding ``*.toml``).
LEXICON_ENTRY_POINTS = "clean_corpus.lexicons"


_WORDS = re.compile(r"\w+")


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form used to compare lines with phrases.

    Cached: cleaners and detectors fold the same lines.
    """
    text = text.casefold()
    if not text.isascii():  # ASCII has no accents to take off
        text = unicodedata.normalize("NFKD", text)
        # the combining marks among the text's distinct characters, deleted in one pass
        marks = [c for c in set(text) if unicodedata.combining(c)]
        if marks:
            text = text.translate(dict.fromkeys(map(ord, marks)))
    return " ".join(_WORDS.findall(text))


def fold_text(text: str) -> str:
    """:func:`fold` of a long text, made of the folds of its paragraphs (the parts between
    blank lines): the same string, since folding reads nothing across a line break, for
    less. A record's text is its blocks joined by blank lines, and the cleaners have
    folded most of them already (cached)."""
    return " ".join(f for f in map(fold, text.split("\n\n")) if f)


def lexicon_dirs() -> list[Path]:
    """The built-in lexicons, installed packages' lexicons (by entry-point name), then
    the folders of ``CLEAN_CORPUS_LEXICONS``."""
    extra = [Path(p) for p in os.environ.get(EXTRA_DIRS_ENV, "").split(os.pathsep) if p]
    return [LEXICON_DIR, *package_lexicon_dirs(), *extra]


def package_lexicon_dirs() -> list[Path]:
    if os.environ.get(BLOCK_ENTRY_POINTS_ENV):
        return []
    found = []
    for ep in sorted(entry_points(group=LEXICON_ENTRY_POINTS), key=lambda e: e.name):
        try:
            found.append(Path(str(files(ep.value))))
        except Exception as exc:  # as for a plugin that fails to load: say so, go on
            print(f"clean-corpus: lexicon {ep.name!r} ({ep.value}) not found: {exc!r}",
                  file=sys.stderr)
    return found


@lru_cache(maxsize=None)
def load_all() -> dict[str, dict[str, list[str]]]:
    """``{language: {kind: [phrase, ...]}}`` for every lexicon file found."""
    lexicons: dict[str, dict[str, list[str]]] = {}
    for directory in lexicon_dirs():
        for path in sorted(directory.glob("*.toml")):
            data = tomllib.loads(path.read_text(encoding="utf-8"))
            lang = lexicons.setdefault(path.stem, {})
            for kind, table in data.items():
                lang.setdefault(kind, []).extend(table.get("phrases", []))
    return lexicons


@lru_cache(maxsize=None)
def phrases(kind: str) -> tuple[str, ...]:
    """All phrases of one kind, over every language, in a stable order."""
    seen: dict[str, None] = {}
    for lang in sorted(load_all()):
        for phrase in load_all()[lang].get(kind, []):
            seen.setdefault(phrase, None)
    return tuple(seen)


@lru_cache(maxsize=None)
def alternation(kind: str) -> str:
    """The phrases of one kind as a regular-expression alternation, longest first.

    Longest first, so that "Photo credit" wins over "Photo" at the same place; a kind with
    no phrases gives a pattern that never matches.
    """
    ordered = sorted(phrases(kind), key=len, reverse=True)
    return "|".join(re.escape(p) for p in ordered) or r"(?!x)x"


@lru_cache(maxsize=None)
def folded_phrases(kind: str) -> frozenset[str]:
    """The phrases of one kind in their :func:`fold` form, for whole-line matching."""
    return frozenset(fold(p) for p in phrases(kind) if fold(p))
