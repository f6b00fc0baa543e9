"""The explain report: HTML pages a person reads in a browser to see what cleaning did.

One page per document shows its text as cleaning found it, every removed span highlighted
in its plugin's colour (hover: plugin, reason, score), what extraction left out of an HTML
page, the fields lifted out of the text and what the detectors found. A run's overview
(``index.html``) counts documents, removals per plugin and reason, languages and page
types, and links to every document's page. Every file stands alone: styles, scripts and
plots are inline, nothing is fetched.
"""
from __future__ import annotations

import hashlib
import html
import json
import os
from collections import Counter
from pathlib import Path

from clean_corpus.document import META_FIELDS
from clean_corpus.pipeline import FAILED, REJECTED, WRITTEN, Outcome

#: Where the explain plugin leaves what extraction did not keep (see ``left_out``).
LEFT_OUT = "left_out"
#: The plugin that finds it; a report needs it enabled.
LEFT_OUT_PLUGIN = "left_out"

_CSS = """
:root { --ink:#1d2433; --muted:#5b6475; --line:#e3e6ec; --paper:#fbfbfd; --accent:#2f5fd0; }
* { box-sizing: border-box; }
body { margin:0; font:15px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
       color:var(--ink); background:var(--paper); }
header.top { background:#1d2433; color:#fff; padding:14px 28px; }
header.top a { color:#c9d6ff; } header.top .crumbs { font-size:13px; color:#aab3c5; }
header.top h1 { margin:4px 0 2px; font-size:22px; font-weight:600; }
main { max-width:1120px; margin:0 auto; padding:18px 28px 60px; }
h2 { font-size:17px; margin:28px 0 10px; padding-bottom:4px; border-bottom:1px solid var(--line); }
.muted { color:var(--muted); } .small { font-size:13px; }
.cards { display:flex; flex-wrap:wrap; gap:12px; margin:10px 0; }
.card { background:#fff; border:1px solid var(--line); border-radius:8px; padding:10px 16px;
        min-width:130px; }
.card .figure { font-size:26px; font-weight:650; } .card .label { color:var(--muted); font-size:13px; }
.card.written .figure { color:#1d7a46; } .card.rejected .figure { color:#a86400; }
.card.failed .figure { color:#b3261e; }
table { border-collapse:collapse; width:100%; background:#fff; border:1px solid var(--line);
        border-radius:8px; overflow:hidden; font-size:14px; }
th, td { text-align:left; padding:6px 10px; border-bottom:1px solid var(--line); vertical-align:top; }
th { background:#f1f3f7; font-weight:600; } td.num, th.num { text-align:right; font-variant-numeric:tabular-nums; }
tr:last-child td { border-bottom:none; }
.badge { display:inline-block; padding:1px 9px; border-radius:10px; font-size:12px; font-weight:600; }
.badge.written { background:#dff3e7; color:#1d7a46; } .badge.rejected { background:#fdebd0; color:#8a5200; }
.badge.failed { background:#fbe0de; color:#b3261e; }
.legend { display:flex; flex-wrap:wrap; gap:8px; margin:8px 0 12px; }
.legend label { display:inline-flex; align-items:center; gap:6px; background:#fff;
                border:1px solid var(--line); border-radius:14px; padding:2px 10px 2px 6px;
                font-size:13px; cursor:pointer; user-select:none; }
.swatch { width:14px; height:14px; border-radius:3px; display:inline-block; border:1px solid #0002; }
.doctext { background:#fff; border:1px solid var(--line); border-radius:8px; padding:18px 22px;
           white-space:pre-wrap; overflow-wrap:anywhere; font-size:15.5px; line-height:1.65; }
.rm { position:relative; border-radius:3px; padding:1px 2px; text-decoration:line-through;
      text-decoration-color:#0005; cursor:help; }
.rm.blk { display:block; padding:4px 8px; margin:2px 0; border-left:4px solid #0003; }
.rm.blk::before { content:attr(data-plugin); float:right; margin-left:12px; font-size:11.5px;
      color:#1d2433a0; text-decoration:none; display:inline-block; }
.rm:hover { outline:2px solid #1d2433; text-decoration:none; }
.rm:hover::after { content:attr(data-tip); position:absolute; left:0; top:100%; z-index:10;
      margin-top:4px; background:#1d2433; color:#fff; padding:5px 9px; border-radius:5px;
      font-size:12.5px; line-height:1.4; white-space:pre; text-decoration:none; }
body.only-kept .rm, body.only-kept .gap { display:none; }
.sep { display:none; } body.only-kept .sep { display:inline; }
.toolbar { display:flex; gap:10px; align-items:center; margin:6px 0; font-size:13px; }
button { font:inherit; font-size:13px; border:1px solid var(--line); background:#fff;
         border-radius:6px; padding:3px 10px; cursor:pointer; }
ul.leftout { background:#fff; border:1px solid var(--line); border-radius:8px; margin:0;
             padding:8px 14px 8px 34px; max-height:420px; overflow:auto; font-size:14px; }
ul.leftout li { margin:2px 0; } ul.leftout code { color:var(--muted); font-size:12px; }
pre.json { margin:0; white-space:pre-wrap; font-size:12.5px; }
svg text { font:12px system-ui,sans-serif; fill:#1d2433; } svg .val { fill:#5b6475; }
input.filter { font:inherit; padding:4px 8px; border:1px solid var(--line); border-radius:6px;
               width:320px; margin:4px 0 8px; }
.grid2 { display:grid; grid-template-columns:1fr 1fr; gap:22px; }
@media (max-width:900px) { .grid2 { grid-template-columns:1fr; } }
"""

