"""The standing fuzz suite, documents (docs/security.md#the-fuzz-suite): mutated packets,
matrices, markdown with front matter, mapping files and CSV exports go through the commands
that read them. Each must end in exit 0, 1 or 2 (JSON output stays JSON), with no traceback and
within a time bound. Run more examples with CETOOL_FUZZ=deep (see fuzz_tools)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from fuzz_tools import assert_survived, fuzz, mutated, run_cli
from security_tools import EXAMPLE_EXPORT, REPO

PACKET = (REPO / "packets" / "ESC-2026-0142.yaml").read_bytes()
MATRIX = (REPO / "ownership.yaml").read_bytes()
KNOWN_ISSUE = (REPO / "known_issues" / "KI-0001.md").read_bytes()
RUNBOOK = (REPO / "runbooks" / "RB-SSO-LOOP.md").read_bytes()
MAPPING = (REPO / "examples" / "mappings" / "zendesk.yaml").read_bytes()
EXPORT_HEAD = b"\n".join(EXAMPLE_EXPORT.read_bytes().split(b"\n")[:40]) + b"\n"
WEEK = ["--week", "2026-W22", "--today", "2026-06-15"]


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    """A small docs root: the matrix, one packet, one known issue, one runbook."""
    root = tmp_path_factory.mktemp("fuzz") / "docs"
    for folder in ("packets", "known_issues", "runbooks"):
        (root / folder).mkdir(parents=True)
    shutil.copy(REPO / "ownership.yaml", root / "ownership.yaml")
    (root / "packets" / "fuzz.yaml").write_bytes(PACKET)
    (root / "known_issues" / "fuzz.md").write_bytes(KNOWN_ISSUE)
    (root / "runbooks" / "fuzz.md").write_bytes(RUNBOOK)
    return root


def _json_or_error(outcome, what: str) -> None:
    """--format json output is one JSON document, also for exit 2."""
    assert_survived(outcome, what)
    if outcome.stdout.strip():
        json.loads(outcome.stdout)


@fuzz
@given(data=mutated(PACKET), fmt=st.sampled_from(["text", "json", "github"]))
def test_packets(root, data, fmt) -> None:
    target = root / "packets" / "fuzz.yaml"
    target.write_bytes(data)
    outcome = run_cli("packet", "validate", target, "--matrix", root / "ownership.yaml", "--format", fmt)
    (_json_or_error if fmt == "json" else assert_survived)(outcome, f"packet validate {data[:200]!r}")
    target.write_bytes(PACKET)


@fuzz
@given(data=mutated(MATRIX))
def test_matrices(tmp_path_factory, data) -> None:
    matrix = tmp_path_factory.mktemp("matrix") / "ownership.yaml"
    matrix.write_bytes(data)
    what = f"matrix {data[:200]!r}"
    _json_or_error(run_cli("matrix", "check", "--matrix", matrix, "--format", "json"), what)
    assert_survived(run_cli("matrix", "show", "--matrix", matrix, "--format", "markdown"), what)
    assert_survived(run_cli("route", "confirmed-bug", "--matrix", matrix), what)
    assert_survived(run_cli("matrix", "diff", REPO / "ownership.yaml", matrix), what)


@fuzz
@given(data=mutated(KNOWN_ISSUE), runbook=st.booleans())
def test_markdown_with_front_matter(root, data, runbook) -> None:
    target = root / ("runbooks" if runbook else "known_issues") / "fuzz.md"
    target.write_bytes(data)
    what = f"{target.parent.name} {data[:200]!r}"
    _json_or_error(run_cli("check", root, "--format", "json"), what)
    assert_survived(run_cli("kb", "search", "sso login loop", "--root", root), what)
    assert_survived(run_cli("kb", "stale", "--root", root, "--today", "2027-01-01"), what)
    target.write_bytes(RUNBOOK if runbook else KNOWN_ISSUE)


@fuzz
@given(data=mutated(MAPPING))
def test_mapping_files(tmp_path_factory, data) -> None:
    folder = tmp_path_factory.mktemp("mapping")
    (folder / "m.yaml").write_bytes(data)
    (folder / "e.csv").write_bytes(EXPORT_HEAD)
    outcome = run_cli("metrics", "weekly", folder / "e.csv", "--mapping", folder / "m.yaml", *WEEK,
                      "--format", "json", "--docs-root", REPO)
    _json_or_error(outcome, f"mapping {data[:300]!r}")


@fuzz
@given(data=mutated(EXPORT_HEAD), preset=st.sampled_from(["canonical", "zendesk", "servicenow"]),
       fmt=st.sampled_from(["json", "text", "markdown", "html"]))
def test_csv_exports(tmp_path_factory, data, preset, fmt) -> None:
    export = tmp_path_factory.mktemp("export") / "e.csv"
    export.write_bytes(data)
    outcome = run_cli("metrics", "weekly", export, "--preset", preset, *WEEK, "--format", fmt, "--docs-root", REPO)
    (_json_or_error if fmt == "json" else assert_survived)(outcome, f"export {data[:300]!r}")


@fuzz
@given(data=mutated(EXPORT_HEAD))
def test_csv_exports_on_standard_input(data) -> None:
    outcome = run_cli("metrics", "weekly", "-", *WEEK, "--format", "json", "--docs-root", REPO, stdin=data)
    _json_or_error(outcome, f"stdin export {data[:300]!r}")
