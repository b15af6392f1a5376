"""The prevention loop in `cetool metrics weekly`: the four-driver export of the issue."""

from __future__ import annotations

import json

import pytest

from loop_export import TODAY, loop_root, write_export


@pytest.fixture
def loop(tmp_path):
    root = loop_root(tmp_path)
    return root, write_export(tmp_path / "export.csv")


def _weekly(cli, root, export, *args):
    return cli("metrics", "weekly", export, "--docs-root", root, "--week", "2026-W47", "--today", TODAY, *args)


def test_json_drivers_carry_actions_status_effect_and_signal(cli, loop):
    root, export = loop
    result = _weekly(cli, root, export, "--format", "json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    drivers = {d["root_cause"]: d for d in payload["drivers"]}
    assert {cause: d["prevention"] for cause, d in drivers.items()} == {
        "done-cause": "done", "progress-cause": "in progress", "overdue-cause": "overdue",
        "open-cause": "no prevention action"}
    assert [a["id"] for a in drivers["done-cause"]["actions"]] == ["PA-2026-0001"]
    assert drivers["overdue-cause"]["actions"] == [{
        "id": "PA-2026-0003", "kind": "enablement", "owner": "dana.ortiz", "team": "customer-engineering",
        "due": "2026-11-20", "status": "overdue", "file": drivers["overdue-cause"]["actions"][0]["file"]}]
    assert drivers["progress-cause"]["actions"][0]["status"] == "in progress"
    assert drivers["open-cause"]["actions"] == []
    effect = drivers["done-cause"]["effect"]
    assert effect["done"] == "2026-10-30"
    assert effect["before"] == {"weeks": ["2026-W40", "2026-W41", "2026-W42", "2026-W43"], "per_week": 3.0,
                                "counts": [3, 3, 3, 3]}
    assert effect["since"] == {"weeks": ["2026-W45", "2026-W46", "2026-W47"], "per_week": 1.0, "counts": [1, 1, 1]}
    assert all(drivers[c]["effect"] is None for c in ("progress-cause", "overdue-cause", "open-cause"))
    assert {c: (d["accounts"], d["product_signal"]) for c, d in drivers.items()} == {
        "done-cause": (1, False), "progress-cause": (1, False), "overdue-cause": (2, False),
        "open-cause": (4, True)}
    assert payload["agenda"] == ["open-cause", "overdue-cause"]
    assert drivers["open-cause"]["suggestion"]["kind"] == "product-feedback"
    assert drivers["done-cause"]["suggestion"] is None


def test_without_a_prevention_folder_drivers_read_as_before(cli, loop):
    root, export = loop
    for path in (root / "prevention").iterdir():
        path.unlink()
    (root / "prevention").rmdir()
    payload = json.loads(_weekly(cli, root, export, "--format", "json").output)
    assert "agenda" not in payload
    assert {d["prevention"] for d in payload["drivers"]} == {"no prevention action"}
    assert all(set(d) == {"root_cause", "escalations", "repeats", "score", "trend", "known_issue", "runbook",
                          "prevention"} for d in payload["drivers"])


def test_an_action_done_after_the_report_day_was_still_open_then(cli, loop):
    root, export = loop
    (root / "prevention" / "PA-2026-0004.yaml").write_text(
        (root / "prevention" / "PA-2026-0002.yaml").read_text().replace("0002", "0004")
        .replace("progress-cause", "done-cause"))  # assigned 2026-11-16: after the report's day
    payload = json.loads(cli("metrics", "weekly", export, "--docs-root", root, "--week", "2026-W43",
                             "--today", "2026-10-29", "--format", "json").output)
    drivers = {d["root_cause"]: d for d in payload["drivers"]}
    assert drivers["done-cause"]["prevention"] == "in progress" and drivers["done-cause"]["effect"] is None
    assert [a["id"] for a in drivers["done-cause"]["actions"]] == ["PA-2026-0001"]


@pytest.mark.parametrize("fmt, heading", [("markdown", "## Monday agenda"), ("text", "Monday agenda"),
                                          ("html", "<h2>Monday agenda")])
def test_reports_show_the_overdue_and_missing_drivers_first(cli, loop, fmt, heading):
    root, export = loop
    out = _weekly(cli, root, export, "--format", fmt).output
    start = out.index(heading)
    agenda = out[start:out.index("Trend", start)]
    assert agenda.index("open-cause") < agenda.index("overdue-cause")  # in the drivers' ranking
    assert "progress-cause" not in agenda and "done-cause" not in agenda
    assert "PA-2026-0003" in agenda and "due 2026-11-20" in agenda
    assert "product feedback" in agenda and "product signal (4 accounts)" in agenda
    assert "known-issues entry" in agenda  # overdue-cause has no known issue
    assert start < out.index("Top drivers")
    assert "3 a week in the 4 weeks before, 1 a week in the 3 weeks since" in out


def test_enablement_is_suggested_when_repeats_come_from_one_account():
    from cetool.prevention.agenda import suggest

    assert suggest(accounts=1, known_issue="KI-1", runbook="RB-1", repeat_accounts=["acme"], repeats=3).kind == \
        "enablement"
    assert suggest(accounts=2, known_issue="KI-1", runbook="RB-1", repeat_accounts=["a", "b"], repeats=3).kind == \
        "runbook-update"
    assert suggest(accounts=None, known_issue="KI-1", runbook=None, repeat_accounts=None, repeats=3).kind == \
        "runbook-update"
    assert suggest(accounts=3, known_issue=None, runbook=None, repeat_accounts=None, repeats=0).kind == \
        "product-feedback"


def test_effect_leaves_out_weeks_whose_repeats_are_lower_bounds(cli, loop, tmp_path):
    """Weeks whose 30-day look-back starts before the export's first ticket undercount repeats."""
    root, export = loop
    lines = export.read_text().splitlines()
    late = [lines[0]] + [line for line in lines[1:] if line.split(",")[1] >= "2026-09-21"]
    short = tmp_path / "short.csv"
    short.write_text("\n".join(late) + "\n")
    payload = json.loads(_weekly(cli, root, short, "--format", "json").output)
    effect = {d["root_cause"]: d for d in payload["drivers"]}["done-cause"]["effect"]
    assert effect["before"] is None and effect["since"]["weeks"] == ["2026-W45", "2026-W46", "2026-W47"]
    out = _weekly(cli, root, short, "--format", "markdown").output
    assert "done 2026-10-30: escalations + repeats no complete week" not in out
    assert "1 a week in the 3 weeks since" in out
