"""The matrix for people: the one-page view (text or a publishable Markdown page), a route
answer, and a diff. Each function returns a string; the CLI prints it."""

from __future__ import annotations

from cetool.core.markdown import escape
from cetool.matrix.load import MatrixDiff, Route
from cetool.matrix.model import Matrix


def _keys(items: list[str]) -> str:
    return ", ".join(items) if items else "-"


def _gate_line(to: str, senders: list[str]) -> str:
    return f"to {to}: only from {_keys(senders)}" if senders else f"to {to}: nobody may route there"


def matrix_text(matrix: Matrix) -> str:
    lines = [
        f"Ownership matrix {matrix.version}: effective {matrix.effective}, review by {matrix.review_by}",
        "",
    ]
    for key, team in matrix.teams.items():
        lines += [
            f"{team.name} ({key})",
            f"  owns          {_keys(team.owns)}",
            f"  consults on   {_keys(team.consults_on)}",
            f"  does not own  {_keys(team.does_not_own)}",
            "",
        ]
    lines.append("Escalation gates")
    lines += [f"  {_gate_line(g.to, g.from_)}" for g in matrix.escalation.gates] or ["  none"]
    lines.append(f"Named owner required for: {_keys(matrix.named_owner_for)}")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    """Text from ownership.yaml in a table cell: escaped as the metrics markdown escapes the
    export (raw HTML, links and markup are shown as text, docs/security.md#markdown)."""
    return escape(text)


def matrix_markdown(matrix: Matrix) -> str:
    out = [
        f"# Ownership matrix {escape(matrix.version)}",
        "",
        f"Effective {matrix.effective}; next review by {matrix.review_by}. "
        "If you are asking \"who owns this?\", the answer is on this page.",
        "",
        "## Who owns what",
        "",
        "| Team | Owns | Consults on | Does not own |",
        "|---|---|---|---|",
    ]
    for key, team in matrix.teams.items():
        out.append(f"| **{_cell(team.name)}** (`{key}`) | {_cell(_keys(team.owns))} | "
                   f"{_cell(_keys(team.consults_on))} | {_cell(_keys(team.does_not_own))} |")
    out += ["", "## Categories", "", "| Category | Owner | Consulted | Description |", "|---|---|---|---|"]
    for key, category in matrix.categories.items():
        owners = matrix.owners_of(key)
        out.append(f"| `{key}` | {_cell(_keys(owners))} | {_cell(_keys(matrix.consultants_of(key)))} | "
                   f"{_cell(category.description)} |")
    out += ["", "## Escalation gates", ""]
    out += [f"- {_gate_line(g.to, g.from_)}" for g in matrix.escalation.gates] or ["- none"]
    out += ["", f"A named owner (a person) is required for: {_keys(matrix.named_owner_for)}.", ""]
    return "\n".join(out)


def route_text(route: Route) -> str:
    owner = f"{route.owner_name} ({route.owner})" if route.owner else "no single owner (fix the matrix)"
    lines = [
        f"{route.category}: {route.description}",
        f"  owner          {owner}",
        f"  consulted by   {_keys(route.consulted_by)}",
        f"  must not own   {_keys(route.must_not_own)}",
    ]
    lines += [f"  gate           {_gate_line(g['to'], g['from'])}" for g in route.gates]
    lines.append(f"  named owner    required for {_keys(route.named_owner_for)}")
    lines.append(f"  matrix         version {route.matrix_version}")
    return "\n".join(lines) + "\n"


def diff_text(diff: MatrixDiff) -> str:
    if diff.identical:
        return f"identical (version {diff.new_version})\n"
    version = (f"version {diff.old_version} -> {diff.new_version}" if diff.old_version != diff.new_version
               else f"version {diff.new_version} (not bumped)")
    lines = [version]
    for change in diff.owner_changes:
        lines.append(f"  owner of {change['category']}: {change['from'] or '(none)'} -> {change['to'] or '(none)'}")
    for label, items in (("categories added", diff.categories_added), ("categories removed", diff.categories_removed),
                         ("teams added", diff.teams_added), ("teams removed", diff.teams_removed)):
        if items:
            lines.append(f"  {label}: {', '.join(items)}")
    for label, changes in (("consults on", diff.consults_changes), ("does not own", diff.does_not_own_changes)):
        for change in changes:
            parts = [f"+{k}" for k in change["added"]] + [f"-{k}" for k in change["removed"]]
            lines.append(f"  {change['team']} {label}: {' '.join(parts)}")
    for change in diff.gate_changes:
        before = _keys(change["from_before"]) if change["from_before"] is not None else "(no gate)"
        after = _keys(change["from_after"]) if change["from_after"] is not None else "(no gate)"
        lines.append(f"  gate to {change['to']}: from {before} -> {after}")
    for change in diff.other_changes:
        lines.append(f"  {change['what']}: {change['before']} -> {change['after']}")
    return "\n".join(lines) + "\n"
