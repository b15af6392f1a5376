"""A problem's identity across commits (docs/check.md#adopting-cetool-on-an-existing-repo): its
code, its file, its dotted path and a hash of the offending value as written (the source line
from the problem's column), never its line number, so inserting or moving lines keeps it.

The baseline (`--baseline`) and SARIF's `partialFingerprints` both use it.
"""

from __future__ import annotations

import hashlib
import re

from cetool.core.findings import Problem
from cetool.core.files import SourceLines

FINGERPRINT_VERSION = "v1"  # a change to what goes in below changes every fingerprint: bump it
_NUMBERS = re.compile(r"\d+")


def offending_value(problem: Problem, sources: SourceLines) -> str:
    """The text the problem is about, as written: its line from its column (the value, or the
    key and value for a key's problem); the message when the problem has no line, and also
    when it has no dotted path."""
    line = sources.line(problem.file, problem.line)
    if line is None:
        return problem.message
    value = line[(problem.column or 1) - 1:].strip()
    if not problem.path:
        # A markdown problem has no dotted path, and several can sit at one line (every missing
        # section is at line 1): the message tells them apart, without its numbers (line
        # numbers in it would move).
        value += "\0" + _NUMBERS.sub("#", problem.message)
    return value


def fingerprint(problem: Problem, sources: SourceLines, *, file: str | None = None) -> str:
    """A hex digest of code, file (`file`, else the problem's own), dotted path and value hash."""
    value_hash = hashlib.sha256(offending_value(problem, sources).encode("utf-8", "surrogatepass")).hexdigest()
    parts = (FINGERPRINT_VERSION, str(problem.code), file if file is not None else problem.file, problem.path,
             value_hash)
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()
