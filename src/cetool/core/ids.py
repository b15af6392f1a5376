"""Ids and severity levels, defined once.

Ids (packets, runbooks, known issues) are unique ignoring case, so a reference resolves ignoring
case too: `known_issue: ki-0001` names `KI-0001` wherever the reference is written. Every
cross-reference and uniqueness check compares `id_key`s (docs/packets.md#rules).
"""

from __future__ import annotations

import re
from typing import Literal

# The severity (priority) levels of packets, the matrix's named_owner_for and ticket exports.
SEVERITY_LEVELS = ("P1", "P2", "P3", "P4")
SeverityLevel = Literal[SEVERITY_LEVELS]  # type: ignore[valid-type]

# A document id: packets, runbooks and known issues (docs/packets.md#format, docs/knowledge.md#format).
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
_ID = re.compile(ID_PATTERN)


def is_id(value: str) -> bool:
    return _ID.fullmatch(value) is not None


def id_key(value: str) -> str:
    """The comparable form of an id as written: trimmed and case-folded."""
    return value.strip().casefold()


def id_keys(values) -> set[str]:
    return {id_key(v) for v in values if isinstance(v, str) and v.strip()}


class IdIndex:
    """Ids as written plus their comparable keys, built once for a run's many lookups."""

    def __init__(self, ids) -> None:
        self.ids = set(ids)
        self.keys = id_keys(self.ids)

    def __contains__(self, value: str) -> bool:
        return id_key(value) in self.keys

    def __iter__(self):
        return iter(self.ids)


# The `<year>-<n>` after an id's prefix; a module constant, so the pattern test finds it
# (docs/security.md#linear-time-parsing).
_YEAR_AND_NUMBER = re.compile(r"(\d{4})-(\d{4,})")


def next_sequence_id(prefix: str, year: int, taken) -> str:
    """`<prefix>-<year>-<n+1>`, n the highest number of `year` among the `taken` ids (or file
    stems) written `<prefix>-<year>-<n>` in any case; four digits at least."""
    highest, start = 0, prefix.casefold() + "-"
    for name in taken:
        name = name.strip()
        match = _YEAR_AND_NUMBER.fullmatch(name[len(start):]) if name.casefold().startswith(start) else None
        if match and int(match.group(1)) == year:
            highest = max(highest, int(match.group(2)))
    return f"{prefix}-{year}-{highest + 1:04d}"
