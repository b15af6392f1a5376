"""The weekly figures at their edges, worked out by hand (docs/metrics.md#figures): instants exactly
on a week bound, ages exactly on a bucket bound, partial phase columns, zero and negative phases,
an export without `resolved_at`, and `covered` at the span's ends.

Each test goes through `run_weekly` (the function the command calls) or the command's JSON, never
through the loading or figure helpers, so the tests hold however those are arranged. All weeks are
UTC: 2026-W46 is Monday 2026-11-09 00:00 to Monday 2026-11-16 00:00, 2026-W47 runs to 2026-11-23.
"""

from __future__ import annotations

import json

import pytest

from cetool.core.errors import CetoolError

from metrics_fixtures import week

HOUR = 1.0
SECOND = 1 / 3600

# ticket_id, created_at, priority, resolved_at, prioritized_at, first_response_at
BOUNDS_HEADER = ["ticket_id", "created_at", "priority", "resolved_at", "prioritized_at", "first_response_at"]
BOUNDS_ROWS = [
    # created on the first week's first instant, resolved on the last week's end (outside)
    ["B1", "2026-11-09T00:00:00Z", "P1", "2026-11-23T00:00:00Z", "", "2026-11-09T01:00:00Z"],
    # created on the last week's end: in no week, its first response neither
    ["B2", "2026-11-23T00:00:00Z", "P2", "", "", "2026-11-23T02:00:00Z"],
    # created one second before the first week, resolved on its first instant: TTR 1 s in W46
    ["B3", "2026-11-08T23:59:59Z", "P1", "2026-11-09T00:00:00Z", "", ""],
    # resolved exactly at W46's end: open at W46's end, resolved in W47 (TTR 96 h)
    ["B4", "2026-11-12T00:00:00Z", "P2", "2026-11-16T00:00:00Z", "", ""],
    # created on W47's first instant, resolved 6 h later
    ["B5", "2026-11-16T00:00:00Z", "P1", "2026-11-16T06:00:00Z", "", "2026-11-16T00:30:00Z"],
    # prioritized exactly at W46's end: its start is then, so it is open only at W47's end
    ["B6", "2026-11-13T00:00:00Z", "P2", "", "2026-11-16T00:00:00Z", ""],
    # bad rows (no created_at; resolved before created): in no figure, open at no week's end
    ["X1", "31/02/2026", "P1", "", "", ""],
    ["X2", "2026-11-10T00:00:00Z", "P2", "2026-11-09T00:00:00Z", "", "2026-11-10T01:00:00Z"],
]


