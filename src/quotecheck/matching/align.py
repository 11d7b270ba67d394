"""Alignment: the passage of the registry each quotation came from.

Words are compared by their folded keys (see `normalize.fold_word`). Every
distinct key is encoded as one code point, so a source becomes a string with
one character per word and rapidfuzz's C code works word by word.

For a quotation, in order:

1. Exact: the quotation's words occur contiguously in a source (`str.find`
   on the encoded strings). Every occurrence is kept, to report ambiguity.
2. Fuzzy: each source's best window for each stretch of the quotation
   between editorial marks is found with `rapidfuzz.fuzz.partial_ratio_alignment`;
   the union of those windows, widened by a third of the quotation's length,
   is aligned word by word by a semi-global dynamic programme (the
   quotation entire, any stretch of the source) in which an ellipsis skips
   source words for free and a [bracket] stands for up to
   `Config.max_bracket_words` source words or none.

The score is a weighted Dice coefficient of shared words, in [0.0, 1.0]:
twice the weight of the words the quotation and passage share (in order, or
moved) over the weight of both. Stop words weigh a quarter of other words, so
that "IBM facial recognition" keeping "IBM" beats keeping "and".

This module is the only one that talks to rapidfuzz.
"""

from __future__ import annotations

import bisect
import itertools
import threading
import weakref
from collections.abc import Callable, Sequence
from itertools import islice
from typing import Any

import attrs
import regex
from rapidfuzz import fuzz, process
from rapidfuzz.distance import LCSseq

from quotecheck.config import DEFAULT_CONFIG, Config
from quotecheck.sources.index import MAX_EDIT_RATE, WordIndex, code_point, index_for
from quotecheck.sources.registry import Registry, Source
from quotecheck.text.normalize import STOP_WORDS, Token, TokenKind

__all__ = [
    "Alignment",
    "Opcode",
    "Piece",
    "Reading",
    "align",
    "is_compound",
    "is_join",
    "is_splice",
    "kept_words",
    "moved_words",
    "read_pieces",
    "shared_runs",
    "words_between",
]

# Costs of the dynamic programme. A substitution costs less than an insertion
# plus a deletion (so "offered" for "made" stays one changed word), but two
# substitutions cost more than an insertion, a match and a deletion (so a
# transposed pair keeps one of its words matched and the move can be seen).
_SUB = 10
_INS = 6
_DEL = 6
# A jump leaves out any number of source words with no ellipsis for the price of
# five deletions: a quotation stitched from two passages aligns as two passages.
_JUMP = 30
_SKIP = 5  # an ellipsis that leaves out words: less than one deletion, more than a substitution less an insertion
_BRACKET_INSERT = 2
_BRACKET_REPLACE = 2  # plus one per source word replaced
_INF = 1 << 40
_MARKS = (TokenKind.ELLIPSIS, TokenKind.BRACKET, TokenKind.SIC)
_STOP_WEIGHT = 0.25
_FUZZY_CUTOFF = 40.0  # rapidfuzz 0-100: a window this unlike the quotation holds no passage of it
_WHOLE_SOURCE_CELLS = 100_000  # a quotation with marks is aligned against a whole source this small
_WHOLE_SOURCE_CANDIDATES = 8  # ... when it is one of the best this many candidates
_ALIGNED_CANDIDATES = 32  # at most this many candidate sources are aligned, the best by their common run of words


@attrs.frozen
class Opcode:
    """One step from source to quotation, in difflib's vocabulary.

    `source[i1:i2]` (source token indices) becomes `quote[j1:j2]` (quotation
    token indices): `equal`, `replace`, `delete` (source words left out) or
    `insert` (quotation words the source lacks). An editorial mark is an
    opcode of its own: an ellipsis or bracket that stands for source words is
    a `replace`, one that stands for none an `insert`.
    """

    tag: str
    i1: int
    i2: int
    j1: int
    j2: int


_REPR_OPCODES = 8  # an alignment's repr lists at most this many opcodes, else counts them


@attrs.frozen
class Alignment:
    """Where a quotation sits in one source, and how its words line up.

    Attributes:
        source: the source.
        start: offset of the passage in `source.text`.
        end: offset after the passage.
        score: Dice coefficient of the words shared, in [0.0, 1.0].
        opcodes: the word steps, covering every quotation token and every
            source token of the passage.
        matched: quotation words equal to their source word.
        moved: quotation words found in the passage, but elsewhere (reordered).
        quote_words: words of the quotation outside [brackets].
        source_words: words of the passage not left out by an ellipsis
            nor replaced by a bracket.
        others: other passages, as `(source id, start, end)`, that the
            quotation matches exactly as well: the first `MAX_OTHERS`.
        others_count: how many such passages there are in all.
    """

    source: Source = attrs.field(repr=lambda source: f"<Source {source.id!r}>")
    start: int
    end: int
    score: float
    opcodes: tuple[Opcode, ...] = attrs.field(repr=lambda ops: repr(ops) if len(ops) <= _REPR_OPCODES else f"<{len(ops)} opcodes>")
    matched: int
    moved: int
    quote_words: int
    source_words: int
    others: tuple[tuple[str, int, int], ...] = ()
    others_count: int = 0

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """The short repr for IPython's and Hypothesis's pretty printers, which would otherwise list every field."""
        printer.text(repr(self))


MAX_OTHERS = 20
"""At most this many other equally good passages are listed for a quotation (`Alignment.others`); the rest are counted."""
_EXHAUSTIVE_SOURCES = 16  # up to this many sources, a quotation no candidate fits is still tried against every source
# Pointers of the two compounding steps (0 is the diagonal, 1 an insertion, 2 a deletion, negative a jump).
_COMPOUND = 3  # one quotation word for two source words
_SPLIT = 4  # two quotation words for one source word
_FAST_ROWS = True  # tests turn it off to check the fast rows (values only) against the general loop


class _Encoded:
    """The index, and what alignment needs beside it: each source's position in the registry."""

    def __init__(self, index: WordIndex, registry: Registry) -> None:
        self.index = index
        self.position = {source.id: n for n, source in enumerate(registry)}

    def source(self, s: int) -> str:
        return self.index.source_text(s)

    def quote(self, keys: Sequence[str], unknown: dict[str, str]) -> str:
        """Encodes quotation words; words no source has get code points no source uses."""
        out = []
        vocabulary = self.index.vocabulary
        for key in keys:
            found = vocabulary.get(key)
            if found is not None:
                out.append(chr(found))
                continue
            code = unknown.get(key)
            if code is None:
                code = unknown[key] = chr(code_point(len(vocabulary) + 1 + len(unknown)))
            out.append(code)
        return "".join(out)


_ENCODED: weakref.WeakKeyDictionary[WordIndex, _Encoded] = weakref.WeakKeyDictionary()
_ENCODED_LOCK = threading.Lock()


def _encoded(registry: Registry) -> _Encoded:
    index = index_for(registry)
    with _ENCODED_LOCK:
        found = _ENCODED.get(index)
        if found is None:
            found = _ENCODED[index] = _Encoded(index, registry)
        return found


