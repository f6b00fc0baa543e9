"""Tree-ensemble inference in numpy, and the two-stage block classifier built on it.

A model file is JSON::

    {"format": "clean-corpus-boilerplate/1", "features": [...], "threshold": 0.5,
     "stages": [{"baseline": b, "trees": {"root": [...], "feature": [...],
                 "threshold": [...], "left": [...], "right": [...], "value": [...]}}, ...],
     "context": [...], "trained": {...how it was trained...}}

``context`` names the neighbour features the later stages read (a file made for other
ones is refused). A text model may also hold ``"vocabulary"`` (the word and line table of
:mod:`.vocabulary`, whose columns end its ``features``) and ``"fallback"`` (a model file
of its own, reading no vocabulary, for pages the table mostly does not know); a file whose
features and vocabulary disagree is refused. An HTML model may hold ``"names"`` (the
class/id word table of :mod:`.name_odds`, whose columns end its ``features``). ``trees`` holds every tree's nodes in flat arrays (a leaf has ``left == -1``); a row goes
left when ``x[feature] <= threshold``, and its raw score is ``baseline`` plus the values
of the leaves it reaches, a log-odds turned into a probability by the logistic function.
Stage one reads the block features; stage two reads stage one's probabilities of the
block and its neighbours, and of the block against the page's likeliest one (see
:func:`context_features`), which smooths the decisions into coherent runs of content and
reads each page on its own scale. Everything here is deterministic and needs numpy only;
the walk runs compiled (``_trees.c``) where the package was built with a C compiler, and in
numpy otherwise, with the same comparisons and summation order: the same bits either way.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np

from clean_corpus_plugins.boilerplate.features import (RELATIVE_FEATURES, relative_features,
                                                        text_features)
from clean_corpus_plugins.boilerplate.name_odds import NAME_ODDS_FEATURES, NameOdds
from clean_corpus_plugins.boilerplate.vocabulary import VOCAB_FEATURES, Vocabulary, page_keys

try:  # built at install where a C compiler is found; the numpy walk stands in otherwise
    from clean_corpus_plugins.boilerplate import _trees
except ImportError:
    _trees = None

FORMAT = "clean-corpus-boilerplate/1"

#: Offsets of the neighbours whose first-stage probability the second stage reads.
CONTEXT_OFFSETS = (-3, -2, -1, 1, 2, 3)
CONTEXT_WINDOWS = (2, 5, 15)
CONTEXT_FEATURES: tuple[str, ...] = (
    ("p",)
    + tuple(f"p@{o:+d}" for o in CONTEXT_OFFSETS)
    + tuple(f"p~{w}" for w in CONTEXT_WINDOWS)
    + ("p_max_before~10", "p_max_after~10", "p_page_mean", "p_page_rank", "p_share_before",
       "p_share_after", "p_page_max", "p_of_page_max")
)


def check_format(data: dict, expected: str) -> dict:
    """``data``, a model file's content, refused unless it is of format ``expected``."""
    if data.get("format") != expected:
        raise ValueError(f"not a {expected} model file (format {data.get('format')!r})")
    return data


def model_file_text(data: dict) -> str:
    """A model file's text: the same model always gives the same bytes."""
    return json.dumps(data, sort_keys=True, separators=(",", ":")) + "\n"


