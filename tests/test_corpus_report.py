"""Rendering a corpus: text, JSON and the self-contained HTML page (checked in headless Chromium)."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
import regex

from quotecheck.checking.article import check
from quotecheck.matching.classify import VariantKind
from quotecheck.provenance import Corpus, Link, corpus, corpus_files
from quotecheck.reading.metadata import ArticleMeta
from quotecheck.rendering.corpus_report import _SVG_LINKS, CORPUS_RENDERERS, render_corpus_html, render_corpus_json, render_corpus_text
from quotecheck.sources.registry import Registry, Source
from tests._browser import BROWSER_MISSING, browser, dump_dom, screenshot
from tests.test_provenance import SENTENCES, _article, _mutate

HOSTILE_SOURCE = "Markup like <script>alert(1)</script> & other <b>tags</b> must never run in the page at all, she wrote."
HOSTILE_OUTLET = "<img src=x onerror=alert(2)>"


def linked_corpus() -> Corpus:
    """Three dated articles and one undated: two copy links, one of them unordered, and a hostile source."""
    changed = _mutate(SENTENCES[2], VariantKind.SUBSTITUTION, 6, "zqvrtkl")
    exact = [_article(f"exact{n}", [SENTENCES[2]], curly=True) for n in range(3)]
    articles = [
        _article("first", [changed, SENTENCES[3]], curly=False),
        _article("copy", [changed], curly=True),
        _article("undated", [changed], curly=False),
        *exact,
    ]
    metadata = {
        "first": ArticleMeta("first", datetime.date(2020, 6, 8), outlet="Wire & Co"),
        "copy": ArticleMeta("copy", datetime.date(2020, 6, 12), outlet=HOSTILE_OUTLET),
        **{f"exact{n}": ArticleMeta(f"exact{n}", datetime.date(2020, 6, 9 + n)) for n in range(3)},
    }
    return corpus(articles, metadata=metadata)


def hostile_corpus() -> Corpus:
    """Source and article text full of markup, quoted exactly by two articles."""
    registry = Registry.from_sources([Source("hostile<&>", HOSTILE_SOURCE, speaker="A <i>Speaker</i>")])
    quoted = HOSTILE_SOURCE.partition(",")[0]
    articles = [
        check(f"Report {n}. She said: \u201c{quoted}\u201d The end.", registry=registry, path=f"<{n}>.txt").articles[0] for n in range(2)
    ]
    metadata = {"<0>.txt": ArticleMeta("<0>.txt", outlet=HOSTILE_OUTLET)}
    return corpus(articles, metadata=metadata, registry=registry)


def test_html_escapes_every_piece_of_article_and_source_text() -> None:
    """Markup in sources, quotations, paths and outlets is shown, never obeyed."""
    page = render_corpus_html(hostile_corpus())
    assert len(hostile_corpus().families) == 1
    assert "<script" not in page
    assert "<img" not in page
    assert "<b>" not in page
    assert "<i>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page


def test_html_loads_nothing_from_outside() -> None:
    """The page is self-contained: no external resource, no script; the only addresses are links a reader may follow."""
    page = render_corpus_html(linked_corpus())
    assert not regex.search(r"<(?:script|link|iframe|img|object|embed)\b", page)
    assert not regex.search(r"<[^>]*\bsrc\s*=", page)
    # An <a href> loads nothing until clicked: the source's link into the passage, http(s) only, nothing else has one.
    tags = regex.findall(r"<[^>]*\bhref\s*=[^>]*>", page)
    assert tags
    assert all(regex.fullmatch(r'<a href="https://[^"]+" rel="noopener noreferrer">', tag) for tag in tags)
    assert "@import" not in page
    assert not regex.search(r"url\(\s*['\"]?(?!#)", page)  # only url(#arrow), the SVG marker in the page


def test_html_draws_every_copy_link() -> None:
    """The SVG has one edge per link, dashed when the direction is unknown, and one node per linked article."""
    result = linked_corpus()
    page = render_corpus_html(result)
    assert len(result.links) == 2
    assert page.count('<path class="edge') == len(result.links)
    assert page.count('class="edge unordered"') == sum(1 for link in result.links if not link.ordered)
    assert page.count('<g class="node"') == len({n for link in result.links for n in (link.earlier, link.later)})


def test_html_timeline_draws_only_the_earliest_links_of_a_big_graph() -> None:
    """Past the drawing limit the SVG keeps the earliest links and says so; the list keeps them all."""
    day = datetime.date(2020, 6, 8)
    links = tuple(Link("origin", f"copy{n:04d}", day, day + datetime.timedelta(days=1 + n % 30), True, ()) for n in range(_SVG_LINKS + 5))
    page = render_corpus_html(Corpus((), (), links, 0, 0))
    assert page.count('<path class="edge') == _SVG_LINKS
    assert f"draws the {_SVG_LINKS} earliest of {len(links)} links" in page
    assert page.count('<li class="link"') == len(links)


def test_html_stacks_each_variant_under_its_passage() -> None:
    """One section per family, one item per printed variant, with its count."""
    result = linked_corpus()
    page = render_corpus_html(result)
    assert page.count('<section class="family"') == len(result.families)
    assert page.count('<li class="variant') == sum(len(f.variants) for f in result.families)
    for family in result.families:
        for variant in family.variants:
            assert f'data-count="{variant.count}"' in page


def test_html_marks_the_changed_words() -> None:
    """The substituted word is marked in the printed text, with the reason as its title."""
    page = render_corpus_html(linked_corpus())
    assert regex.search(r'<mark class="c-substantive k-substitution" title="[^"]*">zqvrtkl</mark>', page)


def test_text_summary_lists_families_variants_and_links() -> None:
    """The text summary names each family, each variant's verdict and count, and each link with its evidence."""
    result = linked_corpus()
    text = render_corpus_text(result)
    assert text.count("\n== ") == len(result.families)
    assert "2020-06-08 first -> 2020-06-12 copy" in text
    assert "first -- undated undated (same or unknown date: direction unknown)" in text
    assert "substitution at krishna-2020-06-08" in text


