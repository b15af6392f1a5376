"""The typed result: its JSON is the object the command has always printed, and a saved JSON
result reads back into the same typed result (so the reporters can render it)."""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path

from cetool.metrics.result import BACKLOG_BUCKET_NAMES, PHASES, Backlog, Week, WeeklyResult

FIXTURE = Path(__file__).parents[1] / "metrics_reports" / "fixtures" / "result_w47.json"


def test_the_saved_result_reads_back_key_for_key_and_in_order():
    saved = json.loads(FIXTURE.read_text(encoding="utf-8"))
    typed = WeeklyResult.from_dict(saved)
    assert isinstance(typed.weeks[0], Week) and isinstance(typed.weeks[0].backlog_at_end, Backlog)
    again = typed.to_dict()
    assert json.dumps(again, indent=2, ensure_ascii=False) == json.dumps(saved, indent=2, ensure_ascii=False)


def test_the_command_prints_the_typed_result(cli, repo_root, monkeypatch):
    monkeypatch.chdir(repo_root)
    out = cli("metrics", "weekly", "examples/tickets.csv", "--week", "2026-W47", "--format", "json").output
    printed = json.loads(out)
    assert list(printed) == [f.name for f in fields(WeeklyResult)]
    assert list(printed["weeks"][0]) == [f.name for f in fields(Week)]
    assert out == json.dumps(WeeklyResult.from_dict(printed).to_dict(), indent=2, ensure_ascii=False) + "\n"


def test_the_phase_and_bucket_names_are_the_ones_the_result_carries(cli, repo_root, monkeypatch):
    monkeypatch.chdir(repo_root)
    week = json.loads(cli("metrics", "weekly", "examples/tickets.csv", "--week", "2026-W47",
                          "--format", "json").output)["weeks"][-1]
    assert list(week["phase_medians_hours"]) == [phase.key for phase in PHASES]
    assert list(week["backlog_at_end"]["buckets"]) == list(BACKLOG_BUCKET_NAMES)


def test_a_result_from_a_newer_cetool_with_more_keys_still_reads():
    saved = json.loads(FIXTURE.read_text(encoding="utf-8"))
    saved["weeks"][0]["a_future_figure"] = 1
    saved["run"]["a_future_fact"] = "x"
    assert WeeklyResult.from_dict(saved).weeks[0].week == saved["weeks"][0]["week"]