def align(
    tokens: Sequence[Token],
    registry: Registry,
    *,
    prefer: frozenset[str] = frozenset(),
    config: Config = DEFAULT_CONFIG,
) -> Alignment | None:
    """Finds the passage of the registry that a quotation best matches.

    Args:
        tokens: the quotation's tokens (`normalize.tokenize(..., marks=True)`).
        registry: the sources to search.
        prefer: parties the article names as speaker; among equally good
            passages, one they spoke wins.
        config: thresholds.

    Returns:
        The best alignment, or None when the quotation has no word, is
        longer than `config.max_quote_words`, or no source shares a word with it.
    """
    keys = [t.key for t in tokens if t.kind is TokenKind.WORD]
    if not keys or len(keys) > config.max_quote_words or not len(registry):
        return None
    encoded = _encoded(registry)
    sources = registry.sources
    marked = any(t.kind in _MARKS for t in tokens)

    def rank(a: Alignment) -> tuple[float, bool, int]:
        spoke = bool(prefer & registry.parties_of(a.source, a.start, a.end))
        return (a.score, spoke, -encoded.position[a.source.id])

    if not marked:
        hits = encoded.index.exact(keys)
        if hits:
            return _best_exact(registry, tokens, hits, prefer)
    pieces = _pieces(tokens)
    unknown: dict[str, str] = {}
    encoded_pieces = [encoded.quote(piece, unknown) for piece in pieces]
    if len(sources) == 1:
        chosen = [0]  # aligned whether or not a window passes: a small registry falls back to every source
    else:
        chosen = _candidate_sources(encoded.index, tokens, pieces, "".join(encoded_pieces), len(keys), config, ranked=True)
        chosen = chosen[:_ALIGNED_CANDIDATES]
        if not chosen and len(sources) <= _EXHAUSTIVE_SOURCES:
            chosen = list(range(len(sources)))
    best_found: Alignment | None = None
    seen: set[tuple[str, int]] = set()
    reach = len(keys) + _CONTEXT_WORDS
    for n, s in enumerate(chosen):
        text = encoded.source(s)
        # Only the best candidates (by their longest common run of words in order) are read whole for a quotation
        # with marks; the rest by their windows: a short quotation of common words has hundreds of candidates.
        window = _source_window(text, tokens, encoded_pieces, len(keys), whole=n < _WHOLE_SOURCE_CANDIDATES)
        if window is None:
            continue
        if not prefer:
            # A source whose words around the window are an earlier candidate's (near-identical copies of a text)
            # aligns the same and ranks after it: only a preferred speaker could make it win.
            lo, hi = window
            context = (text[max(0, lo - reach) : hi + reach], min(lo, reach))
            if context in seen:
                continue
            seen.add(context)
        candidate = _dynamic(sources[s], tokens, *window, config)
        if candidate is not None and (best_found is None or rank(candidate) > rank(best_found)):
            best_found = candidate
    return best_found


@attrs.frozen
class Piece:
    """A run of a quotation's tokens, `tokens[lo:hi]`, aligned to one passage (its opcodes index the run)."""

    lo: int
    hi: int
    alignment: Alignment


@attrs.frozen
class Reading:
    """A quotation read as pieces from passages that are not one stretch of one source.

    Attributes:
        pieces: the runs of the quotation, in order, each with its passage.
        score: the Dice coefficient over all pieces, in [0.0, 1.0].
    """

    pieces: tuple[Piece, ...]
    score: float


# Moving to another passage (back in the source, or to another source) between two words of a quotation costs two
# insertions, so that four words printed from elsewhere at an edge read as a piece rather than as insertions; when that
# reading fails the checks (a piece too short, or not a quotation of its passage), the cost of a jump is tried instead.
_SWITCHES = (2 * _INS, _JUMP)
_PIECE_SOURCES = 8  # beside the quotation's own source, at most this many other candidates hold pieces
_PIECE_CELLS = 4_000_000  # the pieces reading keeps to the quotation's own source beyond this many cells


def read_pieces(tokens: Sequence[Token], whole: Alignment, registry: Registry, *, config: Config = DEFAULT_CONFIG) -> Reading | None:
    """Reads a quotation as pieces joined from separate passages, when that reads better than `whole`.

    One dynamic programme over the quotation's own source and its best other
    candidates, laid side by side, in which the quotation may move between
    two of its words to any passage at all (`_SWITCH`): back in the source
    (swapped clauses), far ahead, or to another source. The cheapest
    alignment's runs between such moves are the pieces. The reading stands
    when there are two or more, each of at least `Config.min_splice_words`
    words is a quotation of its passage (`Config.altered_min_score`), they
    place more of the quotation's words than `whole` and score better, and
    at least one join is not simply the source's next sentence. A piece is
    never credited to another source that the quotation's own source
    explains within that score.

    Args:
        tokens: the quotation's tokens.
        whole: its best alignment as one passage (`align`).
        registry: the sources.
        config: thresholds.

    Returns:
        The reading, or None when the quotation reads best as one passage.
    """
    runs = _unexplained_runs(tokens, whole)
    if not runs:
        return None
    own = _own_stretch(whole.source, tokens, whole)
    stretches = _run_stretches(tokens, runs, own, registry, config)
    reading = _read(tokens, stretches, whole, config)
    if reading is not None and any(p.alignment.source is not whole.source for p in reading.pieces):
        ours = [p for p in reading.pieces if p.alignment.source is not whole.source]
        if any(_explains(own, tokens[p.lo : p.hi], config) for p in ours):
            reading = _read(tokens, [s for s in stretches if s[0] is whole.source], whole, config)
    return reading


_RUN_CONTEXT = 2  # words either side of an unexplained run that its window search also reads


def _unexplained_runs(tokens: Sequence[Token], whole: Alignment) -> list[tuple[int, int]]:
    """Runs of two or more quotation words that `whole` neither matches nor finds moved: what another passage
    might explain. A piece from elsewhere must place words the whole reading does not, in a run of its own."""
    explained = kept_words(whole, tokens)
    runs: list[tuple[int, int]] = []
    start = None
    for j, token in enumerate([*tokens, None]):
        if token is not None and (token.kind is not TokenKind.WORD or j in explained):
            if token.kind is TokenKind.WORD and start is not None:
                runs.append((start, j))
                start = None
            continue
        if token is None:
            if start is not None:
                runs.append((start, j))
            break
        if start is None:
            start = j
    return [(a, b) for a, b in runs if sum(1 for t in tokens[a:b] if t.kind is TokenKind.WORD) >= 2]


def _own_stretch(source: Source, tokens: Sequence[Token], whole: Alignment) -> tuple[Source, int, int]:
    """The stretch of the quotation's own source around its passage: the passage and a quotation's length either side."""
    table = source.tokens
    first = bisect.bisect_left(table.starts, whole.start)
    last = bisect.bisect_left(table.starts, whole.end)
    reach = len(tokens) + 10
    return source, max(0, first - reach), min(len(table), last + reach)


def _run_stretches(
    tokens: Sequence[Token], runs: list[tuple[int, int]], own: tuple[Source, int, int], registry: Registry, config: Config
) -> list[tuple[Source, int, int]]:
    """The stretch `own` and where each unexplained run could come from: its best window in the quotation's own
    source, and in every other source of a small registry or the best candidates of a large one (through the
    index). Overlapping stretches of a source are merged; the own source's come first."""
    encoded = _encoded(registry)
    sources = registry.sources
    unknown: dict[str, str] = {}
    position = encoded.position
    mine = position[own[0].id]
    found: dict[int, list[tuple[int, int]]] = {mine: [own[1:]]}
    for a, b in runs:
        run = tokens[max(0, a - _RUN_CONTEXT) : b + _RUN_CONTEXT]
        pieces = _pieces(run)
        encoded_pieces = [encoded.quote(piece, unknown) for piece in pieces]
        words = sum(map(len, pieces))
        if len(sources) <= _EXHAUSTIVE_SOURCES:
            chosen = list(range(len(sources)))
        else:
            ranked = _candidate_sources(encoded.index, run, pieces, "".join(encoded_pieces), words, config, ranked=True)
            chosen = [mine, *(s for s in ranked if s != mine)][: _PIECE_SOURCES + 1]
        for s in chosen:
            window = _window(encoded.source(s), encoded_pieces, words)
            if window is not None:
                found.setdefault(s, []).append(window)
    out: list[tuple[Source, int, int]] = []
    for s, windows in sorted(found.items(), key=lambda item: (item[0] != mine, item[0])):
        windows.sort()
        merged = [list(windows[0])]
        for lo, hi in windows[1:]:
            if lo <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], hi)
            else:
                merged.append([lo, hi])
        out.extend((sources[s], lo, hi) for lo, hi in merged)
    return out


def _explains(own: tuple[Source, int, int], run: Sequence[Token], config: Config) -> bool:
    """Whether the quotation's own source holds a run of it as a quotation (`Config.altered_min_score`)."""
    source, lo, hi = own
    found = _dynamic(source, run, lo, hi, config) if any(t.kind is TokenKind.WORD for t in run) else None
    return found is not None and found.score >= config.altered_min_score


