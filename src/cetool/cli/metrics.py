"""`cetool metrics weekly`: the Monday report from a ticket export."""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Optional

import typer

from cetool.cli.common import argv_text, output_file, parse_today, setup_errors, use_color, write_err, write_out
from cetool.core.errors import CetoolError, ExitCode
from cetool.core.textsafe import json_text

app = typer.Typer(help="Weekly metrics from a ticket export (Zendesk, Jira, ServiceNow or canonical CSV).",
                  no_args_is_help=True)

PROGRESS_FROM_BYTES = 20 * 1024 * 1024


class MetricsFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"
    html = "html"


class Preset(StrEnum):
    canonical = "canonical"
    zendesk = "zendesk"
    jira = "jira"
    servicenow = "servicenow"


def _docs_root(value: Optional[Path]) -> tuple[Optional[Path], Optional[str]]:
    from cetool.core.docsroot import find_matrix
    from cetool.core.files import display_path, missing_reason

    if value is not None:
        if (why := missing_reason(value, folder=True)) is not None:
            raise CetoolError(f"--docs-root: {value}: {why}")
        return value, display_path(value) or "."
    found = find_matrix()
    if found is None:
        return None, None
    return found.parent, display_path(found.parent) or "."


def _progress(export: Path):
    """A status line on stderr, only for a large export and a terminal."""
    try:
        large = export.stat().st_size >= PROGRESS_FROM_BYTES
    except OSError:
        large = False
    if not (large and sys.stderr.isatty()):
        return None, lambda: None

    def show(message: str) -> None:
        sys.stderr.write(f"\r\x1b[2Kcetool: {message}...")
        sys.stderr.flush()

    def clear() -> None:
        sys.stderr.write("\r\x1b[2K")
        sys.stderr.flush()

    return show, clear


def _keep_freed_memory(export: Path) -> None:
    """For a large export, let glibc keep freed memory for reuse instead of unmapping it.

    numpy's arrays of a few million rows are each above glibc's mmap threshold, so every one is
    mapped fresh and faulted in page by page, then unmapped; on a 5M-row export that kernel work
    was a third of the run. A process-wide setting, so it is made only here, for big inputs.
    """
    try:
        if export.stat().st_size < PROGRESS_FROM_BYTES or not sys.platform.startswith("linux"):
            return
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(-4, 0)  # M_MMAP_MAX: serve large blocks from the heap
        libc.mallopt(-1, 2**31 - 1)  # M_TRIM_THRESHOLD: do not hand freed heap back at once
    except (OSError, AttributeError):
        pass  # not glibc: nothing to tune


def _spool(export: Path) -> tuple[Path, str, Optional[Path]]:
    """`-` (stdin), `/dev/stdin` or another pipe, copied to a temporary file: the reader reads a
    file in parallel blocks and checks its quotes in a second pass, which a pipe cannot give.
    Returns the path to read, its display name, and the temporary file to remove afterwards."""
    import stat

    from cetool.core.files import display_path

    if str(export) == "-":
        if sys.stdin is None or sys.stdin.isatty():
            raise CetoolError("-: reads the export from stdin, but stdin is a terminal; pipe the CSV in "
                              "(cat export.csv | cetool metrics weekly -) or pass its path")
        source = sys.stdin.buffer
    else:
        try:
            mode = export.stat().st_mode
        except OSError:
            return export, display_path(export), None  # load_export names what is wrong
        if not (stat.S_ISFIFO(mode) or stat.S_ISCHR(mode) or stat.S_ISSOCK(mode)):
            return export, display_path(export), None
        if stat.S_ISCHR(mode) and os.path.realpath(export) == os.path.realpath("/dev/tty") or \
                str(export) in ("/dev/stdin", "/dev/fd/0") and sys.stdin is not None and sys.stdin.isatty():
            raise CetoolError(f"{export}: is the terminal; pipe the CSV in or pass its path")
        source = None
    import shutil
    import tempfile

    with tempfile.NamedTemporaryFile(prefix="cetool-export-", suffix=".csv", delete=False) as handle:
        try:
            if source is None:
                with export.open("rb") as stream:
                    shutil.copyfileobj(stream, handle, 1 << 20)
            else:
                shutil.copyfileobj(source, handle, 1 << 20)
        except OSError as exc:
            Path(handle.name).unlink(missing_ok=True)
            raise CetoolError(f"{export}: cannot read: {exc.strerror or exc}") from None
    return Path(handle.name), "stdin" if str(export) == "-" else display_path(export), Path(handle.name)


