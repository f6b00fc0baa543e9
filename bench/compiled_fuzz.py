"""Fuzz the two compiled modules against their Python specifications, seeded.

    python bench/compiled_fuzz.py [PAGES_DIR ...] [--seed 1] [--pages 300] [--minutes M]
                                  [--names 200000] [--forests 3000] [--token-pages 3000]
                                  [--char-pages 3000] [--word-pages 3000]

Meant to run with a build under AddressSanitizer and UndefinedBehaviorSanitizer (see
"Memory errors" in docs/robustness.md for the build and the environment), where a read or
write outside a buffer stops the process with a report; in a normal build it checks the
results alone. Seven parts, each counted:

- the DOM walk (``_dom.walk``): real pages (default: ../shared/wcxb-dev/pages and
  ../shared/devset/html, chosen by the seed) mutated (cut at a random byte, bytes flipped
  to random ones, NUL and invalid UTF-8 among them, tags repeated or left open, 50,000
  nested elements, attributes of megabytes, thousands of distinct class strings, comments,
  PIs and CDATA sections everywhere, entity references in attributes, namespaced elements,
  short pages whose text is in ``noscript``, lone surrogates), each parsed by
  ``clean_corpus.htmltree.parse_html`` and by lxml's HTML and XML parsers (the XML one
  recovering, keeping entity references, reading a DTD's default attributes), and walked
  from the root and from an element inside, with both skip sets; the compiled walk must
  give ``html._python_walk``'s blocks, or both must raise (``Unsupported`` counts as
  handed to the Python walk);
- the HTML columns (``_dom.html_columns``) of the blocks of each pair of equal walks, and
  of a random slice of them, with no vocabulary, a short one repeating a word and one of
  302 words: the Python columns' bytes (``html._python_html_features``), or both raising,
  or refused as ``Unsupported``;
- the class/id split (``_dom.split_names``) against the words of ``html._NAME_WORD`` on
  random strings (ASCII letters and separators, non-ASCII letters, NUL, surrogates), for
  every bound of words from 0 to 64, and ``_split_names`` itself at its bound;
- the stop-word counts (``_trees.stop_counts``): random pages of tokens (stop words of
  every list, words of none, empty blocks) against ``features._python_stop_counts``;
- the character columns (``_trees.char_columns``): random pages of blocks (characters of
  every class, closers, URL hints cut anywhere, surrogates, characters past the BMP,
  empty blocks) against ``features._python_char_columns``;
- the words of a page (``_trees.page_words``, lowered first where it refuses the page) and
  their key columns (``_trees.key_columns``): random pages of blocks (word characters of
  every width, capitals lowering to one or two characters, sigmas, line breaks,
  surrogates, lexicon phrases) against ``features._python_page_words`` and
  ``features._python_key_columns``, and the text columns of those pages
  (``_trees.text_columns``) against ``features._python_text_columns``;
- the tree walk (``_trees.Forest``): random forests walked on random rows (NaN, infinities,
  the thresholds themselves) must give the numpy walk's bits; broken ones (a child out of
  range, a cycle, shared nodes, a negative feature, a root out of range, arrays of other
  lengths or types, rows narrower than the features read, groups out of order) must be
  refused with an error.

Prints the counts of each part and every case that differs (its seed and mutation, to be
replayed); exit 1 when one does.
"""
from __future__ import annotations

import argparse
import random
import re
import sys
import time
from pathlib import Path

import numpy as np
from lxml import etree, html as lxml_html

from clean_corpus.htmltree import parse_html
from clean_corpus_plugins.boilerplate import html, model
from clean_corpus_plugins.boilerplate.compiled import same_arrays
from dom_walks import first_difference, page_files, read_page

DEFAULT_FOLDERS = [Path("../shared/wcxb-dev/pages"), Path("../shared/devset/html")]
TAGS = ["div", "span", "a", "b", "p", "li", "ul", "td", "tr", "table", "section", "br",
        "noscript", "script", "style", "h2", "article", "nav", "footer", "i", "em", "pre"]
WORDLIKE = ["main", "Footer", "navBar", "HTMLParser", "aB", "x", "ÉtéNav", "menu-item",
            "post_body", "a1b2", "ZZ", "qq"]


# ------------------------------------------------------------------------- pages
def random_class(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDLIKE) + (str(rng.randrange(100)) if rng.random() < .3
                                            else "") for _ in range(rng.randint(1, 4)))


