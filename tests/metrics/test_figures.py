"""Every figure of spec section 5, worked out by hand on a small export (UTC weeks)."""

from __future__ import annotations

import pytest

from metrics_fixtures import week

# id, created_at, priority, resolved_at, escalated_at, prioritized_at, root_cause
ROWS = [
    ["A", "2026-11-16T00:00:00Z", "P1", "2026-11-16T10:00:00Z", "", "", ""],  # Monday 00:00 -> W47, TTR 10 h
    ["C", "2026-11-16T12:00:00Z", "P2", "2026-11-17T14:00:00Z", "", "2026-11-16T14:00:00Z", ""],  # TTR 24 h from prioritized
    ["Y1", "2026-10-18T00:00:00Z", "P3", "", "", "", "y"],  # before the weeks: only a lookback twin
    ["Y2", "2026-11-17T00:00:00Z", "P3", "", "", "", " y "],  # exactly 720 h after Y1: a repeat
    ["Z1", "2026-11-18T09:00:00Z", "P3", "", "", "", "z"],  # Z1, Z2 at the same instant: not repeats
    ["Z2", "2026-11-18T09:00:00Z", "P4", "", "", "", "z"],
    ["Z3", "2026-11-18T10:00:00Z", "P4", "", "", "", "z"],  # a repeat of Z1/Z2
    ["W1", "2026-10-10T00:00:00Z", "P4", "2026-10-11T00:00:00Z", "", "", "w"],
    ["W2", "2026-11-18T00:00:00Z", "P4", "", "", "", "w"],  # 39 days after W1: not a repeat
    ["D", "2026-11-13T10:00:00Z", "P3", "", "2026-11-16T09:00:00Z", "", "v"],  # created W46, escalated W47
    ["E", "2026-11-10T00:00:00Z", "P1", "2026-11-16T00:00:00Z", "", "", ""],  # resolved at Monday 00:00
    ["F", "2026-11-01T00:00:00Z", "P2", "", "", "", ""],  # unresolved P2 from long before
    ["H", "2026-11-22T23:59:59Z", "P3", "", "", "", ""],  # last second of W47
    ["I", "2026-11-23T00:00:00Z", "P3", "", "", "", ""],  # first instant of W48
]


@pytest.fixture
def result(write_export, weekly):
    return weekly(write_export(ROWS), week="2026-W47", weeks=3)


def test_weeks_are_oldest_first_with_the_requested_week_last(result):
    assert [w["week"] for w in result["weeks"]] == ["2026-W45", "2026-W46", "2026-W47"]
    w47 = week(result, "2026-W47")
    assert (w47["start"], w47["end"]) == ("2026-11-16T00:00:00+00:00", "2026-11-23T00:00:00+00:00")
    assert result["week_rule"] == "ISO week 2026-W47: Monday 00:00 to the next Monday 00:00, UTC"


def test_tickets_and_escalations(result):
    w46, w47 = week(result, "2026-W46"), week(result, "2026-W47")
    assert w47["tickets_created"] == 8  # A C Y2 Z1 Z2 Z3 W2 H (A at Monday 00:00 in, I at the next Monday out)
    assert w46["tickets_created"] == 2  # D E
    assert w47["escalations"] == 1 and w46["escalations"] == 0
    assert w47["escalations_per_100"] == pytest.approx(12.5)
    assert w46["escalations_per_100"] == 0.0


def test_repeats_lookback_exact_720h_and_ties(result):
    assert week(result, "2026-W47")["repeat_issues_30d"] == 2  # Y2 and Z3
    assert week(result, "2026-W46")["repeat_issues_30d"] == 0


def test_p1p2_time_to_resolution(result):
    w47 = week(result, "2026-W47")
    assert w47["p1p2_resolved"] == 3  # A 10 h, C 24 h, E 144 h
    assert w47["p1p2_ttr_median_hours"] == pytest.approx(24.0)
    assert w47["p1p2_ttr_p90_hours"] == pytest.approx(24 + 0.8 * 120)  # linear interpolation
    w46 = week(result, "2026-W46")
    assert w46["p1p2_resolved"] == 0
    assert w46["p1p2_ttr_median_hours"] is None and w46["p1p2_ttr_p90_hours"] is None


def test_open_p1p2_at_the_end_of_the_week(result):
    assert week(result, "2026-W46")["p1p2_open_at_end"] == 2  # E (resolved at exactly the end) and F
    assert week(result, "2026-W47")["p1p2_open_at_end"] == 1  # F


