"""Reading a file cetool checks: bounded, UTF-8, and never raising for a bad file (docs/check.md#rules-every-file-follows).

Problems come back as values, so one unreadable file (a symlink loop, a FIFO, no permission)
is one problem at that file and the run goes on with the others.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from cetool.core.findings import Code, Problem

MAX_FILE_BYTES = 1024 * 1024

# UTF-32's little-endian mark starts with UTF-16's, so it is looked for first.
_BYTE_ORDER_MARKS = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
                     (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"))
_SNIFF_BYTES = 4096


def wide_encoding(raw: bytes) -> str | None:
    """The wide encoding a text was saved in ("UTF-16" or "UTF-32"): by its byte-order mark,
    or without one by the NULs that pad every ASCII character (one of two bytes, three of four)."""
    for mark, name in _BYTE_ORDER_MARKS:
        if raw.startswith(mark):
            return name
    sample = raw[:_SNIFF_BYTES]
    if b"\x00" not in sample:  # every UTF-8 text cetool reads: one search, no more
        return None
    for width, name in ((4, "UTF-32"), (2, "UTF-16")):
        usable = sample[: len(sample) - len(sample) % width]
        lanes = [usable[start::width] for start in range(width)]
        text_lanes = [lane for lane in lanes if lane.count(0) < 0.1 * len(lane)]
        nul_lanes = [lane for lane in lanes if lane.count(0) > 0.9 * len(lane)]
        if len(usable) >= 2 * width and len(text_lanes) == 1 and len(nul_lanes) == width - 1:
            return name
    return None


def decode_text(raw: bytes, file: str) -> tuple[str | None, list[Problem]]:
    """UTF-8 (BOM tolerated) to text; anything else is a problem naming the file and line."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    elif wide := wide_encoding(raw):
        return None, [Problem(file, 1, 1, "", Code.ENCODING, f"the file is {wide}; save it as UTF-8")]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [
            Problem(file, line, column, "", Code.ENCODING,
                    f"the file is not valid UTF-8 (byte 0x{raw[exc.start]:02x})")
        ]


def _unreadable(file: str, exc: BaseException) -> Problem:
    reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    if getattr(exc, "errno", None) == errno.ELOOP or isinstance(exc, RuntimeError):
        reason = "symlink loop (too many levels of symbolic links)"
    return Problem(file, None, None, "", Code.UNREADABLE_FILE, f"cannot read the file: {reason[:1].lower()}{reason[1:]}")


def read_text(path: Path, file: str) -> tuple[str | None, list[Problem]]:
    """Read a file with the size bound, decode it; never raises for a bad file.

    Only regular files are opened: a FIFO, socket or device would block or never end. Every
    failure to read (a symlink loop, a broken link, permissions, a name the OS refuses) is one
    problem at the file, so the run goes on with the other files.
    """
    try:
        info = os.stat(path)  # follows symlinks, as opening would
        if stat.S_ISDIR(info.st_mode):
            return None, [Problem(file, None, None, "", Code.FILE_NOT_FOUND, "this is a folder, not a file")]
        if not stat.S_ISREG(info.st_mode):
            return None, [Problem(file, None, None, "", Code.NOT_A_REGULAR_FILE,
                                  f"{file_kind(info.st_mode)}, not a regular file; not read")]
        if info.st_size > MAX_FILE_BYTES:
            return None, [_too_large(file, info.st_size)]
        raw = read_bounded(path, MAX_FILE_BYTES + 1, info.st_size)  # the file may have grown since stat
    except FileNotFoundError:
        message = "broken symlink (its target does not exist)" if os.path.islink(path) else "no such file"
        return None, [Problem(file, None, None, "", Code.FILE_NOT_FOUND, message)]
    except (OSError, RuntimeError, ValueError) as exc:  # ValueError: a NUL in the name
        return None, [_unreadable(file, exc)]
    if len(raw) > MAX_FILE_BYTES:
        return None, [_too_large(file, None)]
    return decode_text(raw, file)


_LATER_READS = 64 * 1024  # after the first read, for a file that grew since stat


def read_bounded(path: Path, limit: int, expected: int) -> bytes:
    """Up to `limit` bytes of a regular file that stat said holds `expected`. A bare
    descriptor, not `open()`, and the first read asks for the expected size and one byte more
    (which shows a file that grew): os.read allocates all it is asked for, and asking for the
    limit (1 MiB) per file made reading 10,000 packets four times slower."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        chunks = []
        left = limit
        ask = expected + 1
        while left > 0 and (chunk := os.read(descriptor, min(ask, left))):
            chunks.append(chunk)
            left -= len(chunk)
            ask = _LATER_READS
        return b"".join(chunks)
    finally:
        os.close(descriptor)


def _too_large(file: str, size: int | None) -> Problem:
    shown = f"{size:,} bytes" if size is not None else f"more than {MAX_FILE_BYTES:,} bytes"
    return Problem(file, None, None, "", Code.FILE_TOO_LARGE,
                   f"the file is {shown}; the limit is {MAX_FILE_BYTES:,} (1 MiB)")


def file_kind(mode: int) -> str:
    """What a file that is not a regular file is, in words ("a named pipe (FIFO)")."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"
