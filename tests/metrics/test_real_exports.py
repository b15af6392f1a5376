"""Exports as the vendors write them give the figures an independent computation gives."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from real_exports import SN_COLUMNS, SN_STYLES, expected_servicenow, servicenow_csv, servicenow_incidents

FIRST_WEEK = datetime(2016, 2, 29, tzinfo=timezone.utc)  # 2016-W09
WEEKS = 10  # 2016-W09 .. 2016-W18


def _run(cli, path, *args):
    result = cli("metrics", "weekly", str(path), "--preset", "servicenow", "--format", "json", *args)
    return result, (json.loads(result.output) if result.output.startswith("{") else None)


@pytest.mark.parametrize("style", list(SN_STYLES))
def test_a_servicenow_event_log_gives_the_independent_figures(cli, tmp_path, style):
    text = servicenow_csv(servicenow_incidents(), style)
    path = tmp_path / "incident_event_log.csv"
    path.write_text(text, encoding="utf-8")
    result, data = _run(cli, path, "--week", "2016-W18", "--weeks", str(WEEKS))
    assert result.exit_code == 0, result.output
    mondays = [FIRST_WEEK + timedelta(days=7 * n) for n in range(WEEKS + 1)]
    expected = expected_servicenow(text, style, mondays)
    assert expected["raised"] >= 5  # the log has incidents raised to P1/P2 after they were opened
    run = data["run"]
    assert run["rows_read"] == expected["rows"] and run["tickets"] == expected["tickets"]
    assert run["bad_rows"] == 0 and run["duplicates"] == expected["rows"] - expected["tickets"]
    for week, want in zip(data["weeks"], expected["weeks"]):
        for key, value in want.items():
            got = week[key]
            if isinstance(value, float):
                assert got == pytest.approx(value, abs=1e-9), (week["week"], key)
            else:
                assert got == value, (week["week"], key)
    if style != "ISO":
        assert run["date_order"] == ("mdy" if style.startswith("mm") else "dmy")
        assert list(run["date_formats"]["created_at"]) == [SN_STYLES[style]]


def test_the_start_of_a_raised_incident_is_when_it_became_p1_p2(cli, tmp_path):
    rows = [dict.fromkeys(SN_COLUMNS, "?") for _ in range(3)]
    common = {"number": "INC0000045", "opened_at": "16-11-2026 01:16", "resolved_at": "?"}
    rows[0].update(common, sys_updated_at="16-11-2026 01:23", priority="3 - Moderate")
    rows[1].update(common, sys_updated_at="16-11-2026 05:16", priority="2 - High")
    rows[2].update(common, sys_updated_at="16-11-2026 11:16", priority="2 - High", resolved_at="16-11-2026 11:16")
    path = tmp_path / "log.csv"
    path.write_text(",".join(SN_COLUMNS) + "\n" + "".join(",".join(r[c] for c in SN_COLUMNS) + "\n" for r in rows))
    result, data = _run(cli, path, "--week", "2026-W47", "--weeks", "1")
    assert result.exit_code == 0, result.output
    assert data["weeks"][0]["p1p2_ttr_median_hours"] == pytest.approx(6.0)  # from 05:16, not 01:16
    assert "first P1/P2 row" in data["run"]["columns"]["prioritized_at"]


def test_a_log_whose_every_date_fits_both_orders_stops_and_names_date_order(cli, tmp_path):
    rows = []
    for n, (opened, updated) in enumerate([("01-03-2016 09:00", "02-03-2016 10:00"),
                                           ("03-03-2016 09:00", "05-03-2016 10:00"),
                                           ("07-03-2016 09:00", "11-03-2016 10:00")]):
        row = dict.fromkeys(SN_COLUMNS, "?")
        row.update(number=f"INC{n}", opened_at=opened, sys_updated_at=updated, priority="3 - Moderate")
        rows.append(",".join(row[c] for c in SN_COLUMNS))
    path = tmp_path / "log.csv"
    path.write_text(",".join(SN_COLUMNS) + "\n" + "\n".join(rows) + "\n")
    result = cli("metrics", "weekly", str(path), "--preset", "servicenow")
    assert result.exit_code == 2
    message = " ".join(result.output.split())
    assert "'opened_at'" in message and "'sys_updated_at'" in message
    assert "'01-03-2016 09:00'" in message and "date_order" in message and "--date-order dmy" in message
    for order, march in (("dmy", True), ("mdy", False)):
        result, data = _run(cli, path, "--date-order", order, "--week", "2016-W10", "--weeks", "1")
        assert result.exit_code == 0, result.output
        assert data["run"]["date_order"] == order and data["run"]["date_order_from"] == "--date-order"
        assert (data["run"]["span"]["first_created"][:7] == "2016-03") is march


def test_date_order_in_a_mapping_decides(cli, tmp_path):
    path = tmp_path / "e.csv"
    path.write_text("id,opened,p\nA,03/02/2026 10:00,P1\nB,04/02/2026 10:00,P2\n")
    mapping = tmp_path / "m.yaml"
    mapping.write_text("columns: {ticket_id: id, created_at: opened, priority: p}\n"
                       "date_formats: ['%d/%m/%Y %H:%M', '%m/%d/%Y %H:%M']\ndate_order: mdy\n")
    result = cli("metrics", "weekly", str(path), "--mapping", str(mapping), "--format", "json", "--week", "2026-W10")
    data = json.loads(result.output)
    assert result.exit_code == 0 and data["run"]["span"]["first_created"].startswith("2026-03-02")
    assert data["run"]["date_order_from"] == "the mapping's date_order"


def test_values_that_settle_both_orders_are_an_error_naming_two(cli, tmp_path):
    path = tmp_path / "e.csv"
    path.write_text("id,opened,p,resolved\nA,25/02/2026 10:00,P1,\nB,02/03/2026 10:00,P2,02/25/2026 11:00\n")
    mapping = tmp_path / "m.yaml"
    mapping.write_text("columns: {ticket_id: id, created_at: opened, priority: p, resolved_at: resolved}\n"
                       "date_formats: ['%d/%m/%Y %H:%M', '%m/%d/%Y %H:%M']\n")
    result = cli("metrics", "weekly", str(path), "--mapping", str(mapping))
    assert result.exit_code == 2
    assert "'25/02/2026 10:00'" in result.output and "'02/25/2026 11:00'" in result.output


@pytest.mark.parametrize("style", ["dd-mm-yyyy HH:MM", "ISO"])
def test_a_file_read_as_a_stream_gives_what_the_parallel_read_gives(cli, tmp_path, monkeypatch, style):
    """Big files are read by pyarrow's streaming reader (less memory), others by its parallel
    one: the two must not differ in a single byte of the result."""
    from cetool.metrics import load

    open_csv = load.pacsv.open_csv
    path = tmp_path / "incident_event_log.csv"
    text = servicenow_csv(servicenow_incidents(), style)
    lines = text.splitlines(keepends=True)
    lines.insert(7, "INC9,too,few\n")  # a row the reader skips and counts in both
    path.write_text("".join(lines), encoding="utf-8")
    parallel, data = _run(cli, path, "--week", "2016-W18", "--weeks", str(WEEKS))
    monkeypatch.setattr(load, "STREAM_FROM_BYTES", 0)
    opened = []
    monkeypatch.setattr(load.pacsv, "open_csv", lambda *a, **k: opened.append(1) or open_csv(*a, **k))
    streamed, _ = _run(cli, path, "--week", "2016-W18", "--weeks", str(WEEKS))
    assert parallel.exit_code == streamed.exit_code == 0, parallel.output
    assert data["run"]["bad_rows"] == 1
    assert streamed.output == parallel.output and opened


@pytest.mark.parametrize("damage", [None, "unreadable", "second format"])
def test_updated_at_read_for_the_collapse_serves_the_survivors_as_a_second_read_would(cli, tmp_path, monkeypatch,
                                                                                      damage):
    """The survivors' updated_at is taken from the read made for the collapse when one format
    read every value; otherwise they are read again. Both give the same result and run facts."""
    from cetool.metrics import rows

    text = servicenow_csv(servicenow_incidents(), "dd-mm-yyyy HH:MM")
    lines = text.splitlines(keepends=True)
    header = lines[0].rstrip("\n").split(",")
    cells = lines[5].rstrip("\n").split(",")
    if damage == "unreadable":
        cells[header.index("sys_updated_at")] = "31-02-2016 01:16"
    elif damage == "second format":
        day, month, rest = cells[header.index("sys_updated_at")].split("-")
        cells[header.index("sys_updated_at")] = f"{day}/{month}/{rest}"
    lines[5] = ",".join(cells) + "\n"
    path = tmp_path / "incident_event_log.csv"
    path.write_text("".join(lines), encoding="utf-8")
    calls = []
    survivors_of = rows._survivors_of
    monkeypatch.setattr(rows, "_survivors_of", lambda *a: calls.append(survivors_of(*a)) or calls[-1])
    reused, data = _run(cli, path, "--week", "2016-W18", "--weeks", str(WEEKS))
    assert reused.exit_code == 0, reused.output
    assert (calls[0] is not None) == (damage is None)
    monkeypatch.setattr(rows, "_survivors_of", lambda *a: None)
    read_again, _ = _run(cli, path, "--week", "2016-W18", "--weeks", str(WEEKS))
    assert read_again.output == reused.output
    if damage is None:
        assert data["run"]["date_formats"]["updated_at"] == {"%d-%m-%Y %H:%M": data["run"]["tickets"]}
