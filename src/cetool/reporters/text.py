"""What a person reads before escalating: grouped by file, each problem with its source line."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from cetool.core.findings import Problem, Report, Severity
from cetool.core.files import SourceLines
from cetool.core.textsafe import MESSAGE_LIMIT, excerpt, shorten, visible

_COLORS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}


def _paint(text: str, code: str, color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color else text


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _problem_lines(problem: Problem, sources: SourceLines, color: bool) -> list[str]:
    where = f"{problem.line}:{problem.column or 1}" if problem.line else "-"
    severity = _paint(f"{problem.severity:<7}", _COLORS[problem.severity], color)
    out = [f"  {where:>7}  {severity}  {visible(shorten(problem.message, MESSAGE_LIMIT))}  {_paint(f'[{problem.code}]', '2', color)}"]
    source = sources.line(problem.file, problem.line)
    if source is not None and source.strip():
        gutter = f"{problem.line:>7} | "
        shown, padding = excerpt(source, problem.column)
        out.append(f"  {gutter}{shown}")
        if problem.column:
            out.append("  " + " " * (len(gutter) - 2) + "| " + padding + _paint("^", "1", color))
    return out


def summary(report: Report) -> str:
    if not report.problems and report.files_checked == 0:
        return "✓ 0 files checked: no files found to check"
    if not report.problems:
        return f"✓ {_plural(report.files_checked, 'file')} checked: no problems"
    files_with = len({p.file for p in report.problems})
    parts = [_plural(report.errors, "error"), _plural(report.warnings, "warning")]
    infos = report.count(Severity.INFO)
    if infos:
        parts.append(f"{infos} info")
    return f"{'✗' if report.errors else '!'} {', '.join(parts)} in {_plural(files_with, 'file')} ({report.files_checked} checked)"


def render(report: Report, *, color: bool = False, sources: SourceLines | None = None, **_: Any) -> str:
    sources = sources or SourceLines()
    lines: list[str] = []
    for file, problems in groupby(report.sorted(), key=lambda p: p.file):
        lines.append(_paint(visible(file), "1", color))
        for problem in problems:
            lines.extend(_problem_lines(problem, sources, color))
        lines.append("")
    lines.append(summary(report))
    return "\n".join(lines) + "\n"
