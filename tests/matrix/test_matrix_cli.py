"""`cetool matrix check|show|diff` and `cetool route` through the CLI, plus diff/route cores."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date

import pytest

from cetool.matrix.load import diff_matrices, load_matrix_text, route
from matrix_builders import dump, line_of, matrix_data, write_matrix

TODAY = "2026-11-23"


# --- matrix check --------------------------------------------------------------------------


def test_check_valid_exits_0(cli, tmp_path):
    path = write_matrix(tmp_path)
    result = cli("matrix", "check", path, "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert "no problems" in result.output


def test_check_errors_exit_1_with_line_and_source(cli, tmp_path):
    data = matrix_data()
    data["categories"]["orphan"] = {"description": "Nobody owns this"}
    path = write_matrix(tmp_path, data)
    text = path.read_text()
    result = cli("matrix", "check", path, "--today", TODAY)
    assert result.exit_code == 1
    assert f"{line_of(text, 'orphan:')}:3" in result.output
    assert "  orphan:" in result.output  # the offending source line is shown
    assert "[unowned-category]" in result.output


def test_check_warnings_pass_unless_strict(cli, tmp_path):
    path = write_matrix(tmp_path)
    assert cli("matrix", "check", path, "--today", "2027-02-01").exit_code == 0
    strict = cli("matrix", "check", path, "--today", "2027-02-01", "--strict")
    assert strict.exit_code == 1 and "review-overdue" in strict.output


def test_check_json_and_github(cli, tmp_path):
    data = matrix_data()
    data["teams"]["support"]["consults_on"] = ["intake"]
    path = write_matrix(tmp_path, data)
    payload = json.loads(cli("matrix", "check", path, "--today", TODAY, "--format", "json").output)
    assert payload["errors"] == 1 and payload["files_checked"] == 1
    assert payload["problems"][0]["code"] == "owns-and-consults"
    assert payload["problems"][0]["path"] == "teams.support.consults_on[0]"
    github = cli("matrix", "check", path, "--today", TODAY, "--format", "github").output
    assert github.startswith("::error file=") and "title=owns-and-consults" in github


def test_check_missing_file_exit_2_and_json_error(cli, tmp_path):
    result = cli("matrix", "check", tmp_path / "nope.yaml", "--format", "json")
    assert result.exit_code == 2
    assert "error" in json.loads(result.output)
    assert cli("matrix", "check", tmp_path / "nope.yaml").exit_code == 2


def test_check_bad_today_exit_2(cli, tmp_path):
    assert cli("matrix", "check", write_matrix(tmp_path), "--today", "23/11/2026").exit_code == 2


def test_check_finds_ownership_yaml_upward(cli, tmp_path, monkeypatch):
    write_matrix(tmp_path)
    (tmp_path / "packets" / "deep").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "packets" / "deep")
    result = cli("matrix", "check", "--today", TODAY)
    assert result.exit_code == 0, result.output


def test_project_matrix_checks_clean(cli, repo_root):
    result = cli("matrix", "check", repo_root / "ownership.yaml", "--today", TODAY, "--strict")
    assert result.exit_code == 0, result.output


# --- matrix show ---------------------------------------------------------------------------


def test_show_text_and_markdown(cli, repo_root):
    text = cli("matrix", "show", repo_root / "ownership.yaml")
    assert text.exit_code == 0
    assert "Ownership matrix 2026.4" in text.output and "review by 2027-01-01" in text.output
    assert "Product Engineering (product-engineering)" in text.output
    assert "to product-engineering: only from customer-engineering" in text.output
    md = cli("matrix", "show", repo_root / "ownership.yaml", "--format", "markdown").output
    assert md.startswith("# Ownership matrix 2026.4")
    assert "| `confirmed-bug` | product-engineering |" in md
    assert "| Team | Owns | Consults on | Does not own |" in md


def test_show_broken_matrix_exit_2_prints_problems(cli, tmp_path):
    data = matrix_data()
    data["teams"]["support"]["owns"].append("ghost")
    result = cli("matrix", "show", write_matrix(tmp_path, data))
    assert result.exit_code == 2
    assert "undefined-category" in result.output


# --- matrix diff ---------------------------------------------------------------------------


def test_diff_identical_ignores_comments_order_and_x_keys(cli, tmp_path):
    old = write_matrix(tmp_path, matrix_data(), "old.yaml")
    data = matrix_data()
    data["teams"] = dict(reversed(list(data["teams"].items())))
    data["teams"]["support"]["owns"].reverse()
    text = "# a comment\nx-note: ignored\n" + dump(data)
    new = write_matrix(tmp_path, text, "new.yaml")
    result = cli("matrix", "diff", old, new)
    assert result.exit_code == 0, result.output
    assert "identical" in result.output


def test_diff_reports_changes_and_exits_1(cli, tmp_path):
    old = write_matrix(tmp_path, matrix_data(), "old.yaml")
    data = matrix_data()
    data["version"] = "2026.5"
    data["teams"]["support"]["owns"].remove("suspected-bug")
    data["teams"]["customer-engineering"]["owns"].append("suspected-bug")
    data["teams"]["customer-engineering"]["consults_on"] = []
    data["categories"]["renewal-risk"] = {"description": "Renewal risk"}
    data["teams"]["support"]["owns"].append("renewal-risk")
    data["escalation"]["gates"][0]["from"].append("support")
    new = write_matrix(tmp_path, data, "new.yaml")
    result = cli("matrix", "diff", old, new)
    assert result.exit_code == 1
    assert "version 2026.4 -> 2026.5" in result.output
    assert "owner of suspected-bug: support -> customer-engineering" in result.output
    assert "categories added: renewal-risk" in result.output
    assert "customer-engineering consults on: -suspected-bug" in result.output
    assert "gate to product-engineering" in result.output
    payload = json.loads(cli("matrix", "diff", old, new, "--format", "json").output)
    assert payload["owner_changes"][0] == {"category": "suspected-bug", "from": "support", "to": "customer-engineering"}
    assert payload["old_version"] == "2026.4" and payload["new_version"] == "2026.5"


def test_diff_core_teams_added_removed_and_not_bumped():
    a = load_matrix_text(dump(matrix_data()), "a").parsed
    data = matrix_data()
    data["teams"]["tam"] = data["teams"].pop("support")
    b = load_matrix_text(dump(data), "b").parsed
    diff = diff_matrices(a, b)
    assert (diff.teams_added, diff.teams_removed) == (["tam"], ["support"])
    assert {"category": "intake", "from": "support", "to": "tam"} in diff.owner_changes
    assert not diff.identical and diff.content_changed
    only_version = matrix_data()
    only_version["version"] = "2027.1"
    diff = diff_matrices(a, load_matrix_text(dump(only_version), "c").parsed)
    assert not diff.identical and not diff.content_changed


@pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")
def test_diff_reads_rev_path_from_git(cli, tmp_path, monkeypatch):
    def git(*args):
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    git("init", "-q")
    write_matrix(tmp_path)
    git("add", "ownership.yaml")
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "matrix")
    data = matrix_data()
    data["version"] = "2026.5"
    write_matrix(tmp_path, data)
    monkeypatch.chdir(tmp_path)
    result = cli("matrix", "diff", "HEAD:ownership.yaml", "ownership.yaml")
    assert result.exit_code == 1 and "version 2026.4 -> 2026.5" in result.output
    missing = cli("matrix", "diff", "no-such-rev:ownership.yaml", "ownership.yaml", "--format", "json")
    assert missing.exit_code == 2 and "no-such-rev" in json.loads(missing.output)["error"]


def test_git_missing_is_a_clear_error(monkeypatch):
    from cetool.core.errors import CetoolError
    from cetool.core import git

    monkeypatch.setattr(git.shutil, "which", lambda name: None)
    with pytest.raises(CetoolError, match="git is not installed"):
        git.git_show("HEAD", "ownership.yaml")


def test_diff_missing_file_exit_2(cli, tmp_path):
    assert cli("matrix", "diff", tmp_path / "a.yaml", write_matrix(tmp_path)).exit_code == 2


# --- route ---------------------------------------------------------------------------------


def test_route_core():
    matrix = load_matrix_text(dump(matrix_data()), "m", today=date(2026, 11, 23)).matrix
    found = route(matrix, "suspected-bug")
    assert found.owner == "support"
    assert found.consulted_by == ["customer-engineering"]
    assert found.gates == []
    bug = route(matrix, "confirmed-bug")
    assert bug.must_not_own == ["customer-engineering"]
    assert bug.gates == [{"to": "product-engineering", "from": ["customer-engineering"]}]
    assert route(matrix, "nothing") is None


def test_route_cli_text_and_json(cli, repo_root):
    matrix = repo_root / "ownership.yaml"
    text = cli("route", "suspected-bug", "--matrix", matrix)
    assert text.exit_code == 0
    assert "Support (support)" in text.output and "customer-engineering" in text.output
    assert "version 2026.4" in text.output
    payload = json.loads(cli("route", "confirmed-bug", "--matrix", matrix, "--format", "json").output)
    assert payload["owner"] == "product-engineering"
    assert payload["gates"] == [{"to": "product-engineering", "from": ["customer-engineering"]}]
    assert payload["matrix_version"] == "2026.4"


def test_route_unknown_category_exit_1_with_suggestions(cli, repo_root):
    result = cli("route", "confirmed-bugs", "--matrix", repo_root / "ownership.yaml")
    assert result.exit_code == 1
    assert "confirmed-bug" in result.output
    payload = json.loads(cli("route", "sugested-bug", "--matrix", repo_root / "ownership.yaml", "--format", "json").output)
    assert "suspected-bug" in payload["suggestions"]


def test_route_without_matrix_exit_2(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("route", "confirmed-bug", "--format", "json")
    assert result.exit_code == 2 and "ownership.yaml" in json.loads(result.output)["error"]


def test_matrix_option_is_the_same_as_file(cli, tmp_path, repo_root):
    path = write_matrix(tmp_path)
    assert cli("matrix", "check", "--matrix", path, "--today", TODAY).exit_code == 0
    assert "Ownership matrix 2026.4" in cli("matrix", "show", "--matrix", path).output
    assert cli("matrix", "check", repo_root / "ownership.yaml", "--matrix", path).exit_code == 2


def test_route_suggests_keys_sharing_a_word_and_lists_all_when_nothing_is_close(cli, repo_root):
    matrix = repo_root / "ownership.yaml"
    payload = json.loads(cli("route", "bug", "--matrix", matrix, "--format", "json").output)
    assert {"confirmed-bug", "suspected-bug"} <= set(payload["suggestions"])
    far = json.loads(cli("route", "zzzzzz", "--matrix", matrix, "--format", "json").output)
    assert far["suggestions"] == [] and "confirmed-bug" in far["error"] and "intake" in far["error"]


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_a_revision_starting_with_a_dash_is_never_passed_to_git_as_an_option(cli, repo_root, tmp_path, monkeypatch):
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    shutil.copy(repo_root / "ownership.yaml", tmp_path / "ownership.yaml")
    monkeypatch.chdir(tmp_path)
    result = cli("matrix", "diff", "--", f"--output={tmp_path / 'written'}:x", "ownership.yaml")
    assert result.exit_code == 2 and not (tmp_path / "written").exists()
