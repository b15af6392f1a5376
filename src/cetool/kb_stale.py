"""`cetool kb stale`: what in the knowledge base is overdue for review.

Runbooks not reviewed in 180 days, runbooks never reviewed by engineering, known issues not
confirmed in 90 days (open or with a workaround: a fixed or won't-fix issue needs no
confirming), and the ownership matrix past its `review_by` date.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

from cetool.checks.knowledge_rules import STALE_KNOWN_ISSUE_DAYS, STALE_RUNBOOK_DAYS
from cetool.docsroot import DocsRoot
from cetool.models.known_issue import Status

_NEEDS_CONFIRMING = (Status.OPEN, Status.WORKAROUND)


@dataclass(frozen=True)
class StaleItem:
    kind: str  # "runbook" | "known-issue" | "matrix"
    id: str
    file: str
    reason: str  # "review-overdue" | "not-engineering-reviewed" | "not-confirmed"
    last: str | None  # the date the clock runs from (None: never)
    days: int | None  # days since `last`
    message: str

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class StaleReport:
    today: date
    items: list[StaleItem] = field(default_factory=list)
    checked: int = 0

    def to_dict(self) -> dict:
        return {"today": self.today.isoformat(), "checked": self.checked, "overdue": len(self.items),
                "items": [item.to_dict() for item in self.items]}


def stale_items(knowledge, matrix, matrix_file: str, *, today: date) -> StaleReport:
    """Pure: loaded runbooks, known issues and matrix (or None) in, overdue items out."""
    report = StaleReport(today, checked=len(knowledge.runbooks) + len(knowledge.known_issues))
    if matrix is not None:
        report.checked += 1
        if matrix.review_by < today:
            days = (today - matrix.review_by).days
            report.items.append(StaleItem(
                "matrix", f"ownership matrix {matrix.version}", matrix_file, "review-overdue",
                matrix.review_by.isoformat(), days,
                f"review_by {matrix.review_by} passed {days} days ago; review the matrix and bump its version"))
    for runbook in sorted(knowledge.runbooks, key=lambda r: r.id):
        age = (today - runbook.last_reviewed).days
        if age > STALE_RUNBOOK_DAYS:
            report.items.append(StaleItem(
                "runbook", runbook.id, runbook.file, "review-overdue", runbook.last_reviewed.isoformat(), age,
                f"last reviewed {age} days ago (every {STALE_RUNBOOK_DAYS} days); owner: {runbook.owner}"))
        if runbook.engineering_reviewed is None:
            report.items.append(StaleItem(
                "runbook", runbook.id, runbook.file, "not-engineering-reviewed", None, None,
                "never reviewed by product engineering (set engineering_reviewed after the review)"))
    for issue in sorted(knowledge.known_issues, key=lambda k: k.id):
        if issue.status not in _NEEDS_CONFIRMING:
            continue
        age = (today - issue.last_confirmed).days
        if age > STALE_KNOWN_ISSUE_DAYS:
            report.items.append(StaleItem(
                "known-issue", issue.id, issue.file, "not-confirmed", issue.last_confirmed.isoformat(), age,
                f"last confirmed {age} days ago (every {STALE_KNOWN_ISSUE_DAYS} days); still {issue.status}?"))
    return report


def find_stale(docs_root: DocsRoot, *, today: date) -> StaleReport:
    from cetool.knowledge import load_knowledge
    from cetool.loading.files import display_path
    from cetool.matrix import load_matrix

    matrix = None
    if docs_root.matrix.is_file():
        matrix = load_matrix(docs_root.matrix, today=today).parsed
    knowledge = load_knowledge(docs_root, matrix=None, today=today)
    return stale_items(knowledge, matrix, display_path(docs_root.matrix), today=today)


def render_text(report: StaleReport) -> str:
    if not report.items:
        return f"✓ nothing overdue on {report.today} ({report.checked} documents checked)\n"
    lines = [f"{item.file}  {item.id}: {item.message}  [{item.reason}]" for item in report.items]
    lines.append(f"\n✗ {len(report.items)} overdue on {report.today} ({report.checked} documents checked)")
    return "\n".join(lines) + "\n"
