"""How the CI files that `cetool init` writes install cetool: the exact cetool that wrote them,
from where it came (docs/check.md#installing-cetool-in-ci).

pip records where a distribution came from in its `direct_url.json` (PEP 610). A git install
gives a URL and a commit, which CI can install again byte for byte; a wheel at an http(s) URL
gives the URL and its hash. Anything else (a local folder, a local wheel, a package index we
cannot name) is not something CI can be trusted to reach, so the step is left for the team to
fill in, says so when it runs, and `cetool check` warns until it is filled in
(docscheck/ci_files.py). A bare
`cetool==X` is never guessed: the name may be unclaimed on the index CI uses.
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass
from importlib import metadata
from urllib.parse import urlsplit, urlunsplit

from cetool.core.errors import CetoolError
from cetool.core.placeholders import CI_INSTALL_UNFILLED as UNFILLED_MARKER

DISTRIBUTION = "cetool"
_STEP_INDENT = " " * 6
_URL_SCHEMES = ("git+", "http://", "https://", "hg+", "svn+", "bzr+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class InstallSpec:
    requirement: str  # what `pip install` gets, e.g. "cetool @ git+https://host/org/cetool@<sha>"
    source: str  # where it came from, for the comment above the step


def _without_credentials(url: str) -> str:
    """A URL without a password or token (an ssh `git@` user stays: it is not a secret)."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    userinfo, host = parts.netloc.rsplit("@", 1)
    keep = userinfo if ":" not in userinfo and userinfo == "git" else ""
    return urlunsplit(parts._replace(netloc=f"{keep}@{host}" if keep else host))


def spec_from_direct_url(direct_url: dict) -> InstallSpec | None:
    """The requirement that installs again what a PEP 610 record describes; None when CI could
    not reach it (a local folder or file, an editable checkout)."""
    url = direct_url.get("url")
    if not isinstance(url, str) or not url:
        return None
    url = _without_credentials(url)
    subdirectory = direct_url.get("subdirectory")
    fragment = f"#subdirectory={subdirectory}" if isinstance(subdirectory, str) and subdirectory else ""
    vcs = direct_url.get("vcs_info")
    if isinstance(vcs, dict):
        commit = vcs.get("commit_id")
        if vcs.get("vcs") != "git" or not isinstance(commit, str) or not re.fullmatch(r"[0-9a-f]{7,64}", commit):
            return None
        return InstallSpec(f"{DISTRIBUTION} @ git+{url}@{commit}{fragment}", f"git {url} at commit {commit}")
    archive = direct_url.get("archive_info")
    if isinstance(archive, dict) and urlsplit(url).scheme in ("http", "https"):
        hashes = archive.get("hashes") if isinstance(archive.get("hashes"), dict) else {}
        digest = f"sha256={hashes['sha256']}" if "sha256" in hashes else archive.get("hash")
        pin = f"#{digest}" if isinstance(digest, str) and not fragment else fragment
        return InstallSpec(f"{DISTRIBUTION} @ {url}{pin}", f"the archive at {url}")
    return None


def installed_spec() -> InstallSpec | None:
    """How the running cetool was installed, when CI can install it the same way."""
    try:
        text = metadata.distribution(DISTRIBUTION).read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        return None
    if not text:  # installed from a package index: which one, and whether CI reaches it, is unknown
        return None
    try:
        record = json.loads(text)
    except ValueError:
        return None
    return spec_from_direct_url(record) if isinstance(record, dict) else None


def spec_from_option(value: str) -> InstallSpec:
    """`--install-from SPEC`: a pip requirement (`cetool==1.2`, `cetool @ URL`) or a bare URL."""
    value = value.strip()
    if not value or _CONTROL.search(value):
        raise CetoolError("--install-from: expected a pip requirement such as "
                          "'cetool @ git+https://host/your-org/cetool@<commit>' or 'cetool==1.2' (one line)")
    if value.startswith(_URL_SCHEMES):
        value = f"{DISTRIBUTION} @ {value}"
    return InstallSpec(value, "--install-from")


def _quoted(command: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is YAML's): safe for any `: ` or ` #`."""
    return json.dumps(command, ensure_ascii=False)


_UNFILLED_COMMAND = f'echo "::error::{UNFILLED_MARKER}: edit the install step of this CI file" && exit 1'


def _install_comment(spec: InstallSpec | None, what: str) -> list[str]:
    if spec is not None:
        return [f"# The cetool that wrote this {what} ({spec.source}). To change it: edit the",
                "# requirement below, or rerun `cetool init --install-from SPEC --force`."]
    return ["# FILL IN: cetool could not tell where it was installed from, so this step stops CI",
            "# until you say how to install it. Replace it with, for example:",
            "#   pip install 'cetool @ git+https://host/your-org/cetool@<commit sha>'",
            "# or a version your package index really serves: pip install 'cetool==X.Y.Z'.",
            "# (`cetool init --install-from SPEC --force` writes it for you.)"]


def _install_command(spec: InstallSpec | None) -> str:
    return f"pip install {shlex.quote(spec.requirement)}" if spec is not None else _UNFILLED_COMMAND


def gitlab_install_line(spec: InstallSpec | None) -> str:
    """The job's install line, indented as an item of `cetool.script`."""
    lines = [*_install_comment(spec, "job"), f"- {_quoted(_install_command(spec))}"]
    return "\n".join("    " + line for line in lines)


def github_install_step(spec: InstallSpec | None) -> str:
    """The workflow's install step, indented as a step of `jobs.check.steps`."""
    lines = [*_install_comment(spec, "workflow"), "- name: Install cetool", f"  run: {_quoted(_install_command(spec))}"]
    return "\n".join(_STEP_INDENT + line for line in lines)
