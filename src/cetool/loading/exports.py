"""Reading a ticket export into canonical, checked columns (spec section 4).

The CSV is read once by pyarrow (only the columns the mapping needs, all as text), mapped onto the
canonical columns, duplicates collapsed, bad rows skipped with reasons, and unparseable optional
values blanked and counted. The result is plain numpy arrays in `Tickets`; `cetool.figures`
computes from them. Setup failures (no such file, empty, not CSV, a required column missing)
raise CetoolError, which the CLI turns into exit 2.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from cetool.errors import CetoolError
from cetool.loading.export_values import to_numpy
from cetool.loading.presets import REQUIRED, TIMESTAMPS, Mapping

SNIFF_BYTES = 64 * 1024
_UTC_NS = pa.timestamp("ns", tz="UTC")
EXAMPLES = 5
PHASES = ("investigation_started_at", "diagnosed_at", "responded_at", "closed_at")
_BAD_TIMES = ("resolved_at", "escalated_at", "prioritized_at")
_OTHER_TIMES = ("updated_at", "first_response_at", *PHASES)


@dataclass
class Tickets:
    """One entry per surviving row; timestamps are int64 ns UTC with NaT (int64 min) for none.

    Bad rows are not cut out (that would copy every column): they are tombstones whose
    created_at and other timestamps are NaT, priority 0 and codes -1, which no figure counts.
    """

    created: np.ndarray
    priority: np.ndarray  # int8: 0 none, 1..4 for P1..P4
    times: dict[str, np.ndarray]  # the optional timestamp columns present in the export
    root_cause: np.ndarray | None  # int32 codes into root_causes, -1 none; None: no column
    root_causes: list[str]
    packet: np.ndarray | None  # int32 codes into packet_ids, -1 none; None: no column
    packet_ids: list[str]
    reopen_count: np.ndarray | None  # float, NaN none
    count: int = 0  # good tickets; a bad row stays in the arrays as a tombstone (created_at NaT)


@dataclass
class LoadFacts:
    rows_read: int = 0
    duplicates: int = 0
    bad_rows_by_reason: Counter = field(default_factory=Counter)
    bad_row_examples: list[str] = field(default_factory=list)
    blanked_by_column: Counter = field(default_factory=Counter)
    columns: dict[str, str] = field(default_factory=dict)  # canonical -> header used


def _check_path(path: Path, display: str) -> None:
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


def _utf16(head: bytes) -> bool:
    """A UTF-16 (or UTF-32) text: a byte-order mark, or ASCII text with a NUL beside every byte."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    sample = head[:4096]
    if len(sample) < 8:
        return False
    even, odd = sample[0::2], sample[1::2]
    mostly_nul = lambda half: half.count(0) > 0.8 * len(half)  # noqa: E731
    return (mostly_nul(odd) and even.count(0) < 0.2 * len(even)) or (mostly_nul(even) and odd.count(0) < 0.2 * len(odd))


def _sniff(path: Path, display: str) -> tuple[str, list[str], bool]:
    """The delimiter, the header names, and whether there is nothing after the header; a clear
    error for what is not a CSV text file."""
    try:
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError as exc:
        raise CetoolError(f"{display}: cannot read: {exc.strerror or exc}") from None
    if not head.strip():
        raise CetoolError(f"{display}: the export is empty (expected a CSV with a header row)")
    if _utf16(head):
        raise CetoolError(f"{display}: the file is UTF-16; save it as UTF-8 (in Excel: CSV UTF-8)")
    if b"\x00" in head:
        raise CetoolError(f"{display}: not a CSV text file (binary content)")
    try:  # incremental: a character cut at the end of the sample is not an error
        text = codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=len(head) < SNIFF_BYTES)
    except UnicodeDecodeError:
        raise CetoolError(f"{display}: not a UTF-8 CSV text file; save it as UTF-8 CSV") from None
    lines = text.splitlines()
    first = lines[0] if lines else ""
    header_only = len(head) < SNIFF_BYTES and not any(line.strip() for line in lines[1:])
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    header = next(csv.reader(io.StringIO(text), delimiter=delimiter), [])
    names = [name.strip() for name in header]
    if not any(names):
        raise CetoolError(f"{display}: the first line is not a CSV header row")
    return delimiter, names, header_only