_DOC_JS = """
document.querySelectorAll('.legend input').forEach(function (box) {
  box.addEventListener('change', function () {
    document.querySelectorAll('.rm[data-plugin="' + box.value + '"]').forEach(function (el) {
      el.style.display = box.checked ? '' : 'none';
    });
  });
});
var toggle = document.getElementById('only-kept');
if (toggle) toggle.addEventListener('click', function () {
  document.body.classList.toggle('only-kept');
  toggle.textContent = document.body.classList.contains('only-kept')
    ? 'show removed spans' : 'show the record\\'s text only';
});
"""

_INDEX_JS = """
var filter = document.getElementById('filter');
if (filter) filter.addEventListener('input', function () {
  var q = filter.value.toLowerCase();
  document.querySelectorAll('#documents tbody tr').forEach(function (row) {
    row.style.display = row.textContent.toLowerCase().indexOf(q) >= 0 ? '' : 'none';
  });
});
"""


def _e(value) -> str:
    return html.escape(str(value), quote=True)


class Colours:
    """A colour of its own for each plugin, the same on every page of a report.

    Plugins named up front (the chain, in order) get hues a golden angle apart, so that
    neighbours in the chain look different; any other plugin gets a hue from its name.
    """

    def __init__(self, plugins: list[str] = ()):
        self.hues = {name: round(i * 137.508) % 360 for i, name in enumerate(plugins)}

    def hue(self, plugin: str) -> int:
        if plugin not in self.hues:
            return int(hashlib.sha1(plugin.encode("utf-8")).hexdigest()[:4], 16) % 360
        return self.hues[plugin]

    def light(self, plugin: str) -> str:
        """For highlighting text: light enough to read black on it."""
        return f"hsl({self.hue(plugin)}, 80%, 83%)"

    def strong(self, plugin: str) -> str:
        """For plots."""
        return f"hsl({self.hue(plugin)}, 62%, 62%)"


def _page(title: str, crumbs: str, body: str, script: str) -> str:
    return (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{_e(title)}</title><style>{_CSS}</style></head>\n"
            f"<body><header class=\"top\"><div class=\"crumbs\">{crumbs}</div>"
            f"<h1>{_e(title)}</h1></header>\n<main>{body}</main>\n"
            f"<script>{script}</script></body></html>\n")


# ------------------------------------------------------------------- one document
def entry_of(outcome: Outcome) -> dict:
    """What a report shows of one outcome (plain data: it may be kept for the overview)."""
    doc = outcome.document
    record = outcome.record if outcome.status != FAILED else None
    return {"status": outcome.status, "source": outcome.source,
            "id": doc.id if doc is not None else None,
            "reasons": list(outcome.reasons), "plugin": outcome.plugin, "error": outcome.error,
            "record": record,
            "left_out": doc.signatures.get(LEFT_OUT) if doc is not None else None}


