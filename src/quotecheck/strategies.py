"""Hypothesis strategies: quotations drawn from a registry, with the verdict quotecheck must give.

Install with the `testing` extra (`pip install 'quotecheck[testing]'`). Every
strategy draws a `QuotationDraw`: the text as an article would print it,
the verdict quotecheck's rules give it, the edit made, and the source span it
was cut from. The edits:

- `exact_quotes`: an untouched slice of a source: `exact`.
- `cosmetic_quotes`: a slice with a change of letter case, punctuation
  between two words, or hyphenation: `cosmetic`.
- `editorial_quotes`: a slice with an ellipsis standing for inner words, or
  a [bracket] put in or standing for source words, hiding no negation,
  number or qualifier: `editorial`.
- `altered_quotes`: a slice with one content word replaced by another:
  `altered`.
- `negation_flips`: a slice with a "not" put in, or an inner negation taken
  out: `altered`.
- `quotations`: any of these.

Only what quotecheck's documented rules decide is drawn: slices lie inside
one source and never cross a `[[gap]]` line; a slice's words occur only once
in the registry (so no other passage fits as well); slices with edits have at
least `Config.min_fuzzy_words` words and enough words left unchanged to keep
the score above `Config.altered_min_score`.

`registry` is a strategy for a registry (`st.just(my_registry)`,
`registries()`), or None for the built-in registry: as Hypothesis's own API
style asks, an argument is a strategy or a value, never either. Bad arguments
raise `InvalidArgument`, a subclass of both Hypothesis's
`hypothesis.errors.InvalidArgument` and quotecheck's.

Importing Hypothesis registers `QuotationDraw` and `Registry` for
`st.from_type` and `st.builds` (through the `hypothesis` entry point), as
`quotations()` and `registries()`.

Example::

    from hypothesis import given
    import quotecheck
    from quotecheck.strategies import quotations

    @given(quotations())
    def test_verdicts(draw):
        assert quotecheck.verify(draw.text).verdict is draw.verdict
"""

from __future__ import annotations

import string
from collections.abc import Callable, Sequence
from typing import Any

import attrs

try:
    import hypothesis.errors
    from hypothesis import assume
    from hypothesis import strategies as st
except ImportError as exc:  # pragma: no cover - depends on the environment
    from quotecheck.errors import MissingExtra

    raise MissingExtra("quotecheck.strategies needs Hypothesis: pip install 'quotecheck[testing]'") from exc

from quotecheck import errors
from quotecheck.config import DEFAULT_CONFIG
from quotecheck.judging.results import Verdict
from quotecheck.matching.classify import _spelling_variant, is_negation, is_number, is_qualifier
from quotecheck.sources.registry import Registry, Source, builtin_registry
from quotecheck.text.normalize import STOP_WORDS, TokenKind, fold_word, repair, tokenize

__all__ = [
    "InvalidArgument",
    "QuotationDraw",
    "altered_quotes",
    "cosmetic_quotes",
    "editorial_quotes",
    "exact_quotes",
    "negation_flips",
    "quotations",
    "registries",
]


@attrs.frozen
class QuotationDraw:
    """A quotation made from a source, and what quotecheck must say of it.

    Attributes:
        text: the quotation as printed (no quotation marks).
        verdict: the verdict quotecheck gives it.
        kind: the edit made: `exact`, `case`, `punctuation`, `hyphenation`,
            `ellipsis`, `bracket_insertion`, `bracket_replacement`,
            `substitution`, `negation_added` or `negation_removed`.
        edit: the edit in words.
        source_id: the source the slice was cut from.
        span: the slice's `(start, end)` in the source text.
        speaker: who speaks the slice in the source, if known.
        registry: the registry drawn from (pass it to `verify`).
    """

    text: str
    verdict: Verdict
    kind: str
    edit: str
    source_id: str
    span: tuple[int, int]
    speaker: str | None = None
    registry: Registry | None = attrs.field(default=None, eq=False, repr=False)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """The short repr for IPython's and Hypothesis's pretty printers, which would otherwise list every field."""
        printer.text(repr(self))