def insert_at(data: bytes, rng: random.Random, piece: bytes, times: int) -> bytes:
    """``piece`` put in ``times`` times at random offsets (at a ``<`` when one is near)."""
    parts, cuts = [], sorted(rng.randrange(len(data) + 1) for _ in range(times))
    last = 0
    for cut in cuts:
        tag = data.find(b"<", cut, cut + 200)
        cut = tag if tag >= 0 else cut
        cut = max(cut, last)
        parts += [data[last:cut], piece]
        last = cut
    parts.append(data[last:])
    return b"".join(parts)


def deep(rng: random.Random, levels: int) -> bytes:
    """``levels`` nested elements, some with text, a tail, a class or ``hidden``, around a
    text at the bottom."""
    opens, closes = [], []
    for k in range(levels):
        tag = rng.choice(TAGS[:12])
        attrs = ""
        if k % 97 == 0:
            attrs = f' class="{random_class(rng)}"'
        if k % 1999 == 0:
            attrs += " hidden"
        opens.append(f"<{tag}{attrs}>" + ("w " if k % 131 == 0 else ""))
        closes.append(f"</{tag}>" + (" tail" if k % 173 == 0 else ""))
    body = "".join(opens) + "bottom words  \u00a0here" + "".join(reversed(closes))
    return f"<html><body>{body}</body></html>".encode()


def many_classes(rng: random.Random, count: int) -> bytes:
    """``count`` elements with (mostly) distinct class strings, some repeated, some with
    ids, more than the walk's table of strings keeps."""
    items = []
    for k in range(count):
        cls = f"c{k} item{k % 7}Row {random_class(rng)}" if rng.random() < .8 else "repeat me"
        ident = f' id="id{k}"' if rng.random() < .2 else ""
        items.append(f'<div class="{cls}"{ident}><span>t{k} word</span></div>')
    return ("<html><body>" + "".join(items) + "</body></html>").encode()


