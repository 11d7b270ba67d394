"""Findings: what a fact-checker should know about a quotation beyond its diff.

Each finding is a flag with a `why` a journalist understands and the spans
that prove it (in the article and in the source). Findings are derived from
the quotation, its alignment and its variants; none changes the alignment.
"""

from __future__ import annotations

from collections.abc import Sequence

import regex

from quotecheck.config import Config
from quotecheck.judging.results import Finding, Flag
from quotecheck.matching._amounts import AMOUNT_WORDS
from quotecheck.matching.align import Alignment
from quotecheck.matching.classify import Category, Variant, VariantKind, is_negation, is_number
from quotecheck.reading.extract import Quote
from quotecheck.sources.registry import Registry, Source
from quotecheck.text.normalize import STOP_WORDS, Token, TokenKind

__all__ = ["language_of", "match_findings", "names_a_person", "quote_findings", "unsourced_findings"]


def quote_findings(quote: Quote, tokens: Sequence[Token], config: Config) -> list[Finding]:
    """Findings about the quotation itself, whatever its source."""
    words = sum(1 for t in tokens if t.kind is TokenKind.WORD)
    span = (quote.start, quote.end)
    out = []
    if words <= config.short_words:
        out.append(Finding(Flag.SHORT, f"{words} word{'s' if words != 1 else ''}: a match this short proves little", span))
    if quote.unbalanced:
        out.append(
            Finding(Flag.UNBALANCED, "the closing quotation mark is missing; the quotation is taken to end with its paragraph", span)
        )
    if words > config.max_quote_words:
        out.append(Finding(Flag.TOO_LONG, f"{words:,} words is more than max_quote_words={config.max_quote_words:,}: not aligned", span))
    return out


def unsourced_findings(quote: Quote, tokens: Sequence[Token], speaker: str | None, registry: Registry) -> list[Finding]:
    """Findings for a quotation that no passage matches."""
    span = (quote.start, quote.end)
    out = []
    language = language_of([t.key for t in tokens if t.kind is TokenKind.WORD])
    source_languages = {s.language or "en" for s in registry}
    if language is not None and language not in source_languages:
        name = _LANGUAGE_NAMES.get(language, language)
        why = f"the quotation reads as {name}, not the language of the sources: a translation cannot be checked word by word"
        out.append(Finding(Flag.OTHER_LANGUAGE, why, span))
    if speaker is not None:
        for source in registry:
            # The speaker's own partial text: an organisation the speaker writes for has other channels.
            if not source.complete and speaker == source.speaker:
                why = f"attributed to {speaker}, whose {source.id} the registry holds only in part: the words may be in the missing part"
                out.append(Finding(Flag.SOURCE_INCOMPLETE, why, span))
                break
    return out


def match_findings(
    quote: Quote,
    alignment: Alignment,
    variants: Sequence[Variant],
    speaker: str | None,
    registry: Registry,
) -> list[Finding]:
    """Findings for a quotation matched to a passage."""
    source = alignment.source
    out: list[Finding] = []
    if alignment.others:
        where = ", ".join(f"{i} {s}-{e}" for i, s, e in alignment.others[:5])
        out.append(
            Finding(Flag.AMBIGUOUS, f"fits {alignment.others_count + 1:,} passages equally well; also {where}", (quote.start, quote.end))
        )
    passage_speaker = source.speaker_at(alignment.start, alignment.end)
    if speaker is not None and speaker not in registry.parties_of(source, alignment.start, alignment.end):
        why = f"attributed to {quote.attributed_to}, but these are the words of {passage_speaker or 'the source ' + source.id}"
        if passage_speaker is not None and passage_speaker != source.speaker:
            why += f", quoted in {source.speaker or source.id}'s text"
        out.append(Finding(Flag.MISATTRIBUTED, why, (quote.start, quote.end), (alignment.start, alignment.end)))
    elif speaker is None and not alignment.others and _confident(alignment) and names_a_person(quote):
        why = (
            f"attributed to {quote.attributed_to}, whom the registry does not know as the speaker of these words:"
            f" they are the words of {passage_speaker or 'the source ' + source.id}"
        )
        out.append(Finding(Flag.UNCONFIRMED_SPEAKER, why, (quote.start, quote.end), (alignment.start, alignment.end)))
    for v in variants:
        out.extend(_variant_findings(v, source, registry))
    return _unique(out)


