"""`cetool prevention new`, `list`, `check` and `schema` through the CLI."""

from __future__ import annotations

import json

import jsonschema
import yaml

from prevention_builders import REPO, VALID, make_root

TODAY = "2026-12-03"  # a Thursday: assigned is Monday 2026-11-30


def _new(cli, root, *args):
    return cli("prevention", "new", "--matrix", root / "ownership.yaml", "--today", TODAY, *args)


def test_new_writes_the_prefilled_template_with_the_next_id(cli, tmp_path):
    root = make_root(tmp_path)
    result = _new(cli, root, "--root-cause", "webhook-secret-rotation", "--kind", "runbook-update",
                  "--owner", "lee.chen", "--due", "2026-12-07")
    assert result.exit_code == 0, result.output
    target = root / "prevention" / "PA-2026-0002.yaml"
    assert "wrote schemas/prevention.schema.json" not in result.output or (root / "schemas").is_dir()
    data = yaml.safe_load(target.read_text())
    assert data["id"] == "PA-2026-0002" and data["assigned"].isoformat() == "2026-11-30"
    assert data["team"] == "customer-engineering"  # the owner of repeat-prevention in the matrix
    assert data["links"] == ["KI-0001", "RB-WEBHOOK-DELIVERY"]  # the driver's known issue and runbook
    assert (data["kind"], data["owner"], data["due"].isoformat(), data["status"]) == (
        "runbook-update", "lee.chen", "2026-12-07", "planned")
    assert target.read_text().splitlines()[0] == "# yaml-language-server: $schema=../schemas/prevention.schema.json"
    # the one thing left to write is the action itself: check names exactly that
    check = json.loads(cli("check", root, "--format", "json", "--today", TODAY).output)
    assert [(p["code"], p["path"]) for p in check["problems"]] == [("placeholder", "action")]
    assert (root / "schemas" / "prevention.schema.json").read_text() == cli("prevention", "schema").output


def test_new_with_every_option_passes_check_and_the_schema(cli, tmp_path):
    root = make_root(tmp_path)
    result = _new(cli, root, "--root-cause", "role-sync-drift", "--kind", "product-feedback", "--owner", "lee.chen",
                  "--due", "2026-12-11", "--action", "Send the role-sync drift pattern with 4 accounts to PM")
    assert result.exit_code == 0
    assert cli("check", root, "--today", TODAY, "--strict").exit_code == 0
    schema = json.loads((REPO / "schemas" / "prevention.schema.json").read_text())
    for path in (root / "prevention").glob("*.yaml"):
        jsonschema.validate(json.loads(json.dumps(yaml.safe_load(path.read_text()), default=str)), schema)


def test_new_without_options_leaves_placeholders_and_never_overwrites(cli, tmp_path):
    root = make_root(tmp_path, {"PA-2026-0007.yml": VALID.replace("0001", "0007")})
    before = (root / "prevention" / "PA-2026-0007.yml").read_bytes()
    first, second = _new(cli, root), _new(cli, root)
    assert first.exit_code == second.exit_code == 0
    assert sorted(p.name for p in (root / "prevention").iterdir()) == [
        "PA-2026-0007.yml", "PA-2026-0008.yaml", "PA-2026-0009.yaml"]
    assert (root / "prevention" / "PA-2026-0007.yml").read_bytes() == before
    codes = [p["code"] for p in json.loads(cli("check", root, "--format", "json", "--today", TODAY).output)["problems"]]
    assert codes.count("placeholder") == 2 * 5  # root_cause, kind, action, owner, due in each


def test_new_never_overwrites_a_file_that_holds_the_name(cli, tmp_path):
    root = make_root(tmp_path, {})
    (root / "prevention" / "PA-2026-0001.yaml").symlink_to(tmp_path / "nowhere")  # dangling: no id read
    result = _new(cli, root)
    assert result.exit_code == 0 and (root / "prevention" / "PA-2026-0002.yaml").is_file()
    assert not (tmp_path / "nowhere").exists()


def test_new_makes_the_prevention_folder(cli, tmp_path):
    root = make_root(tmp_path, {})
    (root / "prevention").rmdir()
    assert _new(cli, root, "--kind", "enablement").exit_code == 0
    assert (root / "prevention" / "PA-2026-0001.yaml").is_file()


def test_new_refuses_what_check_would_reject(cli, tmp_path):
    root = make_root(tmp_path, {})
    cases = [(("--owner", "Customer-Engineering"), "not a team"), (("--team", "custmer-engineering"), "did you mean"),
             (("--due", "2026-11-27"), "before assigned 2026-11-30"), (("--due", "next friday"), "YYYY-MM-DD"),
             (("--root-cause", "TBD"), "placeholder"), (("--kind", "training"), "training")]
    for args, says in cases:
        result = _new(cli, root, *args)
        assert result.exit_code == 2, args
        assert says in result.output, (args, result.output)
    assert list((root / "prevention").iterdir()) == []


