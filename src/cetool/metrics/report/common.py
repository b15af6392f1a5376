"""What the three people-facing metrics reports share: rounding, week-over-week change, sparklines,
and the words for missing data. They read the typed result of `cetool metrics weekly`
(`cetool.metrics.result`, docs/metrics-reports.md) and never import numpy or pandas.

Words that matter: a week the export does not cover reads "no data"; a figure that cannot be
computed (no tickets, no column) reads "n/a"; neither is ever shown as 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Callable
from zoneinfo import ZoneInfo

from cetool.metrics.report.shown import ROOT_CAUSE_LIMIT, SHOWN_LIMIT, for_people, shown  # noqa: F401 - shared names
from cetool.metrics.result import (NO_PREVENTION_ACTION, BACKLOG_BUCKET_NAMES, LOWER_BOUND_FIGURES, PHASES, Backlog, Driver, RunFacts, Span, Week,
                                   WeeklyResult)

NO_DATA = "no data"
LOWER_BOUND = "≥"
NA = "n/a"
GAP = "·"  # sparkline gap: a week the export does not cover ("no data"), or any gap when unknown
NA_MARK = "○"  # sparkline mark of a covered week whose figure is null ("n/a")
BARS = "▁▂▃▄▅▆▇█"
_MARKS = {GAP: f"{GAP} {NO_DATA} (the export does not cover the week)",
          NA_MARK: f"{NA_MARK} {NA} (the week is covered but has nothing to measure)"}
PREVENTION_MISSING = NO_PREVENTION_ACTION
PREVENTION_UNKNOWN = "unknown — no docs root"
NO_ESCALATION_SOURCE = "the export has no escalation column/tag"
NO_DOCS_ROOT = ("No docs root was found (no ownership.yaml in this folder or above it; pass --docs-root), "
                "so packet compliance and prevention status are not computed.")

def count(value: int | float | None) -> str:
    return NA if value is None else f"{int(value):,}"


def hours(value: float | None) -> str:
    """Durations for people: minutes under an hour, one decimal under 100 h, whole hours above."""
    if value is None:
        return NA
    if abs(value) < 1:
        return f"{round(value * 60)} min"
    if abs(value) < 100:
        return f"{value:.1f} h"
    return f"{round(value):,} h"


def plural(value: int | None, noun: str) -> str:
    """`1 ticket`, `408 tickets`, `n/a tickets`."""
    return f"{count(value)} {noun}" + ("" if value == 1 else "s")


def rate(value: float | None) -> str:
    return NA if value is None else f"{value:.1f}"


def share(value: float | None) -> str:
    """A 0..1 share as a percentage with one decimal."""
    return NA if value is None else f"{value * 100:.1f}%"


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    short: str
    unit: str
    fmt: Callable[[Any], str]
    delta_fmt: Callable[[float], str]
    n_key: str = "tickets_created"  # the count the figure stands on, shown with it in charts

    def n(self, week: Week) -> int | None:
        return getattr(week, self.n_key) if week.covered else None

    def value(self, week: Week) -> float | None:
        if not week.covered:
            return None
        return repeats(week) if self.key == "repeat_issues_30d" else getattr(week, self.key)

    def cell(self, week: Week) -> str:
        if not week.covered:
            return NO_DATA
        return at_least(week, self.key, self.fmt(self.value(week)), self.value(week))

    def detail(self, week: Week) -> str:
        """The n behind the figure (and the p90 for resolution time), or '' when not covered."""
        if not week.covered:
            return ""
        if self.key == "escalations_per_100":
            if week.escalations is None:  # null only when the export has no escalation source
                return NO_ESCALATION_SOURCE
            # escalations count by escalated_at, tickets by created_at: two counts, not a share
            return (f"{plural(week.escalations, 'escalation')} / "
                    f"{plural(week.tickets_created, 'ticket')} created")
        if self.key == "repeat_issues_30d":
            return f"of {plural(week.tickets_created, 'ticket')} created"
        p90 = week.p1p2_ttr_p90_hours
        n = f"n={count(week.p1p2_resolved)}"
        return n if p90 is None else f"p90 {hours(p90)}, {n}"


def repeats(week: Week) -> int | None:
    """Repeats are counted among the week's new tickets: with none (JSON says 0,
    docs/metrics.md#the-weekly-figures) people see n/a, as for escalations per 100."""
    return None if not week.tickets_created else week.repeat_issues_30d


