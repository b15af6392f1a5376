"""The weekly metrics as GitHub-flavoured markdown: what a lead pastes into Confluence, a wiki or a PR.

Order follows the blueprint's Monday report: the three figures first with their change and n, the
one line of context, then the trend, the drivers with their prevention status, and the run facts.
"""

from __future__ import annotations

from cetool.core.markdown import escape, table
from cetool.metrics.report import agenda
from cetool.metrics.report import common as mc
from cetool.metrics.result import Driver, Week, WeeklyResult


def _headlines(weeks: list[Week], week: Week) -> list[str]:
    rows = []
    for figure in mc.HEADLINES:
        shift = mc.change(figure, weeks)
        verdict = f" ({shift.verdict})" if shift.verdict in ("better", "worse") else ""
        value = figure.cell(week)
        rows.append([figure.label, f"**{escape(value)}**" if week.covered else value,
                     escape(shift.text) + verdict, mc.trend(mc.series(figure, weeks), weeks), escape(figure.detail(week))])
    return table(["Figure (lower is better)", "This week", "Week over week", "Trend", "Based on"], rows, {1})


def _trend(weeks: list[Week]) -> list[str]:
    columns = mc.trend_columns(weeks)
    rows = []
    for week in weeks:
        if week.covered:
            rows.append([escape(week.week)] + [escape(cell(week)) for _, cell in columns])
        else:
            rows.append([escape(week.week), mc.NO_DATA] + [""] * (len(columns) - 1))
    return table(["Week"] + [header for header, _ in columns], rows, set(range(1, len(columns) + 1)))


def _drivers(result: WeeklyResult, weeks: list[Week]) -> list[str]:
    drivers = result.drivers
    if not drivers:
        return ["No escalations or repeat issues with a root cause this week."]
    rows = []
    loop = agenda.loop_on(result)
    for driver in drivers:
        rows.append([
            escape(driver.root_cause), mc.count(driver.escalations), mc.count(driver.repeats),
            mc.trend(mc.driver_trend(driver, weeks), weeks), escape(mc.driver_link(driver.known_issue)),
            escape(mc.driver_link(driver.runbook)), _prevention_cell(driver, loop),
        ])
    lines = table(["Root cause", "Escalations", "Repeats", "Trend", "Known issue", "Runbook", "Prevention"],
                  rows, {1, 2})
    if loop:
        effects = agenda.effects(result)
        return lines + ([""] + [f"- {escape(cause)}: {escape(line)}" for cause, line in effects] if effects else [])
    missing = mc.missing_prevention(drivers)
    if missing:
        head, _, tail = missing.partition(". ")
        lines += ["", f"**{head}.** {tail}"]
    return lines


def _prevention_cell(driver: Driver, loop: bool) -> str:
    prevention = mc.prevention(driver)
    if not loop:
        return f"⚠ **{prevention}**" if prevention == mc.PREVENTION_MISSING else escape(prevention)
    status = agenda.status(driver)
    cell = f"⚠ **{escape(status)}**" if agenda.on_agenda(driver) else escape(status)
    signal = agenda.signal(driver)
    return f"{cell} · {escape(signal)}" if signal else cell


def _agenda(result: WeeklyResult) -> list[str]:
    items = agenda.agenda(result)
    if not items:
        return [agenda.AGENDA_NONE]
    lines = []
    for number, item in enumerate(items, start=1):
        signal = f" · {escape(item.signal)}" if item.signal else ""
        lines.append(f"{number}. **{escape(item.root_cause)}** — ⚠ {escape(item.why)} · {escape(item.figures)}{signal}  ")
        lines.append(f"   Suggested: {escape(item.suggestion)}")
    return lines


def _run(result: WeeklyResult) -> list[str]:
    run = result.run
    lines = [f"- Week rule: {escape(result.week_rule or mc.NA)}",
             f"- Time zones: {escape(mc.zones(result))}"]
    lines += [f"- {label.capitalize()}: {escape(value)}" for label, value in mc.run_facts(run)]
    lines += [f"  - {escape(example)}" for example in mc.bad_row_examples(run)]
    return lines


def render(result: WeeklyResult | dict, *, color: bool = False) -> str:
    """`color` is accepted for a uniform reporter signature; markdown has none."""
    result = mc.for_people(result)
    weeks = result.weeks
    week = mc.requested(result)
    out = [f"# Weekly metrics — {escape(result.week)}", ""]
    alert = mc.bad_rows_alert(result.run)
    if alert:
        out += [f"> **{escape(alert)}**", ""]
    if week is None:
        out += ["No weeks were computed.", ""]
    else:
        out += [f"{escape(mc.week_dates(week))} · {escape(mc.zones(result))}", ""]
        if not week.covered:
            out += [f"**{escape(week.week)}: {mc.NO_DATA}.** {escape(mc.coverage_note(result))}", ""]
        key = mc.legend(mc.headline_trends(weeks) + [mc.trend(mc.driver_trend(d, weeks), weeks)
                                                    for d in result.drivers])
        out += _headlines(weeks, week) + [""] + ([escape(key), ""] if key else [])
        if mc.lower_bound_note(result):
            out += [f"_{escape(mc.lower_bound_note(result))}_", ""]
    context = result.context
    out += [f"> **Context:** {escape(context, links=True)}" if context else "> **Context:** _none given_", ""]
    if agenda.loop_on(result):
        out += [f"## {agenda.AGENDA_TITLE}", ""] + _agenda(result) + [""]
    if week is not None:
        secondary = ([("P1/P2 open at end of week", mc.p1p2_open(week))] + mc.secondary(week)
                     if week.covered else [])
        if secondary:
            out += ["## Also this week", ""] + [f"- {label}: {escape(value)}" for label, value in secondary] + [""]
        out += [f"## Trend ({len(weeks)} week{'' if len(weeks) == 1 else 's'})", ""] + _trend(weeks) + [""]
    out += ["## Top drivers and prevention", ""] + _drivers(result, weeks) + [""]
    for note in (mc.escalation_note(result), mc.docs_root_note(result)):
        if note:  # shown with or without drivers
            out += [f"_{escape(note)}_", ""]
    out += ["## Run", ""] + _run(result)
    return "\n".join(out) + "\n"
