"""The result of `cetool metrics weekly`, typed: weeks, drivers and the run's facts.

`WeeklyResult.to_dict()` is the JSON object of docs/metrics-reports.md, key for key and in the
same order (the field order below is the output order). The reporters read the typed fields;
`WeeklyResult.from_dict` reads a JSON result back (leniently: a key left out takes its default),
so a saved result can be rendered again. Pure standard library: the reporters never import
numpy or pandas.

The lists the figures, the loader and the reports share are defined here once: the phases of an
escalation (`phase_medians_hours` in docs/metrics.md#the-weekly-figures) and the backlog age buckets
(`backlog_at_end`, same place).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

from cetool.prevention.words import NO_ACTION as NO_PREVENTION_ACTION  # a driver nothing covers


@dataclass(frozen=True)
class Phase:
    """One phase of an escalation: the time from the `starts` column to the `ends` column."""

    key: str  # the key in `phase_medians_hours` and `phase_counts`
    label: str  # for people
    starts: str
    ends: str


PHASES: tuple[Phase, ...] = (
    Phase("intake", "intake", "created_at", "investigation_started_at"),
    Phase("investigation", "investigation", "investigation_started_at", "diagnosed_at"),
    Phase("response_drafting", "response drafting", "diagnosed_at", "responded_at"),
    Phase("closure", "closure", "responded_at", "closed_at"),
)
# The export's phase timestamp columns, in phase order (created_at is not one of them).
PHASE_COLUMNS: tuple[str, ...] = tuple(phase.ends for phase in PHASES)

# The figures that may be a lower bound, in the order `lower_bounds` lists them
# (docs/metrics.md#lower-bounds).
LOWER_BOUND_FIGURES: tuple[str, ...] = ("repeat_issues_30d", "p1p2_open_at_end", "backlog_at_end")

# Backlog age buckets: (name, the age in days from which a ticket is in it), youngest first.
BACKLOG_BUCKETS: tuple[tuple[str, int], ...] = (("<1d", 0), ("1-3d", 1), ("3-7d", 3), ("7-30d", 7), (">30d", 30))
BACKLOG_BUCKET_NAMES: tuple[str, ...] = tuple(name for name, _days in BACKLOG_BUCKETS)


def _known(cls, data: dict) -> dict:
    """The keys of `data` that are fields of `cls` (a result written by a newer cetool may have more)."""
    names = {f.name for f in fields(cls)}
    return {key: value for key, value in data.items() if key in names}


@dataclass
class Backlog:
    total: int
    buckets: dict[str, int]

    @classmethod
    def from_dict(cls, data: dict | None) -> Backlog | None:
        if data is None:
            return None
        return cls(total=data.get("total"), buckets=dict(data.get("buckets") or {}))


@dataclass
class Week:
    """One ISO week's figures (docs/metrics.md#the-weekly-figures). None: cannot be computed."""

    week: str
    start: str | None = None
    end: str | None = None
    covered: bool = True
    tickets_created: int | None = None
    escalations: int | None = None  # None: the export has no escalation source
    escalations_per_100: float | None = None
    repeat_issues_30d: int | None = None
    p1p2_resolved: int | None = None
    p1p2_ttr_median_hours: float | None = None
    p1p2_ttr_p90_hours: float | None = None
    p1p2_open_at_end: int | None = None
    first_response_median_hours: float | None = None
    first_response_count: int | None = None
    reopen_rate: float | None = None
    reopen_base: int | None = None
    backlog_at_end: Backlog | None = None
    packet_compliance: float | None = None
    packet_compliance_base: int | None = None
    packet_compliant: int | None = None
    phase_medians_hours: dict[str, float | None] | None = None
    phase_counts: dict[str, int] | None = None
    # figures the export cannot give in full: they need tickets from before its first created_at
    lower_bounds: list[str] = field(default_factory=list)
    # the context line the week was recorded with (docs/prevention.md#the-weekly-record); in the
    # JSON only when some week shown has a record
    recorded_context: str | None = None

    @classmethod
    def from_dict(cls, data: dict) -> Week:
        known = _known(cls, data)
        known["backlog_at_end"] = Backlog.from_dict(known.get("backlog_at_end"))
        known.setdefault("week", "")
        return cls(**known)