def page_type(record: dict | None) -> str | None:
    """The page type a record carries, when a plugin set one."""
    if not record:
        return None
    value = record.get("page_type") or (record.get("detections") or {}).get("page_type")
    if isinstance(value, dict):
        value = value.get("type") or value.get("label")
    return value if isinstance(value, str) else None


def _placed(record: dict) -> tuple[list[tuple[str, object]], list[dict]]:
    """The record's text with its removed spans put back in page order, as pieces
    ``("kept", text)`` / ``("removed", span)``; and the spans with no place."""
    text = record.get("text") or ""
    removed = record.get("removed") or []
    placed = sorted((r for r in removed if r.get("at") is not None),
                    key=lambda r: (r["at"], r.get("start") if r.get("start") is not None else -1))
    pieces, pos = [], 0
    for span in placed:
        at = min(max(span["at"], pos), len(text))
        if at > pos:
            pieces.append(("kept", text[pos:at]))
        pieces.append(("removed", span))
        pos = at
    if pos < len(text):
        pieces.append(("kept", text[pos:]))
    return pieces, [r for r in removed if r.get("at") is None]


def _tip(span: dict) -> str:
    tip = f"{span['plugin']}: {span['reason']}"
    if span.get("score") is not None:
        tip += f"\nscore {span['score']}"
    return tip


def _span_html(span: dict, block: bool, colours: Colours) -> str:
    score = f' data-score="{_e(span["score"])}"' if span.get("score") is not None else ""
    return (f'<span class="rm{" blk" if block else ""}" data-plugin="{_e(span["plugin"])}" '
            f'data-reason="{_e(span["reason"])}"{score} data-tip="{_e(_tip(span))}" '
            f'title="{_e(_tip(span))}" style="background:{colours.light(span["plugin"])}">'
            f'{_e(span["text"])}</span>')


_GAP = '<span class="gap"> </span>'
#: Paragraph breaks beside a span shown as a block: only needed when the spans are hidden.
_SEP = '<span class="sep">{}</span>'


def text_html(record: dict, colours: Colours) -> str:
    """The text as cleaning found it: kept text plain, removed spans highlighted in place.

    A span standing between paragraphs (or at either end) is shown as a block of its own,
    one inside a paragraph inline. The paragraph breaks and spaces around removed spans
    are marked, so that hiding the spans leaves the record's text exactly.
    """
    text = record.get("text") or ""
    pieces, _ = _placed(record)
    blocks = []
    for kind, value in pieces:  # first: which spans stand as blocks
        if kind == "kept":
            blocks.append(False)
        else:
            at = value["at"]
            blocks.append(at == 0 or at >= len(text) or text[at:at + 2] == "\n\n"
                          or text[max(0, at - 2):at] == "\n\n")
    out = []
    for i, (kind, value) in enumerate(pieces):
        before = pieces[i - 1] if i else None
        after = pieces[i + 1] if i + 1 < len(pieces) else None
        if kind == "kept":
            lead = len(value) - len(value.lstrip("\n")) if before and blocks[i - 1] else 0
            trail = len(value) - len(value.rstrip("\n")) if after and blocks[i + 1] else 0
            trail = min(trail, len(value) - lead)
            out.append(_SEP.format(value[:lead]) if lead else "")
            out.append(_e(value[lead:len(value) - trail]))
            out.append(_SEP.format(value[len(value) - trail:]) if trail else "")
            continue
        # an inline span needs a space from its neighbours, hidden with it
        if not blocks[i] and before and before[0] == "kept" and not before[1][-1].isspace():
            out.append(_GAP)
        out.append(_span_html(value, blocks[i], colours))
        if not blocks[i] and after and after[0] == "kept" and not after[1][0].isspace():
            out.append(_GAP)
    return "".join(out)


