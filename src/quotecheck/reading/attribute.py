"""Attribution: who the article says is speaking each quotation.

Rules, not a model. The speaker is kept as printed, with its head noun
phrase whole ("the mayor", "Richmond police", "a spokesperson for the
council", "Ms. Cheney"); the registry resolves it to a speaker later. In
order, first match wins:

1. A cue right after the quotation, in either order: `..." Krishna said`,
   `..." said the mayor`, `..." according to The Guardian`; or a dash and a
   name (`..." -IBM CEO Arvind Krishna`, `..." — Arvind Krishna`).
2. "according to X" anywhere in the quotation's sentence.
3. The last cue before the quotation in its sentence, with the noun phrase
   before it: `Krishna said in his letter: "...`, `IBM speaks of "..."`.
4. A name and a colon right before the quotation: `Krishna: "...`.
5. A quotation with none of these that follows an attributed quotation and
   its attribution directly, in the same paragraph, continues it
   (`"...," Krishna said. "..."`); one after other prose does not.
6. A quotation that opens its paragraph after a lead ending in a colon
   (`And from the chairwoman:`) takes the lead's speaker; one that opens its
   sentence takes the speaker of a cue in the sentence before
   (`Arvind Krishna said he was worried. "..."`).

Cues are the few hundred verbs of saying in `_speech`, in every tense, and
"according to". Titles and initials (Ms., Dr., Sen., J.) end no sentence.
Nothing is read across a line break after a quotation that ends a sentence,
nor across a blank line. A pronoun (he, she, they, ...) stands for the
nearest named subject since the last attribution, else the last name, and
is kept as printed ("She") when there is none.
"""

from __future__ import annotations

import bisect
import functools
import itertools

import attrs
import regex

from quotecheck.reading._speech import CUE_PHRASES, CUE_WORDS, NO_INVERSION, RELAY_CUES, SOURCE_NOUNS, words
from quotecheck.reading.extract import Quote, QuoteKind
from quotecheck.text.normalize import STOP_WORDS

__all__ = ["attribute"]


@attrs.frozen
class _Cue:
    """A cue found in a text: where it is and its words as printed."""

    start: int
    end: int
    text: str


# Cues are found word by word with set lookups: a regular expression of a thousand alternatives is slow.
_TOKEN = regex.compile(r"\p{L}+")
_PHRASES: dict[str, tuple[tuple[str, ...], ...]] = {}
for _phrase_words in sorted((tuple(p.split()) for p in CUE_PHRASES), key=len, reverse=True):
    _PHRASES[_phrase_words[0]] = (*_PHRASES.get(_phrase_words[0], ()), _phrase_words[1:])
_PHRASE_WORD = regex.compile(r"\s+(\p{L}+)")
_CANDIDATES = CUE_WORDS | set(_PHRASES) | {"According"}
_LONGEST_WORD = max(map(len, _CANDIDATES))


def _cues(text: str, *, anchored: bool = False, lo: int = 0, hi: int | None = None) -> list[_Cue]:
    """The cues that start in `text[lo:hi]`, in order; with `anchored`, only one that starts it.

    Cue words are lower case (a capitalised "Reports" or "Warren" is a name);
    "According to" opens sentences. A word joined to the one before by a
    hyphen or an apostrophe is no cue ("well-said").

    >>> [c.text for c in _cues("Krishna said, according to Reuters, that he wrote")]
    ['said', 'according to', 'wrote']
    """
    found: list[_Cue] = []
    hi = len(text) if hi is None else hi
    tokens = _TOKEN.finditer(text, lo, min(len(text), hi + _LONGEST_WORD))
    if anchored:
        first = next(tokens, None)
        candidates = [first] if first is not None and first.start() == 0 and first.group() in _CANDIDATES else []
    else:
        candidates = [m for m in tokens if m.group() in _CANDIDATES]
    for m in candidates:
        start, word = m.start(), m.group()
        if start >= hi:
            break
        if start and (text[start - 1].isalnum() or text[start - 1] in "-'\u2019"):
            continue
        low = "according" if word == "According" else word
        end = None
        for rest in _PHRASES.get(low, ()):
            pos = m.end()
            for expected in rest:
                following = _PHRASE_WORD.match(text, pos)
                if following is None or following.group(1) != expected:
                    break
                pos = following.end()
            else:
                end = pos
                break
        if end is None and low in CUE_WORDS:
            end = m.end()
        if end is not None and not (end < len(text) and text[end].isalnum()):
            found.append(_Cue(start, end, text[start:end]))
    return found


