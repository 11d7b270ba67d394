"""Article metadata: front matter, manifests and date lines."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quotecheck.errors import ManifestError, QuotecheckError
from quotecheck.reading.metadata import ArticleMeta, article_metadata, parse_date, parse_metadata, read_manifest

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

dates = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31))


def styles(date: datetime.date) -> list[str]:
    """The ways newsrooms print one date."""
    month = MONTHS[date.month - 1]
    weekday = WEEKDAYS[date.weekday()]
    return [
        date.isoformat(),
        f"{date.isoformat()}T08:00:00-05:00",
        f"{date.day} {month} {date.year}",
        f"{weekday} {date.day} {month}, {date.year}",
        f"{month} {date.day}, {date.year}",
        f"{month[:3]} {date.day:02d}, {date.year}",
        f"{weekday}, {month[:3]}. {date.day}, {date.year}",
    ]


@given(dates, st.data())
def test_parse_date_reads_every_newsroom_style(date: datetime.date, data: st.DataObject) -> None:
    """A date printed in any supported style reads back as the same date."""
    text = data.draw(st.sampled_from(styles(date)))
    assert parse_date(text) == date


@pytest.mark.parametrize("text", ["June 31, 2020", "2020-02-30", "31 Febtember 2020", "the 8th of June", "2020", ""])
def test_parse_date_rejects_what_is_not_one_valid_date(text: str) -> None:
    """Impossible dates and things that are not dates give None."""
    assert parse_date(text) is None


@given(dates, st.data(), st.sampled_from(["", "By Jane Doe ", "Published: ", "date ", "Updated "]))
def test_a_date_line_near_the_top_is_the_articles_date(date: datetime.date, data: st.DataObject, prefix: str) -> None:
    """A headline, then a (bylined or labelled) date line: the date is read, with the line it came from."""
    line = prefix + data.draw(st.sampled_from(styles(date)))
    meta = parse_metadata(f"A headline about the letter\n\n{line}\n\nThe body of the article follows here.\n")
    assert meta.date == date
    assert meta.date_from is not None
    assert meta.date_from.startswith("line 3:")


@given(dates, st.data())
def test_a_date_inside_a_sentence_is_not_the_articles_date(date: datetime.date, data: st.DataObject) -> None:
    """A date mentioned in body text is not taken for the publication date."""
    written = data.draw(st.sampled_from(styles(date)[2:]))
    assert parse_metadata(f"On {written} the company sent a letter to Congress about it.\n").date is None


def test_a_date_line_far_down_the_article_is_ignored() -> None:
    """Only the first lines are searched: a date line deep in the body is not the article's date."""
    body = "".join(f"Paragraph {n} of the story goes on.\n\n" for n in range(20))
    assert parse_metadata(body + "June 8, 2020\n").date is None


def test_yaml_front_matter_gives_date_title_outlet_and_url() -> None:
    """Front matter keys are read; a timestamp keeps its printed local date."""
    text = '---\ntitle: "A <headline>"\ndate: 2020-06-15T23:30:00-05:00\npublisher: The Daily Example\nurl: https://example.org/a\n---\nBody.\n'
    meta = parse_metadata(text, path="a.md")
    assert meta == ArticleMeta(
        "a.md", datetime.date(2020, 6, 15), "The Daily Example", "https://example.org/a", "A <headline>", "front matter date"
    )


def test_toml_front_matter_gives_a_date() -> None:
    """TOML front matter dates (TOML date values) are read."""
    meta = parse_metadata('+++\ntitle = "T"\ndate = 2020-06-08\noutlet = "Wire"\n+++\nBody.\n')
    assert (meta.date, meta.outlet, meta.title) == (datetime.date(2020, 6, 8), "Wire", "T")


def test_front_matter_without_a_date_falls_back_to_a_date_line() -> None:
    """A date line under front matter that has no date is still read."""
    meta = parse_metadata("---\ntitle: T\n---\n\nJune 9, 2020\n\nBody.\n")
    assert meta.date == datetime.date(2020, 6, 9)
    assert meta.title == "T"


def test_seed_articles_dates(articles: Path) -> None:
    """The seed articles' dates: a date line, a byline, none, front matter, a labelled first line."""
    found = {p.name[:3]: parse_metadata(p.read_text(encoding="utf-8")).date for p in sorted(articles.glob("*.txt"))}
    assert found == {
        "000": datetime.date(2020, 6, 25),
        "001": datetime.date(2020, 6, 9),
        "002": None,
        "003": datetime.date(2020, 6, 15),
        "004": datetime.date(2020, 6, 8),
    }


