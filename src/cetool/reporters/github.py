"""GitHub Actions workflow commands, escaped as the runner's toolkit escapes them."""

from __future__ import annotations

from typing import Any

from cetool.core.findings import Report, Severity
from cetool.core.textsafe import MESSAGE_LIMIT, shorten, visible


def escape_data(value: str) -> str:
    """GitHub's escaping, after any other control character is made visible (a log is a terminal)."""
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return visible(value)


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def render(report: Report, *, strict: bool = False, **_: Any) -> str:
    """Under --strict a warning fails the run, so it is annotated as an error."""
    lines = []
    for problem in report.sorted():
        command = "error" if problem.fails(strict) else _COMMAND[problem.severity]
        props = [f"file={escape_property(problem.file)}"]
        if problem.line is not None:
            props.append(f"line={problem.line}")
        if problem.column is not None:
            props.append(f"col={problem.column}")
        props.append(f"title={escape_property(str(problem.code))}")
        message = f"{problem.path}: {problem.message}" if problem.path and problem.path not in problem.message else problem.message
        lines.append(f"::{command} {','.join(props)}::{escape_data(shorten(message, MESSAGE_LIMIT))}")
    lines.append(
        f"cetool: {report.errors} error(s), {report.warnings} warning(s) in {report.files_checked} file(s) checked"
    )
    return "\n".join(lines) + "\n"
