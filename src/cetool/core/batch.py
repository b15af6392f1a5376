"""Loops that build many long-lived objects: a file parsed and validated per step.

Python's cycle collector runs every few hundred new container objects and each pass walks every
young survivor; a 10,000-packet run (its node trees, dicts and models) spends about a tenth of
its time there while finding almost nothing to collect (docs/packets.md#speed). Such a loop runs
with the collector paused; reference counting still frees everything as usual, and whatever
cycles the loop left are collected at the collector's next pass once it is back on.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Pause the cycle collector for a loop's duration (nested uses are fine: the outermost
    one turns it back on, and only if it was on)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
