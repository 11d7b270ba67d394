"""quotecheck: check quotations in articles against their canonical sources, word by word."""

from quotecheck.checking.article import check, verify
from quotecheck.checking.batch import check_files, check_stream
from quotecheck.config import DEFAULT_CONFIG, Config
from quotecheck.errors import (
    ConfigFileError,
    InputError,
    InvalidArgument,
    ManifestError,
    MissingExtra,
    QuotecheckError,
    RegistryFormatError,
    SourceNotFound,
)
from quotecheck.judging.results import ArticleCheck, Finding, Flag, QuoteCheck, Report, SourceMatch, Verdict
from quotecheck.matching.align import Alignment, Opcode
from quotecheck.matching.classify import Category, Variant, VariantKind
from quotecheck.provenance import Corpus, Evidence, Family, Link, PrintedVariant, Printing, corpus, corpus_files
from quotecheck.reading.extract import Quote, QuoteKind
from quotecheck.reading.metadata import ArticleMeta, parse_metadata, read_manifest
from quotecheck.rendering.corpus_report import render_corpus_html, render_corpus_json, render_corpus_text
from quotecheck.rendering.report import DiffPiece, WordDiff, render_html, render_json, render_markdown, render_text, word_diff
from quotecheck.sources.registry import Embedded, Paragraph, Registry, Source, builtin_registry

__all__ = [
    "DEFAULT_CONFIG",
    "Alignment",
    "ArticleCheck",
    "ArticleMeta",
    "Category",
    "Config",
    "ConfigFileError",
    "Corpus",
    "DiffPiece",
    "Embedded",
    "Evidence",
    "Family",
    "Finding",
    "Flag",
    "InputError",
    "InvalidArgument",
    "Link",
    "ManifestError",
    "MissingExtra",
    "Opcode",
    "Paragraph",
    "PrintedVariant",
    "Printing",
    "Quote",
    "QuoteCheck",
    "QuoteKind",
    "QuotecheckError",
    "Registry",
    "RegistryFormatError",
    "Report",
    "Source",
    "SourceMatch",
    "SourceNotFound",
    "Variant",
    "VariantKind",
    "Verdict",
    "WordDiff",
    "builtin_registry",
    "check",
    "check_files",
    "check_stream",
    "corpus",
    "corpus_files",
    "parse_metadata",
    "read_manifest",
    "render_corpus_html",
    "render_corpus_json",
    "render_corpus_text",
    "render_html",
    "render_json",
    "render_markdown",
    "render_text",
    "verify",
    "word_diff",
]
__version__ = "0.1.0"  # the one place the version is written: pyproject.toml reads it (hatch's version source)
