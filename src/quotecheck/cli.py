"""The command line: arguments in, files read, report out, exit status.

No matching or formatting happens here: it calls the public API and maps
errors to exit codes.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
import tomllib
import traceback
import warnings
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TextIO

import attrs

from quotecheck import __version__
from quotecheck._escape import visible
from quotecheck.checking.article import verify
from quotecheck.checking.batch import check_stream, iter_article_paths
from quotecheck.config import DEFAULT_CONFIG, INPUT_FORMATS, Config
from quotecheck.errors import ConfigFileError, QuotecheckError
from quotecheck.judging.results import DEFAULT_FAIL_ON, ArticleCheck, Report, Verdict
from quotecheck.provenance import corpus_files
from quotecheck.reading._io import read_text
from quotecheck.rendering.corpus_report import CORPUS_RENDERERS
from quotecheck.rendering.report import (
    RENDERERS,
    STREAM_WRITERS,
    render_github,
    render_quote_json,
    render_sources_json,
    render_sources_text,
    render_text,
)
from quotecheck.review import REVIEW_FILE, accepted_keys, findings_to_accept, read_reviewed, write_reviewed
from quotecheck.sources.index import save_for
from quotecheck.sources.registry import Registry, builtin_registry

__all__ = ["main"]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2
EXIT_INTERNAL = 70  # EX_SOFTWARE (sysexits.h): a bug in quotecheck, never a finding or bad input
EXIT_INTERRUPTED = 130  # as a shell reports a process stopped by Ctrl-C

_CHECK_EPILOG = """examples:
  quotecheck check article.txt
  quotecheck check --format json articles/ > report.json
  quotecheck check --format jsonl archive/ > results.jsonl
  quotecheck check --format html articles/ > report.html
  quotecheck check --format markdown draft.html > correction-note.md
  quotecheck check --format csv articles/ > quotations.csv
  quotecheck check --format github articles/        # annotations in a GitHub Actions job
  quotecheck check --registry my-sources/ draft.md
  quotecheck check --fail-on altered draft.md         # altered or worse
  quotecheck check --fail-on altered,unsourced draft.md
  quotecheck check --accept articles/                  # after review: these findings no longer fail
  cat article.txt | quotecheck check -

exit status: 0 when no quotation has a failing verdict (by default altered or
paraphrase; --fail-on VERDICT: that verdict or worse), 1 when one has, 2 for a usage error, when no article could be read
or the output cannot be written, 70 for an internal error (a bug: please report it)

Directories are walked recursively for .txt, .md, .html and .htm files. In an
HTML article, <q> and <blockquote> elements are quotations too. Colour (--color
auto) only on a terminal, never when NO_COLOR is set and not empty, always when
FORCE_COLOR is; a progress bar on standard error when it is a terminal and there
are several articles.
"""
_CORPUS_EPILOG = """examples:
  quotecheck corpus articles/
  quotecheck corpus --manifest articles/manifest.csv --format html articles/ > provenance.html
  quotecheck corpus --format json archive/ > provenance.json

a manifest is CSV (with a header row) or JSON Lines with a `path` column (relative
to the manifest) and any of date, outlet, url, title; without one, dates come
from front matter or a date line at the top of each article

exit status: 0 when the corpus was grouped, 2 for a usage error, a bad manifest,
when no article could be read or the output cannot be written, 70 for an
internal error (a bug: please report it)
"""
_INDEX_EPILOG = """examples:
  quotecheck index --registry my-sources/
  QUOTECHECK_CACHE_DIR=/data/qc quotecheck index --registry my-sources/

quotecheck check finds a saved index by the registry's content hash; an index
of another version of the registry is never used
"""
_VERIFY_EPILOG = """examples:
  quotecheck verify "IBM firmly opposes and will condone uses of any technology"
  quotecheck verify --speaker Krishna --format json "a national dialogue"
  quotecheck verify --registry my-sources/ --format markdown "the words as printed"
"""
_SOURCES_EPILOG = """examples:
  quotecheck sources
  quotecheck sources --registry my-sources/
  quotecheck sources --registry my-sources/ --format json > sources.json
