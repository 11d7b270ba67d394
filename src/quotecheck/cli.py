"""The command line: arguments in, files read, report out, exit status.

No matching or formatting happens here: it calls the public API.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from quotecheck.check import ArticleCheck, Report, Verdict, check, check_files, verify
from quotecheck.errors import QuotecheckError
from quotecheck.registry import Registry, builtin_registry
from quotecheck.report import RENDERERS, render_quote_json

__all__ = ["main"]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2
FAILING = frozenset({Verdict.ALTERED, Verdict.PARAPHRASE})

_CHECK_EPILOG = """examples:
  quotecheck check article.txt
  quotecheck check --format json articles/ > report.json
  quotecheck check --registry my-sources/ draft.md
  cat article.txt | quotecheck check -

exit status: 0 no quotation altered or paraphrased, 1 some are, 2 usage or input error
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
    check_cmd.add_argument("paths", nargs="+", metavar="PATH", help="article file, directory of .txt/.md files, or - for standard input")
    _common(check_cmd)
    check_cmd.add_argument("--exit-zero", action="store_true", help="exit 0 even when quotations are altered")
    verify_cmd = commands.add_parser(
        "verify", help="check one bare quotation", epilog=_VERIFY_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    verify_cmd.add_argument("text", metavar="TEXT", help="the quotation")
    verify_cmd.add_argument("--speaker", metavar="NAME", help="who the quotation is attributed to")
    _common(verify_cmd)
    return parser


def _common(command: argparse.ArgumentParser) -> None:
    command.add_argument("--registry", metavar="PATH", help="directory of source files (default: the built-in Krishna registry)")
    command.add_argument("--format", choices=sorted(RENDERERS), default="text", help="output format (default: text)")


def _colour(stream: object) -> bool:
    return "NO_COLOR" not in os.environ and bool(getattr(stream, "isatty", lambda: False)())


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        registry = Registry.from_path(args.registry) if args.registry else builtin_registry()
    except (QuotecheckError, ValueError) as exc:
        print(f"quotecheck: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    if args.command == "verify":
        result = verify(args.text, registry=registry, speaker=args.speaker)
        if args.format == "json":
            sys.stdout.write(render_quote_json(result) + "\n")
        else:
            sys.stdout.write(RENDERERS[args.format](Report((ArticleCheck("<argument>", (result,)),)), colour=_colour(sys.stdout)))
        return EXIT_FINDINGS if result.verdict in FAILING else EXIT_OK
    report = _check_paths(args.paths, registry)
    sys.stdout.write(RENDERERS[args.format](report, colour=_colour(sys.stdout)))
    for article in report.articles:
        if article.error is not None:
            print(f"quotecheck: error: {article.error}", file=sys.stderr)
    if all(a.error is not None for a in report.articles):
        return EXIT_ERROR
    if not args.exit_zero and any(q.verdict in FAILING for q in report.quotes):
        return EXIT_FINDINGS
    return EXIT_OK


def _check_paths(paths: Sequence[str], registry: Registry) -> Report:
    articles: list[ArticleCheck] = []
    for path in paths:
        if path == "-":
            articles.extend(check(sys.stdin.read(), registry=registry, path="-").articles)
        else:
            articles.extend(check_files([path], registry=registry).articles)
    return Report(tuple(articles))
