"""F1 of issue 14: every regular expression in `src/` runs in linear time on hostile text
(docs/security.md#linear-time-parsing). The patterns are found by `pattern_corpus`, not listed
here, so a new pattern is covered the day it is written."""

from __future__ import annotations

import json
import select
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pattern_corpus import MIB, adversarial_strings, exercise, project_patterns

CORPUS = Path(__file__).with_name("pattern_corpus.py")
# CPU seconds one pattern may spend on one 1 MiB string. Linear patterns take 0.01-0.2 s; the
# quadratic ones this replaced took minutes, so the gap leaves no room for doubt.
CPU_LIMIT = 0.5
# Wall-clock seconds without any progress before a case counts as hung (the machine is shared).
STALL_LIMIT = 60
SHARDS = 2


def test_the_finder_sees_the_patterns_it_must() -> None:
    patterns, unresolved = project_patterns()
    assert unresolved == [], f"make these patterns module constants so they are tested: {unresolved}"
    names = set(patterns)
    for expected in ("cetool.yamldoc.frontmatter._HEADING", "cetool.yamldoc.frontmatter._FENCE",
                     "cetool.knowledge.rules._COMPARED_NUMBER", "cetool.core.markdown._SPECIAL",
                     "cetool.core.textsafe._CONTROL"):
        assert expected in names
    assert len(patterns) >= 25


def test_the_corpus_catches_a_quadratic_pattern() -> None:
    """The F1 heading pattern, on a 16 KiB string of the corpus, already costs more than the
    limit scaled down 64 times; its replacement stays far below."""
    import re

    quadratic = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$")
    linear = re.compile(r"^ {0,3}(#{1,6}+)(?:[ \t](.*))?$")

    def slowest(pattern: re.Pattern) -> float:
        worst = 0.0
        for _, text in adversarial_strings(pattern, 16 * 1024):
            began = time.process_time()
            exercise(pattern, text)
            worst = max(worst, time.process_time() - began)
        return worst

    assert slowest(quadratic) > 20 * slowest(linear)


def _run_shards() -> tuple[list[dict], str | None]:
    """Run the corpus in SHARDS child processes; the results, and what went wrong if a case hung
    or a shard failed."""
    errors = [tempfile.TemporaryFile() for _ in range(SHARDS)]
    children = [subprocess.Popen([sys.executable, str(CORPUS), str(MIB), str(shard), str(SHARDS)],
                                 stdout=subprocess.PIPE, stderr=errors[shard], text=True) for shard in range(SHARDS)]
    rows: list[dict] = []
    last: dict[int, dict] = {}
    open_pipes = {child.stdout.fileno(): child for child in children}
    try:
        while open_pipes:
            ready, _, _ = select.select(list(open_pipes), [], [], STALL_LIMIT)
            if not ready:
                hung = [last.get(fd) for fd in open_pipes]
                return rows, f"no progress in {STALL_LIMIT} s; running: {hung}"
            for fd in ready:
                line = open_pipes[fd].stdout.readline()
                if not line:
                    del open_pipes[fd]
                    continue
                row = json.loads(line)
                last[fd] = row
                rows.append(row)
        for child, error in zip(children, errors):
            if child.wait() != 0:
                error.seek(0)
                return rows, f"a shard failed: {error.read().decode(errors='replace')[-2000:]}"
    finally:
        for child, error in zip(children, errors):
            child.kill()
            child.wait()
            error.close()
    return rows, None


def test_every_pattern_is_linear_on_a_mebibyte_of_hostile_text() -> None:
    rows, hung = _run_shards()
    assert hung is None, hung
    done = [row for row in rows if "done" in row]
    patterns = rows[0]["patterns"]
    assert {row["done"] for row in done} == set(patterns), "a shard stopped early"
    slow = [row for row in done if row["cpu"] > CPU_LIMIT]
    assert slow == [], f"patterns slower than {CPU_LIMIT} s CPU on 1 MiB: {slow}"
