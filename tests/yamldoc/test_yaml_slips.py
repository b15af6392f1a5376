"""The common YAML slips get plain words and the line of the slip itself, not libyaml's."""

from __future__ import annotations

import json

import pytest

from cetool.yamldoc.loader import load_yaml_text

LIBYAML_WORDS = ("cannot start any token", "mapping values are not allowed", "did not find expected")


def _only_problem(text: str):
    doc, problems = load_yaml_text(text, "p.yaml")
    assert len(problems) == 1, problems
    problem = problems[0]
    assert problem.code == "yaml-syntax"
    assert not any(words in problem.message for words in LIBYAML_WORDS), problem.message
    return problem


@pytest.mark.parametrize("text, line, column", [
    ("id: ESC-1\nrepro_steps:\n\t- one\n", 3, 1),  # "found character that cannot start any token"
    ("id: ESC-1\ncustomer:\n  name: Acme\n\tplan: Pro\n", 4, 1),  # "a tab character that violates indentation"
    ("id: ESC-1\ncustomer:\n  name: Acme\n  \tplan: Pro\n", 4, 3),
])
def test_a_tab_says_replace_it_at_the_tab(text, line, column):
    problem = _only_problem(text)
    assert "YAML indents with spaces; replace the tab" in problem.message
    assert (problem.line, problem.column) == (line, column)


@pytest.mark.parametrize("text, line, column, quoted", [
    ("id: ESC-1\ntitle: Webhook fails: retries exhausted\nseverity: P1\n", 2, 21,
     'title: "Webhook fails: retries exhausted"'),
    ("id: ESC-1\nsummary: Customer says: 'it is broken': since Monday\n", 2, 23,
     "summary: \"Customer says: 'it is broken': since Monday\""),
])
def test_a_colon_in_a_sentence_says_quote_the_value(text, line, column, quoted):
    problem = _only_problem(text)
    assert "quote the value" in problem.message and quoted in problem.message
    assert (problem.line, problem.column) == (line, column)


@pytest.mark.parametrize("text, line, column", [
    # dedented against the items above: libyaml's "did not find expected key"
    ("id: ESC-1\nrepro_steps:\n   - one\n  - two\nseverity: P1\n", 4, 3),
    ("id: ESC-1\nevidence:\n  - kind: log\n    ref: x\n - kind: trace\n   ref: y\n", 5, 2),
    # "did not find expected '-' indicator"
    ("id: ESC-1\nevidence:\n  - kind: log\n    ref: x\n   - kind: trace\n     ref: y\n", 5, 4),
    # indented 3 spaces among items at 2: valid YAML that glues it to the item above ('two - three')
    ("id: ESC-1\nrepro_steps:\n  - one\n  - two\n   - three\nseverity: P1\n", 5, 4),
])
def test_a_misaligned_list_item_says_align_the_dash_at_that_item(text, line, column):
    problem = _only_problem(text)
    assert "align '-' with the sibling items" in problem.message
    assert (problem.line, problem.column) == (line, column)


@pytest.mark.parametrize("text, line, key", [
    # libyaml reports line 5 (the next line, which now looks indented under `plan`)
    ("id: ESC-1\ncustomer:\n  name: Acme\nplan: Pro\n  region: eu\nseverity: P1\n", 4, "plan"),
    ("id: ESC-1\ncustomer:\n  contact:\n    email: a@example.com\nphone: '12'\n    role: x\n", 5, "phone"),
])
def test_a_dedented_key_points_at_the_line_that_lost_its_indentation(text, line, key):
    problem = _only_problem(text)
    assert f"'{key}' lost its indentation" in problem.message
    assert (problem.line, problem.column) == (line, 1)


def test_other_errors_keep_libyaml_words_and_position():
    doc, [problem] = load_yaml_text("id: [unclosed\n", "p.yaml")
    assert problem.message.startswith("YAML syntax: ") and problem.line is not None


def test_a_dash_inside_a_sentence_is_not_a_slip():
    doc, problems = load_yaml_text("repro_steps:\n  - compare a - b\n  - then\n    continue on the next line\n", "p.yaml")
    assert problems == [] and doc.data["repro_steps"] == ["compare a - b", "then continue on the next line"]


def test_a_slip_in_front_matter_is_at_the_file_line(tmp_path):
    doc, [problem] = load_yaml_text("id: KI-1\ntitle: Broken: really\n", "k.md", line_offset=1)
    assert problem.line == 3 and "quote the value" in problem.message


def test_packet_validate_reports_the_slip_line_through_the_cli(cli, tmp_path, repo_root):
    packet = tmp_path / "ESC-2026-0999.yaml"
    packet.write_text("id: ESC-2026-0999\ntitle: Webhooks fail: retries exhausted\n", encoding="utf-8")
    result = cli("packet", "validate", packet, "--matrix", repo_root / "ownership.yaml", "--format", "json")
    assert result.exit_code == 1
    [problem] = json.loads(result.stdout)["problems"]
    assert (problem["line"], problem["column"]) == (2, 21) and "quote the value" in problem["message"]
