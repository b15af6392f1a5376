"""Prevention actions of a docs root: found, loaded with positions, validated, cross-checked.

`check_actions` is the library entry `cetool check`, `cetool prevention` and the weekly report
call; `load_prevention` does the whole run for a docs root (matrix and knowledge given).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from cetool.core.docsroot import PACKET_SUFFIXES, DocsRoot
from cetool.core.files import discover, display_path
from cetool.core.findings import Code, Problem, Report, Severity
from cetool.core.ids import IdIndex, id_key
from cetool.core.textsafe import quote
from cetool.knowledge.load import Knowledge
from cetool.matrix.model import Matrix
from cetool.prevention.model import ActionHead, PreventionAction
from cetool.prevention.rules import KnowledgeRefs, check_action
from cetool.yamldoc.loader import YamlDoc, load_yaml_file
from cetool.yamldoc.validation import validate_document

PREVENTION_FOLDER = "prevention"


def prevention_folder(docs_root: DocsRoot) -> Path:
    return docs_root.folder / PREVENTION_FOLDER


@dataclass(frozen=True)
class LoadedAction:
    """An action as the report and `prevention list` use it: its file, and the head (the usable
    fields) even when the file has errors, so a typo elsewhere never hides an action."""

    file: str
    head: ActionHead
    action: PreventionAction | None
    text: str | None  # the action's sentence (None when unusable)
    errors: int = 0


@dataclass
class ActionCheck:
    report: Report
    files: list[str] = field(default_factory=list)
    actions: list[LoadedAction] = field(default_factory=list)


def knowledge_refs(docs_root: DocsRoot, knowledge: Knowledge | None) -> KnowledgeRefs:
    if knowledge is None:
        return KnowledgeRefs()
    return KnowledgeRefs(
        runbook_ids=IdIndex(knowledge.runbook_ids) if docs_root.runbooks.is_dir() else None,
        known_issue_ids=IdIndex(knowledge.known_issue_ids) if docs_root.known_issues.is_dir() else None,
        root_causes=frozenset(k.root_cause.strip() for k in knowledge.known_issues),
    )


def _flagged_keys(problems: list[Problem]) -> set[str]:
    """The top-level keys that already have a problem of their own (their values are unusable)."""
    return {p.path.split(".", 1)[0].split("[", 1)[0] for p in problems if p.path}


def _duplicate_id(doc: YamlDoc, head: ActionHead, first: dict[str, tuple[str, int | None]]) -> list[Problem]:
    if head.id is None:
        return []
    pos = doc.position(("id",))
    seen = first.setdefault(id_key(head.id), (doc.file, pos.line if pos else None))
    if seen[0] == doc.file:
        return []
    where = f"{seen[0]}:{seen[1]}" if seen[1] else seen[0]
    return [doc.problem(("id",), Code.DUPLICATE_ID,
                        f"id {quote(head.id)} is already used by {where} (ids are unique, ignoring case)")]


def check_actions(files: list[Path], *, matrix: Matrix | None, refs: KnowledgeRefs, today: date) -> ActionCheck:
    """Validate each file and its rules; ids are unique case-insensitively across `files`."""
    result = ActionCheck(Report(files_checked=len(files)))
    first: dict[str, tuple[str, int | None]] = {}
    for path in files:
        file = display_path(path)
        result.files.append(file)
        doc, problems = load_yaml_file(path, file)
        if doc is not None:
            action, schema_problems = validate_document(doc, PreventionAction)
            head = ActionHead.of_action(action) if action else ActionHead.of_data(doc.data, _flagged_keys(schema_problems))
            problems += schema_problems + _duplicate_id(doc, head, first)
            problems += check_action(head, doc, path=path, matrix=matrix, refs=refs, today=today)
            text = action.action if action else _text(doc.data.get("action"), schema_problems)
            errors = sum(1 for p in problems if p.severity == Severity.ERROR)
            result.actions.append(LoadedAction(file, head, action, text, errors))
        result.report.extend(problems)
    return result


def _text(value: object, problems: list[Problem]) -> str | None:
    return value.strip() if isinstance(value, str) and "action" not in _flagged_keys(problems) else None


def action_files(docs_root: DocsRoot) -> tuple[list[Path], list[Problem]]:
    folder = prevention_folder(docs_root)
    if not folder.is_dir():
        return [], []
    return discover([folder], PACKET_SUFFIXES, docs_root.folder)


def load_prevention(docs_root: DocsRoot, *, matrix: Matrix | None, knowledge: Knowledge | None,
                    today: date) -> ActionCheck | None:
    """Every action under `prevention/` with all its problems; None when there is no such folder
    (then nothing about prevention actions is said anywhere)."""
    if not prevention_folder(docs_root).is_dir():
        return None
    files, discovery_problems = action_files(docs_root)
    result = check_actions(files, matrix=matrix, refs=knowledge_refs(docs_root, knowledge), today=today)
    result.report.extend(discovery_problems)
    refused = list(dict.fromkeys(p.file for p in discovery_problems))
    result.files += refused
    result.report.files_checked = len(result.files)
    return result
