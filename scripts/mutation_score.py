"""Mutation testing on demand: how many small injected bugs in one module do the tests catch?

Each mutant changes one thing in the module's syntax tree (a comparison, `<` against `<=`, an
arithmetic or bitwise operator, `and`/`or`, a removed `not` or `~`, an integer +/-1, `True`/`False`,
`"left"`/`"right"`, a returned value replaced by None). One mutant at a time is written into a
temporary copy of `src/cetool` (the working tree is never touched), which comes first on
PYTHONPATH for a run of the given pytest selection with `-x -q` and a timeout. A failing or
timed-out run caught the mutant; a passing run means it survived.

Survivors are either missed (a test to write) or equivalent (no behaviour can tell them apart).
Equivalent ones are listed, with the reason, in scripts/mutation_equivalent.txt, keyed by module,
the source line's text and the mutation (not line numbers, which move); the score leaves them out.
See docs/architecture.md#mutation-testing for the modules, the test selections and the run times.

    python scripts/mutation_score.py src/cetool/metrics/figures.py tests/metrics/test_figures.py
    python scripts/mutation_score.py src/cetool/packets/rules.py tests/packets --lines 95-126
"""

from __future__ import annotations

import argparse
import ast
import copy
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EQUIVALENT_FILE = REPO / "scripts" / "mutation_equivalent.txt"

COMPARE_SWAPS: dict[type, tuple[type, ...]] = {
    ast.Lt: (ast.LtE, ast.GtE), ast.LtE: (ast.Lt, ast.Gt), ast.Gt: (ast.GtE, ast.LtE),
    ast.GtE: (ast.Gt, ast.Lt), ast.Eq: (ast.NotEq,), ast.NotEq: (ast.Eq,), ast.In: (ast.NotIn,),
    ast.NotIn: (ast.In,), ast.Is: (ast.IsNot,), ast.IsNot: (ast.Is,),
}
BINARY_SWAPS: dict[type, tuple[type, ...]] = {
    ast.Add: (ast.Sub,), ast.Sub: (ast.Add,), ast.Mult: (ast.Div,), ast.Div: (ast.Mult,),
    ast.FloorDiv: (ast.Div,), ast.Mod: (ast.FloorDiv,), ast.BitAnd: (ast.BitOr,), ast.BitOr: (ast.BitAnd,),
}
SYMBOL = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!=",
          ast.In: "in", ast.NotIn: "not in", ast.Is: "is", ast.IsNot: "is not", ast.Add: "+",
          ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%", ast.BitAnd: "&",
          ast.BitOr: "|", ast.And: "and", ast.Or: "or", ast.Not: "not", ast.Invert: "~", ast.USub: "-"}
SIDES = {"left": "right", "right": "left"}


@dataclass
class Mutant:
    line: int
    what: str
    source: str  # the whole mutated module

    def key(self, module: str, lines: list[str]) -> str:
        return f"{module} :: {lines[self.line - 1].strip()} :: {self.what}"


def _skipped_nodes(tree: ast.AST) -> set[int]:
    """Annotations (strings under `from __future__ import annotations`), docstrings and f-strings
    (messages) are not behaviour worth mutating."""
    skip: set[int] = set()

    def mark(node: ast.AST | None) -> None:
        if node is not None:
            skip.update(id(n) for n in ast.walk(node))

    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            mark(node.returns)
            for arg in [*node.args.args, *node.args.kwonlyargs, *node.args.posonlyargs,
                        node.args.vararg, node.args.kwarg]:
                if arg is not None:
                    mark(arg.annotation)
        elif isinstance(node, ast.AnnAssign):
            mark(node.annotation)
        elif isinstance(node, ast.JoinedStr):
            mark(node)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                mark(first)
    return skip


