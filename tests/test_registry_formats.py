"""Registry sources as people have them: timed transcripts, PDFs, saved web pages, and sidecar metadata."""

from __future__ import annotations

import shutil
import sys
import urllib.parse
import warnings
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import quotecheck
from quotecheck import MissingExtra, Registry, RegistryFormatError, verify
from quotecheck.errors import SourceWarning
from quotecheck.judging.results import Flag, Verdict
from quotecheck.sources._source_formats import PARAGRAPH_PAUSE, read_srt, read_vtt
from quotecheck.sources.registry import SourceFormat, text_fragment
from tests._pdf import pdf_bytes
from tests.conftest import FIXTURES

TRANSCRIPTS = FIXTURES / "transcripts"
KENNEDY = "kennedy-rice-1962"
ROOSEVELT = "roosevelt-inaugural-1933"
KENNEDY_URL = "https://www.jfklibrary.org/asset-viewer/archives/jfkwha-127-002"
ROOSEVELT_URL = "https://www.loc.gov/item/fdr-inaugural-1933/"


@pytest.fixture(scope="module")
def transcripts() -> Registry:
    return Registry.from_path(TRANSCRIPTS)


# -- WebVTT and SubRip ----------------------------------------------------------------------------------------------


def test_sidecars_give_metadata_and_are_not_sources(transcripts: Registry) -> None:
    """Each transcript takes speaker, aliases, date and URL from its NAME.toml; the sidecars are not sources."""
    assert [s.id for s in transcripts] == [KENNEDY, ROOSEVELT]
    kennedy, roosevelt = transcripts[KENNEDY], transcripts[ROOSEVELT]
    assert (kennedy.speaker, kennedy.date, kennedy.url) == ("John F. Kennedy", "1962-09-12", KENNEDY_URL)
    assert kennedy.format is SourceFormat.WEBVTT
    assert (roosevelt.speaker, roosevelt.aliases, roosevelt.format) == ("Franklin D. Roosevelt", ("Roosevelt", "FDR"), SourceFormat.SUBRIP)


def test_vtt_cues_join_into_sentences_and_a_new_voice_or_a_pause_starts_a_paragraph(transcripts: Registry) -> None:
    """Pitzer's introduction, Kennedy's greeting (after a pause) and his sentences (after another) are three paragraphs."""
    kennedy = transcripts[KENNEDY]
    paragraphs = [kennedy.text[p.start : p.end] for p in kennedy.paragraphs]
    assert paragraphs[0] == "Ladies and gentlemen, the President of the United States."
    assert paragraphs[1].startswith("President Pitzer, Mr. Vice President, Governor, Congressman Thomas,")
    assert paragraphs[2].startswith("We choose to go to the moon. We choose to go to the moon in this decade and do the other things,")
    assert len(paragraphs) == 3


def test_voice_tags_give_each_cue_its_speaker(transcripts: Registry) -> None:
    """The voice that is not the source's speaker is an embedded speaker, with the sidecar's aliases for it."""
    kennedy = transcripts[KENNEDY]
    (pitzer,) = kennedy.embedded
    assert (pitzer.speaker, pitzer.aliases) == ("Kenneth Pitzer", ("Pitzer",))
    assert kennedy.text[pitzer.start : pitzer.end] == "Ladies and gentlemen, the President of the United States."


def test_a_vtt_quotation_is_exact_with_its_time_and_link(transcripts: Registry) -> None:
    """A passage that starts in the cue at 0:21 and ends in the one that ends at 0:28.9."""
    text = transcripts[KENNEDY].text
    quote = "We choose to go to the moon in this decade and do the other things"
    result = verify(quote, registry=transcripts, speaker="Kennedy")
    assert result.verdict is Verdict.EXACT
    assert result.flags == ()
    assert result.source is not None
    start = text.index(quote)
    assert (result.source.id, result.source.start, result.source.end) == (KENNEDY, start, start + len(quote))
    assert (result.source.page, result.source.time, result.source.end_time) == (None, 21.0, 28.9)
    assert result.source.link == f"{KENNEDY_URL}#t=21"


