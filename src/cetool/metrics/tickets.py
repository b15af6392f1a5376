"""Checked tickets as numpy arrays, the facts of their loading, and the two steps that work on
whole rows before the checks: duplicates collapsed, and tags searched across the tag columns.

The load path reads one way: `csv_file` (the file) -> `values` (cells to numbers) -> `codes`
(strings to integer codes) -> `tickets` (this module) -> `cells` (cells quoted in messages) ->
`rows` (the checks, building `Tickets`) -> `load` (the export, end to end).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from cetool.core.parallel import started
from cetool.metrics.codes import codes_of
from cetool.metrics.layouts import text_array
from cetool.metrics.values import as_indices, to_numpy

EXAMPLES = 5  # bad rows quoted in the run facts


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
    date_order: str | None = None  # "dmy", "mdy", or None: no value could be read either way
    date_order_from: str = "not needed"  # how the order was settled
    date_formats: dict[str, dict[str, int]] = field(default_factory=dict)  # column -> format -> values read


def tag_hits(table: pa.Table, tags: list[str], pattern: str) -> pa.Array | None:
    """Per row, the first tag matching `pattern` (a regex with one capture group) over every tag column."""
    found = None
    for key in tags:
        extracted = pc.extract_regex(pc.fill_null(table.column(key), ""), pattern)
        value = pc.struct_field(extracted, [0])
        found = value if found is None else pc.coalesce(found, value)
    return found


def collapse(ids: pa.ChunkedArray | pa.Array, updated: Callable[[], np.ndarray] | None
             ) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Row indices of the surviving rows, in file order (docs/metrics.md#duplicates-and-bad-rows),
    None: every row; and the ids' codes (equal ids share a code, which is the row number of the
    id's first row; -1 none) when they were needed, None otherwise.

    Exports are usually sorted by id or by creation (ids increasing): a strictly increasing or
    decreasing id column has no duplicates, found in one vector comparison. Otherwise see
    `id_codes`; only the rows of a repeated id are ranked.
    """
    n = len(ids)
    if n < 2 or ids.null_count == 0 and _strictly_monotonic(ids):
        return None, None
    same = _same_as_previous(ids)
    if updated is not None and same.any():  # an id repeats: updated_at will be needed, read it meanwhile
        updated = started(updated)
    codes = id_codes(ids, same)
    per_code = np.bincount(codes + 1, minlength=n + 1)  # slot 0: the rows without an id, which never collapse
    per_code[0] = 0
    repeated = per_code[codes + 1] > 1
    if not repeated.any():
        return None, codes
    if repeated.all():  # an event log: every ticket has several rows, none need be picked out
        rows, repeated_codes, times = np.arange(n), codes, None if updated is None else updated()
    else:
        rows = np.flatnonzero(repeated)
        repeated_codes, times = codes[rows], None if updated is None else updated()[rows]
    order = by_id_then_time(repeated_codes, times)
    ranked, ranked_codes = (rows, repeated_codes) if order is None else (rows[order], repeated_codes[order])
    loser = np.zeros(len(rows), dtype=bool)
    loser[:-1] = ranked_codes[1:] == ranked_codes[:-1]  # not the last of its id
    keep = np.ones(n, dtype=bool)
    keep[ranked[loser]] = False
    return np.flatnonzero(keep), codes


def by_id_then_time(codes: np.ndarray, updated: np.ndarray | None) -> np.ndarray | None:
    """Positions ordering entries by id code, then updated_at (NaT lowest), then position; None
    when they are in that order already.

    An event log's rows usually are (a ticket's rows together, so codes never decrease, and
    oldest first): a few vector comparisons find it, and the sort (2 s for 5M rows) is skipped,
    and so are the copies a reordering would make. When the rows are grouped by ticket but a few
    tickets' rows are not oldest first (clocks apart; local times read across a fall-back hour),
    only those tickets' rows are sorted.
    """
    n = len(codes)
    if (codes[1:] < codes[:-1]).any():
        return np.lexsort((np.arange(n), codes) if updated is None else (np.arange(n), updated, codes))
    if updated is None:
        return None
    same = codes[1:] == codes[:-1]
    back = (updated[1:] < updated[:-1]) & same
    if not back.any():
        return None
    run = np.concatenate([[0], np.cumsum(~same)])  # each entry's run of one code
    unsorted = np.zeros(int(run[-1]) + 1, dtype=bool)
    unsorted[run[1:][back]] = True
    rows = np.flatnonzero(unsorted[run])  # whole runs, in place: sorting them keeps them there
    order = np.arange(n)
    order[rows] = rows[np.lexsort((rows, updated[rows], codes[rows]))]
    return order


