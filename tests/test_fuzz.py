"""Property-based fuzzing of the public API with arbitrary text and registries.

The properties: the only exceptions are quotecheck's own; every span lies
within its text and slices to the reported text; every verdict, flag and
variant kind is a documented one; rendering never fails and JSON parses back.
Example counts come from the Hypothesis profile in conftest.py, so these run
in seconds in CI (`HYPOTHESIS_PROFILE=thorough` runs many more).
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import quotecheck
from quotecheck import QuoteCheck, QuotecheckError, Registry, Source, Verdict
from quotecheck.sources.registry import parse_source

LETTER = quotecheck.builtin_registry()
SOURCE_WORDS = sorted({LETTER.sources[0].text[t.start : t.end] for t in LETTER.sources[0].tokens[:400]})
MARKS = list("\"\u201c\u201d\u201e\u201f\u00ab\u00bb'\u2018\u2019\u201a\u2039\u203a[]().,;:!?\u2026-\u2013\u2014>#*+\n\n ")
NASTY = ["\x00", "\x1b[2J", "\u202e", "\u0301", "\u05d0", "\ufeff", "\u00e2\u20ac\u201c", "[[gap]]", "[...]", "[sic]", "+++", "---", "\r\n"]
DOCUMENTED_VERDICTS = {"exact", "cosmetic", "editorial", "altered", "paraphrase", "unsourced"}

# Articles: arbitrary Unicode, or a soup of source words, quotation marks and nasty fragments,
# which reaches far deeper into extraction and alignment than random characters do.
pieces = st.one_of(st.sampled_from(SOURCE_WORDS), st.sampled_from(MARKS), st.sampled_from(NASTY), st.text(max_size=5))
soup = st.lists(pieces, max_size=120).map(lambda parts: "".join(p if p in MARKS else f"{p} " for p in parts))
articles = st.one_of(st.text(max_size=400), soup)
# Lone surrogates (text decoded with surrogateescape, or built from code points): refused at the API.
surrogate = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
hostile = st.one_of(articles, st.tuples(articles, surrogate, articles).map("".join))


def has_surrogate(text: str | None) -> bool:
    return text is not None and any("\ud800" <= c <= "\udfff" for c in text)


@st.composite
def registries(draw: st.DrawFn) -> Registry:
    """A registry of up to three sources with arbitrary text, ids and speakers."""
    count = draw(st.integers(0, 3))
    sources = []
    for n in range(count):
        text = draw(st.one_of(soup, st.text(min_size=1, max_size=300)).filter(str.strip))
        speaker = draw(st.none() | st.sampled_from(["Arvind Krishna", "IBM", "Krishna", "\u05d0", ""]))
        sources.append(Source(f"s{n}", text, speaker=speaker or None, complete=draw(st.booleans())))
    return Registry.from_sources(sources)


def assert_sound(quote: QuoteCheck, text: str, registry: Registry) -> None:
    """The invariants every checked quotation keeps."""
    assert 0 <= quote.start <= quote.end <= len(text)
    assert quote.text == text[quote.start : quote.end]
    assert quote.verdict.value in DOCUMENTED_VERDICTS
    assert 0.0 <= quote.score <= 1.0
    assert len(set(quote.flags)) == len(quote.flags)
    if quote.verdict is Verdict.UNSOURCED:
        assert quote.source is None
    else:
        assert quote.source is not None
        source = registry[quote.source.id]
        assert 0 <= quote.source.start <= quote.source.end <= len(source.text)
        assert quote.source.text == source.text[quote.source.start : quote.source.end]
        for other_id, start, end in quote.source.others:
            assert 0 <= start <= end <= len(registry[other_id].text)
    for variant in quote.variants:
        assert 0 <= variant.quote[0] <= variant.quote[1] <= len(text)
        assert variant.printed == text[variant.quote[0] : variant.quote[1]]
        assert quote.source is not None
        source_text = registry[quote.source.id].text
        assert 0 <= variant.source[0] <= variant.source[1] <= len(source_text)


def assert_renders(report: quotecheck.Report) -> None:
    """Text and JSON rendering succeed, and JSON parses back to the report."""
    quotecheck.render_text(report, colour=True)
    assert json.loads(quotecheck.render_json(report)) == json.loads(json.dumps(report.to_dict()))


@given(hostile)
def test_check_is_sound_on_any_article(text: str) -> None:
    """check() on any text against the built-in registry gives sound results; a lone surrogate is InvalidArgument."""
    if has_surrogate(text):
        with pytest.raises(quotecheck.InvalidArgument, match="lone surrogate"):
            quotecheck.check(text)
        return
    report = quotecheck.check(text)
    for quote in report.quotes:
        assert_sound(quote, text, LETTER)
    assert_renders(report)


@given(hostile, registries())
def test_check_is_sound_with_any_registry(text: str, registry: Registry) -> None:
    """check() with an arbitrary registry gives sound results; a lone surrogate is InvalidArgument."""
    if has_surrogate(text):
        with pytest.raises(quotecheck.InvalidArgument, match="lone surrogate"):
            quotecheck.check(text, registry=registry)
        return
    report = quotecheck.check(text, registry=registry)
    for quote in report.quotes:
        assert_sound(quote, text, registry)


@given(hostile, st.none() | st.text(max_size=30) | st.tuples(st.text(max_size=5), surrogate).map("".join))
def test_verify_is_sound(quote: str, speaker: str | None) -> None:
    """verify() on any text, attributed to anyone, gives a sound result; a lone surrogate is InvalidArgument."""
    if has_surrogate(quote) or has_surrogate(speaker):
        with pytest.raises(quotecheck.InvalidArgument, match="lone surrogate"):
            quotecheck.verify(quote, speaker=speaker)
        return
    result = quotecheck.verify(quote, speaker=speaker)
    assert_sound(result, quote, LETTER)


@given(st.lists(st.sampled_from(SOURCE_WORDS), min_size=1, max_size=30), st.integers(0, 3000))
def test_verify_finds_any_stretch_of_a_random_source(words: list[str], seed: int) -> None:
    """A stretch of a random registry's source is found in that source, soundly."""
    text = " ".join(words)
    registry = Registry.from_sources([Source("only", f"Intro {seed}.\n\n{text} end.")])
    result = quotecheck.verify(text, registry=registry)
    assert_sound(result, text, registry)
    if len(words) >= 5:
        assert result.verdict is Verdict.EXACT


