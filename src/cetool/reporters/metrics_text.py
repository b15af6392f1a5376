"""The weekly metrics for a terminal: three headline figures first, then trends, drivers, run facts.

Rendered with rich into a string (never printed here). Values from the export (root causes,
context, reasons) go in as `Text`, so a `[bold]` in a root cause is shown, not interpreted.
"""

from __future__ import annotations

import io

from rich import box
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from cetool.reporters import metrics_common as mc

_VERDICT_STYLE = {"better": "green", "worse": "red", "same": "", "none": "dim"}


def _headlines(result: dict, weeks: list[dict], week: dict) -> Table:
    table = Table(title=f"Weekly metrics — {result.get('week')}", title_justify="left",
                  title_style="bold", box=box.ROUNDED, show_lines=True)
    table.add_column("Figure (lower is better)", no_wrap=True)
    table.add_column("This week", justify="right", style="bold")
    table.add_column("Week over week", no_wrap=True)
    table.add_column(f"Trend ({len(weeks)} wk)", no_wrap=True)
    for figure in mc.HEADLINES:
        shift = mc.change(figure, weeks)
        label = Text(figure.label)
        if figure.detail(week):
            label.append("\n" + figure.detail(week), style="dim")
        table.add_row(label, figure.cell(week), Text(shift.text, style=_VERDICT_STYLE[shift.verdict]),
                      mc.sparkline(mc.series(figure, weeks)))
    return table


def _secondary(week: dict) -> Table | None:
    rows = mc.secondary(week)
    if week.get("covered", True):
        rows.insert(0, ("P1/P2 open at end of week", mc.p1p2_open(week)))
    if not rows:
        return None
    table = Table(title="Also this week", title_justify="left", box=box.SIMPLE, show_header=False)
    table.add_column("figure")
    table.add_column("value")
    for label, value in rows:
        table.add_row(label, value)
    return table


def _trend(weeks: list[dict]) -> Table:
    table = Table(title="Trend", title_justify="left", box=box.SIMPLE)
    for name in ("Week", "Tickets", "Esc/100", "Repeats", "TTR median", "TTR p90", "n P1/P2", "P1/P2 open"):
        table.add_column(name, justify="left" if name == "Week" else "right")
    for week in weeks:
        if not week.get("covered", True):
            table.add_row(week.get("week"), Text(mc.NO_DATA, style="dim"), *[""] * 6)
            continue
        table.add_row(week.get("week"), mc.count(week.get("tickets_created")), mc.rate(week.get("escalations_per_100")),
                      mc.count(week.get("repeat_issues_30d")), mc.hours(week.get("p1p2_ttr_median_hours")),
                      mc.hours(week.get("p1p2_ttr_p90_hours")), mc.count(week.get("p1p2_resolved")),
                      mc.count(week.get("p1p2_open_at_end")))
    return table


def _drivers(result: dict, weeks: list[dict]) -> Table | Text:
    drivers = result.get("drivers") or []
    if not drivers:
        return Text("Top drivers: no escalations or repeat issues with a root cause this week.")
    table = Table(title="Top drivers (escalations + repeats by root cause)", title_justify="left", box=box.SIMPLE)
    for name in ("Root cause", "Esc", "Repeats", "Trend", "Known issue", "Runbook", "Prevention"):
        table.add_column(name, justify="right" if name in ("Esc", "Repeats") else "left",
                         no_wrap=name in ("Root cause", "Trend", "Prevention", "Runbook"))
    for driver in drivers:
        trend = [None if not w.get("covered", True) else v for w, v in zip(weeks, driver.get("trend") or [])]
        prevention = driver.get("prevention") or mc.PREVENTION_MISSING
        missing = prevention == mc.PREVENTION_MISSING
        table.add_row(Text(str(driver.get("root_cause"))), mc.count(driver.get("escalations")),
                      mc.count(driver.get("repeats")), mc.sparkline(trend),
                      Text(mc.driver_link(driver.get("known_issue"))), Text(mc.driver_link(driver.get("runbook"))),
                      Text(("⚠ " if missing else "") + prevention, style="bold red" if missing else "green"))
    return table


def _footer(result: dict) -> Text:
    run = result.get("run") or {}
    facts = dict(mc.run_facts(run))
    text = Text(style="dim")
    text.append(f"Week rule: {result.get('week_rule') or mc.NA}\n")
    text.append(f"Time zones: {mc.zones(result)}\n")
    text.append("Source: " + " · ".join(f"{label} {value}".removeprefix("source ")
                                        for label, value in mc.run_facts(run) if label != "bad rows"))
    text.append(f"\nBad rows: {facts['bad rows']}")
    for example in mc.bad_row_examples(run):
        text.append(f"\n  {example}")
    return text


def render(result: dict, *, color: bool = False, width: int = 120) -> str:
    weeks = result.get("weeks") or []
    week = mc.requested(result)
    parts: list = []
    if week is None:
        parts.append(Text(f"Weekly metrics — {result.get('week')}: no weeks were computed.", style="bold"))
    else:
        parts.append(_headlines(result, weeks, week))
        if not week.get("covered", True):
            parts.append(Text(f"{week.get('week')}: {mc.NO_DATA}. {mc.coverage_note(result)}", style="bold yellow"))
    context = result.get("context")
    parts.append(Text(f"Context: {context}" if context else "Context: (none given; add one line with --context)",
                      style="italic" if context else "dim"))
    if week is not None:
        secondary = _secondary(week)
        if secondary is not None:
            parts.append(secondary)
        parts.append(_trend(weeks))
    parts.append(_drivers(result, weeks))
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
