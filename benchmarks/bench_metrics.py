"""Benchmark `cetool metrics weekly` against the CSV-read floor and DuckDB, as whole processes.

    python benchmarks/bench_metrics.py            # 1M and 5M rows
    python benchmarks/bench_metrics.py --rows 1000000 --repeat 3

Generates canonical exports (uniform ISO timestamps with `Z` over one year, about 94 bytes a
row) in a temporary folder, then times, each in a fresh process and interleaved, (1) `cetool metrics weekly
--format json`, (2) the floor: a bare `python -c` reading the file with pyarrow.csv.read_csv,
(3) DuckDB computing the same core figures in SQL. Reports wall time (best of --repeat, default 5) and
peak memory (max RSS of the process). Needs the `bench` extra (duckdb).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PYTHON = sys.executable
CETOOL = [PYTHON, "-m", "cetool"]
START = 1_764_028_800  # 2025-11-25T00:00:00Z
SPAN_S = 364 * 86_400
ROOT_CAUSES = ["webhook-secret-rotation", "saml-redirect-loop", "import-silent-drop", "api-rate-limit-burst",
               "billing-proration-mismatch", "latency-cache-eviction", "csv-export-timeout", "role-sync-drift"]
ACCOUNTS = ["acme", "globex", "initech", "stark", "umbrella", "wayne"]


def generate(path: Path, rows: int, seed: int = 7) -> None:
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    rng = np.random.default_rng(seed)
    chunk = 1_000_000
    writer = None
    for offset in range(0, rows, chunk):
        n = min(chunk, rows - offset)
        created = START + rng.integers(0, SPAN_S, n)
        resolved = created + rng.exponential(40 * 3600, n).astype(np.int64)
        unresolved = rng.random(n) < 0.05
        escalated = created + rng.integers(600, 3 * 86_400, n)
        is_escalated = rng.random(n) < 0.05
        updated = np.where(unresolved, created, resolved) + rng.integers(0, 86_400, n)
        is_prioritized = (rng.random(n) < 0.02)
        priority = rng.choice(np.array(["P1", "P2", "P3", "P4"]), n, p=[0.03, 0.12, 0.5, 0.35])
        root = np.array(ROOT_CAUSES + [""])[rng.choice(9, n, p=[0.05] * 8 + [0.6])]

        def stamp(seconds, nulls):
            ts = pa.array(seconds, pa.timestamp("s", tz="UTC"), mask=nulls)
            return pc.strftime(ts, format="%Y-%m-%dT%H:%M:%SZ")

        table = pa.table({
            "ticket_id": pa.array([f"T-{i:08d}" for i in range(offset + 1, offset + n + 1)]),
            "created_at": stamp(created, None),
            "priority": pa.array(priority),
            "resolved_at": stamp(resolved, unresolved),
            "escalated_at": stamp(escalated, ~is_escalated),
            "prioritized_at": stamp(created + 3600, ~is_prioritized),
            "root_cause": pa.array(root),
            "account": pa.array(np.array(ACCOUNTS)[rng.integers(0, len(ACCOUNTS), n)]),
            "updated_at": stamp(updated, None),
        })
        if writer is None:
            writer = pacsv.CSVWriter(str(path), table.schema,
                                     write_options=pacsv.WriteOptions(quoting_style="none"))
        writer.write_table(table)
    writer.close()


_MEASURE = """
import resource, subprocess, sys, time
t = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
wall = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(wall, peak, done.returncode)
sys.stderr.write(done.stderr.decode()[-2000:])
"""

_FLOOR = "import pyarrow.csv as c, sys; c.read_csv(sys.argv[1])"

_DUCKDB = r"""
import duckdb, json, sys
path, week_start, week_end = sys.argv[1], sys.argv[2], sys.argv[3]
con = duckdb.connect()
con.execute(f'''
CREATE TEMP TABLE t AS SELECT DISTINCT ON (trim(ticket_id)) trim(ticket_id) AS id,
  created_at::TIMESTAMPTZ AS c, resolved_at::TIMESTAMPTZ AS r, escalated_at::TIMESTAMPTZ AS e,
  priority AS p, nullif(trim(root_cause), '') AS rc
FROM read_csv('{path}', all_varchar=true)''')
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
     WHERE p IN ('P1', 'P2') AND r >= ws AND r < we) AS ttr,
  (SELECT count(*) FROM t WHERE p IN ('P1', 'P2') AND c < we AND (r IS NULL OR r >= we)) AS open_end
FROM w ORDER BY ws''').fetchall()
print(json.dumps([list(map(str, row)) for row in rows]))
"""


def measure(commands: dict[str, list[str]], repeat: int) -> dict[str, tuple[float, float]]:
    """Best wall time and peak RSS (MiB) of each command; the runs are interleaved so that every
    command sees the same machine (other load, page cache) as the others."""
    best: dict[str, tuple[float, float]] = {name: (float("inf"), 0.0) for name in commands}
    for _ in range(repeat):
        for name, command in commands.items():
            out = subprocess.run([PYTHON, "-c", _MEASURE, *command], capture_output=True, text=True, check=True)
            wall, peak, code = out.stdout.split()
            if code != "0":
                raise SystemExit(f"{name} failed ({code}): {out.stderr}")
            old_wall, old_peak = best[name]
            best[name] = (min(old_wall, float(wall)), max(old_peak, int(peak) / 1024))
    return best


def run(rows: int, repeat: int, folder: Path) -> dict:
    path = folder / f"tickets_{rows}.csv"
    started = time.perf_counter()
    generate(path, rows)
    size = path.stat().st_size
    print(f"{rows:>9,} rows: {size / rows:.1f} bytes/row, generated in {time.perf_counter() - started:.1f} s",
          file=sys.stderr)
    cetool = [*CETOOL, "metrics", "weekly", str(path), "--week", "2026-W47", "--format", "json",
              "--docs-root", str(folder)]
    results = {"rows": rows, "bytes_per_row": round(size / rows, 1), **measure({
        "cetool": cetool,
        "floor": [PYTHON, "-c", _FLOOR, str(path)],
        "duckdb": [PYTHON, "-c", _DUCKDB, str(path), "2026-09-28 00:00:00+00", "2026-11-23 00:00:00+00"],
    }, repeat)}
    path.unlink()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, action="append", help="rows per export (repeatable)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement; the best wall time counts")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cetool-bench-") as tmp:
        (Path(tmp) / "packets").mkdir()
        table = [run(rows, args.repeat, Path(tmp)) for rows in (args.rows or [1_000_000, 5_000_000])]
    print(f"{'rows':>10} {'cetool s':>9} {'floor s':>8} {'ratio':>6} {'duckdb s':>9} {'cetool MiB':>11} "
          f"{'floor MiB':>10} {'duckdb MiB':>11}")
    for r in table:
        (cw, cm), (fw, fm), (dw, dm) = r["cetool"], r["floor"], r["duckdb"]
        print(f"{r['rows']:>10,} {cw:>9.2f} {fw:>8.2f} {cw / fw:>6.2f} {dw:>9.2f} {cm:>11.0f} {fm:>10.0f} {dm:>11.0f}")
    print(json.dumps(table))


if __name__ == "__main__":
    main()
