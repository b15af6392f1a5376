"""Timestamps in a fixed layout (`29-02-2016 01:16` under `%d-%m-%Y %H:%M`) read straight from
the bytes of an Arrow string column with numpy (docs/metrics.md#date-formats).

pandas reads a vendor format one value at a time (about 3 s per million values); here each
byte position of the layout is one numpy pass over the rows, and no Python object is made per
row. Only a value with the format's exact layout is read: its length, its literal characters,
an ASCII digit at every digit of a field, every field in range, a day that exists in its month
and a year in 1678..2261 (inside the range of nanoseconds). Any other value (unpadded
`1-2-2026 3:04`, `31-02-2016`, `24:00`, a second of 60, which pandas rolls over) is left to the
caller's pandas path, so a column reads exactly as pandas alone reads it; the contract is
tested in tests/metrics/test_layouts.py. Arrow's own strptime is not used: it reads 31-02 as
2 March where pandas rejects it.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pyarrow as pa

from cetool.metrics.formats import DEFAULTS, FIELDS, NAMES, Layout, could_read

_ZERO = ord("0")
_DAYS_IN_MONTH = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)
_NS_PER_SECOND = 1_000_000_000


def bits(buffer: pa.Buffer, offset: int, length: int) -> np.ndarray:
    """An Arrow bitmap as numpy bools (pyarrow's own conversion imports pandas)."""
    first, last = offset // 8, (offset + length + 7) // 8
    unpacked = np.unpackbits(np.frombuffer(buffer, dtype=np.uint8)[first:last], bitorder="little")
    start = offset - first * 8
    return unpacked[start:start + length].view(bool)


def valid_mask(chunk: pa.Array) -> np.ndarray | None:
    """Where the chunk has a value; None when it has no nulls."""
    if not chunk.null_count:
        return None
    return bits(chunk.buffers()[0], chunk.offset, len(chunk))


def text_array(texts: list[str]) -> pa.Array:
    """A string array made from its buffers: `pa.array` of a list imports pandas (0.3 s), which
    a column the layouts read in full never needs."""
    data = [text.encode() for text in texts]
    offsets = np.cumsum([0] + [len(item) for item in data], dtype=np.int32)
    return pa.StringArray.from_buffers(len(data), pa.py_buffer(offsets), pa.py_buffer(b"".join(data)))


_SLICE = 1 << 20  # rows looked at together: bounds the bytes gathered at once


class _Slice:
    """The bytes of some rows of one chunk (offsets and data as numpy), with the byte at each
    position of the rows of one length gathered once and shared by the formats."""

    def __init__(self, chunk: pa.Array) -> None:
        n = len(chunk)
        width = 8 if pa.types.is_large_string(chunk.type) else 4
        offsets = np.frombuffer(chunk.buffers()[1], dtype=np.dtype(f"<i{width}"), count=n + 1,
                                offset=chunk.offset * width).astype(np.int64)
        data = chunk.buffers()[2]
        self.data = np.frombuffer(data, dtype=np.uint8) if data is not None and data.size else np.zeros(1, np.uint8)
        self.starts, self.lengths = offsets[:-1], np.diff(offsets)
        valid = valid_mask(chunk)
        if valid is not None:
            self.lengths[~valid] = -1  # a null matches no length
        self._of_length: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray | None]] = {}
        self._bytes: dict[tuple[int, int], np.ndarray] = {}

    def of_length(self, length: int) -> np.ndarray:
        """The rows whose value has exactly `length` bytes."""
        if length not in self._of_length:
            rows = np.flatnonzero(self.lengths == length)
            starts = self.starts[rows]
            self._of_length[length] = rows, starts, self._block(starts, length)
        return self._of_length[length][0]

    def _block(self, starts: np.ndarray, length: int) -> np.ndarray | None:
        """Values of `length` bytes starting at `starts` as a (rows, length) matrix when they lie
        end to end (the usual column: nulls take no bytes), else None."""
        if len(starts) and starts[-1] - starts[0] == (len(starts) - 1) * length:
            return self.data[starts[0]:starts[0] + len(starts) * length].reshape(len(starts), length)
        return None

    def at(self, length: int, position: int) -> np.ndarray:
        """The byte at `position` of each value of `length` bytes."""
        if (length, position) not in self._bytes:
            self.of_length(length)
            _rows, starts, block = self._of_length[length]
            self._bytes[length, position] = block[:, position] if block is not None else self.data[starts + position]
        return self._bytes[length, position]

    def groups(self, shortest: int = 1) -> Iterator[tuple[int, np.ndarray | slice, np.ndarray, np.ndarray | None]]:
        """(length, rows, their starts, their bytes as a matrix or None) of the values of each
        length from `shortest` on; rows is slice(None) when every row has that length."""
        low, high = self.lengths.min(initial=0), self.lengths.max(initial=0)
        if low == high:  # one length: every row at once, no row numbers to gather or scatter
            if low >= shortest:
                yield int(low), slice(None), self.starts, self._block(self.starts, int(low))
            return
        counts = np.bincount(np.maximum(self.lengths, 0))
        for length in (np.flatnonzero(counts[shortest:]) + shortest).tolist():
            rows = self.of_length(length)
            yield length, rows, *self._of_length[length][1:]

    def heads(self, width: int, shortest: int) -> Iterator[tuple[int, np.ndarray | slice, np.ndarray]]:
        """(length, rows, their first `width` bytes as a contiguous (width, rows) array, 0 past a
        value's end) for the values of at least `shortest` bytes, a length at a time."""
        for length, rows, starts, block in self.groups(shortest):
            head = np.zeros((width, len(starts)), dtype=np.uint8)
            kept = min(width, length)
            if block is not None:
                head[:kept] = block[:, :kept].T
            else:
                for position in range(kept):
                    head[position] = self.data[starts + position]
            yield length, rows, head

    def edges(self) -> Iterator[np.ndarray]:
        """The first and the last byte of the values of each length (not of nulls, nor of
        empty values)."""
        for length, _rows, starts, block in self.groups():
            if block is not None:
                yield block[:, 0]
                yield block[:, length - 1]
            else:
                yield self.data[starts]
                yield self.data[starts + (length - 1)]


