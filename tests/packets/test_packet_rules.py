"""Spec section 2 through the core (`check_packets`): schema, routing, ids, file names, quality
warnings and the known-issue reference — each rule failing and passing, at the right line."""

from __future__ import annotations

from datetime import date

import pytest

from cetool.core.docsroot import DocsRoot
from cetool.core.findings import Code, Severity
from cetool.matrix.load import load_matrix
from cetool.packets.validate import check_packets
from packet_builders import REPO, line_of, make_docs_root, packet_data, write_packet


@pytest.fixture(scope="module")
def matrix():
    return load_matrix(REPO / "ownership.yaml", today=date(2026, 11, 23)).matrix


def check(tmp_path, matrix, data, *, name=None, known=None):
    packets = make_docs_root(tmp_path / "docs")
    path = write_packet(packets, data, name)
    result = check_packets([path], matrix=matrix, docs_root=DocsRoot(tmp_path / "docs"), known_issue_ids=known)
    return path.read_text(), result


def codes(result):
    return [p.code for p in result.report.problems]


def only(result, code):
    found = [p for p in result.report.problems if p.code == code]
    assert len(found) == 1, result.report.problems
    return found[0]


def test_valid_packet_has_no_problems(tmp_path, matrix):
    _, result = check(tmp_path, matrix, packet_data())
    assert result.report.problems == []
    assert result.valid_ids == {"ESC-2026-0001"}
    assert [file for file, _ in result.packets] and result.report.files_checked == 1


def test_project_packets_are_valid(matrix, repo_root):
    files = sorted((repo_root / "packets").glob("*.yaml"))
    assert len(files) >= 3
    result = check_packets(files, matrix=matrix, docs_root=DocsRoot(repo_root), known_issue_ids={
        "KI-0001", "KI-0002", "KI-0003"})
    assert result.report.problems == []
    assert {p.known_issue for _, p in result.packets} >= {"KI-0001", "KI-0002", "KI-0003"}


# --- schema --------------------------------------------------------------------------------


@pytest.mark.parametrize("field, value", [
    ("id", "-starts-with-dash"),
    ("id", "has space"),
    ("title", "Too short"),
    ("title", "x" * 201),
    ("severity", "P5"),
    ("severity", "high"),
    ("created", "20/11/2026"),
    ("created", "1732000000"),
    ("created", "2026-13-45"),
    ("created", "2026-11-20T25:00"),
])
def test_invalid_top_level_values(tmp_path, matrix, field, value):
    text, result = check(tmp_path, matrix, packet_data(**{field: value}), name="p.yaml")
    problem = only(result, Code.INVALID_VALUE)
    assert problem.path == field and problem.line == line_of(text, f"{field}:")
    assert not result.valid_ids


@pytest.mark.parametrize("field, value", [
    ("id", "ESC.2026_0001-b"), ("title", "x" * 10), ("title", "x" * 200), ("severity", "P4"),
    ("created", "2026-11-20T09:14:03Z"), ("created", "2026-11-20T09:14:03+01:00"),
])
def test_valid_top_level_values(tmp_path, matrix, field, value):
    data = packet_data(**{field: value})
    _, result = check(tmp_path, matrix, data)
    assert [p for p in result.report.problems if p.severity == Severity.ERROR] == []


@pytest.mark.parametrize("section, field, bad, good", [
    ("context", "account_criticality", "critical", "strategic"),
    ("reproduction", "reproducible", "sometimes", "intermittent"),
])
def test_enums(tmp_path, matrix, section, field, bad, good):
    data = packet_data()
    data[section][field] = bad
    text, result = check(tmp_path, matrix, data)
    problem = only(result, Code.INVALID_VALUE)
    assert problem.path == f"{section}.{field}" and problem.line == line_of(text, f"{field}:")
    data[section][field] = good
    assert check(tmp_path / "ok", matrix, data)[1].report.problems == []


def test_wrong_shape_reads_plainly(tmp_path, matrix):
    _, result = check(tmp_path, matrix, packet_data(context="Acme is down"))
    problem = only(result, Code.INVALID_VALUE)
    assert problem.message == "context: input should be a valid dictionary (got 'Acme is down')"


def test_tried_needs_one_item(tmp_path, matrix):
    text, result = check(tmp_path, matrix, packet_data(tried=[]))
    assert only(result, Code.INVALID_VALUE).path == "tried"


def test_steps_need_one_non_placeholder_step(tmp_path, matrix):
    data = packet_data()
    data["reproduction"]["steps"] = []
    assert only(check(tmp_path, matrix, data)[1], Code.INVALID_VALUE).path == "reproduction.steps"
    data["reproduction"]["steps"] = ["TODO", "<next step>"]
    text, result = check(tmp_path / "b", matrix, data)
    placeholders = [p for p in result.report.problems if p.code == Code.PLACEHOLDER]
    assert [(p.path, p.line) for p in placeholders] == [
        ("reproduction.steps[0]", line_of(text, "- TODO")),
        ("reproduction.steps[1]", line_of(text, "- <next step>")),
    ]


