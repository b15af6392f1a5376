"""The markdown report a lead pastes on Monday: full expected output for a small result, plus invariants."""

from __future__ import annotations

import re
from datetime import date

import cmarkgfm
import pytest

from cetool.metrics.report import markdown as metrics_markdown
from metrics_builders import driver, eight_weeks, full_result, make_result, make_week, uncovered

EXPECTED_TWO_WEEKS = """\
# Weekly metrics — 2026-W47

Mon 2026-11-16 to Sun 2026-11-22 · weeks and timestamps without an offset in UTC

| Figure (lower is better) | This week | Week over week | Trend | Based on |
|---|---:|---|---|---|
| Escalations to Product Engineering per 100 tickets | **4.5** | ▼ −0.5 vs 2026-W46 (better) | █▁ | 18 escalations / 400 tickets created |
| Repeat issues within 30 days | **31** | ▲ +1 vs 2026-W46 (worse) | ▁█ | of 400 tickets created |
| P1/P2 time to resolution (median) | **n/a** | n/a this week | ▄○ | n=0 |

Trend: ○ n/a (the week is covered but has nothing to measure).

> **Context:** Export \\| import fixes shipped; \\<b\\>csv\\</b\\> timeouts up.

## Also this week

- P1/P2 open at end of week: 6
- Backlog at end of week: 120 (\\<1d 10, 1-3d 20, 3-7d 30, 7-30d 40, \\>30d 20)

## Trend (2 weeks)

| Week | Tickets | Escalations | Esc / 100 | Repeats (30 d) | P1/P2 TTR median | TTR p90 | n | P1/P2 open | Backlog |
|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|
| 2026-W46 | 400 | 20 | 5.0 | 30 | 12.5 h | 48.2 h | 40 | 6 | 120 |
| 2026-W47 | 400 | 18 | 4.5 | 31 | n/a | n/a | 0 | 6 | 120 |

## Top drivers and prevention

| Root cause | Escalations | Repeats | Trend | Known issue | Runbook | Prevention |
|---|---:|---:|---|---|---|---|
| csv-export-timeout | 4 | 9 | ▁█ | — | — | ⚠ **no prevention action** |
| sso\\|saml | 1 | 2 | █▁ | KI-0002 | RB-SSO-LOOP | known issue + runbook |

**1 of 2 drivers has no prevention action.** Assign one (runbook update, known-issues entry, product feedback, Support enablement) before next week.

## Run

- Week rule: ISO week 2026-W47: Monday 00:00 to the next Monday 00:00, UTC
- Time zones: weeks and timestamps without an offset in UTC
- Source: examples/tickets.csv (preset canonical)
- Rows read: 3,210
- Tickets: 3,200
- Duplicates collapsed: 10
- Bad rows: 2 skipped (unparseable created_at: 1, resolved_at before start: 1)
  - row 17 (ticket T-9): unparseable created_at '31/02/2026'
  - row 90 (ticket T-80): resolved_at before start
"""

NO_SECONDARY = dict(first_response_median_hours=None, reopen_rate=None, packet_compliance=None,
                    phase_medians_hours=None)


def two_weeks() -> dict:
    weeks = [make_week(date(2026, 11, 9), **NO_SECONDARY),
             make_week(date(2026, 11, 16), escalations=18, escalations_per_100=4.5, repeat_issues_30d=31,
                       p1p2_resolved=0, p1p2_ttr_median_hours=None, p1p2_ttr_p90_hours=None, **NO_SECONDARY)]
    drivers = [driver("csv-export-timeout", 4, 9, [2, 13]),
               driver("sso|saml", 1, 2, [5, 3], known_issue="KI-0002", runbook="RB-SSO-LOOP")]
    return make_result(weeks, drivers=drivers, context="Export | import fixes shipped; <b>csv</b> timeouts up.")


def test_full_markdown_for_two_weeks():
    assert metrics_markdown.render(two_weeks()) == EXPECTED_TWO_WEEKS


