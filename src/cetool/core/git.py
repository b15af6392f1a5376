"""The one way cetool runs git: reading a file as it was at a revision (`REV:PATH`), for
`matrix diff` and `check --base` (docs/matrix.md#cetool-matrix-diff-old-new, docs/check.md#--base-rev-matrix-changes)."""

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


GIT_TIMEOUT_SECONDS = 60


def run_git(*args: str, cwd: Path | None = None, doing: str) -> subprocess.CompletedProcess[bytes]:
    """`git ARGS` in `cwd`, its output as bytes, never hanging past GIT_TIMEOUT_SECONDS. No git,
    or one that cannot run or does not finish, stops the command (CetoolError); a non-zero exit
    is the caller's to read. `doing` says what for, in those messages."""
    git = shutil.which("git")
    if git is None:
        raise CetoolError(f"{doing}: git is not installed or not on PATH")
    try:
        return subprocess.run([git, *args], cwd=cwd, capture_output=True, timeout=GIT_TIMEOUT_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        raise CetoolError(f"{doing}: git {args[0]} did not finish within {GIT_TIMEOUT_SECONDS} s") from None
    except OSError as exc:
        raise CetoolError(f"{doing}: cannot run git: {exc.strerror or exc}") from None


def git_show(rev: str, path: str, *, cwd: Path | None = None) -> bytes:
    """The bytes of PATH at REV, as `git show REV:PATH` prints them (PATH as git reads it:
    relative to the repository's top, or to the current folder when it starts with `./`)."""
    refuse_option_like(rev, f"cannot read {rev}:{path}")
    proc = run_git("show", f"{rev}:{path}", cwd=cwd, doing=f"cannot read {rev}:{path}")
    if proc.returncode != 0:
        reason = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = reason[0].removeprefix("fatal: ") if reason else f"git exited with {proc.returncode}"
        raise CetoolError(f"cannot read {rev}:{path} from git: {detail}")
    return proc.stdout