def _read(tokens: Sequence[Token], stretches: list[tuple[Source, int, int]], whole: Alignment, config: Config) -> Reading | None:
    """The pieces reading over `stretches` laid side by side (a GAP column between two), or None."""
    skeys: list[str] = []
    gaps: list[int] = []
    first_column: list[int] = []
    for source, lo, hi in stretches:
        if skeys:
            gaps.append(len(skeys))
            skeys.append("")
        first_column.append(len(skeys))
        skeys.extend(source.keys[lo:hi])
        gaps.extend(len(skeys) - (hi - g) for g in source.gap_indices if lo <= g < hi)
    gaps.sort()
    if len(skeys) * len(tokens) > _PIECE_CELLS and len(stretches) > 1:
        return _read(tokens, stretches[:1], whole, config)
    for switch in _SWITCHES:
        found = _programme(tokens, skeys, gaps, config, switch=switch)
        if found is None:
            return None
        reading = _check_runs(tokens, _runs(_walk(tokens, skeys, *found), first_column), stretches, first_column, whole, config)
        if reading is not None:
            return reading
    return None


def _check_runs(
    tokens: Sequence[Token],
    runs: list[tuple[int, list[tuple[str, int, int, int, int]]]],
    stretches: list[tuple[Source, int, int]],
    first_column: list[int],
    whole: Alignment,
    config: Config,
) -> Reading | None:
    """The runs of the cheapest alignment as a reading, if it passes the checks of `read_pieces`.

    A single run in the quotation's own source is a reading too, when it
    beats `whole`: one passage again, reached by a jump far ahead that the
    whole reading's window did not hold (its left-out words a deletion, or a
    splice over a sentence break).
    """
    if not runs or (len(runs) == 1 and stretches[runs[0][0]][0] is not whole.source):
        return None
    pieces = []
    for n, run in runs:
        source, lo, _hi = stretches[n]
        j_lo, j_hi = run[0][3], run[-1][4]
        kept = _trim(run)
        words = sum(1 for t in tokens[j_lo:j_hi] if t.kind is TokenKind.WORD)
        if not kept or (len(runs) > 1 and words < config.min_splice_words):
            return None
        shifted = [(tag, i1, i2, j1 - j_lo, j2 - j_lo) for tag, i1, i2, j1, j2 in kept]
        piece = _finish_steps(source, tokens[j_lo:j_hi], shifted, lo - first_column[n])
        if piece is None or piece.score < config.altered_min_score:
            return None
        pieces.append(Piece(j_lo, j_hi, piece))
    if any(_not_a_join(a.alignment, b.alignment) for a, b in itertools.pairwise(pieces)):
        return None
    matched = sum(p.alignment.matched + p.alignment.moved for p in pieces)
    if matched <= whole.matched + whole.moved:
        return None  # the pieces must place more of the quotation's words, not just drop source words
    total = sum(p.alignment.quote_words + p.alignment.source_words for p in pieces)
    score = min(1.0, 2 * matched / total) if total else 0.0
    if score <= whole.score or (len(pieces) > 1 and not any(is_join(a.alignment, b.alignment) for a, b in itertools.pairwise(pieces))):
        return None
    return Reading(tuple(pieces), score)


def _runs(steps: list[tuple[str, int, int, int, int]], first_column: list[int]) -> list[tuple[int, list[tuple[str, int, int, int, int]]]]:
    """Cuts the steps where the alignment moves back, or into another stretch: each run with its stretch's number.
    A jump ahead within a stretch stays in its run, as in the whole reading (a deletion, or a splice)."""
    runs: list[tuple[int, list[tuple[str, int, int, int, int]]]] = []

    def stretch(column: int) -> int:
        return bisect.bisect_right(first_column, column) - 1

    for step in steps:
        tag, i1, i2, _j1, _j2 = step
        if tag == "jump" and (i1 >= i2 or stretch(i1) != stretch(i2)):
            runs.append((stretch(i2), []))
            continue
        if not runs:
            runs.append((stretch(i1), []))
        runs[-1][1].append(step)
    return [(n, run) for n, run in runs if run]


def _trim(steps: list[tuple[str, int, int, int, int]]) -> list[tuple[str, int, int, int, int]]:
    """A run's steps less the source words it deletes at either end (a passage starts and ends where the quotation does)."""
    lo, hi = 0, len(steps)
    while lo < hi and steps[lo][0] in ("delete", "jump"):
        lo += 1
    while hi > lo and steps[hi - 1][0] in ("delete", "jump"):
        hi -= 1
    return steps[lo:hi]


def _not_a_join(first: Alignment, second: Alignment) -> bool:
    """Whether two consecutive pieces are better read as one passage than as two joined.

    They are when they overlap in the source (a word printed twice), or
    follow each other within one sentence with words silently left out
    between them (a deletion, not a splice).
    """
    if first.source is not second.source:
        return False
    if first.start < second.end and second.start < first.end:
        return True
    if first.end > second.start or not words_between(first, second):
        return False
    return not _SOURCE_SENTENCE_BREAK.search(first.source.text, first.end, second.start)


_SOURCE_SENTENCE_BREAK = regex.compile(r"[.!?](?=\s)|\n\s*\n")


def is_join(first: Alignment, second: Alignment) -> bool:
    """Whether two consecutive pieces join separate passages: not simply the next words of one source."""
    return not (first.source is second.source and first.end <= second.start and not words_between(first, second))


def words_between(first: Alignment, second: Alignment) -> int:
    """How many source words stand between the end of one passage and the start of the next (0 when they overlap)."""
    return first.source.tokens.words_between(first.end, second.start)


def _candidate_sources(
    index: WordIndex, tokens: Sequence[Token], pieces: list[list[str]], whole: str, words: int, config: Config, *, ranked: bool = False
) -> list[int]:
    """The sources (by registry index) with a candidate window that passes a cheap necessary bound.

    In registry order, or with `ranked` best first (by the longest common
    subsequence of their best window, then registry order).

    Within MAX_EDIT_RATE, the passage keeps at least m - k of the quotation's
    words in order, so the longest common subsequence of quotation and window
    is as long. The bound is checked on the index's windows before they are cut
    at source boundaries (a part's subsequence is no longer than its whole's),
    then on the parts of the few that pass.
    """
    windows = index.windows(
        pieces,
        ellipses=sum(1 for t in tokens if t.kind is TokenKind.ELLIPSIS),
        brackets=sum(1 for t in tokens if t.kind is TokenKind.BRACKET),
        bracket_words=config.max_bracket_words,
    )
    bound = words - int(MAX_EDIT_RATE * words)
    text, starts = index.text, index.starts
    chosen: dict[int, float] = {}
    for _text, score, n in process.extract(
        whole, list(map(text.__getitem__, itertools.starmap(slice, windows))), scorer=LCSseq.similarity, score_cutoff=bound, limit=None
    ):
        parts = index.split(*windows[n])
        if len(parts) == 1:
            chosen[parts[0][0]] = max(score, chosen.get(parts[0][0], 0))
            continue
        for s, lo, hi in parts:
            part = LCSseq.similarity(whole, text[starts[s] + lo : starts[s] + hi], score_cutoff=bound)
            if part >= bound:
                chosen[s] = max(part, chosen.get(s, 0))
    if ranked:
        return sorted(chosen, key=lambda s: (-chosen[s], s))
    return sorted(chosen)


def _align_source(source: Source, encoded: str, tokens: Sequence[Token], pieces: list[str], words: int, config: Config) -> Alignment | None:
    """The best alignment of a quotation to one source: the window rapidfuzz finds, aligned by `_dynamic`."""
    window = _source_window(encoded, tokens, pieces, words)
    return _dynamic(source, tokens, *window, config) if window is not None else None


def _source_window(
    encoded: str, tokens: Sequence[Token], pieces: list[str], words: int, *, whole: bool = True
) -> tuple[int, int] | None:
    """The stretch of a source (by token index) a quotation is aligned against, or None.

    With `whole`, a quotation with marks is aligned against all of a small source."""
    window = _window(encoded, pieces, words)
    if whole and window is not None and len(pieces) > 1 and len(encoded) * len(tokens) <= _WHOLE_SOURCE_CELLS:
        # The pieces' best windows need not be the pieces' true places: align against all of it.
        return 0, len(encoded)
    return window


