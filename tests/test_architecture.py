"""The shape of `src/cetool`, read with `ast` (docs/architecture.md).

- no import cycle between modules, counting imports inside functions and under TYPE_CHECKING;
- imports go one way: cli -> features -> yamldoc -> core (reporters beside the features), and a
  feature imports only the features it is listed with below;
- outside `cli/`, a function-level import is only for pandas, numpy, pyarrow or a module that
  imports them (heavy paths kept off `cetool --help`), or one of the few reasoned exceptions;
- no module over 450 lines.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "cetool"
MAX_LINES = 450
HEAVY = {"pandas", "numpy", "pyarrow"}

# Layers, lowest first: a module may import its own layer's package and any lower layer.
CORE, YAMLDOC, FEATURE, CLI = 0, 1, 2, 3
LAYER = {"core": CORE, "yamldoc": YAMLDOC, "cli": CLI, "__main__": CLI}
# The feature packages (and reporters, which sit beside them) and the other features whose
# public functions each may use. A new feature package is added here (docs/architecture.md).
FEATURES: dict[str, set[str]] = {
    "matrix": set(),
    "knowledge": {"matrix"},
    "packets": {"matrix", "knowledge"},
    "prevention": {"matrix", "knowledge", "packets"},  # packets' id pattern, file-name rule, YAML scalar
    # metrics: only metrics.record, the weekly record (no pandas)
    "docscheck": {"matrix", "packets", "knowledge", "prevention", "metrics"},
    "metrics": {"matrix", "packets", "knowledge", "prevention"},
    "scaffold": {"packets", "prevention"},
    "reporters": set(),
}

# Function-level imports outside cli/ that are neither heavy nor of a heavy module, with why.
FUNCTION_IMPORT_EXCEPTIONS: dict[tuple[str, str], str] = {}

@dataclass(frozen=True)
class Import:
    source: str  # the importing module, dotted
    target: str  # the imported module, dotted (a cetool module, or a top-level package name)
    line: int
    in_function: bool
    names: tuple[str, ...]


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _resolve(module: str, name: str | None) -> str:
    """`from module import name`: the submodule when `name` is one, else the module."""
    if name is not None and f"{module}.{name}" in MODULES:
        return f"{module}.{name}"
    return module


class _Collector(ast.NodeVisitor):
    def __init__(self, source: str, is_package: bool) -> None:
        self.source, self.is_package = source, is_package
        self.depth = 0
        self.imports: list[Import] = []

    def _function(self, node: ast.AST) -> None:
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _function

    def _add(self, target: str, line: int, names: tuple[str, ...]) -> None:
        self.imports.append(Import(self.source, target, line, self.depth > 0, names))

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._add(alias.name, node.lineno, ())

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        if node.level:
            base = self.source.split(".")
            base = base[: len(base) - node.level + (1 if self.is_package else 0)]
            module = ".".join([*base, module] if module else base)
        names = tuple(alias.name for alias in node.names)
        if module.startswith("cetool"):
            for name in names:
                self._add(_resolve(module, name), node.lineno, (name,))
        else:
            self._add(module, node.lineno, names)


def _imports_of(module: str) -> list[Import]:
    path = MODULES[module]
    collector = _Collector(module, path.name == "__init__.py")
    collector.visit(ast.parse(path.read_text(encoding="utf-8"), str(path)))
    return collector.imports


IMPORTS = {module: _imports_of(module) for module in MODULES}


def _internal(imports: list[Import], modules=MODULES) -> list[Import]:
    return [imp for imp in imports if imp.target in modules]


def _package(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _heavy_modules() -> set[str]:
    """cetool modules that import pandas, numpy or pyarrow, directly or through another."""
    heavy = {module for module, imports in IMPORTS.items()
             if any(imp.target.split(".")[0] in HEAVY for imp in imports)}
    while True:
        more = {module for module, imports in IMPORTS.items() if module not in heavy
                and any(imp.target in heavy for imp in _internal(imports) if not imp.in_function)}
        if not more:
            return heavy
        heavy |= more


def _cycles(imports_of: dict[str, list[Import]] = IMPORTS) -> set[tuple[str, str]]:
    """Each import edge that lies on a cycle, as (importer, imported)."""
    graph = {module: {imp.target for imp in imports if imp.target in imports_of and imp.target != module}
             for module, imports in imports_of.items()}
    reach: dict[str, set[str]] = {}
    for start in graph:
        seen, stack = set(), [start]
        while stack:  # iterative: what `start` reaches
            for nxt in graph[stack.pop()]:
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        reach[start] = seen
    return {(a, b) for a in graph for b in graph[a] if a in reach[b]}


def test_no_import_cycle():
    cycles = _cycles()
    assert not cycles, "import cycles (importer -> imported):\n" + "\n".join(f"{a} -> {b}" for a, b in sorted(cycles))


def _layer(module: str) -> int | None:
    package = _package(module)
    if package in LAYER:
        return LAYER[package]
    return FEATURE if package in FEATURES else None


def test_every_package_has_a_place():
    unplaced = sorted({_package(m) for m in MODULES if _package(m) and _layer(m) is None})
    assert not unplaced, f"add {unplaced} to FEATURES (or LAYER) here and to docs/architecture.md"


def _breaks_one_way_rule(imp: Import) -> str | None:
    source, target = _package(imp.source), _package(imp.target)
    if not target or source == target:
        return None
    low, high = _layer(imp.target), _layer(imp.source)
    if low is None or high is None:
        return None  # test_every_package_has_a_place says so
    if low > high:
        return f"{source} (layer {high}) imports {target} (layer {low}): imports go cli -> features -> yamldoc -> core"
    if low == FEATURE == high and target not in FEATURES[source]:
        return f"feature {source} imports feature {target}, which is not among {sorted(FEATURES[source])}"
    if low == FEATURE == high and any(name.startswith("_") for name in imp.names) \
            or imp.target.rsplit(".", 1)[-1].startswith("_") and low == FEATURE != high:
        return f"{imp.source} uses an internal of {imp.target}: {imp.names}"
    return None


def test_imports_go_one_way():
    broken = [f"{imp.source}:{imp.line}: {why}" for imports in IMPORTS.values() for imp in _internal(imports)
              if (why := _breaks_one_way_rule(imp))]
    assert not broken, "\n".join(broken)


# What the lower layers may import besides the standard library and cetool.
THIRD_PARTY = {CORE: set(), YAMLDOC: {"yaml", "pydantic"}}


def test_lower_layers_import_little():
    found = set()
    for module, imports in IMPORTS.items():
        allowed = THIRD_PARTY.get(_layer(module))
        if allowed is None:
            continue
        for imp in imports:
            top = imp.target.split(".")[0]
            if top not in ("cetool", "__future__") and top not in sys.stdlib_module_names and top not in allowed:
                found.add(f"{module}: {imp.target}")
    assert not found, sorted(found)


def test_function_level_imports_only_for_heavy_modules():
    heavy = _heavy_modules()
    found = set()
    for module, imports in IMPORTS.items():
        if _package(module) == "cli":
            continue
        for imp in imports:
            if not imp.in_function or imp.target.split(".")[0] in HEAVY or imp.target in heavy:
                continue
            if (module, imp.target) in FUNCTION_IMPORT_EXCEPTIONS:
                continue
            found.add((module, imp.target))
    assert not found, "function-level imports outside cli/ (move them to the top):\n" + "\n".join(
        f"{module}: {target}" for module, target in sorted(found))


def test_exceptions_are_still_needed():
    present = {(m, imp.target) for m, imports in IMPORTS.items() for imp in imports if imp.in_function}
    assert set(FUNCTION_IMPORT_EXCEPTIONS) <= present, set(FUNCTION_IMPORT_EXCEPTIONS) - present


@pytest.mark.parametrize("module", sorted(MODULES))
def test_module_is_short(module):
    lines = len(MODULES[module].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{MODULES[module].relative_to(SRC)} has {lines} lines (at most {MAX_LINES})"


# The checks themselves, on made-up graphs: a test that cannot fail proves nothing.


def test_cycle_detection_sees_function_level_imports():
    fake = {"cetool.a.x": [Import("cetool.a.x", "cetool.a.y", 1, False, ())],
            "cetool.a.y": [Import("cetool.a.y", "cetool.a.x", 5, True, ())],
            "cetool.a.z": [Import("cetool.a.z", "cetool.a.x", 1, False, ())]}
    assert _cycles(fake) == {("cetool.a.x", "cetool.a.y"), ("cetool.a.y", "cetool.a.x")}


def test_one_way_rule_catches_upward_and_sideways_imports():
    assert _breaks_one_way_rule(Import("cetool.core.files", "cetool.packets.model", 1, False, ("Packet",)))
    assert _breaks_one_way_rule(Import("cetool.matrix.load", "cetool.packets.model", 1, False, ("Packet",)))
    assert _breaks_one_way_rule(Import("cetool.packets.rules", "cetool.cli.common", 1, False, ("x",)))
    assert _breaks_one_way_rule(Import("cetool.packets.rules", "cetool.matrix.model", 1, False, ("_Strict",)))
    assert _breaks_one_way_rule(Import("cetool.packets.rules", "cetool.matrix.model", 1, False, ("Matrix",))) is None
    assert _breaks_one_way_rule(Import("cetool.cli.packet", "cetool.packets.validate", 1, True, ("x",))) is None
