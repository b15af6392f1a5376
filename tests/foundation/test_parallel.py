"""core/parallel: work handed to the other cores comes back in order, with its errors."""

from __future__ import annotations

import threading

import pytest

from cetool.core import parallel


@pytest.fixture(params=[1, 2], ids=["one core", "two cores"])
def workers(request, monkeypatch):
    monkeypatch.setattr(parallel, "_WORKERS", request.param)
    return request.param


def test_each_keeps_the_items_order_whatever_finishes_first(workers):
    release = threading.Event()

    def slow_first(item):
        if item == 0 and workers > 1:
            release.wait(5)  # the second item finishes first
        if item == 1:
            release.set()
        return item * 10

    assert parallel.each(slow_first, range(4)) == [0, 10, 20, 30]
    assert parallel.each(slow_first, []) == []


def test_a_started_call_gives_its_value_and_raises_its_error_when_asked(workers):
    value = parallel.started(lambda: 42)
    assert value() == 42

    def fails():
        raise ValueError("bad cell")

    pending = parallel.started(fails)  # nothing is raised until the value is asked for
    with pytest.raises(ValueError, match="bad cell"):
        pending()


def test_work_runs_on_another_thread_only_with_two_cores(workers):
    seen = parallel.each(lambda _item: threading.current_thread().name, range(2))
    on_pool = [name.startswith("cetool") for name in seen]
    assert any(on_pool) == (workers > 1)
