"""Dates as articles write them, read into ISO 8601 (helpers, not a plugin).

``2016-09-12``, ``2021-12``, ``12.09.2016``, ``12 septembre 2016``, ``Monday, September
12, 2016``, ``12. September 2016``, ``12 de septiembre de 2016``, ``Sept. 2016``... Month
and weekday names are data: the ``months`` and ``weekdays`` kinds of the lexicons (twelve
months in calendar order, then optionally twelve abbreviations, and so on; seven weekdays).
A partial date stays partial (``2021-12``): a cleaner never invents a day.
Numeric dates are read day first (``03/04/2021`` is the 3rd of April), unless that
cannot be a date and month first can (``04/21/2022``).
"""
from __future__ import annotations

import datetime
import re
from functools import lru_cache

from clean_corpus_plugins.lexicon import fold, load_all


@lru_cache(maxsize=None)
def _month_names() -> dict[str, int]:
    names: dict[str, int] = {}
    for lang in sorted(load_all()):
        for index, name in enumerate(load_all()[lang].get("months", [])):
            key = fold(name).replace(" ", "")
            if key:
                names.setdefault(key, index % 12 + 1)
    return names


@lru_cache(maxsize=None)
def _weekday_names() -> frozenset[str]:
    return frozenset(fold(name).replace(" ", "") for lang in load_all()
                     for name in load_all()[lang].get("weekdays", []) if fold(name))


def month_number(token: str) -> int | None:
    """1-12 for a month name or an unambiguous abbreviation of one (``sept.``), else None."""
    key = fold(token).replace(" ", "")
    names = _month_names()
    if key in names:
        return names[key]
    if len(key) >= 3:
        found = {number for name, number in names.items() if name.startswith(key)}
        if len(found) == 1:
            return found.pop()
    return None


def is_weekday(token: str) -> bool:
    key = fold(token).replace(" ", "")
    return key in _weekday_names() or any(
        len(key) >= 3 and name.startswith(key) for name in _weekday_names())


_WEEKDAY = r"(?:(?P<wd>[^\W\d_]{2,})\.?,?\s+)?"
_ORD = r"(?:er|\.|º|°|st|nd|rd|th)?"
_MON = r"(?P<mon>[^\W\d_]{3,}\.?)"
_YEAR = r"(?P<y>(?:1[89]|2[01])\d\d)"
_FORMS = [
    # 2016-09-12, 2016-09, 2016/09/12
    r"(?P<iy>(?:1[89]|2[01])\d\d)(?P<sep>[-/.])(?P<im>\d{1,2})(?:(?P=sep)(?P<id>\d{1,2}))?",
    # 12.09.2016, 12/09/2016, 06.11.23
    r"(?P<nd>\d{1,2})(?P<nsep>[./-])(?P<nm>\d{1,2})(?P=nsep)(?P<ny>\d{4}|\d{2})",
    # 12 septembre 2016, 12. September 2016, 12 de septiembre de 2016, 1er mai 2016
    rf"(?P<d>\d{{1,2}}){_ORD}\s+(?:de\s+)?{_MON}\s+(?:de\s+|del\s+)?{_YEAR}",
    # September 12, 2016 / Sept. 12 2016
    r"(?P<md_mon>[^\W\d_]{3,}\.?)\s+(?P<md_d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<md_y>(?:1[89]|2[01])\d\d)",
    # septembre 2016, September 2016, septiembre de 2016
    r"(?P<my_mon>[^\W\d_]{3,}\.?)\s+(?:de\s+)?(?P<my_y>(?:1[89]|2[01])\d\d)",
]
# Possessive spaces: a date followed by a long run of spaces is not retried at every split.
_TIME = (r"(?:\s*+(?:,|-|–|—|\||/|à|a las|um|at)?\s*+\d{1,2}\s*+[:hH]\s*+\d{2}"
         r"(?:\s*(?:Uhr|h|hrs?|am|pm|a\.m\.|p\.m\.|MEZ|MESZ|CET|CEST|UTC|GMT|ET))?)?")
_DATE = re.compile(rf"{_WEEKDAY}(?:{'|'.join(_FORMS)}){_TIME}", re.IGNORECASE)


def _iso(year: int, month: int, day: int | None) -> str | None:
    try:
        datetime.date(year, month, day or 1)
    except ValueError:
        return None
    return f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day else "")


def _from_match(m: re.Match) -> str | None:
    if m.group("wd") and not is_weekday(m.group("wd")):
        return None
    g = m.groupdict()
    if g["iy"]:
        return _iso(int(g["iy"]), int(g["im"]), int(g["id"]) if g["id"] else None)
    if g["nd"]:
        day, month, year = int(g["nd"]), int(g["nm"]), int(g["ny"])
        if len(g["ny"]) == 2:
            year += 2000 if year < 70 else 1900
        if month > 12 >= day:  # 04/21/2022 can only be month first
            day, month = month, day
        return _iso(year, month, day)
    if g["d"]:
        month = month_number(g["mon"])
        return _iso(int(g["y"]), month, int(g["d"])) if month else None
    if g["md_mon"]:
        month = month_number(g["md_mon"])
        return _iso(int(g["md_y"]), month, int(g["md_d"])) if month else None
    month = month_number(g["my_mon"])
    return _iso(int(g["my_y"]), month, None) if month else None


def parse_date(text: str) -> str | None:
    """ISO 8601 for a text that is a date and nothing else (trailing ``,`` ``.`` allowed)."""
    text = text.strip().rstrip(",.;:|-–— ").strip()
    m = _DATE.fullmatch(text)
    return _from_match(m) if m else None


def date_prefix(text: str) -> tuple[str, int] | None:
    """``(iso, end)`` when ``text`` starts with a date followed by a space or its end."""
    m = _DATE.match(text)
    if not m or (m.end() < len(text) and not text[m.end()].isspace()
                 and text[m.end()] not in ",.;:|-–—)"):
        return None
    iso = _from_match(m)
    return (iso, m.end()) if iso else None
