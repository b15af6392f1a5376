from __future__ import annotations

import json
from typing import Any

from cetool.core.findings import Report


def render(report: Report, *, extra: dict[str, Any] | None = None, **_: Any) -> str:
    payload = report.to_dict()
    if extra:
        payload.update(extra)
    return json.dumps(payload, indent=2, ensure_ascii=False, default=str)


def render_error(message: str) -> str:
    return json.dumps({"error": message}, ensure_ascii=False)
