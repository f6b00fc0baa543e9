"""Learned log-odds of the class/id words around an HTML block.

The HTML classifier's one-hot columns know the :data:`.train_html.NAME_VOCABULARY` words
found on the most sites; the rest of the long tail ("sidebar", "related", "promo",
"byline", "newsletter", "prose"...) it does not read. A :class:`NameOdds` table holds the
log-odds of content against boilerplate of every class/id word (as :func:`.html.name_words`
cuts them) that the training pages show on at least ``min_sites`` distinct sites, learned
from the blocks' aligned labels exactly as the text vocabulary (:mod:`.vocabulary`) learns
its words: a block counts each distinct word once, the counts smoothed towards the
training pages' base rate. A word counts apart where it stands: *near* (the block's owner
element and its :data:`NEAR` nearest ancestors) and *far* (further up, among the words
above the block, ``DomBlock.words_above``); a far word is kept in the table as
:data:`FAR` followed by the word.

Each block gets the :data:`NAME_ODDS_FEATURES` columns: the mean, lowest and highest
log-odds of its known near words, how many near words the table knows, the mean log-odds
of its owner's own words, and the mean, lowest and highest of its known far words (0
where none is known). The table ships inside the HTML model file (``"names"``); looking a
page up is one dictionary lookup per distinct word of each distinct place on the page.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import chain

import numpy as np

from clean_corpus_plugins.boilerplate.vocabulary import MIN_SITES, Vocabulary

#: Ancestors above the owner whose words are near (as the ``near=`` columns read them).
NEAR = 4
#: What a far word is prefixed with in the table.
FAR = "^"

NAME_ODDS_FEATURES: tuple[str, ...] = (
    "names_near_mean", "names_near_min", "names_near_max", "names_near_known",
    "names_owner_mean", "names_far_mean", "names_far_min", "names_far_max",
)


def _place_words(names: tuple, above: frozenset) -> tuple[tuple, tuple, tuple]:
    """The distinct near words of a place (in order), its owner's words, and its far
    words (sorted: the same order in every process)."""
    near = tuple(dict.fromkeys(chain.from_iterable(names[:NEAR + 1])))
    far = tuple(sorted(above.difference(near)))
    return near, tuple(names[0]) if names else (), far


def _places(blocks) -> tuple[list[tuple], np.ndarray]:
    """Each distinct place (near, owner and far words) of a page's blocks, and the place
    of each block. Blocks of one element share their names and words above (the same
    objects), so each place is cut once."""
    first: dict = {}
    which = [first.setdefault((b.names, b.words_above), len(first)) for b in blocks]
    return ([_place_words(*key) for key in first],
            np.fromiter(which, dtype=np.int64, count=len(which)))


def name_keys(blocks) -> tuple[list[str], np.ndarray, list[None]]:
    """The blocks' words as :meth:`.vocabulary.Counts.add` counts them: every block's
    near words and its far ones (:data:`FAR` first), flattened in page order, how many
    each block has, and no whole lines."""
    places, which = _places(blocks)
    keyed = [near + tuple(FAR + w for w in far) for near, _, far in places]
    rows = [keyed[i] for i in which.tolist()]
    lengths = np.fromiter(map(len, rows), dtype=np.int64, count=len(rows))
    return list(chain.from_iterable(rows)), lengths, [None] * len(rows)


def _stats(values: list[float]) -> tuple[float, float, float]:
    """Mean (exactly rounded: the same whatever the order), lowest and highest; 0 each
    when there is none."""
    if not values:
        return 0.0, 0.0, 0.0
    return math.fsum(values) / len(values), min(values), max(values)


@dataclass
class NameOdds:
    """Log-odds of content of class/id words near a block and far above it."""

    words: dict[str, float]
    min_sites: int = MIN_SITES

    @classmethod
    def from_vocabulary(cls, table: Vocabulary) -> "NameOdds":
        """The words of a table :meth:`.vocabulary.Counts.table` made of :func:`name_keys`."""
        return cls(table.words, table.min_sites)

    @classmethod
    def from_dict(cls, data: dict) -> "NameOdds":
        return cls(dict(data["words"]), int(data["min_sites"]))

    def as_dict(self) -> dict:
        return {"min_sites": self.min_sites, "words": self.words}

    def columns(self, blocks, out: np.ndarray | None = None) -> np.ndarray:
        """The :data:`NAME_ODDS_FEATURES` columns of a page's DOM blocks (written into
        ``out`` when given)."""
        if out is None:
            out = np.zeros((len(blocks), len(NAME_ODDS_FEATURES)))
        if not blocks:
            return out
        places, which = _places(blocks)
        get = self.words.get
        rows = np.zeros((len(places), len(NAME_ODDS_FEATURES)))
        for i, (near, owner, far) in enumerate(places):
            near_odds = [v for v in map(get, near) if v is not None]
            owner_odds = [v for v in map(get, owner) if v is not None]
            far_odds = [v for v in (get(FAR + w) for w in far) if v is not None]
            mean, low, high = _stats(near_odds)
            far_mean, far_low, far_high = _stats(far_odds)
            rows[i] = (mean, low, high, len(near_odds), _stats(owner_odds)[0],
                       far_mean, far_low, far_high)
        out[:] = rows[which]
        return out
