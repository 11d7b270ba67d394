"""HTML machinery for the report: fragments with inline styles, and the self-contained page.

Every string from an article, a source, a registry header or a file name goes
through `_escape.html_text` before it reaches markup (controls, bidi overrides
and undecodable bytes shown as escapes, then `html.escape`); nothing here
trusts its input. A URL
becomes a link only when it is http or https, so a registry cannot plant a
`javascript:` link. The page carries a Content-Security-Policy that loads
nothing from anywhere and runs only its own script (pinned by its SHA-256),
so even markup that slipped through escaping could neither fetch nor run.

Fragments (one quotation, a word diff, a whole report for a notebook) use
inline styles only, because notebook viewers strip `<style>` elements.
"""

from __future__ import annotations

from collections.abc import Iterable

from quotecheck._escape import content_security_policy, html_text
from quotecheck.judging.results import QuoteCheck, Report, Verdict
from quotecheck.matching.classify import Category
from quotecheck.rendering._diff import DiffPiece, WordDiff, marked, paragraph_sign, place, word_diff
from quotecheck.sources.registry import Registry
from quotecheck.text.normalize import TokenKind

__all__ = ["diff_fragment", "page", "quote_fragment", "registry_fragment", "report_fragment", "summary_table"]

# Background colours of the verdict badges (white text on each passes WCAG AA).
VERDICT_COLOURS = {
    Verdict.EXACT: "#1a7f37",
    Verdict.COSMETIC: "#3f7d20",
    Verdict.EDITORIAL: "#0757ba",
    Verdict.ALTERED: "#b3261e",
    Verdict.PARAPHRASE: "#8a5300",
    Verdict.UNSOURCED: "#5c6670",
}
# How a change looks in the diff: (deleted, inserted) inline styles, by category.
_CHANGE_STYLES = {
    Category.SUBSTANTIVE: ("background:#ffd7d5;color:#82071e;", "background:#ccffd8;color:#055d20;font-weight:600;"),
    Category.EDITORIAL: ("background:#ddf4ff;color:#0a3069;", "background:#ddf4ff;color:#0a3069;font-weight:600;"),
    Category.COSMETIC: ("background:#f0f0f0;color:#57606a;", "background:#f0f0f0;color:#24292f;"),
    Category.TYPOGRAPHY: ("color:#57606a;", "color:#24292f;"),
}
_BOX = "font-family:system-ui,-apple-system,'Segoe UI',sans-serif;line-height:1.45;color:#24292f;"
_MUTED = "color:#57606a;font-size:0.9em;"
# The most quotations a notebook shows in full; the rest are counted.
NOTEBOOK_LIMIT = 200


def _e(text: object) -> str:
    return html_text(text)


def _link(url: str | None, label: str) -> str:
    if url and url.lower().startswith(("https://", "http://")):
        return f'<a href="{_e(url)}" rel="noopener noreferrer">{_e(label)}</a>'
    return _e(label)


def badge(verdict: Verdict) -> str:
    """A coloured verdict badge, inline-styled."""
    return (
        f'<span class="qc-badge" data-verdict="{verdict.value}" style="display:inline-block;padding:0.05em 0.5em;'
        f"border-radius:0.8em;background:{VERDICT_COLOURS[verdict]};color:#fff;font-size:0.85em;font-weight:600;"
        f'letter-spacing:0.02em;">{verdict.value}</span>'
    )


def diff_fragment(diff: WordDiff) -> str:
    """The quotation as printed, with every change from its source marked `<del>` / `<ins>`."""

    def title(piece: DiffPiece) -> str:
        return f' title="{_e(piece.why)}"' if piece.why else ""

    def deleted(piece: DiffPiece) -> str:
        style = _CHANGE_STYLES[piece.category or Category.SUBSTANTIVE][0]
        return f'<del style="{style}text-decoration:line-through;margin-right:0.15em;"{title(piece)}>{_e(piece.original)}</del>'

    def inserted(piece: DiffPiece) -> str:
        style = _CHANGE_STYLES[piece.category or Category.SUBSTANTIVE][1]
        return f'<ins style="{style}text-decoration:none;"{title(piece)}>{_e(piece.printed)}</ins>'

    parts = marked(diff, equal=_e, deleted=deleted, inserted=inserted)
    return (
        '<div class="qc-diff" style="white-space:pre-wrap;font-family:Georgia,\'Times New Roman\',serif;font-size:1.05em;'
        f'border-left:3px solid #d0d7de;padding:0.2em 0 0.2em 0.8em;margin:0.4em 0;">{parts}</div>'
    )


