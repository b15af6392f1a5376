"""Every output example of docs/knowledge.md is the real output of this repo's own content.

A ```console block runs on the content as shipped; a ```text block shows the content after one
edit, named in EDITS by its command (a new text example without one fails here).
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from kbtools import edit

DOC = Path(__file__).resolve().parents[2] / "docs" / "knowledge.md"
_BLOCK = re.compile(r"^```(console|text)\n(.*?)^```$", re.MULTILINE | re.DOTALL)

EDITS = {
    "cetool packet validate packets/ESC-2026-0147.yaml":
        ("packets/ESC-2026-0147.yaml", "known_issue: KI-0002\n", ""),
    "cetool kb stale --today 2026-11-23":
        ("known_issues/KI-0004.md", "first_seen: 2026-04-14", "first_seen: [2026-04-14"),
}


def _examples() -> list:
    """(block kind, command, output shown) for each `$ cetool ...` line of the page."""
    found = []
    for kind, body in _BLOCK.findall(DOC.read_text(encoding="utf-8")):
        for chunk in re.split(r"^\$ ", body, flags=re.MULTILINE)[1:]:
            command, _, output = chunk.partition("\n")
            found.append(pytest.param(kind, command, output.rstrip("\n") + "\n", id=f"{kind}: {command}"))
    return found


def test_the_page_has_examples():
    assert {example.values[0] for example in _examples()} == {"console", "text"}


@pytest.mark.parametrize("kind, command, shown", _examples())
def test_each_example_is_the_real_output(cli, docs, monkeypatch, kind, command, shown):
    if kind == "text":
        edit(docs / EDITS[command][0], *EDITS[command][1:])
    monkeypatch.chdir(docs)
    args = shlex.split(command)
    assert args[0] == "cetool"
    assert cli(*args[1:]).output.rstrip("\n") + "\n" == shown