class InvalidArgument(errors.InvalidArgument, hypothesis.errors.InvalidArgument):
    """A strategy was called with a bad argument: caught as Hypothesis's `InvalidArgument` or quotecheck's."""


RegistryArg = st.SearchStrategy[Registry] | None


def _whole(name: str, value: object, *, at_least: int) -> int:
    """Checks that an argument is a whole number (not a bool) of at least `at_least`.

    Raises:
        InvalidArgument: it is not.
    """
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidArgument(f"{name}={value!r} must be a whole number, got {type(value).__name__}")
    if value < at_least:
        raise InvalidArgument(f"{name}={value!r} must be at least {at_least}")
    return value


def _words(min_words: object, max_words: object, *, floor: int = 1) -> tuple[int, int]:
    """Checks `min_words` and `max_words`; the slices drawn have at least `max(min_words, floor)` words.

    Raises:
        InvalidArgument: either is not a whole number of at least 1, or
            `max_words` is below the fewest words the strategy draws.
    """
    low = _whole("min_words", min_words, at_least=1)
    high = _whole("max_words", max_words, at_least=1)
    fewest = max(low, floor)
    if high < fewest:
        because = f"min_words={low!r}" if fewest == low else f"this strategy's edits need {fewest} words"
        raise InvalidArgument(f"max_words={high!r} must be at least {fewest} ({because})")
    return low, high


def _fixed(strategy: st.SearchStrategy[Registry]) -> Registry | None:
    """The registry `strategy` always draws when it is `st.just(registry)`, else None.

    Hypothesis has no public way to ask; this only lets a fixed registry be
    checked when the strategy is made (not at the first draw) and skip a
    flatmap, so should Hypothesis's internals change, nothing but that is lost.
    """
    inner = getattr(strategy, "wrapped_strategy", strategy)
    value = getattr(inner, "value", None)
    return value if type(inner).__name__ == "JustStrategy" and isinstance(value, Registry) else None

# Words put in by substitution, and inside brackets: ordinary words, none of
# them a negation, a number or a qualifier.
_REPLACEMENTS = (
    "weather",
    "harvest",
    "orchestra",
    "lantern",
    "meadow",
    "granite",
    "violin",
    "compass",
    "blanket",
    "tunnel",
    "pepper",
    "saddle",
)
_BRACKET_WORDS = ("the company", "these systems", "the senator", "its leaders", "such tools", "the agency")


@attrs.frozen
class _Slice:
    source: Source
    words: tuple[int, ...]  # indices into source.tokens, contiguous words between gaps

    @property
    def span(self) -> tuple[int, int]:
        tokens = self.source.tokens
        return tokens[self.words[0]].start, tokens[self.words[-1]].end

    @property
    def text(self) -> str:
        start, end = self.span
        return self.source.text[start:end]

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(self.source.tokens[i].key for i in self.words)

    def word(self, n: int) -> tuple[int, int]:
        """The span of the slice's n-th word, relative to the slice text."""
        token = self.source.tokens[self.words[n]]
        return token.start - self.span[0], token.end - self.span[0]


def _runs(source: Source) -> list[tuple[int, ...]]:
    """Runs of word-token indices between gaps."""
    runs: list[tuple[int, ...]] = []
    current: list[int] = []
    for i, token in enumerate(source.tokens):
        if token.kind is TokenKind.WORD:
            current.append(i)
        else:
            if current:
                runs.append(tuple(current))
            current = []
    if current:
        runs.append(tuple(current))
    return runs


def _count(registry: Registry, keys: Sequence[str]) -> int:
    """How many times the key sequence occurs in the registry's sources, not crossing gaps."""
    needle = "\x1f" + "\x1f".join(keys) + "\x1f"
    total = 0
    for source in registry:
        for run in _runs(source):
            hay = "\x1f" + "\x1f".join(source.tokens[i].key for i in run) + "\x1f"
            pos = hay.find(needle)
            while pos >= 0:
                total += 1
                pos = hay.find(needle, pos + 1)
    return total


