"""Where the HTML extractor loses word F1 on wcxb-dev: its out-of-fold records' missing and
extra words, page by page, put down to the kind of text they are and where the page held it.

    python bench/html_losses.py --cache CACHE [--data ../shared] [--type article] [--show K]

``CACHE`` is the ``--cache`` of ``bench/eval_classifier.py --forms html`` (its pages, fold
results and the trafilatura plugin's blocks are read back; nothing is trained here). Each
page's record is made as there (:func:`eval_classifier.combination`). Word F1's loss splits
exactly into words: with ``O`` the words shared, ``M`` the reference's words missing and
``E`` the record's extra words, ``1 - F1 = (M + E) / (|record| + |reference|)``, so each
missing or extra word costs its page ``1 / (|record| + |reference|)``. Missing words are put
down to the reference line they belong to (lines the record holds best claim the shared
words first), extra words to the record block they come from (likewise); each line and
block gets one cause. The table gives, per cause, the pages where it costs at least 0.01
and its share of the mean F1 (the mean over all pages of what it costs each).
"""
from __future__ import annotations

import argparse
import collections
import gzip
import json
import pickle
import sys
from pathlib import Path


sys.path.insert(0, str(Path(__file__).parent))
from eval_classifier import TYPES, combination  # noqa: E402

from clean_corpus_plugins.boilerplate.html_extract import HtmlExtractor  # noqa: E402
from clean_corpus_plugins.boilerplate.labels import coverage, tokens  # noqa: E402

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
#: class/id words that name a region of other content than the page's own
OTHER_WORDS = {"comment": "comments", "comments": "comments", "reply": "comments",
               "related": "related/recommended", "recommended": "related/recommended",
               "popular": "related/recommended", "more": "related/recommended",
               "share": "share/social", "social": "share/social", "author": "author box",
               "bio": "author box", "tag": "tags/categories", "tags": "tags/categories",
               "category": "tags/categories", "categories": "tags/categories",
               "breadcrumb": "breadcrumbs", "breadcrumbs": "breadcrumbs",
               "newsletter": "newsletter/subscribe", "subscribe": "newsletter/subscribe",
               "cookie": "cookie/consent", "consent": "cookie/consent",
               "meta": "post meta (date, byline)", "byline": "post meta (date, byline)",
               "date": "post meta (date, byline)", "time": "post meta (date, byline)",
               "sidebar": "sidebar/widget", "widget": "sidebar/widget",
               "review": "reviews", "reviews": "reviews", "rating": "reviews"}
REGIONS = ("nav", "footer", "header", "aside", "form")


def shape(block) -> str:
    """What kind of text a DOM block is, from its tag and the tags above it."""
    if block.tag == "h1":
        return "headline (h1)"
    if block.tag in HEADINGS:
        return "heading"
    path = set(block.path[:4])
    for tag, name in (("figcaption", "caption"), ("caption", "caption"), ("pre", "code"),
                      ("code", "code"), ("blockquote", "quote"), ("td", "table cell"),
                      ("th", "table cell"), ("dd", "list item"), ("dt", "list item"),
                      ("li", "list item")):
        if block.tag == tag or tag in path:
            return name
    return "paragraph" if len(block.text.split()) >= 12 else "short line"


def region(block) -> str | None:
    """The kind of page region around a DOM block, when its tags or class/id words say."""
    near = [w for level in block.names[:4] for w in level]
    for word in near:
        if word in OTHER_WORDS:
            return OTHER_WORDS[word]
    for tag in REGIONS:
        if tag in block.tags_above:
            return tag
    return None


def word_grams(words: list[str]):
    """The word 3-grams of ``words`` (fewer words: one gram of them all)."""
    return zip(words, words[1:], words[2:]) if len(words) >= 3 else [tuple(words)]


class Grams:
    """Where each word 3-gram (and, for short texts, each word) of a page's blocks is."""

    def __init__(self, texts: list[str]):
        self.all = grams_of(["\n".join(texts)])
        self.at = collections.defaultdict(list)
        for i, text in enumerate(texts):
            words = tokens(text)
            for gram in word_grams(words):
                self.at[gram].append(i)

    def owner(self, text: str) -> int | None:
        """The block holding most of ``text``'s 3-grams (None: none of them)."""
        words = tokens(text)
        grams = word_grams(words)
        counts = collections.Counter(i for g in grams for i in set(self.at.get(g, ())))
        return counts.most_common(1)[0][0] if counts else None


#: Where a line the DOM blocks do not hold may sit in the page's source, looked for in order.
UNSEEN = (("noscript", "inside noscript"), ("script", "inside a script (data, rendered by it)"),
          ("button", "inside a form control"), ("select", "inside a form control"),
          ("textarea", "inside a form control"), ("template", "inside a template"))


