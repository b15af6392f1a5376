"""`read_text` turns every way a file can fail to be read into one problem, and never opens a
file that is not a regular file (QA #2, #13)."""

from __future__ import annotations

import os

import pytest

from cetool.core.reading import MAX_FILE_BYTES, read_text


def _codes(path):
    text, problems = read_text(path, "f")
    return text, [p.code for p in problems], " ".join(p.message for p in problems)


def test_a_regular_file_is_read(tmp_path):
    (tmp_path / "a.yaml").write_text("id: x\n", encoding="utf-8")
    assert _codes(tmp_path / "a.yaml") == ("id: x\n", [], "")


def test_symlink_loop_is_one_problem(tmp_path):
    (tmp_path / "l1.yaml").symlink_to("l2.yaml")
    (tmp_path / "l2.yaml").symlink_to("l1.yaml")
    text, codes, message = _codes(tmp_path / "l1.yaml")
    assert text is None and codes == ["unreadable-file"] and "symlink loop" in message


def test_broken_symlink_and_folder_are_problems(tmp_path):
    (tmp_path / "dangling.yaml").symlink_to("nowhere.yaml")
    assert _codes(tmp_path / "dangling.yaml")[1:] == (["file-not-found"], "broken symlink (its target does not exist)")
    assert _codes(tmp_path)[1] == ["file-not-found"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_is_never_opened(tmp_path):
    os.mkfifo(tmp_path / "f.yaml")  # opening it for reading would block: the test would hang
    text, codes, message = _codes(tmp_path / "f.yaml")
    assert text is None and codes == ["not-a-regular-file"] and "FIFO" in message


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads everything")
def test_unreadable_file_is_a_problem(tmp_path):
    path = tmp_path / "secret.yaml"
    path.write_text("id: x\n", encoding="utf-8")
    path.chmod(0)
    assert _codes(path)[1] == ["unreadable-file"]


def test_over_the_limit_is_refused_before_reading(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_bytes(b"#" * (MAX_FILE_BYTES + 1))
    assert _codes(path)[1] == ["file-too-large"]
