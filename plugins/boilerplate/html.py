"""DOM blocks of an HTML page and the features only HTML gives: tags, links, class names.

One walk over the page's parsed tree (``document.tree``, shared by every plugin) cuts the
page into *blocks*, the way a browser breaks text into lines of its own: every block-level
element (``p``, ``div``, ``li``, ``td``, ``h1``...) starts a new block, inline elements
(``a``, ``span``, ``b``...) run on inside it. Each block remembers what the classifier
needs of the DOM: the tags above it, how much of its text is link text, its depth, and the
words of the class, id, role and itemprop attributes of the elements around it.

Those names are written by people and say what a region is for (``nav``, ``footer``,
``comment``, ``article-body``); the model learns what the common ones mean from many sites.
Attributes are read once per element and cut short (a hostile page may hold a class
attribute of megabytes), so the walk is linear in the size of the page.
"""
from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter, eq, itemgetter

import numpy as np
from lxml import etree

from clean_corpus_plugins.boilerplate.compiled import checked, same_arrays
from clean_corpus_plugins.boilerplate.features import _log_table, log1p_counts, log_counts

#: Elements that start a block of their own.
BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd",
    "details", "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer",
    "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "li",
    "main", "menu", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "ul", "legend"})
#: Elements whose text is never the page's text (code, styles, widgets, the head).
SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "head", "svg", "math",
                       "select", "option", "textarea", "iframe", "object", "canvas",
                       "button"})
#: Block kinds of the record (``clean_corpus.document.BLOCK_KINDS``) by the block's tag.
KINDS = {"h1": "head", "h2": "head", "h3": "head", "h4": "head", "h5": "head", "h6": "head",
         "li": "item", "dd": "item", "dt": "item", "blockquote": "quote", "td": "table",
         "th": "table", "figcaption": "caption", "caption": "caption"}

#: Tag of the element that owns the block's text, as one-hot columns.
OWNER_TAGS = ("p", "div", "li", "td", "h1", "h2", "h3", "h4", "span", "a", "pre", "dd",
              "blockquote", "section", "article", "figcaption", "label", "th")
#: Ancestor elements whose presence anywhere above the block is a column.
ANCESTOR_TAGS = ("nav", "header", "footer", "aside", "form", "li", "table", "article", "main",
                 "a", "h1", "h2", "h3", "figure", "blockquote", "pre", "dl", "section", "ul",
                 "ol", "label", "time", "address", "strong")
_ANCESTOR_SET = frozenset(ANCESTOR_TAGS)

_MAX_ATTR = 200   # characters of a class/id attribute that are read
_MAX_WORDS = 12   # words kept per element
_NEAR = 4         # ancestors whose class/id words count as "near"
MAX_PATH = 16     # ancestors a block remembers
_MAX_WORDS_ABOVE = 256
#: A word of a class/id: a run of letters, cut where a capital follows a small letter
#: ("mainFooter": main, Footer); words of one letter are not read.
_NAME_WORD = re.compile(r"[A-Z]{2,}[a-z]*|[A-Z][a-z]+|[a-z]{2,}")


def name_words(element) -> tuple[str, ...]:
    """Lower-cased words of an element's class, id, role and itemprop (bounded)."""
    get = element.get
    # (bytes keys: lxml takes them as they are, a str it encodes first)
    names, ident, role, prop = get(b"class"), get(b"id"), get(b"role"), get(b"itemprop")
    if ident is None and role is None and prop is None:
        # most elements: a class alone, or nothing (no list, no join)
        return () if not names else _split_names(names[:_MAX_ATTR])
    return _split_names(" ".join([value[:_MAX_ATTR] for value in (names, ident, role, prop)
                                  if value]))


#: ASCII as bytes: the small letters kept, every other byte a space.
_SMALL_LETTERS = bytes(c if 97 <= c <= 122 else 32 for c in range(256))


# (the compiled walk splits the words itself, as this does: split_words in _dom.c)
@lru_cache(maxsize=4096)
def _split_names(names: str) -> tuple[str, ...]:
    if names.isascii() and names.islower():
        # no capital (most names): the words are the runs of two or more small letters,
        # cut out by one translate and a split instead of the pattern
        words = names.encode().translate(_SMALL_LETTERS).decode().split()
        if len(words) == 1:
            return (words[0],) if len(words[0]) > 1 else ()
        return tuple(dict.fromkeys([w for w in words if len(w) > 1]))[:_MAX_WORDS]
    # the words are ASCII letters: lower-cased at once, they stay the same words
    words = " ".join(_NAME_WORD.findall(names)).lower().split()
    return tuple(dict.fromkeys(words))[:_MAX_WORDS]


