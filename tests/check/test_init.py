"""`cetool init`: a starter docs repo that passes `cetool check`, and never touches existing files."""

from __future__ import annotations

import json
from datetime import date

import yaml

from cetool.scaffold.init_repo import init_docs_repo, render_templates
from checktools import tree_hashes

EXPECTED = {".github/workflows/cetool.yml", ".pre-commit-config.yaml", "ownership.yaml",
            "packets/ESC-2026-0001.yaml", "runbooks/RB-WEBHOOK-DELIVERY.md", "known_issues/KI-0001.md",
            "schemas/packet.schema.json", "prevention/PA-2026-0001.yaml", "schemas/prevention.schema.json"}
PINNED = "cetool @ git+https://example.com/your-org/cetool@0123456789abcdef0123456789abcdef01234567"


def test_init_into_an_empty_folder_then_check_passes_strictly(cli, tmp_path):
    target = tmp_path / "new-docs"
    result = cli("init", target, "--today", "2026-11-23", "--install-from", PINNED)
    assert result.exit_code == 0, result.output
    assert set(tree_hashes(target)) == EXPECTED
    check = cli("check", target, "--strict", "--format", "json", "--today", "2026-11-23")
    assert check.exit_code == 0, check.output
    assert json.loads(check.stdout)["problems"] == []


def test_init_dates_follow_today_so_the_result_is_never_born_stale(cli, tmp_path):
    cli("init", tmp_path, "--today", "2031-02-03", "--install-from", PINNED)
    assert (tmp_path / "packets/ESC-2031-0001.yaml").is_file()
    assert cli("check", tmp_path, "--strict", "--today", "2031-02-03").exit_code == 0


def test_init_refuses_a_non_empty_repo_and_changes_nothing(cli, tmp_path):
    (tmp_path / "ownership.yaml").write_text("version: mine\n", encoding="utf-8")
    (tmp_path / "runbooks").mkdir()
    (tmp_path / "runbooks/RB-WEBHOOK-DELIVERY.md").write_text("my runbook\n", encoding="utf-8")
    before = tree_hashes(tmp_path)
    result = cli("init", tmp_path)
    assert result.exit_code == 2
    assert "ownership.yaml" in result.output and "RB-WEBHOOK-DELIVERY.md" in result.output
    assert "nothing was written" in result.output
    assert tree_hashes(tmp_path) == before


def test_init_force_overwrites_only_its_own_files(cli, tmp_path):
    (tmp_path / "ownership.yaml").write_text("version: mine\n", encoding="utf-8")
    (tmp_path / "README.md").write_text("keep me\n", encoding="utf-8")
    result = cli("init", tmp_path, "--force", "--today", "2026-11-23")
    assert result.exit_code == 0 and "overwritten  " in result.output
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == "keep me\n"
    assert "version: mine" not in (tmp_path / "ownership.yaml").read_text(encoding="utf-8")


def test_templates_render_as_valid_yaml_and_keep_the_shared_vocabulary(repo_root):
    files = render_templates(date(2026, 11, 23))
    assert set(files) == EXPECTED
    assert not any("{{today}}" in text or "{{year}}" in text for text in files.values())
    matrix = yaml.safe_load(files["ownership.yaml"])
    ours = yaml.safe_load((repo_root / "ownership.yaml").read_text(encoding="utf-8"))
    assert matrix["teams"].keys() == ours["teams"].keys()
    assert matrix["categories"].keys() == ours["categories"].keys()
    workflow = yaml.safe_load(files[".github/workflows/cetool.yml"])
    assert "cetool check --format github" in json.dumps(workflow)
    hooks = yaml.safe_load(files[".pre-commit-config.yaml"])
    assert [h["id"] for h in hooks["repos"][0]["hooks"]] == ["cetool-check"]


def test_core_result_lists_created_files(tmp_path):
    result = init_docs_repo(tmp_path, today=date(2026, 11, 23))
    assert set(result.created) == EXPECTED and result.overwritten == []


def test_init_writes_the_schema_the_packets_point_at(cli, tmp_path):
    from cetool.packets.model import packet_schema_text

    assert cli("init", tmp_path, "--today", "2026-11-23").exit_code == 0
    schema = tmp_path / "schemas" / "packet.schema.json"
    assert schema.read_text(encoding="utf-8") == packet_schema_text()
    packet = tmp_path / "packets" / "ESC-2026-0001.yaml"
    ref = packet.read_text(encoding="utf-8").splitlines()[0].split("$schema=")[1]
    assert (packet.parent / ref).resolve() == schema.resolve()
