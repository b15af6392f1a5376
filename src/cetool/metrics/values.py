"""Cell values of a ticket export turned into numbers: timestamps, priorities, counts, keys.

Timestamps become int64 nanoseconds since the epoch, UTC, with NaT (int64 min) for "no value".
Each parser returns the values and a mask of cells that held text but could not be parsed, so
the caller can tell "empty" from "unparseable" (docs/metrics.md#duplicates-and-bad-rows).
Imported only on the metrics path, so numpy/pyarrow stay off every other command. pandas (0.3 s
to import) is imported inside the functions that need it: the usual export (ISO 8601 with an
offset or Z, parsed by the CSV reader itself) never does.
"""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from cetool.metrics.formats import Layout, layout_of
from cetool.metrics.layouts import Reads, bits, may_be_iso, may_need_trim, proves_not_iso, text_array, valid_mask
from cetool.metrics.zones import NAT, localize

# A time (after T or a space; extended 10:00:00.5, compact 100000, or just the hour) ending in
# Z or an offset (+01, +0100, +01:00): the forms pandas reads as time-zone-aware. The naive parse
# below still double-checks, so a form missed here is sorted out rather than a crash.
_OFFSET = r"[T ]\d\d[\d:.,]*\s*(Z|z|[+-]\d\d(:?\d\d)?)$"
# Whole days inside the range of int64 nanoseconds (1677-09-21 .. 2262-04-11).
_NS_MIN, _NS_MAX = np.datetime64("1677-09-22"), np.datetime64("2262-04-11")
# The instants a ticket's timestamp may have (see parse_timestamps).
EARLIEST_NS = int(np.datetime64("1900-01-01T00:00:00", "ns").view(np.int64))
LATEST_NS = int(np.datetime64("2100-01-01T00:00:00", "ns").view(np.int64))
_UTC_NS = pa.timestamp("ns", tz="UTC")
_NAIVE_NS = pa.timestamp("ns")


def as_strings(column: pa.ChunkedArray | pa.Array) -> pa.ChunkedArray | pa.Array:
    """Trimmed strings, with blank cells as nulls (the column itself when no value needs it: the
    usual export, whose trimmed copy would cost a pass and the memory of the column)."""
    if not pa.types.is_string(column.type) and not pa.types.is_large_string(column.type):
        column = column.cast(pa.string())
    if not may_need_trim(column):
        return column
    trimmed = pc.utf8_trim_whitespace(column)
    if len(trimmed) and pc.min(pc.utf8_length(trimmed)).as_py() == 0:
        return pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)
    return trimmed


