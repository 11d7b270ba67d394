"""The pytest plugin: a `quote_registry` fixture and `assert_faithful`.

Installed with the `testing` extra and registered through the `pytest11`
entry point, so it is active in any test run where quotecheck is installed.

- `quote_registry`: the registry to check quotations against. The built-in
  registry by default; a directory of source files when the ini option
  `quotecheck_registry` names one (relative to the rootdir), or when the test
  is marked `@pytest.mark.quote_registry("path/to/sources")` (the marker wins).
- `assert_faithful`: re-exported from `quotecheck.testing`, where it lives
  (this module is its older home).

`quote_registry` is session-scoped, so it works with Hypothesis's `@given`
(which refuses function-scoped fixtures): a marked test gets the registry
of its marker's path, loaded once per session for each path.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from quotecheck.errors import InvalidArgument
from quotecheck.sources.registry import Registry, builtin_registry
from quotecheck.testing import FAITHFUL, assert_faithful

__all__ = ["FAITHFUL", "assert_faithful", "quote_registry"]

_INI = "quotecheck_registry"


def pytest_addoption(parser: pytest.Parser) -> None:
    """Adds the `quotecheck_registry` ini option."""
    parser.addini(_INI, "directory of source files for the quote_registry fixture (default: quotecheck's built-in registry)", default="")


def pytest_configure(config: pytest.Config) -> None:
    """Declares the `quote_registry` marker (so --strict-markers accepts it)."""
    config.addinivalue_line("markers", "quote_registry(path): the directory of source files the quote_registry fixture loads")


@functools.lru_cache(maxsize=16)
def _load(path: Path) -> Registry:
    return Registry.from_path(path)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Gives a test marked `@pytest.mark.quote_registry(path)` its marker's path as the fixture's parameter.

    The fixture is session-scoped, so it cannot read a test's marker itself;
    a parameter of session scope is set up once per distinct path.
    """
    if "quote_registry" not in metafunc.fixturenames:
        return
    marker = metafunc.definition.get_closest_marker("quote_registry")
    if marker is None:
        return
    if len(marker.args) != 1 or not isinstance(marker.args[0], str | Path) or marker.kwargs:
        raise InvalidArgument(f"@pytest.mark.quote_registry takes one path, got args={marker.args!r}, kwargs={marker.kwargs!r}")
    path = str(marker.args[0])
    metafunc.parametrize("quote_registry", [path], indirect=True, scope="session", ids=[f"quote_registry={path}"])


@pytest.fixture(scope="session")
def quote_registry(request: pytest.FixtureRequest) -> Registry:
    """The registry to check quotations against: the marker's, the ini option's, or the built-in one (session-scoped)."""
    configured = str(getattr(request, "param", None) or request.config.getini(_INI) or "")
    if not configured:
        return builtin_registry()
    path = Path(configured)
    if not path.is_absolute():
        path = request.config.rootpath / path
    return _load(path.resolve())
