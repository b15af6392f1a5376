"""Regressions from QA, through the CLI: odd files never stop or hang a run, output stays safe,
counts agree across formats, and messages name the real problem."""

from __future__ import annotations

import json
import os
import shutil
import xml.etree.ElementTree as ET

import pytest

from checktools import edit

TODAY = "2026-11-23"


def _json(cli, *args):
    result = cli(*args, "--format", "json")
    return result.exit_code, json.loads(result.stdout)


def test_symlink_loop_is_one_problem_and_packet_validate_still_prints_json(cli, docs, tmp_path):
    drafts = docs / "drafts"
    drafts.mkdir()
    (drafts / "l1.yaml").symlink_to("l2.yaml")
    (drafts / "l2.yaml").symlink_to("l1.yaml")
    code, payload = _json(cli, "packet", "validate", drafts / "l1.yaml", "--matrix", docs / "ownership.yaml")
    assert code == 1
    [problem] = payload["problems"]
    assert problem["code"] == "unreadable-file" and "symlink loop" in problem["message"]
    assert problem["file"].endswith("l1.yaml") and payload["files_checked"] == 1
    # outside the docs root the loop is not followed at all: still one problem, still JSON
    (tmp_path / "o1.yaml").symlink_to("o2.yaml")
    (tmp_path / "o2.yaml").symlink_to("o1.yaml")
    code, payload = _json(cli, "packet", "validate", tmp_path / "o1.yaml", "--matrix", docs / "ownership.yaml")
    assert code == 1 and len(payload["problems"]) == 1 and payload["files_checked"] == 1


def test_symlink_loop_inside_packets_does_not_stop_check(cli, docs):
    (docs / "packets" / "l1.yaml").symlink_to("l2.yaml")
    (docs / "packets" / "l2.yaml").symlink_to("l1.yaml")
    code, payload = _json(cli, "check", docs, "--today", TODAY)
    assert code == 1
    looped = {p["file"].rsplit("/", 1)[-1] for p in payload["problems"] if p["code"] == "unreadable-file"}
    assert looped == {"l1.yaml", "l2.yaml"}
    assert payload["errors"] == 2  # the rest of the repo was still checked, and is clean


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_under_packets_is_a_problem_and_never_opened(cli, docs):
    os.mkfifo(docs / "packets" / "f.yaml")
    code, payload = _json(cli, "check", docs, "--today", TODAY)  # would block forever if opened
    assert code == 1
    [problem] = payload["problems"]
    assert problem["code"] == "not-a-regular-file" and "FIFO" in problem["message"]


def test_files_checked_agrees_across_formats_with_a_refused_symlink(cli, docs, tmp_path):
    outside = tmp_path / "outside.yaml"
    outside.write_text("id: x\n", encoding="utf-8")
    (docs / "packets" / "out.yaml").symlink_to(outside)
    (docs / "runbooks" / "out.md").symlink_to(outside)
    _, payload = _json(cli, "check", docs, "--today", TODAY)
    junit = ET.fromstring(cli("check", docs, "--format", "junit", "--today", TODAY).stdout.encode())
    cases = [c.get("name") for c in junit.iter("testcase")]
    assert int(junit.get("tests")) == len(cases) == len(set(cases)) == payload["files_checked"]
    github = cli("check", docs, "--format", "github", "--today", TODAY).stdout
    assert f"in {payload['files_checked']} file(s) checked" in github
    text = cli("check", docs, "--today", TODAY).stdout
    assert f"({payload['files_checked']} checked)" in text


def test_junit_stays_valid_xml_with_a_control_character_in_a_file_name(cli, docs):
    (docs / "packets" / "ctl\x01name.yaml").write_text("id: [\n", encoding="utf-8")
    out = cli("check", docs, "--format", "junit", "--today", TODAY).stdout
    names = [c.get("name") for c in ET.fromstring(out.encode()).iter("testcase")]
    assert any(name.endswith("packets/ctl\\x01name.yaml") for name in names)


def test_escape_sequences_in_a_packet_never_reach_the_terminal(cli, docs, tmp_path):
    path = tmp_path / "e.yaml"
    path.write_bytes(b'id: x\ntitle: "\x1b]0;PWNED\x07\x1b[2J"\n')
    for fmt in ("text", "github"):
        out = cli("packet", "validate", path, "--matrix", docs / "ownership.yaml", "--format", fmt).stdout
        assert "\x1b" not in out and "\x07" not in out


def test_a_megabyte_line_is_shown_as_a_window_not_in_full(cli, docs, tmp_path):
    path = tmp_path / "long.yaml"
    path.write_text("id: x\ntitle: " + "T" * 800_000 + "\ncustomer: " + "C" * 100_000 + "\n"
                    + "K" * 1000 + ":\n", encoding="utf-8")
    out = cli("packet", "validate", path, "--matrix", docs / "ownership.yaml").stdout
    assert len(out) < 20_000
    assert "…" in out


