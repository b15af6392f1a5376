"""`metrics weekly --record`: both files under the docs root, never overwritten without --force,
the context line in a later week's trend, and `check` quiet once the week is recorded."""

from __future__ import annotations

import json

from loop_export import loop_root, write_export


def _check_codes(cli, root) -> list[str]:
    return [p["code"] for p in json.loads(cli("check", root, "-f", "json", "--today", "2026-11-23").output)["problems"]]


def _record(cli, root, export, week, today, *extra):
    return cli("metrics", "weekly", export, "--docs-root", root, "--week", week, "--today", today,
               "--context", f"what changed in {week}", "--record", *extra)


def test_record_writes_both_files_and_a_second_run_changes_nothing(cli, tmp_path):
    root, export = loop_root(tmp_path), write_export(tmp_path / "export.csv")
    # check warns about the missing record once reports/ exists
    (root / "reports").mkdir()
    assert "weekly-record-missing" in _check_codes(cli, root)
    first = _record(cli, root, export, "2026-W47", "2026-11-23")
    assert first.exit_code == 0, first.output
    recorded = json.loads((root / "reports" / "2026-W47.json").read_text())
    assert recorded["week"] == "2026-W47" and recorded["context"] == "what changed in 2026-W47"
    assert recorded["agenda"] == ["open-cause", "overdue-cause"]
    markdown = (root / "reports" / "2026-W47.md").read_text()
    assert markdown.startswith("# Weekly metrics — 2026-W47") and "what changed in 2026-W47" in markdown
    assert first.stdout.startswith("Weekly metrics — 2026-W47")  # the report is still printed
    before = {p.name: p.read_bytes() for p in (root / "reports").iterdir()}
    second = _record(cli, root, export, "2026-W47", "2026-11-23")
    assert second.exit_code == 2 and "already recorded" in second.output and "--force" in second.output
    assert {p.name: p.read_bytes() for p in (root / "reports").iterdir()} == before
    # check stops warning once the week exists (the overdue action still warns)
    assert _check_codes(cli, root) == ["action-overdue"]
    forced = _record(cli, root, export, "2026-W47", "2026-11-23", "--force")
    assert forced.exit_code == 0


def test_a_half_recorded_week_is_not_overwritten_either(cli, tmp_path):
    root, export = loop_root(tmp_path), write_export(tmp_path / "export.csv")
    (root / "reports").mkdir()
    (root / "reports" / "2026-W47.md").write_text("mine\n")
    assert _record(cli, root, export, "2026-W47", "2026-11-23").exit_code == 2
    assert [p.name for p in (root / "reports").iterdir()] == ["2026-W47.md"]
    assert (root / "reports" / "2026-W47.md").read_text() == "mine\n"


def test_the_next_weeks_trend_shows_the_recorded_context(cli, tmp_path):
    root, export = loop_root(tmp_path), write_export(tmp_path / "export.csv")
    assert _record(cli, root, export, "2026-W46", "2026-11-16").exit_code == 0
    result = cli("metrics", "weekly", export, "--docs-root", root, "--week", "2026-W47", "--today", "2026-11-23",
                 "--format", "json")
    weeks = {w["week"]: w for w in json.loads(result.output)["weeks"]}
    assert weeks["2026-W46"]["recorded_context"] == "what changed in 2026-W46"
    assert weeks["2026-W47"]["recorded_context"] is None
    for fmt in ("text", "markdown", "html"):
        out = cli("metrics", "weekly", export, "--docs-root", root, "--week", "2026-W47", "--today",
                  "2026-11-23", "--format", fmt).output
        assert "what changed in 2026-W46" in out, fmt


def test_record_needs_a_context_line_and_a_docs_root(cli, tmp_path, monkeypatch):
    root, export = loop_root(tmp_path), write_export(tmp_path / "export.csv")
    no_context = cli("metrics", "weekly", export, "--docs-root", root, "--week", "2026-W47", "--record")
    assert no_context.exit_code == 2 and "--context" in no_context.output
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    no_root = cli("metrics", "weekly", export, "--week", "2026-W47", "--context", "x", "--record")
    assert no_root.exit_code == 2 and "docs root" in no_root.output
    assert not (root / "reports").exists()
