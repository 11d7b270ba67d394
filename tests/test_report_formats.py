"""The HTML and Markdown reports, word diffs, notebook displays and tabular records."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import quotecheck
from quotecheck import MissingExtra, Report, Verdict
from quotecheck.rendering.report import RENDERERS, render_html, render_json, render_markdown, render_text, word_diff
from quotecheck.strategies import QuotationDraw, quotations
from tests.conftest import FIXTURES

HOSTILE = ("<script>alert(1)</script>", '"><img src=x onerror=alert(1)>')


def hostile_article() -> str:
    """An article of 20 paragraphs whose quotations carry markup meant to run."""
    paragraphs = []
    for n in range(20):
        payload = HOSTILE[n % 2]
        if n % 5 == 0:
            paragraphs.append(f"Krishna wrote: \u201cIBM firmly opposes {payload} and will not condone uses of any technology.\u201d")
        else:
            paragraphs.append(f"Paragraph {n} quotes a reader: \u201c{payload} is what she typed, word for word,\u201d she said.")
    return "\n\n".join(paragraphs) + "\n"


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _elements(page: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Elements()
    parser.feed(page)
    return parser.tags


@pytest.fixture(scope="module")
def seed_report(articles: Path) -> Report:
    return quotecheck.check_files([articles])


def test_html_and_markdown_are_cli_formats() -> None:
    """`--format html` and `--format markdown` are registered renderers."""
    assert RENDERERS["html"] is render_html
    assert RENDERERS["markdown"] is render_markdown


def test_the_html_page_is_self_contained(seed_report: Report) -> None:
    """The page links, loads and embeds nothing from outside: no src, no stylesheet link, a CSP that allows nothing remote."""
    page = render_html(seed_report)
    tags = _elements(page)
    assert not [t for t, a in tags if t in ("link", "img", "iframe", "object", "embed")]
    assert all("src" not in a for _, a in tags)
    assert [t for t, _ in tags].count("script") == 1
    policy = next(a["content"] for t, a in tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert policy is not None
    assert "default-src 'none'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]


def test_the_html_page_lists_every_quotation_with_its_verdict(seed_report: Report) -> None:
    """One summary row and one detail block per quotation, each carrying its verdict."""
    page = render_html(seed_report)
    rows = [a["data-verdict"] for t, a in _elements(page) if t == "tr" and a.get("class") == "qc-row"]
    blocks = [a["data-verdict"] for t, a in _elements(page) if t == "div" and a.get("class") == "qc-quote"]
    expected = [q.verdict.value for q in seed_report.quotes]
    assert rows == expected
    assert blocks == expected


def test_the_html_page_shows_each_variants_why(seed_report: Report) -> None:
    """Every variant's explanation appears, escaped, in the page."""
    page = render_html(seed_report)
    for quote in seed_report.quotes:
        for variant in quote.variants:
            assert html.escape(variant.why, quote=True) in page


def test_the_html_diff_marks_deleted_and_inserted_words() -> None:
    """A substitution shows the source's words in <del> and the article's in <ins>."""
    page = render_html(
        quotecheck.check(
            "\u201cIBM firmly opposes and will not condone uses of any technology, including facial recognition technology "
            "made available from other vendors, for mass surveillance\u201d"
        )
    )
    assert re.search(r"<del[^>]*>offered by</del><ins[^>]*>made available from</ins>", page)


def _every_format(report: Report) -> dict[str, str]:
    return {name: renderer(report) for name, renderer in RENDERERS.items()} | {"text+colour": render_text(report, colour=True)}


def test_hostile_quotations_stay_text_in_html() -> None:
    """`<script>` and an `onerror` attribute inside quotations are escaped: no element or attribute comes of them."""
    report = quotecheck.check(hostile_article(), path="hostile.txt")
    assert len(report.quotes) >= 10
    assert any(HOSTILE[0] in q.text for q in report.quotes)
    assert any("<img src=x onerror=alert(1)>" in q.text for q in report.quotes)
    page = render_html(report)
    tags = _elements(page)
    assert [t for t, _ in tags].count("script") == 1
    assert not [t for t, _ in tags if t == "img"]
    assert not [a for _, a in tags if "onerror" in a]
    assert html.escape(HOSTILE[0]) in page
    assert html.escape("<img src=x onerror=alert(1)>") in page


def test_hostile_quotations_stay_text_in_markdown() -> None:
    """In Markdown, the markup is entity-escaped, so a Markdown viewer shows it as text."""
    text = render_markdown(quotecheck.check(hostile_article(), path="hostile.txt"))
    assert "<script" not in text
    assert "<img" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "&lt;" in text
    assert "onerror=alert(1" in text