def _cells(line: str) -> int:
    """Cells of a GFM table row: pipes that are not backslash-escaped, minus the outer two."""
    return len(re.findall(r"(?<!\\)\|", line)) - 1


def test_every_table_row_has_as_many_cells_as_its_header():
    out = metrics_markdown.render(full_result())
    table: list[str] = []
    for line in out.splitlines() + [""]:
        if line.startswith("|"):
            table.append(line)
        elif table:
            assert {_cells(row) for row in table} == {_cells(table[0])}, table
            table = []


def test_hostile_strings_cannot_break_out_of_a_cell_or_become_html():
    out = metrics_markdown.render(full_result())
    assert "<script>" not in out
    assert "role\\|sync\\<script\\>" in out
    assert "\\[bold\\]loud\\[/bold\\] \\*star\\* \\`tick\\`" in out


def test_uncovered_weeks_read_no_data_in_the_trend_and_headline():
    weeks = eight_weeks()
    weeks[-1] = uncovered(weeks[-1])
    out = metrics_markdown.render(make_result(weeks))
    assert "**2026-W47: no data.** The export covers 2026-09-28 to 2026-11-22 (2026-W40 to 2026-W47)" in out
    assert "| Repeat issues within 30 days | no data | no data |" in out
    assert "| 2026-W47 | no data |" in out
    assert "## Also this week" not in out


def test_single_week_no_drivers_no_context():
    out = metrics_markdown.render(make_result([make_week(date(2026, 11, 16))], drivers=[], context=None))
    assert out.count("no earlier week") == 3
    assert "## Trend (1 week)" in out
    assert "No escalations or repeat issues with a root cause this week." in out
    assert "> **Context:** _none given_" in out


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=60, deadline=None)
@given(cause=st.text(min_size=1, max_size=40), context=st.text(max_size=80))
def test_any_root_cause_or_context_stays_inside_its_cell(cause, context):
    result = two_weeks()
    result["drivers"][0]["root_cause"] = cause
    result["context"] = context
    out = metrics_markdown.render(result)
    driver_rows = out.split("## Top drivers and prevention\n\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert {_cells(row) for row in driver_rows} == {7}
    assert not re.search(r"(?<!\\)<", out.split("## Top drivers")[0].split("> **Context:**")[1])


def _as_github_renders(markdown: str) -> str:
    return cmarkgfm.github_flavored_markdown_to_html(markdown)


def test_a_url_from_the_export_is_text_not_a_link_but_the_context_keeps_its_links():
    result = two_weeks()
    result["drivers"][0]["root_cause"] = "see https://evil.example/login or www.evil.example"
    result["context"] = "Runbook drafted: https://wiki.example/rb-42"
    html = _as_github_renders(metrics_markdown.render(result))
    assert "see https://evil.example/login or www.evil.example" in html
    assert 'href="https://evil.example' not in html and 'href="http://www.evil.example' not in html
    assert '<a href="https://wiki.example/rb-42">' in html


def test_the_report_renders_on_github_with_every_row_in_its_table():
    html = _as_github_renders(metrics_markdown.render(full_result()))
    assert "<script>" not in html
    for table in html.split("<table>")[1:]:
        body = table.split("</table>")[0]
        header_cells = len(re.findall(r"<th[ >]", body.split("</thead>")[0]))
        rows = body.split("<tbody>")[1].split("<tr>")[1:]
        assert header_cells > 1 and rows
        assert all(len(re.findall(r"<td[ >]", row)) == header_cells for row in rows)


def test_emails_and_entities_from_the_export_stay_the_text_they_were():
    result = two_weeks()
    result["drivers"][0]["root_cause"] = "mail user@evil.example | now"
    result["drivers"][1]["root_cause"] = "&lt;tag&gt; &copy; ~~gone~~"
    html = _as_github_renders(metrics_markdown.render(result))
    assert "mailto:" not in html and "<code>mail user@evil.example | now</code>" in html
    assert "&amp;lt;tag&amp;gt; &amp;copy; ~~gone~~" in html and "<del>" not in html
