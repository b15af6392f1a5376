"""Placeholders: the values that mean "not filled in yet" (docs/check.md#rules-every-file-follows)."""

from __future__ import annotations

import re
from typing import Any

_WORDS = frozenset({"todo", "tbd", "fixme", "xxx", "n/a", "?", "...", "-"})
# `<>` and `< >` are placeholders too: an empty slot is as unfilled as `<customer name>`.
_ANGLE = re.compile(r"<[A-Za-z0-9 _-]*>")
# What the CI install step `cetool init` leaves for the team prints, and what `cetool check`
# looks for in CI files (docs/check.md#installing-cetool-in-ci).
CI_INSTALL_UNFILLED = "FILL IN how CI installs cetool"


_LONGEST_WORD = max(len(word) for word in _WORDS)


def is_placeholder(value: str | None) -> bool:
    if value is None:
        return True
    text = value.strip()
    if not text:
        return True
    # Cheap tests first: this runs on every value of every file. Lowercasing never shortens a
    # text, so a longer one is none of the words; an angle placeholder starts with `<`.
    return ((len(text) <= _LONGEST_WORD and text.lower() in _WORDS)
            or (text[0] == "<" and _ANGLE.fullmatch(text) is not None))


def placeholder_leaves(data: Any, path: tuple = ()) -> list[tuple[tuple, str | None]]:
    """Every scalar leaf of a loaded document that is a placeholder (None stands for an empty
    value), with its path, in document order."""
    found: list[tuple[tuple, str | None]] = []
    _collect(data, path, found)
    return found


def _collect(data: Any, path: tuple, found: list) -> None:
    # A list-building walk, not nested generators, that makes a leaf's path only for a
    # placeholder: it runs over every value of every file of large runs.
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else None
    if items is None:
        if is_placeholder(data):
            found.append((path, data))
        return
    for key, value in items:
        if isinstance(value, (dict, list)):
            _collect(value, path + (key,), found)
        elif is_placeholder(value):
            found.append((path + (key,), value))
