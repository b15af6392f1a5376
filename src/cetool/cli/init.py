"""`cetool init`: start a docs repo."""

from __future__ import annotations

from pathlib import Path

import typer

from cetool.cli.common import setup_errors, write_out


def init(
    folder: Path = typer.Argument(Path("."), metavar="FOLDER", help="Where to create the docs repo [default: this folder]."),
    force: bool = typer.Option(False, "--force", help="Overwrite starter files that already exist."),
    today: str = typer.Option(None, "--today", metavar="YYYY-MM-DD",
                              help="The date written into the starter files [default: today]."),
) -> None:
    """Start a docs repo that passes `cetool check` as created.

    Writes a starter ownership.yaml (the published ownership-matrix template), one
    example packet, runbook and known issue, a .pre-commit-config.yaml, a GitHub Actions
    workflow running `cetool check`, and schemas/packet.schema.json (generated from cetool's
    packet model) for editors. The result passes `cetool check` as created; edit it from
    there. Existing files are never touched: if any starter file already exists, nothing is
    written, they are listed and the command exits 2, unless --force is given.

    Examples:

      cetool init my-docs-repo

      cetool init . --force
    """
    from cetool.cli.common import parse_today

    with setup_errors():
        from cetool.scaffold.init_repo import init_docs_repo

        result = init_docs_repo(folder, today=parse_today(today), force=force)
    for name in result.created:
        write_out(f"created      {(folder / name).as_posix()}\n")
    for name in result.overwritten:
        write_out(f"overwritten  {(folder / name).as_posix()}\n")
    write_out(f"\nNext: cd {folder.as_posix()} && cetool check\n")
