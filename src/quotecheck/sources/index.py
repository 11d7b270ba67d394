"""The index: where in the registry a quotation could come from, found without scanning every source.

Every distinct folded word key gets a code point (0 stands for a `[[gap]]`
line), so the registry's words are also one string in which each character
is a word, ready for rapidfuzz's C code. The index holds each source's word ids and two inverted lists, in
compressed-row form over flat `array` buffers: for each word, and for each
pair of adjacent words (a bigram), the positions where it occurs. A
position is global: a source's token index plus the number of tokens of the
sources before it.

Recall is guaranteed by counting, not estimated by sampling. Let a quotation
have m words (outside [brackets]) and let k = floor(MAX_EDIT_RATE * m) word
substitutions, insertions or deletions separate it from its passage:

- a substitution or an insertion changes one quotation word, a deletion
  falls between two; so an edit breaks at most one of a set of grams (words,
  or bigrams inside a run of words between editorial marks) that share no
  word position, and of k + 1 such grams at least one keeps its place in the
  passage (the pigeonhole principle; with overlapping bigrams it is the q-gram
  lemma for q = 2, which needs 2k + 1).

So the positions of k + 1 position-disjoint grams contain a position of the
true passage. The index picks the set with the fewest positions in total
(a small dynamic programme: rare bigrams where words are common). Each
such position, less the gram's offset in the quotation, anchors a window
wide enough to hold the whole passage: k words of drift, the words an
ellipsis may leave out (up to m each) and the words a [bracket] may stand for.
Overlapping windows of a source are merged. The aligner then checks each
window against a cheap necessary bound and aligns only in sources that pass.

An index is built once per registry and can be saved to a file and loaded
again (`save`, `load`): a small JSON header (format version, the registry's
content hash, a fingerprint of the tokenizer, the vocabulary) followed by the
raw arrays. A saved index is used only for the registry whose `Registry.hash`
it records and only by a quotecheck that tokenises words the same way, so it
is never stale; anything else in the file makes it be ignored and rebuilt.
"""

from __future__ import annotations

import bisect
import collections
import contextlib
import functools
import hashlib
import importlib.metadata
import itertools
import json
import operator
import os
import sys
import threading
import weakref
from array import array
from collections import defaultdict
from collections.abc import Iterator, Sequence
from itertools import islice
from pathlib import Path
from typing import Any

from quotecheck._escape import strip_surrogates, visible
from quotecheck.errors import InputError, InvalidArgument
from quotecheck.sources.registry import Registry
from quotecheck.text import normalize

__all__ = [
    "MAX_EDIT_RATE",
    "WordIndex",
    "cache_path",
    "code_point",
    "default_cache_dir",
    "index_for",
    "load",
    "save",
    "save_for",
    "tokenizer_fingerprint",
]

MAX_EDIT_RATE = 0.3
"""The share of a quotation's words that may be edited with its passage still guaranteed a candidate."""

_PLAN_WORDS = 200  # longer quotations skip the optimal choice of grams (its cost grows with words times edits)
_SURROGATES = 0xD800
_CODE_POINTS = 0x10FFFF - 0x800  # usable code points after 0: every one but the surrogates


def code_point(n: int) -> int:
    """The code point standing for word number n (from 1): n itself, skipping the surrogates.

    Raises:
        InvalidArgument: n is beyond the last code point.

    >>> code_point(1), code_point(0xD800)
    (1, 57344)
    """
    if n > _CODE_POINTS:
        raise InvalidArgument(f"the registry has more than {_CODE_POINTS:,} distinct words; an index cannot hold it")
    return n if n < _SURROGATES else n + 0x800


def _dense(code: int) -> int:
    """The word number a code point stands for (the inverse of `code_point`)."""
    return code if code < _SURROGATES else code - 0x800


_MAGIC = b"quotecheck-index\n"
_FORMAT = 2  # 2: a SHA-256 of the body after the magic
_GAP = 0


