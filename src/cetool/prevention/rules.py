"""The rules of a prevention action that need more than its own schema (docs/prevention.md): the
team against the matrix, the owner a person, the dates in order, the links resolving, and the
warnings that keep the loop honest (overdue, done without its runbook or known issue).

Pure: an action's head (usable even when the rest has schema errors), its YamlDoc (for
positions) and what the docs root holds in; problems out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import PurePath

from cetool.core.findings import Code, Problem
from cetool.core.ids import IdIndex, id_key
from cetool.core.suggest import did_you_mean
from cetool.core.textsafe import quote
from cetool.matrix.model import Matrix, is_team_key
from cetool.packets.rules import filename_problems
from cetool.prevention.model import OPEN_STATUSES, ActionHead
from cetool.yamldoc.loader import YamlDoc

# Where a link is an id of the docs repo. A link with one of these prefixes (or the prefix of an
# existing id: `PRB-` when known issues are named `PRB-0001`) must resolve; other links (a product
# ticket `PE-4411`, a URL) are free text.
DEFAULT_RUNBOOK_PREFIXES = ("RB-",)
DEFAULT_KNOWN_ISSUE_PREFIXES = ("KI-",)
_ID_PREFIX = re.compile(r"([A-Z]+-)")


@dataclass(frozen=True)
class KnowledgeRefs:
    """What a docs root's runbooks and known issues offer the links and the done-warnings.

    An index is None when its folder does not exist: links of that kind are then not checked,
    as a packet's `known_issue` is not outside a docs root with `known_issues/`.
    """

    runbook_ids: IdIndex | None = None
    known_issue_ids: IdIndex | None = None
    root_causes: frozenset[str] = frozenset()  # the known issues' root_cause values

    def runbook_prefixes(self) -> set[str]:
        return _prefixes(self.runbook_ids, DEFAULT_RUNBOOK_PREFIXES)

    def known_issue_prefixes(self) -> set[str]:
        return _prefixes(self.known_issue_ids, DEFAULT_KNOWN_ISSUE_PREFIXES)

    def links_runbook(self, links) -> bool:
        return self.runbook_ids is not None and any(link in self.runbook_ids for link in links)


def _prefixes(ids: IdIndex | None, defaults: tuple[str, ...]) -> set[str]:
    found = {match.group(1) for value in (ids or ()) if (match := _ID_PREFIX.match(value.strip()))}
    return {prefix.casefold() for prefix in (*defaults, *found)}


def _names(link: str, prefixes: set[str]) -> bool:
    return any(id_key(link).startswith(prefix) for prefix in prefixes)


def check_action(head: ActionHead, doc: YamlDoc, *, path: PurePath, matrix: Matrix | None,
                 refs: KnowledgeRefs, today: date) -> list[Problem]:
    """Every rule of one action whose fields are usable (not None); the others have problems of
    their own from the schema."""
    problems = [*filename_problems(head, doc, path), *date_problems(head, doc),
                *link_problems(head, doc, refs), *loop_warnings(head, doc, refs, today)]
    if matrix is not None:
        problems += team_problems(head, doc, matrix)
    return problems


def team_problems(head: ActionHead, doc: YamlDoc, matrix: Matrix) -> list[Problem]:
    problems = []
    if head.team is not None and head.team not in matrix.teams:
        problems.append(doc.problem(("team",), Code.UNDEFINED_TEAM,
                                    f"team {quote(head.team)} is not a team of the ownership matrix"
                                    f"{did_you_mean(head.team, matrix.teams)}"))
    if head.owner is not None and is_team_key(head.owner, matrix.teams):
        problems.append(doc.problem(("owner",), Code.OWNER_IS_TEAM,
                                    f"owner {quote(head.owner)} is a team; name the accountable person "
                                    "(the team goes under team:)"))
    return problems


def date_problems(head: ActionHead, doc: YamlDoc) -> list[Problem]:
    problems = []
    if head.assigned and head.due and head.due < head.assigned:
        problems.append(doc.problem(("due",), Code.DUE_BEFORE_ASSIGNED,
                                    f"due {head.due} is before assigned {head.assigned}"))
    if head.status == "done" and "done" not in doc.data:
        problems.append(doc.problem(("status",), Code.DONE_WITHOUT_DATE,
                                    "status is done but there is no done: date; add the day it was done "
                                    "(the report measures its effect from there)"))
    if head.status is not None and head.status != "done" and "done" in doc.data:
        problems.append(doc.problem(("done",), Code.DATE_WITHOUT_DONE,
                                    f"a done: date while status is {head.status}; set status: done or "
                                    "remove the date"))
    if head.done and head.assigned and head.done < head.assigned:
        problems.append(doc.problem(("done",), Code.DONE_BEFORE_ASSIGNED,
                                    f"done {head.done} is before assigned {head.assigned}"))
    return problems


def link_problems(head: ActionHead, doc: YamlDoc, refs: KnowledgeRefs) -> list[Problem]:
    """A link naming a runbook or known issue (by its id's prefix) must exist; others are free."""
    problems = []
    checks = [(refs.runbook_ids, refs.runbook_prefixes(), Code.UNKNOWN_RUNBOOK, "runbook", "runbooks/"),
              (refs.known_issue_ids, refs.known_issue_prefixes(), Code.UNKNOWN_KNOWN_ISSUE, "known issue",
               "known_issues/")]
    raw = doc.data.get("links")
    for index, link in enumerate(raw if isinstance(raw, list) else []):
        if not isinstance(link, str) or not link.strip():
            continue
        link = link.strip()
        for ids, prefixes, code, label, folder in checks:
            if ids is not None and _names(link, prefixes) and link not in ids:
                problems.append(doc.problem(("links", index), code,
                                            f"links: {label} {quote(link)} is not in {folder}"
                                            f"{did_you_mean(link, ids)}"))
                break
    return problems


def is_overdue(status: str | None, due: date | None, today: date) -> bool:
    """An open action (planned or in progress) whose due date is before `today`."""
    return status in OPEN_STATUSES and due is not None and due < today


def loop_warnings(head: ActionHead, doc: YamlDoc, refs: KnowledgeRefs, today: date) -> list[Problem]:
    problems = []
    if is_overdue(head.status, head.due, today):
        days = (today - head.due).days
        problems.append(doc.problem(("due",), Code.ACTION_OVERDUE,
                                    f"overdue: due {head.due} ({days} day{'s' if days != 1 else ''} ago) and still "
                                    f"{head.status}; finish it, move the date or drop it"))
    knows_issues = refs.known_issue_ids is not None
    if head.status == "done" and head.kind == "known-issue" and knows_issues and head.root_cause \
            and head.root_cause not in refs.root_causes:
        problems.append(doc.problem(("status",), Code.DONE_WITHOUT_KNOWN_ISSUE,
                                    f"a done known-issue action, but no known issue has root_cause "
                                    f"{quote(head.root_cause)}; add it to the known issue's front matter"))
    if head.status == "done" and head.kind == "runbook-update" and not refs.links_runbook(head.links):
        where = ("links",) if "links" in doc.data else ("status",)
        problems.append(doc.problem(where, Code.DONE_WITHOUT_RUNBOOK,
                                    "a done runbook-update action that links no runbook; add the runbook's "
                                    "id under links:"))
    if head.root_cause and knows_issues and head.root_cause not in refs.root_causes:
        hint = did_you_mean(head.root_cause, refs.root_causes)
        if hint:  # a root cause no known issue has, but close to one: most likely a typo
            problems.append(doc.problem(("root_cause",), Code.UNKNOWN_ROOT_CAUSE,
                                        f"no known issue has root_cause {quote(head.root_cause)}{hint} "
                                        "(the report matches actions to drivers by this exact value)"))
    return problems