@dataclass
class Driver:
    """A root cause ranked by escalations + repeats in the requested week."""

    root_cause: str
    escalations: int | None = None  # None: the export has no escalation source
    repeats: int | None = None
    score: int | None = None
    trend: list[int | None] = field(default_factory=list)  # score per week, oldest first
    known_issue: str | None = None
    runbook: str | None = None
    prevention: str | None = None  # None: unknown (no docs root to look it up in)
    # The prevention loop (docs/prevention.md#in-the-weekly-report): in the JSON only when the
    # docs root has a prevention/ folder.
    actions: list[dict] = field(default_factory=list)  # id, kind, owner, team, due, status, file
    effect: dict | None = None  # {"done", "before", "since"} of a done driver
    accounts: int | None = None  # distinct accounts of its tickets this week; None: no column
    product_signal: bool | None = None  # accounts >= 3
    suggestion: dict | None = None  # {"kind", "why"} for a driver on the agenda

    @classmethod
    def from_dict(cls, data: dict) -> Driver:
        known = _known(cls, data)
        known.setdefault("root_cause", "")
        return cls(**known)


LOOP_KEYS = ("actions", "effect", "accounts", "product_signal", "suggestion")


@dataclass
class Span:
    """The export's first and last readable created_at (in --tz), and their ISO weeks."""

    first_created: str | None = None
    last_created: str | None = None
    first_week: str | None = None
    last_week: str | None = None

    @classmethod
    def from_dict(cls, data: dict | None) -> Span | None:
        return None if data is None else cls(**_known(cls, data))


@dataclass
class RunFacts:
    """What was read and how (the `run` object in docs/metrics.md#json)."""

    source: str | None = None
    preset: str | None = None
    rows_read: int | None = None
    tickets: int | None = None
    duplicates: int | None = None
    bad_rows: int = 0
    bad_rows_by_reason: dict[str, int] = field(default_factory=dict)
    bad_row_examples: list[str] = field(default_factory=list)
    blanked_by_column: dict[str, int] = field(default_factory=dict)
    negative_phase_durations: dict[str, int] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)  # canonical column -> the header read
    date_order: str | None = None  # "dmy", "mdy", or None (no date needed it)
    date_order_from: str | None = None  # how the order was settled
    date_formats: dict[str, dict[str, int]] = field(default_factory=dict)  # column -> format -> values read
    span: Span | None = None
    docs_root: str | None = None
    strict: bool = False

    @classmethod
    def from_dict(cls, data: dict | None) -> RunFacts:
        known = _known(cls, data or {})
        known["span"] = Span.from_dict(known.get("span"))
        known["bad_rows"] = known.get("bad_rows") or 0
        return cls(**known)


@dataclass
class WeeklyResult:
    week: str
    tz: str | None = "UTC"
    input_tz: str | None = None
    week_rule: str | None = None
    context: str | None = None
    weeks: list[Week] = field(default_factory=list)  # oldest first, the requested week last
    drivers: list[Driver] = field(default_factory=list)
    # The root causes on the Monday agenda (no prevention action, or an overdue one); None: the
    # docs root has no prevention/ folder, and neither this nor the drivers' loop keys are written.
    agenda: list[str] | None = None
    run: RunFacts = field(default_factory=RunFacts)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        if self.agenda is None:
            del data["agenda"]
            for driver in data["drivers"]:
                for key in LOOP_KEYS:
                    del driver[key]
        if all(week.recorded_context is None for week in self.weeks):
            for week in data["weeks"]:
                del week["recorded_context"]
        return data

    @classmethod
    def from_dict(cls, data: dict) -> WeeklyResult:
        known = _known(cls, data)
        known.setdefault("week", "")
        known["weeks"] = [Week.from_dict(w) for w in known.get("weeks") or []]
        known["drivers"] = [Driver.from_dict(d) for d in known.get("drivers") or []]
        known["run"] = RunFacts.from_dict(known.get("run"))
        return cls(**known)

    @classmethod
    def of(cls, result: WeeklyResult | dict) -> WeeklyResult:
        """A result as given to a reporter: typed already, or a JSON object read back."""
        return result if isinstance(result, cls) else cls.from_dict(result)
