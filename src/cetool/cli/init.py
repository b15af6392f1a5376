"""`cetool init`: start a docs repo."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from cetool.cli.common import setup_errors, write_out
from cetool.core.textsafe import visible


class CiChoice(StrEnum):
    github = "github"
    gitlab = "gitlab"
    both = "both"
    none = "none"


def init(
    folder: Path = typer.Argument(Path("."), metavar="FOLDER", help="Where to create the docs repo [default: this folder]."),
    force: bool = typer.Option(False, "--force", help="Overwrite starter files that already exist."),
    today: str = typer.Option(None, "--today", metavar="YYYY-MM-DD",
                              help="The date written into the starter files [default: today]."),
    ci: CiChoice = typer.Option(CiChoice.github, "--ci",
                                help="Which CI file to write: a GitHub Actions workflow, a GitLab CI job, both, or none."),
    install_from: str = typer.Option(
        None, "--install-from", metavar="SPEC",
        help="How the CI workflow installs cetool: a pip requirement such as "
             "'cetool @ git+https://host/org/cetool@COMMIT' [default: where this cetool was installed from, "
             "when it was a git URL; else a step that says what to fill in]."),
) -> None:
    """Start a docs repo that passes `cetool check` as created.

    Writes a starter ownership.yaml (the published ownership-matrix template), one
    example packet, runbook and known issue, a .pre-commit-config.yaml, a GitHub Actions
    workflow running `cetool check` (--ci gitlab: a GitLab CI job), and schemas/packet.schema.json (generated from cetool's
    packet model) for editors. The result passes `cetool check` as created; edit it from
    there. Existing files are never touched: if any starter file already exists, nothing is
    written, they are listed and the command exits 2, unless --force is given.

    The CI file installs the very cetool that wrote it: the git URL and commit it was installed
    from, or --install-from SPEC. Without either, its install step says what to fill in, and
    `cetool check` warns until it is filled in.

    Examples:

      cetool init my-docs-repo

      cetool init . --force

      cetool init my-docs-repo --install-from 'cetool @ git+https://github.com/your-org/cetool@COMMIT'
    """
    from cetool.cli.common import argv_text, parse_today

    with setup_errors():
        from cetool.scaffold.ci_install import installed_spec, spec_from_option
        from cetool.scaffold.init_repo import init_docs_repo, next_steps

        install = spec_from_option(argv_text(install_from)) if install_from is not None else installed_spec()
        systems = {"github": ("github",), "gitlab": ("gitlab",), "both": ("github", "gitlab"), "none": ()}[ci.value]
        result = init_docs_repo(folder, today=parse_today(today), force=force, install=install, ci=systems)
    for name in result.created:
        write_out(visible(f"created      {(folder / name).as_posix()}") + "\n")
    for name in result.overwritten:
        write_out(visible(f"overwritten  {(folder / name).as_posix()}") + "\n")
    write_out("\nNext steps:\n" + "".join(f"  {visible(step)}\n" for step in next_steps(result)))
