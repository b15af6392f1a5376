"""Duplicates collapse on the ids' integer codes (docs/metrics.md#duplicates-and-bad-rows): the
fast path agrees with a plain-Python reading of the rule on shuffled ids with duplicates, ids
missing, ties on updated_at, and columns in several chunks (several files, a parallel read)."""

from __future__ import annotations

import numpy as np
import pytest
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from cetool.metrics.rows import prioritized_from_history
from cetool.metrics.tickets import by_id_then_time, collapse, fingerprints
from cetool.metrics.values import NAT

# Short ids, ids of one length (read as a byte matrix in place), and long ids that share their
# first and last 16 bytes and their length (equal fingerprints, told apart exactly).
ids = st.one_of(st.none(), st.sampled_from(["T-1", "T-2", "T-3", "t-1", "T-10", "é", "INC0000001", "INC0000002",
                                            "https://acme.zendesk.com/agent/tickets/00017/view",
                                            "https://acme.zendesk.com/agent/tickets/00071/view",
                                            "0123456789abcdef", "0123456789abcdeF"]))
updated_values = st.one_of(st.just(NAT), st.integers(0, 5))  # few values: many ties
rows = st.lists(st.tuples(ids, updated_values), max_size=60)


def _chunked(values: list[str | None], cuts: list[int]) -> pa.ChunkedArray:
    bounds = sorted({0, len(values), *(c % (len(values) + 1) for c in cuts)})
    return pa.chunked_array([pa.array(values[a:b], pa.string()) for a, b in zip(bounds, bounds[1:])], pa.string())


def _reference_survivors(id_values: list[str | None], updated: list[int] | None) -> list[int]:
    """The rule in plain Python: per id, the greatest updated_at (none loses), else the last row."""
    winner: dict[str, int] = {}
    for index, ticket in enumerate(id_values):
        if ticket is None:
            continue
        best = winner.get(ticket)
        if best is None or updated is None or updated[index] >= updated[best]:
            winner[ticket] = index
    return [i for i, ticket in enumerate(id_values) if ticket is None or winner[ticket] == i]


@settings(max_examples=500, deadline=None)
@given(rows, st.lists(st.integers(0, 100), max_size=4), st.booleans())
def test_collapse_agrees_with_the_rule_in_plain_python(spec, cuts, with_updated):
    id_values = [ticket for ticket, _ in spec]
    updated = [moment for _, moment in spec] if with_updated else None
    column = _chunked(id_values, cuts)
    keep, _codes = collapse(column, (lambda: np.array(updated, dtype=np.int64)) if with_updated else None)
    survivors = list(range(len(spec))) if keep is None else keep.tolist()
    assert survivors == _reference_survivors(id_values, updated)


def _reference_became(id_values, updated, priority) -> list[int]:
    """Per row: the updated_at of its ticket's earliest P1/P2 row (file order breaks ties), NaT
    when the ticket's earliest row is already P1/P2 or it never was."""
    history: dict[object, list[tuple[int, int, int]]] = {}
    for index, ticket in enumerate(id_values):
        history.setdefault(ticket, []).append((updated[index], index, priority[index]))
    became = {}
    for ticket, entries in history.items():
        entries.sort()
        urgent = [moment for moment, _i, level in entries if level in (1, 2)]
        became[ticket] = NAT if entries[0][2] in (1, 2) or not urgent else urgent[0]
    return [became[ticket] for ticket in id_values]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(ids, updated_values, st.integers(0, 4)), min_size=2, max_size=60),
       st.lists(st.integers(0, 100), max_size=4))
def test_event_log_start_agrees_with_the_rule_in_plain_python(spec, cuts):
    _check_against_the_rule(spec, cuts)


def _check_against_the_rule(spec: list[tuple[str | None, int, int]], cuts: list[int]) -> None:
    """The survivors of the collapse and each row's derived start, against the plain-Python rule."""
    id_values = [ticket for ticket, _, _ in spec]
    updated = [moment for _, moment, _ in spec]
    priority = [level for _, _, level in spec]
    keep, codes = collapse(_chunked(id_values, cuts), lambda: np.array(updated, dtype=np.int64))
    assert (list(range(len(spec))) if keep is None else keep.tolist()) == _reference_survivors(id_values, updated)
    if codes is None:  # strictly ordered ids: one row per ticket
        codes = np.arange(len(spec), dtype=np.int32)
    became = prioritized_from_history(codes, np.array(updated, dtype=np.int64), np.array(priority, dtype=np.int8))
    assert became.tolist() == _reference_became(id_values, updated, priority)


def test_a_large_shuffled_export_with_a_quarter_percent_of_duplicates():
    rng = np.random.default_rng(11)
    tickets = 20_000
    row_of = rng.permutation(np.concatenate([np.arange(tickets), rng.integers(0, tickets, 50)]))
    id_values = [f"T-{i:08d}" for i in row_of]
    updated = rng.integers(0, 1_000, len(row_of)).tolist()
    keep, _codes = collapse(_chunked(id_values, [7_000, 13_000]), lambda: np.array(updated, dtype=np.int64))
    assert keep is not None and len(keep) == tickets
    assert keep.tolist() == _reference_survivors(id_values, updated)


