"""The committed sample export is exactly what the generator writes, and tells the story it claims."""

from __future__ import annotations

import csv
import importlib.util
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "examples" / "tickets.csv"
ROOT_CAUSES = {"webhook-secret-rotation", "saml-redirect-loop", "import-silent-drop", "api-rate-limit-burst",
               "billing-proration-mismatch", "latency-cache-eviction", "csv-export-timeout", "role-sync-drift"}


def _generator():
    spec = importlib.util.spec_from_file_location("make_sample_export", REPO / "scripts" / "make_sample_export.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    with SAMPLE.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_generator_rebuilds_the_committed_file_byte_for_byte(tmp_path):
    target = tmp_path / "tickets.csv"
    _generator().write_export(target)
    assert target.read_bytes() == SAMPLE.read_bytes()


def test_canonical_columns_and_a_modest_size(rows):
    with SAMPLE.open(encoding="utf-8") as handle:
        header = handle.readline().strip().split(",")
    assert header == _generator().COLUMNS
    assert 9000 <= len(rows) <= 11000
    assert SAMPLE.stat().st_size < 3 * 1024 * 1024


def _when(value: str) -> datetime | None:
    try:
        return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return None


def test_26_weeks_ending_sunday_2026_11_22_at_about_400_a_week(rows):
    created = [t for t in (_when(r["created_at"]) for r in rows) if t]
    assert min(created).date().isoformat() == "2026-05-25"
    assert max(created).date().isoformat() == "2026-11-22"
    per_week = Counter(t.isocalendar()[:2] for t in created)
    assert len(per_week) == 26
    assert all(300 <= n <= 500 for n in per_week.values())


def test_priority_mix_escalation_share_and_root_causes(rows):
    share = Counter(r["priority"] for r in rows)
    assert 0.02 <= share["P1"] / len(rows) <= 0.04 and 0.10 <= share["P2"] / len(rows) <= 0.14
    escalated = sum(1 for r in rows if r["escalated_at"]) / len(rows)
    assert 0.04 <= escalated <= 0.06
    causes = {r["root_cause"] for r in rows} - {""}
    assert causes == ROOT_CAUSES


def test_duplicates_and_bad_rows_are_there_for_the_run_facts(rows):
    ids = Counter(r["ticket_id"] for r in rows)
    assert sum(n - 1 for n in ids.values()) == 12
    assert sum(1 for r in rows if _when(r["created_at"]) is None) == 5
    backwards = [r for r in rows if _when(r["created_at"]) and r["resolved_at"]
                 and _when(r["resolved_at"]) < _when(r["created_at"])]
    assert len(backwards) == 4


def test_cited_packets_of_this_repo_exist(rows):
    shipped = set(_generator().SHIPPED_PACKETS.values())
    cited = {r["packet_id"] for r in rows if r["packet_id"]}
    assert shipped <= cited
    assert {f"{p}.yaml" for p in shipped} <= {f.name for f in (REPO / "packets").glob("*.yaml")}


def _script(*args: str, cwd: Path) -> "subprocess.CompletedProcess[str]":
    import subprocess
    import sys

    return subprocess.run([sys.executable, str(REPO / "scripts" / "make_sample_export.py"), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def test_help_prints_usage_and_writes_nothing(tmp_path):
    result = _script("--help", cwd=tmp_path)
    assert result.returncode == 0 and "usage: make_sample_export.py" in result.stdout and "--force" in result.stdout
    assert list(tmp_path.iterdir()) == []  # no file named --help


def test_refuses_to_overwrite_without_force(tmp_path):
    target = tmp_path / "tickets.csv"
    target.write_text("mine\n", encoding="utf-8")
    result = _script(str(target), cwd=tmp_path)
    assert result.returncode == 2 and "use --force" in result.stderr
    assert target.read_text(encoding="utf-8") == "mine\n"
    assert _script(str(target), "--force", cwd=tmp_path).returncode == 0
    assert target.read_bytes() == SAMPLE.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tickets.csv"]  # no temporary file left


def test_an_unknown_option_is_a_usage_error(tmp_path):
    result = _script("--sed", "3", cwd=tmp_path)
    assert result.returncode == 2 and "unrecognized arguments" in result.stderr
    assert list(tmp_path.iterdir()) == []