def test_a_voiced_cue_is_its_speakers_words(transcripts: Registry) -> None:
    """Pitzer's words attributed to Kennedy are misattributed; attributed to Pitzer they are not."""
    quote = "Ladies and gentlemen, the President of the United States"
    assert Flag.MISATTRIBUTED in verify(quote, registry=transcripts, speaker="Kennedy").flags
    result = verify(quote, registry=transcripts, speaker="Pitzer")
    assert (result.verdict, result.flags) == (Verdict.EXACT, ())
    assert result.source is not None
    assert (result.source.speaker, result.source.time, result.source.end_time) == ("Kenneth Pitzer", 1.0, 4.2)


def test_an_srt_quotation_with_a_changed_word_is_altered_with_its_time(transcripts: Registry) -> None:
    """FDR's line with "need" for "have" is altered; it starts in the cue at 0:15 and ends in the one ending at 0:21.8."""
    text = transcripts[ROOSEVELT].text
    result = verify("the only thing we need to fear is fear itself", registry=transcripts, speaker="Roosevelt")
    assert result.verdict is Verdict.ALTERED
    assert result.source is not None
    start = text.index("the only thing we have to fear is fear itself")
    assert (result.source.start, result.source.end) == (start, start + len("the only thing we have to fear is fear itself"))
    assert (result.source.time, result.source.end_time, result.source.link) == (15.0, 21.8, f"{ROOSEVELT_URL}#t=15")
    assert [(v.printed, v.original) for v in result.variants if v.kind.value == "substitution"] == [("need", "have")]


def test_the_json_source_object_carries_page_time_end_time_and_link(transcripts: Registry) -> None:
    """`source` in JSON has the four new fields."""
    source = verify("which paralyzes needed efforts to convert retreat into advance", registry=transcripts).to_dict()["source"]
    assert (source["page"], source["time"], source["end_time"], source["link"]) == (None, 21.8, 26.0, f"{ROOSEVELT_URL}#t=21.8")


def test_srt_reads_tags_entities_and_turn_markers() -> None:
    """Formatting tags and {\\an8} are dropped, entities decoded, and `>>` starts a paragraph of a new, unnamed speaker."""
    content = "1\n00:00:01,000 --> 00:00:02,000\n{\\an8}<i>Tom &amp; Jerry</i> ran\n\n"
    content += "2\n00:00:02,000 --> 00:00:03,000\n>> No, they walked.\n"
    extracted = read_srt(content, path="t.srt")
    assert extracted.text == "Tom & Jerry ran\n\nNo, they walked.\n"
    assert [(c.start, c.end, c.time) for c in extracted.cues] == [(0, 15, 1.0), (17, 33, 2.0)]


def test_a_voice_with_classes_is_named_without_them() -> None:
    """`<v.loud Esme Smith>` is Esme Smith."""
    (cue,) = read_vtt("WEBVTT\n\n00:01.000 --> 00:02.000\n<v.loud.first Esme Smith>Hi there\n", path="t.vtt").cues
    assert cue.speaker == "Esme Smith"


def test_a_voice_named_by_an_alias_of_the_speaker_is_the_speaker(tmp_path: Path) -> None:
    """`<v Kennedy>` in a transcript whose sidecar says speaker "John F. Kennedy", alias "Kennedy", is not another speaker."""
    (tmp_path / "talk.vtt").write_text("WEBVTT\n\n00:01.000 --> 00:03.000\n<v Kennedy>We choose to go.\n", encoding="utf-8")
    (tmp_path / "talk.toml").write_text('speaker = "John F. Kennedy"\naliases = ["Kennedy"]\n', encoding="utf-8")
    talk = Registry.from_path(tmp_path)["talk"]
    assert (talk.speaker, talk.embedded) == ("John F. Kennedy", ())


