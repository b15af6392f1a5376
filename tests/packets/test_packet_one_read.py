"""`packet validate` reads each packet once: suppressions, excerpts and the known-issue match all
work from that one read (docs/packets.md#speed), with the same results as reading again."""

from __future__ import annotations

import gc
import json
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cetool.core.files as files
import cetool.core.suppress as suppress
from cetool.core.batch import cycle_collection_paused
from cetool.core.files import SourceLines
from cetool.core.reading import read_text
from cetool.knowledge.search import B, K1, Index, KbDoc, _packet_terms, tokenize

from packet_builders import dump, make_docs_root, packet_data, write_packet


def test_excerpts_and_suppressions_come_from_the_one_read(cli, tmp_path, monkeypatch):
    packets = make_docs_root(tmp_path)
    misrouted = dump(packet_data(category="deep-debugging")).replace(
        "route_to: product-engineering", "route_to: product-engineering  # cetool: ignore[route-not-owner] agreed")
    (packets / "ESC-2026-0001.yaml").write_text(misrouted)
    write_packet(packets, packet_data(id="ESC-2026-0002", category="deep-debugging"))
    monkeypatch.chdir(tmp_path)
    expected = cli("packet", "validate")

    def no_second_read(*_):
        raise AssertionError("a packet was read a second time")

    monkeypatch.setattr(files, "_source_lines", no_second_read)
    monkeypatch.setattr(suppress, "open", no_second_read, raising=False)  # the byte scan for a directive
    result = cli("packet", "validate")
    assert result.output == expected.output and result.exit_code == 1
    assert "route-not-owner" in result.output and "ESC-2026-0001.yaml" not in result.output  # suppressed
    assert " | route_to: product-engineering" in result.output  # the excerpt under the misrouted one
    assert json.loads(cli("packet", "validate", "--format", "json").stdout)["errors"] == 1


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["a", "é", "\r", "\n", "\r\n", "\u2028", "\x85", " ", "#"]), max_size=40).map("".join),
       st.booleans())
def test_a_remembered_text_has_the_lines_a_second_read_would_give(tmp_path_factory, text, bom):
    path = tmp_path_factory.mktemp("lines") / "p.yaml"
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode())
    read, problems = read_text(path, str(path))
    assert problems == []
    sources = SourceLines()
    sources.remember(str(path), read)
    assert sources.lines(str(path)) == files._source_lines(str(path))


def _bm25(index: Index, terms: set[str], i: int) -> float:
    """The textbook score, term by term, as the index scored before it kept postings."""
    tf = index.tf[i]
    norm = K1 * (1 - B + B * index.lengths[i] / index.avg_length)
    total = 0.0
    for term in set(terms):
        if freq := tf.get(term, 0):
            total += index.idf[term] * freq * (K1 + 1) / (freq + norm)
    return total


WORDS = st.sampled_from(["webhook", "webhooks", "secret", "rotation", "401", "login", "loop", "saml", "the", "a",
                         "deliveries", "delivery", "cache", "tenant", "is", "x"])
TEXTS = st.lists(WORDS, max_size=12).map(" ".join)


@given(TEXTS)
def test_scores_from_postings_are_the_textbook_scores_exactly(query):
    index = Index([KbDoc("known-issue", "KI-1", "Webhook deliveries fail after secret rotation", "a.md", "open",
                         "deliveries rejected with 401"),
                   KbDoc("known-issue", "KI-2", "Login loop after SAML", "b.md", "open", "relay state cache"),
                   KbDoc("runbook", "RB", "Slow reads for a large tenant", "c.md", None, "cache misses webhook")])
    terms = set(tokenize(query))
    assert index.scores(terms) == [_bm25(index, terms, i) for i in range(len(index.docs))]


TOKENS_OF: dict[str, list[str]] = {}  # shared across examples, as across a run's packets


@given(st.lists(TEXTS, min_size=1, max_size=4), TEXTS, TEXTS, TEXTS, st.sampled_from(["", "Webhook 401", "x"]))
def test_a_packets_terms_are_those_of_its_texts_joined_in_the_same_order(steps, title, experience, actual, hypothesis):
    packet = SimpleNamespace(title=title, context=SimpleNamespace(experience=experience),
                             reproduction=SimpleNamespace(actual=actual, steps=steps),
                             proposed_path=SimpleNamespace(hypothesis=hypothesis))
    joined = "\n".join(p for p in [title, experience, actual, hypothesis, *steps] if p)
    # the same set, iterated in the same order, so BM25 sums add up in the same order
    assert list(_packet_terms(packet, TOKENS_OF)) == list(set(tokenize(joined)))


@pytest.mark.parametrize("enabled", [True, False])
def test_the_cycle_collector_is_paused_and_given_back_as_it_was(enabled):
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        with pytest.raises(ZeroDivisionError), cycle_collection_paused():
            with cycle_collection_paused():
                assert not gc.isenabled()
            assert not gc.isenabled()  # the inner one leaves it to the outer
            1 / 0
        assert gc.isenabled() == enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_documents_without_terms_get_no_postings_and_score_nothing():
    """Their average length is 0: the weights are computed only for documents with terms."""
    index = Index([KbDoc("known-issue", "KI-1", "The a an", "a.md", "open", "")])
    assert index.postings == {} and index.search_terms({"webhook"}) == []
