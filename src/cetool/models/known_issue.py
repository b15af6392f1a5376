"""A known issue's front matter (spec section 3): `known_issues/*.md`."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field

from cetool.models.runbook import DocId, IsoDate, Key, KnowledgeDoc

KNOWN_ISSUE_SECTIONS = ("Symptoms", "Root cause", "Detection", "Workaround", "Escalation criteria")


class Status(StrEnum):
    OPEN = "open"
    WORKAROUND = "workaround"
    FIXED = "fixed"
    WONT_FIX = "wont-fix"


class KnownIssue(KnowledgeDoc):
    id: DocId
    title: Annotated[str, Field(min_length=1, max_length=200)]
    status: Status
    root_cause: Key
    first_seen: IsoDate | None = None
    last_confirmed: IsoDate | None = None
    runbook: DocId | None = None
    product_ticket: Annotated[str, Field(min_length=1, max_length=200)] | None = None
