"""The pure pieces on their own: week arithmetic, week location, the repeat rule."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from cetool.core.errors import CetoolError
from cetool.metrics.drivers import WINDOW_NS, repeat_flags
from cetool.metrics.figures import week_index
from cetool.metrics.weeks import boundaries, default_week, monday_of, to_ns, week_labels
from cetool.metrics.values import NAT
from cetool.metrics.tickets import Tickets

H = 3_600_000_000_000


def test_week_labels_cross_the_year():
    assert week_labels("2027-W01", 3) == ["2026-W52", "2026-W53", "2027-W01"]
    assert monday_of("2026-W53") == date(2026, 12, 28)
    with pytest.raises(CetoolError):
        monday_of("2025-W53")
    assert default_week(date(2027, 1, 4)) == "2026-W53"
    assert monday_of("2026w47") == monday_of("2026-W47") == date(2026, 11, 16)  # ISO basic form too
    for wrong in ("2026-W00", "2026-W54", "26-W47", "2026-47"):
        with pytest.raises(CetoolError):
            monday_of(wrong)


def test_dst_week_is_169_hours():
    start, end = boundaries(["2026-W43"], "Europe/Berlin")
    assert (to_ns(end) - to_ns(start)) // H == 169
    start, end = boundaries(["2026-W13"], "Europe/Berlin")
    assert (to_ns(end) - to_ns(start)) // H == 167


def test_week_index_is_half_open_and_skips_nat():
    bounds = np.array([0, 10, 20], dtype=np.int64)
    times = np.array([NAT, -1, 0, 9, 10, 19, 20], dtype=np.int64)
    assert week_index(times, bounds).tolist() == [-1, -1, 0, 0, 1, 1, -1]


def _tickets(created: list[int], causes: list[int]) -> Tickets:
    return Tickets(created=np.array(created, dtype=np.int64), priority=np.zeros(len(created), np.int8), times={},
                   root_cause=np.array(causes, dtype=np.int64), root_causes=["a", "b"], packet=None, packet_ids=[],
                   reopen_count=None, count=len(created))


def test_repeat_rule_window_ties_and_causes():
    bounds = np.array([1000 * H, 2000 * H], dtype=np.int64)
    t = 1500 * H
    created = [t - WINDOW_NS, t, t, t + 1, t + 5, t + 6, t - WINDOW_NS - 1 + 2000 * H]
    causes = [0, 0, 0, 1, 1, -1, 0]
    flags = repeat_flags(_tickets(created, causes), bounds)
    # the lookback twin exactly 720 h earlier counts; ties repeat only the earlier one;
    # cause b starts fresh; no cause never repeats
    assert flags.tolist() == [False, True, True, False, True, False, False]
