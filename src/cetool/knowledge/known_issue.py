"""A known issue's front matter (docs/knowledge.md#known-issue): `known_issues/*.md`."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, Field

from cetool.knowledge.runbook import DocId, IsoDate, KnowledgeDoc

KNOWN_ISSUE_SECTIONS = ("Symptoms", "Root cause", "Detection", "Workaround", "Escalation criteria")


MAX_ROOT_CAUSE_LENGTH = 200


def _root_cause(value: str) -> str:
    # Whatever the ticket export's root_cause column carries (ServiceNow `PRB0001`, a Zendesk
    # drop-down `sso_loop`, free text `SSO Loop`), trimmed, as the metrics compare it.
    text = value.strip()
    if "\n" in text or "\r" in text:
        raise ValueError("root_cause must be a single line (the value of the export's root_cause column)")
    if len(text) > MAX_ROOT_CAUSE_LENGTH:
        raise ValueError(f"root_cause must be at most {MAX_ROOT_CAUSE_LENGTH} characters")
    return text


RootCause = Annotated[str, Field(min_length=1), AfterValidator(_root_cause)]


class Status(StrEnum):
    OPEN = "open"
    WORKAROUND = "workaround"
    FIXED = "fixed"
    WONT_FIX = "wont-fix"


class KnownIssue(KnowledgeDoc):
    id: DocId
    title: Annotated[str, Field(min_length=1, max_length=200)]
    status: Status
    root_cause: RootCause
    # Required although the spec does not say "required": it marks only runbook and
    # product_ticket optional, and without them an issue could never go stale.
    first_seen: IsoDate
    last_confirmed: IsoDate
    runbook: DocId | None = None
    product_ticket: Annotated[str, Field(min_length=1, max_length=200)] | None = None
