"""Write the sample ticket export `examples/tickets.csv` (canonical format, spec section 4).

Deterministic: a fixed seed and the standard library only, so the committed file can be rebuilt
byte for byte (a test does exactly that). 26 weeks of tickets ending Sunday 2026-11-22, so
`cetool metrics weekly examples/tickets.csv` run on Monday 2026-11-23 reports 2026-W47.

The story the data tells, so the report has something to say:
- webhook-secret-rotation bursts in July/August, then falls once its known issue is published;
- billing-proration-mismatch spikes in the first week of every month (the billing run);
- import-silent-drop and latency-cache-eviction have one burst each;
- csv-export-timeout and role-sync-drift (no known issue, no runbook) climb in the last weeks,
  so the drivers table ends with "no prevention action" at the top;
- P1/P2 resolution slowly gets faster; packet compliance rises once packets are shipped.
A few duplicate ticket ids (collapsed by `updated_at`) and bad rows keep the run facts honest.

    python scripts/make_sample_export.py --force          # rebuild examples/tickets.csv
    python scripts/make_sample_export.py /tmp/tickets.csv  # elsewhere (refuses an existing file)
    python scripts/make_sample_export.py --help
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import os
import random
import sys
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

SEED = 20261123
FIRST_MONDAY = datetime(2026, 5, 25, tzinfo=timezone.utc)
WEEKS = 26
AS_OF = datetime(2026, 11, 23, 6, 0, tzinfo=timezone.utc)  # when the export was pulled
TICKETS_PER_WEEK = 400

COLUMNS = [
    "ticket_id", "created_at", "priority", "resolved_at", "escalated_at", "prioritized_at",
    "root_cause", "account", "updated_at", "first_response_at", "reopen_count", "packet_id",
    "status", "team", "investigation_started_at", "diagnosed_at", "responded_at", "closed_at",
]
DAY_WEIGHT = [1.2, 1.15, 1.1, 1.05, 0.95, 0.3, 0.25]  # Monday .. Sunday
HOUR_WEIGHT = [1, 1, 1, 1, 2, 3, 5, 8, 10, 11, 11, 10, 9, 10, 11, 10, 9, 7, 5, 4, 3, 2, 2, 1]
PRIORITIES = [("P1", 0.03), ("P2", 0.12), ("P3", 0.47), ("P4", 0.38)]
# The packets shipped in this repo (packets/*.yaml) by the root cause they document; recent
# escalations with that root cause cite them. Other escalations cite packets that live elsewhere
# (or none), which is what packet compliance is there to show.
SHIPPED_PACKETS = {"webhook-secret-rotation": "ESC-2026-0142", "saml-redirect-loop": "ESC-2026-0147",
                   "import-silent-drop": "ESC-2026-0151"}
ACCOUNT_WORDS = (
    "acme globex initech umbrella stark wayne hooli vandelay soylent tyrell cyberdyne wonka "
    "gringotts oscorp dunder pied monarch aperture nakatomi virtucon"
).split()
ACCOUNT_SUFFIXES = ["corp", "labs", "health", "retail", "bank", "logistics"]


def root_cause_weights(week: int, day_of_month: int) -> dict[str, float]:
    """Tickets per week with each root cause, shaped by the story above (week 0 = 2026-W22)."""

    def burst(center: float, width: float, height: float) -> float:
        return height * math.exp(-((week - center) / width) ** 2)

    return {
        "webhook-secret-rotation": 6 + burst(10, 2.5, 22) - (3 if week > 14 else 0),
        "saml-redirect-loop": 5.0,
        "import-silent-drop": 3 + burst(16, 1.5, 14),
        "api-rate-limit-burst": 8 + burst(5, 2, 6),
        "billing-proration-mismatch": 2 + (14 if day_of_month <= 5 else 0),
        "latency-cache-eviction": 2 + burst(20, 1.2, 12),
        "csv-export-timeout": 1 + max(0, week - 19) * 3.2,
        "role-sync-drift": 1 + max(0, week - 22) * 3.0,
    }


ESCALATION_BY_CAUSE = {"csv-export-timeout": 0.3, "role-sync-drift": 0.25, "latency-cache-eviction": 0.2,
                       "import-silent-drop": 0.15, "webhook-secret-rotation": 0.12}
ESCALATION_BY_PRIORITY = {"P1": 0.3, "P2": 0.12, "P3": 0.025, "P4": 0.01}
TTR_MEDIAN_HOURS = {"P1": 7.0, "P2": 26.0, "P3": 70.0, "P4": 140.0}
FIRST_RESPONSE_MEDIAN_HOURS = {"P1": 0.2, "P2": 0.8, "P3": 3.0, "P4": 6.0}


def stamp(moment: datetime | None) -> str:
    return "" if moment is None else moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def lognormal_hours(rng: random.Random, median: float, spread: float = 0.8) -> timedelta:
    return timedelta(hours=median * math.exp(rng.gauss(0, spread)))


def pick(rng: random.Random, weighted: list[tuple[str, float]]) -> str:
    names, weights = zip(*weighted)
    return rng.choices(names, weights=weights)[0]


def until_as_of(moment: datetime | None) -> datetime | None:
    """What the export could know: nothing after it was pulled."""
    return moment if moment is not None and moment <= AS_OF else None


def make_ticket(rng: random.Random, number: int, created: datetime, week: int, accounts: list[str]) -> dict:
    priority = pick(rng, PRIORITIES)
    weights = root_cause_weights(week, created.day)
    tagged_share = sum(weights.values()) / TICKETS_PER_WEEK
    cause = pick(rng, list(weights.items())) if rng.random() < tagged_share else ""
    speedup = 1.25 - 0.4 * week / WEEKS  # P1/P2 resolution gets faster over the half year
    start = created
    prioritized = None
    if priority in ("P1", "P2") and rng.random() < 0.3:  # upgraded after intake
        prioritized = created + lognormal_hours(rng, 3)
        start = prioritized
    escalation_chance = ESCALATION_BY_PRIORITY[priority] + ESCALATION_BY_CAUSE.get(cause, 0)
    escalated = None
    if rng.random() < escalation_chance:
        escalated = start + lognormal_hours(rng, 2 if priority == "P1" else 12)
    ttr = lognormal_hours(rng, TTR_MEDIAN_HOURS[priority] * (speedup if priority in ("P1", "P2") else 1))
    if escalated is not None:
        ttr *= 2.2
    resolved = start + ttr
    if escalated is not None and resolved <= escalated:
        resolved = escalated + lognormal_hours(rng, 6)
    team = "support"
    if escalated is not None:
        team = "product-engineering"
    elif cause or priority in ("P1", "P2") or rng.random() < 0.2:
        team = "customer-engineering"
    elif rng.random() < 0.05:
        team = "tam"
    phases = [None] * 4
    if team in ("customer-engineering", "product-engineering"):
        inv = created + lognormal_hours(rng, 0.6 if priority in ("P1", "P2") else 4)
        diag = inv + lognormal_hours(rng, 5 if priority in ("P1", "P2") else 18)
        resp = diag + lognormal_hours(rng, 1.2)
        resolved = max(resolved, resp + timedelta(minutes=rng.randint(5, 240)))
        phases = [inv, diag, resp, None]
    resolved = until_as_of(resolved)
    closed = until_as_of(resolved + lognormal_hours(rng, 30, 0.6)) if resolved else None
    phases = [until_as_of(p) for p in phases[:3]] + [closed]
    first_response = until_as_of(created + lognormal_hours(rng, FIRST_RESPONSE_MEDIAN_HOURS[priority], 1.0))
    if rng.random() < 0.01:
        first_response = None  # answered by phone, never logged
    reopen = 0
    if resolved is not None:
        roll = rng.random()
        reopen = 2 if roll < 0.012 else 1 if roll < 0.06 else 0
    packet = ""
    escalated = until_as_of(escalated)
    if escalated is not None:
        recent = week >= WEEKS - 5
        if recent and cause in SHIPPED_PACKETS:
            packet = SHIPPED_PACKETS[cause]
        elif rng.random() < (0.6 if recent else 0.5):
            packet = f"ESC-2026-{rng.randint(1, 141) if not recent else rng.randint(152, 199):04d}"
    status = "closed" if closed else "solved" if resolved else rng.choice(["open", "open", "pending"])
    last = max(t for t in [created, prioritized, escalated, resolved, first_response, closed, *phases] if t)
    return {
        "ticket_id": f"T-{number:06d}", "created_at": stamp(created), "priority": priority,
        "resolved_at": stamp(resolved), "escalated_at": stamp(escalated),
        "prioritized_at": stamp(until_as_of(prioritized)), "root_cause": cause, "account": rng.choice(accounts),
        "updated_at": stamp(min(AS_OF, last + timedelta(minutes=rng.randint(1, 90)))),
        "first_response_at": stamp(first_response), "reopen_count": str(reopen), "packet_id": packet,
        "status": status, "team": team, "investigation_started_at": stamp(phases[0]),
        "diagnosed_at": stamp(phases[1]), "responded_at": stamp(phases[2]), "closed_at": stamp(closed),
    }


def creation_times(rng: random.Random) -> list[tuple[int, datetime]]:
    times = []
    for day in range(WEEKS * 7):
        date = FIRST_MONDAY + timedelta(days=day)
        expected = TICKETS_PER_WEEK * DAY_WEIGHT[day % 7] / sum(DAY_WEIGHT) * (0.95 + 0.1 * day / (WEEKS * 7))
        count = max(0, round(rng.gauss(expected, math.sqrt(expected))))
        for _ in range(count):
            hour = rng.choices(range(24), weights=HOUR_WEIGHT)[0]
            times.append((day // 7, date + timedelta(hours=hour, seconds=rng.randint(0, 3599))))
    return sorted(times, key=lambda item: item[1])


def add_noise(rng: random.Random, rows: list[dict]) -> None:
    """Duplicates (an older copy of a ticket, sometimes after the newer one) and bad rows."""
    for row in rng.sample(rows, 12):
        older = dict(row, status="open", resolved_at="", closed_at="")
        older["updated_at"] = row["created_at"]
        rows.insert(rows.index(row) + rng.choice([-1, 1]) * rng.randint(1, 30), older)
    unparseable = ["31/02/2026 10:00", "2026-13-02T09:00:00Z", "yesterday", "", "2026-11-31T10:00:00Z"]
    for row, value in zip(rng.sample(rows, 5), unparseable):
        row["created_at"] = value
    simple = [r for r in rows if r["resolved_at"] and not r["escalated_at"] and not r["prioritized_at"]]
    for row in rng.sample(simple, 4):
        created = datetime.strptime(row["created_at"], "%Y-%m-%dT%H:%M:%SZ")
        row["resolved_at"] = stamp((created - timedelta(hours=rng.randint(1, 48))).replace(tzinfo=timezone.utc))


def build_rows(seed: int = SEED) -> list[dict]:
    rng = random.Random(seed)
    accounts = [f"{w}-{rng.choice(ACCOUNT_SUFFIXES)}" for w in ACCOUNT_WORDS for _ in range(3)]
    accounts = sorted(set(accounts))
    rows = [make_ticket(rng, n + 1, created, week, accounts) for n, (week, created) in enumerate(creation_times(rng))]
    add_noise(rng, rows)
    return rows


DEFAULT_OUTPUT = Path(__file__).resolve().parent.parent / "examples" / "tickets.csv"


def export_text(seed: int = SEED) -> tuple[str, int]:
    rows = build_rows(seed)
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue(), len(rows)


def write_export(path: Path, seed: int = SEED, *, force: bool = True) -> int:
    """Write the export to `path` atomically (a reader never sees half a file). Without `force`
    an existing file is left alone: FileExistsError."""
    text, count = export_text(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        if force:
            os.replace(tmp, path)
        else:
            os.link(tmp, path)  # fails if anything is at `path`, even one that appeared meanwhile
    finally:
        if os.path.lexists(tmp):
            os.unlink(tmp)
    return count


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="make_sample_export.py",
        description="Write the deterministic sample ticket export (canonical columns, 26 weeks "
                    "ending 2026-11-22) that docs and tests use.")
    parser.add_argument("output", nargs="?", type=Path, default=DEFAULT_OUTPUT, metavar="OUTPUT",
                        help=f"where to write the CSV (default: {DEFAULT_OUTPUT.relative_to(DEFAULT_OUTPUT.parents[1])})")
    parser.add_argument("--seed", type=int, default=SEED, help=f"random seed (default: {SEED}, the committed file)")
    parser.add_argument("--force", action="store_true", help="overwrite OUTPUT if it exists")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    if args.output.is_dir():
        print(f"make_sample_export.py: error: {args.output} is a folder; name the CSV file", file=sys.stderr)
        return 2
    try:
        count = write_export(args.output, args.seed, force=args.force)
    except FileExistsError:
        print(f"make_sample_export.py: error: {args.output} exists; nothing was written "
              "(use --force to overwrite it)", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"make_sample_export.py: error: cannot write {args.output}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    print(f"wrote {count} rows to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
