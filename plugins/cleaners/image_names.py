"""Drop lines that are nothing but image or file names left over from the page.

Where it earns its place: HTML articles (trafilatura's path) and short texts, which no
classifier cleans; on whole-page text the classifier does this work (ablation in
docs/classifier-experiments.md, "Rule cleaners, one by one").
"""
from __future__ import annotations

import re

from clean_corpus import Plugin, hookimpl

#: Extensions of the files whose names leak into extracted text (images, mostly).
EXTENSIONS = ("jpg", "jpeg", "png", "gif", "webp", "svg", "bmp", "tif", "tiff", "avif",
              "heic", "pdf", "mp4", "mp3", "webm", "mov")

# One fragment: an optional URL scheme or path, a file name with one of the extensions,
# an optional query string, and the brackets or parentheses of a markdown image around it.
_FRAGMENT = re.compile(
    r"[(\[!<\"']*(?:https?://)?[\w\-.~%/:@+=&,]*?[\w\-~%+]\.(?:" + "|".join(EXTENSIONS)
    + r")(?:\?[\w\-.~%/=&;:+]*)?[)\]>\"'.,;]*", re.IGNORECASE)


def is_file_fragment_line(line: str) -> bool:
    """True when every word of ``line`` is a file name, path or URL of a listed file type."""
    if "." not in line:  # every file name has its extension after a dot
        return False
    tokens = line.split()
    return bool(tokens) and all(_FRAGMENT.fullmatch(token) for token in tokens)


class ImageNames(Plugin):
    """Remove lines made only of image/file-name fragments.

    Text scraped from pages keeps bits of the image markup it was cut from, such as
    ``/2014/11/08/RTR2VHB6_1.jpg)`` or ``image.jpeg``. A line is removed only when every
    word of it is such a fragment, so a sentence that names a file (``see plan.pdf``) stays.
    """

    name = "image_names"

    @hookimpl
    def clean(self, document):
        for block in list(document.blocks):
            if "." not in block.text and block.text.strip():
                continue  # no file name in it (the usual case)
            lines = block.text.split("\n")
            if all(is_file_fragment_line(line) for line in lines if line.strip()):
                document.drop_block(block, self.name, "image or file name fragment")
                continue
            # A multi-line block (an HTML paragraph with <br>) may carry one such line.
            offset = 0
            spans = []
            for line in lines:
                if is_file_fragment_line(line):
                    # Take the line break with the line, so no empty line is left behind.
                    start, end = offset, offset + len(line)
                    spans.append((start - 1, end) if start else (start, end + 1))
                offset += len(line) + 1
            for start, end in reversed(spans):
                document.cut(block, start, end, self.name, "image or file name fragment")
