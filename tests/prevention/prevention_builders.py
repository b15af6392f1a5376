"""A docs root with prevention actions, for the prevention tests."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

VALID = """\
id: PA-2026-0001
root_cause: webhook-secret-rotation
kind: runbook-update
action: Add a rotate-and-verify step to RB-WEBHOOK-DELIVERY
owner: dana.ortiz
team: customer-engineering
assigned: 2026-11-23
due: 2026-11-30
status: done
done: 2026-11-27
links: [RB-WEBHOOK-DELIVERY, KI-0001, PE-4411]
note: Agreed in the Monday review
"""


def make_root(tmp_path: Path, actions: dict[str, str] | None = None) -> Path:
    """This repo's matrix, packets, runbooks and known issues, plus `prevention/` holding
    `actions` (file name -> text; default: one valid, done action)."""
    root = tmp_path / "docs"
    root.mkdir(parents=True)
    for name in ("ownership.yaml", "packets", "runbooks", "known_issues"):
        src = REPO / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, root / name)
    folder = root / "prevention"
    folder.mkdir()
    for name, text in (actions if actions is not None else {"PA-2026-0001.yaml": VALID}).items():
        (folder / name).write_text(text, encoding="utf-8")
    return root


def check_json(cli, root: Path, *extra: str) -> tuple[int, list[dict]]:
    result = cli("check", root, "--format", "json", "--today", "2026-11-28", *extra)
    return result.exit_code, json.loads(result.output)["problems"]


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)
