"""Benchmark `cetool check` as a whole process on a large generated docs repo.

    python benchmarks/bench_check.py [--packets 5000] [--runbooks 500] [--known-issues 500] [--keep DIR]

Generates a valid docs repo (this repo's ownership.yaml; packets, runbooks and known issues
that reference each other), runs `cetool check --today 2026-11-23` in a subprocess and prints
wall time and peak memory (the child's max RSS). Target: under 10 s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CATEGORIES = ("confirmed-bug", "codebase-investigation", "systemic-rca", "architecture-decision")
RUNBOOK_CATEGORIES = ("integration-issue", "deep-debugging", "customer-environment", "account-configuration")

PACKET = """id: {id}
title: Generated packet {n} about webhook deliveries failing after a rotation
severity: {severity}
category: {category}
from_team: customer-engineering
route_to: product-engineering
owner: engineer.{owner}
created: 2026-11-{day:02d}
matrix_version: "2026.4"
known_issue: {ki}
context:
  customer: Customer {n}
  account_criticality: high
  experience: Deliveries to the customer's endpoint fail with 401 since the rotation on day {day}.
  business_impact: Orders stop syncing; the operations team re-keys about {n} orders a day.
  tickets: [ZD-{n}]
reproduction:
  environment: production, eu-west-1, API v2
  reproducible: always
  steps:
    - Rotate the signing secret in Settings > Webhooks
    - Trigger any event and inspect the delivery log
  expected: Deliveries are accepted
  actual: Deliveries are rejected with 401
  evidence: [req_{n:06d}]
tried:
  - action: Re-saved the endpoint
    result: Still 401
proposed_path:
  hypothesis: The signer caches the old secret.
  resolution_requires: A fix in the webhook signer.
"""

RUNBOOK = """---
id: RB-{n:04d}
title: Generated runbook {n} for webhook delivery failures
category: {category}
owner: customer-engineering
author: author.{n}
last_reviewed: 2026-10-01
engineering_reviewed: 2026-09-01
known_issues: [KI-{n:04d}]
---
# RB-{n:04d}

## Symptoms

Deliveries fail with `401` after a secret rotation for account {n}.

## Detection

```sql
SELECT count() FROM webhook_deliveries WHERE response_status = 401 AND account = {n}
```

Act when more than 10% of deliveries fail over 1 hour.

## Resolution

1. Re-save the endpoint.
2. Replay the failed events.
3. Confirm failures are below 1%.

## Escalation criteria

Escalate with a packet when failures continue for more than 1 hour after the workaround.
"""

KNOWN_ISSUE = """---
id: KI-{n:04d}
title: Generated known issue {n} with deliveries failing after rotation
status: workaround
root_cause: generated-cause-{n:04d}
first_seen: 2026-09-01
last_confirmed: 2026-11-01
runbook: RB-{n:04d}
---
# KI-{n:04d}

## Symptoms

Deliveries fail with `401` right after a rotation ({n}).

## Root cause

The signer caches secrets for generated case {n}.

## Detection

```sql
SELECT count() FROM webhook_deliveries WHERE response_status = 401
```

## Workaround

Re-save the endpoint and replay.

## Escalation criteria

Escalate when 401s continue for more than 1 hour.
"""


def generate(root: Path, packets: int, runbooks: int, known_issues: int) -> None:
    shutil.copy2(REPO / "ownership.yaml", root / "ownership.yaml")
    for folder in ("packets", "runbooks", "known_issues"):
        (root / folder).mkdir()
    for n in range(1, packets + 1):
        packet_id = f"ESC-2026-{n:05d}"
        (root / "packets" / f"{packet_id}.yaml").write_text(PACKET.format(
            id=packet_id, n=n, severity=("P1", "P2", "P3", "P4")[n % 4], category=CATEGORIES[n % 4],
            owner=n % 40, day=1 + n % 22, ki=f"KI-{1 + n % known_issues:04d}"), encoding="utf-8")
    for n in range(1, runbooks + 1):
        (root / "runbooks" / f"RB-{n:04d}.md").write_text(
            RUNBOOK.format(n=n, category=RUNBOOK_CATEGORIES[n % 4]), encoding="utf-8")
    for n in range(1, known_issues + 1):
        (root / "known_issues" / f"KI-{n:04d}.md").write_text(KNOWN_ISSUE.format(n=n), encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--packets", type=int, default=5000)
    parser.add_argument("--runbooks", type=int, default=500)
    parser.add_argument("--known-issues", type=int, default=500)
    parser.add_argument("--keep", type=Path, help="generate into this (new) folder and keep it")
    args = parser.parse_args()
    if args.runbooks != args.known_issues:
        parser.error("runbooks and known issues are generated in pairs: give the same number")

    with tempfile.TemporaryDirectory(prefix="cetool-bench-") as tmp:
        root = args.keep or Path(tmp)
        root.mkdir(parents=True, exist_ok=True)
        generate(root, args.packets, args.runbooks, args.known_issues)
        cetool = Path(sys.executable).parent / "cetool"
        command = [str(cetool) if cetool.exists() else "cetool", "check", str(root), "--today", "2026-11-23"]
        start = time.perf_counter()
        proc = subprocess.run(command, capture_output=True, text=True)
        wall = time.perf_counter() - start
        peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    files = 1 + args.packets + args.runbooks + args.known_issues
    print(proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else proc.stderr.strip())
    print(f"cetool check: {files:,} files, exit {proc.returncode}, wall {wall:.2f} s, "
          f"peak RSS {peak_kib / 1024:.0f} MiB")
    if proc.returncode != 0:
        print(proc.stdout[-2000:], proc.stderr[-2000:], sep="\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
