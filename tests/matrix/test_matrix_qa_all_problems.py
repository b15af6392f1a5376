"""QA regressions: a schema error in ownership.yaml no longer hides its other problems (spec
section 0: one run reports all problems), duplicate list entries are reported, and the gated
team's category count counts distinct categories."""

from __future__ import annotations

import json
from datetime import date

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from matrix_builders import matrix_data, write_matrix

TODAY = "2026-11-23"


def _break_rules(data: dict) -> dict:
    """Two rule errors on top of whatever schema error the test adds: an unowned category and a
    second gate to the same team."""
    data["categories"]["lonely"] = {"description": "A category nobody owns"}
    data["escalation"]["gates"].append({"to": "product-engineering", "from": ["support"]})
    return data


def _codes(cli, path, *extra):
    result = cli("matrix", "check", path, "--format", "json", "--today", TODAY, *extra)
    payload = json.loads(result.stdout)
    return result.exit_code, [(p["code"], p["path"]) for p in payload["problems"]]


def _unknown_key(data):
    data["bogus"] = 1


def _bad_severity(data):
    data["escalation"]["named_owner_for"] = ["P1", "P5"]


def _team_without_owns(data):
    del data["teams"]["support"]["owns"]


def _gate_without_from(data):
    data["escalation"]["gates"][0] = {"to": "product-engineering"}


@pytest.mark.parametrize("schema_error, expected", [
    (_unknown_key, ("unknown-key", "bogus")),
    (_bad_severity, ("invalid-value", "escalation.named_owner_for[1]")),
    (_team_without_owns, ("missing", "teams.support.owns")),
    (_gate_without_from, ("missing", "escalation.gates[0].from")),
])
def test_a_schema_error_does_not_hide_the_matrix_rules(cli, tmp_path, schema_error, expected):
    data = _break_rules(matrix_data())
    schema_error(data)
    path = write_matrix(tmp_path, data)
    exit_code, codes = _codes(cli, path)
    assert exit_code == 1
    assert expected in codes
    assert ("unowned-category", "categories.lonely") in codes
    assert ("duplicate-gate", "escalation.gates[1].to") in codes
    if schema_error is _team_without_owns:  # what support owned is now unowned: reported too
        assert ("unowned-category", "categories.intake") in codes
    # a gate without `from` is one `missing` error, not also an "empty from" warning
    assert not any(code == "gate-empty-from" for code, _ in codes)


def test_a_matrix_with_schema_errors_still_cannot_route_but_prints_all_problems(cli, tmp_path):
    data = _break_rules(matrix_data())
    data["bogus"] = 1
    path = write_matrix(tmp_path, data)
    result = cli("route", "intake", "--matrix", path)
    assert result.exit_code == 2
    assert "unknown-key" in result.output and "unowned-category" in result.output
    assert "duplicate-gate" in result.output


def test_unusable_parts_are_skipped_not_reported_twice(cli, tmp_path):
    data = matrix_data()
    data["categories"] = "not a mapping"  # the undefined-category and unowned rules need categories
    data["teams"]["support"]["owns"].append("TODO")  # a placeholder item is just a placeholder
    data["escalation"]["gates"].append("not a gate")
    data["effective"] = "someday"
    path = write_matrix(tmp_path, data)
    exit_code, codes = _codes(cli, path)
    assert exit_code == 1
    assert not any(code in ("undefined-category", "unowned-category") for code, _ in codes)
    assert ("placeholder", "teams.support.owns[2]") in codes
    assert [c for c, _ in codes].count("placeholder") == 1


def test_lenient_view_core_keeps_indices_and_skips_the_unusable():
    from cetool.matrix.view import lenient_matrix

    view = lenient_matrix({"teams": {"a": {"owns": ["x", "TBD", {"y": 1}, "z"]}, "b": "oops"},
                           "escalation": {"gates": [{"to": "a"}, 3, {"to": "b", "from": ["a"]}]},
                           "effective": "2026-10-01", "review_by": "later"})
    assert view.teams["a"].owns == ["x", None, None, "z"] and view.teams["b"].owns == []
    assert view.categories is None
    assert view.escalation.gates[0].from_ is None and view.escalation.gates[1] is None
    assert view.escalation.gates[2].from_ == ["a"]
    assert view.effective == date(2026, 10, 1) and view.review_by is None
    assert lenient_matrix(["not", "a", "mapping"]) is None


@pytest.mark.parametrize("field", ["owns", "consults_on", "does_not_own"])
def test_a_duplicate_entry_in_a_team_list_is_a_warning_at_the_second(cli, tmp_path, field):
    data = matrix_data()
    team = data["teams"]["customer-engineering"]
    item = team[field][0]
    team[field].append(item)
    path = write_matrix(tmp_path, data)
    index = len(team[field]) - 1
    exit_code, codes = _codes(cli, path)
    assert exit_code == 0 and codes == [("duplicate-entry", f"teams.customer-engineering.{field}[{index}]")]
    assert _codes(cli, path, "--strict")[0] == 1
    message = json.loads(cli("matrix", "check", path, "--format", "json", "--today", TODAY).stdout)["problems"][0]
    assert message["severity"] == "warning" and "item 0" in message["message"]


def test_duplicates_in_gate_from_and_named_owner_for_are_reported(cli, tmp_path):
    data = matrix_data()
    data["escalation"]["gates"][0]["from"] = ["customer-engineering", "customer-engineering"]
    data["escalation"]["named_owner_for"] = ["P1", "P2", "P1"]
    exit_code, codes = _codes(cli, write_matrix(tmp_path, data))
    assert exit_code == 0
    assert sorted(codes) == [("duplicate-entry", "escalation.gates[0].from[1]"),
                             ("duplicate-entry", "escalation.named_owner_for[2]")]


def test_the_gated_team_size_warning_counts_distinct_categories(cli, tmp_path):
    data = matrix_data()
    pe = data["teams"]["product-engineering"]
    for key in ("a", "b", "c"):
        data["categories"][key] = {"description": f"Category {key}"}
        pe["owns"].append(key)
    pe["owns"].append("confirmed-bug")  # 5 distinct categories, 6 entries
    path = write_matrix(tmp_path, data)
    _, codes = _codes(cli, path)
    assert [c for c, _ in codes] == ["duplicate-entry"]
    data["categories"]["d"] = {"description": "Category d"}
    pe["owns"].append("d")  # 6 distinct: the warning, saying 6
    result = cli("matrix", "check", write_matrix(tmp_path, data), "--format", "json", "--today", TODAY)
    [warning] = [p for p in json.loads(result.stdout)["problems"] if p["code"] == "gate-team-owns-too-much"]
    assert "owns 6 categories" in warning["message"]


_scalar = st.one_of(st.none(), st.sampled_from(["support", "intake", "TBD", "P1", "P5", "", "2026-10-01", "x"]))
_value = st.recursive(_scalar, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(st.sampled_from(["name", "owns", "from", "to", "gates", "support", "intake", "description",
                                     "consults_on", "does_not_own", "named_owner_for"]), inner, max_size=4)),
    max_leaves=20)


@settings(max_examples=150, deadline=None)
@given(st.fixed_dictionaries({}, optional={k: _value for k in (
    "version", "effective", "review_by", "teams", "categories", "escalation", "bogus")}))
def test_any_malformed_matrix_gives_problems_never_a_crash(data):
    from cetool.matrix.load import load_matrix_text

    loaded = load_matrix_text(yaml.safe_dump(data), "ownership.yaml", today=date(2026, 11, 23))
    assert all(p.file == "ownership.yaml" for p in loaded.problems)
    if loaded.matrix is None:
        assert loaded.errors
