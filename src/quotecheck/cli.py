"""The command line: arguments in, files read, report out, exit status.

No matching or formatting happens here: it calls the public API and maps
errors to exit codes.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

import attrs

from quotecheck.check import ArticleCheck, Report, Verdict, check_stream, iter_article_paths, verify
from quotecheck.config import DEFAULT_CONFIG, Config
from quotecheck.errors import QuotecheckError
from quotecheck.registry import Registry, builtin_registry
from quotecheck.report import RENDERERS, STREAM_WRITERS, _safe, render_quote_json

__all__ = ["main"]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2
EXIT_INTERRUPTED = 130  # as a shell reports a process stopped by Ctrl-C
DEFAULT_FAIL_ON = (Verdict.ALTERED, Verdict.PARAPHRASE)

_CHECK_EPILOG = """examples:
  quotecheck check article.txt
  quotecheck check --format json articles/ > report.json
  quotecheck check --format jsonl archive/ > results.jsonl
  quotecheck check --registry my-sources/ draft.md
  quotecheck check --fail-on altered --fail-on unsourced draft.md
  cat article.txt | quotecheck check -

exit status: 0 when no quotation has a failing verdict (by default altered or
paraphrase), 1 when one has, 2 for a usage error or when no article could be read
"""
_VERIFY_EPILOG = """examples:
  quotecheck verify "IBM firmly opposes and will condone uses of any technology"
  quotecheck verify --speaker Krishna --format json "a national dialogue"
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="quotecheck", description="Check quotations against their canonical sources, word by word.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check_cmd = commands.add_parser(
        "check", help="check every quotation in articles", epilog=_CHECK_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    check_cmd.add_argument("paths", nargs="+", metavar="PATH", help="article file, directory of articles, or - for standard input")
    _common(check_cmd, formats=sorted({*RENDERERS, *STREAM_WRITERS}))
    check_cmd.add_argument("--exit-zero", action="store_true", help="exit 0 even when quotations have a failing verdict")
    check_cmd.add_argument(
        "--max-article-chars",
        type=int,
        metavar="N",
        help=f"reject longer articles with an error (default: {DEFAULT_CONFIG.max_article_chars:,})",
    )
    check_cmd.add_argument(
        "--max-quote-words",
        type=int,
        metavar="N",
        help=f"do not align longer quotations; flag them too_long (default: {DEFAULT_CONFIG.max_quote_words:,})",
    )
    check_cmd.add_argument(
        "--fail-on",
        action="append",
        choices=[v.value for v in Verdict],
        metavar="VERDICT",
        help="a verdict that makes the exit status 1; repeat for several (default: altered and paraphrase)",
    )
    verify_cmd = commands.add_parser(
        "verify", help="check one bare quotation", epilog=_VERIFY_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    verify_cmd.add_argument("text", metavar="TEXT", help="the quotation")
    verify_cmd.add_argument("--speaker", metavar="NAME", help="who the quotation is attributed to")
    _common(verify_cmd, formats=sorted(RENDERERS))
    return parser


def _common(command: argparse.ArgumentParser, *, formats: list[str]) -> None:
    command.add_argument("--registry", metavar="PATH", help="directory of source files (default: the built-in Krishna registry)")
    command.add_argument("--format", choices=formats, default="text", help="output format (default: text)")
    command.add_argument(
        "--max-source-chars",
        type=int,
        metavar="N",
        help=f"refuse a longer registry source with an error (default: {DEFAULT_CONFIG.max_source_chars:,})",
    )


def _colour(stream: object) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set."""
    return "NO_COLOR" not in os.environ and bool(getattr(stream, "isatty", lambda: False)())


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except KeyboardInterrupt:
        print("quotecheck: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`quotecheck check ... | head`): stop quietly,
        # and keep Python from complaining again when it flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_ERROR


def _run(args: argparse.Namespace) -> int:
    try:
        config = _config(args)
        registry = Registry.from_path(args.registry, config=config) if args.registry else builtin_registry()
    except (QuotecheckError, ValueError) as exc:
        print(f"quotecheck: error: {_safe(str(exc))}", file=sys.stderr)
        return EXIT_ERROR
    if args.command == "verify":
        return _verify(args, registry)
    return _check(args, registry, config)


def _config(args: argparse.Namespace) -> Config:
    """The defaults, with the limits given on the command line."""
    limits = {name: getattr(args, name, None) for name in ("max_article_chars", "max_quote_words", "max_source_chars")}
    return attrs.evolve(DEFAULT_CONFIG, **{name: value for name, value in limits.items() if value is not None})


def _verify(args: argparse.Namespace, registry: Registry) -> int:
    result = verify(args.text, registry=registry, speaker=args.speaker)
    if args.format == "json":
        sys.stdout.write(render_quote_json(result) + "\n")
    else:
        sys.stdout.write(RENDERERS[args.format](Report((ArticleCheck("<argument>", (result,)),)), colour=_colour(sys.stdout)))
    return EXIT_FINDINGS if result.verdict in DEFAULT_FAIL_ON else EXIT_OK


def _check(args: argparse.Namespace, registry: Registry, config: Config = DEFAULT_CONFIG) -> int:
    fail_on = {Verdict(v) for v in args.fail_on} if args.fail_on else set(DEFAULT_FAIL_ON)
    articles: list[ArticleCheck] = []
    stream = STREAM_WRITERS.get(args.format)
    for article in check_stream(iter_article_paths(args.paths), registry=registry, config=config):
        articles.append(article)
        if article.error is not None:
            print(f"quotecheck: error: {_safe(article.error)}", file=sys.stderr)
        if stream is not None:
            sys.stdout.write(stream(article))
            sys.stdout.flush()
    report = Report(tuple(articles))
    if stream is None:
        sys.stdout.write(RENDERERS[args.format](report, colour=_colour(sys.stdout)))
    if not articles or all(a.error is not None for a in articles):
        return EXIT_ERROR
    if not args.exit_zero and any(q.verdict in fail_on for q in report.quotes):
        return EXIT_FINDINGS
    return EXIT_OK
