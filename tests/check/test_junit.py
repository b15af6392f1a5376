"""The JUnit reporter on hand-built reports: the XML GitLab and Jenkins read."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from cetool.core.findings import Problem, Report, Severity
from cetool.reporters import PROBLEM_REPORTERS, junit

XSD = Path(__file__).resolve().parents[1] / "schemas" / "junit-10.xsd"


def assert_valid_junit(xml: str) -> None:
    """Against Jenkins' junit-10.xsd, the schema Jenkins' xUnit reads JUnit reports with."""
    xmlschema = pytest.importorskip("xmlschema")
    xmlschema.XMLSchema(XSD).validate(xml)


def _report() -> Report:
    return Report([
        Problem("b.md", 3, 1, "", "missing-section", "required section '## Symptoms' is missing"),
        Problem("b.md", 9, 1, "", "empty-section", "section <Detection> & \"more\" is empty"),
        Problem("a.yaml", 2, 5, "id", "stale-runbook", "old", Severity.WARNING),
        Problem("c.md", None, None, "", "looks-like-known-issue", "like KI-0001", Severity.INFO),
    ], files_checked=4)


def test_one_testcase_per_file_failures_for_errors_only():
    xml = junit.render(_report(), files=["a.yaml", "b.md", "c.md", "d.md"])
    root = ET.fromstring(xml.encode("utf-8"))
    cases = {c.get("name"): c for c in root.iter("testcase")}
    assert list(cases) == ["a.yaml", "b.md", "c.md", "d.md"]
    [failure] = cases["b.md"].findall("failure")  # one failure listing them: some consumers show only the first
    assert failure.get("type") == "missing-section, empty-section"
    assert failure.get("message").startswith("2 problem(s): line 3: required section")
    assert failure.text.splitlines() == ["b.md:3:1: error: required section '## Symptoms' is missing [missing-section]",
                                         "b.md:9:1: error: section <Detection> & \"more\" is empty [empty-section]"]
    assert cases["a.yaml"].find("failure") is None and "stale-runbook" in cases["a.yaml"].find("system-out").text
    assert cases["d.md"].find("failure") is None and cases["d.md"].find("system-out") is None
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("4", "1", "0")
    assert 'section <Detection> & "more" is empty' in failure.text


def test_files_with_problems_but_not_listed_still_appear():
    root = ET.fromstring(junit.render(_report()).encode("utf-8"))
    assert sorted(c.get("name") for c in root.iter("testcase")) == ["a.yaml", "b.md", "c.md"]


def test_registered_as_a_problem_format():
    assert PROBLEM_REPORTERS["junit"] is junit.render


def test_strict_makes_warnings_failures_but_never_info():
    root = ET.fromstring(junit.render(_report(), files=["a.yaml", "b.md", "c.md"], strict=True).encode("utf-8"))
    cases = {c.get("name"): c for c in root.iter("testcase")}
    assert [f.get("type") for f in cases["a.yaml"].findall("failure")] == ["stale-runbook"]
    assert cases["c.md"].find("failure") is None and "like KI-0001" in cases["c.md"].find("system-out").text
    assert root.get("failures") == "2"


def test_strict_check_through_the_cli_agrees_with_its_exit_code(cli, docs):
    runbook = docs / "runbooks" / "RB-API-429.md"
    runbook.write_text("".join(line for line in runbook.read_text(encoding="utf-8").splitlines(keepends=True)
                               if not line.startswith("engineering_reviewed:")), encoding="utf-8")
    for strict, exit_code, failures, command in ((False, 0, "0", "::warning "), (True, 1, "1", "::error ")):
        flags = ["--strict"] if strict else []
        junit_run = cli("check", docs, "--format", "junit", "--today", "2026-11-23", *flags)
        assert (junit_run.exit_code, ET.fromstring(junit_run.stdout.encode()).get("failures")) == (exit_code, failures)
        github_run = cli("check", docs, "--format", "github", "--today", "2026-11-23", *flags)
        assert github_run.exit_code == exit_code
        assert [line.split("file=")[0] for line in github_run.stdout.splitlines() if "not-engineering-reviewed" in line] == [command]


def test_valid_against_the_junit_xsd_clean_failing_strict_and_hostile():
    hostile = Problem("packets/ctl\x01<&>.yaml", 1, 1, "", "yaml-syntax", "bad \x02 ]]> value")
    for report, strict in ((_report(), False), (_report(), True), (Report([hostile], files_checked=1), False),
                           (Report([], files_checked=0), False)):
        assert_valid_junit(junit.render(report, files=["a.yaml", "z.md"], strict=strict))


def test_the_xsd_check_can_fail():
    xmlschema = pytest.importorskip("xmlschema")
    bad = junit.render(_report()).replace("<testcase ", '<testcase file="x" ', 1)
    with pytest.raises(xmlschema.XMLSchemaValidationError):
        xmlschema.XMLSchema(XSD).validate(bad)


def test_check_output_with_problems_is_valid_junit(cli, docs):
    (docs / "packets" / "bad.yaml").write_text("id: [\n", encoding="utf-8")
    result = cli("check", docs, "--format", "junit", "--today", "2026-11-23")
    assert result.exit_code == 1
    assert_valid_junit(result.stdout)
