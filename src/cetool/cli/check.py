"""`cetool check`: the docs-repo CI gate."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from pathlib import Path

import typer

from cetool.cli.common import exit_code_for, setup_errors, use_color, write_err, write_out


class CheckFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"
    junit = "junit"


def parse_today(value: str | None) -> date:
    """--today YYYY-MM-DD (spec section 0); a bad value is a usage error (exit 2)."""
    from cetool.errors import CetoolError

    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CetoolError(f"--today {value!r}: expected a date written YYYY-MM-DD") from None


def check(
    root: Path = typer.Argument(Path("."), help="The docs root: the folder holding ownership.yaml."),
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
        from cetool.gate import run_check
        from cetool.reporters import PROBLEM_REPORTERS

        result = run_check(root, today=parse_today(today), base=base)
    extra = None
    if result.could_not_run:
        message = f"the ownership matrix has {result.report.errors} error(s) or cannot be read; fix it first"
        if fmt == CheckFormat.json:
            extra = {"error": message}
        else:
            write_err(f"cetool: error: {message}")
    out = PROBLEM_REPORTERS[fmt.value](result.report, color=use_color(), files=result.files, extra=extra)
    write_out(out if out.endswith("\n") else out + "\n")
    raise typer.Exit(exit_code_for(result.report, strict, could_not_run=result.could_not_run))
