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