@dataclass
class DomBlock:
    """A block of the page's text and where in the DOM it stood."""

    text: str
    tag: str
    kind: str
    link_chars: int
    links: int
    #: how deep the block's element sits in the page
    depth: int
    #: tags of the owner and its ancestors, innermost first (the nearest ``MAX_PATH``)
    path: tuple[str, ...]
    #: class/id/role/itemprop words of the owner and each ancestor, innermost first
    names: tuple[tuple[str, ...], ...] = field(repr=False, default=())
    #: ids of the owner and its ancestors (to gather statistics of the containers)
    ancestors: tuple[int, ...] = field(repr=False, default=())
    #: the :data:`ANCESTOR_TAGS` and the class/id words found anywhere above the block
    tags_above: frozenset = field(repr=False, default=frozenset())
    words_above: frozenset = field(repr=False, default=frozenset())


#: The text nodes inside an element (those of a skipped element matter only as spaces).
_INNER_TEXT = etree.XPath(".//text()", smart_strings=False)
_EVENTS = ("start", "end", "comment", "pi")
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")  # what str.isalnum accepts, one character


def _place(stack: list, level: int, serial) -> tuple:
    """Path, names, ids, tags and words above of the open element at ``level`` of
    ``stack``: computed from the nearest level that has them, each level once."""
    known = level
    while known >= 0 and stack[known][5] is None:
        known -= 1
    if known < 0:
        element, tag = stack[0][0], stack[0][1]
        words = name_words(element)
        place = ((tag,), (words,), (next(serial),), frozenset({tag}) & _ANCESTOR_SET,
                 frozenset(words))
        stack[0][5] = place
        known = 0
    else:
        place = stack[known][5]
    path, names, ids, tags_above, words_above = place
    for entry in stack[known + 1:level + 1]:
        tag = entry[1]
        words = name_words(entry[0])
        if tag in _ANCESTOR_SET and tag not in tags_above:
            tags_above = tags_above.union((tag,))
        # (a level often repeats words of the levels above it: then no new set)
        if words and len(words_above) < _MAX_WORDS_ABOVE \
                and not words_above.issuperset(words):
            words_above = words_above.union(words)
        # the nearest levels only: a page nested 10,000 deep stays linear
        if len(path) < MAX_PATH:  # (the three always have the same length)
            path, names, ids = (tag,) + path, (words,) + names, (next(serial),) + ids
        else:
            path, names, ids = ((tag,) + path[:-1], (words,) + names[:-1],
                                (next(serial),) + ids[:-1])
        place = entry[5] = (path, names, ids, tags_above, words_above)
    return place


def dom_blocks(tree) -> list[DomBlock]:
    """The text blocks of a parsed page (an lxml HTML tree), in page order.

    One walk down the document's elements (all of it, whichever element ``tree`` is),
    reading each text once where it stands: a text joins the block of the nearest
    block-level element around it, and consecutive texts of one such element make one
    block. Skipped elements (scripts, styles, form controls, ``hidden``) are not entered;
    the tags, class/id words and ids above a block are gathered only for the elements
    that hold text, each once, from the nearest one already known. A page a script
    writes (fewer than :data:`SCRIPTED_PAGE_WORDS` words outside them) is walked again
    with its ``noscript`` elements read: what it serves a reader without script.
    """
    if isinstance(tree, etree._ElementTree):
        root = tree.getroot()
    else:
        root = tree.getroottree().getroot()
    if root is None:
        return []
    blocks = _walk(root, SKIP_TAGS)
    # (every block holds a word: a page of that many blocks is no page a script writes)
    if len(blocks) >= SCRIPTED_PAGE_WORDS:
        return blocks
    words = _words(blocks)
    if words < SCRIPTED_PAGE_WORDS and next(root.iter("noscript"), None) is not None:
        served = _walk(root, _SKIP_BUT_NOSCRIPT)
        if _words(served) > words:
            return served
    return blocks


def _words(blocks: list[DomBlock]) -> int:
    """Words of the blocks (their texts are parted by single spaces)."""
    return len(blocks) + sum(map(str.count, map(_TEXT, blocks), itertools.repeat(" ")))


#: A page whose blocks hold fewer words than this is one a script writes; when it has
#: ``noscript`` elements, they hold what it serves without script (a Discourse or Flarum
#: thread's posts) and are read too (docs/classifier.md).
SCRIPTED_PAGE_WORDS = 100
_SKIP_BUT_NOSCRIPT = SKIP_TAGS - {"noscript"}


