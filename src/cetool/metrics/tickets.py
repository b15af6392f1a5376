"""Checked tickets as numpy arrays, the facts of their loading, and the two steps that work on
whole rows before the checks: duplicates collapsed, and tags searched across the tag columns.

The load path reads one way: `csv_file` (the file) -> `values` (cells to numbers) -> `tickets`
(this module) -> `rows` (the checks, building `Tickets`) -> `load` (the export, end to end).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from cetool.metrics.values import codes_of

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


def collapse(ids: pa.Array, updated: Callable[[], np.ndarray] | None
             ) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Row indices of the surviving rows, in file order (docs/metrics.md#duplicates-and-bad-rows),
    None: every row; and the ids' codes (-1 none) when they were needed, None otherwise.

    Exports are usually sorted by id or by creation (ids increasing): a strictly increasing or
    decreasing id column has no duplicates, found in one vector comparison. Otherwise the ids are
    dictionary-encoded once by Arrow, the repeated codes counted with numpy, and only the rows of
    a repeated id are ranked.
    """
    n = len(ids)
    if n < 2 or ids.null_count == 0 and _strictly_monotonic(ids):
        return None, None
    codes, _distinct = codes_of(ids)
    per_code = np.bincount(codes + 1)  # slot 0: the rows without an id, which never collapse
    per_code[0] = 0
    repeated = per_code[codes + 1] > 1
    if not repeated.any():
        return None, codes
    rows = np.flatnonzero(repeated)
    keys = (rows, codes[rows]) if updated is None else (rows, updated()[rows], codes[rows])
    order = np.lexsort(keys)  # by id, then updated_at (NaT lowest), then file order
    ranked, ranked_codes = rows[order], codes[rows][order]
    loser = np.zeros(len(rows), dtype=bool)
    loser[:-1] = ranked_codes[1:] == ranked_codes[:-1]  # not the last of its id
    keep = np.ones(n, dtype=bool)
    keep[ranked[loser]] = False
    return np.flatnonzero(keep), codes


def _strictly_monotonic(ids: pa.Array) -> bool:
    head, tail = ids.slice(0, len(ids) - 1), ids.slice(1)
    return bool(pc.all(pc.less(head, tail)).as_py() or pc.all(pc.greater(head, tail)).as_py())
