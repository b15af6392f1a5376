"""`cetool kb search`, the packet hook (looks-like-known-issue) and `cetool kb stale`."""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cetool.core.docsroot import DocsRoot
from cetool.knowledge.search import Index, KbDoc, SearchResult, match_packets, search, tokenize
from cetool.knowledge.stale import find_stale
from cetool.knowledge.load import load_knowledge
from cetool.packets.validate import check_packets

from kbtools import edit

TODAY = date(2026, 11, 23)


@pytest.fixture
def knowledge(docs):
    return load_knowledge(DocsRoot(docs), matrix=None, today=TODAY)


@pytest.mark.parametrize("query, best", [
    ("webhook deliveries rejected with 401 after rotating the secret", "KI-0001"),
    ("users bounce back to the login page in a loop after SAML", "RB-SSO-LOOP"),
    ("relay state mismatch on SAML login", "KI-0002"),
    ("import says complete but rows are missing", "KI-0003"),
    ("429 too many requests below our plan limit", "KI-0004"),
    ("slow reads for a large tenant, cache misses", "KI-0006"),
    ("invoice disputed, charged twice", "RB-BILLING-DISPUTE"),
])
def test_search_ranks_the_matching_document_first(knowledge, query, best):
    hits = search(knowledge, query, limit=3).hits
    assert hits[0].id == best
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_search_with_no_shared_words_finds_nothing(knowledge):
    assert search(knowledge, "quarterly offsite catering", limit=5) == SearchResult([], [])


@pytest.mark.parametrize("query", ["pizza delivery order", "customer wants a quarterly catering invoice"])
def test_a_query_sharing_only_a_common_word_is_not_relevant(knowledge, query):
    """'delivery' and 'customer' are in the knowledge base, but one word of several is no match."""
    result = search(knowledge, query, limit=5)
    assert result.hits == [] and result.left_out


def test_the_long_tail_under_the_best_hit_is_cut(knowledge):
    result = search(knowledge, "customer cannot log in with sso", limit=10)
    assert [h.id for h in result.hits] == ["RB-SSO-LOOP"]
    assert len(result.left_out) >= 3  # documents sharing only 'customer' are not listed


def test_kb_search_says_when_nothing_is_relevant(cli, docs, monkeypatch):
    monkeypatch.chdir(docs)
    result = cli("kb", "search", "pizza delivery order")
    assert result.exit_code == 0
    assert result.stdout.startswith("nothing in the runbooks or known issues is relevant to 'pizza delivery order'")
    payload = json.loads(cli("kb", "search", "pizza delivery order", "--format", "json").stdout)
    assert payload["hits"] == [] and payload["left_out_as_not_relevant"] >= 1


@given(st.text(max_size=80))
def test_bm25_scores_are_never_negative_and_limit_holds(text):
    index = Index([KbDoc("runbook", "A", "Webhook retries", "a.md", None, "deliveries fail"),
                   KbDoc("known-issue", "B", "Login loop", "b.md", "open", "saml relay state")])
    hits = index.search(text, limit=1)
    assert len(hits) <= 1 and all(h.score > 0 for h in hits)
    assert all(t == t.lower() and t for t in tokenize(text))


def test_kb_search_cli_text_and_json(cli, docs, monkeypatch):
    monkeypatch.chdir(docs)
    result = cli("kb", "search", "webhook 401 rotation", "--limit", "1")
    assert result.exit_code == 0 and "KI-0001" in result.stdout and "RB-" not in result.stdout
    payload = json.loads(cli("kb", "search", "saml login loop", "--format", "json").stdout)
    assert payload["query"] == "saml login loop"
    assert payload["hits"][0]["id"] in {"KI-0002", "RB-SSO-LOOP"}
    assert {"kind", "id", "title", "file", "status", "score"} <= set(payload["hits"][0])
    assert "no runbook or known issue" in cli("kb", "search", "catering").stdout


def _packets(docs):
    return check_packets(sorted((docs / "packets").glob("*.yaml")), matrix=None, docs_root=None,
                         known_issue_ids=None).packets


def test_a_packet_that_looks_like_a_known_issue_it_does_not_reference_gets_an_info(docs, knowledge):
    edit(docs / "packets/ESC-2026-0147.yaml", "known_issue: KI-0002\n", "")
    problems = match_packets(_packets(docs), knowledge)
    assert [(p.file.endswith("ESC-2026-0147.yaml"), p.code, p.severity) for p in problems] == [
        (True, "looks-like-known-issue", "info")]
    assert "KI-0002" in problems[0].message and "workaround" in problems[0].message


