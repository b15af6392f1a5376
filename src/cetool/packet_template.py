"""The commented packet template that `cetool packet new` writes.

Every value the author still has to give is a `<placeholder>`, which `packet validate` reports
as an error until it is replaced: an incomplete packet is no packet.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

_PLAIN_SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._/()+-]*")
_NEXT_ID = re.compile(r"ESC-(\d{4})-(\d{4,})", re.IGNORECASE)


def scalar(value: str) -> str:
    """A YAML scalar that reads back as exactly `value` (plain when that is safe)."""
    if _PLAIN_SAFE.fullmatch(value) and not value.endswith(" "):
        return value
    return json.dumps(value, ensure_ascii=False)


def next_packet_id(folder: Path, today: date) -> str:
    """ESC-<year>-<n+1>, n the highest number of this year's packets already in `folder`."""
    highest = 0
    if folder.is_dir():
        for path in folder.rglob("*.y*ml"):
            match = _NEXT_ID.fullmatch(path.stem)
            if match and int(match.group(1)) == today.year:
                highest = max(highest, int(match.group(2)))
    return f"ESC-{today.year}-{highest + 1:04d}"


@dataclass(frozen=True)
class TemplateValues:
    id: str
    created: date
    schema_ref: str
    title: str | None = None
    severity: str | None = None
    category: str | None = None
    from_team: str | None = None
    route_to: str | None = None
    owner: str | None = None
    matrix_version: str | None = None
    named_owner_for: tuple[str, ...] = ("P1", "P2")


def _value(value: str | None, placeholder: str) -> str:
    return scalar(value) if value else placeholder


def render_template(v: TemplateValues) -> str:
    needs_owner = ", ".join(v.named_owner_for) or "no severity"
    version = f"matrix_version: {json.dumps(v.matrix_version)}\n" if v.matrix_version else ""
    return f"""\
# yaml-language-server: $schema={v.schema_ref}
# Escalation packet: the four elements Product Engineering needs before it takes an issue.
# Replace every <placeholder> (cetool packet validate fails while one is left), delete the
# optional lines you do not need, then run: cetool packet validate {v.id}.yaml
id: {scalar(v.id)}
title: {_value(v.title, "<what is broken for whom>")}   # 10-200 characters
severity: {_value(v.severity, "<severity>")}   # P1 | P2 | P3 | P4
category: {_value(v.category, "<category key>")}   # a category of ownership.yaml: cetool route CATEGORY
from_team: {_value(v.from_team, "<team key>")}
route_to: {_value(v.route_to, "<team key>")}   # the team that owns the category
owner: {_value(v.owner, "<named engineer>")}   # a person, not a team; required for {needs_owner}
created: {v.created.isoformat()}
{version}# known_issue: KI-0000   # optional: the known issue this matches (known_issues/)

# 1. Issue context
context:
  customer: <customer name>
  account_criticality: <criticality>   # low | medium | high | strategic
  experience: <what the customer is experiencing>
  business_impact: <what it costs the customer and us>
  tickets:   # optional
    - <ticket id>

# 2. Reproduction
reproduction:
  environment: <production or sandbox and region and API version>
  configuration: <relevant settings>   # optional
  reproducible: <how often>   # always | intermittent | not-reproduced
  steps:   # the exact sequence; two or more
    - <first step>
    - <second step>
  expected: <what should happen>
  actual: <what happens instead>
  evidence:   # request ids, log links, timestamps (expected for {needs_owner})
    - <request id or log link>

# 3. What has been tried (at least one)
tried:
  - action: <what was tried>
    result: <what happened>
ruled_out:   # optional
  - <cause ruled out>

# 4. Proposed path
proposed_path:
  hypothesis: <what Customer Engineering believes is happening>
  resolution_requires: <what resolving it requires from the receiving team>
"""