def test_hostile_quotations_round_trip_in_json_and_text() -> None:
    """JSON carries the quotation exactly; the text report prints it as it is (a terminal does not run HTML)."""
    report = quotecheck.check(hostile_article(), path="hostile.txt")
    document = json.loads(render_json(report))
    texts = [q["text"] for q in document["articles"][0]["quotes"]]
    assert any(HOSTILE[0] in t for t in texts)
    assert any("<img src=x onerror=alert(1)>" in t for t in texts)
    assert HOSTILE[0] in render_text(report)


@given(st.text(min_size=1, max_size=60))
def test_any_article_text_is_escaped_in_every_html_format(payload: str) -> None:
    """Whatever a quotation holds, the HTML page and the notebook fragments open no element for it."""
    report = quotecheck.check(f"She said: \u201c{payload}\u201d", path=payload)
    page = render_html(report)
    assert [t for t, _ in _elements(page)].count("script") == 1
    for fragment in (report._repr_html_(), *(q._repr_html_() for q in report.quotes)):
        assert not [t for t, _ in _elements(fragment) if t in ("script", "img", "iframe", "style", "link")]


def test_a_registry_url_that_is_not_http_is_not_a_link() -> None:
    """A `javascript:` URL in a registry header becomes plain text, never an href."""
    source = quotecheck.Source("evil", "Nothing here is worth quoting at all today.", url="javascript:alert(1)")
    registry = quotecheck.Registry.from_sources([source])
    page = render_html(quotecheck.check("\u201cNothing here is worth quoting at all today.\u201d", registry=registry))
    assert not [a for t, a in _elements(page) if t == "a" and (a.get("href") or "").startswith("javascript")]
    assert "](<javascript" not in render_markdown(
        quotecheck.check("\u201cNothing here is worth quoting at all today.\u201d", registry=registry)
    )


@given(quotations())
def test_the_word_diff_puts_the_quotation_back_together(draw: QuotationDraw) -> None:
    """Joining the diff's printed pieces gives the quotation as printed."""
    result = quotecheck.verify(draw.text, registry=draw.registry)
    diff = word_diff(result)
    assert "".join(p.printed for p in diff.pieces) == result.text


@given(quotations())
def test_an_untouched_quotation_has_a_diff_without_changes(draw: QuotationDraw) -> None:
    """An `exact` quotation's diff is all `equal`; any other sourced verdict has a change."""
    result = quotecheck.verify(draw.text, registry=draw.registry)
    tags = {p.tag for p in word_diff(result).pieces}
    if result.verdict is Verdict.EXACT:
        assert tags == {"equal"}
    elif result.source is not None:
        assert tags - {"equal"}


def test_the_word_diff_reads_as_wdiff() -> None:
    """`str()` of a diff shows the source's words in [-...-] and the article's in {+...+}."""
    diff = quotecheck.verify(
        "IBM firmly opposes and will condone uses of any technology, including facial recognition technology "
        "made available from other vendors, for mass surveillance"
    ).diff()
    assert (
        str(diff) == "IBM firmly opposes and will [-not-] condone uses of any technology, including facial recognition technology "
        "[-offered by-]{+made available from+} other vendors, for mass surveillance"
    )


def test_markdown_shows_the_diff_with_strikethrough_and_bold() -> None:
    """Markdown strikes the source's words and bolds the article's."""
    text = render_markdown(
        quotecheck.check(
            "He said \u201cIBM firmly opposes and will not condone uses of any technology, including facial recognition technology "
            "made available from other vendors, for mass surveillance\u201d"
        )
    )
    assert "~~offered by~~**made available from**" in text
    assert "**ALTERED**" in text


def test_markdown_escapes_markdown_in_article_text() -> None:
    """Asterisks, underscores, brackets, backticks and pipes in a quotation are escaped."""
    text = render_markdown(quotecheck.check("She said: \u201c*bold* _it_ [link](x) `code` | pipe $x$\u201d"))
    assert r"\*bold\* \_it\_ \[link\](x) \`code\` \| pipe \$x\$" in text


def test_notebook_displays_delegate_to_the_renderers(seed_report: Report) -> None:
    """Report and QuoteCheck have _repr_html_ (inline styles only) and _repr_markdown_."""
    fragment = seed_report._repr_html_()
    assert "<style" not in fragment
    assert fragment.count('class="qc-quote"') == len(seed_report.quotes)
    assert seed_report._repr_markdown_() == render_markdown(seed_report)
    quote = seed_report.quotes[0]
    assert 'class="qc-badge"' in quote._repr_html_()
    assert quote.verdict.value.upper() in quote._repr_markdown_()
    assert "<del" in quotecheck.verify("IBM firmly opposes and will condone uses of any technology").diff()._repr_html_()


def test_the_library_does_not_import_ipython() -> None:
    """No module of quotecheck imports IPython."""
    package = Path(quotecheck.__file__).parent
    assert not [p.name for p in package.glob("*.py") if re.search(r"^\s*(from|import) IPython", p.read_text(), re.MULTILINE)]


