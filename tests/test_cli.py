"""The command line: formats, exit statuses and errors that name the file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from quotecheck.cli import main
from tests.conftest import FIXTURES, ROOT

SEED = FIXTURES / "articles" / "002_3a147250428250cb.txt"
ALTERED_SEED = FIXTURES / "articles" / "004_f7eebf713eac0b64.txt"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_json_document_has_the_contract_shape(capsys: pytest.CaptureFixture[str]) -> None:
    """`--format json` prints one document with articles, errors and quotes."""
    status, out, _ = run(capsys, "check", "--format", "json", str(SEED))
    assert status == 0
    doc = json.loads(out)
    (article,) = doc["articles"]
    assert (article["path"], article["error"]) == (str(SEED), None)
    quote = article["quotes"][0]
    assert set(quote) >= {"start", "end", "text", "kind", "attributed_to", "verdict", "flags", "score", "source", "variants"}
    assert set(quote["source"]) >= {"id", "speaker", "paragraph", "start", "end", "text"}
    text = SEED.read_text(encoding="utf-8")
    assert all(text[q["start"] : q["end"]] == q["text"] for q in article["quotes"])


def test_altered_quotation_exits_one_unless_exit_zero(capsys: pytest.CaptureFixture[str]) -> None:
    """Findings exit 1, like a linter; --exit-zero turns that into 0."""
    assert run(capsys, "check", str(ALTERED_SEED))[0] == 1
    assert run(capsys, "check", "--exit-zero", str(ALTERED_SEED))[0] == 0


def test_fail_on_chooses_the_failing_verdicts(capsys: pytest.CaptureFixture[str]) -> None:
    """--fail-on unsourced fails an article whose quotations are only exact and unsourced."""
    assert run(capsys, "check", str(SEED))[0] == 0
    assert run(capsys, "check", "--fail-on", "unsourced", str(SEED))[0] == 1


def test_bad_files_beside_a_good_one_get_errors_and_the_good_one_a_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Invalid UTF-8 and an empty file are named with their problem; the seed is still fully checked."""
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b'caf\xe9 "au lait"\n')
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    status, out, err = run(capsys, "check", "--format", "json", str(bad), str(empty), str(SEED))
    assert status == 0
    articles = {a["path"]: a for a in json.loads(out)["articles"]}
    assert "not valid UTF-8" in articles[str(bad)]["error"]
    assert "empty" in articles[str(empty)]["error"]
    assert articles[str(SEED)]["error"] is None
    assert len(articles[str(SEED)]["quotes"]) == 5
    assert str(bad) in err
    assert str(empty) in err


