"""An export with four drivers in 2026-W47 and a docs root with their actions (the issue's case):
one done (its effect measurable), one in progress, one overdue, one with no action whose tickets
this week come from four accounts."""

from __future__ import annotations

import csv
from datetime import datetime, timedelta
from pathlib import Path

from prevention_builders import VALID, make_root

HEADER = ["ticket_id", "created_at", "priority", "resolved_at", "escalated_at", "prioritized_at",
          "root_cause", "account"]
W47 = datetime(2026, 11, 16, 9, 0)  # Monday of the report's week
TODAY = "2026-11-23"  # the Monday after: the agenda meeting


def _at(monday: datetime, day: int, hour: int = 0) -> str:
    return (monday + timedelta(days=day, hours=hour)).strftime("%Y-%m-%dT%H:%M:%SZ")


def rows() -> list[list[str]]:
    out: list[list[str]] = []

    def ticket(when: str, cause: str, account: str, escalated: str = "") -> None:
        out.append([f"T-{len(out) + 1:04d}", when, "P3", "", escalated, "", cause, account])

    # done-cause: 3 a week in W39..W43 (each a repeat from W40 on), done on Friday of W44, then 1 a week
    for back in range(8, 3, -1):  # W39..W43
        for day in (0, 2, 4):
            ticket(_at(W47 - timedelta(weeks=back), day), "done-cause", "acme")
    for back in (2, 1, 0):  # W45, W46, W47
        ticket(_at(W47 - timedelta(weeks=back), 1), "done-cause", "acme")
    # progress-cause and overdue-cause: one ticket in W46, two in W47 from one or two accounts
    for cause, accounts in (("progress-cause", ("globex", "globex")), ("overdue-cause", ("initech", "umbrella"))):
        ticket(_at(W47 - timedelta(weeks=1), 3), cause, accounts[0])
        ticket(_at(W47, 1), cause, accounts[0])
        ticket(_at(W47, 2), cause, accounts[1])
    # open-cause: one in W46, four in W47 from four accounts, one of them escalated
    ticket(_at(W47 - timedelta(weeks=1), 4), "open-cause", "acme")
    for day, account in enumerate(("acme", "globex", "initech", "hooli")):
        ticket(_at(W47, day), "open-cause", account, escalated=_at(W47, day, 3) if day == 0 else "")
    # ordinary tickets without a root cause, so every week has tickets, from far enough back that
    # the effect's weeks have their whole 30-day repeat look-back
    for back in range(16):
        ticket(_at(W47 - timedelta(weeks=back), 5), "", "acme")
    return out


def write_export(path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(rows())
    return path


def _action(number: int, cause: str, status: str, due: str, *, done: str | None = None, kind: str = "enablement",
            assigned: str = "2026-10-26") -> str:
    text = (VALID.replace("PA-2026-0001", f"PA-2026-{number:04d}")
            .replace("root_cause: webhook-secret-rotation", f"root_cause: {cause}")
            .replace("kind: runbook-update", f"kind: {kind}")
            .replace("assigned: 2026-11-23", f"assigned: {assigned}")
            .replace("due: 2026-11-30", f"due: {due}")
            .replace("status: done", f"status: {status}")
            .replace("links: [RB-WEBHOOK-DELIVERY, KI-0001, PE-4411]\n", ""))
    return text.replace("done: 2026-11-27", f"done: {done}") if done else text.replace("done: 2026-11-27\n", "")


def loop_root(tmp_path: Path) -> Path:
    return make_root(tmp_path, {
        "PA-2026-0001.yaml": _action(1, "done-cause", "done", "2026-10-30", done="2026-10-30"),
        "PA-2026-0002.yaml": _action(2, "progress-cause", "in-progress", "2026-11-27", assigned="2026-11-16"),
        "PA-2026-0003.yaml": _action(3, "overdue-cause", "planned", "2026-11-20", assigned="2026-11-16"),
    })