def _articles(tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text("June 8, 2020\n\nBody of a.\n", encoding="utf-8")
    (folder / "b.md").write_text("---\noutlet: Own Outlet\n---\nBody of b.\n", encoding="utf-8")
    return folder / "a.txt", folder / "b.md"


def test_csv_manifest_wins_over_the_articles_own_metadata(tmp_path: Path) -> None:
    """Manifest paths are relative to the manifest; its fields win, the article's fill the gaps."""
    a, b = _articles(tmp_path)
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(
        "path,date,outlet,url\narticles/a.txt,2020-06-10,Wire,https://e.org/a\narticles/b.md,Jun 11 2020,,\n", encoding="utf-8"
    )
    meta = article_metadata([str(a), str(b)], manifest=read_manifest(manifest))
    assert meta[str(a)] == ArticleMeta(str(a), datetime.date(2020, 6, 10), "Wire", "https://e.org/a", None, "manifest")
    assert (meta[str(b)].date, meta[str(b)].outlet) == (datetime.date(2020, 6, 11), "Own Outlet")


def test_jsonl_manifest(tmp_path: Path) -> None:
    """JSON Lines manifests give the same fields."""
    a, _b = _articles(tmp_path)
    manifest = tmp_path / "m.jsonl"
    manifest.write_text(json.dumps({"path": str(a), "outlet": "Wire", "title": "T"}) + "\n\n", encoding="utf-8")
    meta = article_metadata([str(a)], manifest=read_manifest(manifest))[str(a)]
    assert (meta.date, meta.outlet, meta.title) == (datetime.date(2020, 6, 8), "Wire", "T")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("m.csv", "file,date\na.txt,2020-06-08\n", "m.csv:1: the header row must name a `path` column"),
        ("m.csv", "path,date\na.txt,yesterday\n", "m.csv:2: date='yesterday' is not a date"),
        ("m.csv", "path,date\na.txt,2020-06-08,extra\n", "m.csv:2: the row has more fields than the header"),
        ("m.jsonl", '{"path": "a.txt"}\n{"path": \n', "m.jsonl:2: not valid JSON"),
        ("m.jsonl", '{"path": "a.txt"}\n[1, 2]\n', "m.jsonl:2: expected a JSON object, got list"),
        ("m.jsonl", '{"date": "2020-06-08"}\n', "m.jsonl:1: the row has no `path`"),
    ],
)
def test_a_malformed_manifest_is_an_error_naming_file_and_line(tmp_path: Path, name: str, content: str, message: str) -> None:
    """A malformed manifest raises ManifestError with the file, the line and what is wrong."""
    manifest = tmp_path / name
    manifest.write_text(content, encoding="utf-8")
    with pytest.raises(ManifestError) as error:
        read_manifest(manifest)
    assert isinstance(error.value, QuotecheckError)
    assert isinstance(error.value, ValueError)
    assert message in str(error.value)


# fixtures/pages: five synthetic saved news pages, each giving its date and outlet in another way:
# ledger (article:published_time, og:site_name), courier (JSON-LD @graph datePublished, publisher.name),
# sentinel (<time datetime>, og:site_name), beacon (<meta name=pubdate>, JSON-LD publisher list),
# lantern (the visible line "Published: June 10, 2020", JSON-LD publisher.name).
PAGES = Path(__file__).parent.parent / "fixtures" / "pages"


@pytest.mark.parametrize(
    ("page", "date", "outlet", "date_from"),
    [
        ("ledger.html", datetime.date(2020, 6, 9), "The Ledger", "meta article:published_time"),
        ("courier.html", datetime.date(2020, 6, 10), "The Morning Courier", "JSON-LD datePublished"),
        ("sentinel.html", datetime.date(2020, 6, 11), "Valley Sentinel", "time datetime"),
        ("beacon.html", datetime.date(2020, 6, 12), "Harbour Beacon", "meta pubdate"),
        ("lantern.html", datetime.date(2020, 6, 10), "The Lantern", "line 3: Published: June 10, 2020"),
    ],
)
def test_a_saved_page_gives_its_date_and_outlet(page: str, date: datetime.date, outlet: str, date_from: str) -> None:
    """Each saved page is dated and names its outlet from its own markup or visible date line."""
    meta = parse_metadata((PAGES / page).read_text(encoding="utf-8"), path=page)
    assert (meta.date, meta.outlet, meta.date_from) == (date, outlet, date_from)


def test_a_page_gives_its_address_and_headline() -> None:
    """`<link rel=canonical>` is the address; JSON-LD `headline` (else `<title>`) the headline."""
    ledger = parse_metadata((PAGES / "ledger.html").read_text(encoding="utf-8"), path="ledger.html")
    courier = parse_metadata((PAGES / "courier.html").read_text(encoding="utf-8"), path="courier.html")
    assert (ledger.url, ledger.title) == ("https://ledger.example/tech/ibm-facial-recognition", "IBM quits facial recognition | The Ledger")
    assert (courier.url, courier.title) == ("https://courier.example/ibm", "IBM ends facial recognition sales")


def test_article_metadata_dates_every_saved_page() -> None:
    """`article_metadata` (what `quotecheck corpus` reads) dates each saved page and names its outlet."""
    paths = sorted(str(p) for p in PAGES.glob("*.html"))
    metas = article_metadata(paths)
    assert len(paths) == 5
    assert all(metas[p].date is not None and metas[p].outlet for p in paths)


@pytest.mark.parametrize(
    "page",
    [
        "<html><head><script type='application/ld+json'>{not json</script></head><body><p>Text.</p></body></html>",
        "<html><head><meta property='article:published_time' content='soon'></head><body></body></html>",
        "<html><head><script type='application/ld+json'>[[[]]]</script><time datetime='31 June 2020'></time></head></html>",
    ],
)
def test_broken_page_metadata_is_left_unknown(page: str) -> None:
    """Malformed JSON-LD and dates that are not dates give no date rather than an error."""
    meta = parse_metadata(page)
    assert meta.date is None
    assert meta.outlet is None


def test_an_rfc_2822_date_is_read() -> None:
    """Some pages print their date as e-mail headers do."""
    page = "<html><head><meta name='date' content='Tue, 09 Jun 2020 14:03:00 GMT'></head></html>"
    assert parse_metadata(page).date == datetime.date(2020, 6, 9)


def test_a_date_in_an_html_sentence_is_not_the_page_date() -> None:
    """As in text, a date mentioned in a sentence is not the article's date."""
    page = "<html><body><p>On June 8, 2020 IBM's CEO sent a letter to Congress.</p></body></html>"
    assert parse_metadata(page).date is None
