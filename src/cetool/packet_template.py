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


def create_packet(
    matrix_path: Path,
    *,
    packet_id: str | None,
    severity: str | None,
    category: str | None,
    route_to: str | None,
    from_team: str | None,
    owner: str | None,
    title: str | None,
    folder: Path | None,
    force: bool,
    today: date | None = None,
) -> str:
    """Write `<folder>/<id>.yaml` from the template; returns its display path.

    A matrix that cannot be built, an unknown category or team, or an invalid id stops with
    CetoolError (exit 2): a template routed wrongly from the start helps nobody.
    """
    import difflib
    import os

    from cetool.docsroot import DocsRoot
    from cetool.errors import CetoolError
    from cetool.loading.files import atomic_write, display_path
    from cetool.matrix import load_matrix
    from cetool.models.packet import PACKET_ID_PATTERN

    today = today or date.today()
    loaded = load_matrix(matrix_path, today=today)
    matrix = loaded.matrix
    if matrix is None:
        raise CetoolError(f"{display_path(matrix_path)} has errors; run cetool matrix check")
    docs_root = DocsRoot.of_matrix(matrix_path.resolve())
    folder = folder if folder is not None else docs_root.packets
    packet_id = packet_id or next_packet_id(folder, today)
    if not re.fullmatch(PACKET_ID_PATTERN, packet_id):
        raise CetoolError(f"--id {packet_id!r}: letters, digits, '.', '_' and '-' only, starting with a letter or digit")
    for option, value, known in (("--category", category, matrix.categories), ("--route-to", route_to, matrix.teams),
                                 ("--from-team", from_team, matrix.teams)):
        if value is not None and value not in known:
            close = difflib.get_close_matches(value, list(known), n=1)
            raise CetoolError(f"{option} {value!r} is not in the matrix" + (f"; did you mean {close[0]!r}?" if close else ""))
    if route_to is None and category is not None:
        route_to = matrix.owner_of(category)
    gate = matrix.gate_for(route_to) if route_to else None
    if from_team is None and gate is not None and len(gate.from_) == 1:
        from_team = gate.from_[0]
    target = folder / f"{packet_id}.yaml"
    schema = docs_root.folder / "schemas" / "packet.schema.json"
    schema_ref = Path(os.path.relpath(schema.resolve(), folder.resolve())).as_posix()
    text = render_template(TemplateValues(
        id=packet_id, created=today, schema_ref=schema_ref, title=title, severity=severity, category=category,
        from_team=from_team, route_to=route_to, owner=owner, matrix_version=matrix.version,
        named_owner_for=tuple(matrix.named_owner_for),
    ))
    try:
        atomic_write(target, text, force=force)
    except OSError as exc:
        raise CetoolError(f"cannot write {display_path(target)}: {exc.strerror or exc}") from None
    return display_path(target)
