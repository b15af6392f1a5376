"""The pure rule functions of `cetool.knowledge.rules`, on parsed text (no files)."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cetool.knowledge import rules
from cetool.knowledge.read import Parsed
from cetool.yamldoc.frontmatter import parse_markdown

TODAY = date(2026, 11, 23)
FRONT = """---
id: {id}
title: A runbook
category: integration-issue
owner: customer-engineering
author: dana.ortiz
last_reviewed: {reviewed}
engineering_reviewed: 2026-01-01
known_issues: [{refs}]
---
"""
BODY = """## Symptoms
It breaks.

## Detection
{detection}

## Resolution
{resolution}

## Escalation criteria
When it stays broken for more than 1 hour.
"""


def runbook(id="RB-1", reviewed="2026-11-01", refs="KI-1", detection="`SELECT 1`", resolution="1. Fix it."):
    text = FRONT.format(id=id, reviewed=reviewed, refs=refs) + BODY.format(detection=detection, resolution=resolution)
    file = f"{id}.md"
    return Parsed(file, parse_markdown(text, file)[0])


def issue(id="KI-1", root_cause="cause-a", runbook_id="RB-1", omit=None):
    front = {"id": id, "title": "An issue", "status": "open", "root_cause": root_cause,
             "first_seen": "2026-01-01", "last_confirmed": "2026-11-01", "runbook": runbook_id}
    text = ("---\n" + "".join(f"{k}: {v}\n" for k, v in front.items() if k != omit) + "---\n"
            + "".join(f"## {s}\ntext\n\n" for s in ("Symptoms", "Root cause", "Detection", "Workaround",
                                                    "Escalation criteria")))
    return Parsed(f"{id}.md", parse_markdown(text, f"{id}.md")[0])


def codes(problems) -> list[str]:
    return sorted(str(p.code) for p in problems)


def test_valid_runbook_and_issue_have_no_problems():
    runbooks, issues = [runbook()], [issue()]
    assert rules.check_runbooks(runbooks, today=TODAY) == []
    assert rules.check_known_issues(issues) == []
    assert rules.cross_references(runbooks, issues, None) == []
    assert runbooks[0].model.sections["symptoms"].strip() == "It breaks."


@pytest.mark.parametrize("detection, warned", [
    ("Look at the dashboard.", True),
    ("Check whether it is slow.", True),
    ("```sql\nSELECT 1\n```", False),
    ("~~~\nquery\n~~~", False),
    ("Run `status --all`.", False),
    ("Act when more than 5% of requests fail.", False),
    ("Act when p95 is above 3000 ms.", False),
    ("Alert if errors > 10 in a minute.", False),
    ("At least 3 accounts affected.", False),
])
def test_detection_needs_a_query_or_a_threshold(detection, warned):
    problems = rules.check_runbooks([runbook(detection=detection)], today=TODAY)
    assert ("detection-without-query" in codes(problems)) is warned


THRESHOLDS = ["Decision threshold: 5%", "Threshold is 5%", "threshold = 500 ms", "error rate exceeding 2%",
              "5% or more", "more than three", "above 200 ms", "over 1,000 per minute", ">= 3",
              "p95 ≥ 2 s", "fewer than a dozen", "3+ failed logins", "at most 1 retry"]


@pytest.mark.parametrize("phrase", THRESHOLDS)
def test_ordinary_threshold_wording_counts(phrase):
    problems = rules.check_runbooks([runbook(detection=f"Escalate when {phrase} in a 10-minute window.")], today=TODAY)
    assert "detection-without-query" not in codes(problems)


# Prose without digits, number words or `code`; comparison words may appear, but no number follows.
_PROSE = st.lists(st.sampled_from(["look", "at", "the", "dashboard", "errors", "requests", "when", "customer",
                                   "rate", "is", "slow", "higher", "than", "usual", "above", "over", "a",
                                   "day", "threshold", "limit", "spike", "login", "fails", "window", ",", "."]),
                  min_size=1, max_size=20).map(" ".join)


@given(_PROSE)
def test_prose_without_a_number_still_warns(text):
    problems = rules.check_runbooks([runbook(detection=text)], today=TODAY)
    assert "detection-without-query" in codes(problems)


@given(before=_PROSE, phrase=st.sampled_from(THRESHOLDS), after=_PROSE)
def test_a_threshold_anywhere_in_prose_counts(before, phrase, after):
    problems = rules.check_runbooks([runbook(detection=f"{before} {phrase} {after}")], today=TODAY)
    assert "detection-without-query" not in codes(problems)


@pytest.mark.parametrize("resolution, warned", [
    ("1. One\n2. Two", False), ("1) One", False), ("   3. Starts at three", False),
    ("- bullet", True), ("Just do it.", True), ("Step 1: do it", True),
    ("```\n1. inside a fence\n```", True), ("~~~\n1. inside\n~~~\n1. and outside", False),
    ("<!--\n1. inside a comment\n-->\n- bullet", True),
])
def test_resolution_needs_a_numbered_list(resolution, warned):
    problems = rules.check_runbooks([runbook(resolution=resolution)], today=TODAY)
    assert ("resolution-not-numbered" in codes(problems)) is warned


@pytest.mark.parametrize("reviewed, stale", [("2026-05-27", False), ("2026-05-26", True), ("2026-11-23", False)])
def test_stale_after_180_days(reviewed, stale):
    problems = rules.check_runbooks([runbook(reviewed=reviewed)], today=TODAY)
    assert ("stale-runbook" in codes(problems)) is stale


def test_duplicate_ids_and_root_causes_are_reported_in_later_files():
    runbooks = [runbook(id="RB-1"), runbook(id="rb-1")]
    rules.check_runbooks(runbooks, today=TODAY)
    problems = rules.duplicate_ids(runbooks, [issue("KI-1"), issue("KI-2"), issue("ki-2")])
    assert [(p.file, p.code) for p in problems] == [("rb-1.md", "duplicate-id"), ("ki-2.md", "duplicate-id")]
    assert [p.model is None for p in runbooks] == [False, True]  # the later file is left out
    problems = rules.check_known_issues([issue("KI-1", "cause-a"), issue("KI-2", "cause-a"), issue("KI-3", "cause-b")])
    assert [(p.file, p.code, p.line) for p in problems] == [("KI-2.md", "duplicate-root-cause", 5)]


def test_ids_are_unique_across_runbooks_and_known_issues_together():
    runbooks, issues = [runbook(id="RB-1")], [issue("rb-1"), issue("KI-1")]
    problems = rules.duplicate_ids(runbooks, issues)
    assert [(p.file, p.code, p.path) for p in problems] == [("rb-1.md", "duplicate-id", "id")]
    assert "RB-1.md" in problems[0].message
    assert rules.duplicate_ids([runbook(id="RB-1")], [issue("KI-1")]) == []


def test_cross_references_both_ways_and_against_the_matrix():
    matrix = SimpleNamespace(categories={"deep-debugging": None}, teams={"support": None})
    runbooks, issues = [runbook(refs="KI-1, KI-9")], [issue(runbook_id="RB-404")]
    found = [(p.file, p.path, str(p.code)) for p in rules.cross_references(runbooks, issues, matrix)]
    assert found == [
        ("RB-1.md", "known_issues[1]", "unknown-known-issue"),
        ("RB-1.md", "category", "undefined-category"),
        ("RB-1.md", "owner", "undefined-team"),
        ("KI-1.md", "runbook", "unknown-runbook"),
    ]



@pytest.mark.parametrize("key", ["first_seen", "last_confirmed"])
def test_known_issue_dates_are_required_at_the_front_matter_mapping(key):
    parsed = issue(omit=key)
    problems = rules.check_known_issues([parsed])
    # A missing key is reported at its parent mapping: the front matter, whose first key is line 2.
    assert [(p.path, str(p.code), p.line, p.column) for p in problems] == [(key, "missing", 2, 1)]
    assert parsed.model is None
