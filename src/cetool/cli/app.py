"""The `cetool` command: sub-apps registered here, each in a module of its own."""

from __future__ import annotations

import errno
import importlib
import os
import sys
from typing import NoReturn

import typer
from typer.core import TyperGroup

from cetool import __version__
from cetool.core.errors import ExitCode

class WholeSummaries(TyperGroup):
    """A group whose command list shows each command's first sentence whole (wrapped), where
    click would cut it with '...' at the terminal width."""

    def format_commands(self, ctx, formatter) -> None:
        rows = [(name, command.get_short_help_str(limit=1_000)) for name in self.list_commands(ctx)
                if (command := self.get_command(ctx, name)) is not None and not command.hidden]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


app = typer.Typer(
    name="cetool",
    cls=WholeSummaries,
    help=(
        "Customer Engineering toolkit for a git docs repo: ownership matrix, escalation packets, "
        "runbooks, known issues and weekly metrics.\n\n"
        "Examples:\n\n"
        "  cetool packet validate            # check packets/ before escalating\n\n"
        "  cetool route confirmed-bug        # who owns this category?\n\n"
        "  cetool check                      # the docs-repo CI gate\n\n"
        "  cetool metrics weekly export.csv  # the Monday report\n\n"
        "  cetool prevention list --overdue  # what the Monday agenda must chase"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

_debug = False


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"cetool {__version__}\n")
        raise typer.Exit()


@app.callback()
def _root(
    debug: bool = typer.Option(False, "--debug", help="Show the traceback of an internal error."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    global _debug
    _debug = debug


# One line each in `cetool --help`, written to fit 80 columns (sub-groups show each command's
# first sentence whole, wrapped: WholeSummaries).
SUMMARIES = {
    "route": "Who owns a category, who consults, and who is gated.",
    "check": "Check the whole docs repo in one run, as CI does.",
    "init": "Start a docs repo that passes `cetool check` as created.",
    "packet": "Escalation packets: validate, start a new one, print the schema.",
    "matrix": "The ownership matrix: check it, show it, diff two versions.",
    "kb": "Runbooks and known issues: search them, list the stale ones.",
    "metrics": "Weekly metrics from a ticket export (Zendesk, Jira, ...).",
    "prevention": "Prevention actions: start one, list them, check them.",
}


def _register() -> None:
    from cetool.cli import packet, matrix, route

    app.add_typer(packet.app, name="packet", cls=WholeSummaries, short_help=SUMMARIES["packet"])
    app.add_typer(matrix.app, name="matrix", cls=WholeSummaries, short_help=SUMMARIES["matrix"])
    app.command("route", short_help=SUMMARIES["route"])(route.route)
    app.command("check", short_help=SUMMARIES["check"])(importlib.import_module("cetool.cli.check").check)
    app.command("init", short_help=SUMMARIES["init"])(importlib.import_module("cetool.cli.init").init)
    app.add_typer(importlib.import_module("cetool.cli.kb").app, name="kb", cls=WholeSummaries, short_help=SUMMARIES["kb"])
    app.add_typer(importlib.import_module("cetool.cli.metrics").app, name="metrics", cls=WholeSummaries, short_help=SUMMARIES["metrics"])
    app.add_typer(importlib.import_module("cetool.cli.prevention").app, name="prevention", cls=WholeSummaries,
                  short_help=SUMMARIES["prevention"])


_register()


def _wants_json(argv: list[str]) -> bool:
    """Whether the command line asked for --format json (even if it is otherwise malformed)."""
    for index, arg in enumerate(argv):
        if arg in ("--format", "-f") and argv[index + 1 : index + 2] == ["json"]:
            return True
        if arg in ("--format=json", "-fjson"):
            return True
    return False


def _click_exceptions() -> tuple[type, type]:
    """(ClickException, Abort) of the click that Typer uses (newer Typer vendors its own)."""
    try:
        from typer._click.exceptions import ClickException
    except ImportError:
        from click.exceptions import ClickException
    return ClickException, typer.Abort


def main() -> None:
    click_exception, abort = _click_exceptions()
    try:
        code = app(standalone_mode=False)
    except click_exception as exc:  # a usage error: exit 2, as JSON when JSON was asked for
        if isinstance(getattr(exc, "message", None), str):  # Typer passes on pydantic's prefix
            exc.message = exc.message.replace("Value error, ", "")
        if _wants_json(sys.argv[1:]):
            from cetool.reporters.json_report import render_error

            sys.stdout.write(render_error(exc.format_message()) + "\n")
        else:
            exc.show()
        sys.exit(exc.exit_code)
    except abort:
        sys.stderr.write("cetool: aborted\n")
        sys.exit(130)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.stderr.write("cetool: interrupted\n")
        sys.exit(130)
    except OSError as exc:
        if exc.errno != errno.ENAMETOOLONG:
            _internal_error(exc)
        # A path option with a name longer than the file system takes: bad input, wherever in
        # the run the OS noticed it (docs/security.md#paths).
        from cetool.cli.common import write_err, write_out
        from cetool.core.files import os_reason
        from cetool.core.textsafe import shorten

        where = os.fsdecode(exc.filename) if exc.filename is not None else "a path"
        message = f"{shorten(where, 80)}: {os_reason(exc)}"
        if _wants_json(sys.argv[1:]):
            from cetool.reporters.json_report import render_error

            write_out(render_error(message) + "\n")
        else:
            write_err(f"cetool: error: {message}")
        sys.exit(int(ExitCode.USAGE))
    except Exception as exc:  # the last line of defence: no traceback reaches a user
        _internal_error(exc)
    sys.exit(code if isinstance(code, int) else 0)


def _internal_error(exc: BaseException) -> NoReturn:
    """Exit 3 with one line on stderr (the traceback only with --debug)."""
    if _debug or "--debug" in sys.argv:
        import traceback

        traceback.print_exc()  # and still exit 3: CI must not read a crash as "problems found"
    else:
        from cetool.core.textsafe import visible  # escapes line breaks too: the message stays one line

        sys.stderr.write(f"cetool: internal error: {visible(f'{type(exc).__name__}: {exc}')} "
                         "(run with --debug for the traceback)\n")
    sys.exit(int(ExitCode.INTERNAL))
