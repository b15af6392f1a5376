"""The packet rules (docs/packets.md#rules) that need more than the packet's own schema: routing against the
matrix, the quality warnings, the file name and the known-issue reference. Pure: a packet's
head (the top-level fields, usable even when the rest has schema errors) plus its YamlDoc (for
positions) in, problems out. The quality warnings need the whole, schema-valid Packet.
Cross-file id uniqueness is in `cetool.packets.validate`, because it needs every file at once.
"""

from __future__ import annotations

from pathlib import PurePath

from cetool.core.findings import Code, Problem
from cetool.core.ids import IdIndex
from cetool.core.suggest import did_you_mean
from cetool.core.textsafe import quote
from cetool.yamldoc.loader import YamlDoc
from cetool.matrix.model import Matrix, is_team_key
from cetool.packets.model import Packet, PacketHead

ROUTING_CODES = frozenset((Code.UNDEFINED_CATEGORY, Code.UNDEFINED_TEAM, Code.ROUTE_NOT_OWNER,
                           Code.GATE_FORBIDS_SENDER, Code.OWNER_REQUIRED, Code.OWNER_IS_TEAM))


def check_packet(
    head: PacketHead,
    packet: Packet | None,
    doc: YamlDoc,
    *,
    path: PurePath,
    matrix: Matrix | None,
    known_issue_ids: IdIndex | None,
) -> list[Problem]:
    """`packet` is None when the schema failed: then only the head's rules run."""
    problems = [*filename_problems(head, doc, path), *known_issue_problems(head, doc, known_issue_ids)]
    if matrix is not None:
        problems += routing_problems(head, doc, matrix)
        if packet is not None:
            problems += quality_problems(packet, doc, matrix)
    return problems


def _team_label(matrix: Matrix, team: str) -> str:
    return f"{quote(team)} ({matrix.teams[team].name})"


def routing_problems(packet: PacketHead, doc: YamlDoc, matrix: Matrix) -> list[Problem]:
    """The rules of the fields that are usable (not None); the others have problems of their own."""
    problems = []
    category_known = packet.category in matrix.categories
    if packet.category is not None and not category_known:
        problems.append(doc.problem(("category",), Code.UNDEFINED_CATEGORY,
                                    f"category {quote(packet.category)} is not in the ownership matrix "
                                    f"(version {matrix.version}){did_you_mean(packet.category, matrix.categories)}"))
    for field in ("from_team", "route_to"):
        team = getattr(packet, field)
        if team is not None and team not in matrix.teams:
            problems.append(doc.problem((field,), Code.UNDEFINED_TEAM,
                                        f"{field} {quote(team)} is not a team of the ownership matrix"
                                        f"{did_you_mean(team, matrix.teams)}"))
    if category_known and packet.route_to in matrix.teams:
        problems += _owner_problems(packet, doc, matrix)
    gate = matrix.gate_for(packet.route_to)
    if gate is not None and packet.from_team in matrix.teams and packet.from_team not in gate.from_:
        allowed = (f"only {', '.join(repr(team) for team in gate.from_)} may route"
                   if gate.from_ else "no team may route (the gate's from is empty)")
        problems.append(doc.problem(("from_team",), Code.GATE_FORBIDS_SENDER,
                                    f"{allowed} to {quote(packet.route_to)} (escalation gate); "
                                    f"from_team is {quote(packet.from_team)}"))
    problems += _named_owner_problems(packet, doc, matrix)
    return problems


def _owner_problems(packet: PacketHead, doc: YamlDoc, matrix: Matrix) -> list[Problem]:
    owner = matrix.owner_of(packet.category)
    if owner == packet.route_to:
        return []
    route_team = matrix.teams[packet.route_to]
    if packet.category in route_team.consults_on:
        why = f"; {quote(packet.route_to)} only consults on it"
    elif packet.category in route_team.does_not_own:
        why = f"; {quote(packet.route_to)} lists it under does_not_own"
    else:
        why = ""
    owned_by = f"it is owned by {_team_label(matrix, owner)}" if owner else "no single team owns it"
    return [doc.problem(("route_to",), Code.ROUTE_NOT_OWNER,
                        f"route_to {quote(packet.route_to)} does not own category {quote(packet.category)}: "
                        f"{owned_by}{why}")]


def _named_owner_problems(packet: PacketHead, doc: YamlDoc, matrix: Matrix) -> list[Problem]:
    problems = []
    # A present-but-empty or placeholder owner is already a placeholder error; only absence is new.
    if packet.severity in matrix.named_owner_for and not packet.owner_written:
        needing = ", ".join(matrix.named_owner_for)
        problems.append(doc.problem(("owner",), Code.OWNER_REQUIRED,
                                    f"a {packet.severity} packet needs a named owner (a person) under owner: "
                                    f"the matrix requires one for {needing}"))
    if packet.owner is not None and is_team_key(packet.owner, matrix.teams):
        problems.append(doc.problem(("owner",), Code.OWNER_IS_TEAM,
                                    f"owner {quote(packet.owner)} is a team; name the accountable person, not a team"))
    return problems


def quality_problems(packet: Packet, doc: YamlDoc, matrix: Matrix) -> list[Problem]:
    problems = []
    if len(packet.reproduction.steps) == 1:
        problems.append(doc.problem(("reproduction", "steps"), Code.SINGLE_REPRO_STEP,
                                    "only one reproduction step; write the exact sequence that reproduces it"))
    if packet.severity in matrix.named_owner_for and not packet.reproduction.evidence:
        where = ("reproduction", "evidence") if "evidence" in doc.data.get("reproduction", {}) else ("reproduction",)
        problems.append(doc.problem(where, Code.NO_EVIDENCE,
                                    f"a {packet.severity} packet without evidence; add request ids, log links "
                                    "or timestamps under reproduction.evidence"))
    if packet.matrix_version is not None and packet.matrix_version != matrix.version:
        problems.append(doc.problem(("matrix_version",), Code.MATRIX_VERSION_MISMATCH,
                                    f"matrix_version {quote(packet.matrix_version)} differs from the matrix's "
                                    f"version {quote(matrix.version)}; re-check the routing and update it"))
    return problems


def filename_problems(packet: PacketHead, doc: YamlDoc, path: PurePath) -> list[Problem]:
    """`<id>.yaml` or `<id>.yml` (both are packet files, docs/packets.md#decisions-where-the-spec-is-silent); anything else warns."""
    if packet.id is None or path.name in (f"{packet.id}.yaml", f"{packet.id}.yml"):
        return []
    return [doc.problem(("id",), Code.FILENAME_MISMATCH,
                        f"the file is named {quote(path.name)}; name it {quote(packet.id + '.yaml')} "
                        "(or .yml) after its id")]


def known_issue_problems(packet: PacketHead, doc: YamlDoc, known_issue_ids: IdIndex | None) -> list[Problem]:
    if known_issue_ids is None or packet.known_issue is None or packet.known_issue in known_issue_ids:
        return []
    return [doc.problem(("known_issue",), Code.UNKNOWN_KNOWN_ISSUE,
                        f"known_issue {quote(packet.known_issue)} is not in known_issues/"
                        f"{did_you_mean(packet.known_issue, known_issue_ids)}")]