def huge_attribute(rng: random.Random, data: bytes) -> bytes:
    size = rng.choice([201, 1 << 16, 1 << 20, 3 << 20])
    alphabet = ["a", "B", "cd", " ", "-", "é", "\u20ac", "\U0001f600", "Zz", "\u3000"]
    value = "".join(rng.choice(alphabet) for _ in range(size // 2))
    # spaces in the first 10,000 characters only: a quote this lands inside of would
    # otherwise make the rest a tag of a million bare attribute names, whose parse is
    # quadratic inside libxml2 (the run's time limit stops such a page, not this bench)
    value = value[:10000] + value[10000:].replace(" ", "-").replace("\u3000", "-")
    name = rng.choice(["class", "id", "role", "itemprop", "hidden", "data-x"])
    piece = f'<div {name}="{value}"><p>inside the huge one</p></div>'.encode()
    return insert_at(data, rng, piece, rng.randint(1, 2))


MARKUP_NOISE = [b"<!-- c -->", b"<!---->", b"<?php echo 1 ?>", b"<![CDATA[ cdata ]]>",
                b"<!--", b"<?", b"]]>", b"<!DOCTYPE x>", b"<br>", b"</br>", b"<br/>tail",
                b"&amp;", b"&#0;", b"&#xD800;", b"&nbsp;", b"\x00", b"<a href=x>l</a>",
                b"<p hidden>h</p>", b"<script>s</script>", b"<noscript>n</noscript>"]


def mutate(data: bytes, rng: random.Random, kind: str) -> bytes:
    if kind == "cut":
        return data[:rng.randrange(len(data) + 1)]
    if kind == "flip":
        out = bytearray(data)
        for _ in range(rng.randint(1, 64)):
            if out:
                out[rng.randrange(len(out))] = rng.choice([0, 0x80, 0xC0, 0xED, 0xF4, 0xFF,
                                                           ord("<"), ord(">"), ord('"'),
                                                           rng.randrange(256)])
        return bytes(out)
    if kind == "tags":
        tags = [m.group(0) for m in re.finditer(rb"<[a-zA-Z][^<>]{0,80}>", data[:200000])]
        if not tags:
            return data
        out = data
        for _ in range(rng.randint(1, 30)):
            out = insert_at(out, rng, rng.choice(tags), 1)
        if rng.random() < .5:  # closing tags dropped: elements left open
            out = re.sub(rb"</(div|span|p|li|a|td|ul|section)>",
                         lambda m: b"" if rng.random() < .5 else m.group(0), out)
        return out
    if kind == "deep":
        return deep(rng, 50000)
    if kind == "huge":
        return huge_attribute(rng, data)
    if kind == "classes":
        return many_classes(rng, rng.choice([600, 1500, 4000]))
    if kind == "noise":
        out = data
        for _ in range(rng.randint(5, 60)):
            out = insert_at(out, rng, rng.choice(MARKUP_NOISE), 1)
        return out
    if kind == "entities":
        refs = ["&amp;", "&lt;", "&#65;B", "&#x1F600;", "&nbsp;", "&unknown;", "&#0;", "&",
                "&#xD800;", "&eacute;Nav", "&#10;"]
        piece = ('<div class="x' + "".join(rng.choice(refs) for _ in range(6))
                 + f'" id="{rng.choice(refs)}y"><p>entity {rng.choice(refs)} text</p></div>')
        return insert_at(data, rng, piece.encode(), rng.randint(1, 10))
    if kind == "namespaces":
        piece = (b'<svg:svg xmlns:svg="http://www.w3.org/2000/svg"><svg:text class="svgText">'
                 b'in svg</svg:text></svg:svg><o:p xmlns:o="urn:o">office</o:p>'
                 b'<x:div xmlns:x="urn:x" x:class="nsClass" class="plainClass">ns text</x:div>')
        return insert_at(data, rng, piece, rng.randint(1, 5))
    if kind == "noscript":
        words = " ".join(rng.choice(["served", "text", "of", "the", "page"])
                         for _ in range(rng.randint(1, 150)))
        return (f"<html><body><div id=app>{'loading' if rng.random() < .5 else ''}</div>"
                f"<noscript><div class='post'><p>{words}</p></div></noscript>"
                f"<script>var x = 1;</script></body></html>").encode()
    raise ValueError(kind)


KINDS_OF_MUTATION = ["cut", "flip", "tags", "deep", "huge", "classes", "noise", "entities",
                     "namespaces", "noscript", "none"]


def xml_document(rng: random.Random) -> bytes:
    """A small XML page lxml's XML parser reads into trees the HTML parser never makes:
    default namespaces, prefixed elements and attributes, entity references kept, DTD
    default attributes, CDATA."""
    ents = '<!ENTITY ent "entity text"><!ENTITY big "Big&amp;Word">'
    defaults = '<!ATTLIST div class CDATA "dtdDefault"><!ATTLIST p hidden CDATA #IMPLIED>'
    body = "".join(rng.choice([
        '<div class="a&ent;b">one &ent; two</div>',
        '<div>default class words</div>',
        '<p class="x">&big; text<![CDATA[ cdata words ]]> after</p>',
        '<x:p xmlns:x="urn:x" x:class="nsOnly">prefixed</x:p>',
        '<a href="#">link</a><br/>after br',
        '<!-- comment -->tail text<?pi data?>pi tail',
        '<script>skipped</script><noscript>served</noscript>',
        '<p hidden="">hidden text</p>',
    ]) for _ in range(rng.randint(1, 12)))
    ns = ' xmlns="http://www.w3.org/1999/xhtml"' if rng.random() < .5 else ""
    return (f'<?xml version="1.0"?><!DOCTYPE html [{ents}{defaults}]>'
            f"<html{ns}><body>{body}</body></html>").encode()


def trees_of(data: bytes, rng: random.Random) -> list[tuple[str, object]]:
    """The parses of one document: the project's, and lxml's where they differ."""
    found = []
    text = data.decode("utf-8", "replace")
    if rng.random() < .1:  # a lone surrogate in the str the project parses
        at = rng.randrange(len(text) + 1)
        text = text[:at] + "\ud800" + text[at:]
    for name, parse in (
            ("parse_html", lambda: parse_html(text)),
            ("parse_html(bytes)", lambda: parse_html(data)),
            ("lxml.html", lambda: lxml_html.fromstring(data)),
            ("etree.HTML", lambda: etree.fromstring(data, etree.HTMLParser())),
            ("etree.XML(recover)", lambda: etree.fromstring(data, etree.XMLParser(
                recover=True, resolve_entities=False, attribute_defaults=False,
                huge_tree=True))),
            ("etree.XML(dtd)", lambda: etree.fromstring(data, etree.XMLParser(
                recover=True, load_dtd=True, huge_tree=True)))):
        try:
            tree = parse()
        except Exception:
            continue
        if tree is not None:
            found.append((name, tree))
    return found


def outcome(walk, root, skip):
    try:
        return "blocks", walk(root, skip)
    except html._dom.Unsupported:
        return "unsupported", None
    except Exception as error:  # noqa: BLE001 (any error, as long as both give one)
        return "error", type(error).__name__


def compare_walks(root, skip, walked: list | None = None) -> str | None:
    """None when the compiled walk gives the Python walk's blocks (or refuses the tree, or
    both raise), else what differs; the blocks of equal walks are added to ``walked``."""
    fast = outcome(lambda r, s: html._dom.walk(r, s, html._DOM_CONFIG), root, skip)
    slow = outcome(html._python_walk, root, skip)
    if walked is not None and fast[0] == "blocks" and slow[0] == "blocks" \
            and first_difference(fast[1], slow[1]) is None:
        walked.append(slow[1])
    if fast[0] == "unsupported":
        return None
    if fast[0] == "error" and slow[0] == "error":
        return None
    if fast[0] == "blocks" and slow == ("error", "UnicodeDecodeError"):
        # a tree with bytes that are not UTF-8 (lxml's XML parser, recovering, keeps
        # them): lxml refuses to read such a text, the compiled walk refuses it only in
        # the text of a block and reads the rest (a skipped element's inside, a class)
        return "lenient"
    if fast[0] != slow[0]:
        def said(result):
            return f"{len(result[1])} blocks" if result[0] == "blocks" else str(result)
        return f"compiled {said(fast)} against Python {said(slow)}"
    if fast[0] == "blocks":
        return first_difference(fast[1], slow[1])
    return None


#: Class/id vocabularies the HTML columns are computed with (one repeating a word).
VOCABULARIES = ((), ("main", "footer", "nav", "bar", "menu", "item", "post", "body", "main"),
                tuple(f"w{k}" for k in range(300)) + ("htmlparser", "qq"))


def compare_columns(blocks: list, rng: random.Random) -> str | None:
    """None when the compiled HTML columns of ``blocks`` (and of a random slice of them,
    other neighbours and containers) are the Python columns' bytes, or both raise, or the
    compiled ones refuse the blocks, else what differs."""
    if not blocks:
        return None
    start = rng.randrange(len(blocks))
    for part in (blocks, blocks[start::rng.randint(1, 4)]):
        for words in VOCABULARIES:
            width = (len(part), html.html_width(words))
            try:
                fast = html._compiled_html_features(html._columns, part, words,
                                                    np.zeros(width))
            except html._columns.Unsupported:
                continue
            except Exception as error:  # noqa: BLE001
                fast = type(error).__name__
            try:
                slow = html._python_html_features(part, words, np.zeros(width))
            except Exception as error:  # noqa: BLE001
                slow = type(error).__name__
            if isinstance(fast, str) or isinstance(slow, str):
                if fast != slow:
                    return f"columns: compiled {fast!r:.60} against Python {slow!r:.60}"
            elif fast.tobytes() != slow.tobytes():
                rows, cols = np.nonzero(fast != slow)
                return (f"columns of {len(part)} blocks, {len(words)} words: block "
                        f"{rows[0]} column {html.html_feature_names(words)[cols[0]]}")
    return None


def fuzz_walks(folders, seed: int, count: int, counts: dict, failures: list,
               minutes: float | None = None) -> None:
    rng = random.Random(seed)
    until = time.monotonic() + 60 * minutes if minutes else None
    found = page_files(folders)
    skips = (html.SKIP_TAGS, html._SKIP_BUT_NOSCRIPT)
    for case in range(count):
        if until is not None and time.monotonic() > until:
            break
        kind = KINDS_OF_MUTATION[case % len(KINDS_OF_MUTATION)]
        if case % 23 == 22:
            kind, data = "xml", xml_document(rng)
        else:
            path = rng.choice(found)
            data = mutate(read_page(path), rng, kind) if kind != "none" else read_page(path)
        counts["documents"] += 1
        started = time.process_time()
        for parser, tree in trees_of(data, rng):
            root = tree.getroottree().getroot() if hasattr(tree, "getroottree") else tree
            if root is None:
                continue
            roots = [root]
            inner = [e for e in root.iter() if isinstance(e.tag, str)][:20000]
            if len(inner) > 1:
                roots.append(rng.choice(inner[1:]))
            for which, start in enumerate(roots):
                for skip in skips:
                    counts["walks"] += 1
                    walked = []
                    problem = compare_walks(start, skip, walked)
                    if problem == "lenient":
                        counts["walks read where lxml refuses a text"] += 1
                    elif problem:
                        failures.append(f"walk case {case} ({kind}, {parser}, "
                                        f"{'inner' if which else 'root'}): {problem}")
                    for blocks in walked:
                        counts["column pages"] += 1
                        problem = compare_columns(blocks, rng)
                        if problem:
                            failures.append(f"columns case {case} ({kind}, {parser}, "
                                            f"{'inner' if which else 'root'}): {problem}")
            counts["trees"] += 1
        if time.process_time() - started > 20:
            print(f"  case {case} ({kind}, {len(data)} bytes): "
                  f"{time.process_time() - started:.0f} CPU s", flush=True)
        if case % 250 == 249:
            print(f"  {case + 1} documents, {counts['walks']} walks, {len(failures)} differ",
                  flush=True)


# ------------------------------------------------------------------------- stop words
def fuzz_counts(seed: int, count: int, counts: dict, failures: list) -> None:
    """Random token lists (stop words of every list, words of none, empty blocks and
    tokens) through ``_trees.stop_counts`` against ``features._python_stop_counts``."""
    from clean_corpus_plugins.boilerplate import features

    rng = random.Random(seed)
    lists_of, n_lists = features._stopword_lists(), len(features.stopwords())
    words = sorted(lists_of) + ["zzz", "", "\U0001f600", "x" * 5000, "THE"]
    for case in range(count):
        tokens = [[rng.choice(words) for _ in range(rng.choice([0, 1, 3, 20, 200]))]
                  for _ in range(rng.choice([0, 1, 5, 50, 500]))]
        fast = np.empty(len(tokens)), np.empty(len(tokens))
        features._counts.stop_counts(tokens, lists_of, n_lists, *fast)
        counts["token pages"] += 1
        if not same_arrays(fast, features._python_stop_counts(tokens)):
            failures.append(f"stop-word counts case {case} (seed {seed})")


# ------------------------------------------------------------------------- characters
CHAR_ALPHABET = (list("abcXYZ019 \t\n.,;:!?|>-_#@=+*\"')]([") + list("httpwww.") * 2
                 + ["\u2026", "\u2022", "\u00bb", "\u201d", "\u2019", "\u2014", "\u00e9",
                    "\u00c9", "\u00df", "\u01c5", "\u216b", "\u0663", "\u00a0", "\u2028",
                    "\u3000", "\ud800", "\U0001f600", "\U00010400", "\x00", "\x1c"])


def fuzz_chars(seed: int, count: int, counts: dict, failures: list) -> None:
    """Random pages of blocks through ``_trees.char_columns`` against
    ``features._python_char_columns``; each page also as random code points."""
    from clean_corpus_plugins.boilerplate import features

    rng = random.Random(seed)
    for case in range(count):
        n = rng.choice([0, 1, 5, 50, 300])
        texts = ["".join(rng.choice(CHAR_ALPHABET) for _ in range(rng.choice([0, 1, 4, 30])))
                 for _ in range(n)]
        texts += ["".join(chr(rng.randrange(0x110000)) for _ in range(rng.choice([1, 5])))
                  for _ in range(rng.choice([0, 3]))]
        fast = features._empty_char_columns(len(texts))
        features._chars.char_columns(texts, *fast)
        counts["character pages"] += 1
        if not same_arrays(fast, features._python_char_columns(texts)):
            failures.append(f"character columns case {case} (seed {seed})")


# ------------------------------------------------------------------------- words
WORD_ALPHABET = (list("abcXYZ019_ \t\n.,'-") + ["\u00e9", "\u00c9", "\u00df", "\u03a3",
                                                "\u03c3", "\u0130", "\u01c5", "\u216b",
                                                "\u0663", "\u00b2", "\u00a0", "\u2019",
                                                "\u0301", "\ud800", "\U0001f600",
                                                "\U00010400", "\u3000", "\u4e2d", "\x00"])


def fuzz_words(seed: int, count: int, counts: dict, failures: list) -> None:
    """Random pages of blocks (word characters of every width, capitals that lower to one
    or two characters, sigmas, line breaks, surrogates) through ``_trees.page_words`` (the
    page lower-cased first where it refuses it, as ``features._compiled_page_words`` does)
    against ``features._python_page_words``, and their tokens and keys, with lexicon
    phrases among them, through ``_trees.key_columns`` against
    ``features._python_key_columns``, then all of them through ``_trees.text_columns``
    against ``features._python_text_columns``; each page also as random code points."""
    from clean_corpus_plugins.boilerplate import features

    rng = random.Random(seed)
    phrases = sorted(features._lexicon())
    lexicon, firsts = features._lexicon(), features._lexicon_first_words()
    for case in range(count):
        n = rng.choice([0, 1, 5, 50, 300])
        texts = ["".join(rng.choice(WORD_ALPHABET) for _ in range(rng.choice([0, 1, 4, 30])))
                 if rng.random() < 0.8 else rng.choice(phrases).title() for _ in range(n)]
        texts += ["".join(chr(rng.randrange(0x110000)) for _ in range(rng.choice([1, 5])))
                  for _ in range(rng.choice([0, 3]))]
        if rng.random() < 0.5:  # (pages the compiled pass cuts as they are)
            texts = [t.lower() for t in texts]
        slow = features._python_page_words(texts)
        fast = features._compiled_page_words(features._words, texts)
        counts["word pages"] += 1
        if fast is None:
            counts["word pages refused"] += 1
        elif fast[0] != slow[0] or fast[3] != slow[3] or not same_arrays(fast[1:3], slow[1:3]):
            failures.append(f"page words case {case} (seed {seed})")
        keyed = features._compiled_key_columns(features._keys, slow[0], slow[3], lexicon, firsts)
        if not same_arrays(keyed, features._python_key_columns(slow[0], slow[3], lexicon,
                                                               firsts)):
            failures.append(f"key columns case {case} (seed {seed})")
        if texts:
            parts = (*features._python_char_columns(texts), *slow[1:3], *keyed)
            if not same_arrays([features._compiled_text_columns(features._columns, *parts)],
                               [features._python_text_columns(*parts)]):
                failures.append(f"text columns case {case} (seed {seed})")


# ------------------------------------------------------------------------- names
NAME_ALPHABET = (list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") * 3
                 + list(" -_:0123456789\t\n") + ["é", "É", "ß", "\u0130", "\u212a", "\x00",
                                               "\ud800", "\U0001f600", "\u00a0", "K"])


def reference_words(names: str, bound: int) -> tuple[str, ...]:
    words = " ".join(html._NAME_WORD.findall(names)).lower().split()
    return tuple(dict.fromkeys(words))[:bound]


def fuzz_names(seed: int, count: int, counts: dict, failures: list) -> None:
    rng = random.Random(seed + 1)
    split = html._split_names.__wrapped__
    for case in range(count):
        n = rng.choice([0, 1, 2, 3, 8, 30, 200, 300, 2000])
        names = "".join(rng.choice(NAME_ALPHABET) for _ in range(rng.randint(0, n)))
        bound = case % 65
        got = html._dom.split_names(names, bound)
        want = reference_words(names, bound)
        counts["names"] += 1
        if got != want:
            failures.append(f"names case {case}: {names!r:.200} bound {bound}: {got} "
                            f"against {want}")
        if bound == html._MAX_WORDS and got != split(names):
            failures.append(f"names case {case}: {names!r:.200}: {got} against _split_names "
                            f"{split(names)}")
    for bad in (-1, 65, 1 << 40):
        try:
            html._dom.split_names("abc", bad)
            failures.append(f"split_names accepted the bound {bad}")
        except (ValueError, OverflowError):
            counts["names refused"] += 1


# ------------------------------------------------------------------------- trees
def random_forest(rng: np.random.Generator, trees: int, width: int):
    """Flat arrays of ``trees`` random trees (each node's children numbered after it)."""
    feature, threshold, left, right, value, roots = [], [], [], [], [], []
    for _ in range(trees):
        roots.append(len(left))
        pending = [(len(left), 0)]
        feature.append(0), threshold.append(0.0), left.append(-1), right.append(-1)
        value.append(0.0)
        while pending:
            node, depth = pending.pop()
            if depth < 12 and rng.random() < (0.8 if depth < 3 else 0.45):
                feature[node] = int(rng.integers(width))
                threshold[node] = float(rng.choice([rng.normal(), 0.0, -0.0, np.inf, -np.inf]))
                for side in (left, right):
                    side[node] = len(left)
                    feature.append(0), threshold.append(0.0), left.append(-1)
                    right.append(-1), value.append(float(rng.normal()))
                    pending.append((side[node], depth + 1))
            else:
                value[node] = float(rng.normal())
    i64 = lambda xs: np.array(xs, dtype=np.int64)  # noqa: E731
    return (i64(roots), i64(feature), np.array(threshold), i64(left), i64(right),
            np.array(value))


def valid(root, feature, left, right) -> bool:
    """TreeEnsemble's own check of the arrays (the numpy walk's precondition)."""
    n = len(left)
    if not len(feature) == len(right) == n:
        return False
    if ((root < 0) | (root >= n)).any():
        return False
    split = left >= 0
    if ((left >= n) | (split & ((right < 0) | (right >= n)))).any() \
            or (split & ((feature < 0) | (feature >= 2**31 - 1))).any():
        return False
    seen = np.zeros(n, dtype=bool)
    stack = [int(r) for r in root]
    while stack:
        node = stack.pop()
        if seen[node]:
            return False
        seen[node] = True
        if split[node]:
            stack += [int(left[node]), int(right[node])]
    return True


def rows(rng: np.random.Generator, arrays, n: int, width: int) -> np.ndarray:
    split = arrays[2][arrays[3] >= 0]
    values = np.concatenate((split, np.nextafter(split, np.inf), rng.normal(size=8),
                             [np.nan, np.inf, -np.inf, 0.0, -0.0]))
    return rng.choice(values, size=(n, width))


def break_forest(rng: np.random.Generator, arrays):
    root, feature, threshold, left, right, value = (a.copy() for a in arrays)
    n = len(left)
    how = int(rng.integers(9))
    node = int(rng.integers(n))
    if how == 0:
        left[node] = n + int(rng.integers(3))
    elif how == 1:
        right[node] = -1 - int(rng.integers(3)) if left[node] >= 0 else right[node]
        left[node] = max(left[node], 0)
    elif how == 2:  # a cycle or a shared node
        left[node] = int(rng.integers(n))
    elif how == 3:
        root = np.append(root, int(rng.integers(n)))
    elif how == 4:
        feature[node] = -1 - int(rng.integers(2**40))
        left[node] = max(left[node], 0)
    elif how == 5:
        root[int(rng.integers(len(root)))] = rng.choice([-1, n, 2**40])
    elif how == 6:
        value = value[:-1]
    elif how == 7:
        feature[node] = 2**31 + int(rng.integers(5))
    else:
        left = left.astype(np.int32)
    return root, feature, threshold, left, right, value


def fuzz_forests(seed: int, count: int, counts: dict, failures: list) -> None:
    rng = np.random.default_rng(seed + 2)
    compiled = model._trees
    for case in range(count):
        width = int(rng.integers(1, 40))
        arrays = random_forest(rng, int(rng.integers(1, 30)), width)
        if case % 3 == 2:
            arrays = break_forest(rng, arrays)
        root, feature, threshold, left, right, value = arrays
        ok = all(a.dtype == np.int64 for a in (root, feature, left, right)) \
            and len(value) == len(threshold) == len(left) and valid(root, feature, left, right)
        try:
            forest = compiled.Forest(*arrays)
        except (ValueError, TypeError):
            counts["forests refused"] += 1
            if ok:
                failures.append(f"forest case {case}: a valid forest refused")
            continue
        if not ok:
            failures.append(f"forest case {case}: a broken forest accepted")
            continue
        counts["forests"] += 1
        ensemble = model.TreeEnsemble(0.0, root, feature, threshold, left, right, value)
        X = rows(rng, arrays, int(rng.integers(0, 40)), width)
        cuts = np.sort(rng.integers(0, len(root) + 1, size=int(rng.integers(0, 4))))
        bounds = [0, *cuts.tolist(), len(root)]
        out = np.empty((len(X), len(bounds) - 1))
        forest.sums(X, np.array(bounds, dtype=np.int64), out)
        model._trees = None
        try:
            slow = ensemble.sums(X, bounds)
        except Exception as error:  # noqa: BLE001 (the numpy walk must not fail either)
            failures.append(f"forest case {case}: the numpy walk failed: {error!r}")
            continue
        finally:
            model._trees = compiled
        if out.tobytes() != slow.tobytes():
            failures.append(f"forest case {case}: sums differ from the numpy walk")
        # the walk's own refusals: rows too narrow, groups out of order or range, out of
        # the wrong size, arrays of the wrong kind
        needed = int(feature[left >= 0].max()) + 1 if (left >= 0).any() else 0
        bad_calls = [
            (X[:, :needed - 1] if needed > 1 else None, bounds, out),
            (X, [0, len(root) + 1], np.empty((len(X), 1))),
            (X, [len(root), 0] if len(root) else None, np.empty((len(X), 1))),
            (X, [-1, 0], np.empty((len(X), 1))),
            (X, bounds, np.empty((len(X) + 1, len(bounds) - 1))),
            (X.astype(np.float32), bounds, out),
            (X.ravel(), bounds, out),
            (X, bounds, np.empty((len(X), len(bounds) - 1), dtype=np.int64)),
            (X.T if X.shape[0] > 1 and X.shape[1] > 1 else None, bounds, out),
            (X, [], out[:, :0]),
        ]
        for bad_X, bad_bounds, bad_out in bad_calls:
            if bad_X is None or bad_bounds is None:
                continue
            try:
                forest.sums(np.ascontiguousarray(bad_X) if bad_X is not X.T else bad_X,
                            np.array(bad_bounds, dtype=np.int64), bad_out)
            except (ValueError, TypeError, BufferError):
                counts["calls refused"] += 1
            else:
                # X transposed to a contiguous copy is a valid call of other rows
                if bad_X is not X.T and len(bad_bounds) > 1 and not (
                        bad_X.ndim == 2 and bad_X.shape[1] >= needed
                        and bad_out.size == len(bad_X) * (len(bad_bounds) - 1)
                        and bad_out.dtype == np.float64 and bad_X.dtype == np.float64
                        and all(0 <= a <= b <= len(root)
                                for a, b in zip(bad_bounds, bad_bounds[1:]))):
                    failures.append(f"forest case {case}: a bad call accepted")
                counts["calls accepted"] += 1


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folders", nargs="*", type=Path, default=DEFAULT_FOLDERS)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--pages", type=int, default=300, help="documents walked (mutated)")
    ap.add_argument("--minutes", type=float, default=None,
                    help="stop walking documents after this long (the counts say how many)")
    ap.add_argument("--names", type=int, default=200000, help="strings split")
    ap.add_argument("--forests", type=int, default=3000, help="forests built and walked")
    ap.add_argument("--token-pages", type=int, default=3000,
                    help="pages of random tokens counted")
    ap.add_argument("--char-pages", type=int, default=3000,
                    help="pages of random blocks whose characters are counted")
    ap.add_argument("--word-pages", type=int, default=3000,
                    help="pages of random blocks whose words are cut")
    args = ap.parse_args(argv)
    from clean_corpus_plugins.boilerplate import features

    if html._dom is None or html._columns is None or model._trees is None \
            or features._counts is None or features._chars is None \
            or features._words is None or features._keys is None or features._columns is None:
        print("a compiled module is not there (not built, or refused by its self-check)")
        return 1
    sys.setrecursionlimit(200000)
    from collections import Counter

    counts, failures = Counter(), []
    for name, run in (("names", lambda: fuzz_names(args.seed, args.names, counts, failures)),
                      ("stop words", lambda: fuzz_counts(args.seed, args.token_pages, counts,
                                                         failures)),
                      ("characters", lambda: fuzz_chars(args.seed, args.char_pages, counts,
                                                         failures)),
                      ("words", lambda: fuzz_words(args.seed, args.word_pages, counts,
                                                   failures)),
                      ("forests", lambda: fuzz_forests(args.seed, args.forests, counts,
                                                       failures)),
                      ("walks", lambda: fuzz_walks(args.folders, args.seed, args.pages,
                                                   counts, failures, args.minutes))):
        started = time.process_time()
        run()
        print(f"{name}: {time.process_time() - started:.0f} CPU s", flush=True)
    print(", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    for failure in failures[:50]:
        print(failure)
    print(f"{len(failures)} cases differ")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
