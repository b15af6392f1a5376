"""Inline suppression for the rare justified case (docs/check.md#inline-suppression):

    route_to: support  # cetool: ignore[route-not-owner] billing owns this until the Q3 re-org

on the problem's line, or alone on the line above it (`<!-- cetool: ignore[code] reason -->` in
markdown). Several codes are separated by commas. A suppression without a reason is a warning
(the next reader must know why), and one that suppresses nothing is reported, so none outlives
the problem it was written for.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass

from cetool.core.findings import Code, Problem
from cetool.core.files import SourceLines
from cetool.core.reading import MAX_FILE_BYTES, read_bounded

# Only in a comment: a runbook explaining this feature in its text does not suppress anything.
_DIRECTIVE = re.compile(r"(?P<lead>#|<!--)\s*cetool:\s*ignore\[(?P<codes>[^\]]*)\](?P<reason>.*)")
_MARKER = "cetool:"


def _may_hold_directive(file: str, sources: SourceLines) -> bool:
    """A cheap look at the bytes before any decoding: a check reads thousands of files, and
    nearly none holds a suppression. A text the run already read is looked at instead of the
    file (the marker is ASCII: in the text exactly when in the bytes). Only regular files are
    opened (never a FIFO)."""
    text = sources.remembered(file)
    if text is not None:
        return _MARKER in text
    try:
        info = os.stat(file)
        if not stat.S_ISREG(info.st_mode):
            return False
        # the bound of every read: a larger file is refused anyway
        return _MARKER.encode() in read_bounded(file, MAX_FILE_BYTES + 1, info.st_size)
    except (OSError, ValueError):
        return False


@dataclass(frozen=True)
class Suppression:
    file: str
    line: int  # 1-based, where the directive is written
    column: int
    codes: tuple[str, ...]
    reason: str
    covers_next_line: bool  # alone on its line: it applies to the next line too


def find_suppressions(file: str, lines: list[str]) -> list[Suppression]:
    found = []
    for number, text in enumerate(lines, 1):
        if _MARKER not in text:
            continue
        match = _DIRECTIVE.search(text)
        if match is None:
            continue
        codes = tuple(code.strip() for code in match.group("codes").split(",") if code.strip())
        reason = match.group("reason").strip().removesuffix("-->").strip()
        alone = not text[: match.start()].strip()
        found.append(Suppression(file, number, match.start("lead") + 1, codes, reason, alone))
    return found


def apply_suppressions(problems: list[Problem], files: list[str],
                       sources: SourceLines | None = None) -> list[Problem]:
    """`problems` without the suppressed ones, plus a warning for each suppression without a
    reason and each code a suppression names that matched nothing."""
    sources = sources or SourceLines()
    by_place: dict[tuple[str, int, str], Suppression] = {}
    suppressions: list[Suppression] = []
    for file in dict.fromkeys(files):
        lines = sources.lines(file) if _may_hold_directive(file, sources) else None
        for suppression in find_suppressions(file, lines) if lines else ():
            suppressions.append(suppression)
            for code in suppression.codes:
                by_place.setdefault((file, suppression.line, code), suppression)
                if suppression.covers_next_line:
                    by_place.setdefault((file, suppression.line + 1, code), suppression)
    if not suppressions:
        return problems
    used: set[tuple[int, str]] = set()
    kept = []
    for problem in problems:
        suppression = by_place.get((problem.file, problem.line, str(problem.code))) if problem.line else None
        if suppression is None:
            kept.append(problem)
        else:
            used.add((id(suppression), str(problem.code)))
    for suppression in suppressions:
        where = (suppression.file, suppression.line, suppression.column, "")
        if not suppression.reason:
            kept.append(Problem(*where, Code.SUPPRESSION_WITHOUT_REASON,
                                "a suppression needs a reason after the codes: "
                                "# cetool: ignore[code] why this is right here"))
        if not suppression.codes:
            kept.append(Problem(*where, Code.UNUSED_SUPPRESSION,
                                "this suppression names no code: write ignore[code]"))
        for code in suppression.codes:
            if (id(suppression), code) not in used:
                kept.append(Problem(*where, Code.UNUSED_SUPPRESSION,
                                    f"nothing to suppress: no {code!r} problem on this line"
                                    f"{' or the next' if suppression.covers_next_line else ''}; remove it"))
    return kept
