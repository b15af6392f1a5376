"""F2 and F9 of issue 14, and the writers that followed a symlinked folder out of the root:
cetool replaces regular files only, writes `-o -` to standard output, and checks every target
before it writes anything (docs/security.md#writing-files)."""

from __future__ import annotations

import os
import socket
import stat

import pytest

from security_tools import EXAMPLE_EXPORT, REPO, assert_handled, cetool, empty_docs_root

needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="mknod needs root")
WEEKLY = ["metrics", "weekly", EXAMPLE_EXPORT, "--week", "2026-W47", "--docs-root", REPO, "-f", "markdown"]


def _refused(run, *words: str) -> None:
    assert_handled(run, codes=(2,))
    assert "not a regular file" in run.stderr or "is a folder" in run.stderr, run.stderr
    for word in words:
        assert word in run.stderr, run.stderr


@needs_root
def test_force_never_replaces_a_device(tmp_path) -> None:
    null = tmp_path / "null"
    os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    _refused(cetool(*WEEKLY, "-o", null, "--force"), "a device", "-o -")
    assert stat.S_ISCHR(os.lstat(null).st_mode)
    _refused(cetool("packet", "schema", "--output", null, "--force"), "a device")
    assert stat.S_ISCHR(os.lstat(null).st_mode)


def test_force_never_replaces_a_fifo(tmp_path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    _refused(cetool("packet", "schema", "--output", fifo, "--force"), "named pipe (FIFO)")
    _refused(cetool(*WEEKLY, "-o", fifo, "--force"), "named pipe (FIFO)")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_force_never_replaces_a_symlink_to_standard_output(tmp_path) -> None:
    link = tmp_path / "stdout"
    link.symlink_to("/proc/self/fd/1")
    run = cetool(*WEEKLY, "-o", link, "--force")
    _refused(run, "through a symlink")
    assert os.readlink(link) == "/proc/self/fd/1"


def test_force_never_replaces_a_socket_or_a_folder(tmp_path) -> None:
    path = tmp_path / "s"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        _refused(cetool("packet", "schema", "-o", path, "--force"), "a socket")
    finally:
        server.close()
    assert stat.S_ISSOCK(os.lstat(path).st_mode)
    folder = tmp_path / "d"
    folder.mkdir()
    _refused(cetool("packet", "schema", "-o", folder, "--force"))
    assert folder.is_dir()


def test_force_replaces_a_regular_file_and_a_link_to_one(tmp_path) -> None:
    target = tmp_path / "schema.json"
    target.write_text("old")
    assert_handled(cetool("packet", "schema", "-o", target, "--force"), codes=(0,))
    assert target.read_text().startswith("{")
    real = tmp_path / "real.md"
    real.write_text("old")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    assert_handled(cetool(*WEEKLY, "-o", link, "--force"), codes=(0,))
    assert link.read_text().startswith("#")


@pytest.mark.parametrize("args", [["packet", "schema"], WEEKLY], ids=["packet-schema", "metrics-weekly"])
def test_dash_output_is_standard_output(tmp_path, args) -> None:
    run = cetool(*args, "-o", "-", cwd=tmp_path)
    assert_handled(run, codes=(0,))
    assert run.stdout.startswith(("{", "#")) and len(run.stdout) > 500
    assert not (tmp_path / "-").exists()


PACKET_NEW = ["packet", "new", "--category", "confirmed-bug", "--severity", "P2", "--owner", "dana.ortiz"]


def test_packet_new_with_a_dangling_schema_link_writes_nothing(tmp_path) -> None:
    """F9: before, the packet was written and the run then stopped at the schema (exit 2); with
    --force it overwrote the packet and stopped again."""
    root = empty_docs_root(tmp_path)
    (root / "schemas").mkdir()
    (root / "schemas" / "packet.schema.json").symlink_to(root / "nowhere.json")
    for force in ([], ["--force"]):
        run = cetool(*PACKET_NEW, *force, "--matrix", root / "ownership.yaml", cwd=root)
        assert_handled(run, codes=(2,))
        assert "symlink to nothing" in run.stderr and "nothing was written" in run.stderr
        assert list((root / "packets").iterdir()) == []


def test_packet_new_does_not_follow_a_symlinked_folder_out_of_the_root(tmp_path) -> None:
    root = empty_docs_root(tmp_path)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (root / "packets").rmdir()
    (root / "packets").symlink_to(outside)
    run = cetool(*PACKET_NEW, "--matrix", root / "ownership.yaml", cwd=root)
    assert_handled(run, codes=(2,))
    assert "leads outside" in run.stderr
    assert list(outside.iterdir()) == [] and not (root / "schemas").exists()


def test_packet_new_still_writes_where_it_should(tmp_path) -> None:
    root = empty_docs_root(tmp_path)
    run = cetool(*PACKET_NEW, "--matrix", root / "ownership.yaml", cwd=root)
    assert_handled(run, codes=(0,))
    assert len(list((root / "packets").iterdir())) == 1 and (root / "schemas" / "packet.schema.json").is_file()


def test_init_does_not_follow_a_symlinked_folder_out_of_the_root(tmp_path) -> None:
    target, outside = tmp_path / "repo", tmp_path / "elsewhere"
    target.mkdir()
    outside.mkdir()
    (target / ".github").symlink_to(outside)
    run = cetool("init", target)
    assert_handled(run, codes=(2,))
    assert ".github" in run.stderr and "leads outside" in run.stderr
    assert list(outside.iterdir()) == []
    assert [p.name for p in target.iterdir()] == [".github"]  # nothing else written either


def test_init_follows_a_symlinked_folder_inside_the_root(tmp_path) -> None:
    target = tmp_path / "repo"
    (target / "shared-github").mkdir(parents=True)
    (target / ".github").symlink_to("shared-github")
    assert_handled(cetool("init", target), codes=(0,))
    assert any((target / "shared-github").rglob("*"))
