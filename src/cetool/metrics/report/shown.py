"""Values from an export made safe to show people: cut, and with control characters escaped.

Every reporter starts with `for_people(result)`, so no value from the export reaches the output
unescaped or uncut, whatever the format does next (html.escape, markdown escaping, rich Text).
"""

from __future__ import annotations

from typing import Any

from cetool.core.textsafe import visible
from cetool.metrics.result import WeeklyResult

SHOWN_LIMIT = 80  # characters of a value from the export shown in a report
# Root causes are keys: long ones are rare, and two cut to the same 79 characters would read as one.
ROOT_CAUSE_LIMIT = 200
_LIMITS = {"context": 500, "recorded_context": 500, "why": 300, "source": 300, "docs_root": 300, "bad_row_examples": 200, "root_cause": ROOT_CAUSE_LIMIT}

def shown(value: object, limit: int = SHOWN_LIMIT) -> str:
    """A value from the export as it may appear in a report: cut to `limit` characters with an
    ellipsis, and control characters written as `\\x1b`-style escapes, so a cell can neither
    drive the terminal (escape sequences) nor flood the page."""
    text = str(value)
    if len(text) > limit:
        text = text[:limit - 1] + "…"
    return visible(text, keep_tabs=False)  # a tab or newline would break a table row


def for_people(result: WeeklyResult | dict) -> WeeklyResult:
    """A copy of the result with every string (keys too) passed through `shown`. Each reporter
    starts with it, so no value from the export reaches the output unescaped or uncut. A JSON
    object (a saved result) is read into the typed result on the way."""
    def clean(value: Any, key: str | None) -> Any:
        if isinstance(value, str):
            return shown(value, _LIMITS.get(key or "", SHOWN_LIMIT))
        if isinstance(value, dict):
            return {clean(k, None) if isinstance(k, str) else k: clean(v, k if isinstance(k, str) else key)
                    for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [clean(item, key) for item in value]
        return value

    return WeeklyResult.from_dict(clean(WeeklyResult.of(result).to_dict(), None))
