"""Provenance across a corpus: families, printed variants and copy links."""

from __future__ import annotations

import datetime
import json
from collections.abc import Sequence
from pathlib import Path

import attrs
import pytest
import regex
from hypothesis import given
from hypothesis import strategies as st

import quotecheck
from quotecheck.checking.article import check
from quotecheck.config import Config
from quotecheck.errors import InvalidArgument
from quotecheck.judging.results import ArticleCheck, QuoteCheck, SourceMatch, Verdict
from quotecheck.matching.classify import VariantKind
from quotecheck.provenance import Corpus, EvidenceKind, corpus, corpus_files, variant_key
from quotecheck.reading.extract import QuoteKind
from quotecheck.reading.metadata import ArticleMeta
from quotecheck.text.normalize import STOP_WORDS

LETTER = quotecheck.builtin_registry()["krishna-2020-06-08"]
# Sentences of the letter long enough that one changed word leaves them recognisable.
SENTENCES = tuple(
    s.strip()
    for paragraph in LETTER.text.split("\n\n")
    for s in regex.split(r"(?<=[.!?])\s+", paragraph)
    if len(s.split()) >= 12 and "\n" not in s.strip() and regex.match(r"\p{Lu}", s.strip()) and not regex.search(r"[\"\u201c\u201d\[\]]", s)
)
DAY0 = datetime.date(2020, 6, 8)

# -- a generated corpus ---------------------------------------------------------------------------------------------


@attrs.frozen
class Planted:
    """A corpus with one planted change: its first printer, its copiers and articles printing only exact quotations."""

    articles: tuple[ArticleCheck, ...]
    metadata: dict[str, ArticleMeta]
    first: str
    copies: tuple[str, ...]
    kind: VariantKind
    word: str


def _article(name: str, quotes: Sequence[str], *, curly: bool) -> ArticleCheck:
    open_, close = ("\u201c", "\u201d") if curly else ('"', '"')
    body = " ".join(f"The reporter adds context here. Krishna wrote: {open_}{q}{close}" for q in quotes)
    return check(f"Headline of {name}\n\n{body} The story ends.\n", path=name).articles[0]


def _mutate(sentence: str, kind: VariantKind, index: int, word: str) -> str:
    words = sentence.split(" ")
    if kind is VariantKind.SUBSTITUTION:
        words[index] = word
    else:
        words.insert(index, f"[{word}]")
    return " ".join(words)


