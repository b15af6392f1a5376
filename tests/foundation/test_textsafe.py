"""Text from users' files reaches terminals, CI logs and XML escaped and bounded."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from hypothesis import given
from hypothesis import strategies as st

from cetool.core.findings import Problem, Report
from cetool.reporters import github, junit, text
from cetool.core.textsafe import EXCERPT_WIDTH, excerpt, quote, visible, xml_safe

ESC_TITLE = 'title: "\x1b]0;PWNED\x07\x1b[2J"'


def test_visible_escapes_controls_but_keeps_tabs_and_text():
    assert visible("a\x1b[2Jb\x07\tc\u202e") == "a\\x1b[2Jb\\x07\tc\\u202e"
    assert visible("Ünïcødé ✓") == "Ünïcødé ✓"


def test_quote_shortens_long_values_and_escapes_controls():
    assert quote("abc") == "'abc'"
    long = quote("x" * 1000)
    assert len(long) < 100 and "940 more characters" in long
    assert "\x1b" not in quote("\x1b[2J")


def test_xml_safe_removes_only_what_xml_forbids():
    assert xml_safe("ctl\x01name\ufffe.yaml") == "ctl\\x01name\\ufffe.yaml"
    assert xml_safe("tab\tnewline\n✓") == "tab\tnewline\n✓"


def _caret_target(line: str, column: int) -> str:
    shown, padding = excerpt(line, column)
    return shown[len(padding)] if len(padding) < len(shown) else ""


def test_excerpt_windows_a_long_line_with_marks_and_a_true_caret():
    line = "a" * 5000 + "X" + "b" * 5000
    shown, padding = excerpt(line, 5001)
    assert len(shown) <= EXCERPT_WIDTH + 2 and shown.startswith("…") and shown.endswith("…")
    assert shown[len(padding)] == "X"


def test_excerpt_caret_lines_up_after_escaped_controls_and_tabs():
    line = "\ttitle: \x1b]0;x\x07 VALUE"
    shown, padding = excerpt(line, line.index("VALUE") + 1)
    assert shown[len(padding):].startswith("VALUE") and "\x1b" not in shown
    assert padding.startswith("\t")


@given(st.text(alphabet=st.sampled_from("ab\x1b\x07\t✓"), min_size=1, max_size=400),
       st.integers(min_value=0, max_value=399))
def test_excerpt_caret_always_points_at_the_columns_character(line, index):
    line = line.rstrip() or "a"
    index = min(index, len(line) - 1)
    shown, padding = excerpt(line, index + 1)
    assert shown[len(padding):].startswith(visible(line[index]))
    assert "\x1b" not in shown and "\x07" not in shown


def test_text_and_github_reporters_escape_messages_and_source(tmp_path):
    path = tmp_path / "e.yaml"
    path.write_text(f"id: x\n{ESC_TITLE}\n", encoding="utf-8")
    problem = Problem(str(path), 2, 8, "title", "invalid-value", "got '\x1b]0;PWNED\x07'")
    report = Report([problem], files_checked=1)
    for out in (text.render(report), github.render(report)):
        assert "\x1b" not in out and "\x07" not in out and "\\x1b" in out


def test_junit_is_valid_xml_with_a_control_character_in_a_file_name():
    problem = Problem("packets/ctl\x01name.yaml", 1, 1, "", "yaml-syntax", "bad \x02 value")
    xml = junit.render(Report([problem], files_checked=1), files=["packets/ctl\x01name.yaml"])
    root = ET.fromstring(xml.encode("utf-8"))
    assert [c.get("name") for c in root.iter("testcase")] == ["packets/ctl\\x01name.yaml"]
