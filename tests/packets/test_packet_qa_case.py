"""QA regressions: `owner` naming a team in another case is still a team; `known_issue`
resolves ignoring case (ids are unique ignoring case)."""

from __future__ import annotations

import json

import pytest

from packet_builders import make_docs_root, packet_data, write_packet


@pytest.fixture
def docs(tmp_path):
    packets = make_docs_root(tmp_path, known_issues=("KI-0001",))
    return tmp_path, packets


def run(cli, root):
    result = cli("packet", "validate", root / "packets", "--matrix", root / "ownership.yaml", "--format", "json")
    return result.exit_code, [p["code"] for p in json.loads(result.output)["problems"] if p["severity"] != "info"]


@pytest.mark.parametrize("owner", ["Product-Engineering", "PRODUCT-ENGINEERING", " product-engineering "])
def test_owner_equal_to_a_team_key_ignoring_case_is_a_team(cli, docs, owner):
    root, packets = docs
    write_packet(packets, packet_data(known_issue="KI-0001", owner=owner))
    assert run(cli, root) == (1, ["owner-is-team"])


def test_a_person_is_not_a_team(cli, docs):
    root, packets = docs
    write_packet(packets, packet_data(known_issue="KI-0001", owner="Product.Engineer"))
    assert run(cli, root) == (0, [])


@pytest.mark.parametrize("ref, expected", [("ki-0001", (0, [])), ("Ki-0001", (0, [])),
                                           ("ki-0002", (1, ["unknown-known-issue"]))])
def test_known_issue_reference_ignores_case(cli, docs, ref, expected):
    root, packets = docs
    write_packet(packets, packet_data(known_issue=ref))
    assert run(cli, root) == expected


def test_packet_new_refuses_an_owner_that_is_a_team_in_another_case(cli, docs):
    root, packets = docs
    result = cli("packet", "new", "--matrix", root / "ownership.yaml", "--owner", "Product-Engineering",
                 "--today", "2026-11-23")
    assert result.exit_code == 2 and "not a team" in result.output
    assert list(packets.iterdir()) == []