class WordIndex:
    """Word ids and inverted lists of words and bigrams for one registry.

    Attributes:
        registry_hash: `Registry.hash` of the registry it indexes.
        vocabulary: folded word key to id (ids from 1; 0 is a gap).
        starts: global position of each source's first token, and the total at the end.
        words: every source's token ids, one after the other.
    """

    def __init__(
        self,
        registry_hash: str,
        vocabulary: dict[str, int],
        starts: array[int],
        words: array[int],
        word_offsets: array[int],
        word_positions: array[int],
        pair_keys: array[int],
        pair_offsets: array[int],
        pair_positions: array[int],
    ) -> None:
        self.registry_hash = registry_hash
        self.vocabulary = vocabulary
        self.starts = starts
        self.words = words
        self._word_offsets = word_offsets
        self._word_positions = word_positions
        self._pair_keys = pair_keys
        self._pair_offsets = pair_offsets
        self._pair_positions = pair_positions
        self._width = len(vocabulary) + 1
        self._text: str | None = None

    @classmethod
    def build(cls, registry: Registry) -> WordIndex:
        """Indexes every source of a registry.

        Raises:
            InvalidArgument: the registry has more distinct words than there are code points.
        """
        # Every pass over the words below runs in C (map, array, dict lookups); Python code runs once per
        # distinct word, distinct bigram or source.
        codes = _Codes()
        words = array("I")
        starts = array("q", [0])
        for source in registry:
            for n, run in enumerate(normalize.source_words(source.text)):
                if n:
                    words.append(_GAP)
                words.extend(map(codes.__getitem__, run))
            starts.append(len(words))
        vocabulary = codes.vocabulary
        del codes
        width = len(vocabulary) + 1
        dense = words if width <= _SURROGATES else array("I", map(_dense, words))
        word_buckets = [array("I") for _ in range(width)]
        _fill(word_buckets, dense)
        word_offsets, word_positions = _concat(word_buckets, array("I"))
        del word_buckets
        # A bigram is `a * width + b` at the position of its first word: none across a gap or between two sources.
        pairs = array("Q", map(operator.add, map(operator.mul, dense, itertools.repeat(width)), itertools.islice(dense, 1, None)))
        pairs.append(0)
        for end in starts[1:]:
            if end:
                pairs[end - 1] = 0
        del pairs[len(dense) :]
        pair_buckets: defaultdict[int, array[int]] = defaultdict(functools.partial(array, "I"))
        _fill(pair_buckets, pairs)
        del pairs
        # The pairs with no gap in them, sorted; the other positions (0 among them) come first, under no key.
        valid = array("Q", sorted(key for key in pair_buckets if key >= width and key % width))
        rest = array("I", sorted(itertools.chain.from_iterable(b for key, b in pair_buckets.items() if key < width or not key % width)))
        pair_offsets, pair_positions = _concat([pair_buckets[key] for key in valid], rest)
        del pair_buckets
        return cls(registry.hash, vocabulary, starts, words, word_offsets, word_positions, valid, pair_offsets, pair_positions)

    def __len__(self) -> int:
        return len(self.starts) - 1

    def ids(self, keys: Sequence[str]) -> list[int]:
        """The code points of word keys; -1 for a word no source has."""
        get = self.vocabulary.get
        return [get(key, -1) for key in keys]

    @property
    def text(self) -> str:
        """Every source's words as one string of one code point per word (a gap is `"\\x00"`)."""
        if self._text is None:
            self._text = self.words.tobytes().decode("utf-32-le" if sys.byteorder == "little" else "utf-32-be")
        return self._text

    def source_text(self, source: int) -> str:
        """One source's words, one code point each (by the source's index in the registry)."""
        return self.text[self.starts[source] : self.starts[source + 1]]

    def _word_hits(self, word: int) -> array[int] | None:
        if word <= 0:
            return None
        word = _dense(word)
        return self._word_positions[self._word_offsets[word] : self._word_offsets[word + 1]]

    def _word_count(self, word: int) -> int:
        if word <= 0:
            return 0
        word = _dense(word)
        return self._word_offsets[word + 1] - self._word_offsets[word]

    def _pair_slot(self, a: int, b: int) -> int:
        if a <= 0 or b <= 0:
            return -1
        key = (a if a < _SURROGATES else a - 0x800) * self._width + (b if b < _SURROGATES else b - 0x800)  # `_dense`, inlined
        keys = self._pair_keys
        i = bisect.bisect_left(keys, key)
        return i if i < len(keys) and keys[i] == key else -1

    def _pair_count(self, slot: int) -> int:
        return self._pair_offsets[slot + 1] - self._pair_offsets[slot] if slot >= 0 else 0

    def _pair_hits(self, slot: int) -> array[int]:
        return self._pair_positions[self._pair_offsets[slot] : self._pair_offsets[slot + 1]]

    def exact(self, keys: Sequence[str]) -> list[tuple[int, int]]:
        """Every occurrence of the words as a contiguous run, as `(source index, token index)`, in order."""
        ids = self.ids(keys)
        if not ids or min(ids) <= 0:
            return []
        n = len(ids)
        # Look up the rarest word or bigram of the run; every occurrence holds it at the same offset.
        anchor = min(range(n), key=lambda j: self._word_count(ids[j]))
        hits = self._word_hits(ids[anchor])
        slots = []
        for j in range(n - 1):
            slot = self._pair_slot(ids[j], ids[j + 1])
            if slot < 0:
                return []  # a bigram no source has: the run occurs nowhere
            slots.append((slot, j))
        if slots:
            slot, j = min(slots, key=lambda sj: self._pair_count(sj[0]))
            if self._pair_count(slot) < self._word_count(ids[anchor]):
                anchor, hits = j, self._pair_hits(slot)
        assert hits is not None
        wanted = array("I", ids)
        words, starts = self.words, self.starts
        out = []
        for pos in hits:
            first = pos - anchor
            if first >= 0 and words[first : first + n] == wanted:
                s = bisect.bisect_right(starts, first) - 1
                if first + n <= starts[s + 1]:  # not running on into the next source
                    out.append((s, first - starts[s]))
        return out

    def candidates(
        self, pieces: Sequence[Sequence[str]], *, ellipses: int = 0, brackets: int = 0, bracket_words: int = 6
    ) -> dict[int, list[tuple[int, int]]]:
        """Windows that hold every passage the quotation is within `MAX_EDIT_RATE` of.

        Args:
            pieces: the quotation's runs of word keys between editorial marks.
            ellipses: how many ellipses the quotation has (each may leave out
                up to as many source words as the quotation has words).
            brackets: how many [bracketed] insertions it has.
            bracket_words: the most source words one bracket may stand for.

        Returns:
            For each candidate source (by registry index), its windows as
            half-open token ranges, sorted and disjoint.
        """
        out: dict[int, list[tuple[int, int]]] = {}
        for lo, hi in self.windows(pieces, ellipses=ellipses, brackets=brackets, bracket_words=bracket_words):
            for s, first, last in self.split(lo, hi):
                out.setdefault(s, []).append((first, last))
        return out

    def windows(
        self, pieces: Sequence[Sequence[str]], *, ellipses: int = 0, brackets: int = 0, bracket_words: int = 6
    ) -> list[tuple[int, int]]:
        """The windows of `candidates` before they are cut at source boundaries: global token ranges, sorted and disjoint."""
        flat = [key for piece in pieces for key in piece]
        m = len(flat)
        if not m:
            return []
        k = int(MAX_EDIT_RATE * m)
        ids = self.ids(flat)
        plan = self._plan(pieces, ids, k + 1)
        drift = k + ellipses * m + brackets * bracket_words
        # Anchors (hit position less the gram's offset in the quotation) in global coordinates,
        # gathered and sorted in C; windows around them merged, then cut at source boundaries,
        # so a window reaching past the start of its hit's source still covers that source's part.
        anchors: list[int] = []
        for j, hits in plan:
            if hits is not None:
                anchors.extend(map(operator.sub, hits, itertools.repeat(j)) if j else hits)
        anchors = sorted(set(anchors))
        if not anchors:
            return []
        # Runs of anchors closer than a window's width make one window (in C: these are long lists).
        steps = map(operator.sub, itertools.islice(anchors, 1, None), anchors)
        cuts = list(itertools.compress(range(1, len(anchors)), map(operator.gt, steps, itertools.repeat(m + 2 * drift))))
        firsts = map(anchors.__getitem__, [0, *cuts])
        lasts = map(anchors.__getitem__, [*(cut - 1 for cut in cuts), len(anchors) - 1])
        windows = list(
            zip(map(operator.sub, firsts, itertools.repeat(drift)), map(operator.add, lasts, itertools.repeat(m + drift)), strict=True)
        )
        total = self.starts[-1]
        if windows[0][0] < 0 or windows[-1][1] > total:  # windows are sorted: only the first and last can stick out
            clipped = [(max(0, lo), min(total, hi)) for lo, hi in windows]
            windows = [(lo, hi) for lo, hi in clipped if lo < hi]
        return windows

    def split(self, lo: int, hi: int) -> list[tuple[int, int, int]]:
        """A global token range cut at source boundaries, as `(source index, start, end)` in source token indices."""
        starts = self.starts
        s = bisect.bisect_right(starts, lo) - 1
        out = []
        while lo < hi:
            end = min(hi, starts[s + 1])
            if end > lo:
                out.append((s, lo - starts[s], end - starts[s]))
            lo = end
            s += 1
        return out

    def _plan(self, pieces: Sequence[Sequence[str]], ids: list[int], need: int) -> list[tuple[int, array[int] | None]]:
        """The cheapest `need` grams at disjoint word positions, as `(offset in the quotation, hits)`.

        A gram is a word or a bigram inside one piece. Grams that share no word
        position are broken by different edits, so k edits break at most k of
        k + 1 such grams: one of them keeps its place in the passage. A dynamic
        programme over positions picks the set with the fewest hits in total.
        """
        m = len(ids)
        word_cost = [self._word_count(w) for w in ids]
        pair_slot = [-1] * m
        offset = 0
        for piece in pieces:
            for i in range(offset, offset + len(piece) - 1):
                pair_slot[i] = self._pair_slot(ids[i], ids[i + 1])
            offset += len(piece)
        if m > _PLAN_WORDS:  # a very long quotation: its rarest words are plenty
            rarest = sorted(range(m), key=word_cost.__getitem__)[:need]
            return [(j, self._word_hits(ids[j])) for j in rarest]
        pair_ok = [False] * m
        offset = 0
        for piece in pieces:
            for i in range(offset, offset + len(piece) - 1):
                pair_ok[i] = True
            offset += len(piece)
        never = 1 << 62
        # best[j][c]: least total hits choosing c grams among positions j..m-1; how[j][c]: 0 skip, 1 word, 2 pair.
        best = [[never] * (need + 1) for _ in range(m + 2)]
        how = [[0] * (need + 1) for _ in range(m + 1)]
        best[m][0] = best[m + 1][0] = 0
        for j in range(m - 1, -1, -1):
            here, after, after2 = best[j], best[j + 1], best[j + 2]
            pair_cost = self._pair_count(pair_slot[j]) if pair_ok[j] else never
            word = word_cost[j]
            chosen = how[j]
            here[0] = after[0]
            # For each count c from 1: skip (after[c]), a word (after[c - 1]) or a pair (after2[c - 1]).
            for c, (skip, word_rest, pair_rest) in enumerate(zip(islice(after, 1, None), after, after2, strict=False), 1):
                value, choice = skip, 0
                if word + word_rest < value:
                    value, choice = word + word_rest, 1
                if pair_cost + pair_rest < value:
                    value, choice = pair_cost + pair_rest, 2
                here[c] = value
                chosen[c] = choice
        plan: list[tuple[int, array[int] | None]] = []
        j, c = 0, need
        while c:
            choice = how[j][c]
            if choice == 1:
                plan.append((j, self._word_hits(ids[j])))
            elif choice == 2:
                slot = pair_slot[j]
                plan.append((j, self._pair_hits(slot) if slot >= 0 else None))
            c -= choice > 0
            j += 2 if choice == 2 else 1
        return plan


