"""Benchmark `cetool metrics weekly` against the CSV-read floor and DuckDB, as whole processes.

    python benchmarks/bench_metrics.py                     # every shape at 1M rows
    python benchmarks/bench_metrics.py --rows 5000000 --shape shuffled --shape event-log --repeat 3

Shapes (`--shape`, repeatable; default all):
- `canonical`: sorted unique ids, one year of uniform ISO timestamps with `Z` (about 94 bytes a row);
- `shuffled`: the shape real exports have: ids in random order with about 0.25% duplicate rows (a
  ticket exported twice, the later `updated_at` wins), created over about 1,100 days;
- `several-files`: the shuffled export split into three files, read as one export;
- `event-log`: a ServiceNow-style event log (`--preset servicenow`): several contiguous rows per
  incident (about 5), `sys_updated_at` increasing, priority labels (`3 - Moderate`), about one
  incident in ten raised to P1/P2 on a later row, dates as `29-02-2016 01:16`, `?` for missing.

Each shape is generated in a temporary folder, then timed, each tool in a fresh process and the
runs interleaved (so every tool sees the same machine): (1) `cetool metrics weekly --format json`,
(2) the floor: a bare `python -c` reading the file(s) with pyarrow.csv.read_csv, (3) DuckDB
computing the same core figures in SQL (skipped without the `bench` extra). Reports the median wall
time and the median CPU time (user+sys, steadier than wall time on a loaded machine) of --repeat
runs, peak memory (max RSS), and cetool's ratio to the floor and to DuckDB of the same run.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PYTHON = sys.executable
CETOOL = [PYTHON, "-m", "cetool"]
DAY = 86_400
END = 1_764_460_800 + 364 * DAY  # 2026-11-30T00:00:00Z: the requested week is 2026-W47
ROOT_CAUSES = ["webhook-secret-rotation", "saml-redirect-loop", "import-silent-drop", "api-rate-limit-burst",
               "billing-proration-mismatch", "latency-cache-eviction", "csv-export-timeout", "role-sync-drift"]
ACCOUNTS = ["acme", "globex", "initech", "stark", "umbrella", "wayne"]
SHAPES = ("canonical", "shuffled", "several-files", "event-log")
DUPLICATE_SHARE = 0.0025


def _stamp(seconds, nulls, form="%Y-%m-%dT%H:%M:%SZ"):
    import pyarrow as pa
    import pyarrow.compute as pc

    return pc.strftime(pa.array(seconds, pa.timestamp("s", tz="UTC"), mask=nulls), format=form)


def _write(paths: list[Path], table) -> None:
    import pyarrow.csv as pacsv

    step = -(-table.num_rows // len(paths))
    for number, path in enumerate(paths):
        pacsv.write_csv(table.slice(number * step, step), str(path),
                        write_options=pacsv.WriteOptions(quoting_style="none"))


def generate_canonical(paths: list[Path], rows: int, *, shuffled: bool, seed: int = 7) -> None:
    """One row per ticket (plus, when shuffled, DUPLICATE_SHARE rows repeating a ticket with a
    later updated_at), canonical columns."""
    import numpy as np
    import pyarrow as pa

    rng = np.random.default_rng(seed)
    span = (1_100 if shuffled else 364) * DAY
    tickets = rows - int(rows * DUPLICATE_SHARE) if shuffled else rows
    created = END - span + rng.integers(0, span, tickets)
    resolved = created + rng.exponential(40 * 3600, tickets).astype(np.int64)
    unresolved = rng.random(tickets) < 0.05
    escalated = created + rng.integers(600, 3 * DAY, tickets)
    is_escalated = rng.random(tickets) < 0.05
    updated = np.where(unresolved, created, resolved) + rng.integers(0, DAY, tickets)
    is_prioritized = rng.random(tickets) < 0.02
    priority = rng.choice(np.array(["P1", "P2", "P3", "P4"]), tickets, p=[0.03, 0.12, 0.5, 0.35])
    root = np.array(ROOT_CAUSES + [""])[rng.choice(9, tickets, p=[0.05] * 8 + [0.6])]
    account = np.array(ACCOUNTS)[rng.integers(0, len(ACCOUNTS), tickets)]
    row_of = np.arange(tickets)
    if shuffled:  # a repeated row is the same ticket exported again, earlier or later
        again = rng.integers(0, tickets, rows - tickets)
        row_of = rng.permutation(np.concatenate([row_of, again]))
    shift = rng.integers(-3600, 3600, len(row_of)) if shuffled else 0
    ids = np.array([f"T-{i:08d}" for i in range(1, tickets + 1)], dtype=object)
    table = pa.table({
        "ticket_id": pa.array(ids[row_of], pa.string()),
        "created_at": _stamp(created[row_of], None),
        "priority": pa.array(priority[row_of]),
        "resolved_at": _stamp(resolved[row_of], unresolved[row_of]),
        "escalated_at": _stamp(escalated[row_of], ~is_escalated[row_of]),
        "prioritized_at": _stamp(created[row_of] + 3600, ~is_prioritized[row_of]),
        "root_cause": pa.array(root[row_of]),
        "account": pa.array(account[row_of]),
        "updated_at": _stamp(updated[row_of] + shift, None),
    })
    _write(paths, table)


def generate_event_log(paths: list[Path], rows: int, seed: int = 7) -> None:
    """A ServiceNow-style event log: about five contiguous rows per incident, in random incident
    order; resolved_at only on the rows after resolution; some incidents raised to P1/P2 later."""
    import numpy as np
    import pyarrow as pa

    rng = np.random.default_rng(seed)
    per = rng.integers(3, 8, rows // 3)
    per = per[:int(np.searchsorted(np.cumsum(per), rows)) + 1]
    per[-1] -= int(per.sum()) - rows
    incidents = len(per)
    span = 1_100 * DAY
    opened = END - span + rng.integers(0, span, incidents)
    resolved = opened + rng.exponential(40 * 3600, incidents).astype(np.int64)
    open_still = rng.random(incidents) < 0.05
    first = rng.choice(np.array([1, 2, 3, 4]), incidents, p=[0.02, 0.08, 0.5, 0.4])
    raised = (first >= 3) & (rng.random(incidents) < 0.1)
    order = rng.permutation(incidents)
    incident = np.repeat(order, per[order])
    step = np.arange(rows) - np.repeat(np.cumsum(per[order]) - per[order], per[order])  # 0.. within an incident
    last = np.repeat(per[order] - 1, per[order])
    life = np.where(open_still, 3 * DAY, resolved - opened)[incident]
    updated = opened[incident] + life * step // np.maximum(last, 1)
    is_resolved = (step == last) & ~open_still[incident]
    level = np.where(raised[incident] & (step * 2 >= last), 2, first[incident])
    labels = np.array(["", "1 - Critical", "2 - High", "3 - Moderate", "4 - Low"])
    root = np.array(["PRB00" + str(n) for n in range(40, 48)] + ["?"])[rng.choice(9, incidents, p=[0.05] * 8 + [0.6])]
    form = "%d-%m-%Y %H:%M"
    numbers = np.array([f"INC{i:07d}" for i in range(1, incidents + 1)], dtype=object)
    table = pa.table({
        "number": pa.array(numbers[incident], pa.string()),
        "incident_state": pa.array(np.where(is_resolved, "Resolved", "Active")),
        "opened_at": _stamp(opened[incident], None, form),
        "priority": pa.array(labels[level]),
        "sys_updated_at": _stamp(updated, None, form),
        "problem_id": pa.array(root[incident]),
        "company": pa.array(np.array(ACCOUNTS)[incident % len(ACCOUNTS)]),
        "resolved_at": pa.compute.fill_null(_stamp(resolved[incident], ~is_resolved, form), "?"),
    })
    _write(paths, table)


_MEASURE = """
import resource, subprocess, sys, time
t = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
wall = time.perf_counter() - t
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, done.returncode)
sys.stderr.write(done.stderr.decode()[-2000:])
"""

_FLOOR = "import pyarrow.csv as c, sys\nfor p in sys.argv[1:]: c.read_csv(p)"

# DuckDB's peer: the last row per trimmed id by updated_at, then the core figures of the 8 weeks
_DUCKDB = r"""
import duckdb, json, sys
week_start, week_end, id_, created, priority, resolved, escalated, root, updated, form, missing, urgent, *paths = sys.argv[1:]
ts = (lambda c: f"{c}::TIMESTAMPTZ") if form == "iso" else (lambda c: f"strptime(nullif({c}, '{missing}'), '{form}')")
con = duckdb.connect()
files = "[" + ", ".join(f"'{p}'" for p in paths) + "]"
esc = ts(escalated) if escalated != "-" else "NULL::TIMESTAMPTZ"
con.execute(f'''
CREATE TEMP TABLE t AS SELECT DISTINCT ON (trim({id_})) trim({id_}) AS id,
  {ts(created)} AS c, {ts(resolved)} AS r, {esc} AS e,
  {priority} AS p, nullif(nullif(trim({root}), ''), '{missing}') AS rc
FROM read_csv({files}, all_varchar=true) ORDER BY trim({id_}), {ts(updated)} DESC''')
rows = con.execute(f'''
WITH w AS (SELECT range AS ws, range + INTERVAL 7 DAY AS we
           FROM range(TIMESTAMPTZ '{week_start}', TIMESTAMPTZ '{week_end}', INTERVAL 7 DAY)),
rep AS (SELECT c, count(*) OVER (PARTITION BY rc ORDER BY c
          RANGE BETWEEN INTERVAL 720 HOUR PRECEDING AND INTERVAL 1 MICROSECOND PRECEDING) > 0 AS is_rep
        FROM t WHERE rc IS NOT NULL AND c >= TIMESTAMPTZ '{week_start}' - INTERVAL 720 HOUR)
SELECT ws::VARCHAR AS ws,
  (SELECT count(*) FROM t WHERE c >= ws AND c < we) AS created,
  (SELECT count(*) FROM t WHERE e >= ws AND e < we) AS escalations,
  (SELECT count(*) FROM rep WHERE is_rep AND c >= ws AND c < we) AS repeats,
  (SELECT quantile_cont(epoch(r - c) / 3600, [0.5, 0.9]) FROM t
     WHERE p IN ({urgent}) AND r >= ws AND r < we) AS ttr,
  (SELECT count(*) FROM t WHERE p IN ({urgent}) AND c < we AND (r IS NULL OR r >= we)) AS open_end
FROM w ORDER BY ws''').fetchall()
print(json.dumps([list(map(str, row)) for row in rows]))
"""

_CANONICAL_SQL = ["ticket_id", "created_at", "priority", "resolved_at", "escalated_at", "root_cause", "updated_at",
                  "iso", "", "'P1', 'P2'"]
_SERVICENOW_SQL = ["number", "opened_at", "priority", "resolved_at", "-", "problem_id", "sys_updated_at",
                   "%d-%m-%Y %H:%M", "?", "'1 - Critical', '2 - High'"]


def measure(commands: dict[str, list[str]], repeat: int) -> dict[str, dict[str, float]]:
    """Median wall and CPU time, and the largest peak RSS (MiB), of each command; the runs are
    interleaved so that every command sees the same machine (other load, page cache) as the
    others."""
    runs: dict[str, list[tuple[float, float, float]]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, command in commands.items():
            out = subprocess.run([PYTHON, "-c", _MEASURE, *command], capture_output=True, text=True, check=True)
            wall, cpu, peak, code = out.stdout.split()
            if code != "0":
                raise SystemExit(f"{name} failed ({code}): {out.stderr}")
            runs[name].append((float(wall), float(cpu), int(peak) / 1024))
    return {name: {"wall": statistics.median(r[0] for r in got), "cpu": statistics.median(r[1] for r in got),
                   "mib": max(r[2] for r in got)} for name, got in runs.items()}


def run(shape: str, rows: int, repeat: int, folder: Path, with_duckdb: bool) -> dict:
    paths = [folder / f"{shape}_{rows}_{n}.csv" for n in range(3 if shape == "several-files" else 1)]
    started = time.perf_counter()
    if shape == "event-log":
        generate_event_log(paths, rows)
    else:
        generate_canonical(paths, rows, shuffled=shape != "canonical")
    size = sum(p.stat().st_size for p in paths)
    print(f"{shape} {rows:,} rows: {size / rows:.1f} bytes/row, generated in {time.perf_counter() - started:.1f} s",
          file=sys.stderr)
    preset = ["--preset", "servicenow"] if shape == "event-log" else []
    commands = {
        "cetool": [*CETOOL, "metrics", "weekly", *map(str, paths), *preset, "--week", "2026-W47",
                   "--format", "json", "--docs-root", str(folder)],
        "floor": [PYTHON, "-c", _FLOOR, *map(str, paths)],
    }
    if with_duckdb:
        columns = _SERVICENOW_SQL if shape == "event-log" else _CANONICAL_SQL
        commands["duckdb"] = [PYTHON, "-c", _DUCKDB, "2026-09-28 00:00:00+00", "2026-11-23 00:00:00+00",
                              *columns, *map(str, paths)]
    results = {"shape": shape, "rows": rows, "bytes_per_row": round(size / rows, 1), **measure(commands, repeat)}
    for path in paths:
        path.unlink()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, action="append", help="rows per export (repeatable; default 1,000,000)")
    parser.add_argument("--shape", choices=SHAPES, action="append", help="export shape (repeatable; default all)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the median time counts")
    parser.add_argument("--no-duckdb", action="store_true", help="leave DuckDB out")
    args = parser.parse_args()
    with_duckdb = not args.no_duckdb and importlib.util.find_spec("duckdb") is not None
    with tempfile.TemporaryDirectory(prefix="cetool-bench-") as tmp:
        (Path(tmp) / "packets").mkdir()
        table = [run(shape, rows, args.repeat, Path(tmp), with_duckdb)
                 for rows in (args.rows or [1_000_000]) for shape in (args.shape or SHAPES)]
    print(f"{'shape':>14} {'rows':>10} {'cetool cpu':>10} {'wall':>6} {'floor cpu':>9} {'wall':>6} "
          f"{'x floor cpu':>11} {'x wall':>6} {'duckdb cpu':>10} {'wall':>6} {'MiB':>5} {'floor':>5} {'duckdb':>6}")
    for r in table:
        c, f, d = r["cetool"], r["floor"], r.get("duckdb", {"cpu": float("nan"), "wall": float("nan"), "mib": 0})
        print(f"{r['shape']:>14} {r['rows']:>10,} {c['cpu']:>10.2f} {c['wall']:>6.2f} {f['cpu']:>9.2f} {f['wall']:>6.2f} "
              f"{c['cpu'] / f['cpu']:>11.2f} {c['wall'] / f['wall']:>6.2f} {d['cpu']:>10.2f} {d['wall']:>6.2f} "
              f"{c['mib']:>5.0f} {f['mib']:>5.0f} {d['mib']:>6.0f}")
    print(json.dumps(table))


if __name__ == "__main__":
    main()
