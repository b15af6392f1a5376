"""Independent pieces of work run on the machine's other cores.

numpy and Arrow let go of the interpreter lock inside their loops, so two threads that each work
through a different column overlap most of their time (docs/metrics.md#performance). Only pieces
that share nothing they write are handed here; with one core everything runs in the caller.
"""

from __future__ import annotations

import os
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Callable, Iterable, TypeVar

T = TypeVar("T")
R = TypeVar("R")
_WORKERS = min(4, os.cpu_count() or 1)
_pool: ThreadPoolExecutor | None = None


def _executor() -> ThreadPoolExecutor:
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=_WORKERS, thread_name_prefix="cetool")
    return _pool


def started(function: Callable[[], R]) -> Callable[[], R]:
    """Start `function` on another core; the result is a call that waits for its value (and
    raises what it raised)."""
    if _WORKERS < 2:
        return function
    future: Future = _executor().submit(function)
    return future.result


def each(function: Callable[[T], R], items: Iterable[T]) -> list[R]:
    """`function` of every item, in the items' order, the items shared among the cores."""
    items = list(items)
    if _WORKERS < 2 or len(items) < 2:
        return [function(item) for item in items]
    return list(_executor().map(function, items))
