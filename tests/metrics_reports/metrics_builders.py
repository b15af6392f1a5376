"""Hand-built result dicts in the shape of `cetool metrics weekly --format json` (docs/metrics-reports.md)."""

from __future__ import annotations

import copy
from datetime import date, timedelta


def iso_label(monday: date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def make_week(monday: date, **overrides) -> dict:
    week = {
        "week": iso_label(monday),
        "start": f"{monday.isoformat()}T00:00:00+00:00",
        "end": f"{(monday + timedelta(days=7)).isoformat()}T00:00:00+00:00",
        "covered": True,
        "tickets_created": 400,
        "escalations": 20,
        "escalations_per_100": 5.0,
        "repeat_issues_30d": 30,
        "p1p2_resolved": 40,
        "p1p2_ttr_median_hours": 12.5,
        "p1p2_ttr_p90_hours": 48.25,
        "p1p2_open_at_end": 6,
        "first_response_median_hours": 1.4,
        "first_response_count": 396,
        "reopen_rate": 0.05,
        "reopen_base": 380,
        "backlog_at_end": {"total": 120, "buckets": {"<1d": 10, "1-3d": 20, "3-7d": 30, "7-30d": 40, ">30d": 20}},
        "packet_compliance": 0.8,
        "packet_compliance_base": 20,
        "packet_compliant": 16,
        "phase_medians_hours": {"intake": 0.5, "investigation": 6.0, "response_drafting": 1.0, "closure": 2.0},
        "phase_counts": {"intake": 40, "investigation": 38, "response_drafting": 38, "closure": 39},
    }
    week.update(overrides)
    return week


def uncovered(week: dict) -> dict:
    """An uncovered week as C1 computes it: figures present but meaningless (zeros / nulls)."""
    return dict(week, covered=False, tickets_created=0, escalations=0, escalations_per_100=None,
                repeat_issues_30d=0, p1p2_resolved=0, p1p2_ttr_median_hours=None, p1p2_ttr_p90_hours=None,
                p1p2_open_at_end=0)


def make_result(weeks: list[dict], *, drivers: list[dict] | None = None, context: str | None = "Quiet week.",
                **overrides) -> dict:
    result = {
        "week": weeks[-1]["week"] if weeks else "2026-W47",
        "tz": "UTC",
        "input_tz": "UTC",
        "week_rule": f"ISO week {weeks[-1]['week'] if weeks else '2026-W47'}: Monday 00:00 to the next Monday 00:00, UTC",
        "context": context,
        "weeks": weeks,
        "drivers": drivers if drivers is not None else [],
        "run": {
            "source": "examples/tickets.csv",
            "preset": "canonical",
            "rows_read": 3210,
            "tickets": 3200,
            "duplicates": 10,
            "bad_rows": 2,
            "bad_rows_by_reason": {"unparseable created_at": 1, "resolved_at before start": 1},
            "bad_row_examples": ["row 17 (ticket T-9): unparseable created_at '31/02/2026'",
                                 "row 90 (ticket T-80): resolved_at before start"],
            "blanked_by_column": {},
            "span": {"first_created": "2026-09-28T08:00:00+00:00", "last_created": "2026-11-22T23:10:00+00:00"},
            "docs_root": ".",
            "strict": False,
        },
    }
    result.update(copy.deepcopy(overrides))
    return result


def driver(root_cause: str, escalations: int, repeats: int, trend: list[int | None], *,
           known_issue: str | None = None, runbook: str | None = None) -> dict:
    prevention = ("known issue + runbook" if known_issue and runbook else "known issue only" if known_issue
                  else "runbook only" if runbook else "no prevention action")
    return {"root_cause": root_cause, "escalations": escalations, "repeats": repeats,
            "score": escalations + repeats, "trend": trend, "known_issue": known_issue,
            "runbook": runbook, "prevention": prevention}


def eight_weeks(end_monday: date = date(2026, 11, 16)) -> list[dict]:
    """Eight covered weeks with figures that move, ending with the requested week."""
    weeks = []
    for i in range(8):
        monday = end_monday - timedelta(weeks=7 - i)
        weeks.append(make_week(monday, escalations=16 + i, escalations_per_100=(16 + i) / 4,
                               repeat_issues_30d=40 - 2 * i, p1p2_ttr_median_hours=20.0 - i,
                               p1p2_ttr_p90_hours=60.0 - 2 * i))
    return weeks


HOSTILE = '<script>alert("x")</script> | [bold]loud[/bold] *star* `tick`'


def full_result() -> dict:
    """Eight weeks with an uncovered one and a null figure, three drivers, a hostile context and root cause."""
    weeks = eight_weeks()
    weeks[2] = uncovered(weeks[2])
    weeks[3]["p1p2_ttr_median_hours"] = None
    drivers = [
        driver("csv-export-timeout", 5, 20, [1, 2, 0, 4, 5, 6, 7, 25]),
        driver("webhook-secret-rotation", 2, 3, [9, 8, 0, 6, 5, 4, 3, 5],
               known_issue="KI-0001", runbook="RB-WEBHOOK-DELIVERY"),
        driver("role|sync<script>", 0, 1, [0, 0, 0, 0, 0, 0, 0, 1], known_issue="KI-0002"),
    ]
    return make_result(weeks, drivers=drivers, context=HOSTILE)
