"""Attribution: the speaker an article names for each quotation."""

from __future__ import annotations

import pytest

from quotecheck.attribute import attribute
from quotecheck.extract import extract


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