def _slices(strings: pa.ChunkedArray | pa.Array) -> Iterator[tuple[int, _Slice]]:
    """(first row, bytes) of the column's rows, a slice at a time."""
    chunks = strings.chunks if isinstance(strings, pa.ChunkedArray) else [strings]
    base = 0
    for chunk in chunks:
        for start in range(0, len(chunk), _SLICE):
            yield base + start, _Slice(chunk.slice(start, _SLICE))
        base += len(chunk)


def heads(strings: pa.ChunkedArray | pa.Array, width: int, shortest: int
          ) -> Iterator[tuple[int, np.ndarray | slice, np.ndarray]]:
    """(first row of a slice, rows within it, their first `width` bytes as (width, rows), 0 past
    a value's end) for every value of at least `shortest` bytes; nulls and shorter values are
    left out."""
    for base, part in _slices(strings):
        for _length, rows, head in part.heads(width, shortest):
            yield base, rows, head


def may_need_trim(strings: pa.ChunkedArray | pa.Array) -> bool:
    """Whether some value is empty or starts or ends with a byte that may be white space (ASCII
    32 or below, DEL, or any byte of a non-ASCII character): else trimming changes nothing."""
    for _base, part in _slices(strings):
        if (part.lengths == 0).any():
            return True
        # 33..126 is the one range that needs no trim: below 33 wraps round past 93 too
        if any(((edge - np.uint8(33)) > 93).any() for edge in part.edges()):
            return True
    return False


_PROBES = 16  # values looked at before Arrow's ISO 8601 casts are tried on a whole column


