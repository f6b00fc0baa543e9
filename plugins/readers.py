"""Readers for plain text, HTML and JSON Lines files (compressed or not, see
:mod:`clean_corpus.inputs`)."""
from __future__ import annotations

import codecs
import functools
import html as htmllib
import json
import re
import unicodedata
from itertools import filterfalse
from pathlib import Path
from typing import Iterator, NamedTuple
from urllib.parse import urlsplit

import charset_normalizer
from charset_normalizer.utils import is_cp_similar

from clean_corpus import Plugin, hookimpl
from clean_corpus.document import Document, ReadFailure, source_name, xml_safe
from clean_corpus.inputs import DamagedInput


class UndecodableInput(ValueError):
    """The bytes are not text in any encoding we can tell."""


_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\f\x1b")


def _looks_binary(head: bytes) -> bool:
    """Many control bytes mean binary; a few stray NULs in a real page do not."""
    if not head:
        return False
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls / len(head) > 0.02


#: Byte-order marks, longest first (the UTF-32-LE mark starts with the UTF-16-LE one).
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))

_DECLARED = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)"""
                       rb"""|<\?xml[^>]*?encoding\s*=\s*["']([\w.:-]+)""", re.IGNORECASE)

#: Legacy encodings that web pages and text exports actually use. Left free to choose
#: among every code page, the detector sometimes prefers a rare one (hp_roman8,
#: mac_latin2) for a short Western text.
WEB_ENCODINGS = ["cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1255", "cp1256",
                 "cp1257", "cp1258", "iso8859_2", "iso8859_5", "iso8859_7", "iso8859_8",
                 "iso8859_15", "koi8_r", "koi8_u", "cp874", "cp932", "shift_jis", "euc_jp",
                 "gb18030", "big5", "euc_kr", "cp949", "latin_1"]


def _declared_encoding(data: bytes) -> str | None:
    """The charset an HTML/XML document declares in its head, as a Python codec name.

    A label that names no text encoding (``base64``, ``bz2``, ``rot13``: codecs Python
    has, but not for text) is no declaration at all.
    """
    match = _DECLARED.search(data[:4096])
    if not match:
        return None
    try:
        info = codecs.lookup((match.group(1) or match.group(2)).decode("ascii"))
    except (LookupError, UnicodeDecodeError):
        return None
    if not getattr(info, "_is_text_encoding", True):
        return None
    # As browsers do: a page labelled latin-1 or ASCII is read as windows-1252.
    return "cp1252" if info.name in ("iso8859-1", "ascii") else info.name


def _guess_encoding(data: bytes) -> str | None:
    sample = data[:1_000_000]
    best = _best_match(sample)
    if best is None and b"\xad" in sample:
        # Soft hyphens (0xAD in the Western code pages), hundreds of them in a German text
        # that hyphenates its long words, read as mess to the detector: it then takes no
        # encoding at all. Tell the encoding without them (the text keeps them).
        best = _best_match(sample.replace(b"\xad", b""))
    return best


def _matches(sample: bytes, encodings: list[str]) -> list:
    """The detector's matches for ``sample`` among ``encodings``, best first, every code page
    of them weighed. The detector tries the single-byte code pages in the order of their
    names and passes over one it holds similar to one that read the text as mess
    (ISO-8859-2 after windows-1250, ISO-8859-7 after windows-1253): Polish in ISO-8859-2,
    whose "ą ś ź" windows-1250 reads as "± ¶ Ľ", then matched nothing, or windows-1252
    alone. Those it may have passed over (no match, and an earlier similar one none either)
    are asked about again, together; but not the Western ones windows-1252 stands for
    (ISO-8859-15, latin-1, which it passes over after windows-1252): a text windows-1252
    reads as mess they read no better, but for "Š" and "€" for its "¦" and "¤"."""
    matches = list(charset_normalizer.from_bytes(sample, cp_isolation=encodings))
    seen = {name for m in matches for name in m.could_be_from_charset}
    unseen = [e for e in encodings if e not in seen]
    skipped = [e for e in unseen if not is_cp_similar("cp1252", e)
               and any(is_cp_similar(o, e) for o in unseen if o < e)]
    if not skipped:
        return matches
    again = list(charset_normalizer.from_bytes(sample, cp_isolation=skipped))
    if matches and matches[0].encoding not in SINGLE_BYTE:
        return matches + again  # a multi-byte first match stays first: the rules below judge it
    return sorted(matches + again)