def test_forbidden_tag_is_reported_once_at_its_node(cli, docs):
    name = next((docs / "packets").glob("*.yaml"))
    text = name.read_text(encoding="utf-8")
    customer = next(line for line in text.splitlines() if line.strip().startswith("customer:"))
    edit(name, customer, customer.split(":")[0] + ': !!python/object/apply:os.system ["x"]')
    code, payload = _json(cli, "packet", "validate", name, "--matrix", docs / "ownership.yaml")
    assert code == 1
    assert [p["code"] for p in payload["problems"] if p["path"] == "context.customer"] == ["forbidden-tag"]


def test_section_with_only_a_comment_and_a_placeholder_is_empty(cli, docs):
    runbook = next((docs / "runbooks").glob("*.md"))
    text = runbook.read_text(encoding="utf-8")
    start = text.index("## Symptoms")
    end = text.index("\n## ", start + 1)
    runbook.write_text(text[:start] + "## Symptoms\n<!-- fill in -->\nTODO\n" + text[end:], encoding="utf-8")
    code, payload = _json(cli, "check", docs, "--today", TODAY)
    assert code == 1
    assert [p["code"] for p in payload["problems"] if p["file"].endswith(runbook.name)] == ["empty-section"]


def test_kb_outside_a_docs_root_is_a_usage_error(cli, tmp_path, monkeypatch, docs):
    monkeypatch.chdir(tmp_path)
    for args in (("kb", "stale"), ("kb", "search", "webhook")):
        result = cli(*args)
        assert result.exit_code == 2 and "ownership.yaml" in result.output
    assert cli("kb", "stale", "--root", docs, "--today", TODAY).exit_code in (0, 1)
    readme = tmp_path / "README.md"
    readme.write_text("hi\n", encoding="utf-8")
    result = cli("kb", "search", "x", "--root", readme)
    assert result.exit_code == 2 and "is a file, not a folder" in result.output


def test_matrix_commands_given_a_folder_say_it_is_a_folder(cli, docs):
    for args in (("matrix", "check", docs), ("matrix", "diff", docs, docs / "ownership.yaml")):
        result = cli(*args)
        assert result.exit_code == 2 and "is a folder; name the ownership.yaml file" in result.output


@pytest.mark.skipif(shutil.which("git") is None, reason="--base needs git")
def test_check_base_outside_git_says_so(cli, docs, tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    code, payload = _json(cli, "check", docs, "--base", "HEAD", "--today", TODAY)
    assert code == 2 and "not inside a git repository" in payload["error"]


def test_packet_validate_of_an_empty_folder_says_nothing_was_found(cli, docs, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = cli("packet", "validate", empty, "--matrix", docs / "ownership.yaml")
    assert result.exit_code == 0
    assert "no packet files (*.yaml, *.yml) found in" in result.output and "no files found" in result.output


def test_kb_search_and_matrix_show_never_print_control_characters(cli, docs):
    issue = next((docs / "known_issues").glob("*.md"))
    title = next(line for line in issue.read_text(encoding="utf-8").splitlines() if line.startswith("title:"))
    edit(issue, title, 'title: "Webhook \\e]0;PWNED\\a 401s"')
    result = cli("kb", "search", "webhook PWNED", "--root", docs)
    assert result.exit_code == 0 and "PWNED" in result.output and "\x1b" not in result.output
    matrix = docs / "ownership.yaml"
    name = next(line for line in matrix.read_text(encoding="utf-8").splitlines() if line.strip().startswith("name:"))
    edit(matrix, name, name.split(":")[0] + ': "Sup\\eport"')
    for args in (("matrix", "show", matrix), ("route", "intake", "--matrix", matrix)):
        out = cli(*args).output
        assert "\x1b" not in out
    assert "Sup\\x1bport" in cli("matrix", "show", matrix).output


@pytest.mark.parametrize("name", ["packets", "runbooks", "known_issues"])
def test_check_refuses_a_docs_folder_symlinked_from_outside(cli, docs, tmp_path, name):
    moved = tmp_path / f"elsewhere-{name}"
    (docs / name).rename(moved)
    (docs / name).symlink_to(moved, target_is_directory=True)
    result = cli("check", docs, "--format", "json", "--today", "2026-11-23")
    problems = json.loads(result.stdout)["problems"]
    assert result.exit_code == 1
    assert [(p["code"], p["file"].rsplit("/", 1)[-1]) for p in problems if p["code"] == "symlink-outside-root"] == [
        ("symlink-outside-root", name)]


def test_check_refuses_an_ownership_yaml_symlinked_from_outside(cli, docs, tmp_path):
    moved = tmp_path / "shared-ownership.yaml"
    (docs / "ownership.yaml").rename(moved)
    (docs / "ownership.yaml").symlink_to(moved)
    result = cli("check", docs, "--format", "json", "--today", "2026-11-23")
    assert result.exit_code == 2
    assert "symlink-outside-root" in [p["code"] for p in json.loads(result.stdout)["problems"]]
