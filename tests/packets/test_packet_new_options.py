"""`packet new` refuses options `packet validate` would reject, takes --today, and writes a
template whose comments and `$schema` line are right; `.yml` packets are accepted."""

from __future__ import annotations

import json

import yaml

from packet_builders import dump, make_docs_root, packet_data, write_packet


def _new(cli, root, *args):
    return cli("packet", "new", "--matrix", root / "ownership.yaml", *args)


def test_today_sets_created_and_the_default_id_year(cli, tmp_path):
    packets = make_docs_root(tmp_path)
    result = _new(cli, tmp_path, "--today", "2031-02-03")
    assert result.exit_code == 0, result.output
    data = yaml.safe_load((packets / "ESC-2031-0001.yaml").read_text())
    assert data["id"] == "ESC-2031-0001" and str(data["created"]) == "2031-02-03"
    bad = _new(cli, tmp_path, "--today", "03/02/2031")
    assert bad.exit_code == 2 and "--today" in bad.output


def test_case_variant_of_an_existing_id_is_refused_naming_the_file(cli, tmp_path):
    packets = make_docs_root(tmp_path)
    write_packet(packets, packet_data(id="ESC-2026-0142"))
    result = _new(cli, tmp_path, "--id", "esc-2026-0142")
    assert result.exit_code == 2
    assert "ESC-2026-0142.yaml" in result.output and "already used" in result.output
    assert not (packets / "esc-2026-0142.yaml").exists()
    assert _new(cli, tmp_path, "--id", "ESC-2026-0143").exit_code == 0


def test_default_id_skips_ids_used_inside_differently_named_files(cli, tmp_path):
    packets = make_docs_root(tmp_path)
    write_packet(packets, packet_data(id="ESC-2026-0007"), name="renamed.yaml")
    assert _new(cli, tmp_path, "--today", "2026-11-23").exit_code == 0
    assert (packets / "ESC-2026-0008.yaml").exists()


def test_short_title_team_owner_and_placeholder_owner_are_refused(cli, tmp_path):
    packets = make_docs_root(tmp_path)
    short = _new(cli, tmp_path, "--title", "short")
    assert short.exit_code == 2 and "10-200 characters" in short.output
    team = _new(cli, tmp_path, "--owner", "product-engineering")
    assert team.exit_code == 2 and "not a team" in team.output
    assert _new(cli, tmp_path, "--owner", "TBD").exit_code == 2
    assert list(packets.iterdir()) == []
    ok = _new(cli, tmp_path, "--title", "Exports time out for large workspaces", "--owner", "dana.ortiz")
    assert ok.exit_code == 0, ok.output


def test_route_to_that_does_not_own_the_category_is_refused_naming_the_owner(cli, tmp_path):
    packets = make_docs_root(tmp_path)
    result = _new(cli, tmp_path, "--category", "confirmed-bug", "--route-to", "support")
    assert result.exit_code == 2 and "'product-engineering'" in result.output
    gate = _new(cli, tmp_path, "--category", "confirmed-bug", "--from-team", "support")
    assert gate.exit_code == 2 and "escalation gate" in gate.output
    assert list(packets.iterdir()) == []
    ok = _new(cli, tmp_path, "--category", "confirmed-bug", "--route-to", "product-engineering")
    assert ok.exit_code == 0, ok.output


def test_template_names_its_real_path_and_writes_the_schema_its_first_line_names(cli, tmp_path):
    packets = make_docs_root(tmp_path)
    result = _new(cli, tmp_path, "--id", "ESC-2026-0152")
    assert result.exit_code == 0 and "schemas/packet.schema.json" in result.output
    text = (packets / "ESC-2026-0152.yaml").read_text()
    assert "cetool packet validate packets/ESC-2026-0152.yaml" in text
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../schemas/packet.schema.json"
    schema = tmp_path / "schemas" / "packet.schema.json"
    assert json.loads(schema.read_text())["title"] == "Escalation packet"
    schema.write_text("{}")  # a schema already there is the team's: never replaced
    assert _new(cli, tmp_path, "--id", "ESC-2026-0153").exit_code == 0 and schema.read_text() == "{}"


def test_template_schema_line_resolves_in_a_docs_repo_made_by_init(cli, tmp_path):
    assert cli("init", tmp_path, "--today", "2026-11-23").exit_code == 0
    sub = tmp_path / "packets" / "2026"
    assert _new(cli, tmp_path, "--id", "ESC-2026-0152", "--dir", sub).exit_code == 0
    first = (sub / "ESC-2026-0152.yaml").read_text().splitlines()[0]
    ref = first.split("$schema=")[1]
    assert json.loads((sub / ref).read_text())["title"] == "Escalation packet"
    assert "packet validate packets/2026/ESC-2026-0152.yaml" in (sub / "ESC-2026-0152.yaml").read_text()


def test_yml_packet_named_after_its_id_passes_strict(cli, tmp_path):
    packets = make_docs_root(tmp_path)
    path = packets / "ESC-2026-0500.yml"
    path.write_text(dump(packet_data(id="ESC-2026-0500")))
    result = cli("packet", "validate", path, "--matrix", tmp_path / "ownership.yaml", "--strict")
    assert result.exit_code == 0, result.output
    other = packets / "other.yml"
    other.write_text(dump(packet_data(id="ESC-2026-0501")))
    warned = cli("packet", "validate", other, "--matrix", tmp_path / "ownership.yaml", "--strict")
    assert warned.exit_code == 1 and "filename-mismatch" in warned.output


def test_a_title_with_bytes_that_are_not_utf8_is_written_with_a_replacement_character(tmp_path):
    import subprocess
    import sys

    packets = make_docs_root(tmp_path)
    argv = [sys.executable, "-m", "cetool", "packet", "new", "--matrix", str(tmp_path / "ownership.yaml"),
            "--today", "2026-11-23", "--title", b"CSV export \xff times out for tenant", "--owner", b"Ann \xfe"]
    run = subprocess.run(argv, capture_output=True, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    data = yaml.safe_load((packets / "ESC-2026-0001.yaml").read_text(encoding="utf-8"))
    assert data["title"] == "CSV export \ufffd times out for tenant" and data["owner"] == "Ann \ufffd"


def test_every_refused_option_is_named_at_once_with_the_validate_rules_words(cli, tmp_path):
    """`packet new` runs the packets' routing rules on the head it would write: the messages are
    those `packet validate` gives, and one run names every bad option."""
    packets = make_docs_root(tmp_path)
    result = _new(cli, tmp_path, "--title", "short", "--category", "confirmed-bug", "--route-to", "support",
                  "--owner", "Product-Engineering", "--from-team", "nobody")
    assert result.exit_code == 2
    for expected in ("--title 'short'", "--route-to: route_to 'support' does not own category 'confirmed-bug'",
                     "--owner: owner 'Product-Engineering' is a team", "--from-team: from_team 'nobody' is not a team"):
        assert expected in result.output, result.output
    assert "5 options" not in result.output and "4 options would not pass" in result.output
    assert list(packets.iterdir()) == []