_ACCORDING = regex.compile(r"\baccording\s+to\s+", regex.IGNORECASE)
_DAYS = "monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow tonight"
_MONTHS = "january february march april may june july august september october november december"
_CALENDAR = frozenset(f"{_DAYS} {_MONTHS}".split())
_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "you", "him", "her", "them"})
# French and Spanish articles: determiners before a lower-case noun ("la famille"), particles of names otherwise ("Le Pen").
_ARTICLES = frozenset({"le", "la", "les", "el", "los", "las"})
_POSSESSIVES = frozenset({"his", "her", "their", "its", "our", "my", "your"})
_DETERMINERS = frozenset({"a", "an", "the", "this", "that", "these", "those", "one", "another", "some", "several", "many", "two", "three"})
_PREPOSITIONS = frozenset({"of", "for", "in", "at", "from", "with", "on", "by", "near", "outside", "inside", "across", "around"})
_PLACE_PREPOSITIONS = frozenset({"in", "at", "from", "near", "outside", "inside", "across", "around"})
_CONNECTORS = frozenset({"of", "the", "and", "de", "von", "van", "der", "al", "la", "le", "du", "da", "bin", "&"})
# Titles and abbreviations after which a full stop ends no sentence.
_ABBREVIATIONS = words(
    """
mr mrs ms mx dr sen rep reps gov prof gen lt st sgt col capt cpt cmdr adm maj cpl pvt rev fr hon jr sr supt
insp det atty pres messrs mme mlle mt ft gen no vs rt sens govs co corp inc ltd bros
"""
)
# Words that a speaker's noun phrase never runs across.
_BOUNDARIES = (
    words(
        """
that which who whom whose what how why whether and but or nor so yet because as when while where if though
although since until after before then than is was are were be been being has have had do does did will would
could should can may might must shall not never there here also again once now later earlier recently already
still just even only first finally night morning afternoon evening week weekend month year last next ago to
said
"""
    )
    | _CALENDAR
)
# Adverbs and auxiliaries between a speaker and the cue ("Krishna later said", "officials have said").
_SKIPPED_BEFORE_CUE = words(
    """
also later then once previously recently repeatedly again often even still just already first finally never
not has have had was were is are will would could may might did does do always reportedly publicly privately
separately earlier further
"""
)
# Nouns of people and groups that speak without a determiner ("police said", "officials said").
_GROUPS = words(
    """
police officials authorities witnesses residents critics activists analysts experts researchers scientists
lawmakers legislators prosecutors investigators officers doctors nurses teachers parents students workers
employees executives staff people sources aides advocates economists observers organisers organizers
protesters protestors demonstrators leaders ministers diplomats regulators spokespeople representatives
neighbours neighbors locals voters fans players coaches survivors victims families others some many management
prosecution defence defense officers firefighters paramedics troops soldiers villagers owners shopkeepers
farmers unions
"""
)
_ROLES = (
    words(
        """
representative representatives spokesperson spokeswoman spokesman spokespeople official officials executive
executives senator minister chief member members president ceo chairman chairwoman chair director founder aide
secretary governor mayor commissioner chancellor premier leader head manager owner spokesman analyst adviser
advisor lawyer attorney judge professor economist officer sheriff general colonel captain coach
"""
    )
    | _GROUPS
)
_WORD = regex.compile(r"[\p{L}\p{N}][\p{L}\p{N}'\u2019.\-]*")
_SENTENCE_END = regex.compile(r"[.!?](?=[\s\"\u201d\u2019)]|$)")
_NEW_BLOCK = regex.compile(r"\n[ \t]*(?:\n|[-*+>#]|\d{1,3}[.)])")
_AFTER = regex.compile(r"[\s,.;:!?\u2014\u2013-]*")
_DASH_NAME = regex.compile(r"[ \t]*+(?:--?|[\u2014\u2013\u2015])[ \t]*")
_WINDOW = 1000  # characters either side of a quotation that attribution reads
_MAX_CUES = 20  # cue words tried before a quotation, nearest first
_MAX_PHRASE_WORDS = 8
_PARAGRAPH_BREAK = regex.compile(r"\n[ \t]*\n")
_VERB_AFTER = regex.compile(r"[ \t]{1,4}\p{Ll}")  # bounded: a search from every position stays linear
_TERMINAL = frozenset(".!?")
_NON_SPACE = regex.compile(r"\S")
_TRAILING_LETTERS = regex.compile(r"\p{L}+$")
_NEXT_WORD = regex.compile(r"[\s)\]\"\u201d\u2019]*+(\p{L})")


@attrs.frozen
class _Found:
    name: str
    relayed: bool = False


