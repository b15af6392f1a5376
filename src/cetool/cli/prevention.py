"""`cetool prevention` commands: check, new, list, schema."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Optional

import typer

from cetool.cli.common import (MATRIX_OPTION_HELP, ProblemFormat, argv_text, finish, matrix_failure_extra,
                               parse_today, resolve_matrix_path, setup_errors, write_err, write_out)

app = typer.Typer(
    help="Prevention actions (prevention/*.yaml): the weekly Improve loop. Check, start, list them.",
    no_args_is_help=True,
)

TODAY_HELP = "Judge due dates by this date [default: today]."


class KindChoice(StrEnum):
    runbook_update = "runbook-update"
    known_issue = "known-issue"
    product_feedback = "product-feedback"
    enablement = "enablement"


class ListFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


@app.command("check")
def check(
    matrix: Optional[Path] = typer.Option(None, "--matrix", help=MATRIX_OPTION_HELP),
    fmt: ProblemFormat = typer.Option(ProblemFormat.text, "--format", "-f", help="Output format."),
    strict: bool = typer.Option(False, "--strict", help="Fail on warnings too (an overdue action)."),
    today: Optional[str] = typer.Option(None, "--today", metavar="YYYY-MM-DD", help=TODAY_HELP),
) -> None:
    """Check every action under prevention/ of the docs root.

    The schema (no placeholders), the team against the matrix, a person as owner, the dates in
    order, runbook and known-issue links. Overdue actions are warnings. `cetool check` runs the same checks with everything else.
    Exit 0 when there are no errors, 1 when there are (or warnings with --strict), 2 when the
    run could not start.

    Examples:

      cetool prevention check

      cetool prevention check --strict --format github
    """
    with setup_errors(fmt.value):
        from cetool.prevention.listing import run_prevention

        run = run_prevention(resolve_matrix_path(matrix), today=parse_today(today))
    extra = matrix_failure_extra(run.could_not_run, fmt.value,
                                 f"the ownership matrix has {run.report.errors} error(s); fix it first "
                                 "(cetool matrix check)")
    finish(run.report, fmt.value, strict, could_not_run=run.could_not_run, extra=extra)


@app.command("new")
def new(
    root_cause: Optional[str] = typer.Option(None, "--root-cause", callback=argv_text,
                                             help="The driver, exactly as the export's root_cause column has it."),
    kind: Optional[KindChoice] = typer.Option(None, "--kind", help="What kind of prevention."),
    owner: Optional[str] = typer.Option(None, "--owner", callback=argv_text, help="The accountable person."),
    due: Optional[str] = typer.Option(None, "--due", metavar="YYYY-MM-DD", help="When it is due."),
    action: Optional[str] = typer.Option(None, "--action", callback=argv_text, help="The specific action, one line."),
    team: Optional[str] = typer.Option(None, "--team", callback=argv_text,
                                       help="Team key [default: the matrix's owner of repeat-prevention, "
                                            "or of product-feedback-loop for product feedback]."),
    matrix: Optional[Path] = typer.Option(None, "--matrix", help=MATRIX_OPTION_HELP),
    today: Optional[str] = typer.Option(None, "--today", metavar="YYYY-MM-DD",
                                        help="assigned is this date's Monday; the id's year [default: today]."),
) -> None:
    """Assign a prevention action from a commented template.

    Writes prevention/<next PA-year-n>.yaml with assigned = this week's Monday, the team from the matrix, and links to the
    driver's known issue and runbook when they exist. Every <placeholder> left is an error for
    `cetool check`. An option check would reject (a team as --owner, an unknown --team, a --due
    before this week's Monday) stops with exit 2 before anything is written. Never overwrites.

    Examples:

      cetool prevention new --root-cause csv-export-timeout --kind known-issue --owner dana.ortiz --due 2026-12-11

      cetool prevention new --root-cause role-sync-drift --kind product-feedback --owner lee.chen
    """
    with setup_errors():
        from cetool.core.errors import CetoolError
        from cetool.prevention.template import create_action

        try:
            due_date = date.fromisoformat(due) if due is not None else None
        except ValueError:
            raise CetoolError(f"--due {due!r}: expected a date written YYYY-MM-DD") from None
        written, *also = create_action(
            resolve_matrix_path(matrix), root_cause=root_cause, kind=kind and str(kind), action=action,
            owner=owner, team=team, due=due_date, today=parse_today(today))
        write_out("".join(f"wrote {path} (the schema its first line names)\n" for path in also))
        write_out(f"wrote {written}\nfill in every <placeholder>, then run: cetool check\n")


@app.command("list")
def list_(
    overdue: bool = typer.Option(False, "--overdue", help="Only overdue actions (exit 1 when there are any)."),
    root_cause: Optional[str] = typer.Option(None, "--root-cause", callback=argv_text, help="Only this driver's actions."),
    fmt: ListFormat = typer.Option(ListFormat.text, "--format", "-f", help="Output format."),
    matrix: Optional[Path] = typer.Option(None, "--matrix", help=MATRIX_OPTION_HELP),
    today: Optional[str] = typer.Option(None, "--today", metavar="YYYY-MM-DD", help=TODAY_HELP),
) -> None:
    """List prevention actions with where each stands today.

    Overdue, in progress, planned, done, dropped: most urgent first, then by due date. Files with errors are listed with what
    can be read, and counted on stderr. Exit 0; with --overdue, 1 when anything is overdue (like
    `cetool kb stale`), so a scheduled job can chase it.

    Examples:

      cetool prevention list

      cetool prevention list --overdue

      cetool prevention list --root-cause csv-export-timeout --format markdown
    """
    with setup_errors(fmt.value):
        from cetool.prevention.listing import RENDERERS, list_actions, run_prevention

        day = parse_today(today)
        run = run_prevention(resolve_matrix_path(matrix), today=day)
        if run.could_not_run:
            from cetool.core.errors import CetoolError

            raise CetoolError("the ownership matrix has errors; fix it first (cetool matrix check)")
        listed = list_actions(run.check, today=day, overdue_only=overdue, root_cause=root_cause)
    broken = sum(1 for loaded in run.check.actions if loaded.errors)
    if broken:
        write_err(f"cetool: {broken} action file(s) have errors; run cetool check")
    write_out(RENDERERS[fmt.value](listed, day))
    raise typer.Exit(1 if overdue and listed else 0)


@app.command("schema")
def schema(
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the schema to FILE instead of stdout."),
    force: bool = typer.Option(False, "--force", help="Overwrite FILE if it exists."),
) -> None:
    """Print the JSON Schema of a prevention action.

    Generated from cetool's model, for editors (yaml-language-server) and other validators. Writes atomically with --output; an existing
    file is only replaced with --force.

    Examples:

      cetool prevention schema --output schemas/prevention.schema.json --force
    """
    with setup_errors():
        from cetool.core.files import atomic_write
        from cetool.prevention.model import action_schema_text

        text = action_schema_text()
        if output is None:
            write_out(text)
        else:
            atomic_write(output, text, force=force)
            write_out(f"wrote {output}\n")
