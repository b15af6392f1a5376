"""The common YAML slips of a person writing a packet by hand, explained in plain words at the
line of the slip itself (libyaml's own words, and often its position, point elsewhere):
docs/packets.md#yaml-slips.

- a tab in the indentation ("found character that cannot start any token");
- an unquoted `: ` inside a sentence ("mapping values are not allowed in this context");
- a list item whose `-` is not aligned with its siblings ("did not find expected key", or no
  error at all: the item is silently glued to the one above);
- a key that lost its indentation, so the next line looks indented under it (libyaml reports
  the next line).
"""

from __future__ import annotations

import re
from typing import NamedTuple

Slip = NamedTuple("Slip", [("line", int), ("column", int), ("message", str)])  # 0-based line and column

# Anchored with `^`: matched at a line's start only, and linear even if searched
# (docs/security.md#linear-time-parsing).
_KEY = re.compile(r"^(?P<indent> *)(?:- +)?(?P<key>[^\s:#'\"][^:#]*?|'[^']*'|\"[^\"]*\"):(?: +|$)")
_ITEM = re.compile(r"^(?P<indent> *)- ")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _tab(lines: list[str], line: int) -> Slip | None:
    """The first tab at or before the error: libyaml stops at the first one it cannot read."""
    for number in range(line, -1, -1):
        text = lines[number] if number < len(lines) else ""
        leading = text[: len(text) - len(text.lstrip(" \t"))]
        if "\t" in leading:
            return Slip(number, leading.index("\t"),
                        "a tab in the indentation: YAML indents with spaces; replace the tab with spaces")
        if number < line:  # only the error's own line and a tab-indented line just above it
            break
    return None


def _colon_in_value(lines: list[str], line: int, column: int) -> Slip | None:
    text = lines[line] if line < len(lines) else ""
    key = _KEY.match(text)
    if key is None or key.end() > column:  # the colon is the line's own key: not a sentence
        return None
    name = key.group("key")
    return Slip(line, column, f"the value of {name!r} contains ': ', which YAML reads as a new key; "
                              f"quote the value: {name}: \"{text[key.end():].strip()}\"")


def _lost_indentation(lines: list[str], line: int) -> Slip | None:
    """`line` is indented under the non-blank line above it, which is a `key: value` (so it
    cannot hold a block): that key is the one that lost its indentation."""
    above = next((n for n in range(line - 1, -1, -1) if lines[n].strip() and not lines[n].lstrip().startswith("#")),
                 None)
    if above is None or _indent(lines[line]) <= _indent(lines[above]):
        return None
    key = _KEY.match(lines[above])
    if key is None or not lines[above][key.end():].strip() or lines[above].lstrip().startswith("- "):
        return None
    siblings = [n for n in range(above - 1, -1, -1) if lines[n].strip() and not lines[n].lstrip().startswith("#")]
    if not siblings or _indent(lines[siblings[0]]) <= _indent(lines[above]):
        return None
    want = _indent(lines[siblings[0]])
    return Slip(above, key.start("key"),
                f"{key.group('key')!r} lost its indentation: it is at column {_indent(lines[above]) + 1} "
                f"but belongs with the keys above it (column {want + 1}); indent it {want} spaces, "
                f"like line {siblings[0] + 1}")


def _misaligned_item(lines: list[str], line: int) -> Slip | None:
    item = _ITEM.match(lines[line]) if line < len(lines) else None
    if item is None:
        return None
    column = len(item.group("indent"))
    for number in range(line - 1, -1, -1):
        sibling = _ITEM.match(lines[number])
        if sibling and len(sibling.group("indent")) != column:
            want = len(sibling.group("indent"))
            return Slip(line, column, f"list item misaligned: its '-' is at column {column + 1}, the item on "
                                      f"line {number + 1} at column {want + 1}; align '-' with the sibling items")
        if lines[number].strip() and _indent(lines[number]) < min(column, 2) and not sibling:
            break
    return None


def explain(text: str, problem: str, line: int, column: int) -> Slip | None:
    """A plain-language explanation of a libyaml error at (0-based) `line`, `column`, placed at
    the slip; None when the error is none of the common slips."""
    lines = text.splitlines()
    if "tab" in problem or "cannot start any token" in problem:
        return _tab(lines, line)
    if "mapping values are not allowed" in problem:
        return _colon_in_value(lines, line, column) or _lost_indentation(lines, line)
    if "did not find expected key" in problem or "expected '-' indicator" in problem \
            or "expected <block end>" in problem:
        return _misaligned_item(lines, line) or _lost_indentation(lines, line)
    return None


def glued_item(text: str, start_line: int, end_line: int) -> Slip | None:
    """A list item over-indented by a space or two is valid YAML, read as part of the item above
    it (`- one` then ` - two` gives 'one - two'); the plain scalar from `start_line` to `end_line`
    (0-based) is checked for such a continuation line."""
    lines = text.splitlines()
    for number in range(start_line + 1, min(end_line, len(lines) - 1) + 1):
        item = _ITEM.match(lines[number])
        if item is not None:
            dash = len(item.group("indent"))
            return Slip(number, dash, "list item misaligned: this '-' is indented more than the item above it, "
                                      "so YAML reads it as part of that item's text; "
                                      "align '-' with the sibling items")
    return None
