"""The house rules a reader relies on, checked over the code: short functions, files that fit
in a sitting, and no reaching into another object's private names."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("runner", "sitegen")
MAX_FUNCTION_LINES = 60
MAX_FILE_LINES = 400
# llama-cpp-python's internals (its sampler and context) are private by its own naming
PRIVATE_ALLOWED = {"runner/llm/local.py"}
NAMEDTUPLE_API = {"_fields", "_asdict", "_replace", "_make", "_field_defaults"}


def _sources() -> list[tuple[str, ast.Module, int]]:
    out = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            text = path.read_text(encoding="utf-8")
            out.append((path.relative_to(ROOT).as_posix(), ast.parse(text), text.count("\n")))
    return out


def long_functions(tree: ast.Module, limit: int = MAX_FUNCTION_LINES) -> list[str]:
    """'name (N lines)' of every function or method longer than ``limit`` lines."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            lines = node.end_lineno - node.lineno + 1
            if lines > limit:
                found.append(f"{node.name} ({lines} lines)")
    return found


def private_reaches(tree: ast.Module) -> list[str]:
    """'line N: x._name' wherever code reads or writes a private name of an object other than
    ``self`` or ``cls`` (module-private names used in their own module are fine)."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute):
            continue
        name = node.attr
        if not name.startswith("_") or (name.startswith("__") and name.endswith("__")):
            continue
        if name in NAMEDTUPLE_API:  # a named tuple's public API, underscored by design
            continue
        owner = node.value
        if isinstance(owner, ast.Name) and owner.id in ("self", "cls"):
            continue
        found.append(f"line {node.lineno}: {ast.unparse(node)}")
    return found


def test_the_checks_find_what_they_look_for():
    tree = ast.parse(
        "def f():\n" + "    x = 1\n" * 61 + "class A:\n    def g(self, o):\n        return o._x\n"
    )
    assert long_functions(tree) == ["f (62 lines)"]
    assert private_reaches(tree) == ["line 65: o._x"]
    assert private_reaches(ast.parse("self._x = 1\ncls._y\nsys.__name__")) == []


def test_no_function_over_60_lines():
    problems = [f"{p}: {f}" for p, tree, _ in _sources() for f in long_functions(tree)]
    assert problems == []


def test_no_file_over_400_lines():
    assert [f"{p} ({n} lines)" for p, _, n in _sources() if n > MAX_FILE_LINES] == []


def test_no_module_reaches_into_another_objects_private_names():
    problems = [
        f"{p} {r}"
        for p, tree, _ in _sources()
        if p not in PRIVATE_ALLOWED
        for r in private_reaches(tree)
    ]
    assert problems == []
