"""The HTML report in a real browser: headless Chromium renders it, runs its script, and shows the verdicts."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

import quotecheck
from quotecheck.rendering.report import render_html
from tests._browser import BROWSER_MISSING, browser, dump_dom, screenshot
from tests.test_report_formats import hostile_article

pytestmark = pytest.mark.skipif(browser() is None, reason=BROWSER_MISSING)


class _Status(HTMLParser):
    """Reads the page's status element and counts the elements a hostile article must not create."""

    def __init__(self) -> None:
        super().__init__()
        self.status: dict[str, str | None] = {}
        self.scripts = 0
        self.images = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id") == "qc-status":
            self.status = found
        self.scripts += tag == "script"
        self.images += tag == "img"


def _rendered(page: Path, fragment: str = "") -> _Status:
    status = _Status()
    status.feed(dump_dom(page, fragment=fragment))
    return status


@pytest.fixture(scope="module")
def seed_page(tmp_path_factory: pytest.TempPathFactory, articles: Path) -> tuple[Path, quotecheck.Report]:
    report = quotecheck.check_files([articles])
    page = tmp_path_factory.mktemp("browser") / "report.html"
    page.write_text(render_html(report), encoding="utf-8")
    return page, report


def test_the_seed_report_renders_its_verdict_counts_without_script_errors(
    seed_page: tuple[Path, quotecheck.Report], tmp_path: Path
) -> None:
    """Chromium runs the page's script to the end, with no error, and shows one row per quotation by verdict."""
    page, report = seed_page
    rendered = _rendered(page)
    assert rendered.status.get("data-ready") == "1"
    assert rendered.status.get("data-errors") is None
    expected = {v.value: n for v, n in report.counts().items() if n}
    assert json.loads(rendered.status["data-visible"] or "{}") == expected
    png = screenshot(page, tmp_path / "seed-report.png")
    assert png.read_bytes().startswith(b"\x89PNG")


def test_the_verdict_filter_hides_the_other_verdicts(seed_page: tuple[Path, quotecheck.Report]) -> None:
    """With #only=altered the page shows exactly the altered quotations."""
    page, report = seed_page
    rendered = _rendered(page, "#only=altered")
    assert rendered.status.get("data-errors") is None
    assert json.loads(rendered.status["data-visible"] or "{}") == {"altered": report.counts()[quotecheck.Verdict.ALTERED]}


def test_a_hostile_article_renders_as_text(tmp_path: Path) -> None:
    """Quotations holding <script> and onerror markup run nothing and create no element in the browser."""
    report = quotecheck.check(hostile_article(), path="hostile.txt")
    page = tmp_path / "hostile.html"
    page.write_text(render_html(report), encoding="utf-8")
    dom = dump_dom(page)
    rendered = _Status()
    rendered.feed(dom)
    assert rendered.scripts == 1
    assert rendered.images == 0
    assert rendered.status.get("data-errors") is None
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom
    assert re.search(r"&lt;img src=x onerror=alert\(1\)&gt;", dom)
    screenshot(page, tmp_path / "hostile.png")
