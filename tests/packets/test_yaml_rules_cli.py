"""Spec section 0 through the CLI: every YAML rule, as `cetool packet validate FILE --matrix
ownership.yaml` and `cetool matrix check FILE` report it (exit code, code, line and column), the
order of the problems, and how file paths are shown."""

from __future__ import annotations

import json
import os

import pytest

from cetool.core.reading import MAX_FILE_BYTES
from cetool.yamldoc.bounds import MAX_DEPTH
from packet_builders import REPO, dump, line_of, make_docs_root, packet_data

TODAY = "2026-11-23"
PACKET = dump(packet_data())
MATRIX = (REPO / "ownership.yaml").read_text(encoding="utf-8")
# Per kind of file: its first key line, and a text value to change (the line holding it).
SPOTS = {
    "packet": {"key": "id: ESC-2026-0001", "value": "Acme Corp"},
    "matrix": {"key": 'version: "2026.4"', "value": "Support"},
}


def billion_laughs() -> str:
    """a holds 10 x's, b 10 a's, ...: f is the first level past 250,000 nodes (1,111,111)."""
    lines = ["a: &a [" + ", ".join(["x"] * 10) + "]"]
    for name, previous in zip("bcdefghi", "abcdefgh"):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 10) + "]")
    return "\n".join(lines) + "\n"


# name -> the whole file, and the problem it gives: (code, line, column)
WHOLE_FILES = {
    "alias-bomb": (billion_laughs().encode(), ("alias-limit", 6, len("f: ") + 1)),
    "over-1-mib": (b"a: " + b"x" * MAX_FILE_BYTES + b"\n", ("file-too-large", None, None)),
    "empty-document": (b"# only a comment\n", ("empty-document", 1, 1)),
    "top-level-list": (b"- a\n- b\n", ("not-a-mapping", 1, 1)),
    "syntax-error": (b"a: [1, 2\nb: 3\n", ("yaml-syntax", 2, 2)),
    "invalid-utf8": (b"a: b\ntitle: caf\xe9\n", ("encoding", 2, len("title: caf") + 1)),
    "utf-16": ("a: b\n".encode("utf-16"), ("encoding", 1, 1)),
    "utf-32": ("a: b\n".encode("utf-32"), ("encoding", 1, 1)),
    "too-deep": (("a: " + "[" * 800 + "]" * 800 + "\n").encode(), ("yaml-syntax", 1, len("a: ") + MAX_DEPTH)),
}


def _merge_key(text: str, spot: dict) -> tuple[str, tuple]:
    text += "x-empty: &e {}\n<<: *e\n"
    return text, ("merge-key", text.count("\n"), 1)


def _tag_on_key(text: str, spot: dict) -> tuple[str, tuple]:
    text = text.replace(spot["key"], "!custom " + spot["key"], 1)
    return text, ("forbidden-tag", line_of(text, spot["key"]), 1)


def _value(new: str, expected_code: str | None):
    def edit(text: str, spot: dict) -> tuple[str, tuple | None]:
        line = line_of(text, ": " + spot["value"])
        text = text.replace(": " + spot["value"], ": " + new, 1)
        column = text.splitlines()[line - 1].index(new) + 1
        return text, (expected_code, line, column) if expected_code else None
    return edit


# name -> an edit of a valid file: the new text and the one problem it gives (None: still valid)
EDITS = {
    "merge-key": _merge_key,
    "tag-on-key": _tag_on_key,
    "tag-seq-on-value": _value("!!seq [x]", "forbidden-tag"),
    "tag-map-on-value": _value("!!map {a: b}", "forbidden-tag"),
    "non-specific-tag": _value("! Acme", "forbidden-tag"),
    "empty-text-field": _value("~", "placeholder"),
    "str-tag-passes": _value("!!str NO", None),
    "response-401-passes": _value("<Response [401]>", None),
}


def run(cli, kind: str, path, *extra) -> tuple[int, list[dict]]:
    if kind == "packet":
        args = ("packet", "validate", path, "--matrix", path.parent.parent / "ownership.yaml")
    else:
        args = ("matrix", "check", path, "--today", TODAY)
    result = cli(*args, "--format", "json", *extra)
    return result.exit_code, json.loads(result.output)["problems"]


