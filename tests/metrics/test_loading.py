"""Reading an export (spec section 4): time zones, DST, duplicates, bad rows, setup errors."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cetool.core.errors import CetoolError
from cetool.metrics.values import NAT, parse_timestamps
from metrics_fixtures import week


def _utc(ns: int) -> str:
    return datetime.fromtimestamp(ns / 1e9, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse(values: list[str | None], tz: str) -> tuple[list[str | None], list[bool]]:
    out, bad = parse_timestamps(pa.array(values, pa.string()), tz)
    return [None if v == NAT else _utc(int(v)) for v in out], bad.tolist()


def test_offsets_are_absolute_and_naive_is_local():
    out, bad = _parse(["2026-07-01T12:00:00+02:00", "2026-07-01T12:00:00Z", "2026-07-01T12:00:00", None],
                      "Europe/Berlin")
    assert out == ["2026-07-01T10:00:00Z", "2026-07-01T12:00:00Z", "2026-07-01T10:00:00Z", None]
    assert bad == [False, False, False, False]


@pytest.mark.parametrize("wall", ["2026-10-25T02:30:00", "2026-03-29T02:30:00", "2026-10-25T02:00:00",
                                  "2026-03-29T02:00:00", "2026-03-29T03:00:00", "2026-10-25T03:00:00"])
def test_dst_follows_zoneinfo_fold_0(wall):
    expected = datetime.fromisoformat(wall).replace(tzinfo=ZoneInfo("Europe/Berlin")).astimezone(timezone.utc)
    assert _parse([wall], "Europe/Berlin")[0] == [expected.strftime("%Y-%m-%dT%H:%M:%SZ")]


def test_fall_back_is_the_first_occurrence_and_gap_takes_the_offset_before():
    assert _parse(["2026-10-25T02:30:00"], "Europe/Berlin")[0] == ["2026-10-25T00:30:00Z"]  # +02:00
    assert _parse(["2026-03-29T02:30:00"], "Europe/Berlin")[0] == ["2026-03-29T01:30:00Z"]  # +01:00


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["2026-10-25T02:30:00", "2026-10-25T02:00:00", "2026-03-29T02:30:00",
                                 "2026-03-29T01:59:00", "2026-10-25T03:00:00", "2025-10-26T02:15:00",
                                 "2026-07-01T12:00:00", "2026-11-01T01:30:00"]), min_size=1, max_size=30),
       st.sampled_from(["Europe/Berlin", "America/New_York"]))
def test_a_column_of_repeated_dst_walls_places_each_row_by_zoneinfo_fold_0(walls, tz):
    """Wall times pandas cannot place are placed once per distinct value and spread to their
    rows: each row must get its own value's instant, whatever the mix and repetition."""
    expected = [datetime.fromisoformat(wall).replace(tzinfo=ZoneInfo(tz)).astimezone(timezone.utc)
                .strftime("%Y-%m-%dT%H:%M:%SZ") for wall in walls]
    assert _parse(walls, tz)[0] == expected


def test_unparseable_is_flagged_not_empty():
    out, bad = _parse(["2026-02-30T10:00:00Z", "yesterday", None, "2026-02-28"], "UTC")
    assert out == [None, None, None, "2026-02-28T00:00:00Z"]
    assert bad == [True, True, False, False]


def test_dst_week_in_berlin(write_export, weekly):
    rows = [
        # naive local (first occurrence) and offset timestamps mixed; TTR over the fall-back is absolute
        ["P", "2026-10-25T02:30:00", "P1", "2026-10-25T02:30:00+01:00", "", "", ""],
        ["Q", "2026-10-19T00:00:00+02:00", "P3", "", "", "", ""],  # Monday 00:00 Berlin: in W43
        ["R", "2026-10-18T23:59:59+02:00", "P3", "", "", "", ""],  # one second earlier: W42
        ["S", "2026-10-25T23:30:00Z", "P3", "", "", "", ""],  # Monday 00:30 CET: W44 in Berlin
    ]
    result = weekly(write_export(rows), week="2026-W43", weeks=2, tz="Europe/Berlin")
    w43 = week(result, "2026-W43")
    assert (w43["start"], w43["end"]) == ("2026-10-19T00:00:00+02:00", "2026-10-26T00:00:00+01:00")
    assert w43["tickets_created"] == 2  # P, Q
    assert week(result, "2026-W42")["tickets_created"] == 1
    assert w43["p1p2_ttr_median_hours"] == pytest.approx(1.0)
    utc = weekly(write_export(rows), week="2026-W43", weeks=1, tz="UTC", input_tz="Europe/Berlin")
    assert utc["weeks"][0]["tickets_created"] == 2  # P and S (Sunday 23:30 in UTC); Q is Sunday 22:00 UTC


