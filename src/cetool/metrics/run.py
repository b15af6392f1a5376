"""`cetool metrics weekly`: read the export, look up packets and knowledge, compute the figures.

The one core function the CLI calls. It imports numpy/pyarrow/pandas (through `metrics.load`,
`metrics.figures` and `metrics.values`) only when called, so nothing else in cetool pays for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Callable
from zoneinfo import ZoneInfo

from cetool.core.docsroot import PACKET_SUFFIXES, DocsRoot
from cetool.core.errors import CetoolError
from cetool.core.files import discover
from cetool.core.ids import id_key
from cetool.knowledge.load import load_knowledge
from cetool.matrix.load import load_matrix
from cetool.metrics.mapping import TIMESTAMPS, Mapping, load_mapping_file, load_preset
from cetool.metrics.record import recorded_contexts
from cetool.metrics.result import RunFacts, Span, WeeklyResult
from cetool.metrics.weeks import check_tz, default_week, label_of, monday_of, week_labels, week_rule
from cetool.packets.validate import check_packets
from cetool.prevention.load import load_prevention

MAX_WEEKS = 520


@dataclass
class WeeklyOptions:
    export: Path
    export_display: str
    week: str | None = None
    weeks: int = 8
    tz: str = "UTC"
    input_tz: str | None = None
    today: date | None = None
    preset: str | None = None
    mapping: Path | None = None
    mapping_display: str | None = None
    context: str | None = None
    strict: bool = False
    docs_root: Path | None = None
    docs_root_display: str | None = None
    more_exports: tuple[tuple[Path, str], ...] = ()  # read with `export` as one export
    date_order: str | None = None  # --date-order: "dmy" or "mdy"

    @property
    def sources(self) -> list[tuple[Path, str]]:
        return [(self.export, self.export_display), *self.more_exports]


def check_options(options: WeeklyOptions) -> tuple[str, list[str], date]:
    """Everything that can fail before reading the export: zones, week label, --weeks; and the
    week, the week labels and today's date (in --tz unless --today)."""
    check_tz(options.tz, "--tz")
    if options.input_tz is not None:
        check_tz(options.input_tz, "--input-tz")
    if not 1 <= options.weeks <= MAX_WEEKS:
        raise CetoolError(f"--weeks: must be between 1 and {MAX_WEEKS} (got {options.weeks})")
    if options.preset and options.mapping:
        raise CetoolError("--preset and --mapping: give one of them, not both")
    today = options.today or datetime.now(ZoneInfo(options.tz)).date()
    # an empty --week is a mistake (an unset shell variable), not a request for the default
    week = label_of(monday_of(options.week)) if options.week is not None else default_week(today)
    return week, week_labels(week, options.weeks), today


def _mapping(options: WeeklyOptions) -> Mapping:
    if options.mapping is not None:
        return load_mapping_file(options.mapping, options.mapping_display or str(options.mapping))
    return load_preset(options.preset or "canonical")


def _lookups(root: DocsRoot | None, today: date) -> tuple[set[str] | None, dict | None, list | None]:
    """Valid packet ids, per root cause the covering (known issue, runbook), and the prevention
    actions (None without a `prevention/` folder: then drivers read as they always did)."""
    if root is None:
        return None, None, None
    # "Validates" means what `packet validate` says: routing against the matrix and the
    # known-issue reference included (schema only when the matrix itself cannot be built).
    matrix = load_matrix(root.matrix, today=today).matrix if root.matrix.is_file() else None
    knowledge = load_knowledge(root, matrix=matrix, today=today)
    valid = set()
    if root.packets.is_dir():
        files, _problems = discover([root.packets], PACKET_SUFFIXES, root.folder)
        known = knowledge.known_issue_ids if root.known_issues.is_dir() else None
        valid = check_packets(files, matrix=matrix, docs_root=root, known_issue_ids=known).valid_ids
    actions = load_prevention(root, matrix=matrix, knowledge=knowledge, today=today)
    return valid, _coverage(knowledge), actions.actions if actions is not None else None


