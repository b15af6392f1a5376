"""Finding files, naming them for output, and writing them safely."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path
from typing import Iterable

from cetool.core.errors import CetoolError
from cetool.core.findings import Code, Problem
from cetool.core.reading import MAX_FILE_BYTES, file_kind, read_bounded


def display_path(path: Path, cwd: Path | None = None) -> str:
    """Relative to the current folder and `/`-separated; absolute when outside it (docs/check.md#rules-every-file-follows)."""
    # String operations, not PurePath.relative_to: this runs once per file and 10,000-file
    # runs spent a quarter of a second in pathlib here.
    here = os.getcwd()
    base = os.path.abspath(cwd) if cwd is not None else here
    absolute = os.path.normpath(os.path.join(here, path))  # os.path.abspath, asking for the cwd once
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
        why = missing_reason(target)
        # A symlink loop or an unreadable folder is a problem at that path (reading says why).
        if why is not None and (why.startswith(("no such", "a broken")) or "too long" in why):
            raise CetoolError(f"{display_path(target)}: {'no such file or folder' if why.startswith('no such') else why}")
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
    """Lines of the files problems point at, read lazily for the text reporter.

    A run that has already read and decoded a file hands its text over (`remember`), so the
    suppression scan and the excerpts of a 10,000-packet run do not read every file again.
    """

    def __init__(self) -> None:
        self._cache: dict[str, list[str] | None] = {}
        self._texts: dict[str, str] = {}

    def remember(self, file: str, text: str) -> None:
        """`text`: the file's whole content as `core.reading.read_text` decoded it (the same
        lines `_source_lines` would give: UTF-8, one BOM dropped)."""
        self._texts[file] = text

    def remembered(self, file: str) -> str | None:
        """The text handed over for `file`, if any (nothing is read here)."""
        return self._texts.get(file)

    def lines(self, file: str) -> list[str] | None:
        """All of a file's lines; None when it is not a regular file that can be read."""
        if file not in self._cache:
            text = self._texts.get(file)
            self._cache[file] = text.splitlines() if text is not None else _source_lines(file)
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
        info = os.stat(file)
        if not stat.S_ISREG(info.st_mode):
            return None
        raw = read_bounded(file, MAX_FILE_BYTES + 1, info.st_size)
    except (OSError, RuntimeError, ValueError):
        return None
    return raw.decode("utf-8-sig", "replace").splitlines()


# Two answers of `missing_reason` that callers word their own way.
NO_SUCH_FILE = "no such file"
IS_A_FOLDER = "is a folder, not a file"


def missing_reason(path: Path, *, folder: bool = False) -> str | None:
    """Why a path option cannot be read as a file (or with `folder`, walked as a folder), in
    words after the path; None when it can. What is there is named as what it is: a FIFO or a
    device is not "not found" (docs/security.md#paths)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        if os.path.islink(path):
            return "a broken symlink (its target does not exist)"
        return "no such folder" if folder else NO_SUCH_FILE
    except OSError as exc:
        return os_reason(exc)
    except ValueError:
        return "the name contains a NUL character"
    if folder:
        if stat.S_ISDIR(mode):
            return None
        return "is a file, not a folder" if stat.S_ISREG(mode) else f"is {file_kind(mode)}, not a folder"
    if stat.S_ISREG(mode):
        return None
    return IS_A_FOLDER if stat.S_ISDIR(mode) else f"is {file_kind(mode)}, not a regular file"


def check_writable(path: Path, *, force: bool = False, root: Path | None = None) -> None:
    """Raise CetoolError unless `path` can be written as a file (checked before anything is written).

    Only a regular file is ever replaced, and only with `force`: a folder, FIFO, socket or
    device at the name (or at the end of a symlink there) is refused, as `os.replace` would
    swap out the node itself (docs/security.md#writing-files). With `root`, a path written
    under it may not lead out of it through a symlinked folder.
    """
    shown = display_path(path)
    _check_parent_folders(path, shown)
    try:
        info = os.stat(path)  # follows a symlink: what is at its end is what would be replaced
    except FileNotFoundError:  # nothing there, or a symlink to nothing
        info = None
    except OSError as exc:
        raise CetoolError(f"cannot write {shown}: {os_reason(exc)}") from None
    except ValueError:  # a NUL in the name
        raise CetoolError(f"cannot write {shown}: the name contains a NUL character") from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise CetoolError(f"{shown} is a folder; name a file to write")
    if info is not None and not stat.S_ISREG(info.st_mode):
        link = " (through a symlink)" if path.is_symlink() else ""
        raise CetoolError(f"{shown} is {file_kind(info.st_mode)}{link}, not a regular file; cetool writes "
                          "regular files only (with -o - the output goes to standard output)")
    if os.path.lexists(path) and not force:
        raise _exists(path)
    if root is not None:
        check_stays_inside(path, root)


def _check_parent_folders(path: Path, shown: str) -> None:
    """The nearest existing parent of `path` must be a folder (a file or FIFO there is named)."""
    for parent in path.parents:
        try:
            mode = os.stat(parent).st_mode
        except (FileNotFoundError, NotADirectoryError):
            continue
        except OSError as exc:
            raise CetoolError(f"cannot write {shown}: {os_reason(exc)}") from None
        if not stat.S_ISDIR(mode):
            kind = "a file" if stat.S_ISREG(mode) else file_kind(mode)
            raise CetoolError(f"cannot write {shown}: {display_path(parent)} is {kind}, not a folder")
        return


def check_stays_inside(path: Path, root: Path) -> None:
    """Raise CetoolError when `path`, written under `root`, resolves outside it: a symlinked
    folder on the way (`.github -> /elsewhere`) is not followed by a writer."""
    written = os.path.abspath(path)
    base = os.path.abspath(root)
    if not (written + os.sep).startswith(base.rstrip(os.sep) + os.sep):
        return  # named outside the root on purpose (`--folder /elsewhere`): nothing is followed
    if _inside(Path(os.path.dirname(written)), root):
        return
    link = next((parent for parent in reversed(path.absolute().parents)
                 if parent.is_symlink() and not _inside(parent, root)), path.parent)
    raise CetoolError(f"not writing {display_path(path)}: {display_path(link)} is a symlink that leads outside "
                      f"{display_path(root)}; writers do not follow it")


def os_reason(exc: OSError) -> str:
    if exc.errno == errno.ENAMETOOLONG:
        return "a name in the path is too long for the file system (at most 255 bytes a name)"
    if exc.errno == errno.ELOOP:
        return "symlink loop (too many levels of symbolic links)"
    if exc.errno == errno.ENOTDIR:
        return "a part of the path is a file, not a folder"
    return (exc.strerror or str(exc)).lower()


def _exists(path: Path) -> CetoolError:
    dangling = " (a symlink to nothing)" if path.is_symlink() and not path.exists() else ""
    return CetoolError(f"{display_path(path)} exists{dangling}; use --force to overwrite it")


def _publish(tmp: str, path: Path, force: bool) -> None:
    """Move the finished file into place. Without force a hard link is the no-overwrite move:
    it fails when anything, even a dangling symlink, took the name since it was checked. With
    force the name is looked at again just before the rename, so a FIFO or device that took it
    meanwhile is refused, not replaced."""
    if force:
        check_writable(path, force=True)
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


def atomic_write(path: Path, text: str, *, force: bool = False, root: Path | None = None) -> None:
    """Write via a temporary file in the same folder and rename; refuse to overwrite without force.

    The file gets the permissions a plain `open()` would give it (mkstemp's are 0600); a file it
    replaces can only narrow them (a private 0600 report stays private), never add a bit such
    as a device's 0666 or setuid (docs/security.md#writing-files).
    """
    check_writable(path, force=force, root=root)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        mode = 0o666 & ~_umask()
        if path.is_file():
            mode &= path.stat().st_mode & 0o777
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:100]}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise CetoolError(f"cannot write {display_path(path)}: {os_reason(exc)}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.chmod(tmp, mode)
        _publish(tmp, path, force)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise CetoolError(f"cannot write {display_path(path)}: {os_reason(exc)}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