def _reads_back(text: str, keys: Sequence[str]) -> bool:
    """Whether a quotation reading of `text` gives exactly these words and no marks.

    Sources can hold what a quotation would read as an editorial mark
    (". . .", "[...]") or as mojibake; such slices are not drawn.
    """
    if repair(text).text != text:
        return False
    tokens = tokenize(text, marks=True)
    return all(t.kind is TokenKind.WORD for t in tokens) and tuple(t.key for t in tokens) == tuple(keys)


@st.composite
def _slices(draw: st.DrawFn, registry: Registry, min_words: int, max_words: int) -> _Slice:
    runs = [(source, run) for source in registry for run in _runs(source) if len(run) >= min_words]
    assume(bool(runs))
    source, run = draw(st.sampled_from(runs))
    length = draw(st.integers(min_words, min(max_words, len(run))))
    first = draw(st.integers(0, len(run) - length))
    chosen = _Slice(source, run[first : first + length])
    assume(_reads_back(chosen.text, chosen.keys) and _count(registry, chosen.keys) == 1)
    return chosen


def _resolve(
    registry: RegistryArg, build: Callable[[Registry], st.SearchStrategy[QuotationDraw]], min_words: int
) -> st.SearchStrategy[QuotationDraw]:
    if isinstance(registry, Registry):
        raise InvalidArgument(
            f"registry={registry!r} must be a strategy for a registry, not a registry: pass st.just(registry), "
            "or registries() for made-up ones (Hypothesis's API takes strategies where values are drawn)"
        )
    if registry is not None and not isinstance(registry, st.SearchStrategy):
        raise InvalidArgument(f"registry must be a strategy for a Registry, or None; got {type(registry).__name__}")
    fixed = builtin_registry() if registry is None else _fixed(registry)
    if fixed is None:
        assert registry is not None
        return registry.flatmap(build)
    if not any(len(run) >= min_words for source in fixed for run in _runs(source)):
        raise InvalidArgument(f"no source of {fixed!r} has min_words={min_words} words in a row between gaps")
    return st.deferred(lambda: build(fixed)) if registry is None else build(fixed)


def _draw_of(registry: Registry, piece: _Slice, text: str, verdict: Verdict, kind: str, edit: str) -> QuotationDraw:
    start, end = piece.span
    return QuotationDraw(text, verdict, kind, edit, piece.source.id, (start, end), piece.source.speaker_at(start, end), registry)


def _unique_after(registry: Registry, keys: Sequence[str]) -> bool:
    """The edited words occur nowhere in the registry, so no passage fits them better."""
    return _count(registry, keys) == 0


def exact_quotes(registry: RegistryArg = None, *, min_words: int = 3, max_words: int = 40) -> st.SearchStrategy[QuotationDraw]:
    """Untouched slices of a source: verdict `exact`.

    Raises:
        InvalidArgument: `registry` is not a strategy or None, or the words bounds are bad.
    """
    _words(min_words, max_words)

    def build(reg: Registry) -> st.SearchStrategy[QuotationDraw]:
        return _slices(reg, min_words, max_words).map(lambda s: _draw_of(reg, s, s.text, Verdict.EXACT, "exact", "an untouched slice"))

    return _resolve(registry, build, min_words)


@st.composite
def _cosmetic(draw: st.DrawFn, registry: Registry, min_words: int, max_words: int) -> QuotationDraw:
    piece = draw(_slices(registry, min_words, max_words))
    text = piece.text
    options = []
    for n in range(len(piece.words)):
        s, e = piece.word(n)
        word = text[s:e]
        changed = word.lower() if word != word.lower() else word[:1].upper() + word[1:]
        if changed != word and fold_word(changed) == fold_word(word) and word.isalpha():
            options.append(("case", s, e, changed, f"changed the case of \u201c{word}\u201d to \u201c{changed}\u201d"))
    for n in range(len(piece.words) - 1):
        _, gap_start = piece.word(n)
        gap_end, _ = piece.word(n + 1)
        between = text[gap_start:gap_end]
        left = text[piece.word(n)[0] : gap_start]
        right = text[gap_end : piece.word(n + 1)[1]]
        if between == " ":
            if left.isalpha() and right.isalpha():
                options.append(("hyphenation", gap_start, gap_end, "-", f"hyphenated \u201c{left} {right}\u201d"))
            options.append(("punctuation", gap_start, gap_end, ", ", f"put a comma between \u201c{left}\u201d and \u201c{right}\u201d"))
        elif between in (", ", "; ", ": "):
            options.append(("punctuation", gap_start, gap_end, " ", f"dropped the \u201c{between.strip()}\u201d after \u201c{left}\u201d"))
    if not options:
        assume(False)  # pragma: no cover - every slice of two words or more has a separator
    kind, s, e, new, edit = draw(st.sampled_from(options))
    return _draw_of(registry, piece, text[:s] + new + text[e:], Verdict.COSMETIC, kind, edit)


