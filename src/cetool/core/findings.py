"""Problems are values: collected, sorted, counted, rendered — never raised one at a time.

Every problem has a stable `Code`; `RULES` says, for each, its default severity (the one place
severities are decided), the feature whose rules emit it and a one-line summary
(docs/architecture.md#codes-and-the-rules-table).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Iterable


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Code(StrEnum):
    """Stable machine codes. JSON consumers and tests match these, never the wording."""

    # files and YAML (docs/check.md#rules-every-file-follows)
    FILE_NOT_FOUND = "file-not-found"
    UNREADABLE_FILE = "unreadable-file"
    NOT_A_REGULAR_FILE = "not-a-regular-file"
    FILE_TOO_LARGE = "file-too-large"
    ENCODING = "encoding"
    YAML_SYNTAX = "yaml-syntax"
    EMPTY_DOCUMENT = "empty-document"
    MULTIPLE_DOCUMENTS = "multiple-documents"
    NOT_A_MAPPING = "not-a-mapping"
    DUPLICATE_KEY = "duplicate-key"
    NON_SCALAR_KEY = "non-scalar-key"
    MERGE_KEY = "merge-key"
    FORBIDDEN_TAG = "forbidden-tag"
    ALIAS_LIMIT = "alias-limit"
    SYMLINK_OUTSIDE = "symlink-outside-root"
    # schema (pydantic, translated)
    MISSING = "missing"
    UNKNOWN_KEY = "unknown-key"
    INVALID_VALUE = "invalid-value"
    PLACEHOLDER = "placeholder"
    # ownership matrix (docs/matrix.md#rules)
    UNOWNED_CATEGORY = "unowned-category"
    AMBIGUOUS_OWNER = "ambiguous-owner"
    UNDEFINED_CATEGORY = "undefined-category"
    UNDEFINED_TEAM = "undefined-team"
    OWNS_AND_DOES_NOT_OWN = "owns-and-does-not-own"
    OWNS_AND_CONSULTS = "owns-and-consults"
    DUPLICATE_GATE = "duplicate-gate"
    DUPLICATE_ENTRY = "duplicate-entry"
    REVIEW_BEFORE_EFFECTIVE = "review-before-effective"
    REVIEW_OVERDUE = "review-overdue"
    REVIEW_INTERVAL_LONG = "review-interval-long"
    GATE_EMPTY_FROM = "gate-empty-from"
    GATE_TEAM_OWNS_TOO_MUCH = "gate-team-owns-too-much"
    MATRIX_VERSION_NOT_BUMPED = "matrix-version-not-bumped"
    INVALID_KEY = "invalid-key"
    # escalation packets (docs/packets.md#rules) and `check --base` (docs/check.md)
    ROUTE_NOT_OWNER = "route-not-owner"
    GATE_FORBIDS_SENDER = "gate-forbids-sender"
    OWNER_REQUIRED = "owner-required"
    OWNER_IS_TEAM = "owner-is-team"
    DUPLICATE_ID = "duplicate-id"
    FILENAME_MISMATCH = "filename-mismatch"
    SINGLE_REPRO_STEP = "single-repro-step"
    NO_EVIDENCE = "no-evidence"
    MATRIX_VERSION_MISMATCH = "matrix-version-mismatch"
    UNKNOWN_KNOWN_ISSUE = "unknown-known-issue"
    ROUTING_BROKEN_BY_MATRIX = "routing-broken-by-matrix"
    LOOKS_LIKE_KNOWN_ISSUE = "looks-like-known-issue"
    # runbooks and known issues (docs/knowledge.md#rules)
    NO_FRONT_MATTER = "no-front-matter"
    MISSING_SECTION = "missing-section"
    REPEATED_SECTION = "repeated-section"
    EMPTY_SECTION = "empty-section"
    NOT_ENGINEERING_REVIEWED = "not-engineering-reviewed"
    DETECTION_WITHOUT_QUERY = "detection-without-query"
    RESOLUTION_NOT_NUMBERED = "resolution-not-numbered"
    STALE_RUNBOOK = "stale-runbook"
    STALE_KNOWN_ISSUE = "stale-known-issue"
    DUPLICATE_ROOT_CAUSE = "duplicate-root-cause"
    UNKNOWN_RUNBOOK = "unknown-runbook"
    AUTHOR_IS_TEAM = "author-is-team"
    # prevention actions and the weekly record (docs/prevention.md)
    DUE_BEFORE_ASSIGNED = "due-before-assigned"
    DONE_WITHOUT_DATE = "done-without-date"
    DATE_WITHOUT_DONE = "date-without-done"
    DONE_BEFORE_ASSIGNED = "done-before-assigned"
    ACTION_OVERDUE = "action-overdue"
    DONE_WITHOUT_KNOWN_ISSUE = "done-without-known-issue"
    DONE_WITHOUT_RUNBOOK = "done-without-runbook"
    UNKNOWN_ROOT_CAUSE = "unknown-root-cause"
    WEEKLY_RECORD_MISSING = "weekly-record-missing"
    # CI files written by `cetool init`
    CI_INSTALL_UNFILLED = "ci-install-unfilled"
    # inline suppression (`# cetool: ignore[code] reason`)
    SUPPRESSION_WITHOUT_REASON = "suppression-without-reason"
    UNUSED_SUPPRESSION = "unused-suppression"


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    line: int | None
    column: int | None
    path: str
    code: str
    message: str
    severity: Severity = None  # type: ignore[assignment]  # None: the code's default (RULES)

    def __post_init__(self) -> None:
        if self.severity is None:
            object.__setattr__(self, "severity", default_severity(self.code))

    def fails(self, strict: bool = False) -> bool:
        """Whether this problem fails the run: an error, or a warning under --strict."""
        return self.severity == Severity.ERROR or (strict and self.severity == Severity.WARNING)

    def sort_key(self) -> tuple:
        return (self.file, self.line or 0, self.column or 0, str(self.code))

    def to_dict(self) -> dict:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "code": str(self.code),
            "severity": str(self.severity),
            "message": self.message,
        }


@dataclass
class Report:
    """Every problem of one run, plus how many files were looked at."""

    problems: list[Problem] = field(default_factory=list)
    files_checked: int = 0

    def extend(self, problems: Iterable[Problem]) -> None:
        self.problems.extend(problems)

    def sorted(self) -> list[Problem]:
        return sorted(self.problems, key=Problem.sort_key)

    def count(self, severity: Severity) -> int:
        return sum(1 for p in self.problems if p.severity == severity)

    @property
    def errors(self) -> int:
        return self.count(Severity.ERROR)

    @property
    def warnings(self) -> int:
        return self.count(Severity.WARNING)

    def failed(self, strict: bool = False) -> bool:
        return self.errors > 0 or (strict and self.warnings > 0)

    def to_dict(self) -> dict:
        return {
            "problems": [p.to_dict() for p in self.sorted()],
            "files_checked": self.files_checked,
            "errors": self.errors,
            "warnings": self.warnings,
        }


@dataclass(frozen=True, slots=True)
class Rule:
    """What a code means: its default severity, the feature whose rules emit it, one line."""

    severity: Severity
    feature: str  # files | schema | matrix | packets | knowledge | prevention | check
    summary: str


_E, _W, _I = Severity.ERROR, Severity.WARNING, Severity.INFO

RULES: dict[Code, Rule] = {
    Code.FILE_NOT_FOUND: Rule(_E, "files", "The file does not exist (a broken symlink), or is a folder."),
    Code.UNREADABLE_FILE: Rule(_E, "files", "The file or folder cannot be read: no permission, a symlink loop."),
    Code.NOT_A_REGULAR_FILE: Rule(_E, "files", "A FIFO, socket or device: never opened."),
    Code.FILE_TOO_LARGE: Rule(_E, "files", "The file is larger than 1 MiB."),
    Code.ENCODING: Rule(_E, "files", "The file is not UTF-8 (UTF-16, UTF-32 or invalid bytes)."),
    Code.YAML_SYNTAX: Rule(_E, "files", "The YAML does not parse, or nests deeper than 100 levels."),
    Code.EMPTY_DOCUMENT: Rule(_E, "files", "The document or front matter is empty."),
    Code.MULTIPLE_DOCUMENTS: Rule(_E, "files", "A second YAML document in the file: one document per file."),
    Code.NOT_A_MAPPING: Rule(_E, "files", "The top level is a list or a single value, not a mapping."),
    Code.DUPLICATE_KEY: Rule(_E, "files", "A key written twice in one mapping."),
    Code.NON_SCALAR_KEY: Rule(_E, "files", "A key that is a list or a mapping, not a plain string."),
    Code.MERGE_KEY: Rule(_E, "files", "A merge key (<<): not supported."),
    Code.FORBIDDEN_TAG: Rule(_E, "files", "A YAML tag other than !!str."),
    Code.ALIAS_LIMIT: Rule(_E, "files", "More than 250,000 nodes once aliases are expanded, or an alias into itself."),
    Code.SYMLINK_OUTSIDE: Rule(_E, "files", "A symlink that leads outside the checked folder: not followed."),
    Code.MISSING: Rule(_E, "schema", "A required key is absent."),
    Code.UNKNOWN_KEY: Rule(_E, "schema", "A key the format does not have (x- keys are free)."),
    Code.INVALID_VALUE: Rule(_E, "schema", "A value the format does not allow."),
    Code.PLACEHOLDER: Rule(_E, "schema", "An empty value or a placeholder such as TODO, TBD or <customer name>."),
    Code.UNOWNED_CATEGORY: Rule(_E, "matrix", "A category no team owns."),
    Code.AMBIGUOUS_OWNER: Rule(_E, "matrix", "A category two or more teams own."),
    Code.UNDEFINED_CATEGORY: Rule(_E, "matrix", "A category key that is not in the matrix."),
    Code.UNDEFINED_TEAM: Rule(_E, "matrix", "A team key that is not in the matrix."),
    Code.OWNS_AND_DOES_NOT_OWN: Rule(_E, "matrix", "A team owns and disowns the same category."),
    Code.OWNS_AND_CONSULTS: Rule(_E, "matrix", "A team owns and consults on the same category."),
    Code.DUPLICATE_GATE: Rule(_E, "matrix", "A second escalation gate to the same team."),
    Code.DUPLICATE_ENTRY: Rule(_W, "matrix", "A key listed twice in the same list."),
    Code.REVIEW_BEFORE_EFFECTIVE: Rule(_E, "matrix", "review_by is not after effective."),
    Code.REVIEW_OVERDUE: Rule(_W, "matrix", "The matrix's review_by date has passed."),
    Code.REVIEW_INTERVAL_LONG: Rule(_W, "matrix", "review_by is more than 92 days after effective."),
    Code.GATE_EMPTY_FROM: Rule(_W, "matrix", "A gate whose from is empty: nobody may route there."),
    Code.GATE_TEAM_OWNS_TOO_MUCH: Rule(_W, "matrix", "A gated team owns more than 5 categories."),
    Code.MATRIX_VERSION_NOT_BUMPED: Rule(_E, "check", "ownership.yaml changed since the base revision but kept its version."),
    Code.INVALID_KEY: Rule(_E, "matrix", "A team or category key that is not lowercase [a-z0-9-]."),
    Code.ROUTE_NOT_OWNER: Rule(_E, "packets", "route_to does not own the packet's category."),
    Code.GATE_FORBIDS_SENDER: Rule(_E, "packets", "An escalation gate does not let from_team route to route_to."),
    Code.OWNER_REQUIRED: Rule(_E, "packets", "No named owner on a packet whose severity needs one."),
    Code.OWNER_IS_TEAM: Rule(_E, "packets", "The owner is a team key, not a person."),
    Code.DUPLICATE_ID: Rule(_E, "packets", "An id already used by another packet, runbook or known issue (ignoring case)."),
    Code.FILENAME_MISMATCH: Rule(_W, "packets", "The packet file is not named <id>.yaml."),
    Code.SINGLE_REPRO_STEP: Rule(_W, "packets", "Only one reproduction step."),
    Code.NO_EVIDENCE: Rule(_W, "packets", "A packet that needs a named owner has no evidence."),
    Code.MATRIX_VERSION_MISMATCH: Rule(_W, "packets", "matrix_version differs from the matrix's version."),
    Code.UNKNOWN_KNOWN_ISSUE: Rule(_E, "packets", "A known-issue reference that is not in known_issues/."),
    Code.ROUTING_BROKEN_BY_MATRIX: Rule(_E, "check", "A packet routed validly at the base revision breaks under the new matrix."),
    Code.LOOKS_LIKE_KNOWN_ISSUE: Rule(_I, "packets", "The packet strongly matches a known issue it does not reference."),
    Code.NO_FRONT_MATTER: Rule(_E, "knowledge", "The markdown file has no front matter, or it is never closed."),
    Code.MISSING_SECTION: Rule(_E, "knowledge", "A required ## section is missing."),
    Code.REPEATED_SECTION: Rule(_E, "knowledge", "A required ## section appears twice."),
    Code.EMPTY_SECTION: Rule(_E, "knowledge", "A required ## section has no content."),
    Code.NOT_ENGINEERING_REVIEWED: Rule(_W, "knowledge", "A runbook engineering has not reviewed."),
    Code.DETECTION_WITHOUT_QUERY: Rule(_W, "knowledge", "Detection has neither a query nor a threshold."),
    Code.RESOLUTION_NOT_NUMBERED: Rule(_W, "knowledge", "Resolution has no numbered list of steps."),
    Code.STALE_RUNBOOK: Rule(_W, "knowledge", "A runbook last reviewed more than 180 days ago."),
    Code.STALE_KNOWN_ISSUE: Rule(_W, "knowledge", "An open known issue last confirmed more than 90 days ago (kb stale)."),
    Code.DUPLICATE_ROOT_CAUSE: Rule(_E, "knowledge", "A root cause already used by another known issue."),
    Code.UNKNOWN_RUNBOOK: Rule(_E, "knowledge", "A runbook reference that is not in runbooks/."),
    Code.AUTHOR_IS_TEAM: Rule(_E, "knowledge", "A runbook author that is a team key, not a person."),
    Code.DUE_BEFORE_ASSIGNED: Rule(_E, "prevention", "A prevention action due before it was assigned."),
    Code.DONE_WITHOUT_DATE: Rule(_E, "prevention", "A prevention action with status done but no done: date."),
    Code.DATE_WITHOUT_DONE: Rule(_E, "prevention", "A done: date on a prevention action whose status is not done."),
    Code.DONE_BEFORE_ASSIGNED: Rule(_E, "prevention", "A prevention action done before it was assigned."),
    Code.ACTION_OVERDUE: Rule(_W, "prevention", "A planned or in-progress prevention action past its due date."),
    Code.DONE_WITHOUT_KNOWN_ISSUE: Rule(_W, "prevention", "A done known-issue action, but no known issue has its root cause."),
    Code.DONE_WITHOUT_RUNBOOK: Rule(_W, "prevention", "A done runbook-update action that links no runbook."),
    Code.UNKNOWN_ROOT_CAUSE: Rule(_W, "prevention", "A root cause no known issue has, spelled close to one that does."),
    Code.WEEKLY_RECORD_MISSING: Rule(_W, "prevention", "reports/ has no record of the last complete week."),
    Code.CI_INSTALL_UNFILLED: Rule(_W, "check", "The CI step that installs cetool, left by cetool init, is not filled in."),
    Code.SUPPRESSION_WITHOUT_REASON: Rule(_W, "check", "A # cetool: ignore[code] comment without a reason."),
    Code.UNUSED_SUPPRESSION: Rule(_W, "check", "A # cetool: ignore[code] comment that suppresses nothing."),
}


def default_severity(code: str) -> Severity:
    """The severity a problem with `code` gets unless its rule says otherwise (an unknown code: error)."""
    rule = RULES.get(code)  # type: ignore[call-overload]  # a Code is its string
    return rule.severity if rule is not None else Severity.ERROR