def proves_not_iso(raw: pa.Array | pa.ChunkedArray) -> bool:
    """Whether a few values show that Arrow's ISO 8601 casts must fail on the column: they need
    four digits first (`YYYY-MM-DD`), so one value without them (`29-02-2016 01:16`, ` 2016`)
    fails the whole cast, and trying it costs a pass over every value first."""
    for row in np.linspace(0, len(raw) - 1, min(_PROBES, len(raw))).astype(np.int64):  # steps >= 1: distinct
        value = raw[int(row)].as_py()
        if value is not None and not (value[:4].isascii() and value[:4].isdigit() and len(value) >= 4):
            return True
    return False


def may_be_iso(strings: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """False where pandas' ISO 8601 parser cannot read a value: one starting with a digit but
    not with four reads year 0 at best, outside nanoseconds, so it is NaT either way."""
    out = np.ones(len(strings), dtype=bool)  # a null or an empty value: no digit first
    for base, within, first in heads(strings, 4, 1):
        digits = first - np.uint8(_ZERO) <= 9
        out[slice(base, base + first.shape[1]) if isinstance(within, slice) else base + within] = (
            ~(digits[0] & ~digits.all(axis=0)))
    return out


def days_from_civil(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 of proleptic Gregorian dates (H. Hinnant's `days_from_civil`,
    https://howardhinnant.github.io/date_algorithms.html), for years >= 1."""
    year = year - (month <= 2)
    era = year // 400
    year_of_era = year - era * 400
    day_of_year = (153 * np.where(month > 2, month - 3, month + 9) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146097 + day_of_era - 719468


def _is_leap(year: np.ndarray) -> np.ndarray:
    return (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))


_YEARS = np.arange(FIELDS["Y"][1], FIELDS["Y"][2] + 1)
# Per year read, from the first: whether it is a leap year, and the days from 1970 to its 1 January.
_LEAP = _is_leap(_YEARS)
_NEW_YEAR = days_from_civil(_YEARS, np.ones_like(_YEARS), np.ones_like(_YEARS))
_BEFORE_MONTH = np.concatenate([[0, 0], np.cumsum(_DAYS_IN_MONTH[1:-1])])  # days before month m, not leap


def _name_table(names: tuple[str, ...]) -> np.ndarray:
    """Each name's value (1, 2, ...) at the number its letters spell in base 26 (a = 0), 0 at
    every other number."""
    table = np.zeros(26 ** len(names[0]), dtype=np.int32)
    for value, name in enumerate(names, start=1):
        number = 0
        for letter in name:
            number = number * 26 + ord(letter) - ord("a")
        table[number] = value
    return table


_NAME_TABLES = {directive: _name_table(names) for directive, names in NAMES.items()}


def _name(column: list[np.ndarray], directive: str, start: int) -> tuple[np.ndarray, np.ndarray]:
    """Whether the bytes from `start` spell one of the directive's names, ignoring ASCII case,
    and its value (1..12 for a month; 1 AM, 2 PM)."""
    ok, number = None, None
    for position in range(start, start + len(NAMES[directive][0])):
        letter = (column[position] | np.uint8(0x20)) - np.uint8(ord("a"))  # the only bytes folded to a..z
        fits = letter <= 25  # are A..Z and a..z: anything else wraps past 25
        ok = fits if ok is None else ok & fits
        number = letter.astype(np.int32) if number is None else number * 26 + letter
    value = np.take(_NAME_TABLES[directive], number, mode="clip")
    return ok & (value > 0), value


def _read_rows(column: list[np.ndarray], layout: Layout) -> tuple[np.ndarray, np.ndarray]:
    """Which rows (their bytes: column[position]) hold the layout, and their naive ns. A
    rejected row's fields may be anything: the tables are read with mode="clip"."""
    ok = np.ones(len(column[0]), dtype=bool)
    for position, byte in layout.literals:
        ok &= column[position] == byte
    values: dict[str, np.ndarray] = {}
    for directive, start in layout.fields:
        if directive in NAMES:
            spelled, values[directive] = _name(column, directive, start)
            ok &= spelled
            continue
        width, low, high = FIELDS[directive]
        value = None
        for position in range(start, start + width):
            digit = column[position] - np.uint8(_ZERO)  # wraps round below '0': one test for both ends
            ok &= digit <= 9
            value = digit.astype(np.int32) if value is None else value * 10 + digit
        ok &= (value - low).view(np.uint32) <= high - low  # below `low` wraps round too
        values[directive] = value
    if "y" in values:  # strptime's pivot: 69-99 are 1969-1999, 00-68 are 2000-2068
        values["Y"] = np.where(values["y"] <= 68, 2000, 1900) + values["y"]
    if "b" in values:
        values["m"] = values["b"]
    if "I" in values:  # 12 AM is midnight, 12 PM noon; without %p, as AM
        values["H"] = values["I"] % 12 + (np.where(values["p"] == 2, 12, 0) if "p" in values else 0)
    year = values.get("Y", 1900) - _YEARS[0]
    month, day = values.get("m", DEFAULTS["m"]), values.get("d", DEFAULTS["d"])
    leap = np.take(_LEAP, year, mode="clip")
    ok &= day <= np.take(_DAYS_IN_MONTH, month, mode="clip") + (leap & (month == 2))
    days = (np.take(_NEW_YEAR, year, mode="clip") + np.take(_BEFORE_MONTH, month, mode="clip")
            + (leap & (month > 2)) + (day - 1))
    clock = (values.get("H", 0) * 60 + values.get("M", 0)) * 60 + values.get("S", 0)
    return ok, (days * 86400 + clock) * _NS_PER_SECOND


def read_layouts(strings: pa.ChunkedArray | pa.Array, layouts: dict[str, Layout]
                 ) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per format that reads some value, the rows whose value has its layout (a mask over all
    rows) and their naive int64 ns (meaningful only where the mask is set)."""
    n = len(strings)
    found: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # only the formats that read a value: at
    # 20M rows each pair is 180 MB, and of a mapping's formats one or two read the column
    for base, part in _slices(strings):
        for fmt, layout in layouts.items():
            rows = part.of_length(layout.length)
            # the cheap test first: most formats fail on their first literal
            if not len(rows) or any(not (part.at(layout.length, position) == byte).any()
                                    for position, byte in layout.literals[:1]):
                continue
            ok, values = _read_rows([part.at(layout.length, p) for p in range(layout.length)], layout)
            if not ok.any():
                continue
            if fmt not in found:
                found[fmt] = (np.zeros(n, dtype=bool), np.zeros(n, dtype=np.int64))
            accepted, ns = found[fmt]
            accepted[base + rows[ok]] = True
            ns[base + rows[ok]] = values[ok]
    return found


class Reads:
    """What the fixed layouts read of one column (per format: rows and naive ns), and what that
    proves about the formats pandas would try on the same rows."""

    def __init__(self, strings: pa.ChunkedArray | pa.Array, layouts: dict[str, Layout]) -> None:
        self.layouts = layouts
        self.found = read_layouts(strings, layouts) if layouts else {}
        self.any = np.zeros(len(strings), dtype=bool)
        for accepted, _values in self.found.values():
            self.any |= accepted
        self._unreadable: dict[str, np.ndarray | None] = {}

    def unreadable(self, fmt: str) -> np.ndarray | None:
        """The rows pandas cannot read with `fmt` (None: none known): they have the layout of
        another format, one that `fmt` could not read."""
        if fmt not in self._unreadable:
            proven = None
            for other, layout in self.layouts.items():
                if other != fmt and other in self.found and not could_read(fmt, layout):
                    accepted = self.found[other][0]
                    proven = accepted if proven is None else proven | accepted
            self._unreadable[fmt] = proven
        return self._unreadable[fmt]

    def scores(self, rows: np.ndarray, formats: tuple[str, ...]) -> dict[str, int] | None:
        """How many of `rows` pandas reads with each format, when the layouts settle it for
        every row and format; else None."""
        scores = {}
        for fmt in formats:
            read = self.found[fmt][0][rows] if fmt in self.found else np.zeros(len(rows), dtype=bool)
            unreadable = self.unreadable(fmt)
            if not (read | (False if unreadable is None else unreadable[rows])).all():
                return None
            scores[fmt] = int(read.sum())
        return scores
