"""The CI files of a docs repo, as far as `cetool check` looks at them: an install step that
`cetool init` left for the team to fill in fails CI, so the gate warns about it before CI runs
(docs/check.md#installing-cetool-in-ci)."""

from __future__ import annotations

from pathlib import Path

from cetool.core.findings import Code, Problem
from cetool.core.files import display_path
from cetool.core.placeholders import CI_INSTALL_UNFILLED


def ci_files(docs_root: Path) -> list[Path]:
    """CI files that may hold cetool's install step: in the docs root and, when it is a subfolder
    of a git repository, in the folders above it up to the repository's top (where `.github/` is)."""
    here = docs_root.resolve()
    folders = [here]
    if not (here / ".git").exists():
        above = []
        for parent in here.parents:
            above.append(parent)
            if (parent / ".git").exists():
                folders += above
                break
    found = []
    for folder in folders:
        workflows = folder / ".github" / "workflows"
        if workflows.is_dir():
            found += sorted(p for p in workflows.iterdir() if p.suffix in (".yml", ".yaml") and p.is_file())
        if (folder / ".gitlab-ci.yml").is_file():
            found.append(folder / ".gitlab-ci.yml")
    return found


def unfilled_install_problems(files: list[Path]) -> list[Problem]:
    """A warning at each CI install step that `cetool init` left for the team to fill in."""
    problems = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue  # not a docs file: a CI file we cannot read is CI's business
        for number, line in enumerate(text.splitlines(), 1):
            if CI_INSTALL_UNFILLED in line:
                problems.append(Problem(
                    display_path(path), number, line.index(CI_INSTALL_UNFILLED) + 1, "", Code.CI_INSTALL_UNFILLED,
                    "the step that installs cetool in CI is not filled in yet (it fails the CI run): "
                    "write how CI installs cetool, e.g. pip install 'cetool @ git+https://host/org/cetool@<commit>', "
                    "or rerun `cetool init --install-from SPEC --force`"))
    return problems
