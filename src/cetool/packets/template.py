"""The commented packet template that `cetool packet new` writes.

Every value the author still has to give is a `<placeholder>`, which `packet validate` reports
as an error until it is replaced: an incomplete packet is no packet.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from cetool.core.docsroot import PACKET_SUFFIXES, DocsRoot
from cetool.core.errors import CetoolError
from cetool.core.files import atomic_write, check_writable, discover, display_path
from cetool.core.findings import Code
from cetool.core.ids import SEVERITY_LEVELS, id_key, is_id, next_sequence_id
from cetool.core.placeholders import is_placeholder
from cetool.core.textsafe import quote
from cetool.matrix.load import load_matrix
from cetool.matrix.model import DEFAULT_NAMED_OWNER_FOR, Matrix
from cetool.packets.model import MAX_TITLE_LENGTH, MIN_TITLE_LENGTH, PacketHead, packet_schema_text, title_problem
from cetool.packets.rules import routing_problems
from cetool.packets.validate import existing_packet_ids
from cetool.yamldoc.loader import YamlDoc

_PLAIN_SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._/()+-]*")


def scalar(value: str) -> str:
    """A YAML scalar that reads back as exactly `value` (plain when that is safe)."""
    if _PLAIN_SAFE.fullmatch(value) and not value.endswith(" "):
        return value
    return json.dumps(value, ensure_ascii=False)


def next_packet_id(folder: Path, today: date, taken: set[str] = frozenset()) -> str:
    """ESC-<year>-<n+1>, n the highest number of this year's packets in `folder` (by file name)
    or among the `taken` ids (casefolded, as written inside any packet)."""
    names = [path.stem for path in discover([folder], PACKET_SUFFIXES)[0]] if folder.is_dir() else []
    return next_sequence_id("ESC", today.year, [*names, *taken])


@dataclass(frozen=True)
class TemplateValues:
    id: str
    created: date
    schema_ref: str | None  # the schema's path relative to the packet; None: no `$schema` line
    validate_path: str = ""  # how `cetool packet validate` names the file, from the docs root
    title: str | None = None
    severity: str | None = None
    category: str | None = None
    from_team: str | None = None
    route_to: str | None = None
    owner: str | None = None
    matrix_version: str | None = None
    named_owner_for: tuple[str, ...] = DEFAULT_NAMED_OWNER_FOR


def _value(value: str | None, placeholder: str) -> str:
    return scalar(value) if value else placeholder


def render_template(v: TemplateValues) -> str:
    needs_owner = ", ".join(v.named_owner_for) or "no severity"
    version = f"matrix_version: {json.dumps(v.matrix_version)}\n" if v.matrix_version else ""
    schema = f"# yaml-language-server: $schema={v.schema_ref}\n" if v.schema_ref else ""
    return f"""\
{schema}# Escalation packet: the four elements Product Engineering needs before it takes an issue.
# Replace every <placeholder> (cetool packet validate fails while one is left), delete the
# optional lines you do not need, then run: cetool packet validate {v.validate_path or v.id + ".yaml"}
id: {scalar(v.id)}
title: {_value(v.title, "<what is broken for whom>")}   # {MIN_TITLE_LENGTH}-{MAX_TITLE_LENGTH} characters
severity: {_value(v.severity, "<severity>")}   # {" | ".join(SEVERITY_LEVELS)}
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
) -> list[str]:
    """Write `<folder>/<id>.yaml` from the template, and `schemas/packet.schema.json` when the
    docs root has none; returns the display paths written, the packet first.

    A matrix that cannot be built, or an option `packet validate` would reject (`check_options`)
    stops with CetoolError (exit 2): a template that is wrong from the start helps nobody.
    """
    today = today or date.today()
    loaded = load_matrix(matrix_path, today=today)
    matrix = loaded.matrix
    if matrix is None:
        raise CetoolError(f"{display_path(matrix_path)} has errors; run cetool matrix check")
    docs_root = DocsRoot.of_matrix(matrix_path.resolve())
    folder = folder if folder is not None else docs_root.packets
    taken = existing_packet_ids([docs_root.packets, folder], docs_root.folder)
    packet_id = packet_id or next_packet_id(folder, today, set(taken))
    target = folder / f"{packet_id}.yaml"
    head = check_options(matrix, packet_id=packet_id, taken=taken, target=target, title=title, severity=severity,
                         owner=owner, category=category, route_to=route_to, from_team=from_team)
    schema = docs_root.packet_schema
    text = render_template(TemplateValues(
        id=packet_id, created=today, schema_ref=_relative(schema, folder), validate_path=_from_root(target, docs_root.folder),
        title=title, severity=severity, category=category, from_team=head.from_team, route_to=head.route_to, owner=owner,
        matrix_version=matrix.version, named_owner_for=tuple(matrix.named_owner_for),
    ))
    # The `$schema` line must resolve, so a docs root without the schema gets it (never replaced).
    written = [] if schema.exists() else [schema]
    # Every target is checked before the first is written: a schema name taken by a symlink to
    # nothing must not leave a packet behind and an error (docs/security.md#writing-files).
    check_writable(target, force=force, root=docs_root.folder)
    for path in written:
        if os.path.lexists(path):
            raise CetoolError(f"{display_path(path)} is a symlink to nothing; remove it or point it at the "
                              "schema (cetool packet schema -o FILE writes one); nothing was written")
        check_writable(path, root=docs_root.folder)
    try:
        atomic_write(target, text, force=force, root=docs_root.folder)
        if written:
            atomic_write(schema, packet_schema_text(), root=docs_root.folder)
    except OSError as exc:
        raise CetoolError(f"cannot write {display_path(target)}: {exc.strerror or exc}") from None
    return [display_path(path) for path in (target, *written)]


