"""F3, F7 and the metrics items of F8 of issue 14: exports and options that ended in exit 3 or
used gigabytes now end in a "no data" report (exit 0) or exit 2 with words."""

from __future__ import annotations

import json
import os
import tracemalloc

import pytest
from hypothesis import given, settings, strategies as st

from cetool.metrics.csv_file import unclosed_quote_line
from security_tools import EXAMPLE_EXPORT, REPO, assert_handled, cetool

WEEK = ["--week", "2026-W47", "--docs-root", REPO]

# F3: a reopen column and no data rows, or rows that all have the wrong field count.
NO_DATA_EXPORTS = {
    "zendesk-reopens": ("Id,Created at,Priority,Reopens\n", ["--preset", "zendesk"]),
    "canonical-reopen_count": ("ticket_id,created_at,priority,reopen_count\n", []),
    "servicenow": ("number,opened_at,priority,reopen_count\n", ["--preset", "servicenow"]),
    "every-row-wrong-width": ("ticket_id,created_at,priority,reopen_count\nT1,2026-11-20T10:00:00Z\n"
                              "T2,2026-11-20T10:00:00Z,P1,1,extra,more\n", []),
}


@pytest.mark.parametrize("name", NO_DATA_EXPORTS)
@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "html"])
def test_an_export_without_usable_rows_is_a_no_data_report(tmp_path, name, fmt) -> None:
    text, options = NO_DATA_EXPORTS[name]
    export = tmp_path / "e.csv"
    export.write_text(text, encoding="utf-8")
    run = cetool("metrics", "weekly", export, *options, *WEEK, "-f", fmt)
    assert_handled(run, codes=(0,))
    if fmt == "json":
        assert json.loads(run.stdout)
    else:
        assert "no data" in run.stdout.lower()


def test_every_row_wrong_is_counted_and_strict_fails(tmp_path) -> None:
    text, _ = NO_DATA_EXPORTS["every-row-wrong-width"]
    export = tmp_path / "e.csv"
    export.write_text(text, encoding="utf-8")
    result = json.loads(cetool("metrics", "weekly", export, *WEEK, "-f", "json").stdout)
    assert result["run"]["bad_rows"] == 2
    assert_handled(cetool("metrics", "weekly", export, *WEEK, "--strict"), codes=(1,))


# F7: an unclosed quote is found by a scan whose memory is one block, whatever the file holds.
def test_the_quote_scan_memory_is_bounded_by_its_block(tmp_path) -> None:
    export = tmp_path / "big.csv"
    row = b"T1,2026-11-20T10:00:00Z,P1,some text without quotes\n"
    with open(export, "wb") as handle:
        handle.write(b"ticket_id,created_at,priority,note\n")
        handle.write(b'T0,2026-11-20T10:00:00Z,P1,"never closed\n')
        block = row * (1 << 14)
        for _ in range(24 * (1 << 20) // len(block)):  # 24 MiB after the open quote
            handle.write(block)
    tracemalloc.start()
    try:
        line = unclosed_quote_line(export, ",")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert line == 2
    assert peak < 4 * (1 << 20), peak  # csv.reader held the whole open value: 24 MiB here


def test_an_unclosed_quote_names_its_line(tmp_path) -> None:
    rows = EXAMPLE_EXPORT.read_text(encoding="utf-8").splitlines()
    rows.insert(4, rows[4].replace(",", ',"', 1))  # line 5 opens a quote it never closes
    export = tmp_path / "e.csv"
    export.write_text("\n".join(rows) + "\n", encoding="utf-8")
    run = cetool("metrics", "weekly", export, *WEEK)
    assert_handled(run, codes=(2,))
    assert "line 5" in run.stderr and "closing quote" in run.stderr


def _reference(text: str, delimiter: str) -> int | None:
    """The CSV quote states one character at a time: where an unclosed quoted value opens."""
    state, line, opened = "start", 1, None
    for char in text:
        ends_field = char in (delimiter, "\n", "\r")
        if state == "start":
            state, opened = ("quoted", line) if char == '"' else ("start" if ends_field else "field", opened)
        elif state == "field":
            state = "start" if ends_field else "field"
        elif state == "quoted":
            state = "quote" if char == '"' else "quoted"
        else:  # a quote seen inside a quoted value
            state = "quoted" if char == '"' else ("start" if ends_field else "field")
        line += char == "\n"
    return opened if state == "quoted" else None


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet='ab",;\t\n\r', max_size=60), delimiter=st.sampled_from([",", ";", "\t"]),
       block=st.sampled_from([1, 2, 3, 5, 64]), bom=st.booleans())
def test_the_streaming_scan_agrees_with_the_quote_states(tmp_path_factory, text, delimiter, block, bom) -> None:
    path = tmp_path_factory.mktemp("quotes") / "e.csv"
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode())
    assert unclosed_quote_line(path, delimiter, block) == _reference(text, delimiter)


# F8, metrics items.
def test_cr_only_line_ends_are_exit_2_with_a_way_out(tmp_path) -> None:
    export = tmp_path / "mac.csv"
    export.write_bytes(b"ticket_id,created_at,priority\rT1,2026-11-20T10:00:00Z,P1\r")
    run = cetool("metrics", "weekly", export, *WEEK)
    assert_handled(run, codes=(2,))
    assert "carriage return" in run.stderr


@pytest.mark.parametrize("fmt", ["%d/%m/%Y %d", "%Y%Y", "%z%z"])
def test_a_date_format_naming_a_directive_twice_is_a_mapping_error(tmp_path, fmt) -> None:
    mapping = tmp_path / "m.yaml"
    mapping.write_text("columns:\n  ticket_id: ticket_id\n  created_at: created_at\n  priority: priority\n"
                       f'date_formats: ["{fmt}"]\n', encoding="utf-8")
    run = cetool("metrics", "weekly", EXAMPLE_EXPORT, "--mapping", mapping, *WEEK)
    assert_handled(run, codes=(2,))
    assert "m.yaml:5" in run.stderr and "twice" in run.stderr


@pytest.mark.parametrize("fmt", ["json", "text", "html"])
def test_an_export_name_that_is_not_utf8_is_shown_with_a_replacement(tmp_path, fmt) -> None:
    name = os.fsdecode(b"export-\xff.csv")
    export = tmp_path / name
    export.write_bytes(EXAMPLE_EXPORT.read_bytes())
    run = cetool("metrics", "weekly", export, *WEEK, "-f", fmt)
    assert_handled(run, codes=(0,))
    assert "export-\ufffd.csv" in run.stdout


@pytest.mark.parametrize("option", ["--tz", "--input-tz"])
def test_a_5000_character_time_zone_is_unknown(option) -> None:
    run = cetool("metrics", "weekly", EXAMPLE_EXPORT, *WEEK, option, "Europe/" + "A" * 5000)
    assert_handled(run, codes=(2,))
    assert "unknown time zone" in run.stderr and len(run.stderr) < 400


def test_an_encoding_the_file_is_not_in_is_exit_2(tmp_path) -> None:
    """Found by the fuzz suite: UTF-16 without its byte-order mark raised UnicodeError (exit 3)."""
    run = cetool("metrics", "weekly", EXAMPLE_EXPORT, "--encoding", "utf-16", *WEEK)
    assert_handled(run, codes=(2,))
    assert "utf-16" in run.stderr and "--encoding" in run.stderr
