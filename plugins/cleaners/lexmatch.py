"""Matching lexicon phrases against blocks, word by word (helpers, not a plugin).

The lexicon cleaners ask three questions of a block, all on folded words (case, accents
and punctuation ignored, see :func:`clean_corpus_plugins.lexicon.fold`):

* is the block *only* phrases of a kind (``Phrases.covers``): "Publicité", "Déjà un
  compte ? Se connecter", "Commentaires (12)";
* does it *start* with one (``Phrases.prefix``): the label of "Lire aussi : ...";
* which phrases does it *contain* (``Phrases.found``): cues counted by prompt detectors.

Words keep their offsets in the block's text, so a cleaner can look at what follows a
label (a colon, a link) and cut exactly there. Two repairs make scraped text comparable
with the lexicon: words glued by a lost tag boundary are split at a lower-to-upper case
change ("NewsletterRecevez" -> "Newsletter", "Recevez"), and Cyrillic or Greek letters
mixed into Latin words (a trick of spam and ad boxes: "Аdvеrtіѕе") read as the Latin
letters they imitate.
"""
from __future__ import annotations

import re
from functools import lru_cache
from collections.abc import Sequence
from typing import NamedTuple

from clean_corpus_plugins.lexicon import fold, phrases

_WORD = re.compile(r"[^\W_]+")
_CAMEL = re.compile(r"(?<=[a-zß-öø-ÿ])(?=[A-ZÀ-ÖØ-Þ])")

#: Cyrillic and Greek letters that look like Latin ones, and the Latin letters they imitate.
_MASKS = "АВЕЅІЈКМНОРСТХУаеіјорсхуѕһԁԛԝӏΑΒΕΖΗΙΚΜΝΟΡΤΥΧαοικνρτυχ"
_LOOKALIKES = str.maketrans(_MASKS, "ABESIJKMHOPCTXYaeijopcxyshdqwlABEZHIKMNOPTYXaoiknptux")
_LATIN = re.compile(r"[A-Za-z]")
_LOOKALIKE_CHARS = frozenset(_MASKS)


class Word(NamedTuple):
    """One folded word of a block and where it lies in the block's text."""

    text: str
    start: int
    end: int


class Words(Sequence):
    """The :class:`Word` s of a text, with their folded texts at hand (``tokens``).

    Most blocks are only asked whether a phrase starts or occurs in them, which the
    tokens tell: the words with their offsets are made when first read.
    """

    __slots__ = ("text", "tokens", "_words")

    def __init__(self, text: str, tokens: tuple[str, ...], found: list[Word] | None = None):
        self.text, self.tokens, self._words = text, tokens, found

    def starts(self) -> int:
        """The bits (:attr:`Phrases.bit`) of the phrase lists that have a phrase starting
        with one of these words."""
        return _starting_bits(self.text)

    def _all(self) -> list[Word]:
        if self._words is None:
            self._words = _word_list(self.text)
        return self._words

    def __len__(self) -> int:
        return len(self.tokens)

    def __getitem__(self, index):
        found = self._all()[index]
        return tuple(found) if isinstance(index, slice) else found

    def __iter__(self):
        return iter(self._all())


def _unmask(word: str) -> str:
    """Latin letters for look-alikes, but only in a word that already mixes in Latin."""
    if _LATIN.search(word) and any(c in _LOOKALIKE_CHARS for c in word):
        return word.translate(_LOOKALIKES)
    return word


def _parts(raw: str):
    """``raw`` cut where a lower-case letter meets an upper-case one, with offsets."""
    if raw.islower() or raw.isupper() or not _CAMEL.search(raw):
        yield raw, 0, len(raw)
        return
    cuts = [0, *(m.start() for m in _CAMEL.finditer(raw)), len(raw)]
    for a, b in zip(cuts, cuts[1:]):
        yield raw[a:b], a, b


@lru_cache(maxsize=1 << 16)
def _folded(part: str) -> tuple[str, ...]:
    """The folded tokens of one non-ASCII word (words recur: each is folded once)."""
    return tuple(fold(_unmask(part)).split())


_word = Word._make


