"""The weekly metrics for a terminal: three headline figures first, then trends, drivers, run facts.

Rendered with rich into a string (never printed here). Values from the export (root causes,
context, reasons) go in as `Text`, so a `[bold]` in a root cause is shown, not interpreted.
"""

from __future__ import annotations

import io
import shutil

from rich import box
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from cetool.reporters import metrics_common as mc

_VERDICT_STYLE = {"better": "green", "worse": "red", "same": "", "none": "dim"}


def _headlines(result: dict, weeks: list[dict], week: dict) -> Table:
    table = Table(title=f"Weekly metrics — {result.get('week')}", title_justify="left",
                  title_style="bold", box=box.ROUNDED, show_lines=True)
    changes = [mc.change(figure, weeks).text for figure in mc.HEADLINES]
    # On a narrow terminal only the label wraps; the numbers, changes and trends keep their width.
    table.add_column("Figure (lower is better)", min_width=20)
    table.add_column("This week", justify="right", style="bold", no_wrap=True,
                     min_width=max(len(f.cell(week)) for f in mc.HEADLINES))
    table.add_column("Week over week", no_wrap=True, min_width=max(len(c) for c in changes))
    table.add_column(f"Trend ({len(weeks)} wk)", no_wrap=True, min_width=len(weeks))
    for figure in mc.HEADLINES:
        shift = mc.change(figure, weeks)
        label = Text(figure.label)
        if figure.detail(week):
            label.append("\n" + figure.detail(week), style="dim")
        table.add_row(label, figure.cell(week), Text(shift.text, style=_VERDICT_STYLE[shift.verdict]),
                      mc.trend(mc.series(figure, weeks), weeks))
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
        table.add_column(name, justify="left" if name == "Week" else "right", min_width=8 if name == "Week" else 5)
    for week in weeks:
        if not week.get("covered", True):
            table.add_row(week.get("week"), Text(mc.NO_DATA, style="dim"), *[""] * 6)
            continue
        table.add_row(week.get("week"), mc.count(week.get("tickets_created")), mc.rate(week.get("escalations_per_100")),
                      mc.count(mc.repeats(week)), mc.hours(week.get("p1p2_ttr_median_hours")),
                      mc.hours(week.get("p1p2_ttr_p90_hours")), mc.count(week.get("p1p2_resolved")),
                      mc.count(week.get("p1p2_open_at_end")))
    return table


def _drivers(result: dict, weeks: list[dict], narrow: bool) -> Table | Text:
    """Wide: one column each for known issue and runbook. Narrow (< 110 columns): the two share a
    column, one above the other, so no column is squeezed to nothing."""
    drivers = result.get("drivers") or []
    if not drivers:
        return Text("Top drivers: no escalations or repeat issues with a root cause this week.")
    table = Table(title="Top drivers (escalations + repeats by root cause)", title_justify="left", box=box.SIMPLE)
    longest = max(len(str(d.get("root_cause"))) for d in drivers)
    table.add_column("Root cause", overflow="fold", min_width=min(18 if narrow else 26, longest))
    table.add_column("Esc", justify="right", no_wrap=True)
    table.add_column("Repeats" if not narrow else "Rep", justify="right", no_wrap=True)
    table.add_column("Trend", no_wrap=True, min_width=len(weeks))
    links = ["Known issue", "Runbook"] if not narrow else ["KI / runbook"]
    for name in links:
        table.add_column(name, overflow="fold")
    table.add_column("Prevention", min_width=14)
    for driver in drivers:
        prevention = mc.prevention(driver)
        missing = prevention == mc.PREVENTION_MISSING
        known, runbook = mc.driver_link(driver.get("known_issue")), mc.driver_link(driver.get("runbook"))
        table.add_row(Text(str(driver.get("root_cause"))), mc.count(driver.get("escalations")),
                      mc.count(driver.get("repeats")), mc.trend(mc.driver_trend(driver, weeks), weeks),
                      *([Text(known), Text(runbook)] if not narrow else [Text(f"{known}\n{runbook}")]),
                      Text(("⚠ " if missing else "") + prevention,
                           style="bold red" if missing else "dim" if not driver.get("prevention") else "green"))
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


def render(result: dict, *, color: bool = False, width: int | None = None) -> str:
    """`width`: the terminal's (COLUMNS, else the real one, else 120), kept within 60..160."""
    if width is None:
        width = min(160, max(60, shutil.get_terminal_size((120, 24)).columns))
    result = mc.for_people(result)
    weeks = result.get("weeks") or []
    week = mc.requested(result)
    parts: list = []
    if week is None:
        parts.append(Text(f"Weekly metrics — {result.get('week')}: no weeks were computed.", style="bold"))
    else:
        key = mc.legend(mc.headline_trends(weeks) + [mc.trend(mc.driver_trend(d, weeks), weeks)
                                                    for d in result.get("drivers") or []])
        parts.append(Group(_headlines(result, weeks, week), Text(key, style="dim")) if key
                     else _headlines(result, weeks, week))
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
    parts.append(_drivers(result, weeks, narrow=width < 110))
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
