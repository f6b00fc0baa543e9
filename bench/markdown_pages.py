"""Pages as crawlers write them in Markdown, through the whole chain: read as Markdown or as text.

    python bench/markdown_pages.py [--data ../shared] [--set devset|wcxb] [--keep DIR] [-j 1]

Each page of the set (the devset's 208 HTML pages, or wcxb-dev's 1,310) is turned into
Markdown as a crawler that converts whole pages does (markdownify, from the ``bench``
extra: ATX headings, ``*`` bullets, links and images with their addresses; scripts, styles,
``template``, ``svg`` and the ``head`` left out first), and written twice: as
``NAME.md``, which the Markdown reader reads as the text it shows, and as ``NAME.txt``, the
same bytes read as plain text (``markdown.detect`` off) and as the chain reads them by
default (recognised as Markdown by their links). They go through ``clean-corpus run`` and are
scored with the set's own scorer (``tools/score_devset.py`` or ``tools/score_wcxb.py``,
the records' sources renamed to the page files they came from); printed side by side, with
how many records still hold a link's address (``](http``) or an image's (``![``).
"""
from __future__ import annotations

import argparse
import gzip
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

#: What a crawler leaves out before converting (no text a reader sees). ``noscript`` stays:
#: a crawler that runs no script reads it, as the scraper does (a Discourse thread's posts)
DROPPED = "//script|//style|//template|//head|//svg"


def to_markdown(raw: bytes) -> str | None:
    """The page as Markdown, or None when it does not parse. The bytes are decoded as the
    chain decodes a page (its declared charset, else detection), as a crawler would."""
    import lxml.html
    from markdownify import markdownify

    from clean_corpus_plugins.readers import decode

    text, _ = decode(raw)
    # lxml refuses a str that declares its own encoding
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    try:
        root = lxml.html.document_fromstring(text)
    except (ValueError, lxml.etree.ParserError):
        return None
    for element in root.xpath(DROPPED):
        element.drop_tree()
    return markdownify(lxml.html.tostring(root, encoding="unicode"), heading_style="ATX")


def write_pages(pages: list[Path], md_dir: Path, txt_dir: Path) -> int:
    written = 0
    for page in pages:
        raw = page.read_bytes()
        if page.name.endswith(".gz"):
            raw = gzip.decompress(raw)
        markdown = to_markdown(raw)
        if markdown is None:
            continue
        name = page.name.removesuffix(".gz")
        (md_dir / f"{name}.md").write_text(markdown, encoding="utf-8")
        (txt_dir / f"{name}.txt").write_text(markdown, encoding="utf-8")
        written += 1
    return written


def run_and_score(folder: Path, out: Path, scorer: Path, jobs: int,
                  options: tuple[str, ...] = ()) -> tuple[str, int]:
    """The scorer's summary of the chain's records on ``folder``, and how many records still
    hold a Markdown link or image."""
    clean_corpus = Path(sys.executable).with_name("clean-corpus")
    subprocess.run([str(clean_corpus), "run", str(folder), "-o", str(out), "-j", str(jobs),
                    "--no-progress", "-q", "--timeout", "600",  # a busy machine fails no page
                    *options], check=False, capture_output=True)
    renamed = out.with_suffix(".scored.jsonl")
    marked = 0
    with open(out, encoding="utf-8") as src, open(renamed, "w", encoding="utf-8") as dst:
        for line in src:
            record = json.loads(line)
            # NAME.html.md and NAME.html.txt are both the page NAME.html to the scorers
            record["source"] = re.sub(r"\.(md|txt)$", "", record["source"])
            marked += bool(re.search(r"\]\(https?:|!\[", record.get("text") or ""))
            dst.write(json.dumps(record, ensure_ascii=False) + "\n")
    done = subprocess.run([sys.executable, str(scorer), str(renamed)], check=True,
                          capture_output=True, text=True)
    summary = [line.strip() for line in done.stdout.splitlines()
               if line.startswith(("pages", "F1"))]  # devset: boilerplate left, then F1
    return "; ".join(summary), marked


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared"))
    ap.add_argument("--set", choices=("devset", "wcxb"), default="devset")
    ap.add_argument("--keep", type=Path, help="write the pages and records here")
    ap.add_argument("-j", "--jobs", type=int, default=1)
    args = ap.parse_args(argv)
    if args.set == "devset":
        pages = sorted((args.data / "devset" / "html").iterdir())
        scorer = args.data / "tools" / "score_devset.py"
    else:
        pages = sorted((args.data / "wcxb-dev" / "pages").glob("*.html.gz"))
        scorer = args.data / "tools" / "score_wcxb.py"
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        md_dir, txt_dir = work / "markdown", work / "as-text"
        md_dir.mkdir(parents=True, exist_ok=True)
        txt_dir.mkdir(parents=True, exist_ok=True)
        written = write_pages(pages, md_dir, txt_dir)
        print(f"{args.set}: {written} of {len(pages)} pages as Markdown")
        for label, folder, options in (
                ("read as plain text (.txt)", txt_dir, ("--set", "markdown.detect=false")),
                ("recognised (.txt, default)", txt_dir, ()),
                ("read as Markdown (.md)", md_dir, ())):
            out = work / f"{folder.name}{'-plain' if options else ''}.jsonl"
            summary, marked = run_and_score(folder, out, scorer, args.jobs, options)
            print(f"  {label:<28} {summary}; records with a link or image address: {marked}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
