"""Export mappings: how a vendor's CSV maps onto the canonical columns (docs/metrics.md#the-canonical-export).

A preset is a small YAML file shipped under `cetool/metrics/presets/`; `--mapping FILE` is a user file of
the same format (docs/metrics.md describes it). This module only loads and checks the mapping;
applying it to a CSV is `cetool.metrics.load`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationError, field_validator

from cetool.core.errors import CetoolError
from cetool.core.files import IS_A_FOLDER, NO_SUCH_FILE, missing_reason
from cetool.core.findings import Code, Problem
from cetool.core.ids import SEVERITY_LEVELS
from cetool.metrics.result import PHASE_COLUMNS
from cetool.yamldoc.loader import YamlDoc, load_yaml_text, read_text
from cetool.yamldoc.validation import translate

PRESETS = ("canonical", "zendesk", "jira", "servicenow")
REQUIRED = ("ticket_id", "created_at", "priority")
TIMESTAMPS = (
    "created_at", "resolved_at", "escalated_at", "prioritized_at", "updated_at", "first_response_at",
    *PHASE_COLUMNS,
)
CANONICAL = (
    "ticket_id", "created_at", "priority", "resolved_at", "escalated_at", "prioritized_at",
    "root_cause", "account", "updated_at", "first_response_at", "reopen_count", "packet_id",
    "status", "team", *PHASE_COLUMNS,
)


def _date_format(fmt: str) -> str:
    """A strptime format that can read back a timestamp it wrote; checked here so a bad
    directive (%Q) is an error at its line in the mapping file, not a crash mid-export."""
    if "%" not in fmt:
        raise ValueError(f"date format {fmt!r} has no strftime directive such as %d")
    sample = datetime(2026, 11, 17, 15, 4, 5, 123456, tzinfo=timezone.utc)
    try:
        datetime.strptime(sample.strftime(fmt), fmt)
    except ValueError as exc:
        raise ValueError(f"date format {fmt!r} cannot be used to read dates: {exc}") from None
    except re.error:  # strptime builds a pattern with one group per directive
        raise ValueError(f"date format {fmt!r} names a directive twice (such as %d ... %d); "
                         "each part of the date can be read once") from None
    return fmt


def _timestamp_column(value: str) -> str:
    if value not in TIMESTAMPS:
        raise ValueError(f"must be one of the timestamp columns: {', '.join(TIMESTAMPS)}")
    return value


_EscalationTime = Annotated[str, AfterValidator(_timestamp_column)]


class _EscalationTag(BaseModel):
    model_config = ConfigDict(extra="forbid")
    tag: str
    at: _EscalationTime = "created_at"


def _headers(value: str | list[str]) -> str | list[str]:
    names = [value] if isinstance(value, str) else value
    if not names or any(not name.strip() for name in names):
        raise ValueError("name the header of the yes/no column (or a list of headers to try)")
    return value


class _EscalationFlag(BaseModel):
    model_config = ConfigDict(extra="forbid")
    column: Annotated[str | list[str], AfterValidator(_headers)]
    at: _EscalationTime = "created_at"


class _MappingModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str | None = None
    columns: dict[str, str | list[str]]
    priority: dict[str, str] | None = None
    date_formats: list[Annotated[str, AfterValidator(_date_format)]] = []
    date_order: Literal["dmy", "mdy"] | None = None
    missing: list[str] = []
    minutes_after_created: dict[str, str] = {}
    tags: str | list[str] | None = None
    escalation_tag: _EscalationTag | None = None
    escalation_flag: _EscalationFlag | None = None
    root_cause_tag_prefix: str | None = None

    @field_validator("priority")
    @classmethod
    def _levels(cls, value: dict | None) -> dict | None:
        wrong = sorted(word for word, level in (value or {}).items() if level not in SEVERITY_LEVELS)
        if wrong:
            raise ValueError(f"priority words must map to P1..P4 (check: {', '.join(wrong)})")
        return value

def _as_list(value: str | list[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


@dataclass(frozen=True)
class Mapping:
    """A checked mapping. `columns` gives, per canonical column, the vendor headers to try in order."""

    label: str
    columns: dict[str, tuple[str, ...]]
    priority: dict[str, str] | None = None  # lower-cased vendor word -> P1..P4; None: P1..P4 as written
    date_formats: tuple[str, ...] = ()
    date_order: str | None = None  # "dmy" or "mdy": decides when the dates fit both orders
    missing: tuple[str, ...] = ()
    minutes_after_created: dict[str, str] = field(default_factory=dict)
    tags: tuple[str, ...] = ()
    escalation_tag: str | None = None
    escalation_at: str = "created_at"
    escalation_flag: tuple[str, ...] = ()  # the headers to try for a yes/no "escalated" column
    escalation_flag_at: str = "created_at"
    root_cause_tag_prefix: str | None = None

    @classmethod
    def from_model(cls, model: _MappingModel, label: str) -> "Mapping":
        priority = None
        if model.priority is not None:
            priority = {word.strip().lower(): level for word, level in model.priority.items()}
        return cls(
            label=label,
            columns={key: _as_list(value) for key, value in model.columns.items()},
            priority=priority,
            date_formats=tuple(model.date_formats),
            date_order=model.date_order,
            missing=tuple(model.missing),
            minutes_after_created=dict(model.minutes_after_created),
            tags=_as_list(model.tags),
            escalation_tag=model.escalation_tag.tag if model.escalation_tag else None,
            escalation_at=model.escalation_tag.at if model.escalation_tag else "created_at",
            escalation_flag=_as_list(model.escalation_flag.column) if model.escalation_flag else (),
            escalation_flag_at=model.escalation_flag.at if model.escalation_flag else "created_at",
            root_cause_tag_prefix=model.root_cause_tag_prefix,
        )


# The keys each map may have; a duration derives a timestamp, never created_at itself.
_KEYS = {"columns": CANONICAL, "minutes_after_created": tuple(t for t in TIMESTAMPS if t != "created_at")}


def _key_problems(doc: YamlDoc) -> list[Problem]:
    """A required column columns does not map, and each unknown canonical column at its own key."""
    problems = []
    data = doc.data if isinstance(doc.data, dict) else {}
    columns = data.get("columns")
    missing = [name for name in REQUIRED if isinstance(columns, dict) and name not in columns]
    if missing:
        problems.append(doc.problem(("columns",), Code.MISSING,
                                    f"columns must map the required column(s) {', '.join(missing)}"))
    for field_name, known in _KEYS.items():
        value = data.get(field_name)
        for key in value if isinstance(value, dict) else ():
            if key in known:
                continue
            why = ("created_at cannot be given as minutes after itself" if key == "created_at"
                   else f"unknown canonical column {key!r}")
            problems.append(doc.problem((field_name, key), Code.INVALID_KEY,
                                        f"{field_name}.{key}: {why}; known: {', '.join(known)}", at_key=True))
    return problems


def _check(text: str, file: str, label: str) -> tuple[Mapping | None, list[Problem]]:
    doc, problems = load_yaml_text(text, file)
    if doc is None:
        return None, problems
    # Every problem in one run: the YAML's own (a duplicate key), the keys, the schema's.
    problems = problems + [p for p in _key_problems(doc) if p.path not in doc.flagged]
    model = None
    try:
        model = _MappingModel.model_validate(doc.data)
    except ValidationError as exc:
        problems += [p for p in (translate(error, doc) for error in exc.errors()) if p.path not in doc.flagged]
    if problems or model is None:
        return None, sorted(problems, key=lambda p: (p.line or 0, p.column or 0))
    return Mapping.from_model(model, label), []


def _fail(problems: list[Problem]) -> CetoolError:
    lines = [f"{p.file}:{p.line or 0}:{p.column or 0}: {p.message}" for p in problems]
    return CetoolError("the mapping file is not valid:\n  " + "\n  ".join(lines))


def load_preset(name: str) -> Mapping:
    if name not in PRESETS:
        raise CetoolError(f"unknown preset {name!r}; choose one of {', '.join(PRESETS)} or pass --mapping FILE")
    text = (resources.files("cetool") / "metrics" / "presets" / f"{name}.yaml").read_text(encoding="utf-8")
    mapping, problems = _check(text, f"presets/{name}.yaml", name)
    if mapping is None:  # a shipped preset is tested; this is a packaging fault
        raise _fail(problems)
    return mapping


def load_mapping_file(path: Path, display: str) -> Mapping:
    why = missing_reason(path)
    if why == IS_A_FOLDER:
        raise CetoolError(f"{display}: is a folder, not a mapping file")
    if why is not None:
        raise CetoolError(f"{display}: {'mapping file not found' if why == NO_SUCH_FILE else why}")
    text, problems = read_text(path, display)
    if text is None:
        raise _fail(problems)
    mapping, problems = _check(text, display, f"mapping:{display}")
    if mapping is None:
        raise _fail(problems)
    return mapping
