"""Rendering a corpus: text for people, JSON for programs, a self-contained HTML page.

Pure functions from a `Corpus` to a string; nothing here prints. The HTML
page needs no network and no other file: styles are inline, the copy graph
is inline SVG, there is no script, and every piece of article or source text
is escaped.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence

import regex

from quotecheck._escape import content_security_policy, dumps, html_text, visible
from quotecheck.matching.classify import Category, Variant
from quotecheck.provenance import Corpus, Family, Link, PrintedVariant, Printing, UnsourcedFamily
from quotecheck.reading.metadata import ArticleMeta
from quotecheck.rendering._diff import clock

__all__ = ["CORPUS_RENDERERS", "render_corpus_html", "render_corpus_json", "render_corpus_text"]

# How many printings of one variant the text summary lists before "and N more".
_TEXT_PRINTINGS = 4
# How many links the SVG timeline draws (the earliest); a bigger graph is unreadable and heavy.
_SVG_LINKS = 300


def render_corpus_json(corpus: Corpus) -> str:
    """The corpus JSON document (see the README), deterministic for the same input."""
    return dumps(corpus.to_dict(), indent=2) + "\n"


def _one_line(text: str, width: int = 100) -> str:
    flat = " ".join(visible(text).split())
    return flat if len(flat) <= width else flat[: width - 1] + "\u2026"


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else plural or word + 's'}"


def _date(date: datetime.date | None) -> str:
    return date.isoformat() if date else "undated"


def _printing_label(p: Printing) -> str:
    outlet = f" {p.outlet}" if p.outlet else ""
    return f"{_date(p.date)}{outlet} ({p.article})"


def _summary(corpus: Corpus) -> str:
    dated = sum(1 for a in corpus.articles if a.date)
    outlets = sum(1 for a in corpus.articles if a.outlet)
    in_families = sum(f.count for f in corpus.families)
    grouped = ""
    if corpus.unsourced_families:
        in_unsourced = sum(f.count for f in corpus.unsourced_families)
        grouped = f" ({in_unsourced} in {_plural(len(corpus.unsourced_families), 'unsourced family', 'unsourced families')})"
    return (
        f"{_plural(len(corpus.articles), 'article')} ({dated} dated, {outlets} with an outlet), "
        f"{_plural(corpus.quotations, 'quotation')}: {in_families} in {_plural(len(corpus.families), 'family', 'families')}, "
        f"{corpus.unsourced} unsourced{grouped}; {_plural(len(corpus.links), 'copy link')}"
    )


def render_corpus_text(corpus: Corpus) -> str:
    """A summary a person reads: each family's passage, its printed variants and the copy links.

    Typographic differences are left out; printings beyond the first few of
    a variant are counted, not listed.
    """
    lines = [_summary(corpus), ""]
    for family in corpus.families:
        lines.extend(_family_lines(family))
        lines.append("")
    if corpus.unsourced_families:
        lines.append(f"unsourced families ({len(corpus.unsourced_families)}): quotations no source holds, printed by two or more articles")
        lines.append("")
    for unsourced in corpus.unsourced_families:
        lines.extend(_unsourced_lines(unsourced))
        lines.append("")
    lines.append(
        f"copy links ({len(corpus.links)}), earliest first:" if corpus.links else "copy links: none (no two articles share a rare change)"
    )
    for link in corpus.links:
        arrow = "->" if link.ordered else "--"
        note = "" if link.ordered else " (same or unknown date: direction unknown)"
        lines.append(f"  {_date(link.earlier_date)} {visible(link.earlier)} {arrow} {_date(link.later_date)} {visible(link.later)}{note}")
        lines.extend(
            f"    - {e.kind.value} at {visible(e.source_id)} {e.source[0]}-{e.source[1]}: "
            f"{_one_line(e.why, 120)} (printed by {e.shared_by} of {e.covering} articles quoting it)"
            for e in link.evidence
        )
    lines.extend(f"error: {visible(error)}" for error in corpus.errors)
    return "\n".join(lines) + "\n"


def _place(family: Family) -> str:
    """ "page 3" or "at 1:15" for a family of a PDF or a transcript, else ""."""
    if family.page is not None:
        return f"page {family.page}"
    return f"at {clock(family.time)}" if family.time is not None else ""


def _family_lines(family: Family) -> list[str]:
    speaker = f", {visible(family.speaker)}" if family.speaker else ""
    place = f", {_place(family)}" if _place(family) else ""
    lines = [
        (
            f"== {visible(family.source_id)} \u00b6{family.paragraph}{place} {family.start}-{family.end}{speaker}: "
            f"{_plural(family.count, 'printing')} in {_plural(len(family.articles), 'article')}, "
            f"{_plural(len(family.variants), 'variant')}, "
            f"first {visible(_printing_label(family.first))}"
        ),
        f"   source: \u201c{_one_line(family.text, 110)}\u201d",
    ]
    if family.link:
        lines.append(f"   link: {visible(family.link)}")
    lines.extend(_variant_lines(family.variants))
    return lines


def _unsourced_lines(family: UnsourcedFamily) -> list[str]:
    lines = [
        (
            f"== {visible(family.id)}: {_plural(family.count, 'printing')} in {_plural(len(family.articles), 'article')}, "
            f"{_plural(len(family.variants), 'variant')}, first {visible(_printing_label(family.first))}"
        ),
        f"   reading most print: \u201c{_one_line(family.text, 110)}\u201d",
    ]
    lines.extend(_variant_lines(family.variants))
    return lines


def _variant_lines(variants: Sequence[PrintedVariant]) -> list[str]:
    lines: list[str] = []
    for variant in variants:
        where = f"{variant.source.start}-{variant.source.end}"
        lines.append(f"  {variant.verdict.value.upper()} {where} \u00d7{variant.count}: \u201c{_one_line(variant.text, 100)}\u201d")
        lines.extend(
            f"    - {v.category.value}/{v.kind.value}: {_one_line(v.why, 130)}"
            for v in variant.diff
            if v.category is not Category.TYPOGRAPHY
        )
        shown = ", ".join(visible(_printing_label(p)) for p in variant.printings[:_TEXT_PRINTINGS])
        more = f" and {variant.count - _TEXT_PRINTINGS} more" if variant.count > _TEXT_PRINTINGS else ""
        lines.append(f"    printed: {shown}{more}")
    return lines


# -- HTML ---------------------------------------------------------------------------------------------------------

_CSS = """
body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;color:#1d1d1f;background:#fff}
h1{font-size:1.5rem;margin:0 0 .3rem}h2{font-size:1.1rem;margin:0 0 .4rem}
.summary{color:#555;margin:0 0 1.5rem}
section{border:1px solid #ddd;border-radius:6px;padding:1rem;margin:0 0 1.2rem}
.passage{margin:.3rem 0 .8rem;padding:.5rem .8rem;background:#f6f6f8;border-left:4px solid #888;white-space:pre-wrap}
.counts{color:#555;margin:.2rem 0 .6rem}
ol.variants{list-style:none;padding:0;margin:0}
li.variant{border-top:1px solid #eee;padding:.5rem 0}
.verdict{display:inline-block;min-width:6.5em;font-weight:600;text-transform:uppercase;font-size:.8rem}
.v-exact .verdict,.v-cosmetic .verdict{color:#17663a}.v-editorial .verdict{color:#0b6b80}
.v-altered .verdict{color:#b3261e}.v-paraphrase .verdict{color:#8a5a00}
.extent{position:relative;height:5px;background:#eee;margin:.3rem 0;border-radius:2px}
.extent span{position:absolute;top:0;bottom:0;background:#888;border-radius:2px}
.v-altered .extent span{background:#b3261e}
.printed{margin:.2rem 0;white-space:pre-wrap}
mark{background:#fff0b3;padding:0 1px}mark.c-substantive{background:#ffd1cc}mark.c-editorial{background:#d4f0f5}
del{color:#b3261e}
ul.diff,ul.printings{margin:.2rem 0 .2rem 1.2rem;padding:0;color:#333;font-size:.9rem}
.links svg{max-width:100%;height:auto;border:1px solid #eee;border-radius:4px;background:#fcfcfd}
.node circle{fill:#1d1d1f}.node text{font-size:11px}.edge{fill:none;stroke:#b3261e;stroke-width:1.6}
.edge.unordered{stroke:#888;stroke-dasharray:4 3}.axis{font-size:11px;fill:#555}
small{color:#666}
"""


def _e(text: str) -> str:
    return html_text(text)


def render_corpus_html(corpus: Corpus) -> str:
    """A self-contained HTML page: each source passage with its printed variants stacked under it, and the copy graph.

    Every piece of article and source text is escaped; the page loads nothing.
    """
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        # The check report's policy: nothing loads from anywhere, and no script runs (the page has none).
        f'<meta http-equiv="Content-Security-Policy" content="{content_security_policy()}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>quotecheck: quotation provenance</title><style>{_CSS}</style></head><body>",
        "<header><h1>Quotation provenance</h1>",
        f'<p class="summary">{_e(_summary(corpus))}</p></header>',
        _links_html(corpus),
    ]
    parts.extend(_family_html(family) for family in corpus.families)
    if corpus.unsourced_families:
        parts.append(
            '<h2 id="unsourced">Unsourced families</h2><p class="summary">Quotations no source in the registry holds, printed by '
            "two or more articles, each compared with the reading most of them print.</p>"
        )
        parts.extend(_unsourced_html(family) for family in corpus.unsourced_families)
    if corpus.errors:
        parts.append('<section class="errors"><h2>Articles not checked</h2><ul>')
        parts.extend(f"<li>{_e(error)}</li>" for error in corpus.errors)
        parts.append("</ul></section>")
    parts.append("</body></html>\n")
    return "\n".join(parts)


def _family_html(family: Family) -> str:
    title = f" \u2014 {_e(family.title)}" if family.title else ""
    speaker = f", {_e(family.speaker)}" if family.speaker else ""
    out = [
        f'<section class="family" id="{_e(_anchor(family.id))}" data-family="{_e(family.id)}">',
        (
            f"<h2>{_source_name(family)} \u00b6{family.paragraph} <small>{_e(_place(family) + ' ') if _place(family) else ''}"
            f"{family.start}\u2013{family.end}{speaker}{title}</small></h2>"
        ),
        f'<blockquote class="passage">{_e(family.text)}</blockquote>',
        (
            f'<p class="counts">{_plural(family.count, "printing")} in {_plural(len(family.articles), "article")}, '
            f"{_plural(len(family.variants), 'printed variant')}; first printed {_e(_printing_label(family.first))}</p>"
        ),
        '<ol class="variants">',
    ]
    width = max(family.end - family.start, 1)
    out.extend(_variant_html(variant, family.start, width) for variant in family.variants)
    out.append("</ol></section>")
    return "\n".join(out)


def _unsourced_html(family: UnsourcedFamily) -> str:
    out = [
        f'<section class="family unsourced" id="{_e(_anchor(family.id))}" data-family="{_e(family.id)}">',
        f"<h2>{_e(family.id)} <small>no source in the registry</small></h2>",
        f'<blockquote class="passage">{_e(family.text)}</blockquote>',
        (
            f'<p class="counts">{_plural(family.count, "printing")} in {_plural(len(family.articles), "article")}, '
            f"{_plural(len(family.variants), 'printed variant')}; first printed {_e(_printing_label(family.first))}</p>"
        ),
        '<ol class="variants">',
    ]
    width = max(len(family.text), 1)
    out.extend(_variant_html(variant, 0, width) for variant in family.variants)
    out.append("</ol></section>")
    return "\n".join(out)


def _source_name(family: Family) -> str:
    """The source id, as a link to the passage when the source has an http(s) URL."""
    if family.link and family.link.lower().startswith(("https://", "http://")):
        return f'<a href="{_e(family.link)}" rel="noopener noreferrer">{_e(family.source_id)}</a>'
    return _e(family.source_id)


def _anchor(family_id: str) -> str:
    return "f-" + regex.sub(r"[^\w-]", "-", family_id)


def _variant_html(variant: PrintedVariant, origin: int, width: int) -> str:
    left = 100 * (variant.source.start - origin) / width
    span = max(100 * (variant.source.end - variant.source.start) / width, 0.5)
    dates = ", ".join(d.isoformat() for d in variant.dates) or "undated"
    outlets = ", ".join(variant.outlets) or "unknown outlets"
    diff = [v for v in variant.diff if v.category is not Category.TYPOGRAPHY]
    out = [
        f'<li class="variant v-{variant.verdict.value}" data-verdict="{variant.verdict.value}" data-count="{variant.count}">',
        (
            f'<div><span class="verdict">{variant.verdict.value}</span> \u00d7{variant.count} '
            f"<small>source {variant.source.start}\u2013{variant.source.end} \u00b7 {_e(dates)} \u00b7 {_e(outlets)} \u00b7 "
            f"first: {_e(_printing_label(variant.first))}</small></div>"
        ),
        f'<div class="extent" title="where in the passage"><span style="left:{left:.2f}%;width:{span:.2f}%"></span></div>',
        f'<p class="printed">\u201c{_marked(variant.text, diff)}\u201d</p>',
    ]
    if diff:
        out.append('<ul class="diff">')
        out.extend(f'<li class="c-{v.category.value}">{v.category.value}/{v.kind.value}: {_e(v.why)}</li>' for v in diff)
        out.append("</ul>")
    out.append(f'<details><summary>{_plural(variant.count, "printing")}</summary><ul class="printings">')
    out.extend(f"<li>{_e(_printing_label(p))}{_attribution(p)}</li>" for p in variant.printings)
    out.append("</ul></details></li>")
    return "\n".join(out)


def _attribution(p: Printing) -> str:
    return f" \u2014 attributed to {_e(p.attributed_to)}" if p.attributed_to else ""


def _marked(text: str, diff: Sequence[Variant]) -> str:
    """The printed text, escaped, with each difference marked (<mark>) or shown where words are missing (<del>)."""
    out: list[str] = []
    pos = 0
    for v in sorted(diff, key=lambda v: (v.quote[0], v.quote[1])):
        start, end = v.quote
        if start < pos:  # overlaps a difference already marked
            continue
        out.append(_e(text[pos:start]))
        title = f'title="{_e(v.why)}"'
        if end > start:
            out.append(f'<mark class="c-{v.category.value} k-{v.kind.value}" {title}>{_e(text[start:end])}</mark>')
        else:
            out.append(f'<del class="k-{v.kind.value}" {title}>{_e(v.original)}</del>')
        pos = end
    out.append(_e(text[pos:]))
    return "".join(out)


def _links_html(corpus: Corpus) -> str:
    if not corpus.links:
        return '<section class="links"><h2>Copy links</h2><p>No two articles share a rare distinctive change.</p></section>'
    drawn = corpus.links[:_SVG_LINKS]
    out = ['<section class="links"><h2>Copy links</h2>', _graph_svg(corpus, drawn)]
    if len(drawn) < len(corpus.links):
        out.append(f"<p><small>The timeline draws the {len(drawn)} earliest of {len(corpus.links)} links; all are listed.</small></p>")
    out.append('<ol class="link-list">')
    for link in corpus.links:
        direction = "" if link.ordered else " <small>(same or unknown date: direction unknown)</small>"
        out.append(
            f'<li class="link" data-earlier="{_e(link.earlier)}" data-later="{_e(link.later)}">'
            f"{_e(_date(link.earlier_date))} {_e(link.earlier)} \u2192 {_e(_date(link.later_date))} {_e(link.later)}{direction}<ul>"
        )
        out.extend(
            f"<li>{_e(e.kind.value)} at {_e(e.source_id)} {e.source[0]}\u2013{e.source[1]}: {_e(e.why)} "
            f"<small>(printed by {e.shared_by} of {e.covering} articles quoting it)</small></li>"
            for e in link.evidence
        )
        out.append("</ul></li>")
    out.append("</ol></section>")
    return "\n".join(out)


def _graph_svg(corpus: Corpus, links: Sequence[Link]) -> str:
    """Copy links on a timeline: one row per article, x by date (undated at the right), arrows earlier to later."""
    names = list(dict.fromkeys(name for link in links for name in (link.earlier, link.later)))
    known = {a.path: a for a in corpus.articles}
    metas = {name: known.get(name) or ArticleMeta(name) for name in names}
    names.sort(key=lambda n: (metas[n].date is None, metas[n].date or datetime.date.min, n))
    dates = [m.date for m in metas.values() if m.date]
    low, high = (min(dates), max(dates)) if dates else (None, None)
    left, right, row, top = 220, 860, 26, 30
    undated_x = right + 60
    height = top + row * len(names) + 20
    span = max(((high - low).days if low and high else 0), 1)

    def x_of(name: str) -> float:
        date = metas[name].date
        if date is None or low is None:
            return undated_x
        return left + (right - left) * (date - low).days / span

    y_of = {name: top + row * n for n, name in enumerate(names)}
    out = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {undated_x + 40} {height}" width="{undated_x + 40}" height="{height}" '
            'role="img" aria-label="copy links on a timeline">'
        ),
        (
            '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
            '<path d="M0,0 L10,5 L0,10 z" fill="#b3261e"/></marker></defs>'
        ),
    ]
    if low is not None and high is not None:
        out.append(f'<text class="axis" x="{left}" y="14">{low.isoformat()}</text>')
        if high != low:
            out.append(f'<text class="axis" x="{right}" y="14" text-anchor="end">{high.isoformat()}</text>')
    if any(metas[n].date is None for n in names):
        out.append(f'<text class="axis" x="{undated_x}" y="14" text-anchor="middle">undated</text>')
    for link in links:
        x1, y1, x2, y2 = x_of(link.earlier), y_of[link.earlier], x_of(link.later), y_of[link.later]
        if x2 - x1 > 24:  # later on the timeline: an S-curve into the later node's left side
            mid = (x1 + x2) / 2
            path = f"M{x1 + 5:.1f},{y1} C{mid:.1f},{y1} {mid:.1f},{y2} {x2 - 6:.1f},{y2}"
        else:  # the same day (or both undated): a loop out to the right and back
            path = f"M{x1 + 5:.1f},{y1} C{x1 + 45:.1f},{y1} {x2 + 45:.1f},{y2} {x2 + 6:.1f},{y2}"
        kinds = "; ".join(f"{e.kind.value}: {e.why}" for e in link.evidence)
        cls = "edge" if link.ordered else "edge unordered"
        out.append(
            f'<path class="{cls}" d="{path}" marker-end="url(#arrow)" data-earlier="{_e(link.earlier)}" data-later="{_e(link.later)}">'
            f"<title>{_e(link.earlier)} \u2192 {_e(link.later)}: {_e(kinds)}</title></path>"
        )
    for name in names:
        meta = metas[name]
        label = f"{meta.outlet or name.rsplit('/', 1)[-1]} \u00b7 {_date(meta.date)}"
        out.append(
            f'<g class="node" data-article="{_e(name)}"><circle cx="{x_of(name):.1f}" cy="{y_of[name]}" r="4"/>'
            f'<text x="8" y="{y_of[name] + 4}">{_e(_clip(label, 34))}</text><title>{_e(name)}</title></g>'
        )
    out.append("</svg>")
    return "".join(out)


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "\u2026"


# Every corpus output format the CLI offers, by its --format name.
CORPUS_RENDERERS: dict[str, Callable[[Corpus], str]] = {
    "text": render_corpus_text,
    "json": render_corpus_json,
    "html": render_corpus_html,
}
