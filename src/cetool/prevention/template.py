"""`cetool prevention new`: the commented action template, pre-filled like `packet new`'s.

The next id, `assigned` (this week's Monday), the team (from the matrix) and the links (the
driver's known issue and runbook) are filled in; what only the author knows stays a
`<placeholder>`, which `cetool check` reports until it is replaced.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from cetool.core.docsroot import PACKET_SUFFIXES, DocsRoot
from cetool.core.errors import CetoolError
from cetool.core.files import atomic_write, discover, display_path
from cetool.core.ids import next_sequence_id
from cetool.core.placeholders import is_placeholder
from cetool.core.suggest import did_you_mean
from cetool.core.textsafe import quote
from cetool.knowledge.load import Knowledge, load_knowledge
from cetool.matrix.load import load_matrix
from cetool.matrix.model import Matrix, is_team_key
from cetool.packets.template import scalar
from cetool.prevention.load import ActionCheck, load_prevention, prevention_folder
from cetool.prevention.model import ACTION_ID_PREFIX, ACTION_SCHEMA_FILE, action_schema_text

# The matrix category whose owner does each kind of action (the starter matrix of `cetool init`
# has both: Customer Engineering owns repeat prevention and the product feedback loop).
KIND_CATEGORY = {
    "runbook-update": "repeat-prevention",
    "known-issue": "repeat-prevention",
    "enablement": "repeat-prevention",
    "product-feedback": "product-feedback-loop",
}

_KIND_HINTS = {
    "runbook-update": "which runbook, which step is added or fixed",
    "known-issue": "the known issue to write, with its root cause and workaround",
    "product-feedback": "what the product team is asked for, with the accounts and tickets",
    "enablement": "the session for Support: topic, audience and date",
}


def monday_of_week(day: date) -> date:
    """The Monday of the ISO week `day` is in: when an action assigned that week was assigned."""
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class ActionValues:
    id: str
    assigned: date
    root_cause: str | None = None
    kind: str | None = None
    action: str | None = None
    owner: str | None = None
    team: str | None = None
    due: date | None = None
    links: tuple[str, ...] = ()


def _value(value: str | None, placeholder: str) -> str:
    return scalar(value) if value else placeholder


def render_action(v: ActionValues) -> str:
    hint = _KIND_HINTS.get(v.kind or "", "specific: what will be done, by whom, where")
    links = (f"links: [{', '.join(scalar(link) for link in v.links)}]   # runbook and known-issue ids must exist"
             if v.links else "# links: [RB-0000, KI-0000, PE-0000]   # optional: runbook and known-issue ids must exist")
    return f"""\
