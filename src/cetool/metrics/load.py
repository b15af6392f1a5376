"""Reading a ticket export into canonical, checked columns (docs/metrics.md#the-canonical-export).

The CSV is read once by pyarrow (only the columns the mapping needs, all as text), mapped onto the
canonical columns, duplicates collapsed, bad rows skipped with reasons, and unparseable optional
values blanked and counted (`cetool.metrics.rows`). The result is plain numpy arrays in
`Tickets`; `cetool.metrics.figures` computes from them. Setup failures (no such file, empty, not CSV, a required column missing)
raise CetoolError, which the CLI turns into exit 2.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

import pyarrow as pa
import pyarrow.csv as pacsv

from cetool.core.errors import CetoolError
from cetool.metrics.csv_file import check_path, check_quotes, first_invalid_utf8, locate, not_utf8, sniff
from cetool.metrics.dates import formats_for, settle_order
from cetool.metrics.mapping import PRESETS, REQUIRED, TIMESTAMPS, Mapping, load_preset
from cetool.metrics.rows import check_rows
from cetool.metrics.tickets import EXAMPLES, LoadFacts, Tickets

_UTC_NS = pa.timestamp("ns", tz="UTC")
# Columns of a few distinct words, read dictionary-encoded by the reader itself (in parallel, and
# 4 bytes a row instead of the text): `cetool.metrics.codes.encode` maps their codes a block at a time.
_CODED = pa.dictionary(pa.int32(), pa.string())
_FEW_VALUES = frozenset({"priority", "root_cause", "account", "packet_id", "escalation_flag"})
FLAG = "escalation_flag"  # the key of the yes/no escalation column in the joined table
# The reader's blocks, each a chunk of every column: at 4 MiB a 5M-row export is about a hundred
# chunks rather than four hundred, and each per-chunk step (fingerprints, layouts, takes) has
# fewer, longer passes (8% quicker on an event log; the same at 1M rows).
_BLOCK_BYTES = 4 << 20
# From this size on, the file is read as a stream of record batches: pyarrow's streaming reader
# parses on one core only (twice the time of its parallel read), but holds a few blocks rather
# than the whole file, which keeps a 20M-row export under 3 GiB (docs/metrics.md#memory).
STREAM_FROM_BYTES = 1 << 30
_PROBE_BYTES = 64 << 10


def _unique(names: list[str]) -> list[str]:
    """Repeated headers (Jira repeats Labels, Comment, ...) get ` [2]`, ` [3]` so none is lost."""
    seen: Counter = Counter()
    out = []
    for name in names:
        seen[name] += 1
        out.append(name if seen[name] == 1 else f"{name} [{seen[name]}]")
    return out


def _finder(names: list[str], unique: list[str]) -> Callable[[tuple[str, ...]], str | None]:
    """The column key of the first candidate header present: exact match first, then ignoring case."""
    first: dict[str, str] = {}
    lowered: dict[str, str] = {}
    for name, key in zip(names, unique):
        first.setdefault(name, key)
        lowered.setdefault(name.lower(), key)

    def find(candidates: tuple[str, ...]) -> str | None:
        for candidate in candidates:
            key = first.get(candidate) or lowered.get(candidate.lower())
            if key is not None:
                return key
        return None

    return find


def _resolve(mapping: Mapping, names: list[str], unique: list[str], display: str) -> tuple[dict[str, str], list[str]]:
    """Canonical column -> the (first) header that carries it; the tag columns (every repeat)."""
    find = _finder(names, unique)
    chosen = {canonical: key for canonical, candidates in mapping.columns.items()
              if (key := find(candidates)) is not None}
    missing = [c for c in REQUIRED if c not in chosen]
    if missing:
        wanted = ", ".join(f"{c} (as {' or '.join(repr(h) for h in mapping.columns[c])})" for c in missing)
        found = ", ".join(repr(n) for n in names[:40]) + (f" ... ({len(names)} in all)" if len(names) > 40 else "")
        raise CetoolError(f"{display}: missing required column(s) {wanted} for preset/mapping "
                          f"{mapping.label!r}{_preset_hint(find, mapping.label)}; the file has columns: {found}. "
                          "For an export no preset fits, say which of its columns is which in a mapping "
                          "file and pass it with --mapping FILE (docs/metrics.md#presets-and-mapping-files)")
    tag_names = {t.lower() for t in mapping.tags}
    tags = [key for name, key in zip(names, unique) if name.lower() in tag_names]
    return chosen, tags


def _preset_hint(find: Callable[[tuple[str, ...]], str | None], current: str) -> str:
    """A preset whose required columns the file has: the export is most likely that vendor's."""
    for name in PRESETS:
        if name != current and all(find(load_preset(name).columns[c]) for c in REQUIRED):
            return f" (it looks like a {name} export: try --preset {name})"
    return ""