def cosmetic_quotes(
    registry: RegistryArg = None, *, min_words: int = DEFAULT_CONFIG.min_fuzzy_words, max_words: int = 40
) -> st.SearchStrategy[QuotationDraw]:
    """Slices with one change of case, punctuation between words, or hyphenation: verdict `cosmetic`."""
    _words(min_words, max_words, floor=2)  # a change between two words needs two
    return _resolve(registry, lambda reg: _cosmetic(reg, min_words, max_words), min_words)


def _innocent(key: str) -> bool:
    return not (is_negation(key) or is_number(key) or is_qualifier(key))


@st.composite
def _editorial(draw: st.DrawFn, registry: Registry, min_words: int, max_words: int, min_context: int) -> QuotationDraw:
    mark = draw(st.sampled_from(["ellipsis", "bracket_insertion", "bracket_replacement"]))
    extra = 3 if mark != "bracket_insertion" else 0
    piece = draw(_slices(registry, min_words + extra, max_words + extra))
    text, keys, count = piece.text, piece.keys, len(piece.words)
    if mark == "bracket_insertion":
        n = draw(st.integers(1, count - 1))
        filler = draw(st.sampled_from(_BRACKET_WORDS))
        at = piece.word(n)[0]
        edited = f"{text[:at]}[{filler}] {text[at:]}"
        return _draw_of(registry, piece, edited, Verdict.EDITORIAL, mark, f"put in \u201c[{filler}]\u201d before \u201c{keys[n]}\u201d")
    size = draw(st.integers(1, min(3, count - 2)))  # one word kept on each side at least
    first = draw(st.integers(1, count - size - 1))
    left_out = keys[first : first + size]
    assume(all(_innocent(k) for k in left_out) and count - size >= min_words)
    # The words kept next to the mark must not also stand inside what it replaces:
    # "X X Y" printed "X ... Y" reads as well as an ellipsis that leaves out nothing.
    assume(keys[first - 1] not in left_out and keys[first + size] not in left_out)
    assume(first >= min_context and count - first - size >= min_context)
    start = piece.word(first - 1)[1]
    end = piece.word(first + size)[0]
    omitted = text[piece.word(first)[0] : piece.word(first + size - 1)[1]]
    if mark == "ellipsis":
        glyph = draw(st.sampled_from(["\u2026", "...", ". . ."]))
        edited = f"{text[:start]} {glyph} {text[end:]}"
        return _draw_of(registry, piece, edited, Verdict.EDITORIAL, mark, f"left out \u201c{omitted}\u201d behind \u201c{glyph}\u201d")
    filler = draw(st.sampled_from(_BRACKET_WORDS))
    assume(tuple(fold_word(w) for w in filler.split()) != tuple(left_out))
    edited = f"{text[:start]} [{filler}] {text[end:]}"
    return _draw_of(registry, piece, edited, Verdict.EDITORIAL, mark, f"put \u201c[{filler}]\u201d for \u201c{omitted}\u201d")


def editorial_quotes(
    registry: RegistryArg = None, *, min_words: int = DEFAULT_CONFIG.min_fuzzy_words, max_words: int = 40, min_context: int = 1
) -> st.SearchStrategy[QuotationDraw]:
    """Slices with an ellipsis for one to three inner words, or a [bracket] put in or for them: verdict `editorial`.

    The words left out or replaced hold no negation, number or qualifier.
    `min_context` is the fewest words kept on each side of an ellipsis or a
    bracketed replacement.
    """
    _words(min_words, max_words)
    _whole("min_context", min_context, at_least=1)
    return _resolve(registry, lambda reg: _editorial(reg, min_words, max_words, min_context), min_words + 3)


