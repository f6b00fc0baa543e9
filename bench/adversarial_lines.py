"""Cost of each cleaner and detector on long adversarial lines, at two lengths.

    .venv/bin/python bench/adversarial_lines.py [--length 20000] [--plugins a,b]

For every pattern of hostile line (a run of one punctuation mark, of spaces or line
separators, one endless token, a phrase repeated, lexicon words followed by junk) and every
plugin on the ``clean`` and ``detect`` hooks, prints the seconds one block of ``length`` and
of twice that length take, and their ratio. Linear work doubles (ratio about 2); a ratio
near 4 or above is a cost that grows with the square of the line. The machine may be
shared: compare ratios, not seconds.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from clean_corpus.config import Config
from clean_corpus.document import Block, Document
from clean_corpus.plugins import PluginRegistry

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from hostile import LINES  # noqa: E402  (the tests' generator of hostile lines)

def blocks_for(line: str) -> list[list[Block]]:
    """The line as prose, as a link-dense list item, and amid ordinary paragraphs."""
    prose = "Le conseil municipal a voté le budget de la ville après trois heures de débat."
    return [[Block(line, "p")], [Block(line, "item", link_chars=len(line))],
            [Block(prose, "head"), Block(line, "p"), Block(prose, "p")]]


def cost(function, line: str) -> float:
    started = time.perf_counter()
    for blocks in blocks_for(line):
        doc = Document(source="bench", text=line)
        doc.blocks = [Block(b.text, b.kind, b.link_chars) for b in blocks]
        function(document=doc)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--length", type=int, default=20000)
    parser.add_argument("--plugins", help="comma-separated plugin names (default: all)")
    args = parser.parse_args()
    registry = PluginRegistry(Config())
    wanted = set(args.plugins.split(",")) if args.plugins else None
    impls = [impl for hook in ("clean", "detect")
             for impl in reversed(getattr(registry.hook, hook).get_hookimpls())
             if wanted is None or impl.plugin_name in wanted]
    worst = []
    for name, make in LINES.items():
        short, long_ = make(args.length), make(2 * args.length)
        for impl in impls:
            a, b = cost(impl.function, short), cost(impl.function, long_)
            worst.append((b, b / max(a, 1e-3), impl.plugin_name, name))
    worst.sort(reverse=True)
    print(f"{'ratio':>6} {'seconds':>8}  plugin / line  (length {args.length} then "
          f"{2 * args.length}; ratio 2 = linear)")
    for seconds, ratio, plugin, name in worst[:25]:
        print(f"{ratio:6.1f} {seconds:8.3f}  {plugin} / {name}")
    print(f"total seconds at the longer length: {sum(w[0] for w in worst):.2f}")


if __name__ == "__main__":
    main()