def _word_list(text: str) -> list[Word]:
    """The folded words of ``text`` with their offsets."""
    out: list[Word] = []
    for match in _WORD.finditer(text):
        raw, base = match.group(), match.start()
        for part, a, b in _parts(raw):
            if part.isascii():  # ASCII letters and digits fold to their lower case
                out.append(_word((part.lower(), base + a, base + b)))
            else:
                out.extend([_word((token, base + a, base + b)) for token in _folded(part)])
    return out


@lru_cache(maxsize=4096)
def words(text: str) -> Words:
    """The folded words of ``text`` with their offsets.

    Cached: every cleaner of the chain asks for the words of the same blocks.
    """
    if _CAMEL.search(text):  # some word to cut in parts
        found = _word_list(text)
        return Words(text, tuple(w.text for w in found), found)
    if text.isascii():
        return Words(text, tuple(_WORD.findall(text.lower())))
    tokens: list[str] = []
    for raw in _WORD.findall(text):
        if raw.isascii():
            tokens.append(raw.lower())
        else:
            tokens.extend(_folded(raw))
    return Words(text, tuple(tokens))


#: Texts whose phrase-list bits are kept. Every cleaner asks for the bits of every block
#: (:func:`holding`), so a document of more blocks than the cache holds (a long page
#: scraped onto one line is cut into thousands) would miss on every one of them, for
#: each cleaner; an entry is an int and a reference to a text.
_BITS_CACHE = 1 << 16


@lru_cache(maxsize=_BITS_CACHE)
def _starting_bits(text: str) -> int:
    """The bits of the phrase lists that have a phrase starting with a word of ``text``.
    The words are looked up once per text, and every list then tells at once whether it
    can occur in the block: most blocks hold no phrase at all. (Making a list empties
    the cache.)"""
    bits = 0
    starting = _STARTING.get
    for token in set(words(text).tokens):
        bits |= starting(token, 0)
    return bits


def _tokens(ws) -> tuple[str, ...] | list[str]:
    return ws.tokens if isinstance(ws, Words) else [w.text for w in ws]


def _is_number(token: str) -> bool:
    return token.isdigit()


#: Each word that starts a phrase, and the bits of the phrase lists holding such a
#: phrase (see :meth:`Words.starts`); and the lists made so far.
_STARTING: dict[str, int] = {}
_LISTS: list[Phrases] = []


class Phrases:
    """The phrases of one lexicon kind, as sequences of folded words."""

    def __init__(self, kind: str, extra: tuple[str, ...] = ()):
        self.kind = kind
        seqs = {tuple(fold(p).split()) for p in (*phrases(kind), *extra)}
        self.seqs = sorted((s for s in seqs if s), key=len, reverse=True)
        self.by_first: dict[str, list[tuple[str, ...]]] = {}
        for seq in self.seqs:
            self.by_first.setdefault(seq[0], []).append(seq)
        self.firsts = frozenset(self.by_first)
        #: This list's bit in :meth:`Words.starts`.
        self.bit = 1 << len(_LISTS)
        _LISTS.append(self)
        for first in self.firsts:
            _STARTING[first] = _STARTING.get(first, 0) | self.bit
        _starting_bits.cache_clear()

    def may_start_in(self, ws) -> bool:
        """Whether one of the words ``ws`` starts a phrase (else none occurs in them)."""
        if isinstance(ws, Words):
            return bool(ws.starts() & self.bit)
        return not self.firsts.isdisjoint(_tokens(ws))

    def __bool__(self) -> bool:
        return bool(self.seqs)

    def _at(self, tokens: list[str], i: int) -> list[int]:
        """Lengths of the phrases that match ``tokens`` at position ``i``, longest first."""
        return [len(seq) for seq in self.by_first.get(tokens[i], ())
                if tuple(tokens[i:i + len(seq)]) == seq]

    def prefix(self, ws) -> int:
        """Number of words of the longest phrase ``ws`` starts with (0 if none)."""
        tokens = _tokens(ws)
        if not tokens or tokens[0] not in self.by_first:
            return 0
        return max(self._at(tokens, 0), default=0)

    def prefix_at(self, tokens: tuple[str, ...], i: int) -> int:
        """``prefix`` of the words from the ``i``-th on, read from their ``tokens``."""
        if tokens[i] not in self.by_first:
            return 0
        return max(self._at(tokens, i), default=0)

    def covers(self, ws, numbers: bool = True) -> bool:
        """True when ``ws`` is made of phrases only (and numbers, such as a count)."""
        tokens = _tokens(ws)
        if not tokens:
            return False
        first = tokens[0]
        if first not in self.by_first and not (numbers and _is_number(first)):
            return False  # the usual case: the block does not start with a phrase
        reachable = [True] + [False] * len(tokens)
        for i in range(len(tokens)):
            if not reachable[i]:
                continue
            if numbers and _is_number(tokens[i]):
                reachable[i + 1] = True
            for length in self._at(tokens, i):
                reachable[i + length] = True
        has_phrase = any(not _is_number(t) for t in tokens)
        return reachable[-1] and has_phrase

    def found(self, ws) -> set[tuple[str, ...]]:
        """The distinct phrases that occur in ``ws``."""
        hits: set[tuple[str, ...]] = set()
        if not self.may_start_in(ws):
            return hits  # the usual case: no phrase starts anywhere in the block
        tokens = _tokens(ws)
        for i in range(len(tokens)):
            for seq in self.by_first.get(tokens[i], ()):
                if tuple(tokens[i:i + len(seq)]) == seq:
                    hits.add(seq)
        return hits


