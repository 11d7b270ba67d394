"""Attribution: who the article says is speaking each quotation.

The name is kept as printed (less a leading article: "an IBM representative"
gives "IBM representative"); the registry resolves it to a speaker later.
Rules, first match wins:

1. A cue right after the quotation, in either order:
   `..." Krishna said`, `..." said Krishna`, `..." according to The Guardian`.
2. "according to X" anywhere in the quotation's sentence.
3. The last cue before the quotation in its sentence, with the noun phrase
   before it: `Krishna said in his letter: "...`, `IBM speaks of "..."`.
4. A name and a colon right before the quotation: `Krishna: "...`.
   A block quote takes a cue from the paragraph before it when that paragraph
   ends with a colon (`Colorlines reported:`).
5. A quotation with none of these that follows an attributed quotation in
   the same paragraph continues it (`"...," Krishna said. "..."`).

Pronouns (he, she, they, ...) are replaced by the last name attributed before.
"""

from __future__ import annotations

import itertools

import attrs
import regex

from quotecheck.extract import Quote, QuoteKind
from quotecheck.normalize import STOP_WORDS

__all__ = ["attribute"]

_CUES = (
    r"according\s+to|said|says|say|wrote|writes|write|told|tells|tell|added|adds|stated|states|noted|notes"
    r"|explained|explains|argued|argues|asked|asks|continued|continues|declared|declares|announced|announces"
    r"|insisted|insists|warned|warns|claimed|claims|reported|reports|acknowledged|acknowledges|admitted|admits"
    r"|commented|comments|remarked|remarks|replied|replies|responded|responds|urged|urges|called\s+for|calls\s+for"
    r"|speaks\s+of|spoke\s+of|refers\s+to|referred\s+to|talks\s+about|talked\s+about|accused|accuses|accuse"
    r"|found|finds|concluded|concludes|described|describes|tweeted|tweets|posted|posts|testified|testifies"
    r"|promised|promises|pledged|pledges|vowed|vows|recalled|recalls|emphasized|emphasised|stressed|stresses"
    r"|explained|suggested|suggests|pointed\s+out|points\s+out|put\s+it|puts\s+it|quoted|quotes"
    r"|proposed|proposes|outlined|outlines|listed|lists|went\s+on|goes\s+on"
)
_CUE = regex.compile(rf"\b(?:{_CUES})\b", regex.IGNORECASE)
_ACCORDING = regex.compile(r"\baccording\s+to\s+", regex.IGNORECASE)
_DAYS = "monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow"
_MONTHS = "january february march april may june july august september october november december"
_CALENDAR = frozenset(f"{_DAYS} {_MONTHS}".split())
_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "him", "her", "them"})
_CONNECTORS = frozenset({"of", "the", "and", "de", "von", "van", "der", "al", "la", "le", "du", "da", "bin", "&"})
_ROLES = frozenset(
    {
        "representative",
        "representatives",
        "spokesperson",
        "spokeswoman",
        "spokesman",
        "spokespeople",
        "official",
        "officials",
        "critics",
        "activists",
        "analysts",
        "executive",
        "executives",
        "company",
        "statement",
        "letter",
        "study",
        "report",
        "researchers",
        "experts",
        "advocates",
        "lawmakers",
        "senator",
        "minister",
        "chief",
        "president",
        "ceo",
        "chairman",
        "director",
        "founder",
        "source",
        "sources",
        "aide",
        "aides",
        "group",
    }
)
_DETERMINERS = frozenset({"a", "an", "the", "this", "that", "one", "another"})
_WORD = regex.compile(r"[\p{L}\p{N}][\p{L}\p{N}'\u2019.\-]*")
_SENTENCE_END = regex.compile(r"[.!?](?=[\s\"\u201d\u2019)]|$)")
_NEW_BLOCK = regex.compile(r"\n[ \t]*(?:\n|[-*+>#]|\d{1,3}[.)])")
_AFTER = regex.compile(r"[\s,.;:!?\u2014\u2013-]*")
_WINDOW = 1000  # characters either side of a quotation that attribution reads
_MAX_CUES = 20  # cue words tried before a quotation, nearest first
_PARAGRAPH_BREAK = regex.compile(r"\n[ \t]*\n")
_VERB_AFTER = regex.compile(r"[ \t]{1,4}\p{Ll}")  # bounded: a search from every position stays linear


