"""Properties of where actions and drivers stand (docs/prevention.md#status)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given, settings, strategies as st

from cetool.prevention.load import LoadedAction
from cetool.prevention.model import ActionHead
from cetool.prevention.status import driver_prevention
from cetool.prevention.words import DRIVER_STATUSES, OVERDUE

START = date(2026, 11, 2)
days = st.integers(min_value=0, max_value=60).map(lambda n: START + timedelta(days=n))
heads = st.builds(
    ActionHead, id=st.from_regex(r"PA-2026-\d{4}", fullmatch=True), root_cause=st.sampled_from(["a", "b"]),
    kind=st.just("enablement"), status=st.sampled_from(["planned", "in-progress", "done", "dropped", None]),
    assigned=days, due=st.one_of(st.none(), days), done=st.one_of(st.none(), days))


def _loaded(head: ActionHead) -> LoadedAction:
    return LoadedAction(f"prevention/{head.id}.yaml", head, None, "x")


@settings(max_examples=300, deadline=None)
@given(st.lists(heads, max_size=6), days, heads)
def test_driver_status_invariants(actions, today, extra):
    loaded = [_loaded(h) for h in actions]
    result = driver_prevention("a", loaded, today)
    assert result.status in DRIVER_STATUSES
    # only this driver's actions, and none assigned after the report's day
    assert all(a.head.root_cause == "a" and a.head.assigned <= today for a, _ in result.actions)
    # an overdue action makes the driver overdue, whatever else is done
    if any(status == OVERDUE for _, status in result.actions):
        assert result.status == OVERDUE
    # a dropped action changes nothing
    dropped = replace(extra, status="dropped", root_cause="a")
    assert driver_prevention("a", loaded + [_loaded(dropped)], today).status == result.status
    # the effect is measured from a done date on or before the day
    assert result.done_on is None or result.done_on <= today
