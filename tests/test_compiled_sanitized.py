"""The compiled walks and HTML columns, built with AddressSanitizer and
UndefinedBehaviorSanitizer, on the pages, trees and blocks that once reached undefined
behaviour or are most likely to.

A read past a buffer or a null pointer handed to memcpy gives the right blocks in a normal
build most of the time, and a crash or wrong blocks on another compiler or machine: an
equality test cannot see it. Here ``_dom.c`` and ``_trees.c`` are compiled a second time
with the sanitizers (any error fatal) into a temporary folder, and a child Python with
the sanitizer's runtime loaded walks hostile cases through them; a report ends the child
and fails the test. Skipped where there is no gcc with the sanitizers' runtimes.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

import pytest
from conftest import REPO

SOURCES = REPO / "plugins" / "boilerplate"
FLAGS = ["-fsanitize=address,undefined", "-fno-sanitize-recover=all",
         "-fno-omit-frame-pointer", "-O1", "-g", "-shared", "-fPIC"]


def runtime(name: str) -> str | None:
    found = subprocess.run(["gcc", f"-print-file-name={name}"], capture_output=True,
                           text=True).stdout.strip()
    return found if os.path.isabs(found) and os.path.exists(found) else None


@pytest.fixture(scope="module")
def sanitized(tmp_path_factory) -> tuple[Path, dict]:
    """A folder with ``_dom`` and ``_trees`` built with the sanitizers, and the environment
    a child Python needs to load them."""
    if shutil.which("gcc") is None or not (runtime("libasan.so") and runtime("libubsan.so")):
        pytest.skip("no gcc with the sanitizers' runtimes here")
    import lxml

    folder = tmp_path_factory.mktemp("sanitized")
    suffix = sysconfig.get_config_var("EXT_SUFFIX")
    includes = [sysconfig.get_paths()["include"], *lxml.get_include()]
    for name in ("_dom", "_trees"):
        subprocess.run(["gcc", *FLAGS, *(f"-I{d}" for d in includes),
                        str(SOURCES / f"{name}.c"), "-o", str(folder / f"{name}{suffix}")],
                       check=True, capture_output=True)
    env = dict(os.environ, LD_PRELOAD=f"{runtime('libasan.so')}:{runtime('libubsan.so')}",
               ASAN_OPTIONS="detect_leaks=0:abort_on_error=0",
               UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1",
               PYTHONMALLOC="malloc")  # (each buffer its own allocation: overflows are seen)
    return folder, env


#: Loads the sanitized modules in place of the built ones, then runs the case.
PRELUDE = """
import importlib.util, sys
def load(name):
    spec = importlib.util.spec_from_file_location(
        f"clean_corpus_plugins.boilerplate.{name}",
        [p for p in __import__("glob").glob(f"{FOLDER}/{name}.*")][0])
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
_dom, _trees = load("_dom"), load("_trees")
from lxml import etree
from clean_corpus.htmltree import parse_html
from clean_corpus_plugins.boilerplate import html
def same(page, parse=parse_html):
    root = parse(page).getroottree().getroot()
    for skip in (html.SKIP_TAGS, html._SKIP_BUT_NOSCRIPT):
        assert _dom.walk(root, skip, html._DOM_CONFIG) == html._python_walk(root, skip), page
