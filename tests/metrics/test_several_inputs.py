"""Several files, .gz, standard input and other encodings read as one export; the options that
used to fail quietly or cryptically (docs/metrics.md#several-files-compressed-files-standard-input)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "tickets.csv"
ARGS = ("--week", "2026-W47", "--format", "json", "--docs-root", str(SAMPLE.parents[1]))


def _json(cli, *args, input=None):
    result = cli("metrics", "weekly", *args, *ARGS, input=input)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _figures(data: dict) -> tuple:
    return data["weeks"], data["drivers"], data["run"]["tickets"], data["run"]["bad_rows"]


@pytest.fixture(scope="module")
def single(cli_module):
    return _json(cli_module, str(SAMPLE))


@pytest.fixture(scope="module")
def cli_module():
    from typer.testing import CliRunner

    from cetool.cli.app import app

    def run(*args, input=None):
        return CliRunner().invoke(app, [str(a) for a in args], input=input, catch_exceptions=False)

    return run


def test_three_overlapping_files_give_the_figures_of_the_one_file(cli_module, single, tmp_path):
    header, *rows = SAMPLE.read_text(encoding="utf-8").splitlines()
    third = len(rows) // 3
    parts = [rows[: third + 500], rows[third - 200: 2 * third + 300], rows[2 * third - 100:]]  # overlapping
    paths = []
    for number, part in enumerate(parts, start=1):
        path = tmp_path / f"part-{number}.csv"
        path.write_text("\n".join([header, *part]) + "\n", encoding="utf-8")
        paths.append(str(path))
    data = _json(cli_module, *paths)
    assert _figures(data) == _figures(single)
    assert data["run"]["duplicates"] == single["run"]["duplicates"] + 500 + 200 + 300 + 100
    assert data["run"]["source"] == ", ".join(paths)


def test_files_whose_timestamps_are_written_differently_read_as_one(cli_module, tmp_path):
    """The reader parses a file of ISO 8601 timestamps with Z itself; one file of local times
    beside it makes every file text, read and counted as one export."""
    header = "ticket_id,created_at,priority,resolved_at\n"
    zulu = header + "A1,2026-11-16T08:00:00Z,P1,2026-11-16T12:00:00Z\nA2,2026-11-17T08:00:00Z,P2,\n"
    local = header + "B1,2026-11-18 09:30,P1,2026-11-18 10:30\nA2,2026-11-17 08:00,P2,2026-11-19 08:00\n"
    one = tmp_path / "one.csv"
    one.write_text(zulu + local[len(header):], encoding="utf-8")
    (tmp_path / "zulu.csv").write_text(zulu, encoding="utf-8")
    (tmp_path / "local.csv").write_text(local, encoding="utf-8")
    both = _json(cli_module, tmp_path / "zulu.csv", tmp_path / "local.csv")
    alone = _json(cli_module, one)
    assert _figures(both) == _figures(alone)
    assert both["run"]["date_formats"] == alone["run"]["date_formats"] == {
        "created_at": {"ISO 8601": 3}, "resolved_at": {"ISO 8601": 3}}
    assert (both["run"]["duplicates"], both["weeks"][-1]["p1p2_resolved"]) == (1, 3)


def test_the_gz_of_the_export_and_standard_input_give_the_same_figures(cli_module, single, tmp_path):
    packed = tmp_path / "tickets.csv.gz"
    packed.write_bytes(gzip.compress(SAMPLE.read_bytes()))
    assert _figures(_json(cli_module, str(packed))) == _figures(single)
    assert _figures(_json(cli_module, "-", input=SAMPLE.read_bytes())) == _figures(single)
    assert _figures(_json(cli_module, "-", input=packed.read_bytes())) == _figures(single)  # gzip on stdin


def test_files_that_map_to_different_columns_are_an_error_naming_both(cli, tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text("ticket_id,created_at,priority,resolved_at\nT1,2026-11-17T10:00:00Z,P1,\n")
    b.write_text("ticket_id,created_at,priority\nT2,2026-11-17T10:00:00Z,P1\n")
    result = cli("metrics", "weekly", a, b)
    assert result.exit_code == 2
    assert "a.csv and" in result.output and "b.csv map to different columns" in " ".join(result.output.split())
    assert "resolved_at" in result.output


def test_a_windows_1252_file_needs_encoding_and_then_reads_right(cli, tmp_path):
    path = tmp_path / "excel.csv"
    lines = ["ticket_id,created_at,priority,root_cause"] + [f"T{n},2026-11-17T10:00:00Z,P3,cache" for n in range(5)]
    lines.append("T9,2026-11-18T10:00:00Z,P2,caf\u00e9-outage")
    lines.append("T10,2026-11-19T10:00:00Z,P2,caf\u00e9-outage")
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    result = cli("metrics", "weekly", path)
    assert result.exit_code == 2
    message = " ".join(result.output.split())
    offset = path.read_bytes().index(b"\xe9")
    assert f"not UTF-8 at line 7 (byte offset {offset}: 0xe9)" in message and "--encoding cp1252" in message
    result = cli("metrics", "weekly", path, "--encoding", "cp1252", "--format", "json", "--week", "2026-W47")
    assert result.exit_code == 0, result.output
    assert [d["root_cause"] for d in json.loads(result.output)["drivers"]] == ["caf\u00e9-outage"]  # T10 repeats T9
    assert cli("metrics", "weekly", path, "--encoding", "klingon").exit_code == 2


def test_the_output_extension_sets_the_format_and_a_clash_is_an_error(cli, tmp_path):
    out = tmp_path / "weekly.html"
    result = cli("metrics", "weekly", SAMPLE, "--week", "2026-W47", "-o", out)
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    result = cli("metrics", "weekly", SAMPLE, "--week", "2026-W47", "-o", tmp_path / "weekly.md", "-f", "html")
    assert result.exit_code == 2 and "the file name says markdown" in result.output
    assert not (tmp_path / "weekly.md").exists()
    result = cli("metrics", "weekly", SAMPLE, "--week", "2026-W47", "-o", tmp_path / "w.json")
    assert json.loads((tmp_path / "w.json").read_text())["week"] == "2026-W47"


def test_a_city_for_tz_suggests_the_iana_name(cli):
    result = cli("metrics", "weekly", SAMPLE, "--tz", "Berlin")
    assert result.exit_code == 2 and "did you mean Europe/Berlin?" in result.output


def test_headers_no_preset_knows_point_to_mapping_and_the_docs(cli, tmp_path):
    path = tmp_path / "odd.csv"
    path.write_text("Ref,Opened on,Severity\nA,2026-11-17,S1\n")
    result = cli("metrics", "weekly", path)
    message = " ".join(result.output.split())
    assert result.exit_code == 2 and "--mapping FILE" in message and "docs/metrics.md#presets-and-mapping-files" in message


@pytest.mark.parametrize("fmt, first_lines", [("text", 3), ("markdown", 3), ("html", 3)])
def test_five_percent_bad_rows_are_named_in_the_first_lines(cli, tmp_path, fmt, first_lines):
    rows = [f"T{n},2026-11-{16 + n % 5}T10:00:00Z,P3" for n in range(95)] + [f"B{n},2026-11-17T10:00:00Z,P7" for n in range(5)]
    path = tmp_path / "e.csv"
    path.write_text("ticket_id,created_at,priority\n" + "\n".join(rows) + "\n")
    result = cli("metrics", "weekly", path, "--week", "2026-W47", "--format", fmt)
    assert result.exit_code == 0, result.output
    page = result.output.split("<main>", 1)[-1]  # in HTML: the first lines of the page's body
    head = "\n".join(page.strip().splitlines()[:first_lines])
    assert "5 of 100 rows (5.0%) were bad" in head and "priority not P1..P4: 5" in head


def test_one_percent_bad_rows_stay_in_the_run_facts(cli, tmp_path):
    rows = [f"T{n},2026-11-17T10:00:00Z,P3" for n in range(99)] + ["B,2026-11-17T10:00:00Z,P7"]
    path = tmp_path / "e.csv"
    path.write_text("ticket_id,created_at,priority\n" + "\n".join(rows) + "\n")
    out = cli("metrics", "weekly", path, "--week", "2026-W47", "--format", "markdown").output
    assert "were bad" not in out and "priority not P1..P4: 1" in out


def test_a_windows_1252_byte_past_the_first_64_kib_is_located_too(cli, tmp_path):
    path = tmp_path / "big.csv"
    lines = ["ticket_id,created_at,priority,root_cause"] + [f"T{n},2026-11-17T10:00:00Z,P3,cache" for n in range(5000)]
    lines.append("T9x,2026-11-18T10:00:00Z,P2,caf\u00e9-outage")
    path.write_bytes(("\n".join(lines) + "\n").encode("cp1252"))
    offset = path.read_bytes().index(b"\xe9")
    assert offset > 64 * 1024
    result = cli("metrics", "weekly", path)
    assert result.exit_code == 2
    assert f"not UTF-8 at line 5002 (byte offset {offset}: 0xe9)" in " ".join(result.output.split())
