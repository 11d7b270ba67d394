"""Attribution: the speaker an article names for each quotation."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quotecheck.reading.attribute import attribute
from quotecheck.reading.extract import extract


def speakers(article: str) -> list[str | None]:
    return [q.attributed_to for q in attribute(article, extract(article))]


@pytest.mark.parametrize(
    ("article", "expected"),
    [
        ('"We will act," Krishna said.', ["Krishna"]),
        ('"We will act," said IBM CEO Arvind Krishna.', ["IBM CEO Arvind Krishna"]),
        ('Krishna said in his letter: "We will act."', ["Krishna"]),
        ('"We will act," according to The Guardian.', ["The Guardian"]),
        ('According to The Guardian, the company faces "growing scrutiny" now.', ["The Guardian"]),
        ('An IBM representative told Axios that it will "no longer market" them.', ["An IBM representative"]),
        ('"We will act," Krishna said. "We must," he added.', ["Krishna", "Krishna"]),
        ('"We will act," Krishna said. "We must."', ["Krishna", "Krishna"]),
        ('I worry about the term "general purpose" here.', [None]),
        ('Krishna: "We will act."', ["Krishna"]),
        ('IBM CEO Arvind Krishna: "We will act."', ["IBM CEO Arvind Krishna"]),
        ('One line stands out: "We will act."', [None]),
        ('The president went on: "We will act."', ["The president"]),
        ('Krishna, who became CEO in April, wrote that "we will act".', ["Krishna"]),
        ('Kennedy \u2014 speaking to 40,000 people \u2014 said the goal "will serve".', ["Kennedy"]),
        ('IBM chief executive Arvind Krishna (pictured) said: "We will act."', ["IBM chief executive Arvind Krishna"]),
        ('"We will act," Krishna, who became CEO in April, said.', ["Krishna"]),
        ('The letter was sent on Monday, officials said, and "we will act" was its line.', ["officials"]),
        ('On Tuesday, a day after the letter, the firm "will act".', [None]),
    ],
)
def test_cues_before_and_after(article: str, expected: list[str | None]) -> None:
    """Cue verbs before or after a quotation name its speaker; pronouns take the last name."""
    assert speakers(article) == expected


@pytest.mark.parametrize(
    ("article", "expected"),
    [
        ('Krishna invoked history: "We will act," he wrote.', ["Krishna"]),
        ('Arvind Krishna wrote to Congress. He said: "We will act."', ["Arvind Krishna"]),
        ('But Krishna went further. "We will act," he wrote.', ["Krishna"]),
        ('"We will act," Krishna said. Smith disagreed with him. "We will not," he said.', ["Krishna", "Smith"]),
        ('"We will act," Krishna said. The letter was sent on Monday. "We must," he wrote.', ["Krishna", "Krishna"]),
        ('In September 1953, more than a decade before. "We will act," he wrote.', ["he"]),
        ('"We will act," he wrote.', ["he"]),
        ('At Rice, Kennedy was blunt. "We choose to go," he said.', ["Kennedy"]),
        ('On Monday, the letter reached Congress. "We will act," he wrote.', ["he"]),
        ('In his letter to Congress, Krishna went further. "We will act," he wrote.', ["Krishna"]),
    ],
)
def test_a_pronoun_takes_the_nearest_named_subject(article: str, expected: list[str | None]) -> None:
    """A pronoun stands for the nearest named sentence subject since the last attribution, else the last name, else itself."""
    assert speakers(article) == expected


def test_a_new_list_item_does_not_continue_the_previous_attribution() -> None:
    """A quotation on its own list item is not the previous item's speaker's."""
    assert speakers('- "We will act," Krishna said.\n- "Congress should act."') == ["Krishna", None]


def test_a_block_quote_takes_the_cue_of_the_paragraph_before_a_colon() -> None:
    """`Colorlines reported:` before a block quote attributes it."""
    assert speakers("Colorlines reported:\n\n> The footage can be stored indefinitely.") == ["Colorlines"]


# The examples of issue 13's "Why", each in a sentence of this project's own.
@pytest.mark.parametrize(
    ("article", "expected"),
    [
        ('"It is over," conceded the mayor.', ["the mayor"]),
        ('"Fine," quipped Lee.', ["Lee"]),
        ('"Fine," Lee sighed.', ["Lee"]),
        ('"Fine," echoed Lee.', ["Lee"]),
        ('"Well," began Lee, "it is late."', ["Lee", "Lee"]),
        ('"Fine," replied Lee.', ["Lee"]),
        ('"Fine," Lee insisted.', ["Lee"]),
        ('"Fine," Lee warned.', ["Lee"]),
        ('"Fine," Lee wrote in a memo.', ["Lee"]),
    ],
)
def test_cue_verbs_beyond_said(article: str, expected: list[str | None]) -> None:
    """Verbs of saying of every kind and tense are cues (conceded, quipped, sighed, echoed, began, replied, ...)."""
    assert speakers(article) == expected


@pytest.mark.parametrize(
    ("article", "expected"),
    [
        ('"We will win," Ms. Cheney said.', ["Ms. Cheney"]),
        ('"We will win," Mr. Ode said.', ["Mr. Ode"]),
        ('"We will win," Mrs. Ode said.', ["Mrs. Ode"]),
        ('"We will win," Dr. Ode said.', ["Dr. Ode"]),
        ('"We will win," Sen. Ode said.', ["Sen. Ode"]),
        ('"We will win," Rep. Ode said.', ["Rep. Ode"]),
        ('"We will win," Gov. Ode said.', ["Gov. Ode"]),
        ('"We will win," Prof. Ode said.', ["Prof. Ode"]),
        ('"We will win," Gen. Ode said.', ["Gen. Ode"]),
        ('"We will win," Lt. Ode said.', ["Lt. Ode"]),
        ('"We will win," St. Ode said.', ["St. Ode"]),
        ('"We will win," J. R. Ode said.', ["J. R. Ode"]),
        ('Ms. Cheney spoke last. "We will win," she said.', ["Ms. Cheney"]),
    ],
)
def test_titles_and_initials_end_no_sentence(article: str, expected: list[str | None]) -> None:
    """A full stop after a title or an initial does not end the sentence, and the title is part of the name."""
    assert speakers(article) == expected


@pytest.mark.parametrize(
    ("article", "expected"),
    [
        ('"I am done," the clown said.', ["the clown"]),
        ('Richmond police said "no arrests were made"', ["Richmond police"]),
        ('A spokesperson for the council said "we never saw this coming."', ["A spokesperson for the council"]),
        ('"It is over," officials said.', ["officials"]),
        ('Officials said the road is "closed for now."', ["Officials"]),
        ('Police said "no arrests were made"', ["Police"]),
        ('Caf\u00e9 owners in Edison said "we never saw this coming"', ["Caf\u00e9 owners in Edison"]),
    ],
)
def test_common_noun_and_group_speakers_keep_their_head_noun_phrase(article: str, expected: list[str | None]) -> None:
    """A speaker that is not a name is kept as printed, with its noun phrase whole."""
    assert speakers(article) == expected


def test_an_unresolved_pronoun_is_kept_as_printed() -> None:
    """With no named antecedent, `She` is the speaker as printed (unresolved)."""
    assert speakers('She said "I support you."') == ["She"]


@pytest.mark.parametrize(
    ("article", "expected"),
    [
        ('"We are not selling it." -IBM CEO Arvind Krishna', ["IBM CEO Arvind Krishna"]),
        ('"We are not selling it." \u2014 Arvind Krishna', ["Arvind Krishna"]),
        ('"We are not selling it." - and then he left.', [None]),
        ('And from the chairwoman:\n\n"We are not done."', ["the chairwoman"]),
        ('Last night Arvind Krishna, IBM\'s chief, said he was worried. "We cannot go on like this."', ["Arvind Krishna"]),
        ('Krishna spoke first. "We have decided to stop.\n\n"And we will not go back," he added.', ["Krishna"]),
    ],
)
def test_layouts_without_a_cue_beside_the_quotation(article: str, expected: list[str | None]) -> None:
    """Dash attribution, a lead paragraph ending in a colon, the sentence before, a multi-paragraph quotation."""
    assert speakers(article) == expected


def test_no_speaker_is_taken_across_a_line_break_after_a_sentence() -> None:
    """A name on the next line belongs to a new paragraph: `... "We are ready."` newline `The chief said ...`."""
    assert speakers('The clerk read a note. "We are ready."\nThe chief said nothing more.') == [None]


def test_a_quotation_after_other_prose_does_not_continue_the_previous_speaker() -> None:
    """`"One opened the door," ...` after a sentence of narration is not the previous quotation's speaker's."""
    article = '"We are ready," the chief said. Two guards waited outside. "One opened the door," ...'
    assert speakers(article) == ["the chief", None]


@pytest.mark.parametrize(
    ("article", "relayed"),
    [
        ('"We will act," according to The Guardian.', [True]),
        ('Reuters reported that the firm "will act".', [True]),
        ('"We will act," Krishna said.', [False]),
    ],
)
def test_outlets_relaying_words_are_marked(article: str, relayed: list[bool]) -> None:
    """A name given by "according to" or "reported" is marked as relaying the words."""
    assert [q.relayed for q in attribute(article, extract(article))] == relayed


_NAMES = st.sampled_from(["Lee", "Ms. Cheney", "the mayor", "Richmond police", "IBM CEO Arvind Krishna", "a spokesperson for the council"])
_CUE_VERBS = st.sampled_from(["said", "says", "added", "conceded", "quipped", "warned", "insisted", "replied", "told reporters"])


@given(name=_NAMES, cue=_CUE_VERBS, words=st.lists(st.sampled_from(["we", "will", "act", "now", "not", "ever"]), min_size=1, max_size=8))
def test_a_speaker_before_a_cue_after_the_quotation_is_found_as_printed(name: str, cue: str, words: list[str]) -> None:
    """`"...," NAME CUE.` gives NAME exactly as printed, whatever the words quoted and the cue."""
    article = f'"{" ".join(words).capitalize()}," {name} {cue}.'
    assert speakers(article) == [name]


@given(name=_NAMES.filter(lambda n: n[0].isupper()), cue=_CUE_VERBS.filter(lambda c: " " not in c))
def test_a_speaker_after_an_inverted_cue_is_found_as_printed(name: str, cue: str) -> None:
    """`"...," CUE NAME.` gives NAME exactly as printed."""
    assert speakers(f'"We will act," {cue} {name}.') == [name]