headers = st.lists(
    st.sampled_from(
        [
            'speaker = "A"',
            "speaker = 3",
            'aliases = ["B", "C"]',
            "aliases = [1]",
            "complete = false",
            "date = 2020-06-08",
            'date = "yesterday"',
            'id = "x"',
            "nonsense = 1",
            "[[embedded]]",
            'speaker = "W"',
            "paragraph = 1",
            "paragraph = 99",
            'text = "IBM"',
            "aliases = 7",
            "= broken",
            '"unterminated',
        ]
    ),
    max_size=8,
).map("\n".join)


@given(st.one_of(st.text(max_size=300), st.tuples(headers, articles).map(lambda h: f"+++\n{h[0]}\n+++\n{h[1]}")))
def test_parse_source_raises_only_registry_errors(content: str) -> None:
    """parse_source on any content gives a sound source or a RegistryFormatError."""
    try:
        source = parse_source(content, path="fuzz.txt", default_id="fuzz")
    except QuotecheckError as exc:
        error = str(exc)
    else:
        error = None
    if error is not None:
        assert error.startswith("fuzz.txt")
        return
    assert source.text.strip()
    for paragraph in source.paragraphs:
        assert 0 <= paragraph.start < paragraph.end <= len(source.text)
    for embedded in source.embedded:
        assert 0 <= embedded.start <= embedded.end <= len(source.text)
    registry = Registry.from_sources([source])
    for quote in quotecheck.check(source.text, registry=registry).quotes:
        assert_sound(quote, source.text, registry)


@given(st.lists(st.sampled_from(["a", "b", "c"]), max_size=4))
def test_registry_ids_are_unique_or_refused(ids: list[str]) -> None:
    """Registry.from_sources accepts unique ids and refuses a repeated one with InvalidArgument."""
    sources = [Source(i, "some words here") for i in ids]
    try:
        registry = Registry.from_sources(sources)
    except quotecheck.InvalidArgument:
        assert len(set(ids)) < len(ids)
    else:
        assert [s.id for s in registry] == ids


def test_atheris_harness_runs_on_its_corpus() -> None:
    """The atheris harness accepts its seed corpus (when atheris is installed: the `fuzz` extra)."""
    pytest.importorskip("atheris", reason="atheris is optional: pip install -e '.[fuzz]'")
    root = Path(__file__).resolve().parent.parent / "fuzz"
    spec = importlib.util.spec_from_file_location("fuzz_quotecheck", root / "fuzz_quotecheck.py")
    assert spec is not None
    assert spec.loader is not None
    harness = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(harness)
    seeds = sorted((root / "corpus").iterdir())
    assert seeds
    for seed in seeds:
        harness.test_one_input(seed.read_bytes())
