"""Block features that carry across sites and languages, computed for a whole page at once.

Every feature is about a block's shape, its words' function, where it stands and what
surrounds it, never about the words of one site: length, words, sentence ends,
punctuation, capitals and digits; the share of the page language's stop words (lists in
``stopwords/<lang>.txt``, the language picked per page by which list covers most words);
position in the page and distance to the densest run of prose; features of the
neighbouring blocks; repetition within the page; and whether the block is a boilerplate
phrase of the cleaners' lexicons (``plugins/lexicons``).

Character classes, words and a block's ends are counted in one compiled pass over its
characters (``_trees.c``; :func:`_python_char_columns`, numpy over the page's code points,
where it is not built), its tokens, stop words and key in another (:func:`page_words`),
its lexicon columns and repeats by a look-up or two (:func:`key_columns`), and the matrix
written from them in one more (:func:`_python_text_columns`, numpy, its specification):
a page of a few hundred blocks costs about a third of a millisecond at the median.
:func:`text_features` returns a float64 matrix whose columns are :data:`TEXT_FEATURES`;
HTML callers append their own columns to it. A text model that reads no
vocabulary (the fallback) reads :func:`relative_features`: the same, with the shape
columns that differ by language read against the page's own prose.
"""
from __future__ import annotations

import math
import re
import unicodedata
from functools import lru_cache
from itertools import chain, repeat
from operator import itemgetter
from pathlib import Path

import numpy as np

from clean_corpus_plugins.boilerplate.compiled import checked, same_arrays
from clean_corpus_plugins.lexicon import fold, folded_phrases

STOPWORD_DIR = Path(__file__).with_name("stopwords")
_TOKEN = re.compile(r"\w+")
_CLOSERS = "\"'»”’)]*"

#: Lexicon kinds whose phrases are boilerplate when they make up a whole block.
BOILERPLATE_KINDS = ("skip_link", "advertising", "ad_disclosure", "ad_sales", "cookie_notice",
                     "consent_button", "subscription", "paywall", "comments", "comment_prompt",
                     "comment_action", "login", "related", "related_label", "link_label",
                     "legal_notice", "contact", "more_info", "reading_time", "breadcrumb_root",
                     "error_page", "login_wall")

# character classes, counted per block
_OTHER, _LOWER, _UPPER, _DIGIT, _SPACE, _STOP, _SEP, _COMMA = range(8)
_N_CLASSES = 8
_SEPARATORS = "|•·»›>/<«‹–—-_#@©®™=+*"

#: Columns of the per-block part (before neighbours and position are added).
_BASE = ("log_chars", "log_words", "mean_word_len", "lower_share", "upper_share",
         "digit_share", "other_share", "sep_share", "comma_per_word", "stops_inside",
         "capitalised_words", "ends_sentence", "ends_colon", "starts_upper", "stop_share",
         "stop_count", "repeats", "seen_before", "lexicon_line", "lexicon_prefix", "has_url",
         "is_prose")
#: Columns describing the block's neighbours: these base columns at each offset.
_NEIGHBOUR_BASE = ("log_words", "stop_share", "ends_sentence", "is_prose", "lexicon_line")
_OFFSETS = (-2, -1, 1, 2)
_WINDOWS = (3, 10)
_WINDOW_BASE = ("log_words", "stop_share", "is_prose")

TEXT_FEATURES: tuple[str, ...] = (
    _BASE
    + tuple(f"{name}@{o:+d}" for o in _OFFSETS for name in _NEIGHBOUR_BASE)
    + tuple(f"{name}~{w}" for w in _WINDOWS for name in _WINDOW_BASE)
    + ("position", "log_index", "log_from_end", "words_before_share", "in_prose_run",
       "log_run_distance", "run_side", "page_log_blocks", "page_log_words",
       "page_mean_log_words", "page_prose_share", "page_stop_share")
)

_NEIGHBOUR_COLUMNS = [_BASE.index(name) for name in _NEIGHBOUR_BASE]
_WINDOW_COLUMNS = [_BASE.index(name) for name in _WINDOW_BASE]


#: Whole numbers below this have their logarithms looked up in a table (built once).
_LOG_TABLE = 1 << 12


@lru_cache(maxsize=None)
def _log_table(function) -> np.ndarray:
    """``function`` (``math.log1p`` or ``math.log``) of the whole numbers below
    :data:`_LOG_TABLE` (minus infinity where it has no value: ``log(0)``)."""
    def value(k: int) -> float:
        return function(k) if k or function is math.log1p else -math.inf
    return np.array(list(map(value, range(_LOG_TABLE))))


def _of_counts(function, counts) -> np.ndarray:
    """``function`` of each whole number of ``counts``, a table's values (and ``function``
    called on the few past it)."""
    k = np.asarray(counts).astype(np.int64)
    table = _log_table(function)
    if not k.size or int(k.max()) < _LOG_TABLE:
        return table[k]
    past = k >= _LOG_TABLE
    out = table[np.where(past, 0, k)]
    out[past] = list(map(function, k[past].tolist()))
    return out


