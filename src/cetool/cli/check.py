"""`cetool check`: the docs-repo CI gate."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from cetool.cli.common import exit_code_for, matrix_failure_extra, parse_today, render_problems, setup_errors, write_out


def _matrix_failure(errors: int) -> str:
    if errors == 0:
        return "the ownership matrix cannot be read; fix it first"
    return f"the ownership matrix has {errors} error(s); fix it first"


class CheckFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"
    junit = "junit"


def check(
    root: Path = typer.Argument(Path("."), metavar="ROOT", help="The docs root: the folder holding ownership.yaml."),
    fmt: CheckFormat = typer.Option(CheckFormat.text, "--format", "-f", help="Output format."),
    strict: bool = typer.Option(False, "--strict", help="Fail on warnings too."),
    today: str = typer.Option(None, "--today", metavar="YYYY-MM-DD",
                              help="The date to judge staleness and review dates by [default: today]."),
    base: str = typer.Option(None, "--base", metavar="REV",
                             help="A git revision to compare ownership.yaml with (e.g. origin/main)."),
) -> None:
    """Check the whole docs repo in one run, as CI does.

    Reads ownership.yaml, every packet in packets/, every runbook in runbooks/ and known issue
    in known_issues/, and checks every reference between them (packet -> known issue, runbook <-> known issue, categories and teams -> matrix). Every
    problem is reported with its file and line. Exit 0 when there are no errors (warnings allowed
    unless --strict), 1 when problems were found, 2 when the check could not run.

    With --base REV, a changed ownership.yaml must also bump its version, and packets whose
    routing was valid at REV but breaks under the new matrix are reported.

    Examples:

      cetool check

      cetool check docs --format github

      cetool check --format junit > cetool-junit.xml

      cetool check --base origin/main --strict
    """
    with setup_errors(fmt.value):
        from cetool.docscheck.run import run_check

        result = run_check(root, today=parse_today(today), base=base)
    extra = matrix_failure_extra(
        result.could_not_run, fmt.value,
        _matrix_failure(result.matrix_errors))
    write_out(render_problems(result.report, fmt.value, strict=strict, extra=extra, files=result.files),
              workflow_commands=fmt.value == "github")
    raise typer.Exit(exit_code_for(result.report, strict, could_not_run=result.could_not_run))