def _best_match(sample: bytes) -> str | None:
    matches = _matches(sample, WEB_ENCODINGS)
    if not matches or matches[0].chaos > 0.2:
        return None
    if (matches[0].encoding not in SINGLE_BYTE and _lone_high_byte(sample)
            and not _reads_as_cjk(str(matches[0]))):
        # A Western text whose few "’" and "©" a multi-byte encoding reads as lone kanji
        # and half-width katakana ("Australia痴", "ｩ 2025"), which the detector finds
        # cleaner than the symbols: read it as a single-byte code page. The detector, once
        # it has a multi-byte match, tries no single-byte one: it is asked again.
        single = _matches(sample, _SINGLE_BYTE_WEB)
        if single and single[0].chaos <= 0.2:
            matches = single
    best = matches[0]
    # Single-byte code pages the detector finds about as clean are told apart by how their
    # text reads (French in windows-1252 reads as windows-1257 with "ą" for "à" and "źtre"
    # for "être" with a little less "mess"): first by control characters, then by words.
    near = [m for m in matches if m.chaos <= 0.2 and m.encoding in SINGLE_BYTE]
    if near and (len(near) > 1 or best is not near[0]):
        high = frozenset(sample.translate(None, _ASCII))  # the bytes beyond ASCII it has
        best, readable = _without_controls(high, best, near)
        worded = _by_stop_words(sample, high, best, [m for m in readable if m is not best])
        if worded is not None:
            return "cp1252" if "cp1252" in worded.could_be_from_charset else worded.encoding
    # ISO-8859-2 reads "®" and "©" as "Ž" and "Š" (cp874 as Thai letters, windows-1251 "×"
    # as "Ч"), which the detector finds less messy than the symbols: where a code page and
    # windows-1252 read the text alike but for such letters, where they stand tells.
    if (best.encoding in SINGLE_BYTE and "cp1252" not in best.could_be_from_charset
            and _symbols_not_letters(sample, best.encoding)):
        return "cp1252"
    # A text often fits several single-byte code pages about equally well (Spanish in
    # windows-1252 reads as windows-1250 with "ń" for "ñ" nearly as "cleanly"). When the
    # detector's own order (``<``: chaos, then coherence) does not put its first match
    # before windows-1252's, take windows-1252, the most common legacy encoding of the web,
    # unless windows-1252 reads symbols inside words where another reads letters (Polish in
    # ISO-8859-2: "Przejd¼ do tre¶ci", "s³abowidz¹ce").
    for match in matches:
        if "cp1252" in match.could_be_from_charset and not best < match:
            letters = _letters_for_symbols(sample, near)
            return letters.encoding if letters is not None else "cp1252"
    return best.encoding


#: The code pages of :data:`WEB_ENCODINGS` that give every byte one character.
SINGLE_BYTE = frozenset(["cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1255", "cp1256",
                         "cp1257", "cp1258", "iso8859_2", "iso8859_5", "iso8859_7",
                         "iso8859_8", "iso8859_15", "koi8_r", "koi8_u", "cp874", "latin_1"])

_SINGLE_BYTE_WEB = [e for e in WEB_ENCODINGS if e in SINGLE_BYTE]

#: Characters of the scripts the multi-byte encodings of :data:`WEB_ENCODINGS` are for: kana,
#: CJK ideographs, Hangul, half-width katakana and marks; of those, the ones a Western text's
#: bytes make alone (:func:`_reads_as_cjk`): ideographs and Hangul syllables, half-width forms.
_CJK = ("\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
        "\uf900-\ufaff\uff61-\uff9f")
_IDEOGRAPHS, _HALF_WIDTH = "\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af", "\uff61-\uff9f"
_CJK_RUN = re.compile(f"[{_CJK}]{{2,}}")
#: One of those alone, next to a small Latin letter or half-width (:func:`_reads_as_cjk`).
_CJK_STRAY = re.compile(f"[{_IDEOGRAPHS}{_HALF_WIDTH}](?<![{_CJK}].)(?![{_CJK}])"
                        f"(?:(?<=[a-z].)|(?=[a-z])|(?<=[{_HALF_WIDTH}]))")


#: ``bytes.translate`` table: 1 for a byte beyond ASCII, 0 for the others.
_HIGH_MARKS = bytes(int(b >= 0x80) for b in range(256))


def _lone_high_byte(sample: bytes) -> bool:
    """Whether a byte beyond ASCII stands alone between two ASCII bytes, as a Western text's
    "’" and "©" do (a multi-byte encoding reads it with the next byte, "’s" as "痴", or as a
    half-width katakana). A multi-byte reading of bytes without one (Korean in EUC-KR,
    Chinese in GB2312: two such bytes a character) is not that misreading, and
    :func:`_reads_as_cjk` is not asked."""
    return b"\x00\x01\x00" in b"\x00" + sample.translate(_HIGH_MARKS) + b"\x00"


def _reads_as_cjk(text: str) -> bool:
    """Whether a multi-byte encoding's reading of a text is plausibly in the script it is for:
    no more of its characters stand stray than stand in runs of two or more, as the words
    of Chinese, Japanese and Korean text do. Stray is a lone one (none of those next to it)
    of the kinds a Western text's bytes make: an ideograph or a Hangul syllable next to a
    small Latin letter ("Australia痴" for "Australia’s", "you池e", "apr鑚-midi" for
    "après-midi"; a lone kana is a Japanese particle, "iPhoneとiPad", and "粤ICP备" a
    Chinese licence number), or a half-width katakana or mark ("ｩ" for "©", "｢" for "’").
    A reading with neither (a Shift-JIS text in English whose only characters beyond ASCII
    are "’") stands."""
    stray = len(_CJK_STRAY.findall(text))
    if not stray:
        return True
    in_runs = 0
    for run in _CJK_RUN.finditer(text):
        in_runs += run.end() - run.start()
        if in_runs >= stray:
            return True
    return False


