"""Adopting cetool on a repo with legacy problems: a baseline, and inline suppression."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checktools import edit, line_of

TODAY = "2026-11-23"


def _five_problems(docs: Path) -> None:
    edit(docs / "packets/ESC-2026-0147.yaml", "route_to: product-engineering", "route_to: support")
    edit(docs / "packets/ESC-2026-0142.yaml", "owner: dana.ortiz", "owner: product-engineering")
    edit(docs / "runbooks/RB-API-429.md", "## Escalation criteria", "## Escalation")
    edit(docs / "known_issues/KI-0002.md", "runbook: RB-SSO-LOOP", "runbook: RB-SSO")
    edit(docs / "runbooks/RB-LATENCY.md", "engineering_reviewed: 2026-08-19\n", "")  # a warning


def _json(cli, *args):
    result = cli("check", *args, "--today", TODAY, "--format", "json")
    return result, json.loads(result.stdout)


@pytest.fixture
def legacy(cli, docs, tmp_path):
    _five_problems(docs)
    _, payload = _json(cli, docs)
    assert len(payload["problems"]) == 5, payload
    baseline = tmp_path / "baseline.json"
    result = cli("check", docs, "--today", TODAY, "--write-baseline", baseline)
    assert result.exit_code == 0, result.output
    return docs, baseline


def test_write_then_check_against_the_baseline_passes(cli, legacy):
    docs, baseline = legacy
    recorded = json.loads(baseline.read_text(encoding="utf-8"))
    assert len(recorded["problems"]) == 5
    assert all("line" not in entry for entry in recorded["problems"])  # never the line number
    assert {entry["file"] for entry in recorded["problems"]} >= {"packets/ESC-2026-0147.yaml", "runbooks/RB-API-429.md"}
    result, payload = _json(cli, docs, "--baseline", baseline)
    assert result.exit_code == 0, result.output
    assert payload["problems"] == [] and payload["baseline"]["known"] == 5 and payload["baseline"]["fixed"] == []
    text = cli("check", docs, "--today", TODAY, "--baseline", baseline, "--strict")
    assert text.exit_code == 0 and "5 known problem(s) remain" in text.stderr


def test_a_new_problem_fails_and_is_the_only_one_reported(cli, legacy):
    docs, baseline = legacy
    edit(docs / "packets/ESC-2026-0151.yaml", "route_to: product-engineering", "route_to: support")
    result, payload = _json(cli, docs, "--baseline", baseline)
    assert result.exit_code == 1
    assert [(Path(p["file"]).name, p["code"]) for p in payload["problems"]] == [("ESC-2026-0151.yaml", "route-not-owner")]
    assert payload["baseline"]["known"] == 5


def test_the_same_problem_in_another_file_is_new(cli, legacy):
    """A copy of a legacy packet's mistake elsewhere is not covered by the first one's entry."""
    docs, baseline = legacy
    edit(docs / "runbooks/RB-SSO-LOOP.md", "## Escalation criteria", "## Escalation")
    result, payload = _json(cli, docs, "--baseline", baseline)
    assert result.exit_code == 1 and [Path(p["file"]).name for p in payload["problems"]] == ["RB-SSO-LOOP.md"]


def test_fixing_one_reports_its_entry_as_fixed(cli, legacy):
    docs, baseline = legacy
    edit(docs / "packets/ESC-2026-0147.yaml", "route_to: support", "route_to: product-engineering")
    result, payload = _json(cli, docs, "--baseline", baseline)
    assert result.exit_code == 0
    assert payload["baseline"]["known"] == 4
    [fixed] = payload["baseline"]["fixed"]
    assert (fixed["file"], fixed["code"], fixed["path"]) == ("packets/ESC-2026-0147.yaml", "route-not-owner", "route_to")
    text = cli("check", docs, "--today", TODAY, "--baseline", baseline)
    assert "1 baseline entry is fixed" in text.stderr and "fixed: packets/ESC-2026-0147.yaml: route-not-owner" in text.stderr


def test_moving_lines_changes_nothing(cli, legacy):
    docs, baseline = legacy
    packet = docs / "packets/ESC-2026-0147.yaml"
    before = line_of(packet, "route_to:")
    edit(packet, "id: ESC-2026-0147", "# a comment\n\n# and another\nid: ESC-2026-0147")  # lines move down
    lines = packet.read_text(encoding="utf-8").splitlines(keepends=True)
    route = next(i for i, line in enumerate(lines) if line.startswith("route_to:"))
    lines.insert(route + 3, lines.pop(route))  # and the key moves among its siblings
    packet.write_text("".join(lines), encoding="utf-8")
    assert line_of(packet, "route_to:") != before
    runbook = docs / "runbooks/RB-API-429.md"
    edit(runbook, "## Escalation\n", "\n\n## Escalation\n")
    result, payload = _json(cli, docs, "--baseline", baseline)
    assert result.exit_code == 0, payload
    assert payload["problems"] == [] and payload["baseline"]["known"] == 5 and payload["baseline"]["fixed"] == []


def test_two_problems_at_one_line_are_two_entries(cli, legacy, tmp_path):
    """Every missing section is at line 1: fixing one and breaking another is not 'no change'."""
    docs, _ = legacy
    runbook = docs / "runbooks/RB-SSO-LOOP.md"
    edit(runbook, "## Escalation criteria", "## Escalation")
    edit(runbook, "## Detection", "## Spotting it")
    baseline = tmp_path / "two.json"
    assert cli("check", docs, "--today", TODAY, "--write-baseline", baseline).exit_code == 0
    edit(runbook, "## Escalation\n", "## Escalation criteria\n")  # one fixed ...
    edit(runbook, "## Resolution", "## Fix")  # ... another broken
    result, payload = _json(cli, docs, "--baseline", baseline)
    assert result.exit_code == 1
    assert [p["message"] for p in payload["problems"]] == ["required section '## Resolution' is missing"]
    assert [e["message"] for e in payload["baseline"]["fixed"]] == ["required section '## Escalation criteria' is missing"]


def test_write_baseline_never_overwrites_without_force(cli, legacy):
    docs, baseline = legacy
    baseline.write_text("mine\n", encoding="utf-8")
    result = cli("check", docs, "--today", TODAY, "--write-baseline", baseline)
    assert result.exit_code == 2 and baseline.read_text(encoding="utf-8") == "mine\n"
    assert cli("check", docs, "--today", TODAY, "--write-baseline", baseline, "--force").exit_code == 0
    assert json.loads(baseline.read_text(encoding="utf-8"))["format"] == "cetool-baseline/1"


def test_a_file_name_that_is_not_utf8_round_trips(cli, docs, tmp_path):
    import os

    (docs / "packets" / os.fsdecode(b"bad\xff.yaml")).write_text("id: [\n", encoding="utf-8")
    baseline = tmp_path / "b.json"
    assert cli("check", docs, "--today", TODAY, "--write-baseline", baseline).exit_code == 0
    result, payload = _json(cli, docs, "--baseline", baseline)
    assert result.exit_code == 0 and payload["baseline"]["known"] == 1


def test_check_from_another_folder_matches_the_same_baseline(cli, legacy, monkeypatch, tmp_path):
    docs, baseline = legacy
    monkeypatch.chdir(docs)
    result, payload = _json(cli, ".", "--baseline", baseline)
    assert result.exit_code == 0 and payload["baseline"]["known"] == 5


@pytest.mark.parametrize("content, message", [
    (None, "no such file"),
    ("{not json", "not JSON"),
    ('{"problems": []}', "not a cetool baseline"),
    ('{"format": "cetool-baseline/1", "problems": [{"code": "x"}]}', "has no fingerprint"),
])
def test_a_bad_baseline_is_a_usage_error(cli, docs, tmp_path, content, message):
    baseline = tmp_path / "b.json"
    if content is not None:
        baseline.write_text(content, encoding="utf-8")
    result = cli("check", docs, "--today", TODAY, "--baseline", baseline)
    assert result.exit_code == 2 and message in result.output


def test_baseline_and_write_baseline_together_is_a_usage_error(cli, docs, tmp_path):
    result = cli("check", docs, "--baseline", tmp_path / "a.json", "--write-baseline", tmp_path / "b.json")
    assert result.exit_code == 2 and not (tmp_path / "b.json").exists()


# inline suppression

def _route_to_support(docs: Path, comment: str, *, above: bool = False) -> Path:
    packet = docs / "packets/ESC-2026-0147.yaml"
    if above:
        edit(packet, "route_to: product-engineering", f"{comment}\nroute_to: support")
    else:
        edit(packet, "route_to: product-engineering", f"route_to: support  {comment}")
    return packet


@pytest.mark.parametrize("above", [False, True])
def test_a_suppression_with_a_reason_hides_that_problem(cli, docs, above):
    _route_to_support(docs, "# cetool: ignore[route-not-owner] billing routes here until the Q3 re-org", above=above)
    result, payload = _json(cli, docs)
    assert result.exit_code == 0 and payload["problems"] == []
    validate = cli("packet", "validate", docs / "packets", "--matrix", docs / "ownership.yaml", "--format", "json")
    assert validate.exit_code == 0 and json.loads(validate.stdout)["problems"] == []


def test_a_suppression_without_a_reason_still_hides_it_but_warns(cli, docs):
    packet = _route_to_support(docs, "# cetool: ignore[route-not-owner]")
    result, payload = _json(cli, docs)
    assert result.exit_code == 0
    [warning] = payload["problems"]
    assert (warning["code"], warning["severity"], warning["line"]) == ("suppression-without-reason", "warning",
                                                                      line_of(packet, "route_to:"))


def test_an_unused_suppression_is_reported(cli, docs):
    packet = docs / "packets/ESC-2026-0147.yaml"
    edit(packet, "route_to: product-engineering", "route_to: product-engineering  # cetool: ignore[route-not-owner] old")
    result, payload = _json(cli, docs)
    [warning] = payload["problems"]
    assert (warning["code"], warning["line"]) == ("unused-suppression", line_of(packet, "route_to:"))
    assert "route-not-owner" in warning["message"]


def test_a_suppression_for_another_code_or_two_lines_up_hides_nothing(cli, docs):
    _route_to_support(docs, "# cetool: ignore[no-evidence] wrong code")
    _, payload = _json(cli, docs)
    assert sorted(p["code"] for p in payload["problems"]) == ["route-not-owner", "unused-suppression"]


def test_the_words_outside_a_comment_are_not_a_suppression(cli, docs):
    packet = docs / "packets/ESC-2026-0147.yaml"
    edit(packet, "route_to: product-engineering", "x-note: 'cetool: ignore[route-not-owner] in a string'\nroute_to: support")
    _, payload = _json(cli, docs)
    assert [p["code"] for p in payload["problems"]] == ["route-not-owner"]


def test_markdown_suppression_in_an_html_comment_above_the_heading(cli, docs):
    runbook = docs / "runbooks/RB-API-429.md"
    text = runbook.read_text(encoding="utf-8")
    body = text.split("## Escalation criteria\n", 1)[1]
    runbook.write_text(text.replace(body, "TODO\n"), encoding="utf-8")
    _, payload = _json(cli, docs)
    assert [p["code"] for p in payload["problems"]] == ["empty-section"]
    edit(runbook, "## Escalation criteria", "<!-- cetool: ignore[empty-section] escalation goes by phone, see RB-PHONE -->\n"
                                            "## Escalation criteria")
    result, payload = _json(cli, docs)
    assert result.exit_code == 0 and payload["problems"] == [], payload