def _changes(node: ast.AST) -> list[tuple[str, object]]:
    """(description, change) pairs for one node; a change is applied by `_apply` to a copy."""
    out: list[tuple[str, object]] = []
    if isinstance(node, ast.Compare):
        for i, op in enumerate(node.ops):
            for new in COMPARE_SWAPS.get(type(op), ()):
                out.append((f"{SYMBOL[type(op)]} -> {SYMBOL[new]}", ("compare", i, new)))
    elif isinstance(node, (ast.BinOp, ast.AugAssign)):
        for new in BINARY_SWAPS.get(type(node.op), ()):
            out.append((f"{SYMBOL[type(node.op)]} -> {SYMBOL[new]}", ("binop", new)))
    elif isinstance(node, ast.BoolOp):
        new = ast.Or if isinstance(node.op, ast.And) else ast.And
        out.append((f"{SYMBOL[type(node.op)]} -> {SYMBOL[new]}", ("boolop", new)))
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.Not, ast.Invert, ast.USub)):
        out.append((f"drop {SYMBOL[type(node.op)]}", ("unwrap",)))
    elif isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool):
            out.append((f"{value} -> {not value}", ("const", not value)))
        elif isinstance(value, int):
            out += [(f"{value} -> {value + 1}", ("const", value + 1)), (f"{value} -> {value - 1}", ("const", value - 1))]
        elif isinstance(value, float):
            out += [(f"{value} -> {value + 1}", ("const", value + 1)), (f"{value} -> {value - 1}", ("const", value - 1))]
        elif isinstance(value, str) and value in SIDES:
            out.append((f"{value!r} -> {SIDES[value]!r}", ("const", SIDES[value])))
    elif isinstance(node, ast.Return) and node.value is not None and not (
            isinstance(node.value, ast.Constant) and node.value.value is None):
        out.append(("return None", ("return_none",)))
    return out


class _Unwrap(ast.NodeTransformer):
    """Replaces the one node (found by identity in the copy) with its operand."""

    def __init__(self, target: ast.AST):
        self.target = target

    def visit_UnaryOp(self, node: ast.UnaryOp) -> ast.AST:
        self.generic_visit(node)
        return node.operand if node is self.target else node


def _apply(tree: ast.Module, path: list[int], change: tuple) -> str:
    mutated = copy.deepcopy(tree)
    nodes = list(ast.walk(mutated))
    node = nodes[path[0]]
    kind = change[0]
    if kind == "compare":
        node.ops[change[1]] = change[2]()
    elif kind == "binop":
        node.op = change[1]()
    elif kind == "boolop":
        node.op = change[1]()
    elif kind == "unwrap":
        mutated = _Unwrap(node).visit(mutated)
    elif kind == "const":
        node.value = change[1]
    elif kind == "return_none":
        node.value = ast.Constant(None)
    return ast.unparse(ast.fix_missing_locations(mutated))


def mutants(source: str, lines: range | None) -> list[Mutant]:
    tree = ast.parse(source)
    skip = _skipped_nodes(tree)
    out = []
    for index, node in enumerate(ast.walk(tree)):
        line = getattr(node, "lineno", None)
        if id(node) in skip or line is None or (lines is not None and line not in lines):
            continue
        for what, change in _changes(node):
            out.append(Mutant(line, what, _apply(tree, [index], change)))
    return sorted(out, key=lambda m: m.line)


def _equivalent() -> dict[str, str]:
    """`key  # reason` lines of scripts/mutation_equivalent.txt."""
    known = {}
    if EQUIVALENT_FILE.is_file():
        for raw in EQUIVALENT_FILE.read_text(encoding="utf-8").splitlines():
            if raw.strip() and not raw.startswith("#"):
                key, _, reason = raw.partition("  # ")
                known[key.strip()] = reason.strip()
    return known


