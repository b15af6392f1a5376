"""A section holding only comments and placeholders, in any mix, is empty (QA #16)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cetool.yamldoc.frontmatter import Section

FILLER = st.sampled_from(["", "   ", "<!-- fill in -->", "TODO", "TBD", "- TODO", "1. TBD", "<symptom>",
                          "<!-- a\nlonger comment -->", "..."])


def _section(body: str) -> Section:
    return Section("Symptoms", "symptoms", 1, body, 2)


def test_comment_plus_placeholder_is_empty_but_real_text_is_not():
    assert _section("<!-- fill in -->\nTODO").is_empty
    assert _section("TODO\n<!-- fill in -->\n- TBD").is_empty
    assert not _section("<!-- fill in -->\nWebhooks fail with 401").is_empty
    assert not _section("- Rotate the secret").is_empty


@given(st.lists(FILLER, max_size=6))
def test_any_mix_of_comments_and_placeholders_is_empty(lines):
    assert _section("\n".join(lines)).is_empty


@given(st.lists(FILLER, max_size=6), st.integers(min_value=0, max_value=6))
def test_one_real_line_among_them_makes_it_content(lines, at):
    lines.insert(min(at, len(lines)), "Deliveries are rejected with 401")
    assert not _section("\n".join(lines)).is_empty