def _lifted_from(record: dict, value: str) -> str | None:
    """The plugin whose removed span held a field's value, when it came out of the text."""
    needle = value.strip().lower()[:60]
    for span in record.get("removed") or []:
        if needle and needle in span["text"].lower():
            return span["plugin"]
    return None


#: Fields cleaners lift out of the text (the others come from the page or a detector).
_LIFTED = ("title", "kicker", "description", "byline", "date", "section", "caption")


def _fields_html(record: dict) -> str:
    rows = []
    for name in (*META_FIELDS, "url"):
        value = record.get(name)
        if value in (None, "", []):
            continue
        shown = " › ".join(value) if isinstance(value, list) else str(value)
        origin = (_lifted_from(record, value[-1] if isinstance(value, list) else shown)
                  if name in _LIFTED else None)
        where = (f'lifted out of the text by <b>{_e(origin)}</b>' if origin
                 else "page metadata or detected")
        rows.append(f'<tr data-field="{_e(name)}"><th>{_e(name)}</th><td>{_e(shown)}</td>'
                    f'<td class="muted small">{where}</td></tr>')
    kind = page_type(record)
    if kind:
        rows.append(f'<tr data-field="page_type"><th>page type</th><td>{_e(kind)}</td>'
                    f'<td class="muted small">detected</td></tr>')
    if not rows:
        return '<p class="muted">No fields.</p>'
    return f"<table class=\"fields\">{''.join(rows)}</table>"


def _legend_html(record: dict, colours: Colours) -> str:
    counts = Counter(r["plugin"] for r in record.get("removed") or [])
    if not counts:
        return '<p class="muted">Nothing was removed.</p>'
    items = "".join(
        f'<label><input type="checkbox" value="{_e(p)}" checked>'
        f'<span class="swatch" style="background:{colours.light(p)}"></span>{_e(p)} '
        f'<span class="muted">{n}</span></label>' for p, n in sorted(counts.items()))
    return f'<div class="legend">{items}</div>'


def _left_out_html(entry: dict) -> str:
    left = entry.get("left_out")
    if left is None:
        return ('<p class="muted">Not an HTML page (or its page was not at hand): the text '
                'went to cleaning as it was read.</p>')
    if not left:
        return '<p class="muted">Extraction kept every block of the page\'s text.</p>'
    chars = sum(len(b["text"]) for b in left)
    items = "".join(f'<li class="dropped">{_e(b["text"])} <code>{_e(b["where"])}</code></li>'
                    for b in left)
    return (f'<p class="muted small">{len(left)} blocks, {chars} characters of the page\'s '
            f'text that extraction did not keep, in page order, each with the element it '
            f'sat in.</p><ul class="leftout">{items}</ul>')


def _detections_html(record: dict) -> str:
    detections = record.get("detections") or {}
    if not detections:
        return '<p class="muted">No detections.</p>'
    def shown(value) -> str:
        if isinstance(value, dict):
            return "\n".join(f"{k}: {json.dumps(v, ensure_ascii=False)}"
                             for k, v in sorted(value.items()))
        return json.dumps(value, ensure_ascii=False)

    rows = "".join(f'<tr data-detector="{_e(name)}"><th>{_e(name)}</th><td><pre class="json">'
                   f'{_e(shown(value))}</pre></td></tr>' for name, value in sorted(detections.items()))
    return f"<table>{rows}</table>"


def _status_html(entry: dict) -> str:
    status = entry["status"]
    badge = f'<span class="badge {status}" id="status">{status}</span>'
    if status == REJECTED:
        return badge + " " + "; ".join(_e(r) for r in entry["reasons"])
    if status == FAILED:
        return badge + f" in <b>{_e(entry['plugin'])}</b>: <code>{_e(entry['error'])}</code>"
    return badge


