"""`cetool packet validate|new|schema` through the CLI."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import yaml

from packet_builders import REPO, dump, line_of, make_docs_root, packet_data, write_packet

# --- validate ------------------------------------------------------------------------------


def test_validate_project_packets_by_default(cli, repo_root, monkeypatch):
    monkeypatch.chdir(repo_root)
    result = cli("packet", "validate")
    assert result.exit_code == 0, result.output
    assert "3 files checked" in result.output or "files checked: no problems" in result.output


def test_text_output_groups_by_file_shows_line_and_owner(cli, tmp_path, monkeypatch):
    packets = make_docs_root(tmp_path)
    bad = write_packet(packets, packet_data(category="deep-debugging"))
    write_packet(packets, packet_data(id="ESC-2026-0002"))
    monkeypatch.chdir(tmp_path)
    result = cli("packet", "validate")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == "packets/ESC-2026-0001.yaml"
    line = line_of(bad.read_text(), "route_to:")
    assert any(re.match(rf"\s+{line}:\d+\s+error\s+route_to 'product-engineering' does not own", row) for row in lines)
    assert any(row.strip().startswith(f"{line} | route_to: product-engineering") for row in lines)
    assert "owned by 'customer-engineering' (Customer Engineering)" in result.output
    assert "1 error" in lines[-1]


def test_json_and_github_formats(cli, tmp_path):
    packets = make_docs_root(tmp_path)
    path = write_packet(packets, packet_data(from_team="support"))
    payload = json.loads(cli("packet", "validate", packets, "--format", "json",
                             "--matrix", tmp_path / "ownership.yaml").output)
    assert payload["errors"] == 1 and payload["files_checked"] == 1
    problem = payload["problems"][0]
    assert problem["code"] == "gate-forbids-sender" and problem["path"] == "from_team"
    assert problem["file"].endswith("packets/ESC-2026-0001.yaml") and problem["line"] == line_of(path.read_text(), "from_team:")
    github = cli("packet", "validate", packets, "--format", "github", "--matrix", tmp_path / "ownership.yaml")
    assert github.exit_code == 1
    assert "::error file=" in github.output and "title=gate-forbids-sender" in github.output


def test_warnings_pass_unless_strict(cli, tmp_path):
    packets = make_docs_root(tmp_path)
    write_packet(packets, packet_data(matrix_version="2026.1"))
    matrix = tmp_path / "ownership.yaml"
    assert cli("packet", "validate", packets, "--matrix", matrix).exit_code == 0
    assert cli("packet", "validate", packets, "--matrix", matrix, "--strict").exit_code == 1


def test_broken_matrix_exit_2_prints_its_problems(cli, tmp_path):
    packets = make_docs_root(tmp_path)
    write_packet(packets, packet_data())
    matrix = tmp_path / "ownership.yaml"
    matrix.write_text(matrix.read_text().replace("      - systemic-rca\n", "      - systemic-rca\n      - intake\n"))
    text = cli("packet", "validate", packets, "--matrix", matrix)
    assert text.exit_code == 2 and "ambiguous-owner" in text.output
    payload = json.loads(cli("packet", "validate", packets, "--matrix", matrix, "--format", "json").output)
    assert "error" in payload and payload["problems"][0]["code"] == "ambiguous-owner"


def test_missing_path_or_matrix_exit_2_json_error(cli, tmp_path, monkeypatch):
    make_docs_root(tmp_path)
    result = cli("packet", "validate", tmp_path / "nope", "--matrix", tmp_path / "ownership.yaml", "--format", "json")
    assert result.exit_code == 2 and "nope" in json.loads(result.output)["error"]
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    upward = cli("packet", "validate")  # ownership.yaml found upward; its packets/ is empty
    assert upward.exit_code == 0 and "0 files checked" in upward.output
    monkeypatch.chdir("/")
    assert cli("packet", "validate", "--format", "json").exit_code == 2


def test_known_issue_checked_only_when_folder_present(cli, tmp_path):
    with_ki = make_docs_root(tmp_path / "a", known_issues=("KI-0001",))
    write_packet(with_ki, packet_data(known_issue="KI-0002"))
    result = cli("packet", "validate", with_ki, "--matrix", tmp_path / "a" / "ownership.yaml")
    assert result.exit_code == 1 and "unknown-known-issue" in result.output
    write_packet(with_ki, packet_data(known_issue="KI-0001"))
    assert cli("packet", "validate", with_ki, "--matrix", tmp_path / "a" / "ownership.yaml").exit_code == 0
    without = make_docs_root(tmp_path / "b")
    write_packet(without, packet_data(known_issue="KI-0002"))
    assert cli("packet", "validate", without, "--matrix", tmp_path / "b" / "ownership.yaml").exit_code == 0


def test_symlink_outside_root_not_followed(cli, tmp_path):
    packets = make_docs_root(tmp_path / "docs")
    outside = write_packet(tmp_path, packet_data(id="ESC-9"))
    (packets / "ESC-9.yaml").symlink_to(outside)
    result = cli("packet", "validate", packets, "--matrix", tmp_path / "docs" / "ownership.yaml")
    assert result.exit_code == 1 and "symlink-outside-root" in result.output


# --- new -----------------------------------------------------------------------------------

FILL = {
    "<customer name>": "Acme Corp",
    "<criticality>": "high",
    "<how often>": "always",
    "<named engineer>": "dana.ortiz",
    "<what is broken for whom>": "Webhook deliveries fail with 401",
}


def fill(text: str) -> str:
    for placeholder, value in FILL.items():
        text = text.replace(placeholder, value)
    return re.sub(r"<([A-Za-z0-9 _-]+)>", lambda m: f"Filled in {m.group(1)}", text)


def test_new_writes_template_prefilled_from_matrix(cli, tmp_path):
    make_docs_root(tmp_path)
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "packet.schema.json").write_text("{}")
    matrix = tmp_path / "ownership.yaml"
    result = cli("packet", "new", "--matrix", matrix, "--id", "ESC-2026-0200", "--category", "confirmed-bug",
                 "--severity", "P2")
    assert result.exit_code == 0, result.output
    path = tmp_path / "packets" / "ESC-2026-0200.yaml"
    text = path.read_text()
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../schemas/packet.schema.json"
    data = yaml.safe_load(text)
    assert data["route_to"] == "product-engineering"
    assert data["from_team"] == "customer-engineering"
    assert data["matrix_version"] == "2026.4"
    # left as written it is not a packet
    assert cli("packet", "validate", path, "--matrix", matrix).exit_code == 1
    path.write_text(fill(text))
    filled = cli("packet", "validate", path, "--matrix", matrix, "--strict")
    assert filled.exit_code == 0, filled.output


def test_new_without_options_fills_after_placeholders(cli, tmp_path):
    make_docs_root(tmp_path)
    matrix = tmp_path / "ownership.yaml"
    assert cli("packet", "new", "--matrix", matrix).exit_code == 0
    assert cli("packet", "new", "--matrix", matrix).exit_code == 0
    names = sorted(p.name for p in (tmp_path / "packets").iterdir())
    assert len(names) == 2 and re.fullmatch(r"ESC-\d{4}-0002\.yaml", names[1])
    path = tmp_path / "packets" / names[0]
    text = fill(path.read_text()).replace("<severity>", "P3")
    for key, value in (("category", "confirmed-bug"), ("from_team", "customer-engineering"),
                       ("route_to", "product-engineering"), ("severity", "P3")):
        text = re.sub(rf"^{key}: .*?(\s+#.*)?$", f"{key}: {value}", text, flags=re.M)
    path.write_text(text)
    assert cli("packet", "validate", path, "--matrix", matrix).exit_code == 0


def test_new_refuses_overwrite_without_force(cli, tmp_path):
    make_docs_root(tmp_path)
    args = ("packet", "new", "--matrix", tmp_path / "ownership.yaml", "--id", "ESC-1")
    assert cli(*args).exit_code == 0
    path = tmp_path / "packets" / "ESC-1.yaml"
    path.write_text("mine")
    again = cli(*args)
    assert again.exit_code == 2 and "--force" in again.output
    assert path.read_text() == "mine"
    assert cli(*args, "--force").exit_code == 0 and path.read_text() != "mine"


def test_new_rejects_unknown_category_and_bad_id(cli, tmp_path):
    make_docs_root(tmp_path)
    matrix = tmp_path / "ownership.yaml"
    result = cli("packet", "new", "--matrix", matrix, "--category", "confirmed-bugs")
    assert result.exit_code == 2 and "did you mean 'confirmed-bug'" in result.output
    assert cli("packet", "new", "--matrix", matrix, "--id", "../escape").exit_code == 2
    assert cli("packet", "new", "--matrix", matrix, "--dir", tmp_path / "drafts", "--id", "D-1").exit_code == 0
    assert (tmp_path / "drafts" / "D-1.yaml").is_file()


def test_new_quotes_titles_that_need_it(cli, tmp_path):
    make_docs_root(tmp_path)
    title = "SSO: login loops # after enabling SAML"
    assert cli("packet", "new", "--matrix", tmp_path / "ownership.yaml", "--id", "E-1", "--title", title).exit_code == 0
    assert yaml.safe_load((tmp_path / "packets" / "E-1.yaml").read_text())["title"] == title


# --- schema --------------------------------------------------------------------------------


def test_schema_prints_and_writes_atomically(cli, tmp_path):
    printed = cli("packet", "schema")
    schema = json.loads(printed.output)
    assert schema["title"] == "Escalation packet"
    assert set(schema["required"]) >= {"id", "title", "severity", "context", "reproduction", "tried", "proposed_path"}
    target = tmp_path / "schema.json"
    assert cli("packet", "schema", "--output", target).exit_code == 0
    assert json.loads(target.read_text()) == schema
    target.write_text("keep")
    assert cli("packet", "schema", "--output", target).exit_code == 2 and target.read_text() == "keep"
    assert cli("packet", "schema", "--output", target, "--force").exit_code == 0


def test_shipped_schema_is_up_to_date(cli, repo_root):
    shipped = (repo_root / "schemas" / "packet.schema.json").read_text()
    assert shipped == cli("packet", "schema").output, "run: cetool packet schema -o schemas/packet.schema.json --force"


def test_project_packets_pass_the_json_schema(repo_root):
    """The generated schema agrees with cetool on the project's packets (jsonschema ships with
    check-jsonschema, the benchmark extra; skipped without it)."""
    import pytest

    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((repo_root / "schemas" / "packet.schema.json").read_text())
    for path in (repo_root / "packets").glob("*.yaml"):
        data = yaml.safe_load(path.read_text())
        data["created"] = str(data["created"]) if not isinstance(data["created"], str) else data["created"]
        jsonschema.validate(data, schema)


# --- the process as a whole ----------------------------------------------------------------


def _modules_after(*args: str) -> set[str]:
    code = (
        "import sys\n"
        "from cetool.cli.app import main\n"
        f"sys.argv = ['cetool', *{list(args)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write('\\n'.join(sys.modules))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)
    return set(proc.stderr.split("\n"))


def test_help_and_packet_validate_do_not_import_pandas():
    for args in (("--help",), ("packet", "validate")):
        modules = _modules_after(*args)
        assert "cetool.cli.app" in modules  # the probe works
        assert "pandas" not in modules, args
    assert "cetool.packets.validate" in _modules_after("packet", "validate")


# --- spec section 0 through the CLI --------------------------------------------------------


def test_yaml_rules_through_validate(cli, tmp_path):
    packets = make_docs_root(tmp_path)
    matrix = tmp_path / "ownership.yaml"
    text = dump(packet_data())
    # values kept as written, x- keys ignored, BOM and CRLF fine
    kept = text.replace("customer: Acme Corp", "customer: NO\n  x-crm-id: 0012").replace("\n", "\r\n")
    (packets / "ESC-2026-0001.yaml").write_bytes(b"\xef\xbb\xbf" + kept.encode())
    assert cli("packet", "validate", packets, "--matrix", matrix).exit_code == 0
    # a duplicate key names both lines; UTF-16 and a second document are errors naming the file
    (packets / "ESC-2026-0001.yaml").write_text(text + "severity: P1\n")
    (packets / "ESC-2026-0002.yaml").write_bytes(dump(packet_data(id="ESC-2026-0002")).encode("utf-16"))
    (packets / "ESC-2026-0003.yaml").write_text(dump(packet_data(id="ESC-2026-0003")) + "---\n")
    result = cli("packet", "validate", packets, "--matrix", matrix, "--format", "json")
    assert result.exit_code == 1
    found = {(p["file"].rsplit("/", 1)[-1], p["code"]) for p in json.loads(result.output)["problems"]}
    assert found == {("ESC-2026-0001.yaml", "duplicate-key"), ("ESC-2026-0002.yaml", "encoding"),
                     ("ESC-2026-0003.yaml", "multiple-documents")}
    duplicate = next(p for p in json.loads(result.output)["problems"] if p["code"] == "duplicate-key")
    assert f"line {line_of(text, 'severity:')}" in duplicate["message"]


def test_unwritable_targets_exit_2_not_3(cli, tmp_path):
    make_docs_root(tmp_path)
    (tmp_path / "afile").write_text("x")
    result = cli("packet", "new", "--matrix", tmp_path / "ownership.yaml", "--dir", tmp_path / "afile", "--id", "E-1")
    assert result.exit_code == 2 and "cannot write" in result.output
    schema = cli("packet", "schema", "--output", tmp_path / "afile" / "schema.json")
    assert schema.exit_code == 2 and "cannot write" in schema.output