# Beyond a quotation's length, how many words either side of its window the steps after the dynamic programme read
# (edge words, omissions, moved words): two sources alike over that stretch align alike.
_CONTEXT_WORDS = 20


def _align_exhaustive(
    tokens: Sequence[Token], registry: Registry, *, prefer: frozenset[str] = frozenset(), config: Config = DEFAULT_CONFIG
) -> Alignment | None:
    """`align` without the index: every source scanned. The slow reference the index is tested against."""
    keys = [t.key for t in tokens if t.kind is TokenKind.WORD]
    if not keys or len(keys) > config.max_quote_words or not len(registry):
        return None
    encoded = _encoded(registry)
    sources = registry.sources
    unknown: dict[str, str] = {}

    def rank(a: Alignment) -> tuple[float, bool, int]:
        spoke = bool(prefer & registry.parties_of(a.source, a.start, a.end))
        return (a.score, spoke, -encoded.position[a.source.id])

    if not any(t.kind in _MARKS for t in tokens):
        encoded_quote = encoded.quote(keys, unknown)
        hits = [(s, pos) for s in range(len(sources)) for pos in _find_all(encoded.source(s), encoded_quote)]
        if hits:
            return _best_exact(registry, tokens, hits, prefer)
    pieces = [encoded.quote(piece, unknown) for piece in _pieces(tokens)]
    best_found: Alignment | None = None
    for s, source in enumerate(sources):
        candidate = _align_source(source, encoded.source(s), tokens, pieces, len(keys), config)
        if candidate is not None and (best_found is None or rank(candidate) > rank(best_found)):
            best_found = candidate
    return best_found


def shared_runs(keys: Sequence[str], registry: Registry, *, length: int) -> list[int]:
    """Where `length` consecutive words of `keys` occur, in order, in some source: the start of each such run.

    A cheap test run before aligning a stretch of prose as possible reuse.
    """
    if len(keys) < length or not len(registry):
        return []
    index = _encoded(registry).index
    return [i for i in range(len(keys) - length + 1) if index.exact(keys[i : i + length])]


def _find_all(haystack: str, needle: str) -> list[int]:
    out = []
    pos = haystack.find(needle)
    while pos >= 0:
        out.append(pos)
        pos = haystack.find(needle, pos + 1)
    return out


def _pieces(tokens: Sequence[Token]) -> list[list[str]]:
    """The runs of words between editorial marks."""
    pieces: list[list[str]] = [[]]
    for token in tokens:
        if token.kind is TokenKind.WORD:
            pieces[-1].append(token.key)
        elif pieces[-1]:
            pieces.append([])
    return [p for p in pieces if p]


