"""'Did you mean' for a mistyped packet key and for an enum value that differs only in case."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PACKET = REPO / "packets" / "ESC-2026-0142.yaml"


def _validate(cli, tmp_path, old: str, new: str) -> list[dict]:
    text = PACKET.read_text(encoding="utf-8")
    assert old in text
    packet = tmp_path / PACKET.name
    packet.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = cli("packet", "validate", packet, "--matrix", REPO / "ownership.yaml", "--format", "json")
    assert result.exit_code == 1, result.output
    return json.loads(result.stdout)["problems"]


@pytest.mark.parametrize("old, new, path, hint", [
    ("  business_impact:", "  bussiness_impact:", "context.bussiness_impact", "did you mean 'business_impact'?"),
    ("known_issue: KI-0001", "known_isue: KI-0001", "known_isue", "did you mean 'known_issue'?"),
    ("route_to:", "routeto:", "routeto", "did you mean 'route_to'?"),
])
def test_a_mistyped_key_gets_the_closest_key_of_its_mapping(cli, tmp_path, old, new, path, hint):
    problems = _validate(cli, tmp_path, old, new)
    unknown = next(p for p in problems if p["code"] == "unknown-key")
    assert unknown["path"] == path and unknown["message"].endswith(hint)


def test_a_key_like_nothing_gets_no_suggestion(cli, tmp_path):
    problems = _validate(cli, tmp_path, "known_issue: KI-0001", "known_issue: KI-0001\nzzz_qqq: 1")
    [unknown] = [p for p in problems if p["code"] == "unknown-key"]
    assert "did you mean" not in unknown["message"]


@pytest.mark.parametrize("old, new, hint", [
    ("severity: P2", "severity: p2", "did you mean 'P2'?"),
    ("account_criticality: high", "account_criticality: High", "did you mean 'high'?"),
    ("reproducible: always", "reproducible: ALWAYS", "did you mean 'always'?"),
    ("reproducible: always", "reproducible: intermitent", "did you mean 'intermittent'?"),
])
def test_an_enum_value_that_differs_in_case_gets_the_right_spelling(cli, tmp_path, old, new, hint):
    problems = _validate(cli, tmp_path, old, new)
    [invalid] = [p for p in problems if p["code"] == "invalid-value"]
    assert invalid["message"].endswith(hint), invalid["message"]


def test_a_wrong_value_unlike_any_gets_no_suggestion(cli, tmp_path):
    problems = _validate(cli, tmp_path, "severity: P2", "severity: urgent")
    [invalid] = [p for p in problems if p["code"] == "invalid-value"]
    assert "did you mean" not in invalid["message"]
