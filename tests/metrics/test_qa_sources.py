"""QA regressions: a missing escalation source is unknown (null), not 0; drivers count only
runbooks that exist; tag fallbacks apply per row; docs/metrics.md's JSON example is real output."""

from __future__ import annotations

import json
import re

import pytest

from metrics_fixtures import csv_text

NO_SOURCE = [["1", "2026-11-17T00:00:00Z", "P3"]]
NO_SOURCE_HEADER = ["ticket_id", "created_at", "priority"]


# -- 2. no escalation source: null, and the reports say why -------------------------------------

def test_no_escalation_column_gives_null_not_zero(cli, write_export):
    export = write_export(NO_SOURCE, NO_SOURCE_HEADER)
    result = cli("metrics", "weekly", export, "--week", "2026-W47", "--weeks", "1", "--format", "json")
    assert result.exit_code == 0, result.output
    w = json.loads(result.output)["weeks"][0]
    assert w["tickets_created"] == 1
    assert w["escalations"] is None and w["escalations_per_100"] is None
    assert w["packet_compliance"] is None and w["packet_compliance_base"] is None


def test_an_escalation_column_with_nothing_escalated_stays_zero(write_export, weekly):
    header = NO_SOURCE_HEADER + ["escalated_at", "packet_id"]
    result = weekly(write_export([NO_SOURCE[0] + ["", ""]], header), week="2026-W47", weeks=1)
    w = result["weeks"][0]
    assert (w["escalations"], w["escalations_per_100"]) == (0, 0.0)


def test_a_mapping_with_only_an_escalation_tag_is_a_source(tmp_path, weekly):
    export = tmp_path / "zendesk.csv"
    export.write_text(csv_text(["ID", "Created at", "Priority", "Tags"],
                               [["1", "2026-11-17 09:00:00", "normal", "billing"]]), encoding="utf-8")
    w = weekly(export, preset="zendesk", week="2026-W47", weeks=1)["weeks"][0]
    assert (w["escalations"], w["escalations_per_100"]) == (0, 0.0)


def test_servicenow_without_u_escalated_at_has_null_escalations(tmp_path, weekly):
    export = tmp_path / "incidents.csv"
    export.write_text(csv_text(["number", "opened_at", "priority", "problem_id"],
                               [["INC1", "17/11/2026 09:00", "3 - Moderate", "PRB0001"],
                                ["INC2", "18/11/2026 09:00", "3 - Moderate", "PRB0001"]]), encoding="utf-8")
    result = weekly(export, preset="servicenow", week="2026-W47", weeks=1)
    assert result["weeks"][0]["escalations"] is None
    driver = result["drivers"][0]
    assert (driver["root_cause"], driver["escalations"], driver["repeats"], driver["score"]) == ("PRB0001", None, 1, 1)


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_reports_say_why_escalations_are_na_and_never_better(cli, write_export, fmt):
    rows = [["1", "2026-11-10T00:00:00Z", "P3"], ["2", "2026-11-17T00:00:00Z", "P3"]]
    result = cli("metrics", "weekly", write_export(rows, NO_SOURCE_HEADER), "--week", "2026-W47", "--weeks", "2",
                 "--format", fmt)
    assert result.exit_code == 0, result.output
    out = " ".join(re.sub(r"<style>.*?</style>", "", result.output, flags=re.S).split())
    assert "the export has no escalation column/tag" in out
    assert "better" not in out.replace("lower is better", "")  # no verdict, no class="better"
    assert re.search(r"Escalations to Product Engineering per 100 tickets\W.*?n/a", out)


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_reports_keep_zero_when_the_source_exists(cli, write_export, fmt):
    header = NO_SOURCE_HEADER + ["escalated_at"]
    result = cli("metrics", "weekly", write_export([NO_SOURCE[0] + [""]], header), "--week", "2026-W47",
                 "--weeks", "1", "--format", fmt)
    assert result.exit_code == 0, result.output
    assert "no escalation column/tag" not in result.output
    assert "0 escalations / 1 ticket created" in result.output


# -- 3. drivers: only runbooks that exist -------------------------------------------------------

def _set_front(path, key: str, value: str) -> None:
    text = path.read_text(encoding="utf-8")
    head, sep, body = text.partition("\n---\n")
    lines = [line for line in head.splitlines() if not line.startswith(f"{key}:")]
    path.write_text("\n".join(lines + [f"{key}: {value}"]) + sep + body, encoding="utf-8")


def _driver(write_export, weekly, docs, cause: str) -> dict:
    rows = [["R1", "2026-11-16T08:00:00Z", "P3", "", "", "", cause],
            ["R2", "2026-11-17T08:00:00Z", "P3", "", "", "", cause]]
    result = weekly(write_export(rows), week="2026-W47", weeks=1, docs_root=docs)
    return next(d for d in result["drivers"] if d["root_cause"] == cause)


def test_unknown_runbook_of_a_known_issue_does_not_count(write_export, weekly, docs):
    _set_front(docs / "known_issues" / "KI-0003.md", "runbook", "RB-NOPE")
    driver = _driver(write_export, weekly, docs, "import-silent-drop")
    assert (driver["known_issue"], driver["runbook"], driver["prevention"]) == ("KI-0003", None, "known issue only")