# yaml-language-server: $schema=../{ACTION_SCHEMA_FILE}
# Prevention action: the Improve step's "assign a specific prevention action before the next
# cycle". Replace every <placeholder> (cetool check fails while one is left). When it is done,
# set status: done and add done: YYYY-MM-DD; the weekly report then shows its effect.
id: {scalar(v.id)}
root_cause: {_value(v.root_cause, "<root cause>")}   # the driver, exactly as the export's root_cause column has it
kind: {_value(v.kind, "<kind>")}   # runbook-update | known-issue | product-feedback | enablement
action: {_value(v.action, "<specific action>")}   # {hint}
owner: {_value(v.owner, "<named person>")}   # a person, not a team
team: {_value(v.team, "<team key>")}   # a team of ownership.yaml
assigned: {v.assigned.isoformat()}   # the Monday it was assigned
due: {v.due.isoformat() if v.due else "<due date>"}   # YYYY-MM-DD, not before assigned; before the next cycle
status: planned   # planned | in-progress | done | dropped
{links}
# note: <anything the next reader needs>   # optional
"""


def _team_for(kind: str | None, matrix: Matrix) -> str | None:
    category = KIND_CATEGORY.get(kind or "repeat-prevention", "repeat-prevention")
    return matrix.owner_of(category) if category in matrix.categories else None


def _links(root_cause: str | None, knowledge: Knowledge) -> tuple[str, ...]:
    issue = knowledge.by_root_cause().get(root_cause) if root_cause else None
    if issue is None:
        return ()
    return (issue.id, issue.runbook) if issue.runbook else (issue.id,)


def check_new_options(matrix: Matrix, *, root_cause: str | None, owner: str | None, team: str | None,
                      action: str | None, due: date | None, assigned: date) -> None:
    """Refuse (CetoolError, exit 2) any option `cetool check` would reject."""
    for option, value in (("--root-cause", root_cause), ("--action", action), ("--owner", owner)):
        if value is not None and is_placeholder(value):
            raise CetoolError(f"{option} {quote(value)}: a placeholder; give the real value or leave the option out")
    if owner is not None and is_team_key(owner, matrix.teams):
        raise CetoolError(f"--owner {quote(owner)}: name the accountable person, not a team (the team goes under --team)")
    if team is not None and team not in matrix.teams:
        raise CetoolError(f"--team {quote(team)} is not in the matrix{did_you_mean(team, matrix.teams)}")
    if due is not None and due < assigned:
        raise CetoolError(f"--due {due}: before assigned {assigned} (this week's Monday)")


def create_action(matrix_path: Path, *, root_cause: str | None, kind: str | None, action: str | None,
                  owner: str | None, team: str | None, due: date | None, today: date) -> list[str]:
    """Write `prevention/<next id>.yaml` of the docs root, and `schemas/prevention.schema.json`
    when the docs root has none; returns the display paths written, the action first.

    A matrix that cannot be built, or an option `cetool check` would reject, stops with
    CetoolError (exit 2) before anything is written. An existing file is never replaced (the id
    is new, so that only happens when a file took the name meanwhile: then exit 2).
    """
    loaded = load_matrix(matrix_path, today=today)
    matrix = loaded.matrix
    if matrix is None:
        raise CetoolError(f"{display_path(matrix_path)} has errors; run cetool matrix check")
    docs_root = DocsRoot.of_matrix(matrix_path.resolve())
    assigned = monday_of_week(today)
    check_new_options(matrix, root_cause=root_cause, owner=owner, team=team, action=action, due=due,
                      assigned=assigned)
    knowledge = load_knowledge(docs_root, matrix=matrix, today=today)
    existing = load_prevention(docs_root, matrix=matrix, knowledge=knowledge, today=today)
    action_id = next_action_id(docs_root, today, existing)
    target = prevention_folder(docs_root) / f"{action_id}.yaml"
    text = render_action(ActionValues(
        id=action_id, assigned=assigned, root_cause=root_cause and root_cause.strip(), kind=kind,
        action=action and " ".join(action.split()), owner=owner and owner.strip(),
        team=team or _team_for(kind, matrix), due=due, links=_links(root_cause and root_cause.strip(), knowledge),
    ))
    schema = docs_root.folder / ACTION_SCHEMA_FILE
    new_schema = not schema.exists()
    atomic_write(target, text)
    if new_schema:  # the `$schema` line must resolve; an existing schema is never replaced
        atomic_write(schema, action_schema_text())
    return [display_path(path) for path in (target, *([schema] if new_schema else []))]


def next_action_id(docs_root: DocsRoot, today: date, existing: ActionCheck | None) -> str:
    """PA-<year>-<n+1> over the file names under prevention/ and the ids written in them."""
    folder = prevention_folder(docs_root)
    # Every name that is there counts, even a link that leads nowhere (so no root: as packet ids are found).
    names = [path.stem for path in discover([folder], PACKET_SUFFIXES)[0]] if folder.is_dir() else []
    ids = [loaded.head.id for loaded in (existing.actions if existing else []) if loaded.head.id]
    return next_sequence_id(ACTION_ID_PREFIX, today.year, [*names, *ids])