def _read(path: Path, display: str, delimiter: str, unique: list[str], wanted: list[str],
          missing: tuple[str, ...], timestamps: list[str], coded: set[str], header_only: bool
          ) -> tuple[pa.Table, list[int], list[tuple[int, int]]]:
    skipped: list[str] = []
    counts: list[tuple[int, int]] = []
    size = path.stat().st_size

    def invalid(row) -> str:
        skipped.append(row.text)  # pyarrow cannot tell the row number of a parallel read
        counts.append((row.expected_columns, row.actual_columns))
        return "skip"

    def attempt(typed: bool, newlines: bool, handler, probe: bool = False) -> pa.Table | None:
        skipped.clear()
        counts.clear()
        types = {name: (_CODED if name in coded else pa.string()) for name in wanted}
        if typed:
            types.update({name: _UTC_NS for name in timestamps})
        options = {
            "read_options": pacsv.ReadOptions(column_names=unique, skip_rows=1,
                                              block_size=_PROBE_BYTES if probe else _BLOCK_BYTES),
            "parse_options": pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=newlines,
                                                invalid_row_handler=handler),
            "convert_options": pacsv.ConvertOptions(
                include_columns=wanted, column_types=types,
                null_values=["", *missing], strings_can_be_null=True, quoted_strings_can_be_null=True)}
        # Opened by its bytes: pyarrow encodes a path given as text to UTF-8, which a file name
        # that is not UTF-8 (docs/security.md#paths) cannot be.
        with pa.OSFile(os.fsencode(path)) as source:
            if probe:  # the first rows only (raises as the whole read would)
                pacsv.open_csv(source, **options)
                return None
            if size < STREAM_FROM_BYTES:
                return pacsv.read_csv(source, **options)
            return pacsv.open_csv(source, **options).read_all()

    # First the fast parallel read with the timestamp columns parsed by the reader itself: it
    # succeeds for the usual machine export (ISO 8601 with offset or Z everywhere) and fails
    # early otherwise. Then everything as text; a quoted value spanning lines needs the careful
    # (serial) read, and only then are rows with the wrong number of fields skipped (and
    # counted) rather than fatal, so a broken quote is never silently mistaken for short rows.
    tries = ((True, False, None), (False, False, None), (False, True, None), (False, True, invalid))
    tries = tries if timestamps else tries[1:]
    if header_only:
        return pa.table({name: pa.array([], pa.string()) for name in wanted}), [], []
    check_quotes(path, display, delimiter)  # before the read: the file's pages are not yet joined by the table
    try:
        for number, (typed, newlines, handler) in enumerate(tries):
            try:
                if typed:  # the first rows tell a vendor's timestamps before a block per core is parsed
                    attempt(typed, newlines, handler, probe=True)
                table = attempt(typed, newlines, handler)
                return table, (locate(path, skipped) if skipped else []), list(counts)
            except pa.ArrowInvalid:
                if number == len(tries) - 1:
                    raise
        raise AssertionError("unreachable")
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        message = str(exc).splitlines()[0]
        if "utf8" in message.lower() or "utf-8" in message.lower():
            raise CetoolError(not_utf8(display, first_invalid_utf8(path))) from None
        raise CetoolError(f"{display}: cannot read as CSV: {message}") from None


@dataclass
class _Part:
    """One file of the export, read and keyed by canonical names."""

    display: str
    table: pa.Table
    skipped: list[int]  # lines pyarrow skipped (wrong number of fields), -1: not found
    fields: list[tuple[int, int]]  # (expected, actual) for each of them
    columns: dict[str, str]  # canonical -> header, for the run facts
    keys: frozenset[str]  # the canonical columns it maps (tags aside)


def _read_part(path: Path, display: str, mapping: Mapping, typed: bool) -> _Part:
    """Read one file and rename its columns to canonical keys: `created_at`, ..., `tag 1`..,
    `<column> (minutes)` for a duration, `escalation_flag`."""
    check_path(path, display)
    delimiter, names, header_only = sniff(path, display)
    unique = _unique(names)
    chosen, tags = _resolve(mapping, names, unique, display)
    # canonical column -> key of its minutes column, for the timestamps no column carries
    in_minutes = {c: unique[names.index(h)] for c, h in mapping.minutes_after_created.items()
                  if c not in chosen and h in names}
    flag = _finder(names, unique)(mapping.escalation_flag)
    keys = {**chosen, **{f"{c} (minutes)": k for c, k in in_minutes.items()},
            **{f"tag {n}": k for n, k in enumerate(tags, start=1)}, **({FLAG: flag} if flag else {})}
    wanted = sorted(set(keys.values()))
    timestamps = [key for canonical, key in chosen.items() if canonical in TIMESTAMPS] if typed else []
    # a header that also serves as a tag or timestamp column stays text
    coded = {key for key in wanted if all(c in _FEW_VALUES for c, used in keys.items() if used == key)}
    table, skipped, fields = _read(path, display, delimiter, unique, wanted, mapping.missing, timestamps, coded,
                                   header_only)
    table = table.select([k for k in keys.values()]).rename_columns(list(keys))
    columns = {c: names[unique.index(k)] for c, k in chosen.items()}
    columns.update({c: f"{names[unique.index(k)]} (minutes after created_at)" for c, k in in_minutes.items()})
    if flag:
        columns["escalation_flag"] = names[unique.index(flag)]
    return _Part(display, table, skipped, fields, columns,
                 frozenset(c for c in keys if not c.startswith("tag ")))


