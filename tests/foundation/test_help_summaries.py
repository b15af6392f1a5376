"""`--help` lists every command with a whole summary: never a sentence cut with '...'."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from cetool.cli.app import SUMMARIES


def _help(*args: str, columns: int = 80) -> str:
    env = {**os.environ, "COLUMNS": str(columns), "NO_COLOR": "1"}
    result = subprocess.run([sys.executable, "-m", "cetool", *args, "--help"], capture_output=True, text=True,
                            env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def _commands(text: str) -> str:
    return text.split("Commands:", 1)[1]


def test_top_level_summaries_are_whole_and_fit_one_line_in_80_columns():
    listed = _commands(_help())
    assert "..." not in listed.replace("(Zendesk, Jira, ...)", "")
    width = max(len(name) for name in SUMMARIES) + 1  # click pads names to the longest
    for name, summary in SUMMARIES.items():
        assert f"  {name:<{width}} {summary}\n" in listed, (name, listed)
        assert len(f"  {name:<{width}} {summary}") <= 80, name


@pytest.mark.parametrize("group", ["packet", "matrix", "kb", "metrics", "prevention"])
def test_group_summaries_are_first_sentences_whole_even_when_narrow(group):
    listed = _commands(_help(group, columns=60))
    assert "..." not in listed, listed
    assert all(len(line) <= 60 for line in listed.splitlines()), listed
