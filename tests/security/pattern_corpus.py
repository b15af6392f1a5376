"""Every regular expression of cetool, found by itself, and the adversarial text each must go
through in linear time (docs/security.md#linear-time-parsing).

Run as a script it times every pattern against every string and prints one JSON line per case
(CPU seconds), so the test can run it in a child process and stop it if a pattern hangs: a
regex in C cannot be interrupted from Python.
"""

from __future__ import annotations

import ast
import importlib
import json
import pkgutil
import re
import sys
import time
from pathlib import Path

import cetool

SRC = Path(cetool.__file__).resolve().parent
_RE_FUNCTIONS = {"compile", "match", "search", "fullmatch", "sub", "subn", "split", "findall", "finditer"}
MIB = 1 << 20


def _modules() -> list:
    names = [info.name for info in pkgutil.walk_packages(cetool.__path__, "cetool.")
             if not info.name.endswith(".__main__")]  # running it would start the CLI
    return [importlib.import_module(name) for name in sorted(names)]


def _flags(call: ast.Call, module) -> int:
    """The flags argument of an re call when it is written as constants (`re.I | re.M`)."""
    node = next((k.value for k in call.keywords if k.arg == "flags"), None)
    if node is None and call.func.attr == "compile" and len(call.args) > 1:
        node = call.args[1]
    if node is None:
        return 0
    return eval(compile(ast.Expression(node), "<flags>", "eval"), {"re": re})  # constants only


def project_patterns() -> tuple[dict[str, re.Pattern], list[str]]:
    """Every pattern of `src/`: module globals that are compiled patterns or `*_PATTERN` strings
    (pydantic `Field(pattern=...)`), and every `re.<function>(...)` call's pattern. Returns the
    patterns by where they are, and the calls whose pattern cannot be found this way (the test
    fails on those: make the pattern a module constant)."""
    found: dict[str, re.Pattern] = {}
    seen: set[tuple[str, int]] = set()

    def add(where: str, pattern: re.Pattern) -> None:
        if (pattern.pattern, pattern.flags) not in seen:
            seen.add((pattern.pattern, pattern.flags))
            found[where] = pattern

    modules = _modules()
    for module in modules:
        for name, value in vars(module).items():
            if isinstance(value, str) and name.endswith("_PATTERN"):
                add(f"{module.__name__}.{name}", re.compile(value))
            for index, pattern in enumerate(_patterns_in(value)):
                add(f"{module.__name__}.{name}" + (f"[{index}]" if index else ""), pattern)
    # A name imported inside a function is looked up in the module that defines it.
    everywhere = {name: value for module in modules for name, value in vars(module).items()
                  if isinstance(value, (str, re.Pattern)) and not name.startswith("__")}
    unresolved = []
    for module in modules:
        file = getattr(module, "__file__", None)
        if not file:
            continue
        tree = ast.parse(Path(file).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "re"
                    and node.func.attr in _RE_FUNCTIONS and node.args):
                continue
            where = f"{module.__name__}:{node.lineno}"
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                add(where, re.compile(first.value, _flags(node, module)))
            elif isinstance(first, ast.Name) and first.id in {**everywhere, **vars(module)}:
                value = vars(module).get(first.id, everywhere[first.id])
                add(where, value if isinstance(value, re.Pattern) else re.compile(value, _flags(node, module)))
            elif not _assigned_to_global(tree, node, module):
                unresolved.append(f"{where}: re.{node.func.attr}({ast.unparse(first)[:60]})")
    return found, unresolved


def _patterns_in(value) -> list[re.Pattern]:
    """A module global's patterns: the global itself, or those in a dict, list or tuple of them."""
    if isinstance(value, re.Pattern):
        return [value]
    items = value.values() if isinstance(value, dict) else value if isinstance(value, (list, tuple)) else ()
    return [item for item in items if isinstance(item, re.Pattern)]


def _assigned_to_global(tree: ast.Module, call: ast.Call, module) -> bool:
    """Whether `call` is part of a module-level `NAME = ...` whose value holds compiled patterns
    (`NAME = re.compile(...)`, or a dict of them): the patterns are then found as globals."""
    for statement in tree.body:
        if isinstance(statement, ast.Assign) and any(node is call for node in ast.walk(statement.value)):
            return all(isinstance(t, ast.Name) and _patterns_in(vars(module).get(t.id)) for t in statement.targets)
    return False


# Runs of the characters markdown, YAML, CSV and dates are made of, alone and mixed. Each string
# is 1 MiB of one unit repeated, after a prefix and before a tail that makes a match fail late
# (the shape that exposes backtracking); prefixes and tails rotate so each is used.
_UNITS = [" ", "\t", "<!--", "`", "``", "#", "# ", "-", "0", "7.", "a", "\n", " \n", "\r", "`<!--` ",
          "## x ", "://", "www.", "\\", "|", "<", "_", "'", "%d", "ESC-2026-", "\u202e", "2026-11-20 "]
_TAILS = ["y", "\n", "\nx", "`", "-"]
_PREFIXES = ["", "# x", "## ", "```", "---\n", "id: ", "1. ", "> "]
_MOST_WORDS = 6


def adversarial_strings(pattern: re.Pattern, size: int = MIB) -> list[tuple[str, str]]:
    """(label, text) pairs of about `size` characters for `pattern`: the generic shapes, plus
    runs of the words the pattern itself spells (`> by by by ...` for a threshold)."""
    source = pattern.pattern.decode("latin-1") if isinstance(pattern.pattern, bytes) else pattern.pattern
    words = sorted(set(re.findall(r"[A-Za-z]{2,}", source)))
    step = max(1, len(words) // _MOST_WORDS)
    units = _UNITS + [word + " " for word in words[::step]]
    if words:
        units.append(" ".join(words) + " ")
    cases = []
    for index, unit in enumerate(units):
        prefix, tail = _PREFIXES[index % len(_PREFIXES)], _TAILS[index % len(_TAILS)]
        body = unit * max(1, (size - len(prefix) - len(tail)) // len(unit))
        cases.append((f"{prefix!r} + {unit!r} * n + {tail!r}", prefix + body + tail))
    mixture = "# ` <!-- 1. - ~~~ ``` : www. 2026-11-20 more than \t \n"
    cases.append(("mixture", (mixture * (size // len(mixture) + 1))[:size]))
    return cases


def exercise(pattern: re.Pattern, text: str) -> None:
    """What cetool does with a pattern: search from every place (which includes `match` at the
    start) and match the whole text (which fails late, where backtracking shows)."""
    if isinstance(pattern.pattern, bytes):
        text = text.encode("utf-8")
    for _ in pattern.finditer(text):
        pass
    pattern.fullmatch(text)


def main(size: int, shard: int, shards: int) -> None:
    """Time this shard's share of the patterns (the test runs the shards side by side)."""
    patterns, unresolved = project_patterns()
    print(json.dumps({"patterns": sorted(patterns), "unresolved": unresolved}), flush=True)
    for where, pattern in sorted(patterns.items())[shard::shards]:
        for label, text in adversarial_strings(pattern, size):
            print(json.dumps({"start": where, "case": label}), flush=True)
            began = time.process_time()
            exercise(pattern, text)
            print(json.dumps({"done": where, "case": label, "cpu": time.process_time() - began}), flush=True)


if __name__ == "__main__":
    arguments = [int(a) for a in sys.argv[1:]]
    main(*arguments) if arguments else main(MIB, 0, 1)
