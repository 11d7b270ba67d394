"""HTML articles: the text a reader sees, and <q> and <blockquote> as quotations."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import quotecheck
from quotecheck import QuoteKind, Verdict
from quotecheck.reading._io import declared_charset, decode
from quotecheck.reading.markup import looks_like_html, read_html

PAGE = """<!DOCTYPE html>
<html><head><title>Not the article</title><style>p { color: red }</style><script>var x = "<q>no</q>";</script></head>
<body><nav>Home | News</nav>
<article>
<h1>IBM   quits facial recognition</h1>
<p>Krishna wrote: <q>IBM firmly opposes and will condone uses of any technology</q>, in the letter.</p>
<p>He added, \u201cWe believe now is the time to begin a national dialogue.\u201d</p>
<blockquote><p>IBM no longer offers general purpose IBM facial recognition or analysis software.</p></blockquote>
<p>Tom &amp; Jerry&nbsp;said &lt;nothing&gt;.</p>
</article>
<footer>Copyright</footer></body></html>
"""


def test_the_text_is_what_a_reader_sees() -> None:
    """Head, scripts, navigation and footer are left out; blocks are paragraphs; references are decoded."""
    article = read_html(PAGE)
    assert article.text.startswith("IBM quits facial recognition\n\nKrishna wrote: IBM firmly opposes")
    assert "Not the article" not in article.text
    assert "Home" not in article.text
    assert "Copyright" not in article.text
    assert "Tom & Jerry\u00a0said <nothing>." in article.text


def test_q_and_blockquote_are_quotations_with_their_element_spans() -> None:
    """Each <q> and <blockquote> is a quotation; its span indexes the text and its tag span the HTML."""
    article = read_html(PAGE)
    texts = [article.text[q.start : q.end] for q in article.quotes]
    assert texts == [
        "IBM firmly opposes and will condone uses of any technology",
        "IBM no longer offers general purpose IBM facial recognition or analysis software.",
    ]
    assert [q.kind for q in article.quotes] == [QuoteKind.QUOTATION, QuoteKind.BLOCKQUOTE]
    assert [PAGE[s:e][:4] for s, e in article.tags] == ["<q>I", "<blo"]
    assert PAGE[article.tags[0][0] : article.tags[0][1]].endswith("technology</q>")
    assert PAGE[article.tags[1][0] : article.tags[1][1]].endswith("software.</p></blockquote>")


def test_check_reads_html_quotations_and_quotation_marks() -> None:
    """check() finds the <q>, the <blockquote> and the quotation in marks, and reports each element's tag span."""
    report = quotecheck.check(PAGE)
    quotes = report.quotes
    assert [q.verdict for q in quotes] == [Verdict.ALTERED, Verdict.EXACT, Verdict.EXACT]
    assert quotes[0].tag is not None
    assert PAGE[quotes[0].tag[0] : quotes[0].tag[1]].startswith("<q>")
    assert quotes[1].tag is None
    assert quotes[0].to_dict()["tag"] == list(quotes[0].tag)


def test_html_files_are_walked_and_read(tmp_path: Path) -> None:
    """A directory's .html files are articles too."""
    (tmp_path / "nested").mkdir()
    (tmp_path / "nested" / "page.html").write_text(PAGE, encoding="utf-8")
    report = quotecheck.check_files([tmp_path])
    assert [a.path for a in report.articles] == [str(tmp_path / "nested" / "page.html")]
    assert len(report.quotes) == 3


def test_a_fragment_with_a_q_is_html_only_by_its_suffix(tmp_path: Path) -> None:
    """Text that is not clearly an HTML document is read as text, unless its file is .html."""
    fragment = "He wrote <q>IBM no longer offers general purpose IBM facial recognition or analysis software</q>."
    assert not looks_like_html(fragment)
    path = tmp_path / "fragment.html"
    path.write_text(fragment, encoding="utf-8")
    report = quotecheck.check_files([path])
    assert [q.verdict for q in report.quotes] == [Verdict.EXACT]


def test_unclosed_quotation_elements_run_to_the_end() -> None:
    """A <q> never closed is a quotation to the end of the text."""
    article = read_html("<p>She said <q>we will not stop")
    assert [article.text[q.start : q.end] for q in article.quotes] == ["we will not stop"]


@given(st.text(max_size=200))
def test_any_markup_reads_without_error_and_spans_index_the_text(html: str) -> None:
    """Whatever the input, reading never fails and every span lies inside the text and the HTML."""
    article = read_html(html)
    for quote, (start, end) in zip(article.quotes, article.tags, strict=True):
        assert 0 <= quote.start < quote.end <= len(article.text)
        assert 0 <= start < end <= len(html)