@lru_cache(maxsize=None)
def lexicon(kind: str) -> Phrases:
    """The :class:`Phrases` of ``kind``, loaded once per process."""
    return Phrases(kind)


def holding(blocks, *lists: Phrases) -> list:
    """The ``blocks`` in which a phrase of one of ``lists`` may occur (one of their words
    starts one), in order. No lexicon test (``covers``, ``prefix``, ``found``) holds of
    the others, so a cleaner whose every test is one need look at these only: most blocks
    of a page hold no phrase at all."""
    bits = 0
    for phrase_list in lists:
        bits |= phrase_list.bit
    return [b for b in blocks if _starting_bits(b.text) & bits]


def holding_ids(blocks, *lists: Phrases) -> set[int]:
    """The ids of :func:`holding`'s blocks, for a cleaner that walks every block but runs
    its lexicon tests on these only."""
    return set(map(id, holding(blocks, *lists)))


# ------------------------------------------------------------------ block shape
#: What separates a teaser label from its title on one line ("Lire aussi : titre").
LABEL_SEPARATOR = re.compile(r"^\s*[:»|>\-–—•/]+\s*")
_SENTENCE_END = re.compile(r"[.…][\"'»”’)\]]*$")
_SEPARATOR_ONLY = re.compile(r"^[\s\-–—•·*|/>»«<]*$")
# One "@" in an address: "@" * 10000 would otherwise be split at every one of them.
_URL = re.compile(r"^\s*+(?:https?://|www\.)\S+\s*$|^\s*+[^\s@]++@\S+\.\w+\s*$")


@lru_cache(maxsize=8192)
def word_count(text: str) -> int:
    """Letters-and-digits words of ``text`` (cached: most cleaners ask of every block)."""
    return len(_WORD.findall(text))


def ends_with_full_stop(text: str) -> bool:
    """Prose ends with a full stop; headlines and labels end without one (or with ?/!)."""
    return bool(_SENTENCE_END.search(text.rstrip()))


def is_separator(text: str) -> bool:
    """A line of dashes or bullets only (list separators in scraped text)."""
    return bool(_SEPARATOR_ONLY.match(text))


def is_bare_address(text: str) -> bool:
    """The block is one URL or e-mail address: the text itself, not a link label."""
    return bool(_URL.match(text))


def is_prose(block, min_chars: int = 200) -> bool:
    """Article prose: a long paragraph, or a sentence that ends with a full stop.

    Link-dense blocks are never prose, whatever their length.
    """
    text = block.text
    if block.link_density >= 0.5:
        return False
    if len(text) >= min_chars:
        return True
    return ends_with_full_stop(text) and word_count(text) >= 10