@pytest.fixture
def bounds_json(write_export, cli):
    path = write_export(BOUNDS_ROWS, BOUNDS_HEADER)
    result = cli("metrics", "weekly", path, "--week", "2026-W47", "--weeks", "2", "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_tickets_on_monday_midnight_belong_to_the_week_that_starts_there(bounds_json):
    assert bounds_json["run"]["bad_rows"] == 2
    w46, w47 = week(bounds_json, "2026-W46"), week(bounds_json, "2026-W47")
    assert w46["tickets_created"] == 3  # B1 (first instant) B4 B6; B3 is a second early
    assert w47["tickets_created"] == 1  # B5; B2 at the next Monday 00:00 is out
    assert (w46["first_response_median_hours"], w46["first_response_count"]) == (1.0, 1)  # B1
    assert (w47["first_response_median_hours"], w47["first_response_count"]) == (0.5, 1)  # B5, not B2


def test_resolutions_on_monday_midnight_belong_to_the_week_that_starts_there(bounds_json):
    w46, w47 = week(bounds_json, "2026-W46"), week(bounds_json, "2026-W47")
    assert w46["p1p2_resolved"] == 1 and w46["p1p2_ttr_median_hours"] == pytest.approx(SECOND)  # B3
    assert w46["p1p2_ttr_p90_hours"] == pytest.approx(SECOND)
    assert w47["p1p2_resolved"] == 2  # B4 (96 h) and B5 (6 h); B1 at W47's end is out
    assert w47["p1p2_ttr_median_hours"] == pytest.approx(51.0)
    assert w47["p1p2_ttr_p90_hours"] == pytest.approx(6 + 0.9 * 90)


def test_open_p1p2_and_backlog_with_instants_on_the_bounds(bounds_json):
    w46, w47 = week(bounds_json, "2026-W46"), week(bounds_json, "2026-W47")
    # W46's end: B1 and B4 (resolved exactly then) open; B6 starts exactly then, so not yet
    assert w46["p1p2_open_at_end"] == 2
    # W47's end: B1 (resolved exactly then) and B6; B2 created exactly then is not yet open
    assert w47["p1p2_open_at_end"] == 2
    # ages at W46's end: B6 exactly 3 d and B4 4 d (3-7d), B1 exactly 7 d (7-30d)
    assert w46["backlog_at_end"] == {"total": 3, "buckets": {"<1d": 0, "1-3d": 0, "3-7d": 2, "7-30d": 1, ">30d": 0}}
    # at W47's end: B1 14 d and B6 10 d
    assert w47["backlog_at_end"] == {"total": 2, "buckets": {"<1d": 0, "1-3d": 0, "3-7d": 0, "7-30d": 2, ">30d": 0}}


AGES = [  # created at W47's end minus exactly 1, 3, 7, 30 days, and one second later each
    ["K1", "2026-11-22T00:00:00Z", "P4"], ["K2", "2026-11-22T00:00:01Z", "P4"],
    ["K3", "2026-11-20T00:00:00Z", "P4"], ["K4", "2026-11-20T00:00:01Z", "P4"],
    ["K5", "2026-11-16T00:00:00Z", "P4"], ["K6", "2026-11-16T00:00:01Z", "P4"],
    ["K7", "2026-10-24T00:00:00Z", "P4"], ["K8", "2026-10-24T00:00:01Z", "P4"],
]


def test_backlog_ages_exactly_on_a_bucket_bound_go_to_the_older_bucket(write_export, weekly):
    rows = [[*row, ""] for row in AGES]
    result = weekly(write_export(rows, ["ticket_id", "created_at", "priority", "resolved_at"]),
                    week="2026-W47", weeks=1)
    # exactly 1 d is 1-3d (lower bounds inclusive), 1 d - 1 s is <1d, and so on
    assert result["weeks"][0]["backlog_at_end"] == {
        "total": 8, "buckets": {"<1d": 1, "1-3d": 2, "3-7d": 2, "7-30d": 2, ">30d": 1}}


def test_backlog_ages_in_a_local_time_zone(write_export, weekly):
    """Berlin's W47 ends 2026-11-22T23:00Z; ages are counted from that instant."""
    rows = [["L1", "2026-11-21T23:00:00Z", "P4", ""],  # exactly 1 d
            ["L2", "2026-11-21T23:00:01Z", "P4", ""],  # 1 d - 1 s
            ["L3", "2026-11-22T23:00:00Z", "P4", ""]]  # at the end: W48 in Berlin
    result = weekly(write_export(rows, ["ticket_id", "created_at", "priority", "resolved_at"]),
                    week="2026-W47", weeks=1, tz="Europe/Berlin")
    w47 = result["weeks"][0]
    assert w47["end"] == "2026-11-23T00:00:00+01:00"
    assert w47["tickets_created"] == 2
    assert w47["backlog_at_end"] == {"total": 2, "buckets": {"<1d": 1, "1-3d": 1, "3-7d": 0, "7-30d": 0, ">30d": 0}}


PHASE_COLUMNS = ["investigation_started_at", "diagnosed_at", "responded_at"]
# created 08:00, investigation started 09:00, diagnosed 11:00, responded 14:00, closed next day 08:00
PHASE_TIMES = {"investigation_started_at": "2026-11-16T09:00:00Z", "diagnosed_at": "2026-11-16T11:00:00Z",
               "responded_at": "2026-11-16T14:00:00Z", "closed_at": "2026-11-17T08:00:00Z"}
NO_PHASE = (None, 0)


@pytest.mark.parametrize("columns, intake, investigation, drafting, closure", [
    ([], None, None, None, None),  # closed_at alone: no phase can be timed, the figure is null
    (["investigation_started_at"], (1.0, 1), NO_PHASE, NO_PHASE, NO_PHASE),
    (["diagnosed_at"], NO_PHASE, NO_PHASE, NO_PHASE, NO_PHASE),
    (["responded_at"], NO_PHASE, NO_PHASE, NO_PHASE, (18.0, 1)),
    (["investigation_started_at", "diagnosed_at"], (1.0, 1), (2.0, 1), NO_PHASE, NO_PHASE),
    (["investigation_started_at", "responded_at"], (1.0, 1), NO_PHASE, NO_PHASE, (18.0, 1)),
    (["diagnosed_at", "responded_at"], NO_PHASE, NO_PHASE, (3.0, 1), (18.0, 1)),
    (PHASE_COLUMNS, (1.0, 1), (2.0, 1), (3.0, 1), (18.0, 1)),
])
def test_phases_with_each_partial_set_of_columns(write_export, weekly, columns, intake, investigation,
                                                  drafting, closure):
    """A phase needs both its ends as columns; a missing column is never bridged over."""
    header = ["ticket_id", "created_at", "priority", *columns, "closed_at"]
    row = ["T1", "2026-11-16T08:00:00Z", "P3", *(PHASE_TIMES[c] for c in columns), PHASE_TIMES["closed_at"]]
    w = weekly(write_export([row], header), week="2026-W47", weeks=1)["weeks"][0]
    if intake is None:
        assert (w["phase_medians_hours"], w["phase_counts"]) == (None, None)
        return
    expected = dict(zip(("intake", "investigation", "response_drafting", "closure"),
                        (intake, investigation, drafting, closure)))
    assert w["phase_medians_hours"] == {phase: median for phase, (median, _n) in expected.items()}
    assert w["phase_counts"] == {phase: n for phase, (_median, n) in expected.items()}


def test_phases_without_closed_at_are_null(write_export, weekly):
    header = ["ticket_id", "created_at", "priority", *PHASE_COLUMNS]
    row = ["T1", "2026-11-16T08:00:00Z", "P3", *(PHASE_TIMES[c] for c in PHASE_COLUMNS)]
    w = weekly(write_export([row], header), week="2026-W47", weeks=1)["weeks"][0]
    assert (w["phase_medians_hours"], w["phase_counts"]) == (None, None)


PHASE_HEADER = ["ticket_id", "created_at", "priority", *PHASE_COLUMNS, "closed_at"]
PHASE_ROWS = [
    # W47: zero intake and zero drafting (kept: 0 h is a phase), investigation 2 h, closure 2 h
    ["P1", "2026-11-16T08:00:00Z", "P3", "2026-11-16T08:00:00Z", "2026-11-16T10:00:00Z", "2026-11-16T10:00:00Z",
     "2026-11-16T12:00:00Z"],
    # W47: diagnosed before investigation started: a negative investigation, left out and counted
    ["P2", "2026-11-17T08:00:00Z", "P3", "2026-11-17T10:00:00Z", "2026-11-17T09:00:00Z", "2026-11-17T12:00:00Z",
     "2026-11-17T13:00:00Z"],
    # W46: a zero intake alone, the other phases blank
    ["P4", "2026-11-10T08:00:00Z", "P3", "2026-11-10T08:00:00Z", "", "", "2026-11-11T08:00:00Z"],
    # closed in W48, after the window: its negative intake and drafting are not counted
    ["P3", "2026-11-24T08:00:00Z", "P3", "2026-11-24T07:00:00Z", "2026-11-24T07:00:00Z", "2026-11-24T06:00:00Z",
     "2026-11-25T08:00:00Z"],
    # closed in W45, before the window: its negative closure is not counted
    ["P5", "2026-11-03T08:00:00Z", "P3", "2026-11-03T09:00:00Z", "2026-11-03T10:00:00Z", "2026-11-03T11:00:00Z",
     "2026-11-03T10:30:00Z"],
    # not closed: in no week, its negative intake not counted
    ["P6", "2026-11-18T08:00:00Z", "P3", "2026-11-18T07:00:00Z", "", "", ""],
]


@pytest.fixture
def phases_json(write_export, cli):
    path = write_export(PHASE_ROWS, PHASE_HEADER)
    result = cli("metrics", "weekly", path, "--week", "2026-W47", "--weeks", "2", "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_zero_length_phases_count_and_negative_ones_inside_the_window_are_left_out(phases_json):
    w47 = week(phases_json, "2026-W47")
    assert w47["phase_medians_hours"] == {"intake": 1.0, "investigation": 2.0, "response_drafting": 1.5,
                                          "closure": 1.5}  # intake 0 and 2, drafting 0 and 3, closure 2 and 1
    assert w47["phase_counts"] == {"intake": 2, "investigation": 1, "response_drafting": 2, "closure": 2}


def test_a_week_whose_only_phase_is_zero_long_has_a_median_of_zero(phases_json):
    w46 = week(phases_json, "2026-W46")
    assert w46["phase_medians_hours"] == {"intake": 0.0, "investigation": None, "response_drafting": None,
                                          "closure": None}
    assert w46["phase_counts"] == {"intake": 1, "investigation": 0, "response_drafting": 0, "closure": 0}


def test_negative_phase_durations_count_only_tickets_closed_in_the_weeks(phases_json):
    assert phases_json["run"]["negative_phase_durations"] == {"investigation": 1}  # P2


def test_negative_phase_durations_per_phase(write_export, weekly):
    rows = [["N1", "2026-11-16T08:00:00Z", "P3", "2026-11-16T07:00:00Z", "2026-11-16T09:00:00Z",
             "2026-11-16T08:00:00Z", "2026-11-16T07:30:00Z"],  # intake, drafting and closure negative
            ["N2", "2026-11-16T08:00:00Z", "P3", "2026-11-16T07:00:00Z", "", "", "2026-11-16T09:00:00Z"]]
    result = weekly(write_export(rows, PHASE_HEADER), week="2026-W47", weeks=1)
    assert result["run"]["negative_phase_durations"] == {"intake": 2, "response_drafting": 1, "closure": 1}
    w = result["weeks"][0]
    assert w["phase_medians_hours"] == {"intake": None, "investigation": 2.0, "response_drafting": None,
                                        "closure": None}
    assert w["phase_counts"] == {"intake": 0, "investigation": 1, "response_drafting": 0, "closure": 0}


NO_RESOLVED_HEADER = ["ticket_id", "created_at", "priority", "prioritized_at", "reopen_count", "first_response_at"]
NO_RESOLVED_ROWS = [
    ["N1", "2026-11-10T00:00:00Z", "P1", "", "0", "2026-11-10T02:00:00Z"],
    ["N2", "2026-11-17T00:00:00Z", "P2", "2026-11-18T00:00:00Z", "1", ""],  # starts when prioritized
    ["N3", "2026-11-17T00:00:00Z", "P3", "", "2", "2026-11-17T04:00:00Z"],
    ["N4", "2026-11-12T00:00:00Z", "P2", "2026-11-16T00:00:00Z", "", ""],  # prioritized exactly at W46's end
]


@pytest.mark.parametrize("through", ["core", "cli"])
def test_an_export_without_resolved_at(write_export, weekly, cli, through):
    """Nothing is resolved as far as anyone can tell: no time to resolution, no backlog, no reopen
    rate (it is over resolved tickets), and every started P1/P2 is open."""
    path = write_export(NO_RESOLVED_ROWS, NO_RESOLVED_HEADER)
    if through == "core":
        result = weekly(path, week="2026-W47", weeks=2)
    else:
        out = cli("metrics", "weekly", path, "--week", "2026-W47", "--weeks", "2", "--format", "json")
        assert out.exit_code == 0, out.output
        result = json.loads(out.output)
    w46, w47 = week(result, "2026-W46"), week(result, "2026-W47")
    assert (w46["tickets_created"], w47["tickets_created"]) == (2, 2)
    assert (w46["p1p2_open_at_end"], w47["p1p2_open_at_end"]) == (1, 3)  # N1; N1 N2 N4
    for w in (w46, w47):
        assert w["p1p2_resolved"] == 0
        assert (w["p1p2_ttr_median_hours"], w["p1p2_ttr_p90_hours"]) == (None, None)
        assert w["backlog_at_end"] is None
        assert (w["reopen_rate"], w["reopen_base"]) == (None, None)
        assert w["escalations"] is None and w["escalations_per_100"] is None
    assert (w46["first_response_median_hours"], w46["first_response_count"]) == (2.0, 1)
    assert (w47["first_response_median_hours"], w47["first_response_count"]) == (4.0, 1)


def _covered(weekly, write_export, rows, first_week: str, weeks: int) -> list[bool]:
    result = weekly(write_export(rows, ["ticket_id", "created_at", "priority"]), week=first_week, weeks=weeks)
    return [w["covered"] for w in result["weeks"]]


def test_covered_when_the_only_ticket_is_on_a_monday_midnight(write_export, weekly):
    rows = [["C1", "2026-11-16T00:00:00Z", "P3"]]
    # W46 ends at that instant (not covered), W47 starts there (covered), W48 is after it
    assert _covered(weekly, write_export, rows, "2026-W48", 3) == [False, True, False]


def test_covered_at_both_ends_of_the_span(write_export, weekly):
    rows = [["C1", "2026-11-09T00:00:00Z", "P3"],  # W46's first instant
            ["C2", "2026-11-22T23:59:59Z", "P3"],  # W47's last second
            ["bad", "31/02/2026", "P3"]]  # a bad row has no date: it does not stretch the span
    assert _covered(weekly, write_export, rows, "2026-W48", 4) == [False, True, True, False]


def test_covered_ignores_a_bad_row_first_in_the_file(write_export, weekly):
    rows = [["bad", "", "P3"], ["C1", "2026-11-16T12:00:00Z", "P3"]]
    assert _covered(weekly, write_export, rows, "2026-W48", 3) == [False, True, False]
    # an export whose every row is bad reads as nothing: 1.2 stops it (exit 2) instead of
    # reporting weeks that are all uncovered (docs/metrics.md#nothing-silently-wrong)
    with pytest.raises(CetoolError, match="no row can be used"):
        _covered(weekly, write_export, [["bad", "", "P3"]], "2026-W47", 2)


def test_repeats_and_compliant_escalations_outside_the_weeks_count_nowhere(write_export, weekly, repo_root):
    """A repeat in the 30-day lookback, and escalations citing a valid packet before and after
    the week, leave the week's counts alone (ESC-2026-0142 is one of this repo's packets)."""
    header = ["ticket_id", "created_at", "priority", "escalated_at", "packet_id", "root_cause"]
    rows = [["R1", "2026-10-20T00:00:00Z", "P3", "", "", "q"],
            ["R2", "2026-10-21T00:00:00Z", "P3", "", "", "q"],  # a repeat of R1, before the week
            ["E1", "2026-11-02T00:00:00Z", "P3", "2026-11-03T00:00:00Z", "ESC-2026-0142", ""],
            ["E2", "2026-11-16T00:00:00Z", "P3", "2026-11-17T00:00:00Z", "ESC-2026-0142", ""],
            ["E3", "2026-11-17T00:00:00Z", "P3", "2026-11-24T00:00:00Z", "ESC-2026-0142", ""]]
    result = weekly(write_export(rows, header), week="2026-W47", weeks=1, docs_root=repo_root)
    w = result["weeks"][0]
    assert (w["tickets_created"], w["escalations"], w["repeat_issues_30d"]) == (2, 1, 0)
    assert (w["packet_compliant"], w["packet_compliance_base"], w["packet_compliance"]) == (1, 1, 1.0)
    assert result["drivers"] == []


def test_reopen_rate_is_over_the_tickets_resolved_in_each_week(write_export, weekly):
    header = ["ticket_id", "created_at", "priority", "resolved_at", "reopen_count"]
    rows = [["O1", "2026-11-01T00:00:00Z", "P3", "2026-11-05T00:00:00Z", "3"],  # resolved before the weeks
            ["O2", "2026-11-10T00:00:00Z", "P3", "2026-11-11T00:00:00Z", "0"],
            ["O3", "2026-11-10T00:00:00Z", "P3", "2026-11-12T00:00:00Z", "2"],
            ["O4", "2026-11-10T00:00:00Z", "P3", "2026-11-13T00:00:00Z", "0"],
            ["O5", "2026-11-17T00:00:00Z", "P3", "2026-11-24T00:00:00Z", "1"],  # resolved after the weeks
            ["O6", "2026-11-17T00:00:00Z", "P3", "2026-11-18T00:00:00Z", ""],  # no count: not in the base
            ["O7", "2026-11-17T00:00:00Z", "P3", "", "4"],  # not resolved
            ["O8", "2026-11-17T00:00:00Z", "P3", "2026-11-19T00:00:00Z", "0"]]
    result = weekly(write_export(rows, header), week="2026-W47", weeks=2)
    w46, w47 = week(result, "2026-W46"), week(result, "2026-W47")
    assert (w46["reopen_rate"], w46["reopen_base"]) == (pytest.approx(1 / 3), 3)  # O3 of O2 O3 O4
    assert (w47["reopen_rate"], w47["reopen_base"]) == (0.0, 1)  # O8


@pytest.mark.parametrize("first, header, w46, w47", [
    # the first ticket exactly 720 h before W47's start, so exactly 30 days before W46's end
    ("2026-10-17T00:00:00Z", ["root_cause", "resolved_at"], ["repeat_issues_30d"], []),
    # one second later: W47's look-back now begins before it, W46 ends less than 30 days after it
    ("2026-10-17T00:00:01Z", ["root_cause", "resolved_at"],
     ["repeat_issues_30d", "p1p2_open_at_end", "backlog_at_end"], ["repeat_issues_30d"]),
    # without root_cause or resolved_at those figures are null, not lower bounds
    ("2026-10-17T00:00:01Z", [], ["p1p2_open_at_end"], []),
])
def test_lower_bounds_at_the_exact_distances(write_export, weekly, first, header, w46, w47):
    """docs/metrics.md#lower-bounds: measured from the first created_at, not the last."""
    rows = [["F1", first, "P3", *([""] * len(header))], ["F2", "2026-11-20T00:00:00Z", "P3", *([""] * len(header))]]
    result = weekly(write_export(rows, ["ticket_id", "created_at", "priority", *header]), week="2026-W47", weeks=2)
    assert [w["lower_bounds"] for w in result["weeks"]] == [w46, w47]


def test_no_lower_bounds_without_tickets(write_export, weekly):
    result = weekly(write_export([], ["ticket_id", "created_at", "priority", "root_cause", "resolved_at"]),
                    week="2026-W47", weeks=2)
    assert [w["lower_bounds"] for w in result["weeks"]] == [[], []]
