"""The command's formats and the shared fixture: every --format choice has a renderer, the saved
result is, value for value, what the command computes now from examples/tickets.csv, and the
reports render that live result."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cetool.cli import metrics as metrics_cli
from cetool.cli.app import app
from cetool.metrics.report import html as metrics_html, markdown as metrics_markdown, text as metrics_text

REPO = Path(__file__).resolve().parents[2]
FIXTURE = Path(__file__).parent / "fixtures" / "result_w47.json"
# The Monday the W47 report was published: prevention statuses (overdue, done) depend on the day.
PUBLISHED = "2026-11-30"
CONTEXT = "csv-export-timeout escalations doubled after the 11-12 export change; no runbook yet (owner: CE)."
REGENERATE = (f"cetool metrics weekly examples/tickets.csv --week 2026-W47 --today {PUBLISHED} --format json "
              f"--context '{CONTEXT}' "
              "> tests/metrics_reports/fixtures/result_w47.json")
FIRST_LINE = {"text": "Weekly metrics — 2026-W47", "markdown": "# Weekly metrics — 2026-W47",
              "html": "<!DOCTYPE html>", "json": "{"}


@pytest.fixture(scope="module")
def saved_result() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def live_result() -> dict:
    """What the command prints now for the sample export, run from the repo root as REGENERATE is."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(REPO)
        result = CliRunner().invoke(app, ["metrics", "weekly", "examples/tickets.csv", "--week", "2026-W47",
                                          "--today", PUBLISHED, "--format", "json", "--context", CONTEXT], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _shape(value):
    """Keys all the way down (lists by their first item), so numbers may change but names may not."""
    if isinstance(value, dict):
        return {key: _shape(item) for key, item in value.items()
                if key not in ("buckets", "bad_rows_by_reason", "blanked_by_column", "columns",
                               "negative_phase_durations")}
    if isinstance(value, list):
        return [_shape(value[0])] if value and isinstance(value[0], (dict, list)) else []
    return None


def test_every_format_the_command_accepts_has_a_renderer(live_result):
    for fmt in metrics_cli.MetricsFormat:
        out = metrics_cli._render(live_result, fmt, False)
        assert out.splitlines()[0] == FIRST_LINE[fmt.value], fmt


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "json"])
def test_the_command_renders_the_sample_export(cli, repo_root, monkeypatch, fmt):
    monkeypatch.chdir(repo_root)
    result = cli("metrics", "weekly", "examples/tickets.csv", "--week", "2026-W47", "--format", fmt)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == FIRST_LINE[fmt]


def test_the_saved_result_is_what_the_command_computes_now(live_result, saved_result):
    """Value for value: a changed figure shows here first (regenerate only when the change is meant)."""
    assert _shape(live_result) == _shape(saved_result), f"regenerate: {REGENERATE}"
    for key in saved_result:
        if key != "weeks":
            assert live_result[key] == saved_result[key], f"{key} changed; regenerate: {REGENERATE}"
    for live, saved in zip(live_result["weeks"], saved_result["weeks"], strict=True):
        assert live == saved, f"{saved['week']} changed; regenerate: {REGENERATE}"


def test_the_trend_table_shows_every_week_of_the_live_result(live_result):
    """Each week's row carries that week's own figures, not the saved ones or another week's."""
    rows = {line.split(" | ")[0].strip("| "): line for line in metrics_markdown.render(live_result).splitlines()
            if line.startswith("| 20")}
    assert len(rows) == 8
    for w in live_result["weeks"]:
        cells = [cell.strip() for cell in rows[w["week"]].strip("|").split("|")]
        assert cells[1:3] == [str(w["tickets_created"]), str(w["escalations"])], w["week"]
        assert cells[4] == str(w["repeat_issues_30d"]) and cells[7] == str(w["p1p2_resolved"]), w["week"]
        assert cells[8] == str(w["p1p2_open_at_end"]), w["week"]
        assert cells[9].endswith(f"(n={w['first_response_count']})"), w["week"]
        assert cells[11] == str(w["backlog_at_end"]["total"]), w["week"]
        assert cells[12].endswith(f"({w['packet_compliant']}/{w['packet_compliance_base']})"), w["week"]


def test_the_live_result_reads_well_in_every_format(live_result):
    top = live_result["drivers"][0]
    last = live_result["weeks"][-1]
    backlog = last["backlog_at_end"]
    for render in (metrics_text.render, metrics_markdown.render, metrics_html.render):
        out = render(live_result)
        assert "2026-W47" in out and top["root_cause"] in out
        assert "no data" not in out  # all eight weeks of the sample are covered
        assert f"n={last['p1p2_resolved']}" in out
        assert f"{last['escalations']} escalations / {last['tickets_created']} tickets created" in out
        assert f"1-3d {backlog['buckets']['1-3d']}, 3-7d {backlog['buckets']['3-7d']}" in out


def test_the_docs_example_is_what_the_live_result_renders(repo_root, live_result):
    doc = (repo_root / "docs" / "metrics-reports.md").read_text(encoding="utf-8")
    example = doc.split("```markdown\n", 1)[1].split("```", 1)[0]
    rendered = metrics_markdown.render(live_result)
    kept = [line for line in example.splitlines() if line and "..." not in line and not line.startswith("|---")]
    assert len(kept) > 15
    missing = [line for line in kept if line not in rendered]
    assert missing == [], f"docs/metrics-reports.md example is out of date: {missing}"