def _whys(quote: QuoteCheck) -> str:
    if not quote.variants:
        return ""
    items = []
    for variant in quote.variants:
        muted = _MUTED if variant.category is Category.TYPOGRAPHY else ""
        items.append(
            f'<li style="{muted}"><code style="font-size:0.85em;">{_e(variant.category.value)}/{_e(variant.kind.value)}</code> '
            f"{_e(variant.why)}</li>"
        )
    return f'<ul class="qc-why" style="margin:0.3em 0 0 1.2em;padding:0;">{"".join(items)}</ul>'


def _where(quote: QuoteCheck) -> str:
    bits = [f"characters {quote.start}\u2013{quote.end}", _e(quote.kind.value)]
    if quote.attributed_to:
        resolved = f" ({_e(quote.speaker)})" if quote.speaker and quote.speaker != quote.attributed_to else ""
        bits.append(f"attributed to {_e(quote.attributed_to)}{resolved}")
    return " \u00b7 ".join(bits)


def _source_line(quote: QuoteCheck) -> str:
    src = quote.source
    if src is None:
        return "no passage of the registry matches"
    bits = [f"<strong>{_link(src.link or src.url, src.id)}</strong>"]
    if src.paragraph is not None:
        bits.append(f"\u00b6{src.paragraph}")
    if place(src):
        bits.append(_e(place(src)))
    bits.append(f"characters {src.start}\u2013{src.end}")
    if src.speaker:
        bits.append(_e(src.speaker))
    bits.append(f"score {quote.score:.2f}")
    if src.others:
        more = src.others_count - len(src.others)
        bits.append("also " + ", ".join(_e(f"{i} {s}\u2013{e}") for i, s, e in src.others) + (f" and {more:,} more" if more > 0 else ""))
    return " \u00b7 ".join(bits)


def quote_fragment(quote: QuoteCheck, *, anchor: str | None = None) -> str:
    """One quotation: badge, flags, where it is, its source, the word diff and every variant's why."""
    flags = "".join(
        f' <span style="display:inline-block;padding:0 0.4em;border:1px solid #d0d7de;border-radius:0.6em;font-size:0.8em;">'
        f"{_e(f.value)}</span>"
        for f in quote.flags
    )
    ident = f' id="{_e(anchor)}"' if anchor else ""
    return (
        f'<div class="qc-quote"{ident} data-verdict="{quote.verdict.value}" style="{_BOX}margin:0.8em 0;padding:0.6em 0.8em;'
        f'border:1px solid #d0d7de;border-left:6px solid {VERDICT_COLOURS[quote.verdict]};border-radius:6px;background:#fff;">'
        f'<div>{badge(quote.verdict)}{flags} <span style="{_MUTED}">{_where(quote)}</span></div>'
        f"{diff_fragment(word_diff(quote))}"
        f'<div style="{_MUTED}">source: {_source_line(quote)}</div>'
        f"{_whys(quote)}</div>"
    )


def _counts(report: Report) -> str:
    return " ".join(f"{badge(v)}&nbsp;{n}" for v, n in report.counts().items() if n)


def _summary_line(report: Report) -> str:
    total = len(report.quotes)
    articles = len(report.articles)
    return f"{total} quotation{'s' if total != 1 else ''} in {articles} article{'s' if articles != 1 else ''}"


_CELL = "border-bottom:1px solid #d0d7de;padding:0.25em 0.5em;text-align:left;vertical-align:top;"
# Past this many quotations, a notebook's cards start folded under the summary table.
_FOLD_AFTER = 10