_ASCII = bytes(range(0x80))
#: Bytes as words are cut from them before knowing the code page: ASCII letters and bytes
#: beyond ASCII stay, every other byte becomes a space.
_WORD_BYTES = bytes(b if chr(b).isalpha() or b >= 0x80 else 0x20 for b in range(256))
#: Stop words a code page must read beyond those the detector's choice reads, to be taken
#: over it: one word that stray bytes make (a "są" windows-1250 reads in an obfuscated
#: script) does not decide.
MIN_STOP_WORDS = 2


@functools.lru_cache(maxsize=1)
def _stop_words() -> tuple[frozenset[str], int, frozenset[str]]:
    """The stop words the package ships (the classifier's lists) that have a letter beyond
    ASCII ("à", "été", "für", "más", "się", "não"), the length of the longest, and their
    letters beyond ASCII."""
    from clean_corpus_plugins.boilerplate.features import stopwords  # only on a near tie

    words = frozenset(w for words in stopwords().values() for w in words if not w.isascii())
    letters = frozenset(c for w in words for c in w if not c.isascii())
    return words, max(map(len, words), default=0), letters | {c.upper() for c in letters
                                                               if len(c.upper()) == 1}


@functools.lru_cache(maxsize=None)
def _c1_bytes(encoding: str) -> frozenset[int]:
    """The bytes the single-byte ``encoding`` reads as C1 control characters (U+0080-U+009F)."""
    return frozenset(b for b in range(0x80, 0xA0)
                     if 0x80 <= ord(bytes([b]).decode(encoding, errors="replace")) < 0xA0)


def _without_controls(high: frozenset[int], best, near: list) -> tuple:
    """``best`` (the detector's first match) and the matches of ``near`` (its single-byte
    ones) that read none of the bytes ``high`` as a C1 control character (U+0080-U+009F),
    which no text has ("Verified\x99" for "Verified™" in ISO-8859-2); when ``best`` does
    and another does not, the first of those takes its place. When every one does, all
    stay."""
    readable = [m for m in near if not high & _c1_bytes(m.encoding)]
    if not readable:
        return best, near
    if best in near and best not in readable:
        best = readable[0]
    return best, readable


def _by_stop_words(sample: bytes, high: frozenset[int], best, others: list):
    """The match of ``others`` that reads the most stop words beyond ASCII ("à", "été",
    "für", "más", "się"), at least :data:`MIN_STOP_WORDS` more than ``best`` reads, or
    ``None``; on a tie windows-1252's group, else the detector's order.

    Only words with a byte beyond ASCII are read (the others read alike in every code
    page), and only those short enough to be a stop word. A word is what lies between
    characters that are neither letters nor combining marks in the code page at hand, and
    counts when it is a stop word whole. The stop words are of languages written in Latin
    letters: they judge only between code pages that read most of those words' letters as
    Latin letters. When ``best`` reads them in another script (Russian in windows-1251:
    windows-1252 reads its "а" and "и" as "à" and "è"), or is a multi-byte encoding, they
    cannot tell, and ``None`` is the answer; a code page that reads them in another script
    (windows-1256 reads "à" among Arabic letters) is not taken.
    """
    if not others or best.encoding not in SINGLE_BYTE:
        return None
    stops, longest, letters = _stop_words()
    present = bytes(sorted(high))
    if not any(letters.intersection(present.decode(m.encoding, errors="replace"))
               for m in [best, *others]):
        return None  # no code page reads a letter any of the stop words has
    # twice the longest stop word: a byte that is no letter in some code page ("l’été")
    # may join two words
    short = b" ".join(w for w in filterfalse(bytes.isascii, sample.translate(_WORD_BYTES).split())
                      if len(w) <= 2 * longest)
    counts = {b: short.count(b) for b in high}

    def hits(encoding: str) -> int:
        table, _, _ = _reading(encoding)
        return sum(w in stops for w in
                   short.translate(table).decode(encoding, errors="replace").lower().split())

    def latin(encoding: str) -> bool:
        _, in_words, latin_letters = _reading(encoding)
        read = sum(counts[b] for b in high & in_words)
        return 2 * sum(counts[b] for b in high & latin_letters) > read

    if not latin(best.encoding):
        return None
    scored = [(hits(m.encoding), m) for m in others if latin(m.encoding)]
    if not scored:
        return None
    top = max(n for n, _ in scored)
    if top < hits(best.encoding) + MIN_STOP_WORDS:
        return None
    first = [m for n, m in scored if n == top]
    return next((m for m in first if "cp1252" in m.could_be_from_charset), first[0])


@functools.lru_cache(maxsize=None)
def _reading(encoding: str) -> tuple[bytes, frozenset[int], frozenset[int]]:
    """How the single-byte ``encoding`` reads the bytes beyond ASCII: a table for
    ``bytes.translate`` that makes a space of each it reads as neither a letter nor a
    combining mark, the bytes it reads as letters, and those it reads as Latin letters."""
    table = bytearray(range(256))
    in_words, latin_letters = set(), set()
    for b in range(0x80, 0x100):
        char = bytes([b]).decode(encoding, errors="replace")
        if char.isalpha():
            in_words.add(b)
            if unicodedata.name(char, "").startswith("LATIN "):
                latin_letters.add(b)
        elif not unicodedata.category(char).startswith("M"):
            table[b] = 0x20
    return bytes(table), frozenset(in_words), frozenset(latin_letters)


