"""Placeholders (spec section 0), including the empty angle brackets `<>` and `< >`."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cetool.core.placeholders import is_placeholder


@pytest.mark.parametrize("value", [None, "", "  ", "TODO", "tbd", " FixMe ", "XXX", "n/a", "?", "...", "-",
                                   "<customer name>", "<>", "< >", " <> ", "<a_b-c 1>"])
def test_placeholders(value):
    assert is_placeholder(value)


@pytest.mark.parametrize("value", ["<Response [401]>", "<a.b>", "Acme Corp", "TODO list review", "<<>>", "0"])
def test_real_values(value):
    assert not is_placeholder(value)


@given(st.text(alphabet="abcXYZ09 _-", max_size=20))
def test_any_angle_slot_of_letters_digits_spaces_dashes_underscores_is_a_placeholder(inside):
    assert is_placeholder(f"<{inside}>")


def test_empty_angle_brackets_fail_a_packet_through_the_cli(cli, tmp_path):
    import json
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "packets"))
    from packet_builders import make_docs_root, packet_data, write_packet

    packets = make_docs_root(tmp_path, known_issues=("KI-0001",))
    data = packet_data(known_issue="KI-0001")
    data["context"]["customer"] = "<>"
    write_packet(packets, data)
    result = cli("packet", "validate", packets, "--matrix", tmp_path / "ownership.yaml", "--format", "json")
    problems = json.loads(result.output)["problems"]
    assert result.exit_code == 1
    assert [(p["code"], p["path"]) for p in problems if p["severity"] == "error"] == [("placeholder", "context.customer")]


_WORDS = {"todo", "tbd", "fixme", "xxx", "n/a", "?", "...", "-"}


@given(st.one_of(st.sampled_from(sorted(_WORDS) + ["TODO", " Tbd\t", "<x>", "<>", "FIXME!", "İ", "TODOS"]),
                 st.text(alphabet="tToOdDbBxX?.-/<>nNaİ ß\t", max_size=8)))
def test_the_quick_tests_decide_as_the_plain_rule(value):
    """The word list and the angle pattern, checked without shortcuts (is_placeholder skips the
    lookup for texts longer than any word, and the pattern for texts not starting with `<`)."""
    text = value.strip()
    plain = not text or text.lower() in _WORDS or re.fullmatch(r"<[A-Za-z0-9 _-]*>", text) is not None
    assert is_placeholder(value) == plain