def attribute(text: str, quotes: tuple[Quote, ...]) -> tuple[Quote, ...]:
    """Fills in `attributed_to` for each quotation.

    Args:
        text: the article, exactly as read.
        quotes: its quotations, in order, as `extract` gives them.

    Returns:
        The same quotations, each with the speaker the article names, or None.

    >>> from quotecheck.extract import extract
    >>> article = '"We will not," Krishna said. "Never," he added.'
    >>> [q.attributed_to for q in attribute(article, extract(article))]
    ['Krishna', 'Krishna']
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
        name = _find(masked, quote, previous, out[-1].attributed_to if out else None)
        if name is not None and name.casefold() in _PRONOUNS:
            # The nearest sentence since the last named speaker that opens with a name is the pronoun's antecedent.
            name = _antecedent(masked, quote, last_named_end) or last_name
        if name is not None:
            last_name = name
            last_named_end = quote.outer_end
        out.append(attrs.evolve(quote, attributed_to=name))
        previous = quote
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
            inner = "".join(ch if ch.isspace() else "x" for ch in text[start:end])
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


def _block_bounds(masked: str, start: int, end: int) -> tuple[int, int]:
    # Reading at most _WINDOW characters either side keeps the work per
    # quotation bounded, so an article that is one huge paragraph full of
    # quotation marks is still checked in linear time.
    lo, hi = max(0, start - _WINDOW), min(len(masked), end + _WINDOW)
    block_start = max(masked.rfind("\n\n", lo, start), masked.rfind("\n-", lo, start), masked.rfind("\n>", lo, start))
    block_start = lo if block_start < 0 else block_start + 1
    block_end = masked.find("\n\n", end, hi)
    return block_start, hi if block_end < 0 else block_end


def _sentence(masked: str, quote: Quote) -> tuple[int, int]:
    block_start, block_end = _block_bounds(masked, quote.outer_start, quote.outer_end)
    start = block_start
    for m in _SENTENCE_END.finditer(masked, block_start, quote.outer_start):
        start = m.end()
    end = _SENTENCE_END.search(masked, quote.outer_end, block_end)
    return start, (end.end() if end else block_end)


def _find(masked: str, quote: Quote, previous: Quote | None, previous_name: str | None) -> str | None:
    if quote.kind is QuoteKind.BLOCKQUOTE:
        return _blockquote_lead(masked, quote)
    sentence_start, sentence_end = _sentence(masked, quote)
    after = masked[quote.outer_end : sentence_end]
    lead = _AFTER.match(after)
    rest = after[lead.end() if lead else 0 :]
    name = _name_after_quote(rest)
    if name is not None:
        return name
    sentence = masked[sentence_start:sentence_end]
    according = _ACCORDING.search(sentence)
    if according is not None:
        name = _phrase_forward(sentence[according.end() :])
        if name is not None:
            return name
    before = masked[sentence_start : quote.outer_start]
    cues = list(_CUE.finditer(before))
    for cue in reversed(cues[-_MAX_CUES:]):
        name = _phrase_backward(before[: cue.start()]) or _phrase_backward(_before_aside(before[: cue.start()]))
        if name is not None:
            return name
    opening = before.rstrip()
    if opening.endswith(":"):
        # A name and a colon, as in headlines and transcripts: `Krishna: "..."`.
        name = _phrase_backward(opening[:-1])
        if name is not None:
            return name
    if previous is not None and previous_name is not None:
        gap = masked[previous.outer_end : quote.outer_start]
        if not _NEW_BLOCK.search(gap) and len(gap) < 200 and _CUE.search(gap):
            return previous_name
    return None


def _antecedent(masked: str, quote: Quote, since: int) -> str | None:
    """The subject of the nearest sentence before `quote` (after `since`) that opens with a name and a verb.

    "Krishna invoked history: "...," he wrote." gives "Krishna". A subject
    counts only when a lower-case word follows it, and leading function
    words ("But", "In") are not part of it: "In September 1953, ..." names no one.
    """
    lo = max(since, quote.outer_start - _WINDOW)
    starts = [lo, *(m.end() for m in _SENTENCE_END.finditer(masked, lo, quote.outer_start))]
    starts += [m.end() for m in _PARAGRAPH_BREAK.finditer(masked, lo, quote.outer_start)]
    for start in sorted(set(starts), reverse=True):
        text = masked[start : quote.outer_start]
        text = text[len(text) - len(text.lstrip(' \t\n-*+>#"\u201c\u2018')) :]
        text = _after_opening_phrase(text)
        found = _phrase(text, forward=True)
        if found is None or not _VERB_AFTER.match(text, found[2]):
            continue
        words = found[0].split()
        while words and (words[0].casefold() in STOP_WORDS or words[0].casefold() in _PRONOUNS):
            words.pop(0)
        if words and words[0][:1].isupper():
            return " ".join(words)
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


def _name_after_quote(rest: str) -> str | None:
    """`..." said Krishna`, `..." Krishna said`, `..." according to The Guardian`."""
    cue = _CUE.match(rest)
    if cue is not None:
        return _phrase_forward(rest[cue.end() :])
    phrase = _phrase(rest, forward=True)
    if phrase is None:
        return None
    following = _after_aside(rest[phrase[2] :])
    if _CUE.match(following.lstrip()) or (regex.match(r"\s+\p{Ll}+ly\s", following) and _CUE.match(following.split(None, 2)[-1])):
        return phrase[0]
    return None


# An aside set off by commas, dashes or brackets: "Krishna, who became CEO in April, said",
# "Kennedy — speaking to 40,000 people — said", "Krishna (pictured) said".
# Each alternative opens with its mark, so that leading spaces can be taken possessively (no backtracking).
_ASIDE = (
    r"(?:,[^,.!?;:\n\u2026]{1,100},"  # commas
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


def _phrase_backward(text: str) -> str | None:
    """The noun phrase that ends `text` (the subject before a cue verb)."""
    found = _phrase(text, forward=False)
    return found[0] if found else None


def _phrase_forward(text: str) -> str | None:
    """The noun phrase that starts `text` (the subject after a cue verb)."""
    found = _phrase(text, forward=True)
    return found[0] if found else None


def _phrase(text: str, *, forward: bool) -> tuple[str, int, int] | None:
    """A name or pronoun at the start (forward) or end of `text`, with its span.

    A name is a run of capitalised words, role nouns ("representative") and
    connectors ("of", "and") with nothing but spaces and apostrophes between
    them; a leading "a", "an" or lower-case "the" is dropped.
    """
    window = text[:160] if forward else text[-160:]
    offset = 0 if forward else len(text) - len(window)
    words = list(_WORD.finditer(window))
    if not forward:
        words.reverse()
    kept: list[regex.Match[str]] = []
    edge = 0 if forward else len(window)
    for word in words:
        between = window[edge : word.start()] if forward else window[word.end() : edge]
        if regex.search(r"[^\s'\u2019]", between):
            break
        token = word.group().rstrip(".")
        low = token.casefold()
        if not kept and low in _PRONOUNS:
            return token, offset + word.start(), offset + word.end()
        if (token[:1].isupper() and low not in ("a", "an")) or low in _ROLES or (kept and low in _CONNECTORS):
            kept.append(word)
            edge = word.end() if forward else word.start()
        elif forward and not kept and low in _DETERMINERS:
            edge = word.end()
        else:
            break
    if not forward:
        kept.reverse()
    while kept and kept[-1].group().casefold() in _CONNECTORS:
        kept.pop()
    while kept and kept[0].group().casefold() in _CONNECTORS - {"the"}:
        kept.pop(0)
    if not kept or all(k.group().casefold().rstrip(".") in _CALENDAR for k in kept):
        return None  # "on Monday said" names no one
    name = window[kept[0].start() : kept[-1].end()].rstrip(".,")
    return name, offset + kept[0].start(), offset + kept[-1].end()


def _reuse_lead(masked: str, quote: Quote, before: list[Quote]) -> str | None:
    """Reused prose paragraphs after a lead ending in a colon ("Krishna proposed:") are the lead's speaker's."""
    previous = before[-1] if before else None
    if previous is not None and previous.kind is QuoteKind.REUSE and not masked[previous.outer_end : quote.outer_start].strip(" \t\n.!?"):
        return previous.attributed_to
    return _blockquote_lead(masked, quote)


def _blockquote_lead(masked: str, quote: Quote) -> str | None:
    lead_end = masked.rfind("\n", max(0, quote.outer_start - _WINDOW), quote.outer_start)
    lead = masked[max(0, lead_end - _WINDOW) : max(0, lead_end)].rstrip()
    if not lead.endswith(":"):
        return None
    para_start = lead.rfind("\n") + 1
    paragraph = lead[para_start:-1]
    cues = list(_CUE.finditer(paragraph))
    for cue in reversed(cues):
        name = _phrase_backward(paragraph[: cue.start()])
        if name is not None:
            return name
    return None
