"""F8 of issue 14 (folder depth): a folder tree hundreds of levels deep under the docs root is
walked, not a RecursionError (exit 3). The walker keeps a stack of its own (core/files)."""

from __future__ import annotations

import os

import pytest

from security_tools import assert_handled, cetool, empty_docs_root


def _deep(top, name: str, depth: int) -> str:
    """A chain of `depth` folders under `top` (os.makedirs recurses, so not that)."""
    path = str(top)
    for _ in range(depth):
        path = os.path.join(path, name)
        os.mkdir(path)
    return path


def _remove_deep(top, name: str) -> None:
    """Remove the chain bottom up: shutil.rmtree recurses too, and pytest's clean-up of old
    temporary folders would stop at it."""
    chain = [str(top)]
    while os.path.isdir(os.path.join(chain[-1], name)):
        chain.append(os.path.join(chain[-1], name))
    for folder in reversed(chain[1:]):
        for entry in os.listdir(folder):
            if entry != name:
                os.remove(os.path.join(folder, entry))
        os.rmdir(folder)


@pytest.fixture
def deep_chains():
    made = []
    yield made
    for top, name in made:
        _remove_deep(top, name)


@pytest.mark.parametrize("depth", [490, 1500])
def test_a_deep_folder_tree_is_walked(tmp_path, depth, deep_chains) -> None:
    root = empty_docs_root(tmp_path)
    deep_chains.append((root / "known_issues", "d"))
    deepest = _deep(root / "known_issues", "d", depth)
    with open(os.path.join(deepest, "KI-9999.md"), "w", encoding="utf-8") as handle:
        handle.write("no front matter\n")
    for args in (["check", "."], ["kb", "stale"], ["kb", "search", "login"]):
        run = cetool(*args, cwd=root)
        assert_handled(run, codes=(0, 1))
    # The file at the bottom was found and read: its problem is reported.
    run = cetool("check", ".", cwd=root)
    assert run.code == 1 and "KI-9999.md" in run.stdout


def test_a_deep_tree_of_packets_is_walked(tmp_path, deep_chains) -> None:
    root = empty_docs_root(tmp_path)
    deep_chains.append((root / "packets", "p"))
    _deep(root / "packets", "p", 490)
    assert_handled(cetool("packet", "validate", cwd=root), codes=(0, 1))
