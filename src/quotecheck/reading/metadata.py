"""Article metadata: when, where and under what title an article was printed.

Provenance across a corpus needs to know who printed a quotation first, so
each article gets an `ArticleMeta`: date, outlet, URL and title. They come
from, in order of precedence:

1. a manifest (CSV or JSON Lines) that names each article by path;
2. YAML (`---`) or TOML (`+++`) front matter at the top of the article;
3. for an HTML page, its own markup: `article:published_time` and other
   date `<meta>` tags, JSON-LD `datePublished`, `headline`, `url` and
   `publisher.name`, `<time datetime>`, `og:site_name`, `og:title` or
   `<title>`, and `<link rel=canonical>` or `og:url`;
4. for the date only, a clearly dated line near the top of the text (of an
   HTML page, of the text a reader sees): a line
   that is a date and nothing else ("Thursday 25 June, 2020"), a byline that
   ends in a date ("By Jane Doe Jun 09, 2020"), or a line that starts with a
   label and a date ("date 2020-06-08 ...", "Published: June 8, 2020").

Nothing is guessed: a date mentioned in a sentence ("On June 8, 2020 IBM's
CEO sent a letter") is not the article's date, and an outlet is never
inferred from a URL or a name in the text. Missing metadata stays `None`.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import email.utils
import io
import json
import os
import tomllib
from collections.abc import Iterable, Mapping
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import attrs
import regex

from quotecheck.errors import InputError, ManifestError
from quotecheck.reading._io import read_text
from quotecheck.reading.markup import looks_like_html, read_html

__all__ = [
    "ArticleMeta",
    "article_metadata",
    "html_metadata",
    "parse_date",
    "parse_metadata",
    "read_manifest",
]


@attrs.frozen
class ArticleMeta:
    """What is known about where and when an article was printed.

    Attributes:
        path: the article's path as given (or a name for an article without one).
        date: the publication date, as printed (no time-zone conversion).
        outlet: the publication, as the metadata names it.
        url: the article's address.
        title: the headline.
        date_from: where the date was read, for a reader to judge it
            ("manifest", "front matter date", "line 3: Thursday 25 June, 2020").
    """

    path: str | None = None
    date: datetime.date | None = None
    outlet: str | None = None
    url: str | None = None
    title: str | None = None
    date_from: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The ARTICLE object of the corpus JSON document."""
        return {
            "path": self.path,
            "date": self.date.isoformat() if self.date else None,
            "outlet": self.outlet,
            "url": self.url,
            "title": self.title,
            "date_from": self.date_from,
        }


