"""Search the knowledge base, and spot packets that look like a known issue.

Plain-Python BM25 (Robertson/Sparck Jones, k1=1.2, b=0.75) over each runbook's and known issue's
title (weighted 3x), Symptoms, Detection and Root cause. Small enough to index on every run: a
docs repo holds hundreds of documents, not millions.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import asdict, dataclass
from typing import Iterable

from cetool.core.findings import Code, Problem

K1, B = 1.2, 0.75
TITLE_WEIGHT = 3
# A packet "strongly matches" a known issue when it is the best hit and the packet's text holds
# at least this share (idf-weighted) of the known issue's title terms, and at least 3 of them.
STRONG_TITLE_COVERAGE = 0.6
MIN_SHARED_TITLE_TERMS = 3
# `kb search` shows a hit only when it is relevant (docs/knowledge.md#cetool-kb-search-text): it holds at
# least this share of the query's words (idf-weighted; a word no document has weighs the most)...
MIN_QUERY_COVERAGE = 0.34  # more than a third
# ... and scores at least this share of the best hit (BM25 scores are relative to one query).
MIN_SHARE_OF_BEST = 0.35

_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset("""
a an and are as at be been but by can do does for from has have if in into is it its no not of on
or so than that the then there these this to was were when which while who will with without after
before all any each more most only other over same such very we our you your they their them it's
select where group order limit having count countif uniq min max avg sum any round interval now
string datetime date ts true false null
""".split())


def _term(word: str) -> str:
    """A lowercase word as a search term: "" for a stop word, SQL keyword or single character;
    a plural `s` is dropped."""
    if word in _STOP or len(word) < 2:
        return ""
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def tokenize(text: str) -> list[str]:
    """Lowercase words without stop words or SQL keywords; a plural `s` is dropped."""
    return [term for word in _WORD.findall(text.lower()) if (term := _term(word))]


@dataclass(frozen=True)
class KbDoc:
    kind: str  # "known-issue" | "runbook"
    id: str
    title: str
    file: str
    status: str | None
    body: str  # Symptoms, Detection, Root cause (what the search covers besides the title)


@dataclass(frozen=True)
class Hit:
    kind: str
    id: str
    title: str
    file: str
    status: str | None
    score: float

    def to_dict(self) -> dict:
        return {**asdict(self), "score": round(self.score, 3)}


_FIELDS = ("symptoms", "detection", "root cause")


def documents(knowledge) -> list[KbDoc]:
    docs = []
    for issue in knowledge.known_issues:
        body = "\n".join([issue.root_cause.replace("-", " ")] + [issue.sections.get(f, "") for f in _FIELDS])
        docs.append(KbDoc("known-issue", issue.id, issue.title, issue.file, str(issue.status), body))
    for runbook in knowledge.runbooks:
        body = "\n".join(runbook.sections.get(f, "") for f in _FIELDS)
        docs.append(KbDoc("runbook", runbook.id, runbook.title, runbook.file, None, body))
    return docs


class Index:
    def __init__(self, docs: Iterable[KbDoc]) -> None:
        self.docs = list(docs)
        self.title_terms = [set(tokenize(d.title)) for d in self.docs]
        self.tf = [Counter(tokenize(d.title) * TITLE_WEIGHT + tokenize(d.body)) for d in self.docs]
        self.lengths = [sum(tf.values()) for tf in self.tf]
        self.avg_length = (sum(self.lengths) / len(self.docs)) if self.docs else 0.0
        df = Counter(term for tf in self.tf for term in tf)
        n = len(self.docs)
        self.idf = {term: math.log(1 + (n - count + 0.5) / (count + 0.5)) for term, count in df.items()}
        # term -> [(document, the term's BM25 weight in it)]: computed once, so scoring a query
        # (10,000 packets' texts in `packet validate`) is one pass over its terms.
        self.postings: dict[str, list[tuple[int, float]]] = {}
        for index, tf in enumerate(self.tf):
            if not tf:  # no terms, no postings (and when no document has any, no average length)
                continue
            norm = K1 * (1 - B + B * self.lengths[index] / self.avg_length)
            for term, freq in tf.items():
                self.postings.setdefault(term, []).append((index, self.idf[term] * freq * (K1 + 1) / (freq + norm)))

    def scores(self, query_terms: Iterable[str]) -> list[float]:
        """Each document's BM25 score for the query (a term counts once)."""
        totals = [0.0] * len(self.docs)
        for term in set(query_terms):
            for index, weight in self.postings.get(term, ()):
                totals[index] += weight
        return totals

    def search(self, query: str, *, limit: int = 10, kind: str | None = None) -> list[Hit]:
        return self.search_terms(set(tokenize(query)), limit=limit, kind=kind)

    def search_terms(self, terms: set[str], *, limit: int = 10, kind: str | None = None) -> list[Hit]:
        """`search` for a query already tokenized (a packet's text is tokenized once)."""
        docs = self.docs
        scored = [(score, docs[i]) for i, score in enumerate(self.scores(terms))
                  if score > 0 and (kind is None or docs[i].kind == kind)]
        scored.sort(key=lambda hit: (-hit[0], hit[1].kind, hit[1].id))
        return [Hit(doc.kind, doc.id, doc.title, doc.file, doc.status, score) for score, doc in scored[:limit]]

    def title_coverage(self, text_terms: set[str], index: int) -> tuple[float, int]:
        """Share (idf-weighted) and number of the document's title terms found in `text_terms`."""
        title = self.title_terms[index]
        weight = sum(self.idf.get(t, 0.0) for t in title)
        shared = title & text_terms
        return (sum(self.idf.get(t, 0.0) for t in shared) / weight if weight else 0.0), len(shared)


    def query_coverage(self, query_terms: set[str], index: int) -> float:
        """Share (idf-weighted) of the query's terms the document holds."""
        unknown = math.log(1 + (len(self.docs) + 0.5) / 0.5)  # the idf of a term no document has
        total = sum(self.idf.get(t, unknown) for t in query_terms)
        held = sum(self.idf.get(t, unknown) for t in query_terms if self.tf[index].get(t))
        return held / total if total else 0.0