class _Codes(dict[str, int]):
    """A printed word's code point; a word not seen before is folded, and its key numbered if new."""

    def __init__(self) -> None:
        super().__init__()
        self.vocabulary: dict[str, int] = {}

    def __missing__(self, word: str) -> int:
        key = normalize.fold_word(word)
        code = self.vocabulary.get(key)
        if code is None:
            code = self.vocabulary[key] = code_point(len(self.vocabulary) + 1)
        self[word] = code
        return code


def _fill(buckets: Sequence[array[int]] | defaultdict[int, array[int]], keys: array[int]) -> None:
    """Appends each position to its key's bucket, so each bucket's positions ascend (every `append` runs in C)."""
    collections.deque(map(array.append, map(buckets.__getitem__, keys), range(len(keys))), maxlen=0)


def _concat(groups: Sequence[array[int]], head: array[int]) -> tuple[array[int], array[int]]:
    """Groups of positions as compressed rows after a head: `positions[offsets[n]:offsets[n + 1]]` are `groups[n]`."""
    offsets = array("q", itertools.accumulate(map(len, groups), initial=len(head)))
    for group in groups:
        head.extend(group)
    return offsets, head


def default_cache_dir() -> Path:
    """Where indexes are saved: `$QUOTECHECK_CACHE_DIR`, else `$XDG_CACHE_HOME/quotecheck`, else `~/.cache/quotecheck`."""
    explicit = os.environ.get("QUOTECHECK_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path.home() / ".cache") / "quotecheck"


def cache_path(registry_hash: str, cache_dir: str | os.PathLike[str] | None = None) -> Path:
    """The file an index of the registry with this content hash is saved in."""
    return (Path(cache_dir) if cache_dir is not None else default_cache_dir()) / f"index-{registry_hash[:32]}.qci"


_ARRAYS = ("starts", "words", "_word_offsets", "_word_positions", "_pair_keys", "_pair_offsets", "_pair_positions")


@functools.cache
def tokenizer_fingerprint() -> str:
    """Identifies how words are tokenised and folded: a saved index is only valid for the same.

    The SHA-256 of the `normalize` module's source, or the package version
    where the source cannot be read.
    """
    try:
        return hashlib.sha256(Path(normalize.__file__).read_bytes()).hexdigest()
    except (OSError, TypeError):
        return f"version {importlib.metadata.version('quotecheck')}"


def save(index: WordIndex, path: str | os.PathLike[str]) -> Path:
    """Writes an index to a file (atomically: a reader never sees half of it).

    The file is `_MAGIC`, the SHA-256 of the rest (so that `load` notices any
    damage), the header's length, the JSON header and the raw arrays.

    Raises:
        InputError: the file cannot be written.
    """
    target = Path(path)
    parts: list[array[int]] = [getattr(index, name) for name in _ARRAYS]
    vocabulary = sorted(index.vocabulary, key=index.vocabulary.__getitem__)
    header = {
        "format": _FORMAT,
        "tokenizer": tokenizer_fingerprint(),
        "byteorder": sys.byteorder,
        "registry_hash": index.registry_hash,
        "vocabulary": vocabulary,
        "arrays": [[part.typecode, len(part)] for part in parts],
    }
    encoded = json.dumps(header, ensure_ascii=False).encode("utf-8", "surrogatepass")
    body = [len(encoded).to_bytes(8, "little"), encoded, *(part.tobytes() for part in parts)]
    digest = hashlib.sha256()
    for piece in body:
        digest.update(piece)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with temporary.open("wb") as out:
            out.write(_MAGIC)
            out.write(digest.digest())
            for piece in body:
                out.write(piece)
        temporary.replace(target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise InputError(f"{target}: cannot write the index: {exc.strerror or exc}") from None
    return target


def load(path: str | os.PathLike[str], registry_hash: str) -> WordIndex:
    """Reads an index saved by `save`, for the registry with this content hash, and validates all of it.

    The checksum covers every byte after it, so damage anywhere (a flipped
    bit, a truncation, a zeroed block, sections moved) is refused; and the
    arrays are then checked against each other (every id within the
    vocabulary, every offset ascending and within its list, every position
    within the words), so that no file, however made, can raise anything
    but `InputError` here or later.

    Raises:
        InputError: the file cannot be read, is not an index, is damaged, or
            indexes another version of the registry.
    """
    source = Path(path)
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise InputError(f"{source}: cannot read the index: {exc.strerror or exc}") from None
    try:
        header, parts = _parse(data)
    except (ValueError, KeyError, TypeError, IndexError, OverflowError, MemoryError) as exc:
        raise InputError(f"{source}: not a usable quotecheck index: {exc}") from None
    if header["registry_hash"] != registry_hash:
        raise InputError(f"{source}: indexes registry {header['registry_hash'][:12]}, not {registry_hash[:12]}")
    vocabulary = dict(zip(header["vocabulary"], _code_points(len(header["vocabulary"])), strict=True))
    return WordIndex(header["registry_hash"], vocabulary, *parts)


def _code_points(n: int) -> Iterator[int]:
    """`code_point(1)` to `code_point(n)`, as `WordIndex.build` numbers a vocabulary of n words."""
    code_point(n)  # raises beyond the last code point
    return itertools.chain(range(1, min(n + 1, _SURROGATES)), range(_SURROGATES + 0x800, n + 0x800 + 1))


_DIGEST = 32  # bytes of SHA-256
_TYPECODES = frozenset("bBhHiIlLqQ")


def _parse(data: bytes) -> tuple[dict[str, Any], list[array[int]]]:
    """The header and arrays of a saved index, every part validated; ValueError says what is wrong."""
    if not data.startswith(_MAGIC):
        raise ValueError("not a quotecheck index")
    at = len(_MAGIC) + _DIGEST
    if len(data) < at + 8:
        raise ValueError("the file is truncated")
    if hashlib.sha256(memoryview(data)[at:]).digest() != data[len(_MAGIC) : at]:
        raise ValueError("its checksum does not match: the file is damaged or was cut short")
    size = int.from_bytes(data[at : at + 8], "little")
    at += 8
    if size > len(data) - at:
        raise ValueError("the header runs past the end of the file")
    header = json.loads(data[at : at + size].decode("utf-8"))
    at += size
    if not isinstance(header, dict):
        raise ValueError("the header is not a JSON object")
    if header.get("format") != _FORMAT or header.get("byteorder") != sys.byteorder:
        raise ValueError(f"format {header.get('format')!r} ({header.get('byteorder')}) is not {_FORMAT} ({sys.byteorder})")
    if header.get("tokenizer") != tokenizer_fingerprint():
        raise ValueError("it was built by a quotecheck whose tokenizer differs from this one's")
    if not isinstance(header.get("registry_hash"), str):
        raise ValueError("the header has no registry hash")
    vocabulary = header.get("vocabulary")
    if not isinstance(vocabulary, list) or not all(isinstance(key, str) and key for key in vocabulary):
        raise ValueError("the vocabulary is not a list of words")
    if len(set(vocabulary)) != len(vocabulary):
        raise ValueError("the vocabulary repeats a word")
    shapes = header.get("arrays")
    if not isinstance(shapes, list) or len(shapes) != len(_ARRAYS):
        raise ValueError(f"the header lists {len(shapes) if isinstance(shapes, list) else 'no'} arrays, not {len(_ARRAYS)}")
    parts = []
    view = memoryview(data)
    for shape in shapes:
        if not (isinstance(shape, list) and len(shape) == 2 and shape[0] in _TYPECODES and isinstance(shape[1], int) and shape[1] >= 0):
            raise ValueError(f"an array is described as {shape!r}")
        part = array(shape[0])
        end = at + shape[1] * part.itemsize
        if end > len(data):
            raise ValueError("the file is truncated")
        part.frombytes(view[at:end])
        parts.append(part)
        at = end
    if at != len(data):
        raise ValueError(f"{len(data) - at:,} bytes follow the last array")
    _check_arrays(dict(zip(_ARRAYS, parts, strict=True)), len(vocabulary))
    return header, parts


def _check_arrays(arrays: dict[str, array[int]], words_known: int) -> None:
    """Raises ValueError unless the arrays are what `WordIndex.build` makes for a vocabulary of this size."""
    starts, words = arrays["starts"], arrays["words"]
    width = words_known + 1
    if not starts or starts[0] != 0 or starts[-1] != len(words) or not _ascending(starts):
        raise ValueError("the sources' starts are not ascending offsets into the words")
    if words.itemsize != 4:
        raise ValueError(f"the words are {words.itemsize}-byte numbers, not code points")
    # Each word is a code point (see `code_point`): decoding them as UTF-32 refuses a surrogate or a number past
    # U+10FFFF in C, and the largest must stand for a word of the vocabulary.
    text = words.tobytes().decode("utf-32-le" if sys.byteorder == "little" else "utf-32-be")
    if text and _dense(ord(max(text))) > words_known:
        raise ValueError("a word id lies outside the vocabulary")
    _check_rows("word", arrays["_word_offsets"], arrays["_word_positions"], width + 1, len(words), head=0)
    keys = arrays["_pair_keys"]
    if not _ascending(keys) or (keys and (keys[0] < width or keys[-1] >= width * width)):
        raise ValueError("the bigram keys are not ascending bigrams of the vocabulary")
    offsets = arrays["_pair_offsets"]
    _check_rows("bigram", offsets, arrays["_pair_positions"], len(keys) + 1, len(words), head=offsets[0] if offsets else 0)


def _check_rows(what: str, offsets: array[int], positions: array[int], rows: int, total: int, *, head: int) -> None:
    """Compressed rows: `rows` ascending offsets, from `head` to the end of `positions`, every position within `total`."""
    if len(offsets) != rows or not offsets or offsets[0] != head or offsets[-1] != len(positions) or not _ascending(offsets):
        raise ValueError(f"the {what} lists' offsets do not fit their positions")
    if positions and ((positions.typecode.islower() and min(positions) < 0) or max(positions) >= max(total, 1)):
        raise ValueError(f"a {what} position lies outside the words")


def _ascending(values: array[int]) -> bool:
    """Each value at least the one before (timsort checks a sorted list in one pass, in C)."""
    as_list = values.tolist()
    return as_list == sorted(as_list)


def save_for(registry: Registry, *, cache_dir: str | os.PathLike[str] | None = None) -> Path:
    """Builds a registry's index and saves it where `index_for` looks for it.

    Args:
        registry: the sources.
        cache_dir: the directory to save in; `default_cache_dir()` by default.

    Returns:
        The file written.

    Raises:
        InputError: the file cannot be written.
    """
    return save(index_for(registry), cache_path(registry.hash, cache_dir))


_INDEXES: dict[int, tuple[weakref.ref[Registry], WordIndex]] = {}
_WARNED: set[str] = set()


def _warn_once(message: str) -> None:
    """A warning on standard error, once per process: a damaged saved index is worth one line, not one per article."""
    if message in _WARNED:
        return
    _WARNED.add(message)
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.write(f"quotecheck: warning: {strip_surrogates(visible(message))}\n")
        sys.stderr.flush()


_LOCK = threading.Lock()


def index_for(registry: Registry) -> WordIndex:
    """The index of a registry: cached in memory per registry object, else loaded from the cache directory, else built.

    A saved index (see `quotecheck index`) is used only when it records this
    registry's content hash and passes every check of `load`; otherwise the
    index is built in memory, with a warning on standard error when a file
    was there but could not be used.
    """
    with _LOCK:
        entry = _INDEXES.get(id(registry))
        if entry is not None and entry[0]() is registry:
            return entry[1]
        digest = registry.hash
        index: WordIndex | None = None
        path = cache_path(digest)
        if path.is_file():
            try:
                index = load(path, digest)
            except InputError as exc:
                _warn_once(f"{exc}; ignoring it and building the index in memory (run `quotecheck index` to save a good one)")
        if index is None:
            index = WordIndex.build(registry)
        key = id(registry)
        cache = _INDEXES  # bound now: at interpreter exit the module global may already be None

        def forget(_ref: weakref.ref[Registry]) -> None:
            cache.pop(key, None)

        _INDEXES[key] = (weakref.ref(registry, forget), index)
        return index