def test_two_voices_in_one_cue_are_two_paragraphs() -> None:
    """A cue holding two `<v>` voices is cut between them; both parts have the cue's timing."""
    extracted = read_vtt("WEBVTT\n\n00:05.000 --> 00:07.000\n<v Ann>Are you ready?</v>\n<v Bob>I am.\n", path="t.vtt")
    assert extracted.text == "Are you ready?\n\nI am.\n"
    assert [(c.speaker, c.time, c.end_time) for c in extracted.cues] == [("Ann", 5.0, 7.0), ("Bob", 5.0, 7.0)]


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        ("WEBVTT\n\n00:01.000 --> 00:02.5\nhello\n", 3, "malformed cue timing"),
        ("WEBVTT\n\n00:01.000 -> 00:02.000\nhello\n", 3, "expected a cue timing line"),
        ("WEBVTT\n\n00:61.000 --> 01:02.000\nhello\n", 3, "below 60"),
        ("WEBVTT\n\n00:05.000 --> 00:02.000\nhello\n", 3, r"ends \(00:00:02\.000\) before it starts"),
        ("WEBVTT\n\n00:01.000 --> 00:05.000\nhello\n\n00:04.000 --> 00:06.000\nagain\n", 6, r"before the cue before it \(line 3\) ends"),
        ("hello\n\n00:01.000 --> 00:02.000\nhello\n", 1, "must start with the line WEBVTT"),
    ],
)
def test_a_bad_vtt_names_the_file_and_line(content: str, line: int, message: str) -> None:
    """Malformed, reversed and overlapping timings are errors with the line."""
    with pytest.raises(RegistryFormatError, match=message) as info:
        read_vtt(content, path="talk.vtt")
    assert (info.value.path, info.value.line) == ("talk.vtt", line)
    assert str(info.value).startswith(f"talk.vtt:{line}: ")


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        ("1\n00:00:01,000 --> 00:00:0x,000\nhello\n", 2, "malformed cue timing"),
        ("1\nhello there\n", 2, "expected a cue timing line"),
        ("1\n00:00:01,000 --> 00:00:03,000\nhello\n\n2\n00:00:02,000 --> 00:00:04,000\nagain\n", 6, "overlapping"),
    ],
)
def test_a_bad_srt_names_the_file_and_line(content: str, line: int, message: str) -> None:
    """SubRip faults are errors with the line of the timing."""
    with pytest.raises(RegistryFormatError, match=message) as info:
        read_srt(content, path="talk.srt")
    assert info.value.line == line


def test_a_transcript_without_words_is_an_error() -> None:
    """Only NOTE blocks and empty cues: nothing to check against."""
    with pytest.raises(RegistryFormatError, match="no cue with words"):
        read_vtt("WEBVTT\n\nNOTE nothing\n\n00:01.000 --> 00:02.000\n<v Ann></v>\n", path="t.vtt")


# Words that occur once in a generated transcript, so a slice of them is found in one place.
_WORDS = st.lists(st.text("bcdfghjklmnpqrstvwxz", min_size=4, max_size=9), min_size=1, max_size=6)


def _clock(millis: int, *, srt: bool) -> str:
    if srt:
        return f"{millis // 3600000:02d}:{millis // 60000 % 60:02d}:{millis // 1000 % 60:02d},{millis % 1000:03d}"
    return f"{millis // 60000:02d}:{millis // 1000 % 60:02d}.{millis % 1000:03d}"


