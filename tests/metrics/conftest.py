"""Small hand-made exports for the metrics tests."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from metrics_fixtures import CANONICAL, csv_text


@pytest.fixture
def write_export(tmp_path: Path):
    def write(rows: list[list[str]], header: list[str] = CANONICAL, name: str = "export.csv",
              delimiter: str = ",", prefix: str = "") -> Path:
        path = tmp_path / name
        path.write_text(prefix + csv_text(header, rows, delimiter), encoding="utf-8")
        return path

    return write


@pytest.fixture
def weekly():
    """The core: run_weekly on a file, returning the result dict."""
    from cetool.metrics.run import WeeklyOptions, run_weekly

    def run(path: Path, **options):
        options.setdefault("today", date(2026, 11, 25))
        return run_weekly(WeeklyOptions(export=path, export_display=path.name, **options)).to_dict()

    return run

