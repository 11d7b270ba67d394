"""`--format csv` for spreadsheets and `--format github` for GitHub Actions annotations."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from quotecheck.cli import main
from quotecheck.rendering.report import CSV_COLUMNS
from tests.conftest import FIXTURES

ARTICLES = FIXTURES / "articles"
ANNOTATION = re.compile(
    r"^::(error|warning) title=quotecheck \((\w+)\)(?:,file=([^,:]*))?"
    r"(?:,line=(\d+),col=(\d+),endLine=(\d+),endColumn=(\d+))?::(.*)$"
)


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def _json(capsys: pytest.CaptureFixture[str], *paths: str) -> dict[str, dict[str, object]]:
    _, out, _ = _run(capsys, "check", "--format", "json", *paths)
    return {a["path"]: a for a in json.loads(out)["articles"]}


def test_csv_has_a_row_per_quotation_matching_the_json(capsys: pytest.CaptureFixture[str]) -> None:
    """Every quotation of the JSON report is one CSV row, with the same offsets, text and verdict, in order."""
    status, out, _ = _run(capsys, "check", "--format", "csv", str(ARTICLES))
    assert status == 1  # the same exit status as any other format
    rows = list(csv.DictReader(io.StringIO(out)))
    assert tuple(csv.reader(io.StringIO(out)).__next__()) == CSV_COLUMNS
    articles = _json(capsys, str(ARTICLES))
    expected = [(path, q["start"], q["end"], q["text"], q["verdict"]) for path, a in articles.items() for q in a["quotes"]]  # type: ignore[attr-defined]
    assert [(r["article"], int(r["start"]), int(r["end"]), r["text"], r["verdict"]) for r in rows] == expected
    assert out.endswith("\r\n")


def test_csv_gives_a_failed_article_a_row_with_its_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """An unreadable article is one row with `error` set and the other cells empty; the good article keeps its rows."""
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b'caf\xe9 "au lait"\n')
    seed = ARTICLES / "002_3a147250428250cb.txt"
    _, out, _ = _run(capsys, "check", "--format", "csv", str(bad), str(seed))
    rows = list(csv.DictReader(io.StringIO(out)))
    (error_row,) = [r for r in rows if r["article"] == str(bad)]
    assert "not valid UTF-8" in error_row["error"]
    assert all(error_row[name] == "" for name in CSV_COLUMNS if name not in {"article", "error"})
    assert len([r for r in rows if r["article"] == str(seed)]) == len(_json(capsys, str(seed))[str(seed)]["quotes"])  # type: ignore[arg-type]


def test_csv_cells_never_run_as_spreadsheet_formulas(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A quotation starting with `=` or `@` gets a leading `'`, and a control character is shown as an escape."""
    article = tmp_path / "formula.txt"
    article.write_text('She said: "=HYPERLINK(\\"http://x\\") is fine." Then: "@SUM(A1) \x1b[2J here."\n', encoding="utf-8")
    _, out, _ = _run(capsys, "check", "--format", "csv", "--exit-zero", str(article))
    texts = [r["text"] for r in csv.DictReader(io.StringIO(out))]
    assert texts
    assert all(not t.startswith(("=", "+", "-", "@")) for t in texts)
    assert any(t.startswith("'=") for t in texts) or any(t.startswith("'@") for t in texts)
    assert "\x1b" not in out


def _annotations(out: str) -> list[re.Match[str]]:
    matches = [ANNOTATION.match(line) for line in out.splitlines()]
    assert all(m is not None for m in matches), out
    return [m for m in matches if m is not None]


def test_github_annotates_each_failing_quotation_at_its_line_and_column(capsys: pytest.CaptureFixture[str]) -> None:
    """One `::error` per quotation with a failing verdict, placed where the quotation starts and ends in its file."""
    status, out, _ = _run(capsys, "check", "--format", "github", str(ARTICLES))
    assert status == 1
    articles = _json(capsys, str(ARTICLES))
    failing = [(path, q) for path, a in articles.items() for q in a["quotes"] if q["verdict"] in {"altered", "paraphrase"}]  # type: ignore[attr-defined]
    found = _annotations(out)
    assert len(found) == len(failing) >= 1
    for match, (path, quote) in zip(found, failing, strict=True):
        level, verdict, file, line, col, end_line, end_col, message = match.groups()
        assert (level, verdict, file) == ("error", quote["verdict"], path)
        lines = Path(path).read_text(encoding="utf-8").split("\n")
        assert lines[int(line) - 1][int(col) - 1 :].startswith(quote["text"].split("\n")[0])
        assert lines[int(end_line) - 1][: int(end_col) - 1].endswith(quote["text"].split("\n")[-1])
        assert message.startswith(f"{path}:{line}:{col}: {verdict}")


def test_github_follows_fail_on(capsys: pytest.CaptureFixture[str]) -> None:
    """With `--fail-on unsourced`, the unsourced quotations are the errors and the altered ones are not annotated."""
    seed = ARTICLES / "004_f7eebf713eac0b64.txt"
    _, out, _ = _run(capsys, "check", "--format", "github", "--fail-on", "unsourced", str(seed))
    quotes = _json(capsys, str(seed))[str(seed)]["quotes"]
    assert [m.group(2) for m in _annotations(out)] == [q["verdict"] for q in quotes if q["verdict"] == "unsourced"]  # type: ignore[attr-defined,index]


def test_github_escapes_what_would_break_a_workflow_command(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A file name with `,` and `:` and a message with a newline or `%` stay one well-formed command each."""
    folder = tmp_path / "a,b:c"
    folder.mkdir()
    article = folder / "x.txt"
    article.write_text(
        'Krishna wrote: "IBM firmly opposes and will condone uses of any technology, 100%\nfor mass surveillance."\n', encoding="utf-8"
    )
    unreadable = folder / "bad.txt"
    unreadable.write_bytes(b"\xff\xfe\xfa")
    _, out, _ = _run(capsys, "check", "--format", "github", str(article), str(unreadable))
    found = _annotations(out)
    escaped = {str(path).replace(":", "%3A").replace(",", "%2C") for path in (article, unreadable)}
    assert {m.group(3) for m in found} == escaped
    assert any(m.group(1) == "error" and m.group(2) == "error" for m in found)
    assert all("%0A" not in m.group(3) for m in found)
    assert "%25" in out