def _table(head: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    """An inline-styled table; the cells are markup already escaped."""
    header = "".join(f'<th style="{_CELL}background:#eaeef2;">{h}</th>' for h in head)
    body = "".join("<tr>" + "".join(f'<td style="{_CELL}">{cell}</td>' for cell in row) + "</tr>" for row in rows)
    return f'<table style="border-collapse:collapse;font-size:0.92em;margin:0.4em 0;"><tr>{header}</tr>{body}</table>'


def _summary_rows(report: Report, limit: int) -> Iterable[list[str]]:
    n = 0
    for article in report.articles:
        if article.error is not None:
            yield ["", _short_path(article.path), f'<span style="color:#b3261e;">error: {_e(_one_line(article.error))}</span>', "", ""]
        for quote in article.quotes:
            n += 1
            if n > limit:
                return
            src = quote.source
            where = _e(src.id) + paragraph_sign(src) if src is not None else "\u2014"
            flags = f'<br><span style="{_MUTED}">{_e(", ".join(quote.flags))}</span>' if quote.flags else ""
            yield [str(n), _short_path(article.path), f"\u201c{_e(_one_line(quote.text, 70))}\u201d", badge(quote.verdict) + flags, where]


def summary_table(report: Report, *, limit: int = NOTEBOOK_LIMIT) -> str:
    """One row per quotation (up to `limit`) and per unreadable article: number, article, quotation, verdict, source."""
    return _table(["#", "article", "quotation", "verdict", "source"], _summary_rows(report, limit))


def registry_fragment(registry: Registry) -> str:
    """A registry for a notebook: its size and hash, then one row per source (id, speaker, title, date, words...)."""
    rows = []
    for source in registry:
        words = sum(1 for t in source.tokens if t.kind is TokenKind.WORD)
        rows.append(
            [
                _e(source.id),
                _e(source.speaker or "\u2014"),
                _link(source.url, source.title or source.url or "\u2014"),
                _e(source.date or "\u2014"),
                "complete" if source.complete else "partial",
                f"{words:,}",
                f"<code>{_e(source.hash[:12])}</code>",
            ]
        )
    head = f"<p><strong>{len(registry)} source{'s' if len(registry) != 1 else ''}</strong> <code>{_e(registry.hash[:12])}</code></p>"
    table = _table(["id", "speaker", "title", "date", "", "words", "hash"], rows)
    return f'<div style="{_BOX}">{head}{table}</div>'


def report_fragment(report: Report, *, limit: int = NOTEBOOK_LIMIT) -> str:
    """A whole report for a notebook: counts, a summary table, then each article's quotations (up to `limit`).

    Past ten quotations the cards start folded (`<details>`) under the table,
    so a cell is one screen until a reader opens them.
    """
    parts = [f'<div style="{_BOX}"><p><strong>{_summary_line(report)}</strong> {_counts(report)}</p>']
    parts.append(summary_table(report, limit=limit))
    fold = len(report.quotes) > _FOLD_AFTER
    if fold:
        parts.append(f'<details><summary style="cursor:pointer;">every quotation with its word diff ({len(report.quotes)})</summary>')
    shown = 0
    for article in report.articles:
        parts.append(f'<h4 style="margin:0.8em 0 0.2em;">{_e(article.path or "<text>")}</h4>')
        if article.error is not None:
            parts.append(f'<p style="color:#b3261e;">error: {_e(article.error)}</p>')
        elif not article.quotes:
            parts.append(f'<p style="{_MUTED}">no quotations found</p>')
        for quote in article.quotes:
            if shown == limit:
                break
            parts.append(quote_fragment(quote))
            shown += 1
    if fold:
        parts.append("</details>")
    if shown < len(report.quotes):
        parts.append(f'<p style="{_MUTED}">\u2026 and {len(report.quotes) - shown} more; render_html(report) shows them all.</p>')
    parts.append("</div>")
    return "".join(parts)


def _one_line(text: str, width: int = 90) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "\u2026"


def _short_path(path: str | None) -> str:
    """The file name, with the whole path as a tooltip: the table stays narrow."""
    if not path:
        return "&lt;text&gt;"
    name = path.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1] or path
    return f'<span title="{_e(path)}">{_e(name)}</span>'


def _rows(report: Report) -> Iterable[str]:
    n = 0
    for article in report.articles:
        for quote in article.quotes:
            n += 1
            src = quote.source
            where = "\u2014"
            if src is not None:
                where = _e(src.id) + paragraph_sign(src)
            flags = f'<br><span class="qc-flags">{_e(", ".join(f.value for f in quote.flags))}</span>' if quote.flags else ""
            yield (
                f'<tr class="qc-row" data-verdict="{quote.verdict.value}"><td><a href="#q{n}">{n}</a></td>'
                f"<td>{_short_path(article.path)}</td><td>\u201c{_e(_one_line(quote.text))}\u201d</td>"
                f"<td>{badge(quote.verdict)}{flags}</td><td>{where}</td></tr>"
            )


