"""Coverage-guided fuzzing of quotecheck's public API with atheris.

Run (one command, from the repository root, after `pip install -e '.[fuzz]'`)::

    python fuzz/fuzz_quotecheck.py -max_total_time=600 fuzz/work fuzz/corpus

Each input is split into an article, a quotation and a registry source. The
harness checks the invariants the test suite states with Hypothesis: the only
exceptions are quotecheck's own, every span lies within its text and slices to
the reported text, and every verdict and flag is a documented one. Any other
exception, or a broken invariant, is a finding: atheris saves the input as
`crash-*` and stops. New
interesting inputs go to `fuzz/work/` (not committed); `fuzz/corpus/` holds
the seeds.
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

with atheris.instrument_imports():
    import quotecheck
    from quotecheck._io import decode
    from quotecheck.registry import parse_source

_BUILTIN = quotecheck.builtin_registry()
_VERDICTS = {v.value for v in quotecheck.Verdict}
_FLAGS = {f.value for f in quotecheck.Flag}
# Small limits keep each run fast and exercise the "too long" paths.
_CONFIG = quotecheck.Config(max_quote_words=400, max_article_chars=20_000)


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
    article = fdp.ConsumeUnicodeNoSurrogates(fdp.ConsumeIntInRange(0, 4000))
    quotation = fdp.ConsumeUnicodeNoSurrogates(fdp.ConsumeIntInRange(0, 400))
    source_text = fdp.ConsumeUnicodeNoSurrogates(fdp.ConsumeIntInRange(0, 2000))
    raw = fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 2000))

    try:
        decoded = decode(raw, name="fuzz.txt")
    except quotecheck.InputError:
        decoded = None
    registry = _BUILTIN
    try:
        source = parse_source(source_text, path="fuzz-source.txt", default_id="fuzz")
        registry = quotecheck.Registry.from_sources([*_BUILTIN, source])
    except quotecheck.QuotecheckError:
        pass

    for text in (article, decoded):
        if text is None:
            continue
        report = quotecheck.check(text, registry=registry, config=_CONFIG)
        for quote in report.quotes:
            _check_quote(quote, text, registry)
        quotecheck.render_json(report)
    result = quotecheck.verify(quotation, registry=registry, config=_CONFIG)
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
