"""Reading the runbooks or known issues of a folder: each `.md` file parsed once, as `Parsed`.

What `load_knowledge` (cetool.knowledge.load) validates and cross-references.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cetool.core.docsroot import MARKDOWN_SUFFIXES
from cetool.core.files import discover, display_path
from cetool.core.findings import Problem
from cetool.yamldoc.frontmatter import MarkdownDoc, load_markdown_file


@dataclass
class Parsed:
    """One `.md` file: its parsed form (None when unreadable) and the model when it validated."""

    file: str
    doc: MarkdownDoc | None
    model: Any = None

    def raw(self, key: str) -> Any:
        front = self.doc.front if self.doc else None
        return front.data.get(key) if front is not None else None

    @property
    def id(self) -> str | None:
        """The id as written; when the front matter could not be parsed, the id its `id:` line
        names (so references to a file with another mistake still resolve)."""
        value = self.raw("id")
        if isinstance(value, str) and value.strip():
            return value.strip()
        return self.doc.scanned_id if self.doc is not None and self.doc.front is None else None


def _markdown_files(folder: Path, root: Path) -> tuple[list[Path], list[Problem]]:
    if not folder.is_dir():
        return [], []
    return discover([folder], MARKDOWN_SUFFIXES, root)


def load_folder(folder: Path, root: Path) -> tuple[list[Parsed], list[Problem]]:
    """Every `.md` file found, parsed; a file found but refused (a symlink leading outside the
    root) is kept too, unparsed, so it counts as a file checked and reporters list it."""
    paths, problems = _markdown_files(folder, root)
    parsed = [Parsed(file, None) for file in dict.fromkeys(p.file for p in problems)]
    for path in paths:
        file = display_path(path)
        doc, file_problems = load_markdown_file(path, file)
        problems.extend(file_problems)
        parsed.append(Parsed(file, doc))
    return parsed, problems


def raw_ids(files: list[Parsed]) -> set[str]:
    return {p.id for p in files if p.id is not None}
