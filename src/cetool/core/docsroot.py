"""The docs root: the folder holding the `ownership.yaml` in use (docs/check.md#rules-every-file-follows).

Every command finds it here: a folder or matrix file named by an option, else the nearest
`ownership.yaml` in the current folder or above (a `ROOT` named to `cetool check` is never
searched upward: CI gates the folder it names).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cetool.core.errors import CetoolError
from cetool.core.files import IS_A_FOLDER, NO_SUCH_FILE, display_path, missing_reason

MATRIX_NAME = "ownership.yaml"
PACKET_SUFFIXES = (".yaml", ".yml")
MARKDOWN_SUFFIXES = (".md",)
PACKET_SCHEMA = "schemas/packet.schema.json"  # what packets' `$schema` lines point at


def find_matrix(start: Path | None = None) -> Path | None:
    """`ownership.yaml` in `start` or the nearest folder above it."""
    folder = (start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        path = candidate / MATRIX_NAME
        if path.is_file():
            return path
    return None


def resolve_matrix(named: Path | None, *, option: str = "--matrix") -> Path:
    """The matrix file named by `option`, else the nearest `ownership.yaml` (CetoolError: none)."""
    if named is not None:
        why = missing_reason(named)
        if why == IS_A_FOLDER:
            raise CetoolError(f"{named} is a folder; name the {MATRIX_NAME} file")
        if why is not None:  # a FIFO or device is named as what it is (docs/security.md#paths)
            raise CetoolError(f"{named}: {'matrix file not found' if why == NO_SUCH_FILE else why}")
        return named
    found = find_matrix()
    if found is None:
        raise CetoolError(f"no {MATRIX_NAME} in this folder or any folder above it; pass {option} FILE")
    return found


def resolve_docs_root(named: Path | None, *, option: str, upward: bool = True) -> DocsRoot | None:
    """The folder named by `option` (it must be one), else, when `upward`, the folder of the
    nearest `ownership.yaml`; None when there is none (each command says what that means)."""
    if named is not None:
        why = missing_reason(named, folder=True)
        if why is not None:
            hint = "; name the docs root folder" if why.startswith("is ") else ""
            raise CetoolError(f"{option} {display_path(named)}: {why}{hint}")
        return DocsRoot(named)
    found = find_matrix() if upward else None
    return DocsRoot(found.parent) if found is not None else None


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

    @property
    def packet_schema(self) -> Path:
        return self.folder / PACKET_SCHEMA