@st.composite
def _transcripts(draw: st.DrawFn) -> tuple[str, bool, list[tuple[list[str], float, float]]]:
    """A WebVTT or SubRip transcript of cues of distinct words, with voices (WebVTT) or turns (SubRip) and pauses."""
    srt = draw(st.booleans())
    cues = draw(st.lists(_WORDS, min_size=1, max_size=8))
    flat = [w for cue in cues for w in cue]
    if len(set(flat)) != len(flat):
        cues = [[f"{w}{n}x{k}" for k, w in enumerate(cue)] for n, cue in enumerate(cues)]
    voices = draw(st.lists(st.sampled_from([None, "Ann Lee", "Bo Diaz"]), min_size=len(cues), max_size=len(cues)))
    millis = 0  # whole milliseconds, as a transcript writes them
    lines = [] if srt else ["WEBVTT", ""]
    timed = []
    for number, (words, voice) in enumerate(zip(cues, voices, strict=True), 1):
        millis += draw(st.sampled_from([0, 500, int(PARAGRAPH_PAUSE * 1000), 7250]))
        length = draw(st.sampled_from([800, 2000, 3500]))
        timed.append((words, millis / 1000, (millis + length) / 1000))
        stamp = f"{_clock(millis, srt=srt)} --> {_clock(millis + length, srt=srt)}"
        tag = (">> " if srt else f"<v {voice}>") if voice else ""
        cut = draw(st.integers(1, len(words)))  # a cue's words over one or two lines (a blank line would end the cue)
        text = [tag + " ".join(words[:cut]), *([" ".join(words[cut:])] if cut < len(words) else [])]
        lines.extend([*([str(number)] if srt else []), stamp, *text, ""])
        millis += length
    return "\n".join(lines), srt, timed


@given(_transcripts(), st.data())
@settings(max_examples=60, deadline=None)
def test_any_slice_of_a_cues_words_is_exact_with_that_cues_time(
    generated: tuple[str, bool, list[tuple[list[str], float, float]]], data: st.DataObject
) -> None:
    """A slice starting in a cue (and running on into later ones) is exact, at its offsets, with that cue's start time
    and the end time of the cue it ends in."""
    content, srt, timed = generated
    extracted = read_srt(content, path="gen.srt") if srt else read_vtt(content, path="gen.vtt")
    source = quotecheck.Source("gen", extracted.text, cues=extracted.cues, url="https://example.org/v")
    registry = Registry.from_sources([source])
    first = data.draw(st.integers(0, len(timed) - 1))
    flat = [(w, n) for n, (words, _, _) in enumerate(timed) for w in words]
    begin = next(k for k, (_, n) in enumerate(flat) if n == first) + data.draw(st.integers(0, len(timed[first][0]) - 1))
    stop = data.draw(st.integers(begin + 1, min(len(flat), begin + 12)))
    quote = " ".join(w for w, _ in flat[begin:stop])
    result = verify(quote, registry=registry)
    assert result.verdict is Verdict.EXACT
    assert result.source is not None
    assert " ".join(source.text[result.source.start : result.source.end].split()) == quote
    assert source.text[result.source.start : result.source.end].split() == quote.split()
    last = flat[stop - 1][1]
    assert (result.source.time, result.source.end_time) == (timed[first][1], timed[last][2])
    assert result.source.link == f"https://example.org/v#t={timed[first][1]:.3f}".rstrip("0").rstrip(".")


# -- PDF ------------------------------------------------------------------------------------------------------------

LETTER_PAGES = [
    ["Dear Members of Congress,", "", "We write about the new rules for the harbour."],
    ["The port authority will not raise fees for fishing boats", "before the end of the season, whatever the council decides."],
]


def _pdf_registry(tmp_path: Path, pages: list[list[str]], *, sidecar: str | None = 'url = "https://example.org/letter.pdf"\n') -> Path:
    (tmp_path / "letter.pdf").write_bytes(pdf_bytes(pages))
    if sidecar is not None:
        (tmp_path / "letter.toml").write_text(sidecar, encoding="utf-8")
    return tmp_path


def test_a_pdf_quotation_is_exact_with_its_page_and_link(tmp_path: Path) -> None:
    """Words on page 2 of a PDF written by the test: exact, at their offsets, page 2, link #page=2."""
    registry = Registry.from_path(_pdf_registry(tmp_path, LETTER_PAGES))
    letter = registry["letter"]
    assert letter.format is SourceFormat.PDF
    assert letter.text.startswith("Dear Members of Congress,")
    quote = "will not raise fees for fishing boats"
    result = verify(quote, registry=registry)
    assert result.verdict is Verdict.EXACT
    assert result.source is not None
    start = letter.text.index(quote)
    assert (result.source.start, result.source.end, result.source.page) == (start, start + len(quote), 2)
    assert (result.source.time, result.source.link) == (None, "https://example.org/letter.pdf#page=2")
    page_one = verify("We write about the new rules for the harbour", registry=registry)
    assert page_one.source is not None
    assert (page_one.source.page, page_one.source.link) == (1, "https://example.org/letter.pdf#page=1")


