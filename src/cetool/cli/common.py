"""What every command shares: output, exit codes, and turning setup failures into exit 2."""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any, Iterator

import typer

from cetool.core.errors import CetoolError, ExitCode
from cetool.core.files import SourceLines
from cetool.core.findings import Report
from cetool.core.textsafe import ci_inert, utf8_text, visible_lines


class ProblemFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"


def use_color(stream=None) -> bool:
    # the stream is looked up per call: a default bound at import would keep whatever stdout
    # was then (under a test runner, a capture that is closed later)
    stream = sys.stdout if stream is None else stream
    return stream.isatty() and "NO_COLOR" not in os.environ


def argv_text(value: str | None) -> str | None:
    """An option's text with bytes that are not UTF-8 (the shell hands them over as surrogates)
    as U+FFFD, so they can be written to a UTF-8 file, JSON or a terminal. For text options only:
    a path must keep its bytes to be found."""
    return None if value is None else utf8_text(value)


def output_file(output: Path | None) -> Path | None:
    """The file `-o/--output` names; None for standard output (no option, or `-o -`)."""
    return None if output is None or str(output) == "-" else output


def write_out(text: str, *, workflow_commands: bool = False) -> None:
    """Standard output, CI-inert (docs/security.md#ci-logs) unless it is `--format github`,
    whose workflow commands are the point (its reporter escapes what they carry)."""
    text = utf8_text(text)  # a file name that is not UTF-8 cannot stop the output
    sys.stdout.write(text if workflow_commands else ci_inert(text))
    sys.stdout.flush()


def write_err(text: str) -> None:
    """A message on standard error: control characters escaped and CI-inert, as it quotes paths
    and values from users' files."""
    text = ci_inert(visible_lines(utf8_text(text.removesuffix("\n"))))
    sys.stderr.write(text + "\n")


@contextmanager
def setup_errors(fmt: str = "text") -> Iterator[None]:
    """A CetoolError stops the command with exit 2; with --format json it still prints JSON."""
    try:
        yield
    except CetoolError as exc:
        if fmt == "json":
            from cetool.reporters.json_report import render_error

            write_out(render_error(str(exc)) + "\n")
        else:
            write_err(f"cetool: error: {exc}")
        raise typer.Exit(int(exc.exit_code)) from None


def parse_today(value: str | None) -> date:
    """--today YYYY-MM-DD (docs/check.md#rules-every-file-follows); a bad value is a usage error (exit 2)."""
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CetoolError(f"--today {value!r}: expected a date written YYYY-MM-DD") from None


def matrix_failure_extra(could_not_run: bool, fmt: str, message: str) -> dict[str, Any] | None:
    """When the matrix cannot be built the problems are still printed, with the reason on stderr
    (text formats) or as the JSON object's `error` (docs/check.md#exit-codes)."""
    if not could_not_run:
        return None
    if fmt == "json":
        return {"error": message}
    write_err(f"cetool: error: {message}")
    return None


def exit_code_for(report: Report, strict: bool, *, could_not_run: bool = False) -> int:
    if could_not_run:
        return int(ExitCode.USAGE)
    return int(ExitCode.FINDINGS if report.failed(strict) else ExitCode.OK)


def render_problems(report: Report, fmt: str, *, strict: bool = False, extra: dict[str, Any] | None = None,
                    files: list[str] | None = None, sources: SourceLines | None = None) -> str:
    """`sources`: the texts the run already read, so excerpts need no second read."""
    from cetool.reporters import PROBLEM_REPORTERS

    out = PROBLEM_REPORTERS[fmt](report, color=use_color(), strict=strict, extra=extra, files=files, sources=sources)
    return out if out.endswith("\n") else out + "\n"


def finish(report: Report, fmt: str, strict: bool, *, could_not_run: bool = False,
           extra: dict[str, Any] | None = None, sources: SourceLines | None = None) -> None:
    write_out(render_problems(report, fmt, strict=strict, extra=extra, sources=sources),
              workflow_commands=fmt == "github")
    raise typer.Exit(exit_code_for(report, strict, could_not_run=could_not_run))


def resolve_matrix_path(matrix: Path | None) -> Path:
    """--matrix, else `ownership.yaml` found from the current folder upward."""
    from cetool.core.docsroot import resolve_matrix

    return resolve_matrix(matrix)


MATRIX_OPTION_HELP = "The ownership matrix [default: ownership.yaml in this folder or the nearest above]."