def _walk(root, skip: frozenset) -> list[DomBlock]:
    """:func:`dom_blocks` of the page under ``root``, not entering the ``skip`` tags: the
    compiled walk (``_dom.c``) where it was built and gives :func:`_python_walk`'s blocks,
    else that walk (as on a tree the compiled one does not read, such as an entity
    reference node, which an HTML parse never makes)."""
    if _dom is not None:
        try:
            return _dom.walk(root, skip, _DOM_CONFIG)
        except _dom.Unsupported:
            pass
    return _python_walk(root, skip)


def _python_walk(root, skip: frozenset) -> list[DomBlock]:
    """:func:`_walk` in Python, with lxml's tree walk: what the compiled walk must give,
    block for block and field for field, and the walk of a machine without it."""
    blocks: list[DomBlock] = []
    serial = itertools.count()
    pieces: list[str] = []
    owner = place = None
    depth = link_chars = 0
    links: set = set()
    append = blocks.append

    def flush():
        text = " ".join("".join(pieces).split())
        # (a block most often starts with a letter or digit: then no search)
        if text and (text[0].isalnum() or _LETTER_OR_DIGIT.search(text)):
            tag = place[0][0]
            append(DomBlock(text, tag, KINDS.get(tag, "p"), min(link_chars, len(text)),
                            len(links), depth, *place))

    # the document's top elements: the root and any after it (a broken page may have two)
    for top in itertools.chain((root,), root.itersiblings()):
        if not isinstance(top.tag, str):
            continue
        # one entry per open element: [element, tag, owner (the nearest block-level
        # element), the owner's level, the link (``a``) it is inside, its place or None]
        stack: list[list] = []
        push, pop = stack.append, stack.pop
        walk = etree.iterwalk(top, events=_EVENTS)
        for event, element in walk:
            if event == "start":
                tag = element.tag
                # (the attribute read where the walk stands costs a third of one search
                # for it over the whole page, which visits every node)
                if tag in skip or (stack and element.get(b"hidden") is not None):
                    # its text is no page text, but a space in it still parts two words
                    if pieces and any(text.isspace() for text in _INNER_TEXT(element)):
                        pieces.append(" ")
                    walk.skip_subtree()
                    push([element, tag, None, 0, None, None])
                    continue
                if not stack:
                    entry = [element, tag, element, 0, None, None]
                elif tag in BLOCK_TAGS:
                    entry = [element, tag, element, len(stack), stack[-1][4], None]
                else:
                    parent = stack[-1]
                    entry = [element, tag, parent[2], parent[3],
                             element if tag == "a" else parent[4], None]
                push(entry)
                text = element.text
                if text is None:
                    continue
                if text.isspace():
                    if pieces:  # the space between two inline elements
                        pieces.append(" ")
                    continue
            else:
                # a closed element's tail, or a comment's, is text of the element around it
                closed = pop()[1] if event == "end" else None
                text = element.tail
                if text is None:
                    continue
                if text.isspace():
                    if pieces:  # the space between two inline elements ("<a>user</a> <span>date")
                        pieces.append(" ")
                    continue
                if not stack:
                    continue
                if closed == "br":
                    text = " " + text
                entry = stack[-1]
            if entry[2] is not owner:
                if pieces:
                    flush()
                pieces, link_chars, links = [], 0, set()
                owner = entry[2]
                depth = entry[3] + 1
                place = _place(stack, entry[3], serial)
            pieces.append(text)
            if entry[4] is not None:
                link_chars += len(text.strip())
                links.add(entry[4])
    if pieces:
        flush()
    return blocks


#: What the compiled walk reads of this module: the element class, the tags, the block
#: class and the bounds, passed with every call (another checkout's module, loaded beside
#: this one by a bench, passes its own). It splits class/id words as _split_names does.
_DOM_CONFIG = (etree._Element, BLOCK_TAGS, KINDS, _ANCESTOR_SET, DomBlock, "p",
               _MAX_ATTR, MAX_PATH, _MAX_WORDS_ABOVE, _MAX_WORDS)
#: A small page with a bit of every case the walks must agree on.
_CHECK_PAGE = (b"<html><body class='page mainBody' id='top'><div role='main'><p>One "
               b"<a href='#'>link</a><br>two<!-- c --> three</p><ul><li itemprop='item'>"
               b"<b>item</b> <i>x</i></li></ul><div hidden>  </div><script> </script>"
               b"<span>\xc2\xa0tail \xe2\x80\x83words</span></div></body></html>")


