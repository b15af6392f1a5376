"""The ticket export as a file, before pyarrow reads it: what the path is, its encoding, its
delimiter and header, quotes left open, and where skipped rows are. Setup failures raise
CetoolError (exit 2) with words a user can act on.
"""

from __future__ import annotations

import codecs
import csv
import io
import mmap
import re
from pathlib import Path

import numpy as np

from cetool.core.errors import CetoolError
from cetool.core.reading import wide_encoding

SNIFF_BYTES = 64 * 1024
DELIMITERS = (",", ";", "\t")  # the ones the header is sniffed for


def check_path(path: Path, display: str) -> None:
    """What the export path is when it is not a readable regular file, in words."""
    if path.is_file():
        return
    if path.is_dir():
        raise CetoolError(f"{display}: is a folder, not a file; name the CSV export inside it")
    if path.exists():  # a pipe, socket or device: the CLI spools "-" and pipes to a file first
        raise CetoolError(f"{display}: not a regular file; pass the CSV export's path (or - for stdin)")
    if path.is_symlink():
        raise CetoolError(f"{display}: a broken symlink (its target does not exist)")
    raise CetoolError(f"{display}: no such file")


def sniff(path: Path, display: str) -> tuple[str, list[str], bool]:
    """The delimiter, the header names, and whether there is nothing after the header; a clear
    error for what is not a CSV text file."""
    try:
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError as exc:
        raise CetoolError(f"{display}: cannot read: {exc.strerror or exc}") from None
    return sniff_head(head, display, whole=len(head) < SNIFF_BYTES)


def sniff_head(head: bytes, display: str, whole: bool) -> tuple[str, list[str], bool]:
    """`sniff` for the first bytes of an export (`whole`: they are all of it). Standard input is
    judged by them before anything is copied to disk (`cetool.metrics.inputs`)."""
    if not head.strip():
        raise CetoolError(f"{display}: the export is empty (expected a CSV with a header row)")
    if wide := wide_encoding(head):
        raise CetoolError(f"{display}: the file is {wide}; save it as UTF-8 (in Excel: CSV UTF-8)")
    if b"\x00" in head:
        raise CetoolError(f"{display}: not a CSV text file (binary content)")
    try:  # incremental: a character cut at the end of the sample is not an error
        text = codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=whole)
    except UnicodeDecodeError as exc:
        raise CetoolError(not_utf8(display, _position(head, exc.start))) from None
    if "\r" in text and "\n" not in text.rstrip("\r"):
        raise CetoolError(f"{display}: the lines end with a carriage return only (the old Mac format, as Excel "
                          "for Mac's 'CSV' saves); save it as 'CSV UTF-8', or convert the line ends: "
                          "tr '\\r' '\\n' < old.csv > new.csv")
    lines = text.splitlines()
    first = lines[0] if lines else ""
    header_only = whole and not any(line.strip() for line in lines[1:])
    counts = {d: first.count(d) for d in DELIMITERS}
    delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    try:
        header = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), [])
    except csv.Error as exc:
        raise CetoolError(f"{display}: the first line is not a CSV header row ({exc})") from None
    names = [name.strip() for name in header]
    if not any(names):
        raise CetoolError(f"{display}: the first line is not a CSV header row")
    return delimiter, names, header_only


def _position(data: bytes, offset: int) -> tuple[int, int, int]:
    """(line, byte offset, byte) of the byte at `offset`: lines 1-based, the offset 0-based."""
    return data.count(b"\n", 0, offset) + 1, offset, data[offset]


def first_invalid_utf8(path: Path) -> tuple[int, int, int] | None:
    """Where the file first stops being UTF-8: (line, byte offset, byte), streaming; None if it is."""
    decoder = codecs.getincrementaldecoder("utf-8")()  # a byte-order mark is valid UTF-8 too
    offset, line = 0, 1
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            pending = len(decoder.getstate()[0])  # bytes of a character begun in the block before
            try:
                decoder.decode(block)
            except UnicodeDecodeError as exc:
                data = exc.object  # the pending bytes, then the block
                return line + data.count(b"\n", 0, exc.start), offset - pending + exc.start, data[exc.start]
            offset += len(block)
            line += block.count(b"\n")
    return None


def not_utf8(display: str, where: tuple[int, int, int] | None) -> str:
    """The message for a file that is not UTF-8: where, and how to read it anyway."""
    at = f" at line {where[0]} (byte offset {where[1]}: 0x{where[2]:02x})" if where else ""
    return (f"{display}: not UTF-8{at}; if Excel on Windows saved it, read it with --encoding cp1252 "
            "(or --encoding latin-1, ...), or save it as \"CSV UTF-8\"")


