"""Honest HTML charts: each week's n beside the P1/P2 median, and the verdict in words."""

from __future__ import annotations

import re
from datetime import date

from cetool.metrics.report import html as metrics_html
from metrics_builders import eight_weeks, make_result, uncovered


def _charts(page: str) -> list[str]:
    return re.findall(r"<svg class=\"chart\".*?</svg>", page)


def test_the_median_chart_shows_each_weeks_n():
    weeks = eight_weeks(date(2026, 11, 16))
    for number, week in enumerate(weeks):
        week["p1p2_resolved"] = 6 if number % 2 else 60
    weeks[2] = uncovered(weeks[2])
    page = metrics_html.render(make_result(weeks))
    esc, repeats, ttr = _charts(page)
    labels = re.findall(r'<text class="n"[^>]*>n=(\d+)</text>', ttr)
    covered = [w for w in weeks if w["covered"] and w["p1p2_ttr_median_hours"] is not None]
    assert labels == [str(w["p1p2_resolved"]) for w in covered]
    assert "(n=6)</title>" in ttr and "(n=60)</title>" in ttr  # and in each point's tooltip
    assert '<text class="n"' not in esc and '<text class="n"' not in repeats


def test_better_and_worse_and_lower_is_better_are_said_in_words():
    weeks = eight_weeks(date(2026, 11, 16))
    page = metrics_html.render(make_result(weeks))
    cards = re.findall(r'<div class="card">.*?</svg></div>', page)
    assert len(cards) == 3 and all("(lower is better)" in card for card in cards)
    verdicts = re.findall(r'<div class="(better|worse)">([^<]*)</div>', page)
    assert verdicts and all(text.endswith(f"({kind})") for kind, text in verdicts)
