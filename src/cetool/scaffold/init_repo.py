"""`cetool init`: a starter docs repo that passes `cetool check` as created.

Templates live in `cetool/templates/init/` as `*.tmpl` (so no tool mistakes them for real
content); `dot-` stands for a leading `.` (package data globs skip dotfiles) and `YEAR` in a
file name for the year. Inside, `{{today}}`, `{{review_by}}`, `{{year}}`, `{{monday}}` (of this week) and
`{{due}}` (the example action's) are filled in, and
`{{install_step}}` becomes the CI step that installs cetool (scaffold/ci_install.py).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from cetool.core.docsroot import PACKET_SCHEMA
from cetool.core.errors import CetoolError
from cetool.core.files import atomic_write, check_writable, display_path
from cetool.packets.model import packet_schema_text
from cetool.prevention.model import ACTION_SCHEMA_FILE, action_schema_text
from cetool.prevention.template import monday_of_week
from cetool.scaffold.ci_install import InstallSpec, github_install_step, gitlab_install_line

TEMPLATE_SUFFIX = ".tmpl"
# Within the spec's 92-day limit between `effective` and `review_by` (a quarterly review).
REVIEW_AFTER_DAYS = 90
SCHEMA_FILE = PACKET_SCHEMA
# The example action is due on the Friday of the week after it was assigned.
ACTION_DUE_AFTER_DAYS = 11


@dataclass
class InitResult:
    folder: Path
    created: list[str] = field(default_factory=list)
    overwritten: list[str] = field(default_factory=list)
    install: InstallSpec | None = None  # None: the CI install step is left for the team to fill in
    ci: tuple[str, ...] = ("github",)  # the CI systems whose file was written (CI_FILES)


def _templates(node: Traversable, prefix: str = "") -> list[tuple[str, Traversable]]:
    found = []
    for child in sorted(node.iterdir(), key=lambda c: c.name):
        name = prefix + child.name
        if child.is_dir():
            found.extend(_templates(child, name + "/"))
        elif child.name.endswith(TEMPLATE_SUFFIX):
            found.append((name, child))
    return found


def _target_name(template_name: str, today: date) -> str:
    parts = ["." + p.removeprefix("dot-") if p.startswith("dot-") else p for p in template_name.split("/")]
    return "/".join(parts).removesuffix(TEMPLATE_SUFFIX).replace("YEAR", str(today.year))


# The CI file `cetool init --ci NAME` writes for each CI system.
CI_FILES = {"github": ".github/workflows/cetool.yml", "gitlab": ".gitlab-ci.yml"}


def render_templates(today: date, install: InstallSpec | None = None,
                     ci: tuple[str, ...] = ("github",)) -> dict[str, str]:
    """Relative path -> content of every starter file, dates filled in for `today`, the CI files
    of `ci` installing cetool by `install` (None: a step that says what to fill in)."""
    monday = monday_of_week(today)
    values = {"today": today.isoformat(), "review_by": (today + timedelta(days=REVIEW_AFTER_DAYS)).isoformat(),
              "year": str(today.year), "install_step": github_install_step(install),
              "gitlab_install": gitlab_install_line(install), "monday": monday.isoformat(),
              "due": (monday + timedelta(days=ACTION_DUE_AFTER_DAYS)).isoformat()}
    skipped = {file for system, file in CI_FILES.items() if system not in ci}
    root = resources.files("cetool").joinpath("templates", "init")
    out = {}
    for name, node in _templates(root):
        if _target_name(name, today) in skipped:
            continue
        text = node.read_text(encoding="utf-8")
        for key, value in values.items():
            text = text.replace("{{" + key + "}}", value)
        out[_target_name(name, today)] = text
    # Generated from the model (never a copy that could drift): packets' `$schema` lines and
    # `cetool packet new` point here, so editors complete and check packets as they are written.
    out[SCHEMA_FILE] = packet_schema_text()
    out[ACTION_SCHEMA_FILE] = action_schema_text()
    return out


def init_docs_repo(folder: Path, *, today: date, force: bool = False,
                   install: InstallSpec | None = None, ci: tuple[str, ...] = ("github",)) -> InitResult:
    """Write the starter files into `folder`. Without `force`, an existing file stops everything
    before anything is written (CetoolError listing them all); with `force` they are replaced."""
    files = render_templates(today, install, ci)
    existing = [name for name in files if (folder / name).exists()]
    if existing and not force:
        listed = ", ".join(display_path(folder / name) for name in existing)
        raise CetoolError(f"not initialising {display_path(folder) or '.'}: these files already exist: "
                          f"{listed}; nothing was written (use --force to overwrite them)")
    if folder.exists() and not folder.is_dir():
        raise CetoolError(f"{display_path(folder)} is a file, not a folder")
    for name in files:  # every target is checked before the first file is written
        check_writable(folder / name, force=True, root=folder)
    result = InitResult(folder, install=install, ci=ci)
    for name, text in files.items():
        atomic_write(folder / name, text, force=force, root=folder)
        (result.overwritten if name in existing else result.created).append(name)
    return result


def _inside_git_repo(folder: Path) -> bool:
    here = folder.resolve()
    return any((candidate / ".git").exists() for candidate in (here, *here.parents))


def next_steps(result: InitResult, *, pre_commit_on_path: bool | None = None) -> list[str]:
    """What to do after `cetool init`, in order; git and pre-commit steps only where they apply."""
    if pre_commit_on_path is None:
        pre_commit_on_path = shutil.which("pre-commit") is not None
    folder = result.folder.as_posix()
    steps = [] if folder in (".", "") else [f"cd {folder}"]
    for system in result.ci if result.install is None else ():
        steps.append(f"edit {CI_FILES[system]}: fill in how CI installs cetool "
                     "(or rerun with --install-from SPEC --force)")
    if not _inside_git_repo(result.folder):
        steps.append("git init                  # CI, pre-commit and `cetool check --base` need a git repository")
    git_hooks = result.folder.resolve() / ".git" / "hooks" / "pre-commit"
    if not git_hooks.exists():
        install = "pre-commit install" if pre_commit_on_path else "pip install pre-commit && pre-commit install"
        steps.append(f"{install:<25} # run the checks on every commit")
    steps.append("cetool check")
    return steps