def test_missing_key_at_parent_and_unknown_key_at_key(tmp_path, matrix):
    data = packet_data()
    del data["context"]["customer"]
    data["reproduction"]["enviroment"] = "typo"
    text, result = check(tmp_path, matrix, data)
    missing = only(result, Code.MISSING)
    # at the parent mapping: the `context` mapping node starts at its first key
    assert (missing.path, missing.line) == ("context.customer", line_of(text, "account_criticality:"))
    unknown = only(result, Code.UNKNOWN_KEY)
    assert (unknown.path, unknown.line, unknown.column) == ("reproduction.enviroment", line_of(text, "enviroment:"), 3)


def test_empty_and_placeholder_values_everywhere(tmp_path, matrix):
    data = packet_data()
    data["context"]["customer"] = "<customer name>"
    data["proposed_path"]["hypothesis"] = None
    data["ruled_out"] = ["N/A"]
    _, result = check(tmp_path, matrix, data)
    assert sorted(p.path for p in result.report.problems if p.code == Code.PLACEHOLDER) == [
        "context.customer", "proposed_path.hypothesis", "ruled_out[0]"]
    data = packet_data()
    data["reproduction"]["actual"] = "<Response [401]>"  # a real value, not a placeholder
    assert check(tmp_path / "b", matrix, data)[1].report.problems == []


def test_only_an_empty_list_field_is_told_it_may_write_an_empty_list(tmp_path, matrix):
    data = packet_data(owner=None)
    data["context"].update(customer=None, tickets=None)
    data["reproduction"]["steps"] = ["", "Trigger any event"]
    _, result = check(tmp_path, matrix, data)
    assert {p.path: p.message for p in result.report.problems if p.code == Code.PLACEHOLDER} == {
        "owner": "owner is empty; fill it in",
        "context.customer": "context.customer is empty; fill it in",
        "context.tickets": "context.tickets is empty; fill it in (write [] for an empty list)",
        "reproduction.steps[0]": "reproduction.steps[0] is empty; fill it in",
    }


# --- routing -------------------------------------------------------------------------------


def test_undefined_category_and_teams(tmp_path, matrix):
    text, result = check(tmp_path, matrix, packet_data(category="confirmed-bugs", from_team="ce", route_to="pe"))
    category = only(result, Code.UNDEFINED_CATEGORY)
    assert category.line == line_of(text, "category:") and "did you mean 'confirmed-bug'" in category.message
    assert sorted(p.path for p in result.report.problems if p.code == Code.UNDEFINED_TEAM) == ["from_team", "route_to"]


def test_route_to_not_owner_names_owner(tmp_path, matrix):
    text, result = check(tmp_path, matrix, packet_data(category="deep-debugging"))
    problem = only(result, Code.ROUTE_NOT_OWNER)
    assert problem.line == line_of(text, "route_to:")
    assert "'customer-engineering' (Customer Engineering)" in problem.message
    assert "does_not_own" in problem.message  # product-engineering lists deep-debugging there


def test_route_to_only_consults(tmp_path, matrix):
    data = packet_data(category="suspected-bug", route_to="customer-engineering", from_team="support")
    problem = only(check(tmp_path, matrix, data)[1], Code.ROUTE_NOT_OWNER)
    assert "owned by 'support'" in problem.message and "only consults on it" in problem.message


def test_gate_forbids_sender(tmp_path, matrix):
    text, result = check(tmp_path, matrix, packet_data(from_team="support"))
    problem = only(result, Code.GATE_FORBIDS_SENDER)
    assert problem.line == line_of(text, "from_team:") and "'customer-engineering'" in problem.message
    assert Code.ROUTE_NOT_OWNER not in codes(result)


def test_owner_required_for_named_owner_severities(tmp_path, matrix):
    data = packet_data(severity="P1")
    del data["owner"]
    _, result = check(tmp_path, matrix, data)
    problem = only(result, Code.OWNER_REQUIRED)
    assert (problem.path, problem.line) == ("owner", 1)
    p3 = packet_data(severity="P3")
    del p3["owner"]
    assert check(tmp_path / "b", matrix, p3)[1].report.problems == []


def test_placeholder_owner_is_one_error(tmp_path, matrix):
    _, result = check(tmp_path, matrix, packet_data(owner="TBD"))
    assert codes(result) == [Code.PLACEHOLDER]


def test_owner_must_not_be_a_team(tmp_path, matrix):
    text, result = check(tmp_path, matrix, packet_data(owner="customer-engineering"))
    assert only(result, Code.OWNER_IS_TEAM).line == line_of(text, "owner:")


def test_no_matrix_skips_routing(tmp_path):
    _, result = check(tmp_path, None, packet_data(category="nothing", route_to="nobody"))
    assert result.report.problems == []