def test_input_tz_differs_from_tz(write_export, weekly):
    rows = [["N", "2026-11-16T03:00:00", "P3", "", "", "", ""]]  # 03:00 New York = 08:00 UTC, Monday
    result = weekly(write_export(rows), week="2026-W47", weeks=1, tz="UTC", input_tz="America/New_York")
    assert result["run"]["span"]["first_created"] == "2026-11-16T08:00:00+00:00"
    assert result["input_tz"] == "America/New_York"


def test_duplicates_keep_the_greatest_updated_at(write_export, weekly):
    header = ["ticket_id", "created_at", "priority", "updated_at", "escalated_at"]
    rows = [["T1", "2026-11-16T08:00:00Z", "P3", "2026-11-18T00:00:00Z", "2026-11-17T00:00:00Z"],
            [" T1 ", "2026-11-16T08:00:00Z", "P3", "2026-11-17T00:00:00Z", ""],  # older, later in file
            ["T2", "2026-11-16T08:00:00Z", "P3", "", ""]]
    result = weekly(write_export(rows, header), week="2026-W47", weeks=1)
    assert result["run"]["duplicates"] == 1 and result["run"]["tickets"] == 2
    assert result["weeks"][0]["escalations"] == 1


def test_duplicates_without_updated_at_keep_the_last(write_export, weekly):
    header = ["ticket_id", "created_at", "priority", "escalated_at"]
    rows = [["T1", "2026-11-16T08:00:00Z", "P3", "2026-11-17T00:00:00Z"],
            ["T1", "2026-11-16T08:00:00Z", "P3", ""]]
    result = weekly(write_export(rows, header), week="2026-W47", weeks=1)
    assert result["run"]["duplicates"] == 1
    assert result["weeks"][0]["escalations"] == 0


BAD = [
    ["B0", "", "P3", "", "", "", ""],
    ["B1", "31/02/2026", "P3", "", "", "", ""],
    ["B2", "2026-11-16T08:00:00Z", "P3", "soon", "", "", ""],
    ["B3", "2026-11-16T08:00:00Z", "P3", "", "never", "", ""],
    ["B4", "2026-11-16T08:00:00Z", "P3", "", "", "later", ""],
    ["B5", "2026-11-16T08:00:00Z", "urgent", "", "", "", ""],
    ["B6", "2026-11-16T08:00:00Z", "P3", "", "2026-11-16T07:00:00Z", "", ""],
    ["B7", "2026-11-16T08:00:00Z", "P1", "", "", "2026-11-16T07:00:00Z", ""],
    ["B8", "2026-11-16T08:00:00Z", "P1", "2026-11-16T09:00:00Z", "", "2026-11-16T10:00:00Z", ""],
    ["", "2026-11-16T08:00:00Z", "P3", "", "", "", ""],
    ["OK1", "2026-11-16T08:00:00Z", "", "", "", "", ""],  # empty priority: not bad
    ["OK2", "2026-11-16T08:00:00Z", "p2", "2026-11-16T09:00:00Z", "", "", ""],
]


def test_bad_rows_of_every_reason(write_export, weekly):
    result = weekly(write_export(BAD), week="2026-W47", weeks=1)
    run = result["run"]
    assert run["bad_rows_by_reason"] == {
        "empty created_at": 1, "unparseable created_at": 1, "unparseable resolved_at": 1,
        "unparseable escalated_at": 1, "unparseable prioritized_at": 1, "priority not P1..P4": 1,
        "escalated_at before created_at": 1, "prioritized_at before created_at": 1,
        "resolved_at before start": 1, "empty ticket_id": 1}
    assert run["bad_rows"] == 10 and run["tickets"] == 2
    assert run["bad_row_examples"][:2] == ["row 2 (ticket B0): empty created_at",
                                           "row 3 (ticket B1): unparseable created_at '31/02/2026'"]
    w = result["weeks"][0]
    assert w["tickets_created"] == 2 and w["p1p2_resolved"] == 1


def test_wrong_number_of_fields_is_a_bad_row(tmp_path, weekly):
    path = tmp_path / "x.csv"
    path.write_text("ticket_id,created_at,priority\nA,2026-11-16T08:00:00Z,P3\nB,2026-11-16T08:00:00Z\n"
                    "C,2026-11-16T09:00:00Z,P3\n")
    run = weekly(path, week="2026-W47", weeks=1)["run"]
    assert run["bad_rows_by_reason"] == {"wrong number of fields": 1}
    assert run["tickets"] == 2 and run["rows_read"] == 3
    assert run["bad_row_examples"] == ["line 3: wrong number of fields (2 instead of 3)"]


def test_row_numbers_after_a_skipped_row_stay_right(tmp_path, weekly):
    path = tmp_path / "x.csv"
    path.write_text("ticket_id,created_at,priority\nA,2026-11-16T08:00:00Z,P3\nB,2026-11-16T08:00:00Z\n"
                    "C,2026-11-16T09:00:00Z,P3\nD,not,P3\n")
    examples = weekly(path, week="2026-W47", weeks=1)["run"]["bad_row_examples"]
    assert examples == ["line 3: wrong number of fields (2 instead of 3)", "row 5 (ticket D): unparseable created_at 'not'"]


