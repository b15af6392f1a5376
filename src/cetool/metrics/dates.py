"""Day and month order, settled once for a whole export (docs/metrics.md#date-formats).

An instance writes every date in one format, so the order of day and month is a property of the
file, not of a cell: a value whose first field is over 12 (`29-02-2016`) can only be day-first,
one whose second field is over 12 (`02-29-2016`) only month-first. The values of all the file's
timestamp columns are looked at together. When none settles the order and the mapping's formats
allow both, the mapping's `date_order` (or `--date-order`) decides; without it the run stops
rather than guess, because a wrong guess silently moves tickets between weeks.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from cetool.core.errors import CetoolError
from cetool.core.parallel import each
from cetool.metrics.layouts import heads
from cetool.metrics.values import as_strings

ORDERS = ("dmy", "mdy")
ORDER_WORDS = {"dmy": "day first (dd-mm-yyyy)", "mdy": "month first (mm-dd-yyyy)"}
# Two numeric fields then a year, `\d{1,2}[-/.]\d{1,2}[-/.](\d{2}|\d{4})` and no digit after:
# the only shape where day and month can be confused. Read from each value's first bytes.
_PREFIX = 11  # 2 digits, separator, 2 digits, separator, 4 digits, the byte after
_SHORTEST = 6  # `1-2-26`
EXAMPLES = 3
_LOOKED_AT = EXAMPLES * 20  # rows that fit both orders the examples are picked from
_NONE = np.iinfo(np.int64).max  # no row found (yet): above every row number


def format_order(fmt: str) -> str | None:
    """The order a strptime format reads: 'dmy', 'mdy', or None when it cannot confuse them
    (a month name, `%b`; the year first, `%Y-%m-%d`; no day or no month)."""
    day, month = fmt.find("%d"), fmt.find("%m")
    if day < 0 or month < 0:
        return None
    years = [position for position in (fmt.find("%Y"), fmt.find("%y")) if position >= 0]
    if years and min(years) < min(day, month):
        return None
    return "dmy" if day < month else "mdy"


def formats_for(formats: tuple[str, ...], order: str | None) -> tuple[str, ...]:
    """The formats that may be used once the order is `order` (None: not settled, all)."""
    return tuple(f for f in formats if order is None or format_order(f) in (None, order))


@dataclass
class Evidence:
    """What the values say about the order: an example of each kind, per column."""

    day_first: tuple[str, str] | None = None  # (column, value) whose first field is over 12
    month_first: tuple[str, str] | None = None  # (column, value) whose second field is over 12
    undecided: dict[str, list[str]] | None = None  # column -> example values that fit both orders


def numeric_date_groups(strings: pa.ChunkedArray | pa.Array
                        ) -> Iterator[tuple[int, np.ndarray | slice, np.ndarray, np.ndarray, np.ndarray]]:
    """For the values of one length in one slice of rows at a time: the slice's first row, the
    rows within it (`layouts.heads`), where a (trimmed) value starts with a numeric date, and its
    first and second fields (int16, 0 elsewhere): a few numpy passes over the first eleven
    bytes, no regex per value."""
    for base, within, head in heads(strings, _PREFIX, _SHORTEST):
        digit = head - np.uint8(ord("0")) <= 9  # below '0' wraps round: one test for both ends
        separator = head - np.uint8(ord("-")) <= 2  # '-', '.' and '/' are consecutive in ASCII
        value = head[:5].astype(np.int16) - ord("0")  # the fields end by the fifth byte
        count = head.shape[1]
        matched = np.zeros(count, dtype=bool)
        first, second = np.zeros(count, dtype=np.int16), np.zeros(count, dtype=np.int16)
        # each field is one digit or two, then a separator: four ways to place the year
        # a way whose separators appear in no row of the slice cannot match: an export writes
        # one form, so usually three of the four are skipped after one look at a byte position
        for first_width in (1, 2):
            if not separator[first_width].any():
                continue
            first_found = digit[0] & (digit[1] if first_width == 2 else True) & separator[first_width]
            for second_width in (1, 2):
                at = first_width + 1  # where the second field starts
                year = at + second_width + 1
                if not separator[at + second_width].any():
                    continue
                found = (first_found & digit[at] & (digit[at + 1] if second_width == 2 else True)
                         & separator[at + second_width] & digit[year] & digit[year + 1]
                         & (~digit[year + 2] | (digit[year + 3] & ~digit[year + 4])))
                if not found.any():
                    continue
                matched |= found
                first = np.where(found, value[0] * 10 + value[1] if first_width == 2 else value[0], first)
                second = np.where(found, value[at] * 10 + value[at + 1] if second_width == 2 else value[at], second)
        yield base, within, matched, first, second


def numeric_dates(strings: pa.ChunkedArray | pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`numeric_date_groups` as whole columns: per row, matched, first and second field."""
    n = len(strings)
    matched, first, second = np.zeros(n, dtype=bool), np.zeros(n, dtype=np.int16), np.zeros(n, dtype=np.int16)
    for base, within, matched_here, first_here, second_here in numeric_date_groups(strings):
        rows = slice(base, base + len(matched_here)) if isinstance(within, slice) else base + within
        matched[rows], first[rows], second[rows] = matched_here, first_here, second_here
    return matched, first, second