def attribute(text: str, quotes: tuple[Quote, ...]) -> tuple[Quote, ...]:
    """Fills in `attributed_to` (and `relayed`) for each quotation.

    Args:
        text: the article, exactly as read.
        quotes: its quotations, in order, as `extract` gives them.

    Returns:
        The same quotations, each with the speaker the article names, or None.

    >>> from quotecheck.reading.extract import extract
    >>> article = '"We will not," Ms. Cheney said. "Never," she added.'
    >>> [q.attributed_to for q in attribute(article, extract(article))]
    ['Ms. Cheney', 'Ms. Cheney']
    """
    masked = _mask(text, quotes)
    out: list[Quote] = []
    last_name: str | None = None
    last_named_end = 0  # where the last quotation with a speaker ends
    previous: Quote | None = None
    for quote in quotes:
        if quote.kind is QuoteKind.REUSE:
            out.append(attrs.evolve(quote, attributed_to=_reuse_lead(masked, quote, out)))
            continue
        found = _find(text, masked, quote, previous)
        name = found.name if found else None
        if name is not None and name.casefold() in _PRONOUNS:
            # The nearest sentence since the last named speaker that opens with a name is the pronoun's antecedent;
            # with none, the pronoun stays as printed: the speaker is unresolved.
            name = _antecedent(masked, quote, last_named_end) or last_name or name
        if name is not None and name.casefold() not in _PRONOUNS:
            last_name = name
            last_named_end = quote.outer_end
        checked = attrs.evolve(quote, attributed_to=name, relayed=bool(found and found.relayed))
        out.append(checked)
        if quote.kind is not QuoteKind.TERM:
            previous = checked
    # The article's sentence ends and cues were found once for all its quotations; do not keep it alive.
    _article_ends.cache_clear()
    _chunk_cues.cache_clear()
    return tuple(out)


def _mask(text: str, quotes: tuple[Quote, ...]) -> str:
    """The article with quoted words blanked, so their punctuation ends no sentence."""
    spans = [(q.outer_start, q.outer_end) for q in quotes]
    if all(a[1] <= b[0] for a, b in itertools.pairwise(spans)):
        # Disjoint, in order (the usual case): mask only the quoted stretches,
        # without a list of every character of a long article.
        pieces: list[str] = []
        pos = 0
        for start, end in spans:
            inner = _NON_SPACE.sub("x", text[start:end])
            if inner and not inner[0].isspace():
                inner = "\u2026" + inner[1:]
            if inner and not inner[-1].isspace():
                inner = inner[:-1] + "\u2026"
            pieces += (text[pos:start], inner)
            pos = max(pos, end)
        return "".join(pieces) + text[pos:]
    chars = list(text)
    for quote in quotes:
        for i in range(quote.outer_start, quote.outer_end):
            if not chars[i].isspace():
                chars[i] = "\u2026" if i in (quote.outer_start, quote.outer_end - 1) else "x"
    return "".join(chars)


def _is_abbreviation(word: str) -> bool:
    """Whether a word before a full stop is a title or an initial ("Ms", "Sen", "J"), after which no sentence ends."""
    return (len(word) == 1 and word.isupper()) or (word[:1].isupper() and word.casefold() in _ABBREVIATIONS) or word == "vs"


def _sentence_ends(text: str, lo: int, hi: int) -> list[int]:
    """Offsets after each sentence end in `text[lo:hi]`, less the full stops of titles and initials."""
    ends = []
    for m in _SENTENCE_END.finditer(text, lo, hi):
        dot = m.start()
        if text[dot] == ".":
            before = _TRAILING_LETTERS.search(text, max(lo, dot - 12), dot)
            if before is not None and _is_abbreviation(before.group()):
                continue
            following = _NEXT_WORD.match(text, m.end(), hi)
            if following is not None and following.group(1).islower():
                continue  # "(D-Ariz.) called", "e.g. the": sentences open with a capital
        ends.append(m.end())
    return ends


@functools.lru_cache(maxsize=4)
def _article_ends(masked: str) -> tuple[int, ...]:
    """Every sentence end of a masked article, found once: each quotation then looks its sentence up by bisection."""
    return tuple(_sentence_ends(masked, 0, len(masked)))


def _ends_in(masked: str, lo: int, hi: int) -> list[int]:
    """The sentence ends of the masked article that fall in `[lo, hi]`."""
    ends = _article_ends(masked)
    return list(ends[bisect.bisect_left(ends, lo) : bisect.bisect_right(ends, hi)])


_CHUNK = 1024  # characters of a masked article whose cues are found at once


@functools.lru_cache(maxsize=1024)
def _chunk_cues(masked: str, chunk: int) -> tuple[_Cue, ...]:
    """The cues that start in one chunk of a masked article, found once for all the quotations that read it."""
    lo = chunk * _CHUNK
    cues = _cues(masked, lo=lo, hi=lo + _CHUNK)
    # A word cut by the chunk's start is read by the chunk before.
    return tuple(c for c in cues if not (c.start == lo and lo and masked[lo - 1].isalpha()))


