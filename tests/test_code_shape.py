"""The code stays small enough to read: module and function sizes, docstrings on what is
public, and no import cycles inside the generator package. Measured with `ast`."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "generator"
MAX_MODULE_LINES = 450
MAX_FUNCTION_LINES = 60
UNDOCUMENTED = {"generator.render.ooxml": {"page_break", "outline_level", "bookmark",
                                          "internal_link"}}
"""Public names known to lack a docstring; each entry goes once its docstring is written."""


def _modules(package: Path = PACKAGE) -> dict[str, Path]:
    """Every module of the package by dotted name (generator.render.site, …)."""
    found = {}
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


# ------------------------------------------------------------------ measures


def long_modules(modules: dict[str, Path], limit: int = MAX_MODULE_LINES) -> list[str]:
    """Modules longer than limit lines, with their length."""
    lengths = {name: len(path.read_text(encoding="utf-8").splitlines())
               for name, path in modules.items()}
    return [f"{name}: {n} lines" for name, n in lengths.items() if n > limit]


def long_functions(tree: ast.Module, limit: int = MAX_FUNCTION_LINES) -> list[str]:
    """Functions and methods (nested ones too) longer than limit lines, from `def` (or its
    first decorator) to the last line of the body."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            start = min([node.lineno] + [d.lineno for d in node.decorator_list])
            length = node.end_lineno - start + 1
            if length > limit:
                found.append(f"{node.name} (line {start}): {length} lines")
    return found


def undocumented(tree: ast.Module) -> list[str]:
    """Public functions and classes of the module, and public methods of its public
    classes, that have no docstring. Overrides of a documented base method count as
    documented only when they carry their own."""
    found = []

    def check(body: list[ast.stmt], prefix: str) -> None:
        for node in body:
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                continue
            if node.name.startswith("_"):
                continue
            if ast.get_docstring(node) is None:
                found.append(f"{prefix}{node.name} (line {node.lineno})")
            if isinstance(node, ast.ClassDef):
                check(node.body, f"{prefix}{node.name}.")

    check(tree.body, "")
    return found


def module_imports(name: str, tree: ast.Module, is_package: bool, known: set[str]) -> set[str]:
    """Modules of the package that module `name` imports at module level (also inside
    module-level if/try, `if TYPE_CHECKING:` included: a reader follows those too); imports
    inside functions are left out (they are deferred on purpose)."""
    package = name if is_package else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")
                    base = base[:len(base) - node.level + 1]
                    if not base or not base[0]:
                        raise AssertionError(f"{name}: `from {'.' * node.level}"
                                             f"{node.module or ''}` leaves the package")
                    origin = ".".join(base + ([node.module] if node.module else []))
                else:
                    origin = node.module or ""
                found.add(origin)
                found.update(f"{origin}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.If):
                visit(node.body)
                visit(node.orelse)
            elif isinstance(node, ast.Try):
                visit(node.body)
                for handler in node.handlers:
                    visit(handler.body)
                visit(node.orelse)
                visit(node.finalbody)

    visit(tree.body)
    return {module for module in found if module in known and module != name}


def import_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Which modules of the package each one imports at load time."""
    known = set(modules)
    return {name: module_imports(name, _tree(path), path.name == "__init__.py", known)
            for name, path in modules.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A cycle of the graph as [a, b, …, a], or None when there is none."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for following in sorted(graph.get(node, ())):
            if state.get(following) == 1:
                return path[path.index(following):] + [following]
            if following not in state:
                cycle = visit(following)
                if cycle:
                    return cycle
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state:
            cycle = visit(start)
            if cycle:
                return cycle
    return None


# ------------------------------------------------------------------ the package


MODULES = _modules()


def test_the_package_is_found():
    assert "generator.build" in MODULES and "generator.render.site" in MODULES
    assert len(MODULES) > 40


def test_no_module_is_too_long():
    assert long_modules(MODULES) == []


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_function_is_too_long(name):
    assert long_functions(_tree(MODULES[name])) == []


@pytest.mark.parametrize("name", sorted(MODULES))
def test_public_functions_and_classes_say_what_they_do(name):
    missing = {entry.split(" ")[0] for entry in undocumented(_tree(MODULES[name]))}
    assert missing == UNDOCUMENTED.get(name, set())


def test_no_import_cycle_in_the_package():
    graph = import_graph(MODULES)
    assert graph["generator.build"] >= {"generator.targets", "generator.atomic"}
    assert find_cycle(graph) is None


# ------------------------------------------------------------------ the measures can fail


def test_a_long_module_is_reported(tmp_path):
    (tmp_path / "short.py").write_text("x = 1\n" * MAX_MODULE_LINES)
    (tmp_path / "long.py").write_text("x = 1\n" * (MAX_MODULE_LINES + 1))
    assert long_modules({"short": tmp_path / "short.py", "long": tmp_path / "long.py"}) == \
        [f"long: {MAX_MODULE_LINES + 1} lines"]


def test_a_long_function_is_reported():
    def lines(count: int, indent: str) -> str:
        return "".join(f"{indent}x{i} = {i}\n" for i in range(count))

    fits = "def fits():\n" + lines(MAX_FUNCTION_LINES - 1, "    ")
    # decorator, def, body and return: one line over
    too_long = "class C:\n    @staticmethod\n    def too_long():\n" + \
        lines(MAX_FUNCTION_LINES - 2, "        ") + "        return 1\n"
    assert long_functions(ast.parse(fits)) == []
    assert long_functions(ast.parse(too_long)) == [
        f"too_long (line 2): {MAX_FUNCTION_LINES + 1} lines"]


def test_a_missing_docstring_is_reported():
    source = '''
def documented():
    """Says what."""

def bare():
    pass

def _private():
    pass

class Thing:
    """A thing."""

    def method(self):
        pass

    def _helper(self):
        pass
'''
    assert undocumented(ast.parse(source)) == ["bare (line 5)", "Thing.method (line 14)"]


def test_imports_are_resolved_within_the_package():
    known = {"generator", "generator.a", "generator.b", "generator.render", "generator.render.x",
             "generator.render.c", "generator.render.d"}
    source = """
from __future__ import annotations
import os
from . import a
from .render import c
from typing import TYPE_CHECKING
if TYPE_CHECKING:
    from .render import d
try:
    import generator.b
except ImportError:
    pass
def later():
    from .render import x
"""
    assert module_imports("generator.x", ast.parse(source), False, known) == {
        "generator", "generator.a", "generator.render", "generator.render.c",
        "generator.render.d", "generator.b"}
    assert module_imports("generator.render.x", ast.parse("from .. import b\nfrom . import c\n"),
                          False, known) == {"generator", "generator.b", "generator.render",
                                            "generator.render.c"}
    with pytest.raises(AssertionError, match="leaves the package"):
        module_imports("generator.render.x", ast.parse("from ... import queries\n"), False,
                       known)


def test_a_cycle_is_found():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"a"}}) == ["a", "a"]
    assert find_cycle({"x": {"b"}, "a": set(), "b": {"c"}, "c": {"b"}}) == ["b", "c", "b"]
