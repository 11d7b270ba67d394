"""Reading an article as a reporter does, end to end: terms and speakers the registry cannot confirm (issue 13)."""

from __future__ import annotations

import io
import json
import sys

import pytest

from quotecheck import Flag, QuoteKind, Verdict, check
from quotecheck.cli import main

_LETTER = "IBM no longer offers general purpose IBM facial recognition or analysis software"


def test_a_person_outside_the_registry_is_an_unconfirmed_speaker() -> None:
    """`"...," said Tim Cook.` of Krishna's words is flagged, with a why naming both."""
    quote = check(f'"{_LETTER}," said Tim Cook.').quotes[0]
    assert quote.verdict is Verdict.EXACT
    assert Flag.UNCONFIRMED_SPEAKER in quote.flags
    assert Flag.MISATTRIBUTED not in quote.flags
    why = next(f.why for f in quote.findings if f.flag is Flag.UNCONFIRMED_SPEAKER)
    assert "Tim Cook" in why
    assert "Arvind Krishna" in why


@pytest.mark.parametrize(
    "article",
    [
        f'"{_LETTER}," said Arvind Krishna.',
        f'"{_LETTER}," IBM said.',
        f'"{_LETTER}," according to The Guardian.',
        f'"{_LETTER}," according to Jane Doe.',
        f'She said "{_LETTER}."',
        f'"{_LETTER}," officials said.',
        f'"{_LETTER}," the Richmond Police Department said.',
        f'"{_LETTER}."',
    ],
)
def test_speakers_the_flag_leaves_alone(article: str) -> None:
    """The speaker, the organisation he speaks for, relaying outlets, pronouns, groups and no attribution are not flagged."""
    assert Flag.UNCONFIRMED_SPEAKER not in check(article).quotes[0].flags


def test_a_short_quotation_is_not_confident_enough_to_question_its_speaker() -> None:
    """Two words prove too little of their source to flag who said them."""
    assert Flag.UNCONFIRMED_SPEAKER not in check('"general purpose," said Tim Cook.').quotes[0].flags


def test_a_term_is_reported_but_never_a_misquote() -> None:
    """A title whose words differ from a source is a `term`, unsourced rather than altered."""
    article = "She reread \u201cIBM Will Not Condone Uses of Any Technology\u201d on the train."
    quote = check(article).quotes[0]
    assert quote.kind is QuoteKind.TERM
    assert quote.verdict is Verdict.UNSOURCED
    assert quote.variants == ()


def test_a_term_found_as_printed_keeps_its_verdict() -> None:
    """So-called "general purpose" is in the letter word for word: the term is exact."""
    quote = check("IBM dropped its so-called \u201cgeneral purpose\u201d tools.").quotes[0]
    assert (quote.kind, quote.verdict) == (QuoteKind.TERM, Verdict.EXACT)


def test_a_spaced_closing_mark_does_not_swallow_the_reporters_prose() -> None:
    """`surveillance. " he added` closes the quotation: "first CEO" in the prose after it is no changed number."""
    article = (
        '"IBM firmly opposes and will not condone uses of any technology for mass surveillance. " he added. He was the first CEO to say so.'
    )
    quote = check(article).quotes[0]
    assert quote.text.endswith("mass surveillance.")
    assert Flag.NUMBER_CHANGED not in quote.flags


def test_an_html_fragment_on_standard_input_is_read_as_html(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """A `<p>...</p>` fragment piped in is HTML: its `<q>` is the quotation and a related-links widget is left out."""
    fragment = (
        f"<p>Krishna wrote <q>{_LETTER}</q>.</p>"
        '<div class="related"><a href="/x">IBM "will offer general purpose IBM facial recognition or analysis software"</a></div>'
    )
    monkeypatch.setattr(sys, "stdin", io.StringIO(fragment))
    main(["check", "--exit-zero", "--format", "json", "-"])
    quotes = json.loads(capsys.readouterr().out)["articles"][0]["quotes"]
    assert [(q["text"], q["verdict"], q["tag"] is not None) for q in quotes] == [(_LETTER, "exact", True)]
