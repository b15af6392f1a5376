"""Whatever bytes sit in packets/, `packet validate` answers with problems, never a traceback."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cetool.cli.app import app
from packet_builders import REPO, dump, packet_data

YAMLISH = st.lists(
    st.sampled_from(["id:", " ESC-1", "\n", "  ", "- ", "[", "]", "{", "}", ": ", "&a ", "*a", "!!int ", "<<: ",
                     "---", "#", "'", '"', "\t", "context:", "\n  steps:", "\n  - x", "\xe9", "\x00", "\r\n"]),
    max_size=40,
).map(lambda parts: "".join(parts).encode("utf-8", "surrogatepass"))

GARBAGE = st.one_of(st.binary(max_size=400), YAMLISH)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=GARBAGE)
def test_garbage_is_problems_not_tracebacks(raw):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        shutil.copy(REPO / "ownership.yaml", root / "ownership.yaml")
        (root / "packets").mkdir()
        (root / "packets" / "g.yaml").write_bytes(raw)
        (root / "packets" / "ESC-2026-0001.yaml").write_text(dump(packet_data()))
        result = CliRunner().invoke(app, ["packet", "validate", str(root / "packets"), "--matrix",
                                          str(root / "ownership.yaml"), "--format", "json"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output


def test_garbage_files_through_the_real_process(tmp_path):
    shutil.copy(REPO / "ownership.yaml", tmp_path / "ownership.yaml")
    packets = tmp_path / "packets"
    packets.mkdir()
    samples = [b"\xff\xfe\x00garbage", b"a: &a [*a]\n", b"{{{{", b"- just\n- a list\n", b"\x00\x01\x02",
               b"id: !!python/object/apply:os.system ['echo hi']\n", b"a: b: c\n", b"\t- x\n"]
    for index, raw in enumerate(samples):
        (packets / f"g{index}.yaml").write_bytes(raw)
    proc = subprocess.run([sys.executable, "-m", "cetool", "packet", "validate", "--format", "text"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stdout + proc.stderr
    for index in range(len(samples)):  # every bad file is named in the report
        assert f"packets/g{index}.yaml" in proc.stdout
    assert proc.stdout.splitlines()[-1].startswith(f"✗ ") and f"in {len(samples)} files" in proc.stdout
