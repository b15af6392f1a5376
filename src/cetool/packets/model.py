"""The escalation packet (`packets/*.yaml`, docs/packets.md#format): the four elements a Product
Engineering escalation must carry. Routing against the matrix is in `cetool.packets.rules`.

Every scalar arrives as the string the author wrote; pydantic's lax mode parses the dates.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter, field_validator

from cetool.core.ids import ID_PATTERN, SEVERITY_LEVELS, SeverityLevel, is_id
from cetool.core.placeholders import is_placeholder

MIN_TITLE_LENGTH, MAX_TITLE_LENGTH = 10, 200
_ISO_START = re.compile(r"\d{4}-\d{2}-\d{2}[T ]")
_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")

Text = Annotated[str, StringConstraints(strip_whitespace=True)]


# `x-` keys are free for local extensions (the loader drops them; the schema must allow them).
_EXTENSIONS = {"patternProperties": {"^x-": {}}}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, json_schema_extra=_EXTENSIONS)


class Context(_Strict):
    """Element 1: issue context."""

    customer: Text = Field(description="The affected customer account.")
    account_criticality: Literal["low", "medium", "high", "strategic"]
    experience: Text = Field(description="What the customer is experiencing.")
    business_impact: Text
    tickets: list[Text] = Field(default=[], description="Ticket ids of the customer's reports.")


class Reproduction(_Strict):
    """Element 2: reproduction steps."""

    environment: Text = Field(description="Where it reproduces: production/sandbox, region, API version.")
    configuration: Text | None = None
    reproducible: Literal["always", "intermittent", "not-reproduced"]
    steps: list[Text] = Field(min_length=1, description="Exact steps; at least one, two or more preferred.")
    expected: Text
    actual: Text
    evidence: list[Text] = Field(default=[], description="Request ids, log links, timestamps.")


class Attempt(_Strict):
    action: Text = Field(description="What Customer Engineering tried or investigated.")
    result: Text = Field(description="What happened.")


class ProposedPath(_Strict):
    """Element 4: what Customer Engineering believes is happening and what resolving it needs."""

    hypothesis: Text
    resolution_requires: Text


class Packet(_Strict):
    """An escalation packet. No packet, no escalation."""

    model_config = ConfigDict(extra="forbid", frozen=True, title="Escalation packet", json_schema_extra=_EXTENSIONS)

    id: Annotated[str, StringConstraints(pattern=ID_PATTERN)] = Field(
        description="Unique (case-insensitively) across packets/; the file is named <id>.yaml.")
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=MIN_TITLE_LENGTH,
                                            max_length=MAX_TITLE_LENGTH)]
    severity: SeverityLevel
    category: Text = Field(description="A category key of the ownership matrix.")
    from_team: Text = Field(description="The team key that sends the escalation.")
    route_to: Text = Field(description="The team key that owns the category.")
    owner: Text | None = Field(default=None, description="A named person; required for the matrix's named_owner_for severities.")
    created: date | datetime = Field(description="YYYY-MM-DD or an ISO 8601 datetime.")
    matrix_version: Text | None = Field(default=None, description="The matrix version the routing was checked against.")
    known_issue: Text | None = Field(default=None, description="A known-issue id under known_issues/.")
    context: Context
    reproduction: Reproduction
    tried: list[Attempt] = Field(min_length=1, description="Element 3: what has been tried; at least one.")
    ruled_out: list[Text] = []
    proposed_path: ProposedPath

    @field_validator("created", mode="before")
    @classmethod
    def _iso_only(cls, value: object) -> object:
        # Parsed here so a bad value reads as one clear message (not one per union member), and
        # so a Unix timestamp like "1732000000", which pydantic's lax mode would take, is refused.
        if not isinstance(value, str):
            return value
        text = value.strip()
        try:
            if _DATE_ONLY.fullmatch(text):
                return date.fromisoformat(text)
            if _ISO_START.match(text):
                return datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
        except ValueError as exc:
            raise ValueError(f"not a valid date or datetime ({exc})") from None
        raise ValueError("expected a date (YYYY-MM-DD) or an ISO 8601 datetime")


def title_problem(title: str) -> str | None:
    """Why a title is refused (the model's own bounds), for `packet new`'s --title."""
    text = title.strip()
    if is_placeholder(text) or not MIN_TITLE_LENGTH <= len(text) <= MAX_TITLE_LENGTH:
        return f"write one line of {MIN_TITLE_LENGTH}-{MAX_TITLE_LENGTH} characters saying what is broken for whom"
    return None


@dataclass(frozen=True, slots=True)
class PacketHead:
    """The top-level fields that routing, ids and references need, each None when unusable: the
    one reader of a packet's raw fields (`packet validate`, `check`, the id index, `packet new`).

    Read from the raw document, so a packet with a schema error elsewhere (a missing
    `reproduction.expected`, a typo'd key) still has its routing checked in the same run: one
    round of fixes, not two. A value with a problem of its own (a placeholder, a bad id, an
    unknown severity) is None, so each node gets one problem.
    """

    id: str | None = None
    severity: str | None = None
    category: str | None = None
    from_team: str | None = None
    route_to: str | None = None
    owner: str | None = None
    known_issue: str | None = None
    matrix_version: str | None = None
    owner_written: bool = False  # an `owner:` key is there, usable or not

    @classmethod
    def of_data(cls, data: dict, flagged: set[str] = frozenset()) -> PacketHead:
        """The usable fields of raw data: non-placeholder strings with no problem of their own
        (`flagged`: top-level keys that already have one)."""
        values: dict = {"owner_written": "owner" in data}
        for name in _RAW_FIELDS:
            value = data.get(name)
            if isinstance(value, str) and name not in flagged and not is_placeholder(value):
                values[name] = value.strip()
        if values.get("severity") not in SEVERITY_LEVELS:
            values.pop("severity", None)
        if "id" in values and not is_id(values["id"]):
            values.pop("id")
        return cls(**values)


_RAW_FIELDS = tuple(field.name for field in fields(PacketHead) if field.name != "owner_written")


PACKET_ADAPTER = TypeAdapter(Packet)


def packet_schema() -> dict:
    """The JSON Schema of a packet, for editors and other validators (dates as strings)."""
    schema = PACKET_ADAPTER.json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def packet_schema_text() -> str:
    return json.dumps(packet_schema(), indent=2, ensure_ascii=False) + "\n"
