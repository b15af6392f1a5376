"""Exports and mappings a QA pass found breaking `cetool metrics weekly`: each must be a counted
bad row, a blanked value or a clear exit 2, never a traceback (spec sections 4 and 6)."""

from __future__ import annotations

import json
import warnings
from datetime import datetime, timezone

import pyarrow as pa
import pytest

from cetool.metrics import values as export_values
from cetool.metrics.values import NAT, parse_timestamps
from metrics_fixtures import csv_text


def _utc(values: list[str | None], tz: str = "UTC") -> tuple[list[str | None], list[bool]]:
    out, bad = parse_timestamps(pa.array(values, pa.string()), tz)
    text = [None if v == NAT else datetime.fromtimestamp(int(v) / 1e9, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
            for v in out]
    return text, bad.tolist()


def _json(cli, path, *args):
    result = cli("metrics", "weekly", path, "--week", "2026-W47", "--format", "json", *args)
    return result, (json.loads(result.output) if result.output.strip().startswith("{") else None)


# 3: timestamps outside pandas' nanosecond range (1677-2262)

def test_far_future_resolved_at_is_an_unparseable_bad_row(cli, tmp_path):
    path = tmp_path / "far.csv"
    path.write_text("ticket_id,created_at,priority,resolved_at\nT1,2026-11-17T10:00:00Z,P1,9999-12-31T00:00:00Z\n"
                    "T2,2026-11-17T10:00:00Z,P1,2026-11-17T12:00:00Z\n")
    result, data = _json(cli, path)
    assert result.exit_code == 0, result.output
    assert data["run"]["bad_rows_by_reason"] == {"unparseable resolved_at": 1}
    assert data["run"]["tickets"] == 1


def test_year_one_created_at_and_far_optional_values(cli, tmp_path):
    path = tmp_path / "far.csv"
    path.write_text("ticket_id,created_at,priority,updated_at\nT1,0001-01-01,P1,\n"
                    "T2,2026-11-17T10:00:00,P1,9999-01-01T00:00:00\nT3,2026-11-17T10:00:00,P2,2026-11-18\n")
    result, data = _json(cli, path)
    assert result.exit_code == 0, result.output
    assert data["run"]["bad_rows_by_reason"] == {"unparseable created_at": 1}
    assert data["run"]["blanked_by_column"] == {"updated_at": 1}


def test_the_window_is_1900_to_2100_on_every_path():
    inside = ["1900-01-01T00:00:00Z", "2099-12-31T23:59:59Z"]
    outside = ["1899-12-31T23:59:59Z", "2100-01-01T00:00:00Z", "1677-09-22T00:00:00Z", "2262-04-10T00:00:00Z"]
    # all with Z (Arrow's cast), all local (Arrow's cast, then localized), mixed (pandas)
    for values in (inside + outside, [v[:-1] for v in inside + outside], inside + [v[:-1] for v in outside]):
        out, bad = _utc(values)
        assert out == ["1900-01-01T00:00:00Z", "2099-12-31T23:59:59Z", None, None, None, None]
        assert bad == [False, False, True, True, True, True]


def test_the_csv_readers_own_parse_is_held_to_the_window_too(cli, tmp_path):
    # 1678 -> 2026 is more than int64 nanoseconds can hold: the duration would wrap negative
    path = tmp_path / "wide.csv"
    path.write_text("ticket_id,created_at,priority,resolved_at\nT1,1678-01-01T00:00:00Z,P1,2026-11-17T10:00:00Z\n"
                    "T2,2026-11-17T10:00:00Z,P1,2026-11-17T12:00:00Z\n")
    result, data = _json(cli, path)
    assert data["run"]["bad_row_examples"] == ["row 2 (ticket T1): unparseable created_at '1678-01-01T00:00:00+00:00'"]
    assert data["weeks"][-1]["p1p2_ttr_median_hours"] == 2.0 and data["weeks"][-1]["p1p2_ttr_p90_hours"] == 2.0


# 4: mixed local and compact/short ISO 8601 forms with a zone

def test_mixed_local_and_compact_iso_forms(cli, tmp_path):
    path = tmp_path / "mix.csv"
    path.write_text("ticket_id,created_at,priority\nT1,2026-11-17T10:00:00,P1\nT2,20261117T100000Z,P1\n"
                    "T3,2026-11-17T10Z,P1\nT4,2026-11-17 10:00:00 +01:00,P1\n")
    result, data = _json(cli, path, "--input-tz", "Europe/Berlin")
    assert result.exit_code == 0, result.output
    assert data["run"]["bad_rows"] == 0 and data["run"]["tickets"] == 4


def test_zone_forms_are_absolute_and_local_is_local():
    out, bad = _utc(["2026-11-17T10:00:00", "20261117T100000Z", "2026-11-17T10Z", "2026-11-17T10:00:00.5+0100",
                     "2026-11-17T10:00-05", "2026-11-17"], "Europe/Berlin")
    assert out == ["2026-11-17T09:00:00Z", "2026-11-17T10:00:00Z", "2026-11-17T10:00:00Z", "2026-11-17T09:00:00Z",
                   "2026-11-17T15:00:00Z", "2026-11-16T23:00:00Z"]
    assert bad == [False] * 6


def test_a_zone_form_the_pattern_misses_is_still_absolute(monkeypatch):
    # the safety net: a zone-carrying value the regex does not see must not crash the naive parse
    monkeypatch.setattr(export_values, "_OFFSET", r"[+-]\d\d:\d\d$")
    out, bad = _utc(["2026-11-17T10:00:00", "20261117T100000Z"], "Europe/Berlin")
    assert out == ["2026-11-17T09:00:00Z", "2026-11-17T10:00:00Z"] and bad == [False, False]


# 5: minutes after created that are not a duration

def test_huge_infinite_and_negative_first_reply_minutes_are_blanked(cli, tmp_path):
    header = ["Id", "Created at", "Priority", "First reply time in minutes"]
    rows = [["1", "2026-11-17 10:00:00", "High", "1e30"], ["2", "2026-11-17 10:00:00", "High", "30"],
            ["3", "2026-11-17 10:00:00", "High", "inf"], ["4", "2026-11-17 10:00:00", "High", "-5"],
            ["5", "2026-11-17 10:00:00", "High", "90"]]
    path = tmp_path / "zd.csv"
    path.write_text(csv_text(header, rows))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no numpy overflow warning either
        result, data = _json(cli, path, "--preset", "zendesk")
    assert result.exit_code == 0, result.output
    assert data["run"]["blanked_by_column"] == {"first_response_at": 3}
    week = data["weeks"][-1]
    assert week["first_response_median_hours"] == 1.0 and week["first_response_count"] == 2


def test_a_resolution_in_minutes_that_cannot_be_read_or_is_negative_makes_a_bad_row(cli, tmp_path):
    mapping = tmp_path / "m.yaml"
    mapping.write_text("columns:\n  ticket_id: id\n  created_at: created\n  priority: prio\n"
                       "minutes_after_created:\n  resolved_at: mins\n  escalated_at: esc\n")
    path = tmp_path / "e.csv"
    path.write_text(csv_text(["id", "created", "prio", "mins", "esc"], [
        ["A", "2026-11-17T10:00:00Z", "P1", "soon", ""], ["B", "2026-11-17T10:00:00Z", "P1", "-5", ""],
        ["C", "2026-11-17T10:00:00Z", "P1", "inf", ""], ["D", "2026-11-17T10:00:00Z", "P2", "90", "-1"],
        ["E", "2026-11-17T10:00:00Z", "P2", "120", "x"], ["F", "2026-11-17T10:00:00Z", "P2", "60", "30"],
        ["G", "2026-11-17T10:00:00Z", "P2", "", ""], ["H", "2026-11-17T10:00:00Z", "P2", "-1e8", ""],
        ["I", "2026-11-17T10:00:00Z", "P2", "-1e12", ""], ["J", "2026-11-17T10:00:00Z", "P2", "-inf", ""]]))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no numpy cast warning either
        result, data = _json(cli, path, "--mapping", mapping)
    assert result.exit_code == 0, result.output
    assert data["run"]["bad_rows_by_reason"] == {  # 1836 and earlier: outside 1900..2099, unparseable
        "unparseable resolved_at": 5, "unparseable escalated_at": 1,
        "escalated_at before created_at": 1, "resolved_at before start": 1}
    assert data["run"]["blanked_by_column"] == {}
    assert "row 2 (ticket A): unparseable resolved_at 'soon'" in data["run"]["bad_row_examples"]
    assert data["run"]["columns"]["resolved_at"] == "mins (minutes after created_at)"
    week = data["weeks"][-1]
    assert week["tickets_created"] == 2 and week["escalations"] == 1
    assert week["p1p2_resolved"] == 1 and week["p1p2_ttr_median_hours"] == 1.0 and week["p1p2_open_at_end"] == 1


def test_infinite_reopen_count_is_blanked(cli, tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("ticket_id,created_at,priority,resolved_at,reopen_count\n"
                    "T1,2026-11-17T10:00:00Z,P3,2026-11-17T11:00:00Z,inf\nT2,2026-11-17T10:00:00Z,P3,2026-11-17T11:00:00Z,1\n")
    result, data = _json(cli, path)
    assert data["run"]["blanked_by_column"] == {"reopen_count": 1}
    assert data["weeks"][-1]["reopen_rate"] == 1.0


# 12: a mapping file's date formats are checked when it is loaded

@pytest.mark.parametrize("fmt, word", [("%Q", "bad directive"), ("%d/%m/%Y %", "stray %")])
def test_bad_date_format_in_a_mapping_is_a_positioned_setup_error(cli, tmp_path, fmt, word):
    mapping = tmp_path / "map.yaml"
    mapping.write_text(f'columns:\n  ticket_id: id\n  created_at: c\n  priority: p\ndate_formats:\n'
                       f'  - "%d/%m/%Y"\n  - "{fmt}"\n')
    export = tmp_path / "e.csv"
    export.write_text("id,c,p\n1,17/11/2026,P1\n")
    result = cli("metrics", "weekly", export, "--mapping", mapping)
    assert result.exit_code == 2
    assert "map.yaml:7:5" in result.output and word in result.output


def test_good_date_formats_in_a_mapping_are_used(cli, tmp_path):
    mapping = tmp_path / "map.yaml"
    mapping.write_text('columns:\n  ticket_id: id\n  created_at: c\n  priority: p\n'
                       'date_formats: ["%d/%m/%Y %H:%M", "%d.%m.%Y %z"]\n')
    export = tmp_path / "e.csv"
    export.write_text("id,c,p\n1,17/11/2026 10:00,P1\n2,18.11.2026 +0100,P1\n")
    result, data = _json(cli, export, "--mapping", mapping)
    assert result.exit_code == 0, result.output
    assert data["run"]["tickets"] == 2 and data["run"]["span"]["last_created"] == "2026-11-17T23:00:00+00:00"


# 18: a megabyte cell is cut where it is quoted

def test_a_huge_cell_is_cut_in_bad_row_examples(cli, tmp_path):
    path = tmp_path / "long.csv"
    # the last row is good: an export where every row is bad exits 2 instead of reporting
    path.write_text(f"ticket_id,created_at,priority\nT1,{'x' * 1_000_000},P1\nT\x1b[2J,2026-11-17T10:00:00Z,P9\n"
                    "T3,2026-11-17T10:00:00Z,P3\n")
    result, data = _json(cli, path)
    first, second = data["run"]["bad_row_examples"]
    assert first == f"row 2 (ticket T1): unparseable created_at '{'x' * 79}…'"
    assert second == "row 3 (ticket 'T\\x1b[2J'): priority not P1..P4 'P9'"


# 20: what the export path is, in words; stdin

def test_a_folder_is_named_as_a_folder(cli, tmp_path):
    result = cli("metrics", "weekly", tmp_path, "-f", "json")
    assert result.exit_code == 2 and "is a folder, not a file" in json.loads(result.output)["error"]


def test_a_missing_file_and_a_broken_symlink(cli, tmp_path):
    assert "no such file" in cli("metrics", "weekly", tmp_path / "nope.csv").output
    (tmp_path / "link.csv").symlink_to(tmp_path / "gone.csv")
    result = cli("metrics", "weekly", tmp_path / "link.csv")
    assert result.exit_code == 2 and "broken symlink" in result.output


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"])
def test_a_wide_encoding_is_named(cli, tmp_path, encoding):
    path = tmp_path / "wide.csv"
    path.write_text("ticket_id,created_at,priority\nT1,2026-11-17T10:00:00Z,P1\n", encoding=encoding)
    result = cli("metrics", "weekly", path)
    named = "UTF-32" if "32" in encoding else "UTF-16"
    assert result.exit_code == 2 and f"{named}; save it as UTF-8" in result.output


def test_nul_bytes_are_still_binary(cli, tmp_path):
    path = tmp_path / "b.csv"
    path.write_bytes(b"\x00" * 100)
    assert "binary content" in cli("metrics", "weekly", path).output


def test_dash_reads_the_export_from_stdin(cli):
    text = "ticket_id,created_at,priority\nT1,2026-11-17T10:00:00Z,P1\nT2,2026-11-18T10:00:00Z,P2\n"
    result = cli("metrics", "weekly", "-", "--week", "2026-W47", "-f", "json", input=text)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["run"]["source"] == "stdin" and data["run"]["tickets"] == 2


def test_a_pipe_path_is_read_too(tmp_path):
    import subprocess
    import sys

    text = b"ticket_id,created_at,priority\nT1,2026-11-17T10:00:00Z,P1\n"
    done = subprocess.run([sys.executable, "-m", "cetool", "metrics", "weekly", "/dev/stdin", "--week", "2026-W47",
                           "-f", "json"], input=text, capture_output=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["run"]["tickets"] == 1


# 26: an empty --week is an error, not the default week

@pytest.mark.parametrize("value", ["", "  "])
def test_empty_week_is_a_usage_error(cli, tmp_path, value):
    path = tmp_path / "e.csv"
    path.write_text("ticket_id,created_at,priority\nT1,2026-11-17T10:00:00Z,P1\n")
    result = cli("metrics", "weekly", path, "--week", value, "-f", "json")
    assert result.exit_code == 2
    assert "expected an ISO week like 2026-W47" in json.loads(result.output)["error"]


def test_open_quote_after_many_closed_ones(cli, tmp_path):
    # past the first 10,000 quotes the count goes block by block: parity must still hold
    rows = "".join(f'T{i},2026-11-17T10:00:00Z,P1,"a, {i}"\n' for i in range(6000))
    path = tmp_path / "many.csv"
    path.write_text("ticket_id,created_at,priority,root_cause\n" + rows)
    result, data = _json(cli, path)
    assert result.exit_code == 0 and data["run"]["tickets"] == 6000
    path.write_text("ticket_id,created_at,priority,root_cause\n" + rows + 'T-x,2026-11-17T10:00:00Z,P1,"open\n')
    result, _ = _json(cli, path)
    assert result.exit_code == 2 and "line 6002" in result.output


# --output: the umask, a folder, a path under a file

def _export(tmp_path):
    path = tmp_path / "e.csv"
    path.write_text("ticket_id,created_at,priority\nT1,2026-11-17T10:00:00Z,P1\n")
    return path


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_output_honours_the_umask(cli, tmp_path, umask, mode):
    import os

    old = os.umask(umask)
    try:
        result = cli("metrics", "weekly", _export(tmp_path), "--week", "2026-W47", "-o", tmp_path / "r.md",
                     "-f", "markdown")
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "r.md").stat().st_mode & 0o777 == mode


def test_output_that_is_a_folder_is_a_usage_error(cli, tmp_path):
    (tmp_path / "out").mkdir()
    for extra in ((), ("--force",)):
        result = cli("metrics", "weekly", _export(tmp_path), "--week", "2026-W47", "-o", tmp_path / "out",
                     "-f", "json", *extra)
        assert result.exit_code == 2
        assert "is a folder" in json.loads(result.output)["error"]


def test_output_under_a_regular_file_is_a_usage_error(cli, tmp_path):
    export = _export(tmp_path)
    result = cli("metrics", "weekly", export, "--week", "2026-W47", "-o", export / "r.json", "-f", "json")
    assert result.exit_code == 2
    assert "is a file, not a folder" in json.loads(result.output)["error"]


def test_open_quote_after_a_malformed_but_closed_one_is_still_found(cli, tmp_path):
    path = tmp_path / "cq.csv"
    path.write_text('ticket_id,created_at,priority,root_cause\nT1,2026-11-17T10:00:00Z,P1,"x"y\n'
                    'T2,2026-11-17T10:00:00Z,P1,"open\nT3,2026-11-18T10:00:00Z,P1,\n')
    result, _ = _json(cli, path)
    assert result.exit_code == 2 and "line 3" in result.output


@pytest.mark.parametrize("options", [["--week", "2620-W47"], ["--week", "0000-W01"], ["--week", "9999-W52"],
                                     ["--today", "2620-01-01"], ["--today", "0001-01-01"],
                                     ["--week", "1900-W02", "--weeks", "3"]])
def test_out_of_range_weeks_and_dates_are_usage_errors(cli, repo_root, options):
    result = cli("metrics", "weekly", repo_root / "examples" / "tickets.csv", "--format", "json", *options)
    assert result.exit_code == 2 and "1900" in json.loads(result.stdout)["error"]


def test_jira_major_is_a_priority_not_a_bad_row(cli, tmp_path):
    path = tmp_path / "jira.csv"
    path.write_text("Issue key,Created,Priority\nSD-3,16/Nov/26 9:05 AM,Major\n", encoding="utf-8")
    result = cli("metrics", "weekly", path, "--preset", "jira", "--week", "2026-W47", "--weeks", "1", "--format", "json")
    payload = json.loads(result.stdout)
    assert result.exit_code == 0 and payload["weeks"][0]["tickets_created"] == 1
