"""`cetool kb`: search the knowledge base, list what is overdue for review."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from cetool.cli.common import argv_text, setup_errors, write_out
from cetool.core.textsafe import json_text

app = typer.Typer(help="Search runbooks and known issues; list what is overdue for review.",
                  no_args_is_help=True)


class KbFormat(StrEnum):
    text = "text"
    json = "json"


ROOT_HELP = "The docs root [default: the folder of the nearest ownership.yaml]."


def _docs_root(root: Path | None):
    """--root, else the folder of the nearest ownership.yaml; neither is exit 2 (a run over
    nothing would say "nothing overdue" about a folder that is no docs repo at all)."""
    from cetool.core.docsroot import resolve_docs_root
    from cetool.core.errors import CetoolError

    found = resolve_docs_root(root, option="--root")
    if found is None:
        raise CetoolError("no ownership.yaml in this folder or any folder above it, so no docs root; "
                          "run this inside a docs repo or pass --root FOLDER")
    return found


@app.command("search")
def search(
    text: str = typer.Argument(..., metavar="TEXT", callback=argv_text, help="What the customer sees, in plain words."),
    limit: int = typer.Option(5, "--limit", "-n", min=1, help="How many hits to show."),
    fmt: KbFormat = typer.Option(KbFormat.text, "--format", "-f", help="Output format."),
    root: Path = typer.Option(None, "--root", help=ROOT_HELP),
) -> None:
    """Find the runbooks and known issues that match a symptom, best first (BM25 over titles,
    Symptoms, Detection and Root cause). Run it before escalating: the fix may already be
    written down. Only relevant hits are shown: a hit must hold a good share of your words and
    score near the best one; when nothing is relevant, it says so. Exit 0 (also when nothing matches).

    Examples:

      cetool kb search "webhook 401 after rotating the secret"

      cetool kb search "too many requests" --limit 3 --format json
    """
    with setup_errors(fmt.value):
        from datetime import date

        from cetool.knowledge.search import search as run_search
        from cetool.knowledge.load import load_knowledge

        knowledge = load_knowledge(_docs_root(root), matrix=None, today=date.today())
        result = run_search(knowledge, text, limit=limit)
    hits = result.hits
    if fmt == KbFormat.json:
        write_out(json_text({"query": text, "hits": [h.to_dict() for h in hits],
                             "left_out_as_not_relevant": len(result.left_out)}) + "\n")
        return
    from cetool.core.textsafe import quote, visible

    if not hits and result.left_out:
        closest = result.left_out[0]
        write_out(visible(f"nothing in the runbooks or known issues is relevant to {quote(text)} "
                          f"(the closest, {closest.id} {quote(closest.title)}, shares too few of its words)") + "\n")
        return
    if not hits:
        write_out(f"no runbook or known issue matches {quote(text)}\n")
        return
    for hit in hits:  # titles and names come from files anyone can commit: no raw control characters
        status = f" [{hit.status}]" if hit.status else ""
        write_out(visible(f"{hit.score:6.2f}  {hit.id:<22} {hit.title}{status}") + f"\n        {visible(hit.file)}\n")


@app.command("stale")
def stale(
    today: str = typer.Option(None, "--today", metavar="YYYY-MM-DD", help="Judge by this date [default: today]."),
    fmt: KbFormat = typer.Option(KbFormat.text, "--format", "-f", help="Output format."),
    root: Path = typer.Option(None, "--root", help=ROOT_HELP),
) -> None:
    """List what is overdue: runbooks not reviewed in 180 days, runbooks never reviewed by
    engineering, known issues (open or workaround) not confirmed in 90 days, and the ownership
    matrix past its review_by date. Dates are read as written, also from files with other errors;
    a document whose dates cannot be read is listed as not checked (`cetool check` says why).
    Exit 1 when anything is overdue or could not be checked, 0 otherwise.

    Examples:

      cetool kb stale

      cetool kb stale --today 2027-03-01 --format json
    """
    from cetool.cli.common import parse_today

    with setup_errors(fmt.value):
        from cetool.knowledge.stale import find_stale

        report = find_stale(_docs_root(root), today=parse_today(today))
    if fmt == KbFormat.json:
        write_out(json_text(report.to_dict()) + "\n")
    else:
        from cetool.core.textsafe import visible_lines

        write_out(visible_lines(_stale_text(report)))
    raise typer.Exit(1 if report.failed else 0)


def _stale_text(report) -> str:
    from cetool.knowledge.stale import NO_ID

    if not report.failed:
        return f"✓ nothing overdue on {report.today} ({report.checked} documents checked)\n"
    lines = [f"{item.file}  {item.id}: {item.message}  [{item.reason}]" for item in report.items]
    lines += [f"{entry.file}  {entry.id or NO_ID}: could not be checked: {entry.message}  [not-checked]"
              for entry in report.unchecked]
    summary = f"\n✗ {len(report.items)} overdue on {report.today} ({report.checked} documents checked)"
    if count := len(report.unchecked):
        summary += f"; {count} {'file' if count == 1 else 'files'} could not be checked: run `cetool check`"
    return "\n".join(lines + [summary]) + "\n"
