"""The index: candidates with guaranteed recall, exact lookups, saving and loading."""

from __future__ import annotations

import contextlib
import hashlib
import io
import itertools
import json
from array import array
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from quotecheck.checking.article import verify
from quotecheck.config import DEFAULT_CONFIG
from quotecheck.errors import InputError
from quotecheck.matching import align as align_module
from quotecheck.matching.align import _align_exhaustive, _dynamic, align
from quotecheck.sources import index as qindex
from quotecheck.sources.registry import Registry, Source, builtin_registry
from quotecheck.text.normalize import TokenKind, tokenize

# A small vocabulary makes repeated words and bigrams, the hard case for a filter.
WORDS = [f"w{c}{d}" for c in "abcdefgh" for d in "xyz"]


@st.composite
def registries(draw: st.DrawFn) -> Registry:
    n = draw(st.integers(1, 5))
    sources = []
    for s in range(n):
        words = draw(st.lists(st.sampled_from(WORDS), min_size=12, max_size=70))
        if draw(st.booleans()) and len(words) > 20:  # a [[gap]] line somewhere
            at = draw(st.integers(5, len(words) - 5))
            text = " ".join(words[:at]) + "\n\n[[gap]]\n\n" + " ".join(words[at:])
        else:
            text = " ".join(words)
        sources.append(Source(id=f"s{s}", text=text))
    return Registry.from_sources(sources)


@st.composite
def quotations(draw: st.DrawFn) -> tuple[Registry, int, int, int, str]:
    """A registry, and a quotation of one of its passages within MAX_EDIT_RATE: (registry, source, first, last, text)."""
    registry = draw(registries())
    s = draw(st.integers(0, len(registry) - 1))
    tokens = registry.sources[s].tokens
    words = [n for n, t in enumerate(tokens) if t.kind is TokenKind.WORD]
    runs = []  # passages never cross a gap
    start = 0
    for n in range(1, len(words) + 1):
        if n == len(words) or words[n] != words[n - 1] + 1:
            runs.append(words[start:n])
            start = n
    run = draw(st.sampled_from([r for r in runs if len(r) >= 8] or [[]]))
    assume(len(run) >= 8)
    m = draw(st.integers(8, min(len(run), 30)))
    first = draw(st.integers(0, len(run) - m))
    passage = run[first : first + m]
    printed = [tokens[i].key for i in passage]
    edits = draw(st.lists(st.tuples(st.sampled_from("sid"), st.integers(0, 10**6), st.sampled_from([*WORDS, "zz"])), max_size=9))
    for op, where, word in edits:
        at = where % len(printed)
        if op == "s":
            printed[at] = word
        elif op == "i":
            printed.insert(at, word)
        elif len(printed) > 2:
            del printed[at]
    if len(printed) >= 5 and draw(st.booleans()):
        at = draw(st.integers(2, len(printed) - 2))
        printed[at : at + draw(st.integers(1, 2))] = ["..."]
    assume(len(edits) <= int(qindex.MAX_EDIT_RATE * (len(printed) - printed.count("..."))))
    return registry, s, passage[0], passage[-1] + 1, " ".join(printed)


@given(quotations())
def test_candidates_always_hold_the_true_passage(case: tuple[Registry, int, int, int, str]) -> None:
    """A quotation within MAX_EDIT_RATE of a passage gets a candidate window covering that passage."""
    registry, s, first, last, text = case
    tokens = tokenize(text, marks=True)
    pieces = align_module._pieces(tokens)
    windows = qindex.WordIndex.build(registry).candidates(pieces, ellipses=text.count("..."))
    assert any(lo <= first and last <= hi for lo, hi in windows.get(s, []))


@given(quotations())
def test_index_never_loses_what_the_exhaustive_scan_finds(case: tuple[Registry, int, int, int, str]) -> None:
    """Within MAX_EDIT_RATE, the indexed aligner returns what scanning every source returns."""
    registry, _s, _first, _last, text = case
    tokens = tokenize(text, marks=True)
    slow = _align_exhaustive(tokens, registry)
    fast = align(tokens, registry)
    assert slow is not None
    assert fast is not None
    assert (fast.source.id, fast.start, fast.end, fast.score, fast.opcodes, fast.others) == (
        slow.source.id,
        slow.start,
        slow.end,
        slow.score,
        slow.opcodes,
        slow.others,
    )


