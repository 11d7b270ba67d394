"""The registry: sources, headers, gaps, embedded quotations, speakers."""

from __future__ import annotations

from pathlib import Path

import pytest

from quotecheck import InputError, InvalidArgument, Registry, RegistryFormatError, Source, SourceNotFound, builtin_registry
from tests.conftest import FIXTURES

LETTER = "krishna-2020-06-08"
INTRO = "ibm-policy-2020-06-08-intro"


def test_builtin_texts_are_the_fixture_texts_byte_for_byte() -> None:
    """The shipped registry holds the canonical texts unchanged, only a header added."""
    registry = builtin_registry()
    for source_id in (LETTER, INTRO):
        assert registry[source_id].text == (FIXTURES / "sources" / f"{source_id}.txt").read_text(encoding="utf-8")


def test_builtin_letter_knows_its_facts() -> None:
    """The letter is Krishna's, for IBM, dated, partial, with Watson's words embedded."""
    letter = builtin_registry()[LETTER]
    assert (letter.speaker, letter.date, letter.complete) == ("Arvind Krishna", "2020-06-08", False)
    assert "IBM" in letter.speaks_for
    assert len(letter.gaps) == 1
    (watson,) = letter.embedded
    assert watson.speaker == "Thomas J. Watson, Jr."
    assert "Each Of the citizens" in letter.text[watson.start : watson.end]


def test_builtin_intro_is_ibms() -> None:
    """The blurb above the letter is IBM's words, and complete."""
    intro = builtin_registry()[INTRO]
    assert (intro.speaker, intro.complete) == ("IBM", True)


def test_speaker_names_resolve_longest_first() -> None:
    """Names as articles print them resolve to registry speakers."""
    registry = builtin_registry()
    assert registry.resolve_speaker("IBM CEO Arvind Krishna") == "Arvind Krishna"
    assert registry.resolve_speaker("Krishna") == "Arvind Krishna"
    assert registry.resolve_speaker("IBM's CEO") == "Arvind Krishna"
    assert registry.resolve_speaker("an IBM representative") == "IBM"
    assert registry.resolve_speaker("Watson") == "Thomas J. Watson, Jr."
    assert registry.resolve_speaker("The Guardian") is None


def test_a_leading_the_is_not_part_of_a_name() -> None:
    """ "the president said" is attributed to "president", which resolves to the alias "the president"."""
    source = Source(id="gettysburg", text="Four score and seven years ago.", speaker="Abraham Lincoln", aliases=("the president",))
    registry = Registry.from_sources([source])
    assert [registry.resolve_speaker(name) for name in ("president", "The president", "the president")] == ["Abraham Lincoln"] * 3
    assert registry.resolve_speaker("the") is None


def test_paragraphs_are_numbered_from_one_and_skip_the_gap() -> None:
    """Paragraph n is the n-th blank-line-separated block; the [[gap]] line is none."""
    source = Source(id="s", text="One.\n\nTwo words.\n\n[[gap]]\n")
    assert [(p.number, source.text[p.start : p.end]) for p in source.paragraphs] == [(1, "One."), (2, "Two words.")]
    assert not source.complete


def test_a_plain_file_is_a_source_named_after_its_stem(tmp_path: Path) -> None:
    """No header: id is the file stem, speaker unknown, text complete."""
    (tmp_path / "speech.txt").write_text("We choose to go to the Moon.\n", encoding="utf-8")
    (source,) = Registry.from_path(tmp_path)
    assert (source.id, source.speaker, source.complete) == ("speech", None, True)


def test_header_sets_metadata_and_embedded_text(tmp_path: Path) -> None:
    """A +++ TOML header sets speaker, aliases, date and an embedded quotation by its text."""
    (tmp_path / "a.md").write_text(
        '+++\nid = "kennedy"\nspeaker = "John F. Kennedy"\naliases = ["Kennedy"]\ndate = 1962-09-12\n'
        '[[embedded]]\nspeaker = "George Mallory"\ntext = "Because it is there"\n+++\n'
        "Mallory was asked why. He said, Because it is there.\n",
        encoding="utf-8",
    )
    source = Registry.from_path(tmp_path)["kennedy"]
    assert (source.speaker, source.aliases, source.date) == ("John F. Kennedy", ("Kennedy",), "1962-09-12")
    start = source.text.index("Because")
    assert source.speaker_at(start, start + len("Because it is there")) == "George Mallory"
    assert source.speaker_at(0, 7) == "John F. Kennedy"
    assert source.text.startswith("Mallory was asked")


def test_malformed_header_names_file_and_line(tmp_path: Path) -> None:
    """A TOML error in the header is reported with the file and its line number."""
    path = tmp_path / "bad.txt"
    path.write_text('+++\nspeaker = "A"\ndate = = 3\n+++\ntext\n', encoding="utf-8")
    with pytest.raises(RegistryFormatError) as info:
        Registry.from_path(tmp_path)
    assert info.value.line == 3
    assert str(path) in str(info.value)


def test_unknown_header_key_is_an_error(tmp_path: Path) -> None:
    """A misspelt key is reported, not ignored."""
    (tmp_path / "a.txt").write_text('+++\nspeeker = "A"\n+++\ntext\n', encoding="utf-8")
    with pytest.raises(RegistryFormatError, match="speeker"):
        Registry.from_path(tmp_path)


def test_duplicate_ids_are_an_error(tmp_path: Path) -> None:
    """Two files claiming one id cannot both be sources."""
    (tmp_path / "a.txt").write_text('+++\nid = "x"\n+++\none\n', encoding="utf-8")
    (tmp_path / "b.txt").write_text('+++\nid = "x"\n+++\ntwo\n', encoding="utf-8")
    with pytest.raises(InvalidArgument, match="duplicate"):
        Registry.from_path(tmp_path)


def test_registry_path_must_be_a_directory_with_sources(tmp_path: Path) -> None:
    """A missing path, a file and an empty directory are errors that say so."""
    with pytest.raises(InputError, match="does not exist"):
        Registry.from_path(tmp_path / "nope")
    (tmp_path / "f.txt").write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="not a file"):
        Registry.from_path(tmp_path / "f.txt")
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no source"):
        Registry.from_path(tmp_path / "empty")


def test_unknown_id_raises_source_not_found() -> None:
    """Looking up an id the registry lacks raises SourceNotFound, a LookupError."""
    with pytest.raises(SourceNotFound):
        builtin_registry()["nope"]
    with pytest.raises(LookupError):
        builtin_registry()["nope"]


def test_hash_changes_with_the_text() -> None:
    """The content hash identifies the text's version."""
    assert Source(id="a", text="one").hash != Source(id="a", text="one.").hash
    assert Registry.from_sources([Source(id="a", text="one")]).hash == Registry.from_sources([Source(id="a", text="one")]).hash
