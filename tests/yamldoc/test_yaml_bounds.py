"""How big and how deep a document may be (spec section 0: an alias bomb fails fast): the limits
hold whether the size or depth comes from aliases or from the text, each reported once with the
position of the node where the limit is passed."""

from __future__ import annotations

import pytest

from cetool.core.findings import Code
from cetool.yamldoc import bounds as yaml_bounds, loader as yaml_doc
from cetool.yamldoc.bounds import MAX_DEPTH, MAX_NODES, measure, scan
from cetool.yamldoc.loader import load_yaml_text


def single(problems, code):
    assert [p.code for p in problems] == [code], problems
    return problems[0]


def list_bomb(levels: int = 18, brackets: int = 20) -> str:
    """1 KB that doubles at every level, each level nested `brackets` deep (the QA file)."""
    text = "a0: &a0 [x]\n"
    for i in range(1, levels + 1):
        text += f"a{i}: &a{i} " + "[" * brackets + f"*a{i - 1}, *a{i - 1}" + "]" * brackets + "\n"
    return text


def mapping_bomb(levels: int = 39) -> str:
    text = "a0: &a0 {p: x}\n"
    for i in range(1, levels + 1):
        text += f"a{i}: &a{i} {{p: *a{i - 1}, q: *a{i - 1}}}\n"
    return text


def billion_laughs() -> str:
    levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        levels.append(f"{chr(97 + i)}: &{chr(97 + i)} [" + ", ".join([f"*{chr(96 + i)}"] * 10) + "]")
    return "\n".join(levels) + "\n"


@pytest.fixture
def counted(monkeypatch):
    """How often the measuring pass looks at a collection, and a walker that must not start."""
    calls = []
    measure = yaml_bounds._Measure.collection

    def counting(self, node, depth):
        calls.append(node)
        return measure(self, node, depth)

    def no_walk(self, node, path):
        raise AssertionError("the walk started on a document over the limit")

    monkeypatch.setattr(yaml_bounds._Measure, "collection", counting)
    monkeypatch.setattr(yaml_doc._Walker, "walk", no_walk)
    return calls


@pytest.mark.parametrize("text", [list_bomb(), mapping_bomb(), billion_laughs()],
                         ids=["list-bomb", "mapping-bomb", "billion-laughs"])
def test_alias_bombs_fail_before_the_walk_measuring_each_node_once(text, counted):
    doc, problems = load_yaml_text(text, "bomb.yaml")
    problem = single(problems, Code.ALIAS_LIMIT)
    assert doc is None and problem.line is not None and problem.column is not None
    assert problem.message == f"the document has more than {MAX_NODES:,} nodes once its aliases are expanded (an alias bomb?)"
    # each distinct collection is measured once, however often aliases repeat it
    assert len(counted) == len({id(node) for node in counted})
    assert len(counted) <= text.count("[") + text.count("{") + 1


def test_the_node_reported_is_the_first_to_pass_the_limit():
    # a2 expands to 3 * 100,101 nodes, the first node over the limit (a1 holds 100,101); an
    # anchored node starts at its anchor
    text = "a0: &a0 [" + ", ".join(["x"] * 1000) + "]\n" + "a1: &a1 [" + ", ".join(["*a0"] * 100) + "]\n" \
        + "a2: &a2 [*a1, *a1, *a1]\n" + "a3: [*a2, *a2]\n"
    problem = single(load_yaml_text(text, "f.yaml", line_offset=10)[1], Code.ALIAS_LIMIT)
    assert (problem.line, problem.column) == (13, len("a2: ") + 1)


def test_an_alias_inside_its_own_anchor_is_endless():
    doc, problems = load_yaml_text("a: 1\nb: &b [x, *b]\n", "f.yaml")
    problem = single(problems, Code.ALIAS_LIMIT)
    assert doc is None and (problem.line, problem.column) == (2, 4)
    assert problem.message == "an alias inside this node refers back to it: the document never ends"


FLAT = "a: [" + ",".join(["x"] * 400_000) + "]\n"  # under 1 MiB, no aliases


def test_a_flat_list_over_the_limit_says_nodes_not_aliases_and_is_never_composed(monkeypatch):
    assert len(FLAT.encode()) < yaml_doc.MAX_FILE_BYTES

    def no_compose(self):
        raise AssertionError("composed: the text's own size was not checked first")

    monkeypatch.setattr(yaml_doc._ComposeOnlyLoader, "get_single_node", no_compose)
    problem = single(load_yaml_text(FLAT, "f.yaml")[1], Code.ALIAS_LIMIT)
    assert (problem.line, problem.column) == (1, 4)
    assert problem.message == f"the document has more than {MAX_NODES:,} nodes"


def test_a_document_at_the_limits_loads():
    deep = "a: " + "[" * (MAX_DEPTH - 1) + "x" + "]" * (MAX_DEPTH - 1) + "\n"
    assert load_yaml_text(deep, "f.yaml")[1] == []
    shared = "a: &a [" + ", ".join(["x"] * 999) + "]\nb: [" + ", ".join(["*a"] * 240) + "]\n"
    assert load_yaml_text(shared, "f.yaml")[1] == []


# --- depth ---------------------------------------------------------------------------------

BRACKETS = "a: " + "[" * 800 + "]" * 800 + "\n"
# the root mapping is level 1, so level MAX_DEPTH + 1 is the MAX_DEPTH-th bracket after `a: `
BRACKET_AT = (1, len("a: ") + MAX_DEPTH)