def _signed(value: float, text: str) -> str:
    return ("+" if value > 0 else "−" if value < 0 else "±") + text.lstrip("-")


HEADLINES = [
    Figure("escalations_per_100", "Escalations to Product Engineering per 100 tickets", "Escalations / 100",
           "", rate, lambda d: _signed(d, f"{abs(d):.1f}")),
    Figure("repeat_issues_30d", "Repeat issues within 30 days", "Repeats (30 d)",
           "", count, lambda d: _signed(d, f"{abs(round(d)):,}")),
    Figure("p1p2_ttr_median_hours", "P1/P2 time to resolution (median)", "P1/P2 TTR median",
           "h", hours, lambda d: _signed(d, hours(abs(d))), n_key="p1p2_resolved"),
]


@dataclass(frozen=True)
class Change:
    """Week-over-week change of one figure. For all three headline figures lower is better."""
    text: str      # "▲ +1.2 vs 2026-W46", or why there is none
    verdict: str   # "better", "worse", "same" or "none"


def change(figure: Figure, weeks: list[Week]) -> Change:
    """Against the latest earlier week that has the figure: a week with no data or nothing to
    measure is skipped, never compared as 0, and the week compared with is always named."""
    if not weeks:
        return Change("no earlier week", "none")
    now = weeks[-1]
    if not now.covered:
        return Change(NO_DATA, "none")
    new = figure.value(now)
    if new is None:
        return Change(f"{NA} this week", "none")
    if len(weeks) < 2:
        return Change("no earlier week", "none")
    earlier = [week for week in weeks[:-1] if figure.value(week) is not None]
    if not earlier:
        return Change(f"no earlier week with data (since {weeks[0].week})", "none")
    before = earlier[-1]
    if figure.key in now.lower_bounds:  # the true figure may be higher: no direction can be told
        return Change(f"not compared: this week is a lower bound ({LOWER_BOUND})", "none")
    if figure.key in before.lower_bounds:
        return Change(f"not compared: {before.week} is a lower bound ({LOWER_BOUND})", "none")
    delta = new - figure.value(before)
    if abs(delta) < 1e-9:
        return Change(f"= unchanged vs {before.week}", "same")
    arrow = "▲" if delta > 0 else "▼"
    return Change(f"{arrow} {figure.delta_fmt(delta)} vs {before.week}", "worse" if delta > 0 else "better")


def sparkline(values: list[float | None], covered: list[bool] | None = None) -> str:
    """One mark per week. With `covered` (per week), a null figure of a covered week is NA_MARK
    and an uncovered week GAP; without it every null is GAP."""
    gaps = [GAP if covered is None or not covered[i] else NA_MARK for i in range(len(values))]
    present = [v for v in values if v is not None]
    if not present:
        return "".join(gaps)
    low, high = min(present), max(present)
    out = []
    for i, value in enumerate(values):
        if value is None:
            out.append(gaps[i])
        elif high == low:
            out.append(BARS[3])
        else:
            out.append(BARS[round((value - low) / (high - low) * (len(BARS) - 1))])
    return "".join(out)


def series(figure: Figure, weeks: list[Week]) -> list[float | None]:
    return [figure.value(week) for week in weeks]


def covered(weeks: list[Week]) -> list[bool]:
    return [bool(week.covered) for week in weeks]


