from __future__ import annotations

import shutil
from pathlib import Path

import pytest

DOCS = ("ownership.yaml", "packets", "runbooks", "known_issues")


@pytest.fixture
def docs(tmp_path, repo_root) -> Path:
    """A copy of this repo's own docs content (valid as committed)."""
    root = tmp_path / "docs"
    root.mkdir()
    for name in DOCS:
        src = repo_root / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, root / name)
    return root
