"""The pytest plugin, run the way users run it: in a pytest session of its own (pytester)."""

from __future__ import annotations

import pytest

from quotecheck import InvalidArgument
from quotecheck.pytest_plugin import assert_faithful
from tests.conftest import ROOT

pytest_plugins = ["pytester"]

_SOURCE = """+++
speaker = "Ada Lovelace"
+++
The Analytical Engine has no pretensions whatever to originate anything. It can do whatever we know how to order it to perform.
"""


def test_the_plugin_is_registered_through_its_entry_point(pytester: pytest.Pytester) -> None:
    """A pytest session finds the `quote_registry` fixture with no conftest and no -p option."""
    pytester.makepyfile(
        """
        def test_builtin(quote_registry):
            assert "krishna-2020-06-08" in quote_registry
        """
    )
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_a_faithful_quotation_passes(pytester: pytest.Pytester) -> None:
    """An exact, cosmetic or editorial quotation passes `assert_faithful`."""
    pytester.makepyfile(
        """
        from quotecheck.pytest_plugin import assert_faithful

        def test_exact(quote_registry):
            result = assert_faithful("IBM no longer offers general purpose IBM facial recognition or analysis software", quote_registry)
            assert result.verdict.value == "exact"

        def test_editorial(quote_registry):
            assert_faithful("IBM firmly opposes and will not condone uses of any technology \u2026 for mass surveillance", quote_registry)
        """
    )
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=2)


