"""`cetool check`: one run, every problem in every file, in every output format, with the
spec's exit codes."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from cetool.docscheck.run import run_check
from checktools import edit, line_of

TODAY = "2026-11-23"

# GitHub workflow commands (spec section 6): ::error file=F,line=L,col=C,title=CODE::MESSAGE
_PROP = r"[^,:\r\n]*"
GITHUB_LINE = re.compile(
    rf"^::(error|warning|notice) file={_PROP}(,line=\d+)?(,col=\d+)?,title=[a-z0-9-]+::[^\r\n]*$")


def _break_everything(docs: Path) -> dict[str, tuple[Path, int, str]]:
    """One problem in each kind of file; name -> (file, line, code)."""
    packet = docs / "packets/ESC-2026-0147.yaml"
    edit(packet, "route_to: product-engineering", "route_to: support")
    runbook = docs / "runbooks/RB-API-429.md"
    edit(runbook, "## Escalation criteria", "## Escalation")
    issue = docs / "known_issues/KI-0002.md"
    edit(issue, "runbook: RB-SSO-LOOP", "runbook: RB-SSO")
    matrix = docs / "ownership.yaml"
    edit(matrix, "review_by: 2027-01-01", "review_by: 2026-09-01")  # before effective: an error
    return {
        "packet": (packet, line_of(packet, "route_to:"), "route-not-owner"),
        "runbook": (runbook, 1, "missing-section"),
        "issue": (issue, line_of(issue, "runbook:"), "unknown-runbook"),
        "matrix": (matrix, line_of(matrix, "review_by:"), "review-before-effective"),
    }


def test_this_repo_passes(cli, repo_root, monkeypatch):
    monkeypatch.chdir(repo_root)
    # The Monday the sample's last week (2026-W47) was recorded: reports/ and prevention/ judge
    # their dates by --today (docs/prevention.md), so the repo passes --strict on that day.
    result = cli("check", "--strict", "--today", "2026-11-23")
    assert result.exit_code == 0, result.output
    assert "no problems" in result.stdout


def test_clean_copy_json_shape(cli, docs):
    result = cli("check", docs, "--format", "json", "--today", TODAY)
    payload = json.loads(result.stdout)
    assert result.exit_code == 0
    assert payload == {"problems": [], "files_checked": 15, "errors": 0, "warnings": 0}


def test_every_problem_of_every_file_in_one_run(cli, docs):
    # The matrix error makes the run exit 2 (the matrix cannot be built), yet every other file's
    # own problems are still reported.
    broken = _break_everything(docs)
    result = cli("check", docs, "--format", "json", "--today", TODAY)
    payload = json.loads(result.stdout)
    assert result.exit_code == 2
    assert "error" in payload
    found = {(Path(p["file"]).resolve(), p["line"], p["code"]) for p in payload["problems"]}
    for name in ("runbook", "issue", "matrix"):
        path, line, code = broken[name]
        assert (path.resolve(), line, code) in found, name
    # Without the matrix error, routing is checked too and the run exits 1.
    edit(docs / "ownership.yaml", "review_by: 2026-09-01", "review_by: 2027-01-01")
    result = cli("check", docs, "--format", "json", "--today", TODAY)
    payload = json.loads(result.stdout)
    assert result.exit_code == 1
    found = {(Path(p["file"]).resolve(), p["line"], p["code"]) for p in payload["problems"]}
    for name in ("packet", "runbook", "issue"):
        path, line, code = broken[name]
        assert (path.resolve(), line, code) in found, name
    assert payload["problems"] == sorted(payload["problems"], key=lambda p: (p["file"], p["line"] or 0,
                                                                             p["column"] or 0, p["code"]))


def test_text_output_names_file_and_line(cli, docs, monkeypatch):
    _break_everything(docs)
    edit(docs / "ownership.yaml", "review_by: 2026-09-01", "review_by: 2027-01-01")
    monkeypatch.chdir(docs)
    result = cli("check", "--today", TODAY)
    assert result.exit_code == 1
    assert "runbooks/RB-API-429.md" in result.stdout
    assert "required section '## Escalation criteria' is missing" in result.stdout
    assert "[unknown-runbook]" in result.stdout
    assert "3 errors" in result.stdout


def test_github_format_lines_are_workflow_commands(cli, docs):
    _break_everything(docs)
    edit(docs / "ownership.yaml", "review_by: 2026-09-01", "review_by: 2027-01-01")
    edit(docs / "runbooks/RB-LATENCY.md", "engineering_reviewed: 2026-08-19\n", "")  # a warning
    result = cli("check", docs, "--format", "github", "--today", TODAY)
    lines = result.stdout.splitlines()
    commands, summary = lines[:-1], lines[-1]
    assert commands and all(GITHUB_LINE.match(line) for line in commands), commands
    assert any(line.startswith("::warning ") for line in commands)
    assert sum(line.startswith("::error ") for line in commands) == 3
    assert summary.startswith("cetool: 3 error(s), 1 warning(s)")


def test_junit_format_parses_one_testcase_per_file(cli, docs):
    _break_everything(docs)
    edit(docs / "ownership.yaml", "review_by: 2026-09-01", "review_by: 2027-01-01")
    edit(docs / "runbooks/RB-LATENCY.md", "engineering_reviewed: 2026-08-19\n", "")
    result = cli("check", docs, "--format", "junit", "--today", TODAY)
    assert result.exit_code == 1
    root = ET.fromstring(result.stdout.encode("utf-8"))
    assert root.tag == "testsuites"
    cases = root.findall("./testsuite/testcase")
    assert len(cases) == 15 == int(root.get("tests"))
    assert all(len(c.findall("failure")) <= 1 for c in cases)
    failed = {Path(c.get("name")).name for c in cases if c.find("failure") is not None}
    assert failed == {"ESC-2026-0147.yaml", "RB-API-429.md", "KI-0002.md"} and root.get("failures") == "3"
    latency = next(c for c in cases if c.get("name").endswith("RB-LATENCY.md"))
    assert latency.find("failure") is None and "not-engineering-reviewed" in latency.find("system-out").text


def test_strict_fails_on_warnings(cli, docs):
    edit(docs / "runbooks/RB-LATENCY.md", "engineering_reviewed: 2026-08-19\n", "")
    assert cli("check", docs, "--today", TODAY).exit_code == 0
    assert cli("check", docs, "--today", TODAY, "--strict").exit_code == 1


def test_today_moves_staleness(cli, docs):
    assert cli("check", docs, "--today", TODAY, "--strict").exit_code == 0
    late = cli("check", docs, "--today", "2027-09-01", "--format", "json")
    codes = {p["code"] for p in json.loads(late.stdout)["problems"]}
    assert {"stale-runbook", "review-overdue"} <= codes and late.exit_code == 0


@pytest.mark.parametrize("args, message", [
    (["does-not-exist"], "no such folder"),
    (["--today", "tomorrow"], "YYYY-MM-DD"),
])
def test_cannot_run_exits_2_with_json_error(cli, docs, args, message):
    target = [str(docs / args[0])] if args[0] == "does-not-exist" else [str(docs), *args]
    result = cli("check", *target, "--format", "json")
    assert result.exit_code == 2
    assert message in json.loads(result.stdout)["error"]


def test_a_folder_without_ownership_yaml_exits_2(cli, tmp_path):
    result = cli("check", tmp_path)
    assert result.exit_code == 2 and "ownership.yaml" in result.output


def test_naming_the_matrix_file_instead_of_the_folder_exits_2(cli, docs):
    result = cli("check", docs / "ownership.yaml")
    assert result.exit_code == 2 and "is a file" in result.output


def test_core_returns_the_report_and_files(docs):
    from datetime import date

    result = run_check(docs, today=date(2026, 11, 23))
    assert not result.could_not_run and result.report.problems == []
    assert len(result.files) == result.report.files_checked == 15
    assert result.files[0].endswith("ownership.yaml")
