"""`cetool check` and the weekly record: a warning when reports/ exists and its latest record is
older than the last complete week before --today; nothing without reports/."""

from __future__ import annotations

import json

from prevention_builders import make_root


def _codes(cli, root, today, *extra):
    result = cli("check", root, "--format", "json", "--today", today, *extra)
    return result.exit_code, [(p["code"], p["severity"], p["file"]) for p in json.loads(result.output)["problems"]]


def test_the_latest_record_must_be_the_last_complete_week(cli, tmp_path):
    root = make_root(tmp_path)
    reports = root / "reports"
    reports.mkdir()
    (reports / "2026-W47.json").write_text('{"week": "2026-W47", "context": "x"}')
    (reports / "2026-W47.md").write_text("# W47\n")
    # on Monday 2026-11-30 the last complete week is 2026-W48 (Nov 23-29): not recorded
    exit_code, problems = _codes(cli, root, "2026-11-30")
    assert exit_code == 0
    assert [(c, s) for c, s, _ in problems] == [("weekly-record-missing", "warning")]
    assert problems[0][2].endswith("reports")
    assert _codes(cli, root, "2026-11-30", "--strict")[0] == 1
    # during W48 the last complete week is W47, which is recorded
    assert _codes(cli, root, "2026-11-29", "--strict") == (0, [])
    # recording W48 stops the warning
    (reports / "2026-W48.json").write_text('{"week": "2026-W48"}')
    assert _codes(cli, root, "2026-11-30", "--strict") == (0, [])


def test_an_empty_reports_folder_warns_and_no_folder_says_nothing(cli, tmp_path):
    root = make_root(tmp_path)
    assert _codes(cli, root, "2026-11-30", "--strict") == (0, [])
    (root / "reports").mkdir()
    (root / "reports" / "notes.md").write_text("not a record\n")
    exit_code, problems = _codes(cli, root, "2026-11-30")
    assert exit_code == 0 and [c for c, _, _ in problems] == ["weekly-record-missing"]
    message = json.loads(cli("check", root, "--format", "json", "--today", "2026-11-30").output)["problems"][0]["message"]
    assert "no weekly record yet" in message and "--week 2026-W48" in message and "--record" in message