def log1p_counts(counts) -> np.ndarray:
    """``log1p`` of whole numbers (an array of counts, integers or floats) as ``math.log1p``
    gives them: the C library's, whatever SIMD code numpy picks for the CPU.

    numpy's ``log1p`` (and ``log``, ``expm1``, ``exp``) take SIMD code on CPUs with
    AVX-512 that differs from the C library in the last bit for some inputs (``log1p(2)``,
    13, 47, ...: one whole number in a hundred), and the trees split exactly at values
    their training machine computed (a column is binned at its values: ``log_words <=
    log1p(2)`` is a split of 17 first-stage trees of the text model), so that bit
    decided blocks of two words and their neighbours. The values are looked up in a table
    of ``math.log1p``, which numpy's own loops give wherever they use no such code.
    """
    return _of_counts(math.log1p, counts)


def log_counts(counts) -> np.ndarray:
    """``log`` of whole numbers as ``math.log`` gives them (see :func:`log1p_counts`)."""
    return _of_counts(math.log, counts)


@lru_cache(maxsize=1)
def all_stopwords() -> frozenset[str]:
    """The stop words of every language :func:`stopwords` has, in one set."""
    return frozenset().union(*stopwords().values())


@lru_cache(maxsize=None)
def stopwords() -> dict[str, frozenset[str]]:
    """``{language: words}`` from ``stopwords/*.txt`` (one word a line, ``#`` comments)."""
    lists = {}
    for path in sorted(STOPWORD_DIR.glob("*.txt")):
        words = [line.strip().lower() for line in path.read_text(encoding="utf-8").splitlines()]
        lists[path.stem] = frozenset(w for w in words if w and not w.startswith("#"))
    return lists


_UNKNOWN = -1


def _char_class(char: str) -> int:
    if char in ",;":
        return _COMMA
    if char in _SEPARATORS:
        return _SEP
    if char in ".!?…":
        return _STOP
    if char.isspace():
        return _SPACE
    if char.isdigit():
        return _DIGIT
    if char.isupper():
        return _UPPER
    if char.isalpha() or unicodedata.category(char).startswith("L"):
        return _LOWER
    return _OTHER


@lru_cache(maxsize=1)
def _class_table() -> np.ndarray:
    """Character class of the code points of the Basic Multilingual Plane, filled in as
    they are met (a page uses a few hundred of the 65,536: classifying all of them would
    cost each process more than a page)."""
    return np.full(0x10000, _UNKNOWN, dtype=np.int8)


def _classes(codes: np.ndarray) -> np.ndarray:
    """The character class of each code point (beyond the BMP: a letter)."""
    table = _class_table()
    beyond = len(codes) > 0 and int(codes.max()) > 0xFFFF  # rare: most pages skip the clip
    bmp = np.minimum(codes, 0xFFFF) if beyond else codes
    classes = table[bmp]
    if len(codes) and classes.min() == _UNKNOWN:
        for code in np.unique(bmp[classes == _UNKNOWN]).tolist():
            table[code] = _char_class(chr(code))
        classes = table[bmp]
    return np.where(codes < 0x10000, classes, _LOWER) if beyond else classes


@lru_cache(maxsize=1)
def _lexicon() -> frozenset[str]:
    return frozenset().union(*(folded_phrases(kind) for kind in BOILERPLATE_KINDS))


@lru_cache(maxsize=1)
def _lexicon_first_words() -> frozenset[str]:
    """The first words of the lexicon's phrases: a block whose first word is none of
    them starts with no phrase (most blocks, told by one lookup)."""
    return first_words(_lexicon())


def first_words(phrases) -> frozenset[str]:
    """The first words of ``phrases`` (folded phrases, words parted by single spaces)."""
    return frozenset(phrase.split(" ", 1)[0] for phrase in phrases)


#: Lexicon phrases are short: a longer block is never one, and only its first words may be.
_PHRASE_WORDS = 12


def _fold(tokens: list[str]) -> str:
    """The :func:`fold` form of a block's first words (cheap for ASCII, the common case;
    else word by word, which gives the same string: folding reads nothing across a
    space, and the folds of words, which recur, are cached)."""
    first = tokens[:_PHRASE_WORDS]
    joined = " ".join(first)
    return joined if joined.isascii() else " ".join(f for f in map(fold, first) if f)


def _starts_with_phrase(folded: str, lexicon: frozenset[str]) -> bool:
    """Whether the first one, two or three words of ``folded`` are a lexicon phrase."""
    first = folded.split(" ", 3)
    return first[0] in lexicon or " ".join(first[:2]) in lexicon \
        or " ".join(first[:3]) in lexicon


