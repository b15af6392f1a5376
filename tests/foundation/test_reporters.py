"""Reporters are tested on hand-built reports with their full expected output."""

from __future__ import annotations

import json
import re

from cetool.core.findings import Problem, Report, Severity
from cetool.core.files import SourceLines
from cetool.reporters import PROBLEM_REPORTERS, github, json_report, text


def _report() -> Report:
    return Report(
        problems=[
            Problem("b.yaml", 3, 5, "owner", "owner-required", "P1 needs a named owner", Severity.ERROR),
            Problem("a.yaml", 7, 1, "reproduction.steps", "single-repro-step", "only one step", Severity.WARNING),
            Problem("a.yaml", 2, 3, "title", "placeholder", "title is a placeholder ('TBD')", Severity.ERROR),
        ],
        files_checked=3,
    )


def test_json_has_the_spec_shape_sorted_by_file_line_column_code():
    payload = json.loads(json_report.render(_report()))
    assert set(payload) == {"problems", "files_checked", "errors", "warnings"}
    assert (payload["errors"], payload["warnings"], payload["files_checked"]) == (2, 1, 3)
    assert [(p["file"], p["line"]) for p in payload["problems"]] == [("a.yaml", 2), ("a.yaml", 7), ("b.yaml", 3)]
    assert set(payload["problems"][0]) >= {"file", "line", "column", "path", "code", "severity", "message"}


def test_json_error_object():
    assert json.loads(json_report.render_error("no such file")) == {"error": "no such file"}


def test_github_escapes_data_and_properties():
    report = Report(
        problems=[Problem("dir,x/f:1.yaml", 4, 2, "a", "placeholder", "50% done\nnext line", Severity.WARNING)],
        files_checked=1,
    )
    out = github.render(report).splitlines()
    assert out[0] == "::warning file=dir%2Cx/f%3A1.yaml,line=4,col=2,title=placeholder::a: 50%25 done%0Anext line"
    assert out[-1] == "cetool: 0 error(s), 1 warning(s) in 1 file(s) checked"


def test_github_lines_are_workflow_commands():
    pattern = re.compile(r"^::(error|warning|notice) file=[^,:]+,line=\d+,col=\d+,title=[a-z0-9-]+::.+$")
    lines = github.render(_report()).splitlines()
    assert all(pattern.match(line) for line in lines[:-1])


def test_text_groups_by_file_and_shows_the_offending_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.yaml").write_text("id: X\ntitle: TBD\n", encoding="utf-8")
    report = Report(
        problems=[Problem("a.yaml", 2, 8, "title", "placeholder", "title is a placeholder ('TBD')")],
        files_checked=1,
    )
    assert text.render(report, sources=SourceLines()) == (
        "a.yaml\n"
        "      2:8  error    title is a placeholder ('TBD')  [placeholder]\n"
        "        2 | title: TBD\n"
        "          |        ^\n"
        "\n"
        "✗ 1 error, 0 warnings in 1 file (1 checked)\n"
    )


def test_text_summary_when_clean():
    assert text.render(Report(files_checked=4)) == "✓ 4 files checked: no problems\n"


def test_every_problem_format_choice_has_a_reporter():
    from cetool.cli.common import ProblemFormat

    assert {f.value for f in ProblemFormat} <= set(PROBLEM_REPORTERS)
