"""`cetool check --base REV`: a changed matrix must bump its version, and packets whose routing
the change breaks are reported."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from checktools import edit, line_of

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="--base needs git")
TODAY = "2026-11-23"


def _git(cwd: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


@pytest.fixture
def repo(docs) -> Path:
    _git(docs, "init", "-q")
    _git(docs, "add", "-A")
    _git(docs, "commit", "-q", "-m", "base")
    return docs


def _check(cli, repo: Path, *args: str):
    result = cli("check", repo, "--base", "HEAD", "--format", "json", "--today", TODAY, *args)
    return result.exit_code, json.loads(result.stdout)


def _codes(payload: dict) -> list[str]:
    return [p["code"] for p in payload["problems"]]


def test_unchanged_or_reformatted_matrix_needs_no_bump(cli, repo):
    assert _check(cli, repo) == (0, {"problems": [], "files_checked": 15, "errors": 0, "warnings": 0})
    matrix = repo / "ownership.yaml"
    text = matrix.read_text(encoding="utf-8")
    # Comments, quoting, an x- key and the order of top-level keys change; the content does not.
    head, _, rest = text.partition("teams:")
    matrix.write_text("# reformatted\nx-note: ignored\nteams:" + rest + "\n" + head.replace('"2026.4"', "'2026.4'"),
                      encoding="utf-8")
    exit_code, payload = _check(cli, repo)
    assert (exit_code, _codes(payload)) == (0, [])


def test_changed_matrix_with_the_same_version_is_an_error_at_version(cli, repo):
    matrix = repo / "ownership.yaml"
    edit(matrix, "description: Customer environment edge cases",
         "description: Customer environment edge cases (SSO, proxies)")
    exit_code, payload = _check(cli, repo)
    assert exit_code == 1
    problem, = payload["problems"]
    assert (problem["code"], problem["line"]) == ("matrix-version-not-bumped", line_of(matrix, "version:"))
    edit(matrix, 'version: "2026.4"', 'version: "2026.5"')
    exit_code, payload = _check(cli, repo)
    # The packets still name matrix_version 2026.4: a warning, not an error.
    assert exit_code == 0 and "matrix-version-not-bumped" not in _codes(payload)


def test_a_change_that_breaks_packet_routing_is_reported_per_packet(cli, repo):
    matrix = repo / "ownership.yaml"
    text = matrix.read_text(encoding="utf-8")
    text = text.replace('version: "2026.4"', 'version: "2026.5"')
    text = text.replace("      - confirmed-bug\n      - architecture-decision", "      - architecture-decision")
    text = text.replace("      - tier1-resolution\n      - confirmed-bug\n", "      - tier1-resolution\n")
    text = text.replace("      - product-feedback-loop\n", "      - product-feedback-loop\n      - confirmed-bug\n", 1)
    matrix.write_text(text, encoding="utf-8")
    exit_code, payload = _check(cli, repo)
    assert exit_code == 1
    broken = [p for p in payload["problems"] if p["code"] == "routing-broken-by-matrix"]
    # 0142 and 0147 are confirmed bugs; 0151 (codebase-investigation) still routes fine.
    assert sorted(Path(p["file"]).name for p in broken) == ["ESC-2026-0142.yaml", "ESC-2026-0147.yaml"]
    packet = repo / "packets/ESC-2026-0142.yaml"
    assert broken[0]["line"] == line_of(packet, "route_to:")
    assert "2026.4" in broken[0]["message"] and "2026.5" in broken[0]["message"]
    # Without --base the same tree reports the routing errors, but nothing about the change.
    plain = json.loads(cli("check", repo, "--format", "json", "--today", TODAY).stdout)
    assert "routing-broken-by-matrix" not in _codes(plain) and "route-not-owner" in _codes(plain)


def test_unknown_revision_exits_2(cli, repo):
    result = cli("check", repo, "--base", "no-such-branch", "--format", "json")
    assert result.exit_code == 2 and "no-such-branch" in json.loads(result.stdout)["error"]


def test_a_matrix_added_since_base_needs_nothing(cli, repo):
    (repo / "ownership.yaml").rename(repo / "old.yaml")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "no matrix")
    (repo / "old.yaml").rename(repo / "ownership.yaml")
    assert _check(cli, repo)[0] == 0


def test_a_packet_with_an_unrelated_error_is_still_reported_broken_by_the_matrix(cli, repo):
    packet = repo / "packets/ESC-2026-0142.yaml"
    edit(packet, "reproducible: always", "reproducible: sometimes")  # a schema error of its own
    _git(repo, "commit", "-q", "-am", "a broken packet")
    matrix = repo / "ownership.yaml"
    text = matrix.read_text(encoding="utf-8").replace('version: "2026.4"', 'version: "2026.5"')
    text = text.replace("      - confirmed-bug\n      - architecture-decision", "      - architecture-decision")
    text = text.replace("      - tier1-resolution\n      - confirmed-bug\n", "      - tier1-resolution\n")
    text = text.replace("      - product-feedback-loop\n", "      - product-feedback-loop\n      - confirmed-bug\n", 1)
    matrix.write_text(text, encoding="utf-8")
    exit_code, payload = _check(cli, repo)
    broken = {Path(p["file"]).name: p["path"] for p in payload["problems"] if p["code"] == "routing-broken-by-matrix"}
    assert exit_code == 1 and broken == {"ESC-2026-0142.yaml": "route_to", "ESC-2026-0147.yaml": "route_to"}
    assert "invalid-value" in _codes(payload)
