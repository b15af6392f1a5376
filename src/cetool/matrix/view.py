"""A lenient view of an `ownership.yaml` that failed its schema, for the cross-rules only.

One schema error (an unknown key, `named_owner_for: [P5]`, a team without `owns`) must not hide
the matrix's other problems (docs/check.md#rules-every-file-follows: one run reports every problem). So the rules also run
on a view built from the raw data, keeping every usable part and leaving out what is not:
- `teams`/`categories` that are not mappings become None (the rules needing them are skipped, so
  a missing `categories:` does not also report every owned category as undefined);
- a team or gate that is not a mapping is left out; a list that is not a list is empty;
- a list item that is not a usable string (a placeholder, a nested mapping) stays as None, so
  the other items keep their indices (positions) and the rules skip it;
- a gate without a `from` list gets `from_ = None` (its `missing` error is enough; no extra
  "empty from" warning);
- dates that do not parse are None (the date rules are skipped).
The view is never used for routing: a matrix with any error still cannot be built.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from cetool.matrix.model import Category, Escalation, Gate, Matrix, Team
from cetool.core.placeholders import is_placeholder


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and not is_placeholder(value) else None


def _items(value: Any) -> list[str | None]:
    return [_text(item) for item in value] if isinstance(value, list) else []


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(value.strip()) if isinstance(value, str) else None
    except ValueError:
        return None


def _team(raw: dict) -> Team:
    return Team.model_construct(
        name=_text(raw.get("name")) or "",
        owns=_items(raw.get("owns")),
        consults_on=_items(raw.get("consults_on")),
        does_not_own=_items(raw.get("does_not_own")),
    )


def _gate(raw: dict) -> Gate | None:
    # A gate whose `to` is unusable still keeps its index; its to is None and the rules skip it.
    from_ = _items(raw["from"]) if isinstance(raw.get("from"), list) else None
    return Gate.model_construct(to=_text(raw.get("to")), from_=from_)


def lenient_matrix(data: Any) -> Matrix | None:
    if not isinstance(data, dict):
        return None
    teams_raw, categories_raw = data.get("teams"), data.get("categories")
    teams = ({k: _team(v if isinstance(v, dict) else {}) for k, v in teams_raw.items() if isinstance(k, str)}
             if isinstance(teams_raw, dict) else None)
    categories = ({k: Category.model_construct(description="") for k in categories_raw if isinstance(k, str)}
                  if isinstance(categories_raw, dict) else None)
    escalation = data.get("escalation")
    gates_raw = escalation.get("gates") if isinstance(escalation, dict) else None
    gates = [_gate(g) if isinstance(g, dict) else None for g in gates_raw] if isinstance(gates_raw, list) else []
    named = escalation.get("named_owner_for") if isinstance(escalation, dict) else None
    return Matrix.model_construct(
        version=_text(data.get("version")) or "",
        effective=_date(data.get("effective")),
        review_by=_date(data.get("review_by")),
        teams=teams,
        categories=categories,
        escalation=Escalation.model_construct(gates=gates, named_owner_for=_items(named)),
    )