def id_codes(ids: pa.ChunkedArray | pa.Array, same: np.ndarray | None = None) -> np.ndarray:
    """Per row, the row number of the first row with the same id (int32; -1: no id).

    No hash table over every id (Arrow's dictionary encoding of 5M distinct ids costs 2 s, its
    table outgrowing the caches): rows whose id equals the row before it (an event log's rows of
    one ticket) join that row's run in one vector comparison; of the runs' first rows, a 32-bit
    fingerprint of each id's bytes, sorted, picks the few that may repeat, and only those are
    dictionary-encoded, which makes the result exact whatever the fingerprints collide on.
    `same`: `_same_as_previous(ids)`, when the caller has it already.
    """
    n = len(ids)
    valid = ~to_numpy(ids.is_null()) if ids.null_count else np.ones(n, dtype=bool)
    run_start = ~(_same_as_previous(ids) if same is None else same)
    heads = np.flatnonzero(run_start & valid)
    prints = fingerprints(ids)
    pa.default_memory_pool().release_unused()  # the fingerprints' Arrow temporaries: Arrow's allocator would keep them
    prints = prints if len(heads) == n else prints[heads]
    ordered = np.sort(prints)
    twice = ordered[1:][ordered[1:] == ordered[:-1]]  # sorted, with repeats (np.unique imports numpy.ma: 50 ms)
    head_codes = heads.astype(np.int32)
    if len(twice):
        marked = np.zeros(1 << 24, dtype=bool)  # a first filter on the top 24 bits, then exact
        marked[twice >> 8] = True
        maybe = np.flatnonzero(marked[prints >> 8])
        found = np.minimum(np.searchsorted(twice, prints[maybe]), len(twice) - 1)
        maybe = maybe[twice[found] == prints[maybe]]
        codes, _distinct = codes_of(ids.take(as_indices(heads[maybe])))
        first = np.empty(int(codes.max()) + 1, dtype=np.int64)
        first[codes[::-1]] = np.arange(len(codes) - 1, -1, -1)  # the last write wins: each code's first row
        head_codes[maybe] = heads[maybe[first[codes]]]
    per_run = np.full(int(run_start.sum()), -1, dtype=np.int32)  # a run that starts without an id: -1
    per_run[valid[run_start]] = head_codes
    return per_run[np.cumsum(run_start, dtype=np.int32) - 1]


def _same_as_previous(ids: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """Whether each id equals the one in the row before (a null equals nothing), compared a
    chunk at a time: comparing the column with itself shifted by one would first copy it whole
    to align the chunks."""
    chunks = [chunk for chunk in (ids.chunks if isinstance(ids, pa.ChunkedArray) else [ids]) if len(chunk)]
    parts, previous = [], None
    for chunk in chunks:
        first = np.zeros(1, dtype=bool)
        if previous is not None:
            first[0] = to_numpy(pc.equal(chunk.slice(0, 1), previous))[0]
        parts += [first, to_numpy(pc.equal(chunk.slice(1), chunk.slice(0, len(chunk) - 1)))]  # null as False
        previous = chunk.slice(len(chunk) - 1)
    return np.concatenate(parts) if parts else np.zeros(0, dtype=bool)


# as binary scalars, built without `pa.scalar` (which imports pandas)
_PAD, _NOTHING = (text_array(["\0" * 16, ""]).cast(pa.binary())[n] for n in (0, 1))
_MIX = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F), np.uint64(0x165667B19E3779F9),
        np.uint64(0x27D4EB2F165667C5))


