"""The weekly record: `reports/<YYYY-Www>.json` and `.md` under the docs root (docs/prevention.md#the-weekly-record).

"The cadence is the discipline": `metrics weekly --record` leaves a trace of each published week
with its context line; a later report's trend shows those lines, and `cetool check` warns when
the latest record is older than the last complete week. Pure standard library (no pandas), so
`cetool check` can use it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from cetool.core.docsroot import DocsRoot
from cetool.core.errors import CetoolError
from cetool.core.files import atomic_write, check_writable, display_path
from cetool.core.findings import Code, Problem
from cetool.core.reading import read_text
from cetool.metrics.weeks import default_week

REPORTS_FOLDER = "reports"
_RECORD = re.compile(r"(\d{4})-W(\d{2})\.json")


def reports_folder(docs_root: DocsRoot) -> Path:
    return docs_root.folder / REPORTS_FOLDER


@dataclass(frozen=True)
class RecordPaths:
    json: Path
    markdown: Path

    def both(self) -> tuple[Path, Path]:
        return self.json, self.markdown


def record_paths(docs_root: DocsRoot, week: str) -> RecordPaths:
    folder = reports_folder(docs_root)
    return RecordPaths(folder / f"{week}.json", folder / f"{week}.md")


def check_record_writable(paths: RecordPaths, *, force: bool) -> None:
    """Before the report is computed: neither file may exist without --force (nothing is
    written when one does; the run exits 2 and says which)."""
    for path in paths.both():
        try:
            check_writable(path, force=force)
        except CetoolError as exc:
            raise CetoolError(f"--record: {exc}; the week is already recorded") from None


def write_record(paths: RecordPaths, json_text: str, markdown_text: str, *, force: bool) -> list[str]:
    """Write both files atomically (the JSON last: its presence is what marks the week recorded)."""
    check_record_writable(paths, force=force)
    atomic_write(paths.markdown, markdown_text, force=force)
    atomic_write(paths.json, json_text, force=force)
    return [display_path(path) for path in paths.both()]


def recorded_weeks(docs_root: DocsRoot) -> dict[str, Path]:
    """ISO week label -> its record's JSON file, for every `reports/<YYYY-Www>.json`."""
    folder = reports_folder(docs_root)
    if not folder.is_dir():
        return {}
    found = {}
    for path in sorted(folder.iterdir()):
        match = _RECORD.fullmatch(path.name)
        if match and path.is_file():
            found[f"{match.group(1)}-W{match.group(2)}"] = path
    return found


def recorded_contexts(docs_root: DocsRoot | None, labels: list[str]) -> dict[str, str]:
    """The context line each recorded week of `labels` was published with (weeks without a
    record, or whose record cannot be read, are left out)."""
    if docs_root is None:
        return {}
    records = recorded_weeks(docs_root)
    contexts = {}
    for label in labels:
        if label not in records:
            continue
        text, _problems = read_text(records[label], display_path(records[label]))
        try:
            context = json.loads(text).get("context") if text is not None else None
        except (ValueError, AttributeError):
            context = None
        if isinstance(context, str) and context.strip():
            contexts[label] = " ".join(context.split())
    return contexts


def record_problems(docs_root: DocsRoot, today: date) -> list[Problem]:
    """A warning when `reports/` exists and its latest record is older than the last complete
    week before `today`; nothing without a `reports/` folder (a team that does not record)."""
    folder = reports_folder(docs_root)
    if not folder.is_dir():
        return []
    due = default_week(today)
    records = recorded_weeks(docs_root)
    latest = max(records) if records else None
    if latest is not None and latest >= due:
        return []
    shown = display_path(folder)
    have = f"the latest weekly record is {latest}" if latest else "there is no weekly record yet"
    return [Problem(shown, None, None, "", Code.WEEKLY_RECORD_MISSING,
                    f"{have}, but {due} (the last complete week) is not recorded; publish it: "
                    f"cetool metrics weekly EXPORT --week {due} --context \"...\" --record")]