def document_html(entry: dict, overview: str | None = None,
                  colours: Colours | None = None) -> str:
    """The page of one document; ``overview`` is the link back to the run's overview."""
    colours = colours or Colours()
    record = entry.get("record")
    title = (record or {}).get("title") or Path(entry["source"]).name
    crumbs = (f'<a href="{_e(overview)}">overview</a> › ' if overview else "") + _e(entry["source"])
    parts = [f'<p>{_status_html(entry)}</p>']
    if record is None:
        parts.append('<p class="muted">No record: the document did not get through the '
                     'chain.</p>')
        return _page(title, crumbs, "".join(parts), _DOC_JS)
    removed = record.get("removed") or []
    kept = len(record.get("text") or "")
    gone = sum(len(r["text"]) for r in removed)
    parts.append(
        f'<div class="cards"><div class="card"><div class="figure" id="kept-chars">{kept}</div>'
        f'<div class="label">characters kept</div></div>'
        f'<div class="card"><div class="figure" id="removed-spans">{len(removed)}</div>'
        f'<div class="label">spans removed ({gone} characters)</div></div>'
        f'<div class="card"><div class="figure">{len(entry.get("left_out") or [])}</div>'
        f'<div class="label">blocks left out by extraction</div></div></div>')
    parts.append('<h2>The text, as cleaning found it</h2>'
                 '<p class="muted small">Removed spans are highlighted in the colour of the '
                 'plugin that removed them; hover over one for the plugin, the reason and '
                 'the score. Untick a plugin to hide its spans.</p>')
    parts.append(_legend_html(record, colours))
    parts.append('<div class="toolbar"><button id="only-kept" type="button">show the '
                 'record\'s text only</button></div>')
    parts.append(f'<div class="doctext" id="text">{text_html(record, colours)}</div>')
    _, unplaced = _placed(record)
    if unplaced:
        parts.append('<p class="muted small">Removed without a place in the text:</p>'
                     + "".join(f'<p>{_span_html(r, True, colours)}</p>' for r in unplaced))
    parts.append('<h2>What extraction left out</h2>' + _left_out_html(entry))
    parts.append('<div class="grid2"><section><h2>Fields</h2>' + _fields_html(record)
                 + '</section><section><h2>Detections</h2>' + _detections_html(record)
                 + '</section></div>')
    return _page(title, crumbs, "".join(parts), _DOC_JS)


# -------------------------------------------------------------------------- plots
def bar_chart(rows: list[tuple[str, int]], colour=lambda label: "#6d8fe8",
              unit: str = "") -> str:
    """Horizontal bars, one per ``(label, value)``, as inline SVG."""
    if not rows:
        return '<p class="muted">None.</p>'
    label_w = min(260, 16 + 7 * max(len(label) for label, _ in rows))
    bar_w, row_h = 330, 22
    top = max(value for _, value in rows) or 1
    height = row_h * len(rows) + 6
    items = []
    for i, (label, value) in enumerate(rows):
        y = 3 + i * row_h
        w = max(1.0, bar_w * value / top)
        items.append(
            f'<g class="bar" data-label="{_e(label)}" data-value="{value}">'
            f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end">{_e(label[:40])}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}" rx="3" '
            f'fill="{colour(label)}"><title>{_e(label)}: {value}{unit}</title></rect>'
            f'<text class="val" x="{label_w + w + 6:.1f}" y="{y + 15}">{value}{unit}</text></g>')
    width = label_w + bar_w + 70
    return (f'<svg role="img" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
            f'xmlns="http://www.w3.org/2000/svg">{"".join(items)}</svg>')


def histogram(values: list[float], bins: int = 10, label: str = "") -> str:
    """Counts of ``values`` (0.0 to 1.0) in equal bins, as inline SVG columns."""
    if not values:
        return '<p class="muted">None.</p>'
    counts = [0] * bins
    for value in values:
        counts[min(bins - 1, max(0, int(value * bins)))] += 1
    top = max(counts) or 1
    col_w, plot_h, left, top_gap, bottom = 48, 150, 24, 22, 40
    base = top_gap + plot_h
    width, height = left + col_w * bins + 30, base + bottom
    items = [f'<line x1="{left}" y1="{base}" x2="{left + col_w * bins}" y2="{base}" '
             f'stroke="#b8bfcc"/>']
    for i, count in enumerate(counts):
        h = plot_h * count / top
        x, y = left + i * col_w, base - h
        lo, hi = round(100 * i / bins), round(100 * (i + 1) / bins)
        items.append(
            f'<g class="bin" data-count="{count}"><rect x="{x + 4}" y="{y:.1f}" '
            f'width="{col_w - 8}" height="{h:.1f}" rx="3" fill="#e08a57">'
            f'<title>{lo}–{hi} %: {count} documents</title></rect>'
            + (f'<text class="val" x="{x + col_w / 2}" y="{y - 5:.1f}" text-anchor="middle">'
               f'{count}</text>' if count else "")
            + f'<text x="{x}" y="{base + 16}" text-anchor="middle">{lo}%</text></g>')
    items.append(f'<text x="{left + col_w * bins}" y="{base + 16}" '
                 f'text-anchor="middle">100%</text>')
    items.append(f'<text class="val" x="{left}" y="{height - 4}">{_e(label)}</text>')
    return (f'<svg role="img" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
            f'xmlns="http://www.w3.org/2000/svg">{"".join(items)}</svg>')


