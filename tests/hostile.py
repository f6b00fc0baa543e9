"""Hostile input, generated: long adversarial lines and every kind of bad file.

Shared by the tests, ``bench/adversarial_lines.py`` and ``bench/fuzz.py``. Everything is
drawn from a seeded ``random.Random``, so a failing input can be made again from its seed.
"""
from __future__ import annotations

#: name -> a function of n giving one hostile line of about n characters: the shapes that
#: make a backtracking pattern retry at every position of a long run.
LINES = {
    "bangs": lambda n: "Mot" + "!" * n + "Lire aussi : La réforme",
    "dots": lambda n: "." * n,
    "spaces": lambda n: "a" + " " * n + "b",
    "line separators": lambda n: "Photo" + "\u2028" * n + "x",
    "tabs and slashes": lambda n: "Accueil" + " \t/" * (n // 3) + "x",
    "one token": lambda n: "a" * n,
    "token with at": lambda n: "a" * n + "@",
    "ats": lambda n: "@" * n + "x",
    "digits": lambda n: "+3" + "3" * n + "x",
    "tel and spaces": lambda n: "tel" + " " * n + "x",
    "byline run": lambda n: "Par " + "Jean Dupont, " * (n // 13),
    "credit run": lambda n: "Photo : " + "AFP/" * (n // 4),
    "names and slashes": lambda n: "Jean Dupont " * (n // 12) + "/x",
    "dotted name": lambda n: "A." * (n // 2),
    "image name": lambda n: "(" + "a" * n + ".jp",
    "url": lambda n: "www." + "a" * n + ".com/" + "b" * 10,
    "dates": lambda n: "le 12 mars 2020 " * (n // 16),
    "date and spaces": lambda n: "12 mars 2020" + " " * n + "x",
    "capitals": lambda n: "aA" * (n // 2),
    "thousands": lambda n: "1 " * (n // 2) + "000",
    "separators": lambda n: " | " * (n // 3) + "x",
    "quotes": lambda n: "«" * n,
    "label run": lambda n: "Lire aussi" + " :" * (n // 2),
}

import json
import os
import random
from pathlib import Path

from clean_corpus.document import source_name

PROSE = ("Le conseil municipal a voté le budget de la ville après trois heures de débat. "
         "La séance a été suspendue deux fois à la demande de l'opposition, qui réclamait "
         "un audit des comptes de la régie des eaux.")
CHARSETS = ["utf-8", "windows-1252", "iso-8859-1", "windows-1251", "shift_jis", "koi8-r",
            "base64", "bz2", "hex", "rot13", "x-nonsense", "utf-16", "utf-32", "", "\"'"]
LEGACY = ["cp1252", "cp1251", "latin-1", "shift_jis", "koi8_r", "cp1250", "gb18030"]


def _words(rng: random.Random, count: int) -> str:
    vocab = PROSE.split() + ["Lire", "aussi", ":", "Par", "©", "AFP", "/", "|", "»", "Photo"]
    return " ".join(rng.choice(vocab) for _ in range(count))


def _page(rng: random.Random, body: str, head: str = "") -> str:
    return (f"<html><head>{head}<title>{_words(rng, 5)}</title></head><body><article>"
            f"<h1>{_words(rng, 6)}</h1><p>{body}</p><p>{PROSE}</p></article></body></html>")


def _control(rng: random.Random, text: str) -> str:
    chars = list(text)
    for _ in range(rng.randint(1, 20)):
        chars.insert(rng.randrange(len(chars) + 1), chr(rng.choice(list(range(32)) + [127])))
    return "".join(chars)


def _tag_soup(rng: random.Random) -> str:
    tags = ["div", "p", "span", "a", "table", "tr", "td", "ul", "li", "script", "style",
            "article", "nav", "!--", "![CDATA[", "?xml", "meta", "br", "h1", "svg"]
    parts = []
    for _ in range(rng.randint(1, 300)):
        tag = rng.choice(tags)
        parts.append(rng.choice([f"<{tag}>", f"</{tag}>", f"<{tag} class='{_words(rng, 2)}'",
                                 _words(rng, rng.randint(0, 30)), "&amp;", "&#x0;", "&bogus;",
                                 "<", ">", "\"", "'"]))
    return "".join(parts)


def _jsonl(rng: random.Random) -> tuple[bytes, int]:
    """A JSON Lines file of good and bad lines, and how many documents it holds."""
    lines, documents = [], 0
    for _ in range(rng.randint(1, 12)):
        kind = rng.randrange(10)
        if kind == 0:
            line = b""  # a blank line is no document
        elif kind == 1:
            line = b'{"text": "coup'
        elif kind == 2:
            line = b"[" * rng.randint(1000, 100_000) + b"]"
        elif kind == 3:
            line = json.dumps({"text": "demi \ud800 " + PROSE}).encode()
        elif kind == 4:
            line = bytes(rng.randrange(256) for _ in range(rng.randint(1, 200))).replace(b"\n", b"")
        elif kind == 5:
            line = json.dumps([1, 2, 3]).encode()
        elif kind == 6:
            line = json.dumps({"html": _tag_soup(rng), "url": rng.choice(
                ["https://example.org/a", "not a url", "http://[::1", 42])}).encode()
        else:
            line = json.dumps({"text": _words(rng, rng.randint(1, 80))}).encode()
        if line.strip():
            documents += 1
        lines.append(line)
    return b"\n".join(lines) + b"\n", documents


def _content(rng: random.Random, kind: str) -> bytes:
    if kind == "random bytes":
        return bytes(rng.randrange(256) for _ in range(rng.randint(0, 3000)))
    if kind == "tag soup":
        return _tag_soup(rng).encode()
    if kind == "deep nesting":
        depth = rng.randint(100, 20_000)
        return _page(rng, "<div>" * depth + PROSE + "</div>" * rng.randint(0, depth)).encode()
    if kind == "lying charset":
        head = f"<meta charset={rng.choice(CHARSETS)}>"
        return _page(rng, _words(rng, 40) + " é à ü ж 日本", head).encode(rng.choice(
            ["utf-8", "utf-8", "cp1252", "utf-16-le"]), errors="replace")
    if kind == "legacy encoding":
        text = _words(rng, 60) + " Société générale, à l'été, Пример, 日本語"
        return text.encode(rng.choice(LEGACY), errors="replace")
    if kind == "control characters":
        return _control(rng, _page(rng, _words(rng, 50))).encode()
    if kind == "huge attribute":
        return _page(rng, PROSE, f"<div class='{'x' * rng.randint(10_000, 1_000_000)}'>").encode()
    if kind == "many attributes":
        attributes = " ".join(f"a{i}=\"{i}\"" for i in range(rng.randint(100, 20_000)))
        return _page(rng, f"<span {attributes}>{PROSE}</span>").encode()
    if kind == "huge line":
        return (_words(rng, 10) + " " + "x" * rng.randint(10_000, 2_000_000)).encode()
    if kind == "adversarial line":
        name = rng.choice(sorted(LINES))
        return f"{PROSE}\n{LINES[name](rng.randint(1000, 50_000))}\n{PROSE}\n".encode()
    if kind == "utf-16":
        text = _words(rng, 40) + " Société"
        return text.encode(rng.choice(["utf-16", "utf-16-le", "utf-16-be", "utf-32"]))
    if kind == "empty":
        return rng.choice([b"", b" \n\t ", b"\xef\xbb\xbf", b"<html></html>"])
    return (_words(rng, rng.randint(20, 120)) + "\n").encode()  # "article"


CONTENT_KINDS = ["random bytes", "tag soup", "deep nesting", "lying charset",
                 "legacy encoding", "control characters", "huge attribute", "many attributes",
                 "huge line", "adversarial line", "utf-16", "empty", "article"]
#: Kinds that cost a parse or a long line: drawn less often, so a batch stays quick.
HEAVY = {"deep nesting", "huge attribute", "many attributes", "huge line", "adversarial line"}
SUFFIXES = [".txt", ".html", ".htm", ".text", "", ".md", ".jsonl"]


def _name(rng: random.Random, index: int, suffix: str) -> bytes:
    base = rng.choice([f"doc{index}", f"doc {index} é", f"-{index}", f"doc{index}\ncut",
                       f"{index}" + "n" * 200, f"caf\udce9{index}", f"doc{index}.tar"])
    return os.fsencode(base)[:240] + suffix.encode()


def write_inputs(root: Path, rng: random.Random, count: int,
                 heavy_share: float = 0.15) -> tuple[dict[str, int], int]:
    """Write ``count`` hostile inputs under ``root``; return how many documents each file
    is expected to give (by path, as the run names it) and how many must be skipped."""
    root.mkdir(parents=True, exist_ok=True)
    broot = os.fsencode(root)
    expected: dict[str, int] = {}
    skipped = 0
    made = 0
    while made < count:
        index = made
        special = rng.random()
        path = os.path.join(broot, _name(rng, index, rng.choice(SUFFIXES)))
        if os.path.lexists(path):
            made += 1
            continue
        if special < 0.02:
            os.mkfifo(path)
        elif special < 0.04:
            target = rng.choice([b"/dev/zero", b"/dev/null", b"nowhere", path, b"."])
            os.symlink(target, path)
            if target == b".":  # a link back to the folder: walked once, skipped here
                skipped += 1
                made += 1
                continue
        elif special < 0.05:
            path = os.path.join(broot, b"." + _name(rng, index, ".txt"[:rng.randint(0, 4)]))
            if not os.path.lexists(path):
                with open(path, "wb") as fh:
                    fh.write(PROSE.encode())
                skipped += 1
            made += 1
            continue
        elif path.endswith(b".jsonl"):
            data, documents = _jsonl(rng)
            with open(path, "wb") as fh:
                fh.write(data)
            expected[source_name(path)] = documents
            skipped += documents == 0  # a file of blank lines: counted as skipped
            made += 1
            continue
        else:
            kinds = [k for k in CONTENT_KINDS if k not in HEAVY or rng.random() < heavy_share]
            with open(path, "wb") as fh:
                fh.write(_content(rng, rng.choice(kinds)))
        expected[source_name(path)] = 1
        made += 1
    return expected, skipped


def source_file(source: str) -> str:
    """The input file a record or report came from (JSONL lines are FILE#Ln)."""
    head, sep, tail = source.rpartition("#L")
    return head if sep and tail.isdigit() else source
