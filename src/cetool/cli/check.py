"""`cetool check`: the docs-repo CI gate."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from cetool.cli.common import (exit_code_for, matrix_failure_extra, parse_today, render_problems, setup_errors,
                               write_err, write_out)
from cetool.core.errors import CetoolError
from cetool.core.files import display_path


def _matrix_failure(errors: int) -> str:
    if errors == 0:
        return "the ownership matrix cannot be read; fix it first"
    return f"the ownership matrix has {errors} error(s); fix it first"


class CheckFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"
    junit = "junit"
    sarif = "sarif"


def check(
    root: Path = typer.Argument(None, metavar="ROOT", show_default=False,
                                help="The docs root: the folder holding ownership.yaml [default: this folder, "
                                     "or the nearest above it holding ownership.yaml]."),
    fmt: CheckFormat = typer.Option(CheckFormat.text, "--format", "-f", help="Output format."),
    strict: bool = typer.Option(False, "--strict", help="Fail on warnings too."),
    today: str = typer.Option(None, "--today", metavar="YYYY-MM-DD",
                              help="The date to judge staleness and review dates by [default: today]."),
    base: str = typer.Option(None, "--base", metavar="REV",
                             help="A git revision to compare ownership.yaml with (e.g. origin/main)."),
    baseline: Path = typer.Option(None, "--baseline", metavar="FILE",
                                  help="Report only problems not recorded in this baseline file."),
    write_baseline: Path = typer.Option(None, "--write-baseline", metavar="FILE",
                                        help="Record today's problems in FILE as known, and exit 0."),
    force: bool = typer.Option(False, "--force", help="Let --write-baseline replace an existing FILE."),
) -> None:
    """Check the whole docs repo in one run, as CI does.

    Reads ownership.yaml, every packet in packets/, every runbook in runbooks/, known issue
    in known_issues/ and prevention action in prevention/ (and whether reports/ has last week's
    record), and checks every reference between them (packet -> known issue, runbook <-> known issue, categories and teams -> matrix). Every
    problem is reported with its file and line. Exit 0 when there are no errors (warnings allowed
    unless --strict), 1 when problems were found, 2 when the check could not run.

    With --base REV, a changed ownership.yaml must also bump its version, and packets whose
    routing was valid at REV but breaks under the new matrix are reported.

    On a repo with legacy problems, --write-baseline FILE records them once; --baseline FILE then
    fails only on new problems, says how many known ones remain and which entries are fixed.
    A `# cetool: ignore[code] reason` comment on a line (or alone above it) suppresses one problem.

    Examples:

      cetool check

      cetool check docs --format github

      cetool check --format junit > cetool-junit.xml

      cetool check --base origin/main --strict

      cetool check --write-baseline .cetool-baseline.json

      cetool check --baseline .cetool-baseline.json --format sarif > cetool.sarif
    """
    with setup_errors(fmt.value):
        from cetool.docscheck import baseline as baselines

        if baseline is not None and write_baseline is not None:
            raise CetoolError("--baseline and --write-baseline go in separate runs: write it once, then check against it")
        known = baselines.read_baseline(baseline) if baseline is not None else None
        from cetool.docscheck.run import run_check

        if root is None:  # this folder or the nearest above with ownership.yaml: `cd packets && cetool check`
            from cetool.core.docsroot import resolve_docs_root

            found = resolve_docs_root(None, option="ROOT")
            root = found.folder if found is not None else Path(".")

        result = run_check(root, today=parse_today(today), base=base)
        if write_baseline is not None:
            if result.could_not_run:
                raise CetoolError(f"not writing {display_path(write_baseline)}: "
                                  f"{_matrix_failure(result.matrix_errors)} (cetool check lists the problems)")
            count = baselines.write_baseline(write_baseline, result.report, root, force=force)
            write_err(f"cetool: recorded {count} problem(s) in {display_path(write_baseline)}; "
                      f"from now on run: cetool check --baseline {display_path(write_baseline)}")
            raise typer.Exit(0)
    report, extra = result.report, None
    if known is not None:
        applied = baselines.apply_baseline(result.report, known, root)
        report = applied.report
        if fmt == CheckFormat.json:
            extra = {"baseline": applied.to_dict(display_path(baseline))}
        else:
            write_err(baselines.baseline_summary(applied, display_path(baseline)))
    failure = matrix_failure_extra(result.could_not_run, fmt.value, _matrix_failure(result.matrix_errors))
    if failure:
        extra = {**(extra or {}), **failure}
    write_out(render_problems(report, fmt.value, strict=strict, extra=extra, files=result.files,
                              sources=result.sources),
              workflow_commands=fmt.value == "github")
    raise typer.Exit(exit_code_for(report, strict, could_not_run=result.could_not_run))