# ------------------------------------------------------------------------ the run
class Report:
    """Writes a run's report into a directory: a page per document as outcomes arrive,
    and the overview (``index.html``) at the end, with the run's stats."""

    def __init__(self, directory: str | Path, plugins: list[str] = ()):
        self.directory = Path(directory)
        self.colours = Colours(plugins)
        (self.directory / "docs").mkdir(parents=True, exist_ok=True)
        self.rows: list[dict] = []
        self.status: Counter = Counter()
        self.rejected_reasons: Counter = Counter()
        self.failed_plugins: Counter = Counter()
        self.plugins: Counter = Counter()
        self.plugin_chars: Counter = Counter()
        self.reasons: Counter = Counter()
        self.languages: Counter = Counter()
        self.page_types: Counter = Counter()
        self.removed_shares: list[float] = []

    def __call__(self, outcome: Outcome) -> None:
        self.add(entry_of(outcome))

    def add(self, entry: dict) -> None:
        number = len(self.rows) + 1
        name = f"docs/{number:05d}-{entry['id'] or 'failed'}.html"
        (self.directory / name).write_text(document_html(entry, "../index.html", self.colours), encoding="utf-8")
        status, record = entry["status"], entry.get("record")
        self.status[status] += 1
        if status == REJECTED:
            self.rejected_reasons.update(entry["reasons"])
        elif status == FAILED:
            self.failed_plugins[entry["plugin"]] += 1
        if status == WRITTEN and record is not None:
            removed = record.get("removed") or []
            for span in removed:
                self.plugins[span["plugin"]] += 1
                self.plugin_chars[span["plugin"]] += len(span["text"])
                self.reasons[(span["plugin"], span["reason"])] += 1
            self.languages[record.get("language") or "none"] += 1
            self.page_types[page_type(record) or "not set"] += 1
            gone = sum(len(r["text"]) for r in removed)
            self.removed_shares.append(gone / max(1, gone + len(record.get("text") or "")))
        self.rows.append({
            "href": name, "source": entry["source"], "status": status,
            "title": (record or {}).get("title") or "",
            "language": (record or {}).get("language") or "",
            "page_type": page_type(record) or "",
            "kept": len((record or {}).get("text") or ""),
            "removed": len((record or {}).get("removed") or []),
            "left_out": len(entry.get("left_out") or []),
            "why": "; ".join(entry["reasons"]) if status == REJECTED
            else (f"{entry['plugin']}: {entry['error']}" if status == FAILED else "")})

    def close(self) -> Path:
        """Write the overview; returns its path."""
        index = self.directory / "index.html"
        index.write_text(self.overview_html(), encoding="utf-8")
        return index

    def overview_html(self) -> str:
        total = sum(self.status.values())
        # sources shown from the folder they share (the full path is the link's title)
        folders = [str(Path(row["source"]).parent) for row in self.rows]
        try:
            common = os.path.commonpath(folders) if folders else ""
        except ValueError:  # absolute and relative paths mixed, or URLs
            common = ""
        cards = "".join(
            f'<div class="card {key}"><div class="figure" data-stat="{key}">{value}</div>'
            f'<div class="label">{label}</div></div>'
            for key, value, label in (
                ("documents", total, "documents"), ("written", self.status[WRITTEN], "written"),
                ("rejected", self.status[REJECTED], "rejected"),
                ("failed", self.status[FAILED], "failed")))
        parts = [f'<div class="cards">{cards}</div>']
        parts.append('<div class="grid2"><section><h2>Why documents were rejected</h2>'
                     + _count_table(self.rejected_reasons, "reason", "rejected_reasons")
                     + '</section><section><h2>Where documents failed</h2>'
                     + _count_table(self.failed_plugins, "plugin", "failed_plugins")
                     + '</section></div>')
        parts.append('<h2>Removed spans per plugin <span class="muted small">(written records)'
                     '</span></h2><div class="grid2"><section class="plugins-spans">'
                     '<p class="muted small">spans</p>'
                     + bar_chart(self.plugins.most_common(), self.colours.strong)
                     + '</section><section class="plugins-chars"><p class="muted small">'
                     'characters</p>'
                     + bar_chart(self.plugin_chars.most_common(), self.colours.strong)
                     + '</section></div>')
        parts.append('<h2>Share of each document\'s text removed by cleaning</h2>'
                     + histogram(self.removed_shares, label="share of the extracted text "
                                 "removed (written records)"))
        parts.append('<div class="grid2"><section class="languages"><h2>Languages</h2>'
                     + bar_chart(self.languages.most_common())
                     + '</section><section class="page-types"><h2>Page types</h2>'
                     + bar_chart(self.page_types.most_common()) + '</section></div>')
        reason_rows = "".join(
            f'<tr data-plugin="{_e(p)}" data-reason="{_e(r)}"><td><span class="swatch" '
            f'style="background:{self.colours.light(p)}"></span> {_e(p)}</td><td>{_e(r)}</td>'
            f'<td class="num">{n}</td></tr>'
            for (p, r), n in sorted(self.reasons.items(), key=lambda kv: (-kv[1], kv[0])))
        parts.append('<h2>Removed spans per reason</h2>'
                     + (f'<table id="reasons"><thead><tr><th>plugin</th><th>reason</th>'
                        f'<th class="num">spans</th></tr></thead><tbody>{reason_rows}'
                        f'</tbody></table>' if reason_rows else '<p class="muted">None.</p>'))
        doc_rows = "".join(
            f'<tr class="{row["status"]}"><td class="num">{i}</td>'
            f'<td><a href="{_e(row["href"])}" title="{_e(row["source"])}">'
            f'{_e(os.path.relpath(row["source"], common) if common else row["source"])}</a>'
            f'<div class="small muted">{_e(row["title"])}</div></td>'
            f'<td><span class="badge {row["status"]}">{row["status"]}</span>'
            f'<div class="small muted">{_e(row["why"])}</div></td>'
            f'<td>{_e(row["language"])}</td><td>{_e(row["page_type"])}</td>'
            f'<td class="num">{row["kept"]}</td><td class="num">{row["removed"]}</td>'
            f'<td class="num">{row["left_out"]}</td></tr>'
            for i, row in enumerate(self.rows, 1))
        parts.append('<h2>Documents</h2><input class="filter" id="filter" type="search" '
                     'placeholder="filter: source, title, status, language…">'
                     '<table id="documents"><thead><tr><th class="num">#</th><th>document</th>'
                     '<th>status</th><th>language</th><th>page type</th>'
                     '<th class="num">characters kept</th><th class="num">spans removed</th>'
                     '<th class="num">blocks left out</th></tr></thead>'
                     f'<tbody>{doc_rows}</tbody></table>')
        return _page("clean-corpus report", f"{total} documents", "".join(parts), _INDEX_JS)


def _count_table(counts: Counter, what: str, key: str) -> str:
    if not counts:
        return '<p class="muted">None.</p>'
    rows = "".join(f'<tr data-{key.replace("_", "-")}="{_e(name)}"><td>{_e(name)}</td>'
                   f'<td class="num">{n}</td></tr>' for name, n in sorted(counts.items()))
    return (f'<table id="{key}"><thead><tr><th>{what}</th><th class="num">documents</th></tr>'
            f'</thead><tbody>{rows}</tbody></table>')