"""
_MAIN_EPILOG = """examples:
  quotecheck check articles/
  quotecheck check --format html articles/ > report.html
  quotecheck verify "IBM firmly opposes and will condone uses of any technology"
  quotecheck sources --registry my-sources/

Run "quotecheck COMMAND --help" for each command's options.
"""


_CHECK_FORMATS = tuple(sorted({*RENDERERS, *STREAM_WRITERS}))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="quotecheck",
        description="Check quotations against their canonical sources, word by word.",
        epilog=_MAIN_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--debug", action="store_true", help="on an internal error, print the traceback (or set QUOTECHECK_DEBUG=1)")
    parser.add_argument(
        "--no-config", action="store_true", help="ignore [tool.quotecheck] in pyproject.toml (by default the nearest one is read)"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check_cmd = commands.add_parser(
        "check", help="check every quotation in articles", epilog=_CHECK_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    check_cmd.add_argument("paths", nargs="+", metavar="PATH", help="article file, directory of articles, or - for standard input")
    _common(check_cmd, formats=list(_CHECK_FORMATS))
    check_cmd.add_argument("--exit-zero", action="store_true", help="exit 0 even when quotations have a failing verdict")
    check_cmd.add_argument(
        "--accept",
        action="store_true",
        help=f"accept every failing quotation after review: add it to the review file ({REVIEW_FILE}) and exit 0",
    )
    check_cmd.add_argument(
        "--reviewed",
        metavar="FILE",
        help=f"the review file of accepted findings (default: {REVIEW_FILE} in the working directory, when it exists)",
    )
    check_cmd.add_argument("--jobs", type=_jobs, metavar="N", help="check articles in N processes (default: 1)")
    _colour_option(check_cmd)
    _article_limits(check_cmd)
    check_cmd.add_argument(
        "--fail-on",
        action="append",
        type=_verdicts,
        metavar="VERDICT",
        help="exit 1 on this verdict or a worse one (altered: altered, paraphrase, unsourced); a comma list "
        "(altered,unsourced) or repeated options fail on exactly those verdicts (default: altered,paraphrase)",
    )
    index_cmd = commands.add_parser(
        "index",
        help="build a registry's index and save it, so later checks load it instead of building it",
        epilog=_INDEX_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    index_cmd.add_argument("--registry", metavar="PATH", help="directory of source files (default: the built-in Krishna registry)")
    index_cmd.add_argument(
        "--cache-dir",
        metavar="DIR",
        help="where to save it (default: $QUOTECHECK_CACHE_DIR, else $XDG_CACHE_HOME/quotecheck, else ~/.cache/quotecheck)",
    )
    _source_limit(index_cmd)
    _debug(index_cmd)
    verify_cmd = commands.add_parser(
        "verify", help="check one bare quotation", epilog=_VERIFY_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    verify_cmd.add_argument("text", metavar="TEXT", help="the quotation")
    verify_cmd.add_argument("--speaker", metavar="NAME", help="who the quotation is attributed to")
    _common(verify_cmd, formats=sorted(RENDERERS))
    _colour_option(verify_cmd)
    sources_cmd = commands.add_parser(
        "sources",
        help="list a registry's sources: id, speaker, date, completeness, hash",
        epilog=_SOURCES_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _common(sources_cmd, formats=["json", "text"])
    corpus_cmd = commands.add_parser(
        "corpus",
        help="group a corpus's quotations by source passage and find likely copies",
        epilog=_CORPUS_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    corpus_cmd.add_argument("paths", nargs="+", metavar="PATH", help="article file or directory of articles")
    corpus_cmd.add_argument("--manifest", metavar="FILE", help="CSV or JSON Lines of article metadata (path, date, outlet, url, title)")
    corpus_cmd.add_argument("--jobs", type=_jobs, metavar="N", help="check articles in N processes (default: 1)")
    _common(corpus_cmd, formats=list(CORPUS_RENDERERS))
    _article_limits(corpus_cmd)
    return parser


def _debug(command: argparse.ArgumentParser) -> None:
    # SUPPRESS: given after the command it sets the flag; absent, it leaves the main parser's default alone.
    command.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="on an internal error, print the traceback")


def _common(command: argparse.ArgumentParser, *, formats: list[str]) -> None:
    _debug(command)
    command.add_argument("--registry", metavar="PATH", help="directory of source files (default: the built-in Krishna registry)")
    command.add_argument("--format", choices=formats, help="output format (default: text)")
    _source_limit(command)


def _source_limit(command: argparse.ArgumentParser) -> None:
    _count(command, "--max-source-chars", f"refuse a longer registry source with an error (default: {DEFAULT_CONFIG.max_source_chars:,})")


def _article_limits(command: argparse.ArgumentParser) -> None:
    _count(command, "--max-article-chars", f"reject longer articles with an error (default: {DEFAULT_CONFIG.max_article_chars:,})")
    _count(command, "--max-quote-words", f"leave longer quotations unaligned: too_long (default: {DEFAULT_CONFIG.max_quote_words:,})")
    command.add_argument(
        "--input-format",
        choices=INPUT_FORMATS,
        help="read articles as HTML or as text, whatever their name and look (default: auto, by suffix and content)",
    )


def _count(command: argparse.ArgumentParser, flag: str, text: str) -> None:
    command.add_argument(flag, type=int, metavar="N", help=text)


def _jobs(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"--jobs={value!r} must be a whole number of processes, at least 1")
    return jobs


def _verdicts(value: str) -> tuple[Verdict, ...]:
    """`--fail-on`'s value: one verdict or a comma list of them."""
    names = [name.strip() for name in value.split(",") if name.strip()]
    unknown = [name for name in names if name not in {v.value for v in Verdict}]
    if not names or unknown:
        raise argparse.ArgumentTypeError(
            f"--fail-on={value!r} must be a verdict or a comma list of verdicts, from {', '.join(Verdict)}"
        )
    return tuple(Verdict(name) for name in names)


