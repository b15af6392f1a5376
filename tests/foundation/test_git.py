"""The one git wrapper: a git that hangs stops the command with a clear error, never a hang;
`check --base` and `matrix diff REV:PATH` both go through it."""

from __future__ import annotations

import os
import stat

import pytest

import cetool.core.git as git
from cetool.core.errors import CetoolError


@pytest.fixture
def hanging_git(tmp_path, monkeypatch):
    fake = tmp_path / "bin" / "git"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\nsleep 30\n")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(git, "GIT_TIMEOUT_SECONDS", 0.5)


def test_a_git_that_does_not_finish_is_an_error_not_a_hang(hanging_git):
    with pytest.raises(CetoolError, match="did not finish within 0.5 s"):
        git.git_show("HEAD", "ownership.yaml")


def test_check_base_uses_the_same_wrapper(hanging_git, tmp_path):
    from cetool.docscheck.run import matrix_at

    with pytest.raises(CetoolError, match=r"--base HEAD: git rev-parse did not finish"):
        matrix_at(tmp_path, "HEAD")
