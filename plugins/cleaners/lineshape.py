"""Line-shape tests shared by the structural cleaners (helpers, not a plugin).

Boilerplate is told from prose by its shape: a headline is short and has no final full
stop, a paragraph of prose is long and ends a sentence, a label line is a word and a
colon. These helpers say so in one place, so that every cleaner means the same thing by
"short" or "sentence-like".
"""
from __future__ import annotations

import re
import statistics
from functools import lru_cache

#: Characters that may close a sentence, and what may follow them (quotes, brackets).
_SENTENCE_END = re.compile(r"[.!?…](?:[\s\"'»”’)\]]*)$")
_CLOSERS = "\"'»”’)]*"
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")

#: A block at least this long that ends a sentence is taken for article prose.
PROSE_MIN_CHARS = 150


@lru_cache(maxsize=8192)
def words(text: str) -> tuple[str, ...]:
    """The words of ``text`` (letters and digits, with inner apostrophes and hyphens).

    Cached: several cleaners ask for the words of every block.
    """
    return tuple(_WORD.findall(text))


def ends_sentence(text: str) -> bool:
    """True when ``text`` ends like a sentence: ``.``, ``!``, ``?`` or ``…``, maybe quoted."""
    return bool(_SENTENCE_END.search(text.rstrip()))


def ends_with_full_stop(text: str) -> bool:
    """True when the last mark (before closing quotes) is a full stop or an ellipsis.

    Headlines may end with ``?`` or ``!`` but almost never with a full stop.
    """
    stripped = text.rstrip().rstrip(_CLOSERS).rstrip()
    return stripped.endswith((".", "…", ",", ";", ":"))


def starts_capitalised(text: str) -> bool:
    """First letter or digit (after opening quotes) is upper case or a digit."""
    for char in text:
        if char.isalpha():
            return char.isupper()
        if char.isdigit():
            return True
    return False


def is_prose(text: str, min_chars: int = PROSE_MIN_CHARS) -> bool:
    """A paragraph of article prose: long enough, several words, ends a sentence."""
    return len(text) >= min_chars and len(words(text)) >= 15 and ends_sentence(text)


def is_headline(text: str, max_chars: int = 160, min_words: int = 3, max_words: int = 25) -> bool:
    """A headline-shaped line: one line, short, capitalised, no final full stop."""
    if "\n" in text or len(text) > max_chars:
        return False
    count = len(words(text))
    return (min_words <= count <= max_words and starts_capitalised(text)
            and not ends_with_full_stop(text))


_SENTENCE_BREAK = re.compile(r"[.!?…][\"'»”’)]*\s+[\"'«“‘(]*([^\W\d_])")


def sentence_count(text: str) -> int:
    """Rough number of sentences: terminal marks followed by a capitalised word, plus one."""
    return 1 + sum(1 for m in _SENTENCE_BREAK.finditer(text) if m.group(1).isupper())


def median_length(texts) -> float:
    """Median length in characters of ``texts`` (0 for none)."""
    lengths = [len(t) for t in texts]
    return statistics.median(lengths) if lengths else 0.0
