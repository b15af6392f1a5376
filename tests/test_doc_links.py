"""Comments point to the project's docs (`docs/packets.md#rules`): every such link resolves to
a page and a heading there, as GitHub makes the anchors."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINK = re.compile(r"docs/([a-z0-9-]+\.md)(?:#([a-z0-9-]+))?")
HEADING = re.compile(r"^#{1,6} (.+)$", re.MULTILINE)


def anchor(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _anchors(page: Path) -> set[str]:
    text = re.sub(r"^```.*?^```", "", page.read_text(encoding="utf-8"), flags=re.MULTILINE | re.DOTALL)
    return {anchor(heading) for heading in HEADING.findall(text)}


def test_docs_links_in_the_sources_resolve():
    broken = []
    for path in sorted((ROOT / "src").rglob("*.py")):
        for page, fragment in LINK.findall(path.read_text(encoding="utf-8")):
            target = ROOT / "docs" / page
            if not target.is_file() and page != "ownership.md":  # `matrix show > docs/ownership.md`
                broken.append(f"{path.relative_to(ROOT)}: docs/{page}")
            elif fragment and fragment not in _anchors(target):
                broken.append(f"{path.relative_to(ROOT)}: docs/{page}#{fragment}")
    assert not broken, "\n".join(broken)


def test_anchor_is_githubs():
    assert anchor("`cetool kb stale`") == "cetool-kb-stale"
    assert anchor("`--base REV`: matrix changes") == "--base-rev-matrix-changes"
    assert anchor("The figures (spec section 5)") == "the-figures-spec-section-5"
