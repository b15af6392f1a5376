"""The matrix rules (docs/matrix.md#rules) that relate teams, categories and gates to each other.

Pure: a Matrix and the YamlDoc it came from (for positions) in, problems out. Each problem
points at the node to fix: the list item that names an undefined key, the second gate with the
same `to`, the category key that nobody (or more than one team) owns. The Matrix may also be the
lenient view of a file with schema errors (`cetool.matrix.view`): then `teams` or
`categories` may be None, and gates, gate ends, list items and dates may be None; each rule skips
what it cannot use.
"""

from __future__ import annotations

from datetime import date

from cetool.core.findings import Code, Problem
from cetool.core.textsafe import quote
from cetool.yamldoc.loader import YamlDoc, format_path
from cetool.matrix.model import Gate, Matrix, is_key

MAX_REVIEW_INTERVAL_DAYS = 92
MAX_GATED_TEAM_CATEGORIES = 5
_LISTS = ("owns", "consults_on", "does_not_own")


def check_matrix(matrix: Matrix, doc: YamlDoc, *, today: date) -> list[Problem]:
    problems = [*_duplicate_entries(matrix, doc), *_gate_problems(matrix, doc), *_date_problems(matrix, doc, today)]
    if matrix.teams is not None:
        problems += _key_problems(matrix, doc) + _overlap_problems(matrix, doc)
        if matrix.categories is not None:
            problems += _reference_problems(matrix, doc) + _ownership_problems(matrix, doc)
    elif matrix.categories is not None:
        problems += _key_problems(matrix, doc)
    return problems


def _gates(matrix: Matrix) -> list[tuple[int, Gate]]:
    """(index, gate) of the usable gates: the lenient view keeps None for unusable ones."""
    return [(index, gate) for index, gate in enumerate(matrix.escalation.gates) if gate is not None]


def _lists(matrix: Matrix):
    """(path, items) of every list of keys: teams' owns/consults_on/does_not_own, gates' from,
    named_owner_for."""
    for team_key, team in (matrix.teams or {}).items():
        for field in _LISTS:
            yield ("teams", team_key, field), getattr(team, field)
    for index, gate in _gates(matrix):
        if gate.from_:
            yield ("escalation", "gates", index, "from"), gate.from_
    yield ("escalation", "named_owner_for"), matrix.escalation.named_owner_for


def _duplicate_entries(matrix: Matrix, doc: YamlDoc) -> list[Problem]:
    """A key listed twice in the same list changes nothing but hides a typo or a merge slip
    (a warning), reported at the second occurrence, naming the first."""
    problems = []
    for path, items in _lists(matrix):
        first: dict[str, int] = {}
        for index, item in enumerate(items):
            if item is None:
                continue
            if item in first:
                problems.append(doc.problem(
                    path + (index,), Code.DUPLICATE_ENTRY,
                    f"{quote(item)} is listed twice in {format_path(path)} (first at "
                    f"{_line(doc, path + (first[item],))}, item {first[item]}); remove one",
                ))
            else:
                first[item] = index
    return problems


def _line(doc: YamlDoc, path: tuple) -> str:
    pos = doc.position(path)
    return f"line {pos.line}" if pos else "an unknown line"


def _key_problems(matrix: Matrix, doc: YamlDoc) -> list[Problem]:
    problems = []
    for section, keys in (("teams", matrix.teams), ("categories", matrix.categories)):
        for key in keys or {}:
            if not is_key(key):
                problems.append(doc.problem(
                    (section, key), Code.INVALID_KEY,
                    f"{section[:-1] if section == 'teams' else 'category'} key {quote(key)} must be lowercase "
                    "letters, digits and '-', starting with a letter or digit",
                    at_key=True,
                ))
    return problems


def _reference_problems(matrix: Matrix, doc: YamlDoc) -> list[Problem]:
    problems = []
    for team_key, team in matrix.teams.items():
        for field in _LISTS:
            for index, category in enumerate(getattr(team, field)):
                if category is not None and category not in matrix.categories:
                    problems.append(doc.problem(
                        ("teams", team_key, field, index), Code.UNDEFINED_CATEGORY,
                        f"team {quote(team_key)} {field.replace('_', ' ')} {quote(category)}, which is not a key "
                        "under categories",
                    ))
    for index, gate in _gates(matrix):
        base = ("escalation", "gates", index)
        if gate.to is not None and gate.to not in matrix.teams:
            problems.append(doc.problem(base + ("to",), Code.UNDEFINED_TEAM,
                                        f"gate to {quote(gate.to)}: no such team under teams"))
        for j, sender in enumerate(gate.from_ or []):
            if sender is not None and sender not in matrix.teams:
                problems.append(doc.problem(base + ("from", j), Code.UNDEFINED_TEAM,
                                            f"gate from {quote(sender)}: no such team under teams"))
    return problems


