"""Helpers shared by the metrics tests (imported by name; pytest puts this folder on sys.path)."""

from __future__ import annotations

import csv
import io

CANONICAL = ["ticket_id", "created_at", "priority", "resolved_at", "escalated_at", "prioritized_at", "root_cause"]


def csv_text(header: list[str], rows: list[list[str]], delimiter: str = ",") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def week(result: dict, label: str) -> dict:
    return next(w for w in result["weeks"] if w["week"] == label)
