"""`load_knowledge` and its `known_issue_ids`: the interface the packet and metrics code call."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from cetool.core.docsroot import DocsRoot
from cetool.knowledge.load import load_knowledge
from cetool.matrix.load import load_matrix

from kbtools import edit

TODAY = date(2026, 11, 23)


def _load(root: Path, with_matrix: bool = True):
    matrix = load_matrix(root / "ownership.yaml", today=TODAY).matrix if with_matrix else None
    return load_knowledge(DocsRoot(root), matrix=matrix, today=TODAY)


def test_repo_knowledge_loads_clean_with_models(docs):
    knowledge = _load(docs)
    assert knowledge.problems == []
    assert knowledge.files_checked == 11
    assert {r.id for r in knowledge.runbooks} == {
        "RB-API-429", "RB-LATENCY", "RB-WEBHOOK-DELIVERY", "RB-BILLING-DISPUTE", "RB-SSO-LOOP"}
    by_cause = knowledge.by_root_cause()
    assert [by_cause[c].id for c in ("webhook-secret-rotation", "saml-redirect-loop", "import-silent-drop",
                                     "api-rate-limit-burst", "billing-proration-mismatch",
                                     "latency-cache-eviction")] == [f"KI-000{i}" for i in range(1, 7)]
    issue = knowledge.known_issue("ki-0001")
    assert issue.runbook == "RB-WEBHOOK-DELIVERY" and issue.file.endswith("KI-0001.md")
    assert issue.sections["workaround"].strip().startswith("Re-save the endpoint")
    assert knowledge.runbook("RB-LATENCY").known_issues == ["KI-0006"]


def test_every_runbook_and_known_issue_links_back(docs):
    """The repo's own content keeps both directions of each runbook <-> known issue link."""
    knowledge = _load(docs)
    for issue in knowledge.known_issues:
        if issue.runbook:
            assert issue.id in knowledge.runbook(issue.runbook).known_issues
    for runbook in knowledge.runbooks:
        for ref in runbook.known_issues:
            assert knowledge.known_issue(ref).runbook == runbook.id


def test_a_broken_file_is_reported_and_left_out_but_its_id_still_resolves(docs):
    edit(docs / "known_issues/KI-0006.md", "status: open", "status: TODO")
    knowledge = _load(docs)
    assert [(Path(p.file).name, p.code) for p in knowledge.problems] == [("KI-0006.md", "placeholder")]
    assert "KI-0006" not in {k.id for k in knowledge.known_issues}
    assert "KI-0006" in knowledge.known_issue_ids  # so RB-LATENCY's reference is not reported too


def test_without_a_matrix_category_and_team_are_not_checked(docs):
    edit(docs / "runbooks/RB-LATENCY.md", "owner: customer-engineering", "owner: nobody")
    assert _load(docs, with_matrix=False).problems == []
    assert [p.code for p in _load(docs).problems] == ["undefined-team"]


def test_missing_folders_mean_no_documents(tmp_path):
    knowledge = load_knowledge(DocsRoot(tmp_path), matrix=None, today=TODAY)
    assert (knowledge.runbooks, knowledge.known_issues, knowledge.problems, knowledge.files_checked) == ([], [], [], 0)


def test_known_issue_ids_reads_ids_as_written(docs, tmp_path):
    assert _load(docs, False).known_issue_ids == {f"KI-000{i}" for i in range(1, 7)}
    edit(docs / "known_issues/KI-0006.md", "status: open", "status: ???")  # invalid, but the id is there
    (docs / "known_issues/notes.md").write_text("no front matter here\n", encoding="utf-8")
    assert "KI-0006" in _load(docs, False).known_issue_ids
    assert _load(tmp_path, False).known_issue_ids == set()
