"""The package's layout: no import circle, each stage importing only from the stages before it, no module shadowed.

Imports are read with `ast`, not by importing: an import under `if TYPE_CHECKING:`
or inside a function body runs later or never, so neither makes a circle (a
value's display method reaches its renderer that way).
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
from collections.abc import Iterator
from pathlib import Path

import pytest

import quotecheck

PACKAGE = Path(quotecheck.__file__).parent

# The pipeline, in order: a module may import from its own stage and the stages above it, never from one below.
# Each entry is a module or a folder (a prefix of dotted names); the longest that matches a module is its stage.
STAGES = (
    ("quotecheck.errors", "quotecheck.config", "quotecheck._escape"),  # the base every stage may use
    ("quotecheck.text",),  # repair, tokens and offset maps, for articles and sources alike
    ("quotecheck.reading",),  # the article: bytes, HTML, metadata, quotations, attribution
    ("quotecheck.sources",),  # the registry, its file formats, the word index
    ("quotecheck.matching",),  # alignment, pieces, classification, reuse
    ("quotecheck.judging",),  # the result values, findings, verdict rules
    ("quotecheck.checking",),  # one article through every stage; batches of files and workers
    ("quotecheck.provenance",),  # a corpus of checked articles: who printed what first
    ("quotecheck.rendering",),  # text, JSON, Markdown, HTML, diffs, corpus pages
    (  # what users import and run
        "quotecheck",
        "quotecheck.__main__",
        "quotecheck.cli",
        "quotecheck.corpus_report",
        "quotecheck.frame",
        "quotecheck.pytest_plugin",
        "quotecheck.review",
        "quotecheck.strategies",
        "quotecheck.testing",
    ),
)


def _modules(root: Path, package: str) -> dict[str, Path]:
    """Every module below `root` by its dotted name (a folder's `__init__.py` is the folder's name)."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = [package, *path.relative_to(root).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_nodes(body: list[ast.stmt]) -> Iterator[ast.Import | ast.ImportFrom]:
    """The imports that run when the module is imported: not in a function, not under `if TYPE_CHECKING:`."""
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If):
            if not _is_type_checking(node.test):
                yield from _import_nodes(node.body)
            yield from _import_nodes(node.orelse)
        elif isinstance(node, ast.Try):
            for block in (node.body, node.orelse, node.finalbody, *(h.body for h in node.handlers)):
                yield from _import_nodes(block)
        elif isinstance(node, ast.With | ast.ClassDef):  # a class body runs at import time
            yield from _import_nodes(node.body)


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The package's modules that `name` imports at import time."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = set()
    for node in _import_nodes(ast.parse(path.read_text(encoding="utf-8")).body):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            # `from a import b` imports the module a.b when there is one, else the name b of a.
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
        out |= {t for t in targets if t in modules and t != name}
    return out


def _graph(root: Path, package: str) -> dict[str, set[str]]:
    modules = _modules(root, package)
    return {name: _imports(name, path, modules) for name, path in modules.items()}


def _circle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle of `graph` as the modules along it (the first repeated at the end), or None."""
    state: dict[str, int] = {}  # 1 while on the current path, 2 once done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)) is not None:
                return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start)) is not None:
            return found
    return None


def _stage(name: str) -> int:
    """The index in `STAGES` of the longest entry that is `name` or a folder holding it."""
    best = None
    for rank, entries in enumerate(STAGES):
        for entry in entries:
            if (name == entry or name.startswith(entry + ".")) and (best is None or len(entry) > best[0]):
                best = (len(entry), rank)
    assert best is not None, f"{name} is in no stage of STAGES"
    return best[1]


def _upward(graph: dict[str, set[str]]) -> list[str]:
    """Each import of a later stage's module by an earlier stage's, as `importer -> imported`."""
    return [f"{a} -> {b}" for a, targets in sorted(graph.items()) for b in sorted(targets) if _stage(b) > _stage(a)]


def test_no_import_circle() -> None:
    """No chain of module-level imports among the package's modules leads back to where it started."""
    assert _circle(_graph(PACKAGE, "quotecheck")) is None


def test_each_stage_imports_only_from_the_stages_before_it() -> None:
    """No module imports, at import time, a module of a later stage of the pipeline."""
    assert _upward(_graph(PACKAGE, "quotecheck")) == []


def test_every_module_has_a_declared_stage() -> None:
    """A new module or folder has to be placed in the pipeline (top-level modules are not a catch-all)."""
    top = [name for name in _modules(PACKAGE, "quotecheck") if name.count(".") == 1]
    strays = [name for name in top if not any(name == e or name.startswith(e + ".") for entries in STAGES for e in entries)]
    assert strays == []


def test_no_module_is_shadowed_by_a_name_of_its_package() -> None:
    """`quotecheck.X` is the module X wherever a module X exists: no function or value hides it."""
    shadowed = []
    for info in pkgutil.walk_packages(quotecheck.__path__, "quotecheck."):
        if info.name == "quotecheck.__main__":  # importing it runs the command line
            continue
        module = importlib.import_module(info.name)
        parent, _, leaf = info.name.rpartition(".")
        if getattr(importlib.import_module(parent), leaf) is not module:
            shadowed.append(info.name)
    assert shadowed == []


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / "pkg" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "pkg"


def test_the_reader_finds_a_circle_through_a_from_import(tmp_path: Path) -> None:
    """Two modules that import each other at import time are a circle, whatever the import's form."""
    root = _write(
        tmp_path,
        {"__init__.py": "", "a.py": "from pkg.b import x\n", "b.py": "from pkg import a\nx = 1\n", "c.py": "import pkg.a\n"},
    )
    assert _circle(_graph(root, "pkg")) == ["pkg.a", "pkg.b", "pkg.a"]


@pytest.mark.parametrize(
    "guarded",
    [
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.a import x\n",
        "def f():\n    from pkg.a import x\n    return x\n",
    ],
)
def test_the_reader_leaves_out_imports_that_do_not_run_at_import_time(tmp_path: Path, guarded: str) -> None:
    """An import under `if TYPE_CHECKING:` or inside a function makes no circle."""
    root = _write(tmp_path, {"__init__.py": "", "a.py": "from pkg.b import y\nx = 1\n", "b.py": guarded + "y = 2\n"})
    assert _circle(_graph(root, "pkg")) is None


def test_an_import_of_a_later_stage_is_reported() -> None:
    """Normalisation importing the article reader, or a renderer's value importing a renderer, goes upward."""
    graph = {
        "quotecheck.text.normalize": {"quotecheck.reading.extract", "quotecheck.errors"},
        "quotecheck.judging.results": {"quotecheck.rendering.report", "quotecheck.matching.classify"},
        "quotecheck.cli": {"quotecheck.rendering.report"},
    }
    assert _upward(graph) == [
        "quotecheck.judging.results -> quotecheck.rendering.report",
        "quotecheck.text.normalize -> quotecheck.reading.extract",
    ]