def legend(lines: list[str]) -> str:
    """The legend line for the gap marks used in these trend lines ('' when none is used)."""
    used = [text for mark, text in _MARKS.items() if any(mark in line for line in lines)]
    return ("Trend: " + "; ".join(used) + ".") if used else ""


def headline_trends(weeks: list[Week]) -> list[str]:
    return [trend(series(figure, weeks), weeks) for figure in HEADLINES]


def trend(values: list[float | None], weeks: list[Week]) -> str:
    """The sparkline of a row of weekly values, "no data" and "n/a" weeks marked apart."""
    return sparkline(values, covered(weeks))


def requested(result: WeeklyResult) -> Week | None:
    """The requested week's object (the last of `weeks`), or None when there are no weeks."""
    weeks = result.weeks
    for week in reversed(weeks):
        if week.week == result.week:
            return week
    return weeks[-1] if weeks else None


def _local(stamp: str | None, tz: str | None) -> datetime | None:
    if not stamp:
        return None
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return None
    try:
        return moment.astimezone(ZoneInfo(tz)) if tz else moment
    except Exception:  # an unknown zone name here only changes the wording, never the run
        return moment


def coverage_note(result: WeeklyResult) -> str:
    """Which weeks the export covers, for when the requested week is not among them."""
    span = result.run.span or Span()
    tz = result.tz
    first, last = _local(span.first_created, tz), _local(span.last_created, tz)
    if first is None or last is None:
        return "The export has no tickets with a readable created_at."

    def label(moment: datetime) -> str:
        year, week, _ = moment.isocalendar()
        return f"{year}-W{week:02d}"

    # the run facts name the weeks (counted in --tz); a saved result without them derives them here
    first_week, last_week = span.first_week or label(first), span.last_week or label(last)
    return (f"The export covers {first.date()} to {last.date()} "
            f"({first_week} to {last_week}); {result.week} is outside it.")


def zones(result: WeeklyResult) -> str:
    tz, input_tz = result.tz or "UTC", result.input_tz
    if input_tz and input_tz != tz:
        return f"weeks in {tz}; timestamps without an offset read as {input_tz}"
    return f"weeks and timestamps without an offset in {tz}"


def bad_rows_line(run: RunFacts) -> str:
    bad = run.bad_rows or 0
    reasons = run.bad_rows_by_reason
    text = f"{count(bad)} skipped"
    if reasons:
        text += " (" + ", ".join(f"{reason}: {n}" for reason, n in reasons.items()) + ")"
    return text


BAD_ROWS_HEADLINE_SHARE = 0.01  # above this share of the rows read, bad rows are named at the top


def bad_rows_alert(run: RunFacts) -> str:
    """The headline warning when more than 1% of the rows were bad ('' otherwise): the figures
    leave those rows out, which a reader of the first lines must know."""
    bad, read = run.bad_rows or 0, run.rows_read or 0
    if not read or bad / read <= BAD_ROWS_HEADLINE_SHARE:
        return ""
    top = sorted(run.bad_rows_by_reason.items(), key=lambda item: -item[1])[:3]
    reasons = ", ".join(f"{reason}: {count(n)}" for reason, n in top)
    return (f"⚠ {count(bad)} of {count(read)} rows ({bad / read * 100:.1f}%) were bad and are left out of "
            f"every figure ({reasons}); the first ones are listed under Run.")


def run_facts(run: RunFacts) -> list[tuple[str, str]]:
    """The run's facts as (label, value) pairs, in the order every report shows them."""
    facts = [
        ("source", f"{run.source or NA} (preset {run.preset or NA})"),
        ("rows read", count(run.rows_read)),
        ("tickets", count(run.tickets)),
        ("duplicates collapsed", count(run.duplicates)),
        ("bad rows", bad_rows_line(run)),
    ]
    blanked = run.blanked_by_column
    if blanked:
        facts.append(("values blanked", ", ".join(f"{col}: {n}" for col, n in blanked.items())))
    return facts