@dataclass
class TreeEnsemble:
    """Binary gradient-boosted trees in flat arrays: ``predict`` gives P(content)."""

    baseline: float
    root: np.ndarray
    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray

    @classmethod
    def from_dict(cls, data: dict) -> "TreeEnsemble":
        trees = data["trees"]
        return cls(float(data["baseline"]),
                   np.asarray(trees["root"], dtype=np.int64),
                   np.asarray(trees["feature"], dtype=np.int64),
                   np.asarray(trees["threshold"], dtype=np.float64),
                   np.asarray(trees["left"], dtype=np.int64),
                   np.asarray(trees["right"], dtype=np.int64),
                   np.asarray(trees["value"], dtype=np.float64))

    def as_dict(self) -> dict:
        return {"baseline": self.baseline,
                "trees": {"root": self.root.tolist(), "feature": self.feature.tolist(),
                          "threshold": self.threshold.tolist(), "left": self.left.tolist(),
                          "right": self.right.tolist(), "value": self.value.tolist()}}

    def __post_init__(self) -> None:
        # For the walk, a leaf leads to itself on both sides: every row can then take
        # the same number of steps (the deepest tree's depth), a few array operations each.
        # The walk holds node k as 2k: 2k + 1 picks the left child (x <= threshold) and 2k
        # the right one straight from ``_next``, which saves two array operations a level.
        self._depth = self._checked_depth()
        leaf = self.left < 0
        index = np.arange(len(self.left))
        self._next = 2 * np.stack((np.where(leaf, index, self.right),
                                   np.where(leaf, index, self.left)), axis=1).ravel()
        # (a leaf's own feature number is never read: its steps read column 0, as in the
        # compiled walk, so a leaf numbered past the rows' width is no IndexError here)
        feature = np.where(leaf, 0, self.feature)
        self._feature2, self._threshold2, self._value2 = (
            np.repeat(a, 2) for a in (feature, self.threshold, self.value))
        self._root2 = 2 * self.root
        self._root_feature = feature[self.root]
        self._root_threshold = self.threshold[self.root]
        split = self.feature[~leaf]
        self._width = int(split.max()) + 1 if len(split) else 0

    def _checked_depth(self) -> int:
        """The deepest tree's depth, the trees checked on the way: a model file out of
        shape (a node or feature out of range, a node reached twice) is refused here,
        not walked into a wrong answer or an endless loop."""
        n = len(self.left)
        if not len(self.feature) == len(self.threshold) == len(self.right) == len(self.value) == n:
            raise ValueError("bad model trees: the node arrays differ in length")
        if ((self.root < 0) | (self.root >= n)).any():
            raise ValueError("bad model trees: a tree's root is out of range")
        split = self.left >= 0
        if ((self.left >= n) | (split & ((self.right < 0) | (self.right >= n)))).any():
            raise ValueError("bad model trees: a node's child is out of range")
        if (split & (self.feature < 0)).any():
            raise ValueError("bad model trees: a node reads a feature out of range")
        seen = np.zeros(n, dtype=bool)
        deepest = 0
        stack = [(int(r), 0) for r in self.root]
        while stack:
            node, depth = stack.pop()
            if seen[node]:
                raise ValueError("bad model trees: a node is reached twice (the trees share "
                                 "nodes or hold a cycle)")
            seen[node] = True
            deepest = max(deepest, depth)
            if split[node]:
                stack += [(int(self.left[node]), depth + 1), (int(self.right[node]), depth + 1)]
        return deepest

    @classmethod
    def joined(cls, ensembles: list["TreeEnsemble"]) -> "TreeEnsemble":
        """The trees of ``ensembles`` as one ensemble (baseline 0), to be walked at once:
        those of ``ensembles[k]`` come after those of the ensembles before it."""
        offsets = np.cumsum([0] + [len(e.left) for e in ensembles[:-1]]).tolist()

        def nodes(name: str) -> np.ndarray:  # node numbers moved up; a leaf's -1 stays
            return np.concatenate([np.where(getattr(e, name) >= 0, getattr(e, name) + at,
                                            getattr(e, name))
                                   for e, at in zip(ensembles, offsets)])

        return cls(0.0, nodes("root"), *(np.concatenate([getattr(e, name) for e in ensembles])
                                         for name in ("feature", "threshold")),
                   nodes("left"), nodes("right"),
                   np.concatenate([e.value for e in ensembles]))

    @cached_property
    def _compiled(self):
        """The compiled walk's copy of the trees (checked as it is made)."""
        return _trees.Forest(self.root, self.feature, self.threshold, self.left, self.right,
                             self.value)

    def leaf_values(self, X: np.ndarray) -> np.ndarray:
        """The value of the leaf each row reaches in each tree, one row per row of ``X``
        and one column per tree: all trees are walked at once, one level per step."""
        n, width = X.shape
        trees = len(self.root)
        flat = np.ascontiguousarray(X, dtype=np.float64).ravel()
        # one entry per (row, tree), row after row; take on flat arrays is the fastest
        # gather numpy has (the method: np.take adds a Python call to each)
        base = np.repeat(np.arange(n) * width, trees)
        # the first level, where every row is at each tree's root, reads one column a tree
        goes_left = flat.reshape(n, width).take(self._root_feature, axis=1) <= self._root_threshold
        after, feature, threshold = self._next, self._feature2, self._threshold2
        node = after.take((self._root2 + goes_left).ravel())
        for _ in range(self._depth - 1):
            node = after.take(node + (flat.take(base + feature.take(node))
                                      <= threshold.take(node)))
        return self._value2.take(node).reshape(n, trees)

    def sums(self, X: np.ndarray, bounds: list[int]) -> np.ndarray:
        """The leaf values each row of ``X`` reaches, summed over the trees
        ``bounds[g]`` to ``bounds[g + 1] - 1`` into column ``g``, in tree order (a
        defined order, which the compiled walk and numpy's running sum share)."""
        X = np.ascontiguousarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] < self._width:
            raise ValueError(f"the trees read {self._width} features, the rows have "
                             f"{X.shape[-1] if X.ndim else 0}")
        out = np.empty((X.shape[0], len(bounds) - 1))
        if _trees is not None:
            self._compiled.sums(X, np.asarray(bounds, dtype=np.int64), out)
            return out
        values = self.leaf_values(X)
        for g, (a, b) in enumerate(zip(bounds, bounds[1:])):
            out[:, g] = np.add.accumulate(values[:, a:b], axis=1)[:, -1] if b > a else 0.0
        return out

    def raw(self, X: np.ndarray) -> np.ndarray:
        """Log-odds of every row."""
        return self.baseline + self.sums(X, [0, len(self.root)])[:, 0]

    def predict(self, X: np.ndarray) -> np.ndarray:
        return _logistic(self.raw(X))