def _lexicon_columns(token_lists: list[list[str]], keys: list[str], lexicon: frozenset[str],
                     firsts: frozenset[str]) -> tuple[list, list]:
    """``lexicon_line`` and ``lexicon_prefix`` of each block (its tokens, and ``keys``,
    the tokens joined by spaces): whether the block is a phrase of ``lexicon`` (folded
    phrases; ``firsts``, their first words), and whether its first one, two or three
    folded words are one."""
    line, prefix = [], []
    for toks, key in zip(token_lists, keys):
        if key.isascii():
            # lower-cased ASCII tokens are their own folds: no folding, no joining
            line.append(len(toks) <= _PHRASE_WORDS and key in lexicon)
            first = toks[0] if toks else ""
            prefix.append(first in firsts and (first in lexicon
                                               or " ".join(toks[:2]) in lexicon
                                               or " ".join(toks[:3]) in lexicon))
        else:
            if len(toks) <= _PHRASE_WORDS:
                folded = _fold(toks)
                line.append(folded in lexicon)
            else:
                # a longer block is no phrase, and only its first three folded words are
                # read: those of its first three tokens, unless a token folds to nothing
                line.append(False)
                folded = _fold(toks[:3])
                if folded.count(" ") < 2:
                    folded = _fold(toks)
            prefix.append(folded.split(" ", 1)[0] in firsts
                          and _starts_with_phrase(folded, lexicon))
    return line, prefix


_SENTENCE_ENDS = frozenset(".!?…")
_FIRST, _LAST = itemgetter(slice(None, 1)), itemgetter(slice(-1, None))  # "" for ""
_URL_HINTS = ("http", "www.")


def _has_url(texts: list[str], joined: str) -> np.ndarray:
    """Whether each block holds "http" or "www.": found in the page's text at once
    (``joined``: the blocks joined by line breaks), and told to the blocks by where they
    start (neither spans a line break)."""
    n = len(texts)
    out = np.zeros(n)
    # str.find for each (a regular expression of the two tries both at every character)
    hits = [at for hint in _URL_HINTS for at in _occurrences(joined, hint)]
    if hits:
        sizes = np.fromiter(map(len, texts), dtype=np.int64, count=n) + 1
        out[np.searchsorted(np.cumsum(sizes) - sizes, hits, side="right") - 1] = 1.0
    return out


def _occurrences(text: str, part: str):
    """Where ``part`` starts in ``text``, left to right, without overlaps."""
    at = text.find(part)
    while at >= 0:
        yield at
        at = text.find(part, at + len(part))


@lru_cache(maxsize=1)
def _stopword_lists() -> dict[str, int]:
    """Each stop word's lists as bits: bit k for the k-th list of :func:`stopwords`."""
    bits: dict[str, int] = {}
    for k, words in enumerate(stopwords().values()):
        for word in words:
            bits[word] = bits.get(word, 0) | 1 << k
    if len(stopwords()) > 62:
        raise ValueError("more stop-word lists than bits in an int64")
    return bits


