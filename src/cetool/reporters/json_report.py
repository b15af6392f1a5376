from __future__ import annotations

from typing import Any

from cetool.core.findings import Report
from cetool.core.textsafe import json_text


def render(report: Report, *, extra: dict[str, Any] | None = None, **_: Any) -> str:
    payload = report.to_dict()
    if extra:
        payload.update(extra)
    return json_text(payload)


def render_error(message: str) -> str:
    return json_text({"error": message}, indent=None)