class _Against1252(NamedTuple):
    """How a single-byte code page reads the bytes windows-1252 reads otherwise
    (:func:`_against_1252`), as ``bytes.translate`` deletion tables and two patterns."""

    alike: bytes  # the bytes it reads as windows-1252 does
    weighable: bytes  # and those it reads as letters, C1 controls or Latin letters, below
    not_latin: bytes  # the bytes it does not read as Latin letters windows-1252 reads otherwise
    as_letters: re.Pattern  # a letter it reads for windows-1252's symbol ("Ž" for "®"),
    as_symbols: re.Pattern  # where letters stand, where symbols stand,
    inside: re.Pattern  # and one windows-1252 has no byte for, inside a word


@functools.lru_cache(maxsize=None)
def _against_1252(encoding: str) -> _Against1252:
    """How the single-byte ``encoding`` reads the bytes windows-1252 reads otherwise: as
    letters where windows-1252 reads symbols ("Ž" for "®"), as C1 control characters where
    windows-1252 has a character, as other Latin letters ("ń" for "ñ"), as spacing accents
    for its symbols ("˛" for "²"), or otherwise (a byte windows-1252 has no character for is one of
    these). And where the first kind
    stand: as letters stand (inside a word; starting one before a small letter, "Škoda"; a
    small letter ending a word of small letters, "już"), or as symbols stand (alone,
    "Š 2026"; a capital after a small letter, "CopyrightŠ"). A capital after capitals
    ("IRAŽ") is neither."""
    alike, letters, lower, symbols, weighable, latin = [], [], [], [], [], []
    for b in range(0x100):
        char = bytes([b]).decode(encoding, errors="replace")
        western = bytes([b]).decode("cp1252", errors="replace")
        if char.isalpha():
            letters.append(b)
            lower += [b] if char.islower() else []
        if char == western:
            alike.append(b)
        elif western == "\ufffd":
            continue  # a byte windows-1252 has no character for: no reading to weigh
        elif char.isalpha() and not western.isalpha():
            symbols.append(b)
        elif 0x80 <= ord(char) < 0xA0:
            weighable.append(b)
        elif char.isalpha() and unicodedata.name(char, "").startswith("LATIN "):
            latin.append(b)
        elif unicodedata.category(char) == "Sk" and not western.isalpha():
            weighable.append(b)  # a spacing accent for a symbol ("˛" for "²"), as no text has
    weighable += alike + symbols + latin

    def cls(extra: bytes, values) -> bytes:  # a class of bytes; one that matches none
        return (b"[" + extra + b"".join(re.escape(bytes([b])) for b in values) + b"]"
                if extra or values else b"(?!)")

    def others(values) -> bytes:
        return bytes(b for b in range(0x100) if b not in values)

    word, small, anyone = cls(b"A-Za-z", letters), cls(b"a-z", lower), cls(b"", symbols)
    # of those letters, the Latin ones windows-1252 has no byte for ("ą", "ł", "ś", not
    # ISO-8859-15's "Ž" for "´", which windows-1252 writes too)
    foreign = cls(b"", [b for b in symbols if _latin_not_1252(bytes([b]).decode(encoding))])
    # a letter in both readings: next to windows-1252's symbol read as a letter ("£££" in
    # ISO-8859-2 is "ŁŁŁ"), it stands inside no word of windows-1252's text
    both = cls(b"A-Za-z", [b for b in letters if bytes([b]).decode("cp1252", "replace").isalpha()])
    small_symbol = cls(b"", [b for b in symbols if b in lower])
    capital_symbol = cls(b"", [b for b in symbols if bytes([b]).decode(encoding).isupper()])
    # each alternative starts with the byte itself, for the search to skip to it
    return _Against1252(
        bytes(alike), bytes(weighable), others(latin),
        re.compile(b"%s(?:(?<=%s.)(?=%s)|(?<!%s.)(?=%s))|%s(?<=%s.)(?!%s)" % (
            anyone, word, word, word, small, small_symbol, small, word)),
        re.compile(b"%s(?<!%s.)(?!%s)|%s(?<=%s.)(?!%s)" % (
            anyone, word, word, capital_symbol, small, word)),
        # not after "Â" or "Ã": "fÃ¼r" is UTF-8's "für" a windows-1252 text already has
        re.compile(b"%s(?<=%s.)(?<![\\xc2\\xc3].)(?=%s)" % (foreign, both, both)))


def _latin_not_1252(char: str) -> bool:
    """Whether ``char`` is a Latin letter windows-1252 has no byte for ("ą", "ł", "ť")."""
    if not unicodedata.name(char, "").startswith("LATIN "):
        return False
    try:
        char.encode("cp1252")
    except UnicodeEncodeError:
        return True
    return False


