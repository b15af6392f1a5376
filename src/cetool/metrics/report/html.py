"""The weekly metrics as one self-contained HTML page: inline CSS, inline SVG charts, no scripts,
no fonts, no links to anywhere, so it opens offline and can be mailed or attached as it is.
Every value from the export goes through `html.escape`.
"""

from __future__ import annotations

from html import escape

from cetool.metrics.report import agenda
from cetool.metrics.report import common as mc
from cetool.metrics.result import Week, WeeklyResult
from cetool.metrics.report.svg import bars, chart

_CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;margin:0;background:#f6f8fa}
main{max-width:1100px;margin:0 auto;padding:24px 28px 40px;background:#fff}
h1{font-size:26px;margin:0 0 4px}h2{font-size:19px;margin:28px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
.sub{color:#57606a;margin:0 0 18px}
.cards{display:flex;flex-wrap:wrap;gap:14px}
.card{flex:1 1 300px;border:1px solid #d0d7de;border-radius:8px;padding:12px 14px}
.card h3{font-size:14px;font-weight:600;margin:0;color:#57606a;min-height:2.9em}
.value{font-size:30px;font-weight:700;margin:2px 0}
.better{color:#1a7f37}.worse{color:#cf222e}.same,.none{color:#57606a}
.detail{color:#57606a;font-size:13px}
.context{border-left:4px solid #0969da;background:#f0f6ff;margin:18px 0;padding:8px 12px}
.alert{border-left:4px solid #bf8700;background:#fff8c5;padding:8px 12px}
table{border-collapse:collapse;font-size:13.5px;margin:6px 0}
th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:right;white-space:nowrap}
th{background:#f6f8fa;white-space:normal}th:first-child,td:first-child,td.l,th.l{text-align:left}
.scroll{overflow-x:auto}
tr.current td{background:#fff8c5;font-weight:600}tr.nodata td{color:#8c959f;font-style:italic}
td.missing{color:#cf222e;font-weight:700}td.ok{color:#1a7f37}td.unknown{color:#57606a}
.spark{font-family:ui-monospace,Menlo,Consolas,monospace;letter-spacing:1px}
dl{display:grid;grid-template-columns:max-content auto;gap:4px 16px;margin:6px 0}dt{color:#57606a}dd{margin:0}
footer{margin-top:28px;color:#57606a;font-size:13px}footer li{margin:2px 0}
svg text{font:11px system-ui,sans-serif;fill:#57606a}svg text.n{font-size:9.5px}
.hint{font-weight:400}
"""


def _cards(weeks: list[Week], week: Week) -> str:
    cards = []
    for figure in mc.HEADLINES:
        shift = mc.change(figure, weeks)
        # an uncovered week already reads "no data" in large type; no second "no data" below it
        said = f" ({shift.verdict})" if shift.verdict in ("better", "worse") else ""  # in words, not colour alone
        change = f'<div class="{shift.verdict}">{escape(shift.text + said)}</div>' if week.covered else ""
        cards.append(
            f'<div class="card"><h3>{escape(figure.label)} <span class="hint">(lower is better)</span></h3>'
            f'<div class="value">{escape(figure.cell(week))}</div>{change}'
            f'<div class="detail">{escape(figure.detail(week))}</div>'
            f"{chart(figure, weeks, week.week)}</div>")
    return '<section class="cards">' + "".join(cards) + "</section>"


def _chart_legend(weeks: list[Week]) -> str:
    """What the charts' gap bands mean, for the kinds of gap they show ('' when none)."""
    uncovered = any(not w.covered for w in weeks)
    null = any(w.covered and figure.value(w) is None for w in weeks for figure in mc.HEADLINES)
    parts = (["grey band: no data (the export does not cover the week)"] if uncovered else []) + \
        (["dashed outline: n/a (the week is covered but has nothing to measure)"] if null else [])
    return ("Charts — " + "; ".join(parts) + ".") if parts else ""


def _rows(cells: list[str], css: str = "") -> str:
    klass = f' class="{css}"' if css else ""
    return f"<tr{klass}>" + "".join(cells) + "</tr>"


def _trend(weeks: list[Week], current: str | None) -> str:
    columns = mc.trend_columns(weeks)
    head = "<tr><th>Week</th>" + "".join(f"<th>{escape(h)}</th>" for h, _ in columns) + "</tr>"
    body = []
    for week in weeks:
        label = f"<td>{escape(str(week.week))}</td>"
        if not week.covered:
            body.append(_rows([label, f'<td class="l" colspan="{len(columns)}">{mc.NO_DATA}</td>'], "nodata"))
        else:
            css = "current" if week.week == current else ""
            body.append(_rows([label] + [f"<td>{escape(cell(week))}</td>" for _, cell in columns], css))
    return f'<div class="scroll"><table><thead>{head}</thead><tbody>{"".join(body)}</tbody></table></div>'


def _drivers(result: WeeklyResult, weeks: list[Week]) -> str:
    drivers = result.drivers
    if not drivers:
        return "<p>No escalations or repeat issues with a root cause this week.</p>"
    head = "".join(f'<th class="{"l" if h not in ("Escalations", "Repeats") else ""}">{h}</th>' for h in
                   ("Root cause", "Escalations", "Repeats", "Trend", "Known issue", "Runbook", "Prevention"))
    body = []
    loop = agenda.loop_on(result)
    for driver in drivers:
        prevention = mc.prevention(driver)
        missing = prevention == mc.PREVENTION_MISSING
        status = "missing" if missing else "ok" if driver.prevention else "unknown"
        if loop:
            missing = agenda.on_agenda(driver)
            status, signal = "missing" if missing else "ok", agenda.signal(driver)
            prevention = agenda.status(driver) + (f" · {signal}" if signal else "")
        body.append(_rows([
            f"<td>{escape(str(driver.root_cause))}</td>",
            f"<td>{escape(mc.count(driver.escalations))}</td>",
            f"<td>{escape(mc.count(driver.repeats))}</td>",
            f'<td class="l" title="{escape(mc.trend(mc.driver_trend(driver, weeks), weeks))}">'
            f"{bars(mc.driver_trend(driver, weeks))}</td>",
            f'<td class="l">{escape(mc.driver_link(driver.known_issue))}</td>',
            f'<td class="l">{escape(mc.driver_link(driver.runbook))}</td>',
            f'<td class="l {status}">{"⚠ " if missing else ""}{escape(prevention)}</td>',
        ]))
    table = f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    if loop:
        effects = "".join(f"<li>{escape(cause)}: {escape(line)}</li>" for cause, line in agenda.effects(result))
        return table + (f"<ul>{effects}</ul>" if effects else "")
    missing = mc.missing_prevention(drivers)
    if missing:
        table += f'<p class="alert">{escape(missing)}</p>'
    return table


def _agenda(result: WeeklyResult) -> str:
    items = agenda.agenda(result)
    if not items:
        return f"<h2>{escape(agenda.AGENDA_TITLE)}</h2><p>{escape(agenda.AGENDA_NONE)}</p>"
    rows = "".join(
        f"<li><strong>{escape(item.root_cause)}</strong>: ⚠ {escape(item.why)} · {escape(item.figures)}"
        + (f" · {escape(item.signal)}" if item.signal else "")
        + f"<br>Suggested: {escape(item.suggestion)}</li>" for item in items)
    return f'<h2>{escape(agenda.AGENDA_TITLE)}</h2><ol class="alert">{rows}</ol>'


def _footer(result: WeeklyResult) -> str:
    run = result.run
    items = [f"<li>Week rule: {escape(result.week_rule or mc.NA)}</li>",
             f"<li>Time zones: {escape(mc.zones(result))}</li>"]
    items += [f"<li>{escape(label.capitalize())}: {escape(value)}</li>" for label, value in mc.run_facts(run)]
    examples = "".join(f"<li>{escape(e)}</li>" for e in mc.bad_row_examples(run))
    if examples:
        items.append(f"<li>First bad rows:<ul>{examples}</ul></li>")
    return f"<footer><h2>Run</h2><ul>{''.join(items)}</ul></footer>"


def render(result: WeeklyResult | dict, *, color: bool = False) -> str:
    """`color` is accepted for a uniform reporter signature; the page always has its colours."""
    result = mc.for_people(result)
    weeks = result.weeks
    week = mc.requested(result)
    title = f"Weekly metrics — {result.week}"
    parts = [f"<h1>{escape(title)}</h1>"]
    alert = mc.bad_rows_alert(result.run)
    if alert:
        parts.append(f'<p class="alert"><strong>{escape(alert)}</strong></p>')
    if week is None:
        parts.append("<p>No weeks were computed.</p>")
    else:
        parts.append(f'<p class="sub">{escape(mc.week_dates(week))} · {escape(mc.zones(result))}</p>')
        if not week.covered:
            parts.append(f'<p class="alert"><strong>{escape(str(week.week))}: {mc.NO_DATA}.</strong> '
                         f"{escape(mc.coverage_note(result))}</p>")
        parts.append(_cards(weeks, week))
        key = _chart_legend(weeks)
        if key:
            parts.append(f'<p class="sub">{escape(key)}</p>')
        if mc.lower_bound_note(result):
            parts.append(f'<p class="alert">{escape(mc.lower_bound_note(result))}</p>')
    context = result.context
    said = escape(context) if context else "<em>none given</em>"
    parts.append(f'<p class="context"><strong>Context:</strong> {said}</p>')
    if agenda.loop_on(result):
        parts.append(_agenda(result))
    if week is not None:
        secondary = ([("P1/P2 open at end of week", mc.p1p2_open(week))] + mc.secondary(week)
                     if week.covered else [])
        if secondary:
            pairs = "".join(f"<dt>{escape(label)}</dt><dd>{escape(value)}</dd>" for label, value in secondary)
            parts.append(f"<h2>Also this week</h2><dl>{pairs}</dl>")
        parts.append(f"<h2>Trend ({len(weeks)} week{'' if len(weeks) == 1 else 's'})</h2>")
        parts.append(_trend(weeks, result.week))
    notes = "".join(f'<p class="alert">{escape(note)}</p>'  # shown with or without drivers
                    for note in (mc.escalation_note(result), mc.docs_root_note(result)) if note)
    parts.append("<h2>Top drivers and prevention</h2>" + _drivers(result, weeks) + notes)
    parts.append(_footer(result))
    return ("<!DOCTYPE html>\n"
            f'<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)}</title><style>{_CSS}</style></head>\n"
            f"<body><main>\n" + "\n".join(parts) + "\n</main></body></html>\n")