# A match is confident enough to question its attribution when it places this many words, this well.
_CONFIDENT_WORDS = 4
_CONFIDENT_SCORE = 0.6
_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "you"})
_TITLES = frozenset({"mr", "mrs", "ms", "mx", "dr", "sen", "rep", "gov", "prof", "gen", "lt", "sir", "dame", "lord", "lady"})
# Words of names of organisations and outlets, which speak for others and are not persons.
_ORGANISATIONS = """
department ministry police council committee commission agency office bureau institute university college school
company corp corporation inc ltd llc plc group association foundation times post news journal guardian herald
tribune press reuters gazette daily network party union bank court senate house congress parliament government
administration service services center centre board authority technologies systems labs international club team
study report magazine radio television tv channel media review observer telegraph independent standard mail express
chronicle insider wire blog
"""
_ORGANISATION_WORDS = frozenset(_ORGANISATIONS.split())
_NAME_WORD = regex.compile(r"\p{Lu}\p{Ll}[\p{L}'\u2019-]*|\p{Lu}\.?")


def _confident(alignment: Alignment) -> bool:
    return alignment.quote_words >= _CONFIDENT_WORDS and alignment.score >= _CONFIDENT_SCORE


def names_a_person(quote: Quote) -> bool:
    """Whether a quotation's attribution names a person: a first name and a surname, or a title and a name.

    Outlets relaying the words ("according to The Guardian"), unresolved
    pronouns ("She"), groups ("officials") and names of organisations
    ("Richmond Police Department") are not persons.

    >>> names_a_person(Quote(0, 1, attributed_to="Apple CEO Tim Cook")), names_a_person(Quote(0, 1, attributed_to="The Guardian"))
    (True, False)
    """
    name = quote.attributed_to
    if not name or quote.relayed or name.casefold() in _PRONOUNS:
        return False
    words = [w.strip(".,") for w in name.split()]
    if any(w.casefold() in _ORGANISATION_WORDS for w in words):
        return False
    run: list[str] = []
    for word in reversed(words):  # the trailing run of capitalised words: "Apple CEO Tim Cook" ends "Tim Cook"
        if not _NAME_WORD.fullmatch(word):
            break
        run.insert(0, word)
    titled = len(words) > len(run) and words[len(words) - len(run) - 1].casefold() in _TITLES
    return len(run) >= 2 or (len(run) == 1 and titled)


