"""Every rule of a prevention action through `cetool check`: each broken rule is one problem with
its code, at the line of the offending value; overdue is a warning that fails with --strict."""

from __future__ import annotations

import json

import pytest

from prevention_builders import VALID, check_json, line_of, make_root

FILE = "PA-2026-0001.yaml"

CASES = [
    # (code, old text, new text, the text on the offending line)
    ("undefined-team", "team: customer-engineering", "team: custmer-engineering", "team:"),
    ("invalid-value", "kind: runbook-update", "kind: runbook", "kind:"),
    ("done-without-date", "done: 2026-11-27\n", "", "status: done"),
    ("date-without-done", "status: done", "status: in-progress", "done: 2026-11-27"),
    ("due-before-assigned", "due: 2026-11-30", "due: 2026-11-20", "due:"),
    ("done-before-assigned", "done: 2026-11-27", "done: 2026-11-20", "done:"),
    ("unknown-runbook", "PE-4411]", "PE-4411, RB-WEBHOOK]", "links:"),
    ("unknown-known-issue", "KI-0001, PE-4411]", "KI-0999, PE-4411]", "links:"),
    ("placeholder", "action: Add a rotate-and-verify step to RB-WEBHOOK-DELIVERY", "action: <specific action>",
     "action:"),
    ("placeholder", "action: Add a rotate-and-verify step to RB-WEBHOOK-DELIVERY", "action: TBD", "action:"),
    ("owner-is-team", "owner: dana.ortiz", "owner: Customer-Engineering", "owner:"),
    ("missing", "owner: dana.ortiz\n", "", "id:"),
    ("unknown-key", "note: Agreed", "notes: Agreed", "notes:"),
    ("invalid-value", "due: 2026-11-30", "due: 30/11/2026", "due:"),
    ("invalid-value", "status: done", "status: finished", "status:"),
    ("filename-mismatch", "id: PA-2026-0001", "id: PA-2026-0009", "id:"),
]


def test_the_valid_action_passes_strict(cli, tmp_path):
    root = make_root(tmp_path)
    code, problems = check_json(cli, root, "--strict")
    assert (code, problems) == (0, [])