def _symbols_not_letters(sample: bytes, encoding: str) -> bool:
    """Whether windows-1252 reads ``sample`` better than the single-byte ``encoding``: the
    bytes the two read differently are ones ``encoding`` reads as letters where windows-1252
    reads symbols ("Ž" for "®"), as C1 control characters or spacing accents for its symbols
    ("˛" for "²", which no text has alone) or as other Latin letters ("ń" for "ñ"), and the
    first kind stand as symbols stand more often than as letters stand
    (:func:`_against_1252`). When they differ in the first two kinds alone,
    as often is enough: an English page whose only such bytes are "®" after brand names in
    capitals ("IRAŽ", "OEKO-TEXŽ") gives neither, and windows-1252, the most common legacy
    encoding of the web, is taken."""
    against = _against_1252(encoding)
    differ = sample.translate(None, against.alike)
    if not differ or differ.translate(None, against.weighable):
        return False
    as_letters = len(against.as_letters.findall(sample))
    as_symbols = len(against.as_symbols.findall(sample))
    if differ.translate(None, against.not_latin):  # "ń" for "ñ" too
        return as_letters < as_symbols
    return as_letters <= as_symbols


#: Where an HTML page's scripts and style sheets start and end: their strings are no text
#: to weigh (one page obfuscates its scripts' strings with "¹" and "º" between letters).
_SCRIPT_TAG = re.compile(rb"<(/?)(script|style)\b", re.IGNORECASE)


def _without_scripts(sample: bytes) -> bytes:
    """``sample`` without an HTML page's scripts and style sheets (one left open runs to the
    end), found in one pass over their tags."""
    pieces, inside, start = [], None, 0
    for tag in _SCRIPT_TAG.finditer(sample):
        name = tag.group(2).lower()
        if inside is None and not tag.group(1):
            pieces.append(sample[start:tag.start()])
            inside = name
        elif inside == name and tag.group(1):
            inside, start = None, tag.end()
    if inside is None:
        pieces.append(sample[start:])
    return b" ".join(pieces)


#: Places inside words where a code page reads letters and windows-1252 symbols
#: (:func:`_letters_for_symbols`) for that code page to be taken over windows-1252: one
#: stray byte ("m³" in ISO-8859-2 is "mł") does not decide.
MIN_LETTERS_INSIDE = 2


def _letters_for_symbols(sample: bytes, near: list):
    """The single-byte match of ``near`` (outside windows-1252's group, reading no
    byte of ``sample`` as a C1 control character) that reads as Latin letters windows-1252
    has no byte for, inside words, bytes windows-1252 reads as symbols there ("Przejd¼ do
    tre¶ci", "s³abowidz¹ce" for ISO-8859-2's "Przejdź do treści" and windows-1250's
    "słabowidzące"), at least :data:`MIN_LETTERS_INSIDE` times and more often than the
    letters it reads for windows-1252's symbols stand as symbols stand
    (:func:`_against_1252`); or ``None``. The bytes the two read differently must be of the
    kinds :func:`_symbols_not_letters` weighs. The symbols a windows-1252 text has between
    two letters ("X×Y", "Information·Privacy", "don´t") are none that such a code page reads
    as such a letter (ISO-8859-15's "donŽt": windows-1252 writes "Ž" too; windows-1251's
    "XЧY" is no Latin letter); its "«Zitat»", "¿qué" and "m³" (ISO-8859-2's "ŤZitatť",
    "Żqué", "mł") stand at a word's edge. An HTML page's scripts and style sheets are not
    weighed."""
    high = frozenset(sample.translate(None, _ASCII))
    sample = _without_scripts(sample)
    found = []
    for match in near:
        if ("cp1252" in match.could_be_from_charset or match.encoding not in SINGLE_BYTE
                or high & _c1_bytes(match.encoding)):
            continue
        against = _against_1252(match.encoding)
        differ = sample.translate(None, against.alike)
        if not differ or differ.translate(None, against.weighable):
            continue
        inside = len(against.inside.findall(sample))
        if inside >= MIN_LETTERS_INSIDE and inside > len(against.as_symbols.findall(sample)):
            found.append((len(against.as_letters.findall(sample)), match))
    # of several, the one that reads the most of them where letters stand (ISO-8859-2's
    # "Škoda" for windows-1250's "©koda"), else the detector's order
    return max(found, key=lambda pair: pair[0], default=(0, None))[1]


#: A well-formed UTF-8 sequence of two to four bytes.
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]"
                             rb"|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
                             rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
                             rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}")


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 text with a few bad bytes (a truncated character, one stray byte), read with
    replacement characters: there must be at least as many well-formed multi-byte
    characters as bad sequences. A legacy 8-bit text has almost none of the former."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    if bad <= len(_UTF8_MULTIBYTE.findall(data)):
        return text
    return None


def _bomless_utf16(data: bytes) -> str | None:
    """The name of the UTF-16 byte order of text without a byte-order mark, told by where
    its NUL bytes fall (the high byte of every Latin letter), or ``None``."""
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        sample = sample[:len(sample) - len(sample) % 2]
    if not sample:
        return None
    half = len(sample) // 2
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    for nuls, other, encoding in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if nuls >= 0.3 * half and other <= 0.05 * half:
            return encoding
    return None


def decode(data: bytes) -> tuple[str, str | None]:
    """Text of ``data`` and, when it was not UTF-8, the name of the encoding it was read with."""
    text, info = decode_with_info(data)
    return text, info["encoding"] if info else None


