"""`cetool check` without ROOT finds the docs root from any subfolder, as the other commands do."""

from __future__ import annotations

import json

from checktools import edit

TODAY = "2026-11-23"


def test_check_inside_packets_checks_the_whole_docs_root(cli, docs, monkeypatch):
    edit(docs / "runbooks/RB-API-429.md", "## Escalation criteria", "## Escalation")
    monkeypatch.chdir(docs / "packets")
    result = cli("check", "--today", TODAY, "--format", "json")
    assert result.exit_code == 1, result.output
    payload = json.loads(result.stdout)
    assert payload["files_checked"] == 15
    [problem] = payload["problems"]
    assert problem["file"].endswith("runbooks/RB-API-429.md")
    assert "cetool init" not in result.output


def test_a_nested_subfolder_finds_it_too(cli, docs, monkeypatch):
    (docs / "packets" / "archive" / "2025").mkdir(parents=True)
    monkeypatch.chdir(docs / "packets" / "archive" / "2025")
    assert cli("check", "--today", TODAY).exit_code == 0


def test_no_docs_root_anywhere_above_still_suggests_init(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("check")
    assert result.exit_code == 2 and "cetool init" in result.output


def test_a_named_root_is_never_searched_upward(cli, docs):
    result = cli("check", docs / "packets")
    assert result.exit_code == 2 and "no ownership.yaml" in result.output
