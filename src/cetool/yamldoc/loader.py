"""YAML with positions, as docs/check.md#rules-every-file-follows asks.

libyaml composes the node tree (fast, with marks); we measure it (`yaml_bounds`: no alias bomb
or runaway nesting gets walked) and walk it ourselves so that every node's position is kept by
path, duplicate keys are caught, plain scalars stay the strings the author wrote, and every tag
the author wrote but `!!str` is an error. Nothing here raises for bad input: problems come back
as values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from cetool.core.findings import Code, Problem
from cetool.core.reading import MAX_FILE_BYTES, decode_text, read_text  # noqa: F401 - re-exported
from cetool.yamldoc.bounds import MAX_DEPTH, MAX_NODES, BaseLoader, Excess, events, is_nesting_error, measure, scan
from cetool.yamldoc.slips import explain, glued_item
from cetool.core.textsafe import quote

# A long text is scanned event by event before it is composed: composing is where a text with
# hundreds of thousands of nodes spends its time, and where libyaml before 0.2.6 (no nesting
# limit, recursive in C) overflows the stack past ~50,000 levels. A shorter text can do neither.
_SCAN_FIRST_FROM_CHARS = 20_000

Path_ = tuple[str | int, ...]

# The composer asks the resolver for a tag only where the author wrote none (or the
# non-specific `!`), so these tags mean "nothing written"; any other tag on a node was written.
_PLAIN = "cetool:plain"
_IMPLICIT_SEQ = "cetool:seq"
_IMPLICIT_MAP = "cetool:map"
_IMPLICIT_COLLECTIONS = (_IMPLICIT_SEQ, _IMPLICIT_MAP)
_NON_SPECIFIC = "!"
_STR = "tag:yaml.org,2002:str"
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
# Where a non-specific `!` could be written: before a blank, a flow `,` or the end, or verbatim.
_MAYBE_NON_SPECIFIC = re.compile(r"!(?=[\s,]|$)|!<!>")


class _ComposeOnlyLoader(BaseLoader):  # type: ignore[misc, valid-type]
    """Composes nodes without YAML 1.1 type guessing: a plain scalar is tagged as plain, and a
    collection without a written tag gets a tag of ours."""

    # Path resolvers are never registered; skipping their per-node bookkeeping saves ~5% of a run.
    def descend_resolver(self, current_node, current_index):  # noqa: D401 - PyYAML hook
        return None

    def ascend_resolver(self):  # noqa: D401 - PyYAML hook
        return None

    def resolve(self, kind, value, implicit):  # noqa: D401 - PyYAML hook
        if kind is ScalarNode:
            # a scalar written `! x` arrives like a plain `x` (an empty one like a quoted
            # one): see _non_specific_scalars
            return _PLAIN if implicit[0] else _STR
        if not implicit:  # a collection written with the non-specific tag `!`
            return _NON_SPECIFIC
        return _IMPLICIT_SEQ if kind is SequenceNode else _IMPLICIT_MAP


def _non_specific_scalars(text: str) -> frozenset[tuple[int, int]]:
    """Where scalars with the non-specific tag `!` start (0-based line, column).

    libyaml hands `! x` to the resolver exactly like a plain `x`, so only the parser's events
    tell them apart; the text check keeps that second parse to the rare texts that could hold one.
    """
    if not _MAYBE_NON_SPECIFIC.search(text):
        return frozenset()
    return frozenset((event.start_mark.line, event.start_mark.column) for event in events(text)
                     if isinstance(event, yaml.ScalarEvent) and event.tag == _NON_SPECIFIC)


def _shown(tag: str) -> str:
    """A tag as the author would write it: `!!int`, not `tag:yaml.org,2002:int`."""
    return "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag


class Position(NamedTuple):
    # A NamedTuple, not a dataclass: the walker makes one per node and key (hot in large runs).
    line: int
    column: int


def format_path(path: Path_) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


@dataclass
class YamlDoc:
    """A parsed document: plain data (dicts, lists, str, None) and where each piece came from."""

    file: str
    data: dict[str, Any]
    # (line, column) tuples; `position()` hands them out as Position
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    # Dotted paths the loader already reported (a forbidden tag...): schema checks skip them, so
    # one bad node gives one problem.
    flagged: set[str] = field(default_factory=set)

    def position(self, path: Path_, *, at_key: bool = False) -> Position | None:
        """Where `path` is written; for a path that is not there, its nearest written ancestor."""
        if at_key and path in self.key_positions:
            return Position(*self.key_positions[path])
        while True:
            if path in self.positions:
                return Position(*self.positions[path])
            if not path:
                return None
            path = path[:-1]

    def problem(
        self, path: Path_, code: str, message: str, *, severity: str | None = None, at_key: bool = False
    ) -> Problem:
        pos = self.position(path, at_key=at_key)
        return Problem(
            file=self.file,
            line=pos.line if pos else None,
            column=pos.column if pos else None,
            path=format_path(path),
            code=code,
            message=message,
            severity=severity,
        )


def _pos(node: Node, line_offset: int) -> Position:
    return Position(node.start_mark.line + 1 + line_offset, node.start_mark.column + 1)


class _Walker:
    """One pass over a measured node tree (so it is bounded in size and depth). Hot in large
    runs (10,000 packets are ~750,000 nodes), so positions are kept as plain (line, column)
    tuples and the common untagged scalar costs no extra call."""

    def __init__(self, file: str, line_offset: int, non_specific: frozenset[tuple[int, int]], text: str = "") -> None:
        self.file = file
        self.text = text
        self.line_offset = line_offset
        self.line_base = line_offset + 1
        self.positions: dict[Path_, tuple[int, int]] = {}
        self.key_positions: dict[Path_, tuple[int, int]] = {}
        self.problems: list[Problem] = []
        self.non_specific = non_specific
        self.tags_reported: set[int] = set()
        self.unwalked_collections = False  # a collection under a key the walk skips (x-, duplicate...)

    def fail(self, node: Node, path: Path_, code: str, message: str) -> None:
        pos = _pos(node, self.line_offset)
        self.problems.append(
            Problem(self.file, pos.line, pos.column, format_path(path), code, message)
        )

    def forbid_tag(self, node: Node, path: Path_, tag: str) -> None:
        if id(node) not in self.tags_reported:  # once per node, however many aliases reach it
            self.tags_reported.add(id(node))
            self.fail(node, path, Code.FORBIDDEN_TAG, f"tag {quote(_shown(tag))} is not allowed (only !!str)")

    def check_scalar_tag(self, node: ScalarNode, path: Path_) -> None:
        if node.tag != _PLAIN and node.tag != _STR:
            self.forbid_tag(node, path, node.tag)
        elif (node.start_mark.line, node.start_mark.column) in self.non_specific:
            self.forbid_tag(node, path, _NON_SPECIFIC)

    def walk(self, node: Node, path: Path_) -> Any:
        mark = node.start_mark
        self.positions[path] = (mark.line + self.line_base, mark.column + 1)
        if isinstance(node, ScalarNode):
            return self.scalar(node, path)
        if len(path) >= MAX_DEPTH:  # this collection is one level deeper than its path is long
            raise _Unmeasured
        if node.tag not in _IMPLICIT_COLLECTIONS:
            self.forbid_tag(node, path, node.tag)
        if isinstance(node, SequenceNode):
            return self.sequence(node, path)
        return self.mapping(node, path)

    def scalar(self, node: ScalarNode, path: Path_) -> str | None:
        plain = node.tag == _PLAIN
        if not plain or self.non_specific:
            self.check_scalar_tag(node, path)
        if plain and " - " in node.value and not node.style and path and isinstance(path[-1], int):
            self.glued_item(node, path)
        return None if plain and node.value in _NULLS else node.value

    def sequence(self, node: SequenceNode, path: Path_) -> list[Any]:
        out = []
        positions = self.positions
        line_base = self.line_base
        # The common item, a plain scalar that cannot be a glued item, inline: `scalar()` in short.
        inline = not self.non_specific
        for index, item in enumerate(node.value):
            value = item.value
            if inline and item.tag == _PLAIN and type(item) is ScalarNode and " - " not in value:
                mark = item.start_mark
                positions[path + (index,)] = (mark.line + line_base, mark.column + 1)
                out.append(None if value in _NULLS else value)
            else:
                out.append(self.walk(item, path + (index,)))
        return out

    def glued_item(self, node: ScalarNode, path: Path_) -> None:
        slip = glued_item(self.text, node.start_mark.line, node.end_mark.line)
        if slip is not None:
            self.problems.append(Problem(self.file, slip.line + self.line_base, slip.column + 1, format_path(path),
                                         Code.YAML_SYNTAX, f"YAML syntax: {slip.message}"))

    def mapping(self, node: MappingNode, path: Path_) -> dict[str, Any]:
        out: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        positions = self.positions
        key_positions = self.key_positions
        line_base = self.line_base
        # A plain scalar value inline: `scalar()` in short (a mapping's value is no list item,
        # so it cannot be a glued one).
        inline = not self.non_specific
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self.fail(key_node, path, Code.NON_SCALAR_KEY, "a key must be a plain string")
                self.skipped(value_node, key_node)
                continue
            key = key_node.value
            key_path = path + (key,)
            if key_node.tag == _PLAIN and key == "<<":
                self.fail(key_node, key_path, Code.MERGE_KEY, "merge keys (<<) are not supported")
                self.skipped(value_node)
                continue
            if key.startswith("x-"):
                self.skipped(value_node)
                continue
            if key_node.tag != _PLAIN or self.non_specific:
                self.check_scalar_tag(key_node, key_path)  # the entry is kept: one problem, at the key
            mark = key_node.start_mark
            line = mark.line + line_base
            if key in first_line:
                self.fail(
                    key_node,
                    key_path,
                    Code.DUPLICATE_KEY,
                    f"duplicate key {quote(key)} (first at line {first_line[key]}, again at line {line})",
                )
                self.skipped(value_node)
                continue
            first_line[key] = line
            key_positions[key_path] = (line, mark.column + 1)
            if inline and value_node.tag == _PLAIN and type(value_node) is ScalarNode:
                value_mark = value_node.start_mark
                positions[key_path] = (value_mark.line + line_base, value_mark.column + 1)
                value = value_node.value
                out[key] = None if value in _NULLS else value
            else:
                out[key] = self.walk(value_node, key_path)
        return out

    def skipped(self, *nodes: Node) -> None:
        """Nodes the walk does not enter still count for the limits (see `_Unmeasured`)."""
        if any(not isinstance(node, ScalarNode) for node in nodes):
            self.unwalked_collections = True


class _Unmeasured(Exception):
    """The walk reached a collection past MAX_DEPTH levels in a document that was not measured
    first: `load_yaml_text` measures it after all, to report the limit as `measure` does."""


def _line_col(text: str, index: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


def _codepoint(character: int | str) -> int:
    return character if isinstance(character, int) else ord(character)


def _yaml_error_problem(text: str, file: str, exc: yaml.YAMLError, line_offset: int) -> Problem:
    if isinstance(exc, yaml.reader.ReaderError):
        line, column = _line_col(text, exc.position)
        return Problem(file, line + line_offset, column, "", Code.YAML_SYNTAX,
                       f"character U+{_codepoint(exc.character):04X} is not allowed in YAML (control character)")
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    code = Code.YAML_SYNTAX
    if "expected a single document" in str(exc):
        code, problem = Code.MULTIPLE_DOCUMENTS, "a second YAML document starts here (one document per file)"
    slip = explain(text, problem, mark.line, mark.column) if mark is not None and code == Code.YAML_SYNTAX else None
    if slip is not None:  # a common slip: plain words, at the slip rather than where libyaml stopped
        return Problem(file, slip.line + 1 + line_offset, slip.column + 1, "", code, f"YAML syntax: {slip.message}")
    line = mark.line + 1 + line_offset if mark else None
    column = mark.column + 1 if mark else None
    return Problem(file, line, column, "", code, f"YAML syntax: {problem}")


def _compose(text: str) -> Node | Excess | None:
    """The node tree (None for an empty document), or the limit its text passes; raises
    yaml.YAMLError for bad syntax."""
    if len(text) > _SCAN_FIRST_FROM_CHARS and (excess := scan(text)) is not None:
        return excess
    loader = _ComposeOnlyLoader(text)
    try:
        return loader.get_single_node()
    except (yaml.YAMLError, RecursionError) as exc:
        # Nesting that stops the composer (libyaml's limit, or Python's without libyaml) is
        # reported as ours, where the text passes it.
        if not (isinstance(exc, RecursionError) or is_nesting_error(exc)) or (excess := scan(text)) is None:
            raise
        return excess
    finally:
        loader.dispose()


def _excess_problem(file: str, excess: Excess, line_offset: int) -> Problem:
    mark = excess.mark
    return Problem(file, mark.line + 1 + line_offset, mark.column + 1, "", excess.code, excess.message)


def load_yaml_text(text: str, file: str, *, line_offset: int = 0) -> tuple[YamlDoc | None, list[Problem]]:
    """Parse one YAML document whose top level must be a mapping."""
    try:
        root = _compose(text)
    except yaml.YAMLError as exc:
        return None, [_yaml_error_problem(text, file, exc, line_offset)]
    if root is None:
        return None, [Problem(file, 1 + line_offset, 1, "", Code.EMPTY_DOCUMENT, "the document is empty")]
    # Only aliases make a tree bigger or deeper than its text (an alias needs an anchor, `&`).
    # Without them a text holds at most about one node per character, so one of fewer than
    # MAX_NODES / 2 characters cannot pass MAX_NODES; its depth is checked by the walk itself,
    # which hands the rare document that passes MAX_DEPTH (or hides a collection under a key
    # it skips) to `measure`: the same problem either way, without measuring every document.
    measured = isinstance(root, Excess) or "&" in text or 2 * len(text) >= MAX_NODES
    excess = root if isinstance(root, Excess) else measure(root) if measured else None
    if excess is not None:
        return None, [_excess_problem(file, excess, line_offset)]
    walker = _Walker(file, line_offset, _non_specific_scalars(text), text)
    try:
        data = walker.walk(root, ())
        unmeasured = not measured and walker.unwalked_collections
    except _Unmeasured:
        data, unmeasured = None, True
    if unmeasured and (excess := measure(root)) is not None:
        return None, [_excess_problem(file, excess, line_offset)]
    if data is None:
        return None, [Problem(file, 1 + line_offset, 1, "", Code.EMPTY_DOCUMENT, "the document is empty")]
    if not isinstance(data, dict):
        pos = _pos(root, line_offset)
        kind = "a list" if isinstance(data, list) else "a single value"
        return None, [
            Problem(file, pos.line, pos.column, "", Code.NOT_A_MAPPING,
                    f"the top level must be a mapping of keys to values, found {kind}")
        ]
    flagged = {problem.path for problem in walker.problems}
    return YamlDoc(file, data, walker.positions, walker.key_positions, flagged), walker.problems


def load_yaml_file(path: Path, file: str | None = None) -> tuple[YamlDoc | None, list[Problem]]:
    file = file if file is not None else str(path)
    text, problems = read_text(path, file)
    if text is None:
        return None, problems
    return load_yaml_text(text, file)
