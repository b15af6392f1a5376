"""A valid packet as data, a docs root to put it in, and line lookup."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]

_BASE = {
    "id": "ESC-2026-0001",
    "title": "Webhook deliveries fail with 401 after signing-secret rotation",
    "severity": "P2",
    "category": "confirmed-bug",
    "from_team": "customer-engineering",
    "route_to": "product-engineering",
    "owner": "dana.ortiz",
    "created": "2026-11-20",
    "matrix_version": "2026.4",
    "context": {
        "customer": "Acme Corp",
        "account_criticality": "high",
        "experience": "Every webhook delivery is rejected with 401",
        "business_impact": "Orders stop syncing to the ERP",
        "tickets": ["ZD-48121"],
    },
    "reproduction": {
        "environment": "production, eu-west-1, API v2",
        "reproducible": "always",
        "steps": ["Rotate the webhook signing secret", "Trigger any event"],
        "expected": "Deliveries are accepted",
        "actual": "Deliveries are rejected with 401",
        "evidence": ["req_8f2a61c4"],
    },
    "tried": [{"action": "Re-saved the endpoint", "result": "Still 401"}],
    "ruled_out": ["Customer clock skew"],
    "proposed_path": {
        "hypothesis": "The signer caches the old secret during the grace period",
        "resolution_requires": "A fix in the webhook signer",
    },
}


def packet_data(**changes) -> dict:
    data = copy.deepcopy(_BASE)
    data.update(changes)
    return data


def dump(data: dict) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def make_docs_root(folder: Path, *, known_issues: tuple[str, ...] | None = None) -> Path:
    """A docs root with the project's ownership.yaml; returns its packets/ folder."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "ownership.yaml", folder / "ownership.yaml")
    if known_issues is not None:
        (folder / "known_issues").mkdir()
        for ki in known_issues:
            shutil.copy(REPO / "known_issues" / f"{ki}.md", folder / "known_issues" / f"{ki}.md")
    packets = folder / "packets"
    packets.mkdir(exist_ok=True)
    return packets


def write_packet(folder: Path, data: dict | str, name: str | None = None) -> Path:
    if name is None:
        name = f"{data['id']}.yaml" if isinstance(data, dict) else "packet.yaml"
    path = folder / name
    path.write_text(data if isinstance(data, str) else dump(data), encoding="utf-8")
    return path


def line_of(text: str, needle: str, nth: int = 1) -> int:
    hits = [i for i, line in enumerate(text.splitlines(), 1) if needle in line]
    return hits[nth - 1]
