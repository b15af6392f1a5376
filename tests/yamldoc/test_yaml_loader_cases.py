"""The loader's spec section 0 cases, one by one: each bad input is a problem value, never an
exception, and each good variant (BOM, CRLF, !!str) loads."""

from __future__ import annotations

import pytest

from cetool.core.findings import Code
from cetool.core.files import discover
from cetool.yamldoc.loader import MAX_FILE_BYTES, load_yaml_file, load_yaml_text


def load_bytes(tmp_path, raw: bytes):
    path = tmp_path / "f.yaml"
    path.write_bytes(raw)
    return load_yaml_file(path, "f.yaml")


def single(problems, code):
    assert [p.code for p in problems] == [code], problems
    return problems[0]


def test_duplicate_key_names_both_lines():
    doc, problems = load_yaml_text("id: a\ntitle: x\nid: b\n", "f.yaml")
    problem = single(problems, Code.DUPLICATE_KEY)
    assert (problem.line, problem.column, problem.path) == (3, 1, "id")
    assert "line 1" in problem.message and "line 3" in problem.message
    assert doc.data["id"] == "a"


def test_nested_duplicate_key_at_the_key():
    _, problems = load_yaml_text("context:\n  customer: a\n  customer: b\n", "f.yaml")
    problem = single(problems, Code.DUPLICATE_KEY)
    assert (problem.line, problem.column, problem.path) == (3, 3, "context.customer")


def test_bom_and_crlf_are_fine(tmp_path):
    doc, problems = load_bytes(tmp_path, b"\xef\xbb\xbfid: a\r\ntitle: b\r\n")
    assert problems == [] and doc.data == {"id": "a", "title": "b"}
    assert doc.position(("title",)).line == 2


TEXT = "id: a\ntitle: b\n"


