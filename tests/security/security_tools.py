"""Helpers for the hostile-input tests (issue 14, docs/security.md)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
EXAMPLE_EXPORT = REPO / "examples" / "tickets.csv"
# A generous guard against hangs, not a speed goal (speed lives in benchmarks/).
HANG_GUARD = 60


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float


def cetool(*args: object, cwd: Path | None = None, input: bytes | None = None,
           timeout: float = HANG_GUARD, env: dict | None = None) -> Run:
    """`cetool ARGS` in a child process, as CI runs it; fails the test if it hangs."""
    began = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "cetool", *map(os.fsdecode, map(_arg, args))],
                          cwd=cwd, input=input, capture_output=True, timeout=timeout,
                          env={**os.environ, "COLUMNS": "120", "NO_COLOR": "1", **(env or {})})
    return Run(done.returncode, done.stdout.decode("utf-8", "replace"),
               done.stderr.decode("utf-8", "replace"), time.monotonic() - began)


def _arg(value: object) -> str | bytes:
    return value if isinstance(value, (str, bytes)) else str(value)


def assert_handled(run: Run, codes: tuple[int, ...] = (0, 1, 2)) -> None:
    """Exit 0, 1 or 2 and never a traceback or an internal error (docs/security.md)."""
    assert run.code in codes, f"exit {run.code}\nstdout: {run.stdout[-2000:]}\nstderr: {run.stderr[-2000:]}"
    for stream in (run.stdout, run.stderr):
        assert "Traceback" not in stream and "internal error" not in stream, stream[-2000:]


def empty_docs_root(base: Path) -> Path:
    """A docs root with only the repo's ownership.yaml and the empty folders (issue 14's setup)."""
    root = base / "root"
    root.mkdir()
    shutil.copy(REPO / "ownership.yaml", root / "ownership.yaml")
    for folder in ("packets", "runbooks", "known_issues"):
        (root / folder).mkdir()
    return root
