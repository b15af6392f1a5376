"""Exports shaped exactly like the real ones (see docs/metrics.md#presets-and-mapping-files), and an
independent computation of the figures from a ServiceNow event log in plain Python.

ServiceNow's incident event log is modelled on the public "incident management process enriched
event log" (UCI): the same 36 columns in the same order, one row per update in update order,
`?` for a missing value, values such as `Caller 2403`, `Opened by  8` (two spaces, as there),
`2 - Medium`, `code 5`, and dates written `dd-mm-yyyy HH:MM` (day first, dashes, no seconds).
Guessed where the public copy does not show it: the problem ids (`Problem ID  12`) and how often
an incident is raised to P1/P2 after it was opened.
"""

from __future__ import annotations

import csv
import io
import random
from datetime import datetime, timedelta, timezone

SN_COLUMNS = ["number", "incident_state", "active", "reassignment_count", "reopen_count", "sys_mod_count",
              "made_sla", "caller_id", "opened_by", "opened_at", "sys_created_by", "sys_created_at",
              "sys_updated_by", "sys_updated_at", "contact_type", "location", "category", "subcategory",
              "u_symptom", "cmdb_ci", "impact", "urgency", "priority", "assignment_group", "assigned_to",
              "knowledge", "u_priority_confirmation", "notify", "problem_id", "rfc", "vendor", "caused_by",
              "closed_code", "resolved_by", "resolved_at", "closed_at"]
SN_PRIORITIES = {1: "1 - Critical", 2: "2 - High", 3: "3 - Moderate", 4: "4 - Low"}
SN_LEVELS = {text: level for level, text in SN_PRIORITIES.items()}
# How each instance setting writes a timestamp (strftime), and how the same log reads in it.
SN_STYLES = {
    "dd-mm-yyyy HH:MM": "%d-%m-%Y %H:%M",  # the public copy
    "dd/mm/yyyy HH:MM:SS": "%d/%m/%Y %H:%M:%S",
    "mm-dd-yyyy HH:MM": "%m-%d-%Y %H:%M",
    "ISO": "%Y-%m-%d %H:%M:%S",
}
START = datetime(2016, 2, 29, 1, 16, tzinfo=timezone.utc)
PROBLEMS = [f"Problem ID  {n}" for n in (2, 12, 41, 97)]


