"""`cetool prevention check` and `cetool prevention list`: the actions of a docs root, checked or
listed with where each stands (docs/prevention.md#list).

Formatters return a string; the CLI prints it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from cetool.core.docsroot import DocsRoot
from cetool.core.errors import CetoolError
from cetool.core.files import display_path
from cetool.core.findings import Report
from cetool.core.markdown import escape, table
from cetool.core.textsafe import visible
from cetool.knowledge.load import load_knowledge
from cetool.matrix.load import load_matrix
from cetool.prevention.load import ActionCheck, LoadedAction, load_prevention, prevention_folder
from cetool.prevention.status import action_status
from cetool.prevention.words import DONE, DROPPED, IN_PROGRESS, OVERDUE, PLANNED, UNKNOWN

# Most urgent first: what the Monday meeting has to talk about comes first.
_ORDER = {OVERDUE: 0, IN_PROGRESS: 1, PLANNED: 2, UNKNOWN: 3, DONE: 4, DROPPED: 5}


@dataclass
class PreventionRun:
    """The actions of a docs root with every problem (the matrix's too); could_not_run when the
    matrix cannot be built (exit 2, as for every checking command)."""

    report: Report
    check: ActionCheck | None = None
    could_not_run: bool = False
    files: list[str] = field(default_factory=list)


def run_prevention(matrix_path: Path, *, today: date) -> PreventionRun:
    """Load the matrix and knowledge of the docs root, then every action under prevention/."""
    loaded = load_matrix(matrix_path, today=today)
    if loaded.matrix is None:
        return PreventionRun(Report(list(loaded.problems), files_checked=1), could_not_run=True)
    docs_root = DocsRoot.of_matrix(matrix_path.resolve())
    knowledge = load_knowledge(docs_root, matrix=loaded.matrix, today=today)
    check = load_prevention(docs_root, matrix=loaded.matrix, knowledge=knowledge, today=today)
    if check is None:
        raise CetoolError(f"{display_path(prevention_folder(docs_root))}: no prevention folder; start one with "
                          "cetool prevention new --root-cause KEY --kind KIND")
    return PreventionRun(check.report, check, files=check.files)


@dataclass(frozen=True)
class ListedAction:
    loaded: LoadedAction
    status: str

    def to_dict(self) -> dict:
        head = self.loaded.head

        def day(value: date | None) -> str | None:
            return value.isoformat() if value else None

        return {"id": head.id, "file": self.loaded.file, "root_cause": head.root_cause, "kind": head.kind,
                "action": self.loaded.text, "owner": head.owner, "team": head.team,
                "assigned": day(head.assigned), "due": day(head.due), "done": day(head.done),
                "status": self.status, "links": list(head.links), "errors": self.loaded.errors}


def list_actions(check: ActionCheck, *, today: date, overdue_only: bool = False,
                 root_cause: str | None = None) -> list[ListedAction]:
    """The actions with their status on `today`, most urgent first, then by due date and id."""
    listed = [ListedAction(loaded, action_status(loaded, today)) for loaded in check.actions]
    if overdue_only:
        listed = [item for item in listed if item.status == OVERDUE]
    if root_cause is not None:
        listed = [item for item in listed if item.loaded.head.root_cause == root_cause.strip()]
    return sorted(listed, key=lambda item: (_ORDER[item.status], item.loaded.head.due or date.max,
                                            item.loaded.head.id or "", item.loaded.file))


def _when(item: ListedAction, today: date) -> str:
    head = item.loaded.head
    if item.status == DONE:
        return f"done {head.done}"
    if head.due is None:
        return "no due date"
    days = (head.due - today).days
    if item.status == OVERDUE:
        return f"due {head.due} ({-days} d overdue)"
    return f"due {head.due}"


def render_text(listed: list[ListedAction], today: date) -> str:
    if not listed:
        return "no prevention actions match\n"
    lines = []
    for item in listed:
        head = item.loaded.head
        errors = f"  ({item.loaded.errors} error(s): cetool check)" if item.loaded.errors else ""
        lines.append(visible(f"{head.id or '(no id)':<14} {item.status:<12} {head.root_cause or '?'}  "
                             f"[{head.kind or '?'}]  {head.owner or '?'} ({head.team or '?'}), "
                             f"{_when(item, today)}{errors}"))
        if item.loaded.text:
            lines.append(visible(f"               {item.loaded.text}"))
    counts = {status: sum(1 for item in listed if item.status == status) for status in _ORDER}
    summary = ", ".join(f"{n} {status}" for status, n in counts.items() if n)
    return "\n".join(lines) + f"\n\n{len(listed)} action(s): {summary}\n"


def render_json(listed: list[ListedAction], today: date) -> str:
    return json.dumps({"today": today.isoformat(), "actions": [item.to_dict() for item in listed]},
                      indent=2, ensure_ascii=False) + "\n"


def _cell(value: object) -> str:
    """A value from a file as one markdown cell: control characters escaped, then the markup."""
    return escape(visible(str(value)))


def render_markdown(listed: list[ListedAction], today: date) -> str:
    rows = [[_cell(item.loaded.head.id or "(no id)"), _cell(item.status), _cell(item.loaded.head.root_cause or "?"),
             _cell(item.loaded.head.kind or "?"), _cell(item.loaded.text or ""), _cell(item.loaded.head.owner or "?"),
             _cell(_when(item, today))] for item in listed]
    head = [f"## Prevention actions ({today.isoformat()})", ""]
    if not rows:
        return "\n".join(head + ["No prevention actions match."]) + "\n"
    return "\n".join(head + table(["Id", "Status", "Root cause", "Kind", "Action", "Owner", "When"], rows)) + "\n"


RENDERERS = {"text": render_text, "json": render_json, "markdown": render_markdown}
