"""A runbook's front matter (docs/knowledge.md#runbook): `runbooks/*.md`."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr

from cetool.core.ids import ID_PATTERN

KEY_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value: Any) -> Any:
    # pydantic's lax mode also takes timestamps and datetimes; the spec wants exactly YYYY-MM-DD.
    if isinstance(value, str) and not _DATE.fullmatch(value.strip()):
        raise ValueError("must be a date written YYYY-MM-DD")
    return value.strip() if isinstance(value, str) else value


def read_date(value: Any) -> date | None:
    """A raw front-matter value as the date it names when written YYYY-MM-DD, else None: for
    reports that read files with other errors (`kb stale`)."""
    text = value.strip() if isinstance(value, str) else ""
    try:
        return date.fromisoformat(text) if _DATE.fullmatch(text) else None
    except ValueError:  # 2026-02-30
        return None


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
DocId = Annotated[str, Field(pattern=ID_PATTERN, max_length=100)]
Key = Annotated[str, Field(pattern=KEY_PATTERN, max_length=100)]

RUNBOOK_SECTIONS = ("Symptoms", "Detection", "Resolution", "Escalation criteria")


class KnowledgeDoc(BaseModel):
    """What runbooks and known issues share: strict front matter, plus where it came from."""

    model_config = ConfigDict(extra="forbid")

    # Where it came from and its sections' text, set by the loader (never from front matter).
    _file: str = PrivateAttr(default="")
    _sections: dict[str, str] = PrivateAttr(default_factory=dict)

    @property
    def file(self) -> str:
        return self._file

    @property
    def sections(self) -> dict[str, str]:
        """Section key (lowercase title) -> body text, first occurrence."""
        return self._sections


class Runbook(KnowledgeDoc):

    id: DocId
    title: Annotated[str, Field(min_length=1, max_length=200)]
    category: Key
    owner: Key
    author: Annotated[str, Field(min_length=1, max_length=200)]
    last_reviewed: IsoDate
    engineering_reviewed: IsoDate | None = None
    known_issues: list[DocId] = Field(default_factory=list)