def fingerprints(strings: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """A uint32 per value from its length, first 16 bytes and (when longer) last 16 bytes, read
    in Arrow and numpy a chunk at a time; equal values have equal fingerprints (values are told
    apart exactly elsewhere)."""
    chunks = strings.chunks if isinstance(strings, pa.ChunkedArray) else [strings]
    parts = [_chunk_fingerprints(chunk) for chunk in chunks if len(chunk)]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.uint32)


def _chunk_fingerprints(strings: pa.Array) -> np.ndarray:
    width = 8 if pa.types.is_large_string(strings.type) else 4
    offsets = np.frombuffer(strings.buffers()[1], dtype=np.dtype(f"<i{width}"), count=len(strings) + 1,
                            offset=strings.offset * width)
    lengths = np.diff(offsets)
    size = int(lengths[0])
    if 0 < size and int(lengths.min()) == int(lengths.max()):
        ends = _same_length_ends(strings.buffers()[2], int(offsets[0]), len(strings), size)
    else:
        binary = strings.cast(pa.binary())
        ends = [pc.binary_slice(pc.binary_join_element_wise(binary, _PAD, _NOTHING), 0, 16)]
        if int(lengths.max()) > 16:
            ends.append(pc.binary_slice(pc.binary_join_element_wise(_PAD, binary, _NOTHING), -16))
        ends = [_words(end.cast(pa.binary(16))) for end in ends]
    mixed = lengths.astype(np.uint64) * _MIX[2]
    for words, factor in zip(ends, (_MIX[0], _MIX[3])):
        folded = mixed ^ words[:, 0] * factor
        folded ^= words[:, 1] * _MIX[1]
        folded ^= folded >> np.uint64(29)
        # the last 16 bytes count only for a value longer than 16 (the same value, the same
        # fingerprint, whichever chunk it is in)
        mixed = folded if factor is _MIX[0] else np.where(lengths > 16, folded, mixed)
    return (mixed >> np.uint64(32)).astype(np.uint32)


def _words(fixed: pa.Array) -> np.ndarray:
    """A fixed_size_binary(16) array as (rows, 2) uint64, in place."""
    return np.frombuffer(fixed.buffers()[1], dtype=np.uint64, count=2 * len(fixed),
                         offset=fixed.offset * 16).reshape(-1, 2)


def _same_length_ends(data: pa.Buffer, start: int, count: int, size: int) -> list[np.ndarray]:
    """The first 16 bytes (zero-padded) and, when longer, the last 16 bytes of values that all
    have `size` bytes (zero-padded ids such as INC0010001, the usual case), as `_words` gives
    them, read from the bytes in place as a (count, size) matrix: no Arrow string kernel."""
    matrix = np.frombuffer(data, dtype=np.uint8, count=count * size, offset=start).reshape(count, size)
    head = np.zeros((count, 16), dtype=np.uint8)
    head[:, :min(size, 16)] = matrix[:, :16]
    ends = [head.view(np.uint64)]
    if size > 16:
        ends.append(np.ascontiguousarray(matrix[:, size - 16:]).view(np.uint64))
    return ends


_FIRST_ROWS = 1024


def _strictly_monotonic(ids: pa.ChunkedArray | pa.Array) -> bool:
    """Whether the ids strictly increase or strictly decrease. The first rows are looked at
    first: they settle it for the usual unsorted export without a pass over every id."""
    return _monotonic(ids.slice(0, _FIRST_ROWS)) and (len(ids) <= _FIRST_ROWS or _monotonic(ids))


def _monotonic(ids: pa.ChunkedArray | pa.Array) -> bool:
    head, tail = ids.slice(0, len(ids) - 1), ids.slice(1)
    return bool(pc.all(pc.less(head, tail)).as_py() or pc.all(pc.greater(head, tail)).as_py())