def _run(tests: list[str], env: dict[str, str], timeout: float, show: bool = False) -> str:
    # a private --basetemp: pytest prunes old folders of the shared one, so another pytest run
    # on the machine could delete this run's tmp_path midway and fake a caught mutant
    basetemp = Path(env["PYTHONPATH"].split(os.pathsep)[0]).parent / "pytest-tmp"
    try:
        done = subprocess.run([sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider",
                               "-p", "no:randomly", f"--basetemp={basetemp}", *tests], cwd=REPO, env=env, timeout=timeout,
                              stdout=None if show else subprocess.DEVNULL, stderr=None if show else subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return "timeout"
    return "survived" if done.returncode == 0 else "caught"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("module", help="the module to mutate, e.g. src/cetool/metrics/figures.py")
    parser.add_argument("tests", nargs="+", help="the pytest selection run against each mutant")
    parser.add_argument("--timeout", type=float, help="seconds per mutant (default: 8 times the unmutated "
                        "run, at least 60; a loaded machine makes a short timeout count slow runs as caught)")
    parser.add_argument("--lines", help="only mutate these lines, e.g. 85-122")
    parser.add_argument("--list", action="store_true", help="list the mutants, run nothing")
    args = parser.parse_args(argv)

    module = Path(args.module).resolve()
    relative = module.relative_to(REPO / "src").as_posix()
    source = module.read_text(encoding="utf-8")
    source_lines = source.splitlines()
    lines = None
    if args.lines:
        first, _, last = args.lines.partition("-")
        lines = range(int(first), int(last or first) + 1)
    found = mutants(source, lines)
    if args.list:
        for mutant in found:
            print(f"{relative}:{mutant.line}: {mutant.what}")
        print(f"{len(found)} mutants")
        return 0

    known = _equivalent()
    # a stopped run still removes its temporary copy
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(130))
    with tempfile.TemporaryDirectory(prefix="cetool-mutants-") as folder:
        copy_root = Path(folder) / "src"
        shutil.copytree(REPO / "src" / "cetool", copy_root / "cetool",
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        target = copy_root / relative
        env = {**os.environ, "PYTHONPATH": str(copy_root) + os.pathsep + os.environ.get("PYTHONPATH", ""),
               "PYTHONDONTWRITEBYTECODE": "1"}
        started = time.monotonic()
        target.write_text(ast.unparse(ast.parse(source)), encoding="utf-8")
        if _run(args.tests, env, max(600.0, 3 * (args.timeout or 0)), show=True) != "survived":
            print("the tests fail on the unmutated module (as rewritten from its syntax tree); fix that first")
            return 2
        baseline = time.monotonic() - started
        timeout = args.timeout or max(60.0, 8 * baseline)
        print(f"{relative}: {len(found)} mutants; the selection takes {baseline:.1f} s unmutated", flush=True)
        tally = {"caught": 0, "timeout": 0, "survived": 0}
        survivors, equivalent = [], []
        for number, mutant in enumerate(found, 1):
            target.write_text(mutant.source, encoding="utf-8")
            outcome = _run(args.tests, env, timeout)
            tally[outcome] += 1
            if outcome == "survived":
                key = mutant.key(relative, source_lines)
                (equivalent if key in known else survivors).append((mutant, key))
            # every outcome as it comes, so a run stopped midway still tells what it tried
            print(f"  [{number}/{len(found)}] {outcome}: line {mutant.line}: {mutant.what}", flush=True)
        target.write_text(source, encoding="utf-8")
        elapsed = time.monotonic() - started

    tried = len(found)
    caught = tally["caught"] + tally["timeout"]
    scored = tried - len(equivalent)
    print(f"\n{relative}: tried {tried}, caught {caught} ({tally['timeout']} by timeout), "
          f"equivalent {len(equivalent)}, missed {len(survivors)}; "
          f"score {100.0 * caught / scored if scored else 100.0:.1f}% of non-equivalent; {elapsed:.0f} s")
    for mutant, key in equivalent:
        print(f"  equivalent  line {mutant.line}: {mutant.what}  ({known[key]})")
    for mutant, key in survivors:
        print(f"  MISSED      line {mutant.line}: {mutant.what}\n              {key}")
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main())
