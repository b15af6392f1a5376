"""Where an action and a driver stand on a given day (docs/prevention.md#status).

An action's status as of `today`: done (done on or before today), overdue (open and due before
today), in progress or planned, dropped. A driver's prevention status sums its actions up in one
word for the Monday agenda: overdue wins (an overdue commitment is never hidden behind an older
done one), then done, then in progress; dropped actions prevent nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cetool.prevention.load import LoadedAction
from cetool.prevention.rules import is_overdue
from cetool.prevention.words import DONE, DROPPED, IN_PROGRESS, NO_ACTION, OVERDUE, PLANNED, UNKNOWN


def action_status(loaded: LoadedAction, today: date) -> str:
    """One word for where the action stands on `today` ("unknown" when its status is unusable)."""
    head = loaded.head
    if head.status == "dropped":
        return DROPPED
    if head.status == "done" and head.done is not None and head.done <= today:
        return DONE
    if head.status is None:
        return UNKNOWN
    # A done whose date is after `today` (a report run for an earlier week) was still open then.
    status = "in-progress" if head.status == "done" else head.status
    if is_overdue(status, head.due, today):
        return OVERDUE
    return IN_PROGRESS if status == "in-progress" else PLANNED


def _assigned_by(loaded: LoadedAction, today: date) -> bool:
    return loaded.head.assigned is None or loaded.head.assigned <= today


@dataclass(frozen=True)
class DriverPrevention:
    """A driver's actions (as of `today`) and its one prevention status."""

    status: str
    actions: list[tuple[LoadedAction, str]]  # each with its own status
    done_on: date | None  # the latest done date: the effect is measured from its week

    def to_dicts(self) -> list[dict]:
        return [{"id": loaded.head.id, "kind": loaded.head.kind, "owner": loaded.head.owner,
                 "team": loaded.head.team, "due": loaded.head.due.isoformat() if loaded.head.due else None,
                 "status": status, "file": loaded.file} for loaded, status in self.actions]


def driver_prevention(root_cause: str, actions: list[LoadedAction], today: date) -> DriverPrevention:
    """The actions for `root_cause` (compared exactly after trimming, as the metrics compare root
    causes) that were assigned by `today`, and the driver's status."""
    mine = [(loaded, action_status(loaded, today)) for loaded in actions
            if loaded.head.root_cause == root_cause.strip() and _assigned_by(loaded, today)]
    statuses = {status for _, status in mine}
    if OVERDUE in statuses:
        status = OVERDUE
    elif DONE in statuses:
        status = DONE
    elif statuses & {IN_PROGRESS, PLANNED}:
        status = IN_PROGRESS
    else:
        status = NO_ACTION
    done_days = [loaded.head.done for loaded, s in mine if s == DONE and loaded.head.done is not None]
    return DriverPrevention(status, mine, max(done_days) if done_days else None)
