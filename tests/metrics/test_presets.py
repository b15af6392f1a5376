"""Each preset on an export shaped like the vendor's real one; user mapping files."""

from __future__ import annotations

import pytest

from cetool.core.errors import CetoolError
from cetool.metrics.mapping import PRESETS, load_mapping_file, load_preset
from metrics_fixtures import csv_text

ZENDESK_HEADER = ["Summation column", "Id", "Requester", "Subject", "Tags", "Status", "Priority", "Via",
                  "Ticket type", "Created at", "Updated at", "Assigned at", "Solved at", "Reopens", "Replies",
                  "First reply time in minutes", "First reply time in minutes within business hours"]


def _zendesk_row(ticket, tags, priority, created, updated, solved, reopens, first_reply):
    return ["", ticket, "Ann", "Subject", tags, "solved" if solved else "open", priority, "web", "incident",
            created, updated, created, solved, reopens, "2", first_reply, first_reply]


def test_zendesk(tmp_path, weekly):
    rows = [
        _zendesk_row("101", "escalated rc:webhook-secret-rotation", "urgent", "2026-11-16 09:00:00",
                     "2026-11-17 10:00:00", "2026-11-16 21:00:00", "1", "30"),
        _zendesk_row("102", "rc:webhook-secret-rotation billing", "high", "2026-11-17 09:00:00",
                     "2026-11-17 10:00:00", "2026-11-18 09:00:00 +0100", "0", "90"),
        _zendesk_row("103", "", "normal", "16-11-2026 12:00", "16-11-2026 12:00", "", "0", ""),
        _zendesk_row("104", "", "", "2026-11-18 09:00:00", "2026-11-18 09:00:00", "", "", "soon"),
        _zendesk_row("105", "", "whenever", "2026-11-18 09:00:00", "2026-11-18 09:00:00", "", "", ""),
    ]
    path = tmp_path / "zendesk.csv"
    path.write_text(csv_text(ZENDESK_HEADER, rows), encoding="utf-8")
    result = weekly(path, preset="zendesk", week="2026-W47", weeks=1, tz="Europe/Berlin")
    w = result["weeks"][0]
    assert w["tickets_created"] == 4 and w["escalations"] == 1
    assert w["repeat_issues_30d"] == 1
    assert w["p1p2_resolved"] == 2
    assert w["p1p2_ttr_median_hours"] == pytest.approx((12 + 24) / 2)  # 21:00-09:00; offset +0100 = local
    assert w["first_response_median_hours"] == pytest.approx(1.0) and w["first_response_count"] == 2
    assert (w["reopen_rate"], w["reopen_base"]) == (0.5, 2)
    assert result["run"]["bad_rows_by_reason"] == {"priority not P1..P4": 1}
    assert result["run"]["blanked_by_column"] == {"first_response_at": 1}
    assert result["drivers"][0]["root_cause"] == "webhook-secret-rotation"
    assert result["run"]["preset"] == "zendesk"


def test_zendesk_checkbox_marks_escalations_after_the_date_field_and_the_tag(tmp_path, weekly):
    header = ["Id", "Tags", "Priority", "Created at", "Escalated at [date]", "Escalated [flag]"]
    rows = [
        ["1", "", "high", "2026-11-16 09:00:00", "2026-11-17 09:00:00", "true"],  # the date wins
        ["2", "escalated", "high", "2026-11-16 10:00:00", "", "false"],  # the tag wins
        ["3", "", "normal", "2026-11-18 10:00:00", "", "TRUE"],  # the checkbox: escalated at creation
        ["4", "", "normal", "2026-11-18 11:00:00", "", "Yes "],
        ["5", "", "normal", "2026-11-18 12:00:00", "", "maybe"],  # neither: not escalated, counted
        ["6", "", "normal", "2026-11-18 13:00:00", "", ""],
        ["7", "", "normal", "2026-11-09 13:00:00", "", "1"],  # escalated in the week before
    ]
    path = tmp_path / "zendesk.csv"
    path.write_text(csv_text(header, rows), encoding="utf-8")
    result = weekly(path, preset="zendesk", week="2026-W47", weeks=2)
    w46, w47 = result["weeks"]
    assert (w46["escalations"], w47["escalations"]) == (1, 4)
    assert result["run"]["blanked_by_column"] == {"escalation_flag": 1}
    assert result["run"]["columns"]["escalation_flag"] == "Escalated [flag]"


def test_a_checkbox_column_alone_is_an_escalation_source(tmp_path, weekly):
    mapping = tmp_path / "m.yaml"
    mapping.write_text("columns:\n  ticket_id: id\n  created_at: created\n  priority: prio\n"
                       "escalation_flag:\n  column: [Escalated, esc]\n")
    path = tmp_path / "e.csv"
    path.write_text(csv_text(["id", "created", "prio", "ESC"], [["A", "2026-11-17T10:00:00Z", "P3", "no"]]))
    week = weekly(path, mapping=mapping, week="2026-W47", weeks=1)["weeks"][0]
    assert week["escalations"] == 0 and week["escalations_per_100"] == 0.0  # measured: 0, not n/a