def test_records_are_flat_one_per_quotation(seed_report: Report) -> None:
    """to_records gives one dict of scalars per quotation, in report order."""
    records = seed_report.to_records()
    assert len(records) == len(seed_report.quotes)
    assert [r["verdict"] for r in records] == [q.verdict.value for q in seed_report.quotes]
    assert all(v is None or isinstance(v, str | int | float | bool) for r in records for v in r.values())
    altered = next(r for r in records if r["verdict"] == "altered")
    assert altered["changes"] >= 1
    assert altered["source_id"] == "krishna-2020-06-08"


def test_to_pandas_gives_a_dataframe(seed_report: Report) -> None:
    """With pandas installed, to_pandas has one row per quotation and the record columns."""
    pd = pytest.importorskip("pandas", reason="the pandas extra is not installed")
    frame = seed_report.to_pandas()
    assert isinstance(frame, pd.DataFrame)
    assert len(frame) == len(seed_report.quotes)
    assert list(frame["verdict"]) == [q.verdict.value for q in seed_report.quotes]


def test_to_pandas_without_pandas_names_the_extra(seed_report: Report, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without pandas, to_pandas raises MissingExtra naming `quotecheck[pandas]`."""
    import builtins

    real_import = builtins.__import__

    def no_pandas(name: str, *args: object, **kwargs: object) -> object:
        if name == "pandas" or name.startswith("pandas."):
            raise ImportError("No module named 'pandas'")
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_pandas)
    with pytest.raises(MissingExtra, match=r"quotecheck\[pandas\]"):
        seed_report.to_pandas()


@given(st.text(min_size=1, max_size=60))
def test_markdown_never_lets_article_text_become_html(payload: str) -> None:
    """Whatever a quotation holds, the Markdown report has no raw `<` (no tag, no autolink) and no unescaped `*` or `_`."""
    registry = quotecheck.Registry.from_sources([quotecheck.Source("plain", "Some words of a source without a link.")])
    text = render_markdown(quotecheck.check(f"She said: \u201c{payload}\u201d", registry=registry, path=payload))
    assert "<" not in text
    assert not re.search(r"(?<!\\)[_`|\[\]]", text)


def test_to_pandas_has_the_frame_schema_with_nullable_dtypes(tmp_path: Path) -> None:
    """`to_pandas()` has exactly `quotecheck.frame.COLUMNS` and its dtypes: offsets stay integers, never `15.0`."""
    pytest.importorskip("pandas", reason="the pandas extra is not installed")
    from quotecheck.frame import COLUMNS

    report = quotecheck.check_files([FIXTURES / "articles"])
    frame = report.to_pandas()
    assert list(frame.columns) == list(COLUMNS)
    assert {name: str(dtype) for name, dtype in frame.dtypes.items()} == COLUMNS
    sourced = [q for q in report.quotes if q.source is not None]
    assert [int(p) for p in frame["source_paragraph"].dropna()] == [q.source.paragraph for q in sourced if q.source]
    assert list(frame["article_id"]) == [a.path for a in report.articles for _ in a.quotes]


def test_to_pandas_keeps_failed_articles_as_rows(tmp_path: Path) -> None:
    """An article that could not be read is a row with `error` set and null quotation columns, not dropped."""
    pytest.importorskip("pandas", reason="the pandas extra is not installed")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\xfa")
    report = quotecheck.check_files([bad, FIXTURES / "articles" / "002_3a147250428250cb.txt"])
    frame = report.to_pandas()
    errors = frame[frame["error"].notna()]
    assert list(errors["article_id"]) == [str(bad)]
    assert errors[["start", "verdict", "score"]].isna().all().all()
    assert len(frame) == len(report.quotes) + 1


def test_to_pandas_and_check_frame_concatenate() -> None:
    """A report's frame and check_frame's frame of the same article stack with their dtypes kept."""
    pd = pytest.importorskip("pandas", reason="the pandas extra is not installed")
    from quotecheck.frame import check_frame

    text = (FIXTURES / "articles" / "004_f7eebf713eac0b64.txt").read_text(encoding="utf-8")
    ours = quotecheck.check(text, path="a").to_pandas()
    theirs = check_frame(pd.DataFrame({"id": ["a"], "text": [text]}))
    both = pd.concat([ours, theirs], ignore_index=True)
    assert both.dtypes.equals(ours.dtypes)
    assert ours.drop(columns=["date", "outlet"]).equals(theirs.drop(columns=["date", "outlet"]))


def test_to_pandas_of_an_empty_report_has_the_columns() -> None:
    """No article, no rows, but the same columns and dtypes."""
    pytest.importorskip("pandas", reason="the pandas extra is not installed")
    from quotecheck.frame import COLUMNS

    frame = Report(()).to_pandas()
    assert len(frame) == 0
    assert {name: str(dtype) for name, dtype in frame.dtypes.items()} == COLUMNS
