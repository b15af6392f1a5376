"""Rules for runbooks and known issues (docs/knowledge.md#rules). Pure: parsed files in, problems out."""

from __future__ import annotations

import re
from datetime import date
from typing import Iterable

from cetool.core.findings import Code, Problem, Severity
from cetool.core.ids import id_key, id_keys
from cetool.core.textsafe import quote
from cetool.yamldoc.frontmatter import MarkdownDoc, section_key
from cetool.matrix.model import is_team_key
from cetool.knowledge.known_issue import KNOWN_ISSUE_SECTIONS, KnownIssue
from cetool.knowledge.read import Parsed
from cetool.knowledge.runbook import RUNBOOK_SECTIONS, Runbook
from cetool.knowledge.staleness import STALE_RUNBOOK_DAYS, runbook_overdue
from cetool.core.placeholders import is_placeholder
from cetool.yamldoc.validation import validate_document

# A query: a fenced code block or `inline code`.
_CODE = re.compile(r"^ {0,3}(```|~~~)|`[^`\n]+`", re.MULTILINE)
# A threshold: a comparison (or the word "threshold") then, past a few filler words, a number
# ("Decision threshold: 5%", "exceeding 2%", "more than three", ">= 3"); or a number followed
# by "or more" and the like ("5% or more", "3+"). A number alone ("for 5 minutes") is none.
_NUMBER = (r"(?:[$€£]?\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty"
           r"|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|dozen|half)\b)")
_COMPARISON = (r"(?:>=|<=|≥|≤|>|<|\b(?:more|less|fewer|greater|higher|lower|longer|shorter|larger"
               r"|smaller|bigger|slower|faster) than\b|\b(?:above|below|over|under|beyond|exceed(?:s|ed|ing)?"
               r"|surpass(?:es|ed|ing)?|reach(?:es|ed|ing)?|at least|at most|up to|thresholds?)\b)")
_GAP = r"(?:[\s:=~≈]|\b(?:is|are|of|at|to|by|a|an|about|around|roughly|approximately|some)\b)*+"
# Both run over lowercased text: IGNORECASE makes every alternative slower, and a 1 MiB section
# must take well under a second (docs/security.md#linear-time-parsing).
_COMPARED_NUMBER = re.compile(f"{_COMPARISON}{_GAP}{_NUMBER}")
# "or more" after a number within 30 characters of the same line, or "3+". Found by its words
# and then looked back from: `\d[^\n]{0,30}?\b(?:or|and) ` tries 30 places at every digit.
_OR_MORE = re.compile(r"\b(?:or|and) (?:more|higher|above|greater|over|less|lower|fewer|below|under|up)\b|\d\s*+\+")
_DIGIT = re.compile(r"\d")
_NUMBERED = re.compile(r"^ {0,3}\d{1,9}[.)][ \t]+\S", re.MULTILINE)


def has_threshold(text: str) -> bool:
    """Whether `text` states a threshold ("> 5% of requests", "three or more"), see _COMPARISON."""
    text = text.lower()
    if _COMPARED_NUMBER.search(text):
        return True
    for match in _OR_MORE.finditer(text):
        if match.group().endswith("+"):
            return True
        before = text[max(0, match.start() - 31):match.start()].rpartition("\n")[2]
        if _DIGIT.search(before):
            return True
    return False


def _problem(doc: MarkdownDoc, line: int | None, path: str, code: str, message: str,
             severity: Severity | None = None) -> Problem:
    return Problem(doc.file, line, 1 if line else None, path, code, message, severity)


def section_problems(doc: MarkdownDoc, required: Iterable[str]) -> list[Problem]:
    """A required section that is missing, repeated or empty is an error."""
    problems = []
    for title in required:
        found = doc.sections_named(section_key(title))
        if not found:
            problems.append(_problem(doc, 1, "", Code.MISSING_SECTION,
                                     f"required section '## {title}' is missing"))
            continue
        first = found[0]
        for again in found[1:]:
            problems.append(_problem(doc, again.line, "", Code.REPEATED_SECTION,
                                     f"section '## {title}' appears again (first at line {first.line})"))
        if first.is_empty or is_placeholder(first.body):
            problems.append(_problem(doc, first.line, "", Code.EMPTY_SECTION,
                                     f"section '## {title}' is empty; write its content"))
    return problems


def _validate(parsed: Parsed, model: type, required: Iterable[str]) -> list[Problem]:
    doc = parsed.doc
    if doc is None:
        return []
    # Front matter never closed: its one error says it all (the sections are unknown, not missing).
    problems = section_problems(doc, required) if doc.sections_known else []
    if doc.front is None:
        return problems
    instance, schema_problems = validate_document(doc.front, model)
    problems.extend(schema_problems)
    if instance is not None:
        instance._file = parsed.file
        instance._sections = {}
        for section in doc.sections:
            instance._sections.setdefault(section.key, section.body)
        parsed.model = instance
    return problems


