"""When a runbook or known issue is overdue for review: judged here once, as `Code`s, for the
warnings of `cetool check` (cetool.knowledge.rules) and the list of `cetool kb stale`
(cetool.knowledge.stale). docs/knowledge.md#rules and docs/knowledge.md#cetool-kb-stale.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cetool.core.findings import Code
from cetool.knowledge.known_issue import Status

STALE_RUNBOOK_DAYS = 180
STALE_KNOWN_ISSUE_DAYS = 90
# A fixed or won't-fix issue needs no confirming: it is not going to change.
NEEDS_CONFIRMING = frozenset({Status.OPEN, Status.WORKAROUND})


@dataclass(frozen=True)
class Overdue:
    code: Code
    last: date | None  # the date the clock runs from; None: never done
    days: int | None  # days since `last`


def _late(last: date, today: date, every: int, code: Code) -> Overdue | None:
    days = (today - last).days
    return Overdue(code, last, days) if days > every else None


def runbook_overdue(last_reviewed: date | None, engineering_reviewed: bool, today: date) -> list[Overdue]:
    """A review more than STALE_RUNBOOK_DAYS ago (exactly that many is fine), and a runbook
    engineering never reviewed. `last_reviewed` None: not known, not judged."""
    found = [_late(last_reviewed, today, STALE_RUNBOOK_DAYS, Code.STALE_RUNBOOK)] if last_reviewed else []
    if not engineering_reviewed:
        found.append(Overdue(Code.NOT_ENGINEERING_REVIEWED, None, None))
    return [overdue for overdue in found if overdue is not None]


def known_issue_overdue(status: str, last_confirmed: date | None, today: date) -> Overdue | None:
    """An open issue, or one with a workaround, confirmed more than STALE_KNOWN_ISSUE_DAYS ago."""
    if status not in NEEDS_CONFIRMING or last_confirmed is None:
        return None
    return _late(last_confirmed, today, STALE_KNOWN_ISSUE_DAYS, Code.STALE_KNOWN_ISSUE)
