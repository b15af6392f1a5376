"""The ownership matrix: loading it with all its problems, routing a category, and diffing two.

`load_matrix` is what every command that reads `ownership.yaml` calls. Its `.matrix` is None
whenever the file has any error (schema or rule): routing against a contradictory matrix would
only produce misleading packet errors, so those commands stop with exit 2 and print the
matrix's own problems. `.parsed` keeps the schema-valid model even then (for diff and show).
A file with schema errors still gets its cross-rules (unowned, ambiguous, duplicate gates...)
checked on a lenient view of what is usable, so one run reports all its problems.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

from cetool.matrix.rules import check_matrix
from cetool.matrix.view import lenient_matrix
from cetool.core.errors import CetoolError
from cetool.core.findings import Code, Problem, Severity
from cetool.core.files import IS_A_FOLDER, NO_SUCH_FILE, display_path, leads_outside, missing_reason, outside_symlink_problem
from cetool.core.git import git_show, split_rev_path
from cetool.core.suggest import closest
from cetool.yamldoc.loader import MAX_FILE_BYTES, YamlDoc, decode_text, load_yaml_text, read_text
from cetool.matrix.model import Matrix
from cetool.yamldoc.validation import validate_document


@dataclass
class MatrixLoad:
    matrix: Matrix | None
    doc: YamlDoc | None
    problems: list[Problem]
    parsed: Matrix | None = None
    file: str = ""

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == Severity.ERROR]


def load_matrix_text(text: str, file: str, *, today: date | None = None) -> MatrixLoad:
    doc, problems = load_yaml_text(text, file)
    if doc is None:
        return MatrixLoad(None, None, problems, None, file)
    parsed, schema_problems = validate_document(doc, Matrix)
    problems = [*problems, *schema_problems]
    view = parsed if parsed is not None else lenient_matrix(doc.data)
    if view is not None:
        problems.extend(check_matrix(view, doc, today=today or date.today()))
    has_errors = any(p.severity == Severity.ERROR for p in problems)
    return MatrixLoad(None if has_errors else parsed, doc, problems, parsed, file)


def load_matrix(path: Path, *, file: str | None = None, today: date | None = None,
                root: Path | None = None) -> MatrixLoad:
    """With `root` (the checked folder), a matrix symlinked from outside it is refused."""
    file = file if file is not None else display_path(path)
    if root is not None and leads_outside(path, root):
        return MatrixLoad(None, None, [outside_symlink_problem(file)], None, file)
    text, problems = read_text(path, file)
    if text is None:
        return MatrixLoad(None, None, problems, None, file)
    return load_matrix_text(text, file, today=today)


def load_matrix_source(spec: str, *, today: date | None = None) -> MatrixLoad:
    """A file path, or `REV:PATH` read from git. A missing file or revision raises CetoolError."""
    rev_path = split_rev_path(spec)
    if rev_path is None:
        path = Path(spec)
        why = missing_reason(path)
        if why == IS_A_FOLDER:
            raise CetoolError(f"{spec} is a folder; name the ownership.yaml file")
        if why is not None:
            hint = " (for a git revision write REV:PATH)" if why == NO_SUCH_FILE else ""
            raise CetoolError(f"{spec}: {why}{hint}")
        return load_matrix(path, today=today)
    raw = git_show(*rev_path)
    if len(raw) > MAX_FILE_BYTES:
        problem = Problem(spec, None, None, "", Code.FILE_TOO_LARGE,
                          f"the file is {len(raw):,} bytes; the limit is {MAX_FILE_BYTES:,} (1 MiB)")
        return MatrixLoad(None, None, [problem], None, spec)
    text, problems = decode_text(raw, spec)
    if text is None:
        return MatrixLoad(None, None, problems, None, spec)
    return load_matrix_text(text, spec, today=today)


# --- routing -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    category: str
    description: str
    owner: str | None
    owner_name: str | None
    consulted_by: list[str]
    must_not_own: list[str]
    gates: list[dict]
    named_owner_for: list[str]
    matrix_version: str

    def to_dict(self) -> dict:
        return asdict(self)


def route(matrix: Matrix, category: str) -> Route | None:
    """Who owns `category`, who consults, who must not own it, and the gates on the way in."""
    if category not in matrix.categories:
        return None
    owner = matrix.owner_of(category)
    gates = [
        {"to": gate.to, "from": list(gate.from_)}
        for gate in matrix.escalation.gates
        if owner is not None and gate.to == owner
    ]
    return Route(
        category=category,
        description=matrix.categories[category].description,
        owner=owner,
        owner_name=matrix.teams[owner].name if owner else None,
        consulted_by=matrix.consultants_of(category),
        must_not_own=matrix.disowners_of(category),
        gates=gates,
        named_owner_for=matrix.named_owner_for,
        matrix_version=matrix.version,
    )


def closest_categories(matrix: Matrix, category: str, count: int = 3) -> list[str]:
    """Keys that contain what was typed or share one of its words (`bug` -> `confirmed-bug`),
    then the closest spellings."""
    typed = category.strip().lower()
    words = {word for word in typed.replace("_", "-").split("-") if len(word) >= 3}
    keys = list(matrix.categories)
    partial = [key for key in keys if typed and (typed in key or words & set(key.split("-")))]
    spelled = closest(typed, keys, count, cutoff=0.5)
    return list(dict.fromkeys([*partial, *spelled]))[:count]


# --- diff ----------------------------------------------------------------------------------


@dataclass
class MatrixDiff:
    old_version: str
    new_version: str
    owner_changes: list[dict] = field(default_factory=list)
    categories_added: list[str] = field(default_factory=list)
    categories_removed: list[str] = field(default_factory=list)
    teams_added: list[str] = field(default_factory=list)
    teams_removed: list[str] = field(default_factory=list)
    consults_changes: list[dict] = field(default_factory=list)
    does_not_own_changes: list[dict] = field(default_factory=list)
    gate_changes: list[dict] = field(default_factory=list)
    other_changes: list[dict] = field(default_factory=list)
    identical: bool = True

    @property
    def content_changed(self) -> bool:
        """Anything but the version changed (what `check --base` wants a version bump for)."""
        return any((self.owner_changes, self.categories_added, self.categories_removed,
                    self.teams_added, self.teams_removed, self.consults_changes,
                    self.does_not_own_changes, self.gate_changes, self.other_changes))

    def to_dict(self) -> dict:
        return {**asdict(self), "content_changed": self.content_changed}


def normalized(matrix: Matrix) -> dict:
    """The matrix as comparable content: key lists are sets (their order means nothing)."""
    return {
        "version": matrix.version,
        "effective": matrix.effective.isoformat(),
        "review_by": matrix.review_by.isoformat(),
        "teams": {key: {"name": t.name, "owns": sorted(set(t.owns)), "consults_on": sorted(set(t.consults_on)),
                        "does_not_own": sorted(set(t.does_not_own))} for key, t in matrix.teams.items()},
        "categories": {key: c.description for key, c in matrix.categories.items()},
        "gates": {g.to: sorted(set(g.from_)) for g in matrix.escalation.gates},
        "named_owner_for": sorted(set(matrix.named_owner_for)),
    }


def _owner_label(matrix: Matrix, category: str) -> str | None:
    owners = matrix.owners_of(category)
    return ", ".join(owners) if owners else None


def _set_changes(old: dict, new: dict, field_name: str) -> list[dict]:
    changes = []
    for team in sorted(old.keys() & new.keys()):
        before, after = set(old[team][field_name]), set(new[team][field_name])
        if before != after:
            changes.append({"team": team, "added": sorted(after - before), "removed": sorted(before - after)})
    return changes


def diff_matrices(old: Matrix, new: Matrix) -> MatrixDiff:
    a, b = normalized(old), normalized(new)
    diff = MatrixDiff(old_version=old.version, new_version=new.version, identical=a == b)
    diff.categories_added = sorted(b["categories"].keys() - a["categories"].keys())
    diff.categories_removed = sorted(a["categories"].keys() - b["categories"].keys())
    diff.teams_added = sorted(b["teams"].keys() - a["teams"].keys())
    diff.teams_removed = sorted(a["teams"].keys() - b["teams"].keys())
    for category in sorted(a["categories"].keys() & b["categories"].keys()):
        before, after = _owner_label(old, category), _owner_label(new, category)
        if before != after:
            diff.owner_changes.append({"category": category, "from": before, "to": after})
    diff.consults_changes = _set_changes(a["teams"], b["teams"], "consults_on")
    diff.does_not_own_changes = _set_changes(a["teams"], b["teams"], "does_not_own")
    for to in sorted(a["gates"].keys() | b["gates"].keys()):
        if a["gates"].get(to) != b["gates"].get(to):
            diff.gate_changes.append({"to": to, "from_before": a["gates"].get(to), "from_after": b["gates"].get(to)})
    for key in ("effective", "review_by", "named_owner_for"):
        if a[key] != b[key]:
            diff.other_changes.append({"what": key, "before": a[key], "after": b[key]})
    for team in sorted(a["teams"].keys() & b["teams"].keys()):
        if a["teams"][team]["name"] != b["teams"][team]["name"]:
            diff.other_changes.append({"what": f"teams.{team}.name", "before": a["teams"][team]["name"],
                                       "after": b["teams"][team]["name"]})
    for category in sorted(a["categories"].keys() & b["categories"].keys()):
        if a["categories"][category] != b["categories"][category]:
            diff.other_changes.append({"what": f"categories.{category}.description",
                                       "before": a["categories"][category], "after": b["categories"][category]})
    return diff
