"""`cetool metrics weekly` through the CLI: formats, exit codes, output files, errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

ROWS = [
    ["A", "2026-11-16T08:00:00Z", "P1", "2026-11-16T18:00:00Z", "2026-11-16T09:00:00Z", "", "webhook-secret-rotation"],
    ["B", "2026-11-17T08:00:00Z", "P3", "", "", "", "webhook-secret-rotation"],
    ["C", "2026-11-18T08:00:00Z", "P2", "", "", "", ""],
]
BAD_ROW = ["D", "not a date", "P3", "", "", "", ""]


def test_json_is_the_result_object(cli, write_export):
    result = cli("metrics", "weekly", write_export(ROWS), "--week", "2026-W47", "--weeks", "2", "--format", "json",
                 "--context", "SSO fix shipped")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["week"] == "2026-W47" and len(data["weeks"]) == 2 and data["context"] == "SSO fix shipped"
    assert data["weeks"][-1]["p1p2_ttr_median_hours"] == 10.0
    assert data["drivers"][0]["root_cause"] == "webhook-secret-rotation"


@pytest.mark.parametrize("fmt", ["json", "text", "markdown", "html"])
def test_a_context_pasted_over_several_lines_is_one_line(cli, write_export, fmt):
    result = cli("metrics", "weekly", write_export(ROWS), "--week", "2026-W47", "--format", fmt,
                 "--context", "  SSO fix shipped;\n\tcsv timeouts up\r\n")
    assert result.exit_code == 0, result.output
    assert "SSO fix shipped; csv timeouts up" in result.output
    assert "\\x0a" not in result.output and "\\x09" not in result.output


@pytest.mark.parametrize("fmt, marker", [("text", "2026-W47"), ("markdown", "2026-W47"), ("html", "<html")])
def test_people_formats_render(cli, write_export, fmt, marker):
    result = cli("metrics", "weekly", write_export(ROWS), "--week", "2026-W47", "--format", fmt)
    assert result.exit_code == 0, result.output
    assert marker in result.output


def test_strict_fails_on_bad_rows_only(cli, write_export):
    bad = write_export(ROWS + [BAD_ROW])
    assert cli("metrics", "weekly", bad, "--week", "2026-W47", "--format", "json").exit_code == 0
    strict = cli("metrics", "weekly", bad, "--week", "2026-W47", "--format", "json", "--strict")
    assert strict.exit_code == 1
    assert json.loads(strict.stdout)["run"]["bad_rows_by_reason"] == {"unparseable created_at": 1}
    assert strict.stderr == "cetool: --strict: 1 bad row skipped (unparseable created_at: 1)\n"
    good = write_export(ROWS, name="good.csv")
    assert cli("metrics", "weekly", good, "--week", "2026-W47", "--strict").exit_code == 0


def test_output_file_is_not_overwritten_without_force(cli, write_export, tmp_path):
    export, out = write_export(ROWS), tmp_path / "report.html"
    assert cli("metrics", "weekly", export, "--week", "2026-W47", "-f", "html", "-o", out).exit_code == 0
    assert "<html" in out.read_text()
    out.write_text("mine")
    refused = cli("metrics", "weekly", export, "--week", "2026-W47", "-f", "html", "-o", out)
    assert refused.exit_code == 2 and out.read_text() == "mine"
    assert cli("metrics", "weekly", export, "--week", "2026-W47", "-o", out, "--force").exit_code == 0
    assert out.read_text() != "mine"


@pytest.mark.parametrize("args, message", [
    (["--week", "2025-W53"], "2025-W53 does not exist"),
    (["--tz", "Europe/Atlantis"], "unknown time zone"),
    (["--preset", "freshdesk"], "freshdesk"),
    (["--today", "yesterday"], "--today"),
    (["--docs-root", "no/such/folder"], "--docs-root"),
    (["--input-tz", "Nowhere/Land"], "--input-tz"),
    (["--weeks", "0"], "--weeks"),
    (["--preset", "jira", "--mapping", "examples/mappings/jira.yaml"], "not both"),
])
def test_bad_options_exit_2(cli, write_export, args, message):
    result = cli("metrics", "weekly", write_export(ROWS), *args)
    assert result.exit_code == 2
    assert message in result.output


@pytest.mark.parametrize("content", [b"", b"\x00\x01\x02binary\x00", b"id,opened\n1,2026-01-01\n",
                                     b"\xff\xfeid\xff,x\n"])
def test_bad_files_exit_2_with_json_error(cli, tmp_path, content):
    path = tmp_path / "export.csv"
    path.write_bytes(content)
    result = cli("metrics", "weekly", path, "--week", "2026-W47", "--format", "json")
    assert result.exit_code == 2, result.output
    assert set(json.loads(result.output)) == {"error"}


def test_missing_export_exits_2(cli, tmp_path):
    result = cli("metrics", "weekly", tmp_path / "nope.csv")
    assert result.exit_code == 2 and "no such file" in result.output


def test_mapping_file_with_error_exits_2_with_position(cli, write_export, tmp_path):
    mapping = tmp_path / "map.yaml"
    mapping.write_text("columns:\n  ticket_id: Key\n  created_at: Opened\n  priority: P\npriority:\n  sev1: P7\n")
    result = cli("metrics", "weekly", write_export(ROWS), "--mapping", mapping)
    assert result.exit_code == 2 and "map.yaml:6:3" in result.output


def test_unterminated_quote_stops_the_run_naming_its_line(cli, tmp_path):
    # A quote never closed swallows every row after it; reading on would lose them silently.
    path = tmp_path / "export.csv"
    path.write_text('ticket_id,created_at,priority\nA,2026-11-16T08:00:00Z,P1\n"unterminated,2026,P1\n')
    result = cli("metrics", "weekly", path, "--week", "2026-W47", "--format", "json", "--strict")
    assert result.exit_code == 2
    assert "line 3" in json.loads(result.output)["error"]


def test_unterminated_quote_mid_file_is_not_a_silent_loss(cli, tmp_path):
    path = tmp_path / "export.csv"
    path.write_text('ticket_id,created_at,priority,root_cause\nT1,2026-11-17T10:00:00Z,P1,"open\n'
                    'T2,2026-11-18T10:00:00Z,P1,\n')
    result = cli("metrics", "weekly", path, "--week", "2026-W47", "--format", "json")
    assert result.exit_code == 2
    error = json.loads(result.output)["error"]
    assert "line 2" in error and "closing quote" in error


def test_quotes_that_are_closed_or_inside_a_value_are_fine(cli, tmp_path):
    path = tmp_path / "export.csv"
    path.write_text('ticket_id,created_at,priority,root_cause\nT1,2026-11-17T10:00:00Z,P1,"a ""b"", c"\n'
                    'T2,2026-11-18T10:00:00Z,P1,x"y\n')
    result = cli("metrics", "weekly", path, "--week", "2026-W47", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.output)["run"]["tickets"] == 2


def test_rows_with_wrong_field_counts_are_examples_with_their_line(cli, tmp_path):
    path = tmp_path / "export.csv"
    path.write_text('ticket_id,created_at,priority,root_cause\nT1,2026-11-17T10:00:00Z,P1,x\n'
                    'T2,2026-11-17T10:00:00Z,P1,"multi\nline",extra\nT3,2026-11-17T10:00:00Z\n'
                    'T4,2026-11-17T10:00:00Z,P1,x\n')
    result = cli("metrics", "weekly", path, "--week", "2026-W47", "--format", "json")
    run = json.loads(result.output)["run"]
    assert run["bad_rows_by_reason"] == {"wrong number of fields": 2}
    assert run["bad_row_examples"] == ["line 3: wrong number of fields (5 instead of 4)",
                                       "line 5: wrong number of fields (2 instead of 4)"]


def test_whole_process_no_traceback_and_pandas_stays_lazy(tmp_path, write_export):
    code = ("import sys; from cetool.cli.app import app; "
            "sys.argv=['cetool','packet','--help']; "
            "import contextlib, io\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    try: app()\n"
            "    except SystemExit: pass\n"
            "print('pandas' in sys.modules, 'pyarrow' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
    binary = tmp_path / "x.csv"
    binary.write_bytes(b"\x00" * 100)
    done = subprocess.run([sys.executable, "-m", "cetool", "metrics", "weekly", str(binary)],
                          capture_output=True, text=True)
    assert done.returncode == 2 and "Traceback" not in done.stderr and "binary" in done.stderr


def test_preset_option_reaches_the_core(cli, tmp_path):
    path = tmp_path / "incidents.csv"
    path.write_text("number,opened_at,priority,sys_updated_at,resolved_at\n"
                    "INC1,16/11/2026 08:00,1 - Critical,16/11/2026 18:00,16/11/2026 18:00\n")
    result = cli("metrics", "weekly", path, "--preset", "servicenow", "--week", "2026-W47", "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["run"]["preset"] == "servicenow" and data["weeks"][-1]["p1p2_ttr_median_hours"] == 10.0
    assert cli("metrics", "weekly", path, "--week", "2026-W47").exit_code == 2  # canonical: columns missing


def test_mapping_option_reaches_the_core(cli, tmp_path, repo_root):
    path = tmp_path / "incidents.csv"
    path.write_text("Number,Opened,Priority,Resolved\nINC1,11/16/2026 08:00:00 AM,2 - High,11/16/2026 06:00:00 PM\n")
    mapping = repo_root / "examples" / "mappings" / "servicenow.yaml"
    result = cli("metrics", "weekly", path, "--mapping", mapping, "--week", "2026-W47", "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["run"]["preset"].startswith("mapping:") and data["weeks"][-1]["p1p2_ttr_median_hours"] == 10.0


# An export covering W45..W47 whose W46 has no tickets at all.
GAP_ROWS = [
    ["A", "2026-11-02T10:00:00Z", "P1", "2026-11-02T12:00:00Z", "", "", "x"],
    ["B", "2026-11-03T10:00:00Z", "P3", "", "", "", "x"],
    ["C", "2026-11-16T10:00:00Z", "P2", "2026-11-16T11:00:00Z", "", "", "x"],
    ["D", "2026-11-17T10:00:00Z", "P3", "", "", "", "y"],
]


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_a_week_without_tickets_reads_na_and_is_skipped_by_week_over_week(cli, write_export, fmt):
    result = cli("metrics", "weekly", write_export(GAP_ROWS), "--week", "2026-W47", "--weeks", "3", "--format", fmt)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "vs 2026-W46" not in out  # never compared with the empty week
    assert "= unchanged vs 2026-W45" in out  # repeats: 1 this week, 1 in W45
    w46 = next(line for line in out.splitlines() if "2026-W46" in line and ("|" in line or "<td" in line or
                                                                           line.strip().startswith("2026-W46")))
    assert "n/a" in w46
    if fmt == "markdown":
        assert w46.split("|")[1:5] == [" 2026-W46 ", " 0 ", " 0 ", " n/a "] and w46.split("|")[5] == " n/a "


def test_the_json_of_a_week_without_tickets_keeps_the_spec_counts(cli, write_export):
    result = cli("metrics", "weekly", write_export(GAP_ROWS), "--week", "2026-W47", "--weeks", "3", "--format", "json")
    w46 = json.loads(result.output)["weeks"][1]
    assert (w46["week"], w46["covered"], w46["tickets_created"]) == ("2026-W46", True, 0)
    assert w46["repeat_issues_30d"] == 0 and w46["escalations_per_100"] is None
    assert w46["p1p2_ttr_median_hours"] is None and w46["p1p2_open_at_end"] == 0


@pytest.mark.parametrize("command", [
    ["metrics", "weekly", "{export}", "--week", "2026-W47", "--format", "json", "--context", b"x\xffy"],
    ["metrics", "weekly", "{export}", "--week", "2026-W47", "--format", "json", "-o", "{out}", "--context", b"x\xffy"],
])
def test_text_options_that_are_not_utf8_are_written_with_a_replacement_character(write_export, tmp_path, command):
    """The shell passes such bytes through as they are; nothing may crash or write invalid UTF-8."""
    export, out = write_export(ROWS), tmp_path / "r.json"
    argv = [sys.executable, "-m", "cetool"] + [
        arg if isinstance(arg, bytes) else arg.format(export=export, out=out).encode() for arg in command]
    run = subprocess.run(argv, capture_output=True, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    text = out.read_bytes() if out.exists() else run.stdout
    assert json.loads(text.decode("utf-8"))["context"] == "x\ufffdy"


@pytest.mark.parametrize("args, expected", [
    (["metrics", "weekly", "x.csv", "--preset", "freshdesk"],
     "Invalid value for '--preset': 'freshdesk' is not one of 'canonical', 'zendesk', 'jira', 'servicenow'."),
    (["check", "--format", "yaml"], "Invalid value for '--format' / '-f': 'yaml' is not one of"),
])
def test_a_bad_choice_is_a_plain_usage_error(tmp_path, args, expected):
    run = subprocess.run([sys.executable, "-m", "cetool", *args], capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 2
    assert expected in run.stderr and "Value error" not in run.stderr


def test_usage_names_the_argument_in_capitals(cli):
    usage = cli("metrics", "weekly", "--help").output.splitlines()[0]
    assert usage.startswith("Usage: cetool metrics weekly [OPTIONS] ") and "EXPORT" in usage


def test_a_clean_iso_export_with_an_ordering_bad_row_never_imports_pandas(write_export, tmp_path):
    """pandas costs ~0.2-0.6 s; the fast path (ISO timestamps with Z, ids in order) does not need it,
    not even to quote a bad row's timestamp."""
    export = write_export([["A", "2026-11-17T10:00:00Z", "P1", "2026-11-17T09:00:00Z", "", "", ""],
                           ["B", "2026-11-18T10:00:00Z", "P2", "2026-11-18T12:00:00Z", "", "", ""]])
    run = subprocess.run([sys.executable, "-X", "importtime", "-m", "cetool", "metrics", "weekly", str(export),
                          "--week", "2026-W47", "--format", "json", "--docs-root", str(tmp_path)],
                         capture_output=True, text=True, cwd=tmp_path)
    assert json.loads(run.stdout)["run"]["bad_row_examples"] == [
        "row 2 (ticket A): resolved_at before start '2026-11-17T09:00:00+00:00'"]
    assert not [line for line in run.stderr.splitlines() if line.rstrip().endswith("| pandas")]