def _codec(label: str | None) -> str | None:
    """A charset label as a Python codec name; latin-1 and ASCII read as windows-1252, as
    browsers do."""
    try:
        name = codecs.lookup(label).name if label else None
    except LookupError:
        return None
    return "cp1252" if name in ("iso8859-1", "ascii") else name


def decode_with_info(data: bytes, http_charset: str | None = None) -> tuple[str, dict | None]:
    """Text of ``data`` and, when it was not UTF-8, how its encoding was found.

    Never guesses silently: the encoding is reported with the record (``detections``), and
    bytes that look binary or match no encoding are refused with the reason. Order: a
    byte-order mark, UTF-16 without one, the HTTP header's charset (``http_charset``, when
    the bytes fit it), UTF-8, UTF-8 with a few bad bytes (replaced), the charset the page
    declares, then statistical detection.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace"), {
                "encoding": encoding, "detected": False, "by": "bom"}
    utf16 = _bomless_utf16(data)
    if utf16:
        return data.decode(utf16, errors="replace"), {"encoding": utf16, "detected": True,
                                                      "by": "nul bytes"}
    if _looks_binary(data[:65536]):
        raise UndecodableInput("binary content (control bytes), not a text document")
    http = _codec(http_charset)
    if http and http != "utf-8":
        try:
            return data.decode(http), {"encoding": http, "detected": False, "by": "http"}
        except (UnicodeDecodeError, LookupError):
            pass  # the header is wrong: read the bytes as any page
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        utf8_error = exc
    text = _mostly_utf8(data)
    if text is not None:
        return text, {"encoding": "utf-8", "detected": True, "by": "utf-8 with bad bytes "
                      "replaced"}
    declared = _declared_encoding(data)
    if declared and declared != "utf-8":
        try:
            return data.decode(declared), {"encoding": declared, "detected": False,
                                           "by": "declared"}
        except (UnicodeDecodeError, LookupError):
            pass  # the label is wrong too; fall back to detection
    guessed = _guess_encoding(data)
    if guessed is None:
        raise UndecodableInput(
            f"not valid UTF-8 ({utf8_error.reason} at byte {utf8_error.start}) "
            "and no other encoding fits")
    return data.decode(guessed, errors="replace"), {"encoding": guessed, "detected": True,
                                                    "by": "charset_normalizer"}


def url_host(url: str | None) -> str | None:
    """The host of ``url``; None when it has none, or is no URL Python can take apart
    (``http://[::1``): a URL is the document's metadata, not a reason to fail it."""
    try:
        return urlsplit(url).hostname if url else None
    except ValueError:
        return None


def site_of(path: Path, url: str | None) -> str:
    """The site a document belongs to: its URL's host, else the folder it lies in."""
    host = url_host(url)
    if host:
        return host.removeprefix("www.")
    return str(path.parent)


#: A character reference HTML writes with its closing semicolon: ``&amp;``, ``&#39;``, ``&#x2019;``.
#: Only these: without the semicolon ``html.unescape`` would also read "&not" in "&nothing".
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def decode_entities(text: str) -> str:
    """Plain text with the HTML character references a scraper left undecoded (``&amp;``,
    ``&nbsp;``, ``&#39;``, ``&quot;``) read as the characters they stand for, once; a name
    HTML does not know stays as it is."""
    if "&" not in text:
        return text
    return _ENTITY.sub(lambda m: htmllib.unescape(m.group()), text)


def make_document(path: Path, text: str, encoding: dict | None, *, html: bool,
                  source: str | None = None, url: str | None = None,
                  input_bytes: int | None = None, entities: bool = True,
                  markdown: bool = False) -> Document:
    """The document a reader (or the crawl) hands to the chain: HTML or text (HTML
    character references left in it decoded, :func:`decode_entities`, unless ``entities``
    is false: a text that means a literal ``&amp;``; Markdown as written, marked for the
    ``markdown`` plugin, which decodes references as it reads it), its site, and how its
    encoding was found when it was not UTF-8."""
    doc = Document(source=source or source_name(path), url=url,
                   site=source_name(site_of(path, url)), input_bytes=input_bytes)
    if html:
        doc.html = text
    elif markdown:
        doc.text, doc.markdown = text, True
    else:
        doc.text = decode_entities(text) if entities else text
    if encoding:
        doc.detections["encoding"] = encoding
    return doc


def extra_fields(fields: dict, page_fields) -> dict:
    """What an input carries besides the page (``page_fields``), for the record's ``extra``:
    as JSON holds it (a datetime as its text, a lone surrogate replaced, a NaN or infinite
    number, which JSON has no words for, as null), absent values left out, so that no
    writer fails on it."""
    extra = {key: value for key, value in fields.items()
             if key not in page_fields and value is not None}
    if not extra:
        return {}
    return json.loads(xml_safe(json.dumps(extra, ensure_ascii=False, default=str)),
                      parse_constant=lambda constant: None)


def looks_like_html(text: str) -> bool:
    head = text[:2048].lstrip().lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) or "<body" in head


