"""Local wall times placed in UTC with zoneinfo's `fold=0` rule (docs/metrics.md#timestamps).

`fold=0` places an ambiguous wall time (a fall-back hour occurs twice) at its first occurrence,
and one in a gap (a spring-forward hour never occurs) with the offset before the gap.

A zone's offset changes only at its transitions, months apart, so most values need no lookup of
their own: the offset of a whole day is looked up once, at its first and its last second, and
when the two agree every wall time of that day has it. A day whose ends differ holds a
transition; its hours are looked up the same way, and the values of an hour whose ends differ
one distinct value at a time. A few thousand zoneinfo lookups for years of data, then numpy
passes: no pandas, and no Python object per row.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np

NAT = np.iinfo(np.int64).min
_NS = 1_000_000_000
_BUCKETS = (86_400 * _NS, 3_600 * _NS)  # a day, then an hour
_EPOCH = datetime(1970, 1, 1)


def localize(naive_ns: np.ndarray, tz: str) -> np.ndarray:
    """Local wall times (int64 ns, NAT for none) as UTC instants, in a new array (the same
    array for UTC)."""
    if tz == "UTC":
        return naive_ns
    out = np.full(len(naive_ns), NAT, dtype=np.int64)
    valid = naive_ns != NAT
    walls = naive_ns[valid]
    if len(walls):
        out[valid] = walls - _offsets(ZoneInfo(tz), walls, _BUCKETS)
    return out


def _offset_ns(zone: ZoneInfo, wall_ns: int) -> int:
    """The UTC offset (ns) zoneinfo gives the wall time `wall_ns` with fold=0 (whole seconds:
    offsets change at whole seconds)."""
    wall = _EPOCH + timedelta(seconds=wall_ns // _NS)
    return int(wall.replace(tzinfo=zone).utcoffset().total_seconds()) * _NS


def _offsets(zone: ZoneInfo, walls: np.ndarray, buckets: tuple[int, ...]) -> np.ndarray:
    """Each wall time's offset (ns): one lookup per bucket of the first size whose two ends
    agree, the buckets that hold a transition at the next size down, and at the last, one
    lookup per distinct value."""
    if not buckets:
        distinct = np.sort(walls)
        distinct = distinct[np.concatenate([[True], distinct[1:] != distinct[:-1]])]
        found = np.array([_offset_ns(zone, wall) for wall in distinct.tolist()], dtype=np.int64)
        return found[np.searchsorted(distinct, walls)]
    size = buckets[0]
    bucket = walls // size
    first = int(bucket.min())
    slot = bucket - first
    present = np.flatnonzero(np.bincount(slot)).tolist()
    # Python integers: the last nanosecond of a bucket near year 2262 is beyond int64
    begins = np.array([_offset_ns(zone, (first + b) * size) for b in present], dtype=np.int64)
    ends = np.array([_offset_ns(zone, (first + b + 1) * size - 1) for b in present], dtype=np.int64)
    per_bucket = np.zeros(int(slot.max()) + 1, dtype=np.int64)
    per_bucket[present] = begins
    result = per_bucket[slot]
    moving = np.asarray(present, dtype=np.int64)[begins != ends]
    if len(moving):
        marked = np.zeros(len(per_bucket), dtype=bool)
        marked[moving] = True
        rows = np.flatnonzero(marked[slot])
        result[rows] = _offsets(zone, walls[rows], buckets[1:])
    return result
