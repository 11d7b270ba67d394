"""Hypothesis strategies shared by quotecheck's own tests: slices of real and generated sources."""

from __future__ import annotations

from collections.abc import Callable

import attrs
from hypothesis import strategies as st

from quotecheck import Registry, Source, builtin_registry
from quotecheck.text.normalize import Token, TokenKind

# Realistic English words for generated sources; none is a stop word, so every one is content.
VOCABULARY = [
    "council",
    "budget",
    "river",
    "station",
    "teacher",
    "market",
    "doctor",
    "planning",
    "village",
    "harbour",
    "railway",
    "energy",
    "climate",
    "policy",
    "election",
    "museum",
    "factory",
    "vaccine",
    "library",
    "bridge",
    "airport",
    "garden",
    "network",
    "tunnel",
    "court",
    "housing",
    "stadium",
    "forest",
    "ocean",
    "engine",
    "journal",
    "pension",
    "salary",
    "contract",
    "border",
    "festival",
    "highway",
    "reactor",
]
STOP = ["the", "of", "and", "to", "in", "a", "for", "on", "with", "by"]
# Words that occur in no source used by the tests: safe as substitutes.
FOREIGN_WORDS = ("zebra", "quasar", "velvet", "harpoon", "glacier", "marmalade", "trombone", "nectar")


_SYLLABLES = ("ka", "lo", "mi", "ren", "sta", "vol", "dor", "pel", "tri", "gan", "mor", "bel")
# Made-up content words, so that a generated source repeats no content word: its text is
# then never ambiguous in the ways the Krishna letter's address blocks are (tested there).
MADE_UP = tuple(a + b + c for a in _SYLLABLES[:6] for b in _SYLLABLES[6:] for c in ("n", "s", "t"))


@st.composite
def generated_sources(draw: st.DrawFn) -> Source:
    """A source of a few paragraphs whose content words are all distinct, with stop words between."""
    content = iter(draw(st.lists(st.sampled_from(VOCABULARY + list(MADE_UP)), min_size=24, max_size=60, unique=True)))
    paragraphs = []
    for _ in range(draw(st.integers(2, 3))):
        sentences = []
        for _ in range(draw(st.integers(2, 3))):
            words = []
            for _ in range(draw(st.integers(5, 8))):
                word = next(content, None)
                if word is None:
                    break
                if draw(st.booleans()):
                    words.append(draw(st.sampled_from(STOP)))
                words.append(word)
            if words:
                sentences.append(" ".join(words).capitalize() + ".")
        if sentences:
            paragraphs.append(" ".join(sentences))
    return Source(id="generated", text="\n\n".join(paragraphs) + "\n", speaker="A Speaker")


def word_tokens(source: Source) -> list[Token]:
    """The source's word tokens before any gap."""
    out = []
    for token in source.tokens:
        if token.kind is TokenKind.GAP:
            break
        out.append(token)
    return out


@attrs.frozen
class Slice:
    """A stretch of whole words of a source."""

    registry: Registry
    source: Source
    first: int  # index of the first word token
    last: int  # index after the last word token

    @property
    def start(self) -> int:
        return self.source.tokens[self.first].start

    @property
    def end(self) -> int:
        return self.source.tokens[self.last - 1].end

    @property
    def text(self) -> str:
        return self.source.text[self.start : self.end]

    @property
    def tokens(self) -> list[Token]:
        return list(self.source.tokens[self.first : self.last])


_LETTER = builtin_registry()


@st.composite
def slices(
    draw: st.DrawFn,
    *,
    min_words: int = 4,
    max_words: int = 30,
    generated: bool | None = None,
    around: Callable[[str], bool] | None = None,
) -> Slice:
    """A slice of whole words from the Krishna letter or from a generated source.

    With `around`, the slice holds, not at either end, a word whose key satisfies it (drawn
    rather than filtered, so that rare words cost no discarded examples); such a word must
    exist in the chosen source.
    """
    use_generated = draw(st.booleans()) if generated is None else generated
    if use_generated:
        source = draw(generated_sources())
        registry = Registry.from_sources([source])
    else:
        registry = _LETTER
        source = registry["krishna-2020-06-08"]
    words = word_tokens(source)
    size = draw(st.integers(min_words, min(max_words, len(words))))
    if around is None:
        first = draw(st.integers(0, len(words) - size))
    else:
        anchors = [i for i, t in enumerate(words) if around(t.key) and 0 < i < len(words) - 1]
        anchor = draw(st.sampled_from(anchors))
        first = draw(st.integers(max(0, anchor - size + 2), min(anchor - 1, len(words) - size)))
    return Slice(registry, source, first, first + size)
