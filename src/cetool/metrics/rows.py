"""The rows of an export checked and collapsed: duplicates, bad rows, blanks.

Order matters (docs/metrics.md#duplicates-and-bad-rows): rows with the same trimmed ticket_id
collapse first (greatest updated_at, else the last in file order), then each surviving row is
checked; a bad row is counted under its first reason, in the order the docs list them.
"""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from cetool.core.ids import SEVERITY_LEVELS
from cetool.metrics.mapping import TIMESTAMPS, Mapping
from cetool.metrics.result import PHASE_COLUMNS
from cetool.metrics.cells import ParsedCells, cell, quote
from cetool.metrics.tickets import EXAMPLES, LoadFacts, Tickets, by_id_then_time, collapse, tag_hits
from cetool.core.errors import CetoolError
from cetool.metrics.codes import encode
from cetool.metrics.values import (EARLIEST_NS, ISO_8601, LATEST_NS, NAT, as_indices, as_strings, parse_numbers,
                                   read_timestamps, to_numpy)

# Up to this share of duplicate rows, the losers stay in place as tombstones rather than every
# column being copied without them (an event log, most of whose rows lose, is copied).
TOMBSTONES_UP_TO = 0.125
_SEP = r"(?:^|[\s,;|])"
_END = r"(?:[\s,;|]|$)"
_NS_PER_MINUTE = 60 * 1_000_000_000


def _priorities(column: pa.ChunkedArray, mapping: Mapping) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """int8 levels (0: none), the mask of words that are not a priority, and the distinct words."""
    words = {level.lower(): int(level[1]) for level in SEVERITY_LEVELS}
    for word, level in (mapping.priority or {}).items():
        words[word] = int(level[1])
    codes, distinct = encode(column, lambda raw: raw.strip().lower())
    table = np.array([words.get(w, -1) for w in distinct] + [0], dtype=np.int8)  # code -1 -> 0
    levels = table[codes]
    return np.maximum(levels, 0), levels < 0, distinct


def _row_labels(indices: np.ndarray, keep: np.ndarray | None, files: list[tuple[str | None, int, list[int]]]
                ) -> list[str]:
    """`row N` (header = row 1) of surviving rows, for messages; `FILE row N` when the export
    is several files. `files`: (display or None, rows in the table, lines pyarrow skipped)."""
    starts = np.cumsum([0] + [rows for _display, rows, _skipped in files])
    out = []
    for index in indices:
        position = int(index if keep is None else keep[index])
        part = int(np.searchsorted(starts, position, side="right")) - 1
        display, _rows, skipped = files[part]
        row = position - int(starts[part]) + 2
        for number in sorted(n for n in skipped if n > 0):  # rows pyarrow skipped shift everything after them
            if number <= row:
                row += 1
        out.append(f"{display} row {row}" if display else f"row {row}")
    return out