def _char_counts(texts: list[str], joined: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per block (``joined``: the blocks joined by line breaks): counts of each character
    class, of words and of capitalised words."""
    n = len(texts)
    # a lone surrogate (text decoded with surrogateescape) is one character of no class
    codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"),
                          dtype=np.uint32).astype(np.int64)
    classes = _classes(codes)
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=n)
    wordish = (classes >= _LOWER) & (classes <= _DIGIT)  # the classes 1, 2 and 3
    starts = wordish.copy()  # a word starts where a word character follows another
    np.greater(wordish[1:], wordish[:-1], out=starts[1:])
    # one count of (block, class, whether a word starts there) gives the class counts,
    # words and capitalised words (the line break after a block is counted with it)
    bins = 2 * _N_CLASSES
    keys = np.repeat(np.arange(0, bins * n, bins), lengths + 1)[: len(codes)] \
        + (classes + starts.view(np.int8) * _N_CLASSES)
    both = np.bincount(keys, minlength=bins * n).reshape(n, bins)
    at_start = both[:, _N_CLASSES:]
    words = at_start[:, _LOWER] + at_start[:, _UPPER] + at_start[:, _DIGIT]
    return both[:, :_N_CLASSES] + at_start, words, at_start[:, _UPPER]


def shifted(values: np.ndarray, offset: int, fill: float = -1.0,
            out: np.ndarray | None = None) -> np.ndarray:
    """``values[i + offset]`` (rows of a matrix), ``fill`` past the page's edges; written
    into ``out`` (an array of ``values``' shape) when given."""
    if out is None:
        out = np.full_like(values, fill)
    else:
        out[...] = fill
    if offset > 0:
        out[:-offset] = values[offset:]
    elif offset < 0:
        out[-offset:] = values[:offset]
    return out


def _prose_run(words: np.ndarray, prose: np.ndarray) -> tuple[int, int]:
    """The run of blocks with the most prose words, less a cost per block that is not prose.

    A maximum-sum segment (Kadane's): prose blocks count their words, other blocks cost
    five words each, so a menu between two articles' paragraphs splits the run.
    """
    gains = np.where(prose, words, -5.0)
    # in numpy: Kadane's running total after block i is the gains up to it less the lowest
    # of the sums before blocks 0..i, and it restarts at block j when the sum before j is
    # the lowest yet (sums of whole numbers of words: exact, as the loop's)
    sums = np.concatenate(([0.0], np.cumsum(gains)))
    lowest = np.minimum.accumulate(sums[:-1])
    totals = sums[1:] - lowest
    end = int(np.argmax(totals))  # the first best, as the loop kept it
    if totals[end] <= 0:
        return 0, -1
    restarts = np.flatnonzero(sums[1:end + 1] <= lowest[:end])
    return (int(restarts[-1]) + 1 if len(restarts) else 0), end


#: Bytes of UTF-8 text: ASCII capitals lower-cased, the ASCII characters that are not
#: word characters (``\w``) made spaces but "\n"; the bytes of other characters kept.
_ASCII_LOWER_WORDS = bytes(ord(c.lower()) if c.isalnum() or c in "_\n" else ord(" ")
                           for c in map(chr, range(128))) + bytes(range(128, 256))


#: Above this many distinct characters to make spaces, one ``str.translate`` (a lookup a
#: character) costs less than a ``str.replace`` each.
_REPLACES = 16


@lru_cache(maxsize=None)
def _is_word(char: str) -> bool:
    r"""Whether ``char`` is a word character (``\w``: alphanumeric or "_")."""
    return char.isalnum() or char == "_"


def page_tokens(texts: tuple[str, ...] | list[str]) -> list[list[str]]:
    r"""The lower-cased ``\w+`` tokens of each block, cut for the whole page at once: the
    page's few distinct non-ASCII characters that are not word characters (quotes,
    dashes) are replaced by spaces, then, as UTF-8 bytes, the ASCII ones are and the ASCII
    capitals lower-cased by one ``bytes.translate``, and the text split at line breaks
    and spaces (no word character is a space). Unless a non-ASCII character changes case
    (then the page is lower-cased first), that is the regular expression's cut of the
    lower-cased text, for about half its cost and none a block."""
    joined = "\n".join(texts)
    if not joined.isascii():
        others = "".join(map(chr, _non_ascii_codes(joined)))
        if others.lower() != others:  # a non-ASCII capital (or sigma): Unicode's lowering
            joined = joined.lower()
            others = "".join(map(chr, _non_ascii_codes(joined)))
        spaces = [char for char in others if not _is_word(char)]
        if len(spaces) <= _REPLACES:
            for char in spaces:
                joined = joined.replace(char, " ")
        else:  # one pass however many there are
            joined = joined.translate(dict.fromkeys(map(ord, spaces), " "))
    parts = joined.encode("utf-8", "surrogatepass").translate(_ASCII_LOWER_WORDS) \
        .decode("utf-8", "surrogatepass").split("\n")
    if len(parts) != len(texts):  # a block holding a line break: one by one
        return [_TOKEN.findall(t.lower()) for t in texts]
    return list(map(str.split, parts))


def _non_ascii_codes(text: str) -> list[int]:
    """The distinct code points above ASCII in ``text``, in numpy (a Python loop or a
    regular expression over the characters costs more than all the rest)."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    return np.unique(codes[codes > 127]).tolist()


@lru_cache(maxsize=4)
def page_words(texts: tuple[str, ...]) -> tuple[list[list[str]], np.ndarray, np.ndarray,
                                                list[str]]:
    """The words of a page's blocks: the lower-cased tokens of each block
    (:func:`page_tokens`), its stop words and tokens counted in the page's language (the
    stop-word list that covers most of the page's tokens, the first such list on a tie,
    none when no token is a stop word), and its key: its tokens joined by spaces, the
    block as the features and the vocabulary compare it. Cached, and to be read only: the
    text classifier, the page-type model and the extractor's alignment read the same
    page's blocks.

    :func:`_python_page_words` is the specification. All four are compiled in one pass
    over the characters (``_trees.c``) where that was built and gives its values; on a
    page with a non-ASCII character that changes case (which :func:`page_tokens` lowers
    with the page) the compiled pass cuts the lower-cased page. Where it is not built or
    refuses the page, the tokens are cut in Python and counted by the compiled counts
    (:func:`_python_stop_counts` without them)."""
    if _words is not None:
        made = _compiled_page_words(_words, texts)
        if made is not None:
            return made
    return _python_page_words(texts, _stop_counts)


def _python_page_words(texts: tuple[str, ...] | list[str], counts=None
                       ) -> tuple[list[list[str]], np.ndarray, np.ndarray, list[str]]:
    """:func:`page_words` in Python: what the compiled words must give (the stop words
    counted by ``counts``, :func:`_python_stop_counts` by default)."""
    token_lists = page_tokens(texts)
    return (token_lists, *(counts or _python_stop_counts)(token_lists),
            list(map(" ".join, token_lists)))


def _stop_counts(token_lists: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_python_stop_counts`, compiled (``_trees.c``) where that was built and gives
    its values."""
    if _counts is None:
        return _python_stop_counts(token_lists)
    stop_count, n_tokens = np.empty(len(token_lists)), np.empty(len(token_lists))
    _counts.stop_counts(token_lists, _stopword_lists(), len(stopwords()), stop_count, n_tokens)
    return stop_count, n_tokens


def _compiled_page_words(module, texts: tuple[str, ...] | list[str]):
    """:func:`page_words` by ``module``'s compiled pass, or None where it does not cut the
    page: the page is lower-cased first when it holds a character that may change case,
    as :func:`page_tokens` lowers it (unless a block holds a line break, which that
    function cuts block by block; or the lower-cased page still holds one)."""
    stop_count, n_tokens = np.empty(len(texts)), np.empty(len(texts))
    made = module.page_words(texts, _stopword_lists(), len(stopwords()), stop_count, n_tokens)
    if made is None:
        lowered = "\n".join(texts).lower().split("\n")
        if len(lowered) != len(texts):
            return None
        made = module.page_words(lowered, _stopword_lists(), len(stopwords()), stop_count,
                                 n_tokens)
        if made is None:
            return None
    return made[0], stop_count, n_tokens, made[1]


def stop_word_counts(texts: tuple[str, ...]) -> tuple[list[list[str]], np.ndarray, np.ndarray]:
    """The lower-cased tokens of each block, and its stop words and tokens counted, in
    the page's language (:func:`page_words`: cached, to be read only)."""
    return page_words(texts)[:3]


def _python_stop_counts(token_lists: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
    """Each block's tokens in the page's stop-word list, and its tokens (float64): what
    the compiled counts must give, and the counts of a machine without them."""
    n = len(token_lists)
    lengths = np.fromiter(map(len, token_lists), dtype=np.int64, count=n)
    flat = list(chain.from_iterable(token_lists))
    # every token's lists as bits, read once: the lists' hits and the page's stop words
    # are then counted with numpy
    bits = np.fromiter(map(_stopword_lists().get, flat, repeat(0)), dtype=np.int64,
                       count=len(flat))
    # a page's tokens hold a few distinct sets of lists: each counted once
    patterns, times = np.unique(bits, return_counts=True)
    hits = ((patterns[:, None] >> np.arange(len(stopwords()))) & 1).T @ times
    is_stop = (bits >> int(np.argmax(hits))) & 1 if len(flat) and hits.max() > 0 \
        else np.zeros(len(flat), dtype=np.int64)
    stop_count = np.bincount(np.repeat(np.arange(n), lengths), weights=is_stop,
                             minlength=n).astype(np.float64)  # (an empty page's is int)
    n_tokens = lengths.astype(np.float64)
    return stop_count, n_tokens


#: Tokens of two languages' stop words and others, over blocks (one empty), that the
#: compiled counts must count as the Python ones do to be used.
_CHECK_TOKENS = [["the", "cat", "and", "der", "the"], [], ["und", "die", "katze", "of"],
                 ["zzz"], ["de", "la", "the", "the"]]


def _compiled_counts():
    """The compiled stop-word counts, when built and equal to :func:`_python_stop_counts`
    on a small page."""
    def agrees(module) -> bool:
        for tokens in (_CHECK_TOKENS, _CHECK_TOKENS[1:2], [["zzz"]], []):
            fast = np.empty(len(tokens)), np.empty(len(tokens))
            module.stop_counts(tokens, _stopword_lists(), len(stopwords()), *fast)
            if not same_arrays(fast, _python_stop_counts(tokens)):
                return False
        return True
    return checked("_trees", "stop_counts", agrees)


#: Pages of words of every kind that the compiled words must cut as the Python does to be
#: used: non-ASCII word characters and others, surrogates, a line break in a block, and
#: pages with characters that change case (the page lowered first; and
#: :data:`_CHECK_TEXTS`).
_CHECK_PAGES = (["The cat, the_dog and DER Hund 42.", "", " \t", "naïve café — «quoted» ٣x",
                 "a\nb", "\ud800x", "\U0001f600 abc", "x²y ½"],
                ["ΣΑΣ σας ΟΔΟΣ.", "İstanbul ǅ Ⅻ"], ["Ünïcode\nB"], [""], [])


def _compiled_words():
    """The compiled words, when built and equal to :func:`_python_page_words` on a few
    small pages."""
    def agrees(module) -> bool:
        for texts in (*_CHECK_PAGES, _CHECK_TEXTS):
            fast = _compiled_page_words(module, texts)
            slow = _python_page_words(texts)
            if fast is None and texts is _CHECK_PAGES[0]:
                return False  # (a page it must cut)
            if fast is not None and (fast[0] != slow[0] or fast[3] != slow[3]
                                     or not same_arrays(fast[1:3], slow[1:3])):
                return False
        return True
    return checked("_trees", "page_words", agrees)


def token_keys(texts: tuple[str, ...]) -> list[str]:
    """Each block's tokens joined by spaces, the block as the features and the vocabulary
    compare it (:func:`page_words`: cached, to be read only)."""
    return page_words(texts)[3]


def key_columns(token_lists: list[list[str]], keys: list[str]
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`_python_key_columns` of the page's blocks with the cleaners' lexicons:
    compiled (``_trees.c``) for the blocks whose keys are ASCII where that was built and
    gives that function's values, the other blocks' lexicon columns by it."""
    if _keys is None:
        return _python_key_columns(token_lists, keys, _lexicon(), _lexicon_first_words())
    return _compiled_key_columns(_keys, token_lists, keys, _lexicon(), _lexicon_first_words())


def _python_key_columns(token_lists: list[list[str]], keys: list[str], lexicon: frozenset[str],
                        firsts: frozenset[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``lexicon_line`` and ``lexicon_prefix`` of each block (:func:`_lexicon_columns`, as
    float64), and its text as a number: the first block with the same key (int64)."""
    n = len(keys)
    line, prefix = (np.array(c, dtype=np.float64)
                    for c in _lexicon_columns(token_lists, keys, lexicon, firsts))
    numbers: dict[str, int] = {}
    ids = np.fromiter(map(numbers.setdefault, keys, range(n)), dtype=np.int64, count=n)
    return line, prefix, ids


def _compiled_key_columns(module, token_lists, keys, lexicon, firsts):
    """:func:`_python_key_columns` by ``module``, the blocks it leaves (keys not ASCII) by
    :func:`_lexicon_columns`."""
    n = len(keys)
    line, prefix, ids = np.empty(n), np.empty(n), np.empty(n, dtype=np.int64)
    left = module.key_columns(token_lists, keys, lexicon, firsts, _PHRASE_WORDS, line, prefix,
                              ids)
    if left:
        line[left], prefix[left] = _lexicon_columns([token_lists[i] for i in left],
                                                     [keys[i] for i in left], lexicon, firsts)
    return line, prefix, ids


#: A lexicon and blocks of its phrases (whole, first, longer, folded, repeated) that the
#: compiled key columns must read as the Python ones do to be used.
_CHECK_LEXICON = frozenset({"read more", "share", "log in now", "a propos", "etc"})
_CHECK_FIRSTS = first_words(_CHECK_LEXICON)
_CHECK_BLOCKS = ["Read more", "share this page", "log in now or else", "Log in", "",
                 "À propos", "À propos de nous et de tout le reste ici", "read more",
                 "one two three four five six seven eight nine ten eleven twelve etc", "etc"]


def _compiled_keys():
    """The compiled key columns, when built and equal to :func:`_python_key_columns` on a
    small page."""
    def agrees(module) -> bool:
        for texts in (_CHECK_BLOCKS, _CHECK_BLOCKS[4:5], []):
            token_lists = page_tokens(texts)
            keys = list(map(" ".join, token_lists))
            fast = _compiled_key_columns(module, token_lists, keys, _CHECK_LEXICON,
                                         _CHECK_FIRSTS)
            if not same_arrays(fast, _python_key_columns(token_lists, keys, _CHECK_LEXICON,
                                                         _CHECK_FIRSTS)):
                return False
        return True
    return checked("_trees", "key_columns", agrees)


def _python_char_columns(texts: list[str] | tuple[str, ...]) -> tuple[np.ndarray, ...]:
    """Per block: its counts of each character class (int64, a block and the line break
    after it), its words and capitalised words (int64), and ``ends_sentence``,
    ``ends_colon``, ``starts_upper`` and ``has_url`` as the columns of a float64 matrix:
    what the compiled columns must give, and those of a machine without them."""
    n = len(texts)
    joined = "\n".join(texts)
    counts, words, caps = _char_counts(texts, joined)
    # each block's last character before closing quotes and brackets ("" for none)
    lasts = list(map(_LAST, map(str.rstrip, map(str.rstrip, texts), repeat(_CLOSERS))))
    flags = np.empty((n, 4))
    flags[:, 0] = np.fromiter(map(_SENTENCE_ENDS.__contains__, lasts), dtype=np.float64,
                              count=n)
    flags[:, 1] = np.fromiter(map(":".__eq__, lasts), dtype=np.float64, count=n)
    flags[:, 2] = np.fromiter(map(str.isupper, map(_FIRST, texts)), dtype=np.float64, count=n)
    flags[:, 3] = _has_url(texts, joined)
    return counts, words, caps, flags


#: Blocks of every character class, ends, starts and URLs, that the compiled columns must
#: read as the Python ones do to be used.
_CHECK_TEXTS = ["Hello, world; one-two | x.", "", " \t", "see www.x.org or http://y",
                "Ünïcode — «quoted»”  ", "\ud800x", "\U0001f600 Abc 42", "ends:)\n",
                "a\nB", "Wait…  ", "ÉTÉ ß ǅ Ⅻ ٣ 'x'", "\u00a0\u2028"]


def _compiled_chars():
    """The compiled character columns, when built and equal to
    :func:`_python_char_columns` on a few small pages."""
    def agrees(module) -> bool:
        for texts in (_CHECK_TEXTS, _CHECK_TEXTS[1:2], _CHECK_TEXTS[3:4], []):
            fast = _empty_char_columns(len(texts))
            module.char_columns(texts, *fast)
            if not same_arrays(fast, _python_char_columns(texts)):
                return False
        return True
    return checked("_trees", "char_columns", agrees)


def _empty_char_columns(n: int) -> tuple[np.ndarray, ...]:
    """Arrays for :func:`_python_char_columns`' values of ``n`` blocks, to be filled."""
    return (np.empty((n, _N_CLASSES), dtype=np.int64), np.empty(n, dtype=np.int64),
            np.empty(n, dtype=np.int64), np.empty((n, 4)))


def char_columns(texts: list[str] | tuple[str, ...]) -> tuple[np.ndarray, ...]:
    """:func:`_python_char_columns`' values: compiled (``_trees.c``) where they were built
    and give that function's values, else that function."""
    if _chars is None:
        return _python_char_columns(texts)
    out = _empty_char_columns(len(texts))
    _chars.char_columns(texts if isinstance(texts, (list, tuple)) else list(texts), *out)
    return out


def text_features(texts: list[str]) -> np.ndarray:
    """The :data:`TEXT_FEATURES` matrix of a page's blocks, one row per block, in order:
    :func:`_python_text_columns` of their character columns, words and key columns,
    compiled (``_trees.c``) where that was built and gives that function's values."""
    n = len(texts)
    if n == 0:
        return np.zeros((0, len(TEXT_FEATURES)))
    counts, words, caps, flags = char_columns(texts)
    token_lists, stop_count, n_tokens, keys = page_words(tuple(texts))
    # each block's text as a number (the first block with the same tokens): how often it
    # recurs, and whether an earlier block had it
    lexicon_line, lexicon_prefix, ids = key_columns(token_lists, keys)
    parts = (counts, words, caps, flags, stop_count, n_tokens, lexicon_line, lexicon_prefix,
             ids)
    if _columns is not None:
        return _compiled_text_columns(_columns, *parts)
    return _python_text_columns(*parts)


def _compiled_text_columns(module, *parts) -> np.ndarray:
    """:func:`_python_text_columns` by ``module``'s compiled columns, the page's mean
    ``log_words`` added here as that function takes it (numpy's pairwise sum)."""
    X = np.empty((len(parts[1]), len(TEXT_FEATURES)))
    # (the Python character columns may be views of a matrix's columns)
    module.text_columns(*map(np.ascontiguousarray, parts), X, _TEXT_CONFIG)
    X[:, _MEAN_LOG_WORDS] = np.ascontiguousarray(X[:, _COLUMN["log_words"]]).mean()
    return X


def _python_text_columns(counts: np.ndarray, words: np.ndarray, caps: np.ndarray,
                         flags: np.ndarray, stop_count: np.ndarray, n_tokens: np.ndarray,
                         lexicon_line: np.ndarray, lexicon_prefix: np.ndarray,
                         ids: np.ndarray) -> np.ndarray:
    """The :data:`TEXT_FEATURES` matrix of a page's blocks (at least one) from their
    :func:`char_columns`, their stop-word counts and tokens (:func:`page_words`) and their
    :func:`key_columns`, in numpy: what the compiled columns must give, bit for bit, and
    the columns of a machine without them."""
    n = len(words)
    ends_sentence, ends_colon, starts_upper, has_url = flags.T
    chars = np.maximum(1, counts.sum(axis=1) - counts[:, _SPACE])
    safe_words = np.maximum(1, words)
    seen_before = (ids != np.arange(n)).astype(np.float64)
    stop_share = stop_count / np.maximum(1, n_tokens)
    log_words = log1p_counts(words)
    is_prose = ((words >= 10) & (stop_share >= 0.2)).astype(np.float64)
    base = {
        "log_chars": log1p_counts(chars),
        "log_words": log_words,
        "mean_word_len": (counts[:, _LOWER] + counts[:, _UPPER] + counts[:, _DIGIT]) / safe_words,
        "lower_share": counts[:, _LOWER] / chars,
        "upper_share": counts[:, _UPPER] / chars,
        "digit_share": counts[:, _DIGIT] / chars,
        "other_share": counts[:, _OTHER] / chars,
        "sep_share": counts[:, _SEP] / chars,
        "comma_per_word": counts[:, _COMMA] / safe_words,
        "stops_inside": log1p_counts(counts[:, _STOP]),
        "capitalised_words": caps / safe_words,
        "ends_sentence": ends_sentence,
        "ends_colon": ends_colon,
        "starts_upper": starts_upper,
        "stop_share": stop_share,
        "stop_count": log1p_counts(stop_count),
        "repeats": log_counts(np.bincount(ids, minlength=n)[ids]),
        "seen_before": seen_before,
        "lexicon_line": lexicon_line,
        "lexicon_prefix": lexicon_prefix,
        "has_url": has_url,
        "is_prose": is_prose,
    }
    # the columns written in place, in the order of TEXT_FEATURES (no list of arrays joined)
    X = np.empty((n, len(TEXT_FEATURES)))
    for k, name in enumerate(_BASE):
        X[:, k] = base[name]
    # the neighbour columns (a few base columns at a time, -1 past the page's edges) and
    # the window columns: their mean over blocks i - half .. i + half, clipped at the
    # page's edges (one running sum for both windows; np.clip costs more than the rest)
    neighbours = X[:, _NEIGHBOUR_COLUMNS]
    at = len(_BASE)
    for offset in _OFFSETS:
        shifted(neighbours, offset, out=X[:, at:at + len(_NEIGHBOUR_BASE)])
        at += len(_NEIGHBOUR_BASE)
    cum = np.zeros((n + 1, len(_WINDOW_BASE)))
    np.cumsum(X[:, _WINDOW_COLUMNS], axis=0, out=cum[1:])
    index = np.arange(n)
    for half in _WINDOWS:
        lo, hi = np.maximum(index - half, 0), np.minimum(index + half + 1, n)
        np.divide(cum[hi] - cum[lo], (hi - lo)[:, None], out=X[:, at:at + len(_WINDOW_BASE)])
        at += len(_WINDOW_BASE)

    index = index.astype(np.float64)
    total_words = float(words.sum())
    words_before = np.concatenate(([0.0], np.cumsum(words)[:-1]))
    start, end = _prose_run(words.astype(np.float64), is_prose.astype(bool))
    if end >= start:
        distance = np.where(index < start, start - index, np.where(index > end, index - end, 0))
        side = np.where(index < start, -1.0, np.where(index > end, 1.0, 0.0))
    else:
        distance, side = np.full(n, float(n)), np.zeros(n)
    for k, column in enumerate((
            index / max(1, n - 1),
            log1p_counts(index),
            log1p_counts(n - 1 - index),
            words_before / max(1.0, total_words),
            distance == 0,
            log1p_counts(distance),
            side,
            math.log1p(n),
            math.log1p(total_words),
            log_words.mean(),
            is_prose.mean(),
            stop_count.sum() / max(1.0, n_tokens.sum())), start=at):
        X[:, k] = column
    return X


#: Shape columns whose values differ by language (German capitalises its nouns and writes
#: longer words; stop-word lists differ in reach): a model that reads no vocabulary reads
#: each against the page's own prose, and the first four no longer as they are
#: (:func:`relative_features`).
_RELATIVE = ("mean_word_len", "lower_share", "upper_share", "capitalised_words", "stop_share",
             "comma_per_word")
_ABSOLUTE_LEFT_OUT = frozenset(_RELATIVE[:4])
_KEPT_COLUMNS = [i for i, name in enumerate(TEXT_FEATURES) if name not in _ABSOLUTE_LEFT_OUT]
RELATIVE_FEATURES: tuple[str, ...] = (tuple(TEXT_FEATURES[i] for i in _KEPT_COLUMNS)
                                      + tuple(f"{name}-prose" for name in _RELATIVE))
_COLUMN = {name: i for i, name in enumerate(TEXT_FEATURES)}


def relative_features(X: np.ndarray) -> np.ndarray:
    """The :data:`RELATIVE_FEATURES` of a page's blocks from their :func:`text_features`
    ``X``: what a model reads that knows no words of the page's language (the fallback).

    A block's capitalised words, word length, case and stop-word shares are read less
    their mean over the page's prose blocks (weighted by words; over all blocks on a page
    without prose): the models learned them on English pages, and a German paragraph,
    with its capitalised nouns and long words, looked less like prose to them than an
    English one. Against its page's own prose a block reads alike in any language.
    """
    # (math's expm1 and a sum in a fixed order: numpy's expm1 and the BLAS's product
    # depend on the CPU, see log1p_counts)
    words = np.fromiter(map(math.expm1, X[:, _COLUMN["log_words"]].tolist()), dtype=np.float64,
                        count=len(X))
    weights = np.where(X[:, _COLUMN["is_prose"]] > 0, words, 0.0)
    if weights.sum() <= 0:
        weights = words
    total = max(1e-9, float(weights.sum()))
    shape = X[:, [_COLUMN[name] for name in _RELATIVE]]
    means = np.array(list(map(math.fsum, (weights[:, None] * shape).T.tolist()))) / total
    return np.hstack((X[:, _KEPT_COLUMNS], shape - means))


#: What the compiled text columns read of the features' tables: ``log1p_counts`` and
#: ``log_counts`` (their tables, and the functions past them).
_TEXT_CONFIG = (_log_table(math.log1p), math.log1p, _log_table(math.log), math.log)
_MEAN_LOG_WORDS = TEXT_FEATURES.index("page_mean_log_words")
#: Blocks of a page with a run of prose, repeats, lexicon phrases and every character
#: class, that the compiled text columns must read as the Python ones do to be used.
_CHECK_PROSE = "The cat and the dog sat on the mat in the sun, as they do."


def _compiled_matrix():
    """The compiled text columns, when built and equal to :func:`_python_text_columns` on
    a few small pages."""
    def agrees(module) -> bool:
        page = _CHECK_TEXTS + [_CHECK_PROSE] * 3 + ["Read more", "Menu", _CHECK_PROSE]
        for texts in (page, page[:1], page[-4:], page[::-1]):
            counts, words, caps, flags = _python_char_columns(texts)
            token_lists, stop_count, n_tokens, keys = _python_page_words(texts)
            parts = (counts, words, caps, flags, stop_count, n_tokens,
                     *_python_key_columns(token_lists, keys, _CHECK_LEXICON, _CHECK_FIRSTS))
            if not same_arrays([_compiled_text_columns(module, *parts)],
                               [_python_text_columns(*parts)]):
                return False
        return True
    return checked("_trees", "text_columns", agrees)


_counts = _compiled_counts()
_chars = _compiled_chars()
_words = _compiled_words()
_keys = _compiled_keys()
_columns = _compiled_matrix()
