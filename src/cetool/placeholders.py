"""Placeholders: the values that mean "not filled in yet" (spec section 0)."""

from __future__ import annotations

import re
from typing import Any, Iterator

_WORDS = frozenset({"todo", "tbd", "fixme", "xxx", "n/a", "?", "...", "-"})
_ANGLE = re.compile(r"<[A-Za-z0-9 _-]+>")


def is_placeholder(value: str | None) -> bool:
    if value is None:
        return True
    text = value.strip()
    return not text or text.lower() in _WORDS or _ANGLE.fullmatch(text) is not None


def string_leaves(data: Any, path: tuple = ()) -> Iterator[tuple[tuple, str | None]]:
    """Every scalar leaf of a loaded document with its path (None stands for an empty value)."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from string_leaves(value, path + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from string_leaves(value, path + (index,))
    else:
        yield path, data