def grams_of(texts) -> set:
    """The word 3-grams of ``texts`` (each text's own; a shorter text is one gram)."""
    out = set()
    for text in texts:
        out.update(word_grams(tokens(text)))
    return out


def held_in(text: str, grams: set) -> float:
    """The share of ``text``'s words that sit in one of ``grams`` (as labels.coverage)."""
    words = tokens(text)
    if len(words) < 3:
        return float(bool(words) and tuple(words) in grams)
    held = [False] * len(words)
    for i, gram in enumerate(zip(words, words[1:], words[2:])):
        if gram in grams:
            held[i] = held[i + 1] = held[i + 2] = True
    return sum(held) / len(words)


class Source:
    """The page's own HTML, read only for the lines no DOM block holds."""

    def __init__(self, data: Path, page_id: str):
        self.data, self.page_id, self._grams = data, page_id, None

    def grams(self) -> dict[str, set]:
        if self._grams is None:
            from lxml import html as lxml_html

            raw = gzip.decompress((self.data / "wcxb-dev" / "pages" /
                                   f"{self.page_id}.html.gz").read_bytes())
            self._grams = collections.defaultdict(set)
            try:
                tree = lxml_html.fromstring(raw.decode("utf-8", "replace"))
            except Exception:  # an empty or unparsable page
                return self._grams
            for tag, _ in UNSEEN:
                self._grams[tag] |= grams_of(e.text_content() for e in tree.iter(tag))
            self._grams["hidden"] = grams_of(
                e.text_content() for e in tree.xpath("//*[@hidden or @aria-hidden='true' or "
                                                    "contains(translate(@style,' ',''),"
                                                    "'display:none')]"))
            self._grams["page"] = grams_of([tree.text_content()])
        return self._grams

    def where(self, line: str) -> str:
        grams = self.grams()
        for tag, name in (*UNSEEN, ("hidden", "inside a hidden element")):
            if grams[tag] and held_in(line, grams[tag]) >= 0.5:
                return name
        if grams["page"] and held_in(line, grams["page"]) >= 0.5:
            return "elsewhere in the source (alt text, split by markup)"
        return "not in the page's text (rendered by script, re-encoded)"


def is_title(words: list[str], title_words: set[str]) -> bool:
    """Whether a short text is the page's title (four fifths of its words in it)."""
    return len(words) <= 20 and bool(title_words) and \
        sum(w in title_words for w in words) >= 0.8 * len(words)


def claim(units: list[list[str]], order, available: collections.Counter) -> list[int]:
    """Words of each unit not matched in ``available`` (consumed in ``order``)."""
    left = [0] * len(units)
    for u in order:
        for word in units[u]:
            if available[word] > 0:
                available[word] -= 1
            else:
                left[u] += 1
    return left


