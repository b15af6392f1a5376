"""Duplicates and bad rows at their edges (docs/metrics.md#duplicates-and-bad-rows), through
`run_weekly` and the command only, so the tests hold however the load path is arranged."""

from __future__ import annotations

import json

import pytest

from cetool.core.errors import CetoolError

HEADER = ["ticket_id", "created_at", "priority", "resolved_at", "escalated_at", "prioritized_at"]
AT = "2026-11-16T08:00:00Z"
SECOND_BEFORE = "2026-11-16T07:59:59Z"


def _run(weekly, write_export, rows, header=HEADER, **options):
    return weekly(write_export(rows, header), week="2026-W47", weeks=1, **options)


def test_timestamps_equal_to_their_start_are_not_out_of_order(write_export, weekly):
    rows = [["E1", AT, "P1", AT, AT, AT],  # resolved, escalated and prioritized at the creation instant
            ["E2", AT, "P2", "2026-11-16T09:00:00Z", "", "2026-11-16T09:00:00Z"]]  # resolved when prioritized
    result = _run(weekly, write_export, rows)
    assert result["run"]["bad_rows"] == 0
    w = result["weeks"][0]
    assert (w["p1p2_resolved"], w["p1p2_ttr_median_hours"], w["escalations"]) == (2, 0.0, 1)


def test_one_second_before_the_start_is_out_of_order(write_export, weekly):
    rows = [["R1", AT, "P1", SECOND_BEFORE, "", ""],
            ["R2", AT, "P1", "", SECOND_BEFORE, ""],
            ["R3", AT, "P1", "", "", SECOND_BEFORE],
            ["R4", AT, "P1", "2026-11-16T08:59:59Z", "", "2026-11-16T09:00:00Z"],  # before its prioritized_at
            ["OK", AT, "P3", "", "", ""]]
    assert _run(weekly, write_export, rows)["run"]["bad_rows_by_reason"] == {
        "resolved_at before start": 2, "escalated_at before created_at": 1, "prioritized_at before created_at": 1}


def test_priorities_in_any_case_and_spacing_and_only_p1_to_p4(write_export, weekly):
    rows = [["A", AT, " p1 ", "", "", ""], ["B", AT, "P2", "", "", ""], ["C", AT, "p3", "", "", ""],
            ["D", AT, "P4", "", "", ""], ["E", AT, "", "", "", ""],  # empty: no priority, not bad
            ["F", AT, "P0", "", "", ""], ["G", AT, "P5", "", "", ""], ["H", AT, "high", "", "", ""]]
    result = _run(weekly, write_export, rows)
    assert result["run"]["bad_rows_by_reason"] == {"priority not P1..P4": 3}
    assert result["weeks"][0]["p1p2_open_at_end"] == 2  # A and B


def test_a_row_bad_for_several_reasons_counts_once_under_the_first(write_export, weekly):
    rows = [["M1", "nope", "P9", "soon", "never", "later"],  # unparseable created_at comes first
            ["M2", AT, "P9", "soon", "", ""],  # unparseable resolved_at before the priority
            ["M3", AT, "P9", SECOND_BEFORE, "", ""],  # the priority before the ordering
            ["", AT, "P9", "", "", ""],  # the empty id before everything
            ["OK1", AT, "P3", "", "", ""], ["OK2", AT, "P3", "", "", ""], ["OK3", AT, "P3", "", "", ""]]
    run = _run(weekly, write_export, rows)["run"]
    assert run["bad_rows_by_reason"] == {"empty ticket_id": 1, "unparseable created_at": 1,
                                         "unparseable resolved_at": 1, "priority not P1..P4": 1}
    assert run["bad_rows"] == 4 and run["tickets"] == 3
    assert run["bad_row_examples"] == ["row 2 (ticket M1): unparseable created_at 'nope'",
                                       "row 3 (ticket M2): unparseable resolved_at 'soon'",
                                       "row 4 (ticket M3): priority not P1..P4 'P9'",
                                       "row 5: empty ticket_id"]


