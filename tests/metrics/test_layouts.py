"""Fixed-layout timestamps read from Arrow's bytes (cetool.metrics.layouts) against pandas.

The contract (docs/metrics.md#date-formats): whatever a layout reads, pandas reads with the same
instant under the same format, and a column reads exactly the same with the layouts as with
pandas alone. The shortcuts that skip pandas' and Arrow's ISO 8601 attempts are held to what
those parsers do on the values they skip.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timezone
from unittest import mock

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cetool.metrics import values
from cetool.metrics.formats import could_read, layout_of
from cetool.metrics.layouts import days_from_civil, may_be_iso, proves_not_iso, read_layouts
from cetool.metrics.values import NAT, read_timestamps

FORMATS = ["%d-%m-%Y %H:%M", "%d-%m-%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%d.%m.%Y %H:%M:%S", "%d/%m/%y %H:%M",
           "%m-%d-%y", "%d%m%Y%H%M%S", "%H:%M %d-%m-%Y", "%d-%m-%Y %H-%M", "%Y%m%d %H%M", "%d-%m-%YT%H:%M:%S",
           "%d %m %Y", "%m-%Y", "%d-%m-%Y %H:%M %%", "%y%m%d", "%Y-%m-%d %H:%M"]
_WIDTH = {"d": 2, "m": 2, "Y": 4, "y": 2, "H": 2, "M": 2, "S": 2, "I": 2}
# what a name field may hold: names in any case, near misses, other lengths, non-ASCII
_NAMES = {"b": ["Jan", "jan", "JAN", "jAn", "Feb", "Sep", "sep", "Dec", "Nov", "May", "Jun", "Jul", "Aug", "Oct",
                "Mar", "Apr", "Foo", "Sex", "Jna", "ja1", "J@n", "J[n", "Sept", "Ja", "ſep", "Ｊan", "jaN"],
          "p": ["AM", "PM", "am", "pm", "Am", "pM", "XM", "A.", "AMM", "P", "ａm", "@M", "P[", "{m"]}
# what a value may hold instead: the bytes either side of the digits ('/' and ':') included
_ODD = ["", " ", "\t", "x", "é", "２", "٣", "-", "/", ":", ";", "0", "9", "\x00", "Z", "+01:00", "😀"]


@st.composite
def generated_format(draw) -> str:
    """A format of numeric fields (each at most once) and literal characters."""
    directives = draw(st.lists(st.sampled_from(sorted(_WIDTH) + sorted(_NAMES)), min_size=1, max_size=6, unique=True)
                      .filter(lambda chosen: not any(set(pair) <= set(chosen) for pair in ("Yy", "mb", "HI"))
                              and ("p" not in chosen or "I" in chosen)))
    parts = []
    for directive in directives:
        parts.append(draw(st.sampled_from(["", "", "-", "/", ".", ":", " ", "T", "  ", "%%"])))
        parts.append(f"%{directive}")
    return "".join(parts) + draw(st.sampled_from(["", "", " ", "Z", "%%"]))


@st.composite
def near(draw, fmt: str) -> str:
    """A value shaped like `fmt` (fields in range or not), sometimes damaged."""
    out, index = [], 0
    while index < len(fmt):
        if fmt[index] == "%":
            directive = fmt[index + 1]
            index += 2
            if directive == "%":
                out.append("%")
                continue
            if directive in _NAMES:
                out.append(draw(st.sampled_from(_NAMES[directive])))
                continue
            width = _WIDTH[directive]
            number = draw(st.one_of(st.integers(0, 10 ** width - 1),
                                    st.sampled_from([0, 1, 12, 13, 23, 24, 28, 29, 30, 31, 32, 59, 60, 61, 68, 69,
                                                     1677, 1678, 1900, 1969, 2000, 2016, 2100, 2261, 2262, 9999])))
            text = str(number).zfill(width)[-width:]
            out.append(draw(st.sampled_from([text, text, text, text.lstrip("0") or "0", " " + text[1:]])))
        else:
            out.append(fmt[index])
            index += 1
    value = "".join(out)
    for _ in range(draw(st.integers(0, 2))):
        where = draw(st.integers(0, len(value)))
        value = value[:where] + draw(st.sampled_from(_ODD)) + value[where + draw(st.integers(0, 1)):]
    return value


def _pandas(value: str, fmt: str):
    return pd.to_datetime(pd.Series([value], dtype=object), format=fmt, errors="coerce")[0]


def _read(column, layouts, fmt: str) -> tuple[np.ndarray, np.ndarray]:
    """What the layout of `fmt` read: read_layouts lists only the formats that read a value."""
    nothing = (np.zeros(len(column), dtype=bool), np.zeros(len(column), dtype=np.int64))
    return read_layouts(column, layouts).get(fmt, nothing)


def _check_against_pandas(fmt: str, cells: list[str]) -> int:
    layout = layout_of(fmt)
    assert layout is not None, fmt
    accepted, ns = _read(pa.array(cells, pa.string()), {fmt: layout}, fmt)
    for value, took, instant in zip(cells, accepted, ns):
        if took:
            expected = _pandas(value, fmt)
            assert expected is not pd.NaT, (fmt, value)
            assert expected.as_unit("ns").value == instant, (fmt, value)
    return int(accepted.sum())


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_whatever_a_layout_reads_pandas_reads_as_the_same_instant(data):
    fmt = data.draw(st.one_of(st.sampled_from(FORMATS), generated_format()))
    cells = data.draw(st.lists(st.one_of(near(fmt), st.text(max_size=24)), min_size=1, max_size=20))
    _check_against_pandas(fmt, cells)


def test_the_layouts_read_what_they_are_for():
    """Not a contract test that passes by reading nothing: the usual values are read."""
    cells = ["29-02-2016 01:16", "01-01-1969 00:00", "31-12-2099 23:59", "15-07-2026 12:30"]
    assert _check_against_pandas("%d-%m-%Y %H:%M", cells) == 4
    assert _check_against_pandas("%d/%m/%y %H:%M", ["29/02/16 01:16", "01/01/68 00:00", "01/01/69 00:00"]) == 3
    assert _check_against_pandas("%d%m%Y%H%M%S", ["29022016011659"]) == 1
    assert _check_against_pandas("%m-%Y", ["02-2016"]) == 1
    jira = ["18/Nov/25 10:35 AM", "18/nov/25 12:30 am", "18/NOV/25 12:30 PM", "29/Feb/16 01:30 pM",
            "31/Dec/99 11:59 PM"]
    assert _check_against_pandas("%d/%b/%y %I:%M %p", jira) == 5
    assert _check_against_pandas("%d/%b/%Y %I:%M", ["18/Sep/2025 12:05"]) == 1  # without %p, as AM


@pytest.mark.parametrize("value", [
    "31-02-2016 01:16",  # no 31 February (Arrow's strptime would say 2 March)
    "29-02-2015 01:16",  # not a leap year
    "29-02-1900 01:16",  # a century, not a leap year
    "30-02-2000 01:16",
    "00-01-2016 01:16", "01-00-2016 01:16", "01-13-2016 01:16", "32-01-2016 01:16",
    "01-01-2016 24:00", "01-01-2016 23:60",
    "1-2-2016 3:04", " 1-02-2016 01:16", "01-02-2016  1:16",  # unpadded: pandas' business
    "01-01-1677 00:00", "01-01-2262 00:00", "01-01-9999 00:00",  # outside nanoseconds
    "01-01-2016 01:1:", "0/-01-2016 01:16", "01-01-2016 0:16",  # the bytes either side of the digits
    "２９-02-2016 01:16", "29-02-2016 01:16\x00"[:16].replace("6", "é", 1), "29/02/2016 01:16", "29-02-2016T01:16",
])
def test_a_layout_leaves_to_pandas_what_it_does_not_read_exactly(value):
    accepted, _ns = _read(pa.array([value]), {"f": layout_of("%d-%m-%Y %H:%M")}, "f")
    assert not accepted[0]


@pytest.mark.parametrize("value", [
    "18/Nov/25 10:35 XM", "18/Nov/25 10:35 A.", "18/Foo/25 10:35 AM", "18/I[n/25 10:35 AM", "18/i{n/25 10:35 AM",
    "18/Nov/25 00:35 AM", "18/Nov/25 13:35 PM", "18/Ｎov/25 1:35 AM", "30/Feb/16 01:30 PM", "18/Nov/25 10:35 `m",
])
def test_a_name_layout_leaves_to_pandas_what_it_does_not_read_exactly(value):
    accepted, _ns = _read(pa.array([value]), {"f": layout_of("%d/%b/%y %I:%M %p")}, "f")
    assert not accepted[0]
    assert _pandas(value, "%d/%b/%y %I:%M %p") is pd.NaT or len(value.encode()) != 18


def test_leap_days_and_the_two_digit_year_pivot():
    found = read_layouts(pa.array(["29-02-2000", "29-02-2016", "31-12-68", "01-01-69"]),
                         {"Y": layout_of("%d-%m-%Y"), "y": layout_of("%d-%m-%y")})
    (four, four_ns), (two, two_ns) = found["Y"], found["y"]
    assert list(four) == [True, True, False, False] and list(two) == [False, False, True, True]
    assert list(four_ns[:2]) == [_ns("2000-02-29"), _ns("2016-02-29")]
    assert list(two_ns[2:]) == [_ns("2068-12-31"), _ns("1969-01-01")]  # strptime: 00-68 are 20xx


def _ns(text: str) -> int:
    return int(np.datetime64(text, "ns").view(np.int64))


def test_days_from_civil_agrees_with_numpy_over_six_centuries():
    days = np.arange(np.datetime64("1678-01-01"), np.datetime64("2262-01-01"))
    civil = days.astype("datetime64[D]").astype(object)
    year = np.array([d.year for d in civil])
    month = np.array([d.month for d in civil])
    day = np.array([d.day for d in civil])
    assert (days_from_civil(year, month, day) == days.view(np.int64)).all()


@pytest.mark.parametrize("fmt", ["%d-%B-%Y", "%H:%M %p", "%d-%m-%Y %H:%M:%S.%f", "%d-%m-%Y %z", "%d-%d-%Y",
                                 "%Y-%y", "%d-%m-%Y %", "%d–%m–%Y", "plain", "%j", "%d-%m-%b", "%H %I", "%a %d"])
def test_formats_read_otherwise_have_no_layout(fmt):
    assert layout_of(fmt) is None


def test_chunks_slices_nulls_and_large_strings_keep_their_rows():
    cells = ["29-02-2016 01:16", None, "x", "01-03-2016 00:00", "", "01-03-2016 00:0", "31-12-2099 23:59"]
    expected = [True, False, False, True, False, False, True]
    layout = {"f": layout_of("%d-%m-%Y %H:%M")}
    sliced = pa.array(["junk"] + cells, pa.string()).slice(1)
    for column in (pa.array(cells), pa.array(cells, pa.large_string()), sliced,
                   pa.chunked_array([pa.array(cells[:2]), pa.array([], pa.string()), pa.array(cells[2:])])):
        accepted, ns = _read(column, layout, "f")
        assert list(accepted) == expected
        assert ns[0] == _ns("2016-02-29T01:16") and ns[6] == _ns("2099-12-31T23:59")


@st.composite
def any_format(draw) -> str:
    """A format pandas may read with: fields, names, offsets, literal digits and letters."""
    pieces = draw(st.lists(st.sampled_from(["%d", "%m", "%Y", "%y", "%H", "%M", "%S", "%I", "%p", "%b", "%B", "%a",
                                            "%f", "%j", "%z", "%%", "-", "/", ".", ":", " ", "  ", "T", "t", "2",
                                            "20", "0", "é", "+", "\t", "Nov", "j", "A", "m", "p"]),
                           min_size=1, max_size=9))
    return "".join(pieces)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_format_that_could_not_read_a_layout_reads_none_of_its_values(data):
    layout_format = data.draw(st.sampled_from([f for f in FORMATS if not f.startswith(("%Y", "%y"))]
                                              + ["%d/%b/%y %I:%M %p", "%d-%b-%Y", "%I:%M %p %d.%m.%Y"]))
    layout = layout_of(layout_format)
    fmt = data.draw(st.one_of(any_format(), st.sampled_from(FORMATS)))
    if could_read(fmt, layout):
        return
    cells = data.draw(st.lists(near(layout_format), min_size=1, max_size=10))
    accepted, _ns = _read(pa.array(cells), {"f": layout}, "f")
    for value in np.array(cells, dtype=object)[accepted]:
        try:
            parsed = pd.to_datetime(pd.Series([value], dtype=object), format=fmt, errors="coerce")
        except ValueError:  # a format pandas refuses whatever the value: no proof was given
            pytest.fail(f"could_read said no for a format pandas refuses: {fmt!r}")
        assert values._ns(parsed)[0] == NAT, (fmt, value)


def test_could_read_tells_the_presets_formats_apart():
    layout = layout_of("%d-%m-%Y %H:%M")
    assert could_read("%d-%m-%Y %H:%M", layout) and could_read("%m-%d-%Y %H:%M", layout)
    assert could_read("%d-%m-20%y %H:%M", layout)  # a literal digit stands for any digit
    assert could_read("%d-%m-%Y %H:%M%z", layout)  # an offset may be empty
    assert could_read("%d-%d-%Y", layout) and could_read("%W", layout)  # not understood: maybe
    for other in ("%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d-%m-%y %H:%M", "%d-%b-%Y"):
        assert not could_read(other, layout), other


@pytest.mark.parametrize("tz", ["UTC", "Europe/Berlin"])
def test_pandas_is_not_imported_when_the_layouts_read_every_value(tz):
    code = ("import sys; from cetool.metrics.layouts import text_array; "
            "from cetool.metrics.values import read_timestamps; "
            "out, bad, used = read_timestamps(text_array(['29-02-2016 01:16', '01-03-2016 00:00:59']), "
            f"{tz!r}, {DMY!r}); assert not bad.any() and len(used) == 2, used; print('pandas' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout.strip() == "False"


# --- a whole column, with the layouts and with pandas alone -------------------------------------

DMY = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M:%S", "%d-%m-%Y %H:%M", "%d/%m/%Y %H:%M:%S",
       "%d/%m/%Y %H:%M", "%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M")
MDY = ("%Y-%m-%d %H:%M:%S", "%m-%d-%Y %H:%M:%S", "%m-%d-%Y %H:%M", "%m/%d/%Y %H:%M")
ODD_FORMATS = ("%d-%m-%Y %H-%M", "%d-%m-%y %H:%M", "%H:%M %d-%m-%Y", "%d-%m-%Y %H:%M %z", "%d-%b-%Y %H:%M")
CELLS = [None, "?", "", "   ", "29-02-2016 01:16", "28-02-2015 23:59", "29-02-2015 01:16", "31-02-2016 01:16",
         "1-2-2016 3:04", " 29-02-2016 01:16 ", "01-01-2016 24:00", "01-01-2016 23:60", "01-01-2016 01:16:60",
         "29-02-2016 01:16:59", "02/29/2016 01:16", "29.02.2016 01:16", "31-12-68 12:00", "01-01-69 12:00",
         "2016-02-29 01:16", "2016-02-29T01:16:00+01:00", "2016-02-29 01:16Z", "20160229T0116Z",
         "29-02-2016 01:16 +01:00", "29-02-2016 01:16Z", "29-02-2016 01-16", "05:30 29-02-2016",
         "29-Feb-2016 01:16", "'; DROP TABLE tickets;--", "２９-02-2016 01:16", "29-02-2016 01:16\u200b", "NaT",
         "12", "1", "2016", "29-02-0016 01:16", "29-02-9999 01:16", "27-03-2016 02:30", "30-10-2016 02:30"]


JIRA = ("%d/%b/%y %I:%M %p", "%d/%b/%y %H:%M", "%d/%b/%Y %I:%M %p", "%d/%b/%Y %H:%M", "%d/%m/%Y %H:%M",
        "%d/%m/%Y %I:%M %p")


@st.composite
def column(draw):
    cells = draw(st.lists(st.one_of(st.sampled_from(CELLS), near("%d-%m-%Y %H:%M"), near("%d/%b/%y %I:%M %p"),
                                    near("%d/%b/%Y %H:%M"), st.text(max_size=20)),
                          min_size=1, max_size=40))
    cuts = sorted(draw(st.lists(st.integers(0, len(cells)), max_size=2)))
    kind = draw(st.sampled_from([pa.string(), pa.large_string()]))
    bounds = [0, *cuts, len(cells)]
    return pa.chunked_array([pa.array(cells[a:b], kind) for a, b in zip(bounds, bounds[1:])], kind)


def _both(raw, tz, formats):
    fast = read_timestamps(raw, tz, formats)
    with mock.patch.object(values, "FAST_LAYOUTS", False):
        slow = read_timestamps(raw, tz, formats)
    return fast, slow


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=column(), tz=st.sampled_from(["UTC", "Europe/Berlin", "America/New_York"]),
       formats=st.sampled_from([DMY, MDY, DMY + ODD_FORMATS, ODD_FORMATS, (), JIRA]))
def test_a_column_reads_the_same_with_the_layouts_as_with_pandas_alone(raw, tz, formats):
    (fast, fast_bad, fast_used), (slow, slow_bad, slow_used) = _both(raw, tz, formats)
    assert list(fast) == list(slow)
    assert list(fast_bad) == list(slow_bad)
    assert fast_used == slow_used


def test_every_edge_at_once_reads_the_same_and_as_expected():
    raw = pa.chunked_array([pa.array(CELLS[:20]), pa.array(CELLS[20:])])
    (fast, bad, used), (slow, _bad, slow_used) = _both(raw, "UTC", DMY + ODD_FORMATS)
    assert list(fast) == list(slow) and used == slow_used
    at = {cell: (value, flag) for cell, value, flag in zip(CELLS, fast, bad)}
    assert at["29-02-2016 01:16"][0] == _ns("2016-02-29T01:16")
    assert at["1-2-2016 3:04"][0] == _ns("2016-02-01T03:04")  # unpadded: read by pandas
    assert at["01-01-2016 01:16:60"][0] == _ns("2016-01-01T01:17")  # pandas rolls a 60th second over
    assert at["31-12-68 12:00"][0] == _ns("2068-12-31T12:00")
    assert at["01-01-69 12:00"][0] == _ns("1969-01-01T12:00")
    for cell in ("31-02-2016 01:16", "29-02-2015 01:16", "01-01-2016 24:00", "01-01-2016 23:60", "?",
                 "29-02-0016 01:16", "29-02-9999 01:16", "29-02-2016 01:16 +01:00"):
        assert at[cell] == (NAT, True), cell
    assert at[None] == (NAT, False) and at["   "] == (NAT, False)


def test_a_million_values_take_the_layouts_and_read_like_pandas():
    start = datetime(2023, 1, 1, tzinfo=timezone.utc).timestamp()
    stamps = pd.to_datetime(start + np.arange(0, 3000 * 86400, 2591, dtype=np.int64), unit="s")
    cells = list(stamps.strftime("%d-%m-%Y %H:%M")) + ["?", "1-2-2026 3:04", None]
    (fast, bad, used), (slow, _bad, slow_used) = _both(pa.array(cells), "Europe/Berlin", DMY)
    assert (fast == slow).all() and used == slow_used and used["%d-%m-%Y %H:%M"] == len(cells) - 2


# --- what the ISO 8601 shortcuts skip ----------------------------------------------------------

_ISOISH = "0123456789-:T Z+.,/Wz"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(_ISOISH) + ["é", "\t", "٣"]), max_size=24))
def test_without_four_leading_digits_arrows_casts_fail(value):
    if value[:4].isascii() and value[:4].isdigit() and len(value) >= 4:
        return
    for target in (pa.timestamp("ns", tz="UTC"), pa.timestamp("ns")):
        with pytest.raises(pa.ArrowInvalid):
            pc.cast(pa.array([value, "2016-02-29T01:16:00Z"]), target)
    assert proves_not_iso(pa.array([value]))


@settings(max_examples=300, deadline=None)
@given(st.from_regex(r"\A[0-9]{1,3}", fullmatch=True), st.text(alphabet=st.sampled_from(list(_ISOISH) + ["é"]),
                                                              max_size=24))
def test_a_digit_first_but_not_four_is_never_iso_8601_to_pandas(digits, tail):
    value = digits if not tail or tail[0].isdigit() else digits + tail
    if value[:4].isdigit() and len(value) >= 4:
        return
    assert not may_be_iso(pa.array([value]))[0]
    local = values._naive_ns(pd.Series([value, "2016-02-29 01:16"], dtype=object))
    assert local is not None and local[0] == NAT
    assert not values._aware(value)


def _trimmed_always(column):
    """as_strings before it learned to skip a column that needs no trimming."""
    trimmed = pc.utf8_trim_whitespace(column)
    if len(trimmed) and pc.min(pc.utf8_length(trimmed)).as_py() == 0:
        return pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)
    return trimmed


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(max_size=6), st.sampled_from(["29-02-2016 01:16", " x", "x\u3000",
                                                                           "\u00a0", "\x1f", "\x7f"])),
                max_size=12), st.integers(0, 12))
def test_a_column_that_needs_no_trimming_is_returned_as_it_is(cells, cut):
    column = pa.chunked_array([pa.array(cells[:cut], pa.string()), pa.array(cells[cut:], pa.string())])
    assert values.as_strings(column).to_pylist() == _trimmed_always(column).to_pylist()


def _parsed(text, fmt: str, utc: bool):
    try:
        parsed = pd.to_datetime(text, format=fmt, errors="coerce", utc=utc)
    except (ValueError, TypeError):
        return "refused"
    return str(parsed.dtype), list(values._ns(parsed))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from([c for c in CELLS if c]), st.text(max_size=12)), min_size=1, max_size=30),
       st.sampled_from(["ISO8601", *DMY, *ODD_FORMATS, "%Y-%m-%dT%H:%M:%S%z"]), st.booleans())
def test_pandas_reads_each_value_on_its_own_so_distinct_values_are_enough(cells, fmt, utc):
    """What `_distinct` relies on: pandas gives each value the same result, and a column the
    same type, whether a value comes once or many times."""
    text, codes = values._distinct(pa.array(cells), np.arange(len(cells)))
    whole = _parsed(pd.Series(cells, dtype=object), fmt, utc)
    once = _parsed(text, fmt, utc)
    if whole == "refused" or once == "refused":
        assert whole == once
    else:
        assert whole[0] == once[0] and whole[1] == [once[1][code] for code in codes]


@st.composite
def one_layout_column(draw):
    """Every value written in one format of a fixed layout (the usual vendor column), with
    nulls; sometimes a few in a second format, which the shortcut must leave to the general path."""
    fmt = draw(st.sampled_from([f for f in DMY if "Y-" not in f]))
    moments = st.datetimes(min_value=datetime(1901, 1, 1), max_value=datetime(2099, 12, 31))
    cells = [None if moment is None else moment.strftime(fmt)
             for moment in draw(st.lists(st.one_of(st.none(), moments), min_size=1, max_size=40))]
    if draw(st.booleans()):
        cells += [moment.strftime("%d.%m.%Y %H:%M:%S") for moment in draw(st.lists(moments, max_size=2))]
    return pa.chunked_array([pa.array(cells, pa.string())])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=one_layout_column(), tz=st.sampled_from(["UTC", "Europe/Berlin"]))
def test_a_column_one_layout_reads_whole_takes_the_shortcut_and_reads_as_pandas(raw, tz):
    taken = []
    shortcut = values._reads_every_value

    def spy(*args):
        taken.append(shortcut(*args))
        return taken[-1]

    with mock.patch.object(values, "_reads_every_value", spy):
        (fast, fast_bad, fast_used), (slow, slow_bad, slow_used) = _both(raw, tz, DMY)
    assert list(fast) == list(slow) and list(fast_bad) == list(slow_bad) and fast_used == slow_used
    formats_written = {fmt for fmt in fast_used}
    if raw.null_count < len(raw) and len(formats_written) == 1:
        assert taken[0] == next(iter(formats_written))


def test_a_literal_name_may_read_a_name_layout():
    """A name layout's template spells one name; a format spelling another one literally still
    reads values of the layout, so it is not ruled out."""
    layout = layout_of("%d-%b-%Y")
    assert could_read("%d-Nov-%Y", layout) and could_read("%d-nov-%Y", layout)
    assert _pandas("18-Nov-2025", "%d-Nov-%Y") is not pd.NaT
    assert not could_read("%d-%m-%Y", layout)  # two digits never read three letters
