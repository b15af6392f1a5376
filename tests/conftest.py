from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

# Stable rich output regardless of the terminal the tests run in.
os.environ.setdefault("COLUMNS", "120")
os.environ.setdefault("NO_COLOR", "1")


@pytest.fixture
def repo_root() -> Path:
    return REPO


@pytest.fixture
def docs(tmp_path, repo_root) -> Path:
    """A copy of this repo's own docs content (valid as committed) to break one rule at a time."""
    root = tmp_path / "docs"
    root.mkdir()
    for name in ("ownership.yaml", "packets", "runbooks", "known_issues"):
        src = repo_root / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, root / name)
    return root


@pytest.fixture
def cli():
    """Run `cetool ARGS...` in-process the way a user would; returns the click Result."""
    from typer.testing import CliRunner

    from cetool.cli.app import app

    runner = CliRunner()

    def run(*args: str, input: str | None = None):
        return runner.invoke(app, [str(a) for a in args], input=input, catch_exceptions=False)

    return run