def test_text_summary_shows_control_characters_as_escapes() -> None:
    """A terminal escape in an outlet name is printed as \\x1b, never sent to the terminal."""
    result = corpus([_article("a", [SENTENCES[0]], curly=True)], metadata={"a": ArticleMeta("a", outlet="Evil\x1b[2J")})
    text = render_corpus_text(result)
    assert "\x1b" not in text
    assert "Evil\\x1b[2J" in text


def test_json_renderer_is_the_corpus_document() -> None:
    """`render_corpus_json` is `Corpus.to_dict` as JSON, and every renderer is offered by name."""
    result = linked_corpus()
    assert json.loads(render_corpus_json(result)) == json.loads(json.dumps(result.to_dict()))
    assert set(CORPUS_RENDERERS) == {"text", "json", "html"}


# -- headless Chromium --------------------------------------------------------------------------------------------------

# Collects script errors and what the browser laid out into attributes that --dump-dom shows.
PROBE = """<script>
window.onerror = function (message) { document.documentElement.setAttribute("data-script-error", String(message)); };
window.addEventListener("DOMContentLoaded", function () {
  var shown = Array.prototype.filter.call(document.querySelectorAll("li.variant"), function (e) { return e.offsetHeight > 0; });
  var edges = Array.prototype.filter.call(document.querySelectorAll("path.edge"), function (e) { return e.getTotalLength() > 0; });
  document.documentElement.setAttribute("data-variants-shown", String(shown.length));
  document.documentElement.setAttribute("data-edges-drawn", String(edges.length));
});
</script>"""


@pytest.mark.skipif(browser() is None, reason=BROWSER_MISSING)
def test_html_page_renders_in_headless_chromium(tmp_path: Path) -> None:
    """The page of a corpus with links and the seed articles loads without script errors, shows every variant and draws every edge."""
    result = linked_corpus()
    seeds = corpus_files([Path(__file__).resolve().parent.parent / "fixtures" / "articles"])
    merged = Corpus(
        result.articles + seeds.articles,
        result.families + seeds.families,
        result.links,
        result.quotations + seeds.quotations,
        result.unsourced + seeds.unsourced,
    )
    page = tmp_path / "corpus.html"
    page.write_text(render_corpus_html(merged).replace("<head>", "<head>" + PROBE, 1), encoding="utf-8")
    dom = dump_dom(page)
    assert not regex.search(r"<html[^>]*data-script-error", dom)
    variants = sum(len(f.variants) for f in merged.families)
    assert f'data-variants-shown="{variants}"' in dom
    assert f'data-edges-drawn="{len(merged.links)}"' in dom
    assert "IBM firmly opposes" in dom
    png = screenshot(page, tmp_path / "corpus.png", width=1200, height=1600)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def unsourced_corpus() -> Corpus:
    """Two dated articles printing one unsourced quotation full of markup, one with a changed word."""
    quote = "Markup like <script>alert(1)</script> & other <b>tags</b> must never run in the page"
    changed = quote.replace("never", "not")
    articles = [
        check(f'Report. "{text}," the mayor said.', registry=Registry.from_sources([]), path=name).articles[0]
        for name, text in (("<a>.txt", quote), ("b.txt", changed))
    ]
    metadata = {
        "<a>.txt": ArticleMeta("<a>.txt", datetime.date(2021, 3, 1), outlet=HOSTILE_OUTLET),
        "b.txt": ArticleMeta("b.txt", datetime.date(2021, 3, 2)),
    }
    return corpus(articles, metadata=metadata)


def test_text_has_a_section_of_unsourced_families() -> None:
    """The text summary counts the unsourced families and lists each with its variants and the link."""
    result = unsourced_corpus()
    (family,) = result.unsourced_families
    text = render_corpus_text(result)
    assert "2 unsourced (2 in 1 unsourced family)" in text
    assert "unsourced families (1): quotations no source holds, printed by two or more articles" in text
    assert f"== {family.id}: 2 printings in 2 articles, 2 variants, first 2021-03-01" in text
    assert "substantive/substitution" in text
    assert f"shared_quotation at {family.id}" in text


def test_html_has_a_section_of_unsourced_families_escaped() -> None:
    """The page shows each unsourced family and its variants, with every piece of text escaped."""
    result = unsourced_corpus()
    (family,) = result.unsourced_families
    page = render_corpus_html(result)
    assert '<h2 id="unsourced">Unsourced families</h2>' in page
    assert f'data-family="{family.id}"' in page
    assert page.count('class="variant ') == 2
    assert "<script" not in page
    assert "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_readme_path_re_exports_the_corpus_renderers() -> None:
    """`quotecheck.corpus_report`, the path the README names, gives the renderers of `quotecheck.rendering.corpus_report`."""
    import quotecheck.corpus_report as named
    from quotecheck.rendering import corpus_report

    assert named.__all__ == corpus_report.__all__
    assert [getattr(named, name) for name in named.__all__] == [getattr(corpus_report, name) for name in corpus_report.__all__]
