"""F5 of issue 14, and the raw controls in JSON: no output of cetool carries a line the GitHub
Actions runner reads as a workflow command (`##[cmd]` anywhere, `::cmd::` at a line start),
and controls, C1 controls and bidi overrides reach no person raw (docs/security.md#ci-logs)."""

from __future__ import annotations

import json
import os
import re
import shutil

import pytest

from cetool.core.textsafe import ci_inert, json_text
from security_tools import EXAMPLE_EXPORT, REPO, assert_handled, cetool

# What reaches a person raw only through a bug: C0 controls but tab and line ends, C1 controls,
# DEL, line separators and bidi overrides.
RAW = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
HOSTILE_CATEGORY = "##[set-output name=approved;]true"
HOSTILE_KEY = "##[error file=ownership.yaml;line=1]Fake"
HOSTILE_FILE = "::stop-commands::tok.yaml"


def runner_commands(output: str) -> list[str]:
    """The lines of `output` the Actions runner would act on (it splits on CR, LF and CRLF)."""
    found = []
    for line in re.split(r"\r\n|\r|\n", output):
        if "##[" in line or line.lstrip().startswith("::"):
            found.append(line)
    return found


@pytest.fixture
def hostile_docs(docs):
    """The repo's docs with a packet whose category and an extra key smuggle commands, a packet
    named like a command, and a title with a bidi override and a C1 control."""
    first = sorted((docs / "packets").glob("*.yaml"))[0]
    text = first.read_text(encoding="utf-8")
    text = text.replace("category: confirmed-bug", f'category: "{HOSTILE_CATEGORY}"', 1)
    text = text.replace("\ntitle: ", f'\n"{HOSTILE_KEY}": x\ntitle: \u202eevil\x85 ', 1)
    first.write_text(text, encoding="utf-8")
    shutil.copy(first, docs / "packets" / HOSTILE_FILE)
    return docs


@pytest.mark.parametrize("fmt", ["text", "json", "junit"])
def test_check_output_has_no_workflow_command(hostile_docs, fmt) -> None:
    run = cetool("check", ".", "--format", fmt, cwd=hostile_docs)
    assert_handled(run, codes=(1,))
    assert runner_commands(run.stdout) == [] and runner_commands(run.stderr) == []
    assert "set-output" in run.stdout and "stop-commands" in run.stdout  # still shown, escaped
    if fmt != "junit":
        assert not RAW.search(run.stdout)


def test_check_json_still_decodes_to_the_values(hostile_docs) -> None:
    run = cetool("check", ".", "--format", "json", cwd=hostile_docs)
    text = json.dumps(json.loads(run.stdout), ensure_ascii=False)
    assert HOSTILE_FILE in text and "##[" in text


def test_packet_validate_never_starts_a_line_with_a_file_name(hostile_docs) -> None:
    for fmt in ("text", "json"):
        run = cetool("packet", "validate", "--format", fmt, cwd=hostile_docs)
        assert_handled(run, codes=(1,))
        assert runner_commands(run.stdout) == [], run.stdout


def test_github_format_emits_only_its_own_commands(hostile_docs) -> None:
    run = cetool("check", ".", "--format", "github", cwd=hostile_docs)
    assert_handled(run, codes=(1,))
    commands = runner_commands(run.stdout)
    # The runner reads a line as one `::` command when it starts with one, so a `##[` in the
    # message (escaped data) is not read again; every other line is inert.
    assert commands and all(re.match(r"::(error|warning|notice) file=", line) for line in commands)
    assert not RAW.search(run.stdout)


def test_error_messages_on_stderr_are_inert(tmp_path) -> None:
    run = cetool("packet", "validate", tmp_path / "##[error]x" / "\u202e::y.yaml")
    assert_handled(run, codes=(2,))
    assert runner_commands(run.stderr) == [] and not RAW.search(run.stderr)


def test_metrics_json_escapes_controls_and_stays_the_same_data(tmp_path) -> None:
    export = tmp_path / "e.csv"
    rows = EXAMPLE_EXPORT.read_text(encoding="utf-8").splitlines()
    header = rows[0].split(",")
    column = header.index("root_cause")
    hostile = []
    for row in rows[1:]:
        cells = row.split(",")
        if len(cells) == len(header) and cells[column]:
            cells[column] = "\u202eevil\x85##[set-output name=x;]y"
        hostile.append(",".join(cells))
    export.write_text("\n".join([rows[0], *hostile]) + "\n", encoding="utf-8")
    for fmt in ("json", "text", "markdown", "html"):
        run = cetool("metrics", "weekly", export, "--week", "2026-W47", "--docs-root", REPO, "-f", fmt)
        assert_handled(run, codes=(0, 1))
        assert not RAW.search(run.stdout), fmt
        assert runner_commands(run.stdout) == [], fmt
    data = json.loads(cetool("metrics", "weekly", export, "--week", "2026-W47", "--docs-root", REPO,
                             "-f", "json").stdout)
    assert "\u202eevil\x85##[set-output name=x;]y" in json.dumps(data, ensure_ascii=False)


@pytest.mark.parametrize("text", ["::stop-commands::t", "a\r  ::x", "x ##[y] ##[z", "\u2028::a", "ok :: fine"])
def test_ci_inert_is_inert_and_json_text_round_trips(text) -> None:
    assert runner_commands(ci_inert(text)) == []
    assert json.loads(json_text({text: [text]})) == {text: [text]}
    assert runner_commands(json_text({text: [text]})) == []


def test_written_paths_are_shown_escaped(tmp_path) -> None:
    """`init` and `packet new` name what they wrote: a control character, a bidi override or a
    byte that is not UTF-8 in the folder's name is shown escaped, and the output still prints."""
    folder = tmp_path / os.fsdecode(b"repo-\x1b[2J-\xe2\x80\xae-\xff")
    run = cetool("init", folder)
    assert_handled(run, codes=(0,))
    assert "created" in run.stdout and not RAW.search(run.stdout) and "\\x1b" in run.stdout
    assert "\ufffd" in run.stdout and runner_commands(run.stdout) == []