def _coverage(knowledge) -> dict[str, tuple[str | None, str | None]]:
    """Per root cause, its known issue and a runbook that exists: the issue's `runbook` when a
    runbook file has that id, else a runbook listing the issue. A `runbook:` naming no runbook
    is a broken reference, not prevention (`cetool check` reports it)."""
    existing = {id_key(r.id): r.id for r in knowledge.runbooks}
    for written in getattr(knowledge, "runbook_ids", ()):  # also runbooks whose file has other errors
        existing.setdefault(id_key(written), written)
    coverage: dict[str, tuple[str | None, str | None]] = {}
    for issue in knowledge.known_issues:
        runbook = existing.get(id_key(issue.runbook)) if issue.runbook else None
        if runbook is None:
            runbook = next((r.id for r in knowledge.runbooks
                            if any(id_key(k) == id_key(issue.id) for k in r.known_issues)), None)
        coverage.setdefault(issue.root_cause.strip(), (issue.id, runbook))
    return coverage


def run_weekly(options: WeeklyOptions, progress: Callable[[str], None] | None = None) -> WeeklyResult:
    """The result of docs/metrics-reports.md (its `to_dict()` is the JSON output)."""
    week, labels, today = check_options(options)
    mapping = _mapping(options)
    input_tz = options.input_tz or options.tz

    # numpy, pyarrow and pandas: imported here, so `cetool --help` and the other commands never pay for them
    from cetool.metrics.figures import compute_weekly
    from cetool.metrics.load import load_export
    from cetool.metrics.loop import add_prevention_loop
    from cetool.metrics.values import iso

    tickets, facts = load_export(options.sources, mapping, input_tz, date_order=options.date_order,
                                 order_source="--date-order", progress=progress)
    root = DocsRoot(options.docs_root) if options.docs_root is not None else None
    valid, coverage, actions = _lookups(root, today)
    if progress:
        progress("computing the figures")
    figures = compute_weekly(tickets, labels=labels, tz=options.tz, valid_packet_ids=valid, coverage=coverage)
    agenda = None
    if actions is not None:  # the prevention loop (docs/prevention.md#in-the-weekly-report)
        agenda = add_prevention_loop(figures.drivers, tickets, week=week, tz=options.tz, span_ns=figures.span_ns,
                                     actions=actions, today=today)
    contexts = recorded_contexts(root, labels) if root is not None else {}
    for week_figures in figures.weeks:
        week_figures.recorded_context = contexts.get(week_figures.week)
    span = None
    if figures.span_ns is not None:
        first, last = (iso(ns, options.tz) for ns in figures.span_ns)
        span = Span(first_created=first, last_created=last,
                    first_week=label_of(date.fromisoformat(first[:10])),
                    last_week=label_of(date.fromisoformat(last[:10])))
    return WeeklyResult(
        week=week,
        tz=options.tz,
        input_tz=input_tz,
        week_rule=week_rule(week, options.tz),
        # one line by definition: a pasted line break or tab is a space, not an escaped \x0a
        context=" ".join((options.context or "").split()) or None,
        weeks=figures.weeks,
        drivers=figures.drivers,
        agenda=agenda,
        run=RunFacts(
            source=", ".join(display for _path, display in options.sources),
            preset=mapping.label,
            rows_read=facts.rows_read,
            tickets=tickets.count,
            duplicates=facts.duplicates,
            bad_rows=sum(facts.bad_rows_by_reason.values()),
            bad_rows_by_reason=dict(facts.bad_rows_by_reason),
            bad_row_examples=list(facts.bad_row_examples),
            blanked_by_column=dict(facts.blanked_by_column),
            negative_phase_durations=figures.negative_phase_durations,
            columns=facts.columns,
            date_order=facts.date_order,
            date_order_from=facts.date_order_from,
            date_formats={c: facts.date_formats[c] for c in TIMESTAMPS if c in facts.date_formats},
            span=span,
            docs_root=options.docs_root_display,
            strict=options.strict,
        ),
    )
