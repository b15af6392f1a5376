"""Every matrix rule through `cetool matrix check`: one mutation of a valid matrix gives exactly
that code with the right exit code; the unmutated matrix passes --strict."""

from __future__ import annotations

import json

import pytest

from matrix_builders import matrix_data, write_matrix


def add_category(key, owners=()):
    def change(data):
        data["categories"][key] = {"description": f"The {key} category"}
        for team in owners:
            data["teams"][team]["owns"].append(key)
    return change


def append(team, field, value):
    def change(data):
        data["teams"][team].setdefault(field, []).append(value)
    return change


def set_top(key, value):
    def change(data):
        data[key] = value
    return change


def gates(*gate_list):
    def change(data):
        data["escalation"]["gates"] = list(gate_list)
    return change


def many_owned(data):
    for index in range(4):
        add_category(f"extra-{index}", ["product-engineering"])(data)


CASES = [
    ("unowned-category", add_category("orphan"), 1),
    ("ambiguous-owner", add_category("shared", ["support", "product-engineering"]), 1),
    ("undefined-category", append("support", "consults_on", "ghost"), 1),
    ("undefined-team", gates({"to": "platform", "from": ["customer-engineering"]}), 1),
    ("owns-and-does-not-own", append("support", "does_not_own", "intake"), 1),
    ("owns-and-consults", append("customer-engineering", "consults_on", "deep-debugging"), 1),
    ("duplicate-gate", gates({"to": "product-engineering", "from": ["customer-engineering"]},
                             {"to": "product-engineering", "from": ["support"]}), 1),
    ("review-before-effective", set_top("effective", "2027-02-01"), 1),
    ("invalid-key", add_category("Bad_Key", ["support"]), 1),
    ("review-overdue", set_top("review_by", "2026-11-01"), 0),
    ("review-interval-long", set_top("review_by", "2027-03-01"), 0),
    ("gate-empty-from", gates({"to": "product-engineering", "from": []}), 0),
    ("gate-team-owns-too-much", many_owned, 0),
    ("missing", lambda data: data.pop("effective"), 1),
    ("unknown-key", set_top("reviewed_by", "someone"), 1),
    ("placeholder", set_top("version", "TBD"), 1),
]


def run(cli, path, *extra):
    result = cli("matrix", "check", path, "--today", "2026-11-23", "--format", "json", *extra)
    return result.exit_code, [p["code"] for p in json.loads(result.output)["problems"]]


def test_the_valid_matrix_passes_strict(cli, tmp_path):
    assert run(cli, write_matrix(tmp_path), "--strict") == (0, [])


@pytest.mark.parametrize("code, change, exit_code", CASES, ids=[case[0] for case in CASES])
def test_each_rule_through_the_cli(cli, tmp_path, code, change, exit_code):
    data = matrix_data()
    change(data)
    path = write_matrix(tmp_path, data)
    assert run(cli, path) == (exit_code, [code])
    assert run(cli, path, "--strict")[0] == 1
