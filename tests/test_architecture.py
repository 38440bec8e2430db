"""The package's shape holds: pure modules import no CKAN module, there is no
import cycle, imports sit at the top of modules (but for the documented lazy
ones), long modules say why they are one, and nothing but config.py reads
our options. Read from the source (ast), except the purity check, which
imports the modules with CKAN made unimportable."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import types
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "ckanext" / "satudata"
PURE_MARK = re.compile(r"Pure Python(: no CKAN import| \(no CKAN import\))")
LONG_MODULE_LINES = 500
LONG_MODULE_REASON = "Why one module:"
# (module, imported module): why the import waits until the function runs.
LAZY_IMPORTS = {
    ("ckanext.satudata.compat", "ckanext.harvest"): (
        "plugin load order: ckanext-harvest's model registers tables on import"
    ),
}


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text("utf-8"), str(path))


def _pure_modules() -> list[str]:
    return [
        name
        for name, path in _modules().items()
        if PURE_MARK.search(ast.get_docstring(_tree(path)) or "")
    ]


def test_pure_modules_import_without_ckan() -> None:
    pure = _pure_modules()
    assert len(pure) > 20, pure
    script = f"""
import importlib.abc, sys
class NoCkan(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "ckan" or name.startswith("ckan.") or (
            name.startswith("ckanext.") and not name.startswith("ckanext.satudata")
        ):
            raise ImportError(f"pure module imports {{name}}")
        return None
sys.meta_path.insert(0, NoCkan())
import importlib
for module in {pure!r}:
    importlib.import_module(module)
print("ok")
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd="/")
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr[-2000:]


def _top_level_imports(name: str, tree: ast.Module, modules: dict[str, Path]) -> set[str]:
    """Modules of the package that ``name`` imports when it is imported."""
    found: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        for child in ast.walk(node) if isinstance(node, ast.If | ast.Try) else [node]:
            if isinstance(child, ast.Import):
                found.update(alias.name for alias in child.names)
            elif isinstance(child, ast.ImportFrom) and child.module:
                base = child.module
                if child.level:
                    package = (
                        name if modules[name].name == "__init__.py" else name.rsplit(".", 1)[0]
                    )
                    base = ".".join(
                        [*package.split(".")[: len(package.split(".")) - child.level + 1], base]
                    )
                found.add(base)
                found.update(f"{base}.{alias.name}" for alias in child.names)
    return {module for module in found if module in modules and module != name}


def test_no_import_cycles() -> None:
    modules = _modules()
    graph = {name: _top_level_imports(name, _tree(path), modules) for name, path in modules.items()}
    cycles: list[list[str]] = []
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                cycles.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module)
    assert not cycles, "\n".join(" -> ".join(cycle) for cycle in cycles)


def test_imports_at_the_top_but_for_the_documented_lazy_ones() -> None:
    found = []
    for name, path in _modules().items():
        for function in ast.walk(_tree(path)):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.Import):
                    imported = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom):
                    imported = [node.module or ""]
                else:
                    continue
                for module in imported:
                    if not any(
                        (name, lazy) in LAZY_IMPORTS and (module + ".").startswith(lazy + ".")
                        for lazy in {lazy for _, lazy in LAZY_IMPORTS}
                    ):
                        found.append(f"{name}.{function.name}: import {module}")
    assert not found, "\n".join(found)


def test_long_modules_say_why_they_are_one() -> None:
    long = []
    for name, path in _modules().items():
        lines = path.read_text("utf-8").count("\n")
        if lines > LONG_MODULE_LINES and LONG_MODULE_REASON not in (
            ast.get_docstring(_tree(path)) or ""
        ):
            long.append(f"{name}: {lines} lines")
    assert not long, "\n".join(long)


def _declared_options() -> set[str]:
    declaration = yaml.safe_load((PACKAGE / "config_declaration.yaml").read_text("utf-8"))
    return {option["key"] for group in declaration["groups"] for option in group["options"]}


def _string_literals(path: Path) -> set[str]:
    return {
        node.value
        for node in ast.walk(_tree(path))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }


def test_every_option_has_a_typed_reader_and_only_config_reads_them() -> None:
    declared = _declared_options()
    read = {s for s in _string_literals(PACKAGE / "config.py") if s.startswith("ckanext.satudata.")}
    assert read == declared
    elsewhere = []
    for name, path in _modules().items():
        if path == PACKAGE / "config.py":
            continue
        for literal in _string_literals(path):
            # A key, or a prefix keys are built from ("ckanext.satudata.validation.").
            if literal in declared or any(
                key.startswith(literal) and literal.endswith(".") for key in declared
            ):
                elsewhere.append(f"{name}: {literal!r}")
    assert not elsewhere, "\n".join(elsewhere)


def test_an_action_or_auth_name_defined_twice_is_refused_at_start() -> None:
    """get_actions/get_auth_functions merge every concept's module by name:
    a second definition would silently replace the first."""
    from ckanext.satudata.logic import collect, in_modules
    from ckanext.satudata.logic.action import get_actions
    from ckanext.satudata.logic.auth import get_auth_functions

    assert "package_create" in get_actions() and get_auth_functions()
    first, second = types.ModuleType("first"), types.ModuleType("second")
    for module in (first, second):
        module.__all__ = ["resource_create"]  # type: ignore[attr-defined]
        module.resource_create = lambda: None  # type: ignore[attr-defined]
    with pytest.raises(RuntimeError, match="resource_create is defined twice"):
        collect(in_modules((first, second)))