def test_five_examples_at_most_in_file_order(write_export, weekly):
    rows = [[f"X{n}", AT, f"P{n + 5}", "", "", ""] for n in range(7)] + [["OK", AT, "P3", "", "", ""]]
    run = _run(weekly, write_export, rows)["run"]
    assert run["bad_rows"] == 7
    assert run["bad_row_examples"] == [f"row {n + 2} (ticket X{n}): priority not P1..P4 'P{n + 5}'" for n in range(5)]


def test_quoted_values_are_cut_after_80_characters(write_export, weekly):
    exactly, longer = "x" * 80, "y" * 81
    rows = [["Q1", AT, exactly, "", "", ""], ["Q2", AT, longer, "", "", ""], ["T\x1b[2J", AT, "P9", "", "", ""],
            ["OK", AT, "P3", "", "", ""]]
    examples = _run(weekly, write_export, rows)["run"]["bad_row_examples"]
    assert examples == [f"row 2 (ticket Q1): priority not P1..P4 '{exactly}'",
                        f"row 3 (ticket Q2): priority not P1..P4 '{'y' * 79}…'",
                        "row 4 (ticket 'T\\x1b[2J'): priority not P1..P4 'P9'"]


def test_created_at_unreadable_in_half_the_rows_is_bad_rows_in_more_it_is_an_error(write_export, weekly):
    half = [["U1", "31/02/2026", "P3", "", "", ""], ["U2", AT, "P3", "", "", ""]]
    assert _run(weekly, write_export, half)["run"]["bad_rows_by_reason"] == {"unparseable created_at": 1}
    most = [["U1", "bad-1", "P3", "", "", ""], ["U2", "bad-1", "P3", "", "", ""], ["U3", "bad-2", "P3", "", "", ""],
            ["U4", "bad-3", "P3", "", "", ""], ["U5", "bad-4", "P3", "", "", ""], ["U6", AT, "P3", "", "", ""]]
    with pytest.raises(CetoolError) as error:
        _run(weekly, write_export, most)
    message = str(error.value)
    assert "cannot be read in 5 of 6 rows, e.g. 'bad-1', 'bad-2', 'bad-3';" in message  # distinct, three


def test_every_row_bad_is_an_error_naming_the_reasons(write_export, cli):
    rows = [["A", AT, "P9", "", "", ""], ["B", AT, "P3", SECOND_BEFORE, "", ""]]
    result = cli("metrics", "weekly", write_export(rows, HEADER), "--week", "2026-W47", "--format", "json")
    assert result.exit_code == 2
    error = json.loads(result.output)["error"]
    assert "no row can be used: all 2 rows are bad (priority not P1..P4: 1, resolved_at before start: 1)" in error
    assert "first: row 2 (ticket A): priority not P1..P4 'P9'; row 3 (ticket B)" in error


DUP_HEADER = ["ticket_id", "created_at", "priority", "updated_at", "escalated_at"]


@pytest.mark.parametrize("rows, escalated", [
    # the greatest updated_at wins wherever it is in the file
    ([["D1", AT, "P3", "2026-11-18T00:00:00Z", "2026-11-17T00:00:00Z"],
      ["D1", AT, "P3", "2026-11-17T00:00:00Z", ""]], 1),
    ([["D1", AT, "P3", "2026-11-17T00:00:00Z", ""],
      ["D1", AT, "P3", "2026-11-18T00:00:00Z", "2026-11-17T00:00:00Z"]], 1),
    # the same updated_at: the last in file order
    ([["D1", AT, "P3", "2026-11-18T00:00:00Z", "2026-11-17T00:00:00Z"],
      ["D1", AT, "P3", "2026-11-18T00:00:00Z", ""]], 0),
    # no updated_at loses to any
    ([["D1", AT, "P3", "2026-11-17T00:00:00Z", "2026-11-17T00:00:00Z"],
      ["D1", AT, "P3", "", ""]], 1),
    # three copies, the middle one newest
    ([["D1", AT, "P3", "2026-11-17T00:00:00Z", ""],
      ["D1", AT, "P3", "2026-11-19T00:00:00Z", "2026-11-17T00:00:00Z"],
      ["D1", AT, "P3", "2026-11-18T00:00:00Z", ""]], 1),
])
def test_duplicates_keep_one_row_by_updated_at_then_file_order(write_export, weekly, rows, escalated):
    rows = rows + [["Z9", AT, "P3", "", ""], ["A0", AT, "P3", "", ""]]  # ids out of order: no shortcut
    result = _run(weekly, write_export, rows, DUP_HEADER)
    assert result["run"]["duplicates"] == len(rows) - 3 and result["run"]["tickets"] == 3
    assert result["weeks"][0]["escalations"] == escalated


