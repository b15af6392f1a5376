"""The prevention loop in the weekly report (docs/prevention.md#in-the-weekly-report): each driver's
actions and prevention status, the effect of its done action, the product signal, and the Monday
agenda. Only run when the docs root has a `prevention/` folder: without one, drivers read as before.

The effect is the driver's escalations + repeats per week in the 4 ISO weeks before the week its
action was done and in the weeks since (up to 4, up to the report's week), over the weeks the
export covers. It is counted like the drivers themselves (`cetool.metrics.drivers`), over a range
of weeks that reaches back far enough for the earliest done action.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from cetool.metrics.drivers import WINDOW_NS, repeat_flags
from cetool.metrics.figures import week_index
from cetool.metrics.result import Driver
from cetool.metrics.tickets import Tickets
from cetool.metrics.weeks import WEEK_YEARS, boundaries, label_of, monday_of, to_ns
from cetool.prevention.agenda import is_product_signal, on_agenda, suggest
from cetool.prevention.load import LoadedAction
from cetool.prevention.status import driver_prevention

EFFECT_WEEKS = 4
# How far back an effect is measured at most (a done action older than this shows no "before").
MAX_EFFECT_WEEKS = 156


class _Scores:
    """Escalations + repeats per (week, root cause) over consecutive weeks ending with the report's."""

    def __init__(self, tickets: Tickets, labels: list[str], tz: str, span_ns: tuple[int, int] | None) -> None:
        self.labels = labels
        bounds = np.array([to_ns(moment) for moment in boundaries(labels, tz)], dtype=np.int64)
        self.bounds = bounds
        weeks, kinds = len(labels), len(tickets.root_causes)
        codes = tickets.root_cause
        self.created_week = week_index(tickets.created, bounds)
        escalated = tickets.times.get("escalated_at")
        self.esc_week = week_index(escalated, bounds) if escalated is not None else None
        self.repeat = repeat_flags(tickets, bounds)

        def table(week: np.ndarray, mask: np.ndarray) -> np.ndarray:
            keep = (week >= 0) & (codes >= 0) & mask
            flat = week[keep].astype(np.int64) * kinds + codes[keep]
            return np.bincount(flat, minlength=weeks * kinds).reshape(weeks, kinds)

        everything = np.ones(len(codes), dtype=bool)
        self.scores = table(self.created_week, self.repeat)
        if self.esc_week is not None:
            self.scores = self.scores + table(self.esc_week, everything)
        # A week counts when the export covers it and its repeats are complete: their 30-day
        # look-back starts after the export's first ticket (docs/metrics.md, lower bounds).
        self.covered = [bool(span_ns and span_ns[0] <= bounds[w] - WINDOW_NS and span_ns[1] >= bounds[w])
                        for w in range(weeks)]

    def window(self, code: int, first: date, count: int) -> dict | None:
        """Per-week score of `count` weeks from the week of `first`, over those inside the range
        and covered by the export; None when there is no such week."""
        wanted = {label_of(first + timedelta(days=7 * step)) for step in range(count)}
        picked = [w for w, label in enumerate(self.labels) if label in wanted and self.covered[w]]
        if not picked:
            return None
        values = [int(self.scores[w, code]) for w in picked]
        return {"weeks": [self.labels[w] for w in picked], "per_week": sum(values) / len(values), "counts": values}


def _labels_from(first_monday: date, last_label: str) -> list[str]:
    last = monday_of(last_label)
    first = max(first_monday, last - timedelta(days=7 * (MAX_EFFECT_WEEKS - 1)), date(WEEK_YEARS.start, 1, 8))
    return [label_of(first + timedelta(days=7 * step)) for step in range((last - first).days // 7 + 1)]


def _accounts(tickets: Tickets, scores: _Scores, code: int) -> tuple[int | None, list[str] | None]:
    """Distinct accounts of the driver's tickets in the report's week (created or escalated in it),
    and the accounts of its repeats; None without an account column."""
    account = getattr(tickets, "account", None)
    if account is None:
        return None, None
    last = len(scores.labels) - 1
    mine = tickets.root_cause == code
    in_week = scores.created_week == last
    if scores.esc_week is not None:
        in_week = in_week | (scores.esc_week == last)
    names = tickets.accounts
    week_accounts = _distinct_codes(account[mine & in_week], len(names))
    repeat_accounts = _distinct_codes(account[mine & (scores.created_week == last) & scores.repeat], len(names))
    return len(week_accounts), [names[a] for a in repeat_accounts]


def _distinct_codes(codes: np.ndarray, count: int) -> np.ndarray:
    """The distinct codes (-1, none, left out) in ascending order: np.unique's result, without
    its import of numpy.ma (50 ms)."""
    return np.flatnonzero(np.bincount(codes + 1, minlength=count + 1)[1:])


def add_prevention_loop(result_drivers: list[Driver], tickets: Tickets, *, week: str, tz: str,
                        span_ns: tuple[int, int] | None, actions: list[LoadedAction], today: date) -> list[str]:
    """Add the loop's fields to each driver (in place); returns the agenda: the root causes with
    no action or an overdue one, in the drivers' order."""
    if not result_drivers:
        return []
    code_of = {name: code for code, name in enumerate(tickets.root_causes)}
    loops = {d.root_cause: driver_prevention(d.root_cause, actions, today) for d in result_drivers}
    done_mondays = [loop.done_on - timedelta(days=loop.done_on.weekday()) for loop in loops.values() if loop.done_on]
    first = min([monday_of(week), *(m - timedelta(days=7 * EFFECT_WEEKS) for m in done_mondays)])
    scores = _Scores(tickets, _labels_from(first, week), tz, span_ns)
    agenda = []
    for driver in result_drivers:
        loop, code = loops[driver.root_cause], code_of[driver.root_cause]
        accounts, repeat_accounts = _accounts(tickets, scores, code)
        driver.actions = loop.to_dicts()
        driver.prevention = loop.status
        driver.effect = _effect(scores, code, loop.done_on)
        driver.accounts = accounts
        driver.product_signal = is_product_signal(accounts)
        driver.suggestion = None
        if on_agenda(loop.status):
            agenda.append(driver.root_cause)
            driver.suggestion = suggest(accounts=accounts, known_issue=driver.known_issue, runbook=driver.runbook,
                                        repeat_accounts=repeat_accounts, repeats=driver.repeats or 0).to_dict()
    return agenda


def _effect(scores: _Scores, code: int, done_on: date | None) -> dict | None:
    if done_on is None:
        return None
    monday = done_on - timedelta(days=done_on.weekday())
    return {"done": done_on.isoformat(),
            "before": scores.window(code, monday - timedelta(days=7 * EFFECT_WEEKS), EFFECT_WEEKS),
            "since": scores.window(code, monday + timedelta(days=7), EFFECT_WEEKS)}
