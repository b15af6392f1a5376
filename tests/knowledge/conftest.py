from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

DOCS = ("ownership.yaml", "packets", "runbooks", "known_issues")
from kbtools import TODAY


@pytest.fixture
def docs(tmp_path, repo_root) -> Path:
    """A copy of this repo's own docs content (valid as committed) to break one rule at a time."""
    root = tmp_path / "docs"
    root.mkdir()
    for name in DOCS:
        src = repo_root / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, root / name)
    return root


@pytest.fixture
def check(cli):
    """`cetool check ROOT --format json --today 2026-11-23`: (exit code, parsed JSON)."""
    def run(root: Path, *args: str):
        result = cli("check", root, "--format", "json", "--today", TODAY, *args)
        return result.exit_code, json.loads(result.stdout)

    return run
