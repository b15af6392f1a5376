"""End to end, as a CI maintainer meets it: cetool installed from a git clone into a fresh venv
writes a workflow that pins that clone and commit, and the workflow's own install-and-check
steps, extracted from its YAML and run as a bash script, install cetool and pass.

Slow by nature (a fresh venv installs cetool's dependencies; about 50 s with a local package
index), so it is one test.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.skipif(shutil.which("git") is None or shutil.which("bash") is None,
                                reason="needs git and bash")

GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
# What GitHub substitutes for `${{ ... }}` on a push build (no base_ref): the expression's ''.
EXPRESSION = re.compile(r"\$\{\{.*?\}\}")


def _run(args: list[str], cwd: Path, env: dict[str, str], timeout: int = 300) -> subprocess.CompletedProcess:
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{args}: {result.stdout}\n{result.stderr}"
    return result


def _clone_of_this_checkout(repo_root: Path, into: Path, env: dict[str, str]) -> tuple[Path, str]:
    """A git repository holding the working tree's package files (so uncommitted work is tested)."""
    clone = into / "cetool-clone"
    clone.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE", "src"):
        source = repo_root / name
        if source.is_dir():
            shutil.copytree(source, clone / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        elif source.exists():
            shutil.copy2(source, clone / name)
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "cetool"]):
        _run(["git", *args], clone, env)
    return clone, _run(["git", "rev-parse", "HEAD"], clone, env).stdout.strip()


def _steps_as_bash(workflow: dict) -> str:
    """The `run:` steps of the check job, in order, as one script that stops at the first failure."""
    runs = [step["run"] for step in workflow["jobs"]["check"]["steps"] if "run" in step]
    return "set -euo pipefail\n" + "\n".join(EXPRESSION.sub("", run) for run in runs) + "\n"


def test_a_git_installed_cetool_writes_a_pinned_workflow_whose_steps_install_and_pass(tmp_path, repo_root):
    env = {key: value for key, value in os.environ.items() if key not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env.update(GIT_ENV, NO_COLOR="1")
    clone, commit = _clone_of_this_checkout(repo_root, tmp_path, env)
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], tmp_path, env)
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    # venv's bundled pip may predate `name @ git+file:///...` URLs; CI's setup-python has a current one
    _run([str(bin_dir / "python"), "-m", "pip", "install", "-q", "--upgrade", "pip"], tmp_path, env)
    _run([str(bin_dir / "python"), "-m", "pip", "install", "-q", f"cetool @ git+{clone.as_uri()}@{commit}"],
         tmp_path, env, timeout=600)

    _run([str(bin_dir / "cetool"), "init", "demo"], tmp_path, env)
    demo = tmp_path / "demo"
    text = (demo / ".github" / "workflows" / "cetool.yml").read_text(encoding="utf-8")
    assert f"cetool @ git+{clone.as_uri()}@{commit}" in text  # that clone, that commit
    workflow = yaml.safe_load(text)

    if shutil.which("check-jsonschema") or _has_module("check_jsonschema"):
        _run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
              str(demo / ".github" / "workflows" / "cetool.yml")], tmp_path, env)

    script = tmp_path / "steps.sh"
    script.write_text(_steps_as_bash(workflow), encoding="utf-8")
    assert "pip install" in script.read_text(encoding="utf-8")
    result = _run(["bash", str(script)], demo, env, timeout=600)
    assert "cetool: 0 error(s), 0 warning(s)" in result.stdout, result.stdout
    # and that workflow's cetool is the clone's: pip recorded the same source
    record = _run([str(bin_dir / "python"), "-c",
                   "from importlib.metadata import distribution as d; print(d('cetool').read_text('direct_url.json'))"],
                  tmp_path, env).stdout
    assert json.loads(record)["vcs_info"]["commit_id"] == commit


def _has_module(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None
