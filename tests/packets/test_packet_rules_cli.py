"""Every packet rule through the CLI: a mutation of a valid packet gives exactly that code (with
the exit code it should), and the unmutated packet passes."""

from __future__ import annotations

import json

import pytest

from packet_builders import make_docs_root, packet_data, write_packet


def _without(section: str | None, key: str):
    def change(data):
        (data[section] if section else data).pop(key)
    return change


def _set(section: str | None, key: str, value):
    def change(data):
        (data[section] if section else data)[key] = value
    return change


CASES = [
    # (code, mutation, exit code without --strict)
    ("missing", _without("context", "business_impact"), 1),
    ("unknown-key", _set(None, "severtiy", "P2"), 1),
    ("invalid-value", _set(None, "severity", "P0"), 1),
    ("placeholder", _set("proposed_path", "hypothesis", "TBD"), 1),
    ("undefined-category", _set(None, "category", "bug"), 1),
    ("undefined-team", _set(None, "route_to", "engineering"), 1),
    ("route-not-owner", _set(None, "category", "integration-issue"), 1),
    ("gate-forbids-sender", _set(None, "from_team", "tam"), 1),
    ("owner-required", _without(None, "owner"), 1),
    ("owner-is-team", _set(None, "owner", "product-engineering"), 1),
    ("unknown-known-issue", _set(None, "known_issue", "KI-9999"), 1),
    ("single-repro-step", _set("reproduction", "steps", ["Only one step here"]), 0),
    ("no-evidence", _without("reproduction", "evidence"), 0),
    ("matrix-version-mismatch", _set(None, "matrix_version", "2025.1"), 0),
]


@pytest.fixture
def docs(tmp_path):
    packets = make_docs_root(tmp_path, known_issues=("KI-0001",))
    return tmp_path, packets


def run(cli, root, *extra):
    result = cli("packet", "validate", root / "packets", "--matrix", root / "ownership.yaml", "--format", "json", *extra)
    return result.exit_code, [p["code"] for p in json.loads(result.output)["problems"]
                              if p["severity"] in ("error", "warning")]


def test_the_valid_packet_passes_strict(cli, docs):
    root, packets = docs
    write_packet(packets, packet_data(known_issue="KI-0001"))
    assert run(cli, root, "--strict") == (0, [])


@pytest.mark.parametrize("code, change, exit_code", CASES, ids=[case[0] for case in CASES])
def test_each_rule_through_the_cli(cli, docs, code, change, exit_code):
    root, packets = docs
    data = packet_data(known_issue="KI-0001")
    change(data)
    write_packet(packets, data)
    assert run(cli, root) == (exit_code, [code])
    assert run(cli, root, "--strict")[0] == 1


def test_duplicate_id_and_file_name_through_the_cli(cli, docs):
    root, packets = docs
    write_packet(packets, packet_data(id="ESC-1"), "ESC-1.yaml")
    write_packet(packets, packet_data(id="esc-1"), "esc-1-copy.yaml")
    code, codes = run(cli, root)
    assert code == 1 and sorted(codes) == ["duplicate-id", "filename-mismatch"]


@pytest.mark.parametrize("schema_error", [
    _set("reproduction", "reproducible", "sometimes"),
    _without("reproduction", "expected"),
    _set(None, "colour", "red"),
    _set(None, "title", "TODO"),
], ids=["invalid-value", "missing", "unknown-key", "placeholder"])
def test_a_schema_error_does_not_hide_routing_references_or_the_file_name(cli, docs, schema_error):
    root, packets = docs
    data = packet_data(route_to="support", owner="support", known_issue="KI-9999")
    schema_error(data)
    write_packet(packets, data, "draft.yaml")
    exit_code, found = run(cli, root)
    assert exit_code == 1
    assert {"route-not-owner", "owner-is-team", "unknown-known-issue", "filename-mismatch"} <= set(found)


def test_a_field_with_its_own_error_gets_no_second_routing_error(cli, docs):
    root, packets = docs
    write_packet(packets, packet_data(severity="P9", category="TBD", route_to=["a list"]))
    exit_code, found = run(cli, root)
    assert exit_code == 1 and sorted(found) == ["invalid-value", "invalid-value", "placeholder"]


def test_an_id_that_is_no_id_gives_one_problem_per_node_in_every_file(cli, tmp_path):
    """`PacketHead` is the one reader of raw fields: a bad id is `invalid-value` and nothing
    more, not also a `duplicate-id` (nor a `filename-mismatch`) in the second file holding it."""
    packets = make_docs_root(tmp_path)
    for name in ("a.yaml", "b.yaml"):
        write_packet(packets, packet_data(id="ESC bad id"), name=name)
    result = cli("packet", "validate", "--matrix", tmp_path / "ownership.yaml", "--format", "json")
    problems = json.loads(result.output)["problems"]
    at_id = [(p["file"].rsplit("/", 1)[-1], p["code"]) for p in problems if p["path"] == "id"]
    assert sorted(at_id) == [("a.yaml", "invalid-value"), ("b.yaml", "invalid-value")]
    nodes = [(p["file"], p["path"]) for p in problems]
    assert len(nodes) == len(set(nodes)), problems
    assert result.exit_code == 1


def test_a_placeholder_id_is_one_placeholder_problem_not_a_duplicate(cli, tmp_path):
    packets = make_docs_root(tmp_path)
    for name in ("a.yaml", "b.yaml"):
        write_packet(packets, packet_data(id="TODO"), name=name)
    result = cli("packet", "validate", "--matrix", tmp_path / "ownership.yaml", "--format", "json")
    at_id = sorted(p["code"] for p in json.loads(result.output)["problems"] if p["path"] == "id")
    assert at_id == ["placeholder", "placeholder"]
