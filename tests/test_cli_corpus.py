"""The `quotecheck corpus` command: arguments, outputs and exit status."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quotecheck.cli import main


def test_corpus_text_summary_of_the_seed_articles(articles: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The text summary names the firmly-opposes family and exits 0."""
    assert main(["corpus", str(articles)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("5 articles (4 dated, 0 with an outlet)")
    assert "IBM firmly opposes" in out
    assert "copy links: none" in out


def test_corpus_json_with_a_manifest(articles: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--manifest supplies outlets; --format json prints families, variants and links."""
    manifest = tmp_path / "m.csv"
    manifest.write_text("path,outlet\n" + "".join(f"{p},Outlet {p.name[:3]}\n" for p in sorted(articles.glob("*.txt"))), encoding="utf-8")
    assert main(["corpus", "--manifest", str(manifest), "--format", "json", str(articles)]) == 0
    document = json.loads(capsys.readouterr().out)
    assert {a["outlet"] for a in document["articles"]} == {f"Outlet {n:03d}" for n in range(5)}
    assert document["links"] == []
    assert all(v["diff"] is not None for f in document["families"] for v in f["variants"])


def test_corpus_takes_the_article_limits(articles: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--max-quote-words works for corpus as for check: longer quotations are not aligned, so no family holds them."""
    assert main(["corpus", "--format", "json", str(articles)]) == 0
    families = len(json.loads(capsys.readouterr().out)["families"])
    assert main(["corpus", "--format", "json", "--max-quote-words", "3", str(articles)]) == 0
    document = json.loads(capsys.readouterr().out)
    assert 0 < len(document["families"]) < families


def test_corpus_html(articles: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--format html prints one page."""
    assert main(["corpus", "--format", "html", str(articles)]) == 0
    assert capsys.readouterr().out.startswith("<!DOCTYPE html>")


def test_a_bad_manifest_is_a_clear_error(articles: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A malformed manifest exits 2 with the file and line, and no traceback."""
    manifest = tmp_path / "m.csv"
    manifest.write_text("file\nx\n", encoding="utf-8")
    assert main(["corpus", "--manifest", str(manifest), str(articles)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"quotecheck: error: {manifest}:1: the header row must name a `path` column")


def test_no_readable_article_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """When no article can be read, the status is 2 and each error is on standard error."""
    assert main(["corpus", str(tmp_path / "missing.txt")]) == 2
    assert "missing.txt: no such file" in capsys.readouterr().err
