"""F6 of issue 14: `matrix show --format markdown` escapes text from ownership.yaml as the
metrics markdown escapes the export, with the one escaper (docs/security.md#markdown)."""

from __future__ import annotations

import shutil

import cmarkgfm
from cmarkgfm.cmark import Options

from cetool.core.markdown import escape
from security_tools import REPO, assert_handled, cetool

HOSTILE = ("First contact <img src=x onerror=\"document.title='PWNED'\"> [reset SSO](https://evil.example/login) "
           "**bold** www.evil.example | cell")


def _as_a_site_generator_renders_it(markdown: str) -> str:
    # Raw HTML allowed, as many site generators do: the escaping must hold on its own.
    return cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)


def test_a_hostile_description_is_text_in_the_published_page(tmp_path) -> None:
    shutil.copy(REPO / "ownership.yaml", tmp_path / "ownership.yaml")
    matrix = tmp_path / "ownership.yaml"
    text = matrix.read_text(encoding="utf-8")
    old = "description: First contact and intake for all inbound issues"
    assert old in text
    matrix.write_text(text.replace(old, "description: '" + HOSTILE.replace("'", "''") + "'"), encoding="utf-8")
    assert_handled(cetool("matrix", "check", "--matrix", matrix), codes=(0,))
    run = cetool("matrix", "show", "--format", "markdown", "--matrix", matrix)
    assert_handled(run, codes=(0,))
    html = _as_a_site_generator_renders_it(run.stdout)
    assert "<img" not in html and "evil.example" in html
    assert 'href="https://evil.example' not in html and 'href="http://www.evil' not in html
    assert "<strong>bold</strong>" not in html
    row = next(line for line in run.stdout.splitlines() if "intake" in line and "First contact" in line)
    assert row.count(" | ") == 3  # the `|` in the text did not add a cell


def test_one_escaper_serves_both_pages() -> None:
    from cetool.matrix import page
    from cetool.metrics.report import markdown as metrics_markdown

    assert metrics_markdown.escape is escape
    assert page.escape is escape
