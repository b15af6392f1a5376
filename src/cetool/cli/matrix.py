"""`cetool matrix` commands: check, show, diff."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Optional

import typer

from cetool.cli.common import (ProblemFormat, finish, parse_today, render_problems, resolve_matrix_path, setup_errors,
                               write_err, write_out)
from cetool.core.errors import CetoolError, ExitCode
from cetool.core.textsafe import json_text

app = typer.Typer(
    help="The ownership matrix (ownership.yaml): check it, show it as one page, diff two versions.",
    no_args_is_help=True,
)


class ShowFormat(StrEnum):
    text = "text"
    markdown = "markdown"


class DiffFormat(StrEnum):
    text = "text"
    json = "json"


FILE_HELP = "The matrix file [default: ownership.yaml in this folder or the nearest above]."


def _matrix_file(file: Path | None, option: Path | None) -> Path:
    """FILE or --matrix FILE (every command that reads the matrix takes --matrix)."""
    if file is not None and option is not None and file != option:
        raise CetoolError("give the matrix either as FILE or with --matrix, not both")
    named = file or option
    if named is not None and named.is_dir():
        from cetool.core.files import display_path

        raise CetoolError(f"{display_path(named)} is a folder; name the ownership.yaml file "
                          f"(e.g. {display_path(named / 'ownership.yaml')})")
    return resolve_matrix_path(named)


def _stop(load, fmt: str = "text") -> None:
    """A matrix that cannot be used: print its problems and exit 2."""
    from cetool.core.findings import Report

    report = Report(list(load.problems), 1)
    message = f"{load.file or 'the matrix'}: cannot be used, it has {report.errors} error(s)"
    if fmt == "json":
        write_out(json_text({"error": message, **report.to_dict()}) + "\n")
    else:
        write_out(render_problems(report, "text"))
        write_err(f"cetool: error: {message}")
    raise typer.Exit(int(ExitCode.USAGE))


@app.command("check")
def check(
    file: Optional[Path] = typer.Argument(None, metavar="FILE", help=FILE_HELP),
    fmt: ProblemFormat = typer.Option(ProblemFormat.text, "--format", "-f", help="Output format."),
    strict: bool = typer.Option(False, "--strict", help="Fail on warnings too."),
    today: Optional[str] = typer.Option(None, "--today", metavar="YYYY-MM-DD", help="Judge review dates by this day."),
    matrix: Optional[Path] = typer.Option(None, "--matrix", help="Same as FILE."),
) -> None:
    """Check the ownership matrix: every category owned by exactly one team, every key defined,
    no team that owns and disowns (or consults on) the same category, one gate per team, and a
    quarterly review date that is after the effective date and not past. Exit 0 when there are no
    errors, 1 when there are (or warnings with --strict), 2 when the file cannot be found.

    Examples:

      cetool matrix check

      cetool matrix check ownership.yaml --strict --format github
    """
    with setup_errors(fmt):
        from cetool.core.findings import Report
        from cetool.matrix.load import load_matrix

        load = load_matrix(_matrix_file(file, matrix), today=parse_today(today))
    finish(Report(list(load.problems), 1), fmt, strict)


@app.command("show")
def show(
    file: Optional[Path] = typer.Argument(None, metavar="FILE", help=FILE_HELP),
    fmt: ShowFormat = typer.Option(ShowFormat.text, "--format", "-f", help="text, or markdown for a page to publish."),
    matrix: Optional[Path] = typer.Option(None, "--matrix", help="Same as FILE."),
) -> None:
    """Show the matrix as one page: per team what it owns, consults on and does not own; the
    escalation gates; the version, effective and review dates. --format markdown gives a page to
    publish where everyone can find it. Exit 2 when the matrix has errors (they are printed).

    Examples:

      cetool matrix show

      cetool matrix show --format markdown > docs/ownership.md
    """
    with setup_errors():
        from cetool.matrix.load import load_matrix
        from cetool.matrix.page import matrix_markdown, matrix_text

        load = load_matrix(_matrix_file(file, matrix))
    if load.matrix is None:
        _stop(load)
    from cetool.core.textsafe import visible_lines

    write_out(visible_lines(matrix_markdown(load.matrix) if fmt == ShowFormat.markdown else matrix_text(load.matrix)))


@app.command("diff")
def diff(
    old: str = typer.Argument(..., metavar="OLD", help="The old matrix: a file or REV:PATH (e.g. origin/main:ownership.yaml)."),
    new: str = typer.Argument(..., metavar="NEW", help="The new matrix: a file or REV:PATH."),
    fmt: DiffFormat = typer.Option(DiffFormat.text, "--format", "-f", help="Output format."),
) -> None:
    """What changed between two versions of the matrix: category owners (from -> to), categories
    and teams added or removed, consults-on and does-not-own changes, gates, and both versions.
    Comments, formatting, key order, list order and x- keys are ignored. Exit 0 when identical,
    1 when they differ, 2 when either cannot be read (a REV:PATH is read with git show).

    Examples:

      cetool matrix diff origin/main:ownership.yaml ownership.yaml

      cetool matrix diff old/ownership.yaml ownership.yaml --format json
    """
    with setup_errors(fmt):
        from cetool.matrix.load import diff_matrices, load_matrix_source
        from cetool.matrix.page import diff_text

        loads = [load_matrix_source(spec) for spec in (old, new)]
    for load in loads:
        if load.parsed is None:
            _stop(load, fmt)
    result = diff_matrices(loads[0].parsed, loads[1].parsed)
    from cetool.core.textsafe import visible_lines

    write_out(json_text(result.to_dict()) + "\n" if fmt == DiffFormat.json else visible_lines(diff_text(result)))
    raise typer.Exit(int(ExitCode.OK if result.identical else ExitCode.FINDINGS))