def test_ids_are_compared_trimmed_of_any_white_space(write_export, weekly):
    rows = [["D1", AT, "P3", "2026-11-18T00:00:00Z", "2026-11-17T00:00:00Z"],
            ["D1\u3000", AT, "P3", "2026-11-17T00:00:00Z", ""],  # an ideographic space (bytes E3 80 80)
            ["\tD1", AT, "P3", "2026-11-16T09:00:00Z", ""],
            ["D1!", AT, "P3", "", ""]]  # another id
    run = _run(weekly, write_export, rows, DUP_HEADER)["run"]
    assert (run["duplicates"], run["tickets"]) == (2, 2)


@pytest.mark.parametrize("last_id", ["D1 ", "D1\u3000", "\u3000D1", " D1"])
def test_white_space_on_the_last_id_alone_is_trimmed(write_export, weekly, last_id):
    """The trimming is skipped when no id can start or end with white space: the last byte of the
    last id alone (an ASCII space, or U+3000 whose last byte is 0x80) must still trigger it."""
    rows = [["D2", AT, "P3", "", ""], ["D1", AT, "P3", "", ""], [last_id, AT, "P3", "", ""]]
    run = _run(weekly, write_export, rows, DUP_HEADER)["run"]
    assert (run["duplicates"], run["tickets"]) == (1, 2)


@pytest.mark.parametrize("ids, duplicates", [
    (["A1", "A2", "A3"], 0),  # increasing
    (["A3", "A2", "A1"], 0),  # decreasing
    (["A1", "A3", "A2"], 0),  # neither, no repeat
    (["A1", "A2", "A2"], 1),  # increasing but for a repeat
    (["A2", "A2", "A1"], 1),
    (["A1", "A2", "A1"], 1),
])
def test_duplicates_whatever_the_order_of_the_ids(write_export, weekly, ids, duplicates):
    rows = [[ticket, AT, "P3", "", ""] for ticket in ids]
    run = _run(weekly, write_export, rows, DUP_HEADER)["run"]
    assert (run["duplicates"], run["tickets"]) == (duplicates, 3 - duplicates)


def test_empty_ids_are_bad_rows_not_duplicates_of_each_other(write_export, weekly):
    rows = [["", AT, "P3", "", ""], ["", AT, "P3", "", ""], ["  ", AT, "P3", "", ""], ["B", AT, "P3", "", ""]]
    run = _run(weekly, write_export, rows, DUP_HEADER)["run"]
    assert run["duplicates"] == 0 and run["bad_rows_by_reason"] == {"empty ticket_id": 3}
    assert run["bad_row_examples"] == ["row 2: empty ticket_id", "row 3: empty ticket_id", "row 4: empty ticket_id"]


def test_row_numbers_of_bad_rows_after_collapsed_duplicates(write_export, weekly):
    rows = [["D1", AT, "P3", "2026-11-18T00:00:00Z", ""],
            ["D1", AT, "P3", "2026-11-17T00:00:00Z", ""],  # collapsed away
            ["B1", AT, "P9", "", ""]]
    run = _run(weekly, write_export, rows, DUP_HEADER)["run"]
    assert run["bad_row_examples"] == ["row 4 (ticket B1): priority not P1..P4 'P9'"]


def test_an_empty_id_between_two_copies_does_not_hide_them(write_export, weekly):
    rows = [["D1", AT, "P3", "2026-11-17T00:00:00Z", ""], ["", AT, "P3", "", ""],
            ["D1", AT, "P3", "2026-11-18T00:00:00Z", "2026-11-17T00:00:00Z"], ["D2", AT, "P3", "", ""]]
    result = _run(weekly, write_export, rows, DUP_HEADER)
    run = result["run"]
    assert (run["duplicates"], run["tickets"], run["bad_rows"]) == (1, 2, 1)
    assert result["weeks"][0]["escalations"] == 1


