"""`cetool metrics weekly`: the Monday report from a ticket export."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Optional

import typer

from cetool.cli.common import argv_text, output_file, parse_today, setup_errors, use_color, write_err, write_out
from cetool.core.errors import CetoolError, ExitCode
from cetool.core.textsafe import json_text
from cetool.metrics.result import WeeklyResult

app = typer.Typer(help="Weekly metrics from a ticket export (Zendesk, Jira, ServiceNow or canonical CSV).",
                  no_args_is_help=True)

PROGRESS_FROM_BYTES = 20 * 1024 * 1024


class MetricsFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"
    html = "html"


class DateOrder(StrEnum):
    dmy = "dmy"
    mdy = "mdy"


class Preset(StrEnum):
    canonical = "canonical"
    zendesk = "zendesk"
    jira = "jira"
    servicenow = "servicenow"


def _docs_root(value: Optional[Path]) -> tuple[Optional[Path], Optional[str]]:
    """--docs-root (it must be a folder), else the folder of the nearest ownership.yaml, else
    none; and how to show it."""
    from cetool.core.docsroot import resolve_docs_root
    from cetool.core.files import display_path

    root = resolve_docs_root(value, option="--docs-root")
    if root is None:
        return None, None
    return root.folder, display_path(root.folder) or "."


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


_SUFFIX_FORMATS = {".html": "html", ".htm": "html", ".md": "markdown", ".markdown": "markdown",
                   ".json": "json", ".txt": "text"}


def _format(fmt: Optional["MetricsFormat"], output: Optional[Path]) -> "MetricsFormat":
    """--format, else the one --output's extension names (weekly.html: HTML), else text; a
    --format that contradicts the extension is an error, not a file that will not open."""
    implied = _SUFFIX_FORMATS.get(output.suffix.lower()) if output is not None else None
    if fmt is None:
        return MetricsFormat(implied or "text")
    if implied is not None and implied != fmt.value:
        raise CetoolError(f"--format {fmt.value} and --output {output.name}: the file name says {implied}; "
                          f"drop --format, or name the file for {fmt.value}")
    return fmt


def _render(result: WeeklyResult | dict, fmt: MetricsFormat, color: bool) -> str:
    result = WeeklyResult.of(result)  # a saved JSON result renders too
    if fmt == MetricsFormat.json:
        return json_text(result.to_dict()) + "\n"
    from cetool.metrics.report import html as metrics_html, markdown as metrics_markdown, text as metrics_text

    module = {"text": metrics_text, "markdown": metrics_markdown, "html": metrics_html}[fmt.value]
    text = module.render(result, color=color)
    return text if text.endswith("\n") else text + "\n"


def _record_paths(record: bool, root: Optional[Path], context: Optional[str], week: Optional[str], tz: str,
                  today: Optional[str], force: bool):
    """Where --record writes, checked before the export is read: a docs root, a context line,
    and no record of the week yet (unless --force)."""
    if not record:
        return None
    from cetool.core.docsroot import DocsRoot
    from cetool.metrics.record import check_record_writable, record_paths
    from cetool.metrics.run import WeeklyOptions, check_options

    if root is None:
        raise CetoolError("--record: no docs root (no ownership.yaml in this folder or above it); pass --docs-root")
    if not (context or "").strip():
        raise CetoolError("--record: give the week's one line of context with --context "
                          "(what changed this week and why): the record keeps it")
    label, _labels, _today = check_options(WeeklyOptions(export=Path("-"), export_display="-", week=week, tz=tz,
                                                         today=parse_today(today) if today else None))
    paths = record_paths(DocsRoot(root), label)
    check_record_writable(paths, force=force)
    return paths


@app.command("weekly")
def weekly(
    exports: list[Path] = typer.Argument(..., metavar="EXPORT", help="The ticket export (CSV, or .gz); several files are read as one export; - reads standard input."),
    week: Optional[str] = typer.Option(None, "--week", help="ISO week like 2026-W47 [default: the last complete week before today in --tz]."),
    weeks: int = typer.Option(8, "--weeks", help="How many weeks to show, the requested one last."),
    tz: str = typer.Option("UTC", "--tz", help="IANA time zone the weeks are counted in."),
    input_tz: Optional[str] = typer.Option(None, "--input-tz", help="Time zone of timestamps without an offset [default: --tz]."),
    today: Optional[str] = typer.Option(None, "--today", help="Pretend today is this date (YYYY-MM-DD)."),
    preset: Optional[Preset] = typer.Option(None, "--preset", help="Column mapping of a known export [default: canonical]."),
    mapping: Optional[Path] = typer.Option(None, "--mapping", help="Your own mapping file (YAML, see docs/metrics.md)."),
    date_order: Optional[DateOrder] = typer.Option(None, "--date-order", help="dmy (03-02-2026 is 3 February) or mdy, when the dates fit both [default: read from the data]."),
    encoding: Optional[str] = typer.Option(None, "--encoding", help="The export's encoding, e.g. cp1252 (Excel on Windows) [default: UTF-8]."),
    fmt: Optional[MetricsFormat] = typer.Option(None, "--format", "-f", help="Output format [default: from --output's extension (.html, .md, .json), else text]."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file instead of stdout (- for stdout)."),
    force: bool = typer.Option(False, "--force", help="Overwrite --output, or the week's record, if it exists."),
    context: Optional[str] = typer.Option(None, "--context", callback=argv_text, help="One line: what changed this week and why."),
    strict: bool = typer.Option(False, "--strict", help="Exit 1 when any row of the export was bad."),
    docs_root: Optional[Path] = typer.Option(None, "--docs-root", help="Docs repo for packets and known issues [default: folder of the nearest ownership.yaml]."),
    record: bool = typer.Option(False, "--record", help="Also write the week's record: reports/<week>.json and .md "
                                                        "under the docs root (needs --context; docs/prevention.md)."),
) -> None:
    """Compute the weekly figures from a ticket export: escalations per 100 tickets, repeat
    issues within 30 days, P1/P2 time to resolution (median and p90), plus first response,
    reopen rate, backlog, packet compliance and phase timing when the export has the columns,
    and the top drivers with their known issue and runbook. Weeks are ISO weeks in --tz; empty
    weeks show n/a, never 0. Date formats and the day/month order are read from the data. Bad
    rows are skipped and reported (exit 1 with --strict); a file that cannot be read, lacks a
    required column or reads as (mostly) nothing exits 2.

    Examples:

      cetool metrics weekly examples/tickets.csv --week 2026-W47

      cetool metrics weekly zd.csv --preset zendesk --tz Europe/Berlin

      cetool metrics weekly export.csv -o weekly.html --context "..."

      cetool metrics weekly jira-1.csv jira-2.csv --preset jira --format json

      cetool metrics weekly incidents.csv.gz --preset servicenow --encoding cp1252

      cetool metrics weekly export.csv --context "..." --record   # Monday: publish and record
    """
    output = output_file(output)
    fmt_name = fmt.value if fmt is not None else ("json" if output is not None and output.suffix.lower() == ".json" else "text")
    with setup_errors(fmt_name):
        from cetool.core.files import atomic_write, check_writable, display_path
        from cetool.metrics.inputs import exports as readable_exports
        from cetool.metrics.run import WeeklyOptions, run_weekly

        fmt = _format(fmt, output)
        if output is not None:  # a folder, a path under a file, or an existing file: before the work
            try:
                check_writable(output, force=force)
            except CetoolError as exc:
                raise CetoolError(f"--output: {exc}") from None
        root, root_display = _docs_root(docs_root)
        record_to = _record_paths(record, root, context, week, tz, today, force)
        with readable_exports(exports, encoding) as sources:
            (export, export_display), *more = sources
            options = WeeklyOptions(
                export=export, export_display=export_display, more_exports=tuple(more), week=week, weeks=weeks,
                tz=tz, input_tz=input_tz, today=parse_today(today) if today else None,  # None: today in --tz
                preset=preset.value if preset else None,
                mapping=mapping, mapping_display=display_path(mapping) if mapping else None,
                context=context, strict=strict, docs_root=root, docs_root_display=root_display,
                date_order=date_order.value if date_order else None)
            _keep_freed_memory(export)
            show, clear = _progress(export)
            try:
                result = run_weekly(options, progress=show)
            finally:
                clear()
        color = output is None and fmt == MetricsFormat.text and use_color()
        text = _render(result, fmt, color)
        if output is not None:
            atomic_write(output, text, force=force)
            write_err(f"cetool: wrote {display_path(output)}")
        else:
            write_out(text)
        if record_to is not None:
            from cetool.metrics.record import write_record

            written = write_record(record_to, _render(result, MetricsFormat.json, False),
                                   _render(result, MetricsFormat.markdown, False), force=force)
            write_err(f"cetool: recorded {result.week}: {' and '.join(written)}")
    bad = result.run.bad_rows
    if bad and strict:  # said on stderr too: a report written with -o (or JSON) may not be read
        reasons = ", ".join(f"{reason}: {n}" for reason, n in result.run.bad_rows_by_reason.items())
        write_err(f"cetool: --strict: {bad} bad row{'' if bad == 1 else 's'} skipped ({reasons})")
        raise typer.Exit(int(ExitCode.FINDINGS))
    raise typer.Exit(int(ExitCode.OK))
