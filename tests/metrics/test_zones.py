"""Local wall times placed in UTC (cetool.metrics.zones) against zoneinfo value by value."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cetool.metrics.zones import NAT, localize

EPOCH = datetime(1970, 1, 1)
# DST every year, a 30-minute DST, a half-hour zone, odd historical offsets (+00:19:32 until
# 1937), a day that never was (2011-12-30), DST suspended for Ramadan, the southern hemisphere
ZONES = ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "Europe/Amsterdam",
         "Pacific/Apia", "Africa/Casablanca", "America/St_Johns", "Australia/Sydney", "UTC"]
TRANSITIONS = ["2026-03-29T02:30:00", "2026-10-25T02:30:00", "2026-11-01T01:30:00", "2026-03-08T02:30:00",
               "2011-12-30T12:00:00", "1937-07-01T00:00:00", "2026-04-05T02:15:00", "2026-10-04T02:15:00"]


def _by_zoneinfo(wall_ns: int, tz: str) -> int:
    wall = EPOCH + timedelta(seconds=wall_ns // 10**9)
    instant = wall.replace(tzinfo=ZoneInfo(tz)).astimezone(timezone.utc).replace(tzinfo=None)
    return int((instant - EPOCH).total_seconds()) * 10**9 + wall_ns % 10**9


def _ns(text: str) -> int:
    return int((datetime.fromisoformat(text) - EPOCH).total_seconds()) * 10**9


walls = st.one_of(
    st.integers(_ns("1900-01-01T00:00:00"), _ns("2100-01-01T00:00:00")),
    st.builds(lambda base, minutes, nanos: _ns(base) + minutes * 60 * 10**9 + nanos,
              st.sampled_from(TRANSITIONS), st.integers(-180, 180), st.sampled_from([0, 1, 999_999_999])))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(walls, st.just(NAT)), min_size=1, max_size=60), st.sampled_from(ZONES))
def test_every_wall_time_is_placed_as_zoneinfo_places_it_with_fold_0(values, tz):
    column = np.array(values + values[:5], dtype=np.int64)  # repeats, in the same call
    placed = localize(column, tz)
    assert [None if v == NAT else int(v) for v in placed] == [
        None if v == NAT else _by_zoneinfo(int(v), tz) for v in column]


def test_a_month_around_each_transition_minute_by_minute():
    start = _ns("2026-10-01T00:00:00")
    column = start + np.arange(0, 45 * 24 * 60, dtype=np.int64) * 60 * 10**9
    for tz in ("Europe/Berlin", "America/New_York", "Australia/Lord_Howe"):
        placed = localize(column, tz)
        assert placed.tolist() == [_by_zoneinfo(int(v), tz) for v in column]


def test_placing_local_times_imports_no_pandas():
    code = ("import sys, numpy as np; from cetool.metrics.zones import localize; "
            "localize(np.arange(0, 10**15, 10**12, dtype=np.int64), 'Europe/Berlin'); "
            "print('pandas' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