@lru_cache(maxsize=1)
def _check_page() -> tuple:
    """:data:`_CHECK_PAGE` parsed, and its blocks by the Python walk: what the compiled
    walk and the compiled columns are both checked on."""
    root = etree.fromstring(_CHECK_PAGE, etree.HTMLParser(encoding="utf-8"))
    return root, _python_walk(root, SKIP_TAGS)


def _compiled_walk():
    """The compiled walk, when it was built against the lxml running here (its element
    struct is read directly) and gives the Python walk's blocks on a small page."""
    def agrees(module) -> bool:
        if module.LXML_VERSION.split(".")[0] != str(etree.LXML_VERSION[0]):
            return False
        root, blocks = _check_page()
        return module.walk(root, SKIP_TAGS, _DOM_CONFIG) == blocks
    return checked("_dom", "walk", agrees)


_dom = _compiled_walk()


# ------------------------------------------------------------------------- features
_LINK_COLUMNS = ("link_density", "log_links", "links_per_word", "depth", "rel_depth")
_CONTAINER_COLUMNS = ("parent_log_chars", "parent_link_density", "parent_log_blocks",
                      "grand_log_chars", "grand_link_density", "grand_log_blocks",
                      "link_density@-1", "link_density@+1", "link_density~3", "same_tag_run")


#: Columns :func:`html_features` appends to the shared text features.
def html_feature_names(vocabulary: tuple[str, ...]) -> tuple[str, ...]:
    return (_LINK_COLUMNS
            + tuple(f"tag={t}" for t in OWNER_TAGS)
            + tuple(f"in={t}" for t in ANCESTOR_TAGS)
            + _CONTAINER_COLUMNS
            + tuple(f"near={w}" for w in vocabulary)
            + tuple(f"far={w}" for w in vocabulary))


#: Where :func:`html_features` writes each group of :func:`html_feature_names`: the first
#: column of the owner's tags, of the container statistics and of the near class/id words.
_TAGS = len(_LINK_COLUMNS)
_CONTAINER = _TAGS + len(OWNER_TAGS) + len(ANCESTOR_TAGS)
_NEAR_WORDS = _CONTAINER + len(_CONTAINER_COLUMNS)
_TAG_COLUMN = {t: i for i, t in enumerate(OWNER_TAGS)}
_ANCESTOR_COLUMN = {t: i for i, t in enumerate(ANCESTOR_TAGS)}
_FIRST_LEVELS = itemgetter(slice(None, _NEAR + 1))  # the owner and its _NEAR ancestors
_FIRST_THREE = itemgetter(slice(None, 3))


def html_width(vocabulary: tuple[str, ...]) -> int:
    """How many columns :func:`html_features` gives with ``vocabulary``."""
    return _NEAR_WORDS + 2 * len(vocabulary)


@lru_cache(maxsize=8)
def _word_columns(vocabulary: tuple[str, ...]) -> tuple[dict[str, int], frozenset]:
    """Each vocabulary word's column among the near (or far) words (a repeated word: its
    last), and the words as a set."""
    return {w: i for i, w in enumerate(vocabulary)}, frozenset(vocabulary)


def _indicators(out: np.ndarray, start: int, width: int, keys: list, columns_of) -> None:
    """Write ones into ``out[:, start:start + width]`` where ``columns_of(key)`` (columns
    counted from ``start``) names a column of the block's key. Blocks often share a key
    (siblings, the words of the page's layout): each distinct key is looked up once
    (numbered by its first block) and its row copied."""
    first: dict = {}
    which = np.fromiter(map(first.setdefault, keys, itertools.count()), dtype=np.int64,
                        count=len(keys))
    found = list(map(columns_of, first))
    cols = list(itertools.chain.from_iterable(found))
    if cols:
        # each distinct key's row repeated for each column it names (no Python step a key)
        rows = np.repeat(np.fromiter(first.values(), dtype=np.int64, count=len(first)),
                         list(map(len, found)))
        table = np.zeros((len(keys), width))
        table[rows, cols] = 1.0
        out[:, start:start + width] = table[which]


