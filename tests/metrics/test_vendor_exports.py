"""Jira Cloud, Jira Server and Zendesk-after-Excel exports, shaped as the vendors write them,
through their presets (docs/metrics.md#presets-and-mapping-files)."""

from __future__ import annotations

import json

import pytest

from real_exports import jira_csv, jira_rows, zendesk_excel_csv

# (created, updated, resolved) of CE-101..CE-106 in 2026-W47 (Mon 16 Nov .. Sun 22 Nov)
MOMENTS = [("2026-11-16 10:17", "2026-11-17 09:00", "2026-11-17 08:17"),
           ("2026-11-17 23:33", "2026-11-17 23:40", None),
           ("2026-11-18 16:14", "2026-11-18 17:14", "2026-11-19 04:14"),
           ("2026-11-19 08:05", "2026-11-19 08:05", None),
           ("2026-11-20 13:00", "2026-11-20 13:30", "2026-11-20 15:00"),
           ("2026-11-21 07:45", "2026-11-21 07:45", None)]


def _written(fmt: str) -> list[tuple[str, str, str | None]]:
    from datetime import datetime

    def write(value: str | None) -> str | None:
        if value is None:
            return None
        moment = datetime.strptime(value, "%Y-%m-%d %H:%M")
        text = moment.strftime(fmt)
        if "%b" in fmt or "%m/%d/%Y" in fmt:  # Jira writes 6/21/2025, 9:00 AM: no leading zeros
            text = text.replace("/0", "/").lstrip("0").replace(" 0", " ")
        return text

    return [(write(c), write(u), write(r)) for c, u, r in MOMENTS]


def _weekly(cli, path, *args):
    result = cli("metrics", "weekly", str(path), "--week", "2026-W47", "--weeks", "1", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _check_jira(data):
    week, run = data["weeks"][0], data["run"]
    assert run["bad_rows"] == 0 and run["tickets"] == 6 and week["tickets_created"] == 6
    assert week["escalations"] == 2  # CE-101 and CE-105 carry the label, in the second Labels column
    assert week["repeat_issues_30d"] == 1  # CE-102 (rc: label) after CE-101 (custom field)
    assert week["p1p2_resolved"] == 2 and week["p1p2_ttr_median_hours"] == pytest.approx((22.0 + 12.0) / 2)
    assert week["p1p2_open_at_end"] == 1  # CE-102, High


def test_jira_cloud_all_fields_export(cli, tmp_path):
    """BOM, CRLF, a multi-line quoted Description and Comment, three Labels columns, `d/MMM/yy h:mm a`."""
    path = tmp_path / "Jira.csv"
    path.write_bytes(jira_csv(jira_rows(_written("%d/%b/%y %I:%M %p")), bom=True, newline="\r\n"))
    assert path.read_bytes().startswith(b"\xef\xbb\xbfSummary,Issue key") and b"\r\n" in path.read_bytes()
    assert b"16/Nov/26 10:17 AM" in path.read_bytes() and b"17/Nov/26 11:33 PM" in path.read_bytes()
    data = _weekly(cli, path, "--preset", "jira")
    _check_jira(data)
    assert list(data["run"]["date_formats"]["created_at"]) == ["%d/%b/%y %I:%M %p"]


def test_jira_server_export_with_us_dates(cli, tmp_path):
    """`M/d/yyyy H:mm`: 11/17/2026 fits only month first; no BOM, LF."""
    path = tmp_path / "jira-server.csv"
    path.write_bytes(jira_csv(jira_rows(_written("%m/%d/%Y %H:%M")), bom=False, newline="\n"))
    assert b"11/16/2026 10:17" in path.read_bytes()
    data = _weekly(cli, path, "--preset", "jira")
    _check_jira(data)
    assert data["run"]["date_order"] == "mdy" and "11/1" in data["run"]["date_order_from"]


def test_zendesk_after_excel(cli, tmp_path):
    tickets = [("1201", "16-11-2026 09:00", "16-11-2026 19:00", "urgent", "sso customer_acme", "0", "FALSE"),
               ("1202", "17-11-2026 10:30", "", "high", "escalated rc:sso-loop", "0", "FALSE"),
               ("1203", "18-11-2026 11:00", "19-11-2026 11:00", "normal", "rc:sso-loop", "1", "TRUE"),
               ("1204", "20-11-2026 08:15", "20-11-2026 09:15", "low", "", "0", "FALSE")]
    path = tmp_path / "zendesk-excel.csv"
    path.write_bytes(zendesk_excel_csv(tickets))
    assert cli("metrics", "weekly", str(path), "--preset", "zendesk").exit_code == 2  # cp1252: needs --encoding
    data = _weekly(cli, path, "--preset", "zendesk", "--encoding", "cp1252")
    week, run = data["weeks"][0], data["run"]
    assert run["bad_rows"] == 0 and week["tickets_created"] == 4
    assert week["escalations"] == 2  # 1202 by tag, 1203 by the Escalated [flag] checkbox
    assert week["repeat_issues_30d"] == 1  # 1203 after 1202
    assert week["p1p2_resolved"] == 1 and week["p1p2_ttr_median_hours"] == pytest.approx(10.0)
    assert week["reopen_rate"] == pytest.approx(1 / 3)
    assert run["date_order"] == "dmy" and list(run["date_formats"]["created_at"]) == ["%d-%m-%Y %H:%M"]