def analyse(page, extracted: list[str], result: dict, extractor, entry: dict, data: Path):
    """(cause, words) of every missing and extra word group of a page, the page's
    denominator (words of the record and of the reference) and the extra words of
    trafilatura's blocks by where they stand against the content it kept."""
    kept, add, dropped = combination(page, extracted, result, extractor)
    texts = [b.text for b in page.blocks]
    record = [(text, "trafilatura") for text in kept] + [(texts[i], "taken back") for i in add]
    ref_lines = [line for line in page.reference.split("\n") if tokens(line)]
    rec_tokens = [tokens(t) for t, _ in record]
    ref_tokens = [tokens(line) for line in ref_lines]
    denominator = sum(map(len, rec_tokens)) + sum(map(len, ref_tokens))
    if not denominator:
        return [], 0, {}
    out = []
    source = Source(data, page.id)
    record_text = "\n".join(t for t, _ in record)
    threshold = extractor.threshold(result["type"])
    grams = Grams(texts)
    held = coverage(texts, "\n".join(extracted)) if texts else []
    title_words = set(tokens(entry.get("title") or ""))

    # missing words, by reference line
    held_line = coverage(ref_lines, record_text) if ref_lines else []
    order = sorted(range(len(ref_lines)), key=lambda i: -held_line[i])
    missing = claim(ref_tokens, order, collections.Counter(w for ws in rec_tokens for w in ws))
    for i, count in enumerate(missing):
        if not count:
            continue
        line = ref_lines[i]
        words = ref_tokens[i]
        owner = grams.owner(line)
        if held_line[i] >= 0.5:
            cause = "missing: words of a line mostly kept"
        elif owner is None or held_in(line, grams.all) < 0.5:
            cause = f"missing: not in the DOM blocks, {source.where(line)}"
        else:
            block = page.blocks[owner]
            kind = "title/headline" if is_title(words, title_words) else shape(block)
            if held[owner] >= 0.5:
                cause = f"missing: dropped by the classifier ({kind})"
            elif result["p"][owner] >= threshold:
                cause = f"missing: rated above the threshold, not taken ({kind})"
            else:
                cause = f"missing: trafilatura left it, rated under the threshold ({kind})"
        out.append((cause, count))

    # extra words, by record block
    held_block = coverage([t for t, _ in record], page.reference)
    order = sorted(range(len(record)), key=lambda i: -held_block[i])
    extra = claim(rec_tokens, order, collections.Counter(w for ws in ref_tokens for w in ws))
    seen = collections.Counter()
    content = [j for j, (_, origin) in enumerate(record)
               if origin == "trafilatura" and held_block[j] >= 0.5]
    placed = collections.Counter()
    for j, count in enumerate(extra):
        if count and record[j][1] == "trafilatura" and held_block[j] < 0.5:
            placed["before the content" if not content or j < content[0] else
                   "after the content" if j > content[-1] else "among the content"] += count
        text, origin = record[j]
        key = " ".join(rec_tokens[j])
        seen[key] += 1
        if not count:
            continue
        if held_block[j] >= 0.5:
            cause = f"extra ({origin}): words of a block mostly content"
        elif seen[key] > 1 and len(rec_tokens[j]) >= 4:
            cause = f"extra ({origin}): a block repeated"
        else:
            owner = grams.owner(text)
            if owner is None:
                cause = f"extra ({origin}): text no DOM block holds"
            else:
                block = page.blocks[owner]
                words = rec_tokens[j]
                kind = "title/headline" if is_title(words, title_words) \
                    else region(block) or shape(block)
                cause = f"extra ({origin}): {kind}"
        out.append((cause, count))
    return out, denominator, placed


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", type=Path, required=True,
                    help="eval_classifier.py --forms html's --cache")
    ap.add_argument("--data", type=Path, default=Path("../shared"))
    ap.add_argument("--type", choices=TYPES, help="only pages of this (true) type")
    ap.add_argument("--show", type=int, default=0, metavar="K",
                    help="print the K pages a cause costs most, for each cause")
    ap.add_argument("--min-cost", type=float, default=0.01,
                    help="a page counts for a cause when the cause costs it this much F1")
    args = ap.parse_args(argv)

    pages = pickle.loads(args.cache.with_suffix(".html.pkl").read_bytes())
    results = pickle.loads(args.cache.with_suffix(".html-cv.pkl").read_bytes())
    plugin = pickle.loads(args.cache.with_suffix(".plugin.pkl").read_bytes())
    index = args.data / "wcxb-dev" / "index.jsonl.gz"
    entries = {e["id"]: e for e in map(json.loads, gzip.open(index, "rt", encoding="utf-8"))}
    if args.type:
        pages = [p for p in pages if p.type == args.type]
    extractor = HtmlExtractor()

    cost = collections.defaultdict(dict)  # cause -> page id -> F1 it costs the page
    loss = {}
    places = collections.defaultdict(dict)
    for page in pages:
        groups, denominator, placed = analyse(page, plugin[page.id], results[page.id],
                                              extractor, entries[page.id], args.data)
        for where, count in placed.items():
            places[where][page.id] = count / denominator
        total = 0.0
        for cause, count in groups:
            share = count / denominator
            cost[cause][page.id] = cost[cause].get(page.id, 0.0) + share
            total += share
        loss[page.id] = total  # no words on either side: F1 1

    n = len(pages)
    print(f"{n} pages{' (' + args.type + ')' if args.type else ''}: mean F1 "
          f"{1 - sum(loss.values()) / n:.4f}, loss {sum(loss.values()) / n:.4f}")
    for prefix in ("missing", "extra"):
        part = sum(v for c, d in cost.items() if c.startswith(prefix) for v in d.values()) / n
        print(f"  {prefix}: {part:.4f}")
    print(f"\n  {'cause':<78} {'pages':>5} {'F1 share':>8}")
    for cause, by_page in sorted(cost.items(), key=lambda kv: -sum(kv[1].values())):
        share = sum(by_page.values()) / n
        if share < 0.0005:
            continue
        pages_hit = sum(v >= args.min_cost for v in by_page.values())
        print(f"  {cause:<78} {pages_hit:>5} {share:8.4f}")
        if args.show:
            worst = sorted(by_page.items(), key=lambda kv: -kv[1])[:args.show]
            print("      " + ", ".join(f"{pid} {v:.3f}" for pid, v in worst))
    print("\n  trafilatura's extra words (not in a block mostly content), by where they stand:")
    for where, by_page in sorted(places.items(), key=lambda kv: -sum(kv[1].values())):
        pages_hit = sum(v >= args.min_cost for v in by_page.values())
        print(f"  {where:<78} {pages_hit:>5} {sum(by_page.values()) / n:8.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