def test_a_pdf_quotation_across_a_line_break_with_a_dropped_negation_is_altered(tmp_path: Path) -> None:
    """The words run across the PDF's line break; "not" left out is a changed negation."""
    registry = Registry.from_path(_pdf_registry(tmp_path, LETTER_PAGES))
    result = verify("The port authority will raise fees for fishing boats before the end of the season", registry=registry)
    assert result.verdict is Verdict.ALTERED
    assert Flag.NEGATION_CHANGED in result.flags
    assert result.source is not None
    assert result.source.page == 2


def test_a_word_the_typesetter_broke_across_lines_is_whole_again(tmp_path: Path) -> None:
    """ "recog-" at a line end and "nition" on the next read as "recognition": a quotation of it is exact."""
    pages = [["IBM no longer offers general purpose facial recog-", "nition or analysis software to anyone."]]
    registry = Registry.from_path(_pdf_registry(tmp_path, pages))
    assert "recognition or analysis" in registry["letter"].text
    result = verify("IBM no longer offers general purpose facial recognition or analysis software", registry=registry)
    assert (result.verdict, result.variants) == (Verdict.EXACT, ())


def test_pdf_pages_without_text_are_named_in_a_warning(tmp_path: Path) -> None:
    """A page with no text layer (scanned) gives a warning naming it; the text of the others is read."""
    root = _pdf_registry(tmp_path, [LETTER_PAGES[0], [], LETTER_PAGES[1]])
    with pytest.warns(SourceWarning, match=r"letter\.pdf: 1 of 3 pages have no text layer \(pages 2\)"):
        registry = Registry.from_path(root)
    result = verify("will not raise fees for fishing boats", registry=registry)
    assert result.source is not None
    assert result.source.page == 3


def test_a_pdf_without_any_text_is_left_out_with_a_warning(tmp_path: Path) -> None:
    """A scanned PDF cannot be checked; the other sources still load."""
    root = _pdf_registry(tmp_path, [[], []], sidecar=None)
    (tmp_path / "other.txt").write_text("Some words of another source.\n", encoding="utf-8")
    with pytest.warns(SourceWarning, match=r"letter\.pdf: the PDF has no text layer"):
        registry = Registry.from_path(root)
    assert [s.id for s in registry] == ["other"]


def test_a_damaged_pdf_names_the_file(tmp_path: Path) -> None:
    """A truncated PDF is an error naming the file, not a traceback."""
    (tmp_path / "broken.pdf").write_bytes(pdf_bytes(LETTER_PAGES)[:120])
    with pytest.raises(RegistryFormatError, match=r"broken\.pdf: damaged PDF"):
        Registry.from_path(tmp_path)


def test_an_encrypted_pdf_names_the_file(tmp_path: Path) -> None:
    """A PDF locked with a password is an error saying so."""
    import io

    import pypdf

    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(pdf_bytes(LETTER_PAGES))))
    writer.encrypt("secret", algorithm="RC4-128")
    with (tmp_path / "locked.pdf").open("wb") as handle:
        writer.write(handle)
    with pytest.raises(RegistryFormatError, match=r"locked\.pdf: the PDF is encrypted with a password"):
        Registry.from_path(tmp_path)


def test_the_size_limit_applies_to_a_pdfs_text(tmp_path: Path) -> None:
    """max_source_chars counts the extracted text, naming the page where it is passed."""
    root = _pdf_registry(tmp_path, LETTER_PAGES)
    with pytest.raises(RegistryFormatError, match=r"letter\.pdf: page 2: .*max_source_chars=100"):
        Registry.from_path(root, config=quotecheck.Config(max_source_chars=100))


