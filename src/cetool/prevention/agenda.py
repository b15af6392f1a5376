"""The Monday agenda: which drivers need a prevention action this week, and what kind
(docs/prevention.md#the-monday-agenda). Pure: a driver's facts in, one suggestion out.

The blueprint's four kinds, chosen from what the week's tickets and the knowledge base show:
the same root cause at three or more accounts is a product signal (product feedback); a root
cause no known issue names needs a known-issues entry; a known issue without a runbook needs the
runbook; repeats that all come from one account need enablement. A driver that has both and still
repeats across accounts gets its runbook reviewed.
"""

from __future__ import annotations

from dataclasses import dataclass

from cetool.prevention.words import NO_ACTION, OVERDUE

PRODUCT_SIGNAL_ACCOUNTS = 3


@dataclass(frozen=True)
class Suggestion:
    kind: str
    why: str

    def to_dict(self) -> dict:
        return {"kind": self.kind, "why": self.why}


def is_product_signal(accounts: int | None) -> bool | None:
    """Tickets of one root cause from this many distinct accounts in a week: a product problem,
    not a support one. None when the export has no account column."""
    return None if accounts is None else accounts >= PRODUCT_SIGNAL_ACCOUNTS


def on_agenda(status: str | None) -> bool:
    return status in (NO_ACTION, OVERDUE)


def suggest(*, accounts: int | None, known_issue: str | None, runbook: str | None,
            repeat_accounts: list[str] | None, repeats: int) -> Suggestion:
    """The kind of prevention action the driver's week points to, with the one-line reason."""
    if is_product_signal(accounts):
        return Suggestion("product-feedback", f"{accounts} accounts this week: a product signal, not a support one")
    if known_issue is None:
        return Suggestion("known-issue", "no known issue names this root cause yet")
    if runbook is None:
        return Suggestion("runbook-update", f"{known_issue} has no runbook yet")
    if repeat_accounts is not None and len(repeat_accounts) == 1 and repeats > 1:
        return Suggestion("enablement", f"all {repeats} repeats come from one account ({repeat_accounts[0]})")
    return Suggestion("runbook-update", f"{runbook} exists, yet it repeats: review its resolution")
