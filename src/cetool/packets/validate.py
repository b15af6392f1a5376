"""Checking escalation packets: each file's schema and routing, and ids across all of them.

`check_packets` is the library entry other commands (`check`, metrics' packet compliance) call;
`validate_packets` is the whole `packet validate` run: matrix, discovery, known issues, check.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from cetool.core.batch import cycle_collection_paused
from cetool.core.docsroot import PACKET_SUFFIXES, DocsRoot
from cetool.core.errors import CetoolError
from cetool.core.files import SourceLines, discover, display_path
from cetool.core.findings import Code, Problem, Report, Severity
from cetool.core.ids import IdIndex, id_key
from cetool.core.reading import read_text
from cetool.core.suppress import apply_suppressions
from cetool.core.textsafe import quote
from cetool.knowledge.load import load_knowledge
from cetool.knowledge.search import match_packets
from cetool.matrix.load import load_matrix
from cetool.matrix.model import Matrix
from cetool.packets.model import Packet, PacketHead
from cetool.packets.rules import ROUTING_CODES, check_packet
from cetool.yamldoc.loader import load_yaml_file, load_yaml_text
from cetool.yamldoc.validation import validate_document


@dataclass
class PacketCheck:
    report: Report
    valid_ids: set[str] = field(default_factory=set)
    packets: list[tuple[str, Packet]] = field(default_factory=list)  # the schema-valid ones
    title_at: dict[str, tuple[int, int]] = field(default_factory=dict)  # file -> where its title is
    routing: dict[str, list[Problem]] = field(default_factory=dict)  # file -> its routing errors
    files: list[str] = field(default_factory=list)  # each file as shown, in the order given
    sources: SourceLines = field(default_factory=SourceLines)  # the texts read, for suppressions and excerpts


def _flagged_keys(problems: list[Problem]) -> set[str]:
    """The top-level keys that already have a problem of their own (their values are unusable)."""
    return {p.path.split(".", 1)[0].split("[", 1)[0] for p in problems if p.path}


def _key(path: Path) -> str:
    return os.path.abspath(path)


def _docs_root_ids(docs_root: DocsRoot | None, given: list[Path]) -> dict[str, tuple[str, int | None]]:
    """Ids of the packets under the docs root that were not given: they count as 'first'."""
    if docs_root is None:
        return {}
    return existing_packet_ids([docs_root.packets], docs_root.folder, skip={_key(path) for path in given})


def existing_packet_ids(folders: list[Path], root: Path, *, skip: set[str] = frozenset()
                        ) -> dict[str, tuple[str, int | None]]:
    """casefolded id -> (file, line) of the packets under `folders` (files in `skip`, absolute
    paths, left out); the first file holding an id wins."""
    found, _ = discover([folder for folder in folders if folder.is_dir()], PACKET_SUFFIXES, root=root)
    first: dict[str, tuple[str, int | None]] = {}
    for path in found:
        if _key(path) in skip:
            continue
        file = display_path(path)
        doc, _ = load_yaml_file(path, file)
        packet_id = PacketHead.of_data(doc.data).id if doc is not None else None
        if packet_id is not None:
            pos = doc.position(("id",))
            first.setdefault(id_key(packet_id), (file, pos.line if pos else None))
    return first


def check_packets(
    files: list[Path],
    *,
    matrix: Matrix | None,
    docs_root: DocsRoot | None,
    known_issue_ids: set[str] | None,
) -> PacketCheck:
    """Validate each file, route it against `matrix` (None skips routing), and check ids are unique
    case-insensitively across `files` and the other packets under `docs_root`."""
    result = PacketCheck(Report(files_checked=len(files)))
    known = IdIndex(known_issue_ids) if known_issue_ids is not None else None
    first = _docs_root_ids(docs_root, files)
    with cycle_collection_paused():
        for path in files:
            _check_file(path, result, matrix=matrix, known=known, first=first)
    return result


def _check_file(path: Path, result: PacketCheck, *, matrix: Matrix | None, known: IdIndex | None,
                first: dict[str, tuple[str, int | None]]) -> None:
    """One file of `check_packets`: its problems and what the run keeps of it go into `result`."""
    file = display_path(path)
    result.files.append(file)
    text, problems = read_text(path, file)
    doc = packet = None
    if text is not None:
        result.sources.remember(file, text)
        doc, problems = load_yaml_text(text, file)
    if doc is not None:
        packet, schema_problems = validate_document(doc, Packet)
        head = PacketHead.of_data(doc.data, _flagged_keys(schema_problems))
        problems += schema_problems + _duplicate_id(head, doc, file, first)
        problems += check_packet(head, packet, doc, path=path, matrix=matrix, known_issue_ids=known)
        result.routing[file] = [p for p in problems if p.code in ROUTING_CODES]
    if packet is not None:
        result.packets.append((file, packet))
        if (title := doc.position(("title",))) is not None:
            result.title_at[file] = (title.line, title.column)
        if not any(p.severity == Severity.ERROR for p in problems):
            result.valid_ids.add(packet.id)
    result.report.extend(problems)


def _duplicate_id(head: PacketHead, doc, file: str, first: dict[str, tuple[str, int | None]]) -> list[Problem]:
    """The id's first holder is recorded in `first`; a later file holding it gets the problem.
    An id with a problem of its own (a placeholder, not an id) is no duplicate of anything."""
    packet_id = head.id
    if packet_id is None:
        return []
    seen = first.setdefault(id_key(packet_id), (file, doc.position(("id",)).line))
    if seen[0] == file:
        return []
    where = f"{seen[0]}:{seen[1]}" if seen[1] else seen[0]
    return [doc.problem(("id",), Code.DUPLICATE_ID,
                        f"id {quote(packet_id)} is already used by {where} (ids are unique, ignoring case)")]


def _holds_any(folder: Path, files: list[Path | str]) -> bool:
    """Whether any of `files` is under `folder` (usually the first one is: stop there)."""
    prefix = os.path.abspath(folder) + os.sep
    return any(os.path.abspath(file).startswith(prefix) for file in files)


@dataclass
class PacketRun:
    """The `packet validate` run: the report, and whether the run could not start (exit 2)."""

    report: Report
    could_not_run: bool = False
    empty_folders: list[str] = field(default_factory=list)  # folders named that hold no packet file
    sources: SourceLines = field(default_factory=SourceLines)  # the packets' texts, for the excerpts


def validate_packets(targets: list[Path], matrix_path: Path, *, today: date | None = None) -> PacketRun:
    """Load the matrix (its problems stop the run), discover the packets, check them.

    With no targets, `packets/` of the docs root. The known-issue reference is checked when the
    docs root has a `known_issues/` folder.
    """
    loaded = load_matrix(matrix_path, today=today)
    if loaded.matrix is None:
        report = Report(list(loaded.problems), files_checked=1)
        return PacketRun(report, could_not_run=True)
    docs_root = DocsRoot.of_matrix(matrix_path.resolve())
    if not targets:
        if not docs_root.packets.is_dir():
            raise CetoolError(f"{display_path(docs_root.packets)}: no packets folder; name files or folders to check")
        targets = [docs_root.packets]
    files, problems = discover(targets, PACKET_SUFFIXES, root=docs_root.folder)
    # Read once: the ids the references are checked against, and the issues packets may look like.
    knowledge = (load_knowledge(docs_root, matrix=None, today=today or date.today())
                 if docs_root.known_issues.is_dir() else None)
    known = knowledge.known_issue_ids if knowledge is not None else None
    # Only the packets folder named: every packet of the docs root is among `files` already, so
    # there are no others whose ids count as first (and no second walk of the folder).
    only_all = len(targets) == 1 and os.path.abspath(targets[0]) == os.path.abspath(docs_root.packets)
    result = check_packets(files, matrix=loaded.matrix, docs_root=None if only_all else docs_root,
                           known_issue_ids=known)
    result.report.extend(problems)
    # A file found but refused (a symlink leading outside the root) was looked at: it counts.
    result.report.files_checked += len({problem.file for problem in problems})
    if knowledge is not None and result.packets:  # info only, never fails: "this looks like KI-0007"
        with cycle_collection_paused():
            result.report.extend(match_packets(result.packets, knowledge, result.title_at))
    # `# cetool: ignore[code] reason` comments (docs/check.md#inline-suppression)
    result.report.problems = apply_suppressions(result.report.problems, result.files, result.sources)
    looked_at = [*files, *(p.file for p in problems)]
    empty = [display_path(t) for t in targets if t.is_dir() and not _holds_any(t, looked_at)]
    return PacketRun(result.report, empty_folders=empty, sources=result.sources)