def html_features(blocks: list[DomBlock], vocabulary: tuple[str, ...],
                  out: np.ndarray | None = None) -> np.ndarray:
    """The HTML columns (:func:`html_feature_names`) of a page's blocks.

    Computed by the compiled columns (``_dom.c``) where they were built and give
    :func:`_python_html_features`' values, else by that function (as for blocks the
    compiled code does not read: a field of another type than the walks give). ``out``,
    when given, is a zeroed float64 array of their shape (the columns of a larger matrix)
    to write them into.
    """
    n = len(blocks)
    if out is None:
        out = np.zeros((n, html_width(vocabulary)))
    if n == 0:
        return out
    if _columns is not None:
        try:
            return _compiled_html_features(_columns, blocks, vocabulary, out)
        except _columns.Unsupported:
            out[...] = 0.0  # (raised before a column is written; zeroed all the same)
    return _python_html_features(blocks, vocabulary, out)


def _compiled_html_features(module, blocks, vocabulary, out):
    """:func:`html_features` of ``blocks`` (at least one) by ``module``'s compiled columns,
    the depth against the page's prose added here as :func:`_python_html_features` adds it
    (numpy's pairwise sums)."""
    values = np.empty((3, len(blocks)))  # characters, link density and depth a block
    module.html_columns(blocks, _word_columns(vocabulary)[0], len(vocabulary), out, values,
                        _COLUMNS_CONFIG)
    _relative_depth(out, *values)
    return out


def _relative_depth(out: np.ndarray, chars: np.ndarray, link: np.ndarray,
                    depth: np.ndarray) -> None:
    """The depth against the depth of the page's longest blocks (where its prose usually
    sits), into ``out``'s column 4."""
    weights = chars * (1 - link)
    # (np.average's own operations, without its checks: the same sums)
    total = weights.sum()
    out[:, 4] = depth - (np.multiply(depth, weights).sum() / total if total else depth.mean())


def _python_html_features(blocks: list[DomBlock], vocabulary: tuple[str, ...],
                          out: np.ndarray) -> np.ndarray:
    """:func:`html_features` in Python and numpy, of at least one block, into ``out``
    (zeroed): what the compiled columns must give, bit for bit, and the columns of a
    machine without them.

    Blocks of one element share their ancestors' tags and names (the same tuple and set
    objects), so the indicator columns are looked up once per distinct value; the
    container statistics are sums over (block, ancestor) pairs, and the runs of blocks
    alike found, with numpy.
    """
    n = len(blocks)
    texts = list(map(_TEXT, blocks))
    chars = np.fromiter(map(len, texts), dtype=np.float64, count=n)
    # words: a block's text has its words parted by single spaces (dom_blocks makes it so)
    words = np.maximum(1.0, np.fromiter(map(str.count, texts, itertools.repeat(" ")),
                                        dtype=np.float64, count=n) + 1)
    link_chars = np.fromiter(map(_LINK_CHARS, blocks), dtype=np.float64, count=n)
    link = link_chars / np.maximum(1, chars)
    links = np.fromiter(map(_LINKS, blocks), dtype=np.float64, count=n)
    depth = np.fromiter(map(_DEPTH, blocks), dtype=np.float64, count=n)
    out[:, 0] = link
    out[:, 1] = log1p_counts(links)
    out[:, 2] = links / words
    out[:, 3] = depth
    _relative_depth(out, chars, link, depth)

    # indicator columns: the owner's tag, the tags above, class/id words near and far
    words_of, known = _word_columns(vocabulary)
    tags = list(map(_TAG, blocks))
    _indicators(out, _TAGS, len(OWNER_TAGS), tags,
                lambda tag: [_TAG_COLUMN[tag]] if tag in _TAG_COLUMN else [])
    _indicators(out, _TAGS + len(OWNER_TAGS), len(ANCESTOR_TAGS),
                list(map(_TAGS_ABOVE, blocks)),
                lambda above: [_ANCESTOR_COLUMN[t] for t in above if t in _ANCESTOR_COLUMN])
    if vocabulary:
        _indicators(out, _NEAR_WORDS, len(vocabulary),
                    list(map(_FIRST_LEVELS, map(_NAMES, blocks))),
                    lambda levels: list(map(words_of.__getitem__, known.intersection(
                        itertools.chain.from_iterable(levels)))))
        _indicators(out, _NEAR_WORDS + len(vocabulary), len(vocabulary),
                    list(map(_WORDS_ABOVE, blocks)),
                    lambda found: list(map(words_of.__getitem__, known.intersection(found))))

    # text and link characters of every ancestor element, to describe each block's
    # containers: sums over (block, ancestor) pairs
    container = _CONTAINER
    ancestors = list(map(_ANCESTORS, blocks))
    counts = np.fromiter(map(len, ancestors), dtype=np.int64, count=n)
    block_of_pair = np.repeat(np.arange(n), counts)
    pairs = np.fromiter(itertools.chain.from_iterable(ancestors), dtype=np.int64,
                        count=int(counts.sum()))
    if len(pairs):
        element_chars = np.bincount(pairs, weights=chars[block_of_pair])
        element_links = np.bincount(pairs, weights=link_chars[block_of_pair])
        element_blocks = np.bincount(pairs)
        # the block's parent and grandparent containers: the first two elements, from
        # the outermost remembered ancestor inwards, that hold more than this block
        starts = np.cumsum(counts) - counts
        outward = counts[block_of_pair] - 1 - (np.arange(len(pairs)) - starts[block_of_pair])
        shared = element_blocks[pairs] > 1
        rank = np.zeros((n, MAX_PATH + 1), dtype=np.int64)
        rank[block_of_pair, outward] = shared
        rank = np.cumsum(rank, axis=1)
        rank = rank[block_of_pair, outward]
        for k in range(2):
            # the pair that is the (k+1)-th shared container of its block
            chosen = shared & (rank == k + 1)
            a, i = pairs[chosen], block_of_pair[chosen]
            total = element_chars[a]
            out[i, container + 3 * k] = log1p_counts(total)
            out[i, container + 3 * k + 1] = element_links[a] / np.maximum(1.0, total)
            out[i, container + 3 * k + 2] = log1p_counts(element_blocks[a])
    out[1:, container + 6] = link[:-1]
    out[0, container + 6] = -1
    out[:-1, container + 7] = link[1:]
    out[-1, container + 7] = -1
    cum = np.concatenate(([0.0], np.cumsum(link)))
    index = np.arange(n)  # (np.clip is a Python wrapper costing more than the sums)
    lo, hi = np.maximum(index - 1, 0), np.minimum(index + 2, n)
    out[:, container + 8] = (cum[hi] - cum[lo]) / (hi - lo)
    # length of the run of neighbouring blocks with the same tag and path (lists of links):
    # the runs cut where a block's tag or its path's first three tags differ from the block
    # before's (compared, not hashed: neighbours share most of their tuples)
    paths = list(map(_FIRST_THREE, map(_PATH, blocks)))
    same = np.fromiter(map(eq, tags[1:], tags[:-1]), dtype=bool, count=n - 1) \
        & np.fromiter(map(eq, paths[1:], paths[:-1]), dtype=bool, count=n - 1)
    bounds = np.concatenate(([0], np.flatnonzero(~same) + 1, [n]))
    runs = np.diff(bounds)
    out[:, container + 9] = log_counts(np.repeat(runs, runs))
    return out