def test_backlog_and_open_p1p2_in_every_week(result):
    """Every week of the fixture, by hand (UTC ends 2026-11-09, -16, -23 00:00)."""
    w45, w46, w47 = (week(result, label) for label in ("2026-W45", "2026-W46", "2026-W47"))
    # W45's end: Y1 (22 d) and F (8 d); W1 was resolved in October
    assert w45["backlog_at_end"] == {"total": 2, "buckets": {"<1d": 0, "1-3d": 0, "3-7d": 0, "7-30d": 2, ">30d": 0}}
    assert w45["p1p2_open_at_end"] == 1  # F
    # W46's end: Y1 (29 d), F (15 d), E (6 d, resolved exactly at the end), D (2 d 14 h); A, created
    # exactly at the end, is not yet open
    assert w46["backlog_at_end"] == {"total": 4, "buckets": {"<1d": 0, "1-3d": 1, "3-7d": 1, "7-30d": 2, ">30d": 0}}
    assert w46["p1p2_open_at_end"] == 2  # E and F
    assert w47["backlog_at_end"]["total"] == 9 and w47["p1p2_open_at_end"] == 1


def test_empty_week_is_null_not_zero(result):
    w45 = week(result, "2026-W45")
    assert w45["covered"] is True and w45["tickets_created"] == 0
    assert w45["escalations_per_100"] is None
    assert w45["p1p2_ttr_median_hours"] is None


def test_backlog_by_age(result):
    assert week(result, "2026-W47")["backlog_at_end"] == {
        "total": 9, "buckets": {"<1d": 1, "1-3d": 0, "3-7d": 5, "7-30d": 2, ">30d": 1}}


def test_secondary_figures_are_null_without_their_columns(result):
    w47 = week(result, "2026-W47")
    for key in ("first_response_median_hours", "first_response_count", "reopen_rate", "reopen_base",
                "packet_compliance", "packet_compliance_base", "phase_medians_hours"):
        assert w47[key] is None, key


def test_drivers_ranked_with_ties_by_name(result):
    drivers = result["drivers"]
    assert [(d["root_cause"], d["escalations"], d["repeats"], d["score"]) for d in drivers] == [
        ("v", 1, 0, 1), ("y", 0, 1, 1), ("z", 0, 1, 1)]
    assert all(d["trend"] == [0, 0, 1] for d in drivers)
    # no docs root: the prevention status is unknown, not "no prevention action"
    assert all(d["prevention"] is None and d["known_issue"] is None for d in drivers)


def test_run_facts_and_span(result):
    run = result["run"]
    assert run["rows_read"] == 14 and run["tickets"] == 14 and run["bad_rows"] == 0
    assert run["span"]["first_created"] == "2026-10-10T00:00:00+00:00"
    assert run["span"]["last_created"] == "2026-11-23T00:00:00+00:00"


def test_uncovered_week_is_marked(write_export, weekly):
    result = weekly(write_export(ROWS), week="2026-W30", weeks=2)
    assert [w["covered"] for w in result["weeks"]] == [False, False]
    assert result["weeks"][-1]["tickets_created"] == 0


def test_default_week_is_the_last_complete_week(write_export, weekly):
    from datetime import date

    assert weekly(write_export(ROWS), today=date(2026, 11, 23))["week"] == "2026-W47"  # a Monday
    assert weekly(write_export(ROWS), today=date(2026, 11, 29))["week"] == "2026-W47"  # a Sunday


SECONDARY = ["ticket_id", "created_at", "priority", "resolved_at", "first_response_at", "reopen_count",
             "escalated_at", "packet_id", "investigation_started_at", "diagnosed_at", "responded_at", "closed_at"]


