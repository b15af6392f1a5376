"""Cell values of a ticket export turned into numbers: timestamps, priorities, counts, keys.

Timestamps become int64 nanoseconds since the epoch, UTC, with NaT (int64 min) for "no value".
Each parser returns the values and a mask of cells that held text but could not be parsed, so
the caller can tell "empty" from "unparseable" (spec section 4). Imported only by
`cetool.loading.exports`, so pandas/pyarrow stay on the metrics path.
"""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

NAT = np.iinfo(np.int64).min
_OFFSET = r"[T ]\d{1,2}:\d\d(:\d\d([.,]\d+)?)?\s*(Z|z|[+-]\d\d(:?\d\d)?)$"
_UTC_NS = pa.timestamp("ns", tz="UTC")


def as_strings(column: pa.ChunkedArray | pa.Array) -> pa.Array:
    """Trimmed strings, with blank cells as nulls."""
    array = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    if not pa.types.is_string(array.type) and not pa.types.is_large_string(array.type):
        array = array.cast(pa.string())
    trimmed = pc.utf8_trim_whitespace(array)
    return pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)


def _ns(series: pd.Series) -> np.ndarray:
    if isinstance(series.dtype, pd.DatetimeTZDtype):
        series = series.dt.tz_convert("UTC").dt.tz_localize(None)
    return series.astype("datetime64[ns]").to_numpy().view(np.int64)


def _localize(naive_ns: np.ndarray, tz: str) -> np.ndarray:
    """Local wall times -> UTC with zoneinfo's fold=0 rule (spec section 4).

    pandas does the bulk; the wall times it cannot place (a DST fall-back hour occurs twice, a
    spring-forward hour not at all) are few, and are placed one distinct value at a time with
    zoneinfo, whose fold=0 picks the first occurrence and, in a gap, the offset before it.
    """
    if tz == "UTC":
        return naive_ns
    valid = naive_ns != NAT
    index = pd.DatetimeIndex(naive_ns.view("datetime64[ns]"))
    local = index.tz_localize(tz, ambiguous="NaT", nonexistent="NaT")
    out = local.tz_convert("UTC").tz_localize(None).to_numpy().view(np.int64).copy()
    unplaced = valid & (out == NAT)
    if unplaced.any():
        zone = ZoneInfo(tz)
        for value in np.unique(naive_ns[unplaced]):
            wall = pd.Timestamp(int(value)).to_pydatetime(warn=False)
            offset = wall.replace(tzinfo=zone).utcoffset()
            out[unplaced & (naive_ns == value)] = int(value) - int(offset.total_seconds()) * 1_000_000_000
    return out


def parse_timestamps(strings: pa.Array, input_tz: str, formats: tuple[str, ...] = ()) -> tuple[np.ndarray, np.ndarray]:
    """ISO 8601 (with offset/Z: absolute; without: local in input_tz), then the mapping's formats."""
    n = len(strings)
    if strings.null_count == n:
        return np.full(n, NAT, dtype=np.int64), np.zeros(n, dtype=bool)
    try:  # fast path: every value carries an offset or Z (the usual machine export)
        cast = pc.cast(strings, _UTC_NS).cast(pa.int64())
        return pc.fill_null(cast, NAT).to_numpy(zero_copy_only=False), np.zeros(n, dtype=bool)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    present = strings.is_valid().to_numpy(zero_copy_only=False)
    has_offset = pc.fill_null(pc.match_substring_regex(strings, _OFFSET), False).to_numpy(zero_copy_only=False)
    series = pd.Series(strings.to_pandas(types_mapper=None), dtype=object)
    out = np.full(n, NAT, dtype=np.int64)
    absolute = present & has_offset
    if absolute.any():
        out[absolute] = _ns(pd.to_datetime(series[absolute], format="ISO8601", utc=True, errors="coerce"))
    naive = present & ~has_offset
    if naive.any():
        local = np.full(int(naive.sum()), NAT, dtype=np.int64)
        values = series[naive]
        local[:] = _ns(pd.to_datetime(values, format="ISO8601", errors="coerce"))
        for fmt in formats:
            left = local == NAT
            if not left.any():
                break
            local[left] = _ns(pd.to_datetime(values[left], format=fmt, errors="coerce"))
        out[naive] = _localize(local, input_tz)
    return out, present & (out == NAT)


def parse_numbers(strings: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Floats (NaN for empty) and the mask of cells that were not numbers."""
    present = strings.is_valid().to_numpy(zero_copy_only=False)
    values = pd.to_numeric(pd.Series(strings.to_pandas(), dtype=object), errors="coerce").to_numpy(dtype=float)
    return values, present & np.isnan(values)


def encode(strings: pa.Array) -> tuple[np.ndarray, list[str]]:
    """Dictionary codes (int64, -1 for null) and the distinct values they index."""
    encoded = strings.dictionary_encode()
    codes = pc.fill_null(encoded.indices.cast(pa.int64()), -1).to_numpy(zero_copy_only=False)
    return codes, encoded.dictionary.to_pylist()


def iso(ns: int, tz: str) -> str:
    return datetime.fromtimestamp(ns / 1e9, tz=timezone.utc).astimezone(ZoneInfo(tz)).isoformat()