def _logistic(raw: np.ndarray) -> np.ndarray:
    # math's exp (the C library's): numpy's differs in the last bit on some CPUs, and the
    # second stage's trees read these (see features.log1p_counts); past 709 it overflows
    e = np.fromiter(map(math.exp, np.minimum(-raw, 709.0).ravel().tolist()), dtype=np.float64,
                    count=raw.size)
    return 1.0 / (1.0 + e.reshape(raw.shape))


def context_features(p: np.ndarray, X: np.ndarray | None = None) -> np.ndarray:
    """Second-stage features of one page: each block's probability and its neighbours'
    (followed by the columns of ``X``, when given: the second stage's input at once)."""
    n = len(p)
    if n == 0:
        return np.zeros((0, len(CONTEXT_FEATURES) + (0 if X is None else X.shape[1])))
    # the columns written into one matrix, each group by a few whole-array operations
    # (a page's arrays are short: the number of numpy calls is most of the cost)
    out = np.empty((n, len(CONTEXT_FEATURES) + (0 if X is None else X.shape[1])))
    if X is not None:
        out[:, len(CONTEXT_FEATURES):] = X
    out[:, 0] = p
    reach = max(map(abs, CONTEXT_OFFSETS))
    padded = np.full(n + 2 * reach, -1.0)
    padded[reach:reach + n] = p
    for at, offset in enumerate(CONTEXT_OFFSETS, 1):
        out[:, at] = padded[reach + offset:reach + offset + n]
    at = 1 + len(CONTEXT_OFFSETS)
    cum = np.concatenate(([0.0], np.cumsum(p)))
    index = np.arange(n)[:, None]
    half = np.array(CONTEXT_WINDOWS)
    lo, hi = np.maximum(index - half, 0), np.minimum(index + half + 1, n)
    out[:, at:at + len(CONTEXT_WINDOWS)] = (cum[hi] - cum[lo]) / (hi - lo)
    at += len(CONTEXT_WINDOWS)
    # the highest of every 10 blocks in a row: block i's before (the 10 ending at i - 1)
    # and after (those starting at i + 1) are two of them
    padded = np.concatenate((np.full(10, -1.0), p, np.full(10, -1.0)))
    highest = np.lib.stride_tricks.as_strided(padded, (n + 11, 10), padded.strides * 2) \
        .max(axis=1)
    out[:, at] = highest[:n]
    out[:, at + 1] = highest[11:]
    out[:, at + 2] = p.mean()
    # each block's rank: the inverse of the stable order (the same as sorting the order)
    rank = np.empty(n, dtype=np.int64)
    rank[np.argsort(-p, kind="stable")] = np.arange(n)
    out[:, at + 3] = rank / max(1, n - 1)
    out[:, at + 4] = cum[:-1] / max(1e-9, cum[-1])
    out[:, at + 5] = (cum[-1] - cum[1:]) / max(1e-9, cum[-1])
    top = p.max()
    out[:, at + 6] = top
    out[:, at + 7] = p / max(1e-9, top)
    return out


