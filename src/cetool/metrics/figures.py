"""The weekly figures (docs/metrics.md#the-weekly-figures), computed from checked tickets with numpy.

Every figure is counted per week by locating each timestamp among the week boundaries once
(`np.searchsorted`), so the cost is a few vector passes however many weeks are asked for.
Durations are differences of absolute instants (ns), so a DST week stays honest.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cetool.metrics.drivers import WINDOW_NS, drivers, repeat_flags
from cetool.metrics.result import BACKLOG_BUCKETS, PHASE_COLUMNS, PHASES, Backlog, Driver, Week
from cetool.metrics.tickets import Tickets
from cetool.metrics.values import NAT
from cetool.metrics.weeks import boundaries, to_ns

HOUR_NS = 3_600_000_000_000
DAY_NS = 24 * HOUR_NS


@dataclass
class WeeklyReport:
    """The figures: week objects (oldest first), the last week's drivers, and facts for `run`."""

    weeks: list[Week]
    drivers: list[Driver]
    span_ns: tuple[int, int] | None
    negative_phase_durations: dict[str, int]


def week_index(times: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """Index of the week each instant falls in (start <= t < end), -1 outside; NaT is outside.

    Only the instants inside the weeks are located (a few weeks of a long export), into a small
    int16 array, so no full-length int64 temporary is made.
    """
    index = np.full(len(times), -1, dtype=np.int16)
    inside = np.flatnonzero((times >= bounds[0]) & (times < bounds[-1]))
    index[inside] = np.searchsorted(bounds, times[inside], side="right") - 1
    return index


def per_week(index: np.ndarray, weeks: int, mask: np.ndarray | None = None) -> np.ndarray:
    chosen = index[index >= 0] if mask is None else index[(index >= 0) & mask]
    return np.bincount(chosen, minlength=weeks)[:weeks]


def _hours(values: np.ndarray) -> np.ndarray:
    return values.astype(np.float64) / HOUR_NS


# np.median and np.quantile check for masked arrays, which imports numpy.ma: 50 ms of every
# run. These two give their values by their own methods (tests/metrics/test_quantiles.py).

def median(values: np.ndarray) -> float | None:
    """np.median: partition, then the middle value or the mean of the middle two."""
    n = len(values)
    if not n:
        return None
    middle = np.partition(values, [(n - 1) // 2, n // 2])[[(n - 1) // 2, n // 2]]
    return float(middle[0]) if n % 2 else float(np.mean(middle))


def quantile(values: np.ndarray, q: float) -> float | None:
    """np.quantile's default ("linear") method: the value at (n - 1) * q, interpolated between
    its two neighbours from whichever side is nearer."""
    n = len(values)
    if not n:
        return None
    virtual = (n - 1) * q
    below = int(np.floor(virtual))
    above = min(below + 1, n - 1)
    low, high = np.partition(values, [below, above])[[below, above]]
    weight = virtual - below
    step = high - low
    return float(high - step * (1 - weight)) if weight >= 0.5 else float(low + step * weight)


def _grouped(index: np.ndarray, values: np.ndarray, weeks: int) -> list[np.ndarray]:
    """`values` split by their week `index` (all >= 0), one array per week."""
    order = np.argsort(index, kind="stable")
    cuts = np.searchsorted(index[order], np.arange(1, weeks))
    return np.split(values[order], cuts)


def _durations(index: np.ndarray, end: np.ndarray, start: np.ndarray, weeks: int,
               mask: np.ndarray | None = None) -> list[np.ndarray]:
    """Hours end - start of the rows with a week index (and `mask`), grouped by week."""
    keep = index >= 0 if mask is None else (index >= 0) & mask
    rows = np.flatnonzero(keep)
    return _grouped(index[rows], _hours(end[rows] - start[rows]), weeks)


def _backlog(tickets: Tickets, bounds: np.ndarray) -> list[Backlog | None]:
    resolved = tickets.times.get("resolved_at")
    if resolved is None:
        return [None] * (len(bounds) - 1)
    created = tickets.created
    maybe = (created != NAT) & (created < bounds[-1]) & ((resolved == NAT) | (resolved >= bounds[1]))
    created, resolved = created[maybe], resolved[maybe]
    out = []
    for end in bounds[1:]:
        open_ = (created < end) & ((resolved == NAT) | (resolved >= end))
        ages = end - created[open_]
        edges = np.array([days * DAY_NS for _name, days in BACKLOG_BUCKETS[1:]], dtype=np.int64)
        counts = np.bincount(np.searchsorted(edges, ages, side="right"), minlength=len(BACKLOG_BUCKETS))
        out.append(Backlog(total=int(open_.sum()),
                           buckets={name: int(c) for (name, _days), c in zip(BACKLOG_BUCKETS, counts)}))
    return out


def _phases(tickets: Tickets, bounds: np.ndarray, weeks: int, negatives: dict[str, int]) -> list[tuple]:
    closed = tickets.times.get("closed_at")
    if closed is None or not any(name in tickets.times for name in PHASE_COLUMNS[:-1]):
        return [(None, None)] * weeks
    index = week_index(closed, bounds)
    columns = dict(tickets.times, created_at=tickets.created)
    medians = [dict() for _ in range(weeks)]
    counts = [dict() for _ in range(weeks)]
    for phase in PHASES:
        start, end = columns.get(phase.starts), columns.get(phase.ends)
        groups = [np.empty(0)] * weeks
        if start is not None and end is not None:
            both = (index >= 0) & (start != NAT) & (end != NAT)
            negative = both & (end < start)
            negatives[phase.key] = int(negative.sum())
            groups = _durations(index, end, start, weeks, both & ~negative)
        for week, group in enumerate(groups):
            medians[week][phase.key] = median(group)
            counts[week][phase.key] = len(group)
    return list(zip(medians, counts))


def lower_bounds(week: Week, start: int, end: int, span: tuple[int, int] | None) -> list[str]:
    """The figures of the week that need tickets from before the export's first created_at
    (docs/metrics.md#lower-bounds): repeats when the week's 720 h look-back begins before it;
    P1/P2 open and the backlog when the week ends less than 30 days after it (an export filtered
    by creation misses older tickets still open). A figure the export cannot give at all (null)
    is not listed."""
    if span is None:
        return []
    first = span[0]
    out = []
    if start - WINDOW_NS < first and week.repeat_issues_30d is not None:
        out.append("repeat_issues_30d")
    if end - first < 30 * DAY_NS:
        out.append("p1p2_open_at_end")
        if week.backlog_at_end is not None:
            out.append("backlog_at_end")
    return out


def compute_weekly(tickets: Tickets, *, labels: list[str], tz: str, valid_packet_ids: set[str] | None,
                   coverage: dict[str, tuple[str | None, str | None]] | None) -> WeeklyReport:
    """Every weekly figure (docs/metrics.md#the-weekly-figures) for the weeks `labels` (ISO weeks in `tz`)."""
    weeks = len(labels)
    moments = boundaries(labels, tz)
    bounds = np.array([to_ns(m) for m in moments], dtype=np.int64)
    created, times = tickets.created, tickets.times
    created_week = week_index(created, bounds)
    tickets_created = per_week(created_week, weeks)
    escalated = times.get("escalated_at")
    esc_week = week_index(escalated, bounds) if escalated is not None else np.full(len(created), -1, dtype=np.int16)
    escalations = per_week(esc_week, weeks)
    repeat = repeat_flags(tickets, bounds)
    repeats = per_week(created_week, weeks, repeat)

    priority, resolved = tickets.priority, times.get("resolved_at")
    p12 = (priority == 1) | (priority == 2)  # tombstones have priority 0
    prioritized = times.get("prioritized_at")
    p12_rows = np.flatnonzero(p12)
    start12 = created[p12_rows]
    if prioritized is not None:
        given = prioritized[p12_rows]
        start12 = np.where(given != NAT, given, start12)
    if resolved is not None:
        res_week = week_index(resolved, bounds)
        res12 = resolved[p12_rows]
        in_weeks = np.flatnonzero(res_week[p12_rows] >= 0)
        ttr = _grouped(res_week[p12_rows][in_weeks], _hours(res12[in_weeks] - start12[in_weeks]), weeks)
        still = np.sort(res12[res12 != NAT])
    else:
        res_week, ttr, still = None, [np.empty(0)] * weeks, np.empty(0, np.int64)
    open_at_end = np.searchsorted(np.sort(start12), bounds[1:], "left") - np.searchsorted(still, bounds[1:], "left")

    first = times.get("first_response_at")
    fr_groups = None
    if first is not None:
        fr_groups = _durations(created_week, first, created, weeks, first != NAT)
    reopen = tickets.reopen_count
    reopen_groups = None
    if reopen is not None and res_week is not None:
        rows = np.flatnonzero((res_week >= 0) & ~np.isnan(reopen))
        reopen_groups = _grouped(res_week[rows], reopen[rows], weeks)

    compliant = None
    if tickets.packet is not None and escalated is not None and valid_packet_ids is not None:
        wanted = {pid.strip().casefold() for pid in valid_packet_ids}
        ok_code = np.array([pid.casefold() in wanted for pid in tickets.packet_ids] + [False], dtype=bool)
        compliant = per_week(esc_week, weeks, ok_code[tickets.packet])
    negatives: dict[str, int] = {}
    phases = _phases(tickets, bounds, weeks, negatives)
    backlog = _backlog(tickets, bounds)
    real = created[created != NAT] if tickets.count < len(created) else created
    span = (int(real.min()), int(real.max())) if len(real) else None

    out = []
    for w, label in enumerate(labels):
        made = int(tickets_created[w])
        # no escalation source at all (no escalated_at column, no escalation tag): unknown, not 0
        esc = int(escalations[w]) if escalated is not None else None
        ttr_w = ttr[w]
        out.append(Week(
            week=label,
            start=moments[w].isoformat(),
            end=moments[w + 1].isoformat(),
            covered=bool(span and span[0] < bounds[w + 1] and span[1] >= bounds[w]),
            tickets_created=made,
            escalations=esc,
            escalations_per_100=100.0 * esc / made if made and esc is not None else None,
            repeat_issues_30d=int(repeats[w]) if tickets.root_cause is not None else None,
            p1p2_resolved=len(ttr_w),
            p1p2_ttr_median_hours=median(ttr_w),
            p1p2_ttr_p90_hours=quantile(ttr_w, 0.9),
            p1p2_open_at_end=int(open_at_end[w]),
            first_response_median_hours=median(fr_groups[w]) if fr_groups else None,
            first_response_count=len(fr_groups[w]) if fr_groups else None,
            reopen_rate=float((reopen_groups[w] > 0).mean()) if reopen_groups and len(reopen_groups[w]) else None,
            reopen_base=len(reopen_groups[w]) if reopen_groups else None,
            backlog_at_end=backlog[w],
            packet_compliance=int(compliant[w]) / esc if compliant is not None and esc else None,
            packet_compliance_base=esc if compliant is not None else None,
            packet_compliant=int(compliant[w]) if compliant is not None else None,
            phase_medians_hours=phases[w][0],
            phase_counts=phases[w][1],
        ))
        out[-1].lower_bounds = lower_bounds(out[-1], int(bounds[w]), int(bounds[w + 1]), span)
    return WeeklyReport(out, drivers(tickets, esc_week if escalated is not None else None, created_week, repeat,
                                     weeks, coverage), span,
                        {k: v for k, v in negatives.items() if v})