def _variant_findings(v: Variant, source: Source, registry: Registry) -> list[Finding]:
    out = []
    if v.kind is VariantKind.ELLIPSIS and v.original:
        if v.category is Category.SUBSTANTIVE:
            for flag, test, what in (
                (Flag.ELISION_HIDES_NEGATION, is_negation, "a negation"),
                (Flag.ELISION_HIDES_NUMBER, is_number, "a number"),
                (Flag.ELISION_HIDES_QUALIFIER, lambda w: not is_negation(w) and not is_number(w), "a qualifier"),
            ):
                hidden = [w for w in v.hides if test(w)]
                if hidden:
                    why = f"the ellipsis hides {what} (\u201c{', '.join(hidden)}\u201d): it leaves out \u201c{v.original}\u201d"
                    out.append(Finding(flag, why, v.quote, v.source))
        table = source.tokens
        kept_before, kept_after = table.word_before(v.source[0]), table.word_after(v.source[1])
        before = source.speaker_at(table.starts[kept_before], table.ends[kept_before]) if kept_before is not None else source.speaker
        after = source.speaker_at(table.starts[kept_after], table.ends[kept_after]) if kept_after is not None else source.speaker
        if before != after:
            why = f"the ellipsis joins words of {before or 'the source'} and of {after or 'the source'} as if one speaker's"
            out.append(Finding(Flag.ELISION_CROSSES_SPEAKER, why, v.quote, v.source))
    elif v.kind is VariantKind.REORDERING:
        out.append(Finding(Flag.REORDERED, v.why, v.quote, v.source))
        if any(is_negation(w) for w in v.hides):
            out.append(Finding(Flag.NEGATION_CHANGED, f"a negation moves: {v.why}", v.quote, v.source))
        if any(is_number(w) for w in v.hides):
            out.append(Finding(Flag.NUMBER_CHANGED, f"a number moves: {v.why}", v.quote, v.source))
    elif v.kind is VariantKind.SPLICE:
        out.append(Finding(Flag.SPLICED, v.why, v.quote, v.source))
    elif v.kind is VariantKind.BRACKET_REPLACEMENT and _changes_referent(v, source, registry):
        why = f"{v.printed} stands for \u201c{v.original}\u201d, which refers to {_referent(v.original, source) or 'someone else'}"
        out.append(Finding(Flag.BRACKET_CHANGES_REFERENT, why, v.quote, v.source))
    elif v.category is Category.SUBSTANTIVE and v.hides:
        if any(is_negation(w) for w in v.hides):
            out.append(Finding(Flag.NEGATION_CHANGED, v.why, v.quote, v.source))
        if any(is_number(w) or w in AMOUNT_WORDS for w in v.hides):  # a unit's word only when its amount changed
            out.append(Finding(Flag.NUMBER_CHANGED, v.why, v.quote, v.source))
    return out


_FIRST_PERSON = frozenset({"we", "our", "ours", "us", "i", "my", "mine", "me", "ourselves", "myself"})
_NAME = regex.compile(r"\p{Lu}[\p{L}'\u2019.-]*(?:\s+\p{Lu}[\p{L}'\u2019.-]*)*")


def _referent(original: str, source: Source) -> str | None:
    words = {w.casefold() for w in regex.findall(r"[\p{L}']+", original)}
    if words & _FIRST_PERSON:
        return source.speaker
    return None


def _changes_referent(v: Variant, source: Source, registry: Registry) -> bool:
    """Whether a bracket names someone other than the words it stands for.

    "[IBM]" for Krishna's "we" keeps the referent (IBM is whom he speaks
    for); "[Amazon]" for it does not. A bracketed name for another name
    changes the referent when the two resolve to different speakers.
    """
    inside = v.printed.strip("[]").strip()
    names = _NAME.findall(inside)
    if not names:
        return False
    named = registry.resolve_speaker(inside)
    original_words = {w.casefold() for w in regex.findall(r"[\p{L}']+", v.original)}
    if original_words & _FIRST_PERSON:
        parties = {p.casefold() for p in (source.speaker or "", *source.speaks_for, *source.aliases) if p}
        return not (named and named.casefold() in parties) and inside.casefold() not in parties
    original_names = _NAME.findall(v.original)
    if original_names and not (original_words & STOP_WORDS and len(original_words) > len(original_names)):
        return registry.resolve_speaker(v.original) != named or (named is None and inside.casefold() != v.original.casefold())
    return False


def _unique(findings: list[Finding]) -> list[Finding]:
    seen: set[tuple[Flag, tuple[int, int] | None]] = set()
    out = []
    for f in findings:
        if (f.flag, f.quote) not in seen:
            seen.add((f.flag, f.quote))
            out.append(f)
    return out