def _actions(tmp_path):
    in_progress = (VALID.replace("0001", "0002").replace("status: done", "status: in-progress")
                   .replace("done: 2026-11-27\n", "").replace("due: 2026-11-30", "due: 2026-12-11")
                   .replace("webhook-secret-rotation", "role-sync-drift"))
    overdue = (in_progress.replace("0002", "0003").replace("due: 2026-12-11", "due: 2026-12-01")
               .replace("role-sync-drift", "csv-export-timeout").replace("kind: runbook-update", "kind: known-issue"))
    dropped = in_progress.replace("0002", "0004").replace("status: in-progress", "status: dropped")
    return make_root(tmp_path, {"PA-2026-0001.yaml": VALID, "PA-2026-0002.yaml": in_progress,
                                "PA-2026-0003.yaml": overdue, "PA-2026-0004.yaml": dropped})


def _list(cli, root, *args):
    return cli("prevention", "list", "--matrix", root / "ownership.yaml", "--today", TODAY, *args)


def test_list_shows_every_status_most_urgent_first(cli, tmp_path):
    root = _actions(tmp_path)
    result = _list(cli, root, "--format", "json")
    assert result.exit_code == 0
    listed = json.loads(result.output)["actions"]
    assert [(a["id"], a["status"]) for a in listed] == [
        ("PA-2026-0003", "overdue"), ("PA-2026-0002", "in progress"), ("PA-2026-0001", "done"),
        ("PA-2026-0004", "dropped")]
    text = _list(cli, root).output
    assert text.index("PA-2026-0003") < text.index("PA-2026-0002") and "2 d overdue" in text
    assert "4 action(s): 1 overdue, 1 in progress, 1 done, 1 dropped" in text


def test_list_overdue_and_root_cause_filters(cli, tmp_path):
    root = _actions(tmp_path)
    overdue = _list(cli, root, "--overdue", "--format", "json")
    assert overdue.exit_code == 1
    assert [a["id"] for a in json.loads(overdue.output)["actions"]] == ["PA-2026-0003"]
    assert _list(cli, root, "--overdue", "--today", "2026-11-30").exit_code == 0  # nothing overdue yet
    by_cause = json.loads(_list(cli, root, "--root-cause", "role-sync-drift", "-f", "json").output)["actions"]
    assert sorted(a["id"] for a in by_cause) == ["PA-2026-0002", "PA-2026-0004"]


def test_list_markdown_is_a_table_with_escaped_text(cli, tmp_path):
    root = make_root(tmp_path, {"PA-2026-0001.yaml": VALID.replace(
        "action: Add a rotate-and-verify step to RB-WEBHOOK-DELIVERY", 'action: "Fix | the *runbook* <b>"')})
    out = _list(cli, root, "--format", "markdown").output
    assert "| Id | Status | Root cause | Kind | Action | Owner | When |" in out
    assert r"Fix \| the \*runbook\* \<b\>" in out


def test_list_and_check_without_a_prevention_folder_exit_2(cli, tmp_path):
    root = make_root(tmp_path, {})
    (root / "prevention").rmdir()
    for command in ("list", "check"):
        result = cli("prevention", command, "--matrix", root / "ownership.yaml")
        assert result.exit_code == 2 and "no prevention folder" in result.output
    result = cli("prevention", "list", "--matrix", root / "ownership.yaml", "--format", "json")
    assert result.exit_code == 2 and "error" in json.loads(result.output)


def test_list_shows_actions_of_files_with_errors(cli, tmp_path):
    root = make_root(tmp_path, {"PA-2026-0001.yaml": VALID.replace("team: customer-engineering", "team: x")})
    result = _list(cli, root, "-f", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["actions"][0]["errors"] == 1


def test_prevention_check_is_checks_view_of_the_folder(cli, tmp_path):
    root = make_root(tmp_path, {"PA-2026-0001.yaml": VALID.replace("kind: runbook-update", "kind: nope")})
    result = cli("prevention", "check", "--matrix", root / "ownership.yaml", "--format", "json", "--today", TODAY)
    assert result.exit_code == 1
    assert [p["code"] for p in json.loads(result.output)["problems"]] == ["invalid-value"]


def test_the_shipped_schema_is_the_models(cli, repo_root):
    shipped = (repo_root / "schemas" / "prevention.schema.json").read_text()
    assert shipped == cli("prevention", "schema").output, "run: cetool prevention schema -o schemas/prevention.schema.json --force"


def test_schema_output_never_overwrites_without_force(cli, tmp_path):
    target = tmp_path / "s.json"
    target.write_text("mine")
    assert cli("prevention", "schema", "-o", target).exit_code == 2 and target.read_text() == "mine"
    assert cli("prevention", "schema", "-o", target, "--force").exit_code == 0 and target.read_text() != "mine"


def test_hostile_text_in_an_action_never_reaches_the_terminal_raw(cli, tmp_path):
    root = make_root(tmp_path, {"PA-2026-0001.yaml": VALID.replace(
        "action: Add a rotate-and-verify step to RB-WEBHOOK-DELIVERY",
        'action: "Fix \\e]0;PWNED\\a it \\u202e now"').replace("owner: dana.ortiz", 'owner: "dana\\e[31m"')})
    for fmt in ("text", "markdown"):
        out = cli("prevention", "list", "--matrix", root / "ownership.yaml", "--today", TODAY, "-f", fmt).output
        assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out, fmt
    assert json.loads(cli("prevention", "list", "--matrix", root / "ownership.yaml", "-f", "json").output)[
        "actions"][0]["action"] == "Fix \x1b]0;PWNED\x07 it \u202e now"  # JSON keeps the value whole
