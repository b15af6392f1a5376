"""The command's formats and the shared fixture: every --format choice has a renderer, and the
fixture (made by the real command on examples/tickets.csv) still has the shape the command prints."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cetool.metrics.report import html as metrics_html, markdown as metrics_markdown, text as metrics_text

FIXTURE = Path(__file__).parent / "fixtures" / "result_w47.json"
REGENERATE = ("cetool metrics weekly examples/tickets.csv --week 2026-W47 --format json --context '...' "
              "> tests/metrics_reports/fixtures/result_w47.json")
FIRST_LINE = {"text": "Weekly metrics — 2026-W47", "markdown": "# Weekly metrics — 2026-W47",
              "html": "<!DOCTYPE html>", "json": "{"}


@pytest.fixture(scope="module")
def fixture_result() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def _shape(value):
    """Keys all the way down (lists by their first item), so numbers may change but names may not."""
    if isinstance(value, dict):
        return {key: _shape(item) for key, item in value.items()
                if key not in ("buckets", "bad_rows_by_reason", "blanked_by_column", "columns",
                               "negative_phase_durations")}
    if isinstance(value, list):
        return [_shape(value[0])] if value and isinstance(value[0], (dict, list)) else []
    return None


def test_every_format_the_command_accepts_has_a_renderer(fixture_result):
    metrics_cli = pytest.importorskip("cetool.cli.metrics")
    for fmt in metrics_cli.MetricsFormat:
        out = metrics_cli._render(fixture_result, fmt, False)
        assert out.splitlines()[0] == FIRST_LINE[fmt.value], fmt


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "json"])
def test_the_command_renders_the_sample_export(cli, repo_root, monkeypatch, fmt):
    pytest.importorskip("cetool.cli.metrics")
    monkeypatch.chdir(repo_root)
    result = cli("metrics", "weekly", "examples/tickets.csv", "--week", "2026-W47", "--format", fmt)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == FIRST_LINE[fmt]


def test_the_fixture_has_the_shape_the_command_prints(cli, repo_root, monkeypatch, fixture_result):
    pytest.importorskip("cetool.cli.metrics")
    monkeypatch.chdir(repo_root)
    result = cli("metrics", "weekly", "examples/tickets.csv", "--week", "2026-W47", "--format", "json")
    assert _shape(json.loads(result.output)) == _shape(fixture_result), f"regenerate: {REGENERATE}"


def test_the_fixture_reads_well_in_every_format(fixture_result):
    top = fixture_result["drivers"][0]
    for render in (metrics_text.render, metrics_markdown.render, metrics_html.render):
        out = render(fixture_result)
        assert "2026-W47" in out and top["root_cause"] in out
        assert "no data" not in out  # all eight weeks of the sample are covered
        assert f"n={fixture_result['weeks'][-1]['p1p2_resolved']}" in out


def test_the_docs_example_is_what_the_fixture_renders(repo_root, fixture_result):
    doc = (repo_root / "docs" / "metrics-reports.md").read_text(encoding="utf-8")
    example = doc.split("```markdown\n", 1)[1].split("```", 1)[0]
    rendered = metrics_markdown.render(fixture_result)
    kept = [line for line in example.splitlines() if line and "..." not in line and not line.startswith("|---")]
    assert len(kept) > 15
    missing = [line for line in kept if line not in rendered]
    assert missing == [], f"docs/metrics-reports.md example is out of date: {missing}"