def check_rows(table: pa.Table, chosen: dict[str, str], in_minutes: dict[str, str], tags: list[str],
               flag: str | None, mapping: Mapping, input_tz: str, facts: LoadFacts,
               files: list[tuple[str | None, int, list[int]]], display: str) -> tuple[Tickets, LoadFacts]:
    """`chosen` and `in_minutes`: canonical column -> column key, of a timestamp or other value,
    and of a duration in minutes after created_at; `flag`: the key of the mapping's yes/no
    escalation column, when the export has it; `files`: see `_row_labels`. Raises CetoolError
    when the export reads as nothing (docs/metrics.md#nothing-silently-wrong)."""
    parsed_once: dict[str, tuple] = {}
    collapsed = False  # whether the table holds its final rows
    gone: np.ndarray | None = None

    def drop(key: str) -> None:
        nonlocal table
        table = table.drop_columns([key])
        pa.default_memory_pool().release_unused()  # Arrow's allocator would keep the pages

    def times(name: str) -> tuple[np.ndarray, np.ndarray, pa.ChunkedArray | None]:
        """Values, the mask of cells that could not be read, and the raw column (for messages)."""
        if name not in chosen and name not in in_minutes and name not in parsed_once:
            return np.full(table.num_rows, NAT, dtype=np.int64), np.zeros(table.num_rows, dtype=bool), None
        if name not in parsed_once:  # parsed once, by whichever step needs it first
            if name in chosen:
                raw = table.column(chosen[name])
                values, bad, used = read_timestamps(raw, input_tz, mapping.date_formats)
                used = used if gone is None else _without(used, values, bad, gone)
                if used:
                    facts.date_formats[name] = dict(sorted(used.items(), key=lambda item: -item[1]))
                if collapsed and pa.types.is_timestamp(raw.type):
                    raw = ParsedCells(raw, values, bad)  # the column itself is no longer needed
                    drop(chosen[name])
                parsed_once[name] = (values, bad, raw)
            else:
                raw = table.column(in_minutes[name])
                parsed_once[name] = (*_after_created(raw, times("created_at")[0]), raw)
        return parsed_once[name]

    ids = as_strings(table.column(chosen["ticket_id"]))  # trimmed: a copy only when some id needs it
    updated = (lambda: times("updated_at")[0]) if "updated_at" in chosen else None
    keep, id_codes = collapse(ids, updated)  # None: no duplicates
    priority, priority_bad, _words = _priorities(table.column(chosen["priority"]), mapping)
    derived_start = None
    if keep is not None and updated is not None and "prioritized_at" not in chosen:
        derived_start = prioritized_from_history(id_codes, times("updated_at")[0], priority)
    facts.duplicates = 0 if keep is None else table.num_rows - len(keep)
    no_id = to_numpy(ids.is_null())
    gone = None  # the losing duplicates, when they stay in place as tombstones
    if facts.duplicates and facts.duplicates <= TOMBSTONES_UP_TO * table.num_rows and all(
            pa.types.is_timestamp(table.column(chosen[name]).type) for name in chosen if name in TIMESTAMPS):
        # A few duplicates of an export the reader parsed: no column is copied, and the losers
        # become tombstones like bad rows (what each format read is counted without them).
        gone = np.ones(table.num_rows, dtype=bool)
        gone[keep] = False
        keep = None  # the arrays keep every row: row numbers are the file's
        if "updated_at" in facts.date_formats:
            values, bad, _raw = times("updated_at")
            facts.date_formats["updated_at"] = _without(facts.date_formats["updated_at"], values, bad, gone)
    elif facts.duplicates:
        # Many duplicates (an event log), or text timestamps that are best parsed for the
        # winning rows only: the other columns are copied without the losers, a column at a
        # time, each freed as its copy is made. The ids are not copied: messages look them up
        # through `keep`.
        no_id, priority, priority_bad = no_id[keep], priority[keep], priority_bad[keep]
        reused = _survivors_of(parsed_once.get("updated_at"), facts.date_formats.get("updated_at"), keep)
        parsed_once.clear()
        left_out = {chosen["ticket_id"]}
        if reused is not None:  # updated_at as read for the collapse: its cells are not copied nor read again
            parsed_once["updated_at"], facts.date_formats["updated_at"] = reused
            left_out.add(chosen["updated_at"])
        names, taken = table.column_names, []
        for name in names:
            if name not in left_out:
                taken.append(_take_ascending(table.column(name), keep))
            drop(name)
        table = pa.Table.from_arrays(taken, names=[name for name in names if name not in left_out])
        del taken  # the table is now the columns' only holder: dropping one frees it
    collapsed = True

    created, created_bad, created_raw = times("created_at")
    survivors = table.num_rows - (0 if gone is None else facts.duplicates)
    _fail_when_unreadable(created_bad if gone is None else created_bad & ~gone, survivors, created_raw, facts,
                          mapping, display)
    if derived_start is not None:  # only a ticket whose final priority is P1/P2 has a start of its own
        start = derived_start if keep is None else derived_start[keep]
        parsed_once["prioritized_at"] = _derived(np.where((priority == 1) | (priority == 2), start, NAT),
                                                 created, times("resolved_at")[0])
        facts.columns["prioritized_at"] = f"{facts.columns.get('updated_at')} of the first P1/P2 row (event log)"
    parsed = {name: times(name) for name in ("resolved_at", "escalated_at", "prioritized_at")}
    resolved, escalated, prioritized = (parsed[name][0] for name in ("resolved_at", "escalated_at", "prioritized_at"))
    known = created != NAT
    has_prioritized = prioritized != NAT
    # resolved before start: start is prioritized_at when there is one (never before created_at,
    # or the row is already bad for that), else created_at; no start array is built.
    resolved_early = (resolved != NAT) & known & ((resolved < created) | (has_prioritized & (resolved < prioritized)))
    rules = [
        (no_id, "empty ticket_id", None),
        (~known & ~created_bad, "empty created_at", None),
        (created_bad, "unparseable created_at", created_raw),
        *((parsed[name][1], f"unparseable {name}", parsed[name][2])
          for name in ("resolved_at", "escalated_at", "prioritized_at")),
        (priority_bad, "priority not P1..P4", table.column(chosen["priority"])),
        # ordering reasons quote the value of the column they name first
        (known & (escalated != NAT) & (escalated < created), "escalated_at before created_at",
         parsed["escalated_at"][2]),
        (known & has_prioritized & (prioritized < created), "prioritized_at before created_at",
         parsed["prioritized_at"][2]),
        (resolved_early, "resolved_at before start", parsed["resolved_at"][2]),
    ]
    reason = np.zeros(table.num_rows, dtype=np.int8)
    for number in range(len(rules), 0, -1):  # the first listed reason wins
        mask = rules[number - 1][0]
        if mask.any():
            reason[mask] = number
    if gone is not None:
        reason[gone] = 0  # a losing duplicate is not a bad row
    bad_rows = np.flatnonzero(reason)
    for number, count in enumerate(np.bincount(reason, minlength=len(rules) + 1)[1:], start=1):
        if count:
            facts.bad_rows_by_reason[rules[number - 1][1]] += int(count)
    room = EXAMPLES - len(facts.bad_row_examples)
    for index, row in zip(bad_rows[:max(room, 0)], _row_labels(bad_rows[:max(room, 0)], keep, files)):
        _mask, text, raw = rules[reason[index] - 1]
        ticket = quote(ids[int(index if keep is None else keep[index])].as_py())
        ticket = ticket if ticket is None or ticket.isprintable() else repr(ticket)
        value = f" {quote(cell(raw, int(index)))!r}" if raw is not None else ""
        facts.bad_row_examples.append(row + (f" (ticket {ticket})" if ticket else "") + f": {text}{value}")
    if survivors and len(bad_rows) == survivors:
        reasons = ", ".join(f"{reason}: {n}" for reason, n in facts.bad_rows_by_reason.items())
        raise CetoolError(f"{display}: no row can be used: all {facts.rows_read:,} rows are bad ({reasons}); "
                          "first: " + "; ".join(facts.bad_row_examples[:3]))

    present = set(chosen) | set(in_minutes) | ({"prioritized_at"} if derived_start is not None else set())
    dead = reason != 0 if gone is None else (reason != 0) | gone
    tickets = _build(table, present, chosen, tags, flag, mapping, facts, dead, created, priority,
                     {name: values for name, (values, _bad, _raw) in parsed.items()}, times)
    # `times` calls itself, a reference cycle that would keep the table and the parsed columns
    # alive until the next garbage collection: let go of them now
    parsed_once.clear()
    table = None
    pa.default_memory_pool().release_unused()  # for numpy's arrays, which come from another allocator
    return tickets, facts