def _unique(names: list[str]) -> list[str]:
    """Repeated headers (Jira repeats Labels, Comment, ...) get ` [2]`, ` [3]` so none is lost."""
    seen: Counter = Counter()
    out = []
    for name in names:
        seen[name] += 1
        out.append(name if seen[name] == 1 else f"{name} [{seen[name]}]")
    return out


def _resolve(mapping: Mapping, names: list[str], unique: list[str], display: str) -> tuple[dict[str, str], list[str]]:
    """Canonical column -> the (first) header that carries it; the tag columns (every repeat)."""
    first = {}
    lowered = {}
    for name, key in zip(names, unique):
        first.setdefault(name, key)
        lowered.setdefault(name.lower(), key)
    chosen = {}
    for canonical, candidates in mapping.columns.items():
        for candidate in candidates:
            key = first.get(candidate) or lowered.get(candidate.lower())
            if key is not None:
                chosen[canonical] = key
                break
    missing = [c for c in REQUIRED if c not in chosen]
    if missing:
        wanted = ", ".join(f"{c} (as {' or '.join(repr(h) for h in mapping.columns[c])})" for c in missing)
        found = ", ".join(repr(n) for n in names[:40]) + (" ..." if len(names) > 40 else "")
        raise CetoolError(f"{display}: missing required column(s) {wanted} for preset/mapping "
                          f"{mapping.label!r}; the file has columns: {found}")
    tag_names = {t.lower() for t in mapping.tags}
    tags = [key for name, key in zip(names, unique) if name.lower() in tag_names]
    return chosen, tags


def _read(path: Path, display: str, delimiter: str, unique: list[str], wanted: list[str],
          missing: tuple[str, ...], timestamps: list[str], header_only: bool
          ) -> tuple[pa.Table, list[int], list[tuple[int, int]]]:
    skipped: list[str] = []
    counts: list[tuple[int, int]] = []

    def invalid(row) -> str:
        skipped.append(row.text)  # pyarrow cannot tell the row number of a parallel read
        counts.append((row.expected_columns, row.actual_columns))
        return "skip"

    def attempt(typed: bool, newlines: bool, handler) -> pa.Table:
        skipped.clear()
        counts.clear()
        types = {name: pa.string() for name in wanted}
        if typed:
            types.update({name: _UTC_NS for name in timestamps})
        return pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(column_names=unique, skip_rows=1),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=newlines,
                                             invalid_row_handler=handler),
            convert_options=pacsv.ConvertOptions(
                include_columns=wanted, column_types=types,
                null_values=["", *missing], strings_can_be_null=True, quoted_strings_can_be_null=True),
        )

    # First the fast parallel read with the timestamp columns parsed by the reader itself: it
    # succeeds for the usual machine export (ISO 8601 with offset or Z everywhere) and fails
    # early otherwise. Then everything as text; a quoted value spanning lines needs the careful
    # (serial) read, and only then are rows with the wrong number of fields skipped (and
    # counted) rather than fatal, so a broken quote is never silently mistaken for short rows.
    tries = ((True, False, None), (False, False, None), (False, True, None), (False, True, invalid))
    tries = tries if timestamps else tries[1:]
    if header_only:
        return pa.table({name: pa.array([], pa.string()) for name in wanted}), [], []
    _check_quotes(path, display, delimiter)  # before the read: the file's pages are not yet joined by the table
    try:
        for number, (typed, newlines, handler) in enumerate(tries):
            try:
                table = attempt(typed, newlines, handler)
                return table, (_locate(path, skipped) if skipped else []), list(counts)
            except pa.ArrowInvalid:
                if number == len(tries) - 1:
                    raise
        raise AssertionError("unreachable")
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        message = str(exc).splitlines()[0]
        raise CetoolError(f"{display}: cannot read as CSV: {message}") from None


