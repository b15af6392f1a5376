"""QA: `kb stale` judges dates as written, also in files with other errors, and never says
"nothing overdue" about a document it could not read (it lists it and exits 1)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from cetool.core.docsroot import DocsRoot
from cetool.knowledge.stale import find_stale

from kbtools import edit

RB = "runbooks/RB-API-429.md"
KI = "known_issues/KI-0004.md"  # status workaround, last confirmed 2026-11-18
DOCUMENTS = 1 + 5 + 6  # the matrix, the runbooks, the known issues


@pytest.fixture
def stale(cli, docs, monkeypatch):
    """`cetool kb stale --today DAY` in the docs copy: (exit code, text) or, with json, the payload."""
    monkeypatch.chdir(docs)

    def run(day: str, *, as_json: bool = False):
        result = cli("kb", "stale", "--today", day, *(["--format", "json"] if as_json else []))
        return result.exit_code, json.loads(result.stdout) if as_json else result.stdout

    return run


def test_a_runbook_with_an_unknown_key_is_still_judged_by_its_date(docs, stale):
    edit(docs / RB, "last_reviewed: 2026-10-12", "last_reviewed: 2024-01-01\nreviewer: bob")
    exit_code, payload = stale("2026-12-01", as_json=True)
    assert exit_code == 1
    assert [(i["id"], i["reason"], i["last"]) for i in payload["items"]] == [
        ("RB-API-429", "stale-runbook", "2024-01-01")]
    assert (payload["checked"], payload["unchecked"]) == (DOCUMENTS, [])


def test_a_matrix_with_an_unknown_key_is_still_judged_by_its_review_by(docs, stale):
    edit(docs / "ownership.yaml", "review_by: 2027-01-01", "review_by: 2026-03-01\ncolour: red")
    exit_code, text = stale("2026-12-01")
    assert exit_code == 1
    assert "ownership matrix 2026.4: review_by 2026-03-01 passed 275 days ago" in text
    assert "nothing overdue" not in text


@pytest.mark.parametrize("old, new, message", [
    ("first_seen: 2026-04-14", "first_seen: [2026-04-14", "its front matter could not be parsed"),
    ("---\nid: KI-0004", "\n---\nid: KI-0004", "its front matter could not be parsed"),
    ("last_confirmed: 2026-11-18", "last_confirmed: last week", "last_confirmed is not a YYYY-MM-DD date"),
    ("last_confirmed: 2026-11-18\n", "", "last_confirmed is missing"),
    ("status: workaround", "status: worked-around", "status is not one of open, workaround, fixed, wont-fix"),
])
def test_a_known_issue_that_cannot_be_judged_is_listed_not_hidden(docs, stale, old, new, message):
    edit(docs / KI, old, new)
    exit_code, text = stale("2026-11-23")
    assert exit_code == 1
    assert f"known_issues/KI-0004.md  KI-0004: could not be checked: {message}  [not-checked]" in text
    assert "nothing overdue" not in text
    assert text.rstrip().endswith(f"({DOCUMENTS - 1} documents checked); 1 file could not be checked: "
                                  "run `cetool check`")
    exit_code, payload = stale("2026-11-23", as_json=True)
    assert exit_code == 1 and payload["overdue"] == 0
    assert payload["unchecked"] == [{"kind": "known-issue", "id": "KI-0004", "file": KI, "message": message}]


@pytest.mark.parametrize("old, new, message", [
    ("last_reviewed: 2026-10-12", "last_reviewed: 2026-02-30", "last_reviewed is not a YYYY-MM-DD date"),
    ("engineering_reviewed: 2026-07-08", "engineering_reviewed: yes", "engineering_reviewed is not a YYYY-MM-DD date"),
    ("title: API", "title: [API", "its front matter could not be parsed"),
])
def test_a_runbook_date_that_cannot_be_read_is_listed(docs, stale, old, new, message):
    edit(docs / RB, old, new)
    exit_code, payload = stale("2026-11-23", as_json=True)
    assert exit_code == 1
    assert [(u["id"], u["file"], u["message"]) for u in payload["unchecked"]] == [("RB-API-429", RB, message)]
    assert payload["checked"] == DOCUMENTS - 1


def test_a_fixed_known_issue_needs_no_last_confirmed(docs, stale):
    edit(docs / KI, "status: workaround", "status: fixed")
    edit(docs / KI, "last_confirmed: 2026-11-18\n", "")
    assert stale("2027-06-01", as_json=True)[1]["unchecked"] == []


def test_a_matrix_that_does_not_parse_is_listed(docs, stale):
    (docs / "ownership.yaml").write_text("version: [\n", encoding="utf-8")
    exit_code, payload = stale("2026-11-23", as_json=True)
    assert exit_code == 1
    assert [(u["kind"], u["file"]) for u in payload["unchecked"]] == [("matrix", "ownership.yaml")]


def test_core_every_document_is_either_checked_or_unchecked(docs):
    edit(docs / KI, "first_seen: 2026-04-14", "first_seen: [2026-04-14")
    edit(docs / RB, "last_reviewed: 2026-10-12", "last_reviewed: soon")
    (docs / "runbooks" / "notes.md").write_text("no front matter\n", encoding="utf-8")
    report = find_stale(DocsRoot(docs), today=date(2026, 11, 23))
    assert report.checked + len(report.unchecked) == DOCUMENTS + 1
    assert [(u.id, u.file.rsplit("/", 1)[-1]) for u in report.unchecked] == [
        (None, "notes.md"), ("RB-API-429", "RB-API-429.md"), ("KI-0004", "KI-0004.md")]
    assert report.failed and not report.items
