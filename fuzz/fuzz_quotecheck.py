"""Coverage-guided fuzzing of quotecheck's public API with atheris.

Run (one command, from the repository root, after `pip install -e '.[fuzz]'`)::

    python fuzz/fuzz_quotecheck.py -max_total_time=600 fuzz/work fuzz/corpus

Each input is split into an article, a quotation, a speaker and the bytes of
a registry source file and an article file. The article, quotation and
speaker may hold lone surrogates, which `check` and `verify` must refuse with
`InvalidArgument`. The registry is loaded from real files (the fuzzed source
written into a directory beside a copy of `fixtures/sources`, read by
`Registry.from_path`), and the fuzzed article bytes are checked from a real
file by `check_files`. The harness checks the invariants the test suite
states with Hypothesis: the only exceptions are quotecheck's own, every span
lies within its text and slices to the reported text, every verdict and flag
is a documented one, and every rendering encodes as strict UTF-8. Any other
exception, or a broken invariant, is a finding: atheris saves the input as
`crash-*` and stops. New interesting inputs go to `fuzz/work/` (not
committed); `fuzz/corpus/` holds the seeds.
"""

from __future__ import annotations

import contextlib
import shutil
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports():
    import quotecheck
    from quotecheck.reading._io import decode

_BUILTIN = quotecheck.builtin_registry()
_VERDICTS = {v.value for v in quotecheck.Verdict}
_FLAGS = {f.value for f in quotecheck.Flag}
# Small limits keep each run fast and exercise the "too long" paths.
_CONFIG = quotecheck.Config(max_quote_words=400, max_article_chars=20_000, max_source_chars=20_000)
_SOURCES = Path(__file__).resolve().parent.parent / "fixtures" / "sources"
_WORK = Path(tempfile.mkdtemp(prefix="quotecheck-fuzz-"))
_REGISTRY_DIR = _WORK / "registry"
shutil.copytree(_SOURCES, _REGISTRY_DIR, ignore=shutil.ignore_patterns("README.md"))
_FUZZED_SOURCE = _REGISTRY_DIR / "fuzzed.txt"
_ARTICLE = _WORK / "article.txt"
_RENDERERS = (quotecheck.render_text, quotecheck.render_json, quotecheck.render_markdown, quotecheck.render_html)


def _surrogate(text: str) -> bool:
    return any("\ud800" <= c <= "\udfff" for c in text)


def _renders(report: quotecheck.Report) -> None:
    for render in _RENDERERS:
        render(report).encode("utf-8")  # strict: no lone surrogate, whatever the input


def _check_quote(quote: quotecheck.QuoteCheck, text: str, registry: quotecheck.Registry) -> None:
    assert 0 <= quote.start <= quote.end <= len(text), (quote.start, quote.end, len(text))
    assert quote.text == text[quote.start : quote.end]
    assert quote.verdict.value in _VERDICTS
    assert all(f.value in _FLAGS for f in quote.flags)
    assert 0.0 <= quote.score <= 1.0
    if quote.source is not None:
        source = registry[quote.source.id]
        assert 0 <= quote.source.start <= quote.source.end <= len(source.text)
        assert quote.source.text == source.text[quote.source.start : quote.source.end]
    for variant in quote.variants:
        assert 0 <= variant.quote[0] <= variant.quote[1] <= len(text), variant
    quotecheck.render_text(quotecheck.Report((quotecheck.ArticleCheck("fuzz", (quote,)),)))


def test_one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    # ConsumeUnicode, not ConsumeUnicodeNoSurrogates: lone surrogates must be refused, not crash a renderer.
    article = fdp.ConsumeUnicode(fdp.ConsumeIntInRange(0, 4000))
    quotation = fdp.ConsumeUnicode(fdp.ConsumeIntInRange(0, 400))
    speaker = fdp.ConsumeUnicode(fdp.ConsumeIntInRange(0, 30)) if fdp.ConsumeBool() else None
    source_bytes = fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 2000))
    raw = fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 2000))

    try:
        decoded = decode(raw, name="fuzz.txt")
    except quotecheck.InputError:
        decoded = None
    registry = _BUILTIN
    _FUZZED_SOURCE.write_bytes(source_bytes)
    with contextlib.suppress(quotecheck.QuotecheckError):
        registry = quotecheck.Registry.from_path(_REGISTRY_DIR, config=_CONFIG)

    for text in (article, decoded):
        if text is None:
            continue
        if _surrogate(text):
            try:
                quotecheck.check(text, registry=registry, config=_CONFIG)
            except quotecheck.InvalidArgument:
                continue
            raise AssertionError("check() accepted a lone surrogate")
        report = quotecheck.check(text, registry=registry, config=_CONFIG)
        for quote in report.quotes:
            _check_quote(quote, text, registry)
        _renders(report)
    _ARTICLE.write_bytes(raw)
    files = quotecheck.check_files([_ARTICLE], registry=registry, config=_CONFIG)
    assert len(files.articles) == 1
    assert (files.articles[0].error is None) == (decoded is not None and len(decoded) <= _CONFIG.max_article_chars)
    _renders(files)
    if _surrogate(quotation) or (speaker is not None and _surrogate(speaker)):
        try:
            quotecheck.verify(quotation, registry=registry, speaker=speaker, config=_CONFIG)
        except quotecheck.InvalidArgument:
            return
        raise AssertionError("verify() accepted a lone surrogate")
    result = quotecheck.verify(quotation, registry=registry, speaker=speaker, config=_CONFIG)
    _check_quote(result, quotation, registry)


def main() -> None:
    # libFuzzer writes new inputs to the first corpus directory: create it.
    for arg in sys.argv[1:]:
        if not arg.startswith("-"):
            Path(arg).mkdir(parents=True, exist_ok=True)
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
