"""Each rule of spec section 3, broken one at a time in a copy of this repo's docs, through
`cetool check`: the problem is reported at its file and line with its code, and the untouched
copy passes (the passing case of every rule)."""

from __future__ import annotations

import pytest

from kbtools import codes_at, edit, line_of

RB = "runbooks/RB-LATENCY.md"
KI = "known_issues/KI-0006.md"

# (file, old text, new text, line marker in the edited file (None: line 1), code, severity)
CASES = {
    "runbook-missing-key": (RB, "author: marco.silva\n", "", "id: RB-LATENCY", "missing", "error"),
    "runbook-placeholder": (RB, "author: marco.silva", "author: TBD", "author: TBD", "placeholder", "error"),
    "runbook-unknown-key": (RB, "author: marco.silva", "author: marco.silva\nauthr: x", "authr:", "unknown-key", "error"),
    "runbook-bad-date": (RB, "last_reviewed: 2026-11-02", "last_reviewed: 02/11/2026", "last_reviewed:", "invalid-value", "error"),
    "runbook-missing-section": (RB, "## Symptoms", "## Symptom list", None, "missing-section", "error"),
    "runbook-repeated-section": (RB, "## Resolution", "## Detection:\n\nagain\n\n## Resolution", "## Detection:", "repeated-section", "error"),
    "runbook-empty-section": (RB, "## Escalation criteria\n", "## Escalation criteria\n\n<!-- later -->\n\n## Notes\n", "## Escalation criteria", "empty-section", "error"),
    "runbook-placeholder-section": (RB, "## Escalation criteria\n", "## Escalation criteria\n\nTBD\n\n## Notes\n", "## Escalation criteria", "empty-section", "error"),
    "runbook-not-engineering-reviewed": (RB, "engineering_reviewed: 2026-08-19\n", "", "id: RB-LATENCY", "not-engineering-reviewed", "warning"),
    "runbook-detection-without-query": (RB, "## Detection\n", "## Detection\n\nLook at the graphs.\n\n## Detection notes\n", "## Detection", "detection-without-query", "warning"),
    "runbook-resolution-not-numbered": (RB, "## Resolution\n", "## Resolution\n\n- just fix it\n\n## Resolution notes\n", "## Resolution", "resolution-not-numbered", "warning"),
    "runbook-stale": (RB, "last_reviewed: 2026-11-02", "last_reviewed: 2026-05-01", "last_reviewed:", "stale-runbook", "warning"),
    "runbook-unknown-known-issue": (RB, "known_issues: [KI-0006]", "known_issues: [KI-0006, KI-0999]", "known_issues:", "unknown-known-issue", "error"),
    "runbook-undefined-category": (RB, "category: deep-debugging", "category: deep-debuging", "category:", "undefined-category", "error"),
    "runbook-undefined-team": (RB, "owner: customer-engineering", "owner: cust-eng", "owner:", "undefined-team", "error"),
    "runbook-author-is-team": (RB, "author: marco.silva", "author: customer-engineering", "author:", "author-is-team", "error"),
    "runbook-duplicate-id": ("runbooks/RB-SSO-LOOP.md", "id: RB-SSO-LOOP", "id: rb-latency", "id: rb-latency", "duplicate-id", "error"),
    "runbook-no-front-matter": (RB, "---\nid: RB-LATENCY", "\n---\nid: RB-LATENCY", None, "no-front-matter", "error"),
    "ki-bad-status": (KI, "status: open", "status: opened", "status:", "invalid-value", "error"),
    "ki-missing-root-cause-key": (KI, "root_cause: latency-cache-eviction\n", "", "id: KI-0006", "missing", "error"),
    "ki-duplicate-root-cause": (KI, "root_cause: latency-cache-eviction", "root_cause: api-rate-limit-burst", "root_cause:", "duplicate-root-cause", "error"),
    "ki-duplicate-id": (KI, "id: KI-0006", "id: KI-0005", "id: KI-0005", "duplicate-id", "error"),
    "ki-missing-first-seen": (KI, "first_seen: 2026-09-08\n", "", "id: KI-0006", "missing", "error"),
    "ki-missing-last-confirmed": (KI, "last_confirmed: 2026-11-20\n", "", "id: KI-0006", "missing", "error"),
    "ki-bad-first-seen": (KI, "first_seen: 2026-09-08", "first_seen: last spring", "first_seen:", "invalid-value", "error"),
    "ki-confirmed-before-seen": (KI, "last_confirmed: 2026-11-20", "last_confirmed: 2026-09-01", "last_confirmed:", "invalid-value", "error"),
    "ki-missing-workaround": (KI, "## Workaround", "## Work-around", None, "missing-section", "error"),
    "ki-missing-root-cause-section": (KI, "## Root cause", "## Cause", None, "missing-section", "error"),
    "ki-unknown-runbook": (KI, "runbook: RB-LATENCY", "runbook: RB-LATENCYY", "runbook:", "unknown-runbook", "error"),
    "ki-workaround-only-in-a-comment": (KI, "## Workaround", "<!--\n## Workaround\nfill in\n-->\n## Workaround notes", None, "missing-section", "error"),
    "runbook-resolution-numbered-only-in-a-fence": (RB, "## Resolution\n", "## Resolution\n\n```\n1. step\n```\n\n## Resolution notes\n", "## Resolution", "resolution-not-numbered", "warning"),
    "ki-empty-detection": (KI, "## Detection\n", "## Detection\n\n## Detection query\n", "## Detection\n", "empty-section", "error"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_rule_is_reported_at_its_file_and_line(case, docs, check):
    file, old, new, marker, code, severity = CASES[case]
    path = docs / file
    edit(path, old, new)
    exit_code, payload = check(docs)
    # Markers ending in a newline match a whole line: find it without the newline.
    line = 1 if marker is None else line_of(path, marker.rstrip("\n"))
    assert (line, code, severity) in codes_at(payload, path), payload["problems"]
    assert exit_code == (1 if severity == "error" else 0)
    if severity == "warning":
        strict_exit, _ = check(docs, "--strict")
        assert strict_exit == 1


def test_the_untouched_copy_passes_every_rule(docs, check):
    exit_code, payload = check(docs, "--strict")
    assert (exit_code, payload["problems"]) == (0, [])
    assert payload["files_checked"] == 1 + 3 + 5 + 6


def test_detection_with_only_a_threshold_or_inline_query_is_fine(docs, check):
    path = docs / RB
    text = path.read_text(encoding="utf-8")
    start, end = text.index("## Detection"), text.index("## Resolution")
    for detection in ("Act when more than 5% of requests fail for 10 minutes.",
                      "Decision threshold: 5% of requests throttled in a 10-minute window.",
                      "Run `SELECT count() FROM api_requests` for the account."):
        path.write_text(text[:start] + f"## Detection\n\n{detection}\n\n" + text[end:], encoding="utf-8")
        exit_code, payload = check(docs, "--strict")
        assert (exit_code, payload["problems"]) == (0, []), detection


def test_review_exactly_180_days_ago_is_not_stale(docs, check):
    edit(docs / RB, "last_reviewed: 2026-11-02", "last_reviewed: 2026-05-27")  # 180 days before today
    assert check(docs, "--strict") == (0, check(docs)[1])


def test_duplicate_root_cause_is_reported_in_the_later_file_naming_the_first(docs, check):
    edit(docs / KI, "root_cause: latency-cache-eviction", "root_cause: api-rate-limit-burst")
    _, payload = check(docs)
    dup = [p for p in payload["problems"] if p["code"] == "duplicate-root-cause"]
    assert len(dup) == 1 and dup[0]["file"].endswith("KI-0006.md") and "KI-0004.md" in dup[0]["message"]


def test_a_packet_naming_an_unknown_known_issue_fails_check(docs, check):
    packet = docs / "packets" / "ESC-2026-0142.yaml"
    edit(packet, "known_issue: KI-0001", "known_issue: KI-0404")
    exit_code, payload = check(docs)
    assert exit_code == 1
    assert (line_of(packet, "known_issue:"), "unknown-known-issue", "error") in codes_at(payload, packet)


def test_check_resolves_packet_known_issues_even_without_a_known_issues_folder(docs, check):
    import shutil

    shutil.rmtree(docs / "known_issues")
    for runbook in (docs / "runbooks").glob("*.md"):
        text = runbook.read_text(encoding="utf-8")
        runbook.write_text("\n".join(l for l in text.splitlines() if not l.startswith("known_issues:")) + "\n",
                           encoding="utf-8")
    exit_code, payload = check(docs)
    assert exit_code == 1
    assert {p["code"] for p in payload["problems"]} == {"unknown-known-issue"}
    assert len(payload["problems"]) == 3  # each of the three packets
