from __future__ import annotations

import os
from pathlib import Path

import pytest

from cetool.core.errors import CetoolError
from cetool.core.files import atomic_write, discover, display_path


def test_display_path_is_relative_and_slash_separated(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert display_path(tmp_path / "packets" / "a.yaml") == "packets/a.yaml"
    outside = tmp_path.parent / "elsewhere.yaml"
    assert display_path(outside) == outside.as_posix()


def test_discover_recurses_sorted_and_skips_hidden(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / ".git").mkdir()
    for name in ["b.yaml", "a.yml", "sub/c.yaml", ".git/x.yaml", "notes.txt"]:
        (tmp_path / name).write_text("a: b\n")
    files, problems = discover([tmp_path], (".yaml", ".yml"))
    assert [f.relative_to(tmp_path).as_posix() for f in files] == ["a.yml", "b.yaml", "sub/c.yaml"]
    assert problems == []


def test_discover_missing_named_path_is_a_setup_error(tmp_path):
    with pytest.raises(CetoolError, match="no such file"):
        discover([tmp_path / "nope"], (".yaml",))


def test_symlink_outside_root_is_not_followed(tmp_path):
    root = tmp_path / "root"
    root.mkdir()
    secret = tmp_path / "secret.yaml"
    secret.write_text("a: b\n")
    os.symlink(secret, root / "link.yaml")
    files, problems = discover([root], (".yaml",), root=root)
    assert files == []
    assert [p.code for p in problems] == ["symlink-outside-root"]


def test_atomic_write_refuses_to_overwrite_without_force(tmp_path):
    target = tmp_path / "out.txt"
    atomic_write(target, "one")
    with pytest.raises(CetoolError, match="--force"):
        atomic_write(target, "two")
    assert target.read_text() == "one"
    atomic_write(target, "three", force=True)
    assert target.read_text() == "three"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_atomic_write_never_replaces_a_dangling_symlink_without_force(tmp_path):
    target = tmp_path / "out.txt"
    target.symlink_to(tmp_path / "missing.txt")
    with pytest.raises(CetoolError, match="a symlink to nothing.*--force"):
        atomic_write(target, "x")
    assert target.is_symlink() and not (tmp_path / "missing.txt").exists()
    atomic_write(target, "y", force=True)
    assert not target.is_symlink() and target.read_text() == "y"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_atomic_write_refuses_a_file_that_appears_while_it_writes(tmp_path, monkeypatch):
    import cetool.core.files as files

    target = tmp_path / "out.txt"
    real_fdopen = files.os.fdopen

    def racing_fdopen(*args, **kwargs):  # another process takes the name after the check
        target.write_text("theirs")
        return real_fdopen(*args, **kwargs)

    monkeypatch.setattr(files.os, "fdopen", racing_fdopen)
    with pytest.raises(CetoolError, match="exists; use --force"):
        atomic_write(target, "ours")
    assert target.read_text() == "theirs"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_atomic_write_honours_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        target = tmp_path / "report.html"
        atomic_write(target, "x")
    finally:
        os.umask(old)
    assert target.stat().st_mode & 0o777 == 0o644


@pytest.mark.parametrize("before,after", [(0o755, 0o644), (0o600, 0o600), (0o4777, 0o644)])
def test_a_replaced_file_can_only_narrow_the_new_files_mode(tmp_path, before, after):
    """Issue 14: nothing of the old mode is added (a device's 0666, an executable or setuid
    bit); a private file stays private."""
    target = tmp_path / "report.md"
    target.write_text("old")
    target.chmod(before)
    old = os.umask(0o022)
    try:
        atomic_write(target, "new", force=True)
    finally:
        os.umask(old)
    assert target.stat().st_mode & 0o7777 == after


@pytest.mark.parametrize("force", [False, True])
def test_atomic_write_to_a_folder_is_a_setup_error(tmp_path, force):
    (tmp_path / "d").mkdir()
    with pytest.raises(CetoolError, match="is a folder"):
        atomic_write(tmp_path / "d", "x", force=force)


def test_atomic_write_under_a_file_is_a_setup_error(tmp_path):
    (tmp_path / "f").write_text("keep")
    with pytest.raises(CetoolError, match="is a file, not a folder"):
        atomic_write(tmp_path / "f" / "x.txt", "x")
    assert (tmp_path / "f").read_text() == "keep"


def test_init_with_a_folder_in_the_way_writes_nothing(tmp_path, cli):
    target = tmp_path / "repo"
    (target / "ownership.yaml").mkdir(parents=True)
    result = cli("init", str(target), "--force")
    assert result.exit_code == 2
    assert "is a folder" in result.output
    assert [p.name for p in target.iterdir()] == ["ownership.yaml"]


@pytest.mark.parametrize("name", ["a.yaml", "packets/../packets/a.yaml", "./x", ".", "..", "../elsewhere/b.yml"])
def test_display_path_is_the_absolute_path_made_relative(tmp_path, monkeypatch, name):
    (tmp_path / "here").mkdir()
    monkeypatch.chdir(tmp_path / "here")
    absolute = os.path.abspath(name)
    expected = "." if absolute == os.getcwd() else os.path.relpath(absolute) if absolute.startswith(os.getcwd() + os.sep) else absolute
    assert display_path(Path(name)) == display_path(absolute) == expected