def check_quotes(path: Path, display: str, delimiter: str) -> None:
    """Exit 2, naming the line, when a quoted value is never closed.

    pyarrow reads such a quote silently: the rest of the file (or of its block, in the parallel
    read) becomes one value and the rows in it are gone. Every closed quoted value holds an even
    number of `"`, so a file without quotes (one memchr over a memory map) or with an even count
    has none left open; only an odd count pays for the scan that finds where it starts.
    """
    if _quote_count(path) % 2 == 0:
        return
    line = unclosed_quote_line(path, delimiter)
    if line is not None:
        raise CetoolError(
            f"{display}: line {line}: a quoted value starts in this row and its closing quote "
            "is missing, so the rest of the file would be read as one value; close the quote "
            "(or double a quote that is part of the text: \"\")")


QUOTE_SCAN_BLOCK = 1 << 20
# A `"` that opens a quoted value: right after the delimiter or a line end.
_QUOTE_OPENS = {d: re.compile(b"[" + re.escape(d.encode()) + b"\n\r]\"") for d in DELIMITERS}


def unclosed_quote_line(path: Path, delimiter: str, block_size: int = QUOTE_SCAN_BLOCK) -> int | None:
    """The line where a quoted value opens that the file never closes; None when all close.

    A streaming scan, block by block, so memory stays at one block whatever the file holds
    (csv.reader keeps the open value whole: 3 GB for a 500 MB file, docs/security.md#memory).
    As Python's csv and pyarrow read it: a `"` opens a quoted value only at the start of a field
    (after the delimiter or a line end); inside one, `""` is a quote and a lone `"` closes it.
    """
    opening = _QUOTE_OPENS[delimiter]
    inside, lines_before, opened_at = False, 1, 0
    previous = b"\n"  # the byte before the block: the file starts a field
    pending_quote = False  # inside, the block ended on a `"` whose next byte decides
    with path.open("rb") as handle:
        if handle.read(3) != b"\xef\xbb\xbf":  # a byte-order mark is not part of the first field
            handle.seek(0)
        block = handle.read(block_size)
        while block:
            position = 0
            if pending_quote:
                pending_quote = False
                if block[:1] == b'"':
                    position = 1  # `""`: a quote in the value
                else:
                    inside = False
            while position < len(block):
                if inside:
                    quote = block.find(b'"', position)
                    if quote < 0:
                        break
                    if quote + 1 == len(block):
                        pending_quote = True
                        break
                    if block[quote + 1:quote + 2] == b'"':
                        position = quote + 2
                        continue
                    inside, position = False, quote + 1
                else:
                    if position == 0 and block[:1] == b'"' and previous in (b"\n", b"\r", delimiter.encode()):
                        found = 0
                    else:
                        match = opening.search(block, max(position - 1, 0))
                        if match is None:
                            break
                        found = match.start() + 1
                    inside, opened_at = True, lines_before + block.count(b"\n", 0, found)
                    position = found + 1
            lines_before += block.count(b"\n")
            previous = block[-1:]
            block = handle.read(block_size)
    # A `"` as the file's last byte closes the value.
    return opened_at if inside and not pending_quote else None


def _quote_count(path: Path) -> int:
    with path.open("rb") as handle:
        try:
            view = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        except (ValueError, OSError):  # empty, or not a mappable file
            return 0
        with view:
            # Quotes are usually few (a quoted header, a value with a comma): memchr jumps from one
            # to the next. Only a file quoting everywhere is counted block by block in numpy.
            total, position = 0, view.find(b'"')
            while position >= 0 and total < 10_000:
                total += 1
                position = view.find(b'"', position + 1)
            if position < 0:
                return total
            step = 1 << 24
            for start in range(position, len(view), step):
                block = np.frombuffer(view, dtype=np.uint8, count=min(step, len(view) - start), offset=start)
                total += int(np.count_nonzero(block == 34))
                del block  # the map cannot close while a view of it exists
            return total


def locate(path: Path, texts: list[str]) -> list[int]:
    """Line numbers where the rows pyarrow skipped start, found by their first line (a row with
    a quoted value spanning lines starts with it too; -1: not found). Only runs when rows were
    skipped, and stops when all are found."""
    wanted: dict[str, list[int]] = {}
    for index, text in enumerate(texts):
        first = text.split("\n", 1)[0].rstrip("\r")
        wanted.setdefault(first, []).append(index)
    found = [-1] * len(texts)
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            key = line.rstrip(b"\r\n").decode("utf-8-sig", "replace")
            if key in wanted:
                found[wanted[key].pop(0)] = number
                if not wanted[key]:
                    del wanted[key]
                    if not wanted:
                        break
    return found