def _render(result: dict, fmt: MetricsFormat, color: bool) -> str:
    if fmt == MetricsFormat.json:
        return json_text(result) + "\n"
    from cetool.metrics.report import html as metrics_html, markdown as metrics_markdown, text as metrics_text

    module = {"text": metrics_text, "markdown": metrics_markdown, "html": metrics_html}[fmt.value]
    text = module.render(result, color=color)
    return text if text.endswith("\n") else text + "\n"


@app.command("weekly")
def weekly(
    export: Path = typer.Argument(..., metavar="EXPORT", help="The ticket export (CSV); - reads it from stdin."),
    week: Optional[str] = typer.Option(None, "--week", help="ISO week like 2026-W47 [default: the last complete week before today in --tz]."),
    weeks: int = typer.Option(8, "--weeks", help="How many weeks to show, the requested one last."),
    tz: str = typer.Option("UTC", "--tz", help="IANA time zone the weeks are counted in."),
    input_tz: Optional[str] = typer.Option(None, "--input-tz", help="Time zone of timestamps without an offset [default: --tz]."),
    today: Optional[str] = typer.Option(None, "--today", help="Pretend today is this date (YYYY-MM-DD)."),
    preset: Optional[Preset] = typer.Option(None, "--preset", help="Column mapping of a known export [default: canonical]."),
    mapping: Optional[Path] = typer.Option(None, "--mapping", help="Your own mapping file (YAML, see docs/metrics.md)."),
    fmt: MetricsFormat = typer.Option(MetricsFormat.text, "--format", "-f", help="Output format."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file instead of stdout (- for stdout)."),
    force: bool = typer.Option(False, "--force", help="Overwrite --output if it exists."),
    context: Optional[str] = typer.Option(None, "--context", callback=argv_text, help="One line: what changed this week and why."),
    strict: bool = typer.Option(False, "--strict", help="Exit 1 when any row of the export was bad."),
    docs_root: Optional[Path] = typer.Option(None, "--docs-root", help="Docs repo for packets and known issues [default: folder of the nearest ownership.yaml]."),
) -> None:
    """Compute the weekly figures from a ticket export: escalations per 100 tickets, repeat
    issues within 30 days, P1/P2 time to resolution (median and p90), plus first response,
    reopen rate, backlog, packet compliance and phase timing when the export has the columns,
    and the top drivers with their known issue and runbook. Weeks are ISO weeks in --tz; empty
    weeks show n/a, never 0. Bad rows are skipped and reported (exit 1 with --strict); a file
    that cannot be read or lacks a required column exits 2.

    Examples:

      cetool metrics weekly examples/tickets.csv --week 2026-W47

      cetool metrics weekly zd.csv --preset zendesk --tz Europe/Berlin

      cetool metrics weekly export.csv -f html -o weekly.html --context "..."

      cetool metrics weekly jira.csv --mapping my-jira.yaml --format json

      gunzip -c export.csv.gz | cetool metrics weekly - --week 2026-W47
    """
    with setup_errors(fmt.value):
        from cetool.core.files import atomic_write, check_writable, display_path
        from cetool.metrics.run import WeeklyOptions, run_weekly

        output = output_file(output)
        if output is not None:  # a folder, a path under a file, or an existing file: before the work
            try:
                check_writable(output, force=force)
            except CetoolError as exc:
                raise CetoolError(f"--output: {exc}") from None
        root, root_display = _docs_root(docs_root)
        export, export_display, spooled = _spool(export)
        options = WeeklyOptions(
            export=export, export_display=export_display, week=week, weeks=weeks, tz=tz,
            input_tz=input_tz, today=parse_today(today) if today else None,  # None: today in --tz
            preset=preset.value if preset else None,
            mapping=mapping, mapping_display=display_path(mapping) if mapping else None,
            context=context, strict=strict, docs_root=root, docs_root_display=root_display)
        _keep_freed_memory(export)
        show, clear = _progress(export)
        try:
            result = run_weekly(options, progress=show)
        finally:
            clear()
            if spooled is not None:
                spooled.unlink(missing_ok=True)
        color = output is None and fmt == MetricsFormat.text and use_color()
        text = _render(result, fmt, color)
        if output is not None:
            atomic_write(output, text, force=force)
            write_err(f"cetool: wrote {display_path(output)}")
        else:
            write_out(text)
    bad = result["run"]["bad_rows"]
    if bad and strict:  # said on stderr too: a report written with -o (or JSON) may not be read
        reasons = ", ".join(f"{reason}: {n}" for reason, n in result["run"]["bad_rows_by_reason"].items())
        write_err(f"cetool: --strict: {bad} bad row{'' if bad == 1 else 's'} skipped ({reasons})")
        raise typer.Exit(int(ExitCode.FINDINGS))
    raise typer.Exit(int(ExitCode.OK))
