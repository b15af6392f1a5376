"""QA: one mistake in a runbook's or known issue's front matter is reported once.

Front matter that cannot be parsed (not on line 1, a YAML error, never closed) still gives its
id when an `id:` line names it, so references to the file resolve; front matter never closed
hides the sections (unknown, not missing) instead of reporting each as missing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cetool.yamldoc.frontmatter import parse_markdown, scan_id

from kbtools import codes_at, edit

RB = "runbooks/RB-API-429.md"
KI = "known_issues/KI-0004.md"  # RB-API-429 <-> KI-0004 reference each other
KI3 = "known_issues/KI-0003.md"  # named by packets/ESC-2026-0151.yaml


def _not_on_line_1(path):
    path.write_text("\n" + path.read_text(encoding="utf-8"), encoding="utf-8")


def _yaml_error(path):
    edit(path, "first_seen: 2026-", "first_seen: [2026-")


def _never_closed(path):
    text = path.read_text(encoding="utf-8")
    closing = text.index("\n---\n", 3)
    path.write_text(text[:closing] + text[closing + 4:], encoding="utf-8")


MISTAKES = {"not-on-line-1": (_not_on_line_1, "no-front-matter"),
            "yaml-error": (_yaml_error, "yaml-syntax"),
            "never-closed": (_never_closed, "no-front-matter")}


@pytest.mark.parametrize("mistake", sorted(MISTAKES))
@pytest.mark.parametrize("file", [RB, KI])
def test_a_broken_front_matter_is_the_only_problem_of_the_run(docs, check, mistake, file):
    if mistake == "yaml-error" and file == RB:  # a runbook has no first_seen: break another key
        edit(docs / RB, "last_reviewed: 2026-", "last_reviewed: [2026-")
    else:
        MISTAKES[mistake][0](docs / file)
    exit_code, payload = check(docs)
    assert exit_code == 1
    assert [(Path(p["file"]), p["code"]) for p in payload["problems"]] == [(docs / file, MISTAKES[mistake][1])]


@pytest.mark.parametrize("mistake", sorted(MISTAKES))
def test_packets_naming_a_known_issue_with_broken_front_matter_resolve(docs, check, cli, mistake):
    MISTAKES[mistake][0](docs / KI3)
    _, payload = check(docs)
    assert [p["code"] for p in payload["problems"]] == [MISTAKES[mistake][1]]
    packet = docs / "packets" / "ESC-2026-0151.yaml"
    result = cli("packet", "validate", packet, "--matrix", docs / "ownership.yaml", "--format", "json")
    assert result.exit_code == 0, result.output


def test_without_an_id_line_references_to_the_file_are_still_reported(docs, check):
    _yaml_error(docs / KI)
    edit(docs / KI, "id: KI-0004", "ident: KI-0004")
    _, payload = check(docs)
    assert ("unknown-known-issue", "error") in [(c, s) for _, c, s in codes_at(payload, docs / RB)]


@pytest.mark.parametrize("text, found", [
    ("---\nid: KI-0004\ntitle: [\n---\n", "KI-0004"),
    ("\n\n---\nid: 'KI-0004'  # quoted, commented\n---\n", "KI-0004"),
    ("---\r\ntitle: x\r\nid: \"RB-A.1\"\r\n", "RB-A.1"),  # never closed, CRLF
    ("---\ntitle: x\n---\nid: KI-0004\n", None),  # after the block: body text, not front matter
    ("# Title\n---\nid: KI-0004\n---\n", None),  # text before the block
    ("---\n  id: KI-0004\n---\n", None),  # not top level
    ("---\nid: [KI-0004\n---\n", None),  # the id line itself is broken
    ("---\nid: KI 0004\n---\n", None),  # not an id
    ("", None),
])
def test_scan_id_reads_only_a_top_level_id_line_of_the_block(text, found):
    assert scan_id(text.splitlines()) == found


def test_parse_markdown_scans_the_id_only_when_the_front_matter_failed():
    doc, _ = parse_markdown("---\nid: KI-1\ntitle: [\n---\n## Symptoms\nx\n", "x.md")
    assert (doc.front, doc.scanned_id, doc.sections_known) == (None, "KI-1", True)
    doc, _ = parse_markdown("---\nid: KI-1\n---\n", "x.md")
    assert doc.front is not None and doc.scanned_id is None
    doc, _ = parse_markdown("---\nid: KI-1\n## Symptoms\nx\n", "x.md")
    assert (doc.scanned_id, doc.sections_known, doc.sections) == ("KI-1", False, [])