@given(registries(), st.data())
def test_exact_finds_every_occurrence(registry: Registry, data: st.DataObject) -> None:
    """`exact` lists every contiguous occurrence of the words, as a brute-force search does."""
    index = qindex.WordIndex.build(registry)
    keys = data.draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=3))
    expected = [
        (s, i)
        for s, source in enumerate(registry)
        for i in range(len(source.tokens) - len(keys) + 1)
        if all(t.kind is TokenKind.WORD for t in source.tokens[i : i + len(keys)])
        and [t.key for t in source.tokens[i : i + len(keys)]] == keys
    ]
    assert index.exact(keys) == expected


@given(registries(), st.lists(st.sampled_from([*WORDS, "...", "[it]"]), min_size=1, max_size=12), st.data())
def test_fast_rows_match_the_general_loop(registry: Registry, words: list[str], data: st.DataObject) -> None:
    """The fast rows of the dynamic programme (values only, pointers worked out again) give exactly what the general loop gives."""
    source = registry.sources[0]
    lo = data.draw(st.integers(0, len(source.tokens) - 1))
    hi = data.draw(st.integers(lo + 1, len(source.tokens)))
    tokens = tokenize(" ".join(words), marks=True)
    fast = _dynamic(source, tokens, lo, hi, DEFAULT_CONFIG)
    align_module._FAST_ROWS = False
    try:
        slow = _dynamic(source, tokens, lo, hi, DEFAULT_CONFIG)
    finally:
        align_module._FAST_ROWS = True
    assert fast == slow


def test_saved_index_loads_equal(tmp_path: Path) -> None:
    """An index saved and loaded again has the same vocabulary and arrays."""
    registry = builtin_registry()
    built = qindex.WordIndex.build(registry)
    loaded = qindex.load(qindex.save(built, tmp_path / "i.qci"), registry.hash)
    assert loaded.vocabulary == built.vocabulary
    assert [getattr(loaded, name) for name in qindex._ARRAYS] == [getattr(built, name) for name in qindex._ARRAYS]


def test_saved_index_of_another_registry_is_refused(tmp_path: Path) -> None:
    """Loading checks the registry's content hash: a stale index is an error, never used."""
    path = qindex.save(qindex.WordIndex.build(builtin_registry()), tmp_path / "i.qci")
    with pytest.raises(InputError, match="indexes registry"):
        qindex.load(path, "0" * 64)


@pytest.mark.parametrize("content", [b"", b"not an index", qindex._MAGIC + b"\xff" * 8])
def test_a_damaged_index_file_is_an_error(tmp_path: Path, content: bytes) -> None:
    """A file that is not a whole index gives an InputError naming the file."""
    path = tmp_path / "bad.qci"
    path.write_bytes(content)
    with pytest.raises(InputError, match=r"bad\.qci"):
        qindex.load(path, "0" * 64)


def test_index_for_loads_the_saved_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With an index saved in the cache directory, `index_for` loads it instead of building one."""
    monkeypatch.setenv("QUOTECHECK_CACHE_DIR", str(tmp_path))
    registry = Registry.from_sources(builtin_registry().sources)
    qindex.save(qindex.WordIndex.build(registry), qindex.cache_path(registry.hash))

    def refuse(_registry: Registry) -> qindex.WordIndex:
        raise AssertionError("built instead of loaded")

    monkeypatch.setattr(qindex.WordIndex, "build", refuse)
    fresh = Registry.from_sources(builtin_registry().sources)
    assert qindex.index_for(fresh).registry_hash == registry.hash


def test_index_for_ignores_a_damaged_cache_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A damaged file in the cache directory is ignored and the index is built."""
    monkeypatch.setenv("QUOTECHECK_CACHE_DIR", str(tmp_path))
    registry = Registry.from_sources(builtin_registry().sources)
    qindex.cache_path(registry.hash).write_bytes(b"junk")
    assert qindex.index_for(registry).vocabulary == qindex.WordIndex.build(registry).vocabulary


def test_default_cache_dir_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Without QUOTECHECK_CACHE_DIR, indexes go under $XDG_CACHE_HOME/quotecheck."""
    monkeypatch.delenv("QUOTECHECK_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert qindex.default_cache_dir() == tmp_path / "quotecheck"


def test_words_beyond_the_code_points_are_refused() -> None:
    """A vocabulary larger than the code points is an error, not a silent collision."""
    with pytest.raises(qindex.InvalidArgument, match="distinct words"):
        qindex.code_point(0x110000)


@given(st.lists(st.sampled_from(["w", "[[gap]]", "[[gap]] x", "\n", "\n\n", " "]), max_size=12))
def test_lazy_tokens_agree_with_gaps(parts: list[str]) -> None:
    """A source's gaps, found without tokenising, are exactly the GAP tokens its tokens hold."""
    text = "a" + "".join(parts)
    source = Source(id="s", text=text)
    assert source.gaps == tuple((t.start, t.end) for t in source.tokens if t.kind is TokenKind.GAP)


