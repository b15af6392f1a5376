"""The hooks of .pre-commit-hooks.yaml, run by the real pre-commit tool.

The hook repo is a fresh git repo holding this checkout's package files (so the test covers the
working tree, not the last commit); pre-commit installs it into its own virtualenv with pip,
which resolves the dependencies from the configured package index.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="pre-commit needs git")
pytest.importorskip("pre_commit")

PRE_COMMIT = [sys.executable, "-m", "pre_commit"]
DOCS = ("ownership.yaml", "packets", "runbooks", "known_issues")


def _git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True,
                          text=True).stdout.strip()


def _copy(src: Path, dst: Path) -> None:
    if src.is_dir():
        shutil.copytree(src, dst, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    else:
        shutil.copy2(src, dst)


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory) -> tuple[Path, str]:
    repo_root = Path(__file__).resolve().parents[2]
    repo = tmp_path_factory.mktemp("hookrepo")
    for name in ("pyproject.toml", "README.md", "LICENSE", "src", ".pre-commit-hooks.yaml"):
        if (repo_root / name).exists():
            _copy(repo_root / name, repo / name)
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "hooks")
    return repo, _git(repo, "rev-parse", "HEAD")


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def _docs_repo(tmp_path: Path, hook_repo: tuple[Path, str], repo_root: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in DOCS:
        _copy(repo_root / name, docs / name)
    repo, rev = hook_repo
    (docs / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {repo.as_posix()}\n    rev: {rev}\n    hooks:\n"
        "      - id: cetool-check\n      - id: cetool-packets\n",
        encoding="utf-8",
    )
    _git(docs, "init", "-q")
    _git(docs, "add", "-A")
    return docs


def _run(docs: Path, home: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    return subprocess.run([*PRE_COMMIT, "run", "--all-files", "--color", "never"], cwd=docs, env=env,
                          capture_output=True, text=True, timeout=900)


def test_hooks_pass_on_a_valid_docs_repo(tmp_path, hook_repo, pre_commit_home, repo_root):
    docs = _docs_repo(tmp_path, hook_repo, repo_root)
    result = _run(docs, pre_commit_home)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "cetool check" in result.stdout
    assert "cetool packet validate" in result.stdout
    assert "Failed" not in result.stdout


def test_hooks_fail_on_a_broken_packet_and_runbook(tmp_path, hook_repo, pre_commit_home, repo_root):
    docs = _docs_repo(tmp_path, hook_repo, repo_root)
    packet = sorted((docs / "packets").glob("*.yaml"))[0]
    packet.write_text(packet.read_text(encoding="utf-8").replace("route_to:", "route_to: support\nx-was:", 1),
                      encoding="utf-8")
    runbook = docs / "runbooks" / "RB-LATENCY.md"
    runbook.write_text(runbook.read_text(encoding="utf-8").replace("## Resolution", "## Resolved"),
                       encoding="utf-8")
    _git(docs, "add", "-A")
    result = _run(docs, pre_commit_home)
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.count("Failed") == 2, result.stdout
    assert "missing-section" in result.stdout
    assert packet.name in result.stdout
