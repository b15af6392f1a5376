"""The rules table (`cetool.core.findings.RULES`): one entry per `Code`, the single source of
default severities, and every code emitted by some rule in `src/` and documented in `docs/`."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from cetool.core.findings import RULES, Code, Problem, Severity, default_severity

ROOT = Path(__file__).resolve().parents[1]
SOURCES = {path: path.read_text(encoding="utf-8") for path in sorted((ROOT / "src" / "cetool").rglob("*.py"))}
FINDINGS = ROOT / "src" / "cetool" / "core" / "findings.py"
DOCS = "\n".join(path.read_text(encoding="utf-8") for path in sorted((ROOT / "docs").rglob("*.md")))
FEATURES = {"files", "schema", "matrix", "packets", "knowledge", "prevention", "check"}


def test_every_code_has_exactly_one_rule():
    assert set(RULES) == set(Code)
    for code, rule in RULES.items():
        assert rule.feature in FEATURES, code
        assert isinstance(rule.severity, Severity), code
        assert rule.summary.endswith(".") and "\n" not in rule.summary and len(rule.summary) <= 100, code


@pytest.mark.parametrize("code", list(Code), ids=str)
def test_every_code_is_emitted_by_a_rule(code):
    used = [path for path, text in SOURCES.items() if path != FINDINGS and f"Code.{code.name}" in text]
    assert used, f"{code} is emitted nowhere in src/: delete it, or write the rule that emits it"


@pytest.mark.parametrize("code", list(Code), ids=str)
def test_every_code_is_documented(code):
    assert f"`{code}`" in DOCS, f"document `{code}` in docs/ (the page of its feature, {RULES[code].feature})"


def test_a_problem_gets_its_codes_default_severity():
    assert Problem("a.yaml", 1, 1, "", Code.STALE_RUNBOOK, "old").severity == Severity.WARNING
    assert Problem("a.yaml", 1, 1, "", Code.LOOKS_LIKE_KNOWN_ISSUE, "like").severity == Severity.INFO
    assert Problem("a.yaml", 1, 1, "", Code.MISSING, "gone").severity == Severity.ERROR
    assert Problem("a.yaml", 1, 1, "", Code.MISSING, "gone", Severity.WARNING).severity == Severity.WARNING
    assert default_severity("not-a-code") == Severity.ERROR


def _severity_arguments(tree: ast.AST) -> list[int]:
    """Lines where a problem is made with a Severity member: a severity decided outside the table."""
    lines = []
    for node in ast.walk(tree):
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", "") if isinstance(node, ast.Call) else ""
        if name.lstrip("_").lower() == "problem":
            for value in [*node.args, *(keyword.value for keyword in node.keywords)]:
                if isinstance(value, ast.Attribute) and isinstance(value.value, ast.Name) \
                        and value.value.id == "Severity":
                    lines.append(value.lineno)
    return lines


def test_no_rule_passes_its_own_severity():
    passed = {str(path.relative_to(ROOT)): lines for path, text in SOURCES.items()
              if path != FINDINGS and (lines := _severity_arguments(ast.parse(text)))}
    assert not passed, f"severities come from RULES, not from the call: {passed}"
    assert _severity_arguments(ast.parse("doc.problem(path, code, msg, severity=Severity.WARNING)")) == [1]


def test_the_table_matches_what_the_docs_tables_say():
    """Where a docs table row gives a code's severity, it is the table's."""
    row = re.compile(r"^\| `([a-z-]+)`(?: / `[a-z-]+`)? \| (error|warning|info) \|", re.MULTILINE)
    stated = row.findall(DOCS)
    assert len(stated) > 30
    wrong = [(code, said) for code, said in stated if code in set(Code) and RULES[Code(code)].severity != said]
    assert not wrong, wrong