def _part_evidence(raw: pa.ChunkedArray | pa.Array) -> tuple[str | None, str | None, list[str]]:
    """Of some rows of a column: the first value that can only be day first, the first that can
    only be month first, and the first _LOOKED_AT that fit both orders (in row order). A kind
    found in an earlier slice of rows is not looked for again."""
    strings = as_strings(raw)
    day_first, month_first = _NONE, _NONE  # row numbers
    both = np.zeros(0, dtype=np.int64)  # the first rows that fit both orders, in order
    for base, within, matched, first, second in numeric_date_groups(strings):
        if not matched.any():
            continue

        def first_rows(mask: np.ndarray, limit: int) -> np.ndarray:
            found = np.flatnonzero(mask)[:limit]
            return base + (found if isinstance(within, slice) else within[found])

        if day_first >= base:
            day_first = min([day_first, *first_rows(matched & (first > 12) & (second <= 12), 1).tolist()])
        if month_first >= base:
            month_first = min([month_first, *first_rows(matched & (second > 12) & (first <= 12), 1).tolist()])
        if len(both) < _LOOKED_AT or both[-1] >= base:
            rows = first_rows(matched & (first <= 12) & (second <= 12), _LOOKED_AT)
            both = np.sort(np.concatenate([both, rows]))[:_LOOKED_AT]
    value_at = (lambda row: None if row == _NONE else strings[row].as_py())
    return value_at(day_first), value_at(month_first), [strings[row].as_py() for row in both.tolist()]


def _halves(raw: pa.ChunkedArray | pa.Array) -> list[pa.ChunkedArray | pa.Array]:
    """A column cut in two (no copy), so that three columns keep two cores busy to the end."""
    middle = len(raw) // 2
    return [raw.slice(0, middle), raw.slice(middle)] if middle else [raw]


def evidence(columns: dict[str, pa.ChunkedArray | pa.Array]) -> Evidence:
    """Look at every value of the text timestamp columns (header -> cells) at once, half a
    column per core at a time."""
    found = Evidence(undecided={})
    parts = [(header, part) for header, raw in columns.items()
             if not pa.types.is_timestamp(raw.type) and raw.null_count < len(raw) for part in _halves(raw)]
    both_orders: dict[str, list[str]] = {}
    for (header, _part), (day_first, month_first, both) in zip(parts, each(_part_evidence, [p for _h, p in parts])):
        if found.day_first is None and day_first is not None:
            found.day_first = (header, day_first)
        if found.month_first is None and month_first is not None:
            found.month_first = (header, month_first)
        both_orders[header] = (both_orders.get(header, []) + both)[:_LOOKED_AT]
    for header, values in both_orders.items():
        examples = list(dict.fromkeys(values))[:EXAMPLES]  # distinct, in order
        if examples:
            found.undecided[header] = examples
    return found


def settle_order(columns: dict[str, pa.ChunkedArray | pa.Array], formats: tuple[str, ...],
                 date_order: str | None, source: str, display: str) -> tuple[str | None, str]:
    """The order the export is read with, and how it was settled (for the run facts).

    `source` says where `date_order` came from ("--date-order" or "the mapping's date_order").
    Raises CetoolError (exit 2) when the values settle both orders, contradict `date_order`, or
    settle nothing while the formats allow both and no `date_order` is given.
    """
    orders = {format_order(f) for f in formats} - {None}
    if len(orders) < 2:  # the formats themselves leave no choice
        only = next(iter(orders), None)
        return only, ("the mapping's formats" if only else "not needed")
    seen = evidence(columns)
    if seen.day_first and seen.month_first:
        (c1, v1), (c2, v2) = seen.day_first, seen.month_first
        raise CetoolError(
            f"{display}: the dates contradict each other: {v1!r} in {c1!r} can only be day first, "
            f"{v2!r} in {c2!r} only month first; one export has one date format, so check that these "
            "columns come from the same export (or fix the odd values)")
    settled = "dmy" if seen.day_first else "mdy" if seen.month_first else None
    if settled and date_order and settled != date_order:
        column, value = seen.day_first or seen.month_first
        raise CetoolError(
            f"{display}: {source} says {date_order} ({ORDER_WORDS[date_order]}), but {value!r} in "
            f"{column!r} can only be {ORDER_WORDS[settled]}; remove the setting or correct it to {settled}")
    if settled:
        column, value = seen.day_first or seen.month_first
        return settled, f"the data ({value!r} in {column!r})"
    if date_order:
        return date_order, source
    if not seen.undecided:
        return None, "not needed"
    names = ", ".join(repr(c) for c in seen.undecided)
    examples = [v for values in seen.undecided.values() for v in values][:EXAMPLES]
    raise CetoolError(
        f"{display}: cannot tell day from month in the dates of {names}: every value fits both orders "
        f"(e.g. {', '.join(repr(v) for v in examples)}); say which with --date-order dmy (day first, "
        "as 03-02-2026 for 3 February) or --date-order mdy (month first), or put `date_order: dmy` "
        "(or mdy) in a mapping file (docs/metrics.md#date-formats)")