def _joined(parts: list[_Part]) -> pa.Table:
    """The files' tables as one (same canonical columns; a file with fewer tag columns gets
    empty ones)."""
    first = parts[0]
    for part in parts[1:]:
        if part.keys != first.keys:
            only_first = sorted(first.keys - part.keys)
            only_part = sorted(part.keys - first.keys)
            raise CetoolError(
                f"{first.display} and {part.display} map to different columns "
                f"({first.display} only: {', '.join(only_first) or 'none'}; {part.display} only: "
                f"{', '.join(only_part) or 'none'}); several files are read as one export, so they "
                "need the same columns: export them with the same fields")
    if len(parts) == 1:
        return first.table
    return pa.concat_tables([part.table for part in parts], promote_options="default")


def _read_facts(parts: list[_Part], several: bool) -> LoadFacts:
    """The facts of the reading: rows read, the rows the reader skipped, the columns used."""
    facts = LoadFacts(rows_read=sum(p.table.num_rows + len(p.skipped) for p in parts), columns=parts[0].columns)
    for part in parts:
        if part.skipped:
            facts.bad_rows_by_reason["wrong number of fields"] += len(part.skipped)
            where = f"{part.display} " if several else ""
            facts.bad_row_examples.extend(
                f"{where}{f'line {n}' if n > 0 else 'a row'}: wrong number of fields ({actual} instead of {expected})"
                for n, (expected, actual) in zip(part.skipped[:EXAMPLES], part.fields))
    del facts.bad_row_examples[EXAMPLES:]
    return facts


def _return_freed_memory() -> None:
    """Have Arrow hand freed memory back soon. Its default allocator keeps freed pages for
    reuse, but numpy, which takes over the columns, allocates elsewhere: at 20M rows the kept
    pages are a gigabyte of the peak (docs/metrics.md#memory). Handing pages back at once
    costs 10% more time; after 200 ms costs nothing measurable and keeps most of the gain. An
    allocator chosen with ARROW_DEFAULT_MEMORY_POOL is left as it is."""
    if os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        return
    try:
        pool = pa.jemalloc_memory_pool()
        pa.jemalloc_set_decay_ms(200)
    except NotImplementedError:  # a pyarrow built without jemalloc (Windows): release_unused() still helps
        return
    pa.set_memory_pool(pool)


def load_export(sources: list[tuple[Path, str]], mapping: Mapping, input_tz: str, *,
                date_order: str | None = None, order_source: str = "the mapping's date_order",
                progress: Callable[[str], None] | None = None) -> tuple[Tickets, LoadFacts]:
    """The export (one file or several read as one) as checked tickets. `date_order` overrides
    the mapping's; `order_source` names where it came from, for messages."""
    step = progress or (lambda _message: None)
    step("reading the export")
    _return_freed_memory()
    several = len(sources) > 1
    # Timestamps with offsets are parsed by the reader itself. Several files are read as one
    # table, so their columns need one type: when one file's timestamps are text (another form),
    # the files the reader parsed are read again as text.
    parts = [_read_part(path, display, mapping, typed=True) for path, display in sources]
    if several and len({tuple(part.table.schema.types) for part in parts}) > 1:
        parts = [_read_part(path, display, mapping, typed=False) for path, display in sources]
    table = _joined(parts)
    pa.default_memory_pool().release_unused()  # the reader's blocks: Arrow's allocator would keep them
    facts = _read_facts(parts, several)
    display = ", ".join(d for _p, d in sources)
    timestamps = {facts.columns[c]: table.column(c) for c in TIMESTAMPS if c in table.column_names}
    order, settled_by = settle_order(timestamps, mapping.date_formats, date_order or mapping.date_order,
                                     order_source if date_order else "the mapping's date_order", display)
    facts.date_order, facts.date_order_from = order, settled_by
    mapping = replace(mapping, date_formats=formats_for(mapping.date_formats, order))
    step("parsing timestamps")
    chosen = {c: c for c in table.column_names if c in mapping.columns}
    in_minutes = {c.removesuffix(" (minutes)"): c for c in table.column_names if c.endswith(" (minutes)")}
    tags = [c for c in table.column_names if c.startswith("tag ")]
    flag = FLAG if FLAG in table.column_names else None
    rows = [(part.display if several else None, part.table.num_rows, part.skipped) for part in parts]
    # check_rows holds the only reference to the table read, so that it is freed once the
    # duplicates are collapsed (at 5M rows a third of the peak memory)
    handed = [table]
    del parts, table, timestamps
    return check_rows(handed.pop(), chosen, in_minutes, tags, flag, mapping, input_tz, facts, rows, display)
