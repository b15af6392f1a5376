"""The HTML page: well-formed, self-contained (no scripts, no URLs), escaped, one SVG chart per figure."""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser

import pytest

from cetool.metrics.report import html as metrics_html
from metrics_builders import eight_weeks, full_result, make_result, make_week, uncovered

VOID = {"meta", "br", "hr", "img", "input", "link", "area", "base", "col", "source", "wbr"}
SVG_SELF_CLOSING = {"rect", "line", "circle", "polyline", "path"}


class TagChecker(HTMLParser):
    """Every tag opened is closed in order; records tags, attributes and text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID | SVG_SELF_CLOSING:
            self.errors.append(f"self-closed <{tag}/>")

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1] if self.stack else 'nothing'}")
        else:
            self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def parse(page: str) -> TagChecker:
    checker = TagChecker()
    checker.feed(page)
    checker.close()
    assert checker.errors == [] and checker.stack == [], (checker.errors, checker.stack)
    return checker


CASES = {
    "full": full_result,
    "single week": lambda: make_result([make_week(date(2026, 11, 16))], drivers=[], context=None),
    "requested week uncovered": lambda: make_result(eight_weeks()[:-1] + [uncovered(eight_weeks()[-1])]),
    "no weeks": lambda: make_result([], drivers=[]),
}


@pytest.mark.parametrize("name", CASES)
def test_page_is_well_formed_and_self_contained(name):
    page = metrics_html.render(CASES[name]())
    assert page.startswith("<!DOCTYPE html>")
    parse(page)
    lowered = page.lower()
    assert "<script" not in lowered
    assert "http://" not in lowered and "https://" not in lowered
    assert not re.search(r"\b(src|href)=", lowered)
    assert "@import" not in lowered and "url(" not in lowered


def test_hostile_values_are_escaped():
    page = metrics_html.render(full_result())
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; | [bold]loud[/bold]" in page
    assert "role|sync&lt;script&gt;" in page
    text = "".join(parse(page).text)
    assert '<script>alert("x")</script>' in text  # shown to the reader as written


def test_one_svg_chart_per_headline_figure_with_gaps_and_the_week_highlighted():
    checker = parse(metrics_html.render(full_result()))
    charts = [attrs for tag, attrs in checker.tags if tag == "svg" and attrs.get("class") == "chart"]
    assert [c["aria-label"] for c in charts] == [
        "Escalations to Product Engineering per 100 tickets by week", "Repeat issues within 30 days by week",
        "P1/P2 time to resolution (median) by week"]
    polylines = [attrs["points"] for tag, attrs in checker.tags if tag == "polyline"]
    # W42 uncovered splits each line in two; TTR's null W43 leaves W44..W47 as the second run.
    assert [len(p.split()) for p in polylines] == [2, 5, 2, 5, 2, 4]
    highlighted = [attrs for tag, attrs in checker.tags if tag == "circle" and attrs.get("r") == "4.5"]
    assert len(highlighted) == 3
    assert "W47" in checker.text


def test_sections_in_the_markdown_order():
    page = metrics_html.render(full_result())
    order = ["Escalations to Product Engineering", "Repeat issues within 30 days", "P1/P2 time to resolution",
             "Context:", "Also this week", "Trend (8 weeks)", "Top drivers and prevention", "Week rule:",
             "Rows read: 3,210", "Duplicates collapsed: 10", "First bad rows"]
    positions = [page.index(s) for s in order]
    assert positions == sorted(positions)
    assert '<td class="l missing">⚠ no prevention action</td>' in page
    assert '<tr class="nodata"><td>2026-W42</td><td class="l" colspan="12">no data</td></tr>' in page
    assert '<tr class="current"><td>2026-W47</td>' in page


def test_uncovered_requested_week_names_the_covered_weeks():
    page = metrics_html.render(CASES["requested week uncovered"]())
    assert "<strong>2026-W47: no data.</strong> The export covers 2026-09-28 to 2026-11-22" in page
    assert '<div class="value">no data</div>' in page


def test_week_labels_on_a_long_chart_do_not_crowd_the_requested_week():
    from cetool.metrics.report.common import HEADLINES
    from cetool.metrics.report.svg import chart
    from cetool.metrics.result import Week

    weeks = [Week.from_dict(w) for w in
             eight_weeks() + [make_week(date(2026, 11, 23)), make_week(date(2026, 11, 30))]]
    checker = parse(chart(HEADLINES[0], weeks, "2026-W49"))
    labels = [t for t in checker.text if t.startswith("W")]
    assert labels == ["W40", "W42", "W44", "W46", "W49"]


def test_uncovered_requested_week_card_shows_no_data_once():
    page = metrics_html.render(CASES["requested week uncovered"]())
    card = page.split('<div class="card">')[1]
    assert card.count("no data") == 1 + 1  # the value, and the chart's tooltip for the week


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=60, deadline=None)
@given(cause=st.text(min_size=1, max_size=40), context=st.text(max_size=80))
def test_any_root_cause_or_context_keeps_the_page_well_formed(cause, context):
    result = full_result()
    result["drivers"][0]["root_cause"] = cause
    result["context"] = context
    page = metrics_html.render(result)
    parse(page)
    assert "<script" not in page.lower().replace("&lt;script", "")
