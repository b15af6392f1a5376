"""Runbooks and known issues of a docs root: loaded, validated, cross-referenced (spec section 3).

`load_knowledge` is what `cetool check`, `cetool kb` and the metrics (root cause -> known issue)
use; `known_issue_ids` is the cheap lookup `cetool packet validate` needs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cetool.core.docsroot import MARKDOWN_SUFFIXES, DocsRoot
from cetool.core.findings import Problem
from cetool.core.ids import id_key
from cetool.core.files import discover, display_path
from cetool.yamldoc.frontmatter import MarkdownDoc, load_markdown_file
from cetool.knowledge.known_issue import KnownIssue
from cetool.knowledge.runbook import Runbook

if TYPE_CHECKING:  # the matrix model is helper A's; only its .teams and .categories are used
    from cetool.matrix.load import Matrix


@dataclass
class Parsed:
    """One `.md` file: its parsed form (None when unreadable) and the model when it validated."""

    file: str
    doc: MarkdownDoc | None
    model: Any = None

    def raw(self, key: str) -> Any:
        front = self.doc.front if self.doc else None
        return front.data.get(key) if front is not None else None

    @property
    def id(self) -> str | None:
        """The id as written; when the front matter could not be parsed, the id its `id:` line
        names (so references to a file with another mistake still resolve)."""
        value = self.raw("id")
        if isinstance(value, str) and value.strip():
            return value.strip()
        return self.doc.scanned_id if self.doc is not None and self.doc.front is None else None


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


def _markdown_files(folder: Path, root: Path) -> tuple[list[Path], list[Problem]]:
    if not folder.is_dir():
        return [], []
    return discover([folder], MARKDOWN_SUFFIXES, root)


def _load_folder(folder: Path, root: Path) -> tuple[list[Parsed], list[Problem]]:
    """Every `.md` file found, parsed; a file found but refused (a symlink leading outside the
    root) is kept too, unparsed, so it counts as a file checked and reporters list it."""
    paths, problems = _markdown_files(folder, root)
    parsed = [Parsed(file, None) for file in dict.fromkeys(p.file for p in problems)]
    for path in paths:
        file = display_path(path)
        doc, file_problems = load_markdown_file(path, file)
        problems.extend(file_problems)
        parsed.append(Parsed(file, doc))
    return parsed, problems


def load_knowledge(docs_root: DocsRoot, *, matrix: "Matrix | None", today: date) -> Knowledge:
    """Every runbook and known issue under the docs root, with all their problems.

    The problems cover front matter, required sections, quality warnings, duplicate ids and
    root causes, and references between runbooks, known issues and the matrix (when given).
    """
    from cetool.knowledge import rules

    root = docs_root.folder
    runbooks, problems = _load_folder(docs_root.runbooks, root)
    issues, more = _load_folder(docs_root.known_issues, root)
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
        known_issue_ids=_raw_ids(issues),
        runbook_ids=_raw_ids(runbooks),
        runbook_files=runbooks,
        known_issue_files=issues,
    )


def _raw_ids(files: list[Parsed]) -> set[str]:
    return {p.id for p in files if p.id is not None}


def known_issue_ids(folder: Path) -> set[str]:
    """Ids written in the front matter of the known issues under `folder` (no validation)."""
    paths, _ = _markdown_files(folder, folder)
    return _raw_ids([Parsed(str(path), load_markdown_file(path, str(path))[0]) for path in paths])
