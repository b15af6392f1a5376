"""A prevention action (`prevention/<id>.yaml`): the Improve step's "assign a specific prevention
action before the next cycle" as a file in the docs repo (docs/prevention.md).

Only the shape lives here; the rules that need the matrix, the knowledge base or today's date
are in `cetool.prevention.rules`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from datetime import date
from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter

from cetool.core.ids import ID_PATTERN, is_id
from cetool.knowledge.known_issue import RootCause
from cetool.knowledge.runbook import IsoDate, read_date

Text = Annotated[str, StringConstraints(strip_whitespace=True)]
Kind = Literal["runbook-update", "known-issue", "product-feedback", "enablement"]
Status = Literal["planned", "in-progress", "done", "dropped"]
KINDS: tuple[str, ...] = get_args(Kind)
STATUSES: tuple[str, ...] = get_args(Status)
OPEN_STATUSES = frozenset({"planned", "in-progress"})
ACTION_ID_PREFIX = "PA"
ACTION_SCHEMA_FILE = "schemas/prevention.schema.json"

# `x-` keys are free for local extensions (the loader drops them; the schema must allow them).
_EXTENSIONS = {"patternProperties": {"^x-": {}}}


class PreventionAction(BaseModel):
    """One prevention action for one driver (root cause) of escalations and repeats."""

    model_config = ConfigDict(extra="forbid", frozen=True, title="Prevention action",
                              json_schema_extra=_EXTENSIONS)

    id: Annotated[str, StringConstraints(pattern=ID_PATTERN)] = Field(
        description="Unique (case-insensitively) across prevention/; the file is named <id>.yaml.")
    root_cause: RootCause = Field(description="The driver, as the ticket export's root_cause column has it.")
    kind: Kind = Field(description="runbook-update | known-issue | product-feedback | enablement")
    action: Text = Field(min_length=1, description="What will be done, specifically.")
    owner: Text = Field(min_length=1, max_length=200, description="The accountable person, not a team key.")
    team: Text = Field(description="A team key of the ownership matrix.")
    assigned: IsoDate = Field(description="The Monday the action was assigned (YYYY-MM-DD).")
    due: IsoDate = Field(description="YYYY-MM-DD, not before assigned.")
    status: Status
    done: IsoDate | None = Field(default=None, description="Required when status is done, else absent.")
    links: list[Text] = Field(default=[], description="Runbook and known-issue ids (must exist), tickets, URLs.")
    note: Text | None = None


@dataclass(frozen=True, slots=True)
class ActionHead:
    """The top-level fields the cross-file rules need, each None when unusable.

    Read from the raw document too, so an action with a schema error elsewhere still has its
    team, owner, dates and links checked in the same run: one round of fixes, not two.
    """

    id: str | None = None
    root_cause: str | None = None
    kind: str | None = None
    owner: str | None = None
    team: str | None = None
    assigned: date | None = None
    due: date | None = None
    status: str | None = None
    done: date | None = None
    links: tuple[str, ...] = ()

    @classmethod
    def of_action(cls, action: PreventionAction) -> ActionHead:
        values = {f.name: getattr(action, f.name) for f in fields(cls)}
        return cls(**{**values, "links": tuple(action.links)})

    @classmethod
    def of_data(cls, data: dict, flagged: set[str]) -> ActionHead:
        """The usable fields of raw data: values with no problem of their own (`flagged` keys)."""
        def text(name: str) -> str | None:
            value = data.get(name)
            return value.strip() if isinstance(value, str) and value.strip() and name not in flagged else None

        def day(name: str) -> date | None:
            return read_date(data.get(name)) if name not in flagged else None

        links = data.get("links") if "links" not in flagged else None
        kind, status, action_id = text("kind"), text("status"), text("id")
        return cls(
            id=action_id if action_id and is_id(action_id) else None,
            root_cause=text("root_cause"), kind=kind if kind in KINDS else None, owner=text("owner"),
            team=text("team"), assigned=day("assigned"), due=day("due"),
            status=status if status in STATUSES else None, done=day("done"),
            links=tuple(v.strip() for v in links if isinstance(v, str) and v.strip()) if isinstance(links, list) else (),
        )


ACTION_ADAPTER = TypeAdapter(PreventionAction)


def action_schema() -> dict:
    """The JSON Schema of a prevention action, for editors and other validators."""
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **ACTION_ADAPTER.json_schema()}


def action_schema_text() -> str:
    return json.dumps(action_schema(), indent=2, ensure_ascii=False) + "\n"
