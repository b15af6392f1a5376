"""The shared helpers: rounding for people, week-over-week change, sparklines, missing-data words."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from cetool.metrics.report import common as mc
from cetool.metrics.result import Week, WeeklyResult
from metrics_builders import eight_weeks, make_result, make_week, uncovered

ESC, REPEATS, TTR = mc.HEADLINES


def typed(value):
    """The builders make JSON-shaped dicts; the helpers read the typed result."""
    if isinstance(value, list):
        return [typed(item) for item in value]
    return WeeklyResult.from_dict(value) if "weeks" in value or "tz" in value else Week.from_dict(value)


def test_hours_are_rounded_for_people():
    assert mc.hours(None) == "n/a"
    assert mc.hours(0.25) == "15 min"
    assert mc.hours(11.24) == "11.2 h"
    assert mc.hours(151.6) == "152 h"
    assert mc.hours(0) == "0 min"


def test_counts_shares_and_rates():
    assert mc.count(10432) == "10,432"
    assert mc.count(None) == "n/a"
    assert mc.share(0.0512) == "5.1%"
    assert mc.rate(4.6133) == "4.6"


def test_an_uncovered_week_reads_no_data_and_a_null_reads_na():
    week = make_week(date(2026, 11, 16), p1p2_ttr_median_hours=None)
    assert TTR.cell(typed(week)) == "n/a"
    assert ESC.cell(typed(uncovered(week))) == "no data"
    assert REPEATS.cell(typed(uncovered(week))) == "no data"  # C1 computes 0 there: never shown
    assert mc.p1p2_open(typed(uncovered(week))) == "no data"
    assert mc.secondary(typed(uncovered(week))) == []


def test_change_up_is_worse_down_is_better():
    weeks = typed(eight_weeks())
    assert mc.change(ESC, weeks) == mc.Change("▲ +0.2 vs 2026-W46", "worse")
    assert mc.change(REPEATS, weeks) == mc.Change("▼ −2 vs 2026-W46", "better")
    assert mc.change(TTR, weeks) == mc.Change("▼ −1.0 h vs 2026-W46", "better")


def test_change_needs_two_comparable_weeks():
    weeks = eight_weeks()
    assert mc.change(ESC, typed(weeks[-1:])).text == "no earlier week"
    # a week with no data or nothing to measure is skipped, and the week compared with is named
    assert mc.change(ESC, typed(weeks[:-2] + [uncovered(weeks[-2]), weeks[-1]])).text == "▲ +0.5 vs 2026-W45"
    assert mc.change(ESC, typed([uncovered(w) for w in weeks[:-1]] + [weeks[-1]])).text == \
        "no earlier week with data (since 2026-W40)"
    assert mc.change(ESC, typed(weeks[:-1] + [uncovered(weeks[-1])])).text == "no data"
    nulled = weeks[:-1] + [dict(weeks[-1], p1p2_ttr_median_hours=None)]
    assert mc.change(TTR, typed(nulled)) == mc.Change("n/a this week", "none")
    skipped = weeks[:-2] + [dict(weeks[-2], p1p2_ttr_median_hours=None), weeks[-1]]
    assert mc.change(TTR, typed(skipped)) == mc.Change("▼ −2.0 h vs 2026-W45", "better")
    same = weeks[:-1] + [dict(weeks[-1], repeat_issues_30d=weeks[-2]["repeat_issues_30d"])]
    assert mc.change(REPEATS, typed(same)).verdict == "same"


def test_a_week_without_tickets_shows_repeats_as_na_and_is_never_compared_as_zero():
    weeks = eight_weeks()
    empty = dict(weeks[-2], tickets_created=0, escalations=0, escalations_per_100=None, repeat_issues_30d=0)
    assert REPEATS.cell(typed(empty)) == "n/a" and REPEATS.value(typed(empty)) is None
    assert mc.change(REPEATS, typed(weeks[:-2] + [empty, weeks[-1]])) == mc.Change("▼ −4 vs 2026-W45", "better")
    assert mc.change(REPEATS, typed(weeks[:-1] + [dict(empty, week=weeks[-1]["week"])])).text == "n/a this week"
    assert dict(mc.trend_columns(typed([empty])))["Repeats (30 d)"](typed(empty)) == "n/a"
    assert mc.series(REPEATS, typed([weeks[-3], empty])) == [weeks[-3]["repeat_issues_30d"], None]


def test_sparkline_scales_and_leaves_gaps():
    assert mc.sparkline([0, 7]) == "▁█"
    assert mc.sparkline([1, None, 1]) == "▄·▄"
    assert mc.sparkline([None, None]) == "··"
    assert mc.sparkline([]) == ""


@given(st.lists(st.one_of(st.none(), st.floats(0, 1e6)), max_size=30))
def test_sparkline_has_one_mark_per_week_and_a_gap_exactly_where_data_is_missing(values):
    line = mc.sparkline(values)
    assert len(line) == len(values)
    assert [c == mc.GAP for c in line] == [v is None for v in values]


def test_series_hides_uncovered_weeks():
    weeks = eight_weeks()
    weeks[1] = uncovered(weeks[1])
    assert mc.series(REPEATS, typed(weeks))[1] is None


def test_coverage_note_names_the_exported_weeks_in_the_report_zone():
    result = make_result(eight_weeks(), tz="Europe/Berlin")
    result["week"] = "2026-W50"
    note = mc.coverage_note(typed(result))
    assert note == "The export covers 2026-09-28 to 2026-11-23 (2026-W40 to 2026-W48); 2026-W50 is outside it."


def test_coverage_note_without_a_span():
    result = make_result(eight_weeks())
    result["run"]["span"] = {"first_created": None, "last_created": None}
    assert "no tickets" in mc.coverage_note(typed(result))


def test_zones_mention_the_input_zone_only_when_it_differs():
    assert mc.zones(typed({"tz": "UTC", "input_tz": "UTC"})) == "weeks and timestamps without an offset in UTC"
    assert "read as America/New_York" in mc.zones(typed({"tz": "UTC", "input_tz": "America/New_York"}))


def test_trend_columns_drop_secondary_figures_the_export_lacks():
    weeks = [make_week(date(2026, 11, 16), reopen_rate=None, packet_compliance=None)]
    headers = [h for h, _ in mc.trend_columns(typed(weeks))]
    assert "Reopen rate" not in headers and "Packets" not in headers
    assert "First response (n)" in headers and "Esc / 100" in headers
    cell = dict(mc.trend_columns(typed(weeks)))["First response (n)"]
    assert cell(typed(dict(weeks[0], first_response_median_hours=3.2, first_response_count=403))) == "3.2 h (n=403)"
    assert cell(typed(dict(weeks[0], first_response_median_hours=None, first_response_count=0))) == "n/a"


def test_week_dates_show_the_last_day_not_the_exclusive_end():
    assert mc.week_dates(typed(make_week(date(2026, 11, 16)))) == "Mon 2026-11-16 to Sun 2026-11-22"


def test_reporters_do_not_import_pandas():
    code = ("import sys; import cetool.metrics.report.text, cetool.metrics.report.markdown, "
            "cetool.metrics.report.html; print('pandas' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