def bad_row_examples(run: RunFacts, limit: int = 3) -> list[str]:
    return list(run.bad_row_examples)[:limit]


def backlog_text(backlog: Backlog | None) -> str:
    if backlog is None:
        return NA
    buckets = backlog.buckets
    parts = ", ".join(f"{name} {count(buckets.get(name))}" for name in BACKLOG_BUCKET_NAMES if name in buckets)
    return f"{count(backlog.total)}" + (f" ({parts})" if parts else "")


def secondary(week: Week) -> list[tuple[str, str]]:
    """The secondary figures that the export could give, as (label, value); nulls are left out."""
    if not week.covered:
        return []
    rows: list[tuple[str, str]] = []
    if week.first_response_median_hours is not None:
        rows.append(("First response (median)",
                     f"{hours(week.first_response_median_hours)} (n={count(week.first_response_count)})"))
    if week.reopen_rate is not None:
        rows.append(("Reopen rate", f"{share(week.reopen_rate)} of {count(week.reopen_base)} resolved"))
    if week.backlog_at_end is not None:
        rows.append(("Backlog at end of week", at_least(week, "backlog_at_end", backlog_text(week.backlog_at_end))))
    if week.packet_compliance is not None:
        rows.append(("Packet compliance", f"{_compliance_cell(week).removesuffix(')')} escalations)"))
    medians = week.phase_medians_hours
    if medians is not None:
        counts = week.phase_counts or {}
        parts = [f"{phase.label} {hours(medians.get(phase.key))} (n={count(counts.get(phase.key))})"
                 for phase in PHASES if phase.key in medians]
        rows.append(("Phase medians", ", ".join(parts)))
    return rows


def week_dates(week: Week) -> str:
    """'Mon 2026-11-16 to Sun 2026-11-22' from the week's start and end (end is exclusive)."""
    try:
        start = datetime.fromisoformat(week.start).date()
        last = datetime.fromisoformat(week.end).date() - timedelta(days=1)
    except (TypeError, ValueError):
        return str(week.week or "")
    return f"{start:%a} {start} to {last:%a} {last}"


def prevention(driver: Driver) -> str:
    """The driver's prevention status; null means it could not be looked up (no docs root)."""
    return driver.prevention or PREVENTION_UNKNOWN


def docs_root_note(result: WeeklyResult) -> str:
    """Why packet compliance and prevention status are missing, when no docs root was found."""
    return NO_DOCS_ROOT if not result.run.docs_root else ""


def escalation_note(result: WeeklyResult) -> str:
    """Why escalations (and packet compliance) read n/a, when the export has no escalation source
    (no escalated_at column, no escalation tag); '' otherwise. A 0 would read as "better"."""
    weeks = result.weeks
    if not weeks or any(week.escalations is not None for week in weeks):
        return ""
    return (f"Escalations are {NA}: {NO_ESCALATION_SOURCE}, so escalations per 100 tickets and packet "
            "compliance are not computed (map an escalated_at column or an escalation tag with --mapping).")


def missing_prevention(drivers: list[Driver]) -> str:
    """The prevention loop's call to action when some drivers have no prevention action, else ''.
    An unknown status (no docs root) is not counted: nothing says an action is missing."""
    missing = sum(1 for d in drivers if d.prevention == PREVENTION_MISSING)
    if not missing:
        return ""
    return (f"{missing} of {len(drivers)} drivers {'has' if missing == 1 else 'have'} no prevention action. "
            "Assign one (runbook update, known-issues entry, product feedback, Support enablement) "
            "before next week.")


def p1p2_open(week: Week) -> str:
    return NO_DATA if not week.covered else at_least(week, "p1p2_open_at_end", count(week.p1p2_open_at_end))


def at_least(week: Week, key: str, text: str, value: object = 0) -> str:
    """`≥ 24` for a figure of the week that is a lower bound (docs/metrics.md#lower-bounds)."""
    return f"{LOWER_BOUND} {text}" if key in week.lower_bounds and value is not None else text