def _fail_on(given: Sequence[Sequence[Verdict]] | None) -> frozenset[Verdict]:
    """The verdicts that fail a check, from each `--fail-on` given.

    One option naming one verdict means that verdict or worse; a comma list,
    or several options, mean exactly the verdicts named (the older form).
    Nothing given means the default, `altered` and `paraphrase`.

    >>> sorted(_fail_on([[Verdict.ALTERED]]))
    [<Verdict.ALTERED: 'altered'>, <Verdict.PARAPHRASE: 'paraphrase'>, <Verdict.UNSOURCED: 'unsourced'>]
    >>> sorted(_fail_on([[Verdict.ALTERED], [Verdict.UNSOURCED]]))
    [<Verdict.ALTERED: 'altered'>, <Verdict.UNSOURCED: 'unsourced'>]
    """
    if not given:
        return DEFAULT_FAIL_ON
    if len(given) == 1 and len(given[0]) == 1:
        return frozenset(v for v in Verdict if v >= given[0][0])
    return frozenset(v for names in given for v in names)


def _colour_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--color",
        choices=["auto", "always", "never"],
        help="colour the text report: auto (default) on a terminal unless NO_COLOR is set and not empty, or when "
        "FORCE_COLOR is set and not empty; always (for `| less -R`); never",
    )


def _use_colour(mode: str, stream: object, environ: Mapping[str, str]) -> bool:
    """Whether to colour output to `stream`, by `--color` and the environment.

    `always` and `never` win. `auto` follows no-color.org and force-color.org:
    `NO_COLOR` set to a non-empty value turns colour off, then `FORCE_COLOR`
    set to a non-empty value turns it on; an empty value of either counts as
    unset. Otherwise colour only on a terminal whose `TERM` is not `dumb`.

    >>> _use_colour("auto", None, {"FORCE_COLOR": "1"}), _use_colour("auto", None, {"FORCE_COLOR": "1", "NO_COLOR": "1"})
    (True, False)
    """
    if mode != "auto":
        return mode == "always"
    if environ.get("NO_COLOR"):
        return False
    if environ.get("FORCE_COLOR"):
        return True
    return environ.get("TERM") != "dumb" and bool(getattr(stream, "isatty", lambda: False)())


def _colour(args: argparse.Namespace) -> bool:
    return _use_colour(getattr(args, "color", "auto"), sys.stdout, os.environ)