#: Formats with a reader of their own, by the bytes they start with: read as text they
#: would become junk records.
_NOT_TEXT = ((b"WARC/", "a WARC archive"), (b"filedesc://", "an ARC archive"),
             (b"PAR1", "a Parquet file"))
_URL_LINE = re.compile(r"^\s*[a-z][a-z0-9+.-]*://\S+\s*$", re.IGNORECASE)


def refuse_non_documents(head: bytes, text: str | None = None) -> None:
    """Raise when a file read as one text is something else: an archive, a list of URLs."""
    for magic, what in _NOT_TEXT:
        if head.startswith(magic):
            raise ValueError(f"{what}, not a text document (its reader is disabled?)")
    if text is not None:
        lines = [line for line in text.splitlines() if line.strip()]
        if lines and all(_URL_LINE.match(line) for line in lines):
            raise ValueError(f"a list of {len(lines)} URL(s), not a document: crawl them "
                             "(clean-corpus crawl URL...) to clean the pages")


class FileReader(Plugin):
    """A reader of whole files, each no larger than the run's ``max_bytes``."""

    suffixes: tuple[str, ...] = ()
    #: its files are Markdown, read as the text they show
    markdown = False

    @hookimpl
    def register_readers(self, register):
        register(self)

    def is_html(self, source, text: str) -> bool:
        return True

    def read(self, source) -> Iterator[Document]:
        refuse_non_documents(source.head)
        size = source.size()
        if size is not None and size > source.max_bytes:
            # never read: the size limit rejects it with its size
            yield make_document(Path(source.name), "", None, html=False, source=source.name,
                                input_bytes=size)
            return
        text, encoding = decode_with_info(source.read_bytes())
        refuse_non_documents(source.head, text)
        # ``source.name`` as given: a URL ("s3://bucket/key") is no local path to rewrite
        yield make_document(Path(source.name), text, encoding, source=source.name,
                            html=self.is_html(source, text),
                            entities=self.options.get("decode_entities", True),
                            markdown=self.markdown)


class TextReader(FileReader):
    """Plain text files; also the fallback for files of unknown type (sniffs for HTML).

    A file that is not one document (an archive whose reader is disabled, a list of
    URLs) fails with the reason instead of becoming a junk record.
    """

    name = "text_reader"
    suffixes = (".txt", ".text")
    fallback = True
    #: ``decode_entities = false`` keeps HTML character references as written (a text that
    #: means a literal ``&amp;``); by default a scraper's leftover ``&amp;`` is read as ``&``.
    defaults = {"decode_entities": True}

    def is_html(self, source, text: str) -> bool:
        return "".join(source.suffixes[-1:]) not in self.suffixes and looks_like_html(text)


class MarkdownReader(FileReader):
    """Markdown files (``.md``, ``.markdown``): whole pages as crawlers write them in
    Markdown, which the ``markdown`` plugin reads as the text they show, a line per block,
    link text without its address (:mod:`clean_corpus_plugins.markdown`). A page that is
    HTML after all is read as HTML."""

    name = "markdown_reader"
    suffixes = (".md", ".markdown", ".mdown", ".mkd")
    markdown = True

    def is_html(self, source, text: str) -> bool:
        return looks_like_html(text)


class HtmlReader(FileReader):
    """HTML pages saved to disk; the text comes from the ``extract`` hook."""

    name = "html_reader"
    suffixes = (".html", ".htm", ".xhtml")


class FieldsReader(Plugin):
    """What readers of one-document-per-row formats (JSON Lines, Parquet) share: which
    fields hold the HTML, the text, the Markdown (read as the text it shows), the URL and
    the source name (options; the first of HTML, text and Markdown a row has is read), and
    whether HTML character references left in the text are decoded (``decode_entities``, as
    the text reader's). The row's other fields are kept in the record's ``extra``."""

    defaults = {"text_field": "text", "html_field": "html", "markdown_field": "markdown",
                "url_field": "url", "source_field": "source", "decode_entities": True}

    def document(self, name: str, row: dict, source: str) -> Document:
        """The document of one row, or ValueError when it has no text, HTML or Markdown."""
        options = self.options
        # A lone surrogate ("\\ud800") is valid JSON but no UTF-8 encoder takes it.
        strings = {key: xml_safe(value) for key, value in row.items() if isinstance(value, str)}
        for key, kind in ((options["html_field"], "html"), (options["text_field"], "text"),
                          (options["markdown_field"], "markdown")):
            if key in strings:
                doc = make_document(Path(name), strings[key], None, html=kind == "html",
                                    source=strings.get(options["source_field"]) or source,
                                    url=strings.get(options["url_field"]),
                                    entities=options["decode_entities"],
                                    markdown=kind == "markdown")
                # the row's other fields (an id, a date, a language) travel to the record
                doc.extra = extra_fields(row, [v for k, v in options.items()
                                               if k.endswith("_field")])
                return doc
        raise ValueError(f"no {options['text_field']!r}, {options['html_field']!r} or "
                         f"{options['markdown_field']!r} string")


