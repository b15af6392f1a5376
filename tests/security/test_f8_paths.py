"""F8 of issue 14 (paths): a name longer than the file system takes in any path option, and a
FIFO or device where a file or folder is expected, are exit 2 with words, never exit 3 or
"not found" (docs/security.md#paths)."""

from __future__ import annotations

import os
import stat

import pytest

from security_tools import EXAMPLE_EXPORT, assert_handled, cetool, empty_docs_root

LONG = "a" * 300
WEEKLY = ["metrics", "weekly", EXAMPLE_EXPORT, "--week", "2026-W47"]

# Every command with a path option or argument, the path marked PATH.
PATH_OPTIONS = [
    ["check", "PATH"],
    ["packet", "validate", "PATH"],
    ["packet", "new", "--dir", "PATH", "--category", "confirmed-bug"],
    ["packet", "new", "--matrix", "PATH"],
    ["packet", "schema", "-o", "PATH"],
    ["matrix", "check", "--matrix", "PATH"],
    ["matrix", "show", "--matrix", "PATH"],
    ["matrix", "diff", "PATH", "ownership.yaml"],
    ["matrix", "diff", "ownership.yaml", "PATH"],
    ["route", "confirmed-bug", "--matrix", "PATH"],
    ["kb", "search", "login", "--root", "PATH"],
    ["kb", "stale", "--root", "PATH"],
    ["init", "PATH"],
    ["metrics", "weekly", "PATH"],
    [*WEEKLY, "--mapping", "PATH"],
    [*WEEKLY, "--docs-root", "PATH"],
    [*WEEKLY, "-o", "PATH"],
]


def _with(args: list, path) -> list:
    return [path if arg == "PATH" else arg for arg in args]


@pytest.mark.parametrize("args", PATH_OPTIONS, ids=lambda args: "-".join(map(str, args[:3])))
@pytest.mark.parametrize("where", ["alone", "in-a-folder"])
def test_a_name_over_255_bytes_is_exit_2(tmp_path, args, where) -> None:
    root = empty_docs_root(tmp_path)
    path = LONG if where == "alone" else f"packets/{LONG}/x.yaml"
    run = cetool(*_with(args, path), cwd=root)
    assert_handled(run, codes=(2,))
    assert "too long" in run.stderr, run.stderr


def test_a_name_over_255_bytes_with_json_is_json(tmp_path) -> None:
    import json

    root = empty_docs_root(tmp_path)
    run = cetool("matrix", "check", "--matrix", LONG, "--format", "json", cwd=root)
    assert_handled(run, codes=(2,))
    assert "too long" in json.loads(run.stdout)["error"]


def _special_files(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    yield fifo, "named pipe (FIFO)"
    if os.geteuid() == 0:
        device = tmp_path / "null"
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        yield device, "a device"


# The options that take a file or a folder to read; an export may be a pipe on purpose
# (`<(gunzip -c x.gz)`), so it is not here.
READ_OPTIONS = [args for args in PATH_OPTIONS if args[:2] not in (["packet", "schema"], ["init", "PATH"])
                and args[-2:] != ["-o", "PATH"] and args != ["metrics", "weekly", "PATH"]
                and args[:2] != ["packet", "validate"]]


@pytest.mark.parametrize("args", READ_OPTIONS, ids=lambda args: "-".join(map(str, args[:3])))
def test_a_fifo_or_device_is_named_as_what_it_is(tmp_path, args) -> None:
    root = empty_docs_root(tmp_path)
    for special, words in _special_files(tmp_path):
        run = cetool(*_with(args, special), cwd=root)
        assert_handled(run, codes=(2,))
        assert words in run.stderr and "not found" not in run.stderr and "no such" not in run.stderr, run.stderr


def test_packet_validate_reports_a_fifo_as_a_problem_at_it(tmp_path) -> None:
    root = empty_docs_root(tmp_path)
    os.mkfifo(root / "packets" / "p.yaml")
    run = cetool("packet", "validate", cwd=root)
    assert_handled(run, codes=(1,))
    assert "named pipe (FIFO)" in run.stdout
