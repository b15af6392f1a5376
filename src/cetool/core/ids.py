"""How ids are compared: every cross-reference and uniqueness check uses `id_key`.

Ids (packets, runbooks, known issues) are unique ignoring case, so a reference resolves ignoring
case too: `known_issue: ki-0001` names `KI-0001` wherever the reference is written.
"""

from __future__ import annotations


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
