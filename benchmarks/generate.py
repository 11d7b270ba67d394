"""Synthetic registries and quotations for the scale benchmark.

The English comes from a word-level Markov chain (order 2) trained on prose
that ships with every CPython: the reference manual's topics
(`pydoc_data.topics`) and the standard library's docstrings (code examples,
grammar rules and underlines dropped), about 300,000 words, plus the built-in
Krishna letter. Nothing is
downloaded. Sources are about 5,000 characters each, so 10,000 sources make
about 50 MB.

Quotations are drawn from the sources: a stretch of 8 to 40 words, then 0 to
30% of its words substituted, inserted or deleted (words from the same
chain's vocabulary), and one in five gets an ellipsis standing for a few
left-out words. Each quotation records its true source and word span.
"""

from __future__ import annotations

import functools
import random
import re
import sysconfig
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import attrs

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]|[0-9]+|[.,;:?!]")


_DOCSTRING = re.compile(r'"""(.*?)"""', re.DOTALL)


def corpus_text() -> str:
    """Prose from the Python reference manual, the standard library's docstrings and the Krishna letter."""
    from pydoc_data import topics  # noqa: PLC0415 - only the benchmark needs it

    from quotecheck import builtin_registry  # noqa: PLC0415

    texts = list(topics.topics.values())
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    for path in sorted(stdlib.rglob("*.py")):
        parts = path.relative_to(stdlib).parts
        if parts[0] in ("site-packages", "test", "idlelib", "lib2to3") or "tests" in parts:
            continue
        texts.extend(_DOCSTRING.findall(path.read_text(encoding="utf-8", errors="replace")))
    lines = []
    for text in texts:
        for raw in text.splitlines():
            line = raw.strip()
            if not line or line.startswith((">>>", "...", ":", "-", "*", "=", "#")) or "::=" in line or "(" in line[:20]:
                continue
            lines.append(line)
    lines.extend(source.text for source in builtin_registry())
    return "\n".join(lines)


@functools.cache
def chain() -> Markov:
    """The chain trained on `corpus_text()`, made once."""
    return Markov(corpus_text())


class Markov:
    """An order-2 word chain."""

    def __init__(self, text: str) -> None:
        words = _WORD.findall(text)
        self.next: dict[tuple[str, str], list[str]] = defaultdict(list)
        for a, b, c in zip(words, words[1:], words[2:], strict=False):
            self.next[(a, b)].append(c)
        self.starts = [k for k in self.next if k[0] == "."]
        self.vocabulary = sorted({w for w in words if w.isalpha()})  # one token each: edits count in quotecheck words

    def words(self, rng: random.Random, n: int) -> list[str]:
        state = rng.choice(self.starts)
        out: list[str] = []
        while len(out) < n:
            options = self.next.get(state)
            if not options:
                state = rng.choice(self.starts)
                continue
            word = rng.choice(options)
            out.append(word)
            state = (state[1], word)
        return out


def render(words: list[str]) -> str:
    """Joins words into text: punctuation attached, sentences capitalised, paragraphs every ~80 words."""
    out: list[str] = []
    since = 0
    capital = True
    for word in words:
        if word in ".,;:?!":
            if out:
                out[-1] += word
            if word in ".?!":
                capital = True
                if since > 80:
                    out[-1] += "\n\n"
                    since = 0
            continue
        out.append(word[0].upper() + word[1:] if capital else word)
        capital = False
        since += 1
    return " ".join(out).replace("\n\n ", "\n\n").strip() + "\n"


def write_registry(root: Path, sources: int, *, seed: int = 0, chars: int = 5000) -> list[Path]:
    """Writes `sources` source files of about `chars` characters under `root`."""
    words = chain()
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(sources):
        text = render(words.words(rng, chars // 6))
        path = root / f"s{n:05d}.txt"
        path.write_text(f'+++\nspeaker = "Speaker {n % 97}"\n+++\n{text}', encoding="utf-8")
        paths.append(path)
    return paths


@attrs.frozen
class Sample:
    """A quotation drawn from a source, and where it truly comes from."""

    text: str
    source_id: str
    start: int  # offsets of the true passage in the source text
    end: int
    edits: int
    words: int


def quotations(registry: object, count: int, *, seed: int = 1, max_edit_rate: float = 0.3) -> Iterator[Sample]:
    """Quotations of 8 to 40 words from random sources, with 0 to `max_edit_rate` word edits."""
    from quotecheck.text.normalize import TokenKind  # noqa: PLC0415

    vocabulary = chain().vocabulary
    rng = random.Random(seed)
    sources = list(registry)  # type: ignore[call-overload]
    made = 0
    while made < count:
        source = rng.choice(sources)
        words = [t for t in source.tokens if t.kind is TokenKind.WORD]
        m = rng.randint(8, 40)
        if len(words) < m + 10:
            continue
        first = rng.randrange(0, len(words) - m - 6)
        span = words[first : first + m]
        printed = [source.text[t.start : t.end] for t in span]
        edits = rng.randint(0, int(max_edit_rate * m))
        for _ in range(edits):
            op = rng.choice("sid")
            at = rng.randrange(len(printed))
            if op == "s":
                printed[at] = rng.choice(vocabulary)
            elif op == "i":
                printed.insert(at, rng.choice(vocabulary))
            elif len(printed) > 2:
                del printed[at]
        if rng.random() < 0.2 and len(printed) > 8:
            at = rng.randrange(3, len(printed) - 3)
            skip = rng.randint(1, 3)
            printed[at : at + skip] = ["..."]
        if edits > int(max_edit_rate * (len(printed) - printed.count("..."))):  # the bound is on the printed words
            continue
        yield Sample(" ".join(printed), source.id, span[0].start, span[-1].end, edits, m)
        made += 1
