"""`read_text` turns every way a file can fail to be read into one problem, and never opens a
file that is not a regular file (QA #2, #13)."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from cetool.core.reading import MAX_FILE_BYTES, read_bounded, read_text


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


NOBODY = 65534


def _codes_without_privileges(path):
    """`_codes(path)` as a user who may not read the file. Root reads everything, so as root a
    forked child drops to `nobody` first (the interpreter and cetool are already loaded, so the
    child needs no file of theirs) and sends its answer back through a pipe."""
    if os.geteuid() != 0:
        return _codes(path)
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child, which never returns to pytest
        try:
            os.close(reader)
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            answer = json.dumps(_codes(path))
        except BaseException as exc:  # report anything to the parent; never run pytest's teardown
            answer = json.dumps(["child failed", repr(exc)])
        os.write(writer, answer.encode())
        os._exit(0)
    os.close(writer)
    with os.fdopen(reader, "rb") as pipe:
        answer = json.loads(pipe.read())
    os.waitpid(child, 0)
    assert answer[0] != "child failed", answer
    return tuple(answer)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork (POSIX)")
def test_unreadable_file_is_a_problem():
    # a folder anyone may enter (pytest's tmp_path is private to its user), so only the file is refused
    folder = Path(tempfile.mkdtemp(prefix="cetool-unreadable-"))
    try:
        folder.chmod(0o755)
        path = folder / "secret.yaml"
        path.write_text("id: x\n", encoding="utf-8")
        path.chmod(0)
        text, codes, message = _codes_without_privileges(path)
        assert text is None and codes == ["unreadable-file"]
        assert message == "cannot read the file: permission denied"
    finally:
        shutil.rmtree(folder)


def test_over_the_limit_is_refused_before_reading(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_bytes(b"#" * (MAX_FILE_BYTES + 1))
    assert _codes(path)[1] == ["file-too-large"]


@pytest.mark.parametrize("expected", [0, 10, 150_000, 150_001, 400_000])
def test_a_file_is_read_whole_whatever_size_stat_gave(tmp_path, expected):
    """The first read asks for stat's size and one byte more; a file that grew or shrank since
    is still read whole, and never past the limit."""
    path = tmp_path / "p.yaml"
    content = bytes(range(256)) * 586  # 150,016 bytes: more than one later read
    path.write_bytes(content)
    assert read_bounded(path, MAX_FILE_BYTES + 1, expected) == content
    assert read_bounded(path, 1000, expected) == content[:1000]
