"""discover() never raises for an odd path: loops and FIFOs are found and left to the reader,
which reports them (QA #2, #13); SourceLines never opens a FIFO."""

from __future__ import annotations

import os
import sys

import pytest

from cetool.core.files import SourceLines, discover


def test_symlink_loops_are_found_not_raised(tmp_path):
    (tmp_path / "l1.yaml").symlink_to("l2.yaml")
    (tmp_path / "l2.yaml").symlink_to("l1.yaml")
    (tmp_path / "ok.yaml").write_text("id: x\n", encoding="utf-8")
    found, problems = discover([tmp_path], (".yaml",), root=tmp_path)
    assert sorted(p.name for p in found) == ["l1.yaml", "l2.yaml", "ok.yaml"] and problems == []
    named, problems = discover([tmp_path / "l1.yaml"], (".yaml",), root=tmp_path)
    assert [p.name for p in named] == ["l1.yaml"] and problems == []


def test_a_loop_outside_the_root_is_refused_like_any_outside_symlink(tmp_path):
    root = tmp_path / "root"
    root.mkdir()
    (tmp_path / "o1.yaml").symlink_to("o2.yaml")
    (tmp_path / "o2.yaml").symlink_to("o1.yaml")
    (root / "link.yaml").symlink_to(tmp_path / "o1.yaml")
    found, problems = discover([root], (".yaml",), root=root)
    assert found == [] and [p.code for p in problems] == ["symlink-outside-root"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_is_found_and_source_lines_never_open_it(tmp_path):
    fifo = tmp_path / "f.yaml"
    os.mkfifo(fifo)
    found, _ = discover([tmp_path], (".yaml",), root=tmp_path)
    assert found == [fifo]
    assert SourceLines().line(str(fifo), 1) is None  # opening it would block forever


def test_a_symlinked_folder_outside_the_root_is_refused_named_or_found(tmp_path):
    root, outside = tmp_path / "root", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (outside / "p.yaml").write_text("id: x\n", encoding="utf-8")
    (root / "out").symlink_to(outside, target_is_directory=True)
    for targets in ([root], [root / "out"]):
        found, problems = discover(targets, (".yaml",), root=root)
        assert found == [] and [(p.code, p.file.rsplit("/", 1)[-1]) for p in problems] == [
            ("symlink-outside-root", "out")]


def test_a_symlinked_folder_inside_the_root_is_walked_once(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "p.yaml").write_text("id: x\n", encoding="utf-8")
    (tmp_path / "alias").symlink_to(tmp_path / "real", target_is_directory=True)
    (tmp_path / "real" / "back").symlink_to(tmp_path, target_is_directory=True)  # a cycle
    found, problems = discover([tmp_path], (".yaml",), root=tmp_path)
    assert [p.name for p in found] == ["p.yaml"] and problems == []


def test_a_folder_tree_deeper_than_the_recursion_limit_is_walked(tmp_path):
    """The one walker keeps a stack, not recursion: 490 levels (`d/d/.../d`) are walked with
    room for 150 more frames than the test itself uses (recursion would need two a level)."""
    deepest = tmp_path.joinpath(*["d"] * 490)
    deepest.mkdir(parents=True)
    (deepest / "ESC-1.yaml").write_text("id: ESC-1\n")
    before = sys.getrecursionlimit()
    sys.setrecursionlimit(_depth() + 150)
    try:
        found, problems = discover([tmp_path], (".yaml",), tmp_path)
    finally:
        sys.setrecursionlimit(before)
    assert found == [deepest / "ESC-1.yaml"] and problems == []


def _depth() -> int:
    frame, depth = sys._getframe(), 0
    while frame is not None:
        frame, depth = frame.f_back, depth + 1
    return depth