class JsonlReader(FieldsReader):
    """JSON Lines: one document per line, with ``html``, ``text`` or ``markdown`` and
    optional ``url`` (the field names are options: ``--set jsonl_reader.text_field=content``).

    A line that is not a JSON object with HTML, text or Markdown becomes a failure of its
    own; the other lines are read as usual. Documents are named ``FILE#LINE``. A line over
    four times the run's ``max_bytes`` (room for JSON escapes around a page the size limit
    takes) is not read whole: the size limit rejects it with its size.

    A damaged gzip member (a file of several members, as concatenated ``.gz`` files make) is
    one failure, ``DamagedInput``: the line in which what it gave out ended (a line cut by
    the damage, or two lines' pieces joined across it, which may still read as JSON), else
    the member itself (``FILE#gzip member at byte N``), and the file does not fail for it
    too. Lines are numbered as read: after a damaged member, the lines it held are not
    counted.
    """

    name = "jsonl_reader"
    suffixes = (".jsonl", ".ndjson")

    @hookimpl
    def register_readers(self, register):
        register(self)

    def sniff(self, head: bytes) -> bool:
        """A first line that is a JSON object with a text or HTML field (the line may run
        past ``head``: then its opening must name one)."""
        first, newline, _ = head.lstrip().partition(b"\n")
        if not first.startswith(b"{"):
            return False
        keys = [self.options[k].encode() for k in ("text_field", "html_field", "markdown_field")]
        if not newline:
            return any(re.search(rb'"%s"\s*:' % re.escape(key), first) for key in keys)
        try:
            obj = json.loads(first)
        except ValueError:
            return False
        return isinstance(obj, dict) and any(key.decode() in obj for key in keys)

    def read(self, source) -> Iterator[Document | ReadFailure]:
        limit = 4 * source.max_bytes + 65536
        fh = source.stream
        number = end = 0
        while raw := fh.readline(limit + 1):
            number += 1
            name = f"{source.name}#L{number}"
            start = end
            size = len(raw) + (_skip_line(fh) if len(raw) > limit and not raw.endswith(b"\n")
                               else 0)
            end = start + size
            yield from damaged_members(source.damage_before(start - 1), source, self.name)
            # damaged members found where this line starts, that gave out nothing: they may
            # have held its start (the line is then the rest of one)
            edges = source.damage_before(start)
            within = source.damage_within(start, end)
            if within:  # the line holds what a damaged member gave out, or is cut by it
                yield from damaged_members(edges, source, self.name)
                yield ReadFailure(name, f"{DamagedInput.__name__}: "
                                  + "; ".join(map(str, within)), plugin=self.name)
                continue
            if not raw.endswith(b"\n"):  # the last line: they may have held its end
                edges += source.damage_before(end)
            item = self._line(source, raw, size, name)
            if edges and isinstance(item, ReadFailure) and item.error.startswith(_NOT_JSON):
                # not a whole line: a piece of one the damage cut, the rest lost with it
                yield ReadFailure(name, f"{DamagedInput.__name__}: "
                                  + "; ".join(map(str, edges)) + "; the line it cut short "
                                  "is not JSON", plugin=self.name)
                continue
            yield from damaged_members(edges, source, self.name)
            if item is not None:
                yield item
        yield from damaged_members(source.damage_before(None), source, self.name)

    def _line(self, source, raw: bytes, size: int, name: str) -> Document | ReadFailure | None:
        """The document of one line of ``size`` bytes (``raw``, its start if it is longer),
        its failure, or None for a blank line."""
        if size > len(raw):
            return make_document(Path(source.name), "", None, html=False, source=name,
                                 input_bytes=size)
        if not raw.strip():
            return None
        try:
            return self._parse(source.name, raw, name)
        except RecursionError:
            return ReadFailure(name, "ValueError: JSON nested too deeply", plugin=self.name)
        except (ValueError, UndecodableInput) as exc:
            return ReadFailure(name, f"{type(exc).__name__}: {exc}", plugin=self.name)

    def count(self, path: Path) -> int:
        """Documents in the file, for the progress bar: its non-blank lines."""
        with path.open("rb") as fh:
            return sum(1 for raw in fh if raw.strip())

    def _parse(self, path: str, raw: bytes, source: str) -> Document:
        text, _ = decode(raw)
        obj = json.loads(text)
        if not isinstance(obj, dict):
            raise ValueError("line is not a JSON object")
        try:
            return self.document(path, obj, source)
        except ValueError as exc:
            raise ValueError(f"line has {exc}") from None


#: How the failure of a line that does not read as JSON starts.
_NOT_JSON = (f"{json.JSONDecodeError.__name__}: ", f"{UndecodableInput.__name__}: ")


def damaged_members(parts, source, reader: str) -> Iterator[ReadFailure]:
    """A failure of its own for each damaged gzip member of ``parts``, which no part read
    (a line, a record) holds: what it held is lost whole. Shared by the readers of parts."""
    for part in parts:
        yield ReadFailure(f"{source.name}#gzip member at byte {part.start}",
                          f"{DamagedInput.__name__}: {part}", plugin=reader)


def _skip_line(fh, chunk: int = 1 << 20) -> int:
    """Read past the rest of the current line; return how many bytes it had."""
    skipped = 0
    while piece := fh.readline(chunk):
        skipped += len(piece)
        if piece.endswith(b"\n"):
            break
    return skipped