def test_packets_that_reference_their_known_issue_or_match_none_get_nothing(docs, knowledge):
    assert match_packets(_packets(docs), knowledge) == []  # all three reference their known issue
    path = docs / "packets/ESC-2026-0147.yaml"
    text = path.read_text(encoding="utf-8").replace("known_issue: KI-0002\n", "")
    for word in ("SSO", "SAML", "IdP", "login", "loop", "sign in", "sign-in"):
        text = text.replace(word, "quarterly report").replace(word.lower(), "quarterly report")
    path.write_text(text, encoding="utf-8")
    assert match_packets(_packets(docs), knowledge) == []


def test_packet_validate_reports_the_info_and_still_passes(cli, docs, monkeypatch):
    edit(docs / "packets/ESC-2026-0147.yaml", "known_issue: KI-0002\n", "")
    monkeypatch.chdir(docs)
    result = cli("packet", "validate", "--strict", "--format", "json")
    assert result.exit_code == 0, result.output
    problems = json.loads(result.stdout)["problems"]
    assert [(p["code"], p["severity"]) for p in problems] == [("looks-like-known-issue", "info")]
    # Path and position agree: both are the packet's title (line 3, its value at column 8).
    assert (problems[0]["path"], problems[0]["line"], problems[0]["column"]) == ("title", 3, 8)


def test_stale_nothing_overdue_today(cli, docs, monkeypatch):
    monkeypatch.chdir(docs)
    result = cli("kb", "stale", "--today", "2026-11-23")
    assert result.exit_code == 0 and "nothing overdue" in result.stdout


def test_stale_lists_each_kind_and_exits_1(cli, docs, monkeypatch):
    edit(docs / "runbooks/RB-SSO-LOOP.md", "engineering_reviewed: 2026-08-05\n", "")
    edit(docs / "known_issues/KI-0005.md", "status: workaround", "status: fixed")  # fixed: not listed
    monkeypatch.chdir(docs)
    result = cli("kb", "stale", "--today", "2027-04-01", "--format", "json")
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    items = {(i["kind"], i["id"], i["reason"]) for i in payload["items"]}
    assert ("matrix", "ownership matrix 2026.4", "review-overdue") in items
    assert ("runbook", "RB-SSO-LOOP", "not-engineering-reviewed") in items
    assert ("runbook", "RB-BILLING-DISPUTE", "stale-runbook") in items  # 2026-09-15 + 180 days < 2027-04-01
    assert ("runbook", "RB-SSO-LOOP", "stale-runbook") not in items  # 2026-11-10: 142 days
    assert ("known-issue", "KI-0001", "stale-known-issue") in items
    assert not any(i[1] == "KI-0005" for i in items)
    assert payload["overdue"] == len(payload["items"])


def test_stale_core_thresholds(docs):
    # KI-0005 last confirmed 2026-10-30: 90 days later is not stale yet, 91 days is.
    at_90 = find_stale(DocsRoot(docs), today=date(2027, 1, 28))
    at_91 = find_stale(DocsRoot(docs), today=date(2027, 1, 29))
    assert "KI-0005" not in {i.id for i in at_90.items}
    assert "KI-0005" in {i.id for i in at_91.items}


def test_kb_stale_bad_today_is_a_usage_error(cli, docs, monkeypatch):
    monkeypatch.chdir(docs)
    result = cli("kb", "stale", "--today", "23/11/2026", "--format", "json")
    assert result.exit_code == 2 and "error" in json.loads(result.stdout)


def test_packet_validate_parses_each_packet_and_known_issue_once(docs, monkeypatch):
    """The info is placed from the packet's one parse, and the known issues are read once per
    run (for the reference check and the match alike)."""
    from collections import Counter
    from pathlib import Path

    import cetool.knowledge.read as read
    import cetool.packets.validate as validate

    edit(docs / "packets/ESC-2026-0147.yaml", "known_issue: KI-0002\n", "")
    parsed: Counter = Counter()

    def counting(real):
        def wrapper(path, file=None):
            parsed[Path(path).name] += 1
            return real(path, file)
        return wrapper

    monkeypatch.setattr(validate, "load_yaml_file", counting(validate.load_yaml_file))
    monkeypatch.setattr(validate, "read_text", counting(validate.read_text))  # a packet checked is read, then parsed
    monkeypatch.setattr(read, "load_markdown_file", counting(read.load_markdown_file))
    monkeypatch.chdir(docs)
    run = validate.validate_packets([], docs / "ownership.yaml", today=date(2026, 11, 23))
    assert [p.code for p in run.report.problems] == ["looks-like-known-issue"]
    assert parsed["ESC-2026-0147.yaml"] == 1 and parsed["KI-0002.md"] == 1
    assert parsed and set(parsed.values()) == {1}, parsed
