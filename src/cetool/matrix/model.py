"""The ownership matrix (`ownership.yaml`, docs/matrix.md#format) as pydantic models.

Only the shape lives here; the rules that relate teams, categories and gates to each other are
in `cetool.matrix.rules`, so that every one of them becomes a positioned problem.
"""

from __future__ import annotations

import re
from datetime import date

from pydantic import BaseModel, ConfigDict, Field, field_validator

from cetool.core.ids import SEVERITY_LEVELS, SeverityLevel
KEY_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]*")
DEFAULT_NAMED_OWNER_FOR: tuple[str, ...] = SEVERITY_LEVELS[:2]  # P1 and P2 (docs/matrix.md#format)


def is_key(value: str) -> bool:
    return KEY_PATTERN.fullmatch(value) is not None


def is_team_key(value: str, teams) -> bool:
    """Whether a value meant to name a person is in fact a team key. Ignoring case and spaces:
    `owner: Pe` names the team `pe`, not a person."""
    return value.strip().casefold() in {key.casefold() for key in teams}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Team(_Strict):
    name: str
    owns: list[str]
    consults_on: list[str] = []
    does_not_own: list[str] = []


class Category(_Strict):
    description: str


class Gate(_Strict):
    to: str
    from_: list[str] = Field(alias="from")


class Escalation(_Strict):
    gates: list[Gate] = []
    named_owner_for: list[SeverityLevel] = Field(default_factory=lambda: list(DEFAULT_NAMED_OWNER_FOR))


class Matrix(_Strict):
    version: str
    effective: date
    review_by: date
    teams: dict[str, Team]
    categories: dict[str, Category]
    escalation: Escalation = Field(default_factory=Escalation)

    @field_validator("version")
    @classmethod
    def _version_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("version must not be empty")
        return value

    @property
    def named_owner_for(self) -> list[str]:
        return list(self.escalation.named_owner_for)

    @property
    def gates(self) -> list[Gate]:
        return list(self.escalation.gates)

    def owners_of(self, category: str) -> list[str]:
        return [key for key, team in self.teams.items() if category in team.owns]

    def owner_of(self, category: str) -> str | None:
        """The single owning team, or None when no team (or more than one) owns it."""
        owners = self.owners_of(category)
        return owners[0] if len(owners) == 1 else None

    def consultants_of(self, category: str) -> list[str]:
        return [key for key, team in self.teams.items() if category in team.consults_on]

    def disowners_of(self, category: str) -> list[str]:
        return [key for key, team in self.teams.items() if category in team.does_not_own]

    def gate_for(self, team: str) -> Gate | None:
        """The gate guarding routes *to* `team` (the first, if the matrix wrongly has several)."""
        return next((gate for gate in self.escalation.gates if gate.to == team), None)
