"""The words an action's and a driver's prevention status are shown with: one place for the
prevention commands and for the weekly report, which reads them without loading the models
(`cetool --help` imports the report's types)."""

from __future__ import annotations

DONE, OVERDUE, IN_PROGRESS, PLANNED, DROPPED, UNKNOWN = "done", "overdue", "in progress", "planned", "dropped", "unknown"
NO_ACTION = "no prevention action"  # neither a known issue, a runbook nor an action covers the driver
# The driver statuses, most urgent first: the agenda's order.
DRIVER_STATUSES = (OVERDUE, NO_ACTION, IN_PROGRESS, DONE)
