"""Properties of the weekly figures: row order does not matter; tickets outside the window only
reach into it through the 30-day repeat lookback."""

from __future__ import annotations

import random
import tempfile
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cetool.metrics.run import WeeklyOptions, run_weekly
from metrics_fixtures import CANONICAL, csv_text

WINDOW_START = datetime(2026, 11, 2, tzinfo=timezone.utc)  # 2026-W45 .. 2026-W47
WINDOW_END = datetime(2026, 11, 23, tzinfo=timezone.utc)


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


tickets = st.lists(
    st.tuples(
        st.integers(-40 * 24, 25 * 24),  # created, hours from the window start (some before, some after)
        st.sampled_from(["P1", "P2", "P3", "P4", ""]),
        st.one_of(st.none(), st.integers(0, 400)),  # resolved, hours after created
        st.one_of(st.none(), st.integers(0, 100)),  # escalated, hours after created
        st.sampled_from(["", "a", "b", "c"]),
    ),
    max_size=40,
)


def _rows(spec) -> list[list[str]]:
    rows = []
    for number, (created, priority, resolved, escalated, cause) in enumerate(spec):
        at = WINDOW_START + timedelta(hours=created)
        rows.append([f"T{number}", _stamp(at), priority,
                     _stamp(at + timedelta(hours=resolved)) if resolved is not None else "",
                     _stamp(at + timedelta(hours=escalated)) if escalated is not None else "", "", cause])
    return rows


def _figures(rows: list[list[str]], tz: str = "UTC") -> dict:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.csv"
        path.write_text(csv_text(CANONICAL, rows))
        result = run_weekly(WeeklyOptions(export=path, export_display="export.csv", week="2026-W47", weeks=3,
                                          today=date(2026, 11, 25), tz=tz)).to_dict()
    for week in result["weeks"]:
        week.pop("covered")  # depends on the export's span, which an added ticket may stretch
        week.pop("lower_bounds")  # so does this (the export's first created_at)
    return result


@settings(max_examples=30, deadline=None)
@given(tickets, st.randoms(use_true_random=False))
def test_row_order_does_not_matter(spec, rnd: random.Random):
    rows = _rows(spec)
    shuffled = rows[:]
    rnd.shuffle(shuffled)
    first, second = _figures(rows), _figures(shuffled)
    assert first["weeks"] == second["weeks"] and first["drivers"] == second["drivers"]


@settings(max_examples=30, deadline=None)
@given(tickets, st.integers(0, 300), st.sampled_from(["P1", "P2", "P3", "P4", ""]), st.sampled_from(["", "a", "b"]))
def test_a_ticket_after_the_window_changes_nothing(spec, hours_after, priority, cause):
    rows = _rows(spec)
    at = WINDOW_END + timedelta(hours=hours_after)
    extra = ["LATE", _stamp(at), priority, _stamp(at + timedelta(hours=3)), _stamp(at), "", cause]
    before, after = _figures(rows), _figures(rows + [extra])
    assert before["weeks"] == after["weeks"] and before["drivers"] == after["drivers"]


@settings(max_examples=30, deadline=None)
@given(tickets, st.integers(1, 29 * 24), st.sampled_from(["P1", "P2", "P3", "P4", ""]), st.sampled_from(["a", "b"]))
def test_a_resolved_ticket_before_the_window_only_adds_repeats(spec, hours_before, priority, cause):
    rows = [row for row in _rows(spec) if row[1] >= _stamp(WINDOW_START)]
    at = WINDOW_START - timedelta(hours=hours_before)
    extra = ["EARLY", _stamp(at), priority, _stamp(at), "", "", cause]
    before, after = _figures(rows), _figures(rows + [extra])
    for old, new in zip(before["weeks"], after["weeks"]):
        assert new["repeat_issues_30d"] >= old["repeat_issues_30d"]
        old.pop("repeat_issues_30d"), new.pop("repeat_issues_30d")
        assert old == new
    escalations_after = {d["root_cause"]: d["escalations"] for d in after["drivers"]}
    assert all(escalations_after[d["root_cause"]] == d["escalations"] for d in before["drivers"])


@settings(max_examples=30, deadline=None)
@given(tickets)
def test_fast_and_careful_timestamp_paths_agree(spec):
    """All-offset exports are parsed by the CSV reader; one bad value sends every column through
    the careful path (pandas). The figures must not depend on which path ran."""
    # an export whose only row is unreadable reads as nothing and exits 2 (test_fail_loud.py)
    assume(spec)
    rows = _rows(spec)
    careful = rows + [["BAD", "not a time", "P3", "", "", "", ""]]
    fast, slow = _figures(rows), _figures(careful)
    assert fast["weeks"] == slow["weeks"] and fast["drivers"] == slow["drivers"]
    assert slow["run"]["bad_rows_by_reason"] == {"unparseable created_at": 1}


@settings(max_examples=30, deadline=None)
@given(tickets)
def test_naive_local_times_agree_between_paths(spec):
    """Naive (local) timestamps: the all-naive Arrow cast and the pandas path give the same figures."""
    # an export whose only row is unreadable reads as nothing and exits 2 (test_fail_loud.py)
    assume(spec)
    rows = [[cell.rstrip("Z") for cell in row] for row in _rows(spec)]
    careful = rows + [["BAD", "not a time", "P3", "", "", "", ""]]
    fast, slow = _figures(rows, "Europe/Berlin"), _figures(careful, "Europe/Berlin")
    assert fast["weeks"] == slow["weeks"] and fast["drivers"] == slow["drivers"]