def test_nothing_readable_exits_two(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """When no article could be read the status is 2, and the message names the file."""
    status, _, err = run(capsys, "check", str(tmp_path / "missing.txt"))
    assert status == 2
    assert "missing.txt: no such file" in err


def test_a_bad_registry_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A registry directory that does not exist exits 2 with a message, not a traceback."""
    status, _, err = run(capsys, "check", "--registry", str(tmp_path / "nope"), str(SEED))
    assert status == 2
    assert err.startswith("quotecheck: error:")


def test_directories_are_walked(capsys: pytest.CaptureFixture[str]) -> None:
    """A directory stands for its article files, sorted."""
    _, out, _ = run(capsys, "check", "--format", "json", "--exit-zero", str(FIXTURES / "articles"))
    assert [Path(a["path"]).name for a in json.loads(out)["articles"]] == sorted(p.name for p in (FIXTURES / "articles").glob("*.txt"))


def test_jsonl_writes_one_article_per_line(capsys: pytest.CaptureFixture[str]) -> None:
    """--format jsonl prints one complete JSON object per article."""
    _, out, _ = run(capsys, "check", "--format", "jsonl", "--exit-zero", str(FIXTURES / "articles"))
    lines = out.splitlines()
    assert len(lines) == 5
    assert all(json.loads(line)["error"] is None for line in lines)


def test_verify_prints_one_quote(capsys: pytest.CaptureFixture[str]) -> None:
    """`verify --format json` prints one QUOTE with offsets into the argument."""
    status, out, _ = run(capsys, "verify", "--format", "json", "IBM firmly opposes and will condone uses of any technology")
    quote = json.loads(out)
    assert status == 1
    assert quote["verdict"] == "altered"
    assert "negation_changed" in quote["flags"]


def test_text_report_shows_the_source_and_the_changes(capsys: pytest.CaptureFixture[str]) -> None:
    """The text report names the verdict, the source and paragraph, and each substantive change."""
    _, out, _ = run(capsys, "check", str(ALTERED_SEED))
    assert "ALTERED" in out
    assert "krishna-2020-06-08 \u00b615" in out
    assert "\u201cmade available from\u201d is printed where the source says \u201coffered by\u201d" in out


def test_python_dash_m_works_like_the_script() -> None:
    """`python -m quotecheck` runs the same CLI."""
    result = subprocess.run(
        [sys.executable, "-m", "quotecheck", "check", "-"],
        input='He said "a national dialogue".',
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0
    assert "EXACT" in result.stdout


def test_summary_line_names_serious_findings(capsys: pytest.CaptureFixture[str]) -> None:
    """The text report's last line counts verdicts and names a changed negation."""
    _, out, _ = run(capsys, "verify", "IBM firmly opposes and will condone uses of any technology")
    assert out.rstrip().splitlines()[-1] == "1 quotation in 1 article: 1 altered; 1 negation changed"


def test_findings_are_in_the_json_with_reasons(capsys: pytest.CaptureFixture[str]) -> None:
    """Each flag comes with a finding whose why names what happened, and its spans."""
    _, out, _ = run(capsys, "verify", "--format", "json", "--speaker", "Krishna", "has an equal right to live and work in America")
    quote = json.loads(out)
    (finding,) = [f for f in quote["findings"] if f["flag"] == "misattributed"]
    assert "Thomas J. Watson, Jr." in finding["why"]
    assert finding["source"] == [quote["source"]["start"], quote["source"]["end"]]


def test_fail_on_one_verdict_means_that_verdict_or_worse(capsys: pytest.CaptureFixture[str]) -> None:
    """--fail-on altered fails an article whose only failing quotations are unsourced; --fail-on paraphrase as well."""
    assert run(capsys, "check", "--fail-on", "altered", str(SEED))[0] == 1
    assert run(capsys, "check", "--fail-on", "paraphrase", str(SEED))[0] == 1
    assert run(capsys, "check", "--fail-on", "altered,paraphrase", str(SEED))[0] == 0


def test_fail_on_a_list_names_exactly_its_verdicts(capsys: pytest.CaptureFixture[str]) -> None:
    """The older forms, a comma list or repeated options, fail on the verdicts named and no others."""
    assert run(capsys, "check", "--fail-on", "editorial,cosmetic", str(ALTERED_SEED))[0] == 0
    assert run(capsys, "check", "--fail-on", "editorial", "--fail-on", "cosmetic", str(ALTERED_SEED))[0] == 0
    assert run(capsys, "check", "--fail-on", "editorial", str(ALTERED_SEED))[0] == 1
    assert run(capsys, "check", "--fail-on", "cosmetic,altered", str(ALTERED_SEED))[0] == 1


def test_fail_on_an_unknown_verdict_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """A misspelt verdict exits 2 with a message naming it and the verdicts there are."""
    with pytest.raises(SystemExit) as exit_info:
        main(["check", "--fail-on", "alterd", str(SEED)])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "--fail-on='alterd'" in err
    assert "exact, cosmetic, editorial, altered, paraphrase, unsourced" in err


_FRAGMENT = "He wrote: <q>IBM no longer offers general purpose IBM facial recognition or analysis software</q> to Congress.\n"


@pytest.mark.parametrize(("how", "tagged"), [("html", True), ("auto", False), ("text", False)])
def test_input_format_reads_standard_input_as_asked(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, how: str, tagged: bool
) -> None:
    """`--input-format html` reads a fragment the sniffing leaves as text; `text` reads even an .html file as text."""
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(_FRAGMENT.encode("utf-8"))))
    status, out, _ = run(capsys, "check", "--input-format", how, "--format", "json", "--exit-zero", "-")
    assert status == 0
    [quote] = json.loads(out)["articles"][0]["quotes"]
    assert (quote["tag"] is not None) is tagged
    page = tmp_path / "page.html"
    page.write_text(_FRAGMENT, encoding="utf-8")
    status, out, _ = run(capsys, "check", "--input-format", how, "--format", "json", "--exit-zero", str(page))
    [quote] = json.loads(out)["articles"][0]["quotes"]
    assert (quote["tag"] is not None) is (how != "text")


def test_an_unknown_input_format_is_refused() -> None:
    """`Config(input_format=...)` takes only auto, text or html."""
    from quotecheck import Config, InvalidArgument

    with pytest.raises(InvalidArgument, match="input_format='xml' must be one of auto, text, html"):
        Config(input_format="xml")