def _without(used: dict[str, int], values: np.ndarray, bad: np.ndarray, gone: np.ndarray) -> dict[str, int]:
    """What a column whose values one format read (the reader's ISO 8601, or one layout) read,
    the losing duplicates' left out; a value outside the instants a ticket may have was read
    too (`bad`)."""
    lost = int((((values != NAT) | bad) & gone).sum())
    return {name: count - lost for name, count in used.items() if count > lost}


def _survivors_of(parsed: tuple | None, used: dict[str, int] | None, keep: np.ndarray
                  ) -> tuple[tuple[np.ndarray, np.ndarray, None], dict[str, int]] | None:
    """updated_at as parsed for the collapse, at the surviving rows, and what its format read of
    them: when one format read every value and none was unreadable, that format read every
    survivor too. None otherwise (the survivors' cells are then parsed again, for their counts)."""
    if parsed is None or not used or len(used) != 1:
        return None
    values, bad, _raw = parsed
    (_fmt, count), = used.items()
    if bad.any() or count != int((values != NAT).sum()):
        return None
    gone = np.ones(len(values), dtype=bool)
    gone[keep] = False
    return (values[keep], bad[keep], None), _without(used, values, bad, gone)


def _take_ascending(column: pa.ChunkedArray, rows: np.ndarray) -> pa.ChunkedArray:
    """`column.take(rows)` for ascending `rows`, a chunk at a time: a take from a chunked
    column joins its chunks into one first, a second copy of the column."""
    taken, start, first = [], 0, 0
    for chunk in column.chunks:
        end = int(np.searchsorted(rows, start + len(chunk)))
        taken.append(chunk.take(as_indices(rows[first:end] - start)))
        start, first = start + len(chunk), end
    return pa.chunked_array(taken, type=column.type)


