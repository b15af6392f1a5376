from __future__ import annotations

import json
from pathlib import Path

import pytest
from kbtools import TODAY


@pytest.fixture
def check(cli):
    """`cetool check ROOT --format json --today 2026-11-23`: (exit code, parsed JSON)."""
    def run(root: Path, *args: str):
        result = cli("check", root, "--format", "json", "--today", TODAY, *args)
        return result.exit_code, json.loads(result.stdout)

    return run
