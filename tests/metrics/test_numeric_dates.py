"""The day/month evidence read from each value's first bytes (cetool.metrics.dates) against the
regular expression it replaced, kept here as the oracle (docs/metrics.md#date-formats)."""

from __future__ import annotations

from unittest import mock

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cetool.metrics import dates, layouts
from cetool.metrics.dates import evidence, numeric_dates
from cetool.metrics.values import as_strings

# Two numeric fields then a year: the shape where day and month can be confused.
ORACLE = r"^\s*(?P<first>\d{1,2})[-/.](?P<second>\d{1,2})[-/.](?P<year>\d{2}|\d{4})(?:\D|$)"


def oracle(strings) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    parts = pc.extract_regex(strings, ORACLE)
    matched = np.asarray(parts.is_valid().to_pylist(), dtype=bool)
    first = pc.fill_null(pc.cast(pc.struct_field(parts, "first"), pa.int16()), 0).to_pylist()
    second = pc.fill_null(pc.cast(pc.struct_field(parts, "second"), pa.int16()), 0).to_pylist()
    return matched, np.asarray(first, dtype=np.int16), np.asarray(second, dtype=np.int16)


_PIECES = ["0", "1", "2", "9", "12", "13", "29", "31", "123", "2016", "16", "20160", "-", "/", ".", ":", " ",
           "\t", "T", "x", "é", "٣", "２", "\x00", "+01:00", "-2016", "/16 01:16", ".2016"]


@st.composite
def date_like(draw) -> str:
    return "".join(draw(st.lists(st.sampled_from(_PIECES), max_size=8)))


@st.composite
def columns(draw):
    cells = draw(st.lists(st.one_of(st.none(), date_like(), st.text(max_size=14)), min_size=1, max_size=30))
    cut = draw(st.integers(0, len(cells)))
    kind = draw(st.sampled_from([pa.string(), pa.large_string()]))
    return pa.chunked_array([pa.array(cells[:cut], kind), pa.array(cells[cut:], kind)], kind)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(columns())
def test_the_bytes_say_what_the_regular_expression_says(raw):
    strings = as_strings(raw)
    matched, first, second = numeric_dates(strings)
    expected_matched, expected_first, expected_second = oracle(strings)
    assert list(matched) == list(expected_matched)
    assert list(first) == list(expected_first)
    assert list(second) == list(expected_second)


def test_each_shape_of_a_numeric_date():
    cells = ["29-02-2016 01:16", "1/2/16", "01.13.2016", "1-2-2016x", "29-02-20161", "29-02-201", "2016-02-29",
             "123-01-2016", "1--2-2016", "29-02-16", " 3/4/2026 ", "29-02-2016é", None, ""]
    matched, first, second = numeric_dates(as_strings(pa.array(cells)))
    assert list(matched) == [True, True, True, True, False, False, False, False, False, True, True, True,
                             False, False]
    assert list(first[matched]) == [29, 1, 1, 1, 29, 3, 29]
    assert list(second[matched]) == [2, 2, 13, 2, 2, 4, 2]


def test_the_evidence_names_a_value_of_each_kind():
    seen = evidence({"opened_at": pa.chunked_array([pa.array(["01-02-2016 01:16", None, "29-02-2016 01:16"])]),
                     "closed_at": pa.array(["02-29-2016", "x"]),
                     "resolved_at": pa.array(["03-04-2016", "05-06-2016", "07-08-2016", "09-10-2016"])})
    assert seen.day_first == ("opened_at", "29-02-2016 01:16")
    assert seen.month_first == ("closed_at", "02-29-2016")
    assert seen.undecided == {"opened_at": ["01-02-2016 01:16"],
                              "resolved_at": ["03-04-2016", "05-06-2016", "07-08-2016"]}


def _reference_evidence(raw, looked_at: int) -> tuple:
    """The evidence of one column by its definition, from whole-column masks."""
    strings = as_strings(raw)
    matched, first, second = numeric_dates(strings)

    def examples(mask, limit):
        seen = []
        for row in np.flatnonzero(mask)[:looked_at]:
            value = strings[int(row)].as_py()
            if value not in seen:
                seen.append(value)
            if len(seen) == limit:
                break
        return seen

    day = examples(matched & (first > 12) & (second <= 12), 1)
    month = examples(matched & (second > 12) & (first <= 12), 1)
    return (day[0] if day else None, month[0] if month else None, examples(matched & (first <= 12) & (second <= 12), 3))


@st.composite
def long_columns(draw):
    """Columns of several chunks, values of several lengths and nulls, with the telling values
    anywhere: the evidence looks slice by slice and stops looking for a kind once found."""
    pool = ["01-02-2016 01:16", "29-02-2016 01:16", "02-29-2016 01:16", "1/2/16", "13.01.2016", "01.13.2016",
            "03-04-2016", "05-06-2016", "07-08-2016", "x", "", None, "2016-02-29"]
    cells = draw(st.lists(st.one_of(st.sampled_from(pool), date_like()), min_size=1, max_size=200))
    cuts = sorted(draw(st.lists(st.integers(0, len(cells)), max_size=4)))
    bounds = [0, *cuts, len(cells)]
    return pa.chunked_array([pa.array(cells[a:b], pa.string()) for a, b in zip(bounds, bounds[1:])], pa.string())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(long_columns(), st.sampled_from([1, 3, 64]), st.sampled_from([60, 4]))
def test_the_evidence_slice_by_slice_is_the_evidence_by_definition(raw, rows_per_slice, looked_at):
    with mock.patch.object(layouts, "_SLICE", rows_per_slice), mock.patch.object(dates, "_LOOKED_AT", looked_at):
        seen = evidence({"c": raw})
        expected = _reference_evidence(raw, looked_at)
    assert (seen.day_first[1] if seen.day_first else None) == expected[0]
    assert (seen.month_first[1] if seen.month_first else None) == expected[1]
    assert seen.undecided.get("c", []) == expected[2]


def test_the_first_telling_value_is_found_whatever_its_length():
    """A slice's values are looked at a length at a time, shortest first: an earlier row of a
    longer value must still win."""
    raw = pa.chunked_array([pa.array(["x", "29-02-2016 01:16", "13.01.2016", "02-29-2016 01:16", "01.13.2016",
                                      "01-02-2016 01:16", "03.04.16", "05.06.16", "07.08.16", "09.10.16"])])
    with mock.patch.object(dates, "_LOOKED_AT", 4):
        seen = evidence({"c": raw})
    assert seen.day_first == ("c", "29-02-2016 01:16")
    assert seen.month_first == ("c", "02-29-2016 01:16")
    assert seen.undecided == {"c": ["01-02-2016 01:16", "03.04.16", "05.06.16"]}
    assert _reference_evidence(raw, 4) == ("29-02-2016 01:16", "02-29-2016 01:16", seen.undecided["c"])