def test_an_altered_quotation_fails_with_the_diff_and_the_reasons(pytester: pytest.Pytester) -> None:
    """The failure message shows the verdict, the source, the word diff and each difference's why."""
    pytester.makepyfile(
        """
        from quotecheck.pytest_plugin import assert_faithful

        def test_altered(quote_registry):
            assert_faithful("IBM firmly opposes and will condone uses of any technology", quote_registry)
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*quotation is altered; allowed: exact, cosmetic, editorial*",
            "*source:  krishna-2020-06-08 \u00b615*",
            "*diff:    IBM firmly opposes and will [[]-not-[]] condone uses of any technology*",
            "*substantive/deletion: the source's \u201cnot\u201d is left out*",
        ]
    )


def test_allow_chooses_the_passing_verdicts(pytester: pytest.Pytester) -> None:
    """`allow=("exact",)` fails a cosmetic quotation."""
    pytester.makepyfile(
        """
        from quotecheck.pytest_plugin import assert_faithful

        def test_strict():
            assert_faithful("ibm no longer offers general purpose ibm facial recognition or analysis software", allow=("exact",))
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*quotation is cosmetic; allowed: exact*", "*cosmetic/case*"])


def test_the_ini_option_chooses_the_registry(pytester: pytest.Pytester) -> None:
    """`quotecheck_registry` in the ini file loads that directory, relative to the rootdir."""
    pytester.mkdir("sources")
    (pytester.path / "sources" / "lovelace.txt").write_text(_SOURCE, encoding="utf-8")
    pytester.makeini("[pytest]\nquotecheck_registry = sources\n")
    pytester.makepyfile(
        """
        from quotecheck.pytest_plugin import assert_faithful

        def test_lovelace(quote_registry):
            assert list(quote_registry.sources)[0].id == "lovelace"
            assert_faithful("The Analytical Engine has no pretensions whatever to originate anything", quote_registry)
        """
    )
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_the_marker_chooses_the_registry(pytester: pytest.Pytester) -> None:
    """`@pytest.mark.quote_registry(path)` wins over the default, and --strict-markers accepts it."""
    pytester.mkdir("sources")
    (pytester.path / "sources" / "lovelace.txt").write_text(_SOURCE, encoding="utf-8")
    pytester.makepyfile(
        """
        import pytest
        from quotecheck.pytest_plugin import assert_faithful

        @pytest.mark.quote_registry("sources")
        def test_lovelace(quote_registry):
            result = assert_faithful("It can do whatever we know how to order it to do", quote_registry, allow=["altered"])
            assert result.source.speaker == "Ada Lovelace"

        def test_default(quote_registry):
            assert "lovelace" not in quote_registry
        """
    )
    pytester.runpytest("-p", "no:cacheprovider", "--strict-markers").assert_outcomes(passed=2)


def test_the_fixture_is_session_scoped_and_works_with_given(pytester: pytest.Pytester) -> None:
    """`quote_registry` is one object for the session, and `@given` accepts it without a health-check failure."""
    pytester.mkdir("sources")
    (pytester.path / "sources" / "lovelace.txt").write_text(_SOURCE, encoding="utf-8")
    pytester.makepyfile(
        """
        import pytest
        from hypothesis import given, settings, strategies as st

        SEEN = []

        @settings(max_examples=5)
        @given(st.integers())
        def test_with_given(quote_registry, n):
            SEEN.append(quote_registry)

        def test_default_again(quote_registry):
            SEEN.append(quote_registry)

        @pytest.mark.quote_registry("sources")
        def test_marked(quote_registry):
            assert "lovelace" in quote_registry

        @pytest.mark.quote_registry("sources")
        def test_marked_again(quote_registry):
            SEEN.append(quote_registry)

        def test_all_the_same():
            defaults = [r for r in SEEN if "lovelace" not in r]
            marked = [r for r in SEEN if "lovelace" in r]
            assert len(defaults) >= 2 and len(marked) == 1
            assert all(r is defaults[0] for r in defaults)
        """
    )
    pytester.runpytest("-p", "no:cacheprovider", "-p", "no:randomly").assert_outcomes(passed=5)


def test_a_missing_registry_directory_is_an_error_naming_it(pytester: pytest.Pytester) -> None:
    """A marker naming a directory that does not exist errors with the path in the message."""
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.quote_registry("no-such-dir")
        def test_missing(quote_registry):
            pass
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*no-such-dir: registry directory does not exist*"])


def test_allow_rejects_what_is_not_a_verdict() -> None:
    """A misspelt verdict in `allow` is an InvalidArgument naming it."""
    with pytest.raises(InvalidArgument, match="'exactly'"):
        assert_faithful("IBM no longer offers general purpose IBM facial recognition", allow=("exactly",))


def test_the_readme_test_module_passes(pytester: pytest.Pytester) -> None:
    """The user's test module in the README, using the strategies and the plugin, passes as written."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("A test module using both, as a user writes it")[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    pytester.makepyfile(test_user=code)
    pytester.makeini("[pytest]\n")
    # Fewer examples than Hypothesis' default, to keep the suite fast; the module itself is as written.
    pytester.makeconftest("from hypothesis import settings\nsettings.register_profile('quick', max_examples=15, deadline=None)\n")
    result = pytester.runpytest("-p", "no:cacheprovider", "--hypothesis-seed=0", "--hypothesis-profile=quick")
    result.assert_outcomes(passed=4)


def test_assert_faithful_lives_in_quotecheck_testing_and_the_old_path_still_works() -> None:
    """`quotecheck.testing.assert_faithful` is the public home; the plugin module re-exports the same function."""
    import quotecheck.pytest_plugin
    import quotecheck.testing

    assert quotecheck.testing.assert_faithful is quotecheck.pytest_plugin.assert_faithful
    assert quotecheck.testing.FAITHFUL == ("exact", "cosmetic", "editorial")


def test_quotecheck_testing_needs_neither_pytest_nor_hypothesis() -> None:
    """Importing `quotecheck.testing` imports no test framework, so any runner (unittest, a notebook) can use it."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from quotecheck.testing import assert_faithful\n"
        "assert_faithful('IBM no longer offers general purpose IBM facial recognition or analysis software')\n"
        "print(sorted({'pytest', 'hypothesis'} & set(sys.modules)))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert (result.returncode, result.stdout.strip()) == (0, "[]"), result.stderr
