"""A few duplicates of an export the reader parsed stay in place as tombstones; many, or text
timestamps, are copied out (docs/metrics.md#duplicates-and-bad-rows). Both ways give the same
result, byte for byte, on exports with duplicates among bad rows, placeholders, event-log
priorities and empty ids."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cetool.metrics import rows as rows_module

HEADER = ["ticket_id", "created_at", "priority", "resolved_at", "escalated_at", "updated_at", "root_cause"]
DAYS = ["2026-11-16", "2026-11-17", "2026-11-19", "2026-11-23", "1850-01-01"]
cells = st.fixed_dictionaries({
    "ticket_id": st.sampled_from(["T-1", "T-2", "T-3", "T-4", "", " T-1 "]),
    "created_at": st.sampled_from(DAYS[:4] + [DAYS[4], ""]),
    "priority": st.sampled_from(["P1", "P2", "P3", "P9"]),
    "resolved_at": st.sampled_from(["", *DAYS]),
    "escalated_at": st.sampled_from(["", DAYS[1], DAYS[3]]),
    "updated_at": st.sampled_from(["", *DAYS[:4]]),
    "root_cause": st.sampled_from(["", "sso", "webhook"]),
})


def _stamp(day: str, hour: int) -> str:
    return f"{day}T{hour:02d}:00:00Z" if day else ""


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spec=st.lists(st.tuples(cells, st.integers(0, 23)), min_size=1, max_size=25))
def test_tombstones_and_copies_give_the_same_result(spec, write_export, weekly, monkeypatch):
    table = [[row["ticket_id"], *(_stamp(row[c], hour) if c.endswith("_at") else row[c] for c in HEADER[1:])]
             for row, hour in spec]
    path = write_export(table, HEADER)
    results = []
    for share in (0.0, 1.0):  # copy every time; tombstones every time
        monkeypatch.setattr(rows_module, "TOMBSTONES_UP_TO", share)
        try:
            results.append(weekly(path, week="2026-W47", weeks=2))
        except Exception as exc:  # noqa: BLE001 - the same error both ways is the same result
            results.append(repr(exc))
    assert results[0] == results[1]
