"""The hooks of .pre-commit-hooks.yaml, run by the real pre-commit tool.

The hook repo is a fresh git repo holding this checkout's package files (so the test covers the
working tree, not the last commit); pre-commit installs it into its own virtualenv with pip,
which resolves the dependencies from the configured package index.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

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


def _documented_config(repo_root: Path) -> dict:
    """The .pre-commit-config.yaml docs/check.md tells a docs repo to use."""
    text = (repo_root / "docs" / "check.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(# \.pre-commit-config\.yaml of a docs repo\n.*?)```", text, re.S)
    assert block, "docs/check.md has no .pre-commit-config.yaml example"
    return yaml.safe_load(block.group(1))


def _docs_repo(tmp_path: Path, hook_repo: tuple[Path, str], repo_root: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in DOCS:
        _copy(repo_root / name, docs / name)
    repo, rev = hook_repo
    documented = _documented_config(repo_root)["repos"][0]
    hooks = "".join(f"      - id: {hook['id']}\n" for hook in documented["hooks"])
    (docs / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {repo.as_posix()}\n    rev: {rev}\n    hooks:\n{hooks}", encoding="utf-8")
    _git(docs, "init", "-q")
    _git(docs, "add", "-A")
    return docs


def _run(docs: Path, home: Path, *files: str) -> subprocess.CompletedProcess:
    """`pre-commit run` over all files, or over `files` only (as a commit of just those)."""
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    which = ["--files", *files] if files else ["--all-files"]
    return subprocess.run([*PRE_COMMIT, "run", *which, "--color", "never"], cwd=docs, env=env,
                          capture_output=True, text=True, timeout=900)


def test_hooks_pass_on_a_valid_docs_repo(tmp_path, hook_repo, pre_commit_home, repo_root):
    docs = _docs_repo(tmp_path, hook_repo, repo_root)
    result = _run(docs, pre_commit_home)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "cetool check" in result.stdout
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
    assert "missing-section" in result.stdout
    assert packet.name in result.stdout
    # each problem once, whichever hooks the documented config lists
    assert result.stdout.count("route-not-owner") == 1, result.stdout
    assert result.stdout.count("missing-section") == 1, result.stdout


def _hook_patterns(path: Path) -> dict[str, re.Pattern[str]]:
    """The hooks of a hook repo's .pre-commit-hooks.yaml, or of a .pre-commit-config.yaml."""
    loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    hooks = loaded if isinstance(loaded, list) else [h for repo in loaded["repos"] for h in repo["hooks"]]
    return {hook["id"]: re.compile(hook["files"]) for hook in hooks}  # pre-commit uses re.search


@pytest.mark.parametrize("path, hooks", [
    ("ownership.yaml", {"cetool-check"}),
    ("packets/ESC-2026-0142.YAML", {"cetool-check", "cetool-packets"}),
    ("docs/packets/sub/ESC-1.Yml", {"cetool-check", "cetool-packets"}),
    ("runbooks/RB-LATENCY.MD", {"cetool-check"}),
    ("known_issues/KI-0001.Md", {"cetool-check"}),
    ("README.md", set()),
    ("runbooks/notes.txt", set()),
])
@pytest.mark.parametrize("hooks_file", [".pre-commit-hooks.yaml",
                                        "src/cetool/templates/init/dot-pre-commit-config.yaml.tmpl"])
def test_hook_file_patterns_ignore_case_like_check(repo_root, hooks_file, path, hooks):
    patterns = _hook_patterns(repo_root / hooks_file)
    assert {hook for hook, files in patterns.items() if files.search(path)} == hooks & set(patterns)


def test_configs_we_write_or_document_run_one_hook_so_nothing_is_reported_twice(repo_root):
    """`cetool check` validates every packet, so `cetool-packets` beside it would repeat each problem."""
    assert [h["id"] for h in _documented_config(repo_root)["repos"][0]["hooks"]] == ["cetool-check"]
    written = yaml.safe_load((repo_root / "src/cetool/templates/init/dot-pre-commit-config.yaml.tmpl").read_text())
    assert [h["id"] for h in written["repos"][0]["hooks"]] == ["cetool-check"]


def _git_has(repo_root: Path, rev: str) -> bool:
    return subprocess.run(["git", "-C", str(repo_root), "cat-file", "-e", f"{rev}^{{commit}}"],
                          capture_output=True).returncode == 0


def test_the_documented_pin_is_a_real_commit_or_tag_and_try_repo_works_with_it(tmp_path, repo_root, pre_commit_home):
    rev = _documented_config(repo_root)["repos"][0]["rev"]
    tags = subprocess.run(["git", "-C", str(repo_root), "tag", "--list"], capture_output=True, text=True).stdout.split()
    assert re.fullmatch(r"[0-9a-f]{40}", rev) or rev in tags, f"rev {rev!r}: neither a full commit sha nor a tag"
    if not _git_has(repo_root, rev):
        pytest.skip(f"this clone does not have commit {rev} (a shallow clone?)")
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in DOCS:
        _copy(repo_root / name, docs / name)
    packet = sorted((docs / "packets").glob("*.yaml"))[0]
    packet.write_text(packet.read_text(encoding="utf-8").replace("route_to:", "route_to: support\nx-was:", 1),
                      encoding="utf-8")
    _git(docs, "init", "-q")
    _git(docs, "add", "-A")
    env = {**os.environ, "PRE_COMMIT_HOME": str(pre_commit_home), "NO_COLOR": "1"}
    result = subprocess.run([*PRE_COMMIT, "try-repo", str(repo_root), "cetool-check", "--ref", rev, "--all-files",
                             "--color", "never"], cwd=docs, env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 1, result.stdout + result.stderr  # the hook ran and found the bad packet
    assert result.stdout.count("route-not-owner") == 1, result.stdout


def test_a_commit_of_only_upper_case_suffixed_files_runs_both_hooks(tmp_path, hook_repo, pre_commit_home, repo_root):
    docs = _docs_repo(tmp_path, hook_repo, repo_root)
    packet, runbook = docs / "packets" / "ESC-2026-0142.YAML", docs / "runbooks" / "RB-LATENCY.MD"
    (docs / "packets" / "ESC-2026-0142.yaml").rename(packet)
    (docs / "runbooks" / "RB-LATENCY.md").rename(runbook)
    runbook.write_text(runbook.read_text(encoding="utf-8").replace("## Resolution", "## Resolved"), encoding="utf-8")
    _git(docs, "add", "-A")
    result = _run(docs, pre_commit_home, "packets/ESC-2026-0142.YAML", "runbooks/RB-LATENCY.MD")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Skipped" not in result.stdout, result.stdout
    assert "missing-section" in result.stdout
