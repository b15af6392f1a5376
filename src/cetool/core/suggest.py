""""Did you mean ...?": the closest known key to a mistyped one, for every message that offers one."""

from __future__ import annotations

import difflib
from typing import Iterable

from cetool.core.textsafe import quote

CUTOFF = 0.6


def closest(value: str, choices: Iterable[str], count: int = 1, cutoff: float = CUTOFF) -> list[str]:
    """Up to `count` choices spelled most like `value`, best first."""
    return difflib.get_close_matches(value, list(choices), n=count, cutoff=cutoff)


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """`; did you mean 'x'?` to end a message with, or "" when nothing is close."""
    close = closest(value, choices)
    return f"; did you mean {quote(close[0])}?" if close else ""