@pytest.mark.parametrize("raw, name", [
    (TEXT.encode("utf-16"), "UTF-16"),
    (b"\xfe\xff" + TEXT.encode("utf-16-be"), "UTF-16"),
    (TEXT.encode("utf-16-le"), "UTF-16"),  # no byte-order mark: told by where the NULs are
    (TEXT.encode("utf-16-be"), "UTF-16"),
    (TEXT.encode("utf-32"), "UTF-32"),  # its little-endian BOM starts with UTF-16's
    (b"\x00\x00\xfe\xff" + TEXT.encode("utf-32-be"), "UTF-32"),
    (TEXT.encode("utf-32-le"), "UTF-32"),
    (TEXT.encode("utf-32-be"), "UTF-32"),
], ids=["utf-16", "utf-16-be-bom", "utf-16-le", "utf-16-be", "utf-32", "utf-32-be-bom", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_are_encoding_errors_naming_the_encoding(tmp_path, raw, name):
    doc, problems = load_bytes(tmp_path, raw)
    problem = single(problems, Code.ENCODING)
    assert doc is None and (problem.line, problem.column) == (1, 1)
    assert problem.message == f"the file is {name}; save it as UTF-8"


def test_a_nul_in_utf8_text_is_not_taken_for_utf16(tmp_path):
    _, problems = load_bytes(tmp_path, b"id: a\ntitle: b\x00c\n")
    assert single(problems, Code.YAML_SYNTAX).message.startswith("character U+0000")


def test_invalid_utf8_names_line(tmp_path):
    doc, problems = load_bytes(tmp_path, b"id: a\ntitle: caf\xe9\n")
    problem = single(problems, Code.ENCODING)
    assert doc is None and problem.line == 2 and "0xe9" in problem.message


def test_file_over_one_mib(tmp_path):
    doc, problems = load_bytes(tmp_path, b"a: " + b"x" * MAX_FILE_BYTES + b"\n")
    assert doc is None and "1 MiB" in single(problems, Code.FILE_TOO_LARGE).message


def test_merge_keys_are_errors():
    _, problems = load_yaml_text("base: &b {a: 1}\nother:\n  <<: *b\n  c: 2\n", "f.yaml")
    problem = single(problems, Code.MERGE_KEY)
    assert (problem.line, problem.path) == (3, "other.<<")


@pytest.mark.parametrize("tagged, shown", [
    ("!!python/object:os.system x", "!!python/object:os.system"), ("!!int 3", "!!int"), ("!custom x", "!custom"),
    ("!!binary aGk=", "!!binary"), ("!<tag:yaml.org,2002:int> 3", "!!int"),
    ("!!map {b: c}", "!!map"), ("!!seq [x]", "!!seq"), ("!!str [x]", "!!str"), ("!custom [x]", "!custom"),
    ("!!map\n  b: c", "!!map"), ("!!seq\n  - x", "!!seq"),
    # the non-specific tag `!` is written too (YAML resolves it like !!str, the spec allows only !!str)
    ("! x", "!"), ("! 'x'", "!"), ("!", "!"), ("! [x]", "!"), ("! {b: c}", "!"), ("&anchor ! x", "!"),
    ("!<!> x", "!"),
])
def test_explicit_tags_other_than_str_are_errors(tagged, shown):
    _, problems = load_yaml_text(f"a: 1\nvalue: {tagged}\n", "f.yaml")
    problem = single(problems, Code.FORBIDDEN_TAG)
    assert (problem.line, problem.column, problem.path) == (2, 8, "value")
    assert problem.message == f"tag {shown!r} is not allowed (only !!str)"


@pytest.mark.parametrize("key", ["!!python/name:os.system id", "!custom title", "!!int 3", "! id", "!t 'id'"])
def test_a_tag_on_a_key_is_an_error_at_the_key(key):
    doc, problems = load_yaml_text(f"a: 1\n{key}: x\n", "f.yaml")
    problem = single(problems, Code.FORBIDDEN_TAG)
    written = key.split(" ", 1)[1].strip("'")
    assert (problem.line, problem.column, problem.path) == (2, 1, written)
    assert doc.data == {"a": "1", written: "x"}  # the entry is kept: one bad node, one problem


def test_tags_are_found_in_flow_and_nested_collections_and_under_anchors():
    text = "a:\n  - {b: !!int 1}\n  - [c, !custom d]\ne: &x !!seq [f]\ng: *x\n"
    _, problems = load_yaml_text(text, "f.yaml")
    assert [(p.code, p.line, p.column, p.path) for p in problems] == [
        (Code.FORBIDDEN_TAG, 2, 9, "a[0].b"), (Code.FORBIDDEN_TAG, 3, 9, "a[1][1]"), (Code.FORBIDDEN_TAG, 4, 4, "e")]


@pytest.mark.parametrize("text", ["value: !!str 0012\n", "!!str value: 0012\n", "value: '0012'\n",
                                  "value: !<tag:yaml.org,2002:str> 0012\n"])
def test_str_tag_and_quotes_are_allowed(text):
    doc, problems = load_yaml_text(text, "f.yaml")
    assert problems == [] and doc.data == {"value": "0012"}


def test_plain_text_with_exclamation_marks_is_not_a_tag():
    text = "title: Still 401!\nsteps: [It fails!, \"! quoted\"]\nnote: |\n  ! not a tag\n"
    doc, problems = load_yaml_text(text, "f.yaml")
    assert problems == [] and doc.data["steps"] == ["It fails!", "! quoted"]
    assert doc.data["note"] == "! not a tag\n"


@pytest.mark.parametrize("text, line", [("a: 1\n---\nb: 2\n", 2), ("a: 1\n---\n", 2)])
def test_second_document_or_trailing_separator(text, line):
    doc, problems = load_yaml_text(text, "f.yaml")
    problem = single(problems, Code.MULTIPLE_DOCUMENTS)
    assert doc is None and problem.line == line


@pytest.mark.parametrize("text", ["", "# only a comment\n", "\n\n", "~\n"])
def test_empty_document(text):
    doc, problems = load_yaml_text(text, "f.yaml")
    assert doc is None and single(problems, Code.EMPTY_DOCUMENT)


@pytest.mark.parametrize("text", ["- a\n- b\n", "just text\n", "'quoted'\n"])
def test_top_level_must_be_a_mapping(text):
    doc, problems = load_yaml_text(text, "f.yaml")
    assert doc is None and single(problems, Code.NOT_A_MAPPING)


def test_syntax_error_has_a_position():
    _, problems = load_yaml_text("a: [1, 2\nb: 3\n", "f.yaml")
    problem = single(problems, Code.YAML_SYNTAX)
    assert problem.line is not None and problem.column is not None


def test_symlink_outside_root_is_not_followed(tmp_path):
    root = tmp_path / "root"
    (root / "packets").mkdir(parents=True)
    (tmp_path / "secret.yaml").write_text("a: 1\n")
    (root / "packets" / "link.yaml").symlink_to(tmp_path / "secret.yaml")
    (root / "packets" / "real.yaml").write_text("a: 1\n")
    files, problems = discover([root / "packets"], (".yaml",), root=root)
    assert [f.name for f in files] == ["real.yaml"]
    assert single(problems, Code.SYMLINK_OUTSIDE).file.endswith("link.yaml")
