"""The prevention loop as people read it (docs/prevention.md#in-the-weekly-report): the Monday
agenda (drivers with no prevention action or an overdue one, each with the kind of action to
assign), a driver's status with its actions, and the effect of a done action.

Shared by the text, markdown and HTML reports; plain strings, each report escapes them. Only
used when the result has an `agenda` (the docs root has a `prevention/` folder).
"""

from __future__ import annotations

from dataclasses import dataclass

from cetool.metrics.result import NO_PREVENTION_ACTION, Driver, WeeklyResult
from cetool.prevention.words import DONE, OVERDUE

KIND_WORDS = {"runbook-update": "runbook update", "known-issue": "known-issues entry",
              "product-feedback": "product feedback", "enablement": "Support enablement"}
AGENDA_TITLE = "Monday agenda: assign a prevention action"
AGENDA_NONE = "Every driver has a prevention action in progress or done; nothing to assign this week."


def loop_on(result: WeeklyResult) -> bool:
    return result.agenda is not None


def on_agenda(driver: Driver) -> bool:
    return driver.prevention in (OVERDUE, NO_PREVENTION_ACTION)


def _per_week(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") if value % 1 else f"{value:.0f}"


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def signal(driver: Driver) -> str:
    """'product signal (4 accounts)', or '' when it is not one (or no account column)."""
    return f"product signal ({driver.accounts} accounts)" if driver.product_signal else ""


def _overdue_actions(driver: Driver) -> str:
    late = [a for a in driver.actions if a.get("status") == OVERDUE]
    return "; ".join(f"{a.get('id')} ({a.get('owner')}, due {a.get('due')})" for a in late)


def status(driver: Driver) -> str:
    """The driver's one prevention status, with the ids of its actions: 'overdue: PA-2026-0003'."""
    prevention = str(driver.prevention)
    ids = [str(a.get("id")) for a in driver.actions if a.get("status") != "dropped"]
    return f"{prevention}: {', '.join(ids)}" if ids and prevention != NO_PREVENTION_ACTION else prevention


def effect(driver: Driver) -> str:
    """The done action's effect in one line, or '' when the driver has no done action."""
    measured = driver.effect
    if not measured:
        return ""
    before, since = measured.get("before"), measured.get("since")
    head = f"done {measured.get('done')}: escalations + repeats"
    if before is None and since is None:
        return f"{head} not measurable (the export does not cover the weeks around it)"
    parts = []
    if before is not None:
        parts.append(f"{_per_week(before['per_week'])} a week in the {_plural(len(before['weeks']), 'week')} before")
    if since is None:
        parts.append("no complete week since yet")
    else:
        parts.append(f"{_per_week(since['per_week'])} a week in the {_plural(len(since['weeks']), 'week')} since")
    return f"{head} {', '.join(parts)}"


@dataclass(frozen=True)
class AgendaItem:
    root_cause: str
    why: str  # 'no prevention action' or 'overdue: PA-2026-0003 (lee.chen, due 2026-11-27)'
    figures: str  # '7 escalations, 22 repeats'
    signal: str
    suggestion: str  # 'product feedback: tickets from 19 accounts this week: ...'


def agenda(result: WeeklyResult) -> list[AgendaItem]:
    """The agenda's drivers, in the report's ranking."""
    wanted = set(result.agenda or [])
    items = []
    for driver in result.drivers:
        if driver.root_cause not in wanted:
            continue
        late = _overdue_actions(driver)
        figures = [_plural(driver.escalations, "escalation")] if driver.escalations is not None else []
        figures.append(_plural(driver.repeats or 0, "repeat"))
        suggested = driver.suggestion or {}
        kind = KIND_WORDS.get(str(suggested.get("kind")), str(suggested.get("kind")))
        items.append(AgendaItem(
            root_cause=str(driver.root_cause), why=f"overdue: {late}" if late else NO_PREVENTION_ACTION,
            figures=", ".join(figures), signal=signal(driver),
            suggestion=f"{kind}: {suggested.get('why')}" if suggested else ""))
    return items


def agenda_lines(result: WeeklyResult) -> list[str]:
    """The agenda as plain lines (one per driver, then its suggestion indented)."""
    items = agenda(result)
    if not items:
        return [AGENDA_NONE]
    lines = []
    for number, item in enumerate(items, start=1):
        extra = f" · {item.signal}" if item.signal else ""
        lines.append(f"{number}. {item.root_cause}: {item.why} · {item.figures}{extra}")
        lines.append(f"   Suggested: {item.suggestion}")
    return lines


def effects(result: WeeklyResult) -> list[tuple[str, str]]:
    """(root cause, effect line) of every driver with a done action."""
    return [(str(d.root_cause), line) for d in result.drivers if (line := effect(d))]
