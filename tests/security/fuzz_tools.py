"""The fuzz suite's machinery (docs/security.md#the-fuzz-suite): the hypothesis profiles, byte
mutations of real documents, and running `cetool` in-process exactly as its entry point does.

Profiles: `fuzz-ci` (the default, a modest count so the whole suite stays under 2 minutes on a
2-core machine) and `fuzz-deep`, chosen with CETOOL_FUZZ=deep; CETOOL_FUZZ_EXAMPLES=N sets the
count of either.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import time
from dataclasses import dataclass

from hypothesis import HealthCheck, settings, strategies as st

from cetool.cli import app as cli_app

_COUNTS = {"ci": 30, "deep": 2000}
PROFILE = os.environ.get("CETOOL_FUZZ", "ci")
EXAMPLES = int(os.environ.get("CETOOL_FUZZ_EXAMPLES", _COUNTS.get(PROFILE, _COUNTS["ci"])))
settings.register_profile(
    f"fuzz-{PROFILE}", max_examples=EXAMPLES, deadline=None, derandomize=PROFILE == "ci",
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                           HealthCheck.data_too_large, HealthCheck.large_base_example])
# CI runs the same examples every time (a failure reproduces); `deep` explores.
fuzz = settings(settings.get_profile(f"fuzz-{PROFILE}"))

# Seconds one input may take, in-process: a guard against hangs and quadratic blow-ups, far
# above what any input takes (speed goals live in benchmarks/).
SECONDS_PER_INPUT = 15

# What hostile documents are made of: YAML structure and tags, markdown, CSV quoting, controls,
# CI commands, bidi overrides, bytes that are not UTF-8, and long runs.
HOSTILE = [
    b"!!python/object/apply:os.system ['id']", b"&a [*a, *a]", b"*a", b"<<: *a", b"{", b"}", b"[", b"]",
    b": ", b"- ", b"? ", b"---\n", b"...\n", b"%YAML 1.1\n", b"'", b'"', b'""', b"\t", b"\x00", b"\r",
    b"\r\n", b"\xef\xbb\xbf", b"\xff\xfe", b"\xc3", b"\x80", b"\xe2\x80\xae", b"\xc2\x85", b"##[error]x",
    b"::stop-commands::t", b"<!--", b"-->", b"`", b"```\n", b"## ", b"# x", b"1e999", b"-0", b"0x1F",
    b"2026-02-30", b"2026-W99", b"null", b"~", b"true", b"NaN", b".inf", b"P1", b"ESC-2026-0142",
    b"KI-0001", b"confirmed-bug", b"\\", b"|", b"<script>", b"%z%z", b"%", b",", b";", b"\n",
    b" " * 300, b"#" * 200, b"-" * 200, b"9" * 40, b"a" * 5000,
]


@st.composite
def mutated(draw, seed: bytes, max_steps: int = 6) -> bytes:
    """`seed` after a few edits: hostile snippets or random bytes inserted, ranges deleted,
    duplicated or overwritten, lines swapped."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, max_steps))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["insert", "insert", "random", "delete", "duplicate", "overwrite", "swap"]))
        if kind == "insert":
            data[at:at] = draw(st.sampled_from(HOSTILE))
        elif kind == "random":
            data[at:at] = draw(st.binary(min_size=1, max_size=12))
        elif kind == "delete":
            del data[at:at + draw(st.integers(1, 200))]
        elif kind == "duplicate":
            piece = data[at:at + draw(st.integers(1, 400))]
            data[at:at] = piece * draw(st.integers(1, 20))
        elif kind == "overwrite":
            piece = draw(st.binary(min_size=1, max_size=8))
            data[at:at + len(piece)] = piece
        else:
            lines = bytes(data).split(b"\n")
            if len(lines) > 2:
                first, second = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
                lines[first], lines[second] = lines[second], lines[first]
                data = bytearray(b"\n".join(lines))
    return bytes(data)


@dataclass
class Outcome:
    code: int
    stdout: str
    stderr: str
    seconds: float


def run_cli(*args: object, stdin: bytes = b"") -> Outcome:
    """`cetool ARGS` through the real entry point (its last line of defence included), in this
    process: exit 3 is what an uncaught exception becomes."""
    out, err = io.StringIO(), io.StringIO()
    argv, stdin_before = sys.argv, sys.stdin
    sys.argv = ["cetool", *(os.fsdecode(a) if isinstance(a, bytes) else str(a) for a in args)]
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    began = time.monotonic()
    code = 0
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            cli_app.main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    finally:
        sys.argv, sys.stdin = argv, stdin_before
    return Outcome(code, out.getvalue(), err.getvalue(), time.monotonic() - began)


def assert_survived(outcome: Outcome, what: str) -> None:
    """No exit 3, no traceback, and within the time bound (docs/security.md#the-fuzz-suite)."""
    assert outcome.code in (0, 1, 2), f"{what}: exit {outcome.code}\n{outcome.stderr[-3000:]}"
    for stream in (outcome.stdout, outcome.stderr):
        assert "Traceback (most recent call last)" not in stream, f"{what}:\n{stream[-3000:]}"
    assert outcome.seconds < SECONDS_PER_INPUT, f"{what}: {outcome.seconds:.1f} s"