class _Progress:
    """A one-line progress bar on a terminal's standard error, for batches of articles.

    Silent when the stream is not a terminal or there is only one article,
    so pipes and logs never see it.
    """

    WIDTH = 24

    def __init__(self, total: int, stream: TextIO, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.total = total
        self.stream = stream
        self.count = 0
        self.shown = total > 1 and bool(getattr(stream, "isatty", lambda: False)())
        self.clock = clock
        self.started = clock()

    def step(self, path: str) -> None:
        self.count += 1
        if not self.shown:
            return
        filled = self.WIDTH * self.count // self.total
        shown = visible(path)  # a file name can hold escape sequences: shown, never obeyed
        name = shown if len(shown) <= 40 else "\u2026" + shown[-39:]
        bar = "#" * filled + "." * (self.WIDTH - filled)
        self.stream.write(f"\r\x1b[2K[{bar}] {self.count}/{self.total} {self.pace()} {name}")
        self.stream.flush()

    def pace(self) -> str:
        """The rate so far and the time left at that rate: `12.5/s ETA 0:42`, as tqdm shows them."""
        elapsed = max(self.clock() - self.started, 1e-9)
        rate = self.count / elapsed
        left = round((self.total - self.count) / rate) if rate else 0
        return f"{rate:.1f}/s ETA {left // 60}:{left % 60:02d}"

    def done(self) -> None:
        if self.shown and self.count:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the command line; returns the exit status.

    0: no failing verdict; 1: a failing verdict (a finding); 2: a usage or
    input error, or the output cannot be written; 70: an internal error, a
    bug in quotecheck, reported in one line asking for a report (with
    `--debug` or `QUOTECHECK_DEBUG=1`, the traceback too); 130: interrupted.
    """
    args = _parser().parse_args(argv)
    try:
        with warnings.catch_warnings():
            warnings.showwarning = _warning_line
            status = _run(args)
        _flush()  # a full disk shows here, not at exit
    except KeyboardInterrupt:
        print("quotecheck: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`quotecheck check ... | head`): say so once, and keep Python from
        # complaining again when it flushes stdout at exit.
        _silence_stdout()
        _error_line("cannot write the output: the reader closed the pipe")
        return EXIT_ERROR
    except _OutputError as exc:
        _silence_stdout()
        _error_line(f"cannot write the output: {exc}")
        return EXIT_ERROR
    except Exception as exc:
        if getattr(args, "debug", False) or os.environ.get("QUOTECHECK_DEBUG"):
            traceback.print_exc()
        if isinstance(exc, MemoryError):  # not a bug, but no result either: the same status, without blame
            _error_line("out of memory; check fewer articles at once, with fewer --jobs (--debug prints the traceback)")
            return EXIT_INTERNAL
        reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        _error_line(
            f"internal error ({reason}); this is a bug in quotecheck: please report it, with the command line and input"
            " (--debug or QUOTECHECK_DEBUG=1 prints the traceback)",
            prefix="quotecheck: ",
        )
        return EXIT_INTERNAL
    return status


class _OutputError(Exception):
    """Standard output cannot be written (a full disk, a device that refuses it)."""


def _write(text: str) -> None:
    """Writes to standard output; a failure to write is an `_OutputError`, never a traceback."""
    try:
        sys.stdout.write(text)
    except BrokenPipeError:
        raise
    except (OSError, ValueError) as exc:  # ValueError: the stream was closed
        raise _OutputError(getattr(exc, "strerror", None) or str(exc)) from None


def _flush() -> None:
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except (OSError, ValueError) as exc:
        raise _OutputError(getattr(exc, "strerror", None) or str(exc)) from None


def _silence_stdout() -> None:
    with contextlib.suppress(OSError, ValueError, AttributeError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _warning_line(message: Warning | str, category: type[Warning], *_where: object, **_file: object) -> None:
    """Shows a warning (a PDF source with no text layer) as one line, as errors are, not in Python's format."""
    _error_line(str(message), prefix="quotecheck: warning: ")


def _error_line(message: str, *, prefix: str = "quotecheck: error: ") -> None:
    with contextlib.suppress(OSError, ValueError):
        print(f"{prefix}{visible(message)}", file=sys.stderr)


def _choose(args: argparse.Namespace, settings: dict[str, object], choices: dict[str, Sequence[str]], where: str) -> None:
    """Takes each setting of `choices` from the file where the command line leaves it unset, if it is one of its values."""
    for name, allowed in choices.items():
        if getattr(args, name, "") is None and name in settings:
            if settings[name] not in allowed:
                shown = name.replace("_", "-")
                raise ConfigFileError(where, f"[tool.quotecheck] {shown} = {settings[name]!r} must be one of {', '.join(allowed)}")
            setattr(args, name, settings[name])


# [tool.quotecheck] keys, as in pyproject.toml (kebab-case, like the options; snake_case is read too), and their types.
_SETTINGS: dict[str, type | tuple[type, ...]] = {
    "registry": str,
    "fail-on": (str, list),
    "format": str,
    "color": str,
    "jobs": int,
    "max-article-chars": int,
    "max-quote-words": int,
    "max-source-chars": int,
    "input-format": str,
    "reviewed": str,
}


def _find_settings(start: Path) -> tuple[Path, dict[str, object]] | None:
    """The nearest pyproject.toml, from `start` up, that has a `[tool.quotecheck]` table, and that table.

    Raises:
        ConfigFileError: a pyproject.toml on the way is not valid TOML, or its table is not a table.
    """
    for folder in (start, *start.parents):
        path = folder / "pyproject.toml"
        if not path.is_file():
            continue
        try:
            document = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ConfigFileError(str(path), f"cannot be read as TOML: {exc}") from None
        table = document.get("tool", {}).get("quotecheck") if isinstance(document.get("tool"), dict) else None
        if table is None:
            continue
        if not isinstance(table, dict):
            raise ConfigFileError(str(path), f"[tool.quotecheck] must be a table, got {type(table).__name__}")
        return path, table
    return None


def _settings(start: Path) -> tuple[Path | None, dict[str, object]]:
    """The nearest `[tool.quotecheck]` with its keys checked and made snake_case; `(None, {})` when there is none.

    Raises:
        ConfigFileError: an unknown key, a key given twice (kebab- and snake_case), or a value of the wrong type.
    """
    found = _find_settings(start)
    if found is None:
        return None, {}
    path, table = found
    settings: dict[str, object] = {}
    for key, value in table.items():
        name = key.replace("_", "-")
        if name not in _SETTINGS:
            known = ", ".join(_SETTINGS)
            raise ConfigFileError(str(path), f"[tool.quotecheck] has an unknown key {key!r}; the keys are {known}")
        wanted = _SETTINGS[name]
        if not isinstance(value, wanted) or isinstance(value, bool):
            kinds = {str: "a string", int: "an integer", list: "a list"}
            names = " or ".join(kinds[t] for t in (wanted if isinstance(wanted, tuple) else (wanted,)))
            raise ConfigFileError(str(path), f"[tool.quotecheck] {key} = {value!r} must be {names}")
        if name.replace("-", "_") in settings:
            raise ConfigFileError(str(path), f"[tool.quotecheck] gives {name!r} twice (as {name} and {name.replace('-', '_')})")
        settings[name.replace("-", "_")] = value
    return path, settings


def _apply_settings(args: argparse.Namespace) -> None:
    """Fills what the command line left out from `[tool.quotecheck]`, then the defaults: the command line wins.

    Raises:
        ConfigFileError: a value the command would refuse on its command line, named with the file.
    """
    try:
        here = Path.cwd()
    except OSError:  # the working directory was removed: there is no nearest pyproject.toml
        here = None
    path, settings = (None, {}) if args.no_config or here is None else _settings(here)
    where = str(path)
    if "registry" in settings and getattr(args, "registry", "") is None:
        registry = Path(str(settings["registry"])).expanduser()
        args.registry = str(registry if registry.is_absolute() else path.parent / registry) if path else str(registry)
    for name in ("max_article_chars", "max_quote_words", "max_source_chars"):
        if name in settings and getattr(args, name, "") is None:
            value = settings[name]
            if not isinstance(value, int) or value < 1:
                raise ConfigFileError(where, f"[tool.quotecheck] {name.replace('_', '-')} = {value!r} must be at least 1")
            setattr(args, name, value)
    _choose(args, settings, {"input_format": INPUT_FORMATS}, where)
    if args.command == "check":
        if args.reviewed is None:
            reviewed = Path(str(settings.get("reviewed", REVIEW_FILE))).expanduser()
            args.reviewed = str(reviewed if reviewed.is_absolute() or path is None else path.parent / reviewed)
        args.fail_on_verdicts = _fail_on(args.fail_on)
        if args.fail_on is None and "fail_on" in settings:
            args.fail_on_verdicts = _settings_fail_on(settings["fail_on"], where)
        _choose(args, settings, {"format": _CHECK_FORMATS, "color": ("auto", "always", "never")}, where)
    if getattr(args, "jobs", 0) is None and "jobs" in settings:
        try:
            args.jobs = _jobs(str(settings["jobs"]))
        except argparse.ArgumentTypeError as exc:
            raise ConfigFileError(where, f"[tool.quotecheck] {exc}") from None
    for name, default in (("format", "text"), ("color", "auto"), ("jobs", 1)):
        if getattr(args, name, "") is None:
            setattr(args, name, default)


def _settings_fail_on(value: object, where: str) -> frozenset[Verdict]:
    """`fail-on` of `[tool.quotecheck]`: a string as on the command line, or a list naming exactly the failing verdicts.

    Raises:
        ConfigFileError: it names no verdict, or something that is not one.
    """
    try:
        if isinstance(value, list):
            if not value or not all(isinstance(v, str) for v in value):
                raise argparse.ArgumentTypeError(f"{value!r} must be a non-empty list of verdicts")
            return frozenset(v for name in value for v in _verdicts(name))
        return _fail_on([_verdicts(str(value))])
    except argparse.ArgumentTypeError as exc:
        raise ConfigFileError(where, f"[tool.quotecheck] fail-on = {str(exc).removeprefix('--fail-on=')}") from None


def _run(args: argparse.Namespace) -> int:
    try:
        _apply_settings(args)
        config = _config(args)
        registry = Registry.from_path(args.registry, config=config) if args.registry else builtin_registry()
    except (QuotecheckError, ValueError) as exc:
        print(f"quotecheck: error: {visible(str(exc))}", file=sys.stderr)
        return EXIT_ERROR
    if args.command == "verify":
        return _verify(args, registry)
    if args.command == "sources":
        _write(render_sources_json(registry) if args.format == "json" else render_sources_text(registry))
        return EXIT_OK
    if args.command == "corpus":
        return _corpus(args, registry, config)
    if args.command == "index":
        return _index(args, registry)
    return _check(args, registry, config)


def _config(args: argparse.Namespace) -> Config:
    """The defaults, with the limits and the input format given on the command line."""
    limits = {name: getattr(args, name, None) for name in ("max_article_chars", "max_quote_words", "max_source_chars", "input_format")}
    return attrs.evolve(DEFAULT_CONFIG, **{name: value for name, value in limits.items() if value is not None})


def _verify(args: argparse.Namespace, registry: Registry) -> int:
    result = verify(args.text, registry=registry, speaker=args.speaker)
    if args.format == "json":
        _write(render_quote_json(result) + "\n")
    else:
        _write(RENDERERS[args.format](Report((ArticleCheck("<argument>", (result,)),)), colour=_colour(args)))
    return EXIT_FINDINGS if result.verdict in DEFAULT_FAIL_ON else EXIT_OK


def _index(args: argparse.Namespace, registry: Registry) -> int:
    try:
        path = save_for(registry, cache_dir=args.cache_dir)
    except QuotecheckError as exc:
        print(f"quotecheck: error: {visible(str(exc))}", file=sys.stderr)
        return EXIT_ERROR
    _write(f"indexed {len(registry)} sources ({registry.hash[:12]}) in {visible(str(path))}\n")
    return EXIT_OK


def _check(args: argparse.Namespace, registry: Registry, config: Config) -> int:
    fail_on = args.fail_on_verdicts
    articles: list[ArticleCheck] = []
    stream = STREAM_WRITERS.get(args.format)
    paths = list(iter_article_paths(args.paths))
    progress = _Progress(len(paths), sys.stderr)
    try:
        for article in check_stream(paths, registry=args.registry if args.jobs > 1 else registry, config=config, jobs=args.jobs):
            articles.append(article)
            if article.error is not None:
                progress.done()  # clear the bar's line, so the message stands on its own
                print(f"quotecheck: error: {visible(article.error)}", file=sys.stderr)
            progress.step(article.path or "")
            if stream is not None:
                _write(stream(article))
                _flush()
    finally:
        progress.done()  # on Ctrl-C too, so "quotecheck: interrupted" has a line of its own
    report = Report(tuple(articles))
    try:
        reviewed = [] if args.accept else read_reviewed(args.reviewed)
    except ConfigFileError as exc:
        print(f"quotecheck: error: {visible(str(exc))}", file=sys.stderr)
        return EXIT_ERROR
    # The files are read again only when a line number or a content hash is needed.
    texts = _texts(articles, config) if args.accept or reviewed or args.format == "github" else {}
    if args.accept:
        return _accept(args, report, texts, registry, fail_on)
    accepted = accepted_keys(report, texts=texts, registry=registry, reviewed=reviewed) if reviewed else set()
    if args.format == "github":
        _write(render_github(report, fail_on=fail_on, texts=texts, accepted=accepted))
    elif args.format == "text":
        _write(render_text(report, colour=_colour(args), accepted=accepted))
    elif stream is None:
        _write(RENDERERS[args.format](report, colour=_colour(args)))
    if not articles or all(a.error is not None for a in articles):
        return EXIT_ERROR
    failing = [q for a in report.articles for q in a.quotes if q.verdict in fail_on and (a.path, q.start, q.end) not in accepted]
    if not args.exit_zero and failing:
        return EXIT_FINDINGS
    return EXIT_OK


def _accept(args: argparse.Namespace, report: Report, texts: dict[str, str], registry: Registry, fail_on: frozenset[Verdict]) -> int:
    """`--accept`: adds every failing quotation to the review file; standard input cannot be keyed, so it is refused."""
    if any(a.path == "-" for a in report.articles):
        _error_line("--accept needs article files: a quotation from standard input has no file to be accepted in")
        return EXIT_ERROR
    entries = findings_to_accept(report, texts=texts, registry=registry, fail_on=fail_on)
    try:
        added = write_reviewed(args.reviewed, entries)
    except (ConfigFileError, OSError) as exc:
        _error_line(f"cannot write the review file: {exc}")
        return EXIT_ERROR
    print(
        f"quotecheck: accepted {added} finding{'s' if added != 1 else ''} in {visible(args.reviewed)}"
        f" ({len(entries) - added} already there); each stays accepted until its article, source or verdict changes",
        file=sys.stderr,
    )
    return EXIT_ERROR if not report.articles or all(a.error is not None for a in report.articles) else EXIT_OK


def _texts(articles: Sequence[ArticleCheck], config: Config) -> dict[str, str]:
    """Each checked article file's text, read again, so annotations can name lines (standard input is gone)."""
    texts = {}
    for article in articles:
        if article.error is None and article.path and article.path != "-":
            with contextlib.suppress(QuotecheckError, OSError):
                texts[article.path] = read_text(article.path, max_chars=config.max_article_chars)
    return texts


def _corpus(args: argparse.Namespace, registry: Registry, config: Config) -> int:
    progress = _Progress(len(list(iter_article_paths(args.paths))), sys.stderr)
    try:
        result = corpus_files(
            args.paths,
            manifest=args.manifest,
            registry=registry,
            config=config,
            jobs=args.jobs,
            progress=lambda _done, _total, article: progress.step(article.path or ""),
        )
    except QuotecheckError as exc:
        progress.done()
        print(f"quotecheck: error: {visible(str(exc))}", file=sys.stderr)
        return EXIT_ERROR
    finally:
        progress.done()
    for error in result.errors:
        print(f"quotecheck: error: {visible(error)}", file=sys.stderr)
    _write(CORPUS_RENDERERS[args.format](result))
    return EXIT_ERROR if not result.articles or len(result.errors) == len(result.articles) else EXIT_OK