def _cues_between(masked: str, lo: int, hi: int) -> list[_Cue]:
    """The cues of the masked article inside `[lo, hi)`, with offsets from `lo`."""
    if hi <= lo:
        return []
    inside = (c for chunk in range(lo // _CHUNK, (hi - 1) // _CHUNK + 1) for c in _chunk_cues(masked, chunk))
    return [_Cue(c.start - lo, c.end - lo, c.text) for c in inside if lo <= c.start and c.end <= hi]


def _block_bounds(masked: str, start: int, end: int) -> tuple[int, int]:
    # Reading at most _WINDOW characters either side keeps the work per
    # quotation bounded, so an article that is one huge paragraph full of
    # quotation marks is still checked in linear time.
    lo, hi = max(0, start - _WINDOW), min(len(masked), end + _WINDOW)
    block_start = max(masked.rfind("\n\n", lo, start), masked.rfind("\n-", lo, start), masked.rfind("\n>", lo, start))
    block_start = lo if block_start < 0 else block_start + 1
    block_end = masked.find("\n\n", end, hi)
    return block_start, hi if block_end < 0 else block_end


def _sentence(text: str, masked: str, quote: Quote) -> tuple[int, int]:
    block_start, block_end = _block_bounds(masked, quote.outer_start, quote.outer_end)
    ends = _ends_in(masked, block_start, quote.outer_start)
    start = ends[-1] if ends else block_start
    # A line that ends a sentence or a quotation ends the sentence, even without a blank line after it.
    line_break = masked.rfind("\n", start, quote.outer_start)
    if line_break >= 0 and masked[start:line_break].rstrip()[-1:] in (".", "!", "?", "\u2026"):
        start = line_break + 1
    after = _ends_in(masked, quote.outer_end + 1, block_end)
    end = after[0] if after else block_end
    # Nothing is read across a line break after a quotation that ends a sentence ('... ready."' newline 'The chief said').
    line_break = masked.find("\n", quote.outer_end, end)
    if line_break >= 0:
        closing = text[quote.start : quote.end].rstrip()[-1:]
        next_line = masked[line_break + 1 : end].lstrip()
        if closing in _TERMINAL or (not masked[quote.outer_end : line_break].strip() and next_line[:1].isupper()):
            end = line_break
    return start, end


def _relays(cue: _Cue) -> bool:
    return " ".join(cue.text.casefold().split()) in RELAY_CUES


def _find(text: str, masked: str, quote: Quote, previous: Quote | None) -> _Found | None:
    if quote.kind is QuoteKind.BLOCKQUOTE:
        return _paragraph_lead(masked, quote)
    sentence_start, sentence_end = _sentence(text, masked, quote)
    after = masked[quote.outer_end : sentence_end]
    found = _dash_name(after)
    if found is not None:
        return found
    lead = _AFTER.match(after)
    found = _name_after_quote(after[lead.end() if lead else 0 :])
    if found is not None:
        return found
    sentence = masked[sentence_start:sentence_end]
    for according in _ACCORDING.finditer(sentence):
        forward = _np_forward(sentence[according.end() :])
        if forward is not None:
            return _Found(forward[0], relayed=True)
    before = masked[sentence_start : quote.outer_start]
    found = _cue_subject(before, _cues_between(masked, sentence_start, quote.outer_start))
    if found is not None:
        return found
    opening = before.rstrip()
    if opening.endswith(":"):
        # A name and a colon, as in headlines and transcripts: `Krishna: "..."`.
        name = _np_backward(opening[:-1], strict=True) or _subject(opening[:-1])
        if name is not None:
            return _Found(name)
    if previous is not None and previous.attributed_to is not None and _continues(masked, previous, quote):
        return _Found(previous.attributed_to, previous.relayed)
    if not before.strip(" \t\n-*+>#(\u2026x"):  # the quotation opens its sentence
        return _paragraph_lead(masked, quote) or _previous_sentence(masked, quote, sentence_start)
    return None


def _cue_subject(text: str, cues: list[_Cue] | None = None) -> _Found | None:
    """The subject of the last cue in `text` that has one: `Krishna said in his letter:` gives Krishna.

    Args:
        text: the text before a quotation, from its sentence start.
        cues: the cues of `text` (offsets into it), when already known.
    """
    if cues is None:
        cues = _cues(text)
    found = _first_subject(text, cues[-_MAX_CUES:])
    if found is not None:
        return found
    if cues:
        # A cue with no subject of its own ("signed the order and said", "declined to comment beyond saying")
        # is the sentence subject's, when that is a name or a role.
        name = _subject(text)
        if name is not None:
            return _Found(name)
    return None


def _first_subject(text: str, cues: list[_Cue]) -> _Found | None:
    """The subject of the nearest of `cues` that has one."""
    for cue in reversed(cues):
        if cue.text.casefold().startswith("according"):
            continue  # read forwards, as "according to X"
        head = text[: cue.start]
        name = _np_backward(head) or _appositive(_np_backward(_before_aside(head)), _aside(head))
        if cue.text.endswith("ing") and not head.rstrip().endswith(","):
            # "wrote to the mayor demanding ...": a participle's speaker is the sentence subject.
            name = _subject(text, strict=False) or name
        elif name is not None and name.split()[0].casefold() in ("a", "an") and name.split()[-1].casefold() in SOURCE_NOUNS:
            # "The family released a statement calling him ...": a statement someone released is theirs.
            name = _subject(text, strict=False) or name
        if name is not None:
            return _Found(name, relayed=_relays(cue))
    return None


def _subject(sentence: str, *, strict: bool = True) -> str | None:
    """The subject that opens a sentence, when a lower-case word (a verb) follows it and (if `strict`) it is a name or a role."""
    opening = _after_opening_phrase(sentence.lstrip(" \t\n-*+>#(\u2026x"))
    forward = _np_forward(opening)
    if forward is not None and _VERB_AFTER.match(opening, forward[1]) and (not strict or _strict(forward[0])):
        return forward[0]
    return None


def _strict(name: str) -> bool:
    """Whether a phrase has a name or a role noun in it: the test for a speaker found without a cue of its own."""
    words = name.split()
    named = [w for i, w in enumerate(words) if i > 0 or w.casefold() not in _DETERMINERS]
    return any(w[:1].isupper() for w in named) or any(w.rstrip(".,").casefold() in _ROLES for w in words)


def _aside(text: str) -> str | None:
    """The aside between commas that ends `text` ("The board chair, Ruth Nakamura, "), if there is one."""
    found = _ASIDE_BEFORE.search(text, max(0, len(text) - 160))
    if found is None or not found.group().strip().startswith(","):
        return None
    return found.group().strip().strip(",").strip()


def _appositive(name: str | None, aside: str | None) -> str | None:
    """A name set off after a common noun phrase names the speaker: "the union's president, Mara Quist," gives Mara Quist."""
    if name is None or aside is None:
        return name
    head = name.split()[-1]
    if head[:1].isupper() and head.casefold() not in _ROLES:
        return name  # already a name: "Krishna, IBM's chief, said" is Krishna's
    words = aside.split()
    if 1 < len(words) <= 4 and all(w[:1].isupper() and not _possessive(w) for w in words):
        return aside
    return name


def _continues(masked: str, previous: Quote, quote: Quote) -> bool:
    """Whether `quote` follows `previous` and its attribution directly (`"...," Krishna said. "..."`)."""
    gap = masked[previous.outer_end : quote.outer_start]
    if not gap.strip() and "\n" not in gap:
        return True  # `"...," Ayla said. "Second." "Third."`
    if _NEW_BLOCK.search(gap) or len(gap) >= 200 or not _cues(gap):
        return False
    # Other prose after the attribution's sentence ("... the chief said. Two guards waited. "One opened ...") breaks it.
    return all(not gap[end:].strip() for end in _sentence_ends(gap, 0, len(gap)))


def _previous_sentence(masked: str, quote: Quote, sentence_start: int) -> _Found | None:
    """The speaker of a cue in the sentence before, for a quotation that opens its sentence.

    `Last night Arvind Krishna, IBM's chief, said he was worried. "..."` gives Arvind Krishna.
    A sentence with a quotation of its own is not read: its speaker is that quotation's.
    """
    block_start, _ = _block_bounds(masked, quote.outer_start, quote.outer_end)
    if sentence_start <= block_start:
        return None
    ends = [e for e in _ends_in(masked, block_start, sentence_start) if e < sentence_start]
    previous = masked[ends[-1] if ends else block_start : sentence_start]
    if "\u2026" in previous:
        return None
    according = _according(previous)
    if according is not None:
        return according
    return _cue_subject(previous, _cues_between(masked, ends[-1] if ends else block_start, sentence_start))


def _antecedent(masked: str, quote: Quote, since: int) -> str | None:
    """The subject of the nearest sentence before `quote` (after `since`) that opens with a name and a verb.

    "Krishna invoked history: "...," he wrote." gives "Krishna". A subject
    counts only when a lower-case word follows it, and leading function
    words ("But", "In") are not part of it: "In September 1953, ..." names no one.
    """
    lo = max(since, quote.outer_start - _WINDOW)
    starts = [lo, *_ends_in(masked, lo, quote.outer_start)]
    starts += [m.end() for m in _PARAGRAPH_BREAK.finditer(masked, lo, quote.outer_start)]
    for start in sorted(set(starts), reverse=True):
        text = masked[start : quote.outer_start]
        text = text[len(text) - len(text.lstrip(' \t\n-*+>#"\u201c\u2018')) :]
        text = _after_opening_phrase(text)
        found = _phrase(text)
        if found is None:
            continue
        name = found[0]
        if not _VERB_AFTER.match(text, found[2]):
            # "Cole's coach, Bev Marsh, was less sure.": a name set off after the subject names it.
            aside = _ASIDE_AFTER.match(text, found[2])
            if aside is None or not _VERB_AFTER.match(text, aside.end()):
                continue
            name = _appositive(name, aside.group().strip().strip(",").strip()) or name
        words = name.split()
        while words and (words[0].casefold() in STOP_WORDS or words[0].casefold() in _PRONOUNS):
            words.pop(0)
        if words and words[0][:1].isupper() and not any(w.casefold() in CUE_WORDS for w in words):
            return " ".join(words)  # "Asked whether ..., she replied" names no one
    return None


def _after_opening_phrase(sentence: str) -> str:
    """A sentence less a short opening phrase set off by a comma ("At Rice, JFK was blunt." reads "JFK was blunt.").

    Only a phrase of at most five words that opens with a function word
    ("At", "On", "In") counts, so a subject followed by a comma stays.
    """
    comma = sentence.find(",", 0, 60)
    if comma < 0:
        return sentence
    words = sentence[:comma].split()
    if not 1 < len(words) <= 5 or words[0].casefold() not in STOP_WORDS:
        return sentence
    return sentence[comma + 1 :].lstrip()


def _dash_name(after: str) -> _Found | None:
    """`..." -IBM CEO Arvind Krishna`, `..." — Arvind Krishna`: a dash and a name that ends the line or sentence."""
    dash = _DASH_NAME.match(after)
    if dash is None:
        return None
    forward = _np_forward(after[dash.end() :])
    if forward is None or not any(w[:1].isupper() for w in forward[0].split()):
        return None
    if after[dash.end() + forward[1] :].strip(" \t.,;"):
        return None
    return _Found(forward[0])


def _skip_adverbs(text: str) -> str:
    """`text` less leading adverbs and auxiliaries ("later said" reads "said")."""
    while True:
        word = _WORD.match(text, len(text) - len(text.lstrip(" \t")))
        if word is None:
            return text
        low = word.group().casefold()
        if low not in _SKIPPED_BEFORE_CUE and not (low.endswith("ly") and len(low) > 4):
            return text
        text = text[word.end() :]


def _name_after_quote(rest: str) -> _Found | None:
    """`..." said Krishna`, `..." the mayor said`, `..." according to The Guardian`."""
    cues = _cues(rest, anchored=True)
    if cues:
        cue = cues[0]
        if " ".join(cue.text.casefold().split()) in NO_INVERSION:
            return None  # `..." told reporters`: the object follows, not the speaker
        forward = _np_forward(rest[cue.end :])
        return _Found(forward[0], relayed=_relays(cue)) if forward else None
    forward = _np_forward(rest)
    if forward is None:
        return None
    tail = rest[forward[1] :]
    following = _skip_adverbs(_after_aside(tail))
    cues = _cues(following.lstrip(), anchored=True)
    if cues:
        cue = cues[0]
        aside = _ASIDE_AFTER.match(tail)
        name = _appositive(forward[0], aside.group().strip().strip(",").strip() if aside else None)
        return _Found(name or forward[0], relayed=_relays(cue))
    return None


# An aside set off by commas, dashes or brackets: "Krishna, who became CEO in April, said",
# "Kennedy — speaking to 40,000 people — said", "Krishna (pictured) said".
# Each alternative opens with its mark, so that leading spaces can be taken possessively (no backtracking).
_ASIDE = (
    r"(?:,(?:[^,.!?;:\n\u2026]|(?<=\b\p{Lu}\p{Ll}{0,4})\.){1,100},"  # commas (titles allowed: ", Cmdr. Lea Hart,")
    r"|[\u2014\u2013-]{1,2}\s[^.!?;:\n\u2026\u2014\u2013]{1,100}\s[\u2014\u2013-]{1,2}(?=\s)"  # spaced dashes
    r"|\([^()\n]{1,100}\))"  # brackets
)
_ASIDE_AFTER = regex.compile(rf"\s{{0,3}}+{_ASIDE}")  # bounded: a search from every position stays linear
_ASIDE_BEFORE = regex.compile(rf"\s?{_ASIDE}\s*+$")


def _after_aside(text: str) -> str:
    """`text` less an aside at its start, if there is one."""
    found = _ASIDE_AFTER.match(text)
    return text[found.end() :] if found else text


def _before_aside(text: str) -> str:
    """`text` less an aside at its end ("Kennedy, speaking at Rice, " gives "Kennedy"), or "" if there is none."""
    offset = max(0, len(text) - 160)
    found = _ASIDE_BEFORE.search(text, offset)
    return text[: found.start()] if found else ""


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


def _possessive(word: str) -> bool:
    return word.endswith(("'s", "\u2019s", "s'", "s\u2019"))


def _plural(low: str) -> bool:
    return len(low) > 3 and low.endswith("s") and not low.endswith(("ss", "us", "is", "'s", "\u2019s")) and low not in STOP_WORDS


def _np_backward(text: str, *, strict: bool = False) -> str | None:
    """The speaker's noun phrase that ends `text` (the subject before a cue), as printed.

    It runs back from the cue over names, nouns and the prepositions that
    join them ("a spokesperson for the council", "Café owners in Edison")
    to a determiner, a punctuation mark or a boundary word ("and", "that",
    "Last night"). Adverbs and auxiliaries right before the cue are skipped
    ("officials have said"). With `strict`, only a name or a role counts.
    """
    window = text[-240:]
    words = list(_WORD.finditer(window))
    kept: list[regex.Match[str]] = []
    edge = len(window)
    for i in range(len(words) - 1, -1, -1):
        word = words[i]
        if window[word.end() : edge].strip():
            break  # punctuation between words ends the phrase
        token = word.group()
        bare = token.rstrip(".")
        low = bare.casefold()
        if token.endswith(".") and not _is_abbreviation(bare):
            break
        if not kept:
            if low in _PRONOUNS - {"him", "her", "them"}:
                return bare
            if low in _SKIPPED_BEFORE_CUE or (low.endswith("ly") and bare.islower() and len(low) > 4):
                edge = word.start()
                continue
        right = kept[-1].group() if kept else ""
        left = words[i - 1].group() if i > 0 and not window[words[i - 1].end() : word.start()].strip() else ""
        if low in _CONNECTORS - {"of", "the"} and _capitalised(right) and _capitalised(left):
            kept.append(word)  # "Standards and Technology", "Ursula von der Leyen"
        elif low in _BOUNDARIES or low in _PRONOUNS or low.isdigit():
            break  # "A December 2019 National Institute ... study" is the study's
        elif low in _PREPOSITIONS:
            if not kept or not (_capitalised(right) or right.casefold() in _DETERMINERS | _POSSESSIVES):
                break
            kept.append(word)
        elif ((low in _DETERMINERS or low in _POSSESSIVES) and low not in _GROUPS) or (low in _ARTICLES and right.islower()):
            if not kept:
                break
            kept.append(word)
            edge = word.start()
            # A determiner opens the phrase, unless a preposition joins it to a noun before ("the mayor of the city").
            if left.casefold() in _PREPOSITIONS:
                continue
            break
        else:
            kept.append(word)
        edge = word.start()
        if len(kept) >= _MAX_PHRASE_WORDS:
            break
    kept.reverse()
    return _valid(window, kept, strict=strict)


def _according(text: str) -> _Found | None:
    """The speaker named after the first "according to" in `text`, as relayed words, or None."""
    according = _ACCORDING.search(text)
    if according is None:
        return None
    forward = _np_forward(text[according.end() :])
    return _Found(forward[0], relayed=True) if forward is not None else None


def _np_forward(text: str) -> tuple[str, int] | None:
    """The speaker's noun phrase that starts `text` (after a cue, or before one), as printed, and where it ends.

    `said the mayor of Richmond`, `said Krishna in a letter` (Krishna),
    `the clown said` (the clown), `a spokesperson for the council said`.
    """
    window = text[:240]
    words = list(_WORD.finditer(window))
    kept: list[regex.Match[str]] = []
    edge = 0
    determined = False
    for i, word in enumerate(words):
        between = window[edge : word.start()].strip()
        if between and not (between == "&" and kept and _capitalised(kept[-1].group()) and _capitalised(word.group())):
            break
        token = word.group()
        bare = token.rstrip(".")
        low = bare.casefold()
        ends_sentence = token.endswith(".") and not _is_abbreviation(bare)
        following = words[i + 1].group() if i + 1 < len(words) and not window[word.end() : words[i + 1].start()].strip() else ""
        if not kept:
            if low in _PRONOUNS - {"him", "her", "them"}:
                return bare, word.start() + len(bare)
            if low in _CALENDAR or low == "on":
                edge = word.end()
                continue  # `said Tuesday`, `said on Monday`
        if low in CUE_WORDS and not _capitalised(bare) and not (determined and low in SOURCE_NOUNS):
            break  # a cue ends the phrase, but "a police report" is a phrase
        if determined and low.endswith("ed") and any(k.group().casefold() not in _DETERMINERS | _POSSESSIVES for k in kept):
            break  # "the family released": a verb, after the noun
        if low in _CONNECTORS - {"of", "the"} and kept and _capitalised(kept[-1].group()) and _capitalised(following):
            pass
        elif low in _PREPOSITIONS:
            named = any(_capitalised(k.group()) for k in kept)
            joins = (low in ("of", "for") and (_capitalised(following) or following.casefold() in _DETERMINERS | _POSSESSIVES)) or (
                low in _PLACE_PREPOSITIONS
                and (
                    (_capitalised(following) and following.casefold().rstrip(".") not in _CALENDAR)
                    or (following.casefold() == "the" and not named)  # "officials at the ministry", not "Krishna at the podium"
                )
            )
            if not kept or not joins:
                break
        elif low in _DETERMINERS or low in _POSSESSIVES or (low in _ARTICLES and following.islower()):
            if kept and kept[-1].group().casefold() not in _PREPOSITIONS:
                break
            determined = determined or not kept
        elif low in _BOUNDARIES or low in _PRONOUNS:
            break
        elif not (
            _capitalised(bare)
            or low in _ROLES
            or low in SOURCE_NOUNS
            or (determined and not any(_capitalised(k.group()) or k.group().casefold() in _ROLES for k in kept))
            or _after_preposition_and_determiner(kept)
            or (kept and (kept[-1].group().casefold() in _DETERMINERS or _possessive(kept[-1].group())))
            or not any(_capitalised(k.group()) for k in kept)  # "hospital administrators", "court documents"
        ):
            break  # a lower-case word after a name ends it: "Krishna speaking at ..."
        kept.append(word)
        edge = word.end()
        if ends_sentence or len(kept) >= _MAX_PHRASE_WORDS:
            break
    name = _valid(window, kept, strict=False)
    if name is None:
        return None
    return name, kept[0].start() + len(name)


def _after_preposition_and_determiner(kept: list[regex.Match[str]]) -> bool:
    """Whether `kept` has a preposition and a determiner after its last name: "... of the county flood office"."""
    tail: list[str] = []
    for k in reversed(kept):
        if _capitalised(k.group()):
            break
        tail.insert(0, k.group().casefold())
    return any(tail[i] in _PREPOSITIONS and tail[i + 1] in _DETERMINERS for i in range(len(tail) - 1))


def _valid(window: str, kept: list[regex.Match[str]], *, strict: bool) -> str | None:
    """The phrase of `kept` words as printed, if it can name a speaker."""
    trim = _PREPOSITIONS | {"and", "&"}
    while kept and kept[0].group().casefold() in trim:
        kept.pop(0)
    while kept and kept[-1].group().rstrip(".").casefold() in trim | _DETERMINERS | _POSSESSIVES - _GROUPS:
        kept.pop()
    if not kept:
        return None
    words = [k.group().rstrip(".") for k in kept]
    lows = [w.casefold() for w in words]
    if all(low in _CALENDAR for low in lows):
        return None  # "on Monday said" names no one
    determined = (lows[0] in _DETERMINERS | _POSSESSIVES and lows[0] not in _GROUPS) or (
        lows[0] in _ARTICLES and len(lows) > 1 and words[1].islower()
    )
    content = [(w, low) for w, low in zip(words, lows, strict=True) if low not in _DETERMINERS | _POSSESSIVES | _CONNECTORS - _GROUPS]
    if not content:
        return None
    first_preposition = next((i for i, low in enumerate(lows) if low in _PREPOSITIONS and i > 0), len(lows))
    head_words = [(w, low) for w, low in zip(words[:first_preposition], lows[:first_preposition], strict=True) if (w, low) in content]
    if not head_words:
        return None
    head, head_low = head_words[-1]
    named = any(_capitalised(w) for w, _ in content)
    if head_low in STOP_WORDS and head_low not in _GROUPS and not _capitalised(head):
        return None
    if strict and not (named or head_low in _ROLES):
        return None
    if not named and not determined and (not (head_low in _ROLES or _plural(head_low)) or len(kept) > 4):
        return None  # bare common nouns speak only as groups: "police", "state officials"
    name = window[kept[0].start() : kept[-1].end()]
    return name.rstrip(".,") if not _is_abbreviation(words[-1]) else name


def _phrase(text: str) -> tuple[str, int, int] | None:
    """A run of capitalised words, role nouns and connectors at the start of `text`, with its span (for antecedents)."""
    window = text[:160]
    kept: list[regex.Match[str]] = []
    edge = 0
    for word in _WORD.finditer(window):
        if regex.search(r"[^\s'\u2019]", window[edge : word.start()]):
            break
        token = word.group().rstrip(".")
        low = token.casefold()
        if not kept and low in _PRONOUNS:
            return token, word.start(), word.end()
        if (token[:1].isupper() and low not in ("a", "an")) or low in _ROLES or (kept and low in _CONNECTORS):
            kept.append(word)
            edge = word.end()
        elif not kept and low in _DETERMINERS:
            edge = word.end()
        else:
            break
    while kept and kept[-1].group().casefold() in _CONNECTORS:
        kept.pop()
    if not kept or all(k.group().casefold().rstrip(".") in _CALENDAR for k in kept):
        return None
    name = window[kept[0].start() : kept[-1].end()].rstrip(".,")
    return name, kept[0].start(), kept[-1].end()


def _reuse_lead(masked: str, quote: Quote, before: list[Quote]) -> str | None:
    """Reused prose paragraphs after a lead ending in a colon ("Krishna proposed:") are the lead's speaker's."""
    previous = before[-1] if before else None
    if previous is not None and previous.kind is QuoteKind.REUSE and not masked[previous.outer_end : quote.outer_start].strip(" \t\n.!?"):
        return previous.attributed_to
    found = _paragraph_lead(masked, quote)
    return found.name if found else None


def _paragraph_lead(masked: str, quote: Quote) -> _Found | None:
    """The speaker of a lead paragraph ending in a colon, for a quotation that opens the next paragraph.

    `Colorlines reported:`, `Krishna wrote to Congress:`, `And from the chairwoman:`.
    """
    lead_end = masked.rfind("\n", max(0, quote.outer_start - _WINDOW), quote.outer_start)
    if lead_end < 0 or masked[lead_end : quote.outer_start].strip(" \t\n>-*+"):
        return None
    lead = masked[max(0, lead_end - _WINDOW) : lead_end].rstrip()
    if not lead.endswith(":"):
        return None
    paragraph = lead[lead.rfind("\n") + 1 : -1]
    found = _cue_subject(paragraph)
    if found is not None:
        return found
    according = _according(paragraph)
    if according is not None:
        return according
    name = _np_backward(paragraph, strict=True)
    if name is not None:
        return _Found(name)
    # `The chairwoman had one message:`: the subject of the lead's last sentence, when it is a name or a role.
    ends = _sentence_ends(paragraph, 0, len(paragraph))
    name = _subject(paragraph[ends[-1] if ends else 0 :])
    return _Found(name) if name else None