def test_meta_charset_selects_the_encoding() -> None:
    """A page declaring windows-1252 is decoded as such; Latin-1 labels mean windows-1252, as in browsers."""
    page = '<html><head><meta charset="iso-8859-1"></head><body><p>\u201cCaf\u00e9\u201d</p></body></html>'
    assert decode(page.encode("cp1252"), name="page.html") == page
    assert declared_charset(b'<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">') == "shift_jis"


def test_a_mislabelled_utf8_page_decodes_to_repairable_mojibake() -> None:
    """UTF-8 bytes under a windows-1252 label decode without error (undefined bytes as C1 controls)."""
    page = '<meta charset="windows-1252"><p>\u201cquoted\u201d</p>'
    text = decode(page.encode("utf-8"), name="page.html")
    assert "\u00e2\u20ac" in text


def test_an_unknown_charset_is_an_error_naming_the_file() -> None:
    """A declared charset Python does not know is an InputError naming the file and the charset."""
    with pytest.raises(quotecheck.InputError, match=r"page\.html: .*klingon-8"):
        decode(b'<meta charset="klingon-8"><p>x</p>', name="page.html")


def test_a_bom_wins_over_meta_charset() -> None:
    """A UTF-16 byte-order mark decides the encoding, whatever the meta says."""
    page = '<meta charset="windows-1252"><p>\u201cquoted\u201d</p>'
    assert decode(page.encode("utf-16"), name="page.html") == page


def test_the_text_report_names_the_element(tmp_path: Path) -> None:
    """The text report shows where a <q> or <blockquote> element is in the HTML file."""
    report = quotecheck.check(PAGE, path="page.html")
    tag = report.quotes[0].tag
    assert tag is not None
    assert f"element: characters {tag[0]}-{tag[1]} of the HTML" in quotecheck.render_text(report)


PAGES = Path(__file__).parent.parent / "fixtures" / "pages"


def test_boilerplate_is_left_out_of_a_page_without_article_or_main() -> None:
    """Byline, caption, most-read list, related links and share bar are not the article's text."""
    text = read_html((PAGES / "ledger.html").read_text(encoding="utf-8")).text
    assert "IBM no longer offers general purpose" in text
    assert "The letter also called for police reform." in text
    for furniture in ("By Jo Reed", "Most read", "Related:", "Share on X", "will offer general purpose facial recognition"):
        assert furniture not in text


def test_a_link_dense_block_without_a_class_is_left_out() -> None:
    """A list whose text is mostly links is boilerplate, whatever its class."""
    text = read_html((PAGES / "sentinel.html").read_text(encoding="utf-8")).text
    assert "will sell facial recognition to police" not in text
    assert "national dialogue" in text


def test_a_widget_headline_is_not_checked_as_the_outlets_quotation() -> None:
    """On the saved page, only the article's own quotation is checked, and it is exact."""
    report = quotecheck.check_files([PAGES / "ledger.html"])
    assert [q.verdict for q in report.quotes] == [Verdict.EXACT]


def test_a_paragraph_with_a_few_links_stays() -> None:
    """Prose with links in it is not link-dense: it is the article."""
    html = '<html><body><div><p>Krishna <a href="/k">wrote</a> to Congress that IBM will act on the matter soon.</p></div></body></html>'
    assert "Krishna wrote to Congress" in read_html(html).text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<p>Krishna wrote <q>we will</q>.</p>", True),
        ('<div class="story"><p>Text.</p></div>', True),
        ("<article><p>Text.</p></article>", True),
        ("He wrote <q>we will</q>.", False),
        ("<p> is how HTML marks a paragraph.", False),
        ('<div align="center"><img src="logo.png"></div>\n\n# Title\n\n> A block quote.\n', False),
        ("Plain text.", False),
    ],
)
def test_html_fragments_are_sniffed(text: str, expected: bool) -> None:
    """A fragment that opens and closes a block element is HTML (standard input has no suffix to tell)."""
    assert looks_like_html(text) is expected


@given(
    st.lists(
        st.sampled_from(
            [
                "<div class='related'>",
                "<ul>",
                "<li>",
                "<a href='#'>",
                "</a>",
                "</li>",
                "</ul>",
                "</div>",
                "<p>",
                "</p>",
                "text ",
                "<figcaption>",
                "</figcaption>",
            ]
        ),
        max_size=30,
    )
)
def test_boilerplate_removal_never_fails_and_spans_index_the_text(pieces: list[str]) -> None:
    """Any nesting of widgets, lists and links reads without error, and quotations index the text."""
    article = read_html("<html><body>" + "".join(pieces) + "<q>we will act</q></body></html>")
    assert all(0 <= q.start < q.end <= len(article.text) for q in article.quotes)