def test_secondary_figures(write_export, weekly, tmp_path):
    rows = [
        # first response 1 h / 3 h; reopened once; escalated with a valid and an unknown packet
        ["S1", "2026-11-16T08:00:00Z", "P3", "2026-11-17T08:00:00Z", "2026-11-16T09:00:00Z", "1",
         "2026-11-16T10:00:00Z", "ESC-1", "2026-11-16T09:00:00Z", "2026-11-16T11:00:00Z", "2026-11-16T12:00:00Z", "2026-11-17T08:00:00Z"],
        ["S2", "2026-11-16T08:00:00Z", "P3", "2026-11-18T08:00:00Z", "2026-11-16T11:00:00Z", "0",
         "2026-11-16T10:00:00Z", "ESC-404", "2026-11-16T10:00:00Z", "", "2026-11-16T12:00:00Z", "2026-11-18T08:00:00Z"],
        ["S3", "2026-11-16T08:00:00Z", "P3", "2026-11-18T08:00:00Z", "", "lots",
         "", "", "", "", "", ""],
    ]
    root = tmp_path / "docs"
    (root / "packets").mkdir(parents=True)
    result = weekly(write_export(rows, SECONDARY), week="2026-W47", weeks=1, docs_root=root)
    w = result["weeks"][0]
    assert (w["first_response_median_hours"], w["first_response_count"]) == (2.0, 2)
    assert (w["reopen_rate"], w["reopen_base"]) == (0.5, 2)  # "lots" is blanked, not a zero
    assert result["run"]["blanked_by_column"] == {"reopen_count": 1}
    assert (w["packet_compliance"], w["packet_compliance_base"], w["packet_compliant"]) == (0.0, 2, 0)
    assert w["phase_medians_hours"] == {"intake": 1.5, "investigation": 2.0, "response_drafting": 1.0,
                                        "closure": 32.0}  # 20 h and 44 h
    assert w["phase_counts"] == {"intake": 2, "investigation": 1, "response_drafting": 1, "closure": 2}


def test_packet_compliance_counts_packets_that_validate(write_export, weekly, repo_root):
    rows = [["K1", "2026-11-16T08:00:00Z", "P3", "", "", "", "2026-11-16T10:00:00Z", "ESC-2026-0142", "", "", "", ""],
            ["K2", "2026-11-16T08:00:00Z", "P3", "", "", "", "2026-11-16T10:00:00Z", "esc-2026-0147", "", "", "", ""],
            ["K3", "2026-11-16T08:00:00Z", "P3", "", "", "", "2026-11-16T10:00:00Z", "ESC-1999-0001", "", "", "", ""],
            ["K4", "2026-11-16T08:00:00Z", "P3", "", "", "", "2026-11-16T10:00:00Z", "", "", "", "", ""]]
    result = weekly(write_export(rows, SECONDARY), week="2026-W47", weeks=1, docs_root=repo_root)
    w = result["weeks"][0]
    assert (w["packet_compliant"], w["packet_compliance_base"]) == (2, 4)
    assert w["packet_compliance"] == 0.5


def test_drivers_show_known_issue_and_runbook(write_export, weekly, docs):
    rows = [["R1", "2026-11-16T08:00:00Z", "P3", "", "", "", "webhook-secret-rotation"],
            ["R2", "2026-11-17T08:00:00Z", "P3", "", "", "", "webhook-secret-rotation"],
            ["R3", "2026-11-17T08:00:00Z", "P3", "", "", "", "csv-export-timeout"],
            ["R4", "2026-11-18T08:00:00Z", "P3", "", "", "", "csv-export-timeout"]]
    result = weekly(write_export(rows), week="2026-W47", weeks=1, docs_root=docs)  # no prevention/ folder
    by_cause = {d["root_cause"]: d for d in result["drivers"]}
    assert by_cause["webhook-secret-rotation"]["known_issue"] == "KI-0001"
    assert by_cause["webhook-secret-rotation"]["runbook"] == "RB-WEBHOOK-DELIVERY"
    assert by_cause["webhook-secret-rotation"]["prevention"] == "known issue + runbook"
    assert by_cause["csv-export-timeout"]["prevention"] == "no prevention action"


def test_packet_compliance_needs_the_routing_to_validate_too(write_export, weekly, docs):
    """A packet `packet validate` rejects for its routing alone is no packet (spec section 5)."""
    packet = docs / "packets" / "ESC-2026-0147.yaml"
    packet.write_text(packet.read_text(encoding="utf-8").replace("route_to: product-engineering", "route_to: support"),
                      encoding="utf-8")
    rows = [["K1", "2026-11-16T08:00:00Z", "P3", "", "", "", "2026-11-16T10:00:00Z", "ESC-2026-0142", "", "", "", ""],
            ["K2", "2026-11-16T08:00:00Z", "P3", "", "", "", "2026-11-16T10:00:00Z", "ESC-2026-0147", "", "", "", ""]]
    w = weekly(write_export(rows, SECONDARY), week="2026-W47", weeks=1, docs_root=docs)["weeks"][0]
    assert (w["packet_compliant"], w["packet_compliance_base"]) == (1, 2)