# Keys read from front matter and manifests, most specific first.
_DATE_KEYS = ("date", "published", "publishdate", "pubdate", "date_published", "published_at", "publication_date")
_OUTLET_KEYS = ("outlet", "publisher", "publication", "site_name", "site")
_URL_KEYS = ("url", "link", "canonical_url", "canonical", "permalink")
_TITLE_KEYS = ("title", "headline")

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
# A date as newsrooms print it: ISO, "25 June, 2020" or "June 25, 2020"; weekday optional.
_DATE = (
    r"(?:"
    r"(?P<iso>(?P<y1>\d{4})-(?P<m1>\d{1,2})-(?P<d1>\d{1,2}))(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
    rf"|{_WEEKDAY}(?:(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH.replace('month', 'mo2')},?\s+(?P<y2>\d{{4}})"
    rf"|{_MONTH}\s+(?P<d3>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y3>\d{{4}}))"
    r")"
)
_TIME = r"(?:,?\s*(?:at\s+)?\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s+[A-Z]{2,4}\b)?)?"
# Possessive (*+): two runs of separators side by side must not trade characters, or a long line backtracks quadratically.
_SEPARATORS = r"[\s,|\u00b7\u2022\u2014\u2013-]*+"
# "By" and one to six capitalised names (particles such as "de" allowed).
_NAME = r"\p{Lu}[\p{L}.'\u2019-]*"
_BYLINE = rf"(?:by\s+(?-i:{_NAME}(?:\s+(?:{_NAME}|and|de|da|van|von|der|la|le)){{0,5}}))"
_LABEL = r"(?:date|dated|published(?:\s+on)?|posted(?:\s+on)?|updated|last\s+updated|first\s+published)"
_FULL_DATE = regex.compile(rf"\A{_DATE}\Z", regex.IGNORECASE)
# A line that is a date and nothing else, or a byline ending in one.
_DATE_ONLY_LINE = regex.compile(rf"\A{_SEPARATORS}{_BYLINE}?{_SEPARATORS}{_DATE}{_TIME}{_SEPARATORS}\Z", regex.IGNORECASE)
# A line that starts with a label and a date; the rest of the line may be anything.
_LABELLED_LINE = regex.compile(rf"\A\s*{_LABEL}\s*[:=\-]?\s*{_DATE}(?!\w)", regex.IGNORECASE)
_FRONT_MATTER = regex.compile(
    r"\A\ufeff?(?:(?P<yaml>---)[ \t]*\r?\n(?P<ybody>.*?)^(?:---|\.\.\.)"
    r"|(?P<toml>\+\+\+)[ \t]*\r?\n(?P<tbody>.*?)^\+\+\+)[ \t]*(?:\r?\n|\Z)",
    regex.DOTALL | regex.MULTILINE,
)
_YAML_SCALAR = regex.compile(r"^(?P<key>[A-Za-z_][\w-]*)[ \t]*:[ \t]*(?P<value>.*?)[ \t]*$", regex.MULTILINE)

# How far down an article a date line may be: headline, kicker, byline and
# date come first; anything further down is body text.
DATE_LINE_LINES = 10
DATE_LINE_CHARS = 2000


def _date_of(match: regex.Match[str]) -> datetime.date | None:
    try:
        if match.group("iso"):
            return datetime.date(int(match.group("y1")), int(match.group("m1")), int(match.group("d1")))
        if match.group("d2"):
            return datetime.date(int(match.group("y2")), _MONTHS[match.group("mo2").lower()], int(match.group("d2")))
        return datetime.date(int(match.group("y3")), _MONTHS[match.group("month").lower()], int(match.group("d3")))
    except ValueError:  # 31 June and the like: not a date
        return None


def parse_date(text: str) -> datetime.date | None:
    """Reads a date written alone: ISO (a time may follow) or a newsroom style.

    Returns:
        The date, or None when `text` is not exactly one valid date.

    >>> parse_date("2020-06-15T08:00:00-05:00")
    datetime.date(2020, 6, 15)
    >>> parse_date("Thursday 25 June, 2020")
    datetime.date(2020, 6, 25)
    >>> parse_date("Jun 09, 2020")
    datetime.date(2020, 6, 9)
    >>> parse_date("June 31, 2020") is None
    True
    """
    match = _FULL_DATE.match(text.strip())
    return _date_of(match) if match else None


def _date_value(value: object) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        return parse_date(value)
    return None


def _string(value: object) -> str | None:
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        text = str(value).strip()
        return text or None
    return None


def _first(fields: Mapping[str, object], keys: Iterable[str]) -> tuple[str, object] | None:
    lowered = {k.lower(): v for k, v in fields.items()}
    for key in keys:
        if lowered.get(key) not in (None, ""):
            return key, lowered[key]
    return None


def _from_fields(fields: Mapping[str, object], *, path: str | None, origin: str) -> ArticleMeta:
    date = date_from = None
    found = _first(fields, _DATE_KEYS)
    if found is not None:
        date = _date_value(found[1])
        date_from = f"{origin} {found[0]}" if date else None
    outlet, url, title = (_first(fields, keys) for keys in (_OUTLET_KEYS, _URL_KEYS, _TITLE_KEYS))
    return ArticleMeta(
        path,
        date,
        _string(outlet[1]) if outlet else None,
        _string(url[1]) if url else None,
        _string(title[1]) if title else None,
        date_from,
    )