def _check_quotes(path: Path, display: str, delimiter: str) -> None:
    """Exit 2, naming the line, when a quoted value is never closed.

    pyarrow reads such a quote silently: the rest of the file (or of its block, in the parallel
    read) becomes one value and the rows in it are gone. Every closed quoted value holds an even
    number of `"`, so a file without quotes (one memchr over a memory map) or with an even count
    has none left open; only an odd count pays for Python's csv reader to find where it starts.
    """
    if _quote_count(path) % 2 == 0:
        return
    limit = csv.field_size_limit()
    csv.field_size_limit(1 << 30)  # a long value is not the error being looked for
    try:
        with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
            reader = csv.reader(handle, delimiter=delimiter, strict=True)
            start = 1
            while True:
                try:
                    next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:  # `"a"b` is text to pyarrow too: go on to the next row
                    if "end of data" in str(exc) or "EOF" in str(exc):
                        break
                start = reader.line_num + 1
            raise CetoolError(
                f"{display}: line {start}: a quoted value starts in this row and its closing quote "
                "is missing, so the rest of the file would be read as one value; close the quote "
                "(or double a quote that is part of the text: \"\")")
    finally:
        csv.field_size_limit(limit)


def _quote_count(path: Path) -> int:
    import mmap

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


def _locate(path: Path, texts: list[str]) -> list[int]:
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


def _tag_hits(table: pa.Table, tags: list[str], pattern: str) -> pa.Array | None:
    """Per row, the first tag matching `pattern` (a regex with one capture group) over every tag column."""
    found = None
    for key in tags:
        extracted = pc.extract_regex(pc.fill_null(table.column(key), ""), pattern)
        value = pc.struct_field(extracted, [0])
        found = value if found is None else pc.coalesce(found, value)
    return found


def _collapse(ids: pa.Array, updated: Callable[[], np.ndarray] | None) -> np.ndarray | None:
    """Row indices of the surviving rows, in file order (spec section 4); None: every row.

    Exports are usually sorted by id or by creation (ids increasing): a strictly increasing or
    decreasing id column has no duplicates, found in one vector comparison. Otherwise pandas'
    hash table finds the duplicated ids, and only those rows are ranked.
    """
    n = len(ids)
    if n < 2 or ids.null_count == 0 and _strictly_monotonic(ids):
        return None
    import pandas as pd

    values = to_numpy(ids)
    repeated = pd.Index(values, dtype=object).duplicated(keep=False) & to_numpy(ids.is_valid())
    if not repeated.any():
        return None
    rows = np.flatnonzero(repeated)
    codes, _ = pd.factorize(values[rows])
    keys = (rows, codes) if updated is None else (rows, updated()[rows], codes)
    order = np.lexsort(keys)  # by id, then updated_at (NaT lowest), then file order
    ranked, ranked_codes = rows[order], codes[order]
    loser = np.zeros(len(rows), dtype=bool)
    loser[:-1] = ranked_codes[1:] == ranked_codes[:-1]  # not the last of its id
    keep = np.ones(n, dtype=bool)
    keep[ranked[loser]] = False
    return np.flatnonzero(keep)


def _strictly_monotonic(ids: pa.Array) -> bool:
    head, tail = ids.slice(0, len(ids) - 1), ids.slice(1)
    return bool(pc.all(pc.less(head, tail)).as_py() or pc.all(pc.greater(head, tail)).as_py())


def load_export(path: Path, display: str, mapping: Mapping, input_tz: str,
                progress: Callable[[str], None] | None = None) -> tuple[Tickets, LoadFacts]:
    from cetool.loading.export_checks import check_rows

    step = progress or (lambda _message: None)
    _check_path(path, display)
    delimiter, names, header_only = _sniff(path, display)
    unique = _unique(names)
    chosen, tags = _resolve(mapping, names, unique, display)
    extra = [unique[names.index(h)] for h in mapping.minutes_after_created.values() if h in names]
    wanted = sorted(set(chosen.values()) | set(tags) | set(extra))
    step("reading the export")
    timestamps = [key for canonical, key in chosen.items() if canonical in TIMESTAMPS]
    table, skipped, fields = _read(path, display, delimiter, unique, wanted, mapping.missing, timestamps,
                                   header_only)
    facts = LoadFacts(rows_read=table.num_rows + len(skipped),
                      columns={c: names[unique.index(k)] for c, k in chosen.items()})
    if skipped:
        facts.bad_rows_by_reason["wrong number of fields"] += len(skipped)
        facts.bad_row_examples.extend(
            f"{f'line {n}' if n > 0 else 'a row'}: wrong number of fields ({actual} instead of {expected})"
            for n, (expected, actual) in zip(skipped[:EXAMPLES], fields))
    step("parsing timestamps")
    return check_rows(table, chosen, tags, mapping, input_tz, facts, skipped)
