"""The weekly metrics for a terminal: three headline figures first, then trends, drivers, run facts.

Rendered with rich into a string (never printed here). Values from the export (root causes,
context, reasons) go in as `Text`, so a `[bold]` in a root cause is shown, not interpreted.
"""

from __future__ import annotations

import io
import shutil

from rich import box
from rich.console import Console, Group
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from cetool.metrics.report import agenda
from cetool.metrics.report import common as mc
from cetool.metrics.result import Driver, Week, WeeklyResult

_DRIVERS_TITLE = "Top drivers (escalations + repeats by root cause)"
_VERDICT_STYLE = {"better": "green", "worse": "red", "same": "", "none": "dim"}


def _fits(table: Table, width: int) -> bool:
    """Whether rich can draw the table in `width` columns without cutting a no-wrap column:
    each such column is first given its content's width as its minimum."""
    console = Console(width=10_000, file=io.StringIO(), legacy_windows=False)
    for column in table.columns:
        if column.no_wrap:
            cells = [column.header, *column.cells]
            column.min_width = max(Measurement.get(console, console.options, c).maximum for c in cells)
    return Measurement.get(console, console.options, table).minimum <= width


def _headlines(result: WeeklyResult, weeks: list[Week], week: Week, width: int) -> Table:
    """A row per figure with the change and trend in columns of their own; on a terminal too
    narrow for that, the change and trend go under the label, so nothing is cut."""
    wide = _headline_table(result, weeks, week, stacked=False)
    return wide if _fits(wide, width) else _headline_table(result, weeks, week, stacked=True)


def _headline_table(result: WeeklyResult, weeks: list[Week], week: Week, stacked: bool) -> Table:
    table = Table(title=f"Weekly metrics — {result.week}", title_justify="left",
                  title_style="bold", box=box.ROUNDED, show_lines=True)
    changes = [mc.change(figure, weeks) for figure in mc.HEADLINES]
    # Only the label wraps; the numbers, changes and trends keep their width.
    table.add_column("Figure (lower is better)", min_width=20)
    table.add_column("This week", justify="right", style="bold", no_wrap=True)
    if not stacked:
        table.add_column("Week over week", no_wrap=True)
        table.add_column(f"Trend ({len(weeks)} wk)", no_wrap=True)
    for figure, shift in zip(mc.HEADLINES, changes):
        label = Text(figure.label)
        if figure.detail(week):
            label.append("\n" + figure.detail(week), style="dim")
        verdict = Text(shift.text, style=_VERDICT_STYLE[shift.verdict])
        sparkline = mc.trend(mc.series(figure, weeks), weeks)
        if stacked:
            label.append("\n").append(verdict).append(f"\nTrend ({len(weeks)} wk) {sparkline}")
            table.add_row(label, figure.cell(week))
        else:
            table.add_row(label, figure.cell(week), verdict, sparkline)
    return table


def _secondary(week: Week) -> Table | None:
    rows = mc.secondary(week)
    if week.covered:
        rows.insert(0, ("P1/P2 open at end of week", mc.p1p2_open(week)))
    if not rows:
        return None
    table = Table(title="Also this week", title_justify="left", box=box.SIMPLE, show_header=False)
    table.add_column("figure")
    table.add_column("value")
    for label, value in rows:
        table.add_row(label, value)
    return table


# The trend table's columns: full header, short header (narrow terminals), cell.
_TREND = [
    ("Tickets", "Tkts", lambda w: mc.count(w.tickets_created)),
    ("Esc/100", "E/100", lambda w: mc.rate(w.escalations_per_100)),
    ("Repeats", "Rep", lambda w: mc.at_least(w, "repeat_issues_30d", mc.count(mc.repeats(w)), mc.repeats(w))),
    ("TTR median", "TTR", lambda w: mc.hours(w.p1p2_ttr_median_hours)),
    ("TTR p90", "p90", lambda w: mc.hours(w.p1p2_ttr_p90_hours)),
    ("n P1/P2", "n", lambda w: mc.count(w.p1p2_resolved)),
    ("P1/P2 open", "Open", lambda w: mc.at_least(w, "p1p2_open_at_end", mc.count(w.p1p2_open_at_end))),
]
_TREND_KEY = ("Tkts = tickets created · E/100 = escalations per 100 · Rep = repeats (30 d) · TTR, p90 = "
              "P1/P2 time to resolution, median and p90, over n resolved · Open = P1/P2 open at week end")


