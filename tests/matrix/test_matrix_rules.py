"""Spec section 1 rules through the core (load_matrix_text): each with a failing and a passing case,
each problem at the line of the offending node."""

from __future__ import annotations

from datetime import date

import pytest

from cetool.core.findings import Code, Severity
from cetool.matrix.load import load_matrix_text
from matrix_builders import dump, line_of, matrix_data

TODAY = date(2026, 11, 23)


def load(data, today=TODAY):
    text = dump(data) if isinstance(data, dict) else data
    return text, load_matrix_text(text, "ownership.yaml", today=today)


def codes(result):
    return [p.code for p in result.problems]


def only(result, code):
    found = [p for p in result.problems if p.code == code]
    assert len(found) == 1, result.problems
    return found[0]


def test_base_matrix_has_no_problems_and_is_built():
    _, result = load(matrix_data())
    assert result.problems == []
    assert result.matrix is not None
    assert result.matrix.owner_of("confirmed-bug") == "product-engineering"
    assert result.matrix.named_owner_for == ["P1", "P2"]


def test_project_matrix_is_valid(repo_root):
    from cetool.matrix.load import load_matrix

    result = load_matrix(repo_root / "ownership.yaml", today=TODAY)
    assert result.problems == []
    teams = result.matrix.teams
    assert set(teams) == {"support", "customer-engineering", "product-engineering", "tam"}
    assert teams["product-engineering"].owns == ["confirmed-bug", "architecture-decision",
                                                  "codebase-investigation", "systemic-rca"]
    assert set(teams["customer-engineering"].consults_on) == {
        "implementation-planning", "account-configuration", "suspected-bug", "tam-technical-escalation"}


def test_unowned_category_at_its_key():
    data = matrix_data()
    data["categories"]["orphan"] = {"description": "Nobody owns this one"}
    text, result = load(data)
    problem = only(result, Code.UNOWNED_CATEGORY)
    assert (problem.line, problem.column, problem.path) == (line_of(text, "orphan:"), 3, "categories.orphan")
    assert result.matrix is None and result.parsed is not None


def test_ambiguous_owner_names_both_teams():
    data = matrix_data()
    data["teams"]["product-engineering"]["owns"].append("deep-debugging")
    text, result = load(data)
    problem = only(result, Code.AMBIGUOUS_OWNER)
    assert problem.line == line_of(text, "  deep-debugging:")
    assert "customer-engineering" in problem.message and "product-engineering" in problem.message


@pytest.mark.parametrize("field", ["owns", "consults_on", "does_not_own"])
def test_undefined_category_in_team_lists(field):
    data = matrix_data()
    data["teams"]["support"].setdefault(field, []).append("no-such-category")
    text, result = load(data)
    problem = only(result, Code.UNDEFINED_CATEGORY)
    assert problem.line == line_of(text, "- no-such-category")
    assert problem.path.startswith(f"teams.support.{field}[")


def test_gate_naming_undefined_teams():
    data = matrix_data()
    data["escalation"]["gates"] = [{"to": "platform", "from": ["customer-engineering", "sales"]}]
    text, result = load(data)
    undefined = [p for p in result.problems if p.code == Code.UNDEFINED_TEAM]
    assert [(p.path, p.line) for p in undefined] == [
        ("escalation.gates[0].to", line_of(text, "to: platform")),
        ("escalation.gates[0].from[1]", line_of(text, "- sales")),
    ]


def test_owns_and_does_not_own():
    data = matrix_data()
    data["teams"]["support"]["does_not_own"].append("intake")
    text, result = load(data)
    problem = only(result, Code.OWNS_AND_DOES_NOT_OWN)
    assert problem.path == "teams.support.does_not_own[1]"
    assert problem.line == line_of(text, "- intake", 2)


def test_owns_and_consults_on():
    data = matrix_data()
    data["teams"]["customer-engineering"]["consults_on"].append("deep-debugging")
    text, result = load(data)
    problem = only(result, Code.OWNS_AND_CONSULTS)
    assert problem.path == "teams.customer-engineering.consults_on[1]"


def test_duplicate_gate_at_second_names_first_line():
    data = matrix_data()
    data["escalation"]["gates"].append({"to": "product-engineering", "from": ["support"]})
    text, result = load(data)
    problem = only(result, Code.DUPLICATE_GATE)
    assert problem.line == line_of(text, "to: product-engineering", 2)
    assert f"line {line_of(text, 'to: product-engineering')}" in problem.message


@pytest.mark.parametrize("review_by", ["2026-10-01", "2026-09-30"])
def test_review_by_not_after_effective(review_by):
    data = matrix_data()
    data["review_by"] = review_by
    text, result = load(data, today=date(2026, 9, 1))
    problem = only(result, Code.REVIEW_BEFORE_EFFECTIVE)
    assert problem.line == line_of(text, "review_by:")


