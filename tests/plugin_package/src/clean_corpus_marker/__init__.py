"""Example third-party plugins for clean-corpus.

``marker_lines`` drops every line (block) that carries a configurable marker, such as the
``[AD]`` tags a content system leaves in exported text, and says in ``detections`` how many
it dropped. ``keep_first`` keeps the first N blocks of a document, for teaser corpora. The
two give different results in different chain orders, which is what ordering is for.
"""
from clean_corpus import Plugin, hookimpl

__version__ = "1.2.0"


class MarkerLines(Plugin):
    """Drop blocks containing ``marker``; report the count in ``detections["marker_lines"]``."""

    name = "marker_lines"
    defaults = {"marker": "[AD]"}

    @hookimpl
    def clean(self, document):
        marker = self.options["marker"]
        for block in [b for b in document.blocks if marker in b.text]:
            document.drop_block(block, self.name, f"line carries the marker {marker!r}")

    @hookimpl
    def detect(self, document):
        marker = self.options["marker"]
        dropped = sum(1 for r in document.removed if r.plugin == self.name)
        document.detections[self.name] = {"marker": marker, "lines": dropped}


class KeepFirst(Plugin):
    """Keep the first ``blocks`` blocks of each document (0 keeps everything)."""

    name = "keep_first"
    defaults = {"blocks": 0}

    @hookimpl
    def clean(self, document):
        keep = int(self.options["blocks"])
        if keep > 0:
            document.drop_blocks(document.blocks[keep:], self.name,
                                 f"beyond the first {keep} blocks")