def test_several_duplicated_ids_each_keep_their_own_newest(write_export, weekly):
    rows = [["D2", AT, "P3", "2026-11-18T00:00:00Z", "2026-11-17T00:00:00Z"],
            ["D1", AT, "P3", "2026-11-17T00:00:00Z", ""],
            ["D2", AT, "P3", "2026-11-17T00:00:00Z", ""],
            ["D1", AT, "P3", "2026-11-18T00:00:00Z", "2026-11-17T00:00:00Z"],
            ["D3", AT, "P3", "2026-11-18T00:00:00Z", ""],
            ["D3", AT, "P3", "2026-11-19T00:00:00Z", "2026-11-17T00:00:00Z"]]
    result = _run(weekly, write_export, rows, DUP_HEADER)
    assert (result["run"]["duplicates"], result["run"]["tickets"]) == (3, 3)
    assert result["weeks"][0]["escalations"] == 3


def test_priority_words_of_a_mapping_file(write_export, weekly, tmp_path):
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("columns: {ticket_id: id, created_at: opened, priority: urgency}\n"
                       "priority: {Urgent: P1, High: P2, Normal: P3}\n", encoding="utf-8")
    rows = [["U1", AT, "urgent"], ["U2", AT, " HIGH "], ["U3", AT, "Normal"], ["U4", AT, "P2"], ["U5", AT, "meh"]]
    result = weekly(write_export(rows, ["id", "opened", "urgency"]), week="2026-W47", weeks=1, mapping=mapping)
    assert result["run"]["bad_rows_by_reason"] == {"priority not P1..P4": 1}
    assert result["weeks"][0]["p1p2_open_at_end"] == 3  # U1 U2 U4


def test_an_out_of_range_timestamp_the_reader_parsed_is_quoted_to_the_microsecond(write_export, weekly):
    """Every resolved_at has a Z, so the CSV reader parses the column itself; 1800 is out of range."""
    rows = [["A", AT, "P3", "2026-11-16T09:00:00Z", "", ""],
            ["B", AT, "P3", "1800-01-01T00:00:00.000000900Z", "", ""],
            ["C", AT, "P3", "1800-01-01T00:00:00.000001999Z", "", ""]]
    run = _run(weekly, write_export, rows)["run"]
    assert run["bad_row_examples"] == [
        "row 3 (ticket B): unparseable resolved_at '1800-01-01T00:00:00+00:00'",
        "row 4 (ticket C): unparseable resolved_at '1800-01-01T00:00:00.000001+00:00'"]