@dataclass
class TypeEnsembles:
    """One tree ensemble per page type, each one type against the rest; the surest wins.

    The HTML and the text page-type models are this with their own features: a subclass
    names its file ``FORMAT`` and what else its file holds (:meth:`file_fields`,
    :meth:`fields_from_file`), and computes the row :meth:`likeliest` reads.
    """

    FORMAT = ""
    types: tuple[str, ...]
    ensembles: list[TreeEnsemble]
    trained: dict

    @classmethod
    def load(cls, path: str | Path) -> "TypeEnsembles":
        data = check_format(json.loads(Path(path).read_text(encoding="utf-8")), cls.FORMAT)
        return cls(tuple(data["types"]), [TreeEnsemble.from_dict(e) for e in data["ensembles"]],
                   data.get("trained", {}), **cls.fields_from_file(data, path))

    @classmethod
    def fields_from_file(cls, data: dict, path: str | Path) -> dict:
        """The subclass's own fields, read from its model file."""
        return {}

    def file_fields(self) -> dict:
        """The subclass's own fields, as its model file keeps them."""
        return {}

    def dumps(self) -> str:
        """The model file's text: the same model always gives the same bytes."""
        return model_file_text({"format": self.FORMAT, "types": list(self.types),
                                "ensembles": [e.as_dict() for e in self.ensembles],
                                "trained": self.trained, **self.file_fields()})

    def probabilities(self, X: np.ndarray) -> np.ndarray:
        """P(type) of each row (a page), one column per type, rows summing to 1."""
        # The types' trees are walked together, in one walk: a page is one row, and a walk
        # per type cost as much in numpy calls as the trees themselves. Each type's
        # log-odds add up its own trees' values, as its ensemble's ``raw`` does.
        sums = self._joined.sums(X, self._bounds)
        p = np.column_stack([_logistic(e.baseline + sums[:, g])
                             for g, e in enumerate(self.ensembles)])
        return p / np.maximum(1e-12, p.sum(axis=1, keepdims=True))

    @cached_property
    def _joined(self) -> TreeEnsemble:
        return TreeEnsemble.joined(self.ensembles)

    @cached_property
    def _bounds(self) -> list[int]:
        """Where each type's trees start in :attr:`_joined` (and the last ones end)."""
        return np.cumsum([0] + [len(e.root) for e in self.ensembles]).tolist()

    def likeliest(self, row: np.ndarray) -> tuple[str, float]:
        """The likeliest type of the page whose features are ``row``, and its probability."""
        p = self.probabilities(row[None, :])[0]
        return self.types[int(np.argmax(p))], float(p.max())