def to_numpy(column: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """Booleans (null as False), or objects for strings, as numpy."""
    chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
    parts = []
    for chunk in chunks:
        if not len(chunk):
            continue
        if pa.types.is_boolean(chunk.type):
            values = bits(chunk.buffers()[1], chunk.offset, len(chunk))
            valid = valid_mask(chunk)
            parts.append(values if valid is None else values & valid)
        else:
            parts.append(chunk.to_numpy(zero_copy_only=False))
    if not parts:
        return np.zeros(0, dtype=bool if pa.types.is_boolean(column.type) else object)
    if len(parts) == 1:
        return parts[0] if parts[0].flags.writeable else parts[0].copy()
    return np.concatenate(parts)


def as_indices(rows: np.ndarray) -> pa.Array:
    """Row numbers for Arrow's `take`, sharing numpy's memory: `pa.array(numpy_array)` first
    asks whether the array is a pandas object, which imports pandas (0.3 s or more)."""
    rows = np.ascontiguousarray(rows, dtype=np.int64)
    return pa.Array.from_buffers(pa.int64(), len(rows), [None, pa.py_buffer(rows)])


def integers(column: pa.ChunkedArray | pa.Array, null_value: int, dtype=np.int64) -> np.ndarray:
    """int64 numpy values of an integer or timestamp column, nulls as `null_value`.

    Read straight from the Arrow buffers: pyarrow's own conversion of a time-zone-aware column
    goes through pandas, which this path avoids importing (it costs a third of a second).
    """
    chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
    out = np.empty(len(column), dtype=dtype)
    position = 0
    for chunk in chunks:
        n = len(chunk)
        if not n:
            continue
        width = chunk.type.bit_width // 8
        values = np.frombuffer(chunk.buffers()[1], dtype=np.dtype(f"<i{width}"), count=n,
                               offset=chunk.offset * width)
        out[position:position + n] = values
        valid = valid_mask(chunk)
        if valid is not None:
            out[position:position + n][~valid] = null_value
        position += n
    return out


def _ns(series) -> np.ndarray:
    """int64 ns of parsed datetimes, NaT for those outside nanoseconds' range (1677-2262).

    pandas keeps a value like 9999-12-31 in a coarser unit; such a value cannot be a ticket's
    time, and converting it to ns would overflow, so it counts as unparseable.
    """
    import pandas as pd  # heavy: only on the slow path (see the module docstring)

    if isinstance(series.dtype, pd.DatetimeTZDtype):
        series = series.dt.tz_convert("UTC").dt.tz_localize(None)
    values = np.asarray(series.to_numpy(), dtype="datetime64")
    if values.dtype != np.dtype("datetime64[ns]"):
        unit = np.datetime_data(values.dtype)[0]
        outside = (values < _NS_MIN) | (values >= _NS_MAX)
        values = np.where(outside, np.datetime64("NaT", unit), values)
        values = values.astype("datetime64[ns]")
    return values.view(np.int64)


def _aware(value: str) -> bool:
    """Whether pandas reads this one value as time-zone-aware (only for the rare values that
    _OFFSET did not recognise but that made a naive parse see mixed time zones)."""
    import pandas as pd  # heavy: only on the slow path (see the module docstring)

    try:
        return pd.Timestamp(pd.to_datetime(value, format="ISO8601")).tzinfo is not None
    except (ValueError, TypeError, OverflowError):
        return False


def _naive_ns(values) -> np.ndarray | None:
    """ISO 8601 local values as ns; None when some value turned out to carry a zone."""
    import pandas as pd  # heavy: only on the slow path (see the module docstring)

    try:
        parsed = pd.to_datetime(values, format="ISO8601", errors="coerce")
    except (ValueError, TypeError):  # "Mixed timezones detected"
        return None
    if isinstance(parsed.dtype, pd.DatetimeTZDtype) or parsed.dtype == object:
        return None
    return _ns(parsed)


ISO_8601 = "ISO 8601"
_SAMPLE = 200  # values a format is tried on to rank it
# Whether fixed layouts are read from the bytes (cetool.metrics.layouts); the tests turn it off
# to compare with pandas alone.
FAST_LAYOUTS = True


def parse_timestamps(raw: pa.Array | pa.ChunkedArray, input_tz: str, formats: tuple[str, ...] = ()) -> tuple[np.ndarray, np.ndarray]:
    """Values and the mask of unparseable cells; see `read_timestamps`."""
    out, bad, _used = read_timestamps(raw, input_tz, formats)
    return out, bad


def read_timestamps(raw: pa.Array | pa.ChunkedArray, input_tz: str, formats: tuple[str, ...] = ()
                    ) -> tuple[np.ndarray, np.ndarray, dict[str, int]]:
    """ISO 8601 (with offset/Z: absolute; without: local in input_tz), then the mapping's
    formats, the one that reads most of the column first (docs/metrics.md#date-formats). The
    caller passes only formats of the export's day/month order (`cetool.metrics.dates`).
    Also returns how many values each format read.

    A time outside [1900, 2100) counts as unparseable: such values are placeholders (0001-01-01,
    9999-12-31), and keeping every instant within 200 years keeps every difference of two of
    them (a duration, a 720 h window) inside int64 nanoseconds.
    """
    out, bad, checked, used = _parse(raw, input_tz, formats)
    if not checked:
        outside = (out != NAT) & ((out < EARLIEST_NS) | (out >= LATEST_NS))
        if outside.any():
            out[outside] = NAT
            bad = bad | outside
    return out, bad, used


def _ranked(strings: pa.Array | pa.ChunkedArray, rows: np.ndarray, formats: tuple[str, ...], reads: Reads
            ) -> list[str]:
    """The formats, the one reading most of a sample of the values of `rows` first (ties: as
    listed). The layouts settle the counts when they can; else pandas tries each format."""
    if len(formats) < 2:
        return list(formats)
    sample = rows[np.linspace(0, len(rows) - 1, min(_SAMPLE, len(rows))).astype(int)]
    scores = reads.scores(sample, formats)
    if scores is None:
        import pandas as pd  # heavy: only on the slow path (see the module docstring)

        text, scores = _text(strings, sample), {}
        for fmt in formats:
            try:
                parsed = pd.to_datetime(text, format=fmt, errors="coerce", utc="%z" in fmt)
            except (ValueError, TypeError):
                parsed = pd.Series([], dtype="datetime64[ns]")
            scores[fmt] = int(parsed.notna().sum())
    return sorted(formats, key=lambda fmt: -scores[fmt])


def _within(arrow: pa.Array | pa.ChunkedArray) -> bool:
    """Whether every value of a UTC timestamp column is inside the window (Arrow's min/max skip
    nulls and cost a fraction of a numpy pass)."""
    extremes = pc.min_max(arrow)
    low, high = extremes["min"], extremes["max"]
    return not low.is_valid or (low.value >= EARLIEST_NS and high.value < LATEST_NS)


def _parse(raw: pa.Array | pa.ChunkedArray, input_tz: str, formats: tuple[str, ...]
           ) -> tuple[np.ndarray, np.ndarray, bool, dict[str, int]]:
    """Values, unparseable mask, whether the window is already known to hold, and the count of
    values each format read."""
    n = len(raw)
    if raw.null_count == n:
        return np.full(n, NAT, dtype=np.int64), np.zeros(n, dtype=bool), True, {}
    every = {ISO_8601: n - raw.null_count}
    if pa.types.is_timestamp(raw.type):  # already parsed by the CSV reader
        utc = raw if raw.type == _UTC_NS else pc.cast(raw, _UTC_NS)
        return integers(utc, NAT), np.zeros(n, dtype=bool), _within(utc), every
    if not proves_not_iso(raw):
        try:  # fast path: every value carries an offset or Z (the usual machine export)
            utc = pc.cast(raw, _UTC_NS)
            return integers(utc, NAT), np.zeros(n, dtype=bool), _within(utc), every
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            pass
        try:  # every value is ISO 8601 without an offset (local time, e.g. a Zendesk export)
            return localize(integers(pc.cast(raw, _NAIVE_NS), NAT), input_tz), np.zeros(n, dtype=bool), False, every
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            pass
    out, bad, used = _careful(as_strings(raw), input_tz, formats)
    return out, bad, False, used


def _fast_layouts(strings: pa.Array | pa.ChunkedArray, formats: tuple[str, ...]) -> Reads:
    """What the formats that have a fixed layout (cetool.metrics.layouts) read. Only layouts
    whose values cannot be ISO 8601 (a digit first, not four) nor match the offset pattern:
    such a value would never reach the formats, so reading it here changes nothing but the
    speed (docs/metrics.md#date-formats)."""
    layouts: dict[str, Layout] = {}
    for fmt in formats if FAST_LAYOUTS else ():
        layout = layout_of(fmt)
        if layout is None:
            continue
        template = text_array([layout.template()])
        if not may_be_iso(template)[0] and not pc.match_substring_regex(template, _OFFSET)[0].as_py():
            layouts[fmt] = layout
    return Reads(strings, layouts)


def _text(strings: pa.Array | pa.ChunkedArray, rows: np.ndarray):
    """The values of some rows as a pandas Series of str (made only for the rows pandas reads)."""
    import pandas as pd  # heavy: only on the slow path (see the module docstring)

    return pd.Series(to_numpy(strings.take(as_indices(rows))), dtype=object)


def _distinct(strings: pa.Array | pa.ChunkedArray, rows: np.ndarray):
    """The distinct values of some rows (a pandas Series of str) and each row's position in it:
    pandas reads each value on its own, so a value repeated (`N/A` on most rows) is read once;
    Arrow finds them by hashing the bytes, with no Python string per row."""
    taken = strings.take(as_indices(rows))
    encoded = pc.dictionary_encode(taken.combine_chunks() if isinstance(taken, pa.ChunkedArray) else taken)
    return _text(encoded.dictionary, np.arange(len(encoded.dictionary))), integers(encoded.indices, -1, np.int32)


def _careful(strings: pa.Array | pa.ChunkedArray, input_tz: str, formats: tuple[str, ...]
             ) -> tuple[np.ndarray, np.ndarray, dict[str, int]]:
    """Naive, mixed or vendor-formatted values: values, unparseable mask, count per format.

    The rows a fixed layout reads skip the offset and ISO 8601 tests (they cannot pass them),
    and so do the values that cannot be ISO 8601 (pandas' parser needs four digits first, or
    reads year 0, outside nanoseconds); pandas tries a format only on the rows no layout
    proves it cannot read. pandas is imported only when some value needs it.
    """
    n = len(strings)
    present = to_numpy(strings.is_valid())
    reads = _fast_layouts(strings, formats)
    if (whole := _reads_every_value(strings, present, formats, reads)) is not None:
        local = reads.found[whole][1]
        local[~present] = NAT
        out = localize(local, input_tz)
        return out, present & (out == NAT), {whole: int(present.sum())}
    rest = present & ~reads.any
    has_offset = np.zeros(n, dtype=bool)
    if not reads.any.any():
        has_offset = to_numpy(pc.fill_null(pc.match_substring_regex(strings, _OFFSET), False))
    elif rest.any():
        rows = np.flatnonzero(rest)
        matches = pc.match_substring_regex(strings.take(as_indices(rows)), _OFFSET)
        has_offset[rows] = to_numpy(pc.fill_null(matches, False))
    maybe_iso = rest & may_be_iso(strings) if rest.any() else rest
    local = np.full(n, NAT, dtype=np.int64)
    naive = present & ~has_offset
    trying = naive & maybe_iso
    text, codes = _distinct(strings, np.flatnonzero(trying)) if trying.any() else (None, None)
    iso = _naive_ns(text) if trying.any() else None
    if trying.any() and iso is None:  # a zone the regex missed: sort those values one by one
        zoned = pa.array([value for value in text if isinstance(value, str) and _aware(value)], pa.string())
        has_offset |= trying & to_numpy(pc.fill_null(pc.is_in(strings, value_set=zoned), False))
        naive = present & ~has_offset
        trying = naive & maybe_iso
        text, codes = _distinct(strings, np.flatnonzero(trying)) if trying.any() else (None, None)
        iso = _naive_ns(text) if trying.any() else None
    if iso is not None:
        local[trying] = iso[codes]
    out = None  # made only for values with an offset: otherwise the placed local times are it
    used: dict[str, int] = {}
    absolute = present & has_offset
    if absolute.any():
        import pandas as pd  # heavy: only for the values that need it (see the module docstring)

        out = np.full(n, NAT, dtype=np.int64)
        text, codes = _distinct(strings, np.flatnonzero(absolute))
        out[absolute] = _ns(pd.to_datetime(text, format="ISO8601", utc=True, errors="coerce"))[codes]
        used[ISO_8601] = int((out[absolute] != NAT).sum())
    if naive.any():
        if (read := int((local[naive] != NAT).sum())):
            used[ISO_8601] = used.get(ISO_8601, 0) + read
        zoned_rows = _by_formats(strings, naive & (local == NAT), formats, reads, local, used)
        if zoned_rows.any():  # read by a format with %z: already absolute
            placed = np.where(zoned_rows, local, localize(np.where(zoned_rows, NAT, local), input_tz))
        else:  # the usual case, without the three full-length copies above (480 MB at 20M rows)
            placed = localize(local, input_tz)
        if out is None:
            out = placed  # local holds values only on the naive rows, so placed does too
        else:
            np.copyto(out, placed, where=naive)
    if out is None:
        out = np.full(n, NAT, dtype=np.int64)
    return out, present & (out == NAT), used


def _reads_every_value(strings: pa.Array | pa.ChunkedArray, present: np.ndarray, formats: tuple[str, ...],
                       reads: Reads) -> str | None:
    """The format whose layout read every value, when the ranking puts it first: the general
    path below would then give it every row and try nothing else (the usual vendor column),
    so its values are the answer as they are, without that path's full-length copies."""
    count = int(present.sum())
    complete = [fmt for fmt, (accepted, _ns) in reads.found.items() if int(accepted.sum()) == count]
    if not count or not complete:
        return None
    first = _ranked(strings, np.flatnonzero(present), formats, reads)[0]
    return first if first in complete else None


def _by_formats(strings: pa.Array | pa.ChunkedArray, left: np.ndarray, formats: tuple[str, ...], reads: Reads,
                local: np.ndarray, used: dict[str, int]) -> np.ndarray:
    """Read the `left` rows into `local` with the formats, the best first; count in `used`.
    Returns the rows a format with %z read (already absolute)."""
    zoned = np.zeros(len(left), dtype=bool)
    for fmt in _ranked(strings, np.flatnonzero(left), formats, reads) if left.any() else ():
        left = left & (local == NAT) & ~zoned
        if not left.any():
            break
        read = 0
        if fmt in reads.found:
            accepted, values = reads.found[fmt]
            took = left & accepted
            local[took] = values[took]
            read, left = int(took.sum()), left & ~accepted
        unreadable = reads.unreadable(fmt)
        tried = left if unreadable is None else left & ~unreadable  # the others: NaT from pandas too
        if tried.any():
            import pandas as pd  # heavy: only for the values that need it (see the module docstring)

            text, codes = _distinct(strings, np.flatnonzero(tried))
            try:
                parsed = pd.to_datetime(text, format=fmt, errors="coerce")
            except (ValueError, TypeError):  # e.g. mixed offsets under %z
                parsed = pd.to_datetime(text, format=fmt, errors="coerce", utc=True)
            local[tried] = _ns(parsed)[codes]
            if isinstance(parsed.dtype, pd.DatetimeTZDtype):
                zoned[tried] = local[tried] != NAT
            read += int((local[tried] != NAT).sum())
        if read:
            used[fmt] = read
    return zoned


def parse_numbers(strings: pa.ChunkedArray | pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Floats (NaN for empty) and the mask of cells that were not numbers."""
    present = to_numpy(strings.is_valid())
    try:
        # float, also for a column with no rows (to_numpy gives an empty column objects)
        values = to_numpy(pc.fill_null(pc.cast(strings, pa.float64()), np.nan)).astype(float, copy=False)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        import pandas as pd  # heavy: only on the slow path (see the module docstring)

        values = np.array(pd.to_numeric(pd.Series(to_numpy(strings), dtype=object), errors="coerce"), dtype=float)
    return values, present & np.isnan(values)


def iso(ns: int, tz: str) -> str:
    return datetime.fromtimestamp(ns / 1e9, tz=timezone.utc).astimezone(ZoneInfo(tz)).isoformat()
