"""Reading a file as it was at a git revision (`REV:PATH`), for `matrix diff` and `check --base`."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from cetool.core.errors import CetoolError


def split_rev_path(spec: str) -> tuple[str, str] | None:
    """`REV:PATH` -> (REV, PATH); None for anything that names an existing file or has no colon."""
    if Path(spec).exists() or ":" not in spec:
        return None
    rev, _, path = spec.partition(":")
    if not path:
        return None
    return rev, path


def refuse_option_like(rev: str, label: str) -> None:
    """A revision starting with '-' would reach git as an option (`--output=FILE` writes a file)."""
    if rev.startswith("-"):
        raise CetoolError(f"{label}: a revision does not start with '-'")


def git_show(rev: str, path: str, *, cwd: Path | None = None) -> bytes:
    """The bytes of PATH at REV, as `git show REV:PATH` prints them (PATH as git reads it:
    relative to the repository's top, or to the current folder when it starts with `./`)."""
    refuse_option_like(rev, f"cannot read {rev}:{path}")
    git = shutil.which("git")
    if git is None:
        raise CetoolError(f"cannot read {rev}:{path}: git is not installed or not on PATH")
    try:
        proc = subprocess.run(
            [git, "show", f"{rev}:{path}"], cwd=cwd, capture_output=True, timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise CetoolError(f"cannot run git show {rev}:{path}: {exc}") from None
    if proc.returncode != 0:
        reason = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = reason[0].removeprefix("fatal: ") if reason else f"git exited with {proc.returncode}"
        raise CetoolError(f"cannot read {rev}:{path} from git: {detail}")
    return proc.stdout
