"""SARIF 2.1.0 for GitHub code scanning: valid against the OASIS schema shipped in tests/schemas,
rules from the rules table, positions, and fingerprints that survive moved lines."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from cetool.core.findings import RULES, Problem, Report, Severity
from cetool.reporters import PROBLEM_REPORTERS, sarif
from checktools import edit, line_of

SCHEMA = json.loads((Path(__file__).resolve().parents[1] / "schemas" / "sarif-schema-2.1.0.json").read_text())
TODAY = "2026-11-23"


def assert_valid_sarif(text: str) -> dict:
    log = json.loads(text)
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    return log


def _break(docs: Path) -> Path:
    packet = docs / "packets/ESC-2026-0147.yaml"
    edit(packet, "route_to: product-engineering", "route_to: support")
    edit(docs / "runbooks/RB-API-429.md", "## Escalation criteria", "## Escalation")
    edit(docs / "runbooks/RB-LATENCY.md", "engineering_reviewed: 2026-08-19\n", "")
    return packet


def _sarif(cli, *args) -> tuple[int, dict]:
    result = cli(*args, "--format", "sarif")
    return result.exit_code, assert_valid_sarif(result.stdout)


def test_check_output_with_problems_validates_and_places_each_result(cli, docs):
    packet = _break(docs)
    code, log = _sarif(cli, "check", docs, "--today", TODAY)
    assert code == 1
    run = log["runs"][0]
    assert log["version"] == "2.1.0" and run["tool"]["driver"]["name"] == "cetool"
    results = {r["ruleId"]: r for r in run["results"]}
    assert set(results) == {"route-not-owner", "missing-section", "not-engineering-reviewed"}
    route = results["route-not-owner"]
    region = route["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (line_of(packet, "route_to:"), 11)
    assert route["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("packets/ESC-2026-0147.yaml")
    assert route["level"] == "error" and results["not-engineering-reviewed"]["level"] == "warning"
    assert route["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == "route_to"


def test_rules_come_from_the_rules_table_with_help_text(cli, docs):
    _break(docs)
    _, log = _sarif(cli, "check", docs, "--today", TODAY)
    driver = log["runs"][0]["tool"]["driver"]
    rules = {rule["id"]: rule for rule in driver["rules"]}
    assert set(rules) == {str(code) for code in RULES}
    for result in log["runs"][0]["results"]:
        rule = driver["rules"][result["ruleIndex"]]
        assert rule["id"] == result["ruleId"]
        assert rule["help"]["text"].startswith(RULES[result["ruleId"]].summary)
        assert rule["defaultConfiguration"]["level"] in {"error", "warning", "note"}


def _fingerprints(log: dict) -> dict[str, tuple[str, int]]:
    return {r["ruleId"]: (r["partialFingerprints"]["cetool/v1"], r["locations"][0]["physicalLocation"]["region"]["startLine"])
            for r in log["runs"][0]["results"]}


def test_fingerprints_stay_when_a_line_is_inserted_above(cli, docs):
    packet = _break(docs)
    _, before = _sarif(cli, "check", docs, "--today", TODAY)
    edit(packet, "id: ESC-2026-0147", "# escalated again after the weekend\nid: ESC-2026-0147")
    runbook = docs / "runbooks/RB-LATENCY.md"
    edit(runbook, "---\n", "---\n# moved down\n")
    _, after = _sarif(cli, "check", docs, "--today", TODAY)
    old, new = _fingerprints(before), _fingerprints(after)
    assert {code: fp for code, (fp, _) in old.items()} == {code: fp for code, (fp, _) in new.items()}
    assert new["route-not-owner"][1] == old["route-not-owner"][1] + 1  # the line moved, the identity did not


def test_a_different_value_is_a_different_finding(cli, docs):
    packet = _break(docs)
    _, before = _sarif(cli, "check", docs, "--today", TODAY)
    edit(packet, "route_to: support", "route_to: customer-engineering")
    _, after = _sarif(cli, "check", docs, "--today", TODAY)
    assert _fingerprints(before)["route-not-owner"][0] != _fingerprints(after)["route-not-owner"][0]


def test_packet_validate_writes_sarif_too(cli, docs):
    _break(docs)
    code, log = _sarif(cli, "packet", "validate", docs / "packets", "--matrix", docs / "ownership.yaml")
    assert code == 1 and [r["ruleId"] for r in log["runs"][0]["results"]] == ["route-not-owner"]


def test_a_clean_run_is_valid_sarif_with_no_results(cli, docs):
    code, log = _sarif(cli, "check", docs, "--today", TODAY)
    assert code == 0 and log["runs"][0]["results"] == []


def test_strict_reports_warnings_as_errors_and_hostile_text_stays_valid():
    report = Report([Problem("runbooks/a b\x01.md", 2, 1, "", "stale-runbook", "old \x1b[2J", Severity.WARNING),
                     Problem("/abs/path/x.yaml", None, None, "", "unknown-runbook", "no line"),
                     Problem("packets/k.yaml", 3, None, "x", "looks-like-known-issue", "like", Severity.INFO)],
                    files_checked=3)
    log = assert_valid_sarif(sarif.render(report, strict=True))
    levels = {r["ruleId"]: r["level"] for r in log["runs"][0]["results"]}
    assert levels == {"stale-runbook": "error", "unknown-runbook": "error", "looks-like-known-issue": "note"}
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]]
    assert "file:///abs/path/x.yaml" in uris and "runbooks/a%20b%01.md" in uris


def test_the_schema_check_can_fail():
    log = json.loads(sarif.render(Report([Problem("a.yaml", 1, 1, "", "missing", "m")])))
    log["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):  # not a SARIF level
        jsonschema.Draft4Validator(SCHEMA).validate(log)


def test_registered_as_a_problem_format():
    assert PROBLEM_REPORTERS["sarif"] is sarif.render


def test_a_file_name_that_is_not_utf8_keeps_its_bytes_in_the_uri(cli, docs):
    import os

    name = os.fsdecode(b"bad\xff.yaml")
    (docs / "packets" / name).write_text("id: [\n", encoding="utf-8")
    code, log = _sarif(cli, "check", docs, "--today", TODAY)
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]]
    assert code == 1 and any(uri.endswith("packets/bad%FF.yaml") for uri in uris), uris
