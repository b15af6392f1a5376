"""The process as users run it: usage errors exit 2, as JSON when JSON was asked for; no traceback."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def _run(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cetool", *args], capture_output=True, text=True, cwd=cwd)


@pytest.mark.parametrize(
    "args",
    [
        ("check", "--format", "json", "--bogus"),
        ("route", "--format", "json"),
        ("kb", "search", "x", "-n", "0", "--format=json"),
        ("packet", "validate", "-f", "json", "--strict=maybe"),
    ],
)
def test_usage_errors_print_json_when_json_was_asked_for(args):
    result = _run(*args)
    assert result.returncode == 2
    assert set(json.loads(result.stdout)) == {"error"}
    assert "Traceback" not in result.stderr


def test_usage_errors_in_text_show_usage_and_exit_2():
    result = _run("check", "--bogus")
    assert result.returncode == 2
    assert "No such option: --bogus" in result.stderr
    assert result.stdout == ""


def test_exit_codes_of_a_successful_and_a_failing_command(repo_root):
    assert _run("route", "confirmed-bug", cwd=repo_root).returncode == 0
    assert _run("route", "no-such-category", cwd=repo_root).returncode == 1


def test_version():
    result = _run("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("cetool ")


@pytest.mark.parametrize("args", [("route", "confirmed-bug"), ("packet", "validate")])
def test_matrix_option_naming_a_folder(args, repo_root):
    result = _run(*args, "--matrix", "packets", cwd=repo_root)
    assert result.returncode == 2
    assert "packets is a folder; name the ownership.yaml file" in result.stderr


def _boom(*args, **kwargs):
    raise RuntimeError("boom\nsecond line \x1b[2J")


@pytest.mark.parametrize("debug", [False, True], ids=["plain", "debug"])
def test_an_internal_error_exits_3_with_the_traceback_only_with_debug(monkeypatch, capsys, repo_root, debug):
    """Spec section 6, in-process through `main` (the console script) with a core function that
    breaks: exit 3 either way; one line without --debug, the traceback with it."""
    from cetool.cli import app

    monkeypatch.chdir(repo_root)
    monkeypatch.setattr("cetool.packets.validate.validate_packets", _boom)
    monkeypatch.setattr(app, "_debug", False)
    monkeypatch.setattr(sys, "argv", ["cetool", *(["--debug"] if debug else []), "packet", "validate"])
    with pytest.raises(SystemExit) as stopped:
        app.main()
    assert stopped.value.code == 3
    out, err = capsys.readouterr()
    assert out == ""
    if debug:
        assert "Traceback (most recent call last)" in err and "RuntimeError: boom" in err
    else:
        assert "Traceback" not in err and "\x1b" not in err
        assert err.count("\n") == 1 and err.startswith("cetool: internal error: RuntimeError: boom")
        assert err.endswith("(run with --debug for the traceback)\n")