# --- ids and file names --------------------------------------------------------------------


def test_duplicate_ids_case_insensitive_reported_in_later_files(tmp_path, matrix):
    packets = make_docs_root(tmp_path)
    first = write_packet(packets, packet_data(id="ESC-1"), "a.yaml")
    second = write_packet(packets, packet_data(id="esc-1"), "b.yaml")
    third = write_packet(packets, packet_data(id="Esc-1"), "c.yaml")
    result = check_packets([first, second, third], matrix=matrix, docs_root=DocsRoot(tmp_path), known_issue_ids=None)
    duplicates = [p for p in result.report.problems if p.code == Code.DUPLICATE_ID]
    assert [p.file.rsplit("/", 1)[-1] for p in duplicates] == ["b.yaml", "c.yaml"]
    assert all("a.yaml:1" in p.message for p in duplicates)
    assert result.valid_ids == {"ESC-1"}  # the first keeps its id; a file-name warning is no error
    unique = check_packets([first], matrix=matrix, docs_root=None, known_issue_ids=None)
    assert Code.DUPLICATE_ID not in [p.code for p in unique.report.problems]


def test_duplicate_of_a_packet_under_the_docs_root_not_given(tmp_path, matrix):
    packets = make_docs_root(tmp_path / "docs")
    write_packet(packets, packet_data(id="ESC-7"))
    elsewhere = tmp_path / "draft"
    elsewhere.mkdir()
    draft = write_packet(elsewhere, packet_data(id="esc-7"), "ESC-7.yaml")
    result = check_packets([draft], matrix=matrix, docs_root=DocsRoot(tmp_path / "docs"), known_issue_ids=None)
    problem = only(result, Code.DUPLICATE_ID)
    assert "packets/ESC-7.yaml" in problem.message


def test_file_name_must_be_id(tmp_path, matrix):
    text, result = check(tmp_path, matrix, packet_data(), name="webhooks.yaml")
    problem = only(result, Code.FILENAME_MISMATCH)
    assert problem.severity == Severity.WARNING and problem.line == line_of(text, "id:")
    assert result.valid_ids == {"ESC-2026-0001"}


# --- quality warnings ----------------------------------------------------------------------


def test_single_reproduction_step_warns(tmp_path, matrix):
    data = packet_data()
    data["reproduction"]["steps"] = ["Rotate the secret and trigger an event"]
    problem = only(check(tmp_path, matrix, data)[1], Code.SINGLE_REPRO_STEP)
    assert problem.severity == Severity.WARNING and problem.path == "reproduction.steps"


def test_p1_p2_without_evidence_warns(tmp_path, matrix):
    data = packet_data(severity="P1")
    del data["reproduction"]["evidence"]
    assert only(check(tmp_path, matrix, data)[1], Code.NO_EVIDENCE).severity == Severity.WARNING
    data["severity"] = "P3"
    assert check(tmp_path / "b", matrix, data)[1].report.problems == []


def test_no_evidence_warning_points_at_the_empty_list_or_at_reproduction(tmp_path, matrix):
    """An empty `evidence:` is where to write; without one, the warning sits on the reproduction
    block (where its value starts, like every problem about a mapping)."""
    data = packet_data(severity="P2")
    data["reproduction"]["evidence"] = []
    text, result = check(tmp_path, matrix, data)
    problem = only(result, Code.NO_EVIDENCE)
    assert (problem.path, problem.line) == ("reproduction.evidence", line_of(text, "evidence:"))
    assert "a P2 packet without evidence" in problem.message
    del data["reproduction"]["evidence"]
    text, result = check(tmp_path / "b", matrix, data)
    problem = only(result, Code.NO_EVIDENCE)
    assert (problem.path, problem.line) == ("reproduction", line_of(text, "reproduction:") + 1)


def test_matrix_version_mismatch_warns(tmp_path, matrix):
    text, result = check(tmp_path, matrix, packet_data(matrix_version="2026.3"))
    problem = only(result, Code.MATRIX_VERSION_MISMATCH)
    assert problem.severity == Severity.WARNING and problem.line == line_of(text, "matrix_version:")
    data = packet_data()
    del data["matrix_version"]
    assert check(tmp_path / "b", matrix, data)[1].report.problems == []


# --- known issues --------------------------------------------------------------------------


def test_known_issue_must_exist(tmp_path, matrix):
    text, result = check(tmp_path, matrix, packet_data(known_issue="KI-0099"), known={"KI-0001"})
    problem = only(result, Code.UNKNOWN_KNOWN_ISSUE)
    assert problem.line == line_of(text, "known_issue:")
    assert check(tmp_path / "b", matrix, packet_data(known_issue="KI-0001"), known={"KI-0001"})[1].report.problems == []
    assert check(tmp_path / "c", matrix, packet_data(known_issue="KI-0099"), known=None)[1].report.problems == []
