"""The docs root: the folder holding the `ownership.yaml` in use (spec section 0)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

MATRIX_NAME = "ownership.yaml"
PACKET_SUFFIXES = (".yaml", ".yml")
MARKDOWN_SUFFIXES = (".md",)


def find_matrix(start: Path | None = None) -> Path | None:
    """`ownership.yaml` in `start` or the nearest folder above it."""
    folder = (start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        path = candidate / MATRIX_NAME
        if path.is_file():
            return path
    return None


@dataclass(frozen=True)
class DocsRoot:
    folder: Path

    @classmethod
    def of_matrix(cls, matrix_path: Path) -> "DocsRoot":
        return cls(matrix_path.parent)

    @property
    def matrix(self) -> Path:
        return self.folder / MATRIX_NAME

    @property
    def packets(self) -> Path:
        return self.folder / "packets"

    @property
    def runbooks(self) -> Path:
        return self.folder / "runbooks"

    @property
    def known_issues(self) -> Path:
        return self.folder / "known_issues"