@pytest.fixture
def target(tmp_path):
    """Where each kind of file under test goes: a packet in a docs root, a matrix file."""
    packets = make_docs_root(tmp_path / "docs")
    return {"packet": packets / "ESC-2026-0001.yaml", "matrix": tmp_path / "matrix" / "ownership.yaml"}


@pytest.mark.parametrize("kind", ["packet", "matrix"])
@pytest.mark.parametrize("case", [*WHOLE_FILES, *EDITS])
def test_section_0_rules_through_the_cli(cli, target, kind, case):
    path = target[kind]
    path.parent.mkdir(parents=True, exist_ok=True)
    if case in WHOLE_FILES:
        raw, expected = WHOLE_FILES[case]
    else:
        text, expected = EDITS[case](PACKET if kind == "packet" else MATRIX, SPOTS[kind])
        raw = text.encode("utf-8")
    path.write_bytes(raw)
    code, problems = run(cli, kind, path)
    found = [(p["code"], p["line"], p["column"]) for p in problems]
    if expected is None:
        assert (code, found) == (0, [])
    else:
        assert (code, found) == (1, [expected])


def test_an_empty_text_field_is_not_told_to_write_a_list(cli, target):
    path = target["packet"]
    path.write_text(PACKET.replace("owner: dana.ortiz", "owner: ~"), encoding="utf-8")
    _, problems = run(cli, "packet", path)
    assert [p["message"] for p in problems] == ["owner is empty; fill it in"]


def test_problems_are_sorted_by_file_line_column_and_code(cli, tmp_path):
    packets = make_docs_root(tmp_path)
    (packets / "b.yaml").write_text("title: x\nsevertiy: P2\n", encoding="utf-8")  # missing keys at 1:1
    (packets / "a.yaml").write_text("idd: x\n" + PACKET.split("\n", 1)[1], encoding="utf-8")
    result = cli("packet", "validate", packets / "b.yaml", packets / "a.yaml", "--matrix", tmp_path / "ownership.yaml",
                 "--format", "json")
    keys = [(p["file"], p["line"], p["column"], p["code"]) for p in json.loads(result.output)["problems"]]
    assert keys == sorted(keys) and {key[0].rsplit("/", 1)[-1] for key in keys} == {"a.yaml", "b.yaml"}
    at_one_place = {}
    for file, line, column, code in keys:
        at_one_place.setdefault((file, line, column), set()).add(code)
    assert any(len(codes) > 1 for codes in at_one_place.values())  # the code breaks ties
    text = cli("packet", "validate", packets / "b.yaml", packets / "a.yaml", "--matrix", tmp_path / "ownership.yaml")
    headers = [line for line in text.output.splitlines() if line.endswith(".yaml")]
    assert [header.rsplit("/", 1)[-1] for header in headers] == ["a.yaml", "b.yaml"]


@pytest.mark.parametrize("kind", ["packet", "matrix"])
def test_file_paths_are_relative_to_cwd_or_absolute_outside_it(cli, tmp_path, monkeypatch, kind):
    make_docs_root(tmp_path / "docs")
    inside = tmp_path / "docs" / "sub" / "ESC-2026-0001.yaml"
    outside = tmp_path / "elsewhere" / "ESC-2026-0001.yaml"
    for path in (inside, outside):
        path.parent.mkdir(parents=True)
        path.write_bytes(b"- not a mapping\n")
    monkeypatch.chdir(tmp_path / "docs")
    shown = []
    for path in (inside, outside):  # both named by absolute paths
        if kind == "packet":
            result = cli("packet", "validate", path, "--matrix", tmp_path / "docs" / "ownership.yaml", "--format", "json")
        else:
            result = cli("matrix", "check", path, "--today", TODAY, "--format", "json")
        shown += [p["file"] for p in json.loads(result.output)["problems"]]
    assert shown == ["sub/ESC-2026-0001.yaml", outside.as_posix()]
    assert os.path.isabs(shown[1])
