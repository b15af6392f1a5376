"""The CI workflow `cetool init` writes: it installs the cetool that wrote it, or says plainly
what to fill in (and `cetool check` warns until it is); it is a valid GitHub workflow."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

from cetool.scaffold.ci_install import (UNFILLED_MARKER, InstallSpec, github_install_step, spec_from_direct_url,
                                        spec_from_option)
from cetool.scaffold.init_repo import InitResult, next_steps, render_templates

SHA = "0123456789abcdef0123456789abcdef01234567"
WORKFLOW = ".github/workflows/cetool.yml"


def _install_run(workflow_text: str) -> str:
    steps = yaml.safe_load(workflow_text)["jobs"]["check"]["steps"]
    return next(step["run"] for step in steps if step.get("name") == "Install cetool")


@pytest.mark.parametrize("record, requirement", [
    ({"url": "https://github.com/org/cetool.git", "vcs_info": {"vcs": "git", "commit_id": SHA,
                                                               "requested_revision": "main"}},
     f"cetool @ git+https://github.com/org/cetool.git@{SHA}"),
    ({"url": "file:///srv/clones/cetool", "vcs_info": {"vcs": "git", "commit_id": SHA}},
     f"cetool @ git+file:///srv/clones/cetool@{SHA}"),
    # a token in the URL never reaches a committed workflow
    ({"url": "https://user:ghp_secret@github.com/org/cetool", "vcs_info": {"vcs": "git", "commit_id": SHA}},
     f"cetool @ git+https://github.com/org/cetool@{SHA}"),
    ({"url": "ssh://git@github.com/org/cetool", "vcs_info": {"vcs": "git", "commit_id": SHA}},
     f"cetool @ git+ssh://git@github.com/org/cetool@{SHA}"),
    ({"url": "https://github.com/org/mono", "subdirectory": "tools/cetool",
      "vcs_info": {"vcs": "git", "commit_id": SHA}},
     f"cetool @ git+https://github.com/org/mono@{SHA}#subdirectory=tools/cetool"),
    ({"url": "https://files.example.com/cetool-0.1.0-py3-none-any.whl",
      "archive_info": {"hashes": {"sha256": "ab" * 32}}},
     f"cetool @ https://files.example.com/cetool-0.1.0-py3-none-any.whl#sha256={'ab' * 32}"),
])
def test_a_reachable_source_is_pinned_exactly(record, requirement):
    assert spec_from_direct_url(record).requirement == requirement


@pytest.mark.parametrize("record", [
    {"url": "file:///home/me/cetool", "dir_info": {"editable": True}},  # an editable checkout
    {"url": "file:///home/me/dist/cetool-0.1.0-py3-none-any.whl", "archive_info": {}},  # a local wheel
    {"url": "https://hg.example.com/cetool", "vcs_info": {"vcs": "hg", "commit_id": "abc"}},
    {"url": "https://github.com/org/cetool", "vcs_info": {"vcs": "git", "commit_id": "not a sha"}},
    {},
])
def test_a_source_ci_cannot_reach_is_left_to_fill_in(record):
    assert spec_from_direct_url(record) is None


def test_install_from_takes_a_requirement_or_a_bare_url():
    assert spec_from_option("cetool==1.2.0").requirement == "cetool==1.2.0"
    assert spec_from_option(f" git+https://h/o/cetool@{SHA} ").requirement == f"cetool @ git+https://h/o/cetool@{SHA}"


@pytest.mark.parametrize("bad", ["", "   ", "cetool\nrm -rf /"])
def test_install_from_refuses_what_is_not_one_requirement(cli, tmp_path, bad):
    result = cli("init", tmp_path / "d", "--install-from", bad)
    assert result.exit_code == 2 and "--install-from" in result.output
    assert not (tmp_path / "d").exists()


@pytest.mark.parametrize("requirement", [
    f"cetool @ git+https://h/o/cetool@{SHA}",
    "cetool @ https://h/x.whl#sha256=00 # not: a comment",  # ' #' and ': ' must not end the YAML value
    "cetool==1.2; python_version >= '3.11'",  # a quote: shell-quoted, not broken
])
def test_the_install_step_is_yaml_and_shell_safe(requirement):
    run = _install_run(render_templates(date(2026, 11, 23), InstallSpec(requirement, "test"))[WORKFLOW])
    import shlex

    assert shlex.split(run) == ["pip", "install", requirement]


def test_without_a_source_the_step_fails_ci_saying_what_to_fill_in_and_check_warns(cli, tmp_path):
    assert cli("init", tmp_path, "--today", "2026-11-23").exit_code == 0  # this test's cetool is editable
    workflow = (tmp_path / WORKFLOW).read_text(encoding="utf-8")
    run = _install_run(workflow)
    assert UNFILLED_MARKER in run and run.endswith("exit 1")
    assert "cetool==" not in run  # never a bare version that may not be installable
    line = next(i for i, text in enumerate(workflow.splitlines(), 1) if UNFILLED_MARKER in text)

    plain = cli("check", tmp_path, "--format", "json", "--today", "2026-11-23")
    assert plain.exit_code == 0, plain.output  # a CI reminder, not a docs error
    [problem] = json.loads(plain.stdout)["problems"]
    assert (problem["code"], problem["severity"], problem["line"]) == ("ci-install-unfilled", "warning", line)
    assert problem["file"].endswith(WORKFLOW)
    assert cli("check", tmp_path, "--strict", "--today", "2026-11-23").exit_code == 1

    lines = workflow.splitlines(keepends=True)
    lines[line - 1] = f"        run: pip install 'cetool @ git+https://h/o/cetool@{SHA}'\n"
    filled = "".join(lines)
    (tmp_path / WORKFLOW).write_text(filled, encoding="utf-8")
    assert cli("check", tmp_path, "--strict", "--today", "2026-11-23").exit_code == 0


def test_check_of_a_docs_subfolder_finds_the_workflow_at_the_repository_top(cli, tmp_path):
    (tmp_path / ".git").mkdir()  # the repository's top, as git marks it
    assert cli("init", tmp_path / "docs", "--today", "2026-11-23").exit_code == 0
    shutil.move(str(tmp_path / "docs" / ".github"), str(tmp_path / ".github"))
    result = cli("check", tmp_path / "docs", "--format", "json", "--today", "2026-11-23")
    assert [p["code"] for p in json.loads(result.stdout)["problems"]] == ["ci-install-unfilled"]


def test_init_prints_next_steps_that_apply(cli, tmp_path):
    result = cli("init", tmp_path / "new", "--today", "2026-11-23")
    steps = result.output.split("Next steps:\n", 1)[1]
    assert f"cd {(tmp_path / 'new').as_posix()}" in steps
    assert "git init" in steps and "pre-commit install" in steps and "fill in how CI installs cetool" in steps
    assert steps.rstrip().endswith("cetool check")


def test_next_steps_skip_git_init_and_hook_install_once_done(tmp_path):
    (tmp_path / ".git" / "hooks").mkdir(parents=True)
    (tmp_path / ".git" / "hooks" / "pre-commit").write_text("#!/bin/sh\n", encoding="utf-8")
    steps = next_steps(InitResult(tmp_path, install=InstallSpec("cetool==1", "test")), pre_commit_on_path=True)
    assert steps == [f"cd {tmp_path.as_posix()}", "cetool check"]
    (tmp_path / ".git" / "hooks" / "pre-commit").unlink()
    steps = next_steps(InitResult(Path("."), install=InstallSpec("cetool==1", "test")), pre_commit_on_path=False)
    assert any(step.startswith("pip install pre-commit && pre-commit install") for step in steps)


@pytest.mark.parametrize("install", [None, InstallSpec(f"cetool @ git+https://h/o/cetool@{SHA}", "test")])
def test_the_workflow_validates_against_the_github_workflow_schema(tmp_path, install):
    """check-jsonschema ships GitHub's workflow schema (vendor.github-workflows): no network."""
    pytest.importorskip("check_jsonschema")
    workflow = tmp_path / "cetool.yml"
    workflow.write_text(render_templates(date(2026, 11, 23), install)[WORKFLOW], encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                             str(workflow)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_catches_a_broken_workflow(tmp_path):
    """The check above can fail: a step with neither `run` nor `uses` is not a workflow step."""
    pytest.importorskip("check_jsonschema")
    workflow = tmp_path / "cetool.yml"
    text = render_templates(date(2026, 11, 23))[WORKFLOW].replace("      - name: cetool check\n        run:",
                                                                   "      - name: cetool check\n        runs:")
    workflow.write_text(text, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                             str(workflow)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stdout + result.stderr


def test_github_install_step_is_indented_as_a_step():
    assert all(line.startswith("      ") for line in github_install_step(None).splitlines())


GITLAB = ".gitlab-ci.yml"


def _gitlab_install(text: str) -> str:
    return next(line for line in yaml.safe_load(text)["cetool"]["script"] if "pip install" in line or "FILL IN" in line)


@pytest.mark.parametrize("requirement", [f"cetool @ git+https://h/o/cetool@{SHA}", "cetool==1.2; python_version >= '3.11'"])
def test_the_gitlab_job_installs_the_same_pinned_cetool(requirement):
    import shlex

    files = render_templates(date(2026, 11, 23), InstallSpec(requirement, "test"), ci=("gitlab",))
    assert WORKFLOW not in files
    assert shlex.split(_gitlab_install(files[GITLAB])) == ["pip", "install", requirement]


@pytest.mark.parametrize("ci, written", [("github", {WORKFLOW}), ("gitlab", {GITLAB}), ("both", {WORKFLOW, GITLAB}),
                                         ("none", set())])
def test_ci_option_chooses_the_ci_files(cli, tmp_path, ci, written):
    assert cli("init", tmp_path, "--ci", ci, "--today", "2026-11-23").exit_code == 0
    assert {name for name in (WORKFLOW, GITLAB) if (tmp_path / name).exists()} == written


def test_an_unfilled_gitlab_job_fails_saying_what_to_fill_in_and_check_warns(cli, tmp_path):
    assert cli("init", tmp_path, "--ci", "gitlab", "--today", "2026-11-23").exit_code == 0
    text = (tmp_path / GITLAB).read_text(encoding="utf-8")
    assert UNFILLED_MARKER in _gitlab_install(text) and _gitlab_install(text).endswith("exit 1")
    payload = json.loads(cli("check", tmp_path, "--format", "json", "--today", "2026-11-23").stdout)
    assert [(p["code"], p["file"].endswith(GITLAB)) for p in payload["problems"]] == [("ci-install-unfilled", True)]


@pytest.mark.parametrize("install", [None, InstallSpec(f"cetool @ git+https://h/o/cetool@{SHA}", "test")])
def test_the_gitlab_job_validates_against_the_gitlab_ci_schema(tmp_path, install):
    pytest.importorskip("check_jsonschema")
    job = tmp_path / ".gitlab-ci.yml"
    job.write_text(render_templates(date(2026, 11, 23), install, ci=("gitlab",))[GITLAB], encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.gitlab-ci",
                             str(job)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