def test_header_only_without_newline(tmp_path, weekly):
    path = tmp_path / "x.csv"
    path.write_text("ticket_id,created_at,priority")
    assert weekly(path, week="2026-W47", weeks=1)["run"]["rows_read"] == 0


def test_semicolons_bom_and_quoted_newlines(tmp_path, weekly):
    path = tmp_path / "excel.csv"
    path.write_bytes("\ufeffticket_id;created_at;priority;note\nA;2026-11-16T08:00:00Z;P3;\"two\nlines\"\n"
                     "B;2026-11-17T08:00:00Z;P1;x\n".encode())
    result = weekly(path, week="2026-W47", weeks=1)
    assert result["weeks"][0]["tickets_created"] == 2 and result["run"]["bad_rows"] == 0


@pytest.mark.parametrize("content, message", [
    (b"", "empty"),
    (b"   \n", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    (b"\xff\xfe\xfa bad,utf8\n", "UTF-8"),
    (b"id,opened,prio\n1,2026-01-01,P1\n", r"missing required column\(s\) ticket_id"),
])
def test_setup_errors(tmp_path, weekly, content, message):
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    with pytest.raises(CetoolError, match=message):
        weekly(path, week="2026-W47")


def test_missing_column_names_the_columns_found(tmp_path, weekly):
    path = tmp_path / "x.csv"
    path.write_text("ticket_id,opened\nA,2026-01-01\n")
    with pytest.raises(CetoolError, match=r"the file has columns: 'ticket_id', 'opened'"):
        weekly(path)


@pytest.mark.parametrize("options, message", [
    ({"week": "2025-W53"}, "2025-W53 does not exist"),
    ({"week": "2026-47"}, "not an ISO week"),
    ({"tz": "Mars/Olympus"}, "unknown time zone"),
    ({"input_tz": "nowhere"}, "--input-tz"),
    ({"weeks": 0}, "--weeks"),
])
def test_bad_options(write_export, weekly, options, message):
    with pytest.raises(CetoolError, match=message):
        weekly(write_export(BAD), **options)


def test_week_53_exists_in_2026(write_export, weekly):
    result = weekly(write_export(BAD), week="2026-W53", weeks=2)
    assert result["weeks"][-1]["start"] == "2026-12-28T00:00:00+00:00"


def test_empty_export_with_header_only(write_export, weekly):
    result = weekly(write_export([]), week="2026-W47", weeks=2)
    assert result["run"]["tickets"] == 0 and result["run"]["span"] is None
    assert all(not w["covered"] and w["escalations_per_100"] is None for w in result["weeks"])
    assert result["drivers"] == []
    assert np.all([w["tickets_created"] == 0 for w in result["weeks"]])


def test_a_character_split_at_the_sniffed_sample_edge_is_fine(tmp_path, weekly):
    header = "ticket_id,created_at,priority,note\n"
    prefix = "A,2026-11-16T08:00:00Z,P3,"
    filler = "a" * (65535 - len(header) - len(prefix))  # an é starts at byte 65535 and is cut there
    path = tmp_path / "wide.csv"
    path.write_text(header + prefix + filler + "é" * 10 + "\nB,2026-11-17T08:00:00Z,P2,x\n", encoding="utf-8")
    assert weekly(path, week="2026-W47", weeks=1)["run"]["tickets"] == 2


def test_an_ordering_bad_row_quotes_the_value_it_names(write_export, weekly):
    rows = [["A", "2026-11-17T10:00:00Z", "P1", "2026-11-17T09:00:00Z", "", "", ""],
            ["B", "2026-11-17T10:00:00Z", "P1", "", "2026-11-16T10:00:00Z", "", ""],
            ["C", "2026-11-17T10:00:00Z", "P1", "", "", "2026-11-17T08:00:00Z", ""],
            ["D", "2026-11-17T10:00:00Z", "P1", "", "", "", ""]]  # a good row: an all-bad export exits 2
    examples = weekly(write_export(rows), week="2026-W47", weeks=1)["run"]["bad_row_examples"]
    assert examples == ["row 2 (ticket A): resolved_at before start '2026-11-17T09:00:00+00:00'",
                        "row 3 (ticket B): escalated_at before created_at '2026-11-16T10:00:00+00:00'",
                        "row 4 (ticket C): prioritized_at before created_at '2026-11-17T08:00:00+00:00'"]


def test_a_vendor_export_without_its_preset_gets_a_hint(tmp_path, weekly):
    path = tmp_path / "jira.csv"
    path.write_text("Summary,Issue key,Priority,Created\nx,ABC-1,High,25/Feb/26 10:17 PM\n")
    with pytest.raises(CetoolError, match=r"it looks like a jira export: try --preset jira"):
        weekly(path)
