"""QA regression: when the matrix cannot be built, `check` names the matrix file's own error
count, not the whole run's."""

from __future__ import annotations

import json

from checktools import edit

TODAY = "2026-11-23"


def test_check_counts_only_the_matrix_errors_in_its_could_not_run_message(cli, docs):
    edit(docs / "ownership.yaml", "version:", "bogus: 1\nversion:")  # one matrix error
    edit(docs / "runbooks" / "RB-LATENCY.md", "author: marco.silva", "author: TBD")  # another file's
    edit(docs / "known_issues" / "KI-0006.md", "status: open", "status: TBD")
    result = cli("check", docs, "--format", "json", "--today", TODAY)
    payload = json.loads(result.stdout)
    assert result.exit_code == 2 and payload["errors"] >= 3
    assert payload["error"] == "the ownership matrix has 1 error(s); fix it first"
    text = cli("check", docs, "--today", TODAY)
    assert text.exit_code == 2 and "the ownership matrix has 1 error(s)" in text.output


def test_gate_result_carries_the_matrix_errors(docs):
    from datetime import date

    from cetool.docscheck.run import run_check

    edit(docs / "ownership.yaml", "version:", "bogus: 1\nx: 2\nversion:")
    result = run_check(docs, today=date(2026, 11, 23))
    assert result.could_not_run and result.matrix_errors == 2
    assert run_check(docs.parent / "docs", today=date(2026, 11, 23)).matrix_errors == 2
