"""A small valid matrix as data, and helpers to write it and find lines in it."""

from __future__ import annotations

import copy
from pathlib import Path

import yaml

_BASE = {
    "version": "2026.4",
    "effective": "2026-10-01",
    "review_by": "2027-01-01",
    "teams": {
        "support": {"name": "Support", "owns": ["intake", "suspected-bug"], "does_not_own": ["deep-debugging"]},
        "customer-engineering": {
            "name": "Customer Engineering",
            "owns": ["deep-debugging", "escalation-packaging"],
            "consults_on": ["suspected-bug"],
            "does_not_own": ["confirmed-bug"],
        },
        "product-engineering": {"name": "Product Engineering", "owns": ["confirmed-bug", "systemic-rca"]},
    },
    "categories": {
        "intake": {"description": "First contact and intake for all inbound issues"},
        "suspected-bug": {"description": "Edge cases that may be bugs but are not confirmed"},
        "deep-debugging": {"description": "Deep debugging of complex cases"},
        "escalation-packaging": {"description": "Documenting issues before routing to Product Engineering"},
        "confirmed-bug": {"description": "Confirmed bugs requiring codebase changes"},
        "systemic-rca": {"description": "Root cause analysis for systemic failures"},
    },
    "escalation": {
        "gates": [{"to": "product-engineering", "from": ["customer-engineering"]}],
        "named_owner_for": ["P1", "P2"],
    },
}


def matrix_data() -> dict:
    return copy.deepcopy(_BASE)


def dump(data: dict) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def write_matrix(folder: Path, data: dict | str | None = None, name: str = "ownership.yaml") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    text = data if isinstance(data, str) else dump(data if data is not None else matrix_data())
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """1-based line of the nth line containing `needle`."""
    hits = [i for i, line in enumerate(text.splitlines(), 1) if needle in line]
    return hits[nth - 1]