def runbook_warnings(parsed: Parsed, runbook: Runbook, today: date) -> list[Problem]:
    doc = parsed.doc
    assert doc is not None and doc.front is not None
    problems = []
    detection = doc.section("detection")
    if detection is not None and not detection.is_empty:
        if not _CODE.search(detection.body) and not has_threshold(detection.body):
            problems.append(_problem(doc, detection.line, "", Code.DETECTION_WITHOUT_QUERY,
                                     "Detection has neither a query (code block or `inline code`) nor a "
                                     "threshold (such as '> 5% of requests')"))
    resolution = doc.section("resolution")
    if resolution is not None and not resolution.is_empty and not _NUMBERED.search(resolution.prose):
        problems.append(_problem(doc, resolution.line, "", Code.RESOLUTION_NOT_NUMBERED,
                                 "Resolution has no numbered list of steps (1. 2. 3.)"))
    for overdue in runbook_overdue(runbook.last_reviewed, runbook.engineering_reviewed is not None, today):
        if overdue.code == Code.STALE_RUNBOOK:
            problems.append(doc.front.problem(("last_reviewed",), Code.STALE_RUNBOOK,
                                              f"last reviewed {overdue.days} days ago ({overdue.last}); "
                                              f"review it at least every {STALE_RUNBOOK_DAYS} days"))
        else:
            problems.append(doc.front.problem((), Code.NOT_ENGINEERING_REVIEWED,
                                              "not yet reviewed by engineering (no engineering_reviewed date)"))
    return problems


def check_runbooks(runbooks: list[Parsed], *, today: date) -> list[Problem]:
    problems = []
    for parsed in runbooks:
        problems.extend(_validate(parsed, Runbook, RUNBOOK_SECTIONS))
        if parsed.model is not None:
            problems.extend(runbook_warnings(parsed, parsed.model, today))
    return problems


def check_known_issues(issues: list[Parsed]) -> list[Problem]:
    problems = []
    for parsed in issues:
        problems.extend(_validate(parsed, KnownIssue, KNOWN_ISSUE_SECTIONS))
        issue: KnownIssue | None = parsed.model
        if issue is not None and issue.last_confirmed < issue.first_seen:
            problems.append(parsed.doc.front.problem(
                ("last_confirmed",), Code.INVALID_VALUE,
                f"last_confirmed ({issue.last_confirmed}) is before first_seen ({issue.first_seen})"))
    # Root causes compare exactly after trimming, as the metrics match them to the export's column.
    problems.extend(_duplicates(issues, "root_cause", Code.DUPLICATE_ROOT_CAUSE, "root_cause", str.strip))
    return problems


def duplicate_ids(runbooks: list[Parsed], issues: list[Parsed]) -> list[Problem]:
    """Ids are unique across runbooks and known issues together, ignoring case (as packet ids
    are): `kb search` and the metrics show a document by its id alone. A later file loses its
    model, so lookups and search see one document per id, the first."""
    files = runbooks + issues
    problems = _duplicates(files, "id", Code.DUPLICATE_ID, "id", id_key,
                           " (runbook and known issue ids are unique together, ignoring case)")
    later = {problem.file for problem in problems}
    for parsed in files:
        if parsed.file in later:
            parsed.model = None
    return problems


def _duplicates(files: list[Parsed], key: str, code: str, what: str, compare, note: str = "") -> list[Problem]:
    """A value seen before (`compare` gives the comparable form) is reported in every later file,
    naming the first."""
    first: dict[str, str] = {}
    problems = []
    for parsed in files:
        value = parsed.raw(key)
        if not isinstance(value, str) or is_placeholder(value):
            continue
        folded = compare(value)
        if folded in first:
            problems.append(parsed.doc.front.problem(
                (key,), code, f"{what} {quote(value)} is already used by {first[folded]}{note}"))
        else:
            first[folded] = parsed.file
    return problems


def _text(value) -> str | None:
    return value.strip() if isinstance(value, str) and not is_placeholder(value) else None


def cross_references(runbooks: list[Parsed], issues: list[Parsed], matrix) -> list[Problem]:
    """runbook.known_issues, known_issue.runbook, and category/owner keys against the matrix.

    Read from the front matter as written (not the validated model), so a file with another
    error still has its references checked, and ids of files with other errors still resolve.
    """
    runbook_ids, issue_ids = id_keys(p.id for p in runbooks), id_keys(p.id for p in issues)
    problems = []
    for parsed in runbooks:
        if parsed.doc is None or parsed.doc.front is None:
            continue
        front = parsed.doc.front
        refs = parsed.raw("known_issues")
        for index, ref in enumerate(refs if isinstance(refs, list) else []):
            if (ref := _text(ref)) and id_key(ref) not in issue_ids:
                problems.append(front.problem(("known_issues", index), Code.UNKNOWN_KNOWN_ISSUE,
                                              f"known issue {quote(ref)} is not in known_issues/"))
        if matrix is None:
            continue
        if (category := _text(parsed.raw("category"))) and category not in matrix.categories:
            problems.append(front.problem(("category",), Code.UNDEFINED_CATEGORY,
                                          f"category {quote(category)} is not defined in the matrix"))
        if (author := _text(parsed.raw("author"))) and is_team_key(author, matrix.teams):
            problems.append(front.problem(("author",), Code.AUTHOR_IS_TEAM,
                                          f"author {quote(author)} is a team; name the person who wrote it"))
        if (owner := _text(parsed.raw("owner"))) and owner not in matrix.teams:
            problems.append(front.problem(("owner",), Code.UNDEFINED_TEAM,
                                          f"owner {quote(owner)} is not a team of the matrix "
                                          f"({', '.join(sorted(matrix.teams))})"))
    for parsed in issues:
        if parsed.doc is None or parsed.doc.front is None:
            continue
        if (ref := _text(parsed.raw("runbook"))) and id_key(ref) not in runbook_ids:
            problems.append(parsed.doc.front.problem(("runbook",), Code.UNKNOWN_RUNBOOK,
                                                     f"runbook {quote(ref)} is not in runbooks/"))
    return problems
