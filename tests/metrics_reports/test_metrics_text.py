"""The terminal report: headline figures first, change, trend, drivers, footer; missing data honest."""

from __future__ import annotations

from datetime import date

from cetool.metrics.report import text as _metrics_text
from metrics_builders import HOSTILE, eight_weeks, full_result, make_result, make_week, uncovered


class metrics_text:  # noqa: N801 - the module, pinned to a 120-column terminal
    @staticmethod
    def render(result, **kwargs):
        return _metrics_text.render(result, **{"width": 120, **kwargs})


def test_headline_figures_come_first_with_change_trend_and_n():
    out = metrics_text.render(full_result())
    lines = out.splitlines()
    assert lines[0] == "Weekly metrics — 2026-W47"
    esc, rep, ttr = (out.index(s) for s in ("per 100 tickets", "Repeat issues within 30 days", "P1/P2 time to"))
    assert esc < rep < ttr < out.index("Context:") < out.index("\nTrend\n") < out.index("Top drivers")
    assert "▲ +0.2 vs 2026-W46" in out and "▼ −2 vs 2026-W46" in out and "▼ −1.0 h vs 2026-W46" in out
    assert "23 escalations / 400 tickets created" in out
    assert "p90 46.0 h, n=40" in out
    assert "▁▂·▄▅▆▇█" in out  # escalations trend with the uncovered week as a gap
    assert "█▇·○▄▃▂▁" in out  # TTR: the uncovered week "no data", the null week "n/a", told apart
    assert "Trend: · no data (the export does not cover the week); ○ n/a (the week is covered" in out


def test_trend_rows_show_no_data_and_na_never_zero():
    out = metrics_text.render(full_result())
    uncovered_row = next(line for line in out.splitlines() if line.strip().startswith("2026-W42"))
    assert uncovered_row.split()[1:] == ["no", "data"]
    null_row = next(line for line in out.splitlines() if line.strip().startswith("2026-W43"))
    assert "n/a" in null_row


def test_secondary_figures_drivers_and_footer():
    out = metrics_text.render(full_result())
    for expected in ("First response (median)     1.4 h (n=396)", "Reopen rate                 5.0% of 380 resolved",
                     "Packet compliance           80.0% (16/20 escalations)", "7-30d 40", "investigation 6.0 h (n=38)",
                     "⚠ no prevention action", "known issue + runbook", "RB-WEBHOOK-DELIVERY",
                     "webhook-secret-rotation", "Week rule: ISO week 2026-W47", "rows read 3,210 · tickets 3,200",
                     "duplicates collapsed 10", "unparseable created_at: 1",
                     "row 17 (ticket T-9): unparseable created_at '31/02/2026'"):
        assert expected in out, expected


def test_markup_in_values_is_shown_not_interpreted():
    out = metrics_text.render(full_result())
    assert "[bold]loud[/bold]" in out
    assert "role|sync<script>" in out


def test_color_marks_worse_red_and_better_green_only_when_asked():
    plain = metrics_text.render(full_result())
    assert "\x1b[" not in plain
    colored = metrics_text.render(full_result(), color=True)
    assert "\x1b[31m▲ +0.2 vs 2026-W46" in colored
    assert "\x1b[32m▼ −2 vs 2026-W46" in colored


def test_requested_week_not_covered_says_which_weeks_the_export_covers():
    weeks = eight_weeks()
    weeks[-1] = uncovered(weeks[-1])
    out = metrics_text.render(make_result(weeks))
    assert "2026-W47: no data. The export covers 2026-09-28 to 2026-11-22 (2026-W40 to 2026-W47)" in out
    headline_rows = [line for line in out.splitlines() if "Repeat issues within 30 days" in line]
    assert "no data" in headline_rows[0] and " 0 " not in headline_rows[0]
    assert "Also this week" not in out


def test_a_single_week_and_no_drivers():
    out = metrics_text.render(make_result([make_week(date(2026, 11, 16))], drivers=[], context=None))
    assert out.count("no earlier week") == 3
    assert "no escalations or repeat issues with a root cause this week" in out
    assert "Context: (none given" in out


def test_hostile_context_survives_intact():
    assert HOSTILE.split(" | ")[0] in metrics_text.render(full_result())


def test_no_weeks_at_all_still_renders():
    out = metrics_text.render(make_result([], drivers=[]))
    assert "no weeks were computed" in out


def test_a_narrow_terminal_keeps_every_column(monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    out = _metrics_text.render(full_result())
    assert max(len(line) for line in out.splitlines()) <= 80
    drivers = out[out.index("Top drivers"):]
    for expected in ("csv-export-timeout", "KI-0001", "RB-WEBHOOK-DELI", "⚠ no prevention", "known issue only"):
        assert expected in drivers, expected
    assert "▲ +0.2 vs 2026-W46" in out and "▁▂·▄▅▆▇█" in out


def _rows_of(out: str, first: str, last: str) -> str:
    return out[out.index(first):out.index(last)]


def test_the_narrowest_terminal_keeps_every_figure_change_trend_and_column(monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    out = _metrics_text.render(full_result())
    assert max(len(line) for line in out.splitlines()) <= 60
    assert "…" not in out  # nothing was cut
    for change in ("▲ +0.2 vs 2026-W46", "▼ −2 vs 2026-W46", "▼ −1.0 h vs 2026-W46"):
        assert change in out
    assert "Trend (8 wk) ▁▂·▄▅▆▇█" in out  # under its figure's label
    trend = _rows_of(out, "\nTrend\n", "Top drivers")
    header = next(line for line in trend.splitlines() if line.strip().startswith("Week"))
    assert header.split() == ["Week", "Tkts", "E/100", "Rep", "TTR", "p90", "n", "Open"]
    assert "Open = P1/P2 open at week end" in trend.replace("\n", " ")
    row = next(line for line in trend.splitlines() if line.strip().startswith("2026-W47"))
    week = full_result()["weeks"][-1]
    assert row.split()[-1] == str(week["p1p2_open_at_end"])  # the last column is there
    drivers = _rows_of(out, "Top drivers", "Week rule")
    assert "1. csv-export-timeout: 5 escalations, 20 repeats" in drivers
    assert "⚠ no prevention action" in drivers and "RB-WEBHOOK-DELIVERY" in drivers


def test_a_trend_table_too_wide_even_with_short_headers_becomes_one_line_a_week():
    out = _metrics_text.render(full_result(), width=40)
    trend = _rows_of(out, "\nTrend\n", "Top drivers")
    assert "2026-W42: no data" in trend
    assert "2026-W47: Tkts 400 · E/100" in trend.replace("\n", " ") and "Open " in trend


def test_a_wide_terminal_keeps_the_change_and_trend_in_their_own_columns():
    out = _metrics_text.render(full_result(), width=120)
    assert "│ Week over week" in out and "Trend (8 wk) │" in out
    assert "Tickets   Esc/100   Repeats" in out


def test_the_text_report_calls_for_a_prevention_action_like_the_others():
    out = metrics_text.render(full_result())
    assert "1 of 3 drivers has no prevention action. Assign one" in out


def test_with_one_week_a_figure_that_is_na_says_so():
    from cetool.metrics.report import common as mc
    from cetool.metrics.result import Week

    week = make_week(date(2026, 11, 16), p1p2_ttr_median_hours=None)
    assert mc.change(mc.HEADLINES[2], [Week.from_dict(week)]).text == "n/a this week"
    assert mc.change(mc.HEADLINES[0], [Week.from_dict(week)]).text == "no earlier week"
