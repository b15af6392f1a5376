"""`cetool route CATEGORY`."""

from __future__ import annotations


def route(category: str) -> None:
    """Who owns CATEGORY (to be built)."""
    raise NotImplementedError
