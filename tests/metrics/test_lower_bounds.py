"""A short export: the figures that need tickets from before it are lower bounds, week by week
(docs/metrics.md#lower-bounds), and the people formats say so."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest

SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "tickets.csv"


@pytest.fixture(scope="module")
def short_export(tmp_path_factory) -> Path:
    """The sample export as a lead exporting "the last 8 weeks" gets it: created from 2026-09-28."""
    rows = list(csv.reader(io.StringIO(SAMPLE.read_text(encoding="utf-8"))))
    header, body = rows[0], rows[1:]
    at = header.index("created_at")
    kept = [row for row in body if row[at] >= "2026-09-28"]
    path = tmp_path_factory.mktemp("short") / "last-8-weeks.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, *kept])
    return path


def test_lower_bounds_are_exactly_the_rule_week_by_week(cli, short_export):
    data = json.loads(cli("metrics", "weekly", short_export, "--week", "2026-W47", "--weeks", "10",
                          "--format", "json").output)
    first = datetime.fromisoformat(data["run"]["span"]["first_created"])
    seen = set()
    for week in data["weeks"]:
        start, end = datetime.fromisoformat(week["start"]), datetime.fromisoformat(week["end"])
        expected = []
        if start - timedelta(hours=720) < first:
            expected.append("repeat_issues_30d")
        if end - first < timedelta(days=30):
            expected += ["p1p2_open_at_end", "backlog_at_end"]
        assert week["lower_bounds"] == expected, week["week"]
        seen.update(expected)
    assert seen == {"repeat_issues_30d", "p1p2_open_at_end", "backlog_at_end"}
    assert data["weeks"][-1]["lower_bounds"] == []  # 2026-W47: complete


def test_the_full_export_has_no_lower_bound_in_its_last_weeks(cli):
    data = json.loads(cli("metrics", "weekly", SAMPLE, "--week", "2026-W47", "--format", "json").output)
    assert all(week["lower_bounds"] == [] for week in data["weeks"])


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_people_see_at_least_and_why_once(cli, short_export, fmt):
    out = cli("metrics", "weekly", short_export, "--week", "2026-W41", "--weeks", "3", "--format", fmt).output
    assert "≥ " in out
    assert out.count("marks a lower bound") == 1
    assert "export 30 more days: from 2026-08-22 on" in out.replace("\n", " ").replace("  ", " ")


def test_a_lower_bound_gets_no_week_over_week_arrow(cli, short_export):
    out = cli("metrics", "weekly", short_export, "--week", "2026-W41", "--weeks", "3", "--format", "markdown").output
    line = next(line for line in out.splitlines() if line.startswith("| Repeat issues within 30 days"))
    assert "**≥ " in line and "not compared: this week is a lower bound" in line
    assert "▲" not in line and "▼" not in line and "(worse)" not in line and "(better)" not in line
