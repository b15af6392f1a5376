"""SARIF 2.1.0, as GitHub code scanning reads it (docs/check.md#sarif).

One run; the driver's rules are the rules table (every code, with its summary as help text and
its default severity as level); each problem is a result at its file, line and column, with a
`partialFingerprints` entry (core/fingerprint.py: code, file, dotted path, value; never the
line), so GitHub tracks a finding across commits that move it.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from cetool import __version__
from cetool.core.files import SourceLines
from cetool.core.findings import RULES, Problem, Report, Severity
from cetool.core.fingerprint import FINGERPRINT_VERSION, fingerprint
from cetool.core.textsafe import json_text

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = f"cetool/{FINGERPRINT_VERSION}"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
# Where each feature's codes are explained (the rule's help text points there).
_DOCS = {"files": "docs/packets.md", "schema": "docs/packets.md", "matrix": "docs/matrix.md",
         "packets": "docs/packets.md", "knowledge": "docs/knowledge.md", "check": "docs/check.md"}


def _rule(code: str, index: int) -> dict:
    rule = RULES[code]  # type: ignore[index]  # a Code is its string
    page = _DOCS.get(rule.feature, "docs/check.md")
    return {
        "id": str(code),
        "name": "".join(part.capitalize() for part in str(code).split("-")),
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.summary},
        "help": {"text": f"{rule.summary} Code `{code}`, a {rule.feature} rule of cetool; see {page}.",
                 "markdown": f"{rule.summary}\n\nCode `{code}`, a {rule.feature} rule of cetool: see `{page}`."},
        "defaultConfiguration": {"level": _LEVEL[rule.severity]},
        "properties": {"feature": rule.feature, "tags": [rule.feature]},
    }


def _uri(file: str) -> tuple[str, bool]:
    """A relative file as a relative URI (GitHub resolves it against the checkout), an absolute
    one as a file: URI; True when relative."""
    if os.path.isabs(file):
        return Path(file).as_uri(), False
    # a name that is not UTF-8 keeps its bytes (%FF), as the file system has them
    return quote(PurePosixPath(Path(file).as_posix()).as_posix(), safe="/", errors="surrogateescape"), True


def _location(problem: Problem) -> dict:
    uri, relative = _uri(problem.file)
    artifact: dict[str, Any] = {"uri": uri}
    if relative:
        artifact["uriBaseId"] = "%SRCROOT%"
    physical: dict[str, Any] = {"artifactLocation": artifact}
    if problem.line:
        region: dict[str, Any] = {"startLine": problem.line}
        if problem.column:
            region["startColumn"] = problem.column
        physical["region"] = region
    location: dict[str, Any] = {"physicalLocation": physical}
    if problem.path:
        location["logicalLocations"] = [{"fullyQualifiedName": problem.path, "kind": "member"}]
    return location


def render(report: Report, *, strict: bool = False, sources: SourceLines | None = None, **_: Any) -> str:
    """Under --strict a warning fails the run, so it is reported at level error."""
    sources = sources or SourceLines()
    codes = list(RULES)
    index = {str(code): i for i, code in enumerate(codes)}
    results = []
    for problem in report.sorted():
        level = "error" if problem.fails(strict) else _LEVEL[problem.severity]
        result: dict[str, Any] = {
            "ruleId": str(problem.code),
            "level": level,
            "message": {"text": problem.message},
            "locations": [_location(problem)],
            "partialFingerprints": {FINGERPRINT_KEY: fingerprint(problem, sources)},
        }
        if str(problem.code) in index:
            result["ruleIndex"] = index[str(problem.code)]
        results.append(result)
    log = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "cetool", "version": __version__, "semanticVersion": __version__,
                                "rules": [_rule(code, i) for i, code in enumerate(codes)]}},
            "columnKind": "unicodeCodePoints",
            "results": results,
            "properties": {"filesChecked": report.files_checked},
        }],
    }
    return json_text(log) + "\n"  # controls and bidi overrides escaped (docs/security.md#ci-logs)
