"""Putting text from users' files on a terminal, in CI logs and in XML safely and briefly.

Values and source lines come from files anyone can commit: a title may hold terminal escape
sequences (`\\x1b]0;PWNED\\x07`), a line may be a megabyte long, a file name may hold a control
character. Reporters show them through these helpers so output is never hijacked, never floods,
and stays valid XML.
"""

from __future__ import annotations

import json
import re
from typing import Any

# C0 controls, DEL, C1 controls, and the Unicode line/paragraph separators and bidi overrides
# that reorder what a reader sees (the "trojan source" characters); the first keeps tabs.
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_CONTROL_AND_TAB = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
# Characters XML 1.0 forbids anywhere (attributes and text alike).
_XML_FORBIDDEN = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

# What the GitHub Actions runner reads as a workflow command in a step's log: `##[command]`
# anywhere in a line (the older syntax, still parsed), and `::command::` at the start of a line
# after white space (a lone CR ends a line too). docs/security.md#ci-logs
_OLD_COMMAND = "##["
_OLD_COMMAND_INERT = "#\\u0023["
_LINE_START_COMMAND = re.compile(r"(?:^|(?<=[\r\n]))([^\S\r\n]*+):(?=:)")
# What json.dumps(ensure_ascii=False) leaves raw in a string: C1 controls, DEL, line separators
# and bidi overrides (it escapes C0 itself).
_SURROGATE = re.compile("[\ud800-\udfff]")
_JSON_RAW = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")

QUOTE_LIMIT = 60
EXCERPT_WIDTH = 160
# A last bound for a whole message in text and github output (JSON keeps it whole): messages
# quote values with `quote`, so only a bug elsewhere would reach it.
MESSAGE_LIMIT = 1000
ELLIPSIS = "…"


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def visible(text: str, *, keep_tabs: bool = True) -> str:
    """Control characters written as `\\x1b`-style escapes, so none reaches a terminal: the one
    escaper of cetool's output. Tabs are kept unless `keep_tabs` is False (a table cell)."""
    return (_CONTROL if keep_tabs else _CONTROL_AND_TAB).sub(_escape, text)


def visible_lines(text: str) -> str:
    """`visible` line by line: for whole reports whose line breaks are their own."""
    return "\n".join(visible(line) for line in text.split("\n"))


def utf8_text(value: str) -> str:
    """A name or option as text: bytes that are not UTF-8 (the OS hands them over as
    surrogates) become U+FFFD, so the text can be written to a UTF-8 file, JSON or a terminal.
    For showing only: a path must keep its bytes to be found."""
    return _SURROGATE.sub("\ufffd", value) if _SURROGATE.search(value) else value


def ci_inert(text: str) -> str:
    """`text` with nothing a CI runner would take for a workflow command: `##[` is written
    `#\\u0023[` and a line starting with `::` starts `\\u003a:` instead. The same escapes
    JSON reads back as the same characters, so this is safe on JSON output too."""
    if _OLD_COMMAND in text:
        text = text.replace(_OLD_COMMAND, _OLD_COMMAND_INERT)
    if "::" in text:
        text = _LINE_START_COMMAND.sub(r"\1\\u003a", text)
    return text


def json_text(value: Any, indent: int | None = 2) -> str:
    """JSON for output: UTF-8 as is, but controls, line separators and bidi overrides escaped
    (`\\u202e`), and CI-inert (`ci_inert`). Decodes to exactly `value`."""
    text = json.dumps(value, indent=indent, ensure_ascii=False, default=str)
    return ci_inert(_JSON_RAW.sub(lambda match: f"\\u{ord(match.group()):04x}", text))


def xml_safe(text: str) -> str:
    """Characters XML 1.0 forbids written as `\\x01`-style escapes (and the rest left as is)."""
    return _XML_FORBIDDEN.sub(_escape, text)


def shorten(text: str, limit: int = QUOTE_LIMIT) -> str:
    """`text` cut to `limit` characters with a mark saying how much was left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}{ELLIPSIS} ({len(text) - limit:,} more characters)"


def quote(value: object, limit: int = QUOTE_LIMIT) -> str:
    """A value for a message: repr-quoted (so control characters are escaped) and shortened."""
    text = value if isinstance(value, str) else str(value)
    if len(text) <= limit:
        return repr(text)
    return f"{text[:limit]!r}{ELLIPSIS} ({len(text) - limit:,} more characters)"


def excerpt(line: str, column: int | None, width: int = EXCERPT_WIDTH) -> tuple[str, str | None]:
    """A source line as shown under a problem, and the padding that puts a caret under `column`.

    Lines longer than `width` are cut to a window around the column with `…` marks; control
    characters are escaped. The padding copies tabs from the line so the caret lines up.
    """
    line = line.rstrip()
    index = max(0, (column or 1) - 1)
    start, end = 0, len(line)
    if len(line) > width:
        start = max(0, min(index - width // 2, len(line) - width))
        end = start + width
    head = (ELLIPSIS if start > 0 else "") + visible(line[start:min(index, end)])
    shown = head + visible(line[min(index, end):end]) + (ELLIPSIS if end < len(line) else "")
    if column is None:
        return shown, None
    padding = "".join("\t" if ch == "\t" else " " for ch in head)
    return shown, padding + " " * max(0, index - end)  # a column just past the line's end