def test_an_escalation_flag_at_must_be_a_timestamp_column(tmp_path):
    mapping = tmp_path / "m.yaml"
    mapping.write_text("columns:\n  ticket_id: id\n  created_at: created\n  priority: prio\n"
                       "escalation_flag:\n  column: esc\n  at: priority\n")
    with pytest.raises(CetoolError, match=r"m\.yaml:7:7: .*must be one of the timestamp columns"):
        load_mapping_file(mapping, "m.yaml")


JIRA_HEADER = ["Summary", "Issue key", "Issue id", "Issue Type", "Status", "Priority", "Resolution",
               "Assignee", "Created", "Updated", "Resolved", "Labels", "Labels", "Labels", "Watchers",
               "Watchers", "Comment", "Comment", "Custom field (Root cause)"]


def test_jira_with_repeated_headers_and_its_date_formats(tmp_path, weekly):
    rows = [
        ["SSO loop", "CE-1", "10001", "Bug", "Done", "Highest", "Done", "ann", "16/Nov/26 10:17 PM",
         "17/Nov/26 9:00 AM", "17/Nov/26 8:17 AM", "customer-x", "escalated", "", "bob", "carl",
         "first\ncomment, with comma", "second", "saml-redirect-loop"],
        ["SSO loop again", "CE-2", "10002", "Bug", "Open", "High", "", "ann", "17/Nov/26 23:33",
         "17/Nov/26 23:40", "", "rc:saml-redirect-loop", "", "", "", "", "", "", ""],
        ["Import", "CE-3", "10003", "Task", "Done", "Lowest", "Done", "ann", "11/18/2026 16:14",
         "11/18/2026 17:14", "11/18/2026 18:14", "", "", "", "", "", "", "", ""],
    ]
    path = tmp_path / "jira.csv"
    path.write_text(csv_text(JIRA_HEADER, rows), encoding="utf-8")
    result = weekly(path, preset="jira", week="2026-W47", weeks=1)
    w = result["weeks"][0]
    assert result["run"]["bad_rows"] == 0 and w["tickets_created"] == 3
    assert w["escalations"] == 1  # the label in the second Labels column
    assert w["repeat_issues_30d"] == 1  # CE-2 (label rc:) after CE-1 (custom field)
    assert w["p1p2_resolved"] == 1 and w["p1p2_ttr_median_hours"] == pytest.approx(10.0)
    assert w["p1p2_open_at_end"] == 1  # CE-2, High = P2


SN_HEADER = ["number", "incident_state", "active", "reassignment_count", "reopen_count", "sys_mod_count",
             "made_sla", "caller_id", "opened_by", "opened_at", "sys_created_by", "sys_created_at",
             "sys_updated_by", "sys_updated_at", "contact_type", "location", "category", "subcategory",
             "u_symptom", "cmdb_ci", "impact", "urgency", "priority", "assignment_group", "assigned_to",
             "knowledge", "u_priority_confirmation", "notify", "problem_id", "rfc", "vendor", "caused_by",
             "closed_code", "resolved_by", "resolved_at", "closed_at"]


def _sn(number, state, opened, updated, priority, problem="?", resolved="?", closed="?", reopen="0"):
    row = dict.fromkeys(SN_HEADER, "?")
    row.update(number=number, incident_state=state, opened_at=opened, sys_updated_at=updated,
               priority=priority, problem_id=problem, resolved_at=resolved, closed_at=closed,
               reopen_count=reopen, active="true")
    return [row[h] for h in SN_HEADER]


def test_servicenow_event_log_last_state_wins(tmp_path, weekly):
    rows = [
        _sn("INC0000045", "Resolved", "16/11/2026 01:16", "16/11/2026 11:29", "1 - Critical",
            "Problem ID 2", "16/11/2026 11:16", "?"),
        _sn("INC0000045", "New", "16/11/2026 01:16", "16/11/2026 01:23", "3 - Moderate"),  # older, later
        _sn("INC0000046", "New", "17/11/2026 08:00", "17/11/2026 08:00", "5 - Planning", "Problem ID 2"),
        _sn("INC0000047", "Active", "2026-11-18 08:00:00", "2026-11-18 08:00:00", "2 - High"),
        _sn("INC0000048", "New", "?", "2026-11-18 08:00:00", "2 - High"),
    ]
    path = tmp_path / "incident_event_log.csv"
    path.write_text(csv_text(SN_HEADER, rows), encoding="utf-8")
    result = weekly(path, preset="servicenow", week="2026-W47", weeks=1)
    run, w = result["run"], result["weeks"][0]
    assert run["rows_read"] == 5 and run["duplicates"] == 1 and run["tickets"] == 3
    assert run["bad_rows_by_reason"] == {"empty created_at": 1}  # `?` is missing
    assert w["p1p2_resolved"] == 1 and w["p1p2_ttr_median_hours"] == pytest.approx(10.0)
    assert w["repeat_issues_30d"] == 1 and w["p1p2_open_at_end"] == 1