def _relative(path: Path, folder: Path) -> str:
    return Path(os.path.relpath(os.path.realpath(path), os.path.realpath(folder))).as_posix()


def _from_root(target: Path, root: Path) -> str:
    """The packet's path as run from the docs root (where commands are run), else as displayed."""
    real_target, real_root = Path(os.path.realpath(target)), Path(os.path.realpath(root))
    return display_path(real_target, cwd=real_root) if real_target.is_relative_to(real_root) else display_path(target)


_OPTION = {"category": "--category", "from_team": "--from-team", "route_to": "--route-to", "owner": "--owner"}


def check_options(matrix: Matrix, *, packet_id: str, taken: dict[str, tuple[str, int | None]], target: Path,
                  title: str | None, severity: str | None, owner: str | None, category: str | None,
                  route_to: str | None, from_team: str | None) -> PacketHead:
    """The head the template is written from, after the defaults: route_to is the category's
    owner, from_team the gate's only sender. Every option `packet validate` would reject is
    refused at once (CetoolError, exit 2), by the same rules: the head is checked by the
    packets' routing rules and the title by the model's bounds."""
    refused = []
    if not is_id(packet_id):
        refused.append(f"--id {quote(packet_id)}: letters, digits, '.', '_' and '-' only, "
                       "starting with a letter or digit")
    used = taken.get(id_key(packet_id))
    if used is not None and os.path.abspath(used[0]) != os.path.abspath(target):
        where = f"{used[0]}:{used[1]}" if used[1] else used[0]
        refused.append(f"--id {quote(packet_id)}: the id is already used by {where} (ids are unique, ignoring case)")
    if title is not None and (why := title_problem(title)):
        refused.append(f"--title {quote(title)}: {why}")
    if owner is not None and is_placeholder(owner):
        refused.append(f"--owner {quote(owner)}: name a person")
    if route_to is None and category is not None:
        route_to = matrix.owner_of(category)
    gate = matrix.gate_for(route_to) if route_to is not None else None
    if from_team is None and gate is not None and len(gate.from_) == 1:
        from_team = gate.from_[0]
    given = {"id": packet_id, "severity": severity, "category": category, "from_team": from_team,
             "route_to": route_to, "owner": owner}
    data = {key: value for key, value in given.items() if value is not None}
    head = PacketHead.of_data(data)
    for problem in routing_problems(head, YamlDoc(display_path(target), data), matrix):
        # No --owner is fine: the template's `<named engineer>` asks for one.
        if problem.code != Code.OWNER_REQUIRED:
            refused.append(f"{_OPTION[problem.path]}: {problem.message}")
    if len(refused) == 1:
        raise CetoolError(refused[0])
    if refused:
        raise CetoolError("\n  ".join([f"{len(refused)} options would not pass cetool packet validate:", *refused]))
    return head
