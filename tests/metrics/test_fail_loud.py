"""An export that reads as (mostly) nothing stops with exit 2 and says why; it never reports zeros
(docs/metrics.md#nothing-silently-wrong)."""

from __future__ import annotations

import json

import pytest


def _export(tmp_path, rows: list[str], header: str = "ticket_id,created_at,priority,resolved_at") -> str:
    path = tmp_path / "export.csv"
    path.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_dates_excel_rewrote_stop_the_run_naming_column_examples_formats_and_fix(cli, tmp_path, fmt):
    rows = [f"T{n},{n % 28 + 1:02d}/05/2026 03:46,P3," for n in range(40)] + ["T99,2026-05-25T03:46:00Z,P3,"]
    result = cli("metrics", "weekly", _export(tmp_path, rows), "--format", fmt, "--week", "2026-W21")
    assert result.exit_code == 2
    message = json.loads(result.output)["error"] if fmt == "json" else " ".join(result.output.split())
    assert "created_at (column 'created_at') cannot be read in 40 of 41 rows" in message
    assert "'01/05/2026 03:46', '02/05/2026 03:46', '03/05/2026 03:46'" in message
    assert "formats tried: ISO 8601" in message and "date_formats:" in message and "--preset" in message


def test_half_the_rows_unreadable_is_still_a_report_with_the_bad_rows_named(cli, tmp_path):
    rows = ["A,2026-05-25T03:46:00Z,P3,", "B,25/05/2026 03:46,P3,"]
    result = cli("metrics", "weekly", _export(tmp_path, rows), "--format", "json", "--week", "2026-W22")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["run"]["bad_rows_by_reason"] == {"unparseable created_at": 1}


def test_no_row_surviving_is_exit_2_with_the_reasons(cli, tmp_path):
    rows = ["A,2026-05-25T03:46:00Z,P9,", "B,2026-05-25T03:46:00Z,P3,2026-05-24T03:46:00Z"]
    result = cli("metrics", "weekly", _export(tmp_path, rows), "--week", "2026-W22")
    assert result.exit_code == 2
    message = " ".join(result.output.split())
    assert "no row can be used: all 2 rows are bad" in message
    assert "priority not P1..P4: 1" in message and "resolved_at before start: 1" in message


def test_an_export_without_rows_is_an_empty_report_not_an_error(cli, tmp_path):
    result = cli("metrics", "weekly", _export(tmp_path, []), "--format", "json", "--week", "2026-W22")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["run"]["tickets"] == 0