def test_unknown_runbook_falls_back_to_a_runbook_listing_the_issue(write_export, weekly, docs):
    _set_front(docs / "known_issues" / "KI-0003.md", "runbook", "RB-NOPE")
    _set_front(docs / "runbooks" / "RB-LATENCY.md", "known_issues", "[KI-0006, ki-0003]")
    driver = _driver(write_export, weekly, docs, "import-silent-drop")
    assert (driver["runbook"], driver["prevention"]) == ("RB-LATENCY", "known issue + runbook")


def test_runbook_reference_resolves_ignoring_case(write_export, weekly, docs):
    _set_front(docs / "known_issues" / "KI-0003.md", "runbook", "rb-api-429")
    driver = _driver(write_export, weekly, docs, "import-silent-drop")
    assert (driver["runbook"], driver["prevention"]) == ("RB-API-429", "known issue + runbook")


def test_unknown_runbook_through_the_cli(cli, write_export, docs):
    _set_front(docs / "known_issues" / "KI-0003.md", "runbook", "RB-NOPE")
    rows = [["R1", "2026-11-16T08:00:00Z", "P3", "", "", "", "import-silent-drop"],
            ["R2", "2026-11-17T08:00:00Z", "P3", "", "", "", "import-silent-drop"]]
    result = cli("metrics", "weekly", write_export(rows), "--week", "2026-W47", "--weeks", "1",
                 "--docs-root", docs, "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert "RB-NOPE" not in result.output
    assert "known issue only" in result.output


# -- 8. tag fallbacks per row -------------------------------------------------------------------

ACME = ["ID", "Created at", "Priority", "Tags", "Root cause [list]", "Escalated to engineering [date]"]


def test_example_mapping_counts_a_tagged_ticket_without_the_date(tmp_path, cli, repo_root):
    export = tmp_path / "zendesk.csv"
    export.write_text(csv_text(ACME, [
        ["1", "2026-11-17 10:00:00", "normal", "escalated", "", ""],  # tag only: escalated when created
        ["2", "2026-11-17 11:00:00", "normal", "", "", "2026-11-18 10:00:00"],  # the date field
        ["3", "2026-11-17 12:00:00", "normal", "escalated", "", "2026-11-24 10:00:00"],  # the date wins (W48)
        ["4", "2026-11-17 13:00:00", "normal", "billing", "", ""],  # neither
    ]), encoding="utf-8")
    result = cli("metrics", "weekly", export, "--mapping", repo_root / "examples/mappings/zendesk.yaml",
                 "--week", "2026-W48", "--weeks", "2", "--format", "json")
    assert result.exit_code == 0, result.output
    w47, w48 = json.loads(result.output)["weeks"]
    assert (w47["escalations"], w48["escalations"]) == (2, 1)


def test_zendesk_preset_root_cause_falls_back_to_tags_per_row(tmp_path, weekly):
    export = tmp_path / "zendesk.csv"
    export.write_text(csv_text(["ID", "Created at", "Priority", "Tags", "Root cause [list]", "Escalated at [date]"], [
        ["1", "2026-11-17 10:00:00", "normal", "rc:foo escalated", " ", ""],  # empty field: the tag
        ["2", "2026-11-17 11:00:00", "normal", "rc:foo", "bar", "2026-11-18 10:00:00"],  # the field wins
        ["3", "2026-11-17 12:00:00", "normal", "escalated", "", ""],  # tag, empty date: escalated
    ]), encoding="utf-8")
    result = weekly(export, preset="zendesk", week="2026-W47", weeks=1)
    assert result["weeks"][0]["escalations"] == 3
    by_cause = {d["root_cause"]: d["escalations"] for d in result["drivers"]}
    assert by_cause == {"foo": 1, "bar": 1}


# -- docs/metrics.md's JSON example is the real output, abbreviated -----------------------------

def _contained(shown, real) -> bool:
    """`shown` is `real` with lists cut short and keys left out (nothing changed or added)."""
    if isinstance(shown, dict):
        return isinstance(real, dict) and all(k in real and _contained(v, real[k]) for k, v in shown.items())
    if isinstance(shown, list):
        return isinstance(real, list) and len(shown) <= len(real) and all(map(_contained, shown, real))
    return shown == real


def test_docs_json_example_matches_the_sample_export(cli, repo_root, monkeypatch):
    text = (repo_root / "docs" / "metrics.md").read_text(encoding="utf-8")
    section = text.split("## JSON", 1)[1]
    example = json.loads(section.split("```json\n", 1)[1].split("```", 1)[0])
    monkeypatch.chdir(repo_root)
    result = cli("metrics", "weekly", "examples/tickets.csv", "--week", "2026-W47", "--format", "json")
    assert result.exit_code == 0
    real = json.loads(result.output)
    assert example["run"]["bad_rows_by_reason"] == real["run"]["bad_rows_by_reason"]
    assert _contained(example, real)