def test_a_shuffled_canonical_export_with_duplicates_is_read_without_pandas(tmp_path):
    """The usual machine export, ids in random order with a ticket exported twice: codes and
    takes stay in Arrow and numpy (pandas costs a third of a second to import)."""
    import subprocess
    import sys

    lines = ["ticket_id,created_at,priority,resolved_at,updated_at"]
    for number in (3, 1, 2, 1, 5, 4):
        day = 10 + number
        lines.append(f"T-{number},2026-11-{day}T08:00:00Z,P2,2026-11-{day}T12:00:00Z,2026-11-{day}T1{len(lines)}:00:00Z")
    export = tmp_path / "tickets.csv"
    export.write_text("\n".join(lines) + "\n")
    probe = ("import json, sys\nfrom typer.testing import CliRunner\nfrom cetool.cli.app import app\n"
             f"r = CliRunner().invoke(app, ['metrics', 'weekly', {str(export)!r}, '--week', '2026-W47', "
             f"'--format', 'json', '--docs-root', {str(tmp_path)!r}])\n"
             "print(json.dumps([r.exit_code, json.loads(r.stdout)['run']['duplicates'], 'pandas' in sys.modules]))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "[0, 1, false]", done.stderr


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(max_size=40)), min_size=1, max_size=30),
       st.lists(st.integers(0, 100), max_size=4))
def test_a_value_has_one_fingerprint_whatever_else_its_chunk_holds(values, cuts):
    """Chunks whose values all have one length are read as a byte matrix, others through Arrow
    kernels: both give one value the same fingerprint, or duplicates across chunks are missed."""
    prints = fingerprints(_chunked(values, cuts))
    alone = {value: fingerprints(pa.chunked_array([pa.array([value], pa.string())]))[0] for value in values}
    assert [int(p) for p, v in zip(prints, values) if v is not None] == \
        [int(alone[v]) for v in values if v is not None]


@st.composite
def event_logs(draw):
    """Rows of an event log: each ticket's rows together, mostly oldest first (the order that
    skips the sort), sometimes not; a ticket may come back later, an id may be missing."""
    rows: list[tuple[str | None, int, int]] = []
    for number in range(draw(st.integers(1, 8))):
        ticket = draw(st.one_of(st.just(f"INC{number:07d}"), st.sampled_from(["INC0000001", None])))
        moments = draw(st.lists(st.one_of(st.just(NAT), st.integers(0, 9)), min_size=1, max_size=5))
        if draw(st.booleans()):
            moments = sorted(moments)
        rows += [(ticket, moment, draw(st.integers(0, 4))) for moment in moments]
    return rows


@settings(max_examples=400, deadline=None)
@given(event_logs(), st.lists(st.integers(0, 100), max_size=3))
def test_event_logs_collapse_and_start_as_the_rule_says(spec, cuts):
    _check_against_the_rule(spec, cuts)


@settings(max_examples=600, deadline=None)
@given(st.lists(st.tuples(st.integers(-1, 4), st.one_of(st.just(NAT), st.integers(0, 4))), max_size=40),
       st.sampled_from(["no", "by code", "by code and time"]), st.booleans())
def test_the_order_by_id_then_time_is_the_sorts(entries, grouping, with_updated):
    """When the entries are already in order the sort is skipped, and when they are grouped by
    code only the groups out of time order are sorted; either way the order is the one a full
    sort gives."""
    grouped = grouping == "by code and time"
    if grouping == "by code":
        entries = sorted(entries, key=lambda entry: entry[0])  # stable: times keep their order
    elif grouped:
        entries = sorted(entries)
    codes = np.array([code for code, _ in entries], dtype=np.int32)
    updated = np.array([moment for _, moment in entries], dtype=np.int64) if with_updated else None
    keys = (np.arange(len(codes)), codes) if updated is None else (np.arange(len(codes)), updated, codes)
    order = by_id_then_time(codes, updated)
    assert (np.arange(len(codes)) if order is None else order).tolist() == np.lexsort(keys).tolist()
    assert (order is None) or not grouped  # sorted entries skip the sort


@pytest.mark.parametrize("size", [1, 8, 15, 16, 17, 31, 32, 33, 40])
def test_ids_at_the_edges_of_the_fingerprint_widths_keep_one_fingerprint(size):
    """An id of 16 bytes or fewer is read whole; a longer one by its first and last 16 bytes.
    At each edge, a chunk of ids of one length and a chunk of mixed lengths agree."""
    value = "".join(chr(ord("a") + n % 26) for n in range(size))
    alone = fingerprints(pa.chunked_array([pa.array([value, value.upper()], pa.string())]))[0]
    mixed = fingerprints(pa.chunked_array([pa.array(["x", value, "y" * 50], pa.string())]))[1]
    assert alone == mixed
    # the copy sits in a chunk whose ids all have its length
    keep, _codes = collapse(pa.chunked_array([pa.array([value, "x", "y" * 50]), pa.array([value, value.upper()])]),
                            None)
    assert keep is not None and keep.tolist() == [1, 2, 3, 4]


@pytest.mark.parametrize("where", ["end", "middle"])
@pytest.mark.parametrize("descending", [False, True])
def test_sorted_first_rows_do_not_hide_a_duplicate_further_on(where, descending):
    """The first rows are looked at first to tell a sorted id column; a repeat after them is
    still found (and a column sorted throughout has none)."""
    ids = [f"T-{i:06d}" for i in range(5000)]
    ids = ids[::-1] if descending else ids
    assert collapse(pa.chunked_array([pa.array(ids)]), None) == (None, None)
    at = len(ids) if where == "end" else 3000
    repeated = ids[:at] + [ids[2000]] + ids[at:]
    keep, _codes = collapse(pa.chunked_array([pa.array(repeated)]), None)
    assert keep is not None and len(keep) == len(ids)