def _yaml_fields(body: str) -> dict[str, object]:
    """Top-level `key: value` scalars of YAML front matter; lists and maps are skipped."""
    fields: dict[str, object] = {}
    for m in _YAML_SCALAR.finditer(body):
        value = m.group("value")
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        elif " #" in value:
            value = value.split(" #", 1)[0].rstrip()
        fields.setdefault(m.group("key"), value)
    return fields


def _merge(base: ArticleMeta, over: ArticleMeta) -> ArticleMeta:
    """Fields of `over` where it has them, else those of `base`."""
    return ArticleMeta(
        over.path or base.path,
        over.date or base.date,
        over.outlet or base.outlet,
        over.url or base.url,
        over.title or base.title,
        over.date_from if over.date else base.date_from,
    )


_HTML_DATE_META = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "date",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "dc.date.issued",
    "dc.date",
    "dcterms.created",
    "citation_publication_date",
    "sailthru.date",
    "parsely-pub-date",
)
_HTML_SUFFIXES = (".html", ".htm")


class _HeadReader(HTMLParser):
    """Collects what a page says of itself: meta tags, JSON-LD, `<time>`, `<title>` and the canonical link."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.json_ld: list[str] = []
        self.times: list[tuple[bool, str]] = []  # (marked as the publication date, datetime)
        self.title: list[str] = []
        self.canonical: str | None = None
        self._in: str | None = None  # "title" or "ld" while inside one

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").strip().lower()
            if key and a.get("content", "").strip():
                self.meta.setdefault(key, a["content"].strip())
        elif tag == "link" and "canonical" in a.get("rel", "").lower().split() and a.get("href"):
            self.canonical = self.canonical or a["href"].strip()
        elif tag == "time" and a.get("datetime"):
            marked = "datepublished" in (a.get("itemprop", "") + " " + a.get("class", "")).lower().replace("-", "")
            self.times.append((marked or "pubdate" in a, a["datetime"].strip()))
        elif tag == "script" and "ld+json" in a.get("type", "").lower():
            self._in = "ld"
            self.json_ld.append("")
        elif tag == "title" and not self.title:
            self._in = "title"
            self.title.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "title"):
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "ld":
            self.json_ld[-1] += data
        elif self._in == "title":
            self.title[-1] += data


def _json_ld_objects(texts: Iterable[str]) -> list[Mapping[str, Any]]:
    """The JSON-LD objects of a page, flattened from lists and `@graph`; a script that is not JSON is skipped."""
    out: list[Mapping[str, Any]] = []
    pending: list[object] = []
    for text in texts:
        try:
            pending.append(json.loads(text))
        except (json.JSONDecodeError, RecursionError):
            continue
    while pending:
        item = pending.pop(0)
        if isinstance(item, list):
            pending.extend(item)
        elif isinstance(item, dict):
            out.append(item)
            graph = item.get("@graph")
            if isinstance(graph, list):
                pending.extend(graph)
    return out


def _html_date(value: str) -> datetime.date | None:
    """An ISO or newsroom date, or an RFC 2822 one ("Tue, 09 Jun 2020 14:03:00 GMT")."""
    date = parse_date(value)
    if date is None:
        with contextlib.suppress(TypeError, ValueError, IndexError):
            date = email.utils.parsedate_to_datetime(value).date()
    return date


def _name_of(value: object) -> str | None:
    if isinstance(value, Mapping):
        return _string(value.get("name"))
    if isinstance(value, list) and value:
        return _name_of(value[0])
    return _string(value)


def html_metadata(html: str, *, path: str | None = None) -> ArticleMeta:
    """Reads what an HTML page says of itself: date, outlet, address and headline.

    The date comes from, in order: `article:published_time` (and other date
    `<meta>` tags), JSON-LD `datePublished`, a `<time>` marked as the
    publication date, the first `<time datetime>`, and a date line near the
    top of the text a reader sees. The outlet from `og:site_name`, else
    JSON-LD `publisher.name`; the address from `<link rel=canonical>`, else
    `og:url` or JSON-LD `url`; the headline from `og:title`, JSON-LD
    `headline`, else `<title>`.

    Args:
        html: the page, as decoded text.
        path: its path, kept in the result.

    Returns:
        What the page says of itself; fields it does not give are None.

    >>> page = '<meta property="og:site_name" content="The Ledger"><p><time datetime="2020-06-09">June 9</time></p>'
    >>> meta = html_metadata(page)
    >>> meta.date, meta.outlet, meta.date_from
    (datetime.date(2020, 6, 9), 'The Ledger', 'time datetime')
    """
    reader = _HeadReader()
    reader.feed(html)
    reader.close()
    objects = _json_ld_objects(reader.json_ld)
    articles = [o for o in objects if any(k in o for k in ("datePublished", "headline", "publisher"))]
    date = date_from = None
    candidates: list[tuple[str, str]] = [(f"meta {k}", reader.meta[k]) for k in _HTML_DATE_META if k in reader.meta]
    candidates += [("JSON-LD datePublished", str(o["datePublished"])) for o in articles if _string(o.get("datePublished"))]
    candidates += [("time datetime", t) for marked, t in reader.times if marked]
    candidates += [("time datetime", t) for _, t in reader.times[:1]]
    for origin, value in candidates:
        date = _html_date(value)
        if date is not None:
            date_from = origin
            break
    outlet = reader.meta.get("og:site_name") or next((n for o in articles if (n := _name_of(o.get("publisher")))), None)
    url = reader.canonical or reader.meta.get("og:url") or next((u for o in articles if (u := _string(o.get("url")))), None)
    title = (
        reader.meta.get("og:title")
        or next((h for o in articles if (h := _string(o.get("headline")))), None)
        or (" ".join(reader.title[0].split()) if reader.title and reader.title[0].strip() else None)
    )
    meta = ArticleMeta(path, date, outlet, url, title, date_from)
    if meta.date is None:
        meta = _merge(meta, _date_line(read_html(html).text, 0, path))
    return meta


def parse_metadata(text: str, *, path: str | None = None) -> ArticleMeta:
    """Reads an article's own metadata: its front matter (or an HTML page's markup), then a date line near the top.

    Args:
        text: the article, as read.
        path: the article's path, kept in the result.

    Returns:
        What the article says of itself; fields it does not give are None.

    >>> parse_metadata(" date 2020-06-08 IBM will no longer offer ...").date
    datetime.date(2020, 6, 8)
    >>> parse_metadata("On June 8, 2020 IBM's CEO sent a letter to Congress.").date is None
    True
    """
    if (path is not None and Path(path).suffix.lower() in _HTML_SUFFIXES) or looks_like_html(text):
        return html_metadata(text, path=path)
    meta = ArticleMeta(path)
    body_start = 0
    front = _FRONT_MATTER.match(text)
    if front is not None:
        body_start = front.end()
        fields: dict[str, object] = {}
        if front.group("yaml"):
            fields = _yaml_fields(front.group("ybody"))
        else:
            try:
                fields = tomllib.loads(front.group("tbody"))
            except tomllib.TOMLDecodeError:
                fields = {}  # extraction skips it too; a broken header is not the article's date
        meta = _from_fields(fields, path=path, origin="front matter")
    if meta.date is None:
        meta = _merge(meta, _date_line(text, body_start, path))
    return meta


def _date_line(text: str, start: int, path: str | None) -> ArticleMeta:
    line_number = text.count("\n", 0, start) + 1
    seen = 0
    for line in text[start : start + DATE_LINE_CHARS].splitlines():
        if seen >= DATE_LINE_LINES:
            break
        if line.strip():
            seen += 1
            match = _DATE_ONLY_LINE.match(line) or _LABELLED_LINE.match(line)
            date = _date_of(match) if match else None
            if date is not None:
                return ArticleMeta(path, date, date_from=f"line {line_number}: {match.group().strip()}" if match else None)
        line_number += 1
    return ArticleMeta(path)


def read_manifest(path: str | os.PathLike[str]) -> dict[str, ArticleMeta]:
    """Reads a manifest of article metadata: CSV with a header row, or JSON Lines.

    Each row names an article by `path` (relative to the manifest's folder, or
    absolute) and may give `date` (ISO or a newsroom style), `outlet`, `url`
    and `title`; other columns are ignored. JSON Lines is recognised by a
    `.jsonl` or `.ndjson` suffix or by a first character `{`.

    Returns:
        The metadata by resolved article path (see `article_metadata`).

    Raises:
        InputError: the manifest cannot be read.
        ManifestError: a row is malformed; the message names the file and line.
    """
    name = str(path)
    text = read_text(Path(path))
    base = Path(path).resolve().parent
    rows = (
        _jsonl_rows(text, name)
        if Path(path).suffix.lower() in {".jsonl", ".ndjson"} or text.lstrip().startswith("{")
        else _csv_rows(text, name)
    )
    manifest: dict[str, ArticleMeta] = {}
    for line, row in rows:
        article = _string(row.get("path"))
        if article is None:
            raise ManifestError(name, "the row has no `path`", line=line)
        date_text = row.get("date")
        meta = _from_fields({k: v for k, v in row.items() if k.lower() != "date"}, path=article, origin="manifest")
        if _string(date_text) is not None:
            date = _date_value(date_text)
            if date is None:
                raise ManifestError(name, f"date={date_text!r} is not a date (expected e.g. 2020-06-08 or June 8, 2020)", line=line)
            meta = attrs.evolve(meta, date=date, date_from="manifest")
        manifest[str((base / article).resolve())] = meta
    return manifest


def _csv_rows(text: str, name: str) -> list[tuple[int, dict[str, object]]]:
    reader = csv.DictReader(io.StringIO(text))
    fields = [f.strip().lower() for f in reader.fieldnames or ()]
    if "path" not in fields:
        raise ManifestError(name, f"the header row must name a `path` column, got {', '.join(fields) or 'nothing'}", line=1)
    rows: list[tuple[int, dict[str, object]]] = []
    try:
        for row in reader:
            if None in row:
                raise ManifestError(name, "the row has more fields than the header", line=reader.line_num)
            rows.append((reader.line_num, {k.strip().lower(): v for k, v in row.items() if k is not None}))
    except csv.Error as exc:
        raise ManifestError(name, f"not valid CSV ({exc})", line=reader.line_num) from None
    return rows


def _jsonl_rows(text: str, name: str) -> list[tuple[int, dict[str, object]]]:
    rows: list[tuple[int, dict[str, object]]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ManifestError(name, f"not valid JSON ({exc.msg})", line=number) from None
        if not isinstance(row, dict):
            raise ManifestError(name, f"expected a JSON object, got {type(row).__name__}", line=number)
        rows.append((number, {str(k).lower(): v for k, v in row.items()}))
    return rows


def article_metadata(paths: Iterable[str], *, manifest: Mapping[str, ArticleMeta] | None = None) -> dict[str, ArticleMeta]:
    """The metadata of article files: the manifest's, else what each file says of itself.

    A manifest field wins over the file's own; a field neither gives is None.
    A file that cannot be read (or `-`, standard input, already consumed) gets
    only what the manifest says.

    Args:
        paths: article paths, as given to `check_stream`.
        manifest: from `read_manifest`.

    Returns:
        The metadata by path, exactly as given in `paths`.
    """
    result: dict[str, ArticleMeta] = {}
    for path in paths:
        own = ArticleMeta(path)
        if path != "-":
            with contextlib.suppress(InputError):
                own = parse_metadata(read_text(path), path=path)
        listed = (manifest or {}).get(str(Path(path).resolve())) if path != "-" else None
        result[path] = _merge(own, attrs.evolve(listed, path=path)) if listed else own
    return result