@st.composite
def planted_corpora(draw: st.DrawFn) -> Planted:
    """First article prints a changed sentence; 1-3 later articles copy it; more articles print it exactly."""
    sentence = draw(st.sampled_from(SENTENCES))
    other = draw(st.sampled_from([s for s in SENTENCES if s != sentence]))
    words = sentence.split(" ")
    kind = draw(st.sampled_from([VariantKind.SUBSTITUTION, VariantKind.BRACKET_INSERTION]))
    # A content word in the middle, away from the edges the aligner may trim.
    candidates = [i for i in range(3, len(words) - 3) if regex.sub(r"\W", "", words[i]).lower() not in STOP_WORDS and words[i].isalpha()]
    index = draw(st.sampled_from(candidates or [len(words) // 2]))
    word = draw(st.text(alphabet="bcdfghjklmnpqrstvwxz", min_size=5, max_size=9))
    changed = _mutate(sentence, kind, index, word)
    copies = draw(st.integers(1, 3))
    exact = draw(st.integers(copies + 1, copies + 3))  # enough witnesses that the change stays rare
    articles: list[ArticleCheck] = []
    metadata: dict[str, ArticleMeta] = {}

    def add(name: str, quotes: list[str], date: datetime.date | None) -> None:
        articles.append(_article(name, quotes, curly=draw(st.booleans())))
        metadata[name] = ArticleMeta(name, date, outlet=f"Outlet {name}")

    add("first", [changed, other], DAY0)
    copy_names = tuple(f"copy{n}" for n in range(copies))
    for name in copy_names:
        add(name, [changed] + ([other] if draw(st.booleans()) else []), DAY0 + datetime.timedelta(days=draw(st.integers(1, 30))))
    for n in range(exact):
        add(f"exact{n}", [sentence, other], DAY0 + datetime.timedelta(days=draw(st.integers(-5, 30))))
    order = draw(st.permutations(range(len(articles))))
    return Planted(tuple(articles[i] for i in order), metadata, "first", copy_names, kind, word)


@given(planted_corpora())
def test_copies_of_a_planted_change_link_to_its_first_printer_and_nothing_else(planted: Planted) -> None:
    """Every copier is linked to the first printer, by the planted change; no other pair is linked."""
    result = corpus(planted.articles, metadata=planted.metadata)
    assert {(link.earlier, link.later) for link in result.links} == {(planted.first, c) for c in planted.copies}
    for link in result.links:
        assert link.ordered
        assert link.earlier_date is not None
        assert link.later_date is not None
        assert link.earlier_date < link.later_date
        assert any(e.kind is planted.kind and planted.word in e.printed for e in link.evidence)


@given(planted_corpora())
def test_articles_sharing_only_exact_quotations_are_not_linked(planted: Planted) -> None:
    """Without the articles that print the change, nothing links the rest, however many quotations they share."""
    exact_only = [a for a in planted.articles if a.path not in {planted.first, *planted.copies}]
    assert corpus(exact_only, metadata=planted.metadata).links == ()


@given(planted_corpora())
def test_every_sourced_quotation_is_in_exactly_one_variant(planted: Planted) -> None:
    """Families partition the sourced quotations; counts add up."""
    result = corpus(planted.articles, metadata=planted.metadata)
    printings = [(p.article, p.start) for f in result.families for v in f.variants for p in v.printings]
    sourced = [(a.path, q.start) for a in planted.articles for q in a.quotes if q.verdict is not Verdict.UNSOURCED]
    assert sorted(printings) == sorted(sourced)
    assert result.quotations == sum(len(a.quotes) for a in planted.articles)
    assert result.unsourced == result.quotations - len(sourced)


def test_a_change_most_of_the_press_prints_is_not_evidence() -> None:
    """A reading printed by more than copy_max_share of the articles quoting that place links nobody."""
    sentence = SENTENCES[0]
    changed = _mutate(sentence, VariantKind.SUBSTITUTION, 5, "zqvrtk")
    articles = [_article(f"a{n}", [changed], curly=False) for n in range(3)]
    metadata = {f"a{n}": ArticleMeta(f"a{n}", DAY0 + datetime.timedelta(days=n)) for n in range(3)}
    assert corpus(articles, metadata=metadata).links == ()
    assert len(corpus(articles, metadata=metadata, config=Config(copy_max_share=1.0)).links) == 2


def test_a_link_between_undated_articles_is_unordered() -> None:
    """Without dates the link is kept, marked as saying nothing of who was first."""
    changed = _mutate(SENTENCES[0], VariantKind.BRACKET_INSERTION, 5, "zqvrtk")
    articles = [_article("b", [changed], curly=True), _article("a", [changed], curly=False)]
    (link,) = corpus(articles).links
    assert (link.earlier, link.later, link.ordered) == ("a", "b", False)


# -- families against a slow reference -----------------------------------------------------------------------------


def _quote(start: int, end: int, n: int) -> QuoteCheck:
    text = f"quotation {n} {start} {end}"
    match = SourceMatch("src", None, 1, start, end, "x" * (end - start))
    return QuoteCheck(0, len(text), text, QuoteKind.QUOTATION, None, None, Verdict.EXACT, (), 1.0, match)


def _reference_families(spans: Sequence[tuple[int, int]]) -> set[frozenset[int]]:
    """Connected components of the overlap graph, by brute force."""
    parent = list(range(len(spans)))

    def find(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i, (s1, e1) in enumerate(spans):
        for j, (s2, e2) in enumerate(spans):
            if max(s1, s2) < min(e1, e2):
                parent[find(i)] = find(j)
    groups: dict[int, set[int]] = {}
    for i in range(len(spans)):
        groups.setdefault(find(i), set()).add(i)
    return {frozenset(g) for g in groups.values()}


@given(st.lists(st.tuples(st.integers(0, 200), st.integers(1, 40)), min_size=1, max_size=30))
def test_families_are_the_connected_components_of_overlapping_passages(spans: list[tuple[int, int]]) -> None:
    """Passages that overlap, directly or through others, share a family; others do not."""
    spans = [(s, s + n) for s, n in spans]
    articles = [ArticleCheck(f"a{i}", (_quote(s, e, i),)) for i, (s, e) in enumerate(spans)]
    result = corpus(articles)
    found = {frozenset(int(p.article[1:]) for v in f.variants for p in v.printings) for f in result.families}
    assert found == _reference_families(spans)
    for family in result.families:
        members = [spans[int(p.article[1:])] for v in family.variants for p in v.printings]
        assert (family.start, family.end) == (min(s for s, _ in members), max(e for _, e in members))
        assert len(family.text) == family.end - family.start


# -- printed variants -------------------------------------------------------------------------------------------------

typography = st.sampled_from([("'", "\u2019"), ('"', "\u201c"), (" - ", " \u2013 "), (" ", "\u00a0"), (" ", "  ")])


@given(st.sampled_from(SENTENCES), typography)
def test_variant_key_ignores_typography(sentence: str, swap: tuple[str, str]) -> None:
    """Quote, dash and space glyphs and edge punctuation do not make a new variant."""
    assert variant_key(sentence.replace(*swap).rstrip(".") + ",") == variant_key(sentence)


@given(st.sampled_from(SENTENCES))
def test_variant_key_keeps_case(sentence: str) -> None:
    """A change of case is a different (cosmetic) variant."""
    assert variant_key(sentence.lower()) != variant_key(sentence)


def test_the_same_words_with_other_glyphs_are_one_variant() -> None:
    """Two articles printing a sentence with straight and curly marks share one variant with two printings."""
    articles = [_article("a", [SENTENCES[1]], curly=False), _article("b", [SENTENCES[1].replace("'", "\u2019")], curly=True)]
    (family,) = corpus(articles).families
    (variant,) = family.variants
    assert [p.article for p in variant.printings] == ["a", "b"]


# -- the seed articles --------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    articles = Path(__file__).resolve().parent.parent / "fixtures" / "articles"
    manifest = tmp_path_factory.mktemp("manifest") / "manifest.jsonl"
    # Outlets named by the test, not by the fixtures: the seeds carry none.
    rows = [{"path": str(p), "outlet": f"Outlet {p.name[:3]}"} for p in sorted(articles.glob("*.txt"))]
    manifest.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return corpus_files([articles], manifest=manifest)


def _printers(variant: quotecheck.provenance.PrintedVariant) -> list[tuple[str, datetime.date | None, str | None]]:
    return [(Path(p.article).name[:3], p.date, p.outlet) for p in variant.printings]


def test_seed_family_of_the_firmly_opposes_sentence(seeds: Corpus) -> None:
    """The family of "IBM firmly opposes..." lists the exact, cosmetic and altered printings with outlets and dates."""
    (family,) = [f for f in seeds.families if "IBM firmly opposes" in f.text]
    sentence = [v for v in family.variants if v.text.startswith("IBM firmly opposes")]
    by_verdict = {v.verdict: v for v in sentence}
    assert set(by_verdict) == {Verdict.EXACT, Verdict.COSMETIC, Verdict.ALTERED}
    assert _printers(by_verdict[Verdict.EXACT]) == [("002", None, "Outlet 002")]
    cosmetic = by_verdict[Verdict.COSMETIC]
    assert "principles of trust and transparency" in cosmetic.text
    assert any(d.kind is VariantKind.CASE for d in cosmetic.diff)
    assert _printers(cosmetic) == [("001", datetime.date(2020, 6, 9), "Outlet 001")]
    altered = by_verdict[Verdict.ALTERED]
    assert "made available from other vendors" in altered.text
    assert any(d.kind is VariantKind.SUBSTITUTION and d.printed == "made available from" for d in altered.diff)
    assert _printers(altered) == [("004", datetime.date(2020, 6, 8), "Outlet 004")]
    assert family.first.date == datetime.date(2020, 6, 8)


def test_seed_diff_spans_index_the_printed_text(seeds: Corpus) -> None:
    """Every difference of a variant points into the variant's own text."""
    for family in seeds.families:
        for variant in family.variants:
            for d in variant.diff:
                assert 0 <= d.quote[0] <= d.quote[1] <= len(variant.text)
                if d.printed and d.quote[1] > d.quote[0]:
                    assert variant.text[d.quote[0] : d.quote[1]] == d.printed


def test_seed_corpus_has_no_copy_links(seeds: Corpus) -> None:
    """No two seed articles share a changed reading: no link is claimed."""
    assert seeds.links == ()


def test_to_dict_is_json(seeds: Corpus) -> None:
    """The corpus document serialises, with families, variants and links."""
    document = json.loads(json.dumps(seeds.to_dict()))
    assert set(document) == {"articles", "families", "unsourced_families", "links", "quotations", "unsourced", "errors"}
    assert sum(v["count"] for f in document["families"] for v in f["variants"]) == document["quotations"] - document["unsourced"]


def test_the_result_is_the_same_from_a_report_or_a_list(seeds: Corpus) -> None:
    """`corpus` is a pure function of the per-article results."""
    articles = [check(f"He said: \u201c{s}\u201d", path=f"p{n}").articles[0] for n, s in enumerate(SENTENCES[:3])]
    assert corpus(quotecheck.Report(tuple(articles))) == corpus(iter(articles))


def test_corpus_rejects_what_is_not_an_article_check() -> None:
    """Anything but ArticleCheck results is an InvalidArgument naming the index."""
    with pytest.raises(InvalidArgument, match="index 1"):
        corpus([ArticleCheck("a"), "not an article"])  # type: ignore[list-item]


def test_repr_html_delegates_to_the_html_renderer(seeds: Corpus) -> None:
    """Notebooks get the HTML page."""
    assert seeds._repr_html_().startswith("<!DOCTYPE html>")


# -- unsourced families ---------------------------------------------------------------------------------------------

# Said by no one in the built-in registry: a city's statement after a flood.
UNSOURCED = "We will rebuild every school that the floods destroyed before the first snow of winter"
UNSOURCED_WORDS = UNSOURCED.split()


def _unsourced_article(name: str, quotes: Sequence[str]) -> ArticleCheck:
    body = " ".join(f'The mayor spoke at the town hall. "{q}," the mayor said.' for q in quotes)
    return check(f"Flood report {name}\n\n{body}\n", path=name).articles[0]


def _dated(names: Sequence[str]) -> dict[str, ArticleMeta]:
    return {name: ArticleMeta(name, DAY0 + datetime.timedelta(days=n), outlet=f"Outlet {n}") for n, name in enumerate(names)}


def test_two_articles_printing_one_unsourced_quotation_with_a_changed_word_form_one_family_and_a_link() -> None:
    """One family of two variants (the first printing exact against the reading, the later one altered) and a copy link."""
    changed = UNSOURCED.replace("floods", "storms")
    articles = [_unsourced_article("a.txt", [UNSOURCED]), _unsourced_article("b.txt", [changed])]
    result = corpus(articles, metadata=_dated(["a.txt", "b.txt"]))
    assert result.families == ()
    assert result.unsourced == 2
    (family,) = result.unsourced_families
    assert family.text == UNSOURCED
    assert family.articles == ("a.txt", "b.txt")
    assert family.first.article == "a.txt"
    assert [(v.key, v.verdict) for v in family.variants] == [(UNSOURCED, Verdict.EXACT), (changed, Verdict.ALTERED)]
    (substitution,) = [d for d in family.variants[1].diff if d.kind is VariantKind.SUBSTITUTION]
    assert (substitution.printed, substitution.original) == ("storms", "floods")
    assert family.variants[1].text[substitution.quote[0] : substitution.quote[1]] == "storms"
    (link,) = result.links
    assert (link.earlier, link.later, link.ordered) == ("a.txt", "b.txt", True)
    (evidence,) = link.evidence
    assert (evidence.kind, evidence.source_id, evidence.shared_by) == (EvidenceKind.SHARED_QUOTATION, family.id, 2)


def test_the_reading_is_what_most_articles_print_and_a_shared_change_against_it_links_its_printers() -> None:
    """Three print the words one way, two share a changed word: those two are linked by that change, nothing else is."""
    changed = UNSOURCED.replace("rebuild", "repair")
    names = ["a.txt", "b.txt", "c.txt", "d.txt", "e.txt"]
    texts = [UNSOURCED, changed, UNSOURCED, changed, UNSOURCED]
    articles = [_unsourced_article(name, [text]) for name, text in zip(names, texts, strict=True)]
    result = corpus(articles, metadata=_dated(names))
    (family,) = result.unsourced_families
    assert family.text == UNSOURCED
    assert [v.count for v in family.variants] == [3, 2]
    (link,) = result.links
    assert (link.earlier, link.later) == ("b.txt", "d.txt")
    assert [(e.kind, e.printed, e.original) for e in link.evidence] == [(VariantKind.SUBSTITUTION, "repair", "rebuild")]


def test_different_unsourced_quotations_form_no_family() -> None:
    """Two unrelated unsourced quotations are not grouped."""
    other = "The council has approved a budget for three new bridges across the river next spring"
    result = corpus([_unsourced_article("a.txt", [UNSOURCED]), _unsourced_article("b.txt", [other])], metadata=_dated(["a.txt", "b.txt"]))
    assert (result.unsourced_families, result.links) == ((), ())


def test_one_article_printing_a_quotation_twice_is_no_family() -> None:
    """A family needs two articles."""
    result = corpus([_unsourced_article("a.txt", [UNSOURCED, UNSOURCED])])
    assert result.unsourced_families == ()


def test_short_unsourced_quotations_are_not_grouped() -> None:
    """Under Config.min_fuzzy_words words, sharing a phrase proves nothing."""
    short = corpus([_unsourced_article(name, ["simply unacceptable"]) for name in ("a.txt", "b.txt")])
    assert short.unsourced_families == ()


def test_a_shorter_printing_joins_the_family_of_the_longer() -> None:
    """A quotation cut short (its last words left out) aligns into the reading, with its own span."""
    cut = " ".join(UNSOURCED_WORDS[:10])
    names = ["a.txt", "b.txt", "c.txt"]
    result = corpus([_unsourced_article(n, [t]) for n, t in zip(names, [UNSOURCED, UNSOURCED, cut], strict=True)], metadata=_dated(names))
    (family,) = result.unsourced_families
    assert family.text == UNSOURCED
    shorter = next(v for v in family.variants if v.key == cut)
    assert (shorter.verdict, shorter.source.start, shorter.source.end) == (Verdict.EXACT, 0, len(cut))


@given(st.permutations(range(4)), st.sampled_from(range(len(UNSOURCED_WORDS))))
def test_unsourced_families_do_not_depend_on_the_order_of_the_articles(order: list[int], index: int) -> None:
    """The families and links are the same whatever order the articles come in."""
    changed = " ".join(w if n != index else "zeppelins" for n, w in enumerate(UNSOURCED_WORDS))
    names = [f"{n}.txt" for n in range(4)]
    texts = [UNSOURCED, changed, UNSOURCED, changed]
    articles = [_unsourced_article(name, [text]) for name, text in zip(names, texts, strict=True)]
    metadata = _dated(names)
    expected = corpus(articles, metadata=metadata)
    shuffled = corpus([articles[n] for n in order], metadata=metadata)
    assert shuffled.unsourced_families == expected.unsourced_families
    assert shuffled.links == expected.links


def test_quotations_of_only_common_words_cost_a_bounded_number_of_checks_each(monkeypatch: pytest.MonkeyPatch) -> None:
    """When every word pair is everywhere, each quotation's word checks stop after a fixed number of misses."""
    import random

    from quotecheck import provenance

    rng = random.Random(3)
    common = ["we", "will", "the", "and", "of", "to", "in", "that", "for", "our", "people", "work", "with", "all"]
    empty = quotecheck.Registry.from_sources([])
    articles = [
        check(f'She said: "{" ".join(rng.choice(common) for _ in range(12))}"', registry=empty, path=f"{n}.txt").articles[0]
        for n in range(120)
    ]
    calls = []
    real = provenance._close
    monkeypatch.setattr(provenance, "_close", lambda a, b: calls.append(1) or real(a, b))
    corpus(articles)
    assert 0 < len(calls) <= len(articles) * (provenance._MAX_MISSES + 1)
