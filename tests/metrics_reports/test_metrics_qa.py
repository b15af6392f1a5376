"""What a QA pass found in the people-facing reports: terminal escapes and megabyte cells from the
export, the prevention status without a docs root, and "no data" vs "n/a" in the trend marks."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cetool.metrics.report import common as mc
from cetool.metrics.report import html as metrics_html, markdown as metrics_markdown, text as metrics_text
from metrics_builders import driver, eight_weeks, make_result, uncovered

RENDERERS = [metrics_text.render, metrics_markdown.render, metrics_html.render]
ESCAPES = "\x1b]0;PWNED\x07\x1b[31mred\x1b[0m\x9b2J\u202e"


def _hostile_result() -> dict:
    weeks = eight_weeks()
    drivers = [driver("cause-" + ESCAPES, 2, 1, [0] * 7 + [3], known_issue="KI-1\x1b[2J", runbook="RB-\x07"),
               driver("y" * 1_000_000, 1, 0, [0] * 7 + [1])]
    run = make_result(weeks)["run"]
    run["bad_row_examples"] = [f"row 5 (ticket T\x1b[8m): unparseable created_at '{'z' * 300}'"]
    run["source"] = "exp\x1b[1mort.csv"
    return make_result(weeks, drivers=drivers, context="ctx " + ESCAPES, run=run)


@pytest.mark.parametrize("render", RENDERERS)
def test_no_control_character_from_the_export_reaches_the_output(render):
    out = render(_hostile_result())
    controls = [c for c in out if (ord(c) < 32 and c != "\n") or 0x7f <= ord(c) <= 0x9f or c == "\u202e"]
    assert controls == []
    assert "x1b" in out and "PWNED" in out  # shown, escaped, not dropped


def test_colored_text_keeps_its_own_styles_but_escapes_the_values():
    out = metrics_text.render(_hostile_result(), color=True)
    assert "\x1b[" in out  # rich's colours
    assert "PWNED\x07" not in out and "\x1b]0;" not in out


@pytest.mark.parametrize("render", RENDERERS)
def test_a_megabyte_cell_is_cut_in_every_report(render):
    out = render(_hostile_result())
    assert len(out) < 60_000
    runs = re.findall("y{10,}", out)  # the text report folds the cell over lines
    assert 0 < sum(map(len, runs)) < mc.ROOT_CAUSE_LIMIT and "…" in out
    assert "z" * 200 not in out


def test_shown_cuts_and_escapes():
    assert mc.shown("a\x1bb") == "a\\x1bb"
    assert mc.shown("x" * 81) == "x" * 79 + "…"
    assert mc.shown("x" * 80) == "x" * 80
    assert mc.shown("\u202eabc") == "\\u202eabc"


@given(st.text(max_size=200))
def test_shown_never_lets_a_control_character_through(text):
    out = mc.shown(text)
    assert not any(ord(c) < 32 or 0x7f <= ord(c) <= 0x9f for c in out)
    assert len(out) <= len(text) * 6 and (len(text) <= mc.SHOWN_LIMIT or out.endswith("…"))


# 9: no docs root

def _no_root() -> dict:
    weeks = eight_weeks()
    run = make_result(weeks)["run"] | {"docs_root": None}
    drivers = [dict(driver("csv-export-timeout", 4, 9, [0] * 6 + [2, 13]), prevention=None),
               dict(driver("role-sync-drift", 1, 0, [0] * 7 + [1]), prevention=None)]
    return make_result(weeks, drivers=drivers, run=run)


@pytest.mark.parametrize("render", RENDERERS)
def test_without_a_docs_root_prevention_is_unknown_and_there_is_no_nag(render):
    out = " ".join(render(_no_root()).split())
    assert "no prevention action" not in out
    assert "unknown — no docs root" in out
    assert "No docs root was found" in out
    assert "packet compliance and prevention status are not computed" in out


@pytest.mark.parametrize("render", RENDERERS)
def test_with_a_docs_root_the_note_is_absent(render):
    result = make_result(eight_weeks(), drivers=[driver("csv-export-timeout", 4, 9, [0] * 6 + [2, 13])])
    out = render(result)
    assert "No docs root was found" not in out and "no prevention action" in out


def test_cli_without_a_docs_root(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no ownership.yaml here or above (tmp is outside the repo)
    export = tmp_path / "e.csv"
    export.write_text("ticket_id,created_at,priority,root_cause,escalated_at\n"
                      "T1,2026-11-17T10:00:00Z,P1,csv-export-timeout,2026-11-17T11:00:00Z\n")
    data = json.loads(cli("metrics", "weekly", export, "--week", "2026-W47", "-f", "json").output)
    assert data["run"]["docs_root"] is None
    assert data["drivers"][0]["prevention"] is None and data["drivers"][0]["known_issue"] is None
    out = cli("metrics", "weekly", export, "--week", "2026-W47").output
    assert "unknown — no docs root" in out and "have no prevention action" not in out


def test_cli_escapes_a_root_cause_with_escape_sequences(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    export = tmp_path / "e.csv"
    export.write_text("ticket_id,created_at,priority,root_cause,escalated_at\n"
                      f"T1,2026-11-17T10:00:00Z,P1,boom{ESCAPES},2026-11-17T11:00:00Z\n"
                      f"T2,2026-11-17T10:00:00Z,P1,{'w' * 5000},2026-11-17T11:00:00Z\n")
    for fmt in ("text", "markdown", "html"):
        out = cli("metrics", "weekly", export, "--week", "2026-W47", "-f", fmt).output
        assert "\x1b" not in out and "\x07" not in out and "\\x1b" in out.replace("\\\\", "\\")
        assert "w" * 200 not in out


# 29: "no data" and "n/a" marks

def test_trend_marks_tell_no_data_from_na():
    assert mc.sparkline([1.0, None, None, 3.0], [True, False, True, True]) == "▁·○█"
    assert mc.sparkline([None, None], [False, True]) == "·○"
    assert mc.legend(["▁·○█"]) == ("Trend: · no data (the export does not cover the week); "
                                   "○ n/a (the week is covered but has nothing to measure).")
    assert mc.legend(["▁▂▃"]) == ""


@pytest.mark.parametrize("render", [metrics_text.render, metrics_markdown.render])
def test_reports_use_both_marks_with_a_legend(render):
    weeks = eight_weeks(date(2026, 11, 16))
    weeks[2] = uncovered(weeks[2])
    weeks[5]["p1p2_ttr_median_hours"] = None
    out = render(make_result(weeks))
    assert "·" in out and "○" in out
    assert "· no data (the export does not cover the week)" in out
    assert "○ n/a (the week is covered but has nothing to measure)" in out


def test_html_charts_tell_no_data_from_na_with_a_legend():
    weeks = eight_weeks(date(2026, 11, 16))
    weeks[2] = uncovered(weeks[2])
    weeks[5]["p1p2_ttr_median_hours"] = None
    page = metrics_html.render(make_result(weeks))
    assert 'class="nodata"' in page and 'class="na"' in page
    assert "grey band: no data (the export does not cover the week)" in page
    assert "dashed outline: n/a (the week is covered but has nothing to measure)" in page
    plain = metrics_html.render(make_result(eight_weeks(date(2026, 11, 16))))
    assert "grey band" not in plain and "dashed outline" not in plain
