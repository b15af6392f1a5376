"""The standing fuzz suite, command lines (docs/security.md#the-fuzz-suite): every command with
hostile option values and paths (missing, too long, not UTF-8, a folder, a FIFO, `-`, a file
of the wrong kind). Each run must end in exit 0, 1 or 2, with no traceback and in bounded time.

Paths stay inside a sandbox folder (the current folder during the run) or name places that do
not exist: a writer that regressed must not be able to touch the machine."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from fuzz_tools import HOSTILE, assert_survived, fuzz, run_cli
from security_tools import EXAMPLE_EXPORT, REPO


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory) -> Path:
    """A docs root with a FIFO, a folder and files of every kind the options name."""
    root = tmp_path_factory.mktemp("cli") / "sandbox"
    for folder in ("packets", "known_issues", "runbooks"):
        shutil.copytree(REPO / folder, root / folder)
    shutil.copy(REPO / "ownership.yaml", root / "ownership.yaml")
    shutil.copy(EXAMPLE_EXPORT, root / "e.csv")
    shutil.copy(REPO / "examples" / "mappings" / "jira.yaml", root / "m.yaml")
    os.mkfifo(root / "fifo")
    (root / "empty").write_bytes(b"")
    (root / "binary").write_bytes(bytes(range(256)) * 4)
    return root


_TEXT_VALUES = [piece.decode("utf-8", "replace") for piece in HOSTILE] + [
    "", " ", "-", "--", "--help", "-h", "2026-W47", "2026-W00", "2026-W53", "1999-W01", "2026-11-20",
    "2026-13-01", "0000-01-01", "UTC", "Europe/Berlin", "Mars/Olympus", "../..", "A" * 5000,
    os.fsdecode(b"\xff\xfe"), "\u202e", "confirmed-bug", "support", "P1", "ESC-2026-0999",
]
TEXT = st.one_of(st.sampled_from(_TEXT_VALUES), st.text(max_size=30))
PATH = st.sampled_from([
    "ownership.yaml", "packets", "packets/ESC-2026-0142.yaml", "known_issues/KI-0001.md", "e.csv", "m.yaml",
    "fifo", "empty", "binary", "missing.yaml", "missing/deeper.csv", "-", ".", "..", "a" * 300,
    f"packets/{'b' * 300}/x.yaml", os.fsdecode(b"caf\xe9.yaml"), "ownership.yaml/x", "/nonexistent/cetool/x",
    "out/report.json", "out.md", "schema.json", "new-root",
])
NUMBER = st.sampled_from(["0", "1", "-1", "8", "53", "1000000", "abc", "1e3", ""])


FLAG = st.none()  # an option without a value (--force)


def _options(draw, pairs: list[tuple[str, st.SearchStrategy]]) -> list[str]:
    chosen = []
    for option, values in pairs:
        if draw(st.booleans()):
            value = draw(values)
            chosen += [option] if value is None else [option, value]
    return chosen


@st.composite
def command_lines(draw) -> list[str]:
    fmt = st.sampled_from(["text", "json", "github", "junit", "markdown", "html", "yaml"])
    command = draw(st.sampled_from(["check", "packet validate", "packet new", "packet schema", "matrix check",
                                    "matrix show", "matrix diff", "route", "kb search", "kb stale", "init",
                                    "metrics weekly"]))
    words = command.split()
    if command in ("check", "packet validate"):
        return words + [draw(PATH)] + _options(draw, [("--format", fmt), ("--base", TEXT), ("--strict", FLAG)])
    if command == "packet new":
        return words + _options(draw, [("--id", TEXT), ("--title", TEXT), ("--category", TEXT), ("--severity", TEXT),
                                       ("--owner", TEXT), ("--route-to", TEXT), ("--from-team", TEXT),
                                       ("--dir", PATH), ("--matrix", PATH), ("--today", TEXT), ("--force", FLAG)])
    if command == "packet schema":
        return words + _options(draw, [("-o", PATH), ("--force", FLAG)])
    if command in ("matrix check", "matrix show"):
        return words + _options(draw, [("--matrix", PATH), ("--format", fmt), ("--today", TEXT)])
    if command == "matrix diff":
        return words + [draw(PATH), draw(st.one_of(PATH, TEXT))] + _options(draw, [("--format", fmt)])
    if command == "route":
        return words + [draw(TEXT)] + _options(draw, [("--matrix", PATH), ("--format", fmt)])
    if command == "kb search":
        return words + [draw(TEXT)] + _options(draw, [("--root", PATH), ("-n", NUMBER), ("--format", fmt)])
    if command == "kb stale":
        return words + _options(draw, [("--root", PATH), ("--today", TEXT), ("--format", fmt)])
    if command == "init":
        return words + [draw(PATH)] + _options(draw, [("--force", FLAG)])
    return words + [draw(PATH)] + _options(draw, [
        ("--week", TEXT), ("--weeks", NUMBER), ("--tz", TEXT), ("--input-tz", TEXT), ("--today", TEXT),
        ("--preset", st.sampled_from(["canonical", "zendesk", "jira", "servicenow", "excel"])),
        ("--mapping", PATH), ("--format", fmt), ("-o", PATH), ("--context", TEXT), ("--docs-root", PATH),
        ("--encoding", st.sampled_from(["cp1252", "utf-16", "rot13", "nope"])), ("--force", FLAG)])


@fuzz
@given(argv=command_lines())
def test_command_lines(sandbox, argv) -> None:
    before = os.getcwd()
    os.chdir(sandbox)
    try:
        outcome = run_cli(*argv)
    finally:
        os.chdir(before)
    assert_survived(outcome, f"cetool {argv!r}")
    assert (sandbox / "fifo").is_fifo()  # never replaced, whatever -o and --force said
