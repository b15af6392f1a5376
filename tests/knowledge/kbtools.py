"""Helpers for the knowledge and check tests (plain functions; fixtures are in conftest.py)."""

from __future__ import annotations

from pathlib import Path

TODAY = "2026-11-23"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, text: str, occurrence: int = 1) -> int:
    hits = [i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line]
    return hits[occurrence - 1]


def codes_at(payload: dict, file: Path) -> list[tuple[int | None, str, str]]:
    """(line, code, severity) of the problems reported for `file`."""
    return [(p["line"], p["code"], p["severity"]) for p in payload["problems"]
            if Path(p["file"]).resolve() == file.resolve()]
