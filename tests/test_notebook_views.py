"""What notebooks show: a report's summary table and folded cards, and a registry's table."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings

import quotecheck
from quotecheck import Registry, Source
from quotecheck.strategies import registries
from tests.conftest import FIXTURES


def _table_rows(html: str) -> int:
    """Rows of the first table, header excluded."""
    table = html.split("<table", 1)[1].split("</table>", 1)[0]
    return table.count("<tr>") - 1


def test_a_report_opens_with_one_summary_row_per_quotation_and_failed_article(tmp_path: Path) -> None:
    """The notebook view starts with a table: a row per quotation, and one per article that could not be read."""
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\xfa")
    report = quotecheck.check_files([FIXTURES / "articles", bad])
    html = report._repr_html_()
    assert _table_rows(html) == len(report.quotes) + 1
    assert html.index("<table") < html.index('class="qc-quote"')
    assert "error: " in html.split("</table>", 1)[0]


def test_many_quotations_start_folded_and_a_few_open() -> None:
    """Past ten quotations the cards are inside a closed <details>; a short report shows them open."""
    many = quotecheck.check_files([FIXTURES / "articles"])
    assert len(many.quotes) > 10
    html = many._repr_html_()
    assert html.count("<details>") == 1
    assert html.index("<details>") < html.index('class="qc-quote"') < html.index("</details>")
    few = quotecheck.check((FIXTURES / "articles" / "002_3a147250428250cb.txt").read_text(encoding="utf-8"))
    assert len(few.quotes) <= 10
    assert "<details>" not in few._repr_html_()


def test_a_registry_shows_a_table_of_its_sources() -> None:
    """`Registry._repr_html_` has its count and hash, and one row per source with its id and hash prefix."""
    registry = quotecheck.builtin_registry()
    html = registry._repr_html_()
    assert f"{len(registry)} sources" in html
    assert registry.hash[:12] in html
    assert _table_rows(html) == len(registry)
    for source in registry:
        assert source.id in html
        assert source.hash[:12] in html


def test_a_registry_view_escapes_its_metadata() -> None:
    """A speaker or title holding markup is shown, not run; a javascript: URL is no link."""
    source = Source("x", "Some words of a source text.", speaker="<script>alert(1)</script>", title="<b>t</b>", url="javascript:alert(1)")
    html = Registry.from_sources([source])._repr_html_()
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "href=" not in html
    assert "&lt;b&gt;t&lt;/b&gt;" in html


@settings(max_examples=15, deadline=None)
@given(registries())
def test_every_registry_view_is_one_row_per_source(registry: Registry) -> None:
    """Any registry shows as one row per source, with no markup but the view's own."""
    html = registry._repr_html_()
    assert _table_rows(html) == len(registry)
    tags = set(re.findall(r"</?([a-z]+)", html))
    assert tags <= {"div", "p", "strong", "code", "table", "tr", "th", "td", "a"}