def _fail_when_unreadable(bad: np.ndarray, rows: int, raw: pa.ChunkedArray | None, facts: LoadFacts,
                          mapping: Mapping, display: str) -> None:
    """Exit 2 when created_at cannot be read in more than half of the `rows`: the figures would
    stand on the few rows that happen to read, and look like a quiet week."""
    unreadable = int(bad.sum())
    if raw is None or unreadable * 2 <= rows:
        return
    examples = []
    for index in np.flatnonzero(bad)[:200]:
        value = quote(cell(raw, int(index)))
        if value not in examples:
            examples.append(value)
        if len(examples) == 3:
            break
    tried = ", ".join([ISO_8601, *mapping.date_formats])
    order = f" (day/month order {facts.date_order}, from {facts.date_order_from})" if facts.date_order else ""
    raise CetoolError(
        f"{display}: created_at (column {facts.columns.get('created_at')!r}) cannot be read in {unreadable:,} "
        f"of {rows:,} rows, e.g. {', '.join(repr(e) for e in examples)}; formats tried{order}: {tried}. "
        "Fix: give the format in a mapping file (`date_formats: [\"%d-%m-%Y %H:%M\"]`, and `date_order:` "
        "if day and month can be confused; see docs/metrics.md#date-formats), or use the preset of the "
        "tool that wrote the export (--preset)")


def prioritized_from_history(codes: np.ndarray, updated: np.ndarray, priority: np.ndarray) -> np.ndarray:
    """Per row of an event log (`codes`: its ticket ids' codes, -1 none), the moment its ticket
    became P1/P2 (docs/metrics.md#event-logs): the updated_at of the ticket's earliest P1/P2 row,
    NaT when the ticket's earliest row is already P1/P2 (it started as one: the start stays
    created_at) or it never was P1/P2."""
    order = by_id_then_time(codes, updated)
    ranked_codes = codes if order is None else codes[order]
    first_of_ticket = np.ones(len(codes), dtype=bool)
    first_of_ticket[1:] = ranked_codes[1:] != ranked_codes[:-1]
    urgent = (priority == 1) | (priority == 2)
    tickets = int(codes.max()) + 1 if len(codes) else 0
    started_urgent = np.zeros(tickets + 1, dtype=bool)
    heads = np.flatnonzero(first_of_ticket) if order is None else order[first_of_ticket]
    started_urgent[codes[heads]] = urgent[heads]
    became = np.full(tickets + 1, NAT, dtype=np.int64)
    # the P1/P2 rows, earliest first within each ticket
    rows = np.flatnonzero(urgent) if order is None else order[urgent[order]]
    first_rows = rows[~_repeats(codes[rows])]
    became[codes[first_rows]] = updated[first_rows]
    became[started_urgent] = NAT
    return became[codes]


def _repeats(codes: np.ndarray) -> np.ndarray:
    """Whether each entry repeats the code of the entry before it (codes grouped together)."""
    out = np.zeros(len(codes), dtype=bool)
    out[1:] = codes[1:] == codes[:-1]
    return out


def _derived(start: np.ndarray, created: np.ndarray, resolved: np.ndarray) -> tuple[np.ndarray, np.ndarray, None]:
    """The derived prioritized_at as a parsed column (values, none unreadable, no raw cells). A
    history that says P1/P2 before the ticket was opened (clocks apart), or only from its
    resolution on (raised when it was closed out), starts at created_at."""
    start = start.copy()
    start[(start != NAT) & ((start < created) | ((resolved != NAT) & (start >= resolved)))] = NAT
    return start, np.zeros(len(start), dtype=bool), None


