"""Problems are values: collected, sorted, counted, rendered — never raised one at a time."""

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

    # files and YAML (spec section 0)
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
    # ownership matrix (spec section 1)
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
    MATRIX_NOT_FOUND = "matrix-not-found"
    MATRIX_VERSION_NOT_BUMPED = "matrix-version-not-bumped"
    INVALID_KEY = "invalid-key"
    # escalation packets (spec section 2)
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
    # runbooks and known issues (spec section 3)
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
    # CI files written by `cetool init`
    CI_INSTALL_UNFILLED = "ci-install-unfilled"


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    line: int | None
    column: int | None
    path: str
    code: str
    message: str
    severity: Severity = Severity.ERROR

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