def _ownership_problems(matrix: Matrix, doc: YamlDoc) -> list[Problem]:
    problems = []
    for category in matrix.categories:
        owners = matrix.owners_of(category)
        if not owners:
            problems.append(doc.problem(
                ("categories", category), Code.UNOWNED_CATEGORY,
                f"category {quote(category)} is owned by no team; add it to exactly one team's owns",
                at_key=True,
            ))
        elif len(owners) > 1:
            named = ", ".join(
                f"{team} ({_line(doc, ('teams', team, 'owns', matrix.teams[team].owns.index(category)))})"
                for team in owners
            )
            problems.append(doc.problem(
                ("categories", category), Code.AMBIGUOUS_OWNER,
                f"category {quote(category)} is owned by {len(owners)} teams: {named}; exactly one team must own it",
                at_key=True,
            ))
    return problems


def _overlap_problems(matrix: Matrix, doc: YamlDoc) -> list[Problem]:
    problems = []
    for team_key, team in matrix.teams.items():
        owned = set(team.owns)
        for field, code, verb in (
            ("does_not_own", Code.OWNS_AND_DOES_NOT_OWN, "does not own"),
            ("consults_on", Code.OWNS_AND_CONSULTS, "consults on"),
        ):
            for index, category in enumerate(getattr(team, field)):
                if category is not None and category in owned:
                    problems.append(doc.problem(
                        ("teams", team_key, field, index), code,
                        f"team {quote(team_key)} both owns and {verb} {quote(category)}; keep one",
                    ))
    return problems


def _gate_problems(matrix: Matrix, doc: YamlDoc) -> list[Problem]:
    problems = []
    first_gate: dict[str, int] = {}
    for index, gate in _gates(matrix):
        base = ("escalation", "gates", index)
        if gate.to is None:
            continue
        if gate.to in first_gate:
            problems.append(doc.problem(
                base + ("to",), Code.DUPLICATE_GATE,
                f"a second gate to {quote(gate.to)} (the first is at "
                f"{_line(doc, ('escalation', 'gates', first_gate[gate.to], 'to'))}); merge them",
            ))
        else:
            first_gate[gate.to] = index
        if gate.from_ is not None and len(gate.from_) == 0:
            problems.append(doc.problem(
                base + ("from",), Code.GATE_EMPTY_FROM,
                f"the gate to {quote(gate.to)} has an empty from: nobody may route there",
            ))
    for team_key in first_gate:
        team = (matrix.teams or {}).get(team_key)
        distinct = {c for c in team.owns if c is not None} if team is not None else set()
        if len(distinct) > MAX_GATED_TEAM_CATEGORIES:
            problems.append(doc.problem(
                ("teams", team_key, "owns"), Code.GATE_TEAM_OWNS_TOO_MUCH,
                f"{quote(team_key)} receives gated escalations and owns {len(distinct)} categories "
                f"(more than {MAX_GATED_TEAM_CATEGORIES}); every item is a direct cost to the roadmap, "
                "keep the list short",
            ))
    return problems


def review_overdue_days(review_by: date, today: date) -> int | None:
    """Days since `review_by` once it has passed (`check`'s warning and `kb stale` alike)."""
    return (today - review_by).days if review_by < today else None


def _date_problems(matrix: Matrix, doc: YamlDoc, today: date) -> list[Problem]:
    problems = []
    where = ("review_by",)
    if matrix.review_by is None:
        return problems
    if matrix.effective is not None and matrix.review_by <= matrix.effective:
        problems.append(doc.problem(
            where, Code.REVIEW_BEFORE_EFFECTIVE,
            f"review_by {matrix.review_by} must be after effective {matrix.effective}",
        ))
    if (days := review_overdue_days(matrix.review_by, today)) is not None:
        problems.append(doc.problem(
            where, Code.REVIEW_OVERDUE,
            f"the matrix was due for its quarterly review on {matrix.review_by} "
            f"({days} days ago); review it and bump version",
        ))
    interval = (matrix.review_by - matrix.effective).days if matrix.effective is not None else 0
    if interval > MAX_REVIEW_INTERVAL_DAYS:
        problems.append(doc.problem(
            where, Code.REVIEW_INTERVAL_LONG,
            f"review_by is {interval} days after effective; the matrix is reviewed quarterly "
            f"(at most {MAX_REVIEW_INTERVAL_DAYS} days)",
        ))
    return problems