@pytest.mark.parametrize("code, old, new, where", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_each_rule_is_one_problem_at_the_offending_line(cli, tmp_path, code, old, new, where):
    assert old in VALID
    text = VALID.replace(old, new, 1)
    root = make_root(tmp_path, {FILE: text})
    exit_code, problems = check_json(cli, root)
    mine = [p for p in problems if p["file"].endswith(FILE)]
    assert [p["code"] for p in mine] == [code], mine
    assert mine[0]["line"] == line_of(text, where)
    expected_exit = 0 if mine[0]["severity"] == "warning" else 1
    assert exit_code == expected_exit


def test_a_link_names_the_offending_item_by_column(cli, tmp_path):
    text = VALID.replace("KI-0001, PE-4411]", "KI-0999, PE-4411]")
    root = make_root(tmp_path, {FILE: text})
    _, problems = check_json(cli, root)
    assert problems[0]["path"] == "links[1]" and problems[0]["column"] == text.splitlines()[10].index("KI-0999") + 1
    assert "KI-0999" in problems[0]["message"]


def test_free_links_and_links_in_any_case_resolve(cli, tmp_path):
    text = VALID.replace("links: [RB-WEBHOOK-DELIVERY, KI-0001, PE-4411]",
                         "links: [rb-webhook-delivery, ki-0001, PE-4411, https://example.com/x, ZD-48121]")
    root = make_root(tmp_path, {FILE: text})
    assert check_json(cli, root, "--strict") == (0, [])


def test_overdue_is_a_warning_that_fails_with_strict(cli, tmp_path):
    text = VALID.replace("status: done", "status: in-progress").replace("done: 2026-11-27\n", "")
    root = make_root(tmp_path, {FILE: text})
    exit_code, problems = check_json(cli, root, "--today", "2026-12-02")
    assert exit_code == 0
    assert [(p["code"], p["severity"], p["line"]) for p in problems] == [
        ("action-overdue", "warning", line_of(text, "due:"))]
    assert check_json(cli, root, "--today", "2026-12-02", "--strict")[0] == 1
    # due today is not overdue yet; a planned action is judged the same way
    assert check_json(cli, root, "--today", "2026-11-30", "--strict") == (0, [])
    planned = make_root(tmp_path / "p", {FILE: text.replace("in-progress", "planned")})
    assert check_json(cli, planned, "--today", "2026-12-01")[1][0]["code"] == "action-overdue"


def test_dropped_and_done_actions_are_never_overdue(cli, tmp_path):
    dropped = VALID.replace("status: done", "status: dropped").replace("done: 2026-11-27\n", "")
    for name, text in (("dropped", dropped), ("done", VALID)):
        root = make_root(tmp_path / name, {FILE: text})
        problems = check_json(cli, root, "--today", "2027-06-01")[1]
        assert [p for p in problems if "prevention/" in p["file"]] == []


def test_done_known_issue_action_without_the_known_issue_warns(cli, tmp_path):
    text = VALID.replace("kind: runbook-update", "kind: known-issue").replace(
        "root_cause: webhook-secret-rotation", "root_cause: csv-export-timeout")
    root = make_root(tmp_path, {FILE: text})
    exit_code, problems = check_json(cli, root)
    assert exit_code == 0 and [p["code"] for p in problems] == ["done-without-known-issue"]


def test_done_runbook_update_linking_no_runbook_warns(cli, tmp_path):
    text = VALID.replace("links: [RB-WEBHOOK-DELIVERY, KI-0001, PE-4411]", "links: [KI-0001]")
    root = make_root(tmp_path, {FILE: text})
    _, problems = check_json(cli, root)
    assert [(p["code"], p["line"]) for p in problems] == [("done-without-runbook", line_of(text, "links:"))]


def test_a_root_cause_one_typo_from_a_known_issue_warns(cli, tmp_path):
    root = make_root(tmp_path, {FILE: VALID.replace("webhook-secret-rotation", "webhook-secret-rotaton")})
    _, problems = check_json(cli, root)
    assert [p["code"] for p in problems] == ["unknown-root-cause"]
    assert "did you mean 'webhook-secret-rotation'" in problems[0]["message"]


def test_duplicate_ids_ignore_case_and_name_the_first(cli, tmp_path):
    second = VALID.replace("id: PA-2026-0001", "id: pa-2026-0001")
    root = make_root(tmp_path, {FILE: VALID})
    (root / "prevention" / "sub").mkdir()
    (root / "prevention" / "sub" / "pa-2026-0001.yaml").write_text(second)
    _, problems = check_json(cli, root)
    assert [p["code"] for p in problems] == ["duplicate-id"]
    assert "prevention/PA-2026-0001.yaml:1" in problems[0]["message"]


def test_all_problems_of_all_files_in_one_run(cli, tmp_path):
    broken = (VALID.replace("team: customer-engineering", "team: nobody")
              .replace("owner: dana.ortiz", "owner: tam").replace("due: 2026-11-30", "due: 2026-11-01"))
    root = make_root(tmp_path, {FILE: VALID, "PA-2026-0002.yaml": broken.replace("0001", "0002")})
    _, problems = check_json(cli, root)
    assert sorted(p["code"] for p in problems) == ["due-before-assigned", "owner-is-team", "undefined-team"]


def test_github_and_junit_carry_prevention_problems(cli, tmp_path):
    root = make_root(tmp_path, {FILE: VALID.replace("kind: runbook-update", "kind: runbook")})
    github = cli("check", root, "--format", "github", "--today", "2026-11-28")
    assert github.exit_code == 1
    assert "::error file=" in github.output and "PA-2026-0001.yaml,line=3," in github.output
    junit = cli("check", root, "--format", "junit", "--today", "2026-11-28")
    assert junit.exit_code == 1 and "PA-2026-0001.yaml" in junit.output and "invalid-value" in junit.output


def test_hostile_yaml_in_prevention_is_a_problem_not_a_crash(cli, tmp_path):
    root = make_root(tmp_path, {FILE: "a: &a [*a]\n", "PA-2.yaml": "- a list\n", "PA-3.yaml": "id: x\nid: y\n",
                                "PA-4.yaml": "", "PA-5.yaml": "!!python/object:os.system x\n"})
    (root / "prevention" / "PA-6.yaml").write_bytes(b"\xff\xfeid")
    exit_code, problems = check_json(cli, root)
    assert exit_code == 1
    assert {p["file"].rsplit("/", 1)[-1] for p in problems} == {FILE, "PA-2.yaml", "PA-3.yaml", "PA-4.yaml",
                                                                 "PA-5.yaml", "PA-6.yaml"}


def test_without_a_prevention_folder_check_is_unchanged(cli, tmp_path):
    root = make_root(tmp_path, {})
    (root / "prevention").rmdir()
    result = cli("check", root, "--format", "json", "--today", "2026-11-28")
    assert result.exit_code == 0 and json.loads(result.output)["files_checked"] == 15
