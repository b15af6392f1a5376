"""Repeat issues within 30 days, and the drivers of the weekly prevention loop
(docs/metrics.md#the-weekly-figures, docs/metrics.md#drivers).

Repeats: sort the tickets that can matter (created from 720 h before the first week to the end of
the last) by (root cause, created_at) once. A ticket is a repeat when the nearest strictly earlier
ticket of its root cause is at most 720 h before it. "Strictly earlier" is the start of the run of
tickets sharing its root cause *and* instant, so tickets at the same instant never repeat each
other. One sort and a few vector passes, no per-group Python.
"""

from __future__ import annotations

import numpy as np

from cetool.metrics.result import NO_PREVENTION_ACTION, Driver
from cetool.metrics.tickets import Tickets

WINDOW_NS = 720 * 3_600_000_000_000
MAX_DRIVERS = 10


def repeat_flags(tickets: Tickets, bounds: np.ndarray) -> np.ndarray:
    """A bool per ticket: a repeat (only computed for tickets created inside the weeks)."""
    created, codes = tickets.created, tickets.root_cause
    flags = np.zeros(len(created), dtype=bool)
    if codes is None:
        return flags
    chosen = np.flatnonzero((codes >= 0) & (created >= bounds[0] - WINDOW_NS) & (created < bounds[-1]))
    if len(chosen) < 2:
        return flags
    code, when = codes[chosen], created[chosen]
    order = np.lexsort((when, code))
    code, when = code[order], when[order]
    n = len(order)
    positions = np.arange(n)
    run_start = np.ones(n, dtype=bool)
    run_start[1:] = (code[1:] != code[:-1]) | (when[1:] != when[:-1])
    first_of_run = np.maximum.accumulate(np.where(run_start, positions, 0))
    previous = first_of_run - 1
    has_previous = previous >= 0
    previous = np.maximum(previous, 0)
    repeat = has_previous & (code[previous] == code) & (when[previous] >= when - WINDOW_NS)
    flags[chosen[order]] = repeat
    return flags


def _prevention(known_issue: str | None, runbook: str | None, looked_up: bool) -> str | None:
    """The prevention status; None (unknown) when there was no docs root to look it up in."""
    if not looked_up:
        return None
    if known_issue and runbook:
        return "known issue + runbook"
    if known_issue:
        return "known issue only"
    if runbook:
        return "runbook only"
    return NO_PREVENTION_ACTION


def drivers(tickets: Tickets, esc_week: np.ndarray | None, created_week: np.ndarray, repeat: np.ndarray,
            weeks: int, coverage: dict[str, tuple[str | None, str | None]] | None) -> list[Driver]:
    """Root causes ranked by escalations + repeats in the last week (ties by name), with a trend.

    `coverage` None means no docs root: the known issue, runbook and prevention status are
    unknown (null), not "no prevention action". `esc_week` None means the export has no
    escalation source: a driver's escalations are unknown (null) and its score is its repeats.
    """
    codes = tickets.root_cause
    if codes is None or not tickets.root_causes:
        return []
    kinds = len(tickets.root_causes)

    def table(week: np.ndarray, mask: np.ndarray) -> np.ndarray:
        keep = (week >= 0) & (codes >= 0) & mask
        flat = week[keep].astype(np.int64) * kinds + codes[keep]
        return np.bincount(flat, minlength=weeks * kinds).reshape(weeks, kinds)

    everything = np.ones(len(codes), dtype=bool)
    escalations = table(esc_week, everything) if esc_week is not None else np.zeros((weeks, kinds), dtype=np.int64)
    repeats = table(created_week, repeat)
    scores = escalations + repeats
    last = scores[-1]
    ranked = sorted((code for code in np.flatnonzero(last > 0)),
                    key=lambda code: (-int(last[code]), tickets.root_causes[code]))
    out = []
    for code in ranked[:MAX_DRIVERS]:
        name = tickets.root_causes[code]
        known_issue, runbook = (coverage or {}).get(name, (None, None))
        out.append(Driver(
            root_cause=name,
            escalations=int(escalations[-1, code]) if esc_week is not None else None,
            repeats=int(repeats[-1, code]),
            score=int(last[code]),
            trend=[int(v) for v in scores[:, code]],
            known_issue=known_issue,
            runbook=runbook,
            prevention=_prevention(known_issue, runbook, coverage is not None),
        ))
    return out
