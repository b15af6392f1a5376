"""Front matter and `## ` sections of Markdown files (spec section 3)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cetool.yamldoc.frontmatter import parse_markdown, section_key

DOC = """---
id: RB-X
title: A title
---
# RB-X

## Symptoms
It breaks.

```sql
## not a heading (inside a fence)
```

~~~
## also not a heading
~~~

### A subsection stays in Symptoms

## DETECTION ::
Query here.
# A level-1 heading ends the section
text outside any section
##   Escalation criteria ##
Escalate.
"""


def test_front_matter_and_sections_with_file_line_numbers():
    doc, problems = parse_markdown(DOC, "x.md")
    assert problems == []
    assert doc.front.data == {"id": "RB-X", "title": "A title"}
    assert doc.front.position(("title",)).line == 3
    assert [(s.key, s.line) for s in doc.sections] == [
        ("symptoms", 7), ("detection", 20), ("escalation criteria", 24)]
    symptoms = doc.section("symptoms")
    assert "## not a heading" in symptoms.body and "### A subsection" in symptoms.body
    assert "text outside" not in doc.section("detection").body
    assert doc.section("escalation criteria").body.strip() == "Escalate."


def test_yaml_problems_point_at_lines_of_the_md_file():
    text = "---\nid: RB-X\ntitle: one\ntitle: two\n---\n## Symptoms\nx\n"
    doc, problems = parse_markdown(text, "x.md")
    assert [(p.line, p.code) for p in problems] == [(4, "duplicate-key")]
    bad = "---\nid: RB-X\ntitle: [unclosed\n---\n"
    _, problems = parse_markdown(bad, "x.md")
    assert problems[0].code == "yaml-syntax" and problems[0].line >= 3


def test_no_front_matter_unclosed_and_empty():
    for text, code in (("# Title\n\n## Symptoms\nx\n", "no-front-matter"),
                       ("\n---\nid: X\n---\n", "no-front-matter"),
                       ("---\nid: X\n## Symptoms\n", "no-front-matter"),
                       ("---\n---\n## Symptoms\nx\n", "empty-document")):
        doc, problems = parse_markdown(text, "x.md")
        assert [p.code for p in problems] == [code], text
        assert doc.front is None


def test_crlf_line_ends_keep_line_numbers():
    doc, problems = parse_markdown(DOC.replace("\n", "\r\n"), "x.md")
    assert problems == []
    assert [s.line for s in doc.sections] == [7, 20, 24]


def test_an_unclosed_fence_hides_later_headings():
    doc, _ = parse_markdown("---\nid: X\n---\n## Symptoms\n```\n## Detection\n", "x.md")
    assert [s.key for s in doc.sections] == ["symptoms"]


def test_comment_only_section_is_empty():
    doc, _ = parse_markdown("---\nid: X\n---\n## Symptoms\n<!-- fill in -->\n\n## Detection\nq\n", "x.md")
    assert doc.section("symptoms").is_empty and not doc.section("detection").is_empty


# Section names are English words; (Turkish dotless i and friends do not round-trip through upper()).
_title = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-", min_size=1, max_size=12)


@given(words=st.lists(_title, min_size=1, max_size=3), trail=st.text(alphabet="#: ", max_size=4),
       upper=st.booleans())
def test_headings_match_ignoring_case_and_trailing_marks(words, trail, upper):
    title = " ".join(words)
    written = (title.upper() if upper else title) + trail
    doc, _ = parse_markdown(f"---\nid: X\n---\n## {written}\nbody\n", "x.md")
    assert [s.key for s in doc.sections] == [section_key(title)]
    assert doc.sections[0].line == 4


_markdownish = st.lists(st.sampled_from(["---", "## Symptoms", "## Detection:", "```", "~~~", "# Top", "id: X",
                                         "title: [", "text", "", "   ## Indented", "####### seven"]),
                        max_size=25)


@given(lines=_markdownish, noise=st.text(max_size=30))
def test_parsing_never_raises_and_sections_point_at_their_headings(lines, noise):
    text = "\n".join(lines) + "\n" + noise
    doc, problems = parse_markdown(text, "x.md")
    file_lines = text.splitlines()
    for section in doc.sections:
        assert file_lines[section.line - 1].lstrip().startswith("##")
    assert all(p.file == "x.md" and (p.line is None or p.line >= 1) for p in problems)


def test_html_comments_are_not_content():
    text = ("---\nid: X\n---\n## Symptoms\nIt breaks.\n<!--\n## Workaround\nfill in\n```\n-->\n"
            "## Detection <!-- the query -->\nq <!-- inline --> r\n")
    doc, _ = parse_markdown(text, "x.md")
    # The fence opened inside the comment does not hide the Detection heading either.
    assert [(s.key, s.line) for s in doc.sections] == [("symptoms", 4), ("detection", 11)]
    assert doc.section("symptoms").body.split("\n") == ["It breaks.", "", "", "", "", ""]
    assert doc.section("detection").body == "q  r"


def test_a_comment_marker_inside_a_fence_is_code():
    doc, _ = parse_markdown("---\nid: X\n---\n## Symptoms\n```html\n<!--\n```\n## Detection\nq\n", "x.md")
    assert [s.key for s in doc.sections] == ["symptoms", "detection"]
    assert "<!--" in doc.section("symptoms").body


def test_a_comment_marker_inside_inline_code_is_code():
    text = ("---\nid: X\n---\n## Symptoms\nThe page shows `<!--` and ``a ` <!-- b`` then stops.\n"
            "## Detection\nq <!-- hidden --> r\n")
    doc, _ = parse_markdown(text, "x.md")
    assert [s.key for s in doc.sections] == ["symptoms", "detection"]
    assert doc.section("symptoms").body == "The page shows `<!--` and ``a ` <!-- b`` then stops."
    assert doc.section("detection").body == "q  r"


def test_prose_leaves_out_fenced_lines():
    doc, _ = parse_markdown("---\nid: X\n---\n## Resolution\n1. one\n```\n2. two\n```\n~~~\n3. three\n", "x.md")
    assert doc.section("resolution").prose.split("\n") == ["1. one", "", "", "", "", ""]


@given(lines=_markdownish)
def test_anything_inside_a_comment_adds_no_section_and_no_content(lines):
    hidden = "\n".join(lines).replace("-->", "")
    doc, _ = parse_markdown(f"---\nid: X\n---\n## Symptoms\n<!--\n{hidden}\n-->\n## Detection\nq\n", "x.md")
    assert [s.key for s in doc.sections] == ["symptoms", "detection"]
    assert doc.section("symptoms").is_empty
