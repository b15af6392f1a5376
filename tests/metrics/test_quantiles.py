"""The weekly medians and p90s are numpy's own values (np.median, np.quantile's "linear"
method), computed without numpy's check for masked arrays (cetool.metrics.figures)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cetool.metrics.figures import median, quantile

hours = st.floats(min_value=-1e7, max_value=1e7, allow_nan=False, allow_infinity=False)


@settings(max_examples=400, deadline=None)
@given(st.lists(hours, min_size=1, max_size=60))
def test_median_is_numpys(values):
    array = np.array(values, dtype=np.float64)
    assert median(array.copy()) == float(np.median(array))


@settings(max_examples=400, deadline=None)
@given(st.lists(hours, min_size=1, max_size=60), st.sampled_from([0.0, 0.1, 0.5, 0.9, 0.95, 1.0]))
def test_quantile_is_numpys(values, q):
    array = np.array(values, dtype=np.float64)
    assert quantile(array.copy(), q) == float(np.quantile(array, q))


def test_large_samples_of_durations_in_hours():
    rng = np.random.default_rng(5)
    for n in (2, 3, 10, 11, 1_000, 1_001, 99_999):
        durations = rng.exponential(40, n) * rng.choice([1e-3, 1, 1e3])
        assert median(durations) == float(np.median(durations))
        assert quantile(durations, 0.9) == float(np.quantile(durations, 0.9))


def test_nothing_to_summarise_is_none():
    assert median(np.empty(0)) is None and quantile(np.empty(0), 0.9) is None