def _window(encoded: str, pieces: list[str], words: int) -> tuple[int, int] | None:
    """The stretch of a source worth aligning a quotation against, or None."""
    spans = []
    for piece in pieces:
        found = fuzz.partial_ratio_alignment(piece, encoded, score_cutoff=_FUZZY_CUTOFF)
        if found is not None and found.score > 0:
            spans.append((found.dest_start, found.dest_end, len(piece)))
    if not spans:
        return None
    slack = max(3, words // 3)
    longest = max(spans, key=lambda s: s[2])
    lo = min(s[0] for s in spans)
    hi = max(s[1] for s in spans)
    if hi - lo > 8 * words + 200:  # pieces scattered over the source: trust the longest
        lo, hi = longest[0], longest[1]
    # A silent omission pushes the quotation's last (or first) words beyond a window of its length: reach for them.
    reach = words + _OMISSION_REACH
    if len(pieces[-1]) >= 2:
        at = encoded.find(pieces[-1][-2:], hi, hi + reach)
        hi = max(hi, at + 2) if at >= 0 else hi
    if len(pieces[0]) >= 2:
        at = encoded.rfind(pieces[0][:2], max(0, lo - reach), lo)
        lo = min(lo, at) if at >= 0 else lo
    return max(0, lo - slack), min(len(encoded), hi + slack)


_OMISSION_REACH = 20  # beyond its own length, how far a window reaches for the quotation's edge words


def _best_exact(registry: Registry, tokens: Sequence[Token], hits: list[tuple[int, int]], prefer: frozenset[str]) -> Alignment:
    """The exact occurrence to report, in registry order unless a later one is spoken by a party in `prefer`,
    with the first `MAX_OTHERS` others. Only those are made into spans: a word repeated 20,000 times costs a count."""
    n = sum(1 for t in tokens if t.kind is TokenKind.WORD)
    sources = registry.sources

    def span(hit: tuple[int, int]) -> tuple[Source, int, int]:
        source, pos = sources[hit[0]], hit[1]
        table = source.tokens
        return source, table.starts[pos], table.ends[pos + n - 1]

    chosen = 0
    if prefer:
        chosen = next((k for k, hit in enumerate(hits) if prefer & registry.parties_of(*span(hit))), 0)
    source, start, end = span(hits[chosen])
    pos = hits[chosen][1]
    others = [hit for k, hit in enumerate(hits[: MAX_OTHERS + 1]) if k != chosen][:MAX_OTHERS]
    listed = tuple((s.id, a, b) for s, a, b in map(span, others))
    opcodes = (Opcode("equal", pos, pos + n, 0, len(tokens)),)
    return Alignment(source, start, end, 1.0, opcodes, n, 0, n, n, listed, len(hits) - 1)


def _dynamic(source: Source, tokens: Sequence[Token], lo: int, hi: int, config: Config) -> Alignment | None:
    """Semi-global alignment of the whole quotation to a stretch of source[lo:hi]."""
    skeys = source.keys[lo:hi]
    if not skeys:
        return None
    gaps = [g - lo for g in source.gap_indices if lo <= g < hi]
    if len(tokens) > _CHUNK_TOKENS:
        steps = _chunked(tokens, skeys, gaps, config)
        if steps is not None:
            return _finish_steps(source, tokens, steps, lo)
    found = _programme(tokens, skeys, gaps, config)
    if found is None:
        return None
    return _finish_steps(source, tokens, _walk(tokens, skeys, *found), lo)


# A quotation of more tokens than this is aligned between anchors: runs of at least `_ANCHOR_WORDS` words it shares
# with the stretch in order (found in C), cut inside them with half of the run either side, at least `_CHUNK_WORDS`
# tokens apart.
_CHUNK_TOKENS = 120
_ANCHOR_WORDS = 4
_CHUNK_WORDS = 12


def _chunked(tokens: Sequence[Token], skeys: list[str], gaps: list[int], config: Config) -> list[tuple[str, int, int, int, int]] | None:
    """The steps of a long quotation's alignment, the dynamic programme run only between anchors (seed and chain).

    The anchors are the runs of an in-order alignment of the quotation's words
    with the stretch's (`LCSseq.opcodes`, in C) that are at least
    `_ANCHOR_WORDS` long; each cut falls between two words inside one, next to
    each other on both sides and with half the anchor either side, so each
    piece starts and ends on words that match; or right after an editorial
    mark that stands between two runs of two or more words. Time grows with
    the quotation, not with its square. None when no anchor is found (the
    whole programme is run).
    """
    words = [j for j, t in enumerate(tokens) if t.kind is TokenKind.WORD]
    codes: dict[str, str] = {"": "\x00"}
    quote = "".join(codes.setdefault(tokens[j].key, chr(len(codes) + 1)) for j in words)
    stretch = "".join(codes.setdefault(key, chr(len(codes) + 1)) for key in skeys)
    blocks = [(op.src_start, op.src_end, op.dest_start) for op in LCSseq.opcodes(quote, stretch) if op.tag == "equal"]
    candidates: list[tuple[int, int]] = []
    for n, (lo, hi, at) in enumerate(blocks):
        if hi - lo >= _ANCHOR_WORDS:
            inside = range(lo + _ANCHOR_WORDS // 2, hi - _ANCHOR_WORDS // 2 + 1)
            candidates.extend((words[w], at + w - lo) for w in inside if words[w - 1] == words[w] - 1)
        # Between two runs of two or more words, one editorial mark: cut after it (the mark ends its piece and may
        # stand for the source words up to the next run), so that a quotation of many marks has anchors too.
        before = blocks[n - 1] if n else None
        if before is not None and before[1] - before[0] >= 2 and hi - lo >= 2 and words[lo] - words[before[1] - 1] == 2:
            candidates.append((words[lo], at))
    cuts: list[tuple[int, int]] = []
    for j, i in sorted(candidates):
        if j - (cuts[-1][0] if cuts else 0) >= _CHUNK_WORDS and (not cuts or i > cuts[-1][1]):
            cuts.append((j, i))
    if not cuts:
        return None
    bounds = [(0, 0), *cuts, (len(tokens), len(skeys))]
    steps: list[tuple[str, int, int, int, int]] = []
    for (j1, i1), (j2, i2) in itertools.pairwise(bounds):
        found = _programme(tokens[j1:j2], skeys[i1:i2], [g - i1 for g in gaps if i1 <= g < i2], config)
        if found is None:
            return None
        part = [(tag, a + i1, b + i1, c + j1, d + j1) for tag, a, b, c, d in _walk(tokens[j1:j2], skeys[i1:i2], *found)]
        if steps and part:
            # Keep both sides contiguous: source words one piece left at its end are left out before the next.
            steps.extend(("delete", k, k + 1, j1, j1) for k in range(steps[-1][2], part[0][1]))
        steps.extend(part)
    return steps


def _programme(
    tokens: Sequence[Token], skeys: list[str], gaps: list[int], config: Config, *, switch: int | None = None
) -> tuple[Callable[[int, int], int], int] | None:
    """Runs the dynamic programme of a quotation against columns `skeys` (`gaps`: the GAP columns).

    With `switch`, the quotation may also move, between two of its words, to any
    column at all (back in the stretch, or past a gap into another stretch) for
    that cost: the pieces reading.

    Returns:
        The pointer of each cell and the column where the cheapest alignment ends,
        or None when no alignment exists.
    """
    if _FAST_ROWS or switch is not None:
        rows = _fast_rows(tokens, skeys, gaps, config.max_bracket_words, switch)

        def pointer(i: int, j: int) -> int:
            return _fast_pointer(rows, tokens, skeys, gaps, config.max_bracket_words, i, j, switch)

    else:
        rows, back = _general_rows(tokens, skeys, gaps, config.max_bracket_words)

        def pointer(i: int, j: int) -> int:
            return back[i][j]

    last = rows[-1]
    least = min(last)
    if least >= _INF:
        return None
    return pointer, last.index(least)


def _fast_rows(
    tokens: Sequence[Token], skeys: list[str], gaps: list[int], bracket_words: int, switch: int | None = None
) -> list[list[int]]:
    """The cost rows of the dynamic programme: values only, the same as `_general_rows` gives.

    `gaps` are the stretch's GAP tokens (by index). The pointers are worked
    out again by `_fast_pointer` for the few cells the trace visits.
    """
    width = len(skeys)
    where, pairs = _positions(tokens, skeys, gaps)
    ends = [*gaps, width]  # the stretch in runs of words, each but the last followed by a gap
    prev = [0] * (width + 1)  # row 0: the quotation may start anywhere
    rows = [prev]
    previous_key: str | None = None  # the previous token's key, when it is a word
    for token in tokens:
        kind = token.kind
        if kind is TokenKind.WORD:
            # row[j] = min(diagonal, compound, above, row[j - 1] + _DEL, min(row[:j]) + _JUMP), as in the general loop,
            # where min(row[:j]) starts again at a gap's column, and a gap's column takes only an insertion.
            diagonals = [p + _SUB for p in prev]
            for j in where.get(token.key, ()):
                diagonals[j] = prev[j]
            # Compounding is free: one printed word for two source words ("cannot" for "can not"), or two for one.
            for j in pairs.get(token.key, ()):
                diagonals[j] = min(diagonals[j], prev[j - 1])
            if previous_key is not None:
                before = rows[-2]
                for j in where.get(previous_key + token.key, ()):
                    diagonals[j] = min(diagonals[j], before[j])
            previous_key = token.key
            last = prev[0] + _INS
            row = [last]
            append = row.append
            jump = last + _JUMP  # the cheapest earlier cell of this row, plus a jump
            start = 0
            for end in ends:
                for diagonal, above in zip(islice(diagonals, start, end), islice(prev, start + 1, end + 1), strict=False):
                    # Plain comparisons, not min(): a call per cell would cost a third more.
                    last += _DEL
                    if above + _INS < last:  # noqa: PLR1730
                        last = above + _INS
                    if diagonal < last:  # noqa: PLR1730
                        last = diagonal
                    if last > jump:
                        last = jump
                    elif last + _JUMP < jump:
                        jump = last + _JUMP
                    append(last)
                if end < width:  # the gap's column
                    last = prev[end + 1] + _INS
                    append(last)
                    jump = last + _JUMP
                start = end + 1
            if switch is not None:
                cap = min(row) + switch
                row = [cap if cost > cap else cost for cost in row]
        elif kind is TokenKind.ELLIPSIS:
            # row[j] = min(prev[j], min(prev[:j]) + _SKIP), the min not reaching back over a gap:
            # left-out source words cost one skip.
            row = []
            append = row.append
            skip = _INF
            start = 0
            for end in ends:
                for p in islice(prev, start, end + 1):
                    append(skip if skip < p else p)
                    cost = p + _SKIP
                    skip = cost if cost < skip else skip
                skip = _INF  # (after the last column, harmless)
                start = end + 1
        elif kind is TokenKind.BRACKET:
            row = [_bracket_cell(prev, gaps, bracket_words, j)[0] for j in range(width + 1)]
        else:  # SIC: stands for nothing in the source
            row = list(prev)
        if kind is not TokenKind.WORD:
            previous_key = None
        rows.append(row)
        prev = row
    return rows


def _bracket_cell(prev: list[int], gaps: list[int], bracket_words: int, j: int) -> tuple[int, int]:
    """A bracket's cost at column j and the column it starts from: it stands for up to `bracket_words` words, no gap."""
    best, at = prev[j] + _BRACKET_INSERT, j
    after_gap = gaps[bisect.bisect_left(gaps, j) - 1] + 1 if gaps and gaps[0] < j else 0
    for t in range(1, min(bracket_words, j - after_gap) + 1):
        cost = prev[j - t] + _BRACKET_REPLACE + t
        if cost < best:
            best, at = cost, j - t
    return best, at


def _positions(tokens: Sequence[Token], skeys: Sequence[str], gaps: Sequence[int]) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    """Where the quotation's words stand in the stretch, and where two neighbouring source words make one of them.

    Returns `where` (a key: its columns, for each quotation word, each two
    neighbouring quotation words written as one, and each part a quotation
    word splits into) and `pairs` (a quotation word: each j where
    `skeys[j - 1] + skeys[j]` spells it, neither a gap). Found in C; Python only visits the matches.
    """
    words = {t.key for t in tokens if t.kind is TokenKind.WORD}
    joined = {a.key + b.key for a, b in itertools.pairwise(tokens) if a.kind is TokenKind.WORD and b.kind is TokenKind.WORD}
    splits = [(word, word[:k], word[k:]) for word in words for k in range(1, len(word))]
    wanted = words | joined | {head for _, head, _ in splits}
    where: dict[str, list[int]] = {}
    for j in itertools.compress(itertools.count(), map(wanted.__contains__, skeys)):
        where.setdefault(skeys[j], []).append(j)
    pairs: dict[str, list[int]] = {}
    last = len(skeys) - 1
    gap = set(gaps)
    for word, head, tail in splits:
        for j in where.get(head, ()):
            if j < last and skeys[j + 1] == tail and j not in gap and j + 1 not in gap:
                pairs.setdefault(word, []).append(j + 1)
    return where, pairs


def _fast_pointer(
    rows: list[list[int]],
    tokens: Sequence[Token],
    skeys: list[str],
    gaps: list[int],
    bracket_words: int,
    i: int,
    j: int,
    switch: int | None = None,
) -> int:
    """The pointer `_general_rows` records for token i at column j, from the values `_fast_rows` computed.

    The general loop keeps the first of its candidates (in the order it tries
    them) that reaches the cell's value; so does this.
    """
    prev, row = rows[i], rows[i + 1]
    value = row[j]
    kind = tokens[i].kind
    # The gaps before column j: the last one's token index, and so the first column after it.
    before = bisect.bisect_left(gaps, j)
    if kind is TokenKind.WORD:
        if j == 0 or (before and gaps[before - 1] == j - 1):  # a gap's column takes only an insertion
            return 1 if switch is None or prev[j] + _INS == value else -1 - row.index(min(row))
        if prev[j - 1] + (0 if skeys[j - 1] == tokens[i].key else _SUB) == value:
            return 0
        if _compound(tokens, skeys, i, j) and not (before and gaps[before - 1] == j - 2) and prev[j - 2] == value:
            return _COMPOUND
        if _split(tokens, skeys, i, j) and rows[i - 1][j - 1] == value:
            return _SPLIT
        if row[j - 1] + _DEL == value:
            return 2
        if prev[j] + _INS == value:
            return 1
        first = gaps[before - 1] + 1 if before else 0  # a jump starts no earlier than the last gap's column
        earlier = row[first:j]
        least = min(earlier)
        if switch is None or least + _JUMP == value:
            return -1 - (first + earlier.index(least))  # from the first cheapest earlier cell
        return -1 - row.index(min(row))  # a switch, from the row's first cheapest cell
    if kind is TokenKind.ELLIPSIS:
        if prev[j] == value:
            return j
        first = gaps[before - 1] + 1 if before else 0  # a skip reaches back no further than the last gap
        least = min(prev[first:j])
        return max(t for t in range(first, j) if prev[t] == least)  # the last cheapest earlier cell
    if kind is TokenKind.BRACKET:
        return _bracket_cell(prev, gaps, bracket_words, j)[1]
    return j


def _compound(tokens: Sequence[Token], skeys: Sequence[str], i: int, j: int) -> bool:
    """Whether quotation word i is source words j - 2 and j - 1 written as one."""
    return j >= 2 and skeys[j - 2] + skeys[j - 1] == tokens[i].key


def _split(tokens: Sequence[Token], skeys: Sequence[str], i: int, j: int) -> bool:
    """Whether quotation words i - 1 and i are source word j - 1 written as two."""
    return i >= 1 and tokens[i - 1].kind is TokenKind.WORD and tokens[i - 1].key + tokens[i].key == skeys[j - 1]


def _general_rows(
    tokens: Sequence[Token], skeys: list[str], gaps: list[int], bracket_words: int
) -> tuple[list[list[int]], list[list[int]]]:
    """The cost rows of the dynamic programme and, for each cell, the step into it (0 diagonal, 1 insert,
    2 delete, -1 - j a jump from column j, or for a mark the column it starts from)."""
    width = len(skeys)
    gap = [False] * width
    for g in gaps:
        gap[g] = True
    prev = [0] * (width + 1)  # row 0: the quotation may start anywhere
    rows = [prev]
    back: list[list[int]] = []
    for i, token in enumerate(tokens):
        row = [_INF] * (width + 1)
        ptr = [0] * (width + 1)
        kind = token.kind
        if kind is TokenKind.WORD:
            key = token.key
            row[0] = prev[0] + _INS
            ptr[0] = 1
            # The cheapest earlier cell of this row, for a jump: a long silent omission (a splice).
            jump_best, jump_at = row[0], 0
            for j in range(1, width + 1):
                best = prev[j - 1] + (0 if skeys[j - 1] == key else _SUB) if not gap[j - 1] else _INF
                code = 0
                if not gap[j - 1] and _compound(tokens, skeys, i, j) and not gap[j - 2] and prev[j - 2] < best:
                    best, code = prev[j - 2], _COMPOUND
                if not gap[j - 1] and _split(tokens, skeys, i, j) and rows[i - 1][j - 1] < best:
                    best, code = rows[i - 1][j - 1], _SPLIT
                # On a tie a source word left out beats a quotation word put in: quotations are cut more than padded.
                if not gap[j - 1]:
                    cost = row[j - 1] + _DEL
                    if cost < best:
                        best, code = cost, 2
                cost = prev[j] + _INS
                if cost < best:
                    best, code = cost, 1
                if not gap[j - 1]:
                    cost = jump_best + _JUMP
                    if cost < best:
                        best, code = cost, -1 - jump_at
                else:
                    jump_best, jump_at = _INF, j
                row[j] = best
                ptr[j] = code
                if best < jump_best:
                    jump_best, jump_at = best, j
        elif kind is TokenKind.ELLIPSIS:
            run_best, run_at = _INF, -1
            for j in range(width + 1):
                row[j], ptr[j] = prev[j], j
                if run_at >= 0 and run_best + _SKIP < row[j]:
                    row[j], ptr[j] = run_best + _SKIP, run_at
                if j < width and gap[j]:
                    run_best, run_at = _INF, -1
                elif prev[j] <= run_best:
                    run_best, run_at = prev[j], j
        elif kind is TokenKind.BRACKET:
            for j in range(width + 1):
                row[j], ptr[j] = prev[j] + _BRACKET_INSERT, j
                for t in range(1, min(bracket_words, j) + 1):
                    if gap[j - t]:
                        break
                    cost = prev[j - t] + _BRACKET_REPLACE + t
                    if cost < row[j]:
                        row[j], ptr[j] = cost, j - t
        else:  # SIC: stands for nothing in the source
            row = list(prev)
            ptr = list(range(width + 1))
        back.append(ptr)
        rows.append(row)
        prev = row
    return rows, back


def _walk(tokens: Sequence[Token], skeys: list[str], pointer: Callable[[int, int], int], end: int) -> list[tuple[str, int, int, int, int]]:
    """The steps of the cheapest alignment, first to last, as `(tag, i1, i2, j1, j2)` with columns for i."""
    steps: list[tuple[str, int, int, int, int]] = []
    i, j = len(tokens), end
    while i > 0:
        token = tokens[i - 1]
        p = pointer(i - 1, j)
        if token.kind is TokenKind.WORD:
            if p == 0:
                equal = skeys[j - 1] == token.key
                steps.append(("equal" if equal else "replace", j - 1, j, i - 1, i))
                i, j = i - 1, j - 1
            elif p == 1:
                steps.append(("insert", j, j, i - 1, i))
                i -= 1
            elif p == _COMPOUND:
                steps.append(("compound", j - 2, j, i - 1, i))
                i, j = i - 1, j - 2
            elif p == _SPLIT:
                steps.append(("compound", j - 1, j, i - 2, i))
                i, j = i - 2, j - 1
            elif p < 0:
                steps.append(("jump", -1 - p, j, i, i))
                j = -1 - p
            else:
                steps.append(("delete", j - 1, j, i, i))
                j -= 1
        else:
            steps.append(("mark", p, j, i - 1, i))
            i, j = i - 1, p
    steps.reverse()
    return steps


def _finish_steps(source: Source, tokens: Sequence[Token], steps: list[tuple[str, int, int, int, int]], lo: int) -> Alignment | None:
    """The alignment the steps make, columns shifted by `lo` to source token indices."""
    opcodes = _extend(source, tokens, _edge_substitutions(source, tokens, _merge(steps, lo)))
    return _finish(source, tokens, _slide_deletions(source, opcodes))


def _slide_deletions(source: Source, opcodes: list[Opcode]) -> list[Opcode]:
    """Moves each silent omission after the words it repeats: "one -- and only one -- new" printed "one new"
    keeps the first "one" and leaves out "and only one", as a reader reads it (difflib slides its gaps alike).

    Only a deletion between two runs of equal words moves, one word at a time,
    while its first word is the word after it; the cost is the same either way.
    """
    keys = source.keys
    out = list(opcodes)
    for n in range(1, len(out) - 1):
        before, gap, after = out[n - 1], out[n], out[n + 1]
        if before.tag != "equal" or gap.tag != "delete" or after.tag != "equal":
            continue
        shift = 0
        while gap.i1 + shift < gap.i2 and gap.i2 + shift < after.i2 and keys[gap.i1 + shift] == keys[gap.i2 + shift]:
            shift += 1
        if shift:
            j = before.j2 + shift
            out[n - 1] = Opcode("equal", before.i1, before.i2 + shift, before.j1, j)
            out[n] = Opcode("delete", gap.i1 + shift, gap.i2 + shift, j, j)
            out[n + 1] = Opcode("equal", after.i1 + shift, after.i2, j, after.j2)
    return [op for op in out if op.i2 > op.i1 or op.j2 > op.j1]


def _weight(key: str) -> float:
    return _STOP_WEIGHT if key in STOP_WORDS else 1.0


def _finish(source: Source, tokens: Sequence[Token], opcodes: list[Opcode]) -> Alignment | None:
    consumed = [(op.i1, op.i2) for op in opcodes if op.i2 > op.i1]
    if not consumed:
        return None
    stokens = source.tokens
    # Quotation words written together or apart ("cannot" for "can not") are matched too.
    matched = sum(op.i2 - op.i1 for op in opcodes if op.tag == "equal") + sum(
        op.j2 - op.j1 for op in opcodes if is_compound(op, tokens, stokens)
    )
    moved = moved_words(opcodes, tokens, stokens)
    quote_words = [t.key for t in tokens if t.kind is TokenKind.WORD]
    # Source words behind an ellipsis or a bracket, or between spliced passages, are not the quotation's to match.
    source_words = [t.key for op in opcodes if not _is_mark(op, tokens) and not is_splice(op, source) for t in stokens[op.i1 : op.i2]]
    shared = sum(_weight(t.key) for op in opcodes if op.tag == "equal" for t in tokens[op.j1 : op.j2])
    shared += sum(_weight(tokens[j].key) for _, j in moved)
    # Words written together or apart are the same words: each side counts as shared.
    for op in opcodes:
        if is_compound(op, tokens, stokens):
            shared += (sum(_weight(t.key) for t in tokens[op.j1 : op.j2]) + sum(_weight(t.key) for t in stokens[op.i1 : op.i2])) / 2
    total = sum(map(_weight, quote_words)) + sum(map(_weight, source_words))
    score = min(1.0, 2 * shared / total) if total else 0.0
    first, last = consumed[0][0], consumed[-1][1]
    return Alignment(
        source, stokens[first].start, stokens[last - 1].end, score, tuple(opcodes), matched, len(moved), len(quote_words), len(source_words)
    )


def _extend(source: Source, tokens: Sequence[Token], opcodes: list[Opcode]) -> list[Opcode]:
    """Widens the passage over a neighbouring source word that the quotation moved.

    The alignment leaves quotation words it cannot place in order as
    insertions; when such a word stands just outside the passage ("analysis
    software" printed "software analysis"), it was moved, not invented.
    """
    if not opcodes:
        return opcodes
    waiting = [tokens[j].key for op in opcodes if op.tag in ("insert", "replace") and not _is_mark(op, tokens) for j in range(op.j1, op.j2)]
    if not waiting:
        return opcodes
    limit = len(waiting)
    first = next(op.i1 for op in opcodes if op.i2 > op.i1) if any(op.i2 > op.i1 for op in opcodes) else opcodes[0].i1
    last = max(op.i2 for op in opcodes)
    after = _reach(source, last, 1, limit, set(waiting))
    before = _reach(source, first - 1, -1, limit, set(waiting))
    out = list(opcodes)
    if before is not None:
        out.insert(0, Opcode("delete", before, first, 0, 0))
    if after is not None:
        out.append(Opcode("delete", last, after + 1, len(tokens), len(tokens)))
    return out


_PRONOUNS = frozenset(["i", "we", "you", "he", "she", "it", "they", "me", "us", "him", "her", "them", "this", "these", "those", "who"])
_SENTENCE_BREAK = regex.compile(r"[.!?;:]|\n\s*\n")


def _edge_substitutions(source: Source, tokens: Sequence[Token], opcodes: list[Opcode]) -> list[Opcode]:
    """Pairs quotation words put before or after the passage with the source's neighbouring words.

    With free ends, a changed first or last word costs less as an insertion
    than as a substitution, and a window that starts a word late leaves the
    first word unmatched. A fact-checker reads "word changed" (or the same
    word), unless a sentence boundary separates the neighbour from the passage.
    """
    if not opcodes:
        return opcodes
    out = list(opcodes)
    first = out[0]
    stokens = source.tokens
    if (
        first.tag == "insert"
        and tokens[first.j1].kind is TokenKind.BRACKET
        and first.i1 > 0
        and stokens[first.i1 - 1].key in _PRONOUNS
        and not _SENTENCE_BREAK.search(source.text, stokens[first.i1 - 1].end, stokens[first.i1].start)
    ):
        # "[Amazon] believe" opens with a bracket standing for the source's "We".
        out[0] = Opcode("replace", first.i1 - 1, first.i1, first.j1, first.j2)
    elif first.tag == "insert" and _all_words(tokens, first):
        nearby = _nearby(source, tokens, first, at_start=True) or _omitted(source, tokens, first, at_start=True)
        taken = 0 if nearby else _neighbours(source, tokens, first.i1, first.j2 - 1, -1, first.j2 - first.j1)
        if nearby:
            out[0:1] = nearby
        elif taken:
            out[0:1] = _pair(source, tokens, first.i1 - taken, first.i1, first.j1, first.j2, at_start=True)
    last = out[-1]
    if len(out) > 1 and last.tag == "insert" and _all_words(tokens, last):
        nearby = _nearby(source, tokens, last, at_start=False) or _omitted(source, tokens, last, at_start=False)
        taken = 0 if nearby else _neighbours(source, tokens, last.i1, last.j1, 1, last.j2 - last.j1)
        if nearby:
            out[-1:] = nearby
        elif taken:
            out[-1:] = _pair(source, tokens, last.i1, last.i1 + taken, last.j1, last.j2, at_start=False)
    return out


# How many source words may stand between a quotation's edge words and the rest of its passage; and how many
# words a quotation's changed last words may stand from where the source prints them (a silent omission).
_NEARBY_WORDS = 5
_OMISSION_WORDS = 12


def _omitted(source: Source, tokens: Sequence[Token], op: Opcode, *, at_start: bool) -> list[Opcode] | None:
    """A quotation's first (or last) words, two or more with a content word, printed unchanged up to
    `_OMISSION_WORDS` words before (or after) the rest of its passage: the words between were silently left out."""
    words = [t.key for t in tokens[op.j1 : op.j2]]
    if len(words) < 2 or all(w in STOP_WORDS for w in words):
        return None
    keys, n = source.keys, len(words)
    for gap in range(1, _OMISSION_WORDS + 1):
        at = op.i1 - gap - n if at_start else op.i1 + gap
        left_out = range(at + n, op.i1) if at_start else range(op.i1, at)
        if at < 0 or at + n > len(keys) or not all(keys[i] for i in left_out):  # no omission reaches over a gap
            return None
        if keys[at : at + n] == words:
            if at_start:
                return [Opcode("equal", at, at + n, op.j1, op.j2), Opcode("delete", at + n, op.i1, op.j2, op.j2)]
            return [Opcode("delete", op.i1, at, op.j1, op.j1), Opcode("equal", at, at + n, op.j1, op.j2)]
    return None


def _nearby(source: Source, tokens: Sequence[Token], op: Opcode, *, at_start: bool) -> list[Opcode] | None:
    """Edge words printed unchanged a few source words beyond the passage, in its sentence: the words between were left out.

    "IBM will condone" for the source's "IBM firmly opposes and will not
    condone" reads "firmly opposes and" left out, not "IBM" put for "and".
    """
    stokens = source.tokens
    keys = [t.key for t in tokens[op.j1 : op.j2]]
    n = len(keys)
    for gap in range(1, _NEARBY_WORDS + 1):
        lo, hi = (op.i1 - gap - n, op.i1) if at_start else (op.i1, op.i1 + gap + n)
        if lo < 0 or hi > len(stokens) or any(t.kind is not TokenKind.WORD for t in stokens[lo:hi]):
            return None
        if _SENTENCE_BREAK.search(source.text, stokens[lo].start, stokens[hi - 1].end):
            return None
        at = lo if at_start else hi - n
        if [t.key for t in stokens[at : at + n]] == keys:
            if at_start:
                return [Opcode("equal", at, at + n, op.j1, op.j2), Opcode("delete", at + n, op.i1, op.j2, op.j2)]
            return [Opcode("delete", op.i1, at, op.j1, op.j1), Opcode("equal", at, at + n, op.j1, op.j2)]
    return None


def _all_words(tokens: Sequence[Token], op: Opcode) -> bool:
    return all(t.kind is TokenKind.WORD for t in tokens[op.j1 : op.j2])


def _neighbours(source: Source, tokens: Sequence[Token], edge: int, j: int, step: int, most: int) -> int:
    """How many source words beyond the passage edge stand for the quotation's extra edge words."""
    stokens = source.tokens
    taken = 0
    while taken < most:
        i = edge - taken - 1 if step < 0 else edge + taken
        inner = i + 1 if step < 0 else i - 1
        if not 0 <= i < len(stokens) or stokens[i].kind is not TokenKind.WORD:
            break
        same = stokens[i].key == tokens[j - step * taken].key if 0 <= j - step * taken < len(tokens) else False
        if not same and 0 <= inner < len(stokens):
            a, b = (stokens[i], stokens[inner]) if step < 0 else (stokens[inner], stokens[i])
            if _SENTENCE_BREAK.search(source.text, a.end, b.start):
                break
        taken += 1
    return taken


def _pair(source: Source, tokens: Sequence[Token], i1: int, i2: int, j1: int, j2: int, *, at_start: bool) -> list[Opcode]:
    """Opcodes for source words [i1, i2) standing for quotation words [j1, j2), aligned at the passage side."""
    n = i2 - i1
    # The paired words are those next to the passage: the last ones at the start, the first ones at the end.
    pj1, pj2 = (j2 - n, j2) if at_start else (j1, j1 + n)
    ops: list[Opcode] = []
    if at_start and pj1 > j1:
        ops.append(Opcode("insert", i1, i1, j1, pj1))
    for k in range(n):
        tag = "equal" if source.tokens[i1 + k].key == tokens[pj1 + k].key else "replace"
        if ops and ops[-1].tag == tag and ops[-1].i2 == i1 + k:
            prev = ops.pop()
            ops.append(Opcode(tag, prev.i1, i1 + k + 1, prev.j1, pj1 + k + 1))
        else:
            ops.append(Opcode(tag, i1 + k, i1 + k + 1, pj1 + k, pj1 + k + 1))
    if not at_start and pj2 < j2:
        ops.append(Opcode("insert", i2, i2, pj2, j2))
    return ops


def _reach(source: Source, start: int, step: int, limit: int, wanted: set[str]) -> int | None:
    """The farthest source word within `limit` steps, in its sentence, that a moved quotation word matches."""
    stokens = source.tokens
    found = None
    i = start
    for _ in range(limit):
        if not 0 <= i < len(stokens) or stokens[i].kind is not TokenKind.WORD:
            break
        inner = i - step
        if 0 <= inner < len(stokens):
            a, b = (stokens[inner], stokens[i]) if step > 0 else (stokens[i], stokens[inner])
            if _SENTENCE_BREAK.search(source.text, a.end, b.start):
                break
        if stokens[i].key in wanted:
            found = i
        i += step
    return found


_SPLICE_BREAK = regex.compile(r"[.!?](?=\s)|\n\s*\n")


def is_splice(op: Opcode, source: Source) -> bool:
    """Whether a deletion leaves out a stretch across a sentence or paragraph break: two passages joined.

    >>> from quotecheck.sources.registry import Source
    >>> source = Source(id="s", text="One two three. Four five six. Seven eight nine.")
    >>> is_splice(Opcode("delete", 3, 6, 3, 3), source), is_splice(Opcode("delete", 1, 2, 1, 1), source)
    (True, False)
    """
    if op.tag != "delete" or op.i2 <= op.i1:
        return False
    stokens = source.tokens
    start = stokens[op.i1 - 1].end if op.i1 > 0 else stokens[op.i1].start
    end = stokens[op.i2].start if op.i2 < len(stokens) else stokens[op.i2 - 1].end
    return _SPLICE_BREAK.search(source.text, start, end) is not None


def kept_words(alignment: Alignment, tokens: Sequence[Token]) -> set[int]:
    """The quotation tokens (by index) the passage has: equal, written together or apart, or moved."""
    stokens = alignment.source.tokens
    kept = {j for op in alignment.opcodes if op.tag == "equal" or is_compound(op, tokens, stokens) for j in range(op.j1, op.j2)}
    return kept | {j for _, j in moved_words(alignment.opcodes, tokens, stokens)}


def moved_words(opcodes: Sequence[Opcode], tokens: Sequence[Token], source_tokens: Sequence[Token]) -> list[tuple[int, int]]:
    """Pairs `(source index, quotation index)` of words that changed place.

    A quotation word that is not aligned to an equal source word, but equals
    a source word of the passage that is itself left unaligned, was moved.
    Each word pairs at most once, earliest first.
    """
    unaligned = [op for op in opcodes if op.tag != "equal" and not _is_mark(op, tokens) and not is_compound(op, tokens, source_tokens)]
    unaligned_source: dict[str, list[int]] = {}
    for op in unaligned:
        for i in range(op.i1, op.i2):
            unaligned_source.setdefault(source_tokens[i].key, []).append(i)
    pairs = []
    for op in unaligned:
        for j in range(op.j1, op.j2):
            waiting = unaligned_source.get(tokens[j].key)
            if waiting:
                pairs.append((waiting.pop(0), j))
    return pairs


def is_compound(op: Opcode, tokens: Sequence[Token], source_tokens: Sequence[Token]) -> bool:
    """Whether an opcode writes source words together or apart ("cannot" for "can not"): the same letters, other spacing."""
    if op.tag != "replace" or (op.i2 - op.i1) + (op.j2 - op.j1) != 3:
        return False
    printed, original = tokens[op.j1 : op.j2], source_tokens[op.i1 : op.i2]
    return all(t.kind is TokenKind.WORD for t in (*printed, *original)) and "".join(t.key for t in printed) == "".join(
        t.key for t in original
    )


def _is_mark(op: Opcode, tokens: Sequence[Token]) -> bool:
    """Whether an opcode is an editorial mark's (marks are never merged with words)."""
    return op.j2 == op.j1 + 1 and tokens[op.j1].kind in _MARKS


def _merge(steps: list[tuple[str, int, int, int, int]], lo: int) -> list[Opcode]:
    """Joins word steps into difflib-style opcodes; each mark stays its own.

    Invariant: consecutive opcodes are contiguous on both sides, so applying
    them to the source passage rebuilds the quotation token for token.
    """
    out: list[tuple[str, int, int, int, int]] = []  # made Opcodes at the end: a tuple is far cheaper to replace
    last_is_mark = True
    for tag, wi1, wi2, j1, j2 in steps:
        i1, i2, first_j = lo + wi1, lo + wi2, j1
        if tag == "mark":
            out.append(("replace" if i2 > i1 else "insert", i1, i2, j1, j2))
            last_is_mark = True
            continue
        if tag == "jump":  # a splice stays an opcode of its own, like a mark
            out.append(("delete", i1, i2, j1, j2))
            last_is_mark = True
            continue
        if tag == "compound":  # words written together or apart stay an opcode of their own, for classify to name
            out.append(("replace", i1, i2, j1, j2))
            last_is_mark = True
            continue
        if out and not last_is_mark and (out[-1][0] == "equal") == (tag == "equal"):
            prev = out.pop()
            i1, first_j = prev[1], prev[3]
        out.append(("equal" if tag == "equal" else _edit_tag(i1, i2, first_j, j2), i1, i2, first_j, j2))
        last_is_mark = False
    return [Opcode(*op) for op in out]


def _edit_tag(i1: int, i2: int, j1: int, j2: int) -> str:
    if i2 > i1 and j2 > j1:
        return "replace"
    return "delete" if i2 > i1 else "insert"