@dataclass(frozen=True)
class SearchResult:
    hits: list[Hit]  # relevant, best first, at most `limit`
    left_out: list[Hit]  # matched some word but fell under the relevance cutoff, best first


def search(knowledge, query: str, *, limit: int = 10) -> SearchResult:
    index = Index(documents(knowledge))
    terms = set(tokenize(query))
    matched = index.search(query, limit=len(index.docs))
    where = {(doc.kind, doc.id, doc.file): i for i, doc in enumerate(index.docs)}
    best = matched[0].score if matched else 0.0
    relevant, weak = [], []
    for hit in matched:
        coverage = index.query_coverage(terms, where[(hit.kind, hit.id, hit.file)])
        ok = coverage >= MIN_QUERY_COVERAGE and hit.score >= MIN_SHARE_OF_BEST * best
        (relevant if ok else weak).append(hit)
    return SearchResult(relevant[:limit], weak)


def _packet_terms(packet, tokens_of: dict[str, list[str]]) -> set[str]:
    """The terms of the packet's title, experience, actual result, hypothesis and steps, as
    `set(tokenize(...))` of those texts joined would give them, in the same order. Each text is
    tokenized once per run (`tokens_of`): packets share boilerplate steps and sentences."""
    terms: set[str] = set()
    for part in (packet.title, packet.context.experience, packet.reproduction.actual,
                 packet.proposed_path.hypothesis, *packet.reproduction.steps):
        if part:
            tokens = tokens_of.get(part)
            if tokens is None:
                tokens = tokens_of[part] = tokenize(part)
            terms.update(tokens)
    return terms


def match_packets(packets: list[tuple[str, object]], knowledge,
                  title_at: dict[str, tuple[int, int]] | None = None) -> list[Problem]:
    """An info problem for each packet that strongly matches a known issue it does not reference,
    at the packet's title: `title_at` gives where it is written, file -> (line, column), as the
    packet's one parse found it."""
    title_at = title_at or {}
    index = Index(d for d in documents(knowledge) if d.kind == "known-issue")
    positions = {doc.id: i for i, doc in enumerate(index.docs)}
    problems = []
    tokens_of: dict[str, list[str]] = {}
    for file, packet in packets:
        if getattr(packet, "known_issue", None):
            continue
        terms = _packet_terms(packet, tokens_of)
        hits = index.search_terms(terms, limit=1)
        if not hits:
            continue
        best = hits[0]
        coverage, shared = index.title_coverage(terms, positions[best.id])
        if coverage >= STRONG_TITLE_COVERAGE and shared >= MIN_SHARED_TITLE_TERMS:
            # At the title: `known_issue` is absent.
            line, column = title_at.get(file, (None, None))
            problems.append(Problem(
                file, line, column, "title", Code.LOOKS_LIKE_KNOWN_ISSUE,
                f"this looks like {best.id} ({best.title}, status {best.status}) — check its workaround "
                f"before escalating, and set known_issue: {best.id} if it is the same issue"))
    return problems
