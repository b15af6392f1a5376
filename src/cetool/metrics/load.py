"""Reading a ticket export into canonical, checked columns (spec section 4).

The CSV is read once by pyarrow (only the columns the mapping needs, all as text), mapped onto the
canonical columns, duplicates collapsed, bad rows skipped with reasons, and unparseable optional
values blanked and counted. The result is plain numpy arrays in `Tickets`; `cetool.figures`
computes from them. Setup failures (no such file, empty, not CSV, a required column missing)
raise CetoolError, which the CLI turns into exit 2.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from cetool.core.errors import CetoolError
from cetool.metrics.csv_file import check_path, check_quotes, locate, sniff
from cetool.metrics.values import to_numpy
from cetool.metrics.mapping import REQUIRED, TIMESTAMPS, Mapping

_UTC_NS = pa.timestamp("ns", tz="UTC")
EXAMPLES = 5
PHASES = ("investigation_started_at", "diagnosed_at", "responded_at", "closed_at")


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
    account: np.ndarray | None = None  # int32 codes into accounts, -1 none; None: no column
    accounts: list[str] = field(default_factory=list)


@dataclass
class LoadFacts:
    rows_read: int = 0
    duplicates: int = 0
    bad_rows_by_reason: Counter = field(default_factory=Counter)
    bad_row_examples: list[str] = field(default_factory=list)
    blanked_by_column: Counter = field(default_factory=Counter)
    columns: dict[str, str] = field(default_factory=dict)  # canonical -> header used


def _unique(names: list[str]) -> list[str]:
    """Repeated headers (Jira repeats Labels, Comment, ...) get ` [2]`, ` [3]` so none is lost."""
    seen: Counter = Counter()
    out = []
    for name in names:
        seen[name] += 1
        out.append(name if seen[name] == 1 else f"{name} [{seen[name]}]")
    return out


def _finder(names: list[str], unique: list[str]) -> Callable[[tuple[str, ...]], str | None]:
    """The column key of the first candidate header present: exact match first, then ignoring case."""
    first: dict[str, str] = {}
    lowered: dict[str, str] = {}
    for name, key in zip(names, unique):
        first.setdefault(name, key)
        lowered.setdefault(name.lower(), key)

    def find(candidates: tuple[str, ...]) -> str | None:
        for candidate in candidates:
            key = first.get(candidate) or lowered.get(candidate.lower())
            if key is not None:
                return key
        return None

    return find


def _resolve(mapping: Mapping, names: list[str], unique: list[str], display: str) -> tuple[dict[str, str], list[str]]:
    """Canonical column -> the (first) header that carries it; the tag columns (every repeat)."""
    find = _finder(names, unique)
    chosen = {canonical: key for canonical, candidates in mapping.columns.items()
              if (key := find(candidates)) is not None}
    missing = [c for c in REQUIRED if c not in chosen]
    if missing:
        wanted = ", ".join(f"{c} (as {' or '.join(repr(h) for h in mapping.columns[c])})" for c in missing)
        found = ", ".join(repr(n) for n in names[:40]) + (f" ... ({len(names)} in all)" if len(names) > 40 else "")
        raise CetoolError(f"{display}: missing required column(s) {wanted} for preset/mapping "
                          f"{mapping.label!r}{_preset_hint(find, mapping.label)}; the file has columns: {found}")
    tag_names = {t.lower() for t in mapping.tags}
    tags = [key for name, key in zip(names, unique) if name.lower() in tag_names]
    return chosen, tags


def _preset_hint(find: Callable[[tuple[str, ...]], str | None], current: str) -> str:
    """A preset whose required columns the file has: the export is most likely that vendor's."""
    from cetool.metrics.mapping import PRESETS, load_preset

    for name in PRESETS:
        if name != current and all(find(load_preset(name).columns[c]) for c in REQUIRED):
            return f" (it looks like a {name} export: try --preset {name})"
    return ""


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
    check_quotes(path, display, delimiter)  # before the read: the file's pages are not yet joined by the table
    try:
        for number, (typed, newlines, handler) in enumerate(tries):
            try:
                table = attempt(typed, newlines, handler)
                return table, (locate(path, skipped) if skipped else []), list(counts)
            except pa.ArrowInvalid:
                if number == len(tries) - 1:
                    raise
        raise AssertionError("unreachable")
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        message = str(exc).splitlines()[0]
        raise CetoolError(f"{display}: cannot read as CSV: {message}") from None


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
    from cetool.metrics.rows import check_rows

    step = progress or (lambda _message: None)
    check_path(path, display)
    delimiter, names, header_only = sniff(path, display)
    unique = _unique(names)
    chosen, tags = _resolve(mapping, names, unique, display)
    # canonical column -> key of its minutes column, for the timestamps no column carries
    in_minutes = {c: unique[names.index(h)] for c, h in mapping.minutes_after_created.items()
                  if c not in chosen and h in names}
    flag = _finder(names, unique)(mapping.escalation_flag)
    wanted = sorted(set(chosen.values()) | set(tags) | set(in_minutes.values()) | ({flag} if flag else set()))
    step("reading the export")
    timestamps = [key for canonical, key in chosen.items() if canonical in TIMESTAMPS]
    table, skipped, fields = _read(path, display, delimiter, unique, wanted, mapping.missing, timestamps,
                                   header_only)
    columns = {c: names[unique.index(k)] for c, k in chosen.items()}
    columns.update({c: f"{names[unique.index(k)]} (minutes after created_at)" for c, k in in_minutes.items()})
    if flag:
        columns["escalation_flag"] = names[unique.index(flag)]
    facts = LoadFacts(rows_read=table.num_rows + len(skipped), columns=columns)
    if skipped:
        facts.bad_rows_by_reason["wrong number of fields"] += len(skipped)
        facts.bad_row_examples.extend(
            f"{f'line {n}' if n > 0 else 'a row'}: wrong number of fields ({actual} instead of {expected})"
            for n, (expected, actual) in zip(skipped[:EXAMPLES], fields))
    step("parsing timestamps")
    return check_rows(table, chosen, in_minutes, tags, flag, mapping, input_tz, facts, skipped)
