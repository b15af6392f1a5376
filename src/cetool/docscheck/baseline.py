"""A baseline for adopting cetool on a repo with legacy content
(docs/check.md#adopting-cetool-on-an-existing-repo).

`--write-baseline FILE` records today's problems by fingerprint (core/fingerprint.py: code,
file relative to the docs root, dotted path, hash of the offending value; never the line).
`--baseline FILE` then reports only problems not in it, counts the known ones that remain, and
lists the entries that no longer match anything, so the file can shrink as the team fixes them.
The same problem twice in one file (same code, path and value) is recorded with its count.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from cetool.core.errors import CetoolError
from cetool.core.files import SourceLines, atomic_write, display_path
from cetool.core.findings import Problem, Report
from cetool.core.fingerprint import fingerprint
from cetool.core.textsafe import visible_lines

BASELINE_FORMAT = "cetool-baseline/1"


def _relative(file: str, root: Path) -> str:
    """The file as the baseline names it: relative to the docs root, with `/`, so the baseline
    matches wherever the check is run from."""
    try:
        return Path(os.path.abspath(file)).relative_to(root.resolve()).as_posix()
    except ValueError:
        return Path(file).as_posix()


@dataclass(frozen=True)
class Entry:
    fingerprint: str
    code: str
    file: str
    path: str
    message: str  # for the person reading the file or the "fixed" list; never compared
    count: int = 1

    def to_dict(self) -> dict:
        out = {"fingerprint": self.fingerprint, "code": self.code, "file": self.file, "path": self.path,
               "message": self.message}
        return out if self.count == 1 else {**out, "count": self.count}


def _keyed(problems: list[Problem], root: Path, sources: SourceLines) -> list[tuple[str, str, Problem]]:
    out = []
    for problem in problems:
        file = _relative(problem.file, root)
        out.append((fingerprint(problem, sources, file=file), file, problem))
    return out


def baseline_entries(problems: list[Problem], root: Path, sources: SourceLines | None = None) -> list[Entry]:
    sources = sources or SourceLines()
    counts: Counter[str] = Counter()
    first: dict[str, Entry] = {}
    for key, file, problem in _keyed(problems, root, sources):
        counts[key] += 1
        first.setdefault(key, Entry(key, str(problem.code), file, problem.path, problem.message))
    entries = [Entry(**{**first[key].__dict__, "count": counts[key]}) for key in first]
    return sorted(entries, key=lambda e: (e.file, e.code, e.path, e.fingerprint))


def write_baseline(path: Path, report: Report, root: Path, *, force: bool = False) -> int:
    """Write every problem of `report` to `path`; returns how many were recorded."""
    entries = baseline_entries(report.problems, root)
    payload = {"format": BASELINE_FORMAT,
               "note": "Problems cetool check accepts as known (cetool check --baseline this-file). "
                       "Shrink it as they are fixed: cetool check --write-baseline this-file --force.",
               "problems": [entry.to_dict() for entry in entries]}
    # ASCII with \u escapes: a file name that is not UTF-8 (a lone surrogate) must round-trip
    atomic_write(path, json.dumps(payload, indent=2, ensure_ascii=True) + "\n", force=force)
    return sum(entry.count for entry in entries)


def read_baseline(path: Path) -> list[Entry]:
    where = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CetoolError(f"--baseline {where}: no such file (write one with --write-baseline {where})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CetoolError(f"--baseline {where}: cannot be read ({exc})") from None
    try:
        payload = json.loads(text)
    except ValueError as exc:
        raise CetoolError(f"--baseline {where}: not JSON ({exc})") from None
    if not isinstance(payload, dict) or payload.get("format") != BASELINE_FORMAT \
            or not isinstance(payload.get("problems"), list):
        raise CetoolError(f"--baseline {where}: not a cetool baseline (expected \"format\": \"{BASELINE_FORMAT}\" "
                          "and a \"problems\" list, as --write-baseline writes)")
    entries = []
    for index, item in enumerate(payload["problems"]):
        try:
            count = int(item.get("count", 1))
            entries.append(Entry(str(item["fingerprint"]), str(item.get("code", "")), str(item.get("file", "")),
                                 str(item.get("path", "")), str(item.get("message", "")), count))
        except (AttributeError, KeyError, TypeError, ValueError):
            raise CetoolError(f"--baseline {where}: problems[{index}] has no fingerprint") from None
    return entries


@dataclass
class BaselineResult:
    report: Report  # the new problems only
    known: int = 0  # problems found that the baseline accepts
    fixed: list[Entry] = field(default_factory=list)  # entries (or part of their count) no longer found

    def to_dict(self, file: str) -> dict:
        return {"file": file, "known": self.known, "fixed": [entry.to_dict() for entry in self.fixed]}


def apply_baseline(report: Report, entries: list[Entry], root: Path,
                   sources: SourceLines | None = None) -> BaselineResult:
    sources = sources or SourceLines()
    allowance = Counter({entry.fingerprint: entry.count for entry in entries})
    new, known = [], 0
    for key, _, problem in _keyed(report.problems, root, sources):
        if allowance[key] > 0:
            allowance[key] -= 1
            known += 1
        else:
            new.append(problem)
    fixed = [Entry(**{**entry.__dict__, "count": allowance[entry.fingerprint]})
             for entry in entries if allowance[entry.fingerprint] > 0]
    return BaselineResult(Report(new, files_checked=report.files_checked), known, fixed)


def baseline_summary(result: BaselineResult, file: str) -> str:
    """Lines for stderr (text formats): what the baseline hid and what can leave it."""
    lines = [f"cetool: baseline {file}: {result.known} known problem(s) remain (not shown); "
             f"{len(result.report.problems)} new"]
    if result.fixed:
        lines.append(f"cetool: {len(result.fixed)} baseline entr{'y is' if len(result.fixed) == 1 else 'ies are'} "
                     f"fixed; shrink the file with --write-baseline {file} --force:")
        lines += [f"  fixed: {e.file}: {e.code}{f' at {e.path}' if e.path else ''}: {e.message}"
                  + (f" (x{e.count})" if e.count > 1 else "") for e in result.fixed]
    return visible_lines("\n".join(lines))  # file names and messages come from files anyone can commit
