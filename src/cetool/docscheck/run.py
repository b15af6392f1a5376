"""`cetool check`: the docs-repo CI gate. One run validates the matrix, every packet, runbook and
known issue, and every reference between them; with a base revision it also catches a matrix
change that kept its version or broke the routing of existing packets.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from cetool.core.docsroot import MATRIX_NAME, PACKET_SUFFIXES, DocsRoot, resolve_docs_root
from cetool.core.errors import CetoolError
from cetool.core.findings import Code, Problem, Report
from cetool.core.files import SourceLines, discover, display_path
from cetool.core.git import refuse_option_like, run_git
from cetool.core.suppress import apply_suppressions
from cetool.knowledge.load import load_knowledge
from cetool.matrix.load import diff_matrices, load_matrix, load_matrix_text
from cetool.metrics.record import record_problems
from cetool.packets.validate import check_packets
from cetool.docscheck.ci_files import ci_files, unfilled_install_problems
from cetool.prevention.load import load_prevention


@dataclass
class GateResult:
    report: Report
    files: list[str] = field(default_factory=list)  # every file checked, in order
    could_not_run: bool = False  # the matrix could not be built (exit 2, problems still shown)
    matrix_errors: int = 0  # errors in ownership.yaml itself (not the whole run's)
    sources: SourceLines = field(default_factory=SourceLines)  # the texts already read (the packets')


def run_check(root: Path, *, today: date, base: str | None = None) -> GateResult:
    """Check the docs repo at `root`. Raises CetoolError only when it cannot start at all."""
    docs_root = resolve_docs_root(root, option="ROOT", upward=False)
    if not docs_root.matrix.is_file():
        raise CetoolError(f"no {MATRIX_NAME} in {display_path(root) or '.'}; "
                          "a docs root holds ownership.yaml (run `cetool init` to start one)")
    matrix_file = display_path(docs_root.matrix)
    loaded = load_matrix(docs_root.matrix, file=matrix_file, today=today, root=root)
    report = Report(list(loaded.problems), files_checked=1)
    files = [matrix_file]

    knowledge = load_knowledge(docs_root, matrix=loaded.matrix, today=today)
    report.extend(knowledge.problems)

    packet_files, discovery_problems = _packet_files(docs_root)
    report.extend(discovery_problems)
    # docs_root=None: these are all the docs root's packets, so no other ids count as first.
    packets = check_packets(packet_files, matrix=loaded.matrix, docs_root=None,
                            known_issue_ids=knowledge.known_issue_ids)
    report.extend(packets.report.problems)
    # A "file checked" is every file the run looked at, refused ones (a symlink leading outside
    # the root) included: the count and JUnit's testcases are the same list.
    files += [display_path(p) for p in packet_files] + list(dict.fromkeys(p.file for p in discovery_problems))
    files += knowledge.files
    actions = load_prevention(docs_root, matrix=loaded.matrix, knowledge=knowledge, today=today)
    if actions is not None:
        report.extend(actions.report.problems)
        files += actions.files
    report.extend(record_problems(docs_root, today))
    # The CI files `cetool init` wrote: an install step left to fill in fails CI (a warning here).
    workflows = ci_files(docs_root.folder)
    report.extend(unfilled_install_problems(workflows))
    files += [display_path(p) for p in workflows]
    report.files_checked = len(files)

    if base is not None and loaded.matrix is not None:
        report.extend(_base_problems(docs_root, base, loaded, packet_files, packets, knowledge, today))
    # `# cetool: ignore[code] reason` comments (docs/check.md#inline-suppression)
    report.problems = apply_suppressions(report.problems, files, packets.sources)
    return GateResult(report, files, could_not_run=loaded.matrix is None, matrix_errors=len(loaded.errors),
                      sources=packets.sources)


def _packet_files(docs_root: DocsRoot) -> tuple[list[Path], list[Problem]]:
    if not docs_root.packets.is_dir():
        return [], []
    return discover([docs_root.packets], PACKET_SUFFIXES, docs_root.folder)


def matrix_at(root: Path, rev: str) -> str | None:
    """The text of `root/ownership.yaml` at git revision `rev`; None when it did not exist there."""
    def git(*args: str) -> subprocess.CompletedProcess[bytes]:
        return run_git(*args, cwd=root, doing=f"--base {rev}")

    refuse_option_like(rev, f"--base {rev}")
    if git("rev-parse", "--is-inside-work-tree").returncode != 0:
        raise CetoolError(f"--base {rev}: {display_path(root) or '.'} is not inside a git repository, "
                          "so there is no revision to compare with")
    if git("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").returncode != 0:
        raise CetoolError(f"--base {rev}: not a git revision of the repository at {display_path(root) or '.'}")
    shown = git("show", f"{rev}:./{MATRIX_NAME}")
    return shown.stdout.decode("utf-8", "replace") if shown.returncode == 0 else None


def _base_problems(docs_root, base, loaded, packet_files, packets, knowledge, today) -> list[Problem]:
    old_text = matrix_at(docs_root.folder, base)
    if old_text is None:  # a matrix added since `base`: nothing to compare it with
        return []
    old = load_matrix_text(old_text, f"{base}:{MATRIX_NAME}", today=today)
    if old.parsed is None:  # the old matrix could not even be parsed: nothing to compare
        return []
    problems = []
    if diff_matrices(old.parsed, loaded.matrix).content_changed and old.parsed.version == loaded.matrix.version:
        problems.append(loaded.doc.problem(
            ("version",), Code.MATRIX_VERSION_NOT_BUMPED,
            f"ownership.yaml changed since {base} but version is still {loaded.matrix.version!r}; "
            "bump it so packets and reports can say which matrix they used"))
    if old.matrix is None:  # the old matrix had errors: packets could not be valid under it
        return problems
    before = check_packets(packet_files, matrix=old.matrix, docs_root=None,
                           known_issue_ids=knowledge.known_issue_ids)
    old_v, new_v = old.matrix.version, loaded.matrix.version
    versions = f"version {old_v} -> {new_v}" if old_v != new_v else f"version still {new_v}"
    for file, now in packets.routing.items():
        was = {(p.code, p.path) for p in before.routing.get(file, [])}
        for where in (p for p in now if (p.code, p.path) not in was):
            problems.append(Problem(
                file, where.line, where.column, where.path, Code.ROUTING_BROKEN_BY_MATRIX,
                f"the matrix change since {base} ({versions}) "
                f"breaks this packet's routing: {where.message}"))
    return problems