@pytest.mark.parametrize("text", [
    BRACKETS,
    BRACKETS + "# " + "long text " * 3000 + "\n",  # long texts are scanned before composing
    "a: " + "[" * 1500 + "]" * 1500 + "\n",  # past libyaml's own limit (1000 levels)
    "a:\n" + "".join(" " * (2 * i + 2) + "- \n" for i in range(120)).rstrip() + " x\n",  # block style
], ids=["brackets", "long-text", "past-libyaml", "block"])
def test_nesting_too_deep_has_the_position_where_the_limit_is_passed(text):
    doc, problems = load_yaml_text(text, "f.yaml", line_offset=2)
    problem = single(problems, Code.YAML_SYNTAX)
    assert doc is None and problem.message == f"YAML nesting is deeper than {MAX_DEPTH} levels"
    if text.startswith("a:\n"):  # the sequence at level L starts on line L, column 2 * (L - 2) + 3
        assert (problem.line, problem.column) == (2 + MAX_DEPTH + 1, 2 * (MAX_DEPTH - 1) + 3)
    else:
        assert (problem.line, problem.column) == (BRACKET_AT[0] + 2, BRACKET_AT[1])


def test_nesting_too_deep_through_aliases():
    # each a<i> nests 20 brackets around a<i-1>: a5 is the first key to pass MAX_DEPTH levels,
    # and a1's innermost bracket (line 2) is where it does
    text = "a0: &a0 [x]\n" + "".join(
        f"a{i}: &a{i} " + "[" * 20 + f"*a{i - 1}" + "]" * 20 + "\n" for i in range(1, 41))
    problem = single(load_yaml_text(text, "f.yaml")[1], Code.YAML_SYNTAX)
    assert (problem.line, problem.column) == (2, len("a1: &a1 ") + 20)
    assert problem.message == f"YAML nesting is deeper than {MAX_DEPTH} levels"


def test_a_composer_that_recurses_reports_depth_too(monkeypatch):
    """PyYAML without libyaml composes in Python and hits the recursion limit: same problem."""
    def recurse(self):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(yaml_doc._ComposeOnlyLoader, "get_single_node", recurse)
    problem = single(load_yaml_text(BRACKETS, "f.yaml")[1], Code.YAML_SYNTAX)
    assert (problem.line, problem.column) == BRACKET_AT


@pytest.mark.parametrize("text", [
    "a: [" + ",".join(["x"] * 1500) + "]\n",
    "a: [" + ",".join(["x"] * 600) + "]\nb:\n" + "".join(f"  - {{k: {i}}}\n" for i in range(300)),
    BRACKETS,
], ids=["flat", "two-halves", "deep"])
def test_scanning_the_text_and_measuring_the_tree_agree_without_aliases(text, monkeypatch):
    monkeypatch.setattr(yaml_bounds, "MAX_NODES", 1000)  # the same rules, on small texts
    loader = yaml_doc._ComposeOnlyLoader(text)
    try:
        measured = measure(loader.get_single_node())
    finally:
        loader.dispose()
    scanned = scan(text)
    assert measured is not None and scanned is not None
    assert (measured.mark.line, measured.mark.column, measured.code, measured.message) == (
        scanned.mark.line, scanned.mark.column, scanned.code, scanned.message)


# --- documents without anchors: the walk checks the limits itself ------------------------------

DEEP = "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5)


@pytest.mark.parametrize("text", [
    "a: 1\nb: " + DEEP + "\n",
    "a: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n",  # one level past the limit
    "a: 1\nx-notes: " + DEEP + "\n",  # under a key the walk skips
    "a: 1\na: " + DEEP + "\n",  # under a duplicate key
    "? " + DEEP + "\n: 1\n",  # a collection as a key
    "a: 1\n<<: " + DEEP + "\n",  # a merge key
    "a:\n- x\n- " + DEEP + "\n",
    "a:\n" + "".join(" " * (2 * i + 2) + "- \n" for i in range(MAX_DEPTH + 5)).rstrip() + " x\n",
    "a: {b: " + DEEP + "}\n",
    "a: [x, y]\nb: {c: d}\nx-c: [e]\n",  # within the limits
], ids=["value", "one-past", "x-key", "duplicate", "complex-key", "merge", "item", "block", "flow", "fine"])
def test_a_document_without_anchors_gets_the_problems_measuring_would_give(text):
    """Only a text with an anchor (`&`) is measured before the walk; a comment holding one
    forces the measuring, and the problems must be the same."""
    assert "&" not in text
    assert load_yaml_text(text, "f.yaml", line_offset=3)[1] == load_yaml_text(text + "# &\n", "f.yaml", line_offset=3)[1]
    if text.endswith(" x\n") or "[" * MAX_DEPTH in text:
        assert [p.message for p in load_yaml_text(text, "f.yaml")[1]] == [f"YAML nesting is deeper than {MAX_DEPTH} levels"]


@pytest.mark.parametrize("unit", ["?,", "x,", "[],", "{}: {},", "- \n", "? \n"])
def test_a_text_without_anchors_holds_at_most_a_node_per_character(unit):
    """Why a text of fewer than MAX_NODES / 2 characters without anchors needs no measuring."""
    body = unit * (40_000 // len(unit))
    text = body if unit.endswith("\n") else ("{" if unit == "?," else "[") + body + ("}" if unit == "?," else "]")
    loader = yaml_doc._ComposeOnlyLoader(text)
    try:
        root = loader.get_single_node()
    finally:
        loader.dispose()
    size, _ = yaml_bounds._Measure().collection(root, 1)
    assert size <= len(text)