def _after_created(minutes_text: pa.ChunkedArray, created: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A timestamp given as minutes after created_at, and the mask of cells that are not a
    duration: not a number, or landing outside the instants a timestamp may have (1900..2099,
    as for a written one; infinities included). A negative duration within them is a timestamp
    before created_at, judged by the same rules as a written one (a bad row for resolved_at and
    escalated_at, blanked for the others)."""
    minutes, bad = parse_numbers(as_strings(minutes_text))
    with np.errstate(invalid="ignore"):
        start = created.astype(np.float64)
        too_late = minutes > (LATEST_NS - start) / _NS_PER_MINUTE
        too_early = minutes < (EARLIEST_NS - start) / _NS_PER_MINUTE
        bad = bad | too_late | too_early
    ok = ~np.isnan(minutes) & ~bad & (created != NAT)
    values = np.full(len(minutes), NAT, dtype=np.int64)
    values[ok] = created[ok] + np.round(minutes[ok] * _NS_PER_MINUTE).astype(np.int64)
    return values, bad & (created != NAT)


_YES = frozenset({"true", "yes", "y", "1", "x", "checked", "on"})
_NO = frozenset({"false", "no", "n", "0", "unchecked", "off"})


def _yes_no(column: pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    """A checkbox column: which rows say yes, and which hold a word that is neither yes nor no."""
    codes, distinct = encode(column, lambda raw: raw.strip().lower())
    yes = np.array([word in _YES for word in distinct] + [False])  # code -1 (empty) -> no
    unknown = np.array([word not in _YES and word not in _NO for word in distinct] + [False])
    return yes[codes], unknown[codes]


def _mark_escalated(columns: dict[str, np.ndarray], marked: np.ndarray, created: np.ndarray, at: str) -> None:
    """Rows marked escalated without an escalated_at get the `at` timestamp (no such column: no change)."""
    source = created if at == "created_at" else columns.get(at)
    if source is None:
        return
    dated = columns.get("escalated_at")
    columns["escalated_at"] = (np.where(marked, source, NAT) if dated is None
                               else np.where((dated == NAT) & marked, source, dated))


def _build(table, present: set[str], chosen, tags, flag, mapping: Mapping, facts: LoadFacts, bad, created,
           priority, parsed, times) -> Tickets:
    """The ticket arrays, bad rows turned into tombstones in place (no copy of any column)."""
    anything_bad = bool(bad.any())

    def tomb(values: np.ndarray, none) -> np.ndarray:
        if anything_bad:
            values[bad] = none
        return values

    count = len(created) - int(bad.sum())
    created = tomb(created, NAT)
    columns: dict[str, np.ndarray] = {name: tomb(values, NAT) for name, values in parsed.items() if name in present}
    for name in ("updated_at", "first_response_at", *PHASE_COLUMNS):
        if name in present:
            values, blank, _raw = times(name)
            derived = name not in chosen
            if name == "first_response_at" or derived:  # a reply before the ticket existed is not a reply
                blank = blank | ((values != NAT) & (values < created))
            blank = blank & ~bad
            if blank.any():
                facts.blanked_by_column[name] += int(blank.sum())
                values[blank] = NAT
            columns[name] = tomb(values, NAT)
    # Per row: a row whose escalated_at cell is empty (or that has no such column) falls back to
    # its tags, then to the yes/no column, so a partially filled date field still counts the others.
    if mapping.escalation_tag and tags:
        hits = tag_hits(table, tags, "(?i)" + _SEP + "(?P<v>" + re.escape(mapping.escalation_tag) + ")" + _END)
        _mark_escalated(columns, to_numpy(hits.is_valid()), created, mapping.escalation_at)
    if flag is not None:
        marked, unreadable = _yes_no(table.column(flag))
        unreadable &= ~bad
        if unreadable.any():
            facts.blanked_by_column["escalation_flag"] += int(unreadable.sum())
        _mark_escalated(columns, marked, created, mapping.escalation_flag_at)
    root_strings = table.column(chosen["root_cause"]) if "root_cause" in chosen else None
    if mapping.root_cause_tag_prefix and tags:
        from_tags = tag_hits(table, tags, _SEP + re.escape(mapping.root_cause_tag_prefix) + r"(?P<v>[^\s,;|]+)")
        root_strings = from_tags if root_strings is None else pc.coalesce(as_strings(root_strings), from_tags)
    root, root_names = (None, [])
    if root_strings is not None:
        root, root_names = encode(root_strings)
        root = tomb(root, -1)
    packet, packet_ids = (None, [])
    if "packet_id" in chosen:
        packet, packet_ids = encode(table.column(chosen["packet_id"]))
        packet = tomb(packet, -1)
    account, accounts = (None, [])
    if "account" in chosen:
        account, accounts = encode(table.column(chosen["account"]))
        account = tomb(account, -1)
    reopen = None
    if "reopen_count" in chosen:
        values, blank = parse_numbers(as_strings(table.column(chosen["reopen_count"])))
        with np.errstate(invalid="ignore"):
            blank = (blank | (values < 0) | np.isinf(values)
                     | (values != np.floor(values)) & ~np.isnan(values)) & ~bad
        facts.blanked_by_column["reopen_count"] += int(blank.sum())
        values[blank] = np.nan
        reopen = tomb(values, np.nan)
    facts.blanked_by_column = +facts.blanked_by_column  # drop zero counts
    columns.pop("updated_at", None)  # it served the collapse and the escalation marks; no figure reads it
    return Tickets(created=created, priority=tomb(priority, 0), times=columns, root_cause=root,
                   root_causes=root_names, packet=packet, packet_ids=packet_ids, reopen_count=reopen,
                   count=count, account=account, accounts=accounts)