def _trend(weeks: list[Week], width: int) -> Table | Group:
    """Every column always: full headers when they fit, else short ones with a key under the
    table, else one line per week."""
    wide = _trend_table(weeks, short=False)
    if _fits(wide, width):
        return wide
    short = _trend_table(weeks, short=True)
    if _fits(short, width):
        return Group(short, Text(_TREND_KEY, style="dim"))
    lines = Text("Trend")
    for week in weeks:
        values = (mc.NO_DATA,) if not week.covered else (
            f"{short} {cell(week)}" for _name, short, cell in _TREND)
        lines.append(f"\n{week.week}: " + " · ".join(values))
    return Group(lines, Text(_TREND_KEY, style="dim"))


def _trend_table(weeks: list[Week], short: bool) -> Table:
    # short: one space between columns (the header names are short too)
    table = Table(title="Trend", title_justify="left", box=box.SIMPLE, padding=(0, 0 if short else 1))
    table.add_column("Week", no_wrap=True)
    for name, abbreviation, _cell in _TREND:
        table.add_column(abbreviation if short else name, justify="right", no_wrap=True)
    for week in weeks:
        if not week.covered:
            table.add_row(week.week, Text(mc.NO_DATA, style="dim"), *[""] * (len(_TREND) - 1))
            continue
        table.add_row(week.week, *(cell(week) for _name, _short, cell in _TREND))
    return table


def _drivers(result: WeeklyResult, weeks: list[Week], width: int) -> Table | Text:
    """Wide (110 columns and more): one column each for known issue and runbook. From 80: the
    two share a column, one above the other. Narrower: a short paragraph per driver, so no
    column is ever squeezed to nothing."""
    drivers = result.drivers
    if not drivers:
        return Text("Top drivers: no escalations or repeat issues with a root cause this week.")
    if width < 80:
        return _driver_list(drivers, weeks, agenda.loop_on(result))
    return _driver_table(drivers, weeks, narrow=width < 110, loop=agenda.loop_on(result))


def _prevention(driver: Driver, loop: bool) -> Text:
    if loop:  # the prevention loop (docs/prevention.md)
        late = agenda.on_agenda(driver)
        text = Text(("⚠ " if late else "") + agenda.status(driver), style="bold red" if late else "green")
        # the account count is in the agenda; the table keeps its column narrow
        return text.append("\nproduct signal", style="yellow") if driver.product_signal else text
    prevention = mc.prevention(driver)
    missing = prevention == mc.PREVENTION_MISSING
    return Text(("⚠ " if missing else "") + prevention,
                style="bold red" if missing else "dim" if not driver.prevention else "green")


def _driver_table(drivers: list[Driver], weeks: list[Week], narrow: bool, loop: bool) -> Table:
    table = Table(title=_DRIVERS_TITLE, title_justify="left", box=box.SIMPLE)
    longest = max(len(str(d.root_cause)) for d in drivers)
    table.add_column("Root cause", overflow="fold", min_width=min(18 if narrow else 26, longest))
    table.add_column("Esc", justify="right", no_wrap=True)
    table.add_column("Repeats" if not narrow else "Rep", justify="right", no_wrap=True)
    table.add_column("Trend", no_wrap=True, min_width=len(weeks))
    links = ["Known issue", "Runbook"] if not narrow else ["KI / runbook"]
    for name in links:
        table.add_column(name, overflow="fold")
    table.add_column("Prevention", min_width=14)
    for driver in drivers:
        known, runbook = mc.driver_link(driver.known_issue), mc.driver_link(driver.runbook)
        table.add_row(Text(str(driver.root_cause)), mc.count(driver.escalations),
                      mc.count(driver.repeats), mc.trend(mc.driver_trend(driver, weeks), weeks),
                      *([Text(known), Text(runbook)] if not narrow else [Text(f"{known}\n{runbook}")]),
                      _prevention(driver, loop))
    return table


def _driver_list(drivers: list[Driver], weeks: list[Week], loop: bool) -> Text:
    text = Text(_DRIVERS_TITLE)
    for number, driver in enumerate(drivers, start=1):
        text.append(f"\n{number}. ").append(str(driver.root_cause), style="bold")
        text.append(f": {mc.plural(driver.escalations, 'escalation')}, "
                    f"{mc.plural(driver.repeats, 'repeat')}, "
                    f"trend {mc.trend(mc.driver_trend(driver, weeks), weeks)}")
        text.append(f"\n   known issue {mc.driver_link(driver.known_issue)}, "
                    f"runbook {mc.driver_link(driver.runbook)}: ").append(_prevention(driver, loop))
    return text