def test_saved_index_of_another_tokenizer_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An index saved by a quotecheck that folds words differently is refused, not used."""
    registry = builtin_registry()
    path = qindex.save(qindex.WordIndex.build(registry), tmp_path / "i.qci")
    monkeypatch.setattr(qindex, "tokenizer_fingerprint", lambda: "another")
    with pytest.raises(InputError, match="tokenizer"):
        qindex.load(path, registry.hash)


# Damaged saved indexes: whatever happens to the file, verdicts are those of a run without it.
_QUOTES = (
    "IBM no longer offers general purpose IBM facial recognition or analysis software.",
    "IBM firmly opposes and will condone uses of any technology",
    "a national dialogue on whether and how facial recognition technology should be employed",
    "we will build a wall",
)


def _verdicts(registry: Registry) -> list[tuple[str, str | None, int | None, int | None]]:
    out = []
    for quote in _QUOTES:
        result = verify(quote, registry=registry)
        where = result.source
        out.append((result.verdict.value, where.id if where else None, where.start if where else None, where.end if where else None))
    return out


def _fresh() -> Registry:
    """A registry object with the built-in one's hash, not yet indexed in memory."""
    return Registry.from_sources(builtin_registry().sources)


@pytest.fixture(scope="module")
def saved_index(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, list[tuple[str, str | None, int | None, int | None]]]:
    """The bytes of the built-in registry's saved index, and the verdicts of a run without any saved index."""
    folder = tmp_path_factory.mktemp("index")
    path = qindex.save(qindex.WordIndex.build(builtin_registry()), folder / "i.qci")
    return path.read_bytes(), _verdicts(_fresh())


def _sections(data: bytes) -> list[bytes]:
    """The file cut where its parts meet: magic, checksum, header length, header, then each array."""
    at = len(qindex._MAGIC) + 32
    size = int.from_bytes(data[at : at + 8], "little")
    cuts = [0, len(qindex._MAGIC), at, at + 8, at + 8 + size]
    header = json.loads(data[at + 8 : at + 8 + size])
    for typecode, length in header["arrays"]:
        cuts.append(cuts[-1] + length * array(typecode).itemsize)
    return [data[a:b] for a, b in itertools.pairwise(cuts)]


class _Sized(bytes):
    """Bytes whose repr is their size: Hypothesis prints a strategy's arguments, and a whole index is 68 kB."""

    def __repr__(self) -> str:
        return f"<{len(self):,} bytes of a saved index>"


@st.composite
def damage(draw: st.DrawFn, data: bytes) -> bytes:
    """The file with bytes flipped, zeroed, cut short, or its sections shuffled or dropped."""
    how = draw(st.sampled_from(["flip", "zero", "truncate", "shuffle", "drop", "append"]))
    if how == "flip":
        out = bytearray(data)
        for _ in range(draw(st.integers(1, 4))):
            at = draw(st.integers(0, len(out) - 1))
            out[at] ^= draw(st.integers(1, 255))
        return bytes(out)
    if how == "zero":
        start = draw(st.integers(0, len(data) - 1))
        end = draw(st.integers(start + 1, len(data)))
        return data[:start] + bytes(end - start) + data[end:]
    if how == "truncate":
        return data[: draw(st.integers(0, len(data) - 1))]
    if how == "append":
        return data + draw(st.binary(min_size=1, max_size=64))
    sections = _sections(data)
    if how == "drop":
        del sections[draw(st.integers(0, len(sections) - 1))]
        return b"".join(sections)
    shuffled = draw(st.permutations(sections))
    assume(shuffled != sections)
    return b"".join(shuffled)


@given(st.data())
@settings(max_examples=40)
def test_a_damaged_saved_index_never_changes_a_verdict(
    saved_index: tuple[bytes, list[tuple[str, str | None, int | None, int | None]]],
    tmp_path_factory: pytest.TempPathFactory,
    data: st.DataObject,
) -> None:
    """Any damage to the saved index (flips, zeroes, truncation, shuffled or missing sections) is noticed:
    the index is rebuilt in memory, a warning says so and how to rebuild it, and the verdicts are those of a
    run without the file."""
    good, expected = saved_index
    damaged = data.draw(damage(_Sized(good)))
    assume(damaged != good)
    folder = tmp_path_factory.mktemp("cache")
    registry = _fresh()
    qindex.cache_path(registry.hash, folder).write_bytes(damaged)
    qindex._WARNED.clear()
    err = io.StringIO()
    with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stderr(err):
        patch.setenv("QUOTECHECK_CACHE_DIR", str(folder))
        assert _verdicts(registry) == expected
    assert "quotecheck: warning:" in err.getvalue()
    assert "not a usable quotecheck index" in err.getvalue()
    assert "run `quotecheck index`" in err.getvalue()