@dataclass
class BlockClassifier:
    """The shipped model: block features -> P(content), smoothed over neighbours."""

    features: tuple[str, ...]
    stages: list[TreeEnsemble]
    threshold: float
    trained: dict
    vocabulary: Vocabulary | None = None
    #: Rates the pages whose words the vocabulary mostly does not know (no vocabulary).
    fallback: "BlockClassifier | None" = None
    #: Log-odds of the class/id words around an HTML block (:mod:`.name_odds`).
    names: NameOdds | None = None

    def __post_init__(self) -> None:
        reads_names = NAME_ODDS_FEATURES[0] in self.features
        if reads_names and (self.names is None or tuple(
                self.features[-len(NAME_ODDS_FEATURES):]) != NAME_ODDS_FEATURES):
            raise ValueError("the model reads class/id word columns this version does not "
                             "compute from its file: retrain it")
        if self.names is not None and not reads_names:
            raise ValueError("the model file holds a class/id word table its features do "
                             "not read")
        reads = [name for name in self.features if name in VOCAB_FEATURES]
        if reads and (self.vocabulary is None or self.fallback is None
                      or tuple(self.features[-len(VOCAB_FEATURES):]) != VOCAB_FEATURES):
            raise ValueError("the model reads vocabulary columns this version does not "
                             "compute from its file: retrain it")
        if (self.vocabulary is not None or self.fallback is not None) and not reads:
            raise ValueError("the model file holds a vocabulary its features do not read")
        if self.fallback is not None and self.fallback.vocabulary is not None:
            raise ValueError("a model's fallback must read no vocabulary")

    @classmethod
    def from_dict(cls, data: dict) -> "BlockClassifier":
        check_format(data, FORMAT)
        if len(data["stages"]) > 1 and tuple(data.get("context", ())) != CONTEXT_FEATURES:
            raise ValueError("the model's later stages read other neighbour features than "
                             "this version computes: retrain it")
        vocabulary = Vocabulary.from_dict(data["vocabulary"]) if "vocabulary" in data else None
        fallback = cls.from_dict(data["fallback"]) if "fallback" in data else None
        names = NameOdds.from_dict(data["names"]) if "names" in data else None
        return cls(tuple(data["features"]), [TreeEnsemble.from_dict(s) for s in data["stages"]],
                   float(data["threshold"]), data.get("trained", {}), vocabulary, fallback,
                   names)

    @classmethod
    def load(cls, path: str | Path) -> "BlockClassifier":
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))

    def as_dict(self) -> dict:
        data = {"format": FORMAT, "features": list(self.features), "threshold": self.threshold,
                "stages": [stage.as_dict() for stage in self.stages], "trained": self.trained}
        if len(self.stages) > 1:
            data["context"] = list(CONTEXT_FEATURES)
        if self.vocabulary is not None:
            data["vocabulary"] = self.vocabulary.as_dict()
        if self.fallback is not None:
            data["fallback"] = self.fallback.as_dict()
        if self.names is not None:
            data["names"] = self.names.as_dict()
        return data

    def predict_texts(self, texts: list[str], X: np.ndarray | None = None) -> np.ndarray:
        """P(content) of each block of a page given as its blocks' texts (``X``: their
        text features, computed when not given). A model with a vocabulary reads its
        columns too, unless the page's words are mostly unknown to it (another language
        than its training pages'): then its fallback, which reads none, rates the page.
        A model without vocabulary reads the block shapes against the page's prose
        (:func:`.relative_features`), which carry across languages."""
        return self.rate_texts(texts, X)[0]

    def rate_texts(self, texts: list[str], X: np.ndarray | None = None
                   ) -> tuple[np.ndarray, float | None]:
        """:meth:`predict_texts`, and the share of the page's words the vocabulary knows
        (None for a model without one)."""
        if X is None:
            X = text_features(texts)
        if self.vocabulary is None:
            # a model trained before the relative columns reads the absolute ones
            relative = self.features == RELATIVE_FEATURES
            return self.predict_page(relative_features(X) if relative else X), None
        keys = page_keys(texts)
        odds = self.vocabulary.odds(keys[0])
        known = self.vocabulary.coverage(odds)
        if known < self.vocabulary.min_coverage:
            return self.fallback.predict_texts(texts, X), known
        return self.predict_page(np.hstack((X, self.vocabulary.columns_of(*keys, odds)))), known

    def dumps(self) -> str:
        """The model file's text: the same model always gives the same bytes."""
        return model_file_text(self.as_dict())

    def predict_page(self, X: np.ndarray) -> np.ndarray:
        """P(content) of each block of one page (rows in page order)."""
        if X.shape[1] != len(self.features):
            raise ValueError(f"the model reads {len(self.features)} features per block, "
                             f"got {X.shape[1]}: a model file of another version")
        if X.shape[0] == 0:
            return np.zeros(0)
        p = self.stages[0].predict(X)
        for stage in self.stages[1:]:
            p = stage.predict(context_features(p, X))
        return p


@lru_cache(maxsize=None)
def load_model(path: str) -> BlockClassifier:
    """A model file, loaded once per process."""
    return BlockClassifier.load(path)
