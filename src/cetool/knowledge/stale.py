"""`cetool kb stale`: what in the knowledge base is overdue for review.

Runbooks not reviewed in 180 days, runbooks never reviewed by engineering, known issues not
confirmed in 90 days (open or with a workaround: a fixed or won't-fix issue needs no
confirming), and the ownership matrix past its `review_by` date: judged by the same functions
as `cetool check`'s warnings (cetool.knowledge.staleness, cetool.matrix.rules), and each
listed with the `Code` that check gives it (docs/knowledge.md#cetool-kb-stale).

Dates are read from the front matter (and the matrix) as written, so a file with another error
(an unknown key, a bad category) is still judged. A document whose dates cannot be read at all
is listed as not checked: a report that cannot see it must not say "nothing overdue".
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from cetool.core.docsroot import DocsRoot
from cetool.core.files import display_path
from cetool.core.findings import Code
from cetool.knowledge.known_issue import Status
from cetool.knowledge.load import load_knowledge
from cetool.knowledge.runbook import read_date
from cetool.knowledge.staleness import (NEEDS_CONFIRMING, STALE_KNOWN_ISSUE_DAYS, STALE_RUNBOOK_DAYS,
                                        known_issue_overdue, runbook_overdue)
from cetool.matrix.load import load_matrix
from cetool.matrix.rules import review_overdue_days
from cetool.matrix.view import lenient_matrix

_STATUSES = ", ".join(s.value for s in Status)
NO_ID = "(no id)"


@dataclass(frozen=True)
class StaleItem:
    kind: str  # "runbook" | "known-issue" | "matrix"
    id: str
    file: str
    reason: Code  # stale-runbook | not-engineering-reviewed | stale-known-issue | review-overdue (the matrix)
    last: str | None  # the date the clock runs from (None: never)
    days: int | None  # days since `last`
    message: str

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Unchecked:
    """A document the report could not judge (fully): why, so the user knows what to fix."""

    kind: str  # "runbook" | "known-issue" | "matrix"
    id: str | None  # None when not even the id could be read
    file: str
    message: str

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class StaleReport:
    today: date
    items: list[StaleItem] = field(default_factory=list)
    checked: int = 0  # documents fully judged
    unchecked: list[Unchecked] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        """Exit 1: something is overdue, or something could not be checked (it may be overdue)."""
        return bool(self.items or self.unchecked)

    def to_dict(self) -> dict:
        return {"today": self.today.isoformat(), "checked": self.checked, "overdue": len(self.items),
                "items": [item.to_dict() for item in self.items],
                "unchecked": [entry.to_dict() for entry in self.unchecked]}


def stale_items(knowledge, matrix_load, *, today: date) -> StaleReport:
    """Pure: loaded runbooks, known issues (`Knowledge`) and matrix (`MatrixLoad` or None: no
    ownership.yaml) in, overdue and unchecked documents out."""
    report = StaleReport(today)
    if matrix_load is not None:
        _judge_matrix(report, matrix_load, today)
    for parsed in sorted(knowledge.runbook_files, key=_order):
        _judge_runbook(report, parsed, today)
    for parsed in sorted(knowledge.known_issue_files, key=_order):
        _judge_known_issue(report, parsed, today)
    return report


def _order(parsed) -> tuple[str, str]:
    return parsed.id or "", parsed.file


def _front(parsed) -> dict[str, Any] | None:
    front = parsed.doc.front if parsed.doc is not None else None
    return front.data if front is not None else None


def _unreadable(parsed) -> str:
    return "the file could not be read" if parsed.doc is None else "its front matter could not be parsed"


def _read(front: dict[str, Any], key: str, why: list[str], *, required: bool) -> date | None:
    """The date `key` names; a value that is absent (when required) or no date adds to `why`."""
    value = front.get(key)
    if value is None:
        if required:
            why.append(f"{key} is missing")
        return None
    found = read_date(value)
    if found is None:
        why.append(f"{key} is not a YYYY-MM-DD date")
    return found


def _settle(report: StaleReport, kind: str, parsed, why: list[str]) -> None:
    if why:
        report.unchecked.append(Unchecked(kind, parsed.id, parsed.file, "; ".join(why)))
    else:
        report.checked += 1


def _judge_matrix(report: StaleReport, loaded, today: date) -> None:
    # A matrix with schema errors (an unknown key...) is judged by its dates as written.
    view = loaded.parsed or (lenient_matrix(loaded.doc.data) if loaded.doc is not None else None)
    if view is None or view.review_by is None:
        why = "review_by is missing or not a date" if view is not None else "it could not be read as YAML"
        report.unchecked.append(Unchecked("matrix", "ownership matrix", loaded.file, why))
        return
    report.checked += 1
    if (days := review_overdue_days(view.review_by, today)) is not None:
        report.items.append(StaleItem(
            "matrix", f"ownership matrix {view.version}".strip(), loaded.file, Code.REVIEW_OVERDUE,
            view.review_by.isoformat(), days,
            f"review_by {view.review_by} passed {days} days ago; review the matrix and bump its version"))


def _judge_runbook(report: StaleReport, parsed, today: date) -> None:
    front = _front(parsed)
    if front is None:
        _settle(report, "runbook", parsed, [_unreadable(parsed)])
        return
    why: list[str] = []
    shown = parsed.id or NO_ID
    reviewed = _read(front, "last_reviewed", why, required=True)
    engineering_reviewed = front.get("engineering_reviewed") is not None
    if engineering_reviewed:
        _read(front, "engineering_reviewed", why, required=False)
    for overdue in runbook_overdue(reviewed, engineering_reviewed, today):
        if overdue.code == Code.STALE_RUNBOOK:
            owner = front.get("owner") if isinstance(front.get("owner"), str) else "not set"
            report.items.append(StaleItem(
                "runbook", shown, parsed.file, overdue.code, overdue.last.isoformat(), overdue.days,
                f"last reviewed {overdue.days} days ago (every {STALE_RUNBOOK_DAYS} days); owner: {owner}"))
        else:
            report.items.append(StaleItem(
                "runbook", shown, parsed.file, overdue.code, None, None,
                "never reviewed by product engineering (set engineering_reviewed after the review)"))
    _settle(report, "runbook", parsed, why)


def _judge_known_issue(report: StaleReport, parsed, today: date) -> None:
    front = _front(parsed)
    if front is None:
        _settle(report, "known-issue", parsed, [_unreadable(parsed)])
        return
    status = front.get("status").strip() if isinstance(front.get("status"), str) else None
    if status not in set(Status):
        # Unknown status: whether it needs confirming is unknown too.
        _settle(report, "known-issue", parsed, [f"status is not one of {_STATUSES}"])
        return
    why: list[str] = []
    confirmed = _read(front, "last_confirmed", why, required=True) if status in NEEDS_CONFIRMING else None
    if (overdue := known_issue_overdue(status, confirmed, today)) is not None:
        report.items.append(StaleItem(
            "known-issue", parsed.id or NO_ID, parsed.file, overdue.code, overdue.last.isoformat(), overdue.days,
            f"last confirmed {overdue.days} days ago (every {STALE_KNOWN_ISSUE_DAYS} days); still {status}?"))
    _settle(report, "known-issue", parsed, why)


def find_stale(docs_root: DocsRoot, *, today: date) -> StaleReport:
    matrix_load = None
    if docs_root.matrix.is_file():
        matrix_load = load_matrix(docs_root.matrix, file=display_path(docs_root.matrix), today=today)
    knowledge = load_knowledge(docs_root, matrix=None, today=today)
    return stale_items(knowledge, matrix_load, today=today)
