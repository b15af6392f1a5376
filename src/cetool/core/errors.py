"""Exit codes and the few exceptions that stop a run (setup failures only; findings are values)."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    FINDINGS = 1
    USAGE = 2
    INTERNAL = 3


class CetoolError(Exception):
    """A failure that stops the command: a bad option, a missing path, an unreadable matrix.

    The CLI turns it into a message and exit code 2; it never reaches the user as a traceback.
    """

    exit_code = ExitCode.USAGE