def _agenda(result: WeeklyResult) -> Text:
    text = Text(agenda.AGENDA_TITLE, style="bold")
    for line in agenda.agenda_lines(result):
        text.append("\n" + line, style="" if line.startswith(" ") or line[:1].isdigit() else "dim")
    return text


def _effects(result: WeeklyResult) -> list[Text]:
    effects = agenda.effects(result)
    if not effects:
        return []
    return [Text("Effect of done prevention actions\n" + "\n".join(f"  {cause}: {line}" for cause, line in effects))]


def _recorded_contexts(weeks: list[Week]) -> Text | None:
    recorded = [(w.week, w.recorded_context) for w in weeks if w.recorded_context]
    if not recorded:
        return None
    return Text("Recorded context\n" + "\n".join(f"  {week}: {context}" for week, context in recorded))


def _footer(result: WeeklyResult) -> Text:
    run = result.run
    facts = dict(mc.run_facts(run))
    text = Text(style="dim")
    text.append(f"Week rule: {result.week_rule or mc.NA}\n")
    text.append(f"Time zones: {mc.zones(result)}\n")
    text.append("Source: " + " · ".join(f"{label} {value}".removeprefix("source ")
                                        for label, value in mc.run_facts(run) if label != "bad rows"))
    text.append(f"\nBad rows: {facts['bad rows']}")
    for example in mc.bad_row_examples(run):
        text.append(f"\n  {example}")
    return text


def render(result: WeeklyResult | dict, *, color: bool = False, width: int | None = None) -> str:
    """`width`: the terminal's (COLUMNS, else the real one, else 120), kept within 60..160."""
    if width is None:
        width = min(160, max(60, shutil.get_terminal_size((120, 24)).columns))
    result = mc.for_people(result)
    weeks = result.weeks
    week = mc.requested(result)
    parts: list = []
    alert = mc.bad_rows_alert(result.run)
    if alert:
        parts.append(Text(alert, style="bold red"))
    if week is None:
        parts.append(Text(f"Weekly metrics — {result.week}: no weeks were computed.", style="bold"))
    else:
        key = mc.legend(mc.headline_trends(weeks) + [mc.trend(mc.driver_trend(d, weeks), weeks)
                                                    for d in result.drivers])
        headlines = _headlines(result, weeks, week, width)
        parts.append(Group(headlines, Text(key, style="dim")) if key else headlines)
        if mc.lower_bound_note(result):
            parts.append(Text(mc.lower_bound_note(result), style="yellow"))
        if not week.covered:
            parts.append(Text(f"{week.week}: {mc.NO_DATA}. {mc.coverage_note(result)}", style="bold yellow"))
    context = result.context
    parts.append(Text(f"Context: {context}" if context else "Context: (none given; add one line with --context)",
                      style="italic" if context else "dim"))
    loop = agenda.loop_on(result)
    if loop:
        parts.append(_agenda(result))
    if week is not None:
        secondary = _secondary(week)
        if secondary is not None:
            parts.append(secondary)
        parts.append(_trend(weeks, width))
        recorded = _recorded_contexts(weeks)
        if recorded is not None:
            parts.append(recorded)
    parts.append(_drivers(result, weeks, width))
    parts += _effects(result) if loop else []
    call_to_action = mc.missing_prevention(result.drivers) if not loop else ""
    if call_to_action:
        parts.append(Text(call_to_action, style="bold red"))
    for note in (mc.escalation_note(result), mc.docs_root_note(result)):
        if note:
            parts.append(Text(note, style="yellow"))
    parts.append(_footer(result))
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, force_terminal=color, no_color=not color,
                      color_system="standard" if color else None, highlight=False, emoji=False,
                      markup=False, legacy_windows=False)
    spaced = [item for part in parts for item in (part, Text(""))][:-1]
    console.print(Group(*spaced))
    lines = [line.rstrip() for line in buffer.getvalue().splitlines()]
    # rich ends some tables with a blank line of their own; keep one blank line between sections
    return "\n".join(line for i, line in enumerate(lines) if line or (i and lines[i - 1])) + "\n"