"""


def run_sanitized(sanitized, case: str) -> None:
    folder, env = sanitized
    code = f"FOLDER = {str(folder)!r}\n" + PRELUDE + textwrap.dedent(case) + "\nprint('done')"
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=600, cwd=REPO)
    assert done.returncode == 0 and done.stdout.strip().endswith("done"), done.stderr[-4000:]


def test_an_empty_id_role_or_itemprop_reaches_no_undefined_behaviour(sanitized):
    # an element whose id (or role, itemprop) is empty and has no class once handed the
    # name table a null pointer to copy and compare (memcpy(NULL, NULL, 0)): fine on this
    # machine, undefined in C
    run_sanitized(sanitized, """
        same("<html><body><div id=''><p>One text here.</p></div></body></html>")
        same("<html><body><div role='' itemprop='' class=''>Text in it.</div>"
             "<div id=''>Another text.</div></body></html>")
    """)


def test_hostile_trees_are_walked_within_their_buffers(sanitized):
    run_sanitized(sanitized, """
        import random
        rng = random.Random(3)
        # nesting far deeper than any page, with texts, tails and classes on the way
        deep = "".join(f"<div class='c{k % 50} lvl'>w{k} " for k in range(30000))
        same("<html><body>" + deep + "bottom" + "</div> tail" * 30000 + "</body></html>")
        # a class of a megabyte of multi-byte characters, cut inside one
        same("<html><body><div class='" + "\u00e9aB\U0001f600 " * 250000
             + "'><p>text</p></div></body></html>")
        # more distinct class strings than the walk's table keeps
        same("<html><body>" + "".join(f"<p class='k{k} rowItem'>t{k}</p>"
                                      for k in range(3000)) + "</body></html>")
        # comments, PIs, br and entities everywhere, parsed keeping them
        import lxml.html
        noise = ["<!-- c -->", "<?pi x?>", "<br>", "&amp;", "&nbsp;", "<a href=x>l</a>",
                 "<p hidden> </p>", "<script> </script>", "</div>", "<div class='x&lt;y'>"]
        for _ in range(200):
            page = "<html><body>" + "".join(rng.choice(noise) + rng.choice(["w", " ", ""])
                                            for _ in range(rng.randint(1, 80)))
            same(page)
            same(page, lxml.html.fromstring)
        # an XML tree with entity references left in: handed back as Unsupported
        root = etree.fromstring(
            b'<!DOCTYPE r [<!ENTITY e "ent">]><r><p class="a&e;">x &e; y</p></r>',
            etree.XMLParser(resolve_entities=False))
        try:
            _dom.walk(root, html.SKIP_TAGS, html._DOM_CONFIG)
        except _dom.Unsupported:
            pass
        # class/id strings of every kind through the split
        for k in range(20000):
            s = "".join(rng.choice("aAbB -_\u00e9\\x00\U0001f600zZ") for _ in range(k % 90))
            assert _dom.split_names(s, k % 65) is not None
    """)


def test_the_html_columns_are_computed_within_their_arrays(sanitized):
    run_sanitized(sanitized, """
        import dataclasses, random
        import numpy as np
        rng = random.Random(5)
        words = ("main", "nav", "page", "item", "footer", "x", "main")

        def columns(blocks, vocabulary, out=None):
            width = (len(blocks), html.html_width(vocabulary))
            fast = html._compiled_html_features(_dom, blocks, vocabulary,
                                                np.zeros(width) if out is None else out)
            slow = html._python_html_features(blocks, vocabulary, np.zeros(width))
            assert fast.tobytes() == slow.tobytes()

        def page_columns(page):
            blocks = html._python_walk(parse_html(page).getroottree().getroot(),
                                       html.SKIP_TAGS)
            for vocabulary in ((), words, tuple(f"w{k}" for k in range(300))):
                if blocks:
                    columns(blocks, vocabulary)
                    columns(blocks[::3], vocabulary)
            return blocks

        # deep nesting, thousands of blocks and class strings, counts past the log tables
        deep = "".join(f"<div class='c{k % 50} nav'>w{k} " for k in range(20000))
        page_columns("<html><body>" + deep + "bottom" + "</div> t" * 20000 + "</body></html>")
        page_columns("<html><body>" + "".join(f"<p class='k{k} rowItem main'>t {k}</p>"
                                              for k in range(5000)) + "</body></html>")
        page_columns("<html><body><p>" + "<a href=x>l</a> " * 5000 + "</p><ul>"
                     + "<li>i</li>" * 4200 + "</ul></body></html>")
        blocks = page_columns("<html><body><div id='main'><p>One</p><p>Two <a href=x>three"
                              "</a></p></div><nav class='nav'>Menu</nav></body></html>")
        # into a column slice of a larger matrix (rows apart in memory)
        width = html.html_width(words)
        big = np.zeros((len(blocks), width + 7))
        columns(blocks, words, big[:, 3:3 + width])
        # blocks of other field types: refused before a column is written
        for field, value in (("path", ["p"]), ("names", (["a"],)), ("links", -1),
                             ("ancestors", (1, -1)), ("ancestors", tuple(range(40))),
                             ("tags_above", {"nav"}), ("text", None), ("depth", 2**70)):
            odd = list(blocks)
            odd[-1] = dataclasses.replace(odd[-1], **{field: value})
            out = np.zeros((len(odd), width))
            try:
                html._compiled_html_features(_dom, odd, words, out)
                raise AssertionError(field)
            except _dom.Unsupported:
                assert not out.any()
        # arrays of the wrong shape or type: refused
        values = np.empty((3, len(blocks)))
        for out, vals in ((np.zeros((len(blocks), width + 1)), values),
                          (np.zeros((len(blocks) + 1, width)), values),
                          (np.zeros((len(blocks), width), dtype=np.float32), values),
                          (np.zeros((len(blocks), width)), np.empty((2, len(blocks)))),
                          (np.zeros((len(blocks), width)), np.empty((3, len(blocks) + 1))),
                          (np.zeros(width), values)):
            try:
                _dom.html_columns(blocks, html._word_columns(words)[0], len(words), out, vals,
                                  html._COLUMNS_CONFIG)
                raise AssertionError(out.shape)
            except (ValueError, TypeError):
                pass
        # random blocks: equal, or refused
        for _ in range(300):
            made = []
            for _ in range(rng.randint(1, 30)):
                levels = rng.randint(0, 18)
                path = tuple(rng.choice(["p", "div", "li", "a"]) for _ in range(levels or 1))
                made.append(html.DomBlock(
                    "".join(rng.choice("ab \u00e9\U0001f600") for _ in range(rng.randint(0, 20))),
                    path[0], "p", rng.randint(0, 9), rng.choice([0, 3, 4096, 99999]),
                    rng.randint(0, 40), path,
                    tuple(tuple(rng.sample(words, rng.randint(0, 3))) for _ in range(levels)),
                    tuple(rng.randint(0, 50) for _ in range(levels)),
                    frozenset(rng.sample(html.ANCESTOR_TAGS, rng.randint(0, 5))),
                    frozenset(rng.sample(words, rng.randint(0, 5)))))
            for vocabulary in ((), words):
                try:
                    columns(made, vocabulary)
                except (_dom.Unsupported, IndexError):
                    assert any(len(b.ancestors) > html.MAX_PATH + 1 for b in made)
    """)


def test_the_stop_word_counts_are_counted_within_their_arrays(sanitized):
    run_sanitized(sanitized, """
        import random
        import numpy as np
        from clean_corpus_plugins.boilerplate import features
        rng = random.Random(7)
        lists_of, n_lists = features._stopword_lists(), len(features.stopwords())
        words = sorted(lists_of)[:300] + ["zzz", "", "\U0001f600", "x" * 10000]
        for _ in range(2000):
            tokens = [[rng.choice(words) for _ in range(rng.choice([0, 1, 5, 40]))]
                      for _ in range(rng.randint(0, 30))]
            fast = np.empty(len(tokens)), np.empty(len(tokens))
            _trees.stop_counts(tokens, lists_of, n_lists, *fast)
            assert all(a.tobytes() == b.tobytes()
                       for a, b in zip(fast, features._python_stop_counts(tokens)))
        for tokens, out, n in (([("a",)], 1, n_lists), ([["a"]], 2, n_lists),
                               ([["a"]], 1, 0), ([["a"]], 1, 63), ([1], 1, n_lists)):
            try:
                _trees.stop_counts(tokens, lists_of, n, np.empty(out), np.empty(1))
                raise AssertionError((tokens, out, n))
            except (TypeError, ValueError):
                pass
    """)


def test_broken_and_random_forests_are_refused_or_walked_within_their_arrays(sanitized):
    run_sanitized(sanitized, """
        import numpy as np
        i64 = lambda xs: np.array(xs, dtype=np.int64)
        stump = dict(root=i64([0]), feature=i64([0, 0, 0]), threshold=np.array([1.5, 0, 0]),
                     left=i64([1, -1, -1]), right=i64([2, -1, -1]),
                     value=np.array([0, -2.0, 2.0]))
        for broken in ({"left": i64([1, -1, 7])}, {"left": i64([1, 0, -1])},
                       {"root": i64([0, 1])}, {"feature": i64([-1, 0, 0])},
                       {"root": i64([3])}, {"value": np.array([0.0])},
                       {"feature": i64([2**31, 0, 0])},
                       {"left": np.array([1, -1, -1], dtype=np.int32)}):
            try:
                _trees.Forest(**dict(stump, **broken))
            except (ValueError, TypeError):
                continue
            raise AssertionError(broken)
        forest = _trees.Forest(**stump)
        X = np.array([[1.0], [2.0], [np.nan]] * 5)
        out = np.empty((15, 1))
        forest.sums(X, i64([0, 1]), out)
        assert out[:, 0].tolist() == [-2.0, 2.0, 2.0] * 5
        for bounds in ([0, 2], [1, 0], [-1, 1], []):
            try:
                forest.sums(X, i64(bounds), np.empty((15, max(len(bounds) - 1, 0))))
            except ValueError:
                continue
            assert bounds == [], bounds
        try:
            forest.sums(np.zeros((3, 0)), i64([0, 1]), np.empty((3, 1)))
            raise AssertionError("rows narrower than the trees read")
        except ValueError:
            pass
    """)


def test_the_character_columns_are_read_within_their_strings(sanitized):
    # blocks of one-, two- and four-byte characters, a URL hint cut by the block's end,
    # empty blocks and blocks of closers and spaces only
    run_sanitized(sanitized, """
        import random
        import numpy as np
        from clean_corpus_plugins.boilerplate import features
        rng = random.Random(11)
        alphabet = list("ab .,:)\\"\\n\\thtpw") + ["\\u00e9", "\\u201d", "\\u2026", "\\u3000",
                                               "\\ud800", "\\U0001f600", "\\x00"]
        for _ in range(3000):
            texts = ["".join(rng.choice(alphabet) for _ in range(rng.choice([0, 1, 3, 4, 60])))
                     for _ in range(rng.choice([0, 1, 5, 40]))]
            texts += [t[:4] for t in ("http", "www.", "htt", "ww")]
            fast = features._empty_char_columns(len(texts))
            _trees.char_columns(texts, *fast)
            assert all(a.tobytes() == b.tobytes()
                       for a, b in zip(fast, features._python_char_columns(texts)))
        good = features._empty_char_columns(1)
        for texts, out in (([1], good), (["a", "b"], good), ("a", good),
                           (["a"], (np.empty((1, 7), dtype=np.int64), *good[1:]))):
            try:
                _trees.char_columns(texts, *out)
                raise AssertionError(texts)
            except (TypeError, ValueError):
                pass
    """)


def test_the_words_are_cut_within_their_strings_and_buffers(sanitized):
    # blocks of one-, two- and four-byte characters, tokens at both ends, many distinct
    # tokens (past the table of known ones), empty blocks, pages refused for their capitals;
    # and the text columns of those pages
    run_sanitized(sanitized, """
        import random
        import numpy as np
        from clean_corpus_plugins.boilerplate import features
        rng = random.Random(13)
        lists_of, n_lists = features._stopword_lists(), len(features.stopwords())
        alphabet = list("ab_9 .\\n") + ["the", "\\u00e9", "\\u00c9", "\\u2019", "\\u3000",
                                        "\\ud800", "\\U0001f600", "\\x00", "\\u0130"]
        lexicon, firsts = features._lexicon(), features._lexicon_first_words()
        for _ in range(3000):
            texts = ["".join(rng.choice(alphabet) for _ in range(rng.choice([0, 1, 3, 60])))
                     for _ in range(rng.choice([0, 1, 5, 40]))]
            if rng.random() < 0.1:
                texts.append(" ".join(str(k) for k in range(20000)))
            slow = features._python_page_words(texts)
            fast = features._compiled_page_words(_trees, texts)
            assert fast is None or (fast[0] == slow[0] and fast[3] == slow[3] and all(
                a.tobytes() == b.tobytes() for a, b in zip(fast[1:3], slow[1:3])))
            keyed = features._compiled_key_columns(_trees, slow[0], slow[3], lexicon, firsts)
            assert all(a.tobytes() == b.tobytes() for a, b in zip(
                keyed, features._python_key_columns(slow[0], slow[3], lexicon, firsts)))
            if texts:
                parts = (*features._python_char_columns(texts), *slow[1:3], *keyed)
                assert features._compiled_text_columns(_trees, *parts).tobytes() \
                    == features._python_text_columns(*parts).tobytes()
        for texts, out, n in (([1], 1, n_lists), (["a", "b"], 1, n_lists), ("a", 1, n_lists),
                              (["a"], 1, 0), (["a"], 1, 63)):
            try:
                _trees.page_words(texts, lists_of, n, np.empty(out), np.empty(1))
                raise AssertionError(texts)
            except (TypeError, ValueError):
                pass
        good = [np.empty(1), np.empty(1), np.empty(1, dtype=np.int64)]
        for token_lists, keys, arrays in (([["a"]], ["a", "b"], good), ([[1]], ["a"], good),
                                          ([["a"]], ["a"], [np.empty(1)] * 3)):
            try:
                _trees.key_columns(token_lists, keys, lexicon, firsts, 12, *arrays)
                raise AssertionError(keys)
            except (TypeError, ValueError):
                pass
    """)
