"""F4: standard input is bounded and never left behind (docs/metrics.md#several-files-compressed-files-standard-input).

The first 64 KiB are judged before anything is written to disk, the copy is capped, and the
temporary copy is removed on every way out, SIGTERM and SIGHUP included.
"""

from __future__ import annotations

import gzip
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

HEADER = b"ticket_id,created_at,priority\n"


def _cetool(tmp: Path, *args: str, **kwargs) -> subprocess.Popen:
    env = dict(os.environ, TMPDIR=str(tmp))
    return subprocess.Popen([sys.executable, "-m", "cetool", "metrics", "weekly", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)


def test_a_gzip_bomb_on_stdin_stops_at_the_first_64_kib_and_writes_nothing(tmp_path):
    spool_dir = tmp_path / "tmp"
    spool_dir.mkdir()
    bomb = gzip.compress(b"\0" * (256 * 1024 * 1024), compresslevel=9)  # 256 MiB of zeros in ~250 KB
    started = time.monotonic()
    process = _cetool(spool_dir, "-", stdin=subprocess.PIPE)
    try:
        process.stdin.write(bomb)
        process.stdin.close()
    except BrokenPipeError:
        pass  # cetool stopped reading: what is being tested
    _out, err = process.communicate(timeout=60)
    assert process.returncode == 2 and b"binary content" in err
    assert time.monotonic() - started < 30
    assert list(spool_dir.iterdir()) == []


def test_dev_zero_is_refused_at_once(tmp_path):
    spool_dir = tmp_path / "tmp"
    spool_dir.mkdir()
    process = _cetool(spool_dir, "/dev/zero")
    _out, err = process.communicate(timeout=60)
    assert process.returncode == 2 and b"binary content" in err
    assert list(spool_dir.iterdir()) == []


def test_the_copy_is_capped_and_removed(cli, tmp_path, monkeypatch):
    import tempfile

    from cetool.metrics import inputs

    monkeypatch.setattr(inputs, "SPOOL_LIMIT_BYTES", 200_000)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    rows = b"".join(b"T%d,2026-11-17T10:00:00Z,P3\n" % n for n in range(20_000))  # ~560 KB
    result = cli("metrics", "weekly", "-", input=HEADER + rows)
    assert result.exit_code == 2 and "more than" in result.output
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["SIGTERM", "SIGHUP"])
def test_a_signal_while_reading_stdin_removes_the_copy(tmp_path, name):
    spool_dir = tmp_path / "tmp"
    spool_dir.mkdir()
    process = _cetool(spool_dir, "-", stdin=subprocess.PIPE)
    rows = b"".join(b"T%d,2026-11-17T10:00:00Z,P3\n" % n for n in range(5_000))
    process.stdin.write(HEADER + rows)  # more than 64 KiB: the copy has begun; stdin stays open
    process.stdin.flush()
    deadline = time.monotonic() + 30
    while not list(spool_dir.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert list(spool_dir.iterdir()), "the copy never started"
    process.send_signal(getattr(signal, name))
    _out, _err = process.communicate(timeout=30)
    assert process.returncode == 128 + getattr(signal, name)
    assert list(spool_dir.iterdir()) == []