def test_every_preset_loads():
    for name in PRESETS:
        assert load_preset(name).label == name


def test_unknown_preset_is_a_setup_error():
    with pytest.raises(CetoolError, match="unknown preset 'freshdesk'"):
        load_preset("freshdesk")


def test_user_mapping_file(tmp_path, weekly):
    mapping = tmp_path / "mine.yaml"
    mapping.write_text("name: mine\ncolumns:\n  ticket_id: Key\n  created_at: Opened\n  priority: Sev\n"
                       "priority:\n  sev1: P1\n  sev2: P2\ndate_formats: ['%d.%m.%Y %H:%M']\n")
    export = tmp_path / "x.csv"
    export.write_text("Key,Opened,Sev\nK1,16.11.2026 10:00,sev1\nK2,17.11.2026 10:00,sev2\n")
    result = weekly(export, mapping=mapping, mapping_display="mine.yaml", week="2026-W47", weeks=1)
    assert result["weeks"][0]["tickets_created"] == 2 and result["run"]["bad_rows"] == 0
    assert result["run"]["preset"] == "mapping:mine.yaml"


@pytest.mark.parametrize("text, message", [
    ("columns:\n  ticket_id: Key\n  created_at: Opened\n", "required column"),
    ("columns:\n  ticket_id: Key\n  created_at: Opened\n  priority: P\n  colour: C\n", "unknown canonical column"),
    ("columns:\n  ticket_id: Key\n  created_at: Opened\n  priority: P\npriority:\n  sev1: P9\n", "P1..P4"),
    ("columns:\n  ticket_id: Key\n  created_at: Opened\n  priority: P\nextra: 1\n", "unknown key 'extra'"),
    ("columns: [a, b\n", "mine.yaml:"),
])
def test_bad_mapping_file_names_the_position(tmp_path, text, message):
    mapping = tmp_path / "mine.yaml"
    mapping.write_text(text)
    with pytest.raises(CetoolError, match=message) as caught:
        load_mapping_file(mapping, "mine.yaml")
    assert "mine.yaml:" in str(caught.value)


@pytest.mark.parametrize("extra, where, message", [
    ("  colour: C\n", "mine.yaml:5:3:", "columns.colour: unknown canonical column 'colour'"),
    ("minutes_after_created:\n  created_at: M\n", "mine.yaml:6:3:", "minutes_after_created.created_at: created_at cannot be given as minutes after itself"),
    ("minutes_after_created:\n  colour: M\n", "mine.yaml:6:3:", "minutes_after_created.colour: unknown canonical"),
])
def test_an_unknown_canonical_column_is_reported_at_its_key(tmp_path, extra, where, message):
    mapping = tmp_path / "mine.yaml"
    mapping.write_text("columns:\n  ticket_id: Key\n  created_at: Opened\n  priority: P\n" + extra)
    with pytest.raises(CetoolError) as caught:
        load_mapping_file(mapping, "mine.yaml")
    assert f"{where} {message}" in str(caught.value)


def test_key_problems_and_schema_problems_come_out_together(tmp_path):
    mapping = tmp_path / "mine.yaml"
    mapping.write_text("columns:\n  ticket_id: Key\n  created_at: Opened\n  priority: P\n  colour: C\nextra: 1\n")
    with pytest.raises(CetoolError) as caught:
        load_mapping_file(mapping, "mine.yaml")
    assert "mine.yaml:5:3:" in str(caught.value) and "unknown key 'extra'" in str(caught.value)


def test_example_mappings_are_valid(repo_root):
    files = sorted((repo_root / "examples" / "mappings").glob("*.yaml"))
    assert len(files) >= 3
    for path in files:
        load_mapping_file(path, path.name)


def test_every_mapping_problem_comes_out_in_one_run_in_file_order(tmp_path):
    mapping = tmp_path / "m.yaml"
    mapping.write_text("columns:\n  ticket_id: id\n  priority: p\n  ticket_id: again\n"
                       "minutes_after_created:\n  created_at: m\n  nope: x\nescalation_flag:\n  column: []\n")
    with pytest.raises(CetoolError) as caught:
        load_mapping_file(mapping, "m.yaml")
    lines = str(caught.value).splitlines()[1:]
    assert [line.strip().split(": ")[0] for line in lines] == ["m.yaml:2:3", "m.yaml:4:3", "m.yaml:6:3", "m.yaml:7:3",
                                                               "m.yaml:9:11"]
    assert "required column(s) created_at" in lines[0] and "duplicate key 'ticket_id'" in lines[1]
    assert "name the header" in lines[4]


def test_a_folder_is_not_a_mapping_file(tmp_path):
    with pytest.raises(CetoolError, match="is a folder, not a mapping file"):
        load_mapping_file(tmp_path, "dir")