def test_without_pypdf_a_pdf_names_the_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading a PDF without the pdf extra is an error telling what to install."""
    root = _pdf_registry(tmp_path, LETTER_PAGES)
    monkeypatch.setitem(sys.modules, "pypdf", None)
    with pytest.raises(MissingExtra, match=r"letter\.pdf: reading PDF sources needs pypdf: pip install 'quotecheck\[pdf\]'"):
        Registry.from_path(root)


# -- saved web pages ------------------------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html><html><head><title>Statement</title><script>var tracking = "We choose to go";</script></head>
<body><nav><a href="/">Home</a> | <a href="/news">News</a></nav>
<article><h1>Statement on the harbour</h1>
<p>The port authority will not raise fees for fishing boats &amp; ferries before the end of the season.</p>
<p>Its chair, a well-known sailor, said the decision was final.</p></article>
<footer>Copyright 2024. All rights reserved.</footer></body></html>
"""


def test_a_saved_web_page_is_its_visible_text(tmp_path: Path) -> None:
    """Scripts and navigation are left out; a quotation is exact at offsets into the visible text, with a text fragment link."""
    (tmp_path / "statement.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "statement.toml").write_text('speaker = "Port Authority"\nurl = "https://example.org/statement"\n', encoding="utf-8")
    registry = Registry.from_path(tmp_path)
    statement = registry["statement"]
    assert statement.format is SourceFormat.HTML
    assert "tracking" not in statement.text
    assert "Home" not in statement.text
    quote = "will not raise fees for fishing boats & ferries before the end of the season"
    result = verify(quote, registry=registry, speaker="Port Authority")
    assert (result.verdict, result.flags) == (Verdict.EXACT, ())
    assert result.source is not None
    start = statement.text.index(quote)
    assert (result.source.start, result.source.end, result.source.paragraph) == (start, start + len(quote), 2)
    assert result.source.link == "https://example.org/statement#:~:text=will%20not%20raise%20fees,end%20of%20the%20season"


def test_a_text_sources_link_is_a_text_fragment() -> None:
    """The built-in letter is a web page: its link highlights the passage."""
    result = verify("IBM no longer offers general purpose IBM facial recognition or analysis software")
    assert result.source is not None
    assert result.source.link == (
        "https://www.ibm.com/policy/facial-recognition-sunset-racial-justice-reforms/"
        "#:~:text=IBM%20no%20longer%20offers,recognition%20or%20analysis%20software"
    )


def test_no_url_no_link(tmp_path: Path) -> None:
    """A source without a URL has no link."""
    result = verify("one two three four five six", registry=Registry.from_sources([quotecheck.Source("s", "one two three four five six.")]))
    assert result.source is not None
    assert result.source.link is None


_TERM_WORDS = st.text(st.characters(blacklist_categories=("Cs", "Zs", "Cc", "Zl", "Zp")), min_size=1, max_size=8)


@given(st.lists(_TERM_WORDS, min_size=1, max_size=20))
def test_a_text_fragment_decodes_to_the_passages_words(words: list[str]) -> None:
    """Each term of a text fragment holds no raw `-`, `,` or `&`, and decodes to the passage's first and last words."""
    fragment = text_fragment(" ".join(words))
    terms = fragment.split(",")
    assert len(terms) in (1, 2)
    assert all(not set(term) & set("-&, #") for term in terms)
    decoded = [urllib.parse.unquote(term) for term in terms]
    if len(terms) == 1:
        assert decoded == [" ".join(words)]
    else:
        assert decoded == [" ".join(words[:4]), " ".join(words[-4:])]


# -- sidecars -------------------------------------------------------------------------------------------------------


def test_a_sidecar_for_a_text_file_joins_its_header(tmp_path: Path) -> None:
    """A sidecar adds keys to a .txt file's +++ header."""
    (tmp_path / "speech.txt").write_text('+++\nspeaker = "Ann Lee"\n+++\nWe will build the bridge.\n', encoding="utf-8")
    (tmp_path / "speech.toml").write_text('url = "https://example.org/speech"\ndate = 2024-05-01\n', encoding="utf-8")
    speech = Registry.from_path(tmp_path)["speech"]
    assert (speech.speaker, speech.url, speech.date) == ("Ann Lee", "https://example.org/speech", "2024-05-01")


def test_a_full_name_sidecar_wins_over_a_stem_sidecar(tmp_path: Path) -> None:
    """`talk.vtt.toml` is the sidecar of `talk.vtt` even beside `talk.toml`."""
    shutil.copy(TRANSCRIPTS / f"{ROOSEVELT}.srt", tmp_path / "talk.srt")
    (tmp_path / "talk.toml").write_text('speaker = "Wrong"\n', encoding="utf-8")
    (tmp_path / "talk.srt.toml").write_text('speaker = "Franklin D. Roosevelt"\n', encoding="utf-8")
    assert Registry.from_path(tmp_path)["talk"].speaker == "Franklin D. Roosevelt"


@pytest.mark.parametrize(
    ("sidecar", "line", "message"),
    [
        ('speaker = "Ann"\nurl = https://x\n', 2, "sidecar is not valid TOML"),
        ('speaker = "Ann"\n\ncolour = "red"\n', 3, "unknown header key 'colour'"),
        ("speaker = 5\n", 1, "header key 'speaker' has the wrong type"),
    ],
)
def test_a_bad_sidecar_names_the_sidecar_and_line(tmp_path: Path, sidecar: str, line: int, message: str) -> None:
    """Invalid TOML, an unknown key or a wrong type in a sidecar: an error naming the sidecar and the line."""
    shutil.copy(TRANSCRIPTS / f"{ROOSEVELT}.srt", tmp_path / "talk.srt")
    (tmp_path / "talk.toml").write_text(sidecar, encoding="utf-8")
    with pytest.raises(RegistryFormatError, match=message) as info:
        Registry.from_path(tmp_path)
    assert (info.value.path, info.value.line) == (str(tmp_path / "talk.toml"), line)


def test_a_key_in_both_header_and_sidecar_is_an_error(tmp_path: Path) -> None:
    """The same key given twice is ambiguous: an error naming the sidecar's line."""
    (tmp_path / "speech.txt").write_text('+++\nspeaker = "Ann Lee"\n+++\nWe will build the bridge.\n', encoding="utf-8")
    (tmp_path / "speech.toml").write_text('title = "T"\nspeaker = "Bo"\n', encoding="utf-8")
    with pytest.raises(RegistryFormatError, match="'speaker' is also in the \\+\\+\\+ header") as info:
        Registry.from_path(tmp_path)
    assert info.value.line == 2


def test_a_lone_sidecar_is_not_a_source(tmp_path: Path) -> None:
    """A directory holding only a .toml file holds no source."""
    (tmp_path / "speech.toml").write_text('speaker = "Ann"\n', encoding="utf-8")
    with pytest.raises(quotecheck.InputError, match="holds no source"):
        Registry.from_path(tmp_path)


def test_warnings_do_not_fire_for_clean_sources(transcripts: Registry) -> None:
    """Loading well-formed transcripts warns of nothing."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(Registry.from_path(TRANSCRIPTS)) == len(transcripts)


# -- robustness and reports -----------------------------------------------------------------------------------------

_TRANSCRIPT_TEXT = st.lists(
    st.one_of(
        st.sampled_from(["WEBVTT", "", "NOTE x", "1", "00:01.000 --> 00:02.000", "00:00:03,000 --> 00:00:02,000", "<v Ann>hi", ">> yes"]),
        st.sampled_from(["00:02.000 --> 00:01.500", "00:00:01,000 --> 00:00:04,000", "&amp; <i>it</i>", "-->", "99:99.999 --> 1:00.000"]),
        st.text(max_size=30),
    ),
    max_size=20,
).map("\n".join)


@given(_TRANSCRIPT_TEXT, st.sampled_from([read_vtt, read_srt]))
@settings(max_examples=300)
def test_any_text_reads_as_a_transcript_or_raises_a_registry_format_error(content: str, reader: object) -> None:
    """Whatever the input, a reader returns cues in order with spans inside the text, or raises RegistryFormatError."""
    try:
        extracted = reader(content, path="t")  # type: ignore[operator]
    except RegistryFormatError as exc:
        message = str(exc)
    else:
        message = None
    if message is not None:
        assert message.startswith("t")
        return
    previous_end, previous_time = 0, 0.0
    for cue in extracted.cues:
        assert previous_end <= cue.start < cue.end <= len(extracted.text)
        assert extracted.text[cue.start : cue.end].strip() == extracted.text[cue.start : cue.end]
        assert previous_time <= cue.time <= cue.end_time
        previous_end, previous_time = cue.end, cue.time


@given(st.integers(9, 2000), st.binary(min_size=1, max_size=8))
@settings(max_examples=40, deadline=None)
def test_a_mangled_pdf_loads_or_raises_a_registry_format_error(tmp_path_factory: pytest.TempPathFactory, at: int, junk: bytes) -> None:
    """Bytes overwritten anywhere in a PDF: it loads, or is left out with a warning, or is an error naming it."""
    data = bytearray(pdf_bytes(LETTER_PAGES))
    data[at : at + len(junk)] = junk
    root = tmp_path_factory.mktemp("mangled")
    (root / "letter.pdf").write_bytes(bytes(data))
    (root / "other.txt").write_text("Some words of another source.\n", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SourceWarning)
        try:
            registry = Registry.from_path(root)
        except RegistryFormatError as exc:
            message = str(exc)
        else:
            message = None
    if message is not None:
        assert "letter.pdf" in message
        return
    assert "other" in registry


def test_the_html_and_markdown_reports_link_to_the_passage(transcripts: Registry) -> None:
    """Both reports make the source's name a link to the moment, and say the time."""
    report = quotecheck.check('"the only thing we have to fear is fear itself," Roosevelt said.', registry=transcripts)
    markdown = quotecheck.render_markdown(report)
    assert f"[{ROOSEVELT}](<{ROOSEVELT_URL}#t=15>) ¶2, at 0:15–0:21" in markdown
    page = quotecheck.render_html(report)
    assert f'<a href="{ROOSEVELT_URL}#t=15" rel="noopener noreferrer">{ROOSEVELT}</a>' in page
    assert "at 0:15–0:21" in page
    text = quotecheck.render_text(report)
    assert f"link: {ROOSEVELT_URL}#t=15" in text


def test_the_cli_checks_an_article_against_transcripts_and_a_pdf(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`quotecheck check --registry` over a folder of a transcript and a PDF: JSON with time, page and links, end to end."""
    import json

    from quotecheck.cli import main

    registry = tmp_path / "registry"
    shutil.copytree(TRANSCRIPTS, registry)
    _pdf_registry(registry, LETTER_PAGES)
    article = tmp_path / "article.txt"
    article.write_text(
        '"We choose to go to the moon in this decade," Kennedy said. '
        'The port authority said it "will not raise fees for fishing boats before the end of the season."\n',
        encoding="utf-8",
    )
    assert main(["check", "--registry", str(registry), "--format", "json", str(article)]) == 0
    quotes = json.loads(capsys.readouterr().out)["articles"][0]["quotes"]
    sources = [(q["verdict"], q["source"]["id"], q["source"]["page"], q["source"]["time"], q["source"]["link"]) for q in quotes]
    assert sources == [
        ("exact", KENNEDY, None, 21.0, f"{KENNEDY_URL}#t=21"),
        ("exact", "letter", 2, None, "https://example.org/letter.pdf#page=2"),
    ]


def test_the_command_line_shows_a_source_warning_as_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`quotecheck sources` on a registry with a scanned PDF prints `quotecheck: warning: ...` and lists the rest."""
    from quotecheck.cli import main

    root = _pdf_registry(tmp_path, [[], []], sidecar=None)
    (tmp_path / "other.txt").write_text("Some words of another source.\n", encoding="utf-8")
    assert main(["sources", "--registry", str(root)]) == 0
    out, err = capsys.readouterr()
    assert "other" in out
    assert [line for line in err.splitlines() if line] == [line for line in err.splitlines() if line.startswith("quotecheck: warning: ")]
    assert "the PDF has no text layer" in err
    assert "SourceWarning" not in err