def test_review_overdue_is_a_warning_only_after_review_by():
    data = matrix_data()
    _, late = load(data, today=date(2027, 1, 2))
    problem = only(late, Code.REVIEW_OVERDUE)
    assert problem.severity == Severity.WARNING and late.matrix is not None
    _, on_the_day = load(data, today=date(2027, 1, 1))
    assert Code.REVIEW_OVERDUE not in codes(on_the_day)


def test_review_interval_over_92_days():
    data = matrix_data()
    data["review_by"] = "2027-01-02"  # 93 days after 2026-10-01
    _, result = load(data)
    assert only(result, Code.REVIEW_INTERVAL_LONG).severity == Severity.WARNING
    data["review_by"] = "2027-01-01"  # 92 days
    _, result = load(data)
    assert Code.REVIEW_INTERVAL_LONG not in codes(result)


def test_gate_with_empty_from_warns():
    data = matrix_data()
    data["escalation"]["gates"][0]["from"] = []
    text, result = load(data)
    problem = only(result, Code.GATE_EMPTY_FROM)
    assert problem.severity == Severity.WARNING and problem.path == "escalation.gates[0].from"


def test_gated_team_owning_more_than_five_categories_warns():
    data = matrix_data()
    extra = ["arch-a", "arch-b", "arch-c"]
    for key in extra:
        data["categories"][key] = {"description": f"Category {key}"}
    data["teams"]["product-engineering"]["owns"] += extra  # 5: fine
    _, result = load(data)
    assert Code.GATE_TEAM_OWNS_TOO_MUCH not in codes(result)
    data["categories"]["arch-d"] = {"description": "One too many"}
    data["teams"]["product-engineering"]["owns"].append("arch-d")  # 6
    text, result = load(data)
    problem = only(result, Code.GATE_TEAM_OWNS_TOO_MUCH)
    assert problem.severity == Severity.WARNING and problem.path == "teams.product-engineering.owns"


def test_keys_must_be_lowercase():
    data = matrix_data()
    data["categories"]["Intake_Old"] = {"description": "Bad key"}
    data["teams"]["support"]["owns"].append("Intake_Old")
    text, result = load(data)
    problem = only(result, Code.INVALID_KEY)
    assert problem.line == line_of(text, "Intake_Old:") and problem.column == 3


def test_named_owner_for_default_and_empty():
    data = matrix_data()
    del data["escalation"]["named_owner_for"]
    assert load(data)[1].matrix.named_owner_for == ["P1", "P2"]
    data["escalation"]["named_owner_for"] = []
    assert load(data)[1].matrix.named_owner_for == []
    data["escalation"]["named_owner_for"] = ["P5"]
    assert Code.INVALID_VALUE in codes(load(data)[1])


def test_schema_errors_positioned():
    data = matrix_data()
    del data["version"]
    data["teams"]["support"]["owner"] = "typo"
    text, result = load(data)
    missing = only(result, Code.MISSING)
    assert (missing.line, missing.path) == (1, "version")
    unknown = only(result, Code.UNKNOWN_KEY)
    assert unknown.line == line_of(text, "owner: typo") and unknown.path == "teams.support.owner"
    assert result.matrix is None and result.parsed is None


def test_version_kept_as_written_and_x_keys_ignored():
    text = dump(matrix_data()).replace("version: '2026.4'", "version: 2026.10")
    text = text.replace("teams:\n", "teams:\n  x-notes: {anything: [1, 2]}\n") + "x-owner: ops\n"
    result = load_matrix_text(text, "ownership.yaml", today=TODAY)
    assert result.problems == []
    assert result.matrix.version == "2026.10"
    assert "x-notes" not in result.matrix.teams


def test_placeholder_description_is_an_error():
    data = matrix_data()
    data["categories"]["intake"]["description"] = "TBD"
    _, result = load(data)
    assert only(result, Code.PLACEHOLDER).path == "categories.intake.description"
    assert result.matrix is None


def test_empty_values_mention_an_empty_list_only_for_lists():
    """`[]` is advice for `consults_on:` (a list; `from` is the gate's alias), not for `name:`."""
    data = matrix_data()
    data["teams"]["support"].update(name=None, consults_on=None)
    data["escalation"]["gates"][0]["from"] = None
    _, result = load(data)
    assert {p.path: p.message for p in result.problems if p.code == Code.PLACEHOLDER} == {
        "teams.support.name": "teams.support.name is empty; fill it in",
        "teams.support.consults_on": "teams.support.consults_on is empty; fill it in (write [] for an empty list)",
        "escalation.gates[0].from": "escalation.gates[0].from is empty; fill it in (write [] for an empty list)",
    }