_STYLE = """
body{margin:0 auto;max-width:72rem;padding:1rem 1.5rem 3rem;font-family:system-ui,-apple-system,'Segoe UI',sans-serif;
color:#24292f;background:#f6f8fa;line-height:1.45}
h1{font-size:1.6rem;margin:0.5rem 0}h2{font-size:1.2rem;margin:2rem 0 0.5rem;word-break:break-all}
table{border-collapse:collapse;width:100%;background:#fff;font-size:0.92rem}
th,td{border-bottom:1px solid #d0d7de;padding:0.35rem 0.5rem;text-align:left;vertical-align:top}
th{background:#eaeef2;position:sticky;top:0}td:nth-child(2){word-break:break-all;min-width:7rem;max-width:12rem}
.qc-flags{color:#57606a;font-size:0.8rem}
#qc-filters{display:flex;flex-wrap:wrap;gap:0.4rem 1rem;align-items:center;margin:0.6rem 0;padding:0.5rem 0.7rem;
background:#fff;border:1px solid #d0d7de;border-radius:6px}
#qc-filters label{cursor:pointer;white-space:nowrap}
#qc-shown{color:#57606a;margin-left:auto}
.qc-error{color:#b3261e;background:#fff;border:1px solid #b3261e;border-radius:6px;padding:0.4rem 0.7rem}
[hidden]{display:none!important}
"""

# The page's one script: verdict filters (also from the URL, #only=altered,paraphrase),
# and a status element that records readiness, visible counts and any script error
# so that a headless browser's DOM dump can be checked.
_SCRIPT = """
(function () {
  "use strict";
  var status = document.getElementById("qc-status");
  var errors = [];
  window.addEventListener("error", function (event) {
    errors.push(String(event.message || event));
    status.setAttribute("data-errors", JSON.stringify(errors));
  });
  var boxes = Array.prototype.slice.call(document.querySelectorAll("#qc-filters input[data-verdict]"));
  var total = document.querySelectorAll("tr.qc-row").length;
  function apply() {
    var keep = {};
    boxes.forEach(function (box) { keep[box.getAttribute("data-verdict")] = box.checked; });
    var visible = {};
    var shown = 0;
    document.querySelectorAll("tr.qc-row, div.qc-quote").forEach(function (el) {
      var verdict = el.getAttribute("data-verdict");
      el.hidden = !keep[verdict];
      if (!el.hidden && el.tagName === "TR") {
        visible[verdict] = (visible[verdict] || 0) + 1;
        shown += 1;
      }
    });
    status.setAttribute("data-visible", JSON.stringify(visible));
    document.getElementById("qc-shown").textContent = "showing " + shown + " of " + total;
  }
  var only = /(?:^#|&)only=([a-z,]+)/.exec(window.location.hash);
  if (only) {
    var wanted = only[1].split(",");
    boxes.forEach(function (box) { box.checked = wanted.indexOf(box.getAttribute("data-verdict")) >= 0; });
  }
  document.getElementById("qc-filters").addEventListener("change", apply);
  document.getElementById("qc-all").addEventListener("click", function () {
    boxes.forEach(function (box) { box.checked = true; });
    apply();
  });
  apply();
  status.setAttribute("data-ready", "1");
})();
"""


def page(report: Report) -> str:
    """One self-contained HTML page: summary table, verdict filters, and every quotation's diff."""
    counts = report.counts()
    filters = "".join(
        f'<label><input type="checkbox" data-verdict="{v.value}" checked> {badge(v)} '
        f'<span class="qc-count" data-verdict="{v.value}">{n}</span></label>'
        for v, n in counts.items()
    )
    sections = []
    n = 0
    for article in report.articles:
        body = []
        if article.error is not None:
            body.append(f'<p class="qc-error">error: {_e(article.error)}</p>')
        elif not article.quotes:
            body.append("<p>no quotations found</p>")
        for quote in article.quotes:
            n += 1
            body.append(quote_fragment(quote, anchor=f"q{n}"))
        sections.append(f'<section class="qc-article"><h2>{_e(article.path or "<text>")}</h2>{"".join(body)}</section>')
    policy = content_security_policy(_SCRIPT)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>quotecheck report: {_summary_line(report)}</title><style>{_STYLE}</style></head>\n<body>\n"
        f"<h1>quotecheck report</h1><p>{_summary_line(report)}</p>\n"
        f'<div id="qc-filters" role="group" aria-label="show verdicts">{filters}'
        '<button type="button" id="qc-all">show all</button><span id="qc-shown"></span></div>\n'
        '<div id="qc-status" hidden></div>\n'
        '<table id="qc-summary"><thead><tr><th>#</th><th>article</th><th>quotation</th><th>verdict</th><th>source</th></tr></thead>'
        f"<tbody>{''.join(_rows(report))}</tbody></table>\n"
        f"{''.join(sections)}\n"
        f"<script>{_SCRIPT}</script>\n</body></html>\n"
    )