# A few hundred of the commonest words of each language are enough to tell them apart.
_LANGUAGE_WORDS = {
    "en": set(STOP_WORDS) | {"not", "no", "will", "all", "any", "our", "more"},
    "fr": {
        "l",
        "d",
        "qu",
        "le",
        "la",
        "les",
        "des",
        "du",
        "de",
        "un",
        "une",
        "et",
        "est",
        "sont",
        "pas",
        "que",
        "qui",
        "dans",
        "pour",
        "sur",
        "avec",
        "ne",
        "nous",
        "vous",
        "ils",
        "elle",
        "il",
        "ce",
        "cette",
        "ces",
        "aux",
        "au",
        "par",
        "plus",
    },
    "de": {
        "der",
        "die",
        "das",
        "und",
        "ist",
        "nicht",
        "ein",
        "eine",
        "zu",
        "den",
        "dem",
        "des",
        "mit",
        "sich",
        "auf",
        "für",
        "von",
        "wir",
        "sie",
        "es",
        "auch",
        "wird",
        "werden",
        "nur",
        "oder",
        "aber",
    },
    "es": {
        "el",
        "la",
        "los",
        "las",
        "de",
        "del",
        "y",
        "que",
        "en",
        "un",
        "una",
        "es",
        "no",
        "por",
        "con",
        "para",
        "se",
        "su",
        "sus",
        "al",
        "lo",
        "como",
        "más",
        "pero",
    },
    "it": {
        "il",
        "lo",
        "la",
        "gli",
        "le",
        "di",
        "e",
        "che",
        "un",
        "una",
        "non",
        "per",
        "con",
        "su",
        "del",
        "della",
        "sono",
        "è",
        "si",
        "come",
        "più",
        "ma",
    },
    "pt": {
        "o",
        "a",
        "os",
        "as",
        "de",
        "do",
        "da",
        "e",
        "que",
        "em",
        "um",
        "uma",
        "não",
        "por",
        "com",
        "para",
        "se",
        "seu",
        "sua",
        "mais",
        "mas",
        "como",
    },
    "nl": {
        "de",
        "het",
        "een",
        "en",
        "van",
        "is",
        "niet",
        "dat",
        "die",
        "in",
        "op",
        "te",
        "zijn",
        "met",
        "voor",
        "wij",
        "ze",
        "ook",
        "maar",
    },
}
_LANGUAGE_NAMES = {"en": "English", "fr": "French", "de": "German", "es": "Spanish", "it": "Italian", "pt": "Portuguese", "nl": "Dutch"}
_SCRIPTS = (
    ("ru", regex.compile(r"\p{Cyrillic}")),
    ("ar", regex.compile(r"\p{Arabic}")),
    ("he", regex.compile(r"\p{Hebrew}")),
    ("el", regex.compile(r"\p{Greek}")),
    ("zh", regex.compile(r"\p{Han}")),
    ("ja", regex.compile(r"[\p{Hiragana}\p{Katakana}]")),
    ("ko", regex.compile(r"\p{Hangul}")),
)
_LANGUAGE_NAMES |= {
    "ru": "Cyrillic script",
    "ar": "Arabic",
    "he": "Hebrew",
    "el": "Greek",
    "zh": "Chinese",
    "ja": "Japanese",
    "ko": "Korean",
}


def language_of(keys: Sequence[str]) -> str | None:
    """The language a run of words reads as, when it is clear; None when unsure.

    >>> language_of("nous ne tolérerons pas cette technologie pour la surveillance".split())
    'fr'
    >>> language_of("we will not condone uses of any technology".split())
    'en'
    """
    if len(keys) < 4:
        return None
    text = " ".join(keys)
    letters = sum(1 for c in text if c.isalpha())
    for code, script in _SCRIPTS:
        if letters and len(script.findall(text)) > letters / 2:
            return code
    # Elided articles count as words of their own: l'utilisation, dell'uso.
    parts = [p for k in keys for p in k.split("'") if p]
    counts = {code: sum(1 for p in parts if p in words) for code, words in _LANGUAGE_WORDS.items()}
    best = max(counts, key=lambda c: counts[c])
    ranked = sorted(counts.values(), reverse=True)
    if ranked[0] >= 3 and ranked[0] >= 1.5 * ranked[1]:
        return best
    return None