def _weight(key: str) -> float:
    return 0.25 if key in STOP_WORDS else 1.0


@st.composite
def _substitution(draw: st.DrawFn, registry: Registry, min_words: int, max_words: int) -> QuotationDraw:
    piece = draw(_slices(registry, max(min_words, DEFAULT_CONFIG.min_fuzzy_words), max_words))
    keys = piece.keys
    content = [n for n, k in enumerate(keys) if k not in STOP_WORDS]
    assume(bool(content))
    n = draw(st.sampled_from(content))
    new = draw(st.sampled_from(_REPLACEMENTS).filter(lambda w: w != keys[n] and not _spelling_variant(w, keys[n])))
    total = sum(_weight(k) for k in keys)
    # The Dice score after the change, with a margin over altered_min_score.
    score = 2 * (total - 1.0) / (2 * total - 1.0 + 1.0)
    edited_keys = (*keys[:n], new, *keys[n + 1 :])
    assume(score >= DEFAULT_CONFIG.altered_min_score + 0.1 and _unique_after(registry, edited_keys))
    s, e = piece.word(n)
    text = piece.text
    return _draw_of(
        registry,
        piece,
        text[:s] + new + text[e:],
        Verdict.ALTERED,
        "substitution",
        f"printed \u201c{new}\u201d for \u201c{text[s:e]}\u201d",
    )


def altered_quotes(
    registry: RegistryArg = None, *, min_words: int = DEFAULT_CONFIG.min_fuzzy_words, max_words: int = 40
) -> st.SearchStrategy[QuotationDraw]:
    """Slices with one content word replaced by an unrelated word: verdict `altered`."""
    _words(min_words, max_words, floor=DEFAULT_CONFIG.min_fuzzy_words)
    return _resolve(registry, lambda reg: _substitution(reg, min_words, max_words), max(min_words, DEFAULT_CONFIG.min_fuzzy_words))


@st.composite
def _negation(draw: st.DrawFn, registry: Registry, min_words: int, max_words: int) -> QuotationDraw:
    piece = draw(_slices(registry, max(min_words, DEFAULT_CONFIG.min_fuzzy_words) + 1, max_words))
    keys, text = piece.keys, piece.text
    inner = [n for n in range(1, len(keys) - 1) if keys[n] in ("not", "never", "no")]
    remove = draw(st.booleans())
    if inner and remove:
        n = draw(st.sampled_from(inner))
        s = piece.word(n - 1)[1]
        e = piece.word(n + 1)[0]
        removed = text[piece.word(n)[0] : piece.word(n)[1]]
        assume(_unique_after(registry, (*keys[:n], *keys[n + 1 :])))
        return _draw_of(registry, piece, text[:s] + " " + text[e:], Verdict.ALTERED, "negation_removed", f"took out \u201c{removed}\u201d")
    n = draw(st.integers(1, len(keys) - 1))
    assume(keys[n - 1] != "not" and keys[n] != "not")
    assume(_unique_after(registry, (*keys[:n], "not", *keys[n:])))
    at = piece.word(n)[0]
    return _draw_of(
        registry,
        piece,
        f"{text[:at]}not {text[at:]}",
        Verdict.ALTERED,
        "negation_added",
        f"put \u201cnot\u201d before \u201c{keys[n]}\u201d",
    )


def negation_flips(
    registry: RegistryArg = None, *, min_words: int = DEFAULT_CONFIG.min_fuzzy_words, max_words: int = 40
) -> st.SearchStrategy[QuotationDraw]:
    """Slices with "not" put in, or an inner "not", "never" or "no" taken out: verdict `altered`."""
    _words(min_words, max_words, floor=DEFAULT_CONFIG.min_fuzzy_words + 1)
    return _resolve(registry, lambda reg: _negation(reg, min_words, max_words), max(min_words, DEFAULT_CONFIG.min_fuzzy_words) + 1)