def _resealed(data: bytes, edit: Callable[[dict[str, Any]], None]) -> bytes:
    """The file with its header edited and the checksum recomputed, as a deliberate writer would."""
    at = len(qindex._MAGIC) + 32
    size = int.from_bytes(data[at : at + 8], "little")
    header = json.loads(data[at + 8 : at + 8 + size])
    edit(header)
    encoded = json.dumps(header).encode()
    body = len(encoded).to_bytes(8, "little") + encoded + data[at + 8 + size :]
    return qindex._MAGIC + hashlib.sha256(body).digest() + body


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(lambda h: h.update(vocabulary=h["vocabulary"][:-50]), id="shortened-vocabulary"),
        pytest.param(lambda h: h.update(vocabulary=[*h["vocabulary"][:-1], h["vocabulary"][0]]), id="repeated-word"),
        pytest.param(lambda h: h["arrays"].__setitem__(1, ["I", h["arrays"][1][1] - 1]), id="short-words"),
        pytest.param(lambda h: h["arrays"].__setitem__(0, ["q", 1]), id="starts-cut"),
        pytest.param(lambda h: h.update(arrays=h["arrays"][::-1]), id="arrays-reversed"),
        pytest.param(lambda h: h.update(vocabulary={"a": 1}), id="vocabulary-not-a-list"),
        pytest.param(lambda h: h.update(registry_hash=None), id="no-registry-hash"),
    ],
)
def test_a_resealed_but_inconsistent_index_is_refused(
    saved_index: tuple[bytes, list[tuple[str, str | None, int | None, int | None]]], tmp_path: Path, edit: Callable[[dict[str, Any]], None]
) -> None:
    """With a valid checksum, an index whose parts do not fit together is still refused by name, not trusted."""
    good, _expected = saved_index
    path = tmp_path / "i.qci"
    path.write_bytes(_resealed(good, edit))
    with pytest.raises(InputError, match="not a usable quotecheck index"):
        qindex.load(path, builtin_registry().hash)


@pytest.mark.xfail(
    strict=True,
    reason="trust boundary: a writer who relabels the vocabulary consistently and recomputes the checksum "
    "is indistinguishable from a good index without re-tokenising the registry; the cache directory must be "
    "as trusted as the installed package (README, Limits and errors)",
)
def test_a_consistently_relabelled_index_is_refused(
    saved_index: tuple[bytes, list[tuple[str, str | None, int | None, int | None]]], tmp_path: Path
) -> None:
    """A vocabulary reversed under a recomputed checksum is refused (it is not: see the reason)."""
    good, _expected = saved_index
    path = tmp_path / "i.qci"
    path.write_bytes(_resealed(good, lambda h: h.update(vocabulary=h["vocabulary"][::-1])))
    with pytest.raises(InputError):
        qindex.load(path, builtin_registry().hash)


def test_a_good_saved_index_is_used_silently(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """An intact saved index is loaded (not rebuilt), without a warning."""
    monkeypatch.setenv("QUOTECHECK_CACHE_DIR", str(tmp_path))
    registry = _fresh()
    qindex.save_for(registry)
    built = []
    monkeypatch.setattr(qindex.WordIndex, "build", classmethod(lambda cls, r: built.append(r)))
    qindex.index_for(_fresh())
    assert built == []
    assert capsys.readouterr().err == ""


def test_saved_index_of_a_vocabulary_past_the_surrogates_loads_equal(tmp_path: Path) -> None:
    """A registry with more distinct words than code points below U+D800 loads with the ids it was built with."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    words = [f"q{a}{b}{c}{d}" for a in letters for b in letters for c in letters for d in letters[:5]][:56_000]
    registry = Registry.from_sources([Source("many", " ".join(words))])
    built = qindex.WordIndex.build(registry)
    assert len(built.vocabulary) > 0xD800
    loaded = qindex.load(qindex.save(built, tmp_path / "i.qci"), registry.hash)
    assert loaded.vocabulary == built.vocabulary
