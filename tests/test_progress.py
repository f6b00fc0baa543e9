"""The progress bar on a terminal: a total counted before the run and an ETA, over the
cleaning pass and the writing pass."""
from __future__ import annotations

import fcntl
import json
import os
import re
import struct
import subprocess
import termios

from conftest import CLI, cli_env

ARTICLE = ("Le conseil municipal a voté mardi soir le budget de la piscine, après deux heures "
           "de débat sur le coût de l'entretien et les horaires d'ouverture au public.")
#: Seven articles different enough not to be taken for near duplicates of one another.
TOPICS = ["la piscine municipale", "le marché couvert", "la ligne de tramway", "la médiathèque",
          "le port de plaisance", "la salle des fêtes", "le stade de football"]
WORDS = ("budget travaux retard habitants associations commerçants subvention région État "
         "chantier entreprise calendrier architecte quartier parking accès horaires tarifs").split()


def _article(n: int) -> str:
    words = WORDS[n:] + WORDS[:n]
    return (f"Le conseil municipal a débattu mardi soir de {TOPICS[n]}. "
            + " ".join(f"Les {a} et le {b} ont occupé la séance numéro {n}{i}." for i, (a, b)
                       in enumerate(zip(words[::2], words[1::2]))))


def _run_on_a_terminal(args, tmp_path) -> str:
    """Run the CLI with stderr on a pseudo-terminal (as a user sees it); return what it showed."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 120, 0, 0))  # 120 columns
    # tqdm reads TQDM_* settings from the environment: redraw on every document
    env = cli_env({"TQDM_MININTERVAL": "0", "TQDM_MINITERS": "1"})
    proc = subprocess.Popen([str(CLI), *map(str, args)], stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=slave, env=env, cwd=tmp_path)
    os.close(slave)
    shown = bytearray()
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        shown += chunk
    os.close(master)
    assert proc.wait(timeout=300) == 0, shown.decode("utf-8", "replace")
    return shown.decode("utf-8", "replace")


def test_progress_bar_has_a_total_and_an_eta_in_both_passes(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    for n in range(3):
        (inputs / f"article{n}.txt").write_text(_article(n), encoding="utf-8")
    with open(inputs / "more.jsonl", "w", encoding="utf-8") as fh:  # 4 documents in one file
        for n in range(4):
            fh.write(json.dumps({"text": _article(3 + n)}) + "\n\n")
    shown = _run_on_a_terminal(["run", inputs, "-o", tmp_path / "out.jsonl"], tmp_path)
    states = [s.strip() for s in re.split(r"[\r\n]", shown) if "doc" in s]
    cleaning = [s for s in states if s.startswith("cleaning")]
    writing = [s for s in states if s.startswith("writing")]
    # 7 documents known before the first one is cleaned, counted up with an ETA
    assert any(re.search(r"\b0/7 \[", s) for s in cleaning), states
    assert any(re.search(r"\b7/7 \[\d\d:\d\d<\d\d:\d\d", s) for s in cleaning), states
    # the writing pass (corpus-level decisions, judging, writing) has its own total and ETA
    assert any(re.search(r"\b[1-7]/7 \[\d\d:\d\d<\d\d:\d\d", s) for s in writing), states
    assert "7 documents: 7 written" in shown


def test_no_progress_bar_off_a_terminal_or_when_asked(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    piped = subprocess.run([str(CLI), "run", tmp_path / "a.txt", "-o", tmp_path / "o.jsonl"],
                           env=cli_env(), capture_output=True, text=True, timeout=120)
    assert piped.returncode == 0 and "cleaning" not in piped.stderr
    shown = _run_on_a_terminal(["run", tmp_path / "a.txt", "-o", tmp_path / "p.jsonl",
                                "--no-progress"], tmp_path)
    assert "cleaning" not in shown and "1 documents: 1 written" in shown
