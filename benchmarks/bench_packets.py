"""Benchmark: `cetool packet validate` over 10,000 packets, next to check-jsonschema on the same files.

Generates N packets (about 40 lines each, a few with problems so both tools have work to report)
in a temporary docs root with the project's ownership.yaml, in two corpora:

- `plain`: no known_issues/ folder, so no packet is matched against known issues;
- `known-issue`: the project's known_issues/ and runbooks/ beside the packets, and every packet
  strongly matches KI-0001 without referencing it, so each gets the "looks like" info (the shape
  where every matched packet used to be parsed twice).

Each tool runs as a whole process, the two alternating (cetool, check-jsonschema, cetool, ...)
`--repeat` times per corpus; the medians and their ratio, measured in the same run, are printed
with the peak memory (from /usr/bin/time -v when present, else the children's resource usage).
check-jsonschema checks the schema only; cetool also checks routing, ids, placeholders,
positions and the known-issue match. Usage:

    python benchmarks/bench_packets.py [--count 10000] [--repeat 3] [--corpus plain|known-issue|both] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

PACKET = """\
# yaml-language-server: $schema=../schemas/packet.schema.json
id: ESC-2026-{n:05d}
title: Webhook deliveries fail with 401 after signing-secret rotation ({n})
severity: {severity}
category: {category}
from_team: customer-engineering
route_to: product-engineering
owner: engineer.{owner}
created: 2026-11-{day:02d}
matrix_version: "2026.4"
context:
  customer: Customer {n}
  account_criticality: {criticality}
  experience: Every webhook delivery to the order-sync endpoint is rejected with 401
  business_impact: About {n} orders a day do not reach fulfilment
  tickets: [ZD-{n}, ZD-{m}]
reproduction:
  environment: production, eu-west-1, API v2
  configuration: One endpoint, HMAC-SHA256 signatures, 24 h grace period
  reproducible: always
  steps:
    - Rotate the webhook signing secret in Settings > Webhooks
    - Trigger any event (create a test order)
    - Inspect the delivery in the endpoint's delivery log
  expected: Deliveries are signed with the new secret and accepted
  actual: Deliveries are still signed with the old secret and rejected with 401
  evidence:
    - req_{n:08x}
    - https://logs.example.internal/webhooks?n={n}
tried:
  - action: Re-saved the endpoint and sent a test delivery
    result: Still 401
  - action: Rotated again with the grace period set to 0
    result: Deliveries accepted
ruled_out:
  - Customer clock skew
proposed_path:
  hypothesis: The delivery worker caches the signing secret until the grace period ends
  resolution_requires: A fix in the webhook signer and a backfill of failed deliveries
"""


def generate(folder: Path, count: int, *, known_issues: bool = False) -> list[Path]:
    folder.mkdir(parents=True)
    shutil.copy(REPO / "ownership.yaml", folder / "ownership.yaml")
    if known_issues:  # the packets above are KI-0001's symptoms, and name no known_issue
        shutil.copytree(REPO / "known_issues", folder / "known_issues")
        shutil.copytree(REPO / "runbooks", folder / "runbooks")
    packets = folder / "packets"
    packets.mkdir()
    paths = []
    for n in range(count):
        text = PACKET.format(
            n=n, m=n + 7, severity=("P1", "P2", "P3", "P4")[n % 4], owner=n % 37, day=1 + n % 28,
            criticality=("low", "medium", "high", "strategic")[n % 4],
            # every 50th packet is routed to a category product engineering does not own
            category="deep-debugging" if n % 50 == 0 else "confirmed-bug",
        )
        if n % 97 == 0:
            text = text.replace("  customer: Customer", "  customer: TBD  #")
        path = packets / f"ESC-2026-{n:05d}.yaml"
        path.write_text(text)
        paths.append(path)
    return paths


def measure(command: list[str], cwd: Path) -> dict:
    """Run once; wall time from here, peak RSS from /usr/bin/time -v (or getrusage of children)."""
    use_time = Path("/usr/bin/time").exists()
    full = ["/usr/bin/time", "-v", *command] if use_time else command
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    proc = subprocess.run(full, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    peak_kib = None
    if use_time:
        match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
        peak_kib = int(match.group(1)) if match else None
    if peak_kib is None:
        after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        peak_kib = after if after > before else None  # ru_maxrss of children is a running maximum
    return {"wall": wall, "peak_mib": peak_kib / 1024 if peak_kib else None, "exit": proc.returncode,
            "stdout_bytes": len(proc.stdout)}


def _median(rows: list[dict], key: str) -> float | None:
    values = [row[key] for row in rows if row[key] is not None]
    return statistics.median(values) if values else None


def run_corpus(name: str, folder: Path, count: int, repeat: int, with_checker: bool) -> None:
    paths = generate(folder, count, known_issues=name == "known-issue")
    lines = sum(p.read_text().count("\n") for p in paths[:100]) / min(100, len(paths))
    print(f"\n## corpus {name}: {len(paths):,} packets, about {lines:.0f} lines each, in {folder}")
    cetool = [str(BIN / "cetool"), "packet", "validate", "packets", "--matrix", "ownership.yaml",
              "--format", "json"]
    checker = [str(BIN / "check-jsonschema"), "--schemafile", str(REPO / "schemas" / "packet.schema.json"),
               *[os.path.relpath(p, folder) for p in paths]]
    tools = {"cetool packet validate --format json": cetool}
    if with_checker:
        tools["check-jsonschema --schemafile packet.schema.json"] = checker
    runs: dict[str, list[dict]] = {tool: [] for tool in tools}
    for _ in range(repeat):  # alternating, so a busy moment of the machine hits both tools
        for tool, command in tools.items():
            runs[tool].append(measure(command, folder))
    infos = None
    if name == "known-issue":
        out = subprocess.run(cetool, cwd=folder, capture_output=True, text=True).stdout
        infos = out.count('"looks-like-known-issue"')
    print(f"{'command':<52} {'median s':>9} {'runs s':>22} {'peak MiB':>9} {'exit':>5}")
    for tool, rows in runs.items():
        peak = _median(rows, "peak_mib")
        walls = ", ".join(f"{row['wall']:.2f}" for row in rows)
        print(f"{tool:<52} {_median(rows, 'wall'):>9.2f} {walls:>22} "
              f"{f'{peak:.0f}' if peak else '?':>9} {rows[-1]['exit']:>5}")
    if infos is not None:
        print(f"packets reported as looking like a known issue: {infos:,} of {len(paths):,}")
    if with_checker:
        cetool_wall, checker_wall = (_median(rows, "wall") for rows in runs.values())
        print(f"cetool is {checker_wall / cetool_wall:.1f}x faster than check-jsonschema on this corpus "
              "(medians of the same run; cetool also checks routing, ids, placeholders, positions"
              + (" and the known-issue match)" if name == "known-issue" else ")"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each tool per corpus (alternating)")
    parser.add_argument("--corpus", choices=("plain", "known-issue", "both"), default="both")
    parser.add_argument("--keep", type=Path, help="generate into this (new) folder and keep it")
    parser.add_argument("--skip-check-jsonschema", action="store_true")
    args = parser.parse_args()

    base = args.keep or Path(tempfile.mkdtemp(prefix="cetool-bench-"))
    base.mkdir(parents=True, exist_ok=True)
    corpora = ("plain", "known-issue") if args.corpus == "both" else (args.corpus,)
    try:
        for name in corpora:
            run_corpus(name, base / name, args.count, args.repeat, not args.skip_check_jsonschema)
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