def servicenow_incidents(count: int = 160, seed: int = 7, days: int = 70) -> list[list[dict]]:
    """Incidents as their event-log rows (dicts by column), in update order; whole minutes."""
    rnd = random.Random(seed)
    incidents = []
    for number in range(count):
        opened = START + timedelta(minutes=rnd.randrange(days * 24 * 60))
        priority = rnd.choices([1, 2, 3, 4], [1, 3, 10, 6])[0]
        raised_to = rnd.choice([1, 2]) if priority > 2 and rnd.random() < 0.2 else None
        problem = rnd.choice(PROBLEMS) if rnd.random() < 0.45 else "?"
        resolved = opened + timedelta(minutes=rnd.randrange(30, 9 * 24 * 60)) if rnd.random() < 0.85 else None
        reopen = rnd.choice([0, 0, 0, 0, 1, 2])
        base = {c: "?" for c in SN_COLUMNS}
        base.update(number=f"INC{45 + number * 7:07d}", caller_id=f"Caller {rnd.randrange(9, 5000)}",
                    opened_by=f"Opened by  {rnd.randrange(1, 200)}", opened_at=opened,
                    sys_created_by=f"Created by {rnd.randrange(1, 200)}", sys_created_at=opened + timedelta(minutes=7),
                    contact_type="Phone", location=f"Location {rnd.randrange(1, 300)}",
                    category=f"Category {rnd.randrange(1, 60)}", subcategory=f"Subcategory {rnd.randrange(1, 200)}",
                    u_symptom=f"Symptom {rnd.randrange(1, 500)}", impact="2 - Medium", urgency="2 - Medium",
                    assignment_group=f"Group {rnd.randrange(1, 80)}", knowledge="true",
                    u_priority_confirmation="false", notify="Do Not Notify", made_sla="true",
                    reassignment_count="0", reopen_count="0", problem_id="?")
        # updates: New, Active (maybe raised to P1/P2 there), Awaiting User Info, Resolved, Closed
        moments = [opened + timedelta(minutes=7)]
        horizon = resolved or opened + timedelta(days=12)
        for _ in range(rnd.randrange(1, 4)):
            moments.append(moments[-1] + timedelta(minutes=rnd.randrange(1, max(2, int((horizon - moments[-1]).total_seconds() // 60)))))
        moments = sorted(set(m for m in moments if m < horizon)) or [opened + timedelta(minutes=1)]
        raise_at = rnd.randrange(1, len(moments)) if raised_to and len(moments) > 1 else None
        rows = []
        level = priority
        for step, moment in enumerate(moments):
            if raise_at is not None and step == raise_at:
                level = raised_to
            row = dict(base, incident_state="New" if step == 0 else "Active", active="true",
                       sys_mod_count=str(step), sys_updated_by=f"Updated by {rnd.randrange(1, 60)}",
                       sys_updated_at=moment, priority=SN_PRIORITIES[level],
                       problem_id=problem if step else "?", assigned_to="?" if step == 0 else f"Resolver {rnd.randrange(1, 200)}")
            rows.append(row)
        if resolved is not None:
            rows.append(dict(rows[-1], incident_state="Resolved", sys_mod_count=str(len(rows)),
                             sys_updated_at=resolved, resolved_at=resolved, reopen_count=str(reopen),
                             resolved_by=f"Resolved by {rnd.randrange(1, 200)}", closed_code=f"code {rnd.randrange(1, 17)}"))
            closed = resolved + timedelta(days=5, minutes=rnd.randrange(0, 600))
            rows.append(dict(rows[-1], incident_state="Closed", active="false", sys_mod_count=str(len(rows)),
                             sys_updated_at=closed, closed_at=closed))
        if rnd.random() < 0.2:  # the latest update comes first in the file: order must not matter
            rows.insert(0, rows.pop())
        incidents.append(rows)
    return incidents


def servicenow_csv(incidents: list[list[dict]], style: str = "dd-mm-yyyy HH:MM") -> str:
    fmt = SN_STYLES[style]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(SN_COLUMNS)
    for rows in incidents:
        for row in rows:
            writer.writerow([value.strftime(fmt) if isinstance(value, datetime) else value
                             for value in (row[c] for c in SN_COLUMNS)])
    return out.getvalue()


# --- The independent computation: the rules of docs/metrics.md, written out plainly -----------

def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    position = q * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def expected_servicenow(text: str, style: str, mondays: list[datetime]) -> dict:
    """The figures of each week (Monday UTC instants, then the end) from the CSV text alone."""
    fmt = SN_STYLES[style]

    def when(value: str) -> datetime | None:
        return None if value == "?" else datetime.strptime(value, fmt).replace(tzinfo=timezone.utc)

    history: dict[str, list[tuple[datetime, int, dict]]] = {}
    for order, row in enumerate(csv.DictReader(io.StringIO(text))):
        history.setdefault(row["number"], []).append((when(row["sys_updated_at"]), order, row))
    tickets = []
    for rows in history.values():
        rows.sort(key=lambda item: (item[0], item[1]))
        final = rows[-1][2]
        level = SN_LEVELS[final["priority"]]
        start = created = when(final["opened_at"])
        if level <= 2 and SN_LEVELS[rows[0][2]["priority"]] > 2:
            start = next(moment for moment, _order, row in rows if SN_LEVELS[row["priority"]] <= 2)
        resolved = when(final["resolved_at"])
        if start < created or resolved is not None and start >= resolved:  # clocks apart; raised at closing
            start = created
        tickets.append({"created": created, "start": start, "level": level,
                        "resolved": resolved, "cause": final["problem_id"],
                        "reopen": int(final["reopen_count"])})
    weeks = []
    for begin, end in zip(mondays, mondays[1:]):
        made = [t for t in tickets if begin <= t["created"] < end]
        repeats = sum(1 for t in made if t["cause"] != "?" and any(
            o is not t and o["cause"] == t["cause"] and t["created"] - timedelta(hours=720) <= o["created"] < t["created"]
            for o in tickets))
        urgent = [t for t in tickets if t["level"] <= 2]
        done = [(t["resolved"] - t["start"]).total_seconds() / 3600 for t in urgent
                if t["resolved"] is not None and begin <= t["resolved"] < end]
        open_at_end = sum(1 for t in urgent if t["start"] < end and (t["resolved"] is None or t["resolved"] >= end))
        backlog = [t for t in tickets if t["created"] < end and (t["resolved"] is None or t["resolved"] >= end)]
        buckets = {"<1d": 0, "1-3d": 0, "3-7d": 0, "7-30d": 0, ">30d": 0}
        for t in backlog:
            days = (end - t["created"]).total_seconds() / 86400
            name = "<1d" if days < 1 else "1-3d" if days < 3 else "3-7d" if days < 7 else "7-30d" if days < 30 else ">30d"
            buckets[name] += 1
        resolved = [t for t in tickets if t["resolved"] is not None and begin <= t["resolved"] < end]
        weeks.append({
            "tickets_created": len(made),
            "repeat_issues_30d": repeats,
            "p1p2_resolved": len(done),
            "p1p2_ttr_median_hours": _quantile(done, 0.5) if done else None,
            "p1p2_ttr_p90_hours": _quantile(done, 0.9) if done else None,
            "p1p2_open_at_end": open_at_end,
            "reopen_base": len(resolved),
            "reopen_rate": sum(1 for t in resolved if t["reopen"] > 0) / len(resolved) if resolved else None,
            "backlog_at_end": {"total": len(backlog), "buckets": buckets},
        })
    raised = sum(1 for rows in history.values()
                 if SN_LEVELS[sorted(rows, key=lambda i: (i[0], i[1]))[-1][2]["priority"]] <= 2
                 and SN_LEVELS[sorted(rows, key=lambda i: (i[0], i[1]))[0][2]["priority"]] > 2)
    return {"weeks": weeks, "tickets": len(tickets), "rows": sum(len(r) for r in history.values()), "raised": raised}


# --- Jira and Zendesk as their exports write them -------------------------------------------

JIRA_CLOUD_COLUMNS = [
    "Summary", "Issue key", "Issue id", "Parent id", "Issue Type", "Status", "Project key", "Project name",
    "Project type", "Project lead", "Priority", "Resolution", "Assignee", "Reporter", "Creator", "Created",
    "Updated", "Last Viewed", "Resolved", "Component/s", "Due date", "Votes", "Labels", "Labels", "Labels",
    "Description", "Environment", "Watchers", "Watchers", "Custom field (Root cause)",
    "Custom field (Time to first response)", "Custom field (Time to resolution)", "Sprint", "Comment", "Comment",
]


def jira_rows(dates: list[tuple[str, str, str | None]]) -> list[dict]:
    """Six issues (created, updated, resolved written by the caller's format): CE-101 is escalated
    by label; CE-102 repeats CE-101's root cause by an `rc:` label; CE-103 is Highest (P1)."""
    base = {c: "" for c in JIRA_CLOUD_COLUMNS}
    specs = [
        ("SSO redirect loop for Acme", "CE-101", "Highest", ["customer-acme", "escalated", ""], "saml-redirect-loop"),
        ("Acme SSO loop again", "CE-102", "High", ["rc:saml-redirect-loop", "", ""], ""),
        ("Import drops rows", "CE-103", "Highest", ["import", "", ""], "import-silent-drop"),
        ("Billing rounding", "CE-104", "Medium", ["", "", ""], ""),
        ("Webhook secret rotation", "CE-105", "Low", ["rc:webhook-secret-rotation", "escalated", ""], ""),
        ("Question about SSO", "CE-106", "Lowest", ["", "", ""], ""),
    ]
    rows = []
    for number, ((summary, key, priority, labels, cause), (created, updated, resolved)) in enumerate(zip(specs, dates)):
        row = dict(base)
        row.update({"Summary": summary, "Issue key": key, "Issue id": str(10101 + number), "Issue Type": "Bug",
                    "Status": "Done" if resolved else "Open", "Project key": "CE", "Project name": "Customer Engineering",
                    "Project type": "service_desk", "Project lead": "Ana Lima", "Priority": priority,
                    "Resolution": "Done" if resolved else "", "Assignee": "Ben Okafor", "Reporter": "Ana Lima",
                    "Creator": "Ana Lima", "Created": created, "Updated": updated, "Last Viewed": updated,
                    "Resolved": resolved or "", "Votes": "0", "Custom field (Root cause)": cause,
                    # Jira writes a multi-line Description as one quoted value
                    "Description": f"Steps:\n1. Log in as admin, \"Acme\" tenant\n2. {summary}; see #{number}",
                    "Watchers": "Ana Lima", "Comment": f"{updated};Ben Okafor;Looked at it, a line\nand another"})
        row["_labels"] = labels
        rows.append(row)
    return rows


def jira_csv(rows: list[dict], *, bom: bool, newline: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=newline)
    writer.writerow(JIRA_CLOUD_COLUMNS)
    for row in rows:
        labels = iter(row["_labels"])
        writer.writerow([next(labels) if c == "Labels" else row[c] for c in JIRA_CLOUD_COLUMNS])
    return (b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode("utf-8")


ZENDESK_COLUMNS = [
    "ID", "Requester", "Requester ID", "Requester external id", "Requester email", "Requester domain", "Submitter",
    "Assignee", "Group", "Subject", "Tags", "Status", "Priority", "Via", "Ticket type", "Created at", "Updated at",
    "Assigned at", "Organization", "Due date", "Initially assigned at", "Solved at", "Resolution time",
    "Satisfaction Score", "Group stations", "Assignee stations", "Reopens", "Replies", "First reply time in minutes",
    "First reply time in minutes within business hours", "First resolution time in minutes",
    "First resolution time in minutes within business hours", "Full resolution time in minutes",
    "Full resolution time in minutes within business hours", "Agent wait time in minutes",
    "Agent wait time in minutes within business hours", "Requester wait time in minutes",
    "Requester wait time in minutes within business hours", "On hold time in minutes",
    "On hold time in minutes within business hours", "Escalated [flag]", "Root cause [list]",
]


def zendesk_excel_csv(tickets: list[tuple[str, str, str, str, str, str, str]]) -> bytes:
    """Zendesk's export after a round trip through Excel in a European locale: `;` between
    fields, `dd-mm-yyyy HH:MM` dates (seconds dropped), CRLF, and the ANSI code page (cp1252).
    Guessed: that Excel keeps the column order and writes empty cells as nothing.
    Each ticket: (id, created, solved, priority, tags, reopens, flag)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(ZENDESK_COLUMNS)
    for number, (ticket, created, solved, priority, tags, reopens, flag) in enumerate(tickets):
        row = {c: "" for c in ZENDESK_COLUMNS}
        row.update({"ID": ticket, "Requester": "Jürgen Müller", "Requester ID": str(3791 + number),
                    "Requester email": "j.mueller@example.de", "Requester domain": "example.de",
                    "Submitter": "Jürgen Müller", "Assignee": "Zoë Agent", "Group": "Support", "Subject": "Login fails",
                    "Tags": tags, "Status": "solved" if solved else "open", "Priority": priority, "Via": "Mail",
                    "Ticket type": "incident", "Created at": created, "Updated at": solved or created,
                    "Solved at": solved, "Reopens": reopens, "Replies": "2", "First reply time in minutes": "42",
                    "Escalated [flag]": flag})
        writer.writerow([row[c] for c in ZENDESK_COLUMNS])
    return out.getvalue().encode("cp1252")
