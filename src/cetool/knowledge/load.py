"""Runbooks and known issues of a docs root: read, validated, cross-referenced (docs/knowledge.md).

`load_knowledge` is what `cetool check`, `cetool kb` and the metrics (root cause -> known issue)
use; reading the files is `cetool.knowledge.read`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from cetool.core.docsroot import DocsRoot
from cetool.core.findings import Problem
from cetool.core.ids import id_key
from cetool.knowledge import rules
from cetool.knowledge.known_issue import KnownIssue
from cetool.knowledge.read import Parsed, load_folder, raw_ids
from cetool.knowledge.runbook import Runbook
from cetool.matrix.model import Matrix


@dataclass
class Knowledge:
    runbooks: list[Runbook] = field(default_factory=list)
    known_issues: list[KnownIssue] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files_checked: int = 0
    files: list[str] = field(default_factory=list)  # every file looked at, for per-file reporters
    # Ids as written in front matter, also of files with other errors (so references still
    # resolve), and those recovered from front matter that could not be parsed (Parsed.id).
    known_issue_ids: set[str] = field(default_factory=set)
    runbook_ids: set[str] = field(default_factory=set)
    # Every file as read, with or without errors: `kb stale` judges dates from what is readable.
    runbook_files: list[Parsed] = field(default_factory=list)
    known_issue_files: list[Parsed] = field(default_factory=list)

    def known_issue(self, issue_id: str) -> KnownIssue | None:
        wanted = id_key(issue_id)
        return next((k for k in self.known_issues if id_key(k.id) == wanted), None)

    def runbook(self, runbook_id: str) -> Runbook | None:
        wanted = id_key(runbook_id)
        return next((r for r in self.runbooks if id_key(r.id) == wanted), None)

    def by_root_cause(self) -> dict[str, KnownIssue]:
        return {k.root_cause: k for k in self.known_issues}


def load_knowledge(docs_root: DocsRoot, *, matrix: Matrix | None, today: date) -> Knowledge:
    """Every runbook and known issue under the docs root, with all their problems.

    The problems cover front matter, required sections, quality warnings, duplicate ids and
    root causes, and references between runbooks, known issues and the matrix (when given).
    """
    root = docs_root.folder
    runbooks, problems = load_folder(docs_root.runbooks, root)
    issues, more = load_folder(docs_root.known_issues, root)
    problems.extend(more)
    problems.extend(rules.check_runbooks(runbooks, today=today))
    problems.extend(rules.check_known_issues(issues))
    problems.extend(rules.duplicate_ids(runbooks, issues))
    problems.extend(rules.cross_references(runbooks, issues, matrix))
    return Knowledge(
        runbooks=[p.model for p in runbooks if p.model is not None],
        known_issues=[p.model for p in issues if p.model is not None],
        problems=problems,
        files_checked=len(runbooks) + len(issues),
        files=[p.file for p in runbooks + issues],
        known_issue_ids=raw_ids(issues),
        runbook_ids=raw_ids(runbooks),
        runbook_files=runbooks,
        known_issue_files=issues,
    )
