"""QA regressions: a known issue's root_cause takes whatever the ticket export's column carries,
and every id cross-reference resolves ignoring case, in all three directions."""

from __future__ import annotations

import json
from datetime import date

import pytest

from kbtools import codes_at, edit, line_of

KI2 = "known_issues/KI-0002.md"
KI6 = "known_issues/KI-0006.md"


@pytest.mark.parametrize("value", ["PRB0001", "sso_loop", "SSO Loop", "'  SSO Loop  '", "'SAML: redirect loop (IdP)'"])
def test_root_cause_accepts_any_single_line_export_value(docs, check, value):
    edit(docs / KI2, "root_cause: saml-redirect-loop", f"root_cause: {value}")
    exit_code, payload = check(docs, "--strict")
    assert (exit_code, payload["problems"]) == (0, [])


def test_root_cause_is_trimmed_in_the_model_the_metrics_link_with(docs):
    from cetool.core.docsroot import DocsRoot
    from cetool.knowledge.load import load_knowledge

    edit(docs / KI2, "root_cause: saml-redirect-loop", "root_cause: '  SSO Loop '")
    knowledge = load_knowledge(DocsRoot(docs), matrix=None, today=date(2026, 11, 23))
    assert knowledge.by_root_cause()["SSO Loop"].id == "KI-0002"


@pytest.mark.parametrize("value, code", [
    ('"first line\\nsecond line"', "invalid-value"),
    ("x" * 201, "invalid-value"),
    ("TBD", "placeholder"),
    ("'<root cause>'", "placeholder"),
    ("'<>'", "placeholder"),
])
def test_root_cause_rejects_multi_line_overlong_and_placeholder_values(docs, check, value, code):
    edit(docs / KI2, "root_cause: saml-redirect-loop", f"root_cause: {value}")
    exit_code, payload = check(docs)
    assert exit_code == 1
    assert (line_of(docs / KI2, "root_cause:"), code, "error") in codes_at(payload, docs / KI2)


def test_root_cause_of_200_characters_is_fine(docs, check):
    edit(docs / KI2, "root_cause: saml-redirect-loop", "root_cause: " + "x" * 200)
    assert check(docs)[0] == 0


def test_duplicate_root_causes_compare_exactly_after_trimming(docs, check):
    edit(docs / KI2, "root_cause: saml-redirect-loop", "root_cause: SSO Loop")
    edit(docs / KI6, "root_cause: latency-cache-eviction", "root_cause: sso loop")
    assert check(docs)[0] == 0  # different values in the export: both link
    edit(docs / KI6, "root_cause: sso loop", "root_cause: ' SSO Loop  '")
    exit_code, payload = check(docs)
    dup = [p for p in payload["problems"] if p["code"] == "duplicate-root-cause"]
    assert exit_code == 1 and len(dup) == 1
    assert dup[0]["file"].endswith("KI-0006.md") and "KI-0002.md" in dup[0]["message"]


def test_packet_known_issue_resolves_ignoring_case_in_check_and_packet_validate(docs, check, cli):
    packet = docs / "packets" / "ESC-2026-0142.yaml"
    edit(packet, "known_issue: KI-0001", "known_issue: ki-0001")
    assert check(docs, "--strict") == (0, check(docs)[1])
    assert check(docs)[1]["problems"] == []
    result = cli("packet", "validate", packet, "--matrix", docs / "ownership.yaml")
    assert result.exit_code == 0, result.output
    edit(packet, "known_issue: ki-0001", "known_issue: ki-0404")  # the failing case
    assert ("unknown-known-issue", "error") in [(c, s) for _, c, s in codes_at(check(docs)[1], packet)]
    result = cli("packet", "validate", packet, "--matrix", docs / "ownership.yaml")
    assert result.exit_code == 1 and "unknown-known-issue" in result.output


def test_runbook_known_issues_resolve_ignoring_case(docs, check):
    runbook = docs / "runbooks" / "RB-LATENCY.md"
    edit(runbook, "known_issues: [KI-0006]", "known_issues: [ki-0006]")
    assert check(docs, "--strict")[0] == 0
    edit(runbook, "known_issues: [ki-0006]", "known_issues: [ki-0060]")
    assert (line_of(runbook, "known_issues:"), "unknown-known-issue", "error") in codes_at(check(docs)[1], runbook)


def test_known_issue_runbook_resolves_ignoring_case(docs, check):
    issue = docs / KI6
    edit(issue, "runbook: RB-LATENCY", "runbook: rb-latency")
    assert check(docs, "--strict")[0] == 0
    edit(issue, "runbook: rb-latency", "runbook: rb-latenc")
    assert (line_of(issue, "runbook:"), "unknown-runbook", "error") in codes_at(check(docs)[1], issue)


def test_runbook_author_naming_a_team_in_another_case_is_flagged(docs, check):
    runbook = docs / "runbooks" / "RB-LATENCY.md"
    edit(runbook, "author: marco.silva", "author: Customer-Engineering")
    assert (line_of(runbook, "author:"), "author-is-team", "error") in codes_at(check(docs)[1], runbook)


def test_one_id_helper_trims_and_folds_case():
    from cetool.core.ids import id_key, id_keys

    assert id_key(" Ki-0001 ") == id_key("KI-0001") == "ki-0001"
    assert id_keys(["KI-1", " ki-1", "", None, "RB-2"]) == {"ki-1", "rb-2"}


def test_a_known_issue_with_a_runbook_id_is_a_duplicate_and_search_shows_the_id_once(docs, check, cli, monkeypatch):
    issue = docs / "known_issues/KI-0002.md"  # the SAML known issue: it matches the same search
    edit(issue, "id: KI-0002", "id: rb-sso-loop")
    exit_code, payload = check(docs)
    assert exit_code == 1
    dup = [p for p in payload["problems"] if p["code"] == "duplicate-id"]
    assert [(p["file"].endswith("KI-0002.md"), p["line"], p["path"]) for p in dup] == [
        (True, line_of(issue, "id: rb-sso-loop"), "id")]
    assert "runbooks/RB-SSO-LOOP.md" in dup[0]["message"]
    monkeypatch.chdir(docs)
    hits = json.loads(cli("kb", "search", "SAML login loop", "--format", "json").stdout)["hits"]
    assert [h["id"].casefold() for h in hits].count("rb-sso-loop") == 1
