"""Hard-wrapped text dumps through the whole chain, read line by line or paragraph by paragraph.

    python bench/wrapped_text.py /tmp/devset-text-blocks [--width 78] [-j 1]
    python bench/wrapped_text.py /tmp/wcxb-text-blocks --wcxb

From a folder of pages in the scraped blocks form (a line per block, as
``tools/scraped_text.py --mode blocks`` writes them) it builds, in a temporary folder:

1. ``blocks``: the pages as they are;
2. ``lynx``: every block wrapped at ``--width`` columns, a blank line between blocks (as
   lynx, w3m or html2text dump a page);
3. ``long-blank``: blank lines only around the blocks longer than the width, which are
   wrapped; the short ones (menus) stay consecutive lines;
4. ``no-blank``: every block wrapped, no blank line anywhere.

Each form goes through ``clean-corpus run`` with ``text_lines.join_wrapped`` off (a block
per line, as before the option) and on, and the records are scored by
``tools/score_devset.py`` (the pages must be the devset's; with ``--wcxb``,
``tools/score_wcxb.py`` and wcxb-dev's pages). Prints boilerplate left (snippets; with
``--wcxb`` the share of ``without`` snippets left), recall and F1 (words with ``--wcxb``)
of each, and whether the two settings wrote byte-identical records.
Wrapping is ``textwrap``'s, long words and hyphenated words left whole (as html2text).
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ablate_cleaners import CLI, SHARED, score  # noqa: E402


def wrap(block: str, width: int) -> list[str]:
    return textwrap.wrap(block, width, break_long_words=False, break_on_hyphens=False)


def lynx(blocks: list[str], width: int) -> str:
    return "\n\n".join("\n".join(wrap(b, width)) for b in blocks)


def long_blank(blocks: list[str], width: int) -> str:
    parts: list[str] = []
    for block in blocks:
        if len(block) > width:
            parts += ["", "\n".join(wrap(block, width)), ""]
        else:
            parts.append(block)
    text = "\n".join(parts)
    while "\n\n\n" in text:  # two long blocks in a row: one blank line between them
        text = text.replace("\n\n\n", "\n\n")
    return text.strip("\n")


def no_blank(blocks: list[str], width: int) -> str:
    return "\n".join(line for b in blocks for line in wrap(b, width))


FORMS = {"blocks": lambda blocks, width: "\n".join(blocks), "lynx": lynx,
         "long-blank": long_blank, "no-blank": no_blank}


def write_form(pages: Path, out: Path, form, width: int) -> None:
    out.mkdir(parents=True)
    for page in sorted(pages.iterdir()):
        blocks = [line for line in page.read_text(encoding="utf-8").split("\n") if line.strip()]
        (out / page.name).write_text(form(blocks, width) + "\n", encoding="utf-8")


def run(pages: Path, out: Path, workers: int, join: bool) -> None:
    subprocess.run([str(CLI), "run", str(pages), "-o", str(out), "-q", "--no-progress",
                    "-j", str(workers), "--set", f"text_lines.join_wrapped={str(join).lower()}"],
                   check=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("pages", type=Path, help="the devset's pages in the blocks form")
    ap.add_argument("--width", type=int, default=78)
    ap.add_argument("--shared", type=Path, default=SHARED)
    ap.add_argument("--wcxb", action="store_true", help="wcxb-dev's pages: score_wcxb.py")
    ap.add_argument("-j", "--workers", type=int, default=1)
    args = ap.parse_args(argv)
    scorer = [str(args.shared / "tools" / ("score_wcxb.py" if args.wcxb else "score_devset.py"))]
    left = "without" if args.wcxb else "boilerplate_left"
    print(f"{'form':<11} {'join_wrapped':<12} {'BL left':>8} {'recall':>7} {'F1':>6}  same records")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for name, form in FORMS.items():
            write_form(args.pages, tmp / name, form, args.width)
            records = {}
            for join in (False, True):
                records[join] = tmp / f"{name}-{join}.jsonl"
                run(tmp / name, records[join], args.workers, join)
                figures = score(records[join], scorer)
                same = records[False].read_bytes() == records[join].read_bytes()
                print(f"{name:<11} {str(join).lower():<12} {figures[left]:>8.3f} "
                      f"{figures['R']:>7.3f} {figures['F1']:>6.3f}  {'' if not join else same}",
                      flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