def test_bad_rows_of_a_second_file_are_named_by_file_and_row(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text(f"ticket_id,created_at,priority\nA1,{AT},P3\nA2,{AT},P9\nA3,{AT},P3\n", encoding="utf-8")
    second.write_text(f"ticket_id,created_at,priority\nB1,{AT},P3\nB2,{AT},P9\n", encoding="utf-8")
    result = cli("metrics", "weekly", "a.csv", "b.csv", "--week", "2026-W47", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["run"]["bad_row_examples"] == [
        "a.csv row 3 (ticket A2): priority not P1..P4 'P9'", "b.csv row 3 (ticket B2): priority not P1..P4 'P9'"]


def test_a_bad_row_right_after_a_skipped_line_has_its_own_line_number(tmp_path, weekly):
    path = tmp_path / "x.csv"
    path.write_text(f"ticket_id,created_at,priority\nA,{AT},P3\nB,{AT}\nC,{AT},P9\nD,{AT},P3\n", encoding="utf-8")
    examples = weekly(path, week="2026-W47", weeks=1)["run"]["bad_row_examples"]
    assert examples == ["line 3: wrong number of fields (2 instead of 3)", "row 4 (ticket C): priority not P1..P4 'P9'"]


def test_date_formats_most_used_first_and_minutes_after_created(write_export, weekly, tmp_path):
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text('columns: {ticket_id: id, created_at: opened, priority: prio}\n'
                       'date_formats: ["%d/%m/%Y %H:%M"]\n'
                       'minutes_after_created: {first_response_at: reply_minutes}\n', encoding="utf-8")
    rows = [["A", "2026-11-18T08:00:00Z", "P3", "30"], ["B", "16/11/2026 08:00", "P3", "90"],
            ["C", "17/11/2026 08:00", "P3", ""]]
    result = weekly(write_export(rows, ["id", "opened", "prio", "reply_minutes"]), week="2026-W47", weeks=1,
                    mapping=mapping)
    assert list(result["run"]["date_formats"]["created_at"].items()) == [("%d/%m/%Y %H:%M", 2), ("ISO 8601", 1)]
    w = result["weeks"][0]
    assert (w["first_response_median_hours"], w["first_response_count"]) == (1.0, 2)  # 0.5 h and 1.5 h


EVENT_HEADER = ["ticket_id", "created_at", "priority", "updated_at", "resolved_at"]


def test_an_event_log_starts_p1p2_time_when_the_ticket_became_p1p2(write_export, weekly):
    """Several rows per ticket without prioritized_at: the first P1/P2 row's updated_at is the
    start (docs/metrics.md#event-logs); a ticket that was P1/P2 from its first row starts when created."""
    rows = [["T1", AT, "P3", "2026-11-16T08:00:00Z", ""],
            ["T1", AT, "P1", "2026-11-16T10:00:00Z", ""],  # became P1 at 10:00
            ["T1", AT, "P1", "2026-11-16T20:00:00Z", "2026-11-16T20:00:00Z"],
            ["T2", AT, "P2", "2026-11-16T08:00:00Z", ""],
            ["T2", AT, "P2", "2026-11-16T12:00:00Z", "2026-11-16T12:00:00Z"],
            ["T3", AT, "P3", "2026-11-16T08:00:00Z", ""],
            ["T3", AT, "P2", "2026-11-16T09:00:00Z", ""],  # became P2 at 09:00
            ["T3", AT, "P2", "2026-11-16T14:00:00Z", "2026-11-16T14:00:00Z"]]
    result = _run(weekly, write_export, rows, EVENT_HEADER)
    assert result["run"]["duplicates"] == 5
    assert result["run"]["columns"]["prioritized_at"] == "updated_at of the first P1/P2 row (event log)"
    w = result["weeks"][0]
    assert w["p1p2_resolved"] == 3  # T1 10 h (from 10:00), T2 4 h (from created), T3 5 h (from 09:00)
    assert (w["p1p2_ttr_median_hours"], w["p1p2_ttr_p90_hours"]) == (5.0, pytest.approx(9.0))


@pytest.mark.parametrize("short_rows, bad_rows, expected", [
    (2, 5, ["wrong number of fields"] * 2 + ["priority not P1..P4"] * 3),  # the reader's first, five in all
    (6, 2, ["wrong number of fields"] * 5),  # five already: no room for the bad rows
])
def test_five_examples_in_all_with_the_rows_of_the_wrong_width(tmp_path, weekly, short_rows, bad_rows, expected):
    lines = ["ticket_id,created_at,priority", f"G1,{AT},P3", f"G2,{AT},P3"]
    lines += [f"S{n},{AT}" for n in range(short_rows)] + [f"X{n},{AT},P9" for n in range(bad_rows)]
    path = tmp_path / "x.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    examples = weekly(path, week="2026-W47", weeks=1)["run"]["bad_row_examples"]
    assert [example.split(": ", 1)[1].split(" (")[0].split(" '")[0] for example in examples] == expected


def test_every_row_bad_names_the_first_three_examples(write_export, cli):
    rows = [[f"A{n}", AT, "P9", "", "", ""] for n in range(4)]
    result = cli("metrics", "weekly", write_export(rows, HEADER), "--week", "2026-W47", "--format", "json")
    error = json.loads(result.output)["error"]
    assert error.endswith("first: row 2 (ticket A0): priority not P1..P4 'P9'; row 3 (ticket A1): priority not "
                          "P1..P4 'P9'; row 4 (ticket A2): priority not P1..P4 'P9'")


def test_unreadable_created_at_examples_come_from_the_first_200_bad_cells(write_export, weekly):
    rows = ([[f"U{n}", "bad-1", "P3", "", "", ""] for n in range(199)]
            + [["V1", "bad-2", "P3", "", "", ""], ["V2", "bad-3", "P3", "", "", ""], ["OK", AT, "P3", "", "", ""]])
    with pytest.raises(CetoolError, match=r"cannot be read in 201 of 202 rows, e\.g\. 'bad-1', 'bad-2'; "):
        _run(weekly, write_export, rows)
