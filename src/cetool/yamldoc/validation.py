"""Pydantic errors translated once, at this boundary, into positioned problems.

A missing key is reported at its parent mapping, an unknown key at the key itself, anything
else at the offending value. Placeholders (docs/check.md#rules-every-file-follows) are found first, so a `TBD` severity
reads as "placeholder", not as a second, confusing enum error.
"""

from __future__ import annotations

import re
from enum import Enum
from types import UnionType
from typing import Annotated, Any, Literal, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from cetool.core.findings import Code, Problem
from cetool.core.suggest import did_you_mean
from cetool.core.textsafe import quote, shorten
from cetool.yamldoc.loader import Path_, YamlDoc, format_path
from cetool.core.placeholders import placeholder_leaves

M = TypeVar("M", bound=BaseModel)
_MODEL_JARGON = re.compile(r" or instance of \w+")


def placeholder_problems(doc: YamlDoc, model: type[BaseModel] | None = None) -> list[Problem]:
    problems = []
    for path, value in placeholder_leaves(doc.data):
        where = shorten(format_path(path), 80)
        if value is None or not value.strip():
            # `[]` only helps where the schema takes a list; a text field needs its text.
            hint = " (write [] for an empty list)" if model is not None and _takes_list(model, path) else ""
            message = f"{where} is empty; fill it in{hint}"
        else:
            message = f"{where} is a placeholder ({quote(value.strip())}); replace it with the real value"
        problems.append(doc.problem(path, Code.PLACEHOLDER, message))
    return problems


def _options(annotation: Any) -> list[Any]:
    """The types an annotation allows, with Annotated and unions (`X | None`) unwrapped."""
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    if get_origin(annotation) in (Union, UnionType):
        return [option for arg in get_args(annotation) for option in _options(arg)]
    return [annotation]


def _field_type(annotation: Any, part: str | int) -> Any:
    """The type of `part` (a key or a list index) inside a value of type `annotation`, or None."""
    for option in _options(annotation):
        if isinstance(part, int) and get_origin(option) is list:
            return get_args(option)[0]
        if isinstance(part, str) and get_origin(option) is dict:
            return get_args(option)[1]
        if isinstance(part, str) and isinstance(option, type) and issubclass(option, BaseModel):
            for name, info in option.model_fields.items():
                if part in (name, info.alias):
                    return info.annotation
    return None


def _type_at(model: type[BaseModel], path: Path_) -> Any:
    """The type the model gives the value at `path`, or None where it has none."""
    annotation: Any = model
    for part in path:
        if (annotation := _field_type(annotation, part)) is None:
            return None
    return annotation


def _takes_list(model: type[BaseModel], path: Path_) -> bool:
    annotation = _type_at(model, path)
    return annotation is not None and any(get_origin(option) is list for option in _options(annotation))


def _known_keys(model: type[BaseModel] | None, parent: Path_) -> list[str]:
    """The keys the model allows in the mapping at `parent` (aliases as written in YAML)."""
    if model is None:
        return []
    keys = []
    for option in _options(_type_at(model, parent)):
        if isinstance(option, type) and issubclass(option, BaseModel):
            keys += [info.alias or name for name, info in option.model_fields.items()]
    return keys


def _allowed_values(model: type[BaseModel] | None, path: Path_) -> list[str]:
    """The values a Literal (or Enum) field allows, as strings."""
    if model is None:
        return []
    values: list[str] = []
    for option in _options(_type_at(model, path)):
        if get_origin(option) is Literal:
            values += [str(arg) for arg in get_args(option)]
        elif isinstance(option, type) and issubclass(option, Enum):
            values += [str(member.value) for member in option]
    return values


def _suggestion(value: Any, allowed: list[str]) -> str:
    """`; did you mean 'P1'?` for a value that differs from an allowed one only in case (or is
    spelled close to one)."""
    if not isinstance(value, str) or not allowed:
        return ""
    same_but_case = [choice for choice in allowed if choice.casefold() == value.strip().casefold()]
    if same_but_case:
        return f"; did you mean {quote(same_but_case[0])}?"
    return did_you_mean(value, allowed)


def _data_path(loc: tuple, data: Any) -> Path_:
    """Follow pydantic's loc through the data, dropping its union/validator tags."""
    path: list[str | int] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and isinstance(part, str) and part in node:
            node = node[part]
            path.append(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            path.append(part)
    return tuple(path)


def _message(error: dict, where: str) -> str:
    msg = error["msg"]
    if msg.startswith(("Value error, ", "Assertion failed, ")):
        msg = msg.split(", ", 1)[1]
    else:
        msg = msg[0].lower() + msg[1:]
    msg = _MODEL_JARGON.sub("", msg)  # "a valid dictionary or instance of Context" -> "a valid dictionary"
    value = error.get("input")
    shown = f" (got {quote(value)})" if isinstance(value, str) else ""
    where = shorten(where, 80)
    return f"{where}: {msg}{shown}" if where else f"{msg}{shown}"


def translate(error: dict, doc: YamlDoc, model: type[BaseModel] | None = None) -> Problem:
    """`model` (the one validated against) lets an unknown key or a wrong enum value get a
    "did you mean"."""
    loc = tuple(error["loc"])
    kind = error["type"]
    if kind == "missing":
        parent = _data_path(loc[:-1], doc.data)
        path = parent + (loc[-1],)
        return _at(doc, parent, path, Code.MISSING, f"required key {quote(format_path(path))} is missing")
    path = _data_path(loc, doc.data)
    if kind == "extra_forbidden":
        hint = did_you_mean(str(path[-1]), _known_keys(model, path[:-1])) if path else ""
        return doc.problem(path, Code.UNKNOWN_KEY, f"unknown key {quote(format_path(path))}{hint}", at_key=True)
    hint = _suggestion(error.get("input"), _allowed_values(model, path)) if kind in ("literal_error", "enum") else ""
    return doc.problem(path, Code.INVALID_VALUE, _message(error, format_path(path)) + hint)


def _at(doc: YamlDoc, position_path: Path_, path: Path_, code: str, message: str) -> Problem:
    pos = doc.position(position_path)
    return Problem(doc.file, pos.line if pos else None, pos.column if pos else None,
                   format_path(path), code, message)


def validate_document(doc: YamlDoc, model: type[M], *, context: Any = None) -> tuple[M | None, list[Problem]]:
    """Validate a loaded document; the instance is None when any schema error was found."""
    problems = [p for p in placeholder_problems(doc, model) if p.path not in doc.flagged]
    flagged = {p.path for p in problems} | doc.flagged
    try:
        instance = model.model_validate(doc.data, context=context)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            problem = translate(error, doc, model)
            # One problem per node: a union (`date | datetime`) fails once per member.
            if problem.path not in flagged:
                problems.append(problem)
                flagged.add(problem.path)
        return None, problems
    return instance, problems
