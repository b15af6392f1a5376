"""Finding files, naming them for output, and writing them safely."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path
from typing import Iterable

from cetool.core.errors import CetoolError
from cetool.core.findings import Code, Problem


def display_path(path: Path, cwd: Path | None = None) -> str:
    """Relative to the current folder and `/`-separated; absolute when outside it (docs/check.md#rules-every-file-follows)."""
    # String operations, not PurePath.relative_to: this runs once per file and 10,000-file
    # runs spent a quarter of a second in pathlib here.
    base = os.path.abspath(cwd) if cwd is not None else os.getcwd()
    absolute = os.path.abspath(path)
    prefix = base if base.endswith(os.sep) else base + os.sep
    if absolute == base:
        return "."
    if absolute.startswith(prefix):
        absolute = absolute[len(prefix):]
    return absolute.replace(os.sep, "/") if os.sep != "/" else absolute


def leads_outside(path: Path, root: Path) -> bool:
    """Whether `path` is a symlink whose target is not under `root` (docs/check.md#rules-every-file-follows: not followed)."""
    return path.is_symlink() and not _inside(path, root)


def outside_symlink_problem(file: str) -> Problem:
    """The one problem for a symlink that leads outside the checked root (never followed)."""
    return Problem(file, None, None, "", Code.SYMLINK_OUTSIDE, "symlink points outside the checked folder; not followed")


def _inside(path: Path, root: Path) -> bool:
    # os.path.realpath, not Path.resolve: resolve raises RuntimeError on a symlink loop (3.11),
    # realpath returns the path where the loop starts, which reading then reports.
    real, base = os.path.realpath(path), os.path.realpath(root)
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


def discover(
    targets: Iterable[Path], suffixes: tuple[str, ...], root: Path | None = None
) -> tuple[list[Path], list[Problem]]:
    """Files named directly, plus matching files under named folders (sorted, recursive).

    A named path that does not exist stops the run (exit 2). A symlink — to a file or to a
    folder, named or found — that leads outside `root` is not followed: it becomes a problem
    instead (docs/check.md#rules-every-file-follows); a symlinked folder inside `root` is walked like any other. A path
    the OS will not even look at (no permission on its folder, a symlink loop) is a problem at
    that path too: whether a file can be read is the reader's business (`cetool.core.reading`), and
    no file stops the run.
    """
    walk = _Walk(suffixes, root)
    for target in targets:
        if not target.exists() and not target.is_symlink():  # a symlink loop "does not exist" either
            raise CetoolError(f"{display_path(target)}: no such file or folder")
        walk.visit(target, named=True)
    return walk.found, walk.problems


class _Walk:
    """One discovery: what was found, what was refused, and the folders already walked."""

    def __init__(self, suffixes: tuple[str, ...], root: Path | None) -> None:
        self.suffixes, self.root = suffixes, root
        self.found: list[Path] = []
        self.problems: list[Problem] = []
        self._seen: set[str] = set()
        self._walked: set[tuple[int, int]] = set()  # (device, inode): a symlink cycle is walked once

    def _refuse(self, path: Path, code: str, message: str) -> None:
        self.problems.append(Problem(display_path(path), None, None, "", code, message))

    def visit(self, path: Path, *, named: bool = False) -> None:
        is_folder = self._is_folder(path)
        if is_folder:
            self._walk(path)
        elif is_folder is not None:
            self._take(path, named=named)

    def _is_folder(self, path: Path) -> bool | None:
        """True for a folder to walk; None for a symlink leading outside the root (a problem,
        not followed); False for anything else."""
        try:
            if self.root is not None and leads_outside(path, self.root):
                self.problems.append(outside_symlink_problem(display_path(path)))
                return None
            return path.is_dir()
        except OSError:  # cannot even be looked at: reading it reports why
            return False

    def _take(self, path: Path, *, named: bool) -> None:
        if named or path.suffix.lower() in self.suffixes:
            key = os.path.abspath(path)
            if key not in self._seen:
                self._seen.add(key)
                self.found.append(path)

    def _walk(self, top: Path) -> None:
        """Depth first in name order, with a stack instead of recursion: a folder tree of any
        depth is walked (hundreds of levels would pass Python's recursion limit)."""
        pending = [iter(self._children(top))]
        while pending:
            entry = next(pending[-1], None)
            if entry is None:
                pending.pop()
                continue
            # The entry's type comes with the listing: no system call per plain file or folder.
            is_link = entry.is_symlink()
            try:
                is_folder = entry.is_dir()
            except OSError:  # cannot even be looked at (a symlink loop): reading it reports why
                is_folder = False
            if not (is_link or is_folder) and os.path.splitext(entry.name)[1].lower() not in self.suffixes:
                continue
            child = Path(entry.path)
            if is_link and self.root is not None and not _inside(child, self.root):
                self.problems.append(outside_symlink_problem(display_path(child)))
            elif is_folder:
                pending.append(iter(self._children(child)))
            else:
                self._take(child, named=False)

    def _children(self, folder: Path) -> list[os.DirEntry]:
        """The visible entries of a folder not walked before (by device and inode: a symlink
        cycle is walked once), by name; an unreadable folder is a problem and has none."""
        try:
            info = os.stat(folder)
            if (info.st_dev, info.st_ino) in self._walked:
                return []
            self._walked.add((info.st_dev, info.st_ino))
            with os.scandir(folder) as entries:
                return sorted((entry for entry in entries if not entry.name.startswith(".")), key=_name)
        except OSError as exc:
            self._refuse(folder, Code.UNREADABLE_FILE, f"cannot read it: {exc.strerror or exc}")
            return []


def _name(entry: os.DirEntry) -> str:
    return entry.name


class SourceLines:
    """Lines of the files problems point at, read lazily for the text reporter."""

    def __init__(self) -> None:
        self._cache: dict[str, list[str] | None] = {}

    def lines(self, file: str) -> list[str] | None:
        """All of a file's lines; None when it is not a regular file that can be read."""
        if file not in self._cache:
            self._cache[file] = _source_lines(file)
        return self._cache[file]

    def line(self, file: str, number: int | None) -> str | None:
        if number is None:
            return None
        lines = self.lines(file)
        if not lines or not 1 <= number <= len(lines):
            return None
        return lines[number - 1]


def _source_lines(file: str) -> list[str] | None:
    """A regular file's lines (bounded like every read); None for anything else: a FIFO is
    never opened, and a file that cannot be read just shows no excerpt."""
    try:
        if not stat.S_ISREG(os.stat(file).st_mode):
            return None
        with open(file, "rb") as handle:
            raw = handle.read(1024 * 1024 + 1)
    except (OSError, RuntimeError, ValueError):
        return None
    return raw.decode("utf-8-sig", "replace").splitlines()


def check_writable(path: Path, *, force: bool = False) -> None:
    """Raise CetoolError unless `path` can be written as a file (checked before anything is written)."""
    if path.is_dir():
        raise CetoolError(f"{display_path(path)} is a folder; name a file to write")
    if os.path.lexists(path) and not force:
        raise _exists(path)
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                raise CetoolError(f"cannot write {display_path(path)}: {display_path(parent)} is a file, not a folder")
            break


def _exists(path: Path) -> CetoolError:
    dangling = " (a symlink to nothing)" if path.is_symlink() and not path.exists() else ""
    return CetoolError(f"{display_path(path)} exists{dangling}; use --force to overwrite it")


def _publish(tmp: str, path: Path, force: bool) -> None:
    """Move the finished file into place. Without force a hard link is the no-overwrite move:
    it fails when anything, even a dangling symlink, took the name since it was checked."""
    if force:
        os.replace(tmp, path)
        return
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise _exists(path) from None
    except OSError:  # a file system without hard links: check, then rename
        if os.path.lexists(path):
            raise _exists(path) from None
        os.replace(tmp, path)
        return
    os.unlink(tmp)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def atomic_write(path: Path, text: str, *, force: bool = False) -> None:
    """Write via a temporary file in the same folder and rename; refuse to overwrite without force.

    The file gets the permissions a plain `open()` would give it (mkstemp's are 0600), or keeps
    those of the file it replaces.
    """
    check_writable(path, force=force)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        mode = path.stat().st_mode & 0o7777 if path.exists() else 0o666 & ~_umask()
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise CetoolError(f"cannot write {display_path(path)}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.chmod(tmp, mode)
        _publish(tmp, path, force)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise CetoolError(f"cannot write {display_path(path)}: {exc.strerror}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
