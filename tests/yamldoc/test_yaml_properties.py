"""Property tests of the YAML loader: positions point at the right line, and plain scalars come
back exactly as written (spec section 0: `NO` stays `NO`, `2026.10` stays `2026.10`)."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from yaml.emitter import Emitter

from cetool.yamldoc.loader import load_yaml_text

KEYS = st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True).filter(lambda k: not k.startswith("x-"))
NULL_WORDS = {"", "~", "null", "Null", "NULL"}


def is_plain(value: str) -> bool:
    """What YAML's own emitter would accept as a one-line block plain scalar."""
    analysis = Emitter(io.StringIO()).analyze_scalar(value)
    return analysis.allow_block_plain and not analysis.multiline and not analysis.empty


PLAIN = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=30
).filter(lambda v: is_plain(v) and v not in NULL_WORDS and v.strip() == v)


@pytest.mark.parametrize("written", ["NO", "no", "yes", "on", "2026.10", "0012", "1e3", "0x1F", ".inf", "true",
                                     "2026-10-01", "12:30", "-1", "+3", "1_000"])
def test_yaml_1_1_lookalikes_stay_strings(written):
    doc, problems = load_yaml_text(f"value: {written}\n", "f.yaml")
    assert problems == [] and doc.data == {"value": written}


@settings(max_examples=300)
@given(value=PLAIN)
def test_plain_scalars_round_trip_as_written(value):
    doc, problems = load_yaml_text(f"key: {value}\nlist:\n  - {value}\n", "f.yaml")
    assert problems == []
    assert doc.data == {"key": value, "list": [value]}


@settings(max_examples=200)
@given(
    entries=st.lists(
        st.tuples(KEYS, st.one_of(PLAIN, st.lists(PLAIN, min_size=1, max_size=4))),
        min_size=1, max_size=12, unique_by=lambda entry: entry[0],
    ),
    blank_lines=st.lists(st.booleans(), min_size=12, max_size=12),
    crlf=st.booleans(),
)
def test_positions_point_at_the_written_line(entries, blank_lines, crlf):
    lines: list[str] = ["# leading comment"]
    expected: dict[tuple, int] = {}
    for index, (key, value) in enumerate(entries):
        if blank_lines[index]:
            lines.append("")
        if isinstance(value, str):
            lines.append(f"{key}: {value}")
            expected[(key,)] = len(lines)
        else:
            lines.append(f"{key}:  # a list")
            for position, item in enumerate(value):
                lines.append(f"  - {item}")
                expected[(key, position)] = len(lines)
    text = ("\r\n" if crlf else "\n").join(lines) + "\n"
    doc, problems = load_yaml_text(text, "f.yaml")
    assert problems == []
    for path, line in expected.items():
        assert doc.position(path).line == line, path
    for key, _ in entries:
        assert doc.position((key,), at_key=True).column == 1


@given(offset=st.integers(min_value=0, max_value=500), value=PLAIN)
def test_line_offset_shifts_positions(offset, value):
    doc, _ = load_yaml_text(f"a: 1\nb: {value}\n", "f.md", line_offset=offset)
    assert doc.position(("b",)).line == 2 + offset
