"""`cetool packet` commands: validate, new, schema."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import List, Optional

import typer

from cetool.cli.common import (MATRIX_OPTION_HELP, ProblemFormat, argv_text, finish, matrix_failure_extra, output_file,
                               resolve_matrix_path, setup_errors, write_err, write_out)
from cetool.core.batch import cycle_collection_paused
from cetool.core.ids import SEVERITY_LEVELS
from cetool.core.textsafe import visible, visible_lines

app = typer.Typer(
    help="Escalation packets: validate them before escalating, start a new one, print the schema.",
    no_args_is_help=True,
)


SeverityChoice = StrEnum("SeverityChoice", {level: level for level in SEVERITY_LEVELS})


@app.command("validate")
def validate(
    paths: Optional[List[Path]] = typer.Argument(None, metavar="PATHS", help="Packet files or folders [default: packets/ of the docs root]."),
    matrix: Optional[Path] = typer.Option(None, "--matrix", help=MATRIX_OPTION_HELP),
    fmt: ProblemFormat = typer.Option(ProblemFormat.text, "--format", "-f", help="Output format."),
    strict: bool = typer.Option(False, "--strict", help="Fail on warnings too."),
) -> None:
    """Check escalation packets before they go to the receiving team: the schema (every required
    element filled in, no placeholders), the routing against the ownership matrix (the category's
    owner, the escalation gates, a named owner for P1/P2), unique ids and known-issue references.
    Problems are grouped by file with the offending line. Exit 0 when there are no errors, 1 when
    there are (or warnings with --strict), 2 when the run could not start (the matrix's own
    problems are printed).

    Examples:

      cetool packet validate

      cetool packet validate packets/ESC-2026-0142.yaml

      cetool packet validate --format github --strict
    """
    # Thousands of packets' models and problems, kept to the end and rendered: nothing for the
    # cycle collector to find (docs/packets.md#speed).
    with cycle_collection_paused():
        with setup_errors(fmt):
            from cetool.packets.validate import validate_packets

            run = validate_packets(list(paths or []), resolve_matrix_path(matrix))
        for folder in run.empty_folders:  # on stderr, so JSON and annotations on stdout stay clean
            write_err(f"cetool: no packet files (*.yaml, *.yml) found in {folder}")
        extra = matrix_failure_extra(
            run.could_not_run, fmt,
            f"the ownership matrix has {run.report.errors} error(s); fix it first (cetool matrix check)")
        finish(run.report, fmt, strict, could_not_run=run.could_not_run, extra=extra, sources=run.sources)


@app.command("new")
def new(
    packet_id: Optional[str] = typer.Option(None, "--id", callback=argv_text, help="Packet id [default: the next ESC-<year>-<n>]."),
    severity: Optional[SeverityChoice] = typer.Option(None, "--severity", help="The packet's severity."),
    category: Optional[str] = typer.Option(None, "--category", callback=argv_text, help="A category key of the matrix."),
    route_to: Optional[str] = typer.Option(None, "--route-to", callback=argv_text, help="Team key [default: the category's owner]."),
    from_team: Optional[str] = typer.Option(None, "--from-team", callback=argv_text, help="Team key [default: the gate's only sender]."),
    owner: Optional[str] = typer.Option(None, "--owner", callback=argv_text, help="The named, accountable person."),
    title: Optional[str] = typer.Option(None, "--title", callback=argv_text, help="One line, 10-200 characters."),
    folder: Optional[Path] = typer.Option(None, "--dir", help="Where to write [default: packets/ of the docs root]."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing packet file."),
    matrix: Optional[Path] = typer.Option(None, "--matrix", help=MATRIX_OPTION_HELP),
    today: Optional[str] = typer.Option(None, "--today", metavar="YYYY-MM-DD",
                                        help="The created date and the id's year [default: today]."),
) -> None:
    """Start an escalation packet: write packets/<id>.yaml from a commented template, with what
    the options and the ownership matrix already tell (route_to is the category's owner). Every
    <placeholder> left is an error for `cetool packet validate`. Options validate would reject
    (an id already used in another case, a title outside 10-200 characters, a team as --owner,
    a --route-to that does not own the category) stop with exit 2 before anything is written.
    Refuses to overwrite a file without --force.

    Examples:

      cetool packet new --category confirmed-bug --severity P2 --owner dana.ortiz

      cetool packet new --id ESC-2026-0160 --title "Exports time out for large workspaces"
    """
    with setup_errors():
        from cetool.cli.common import parse_today
        from cetool.packets.template import create_packet

        written, *also = create_packet(
            resolve_matrix_path(matrix), packet_id=packet_id, severity=severity and str(severity),
            category=category, route_to=route_to, from_team=from_team, owner=owner, title=title,
            folder=folder, force=force, today=parse_today(today),
        )
        write_out(visible_lines("".join(f"wrote {path} (the schema its first line names)\n" for path in also)))
        write_out(visible_lines(f"wrote {written}\nfill in every <placeholder>, then run: cetool packet validate {written}\n"))


@app.command("schema")
def schema(
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the schema to FILE instead of stdout (- for stdout)."),
    force: bool = typer.Option(False, "--force", help="Overwrite FILE if it exists."),
) -> None:
    """Print the JSON Schema of an escalation packet (generated from cetool's model), for editors
    (yaml-language-server) and other validators. Writes atomically with --output; an existing file
    is only replaced with --force.

    Examples:

      cetool packet schema > schemas/packet.schema.json

      cetool packet schema --output schemas/packet.schema.json --force
    """
    with setup_errors():
        from cetool.core.errors import CetoolError
        from cetool.core.files import atomic_write
        from cetool.packets.model import packet_schema_text

        text = packet_schema_text()
        output = output_file(output)
        if output is None:
            write_out(text)
        else:
            try:
                atomic_write(output, text, force=force)
            except OSError as exc:
                raise CetoolError(f"cannot write {output}: {exc.strerror or exc}") from None
            write_out(visible(f"wrote {output}") + "\n")
