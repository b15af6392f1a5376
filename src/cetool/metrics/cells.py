"""Cells of the export quoted in messages (a bad row's value, an unreadable created_at).

A timestamp column the CSV reader parsed itself is let go of once its values are in numpy
(at 20M rows each such column is 160 MB): `ParsedCells` quotes its cells from those values,
keeping aside the few the parse set to none (outside the instants a ticket may have).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import numpy as np
import pyarrow as pa

from cetool.metrics.values import NAT, as_indices

QUOTED = 80
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


class ParsedCells:
    """The cells of a column the reader parsed as timestamps, without the column. `values` is
    read when a message is made, which is before the rows turn into tombstones."""

    def __init__(self, column: pa.ChunkedArray, values: np.ndarray, unreadable: np.ndarray) -> None:
        self.values = values
        self.aside_rows = np.flatnonzero(unreadable)
        self.aside = column.take(as_indices(self.aside_rows))

    def __getitem__(self, index: int) -> object:
        position = int(np.searchsorted(self.aside_rows, index))
        if position < len(self.aside_rows) and self.aside_rows[position] == index:
            return cell(self.aside, position)
        ns = int(self.values[index])
        return None if ns == NAT else _EPOCH + timedelta(microseconds=ns // 1000)


def quote(value: object) -> str | None:
    """A cell quoted in a message, cut to QUOTED characters (a cell can be megabytes long); a
    value the CSV reader already parsed as a timestamp is shown in ISO 8601."""
    if value is None:
        return None
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return text if len(text) <= QUOTED else text[:QUOTED - 1] + "…"


def cell(column: pa.ChunkedArray | ParsedCells, index: int) -> object:
    """One cell as Python; a timestamp the reader parsed as a datetime, read from its integer
    (pyarrow's own conversion of a nanosecond timestamp imports pandas: 0.2 s for one message)."""
    if isinstance(column, ParsedCells):
        return column[index]
    scalar = column[index]
    if pa.types.is_timestamp(scalar.type) and scalar.is_valid:
        return _EPOCH + timedelta(microseconds=scalar.cast(pa.int64()).as_py() // 1000)
    return scalar.as_py()