_TEXT, _TAG, _PATH, _NAMES = (attrgetter(a) for a in ("text", "tag", "path", "names"))
_LINK_CHARS, _LINKS, _DEPTH = (attrgetter(a) for a in ("link_chars", "links", "depth"))
_ANCESTORS, _TAGS_ABOVE, _WORDS_ABOVE = (attrgetter(a) for a in
                                         ("ancestors", "tags_above", "words_above"))


#: What the compiled columns read of this module and of the features' tables: the
#: columns of the owner's tags and of the tags above, where each group of columns starts,
#: the levels whose class/id words are near, the path's bound, and ``log1p_counts`` and
#: ``log_counts`` (their tables, and the functions past them).
_COLUMNS_CONFIG = (_TAG_COLUMN, _ANCESTOR_COLUMN, _TAGS, _TAGS + len(OWNER_TAGS), _CONTAINER,
                   _NEAR_WORDS, _NEAR + 1, MAX_PATH, _log_table(math.log1p), math.log1p,
                   _log_table(math.log), math.log)
#: Class/id words of the check page among a vocabulary (one of them twice, one absent).
_CHECK_VOCABULARY = ("main", "page", "item", "body", "nowhere", "main")


def _compiled_columns():
    """The compiled columns, when the module was built with them and they give
    :func:`_python_html_features`' bytes on the small page of the walk's check."""
    def agrees(module) -> bool:
        blocks = _check_page()[1]
        for vocabulary in ((), _CHECK_VOCABULARY):
            width = (len(blocks), html_width(vocabulary))
            fast = _compiled_html_features(module, blocks, vocabulary, np.zeros(width))
            if not same_arrays([fast], [_python_html_features(blocks, vocabulary,
                                                               np.zeros(width))]):
                return False
        return True
    return checked("_dom", "html_columns", agrees)


_columns = _compiled_columns()