def lower_bound_note(result: WeeklyResult) -> str:
    """Said once when a covered week shows a lower bound: why, and the export that fixes it."""
    bounded = [w for w in result.weeks if w.covered and w.lower_bounds]
    span = result.run.span
    if not bounded or span is None or not span.first_created or not result.weeks[0].start:
        return ""
    names = {"repeat_issues_30d": "repeats (their 30-day look-back)", "p1p2_open_at_end": "P1/P2 open",
             "backlog_at_end": "the backlog (older tickets still open)"}
    which = [names[key] for key in LOWER_BOUND_FIGURES if any(key in w.lower_bounds for w in bounded)]
    since = datetime.fromisoformat(result.weeks[0].start).date() - timedelta(days=30)
    weeks = bounded[0].week if len(bounded) == 1 else f"{bounded[0].week} to {bounded[-1].week}"
    return (f"{LOWER_BOUND} marks a lower bound ({weeks}): the export starts on {span.first_created[:10]}, so "
            f"{' and '.join([', '.join(which[:-1]), which[-1]] if len(which) > 1 else which)} miss tickets "
            f"created before it. For exact figures, export 30 more days: "
            f"from {since} on.")


def driver_link(value: str | None) -> str:
    return value or "—"


def _compliance_cell(week: Week) -> str:
    value = week.packet_compliance
    if value is None:
        return NA
    return f"{share(value)} ({count(week.packet_compliant)}/{count(week.packet_compliance_base)})"


def _median_with_n(median: float | None, n: int | None) -> str:
    return NA if median is None else f"{hours(median)} (n={count(n)})"


# The trend table: (header, field that must be non-null in some week for the column to show, cell).
TREND_COLUMNS: list[tuple[str, str | None, Callable[[Week], str]]] = [
    ("Tickets", None, lambda w: count(w.tickets_created)),
    ("Escalations", None, lambda w: count(w.escalations)),
    ("Esc / 100", None, lambda w: rate(w.escalations_per_100)),
    ("Repeats (30 d)", None, lambda w: at_least(w, "repeat_issues_30d", count(repeats(w)), repeats(w))),
    ("P1/P2 TTR median", None, lambda w: hours(w.p1p2_ttr_median_hours)),
    ("TTR p90", None, lambda w: hours(w.p1p2_ttr_p90_hours)),
    ("n", None, lambda w: count(w.p1p2_resolved)),
    ("P1/P2 open", None, lambda w: at_least(w, "p1p2_open_at_end", count(w.p1p2_open_at_end))),
    ("First response (n)", "first_response_median_hours", lambda w: _median_with_n(
        w.first_response_median_hours, w.first_response_count)),
    ("Reopen rate", "reopen_rate", lambda w: share(w.reopen_rate)),
    ("Backlog", "backlog_at_end", lambda w: at_least(w, "backlog_at_end", count(w.backlog_at_end.total)
                                                     if w.backlog_at_end else NA, w.backlog_at_end)),
    ("Packets", "packet_compliance", _compliance_cell),
    # the context line each week was published with (`--record`, docs/prevention.md#the-weekly-record)
    ("Recorded context", "recorded_context", lambda w: w.recorded_context or ""),
]


def trend_columns(weeks: list[Week]) -> list[tuple[str, Callable[[Week], str]]]:
    """The trend table's columns: the headline ones always, a secondary one when any week has it."""
    return [(header, cell) for header, key, cell in TREND_COLUMNS
            if key is None or any(w.covered and getattr(w, key) is not None for w in weeks)]


def driver_trend(driver: Driver, weeks: list[Week]) -> list[float | None]:
    """A driver's weekly scores with uncovered weeks as gaps."""
    trend = list(driver.trend or [])
    return [None if not w.covered else v for w, v in zip(weeks, trend)]
