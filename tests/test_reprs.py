"""Reprs for a person reading a notebook cell or a falsifying example: never a whole source text."""

from __future__ import annotations

import pydoc
from pathlib import Path

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

import quotecheck
from quotecheck import strategies as qst
from quotecheck.matching.align import Alignment, Opcode, Piece, Reading
from quotecheck.sources.registry import short_text
from tests.conftest import FIXTURES

REGISTRY = quotecheck.builtin_registry()
LONGEST = max(REGISTRY, key=lambda s: len(s.text))


def test_a_registry_repr_is_a_summary() -> None:
    """`repr(registry)` counts the sources and gives the start of the hash."""
    assert repr(REGISTRY) == f"Registry({len(REGISTRY)} sources, hash={REGISTRY.hash[:12]}...)"
    one = quotecheck.Registry.from_sources([LONGEST])
    assert repr(one) == f"Registry(1 source, hash={one.hash[:12]}...)"


def test_a_source_repr_holds_its_length_not_its_text() -> None:
    """A source's repr names it and shows its text's length and first words, never the whole text."""
    shown = repr(LONGEST)
    assert LONGEST.id in shown
    assert f"<{len(LONGEST.text):,} chars: " in shown
    assert LONGEST.text not in shown
    assert len(shown) < 1000 < len(LONGEST.text)


@given(st.text(max_size=300))
def test_short_text_is_bounded_and_exact_when_short(text: str) -> None:
    """Up to 40 characters the repr is the text's own repr; beyond, a bounded summary that states the length."""
    shown = short_text(text)
    if len(text) <= 40:
        assert shown == repr(text)
    else:
        assert shown.startswith(f"<{len(text):,} chars: ")
        assert len(shown) <= len(repr(text[:40] + "\u2026")) + 20


def test_an_alignment_names_its_source_and_counts_long_opcodes() -> None:
    """An alignment (and a piece or reading holding one) shows its source by id and counts opcodes past eight."""
    ops = tuple(Opcode("equal", n, n + 1, n, n + 1) for n in range(20))
    alignment = Alignment(LONGEST, 0, 20, 1.0, ops, 20, 0, 20, 20)
    shown = repr(Reading((Piece(0, 20, alignment),), 1.0))
    assert f"source=<Source {LONGEST.id!r}>" in shown
    assert "opcodes=<20 opcodes>" in shown
    assert LONGEST.text[:200] not in shown
    assert "Opcode(tag='equal'" in repr(attrs.evolve(alignment, opcodes=ops[:3]))


def test_config_repr_shows_only_what_differs() -> None:
    """The default config is `Config()`; an evolved one names only the changed thresholds."""
    assert repr(quotecheck.DEFAULT_CONFIG) == "Config()"
    assert repr(attrs.evolve(quotecheck.DEFAULT_CONFIG, max_quote_words=50)) == "Config(max_quote_words=50)"
    assert eval(repr(quotecheck.Config(altered_min_score=0.7)), {"Config": quotecheck.Config}) == quotecheck.Config(altered_min_score=0.7)


def test_help_of_check_files_does_not_print_the_whole_config() -> None:
    """`help(check_files)` shows the default config as `Config()`."""
    text = pydoc.render_doc(quotecheck.check_files, renderer=pydoc.plaintext)
    assert "config: 'Config' = Config()" in text
    assert "altered_min_score" not in text


@settings(max_examples=20, deadline=None)
@given(qst.quotations())
def test_a_quotation_draw_repr_holds_no_source_text(draw: qst.QuotationDraw) -> None:
    """A falsifying example shows the quotation and where it was cut, not the registry or the source."""
    shown = repr(draw)
    assert "Registry(" not in shown
    source = next(s for s in REGISTRY if s.id == draw.source_id)
    assert source.text not in shown or len(source.text) <= len(draw.text)
    assert len(shown) < len(draw.text) + len(draw.edit) + 400


@settings(max_examples=10, deadline=None)
@given(qst.quotations())
def test_falsifying_examples_print_short_values(draw: qst.QuotationDraw) -> None:
    """Hypothesis's printer (which lists an attrs value's fields, repr=False or not) prints the short reprs."""
    from hypothesis.vendor.pretty import pretty

    assert pretty(draw) == repr(draw)
    assert pretty(REGISTRY) == repr(REGISTRY)
    assert pretty(LONGEST) == repr(LONGEST)
    assert pretty(quotecheck.DEFAULT_CONFIG) == "Config()"
    assert LONGEST.text[:300] not in pretty(qst.quotations())


def test_a_report_repr_counts_articles_and_verdicts(tmp_path: Path) -> None:
    """A report's repr counts articles, unreadable ones and verdicts; an article's counts its quotations."""
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\xfa")
    report = quotecheck.check_files([FIXTURES / "articles", bad])
    counts = ", ".join(f"{n} {v}" for v, n in report.counts().items() if n)
    assert repr(report) == f"Report({len(report.articles)} articles, 1 unreadable, {len(report.quotes)} quotations: {counts})"
    first = report.articles[0]
    assert repr(first) == f"ArticleCheck({first.path!r}, {len(first.quotes)} quotations)"
    assert repr(report.articles[-1]).startswith(f"ArticleCheck({str(bad)!r}, error=")
    assert repr(quotecheck.Report(())) == "Report(0 articles, 0 quotations)"


def test_a_word_diff_repr_is_its_line() -> None:
    """`repr(quote.diff())` is the wdiff line, not the whole quotation check."""
    diff = quotecheck.verify("IBM firmly opposes and will condone uses of any technology").diff()
    assert repr(diff) == "WordDiff('IBM firmly opposes and will [-not-] condone uses of any technology')"
