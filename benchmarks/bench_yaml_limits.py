"""Benchmark: hostile YAML fails fast (spec section 0: "well under a second").

Writes each file below into a temporary docs root and runs `cetool packet validate FILE --matrix
ownership.yaml --format json` on it as a whole process, next to a normal packet (the floor: the
process start). Prints wall time, exit code and the problem code. Usage:

    python benchmarks/bench_yaml_limits.py [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def list_bomb() -> str:
    """1 KB: 18 levels, each two aliases of the one before, nested 20 brackets deep (QA)."""
    text = "a0: &a0 [x]\n"
    for i in range(1, 19):
        text += f"a{i}: &a{i} " + "[" * 20 + f"*a{i - 1}, *a{i - 1}" + "]" * 20 + "\n"
    return text


def mapping_bomb() -> str:
    text = "a0: &a0 {p: x}\n"
    for i in range(1, 40):
        text += f"a{i}: &a{i} {{p: *a{i - 1}, q: *a{i - 1}}}\n"
    return text


FILES = {
    "normal packet": lambda: sorted((REPO / "packets").glob("*.yaml"))[0].read_text(encoding="utf-8"),
    "list alias bomb (1 KB)": list_bomb,
    "mapping alias bomb (1 KB)": mapping_bomb,
    "flat list, 400,000 items (800 KB)": lambda: "a: [" + ",".join(["x"] * 400_000) + "]\n",
    "800 levels of brackets (2 KB)": lambda: "a: " + "[" * 800 + "]" * 800 + "\n",
    "aliases 800 levels deep (2 KB)": lambda: "a0: &a0 [x]\n" + "".join(
        f"a{i}: &a{i} " + "[" * 20 + f"*a{i - 1}" + "]" * 20 + "\n" for i in range(1, 41)),
}


def run_once(folder: Path, path: Path) -> tuple[float, int, str]:
    command = [str(BIN / "cetool"), "packet", "validate", str(path), "--matrix", "ownership.yaml", "--format", "json"]
    start = time.perf_counter()
    proc = subprocess.run(command, cwd=folder, capture_output=True, text=True)
    wall = time.perf_counter() - start
    problems = json.loads(proc.stdout)["problems"]
    return wall, proc.returncode, problems[0]["code"] if problems else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per file; the best is shown")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="cetool-bench-yaml-"))
    try:
        shutil.copy(REPO / "ownership.yaml", folder / "ownership.yaml")
        print(f"{'file':<36} {'best s':>7} {'exit':>5}  code")
        for index, (name, make) in enumerate(FILES.items()):
            path = folder / f"f{index}.yaml"
            path.write_text(make(), encoding="utf-8")
            results = [run_once(folder, path) for _ in range(args.runs)]
            wall = min(result[0] for result in results)
            print(f"{name:<36} {wall:>7.2f} {results[0][1]:>5}  {results[0][2]}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