def quotations(registry: RegistryArg = None, *, max_words: int = 40) -> st.SearchStrategy[QuotationDraw]:
    """Any of the above, from one registry."""
    _words(1, max_words, floor=DEFAULT_CONFIG.min_fuzzy_words + 1)
    fuzzy = DEFAULT_CONFIG.min_fuzzy_words

    def build(reg: Registry) -> st.SearchStrategy[QuotationDraw]:
        return st.one_of(
            _slices(reg, 3, max_words).map(lambda s: _draw_of(reg, s, s.text, Verdict.EXACT, "exact", "an untouched slice")),
            _cosmetic(reg, fuzzy, max_words),
            _editorial(reg, fuzzy, max_words, 1),
            _substitution(reg, fuzzy, max_words),
            _negation(reg, fuzzy, max_words),
        )

    return _resolve(registry, build, fuzzy + 3)


_STOP_SAMPLE = ("the", "of", "and", "to", "in", "for", "with", "that", "is", "will", "our", "by")
_FLAVOUR = ("not", "never", "only", "all", "some", "three", "2020", "without")
_SEPARATORS = (" ", " ", " ", " ", " ", ", ", "; ", " \u2013 ", ": ")


@st.composite
def _source_text(draw: st.DrawFn, vocabulary: Sequence[str]) -> str:
    words = st.one_of(st.sampled_from(vocabulary), st.sampled_from(_STOP_SAMPLE), st.sampled_from(_FLAVOUR))
    paragraphs = []
    for _ in range(draw(st.integers(1, 4))):
        sentences = []
        for _ in range(draw(st.integers(1, 3))):
            chosen = draw(st.lists(words, min_size=4, max_size=18))
            parts = [chosen[0].capitalize()]
            for word in chosen[1:]:
                parts.extend([draw(st.sampled_from(_SEPARATORS)), word])
            sentences.append("".join(parts) + draw(st.sampled_from([".", ".", "!", "?"])))
        paragraphs.append(" ".join(sentences))
    if len(paragraphs) > 1 and draw(st.booleans()):
        paragraphs.insert(draw(st.integers(1, len(paragraphs) - 1)), "[[gap]]")
    return "\n\n".join(paragraphs) + "\n"


@st.composite
def _registry(draw: st.DrawFn, min_sources: int, max_sources: int) -> Registry:
    vocabulary = draw(
        st.lists(st.text(string.ascii_lowercase, min_size=4, max_size=9), min_size=8, max_size=30, unique=True).filter(
            lambda ws: all(_innocent(w) and w not in STOP_WORDS for w in ws)
        )
    )
    count = draw(st.integers(min_sources, max_sources))
    sources = []
    for n in range(count):
        text = draw(_source_text(vocabulary))
        speaker = draw(st.sampled_from(["Ada Lovelace", "Grace Hopper", "Alan Turing", None]))
        sources.append(Source(f"source-{n}", text, speaker=speaker))
    return Registry.from_sources(sources)


def registries(*, min_sources: int = 1, max_sources: int = 3) -> st.SearchStrategy[Registry]:
    """Registries of made-up sources: sentences of random words with stop words, negations,
    numbers and qualifiers among them, varied punctuation, and sometimes a `[[gap]]` line.

    Raises:
        InvalidArgument: the bounds are not whole numbers with 0 <= min_sources <= max_sources.
    """
    low = _whole("min_sources", min_sources, at_least=0)
    high = _whole("max_sources", max_sources, at_least=max(low, 1))
    return _registry(low, high)


def _hypothesis_setup_hook() -> None:
    """Registers `QuotationDraw` and `Registry` for `st.from_type`: called by Hypothesis through its entry point.

    `st.builds` cannot make a `QuotationDraw` from its fields (its verdict
    must be the one quotecheck gives its text), so without this
    `st.from_type(QuotationDraw)` would draw values that lie.
    """
    st.register_type_strategy(QuotationDraw, quotations())
    st.register_type_strategy(Registry, registries())


_hypothesis_setup_hook()  # also when Hypothesis runs without plugins (HYPOTHESIS_NO_PLUGINS)
