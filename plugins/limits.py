"""Basic admission rules: inputs too large, too heavy to parse or empty, documents left
with no text."""
from __future__ import annotations

import re

from clean_corpus import Plugin, hookimpl
from clean_corpus.plugin import check_option_type


class SizeLimit(Plugin):
    """Refuse inputs over ``max_bytes`` (the run's ``max_bytes`` unless set here).

    A 20 MB single-line "article" is a scraping accident, and cleaning it would cost more
    than the rest of a batch; it is rejected up front with its size in the reason. Readers
    never read more of a file than the run's ``max_bytes``: a larger file reaches this check
    with its size and no content.
    """

    name = "size_limit"
    defaults = {"max_bytes": None}  # None: the run's ``[run] max_bytes``

    @hookimpl
    def configure(self, config):
        super().configure(config)
        if self.options["max_bytes"] is None:
            self.options["max_bytes"] = config.max_bytes
        check_option_type(self.name, "max_bytes", self.options["max_bytes"], config.max_bytes)

    @hookimpl
    def screen(self, document):
        raw = document.html if document.html is not None else (document.text or "")
        size = document.input_bytes
        if size is None:
            size = len(raw.encode("utf-8", "surrogatepass"))
        limit = int(self.options["max_bytes"])
        if size > limit:
            return f"input too large: {size:,} bytes > max_bytes {limit:,}"
        if not raw.strip():
            return "empty input"
        return None


class EmptyText(Plugin):
    """Drop documents with no text left after extraction and cleaning."""

    name = "empty_text"
    defaults = {"min_chars": 1}

    @hookimpl(trylast=True)
    def judge(self, document):
        chars = len(document.clean_text.strip())
        if chars < int(self.options["min_chars"]):
            return "no text left after extraction and cleaning" if not chars \
                else f"text too short: {chars} chars < min_chars {self.options['min_chars']}"
        return None


class MarkupLimit(Plugin):
    """Refuse pages with a tag holding more than ``max_attributes`` attributes.

    The parser's cost for one tag grows with the square of its attribute count (a tag with
    30,000 attributes takes seconds, 100,000 more than the time limit); no real page comes
    near 1,000. The check is one linear scan of the page's long tags, before any parse.
    Only ``name=value`` attributes of real tags are counted: the text of scripts, styles
    and comments, and markup escaped inside an attribute value (an SVG path's thousands of
    "L 10 20" steps), are no attributes. A tag of thousands of bare names (``<p a b c``)
    is left to the time limit.
    """

    name = "markup_limit"
    defaults = {"max_attributes": 1000}

    @hookimpl
    def screen(self, document):
        if document.html is None:
            return None
        limit = int(self.options["max_attributes"])
        # A tag with more than ``limit`` attributes is at least ``4 * limit`` characters
        # long (" a=1" each): only those are counted.
        long_tag = re.compile(r"<[A-Za-z][-\w:]*\s[^<>]{%d,}" % (4 * limit))
        if not long_tag.search(document.html):
            return None  # most pages: no tag that long anywhere
        for markup in _outside_raw_text(document.html):
            for match in long_tag.finditer(markup):
                count = len(_ATTRIBUTE.findall(match.group()))
                if count > limit:
                    return (f"markup too heavy to parse: a tag with {count:,} attributes > "
                            f"max_attributes {limit:,}")
        return None


_RAW_TEXT = re.compile(r"<(?:(script|style|textarea)\b|!--)", re.IGNORECASE)


def _outside_raw_text(html: str):
    """The stretches of ``html`` outside scripts, styles, text areas and comments, whose
    text a parser reads as text, not tags. One pass: each end is found by ``str.find``
    from where its start was."""
    lower = None
    position = 0
    while match := _RAW_TEXT.search(html, position):
        yield html[position:match.start()]
        if match.group(1):
            lower = html.lower() if lower is None else lower
            end = lower.find(f"</{match.group(1).lower()}", match.end())
        else:
            end = html.find("-->", match.end())
        if end < 0:
            return
        position = end
    yield html[position:]


# One attribute: a name after whitespace, "=", and its value, quoted or not. A match starts
# only where a run of whitespace starts, and each part stops at the first character that
# ends it: one pass over the tag.
_ATTRIBUTE = re.compile(r"""(?<!\s)\s+[A-Za-z_:][-\w:.]*\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+)""")
