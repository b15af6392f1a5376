"""Markdown with YAML front matter: the front matter parsed with `.md` line numbers, and the
`## ` sections outside code fences and HTML comments (docs/knowledge.md#format).

Nothing here raises for bad input: problems come back as values, like the YAML loader.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path

from cetool.core.findings import Code, Problem
from cetool.yamldoc.loader import YamlDoc, load_yaml_text, read_text
from cetool.core.placeholders import is_placeholder

# Patterns here run over customers' text: each must take linear time on any input (possessive
# runs, no lazy match followed by an optional tail), see docs/security.md#linear-time-parsing.
_FENCE = re.compile(r"^ {0,3}(`{3,}+|~{3,}+)(.*)$")
# An ATX heading of any level: up to 3 spaces, 1-6 `#`, then a space or the end of the line.
# The title's trailing spaces are trimmed in code: `(.*?)[ \t]*$` is quadratic on a long run of them.
_HEADING = re.compile(r"^ {0,3}(#{1,6}+)(?:[ \t](.*))?$")
_BACKTICKS = re.compile(r"`+")
# A top-level `id: KI-0004` line (optionally quoted, optionally commented), for `scan_id`.
_ID_LINE = re.compile(r"""^id:[ \t]*(["']?)([A-Za-z0-9][A-Za-z0-9._-]*)\1[ \t]*(?:#.*)?$""")
# A list marker before a placeholder (`- TODO`, `1. TBD`) still leaves only a placeholder.
_LIST_MARKER = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+")


def section_key(title: str) -> str:
    """How a heading is matched: case-insensitive, trailing `#`, `:` and spaces trimmed."""
    return " ".join(title.strip().rstrip("#: \t").split()).casefold()


@dataclass(frozen=True, slots=True)
class Section:
    title: str  # as written, trimmed
    key: str  # section_key(title)
    line: int  # line of the `## ` heading in the .md file
    body: str  # the lines up to the next heading of level 1 or 2
    body_line: int  # the .md line the body starts on

    @property
    def is_empty(self) -> bool:
        """Only whitespace, HTML comments and placeholder lines (a template's `<!-- fill in -->`
        and `TODO` are not content, alone or together)."""
        lines = _without_comments(self.body).splitlines()
        return all(is_placeholder(_LIST_MARKER.sub("", line)) for line in lines)

    @property
    def prose(self) -> str:
        """The body outside code fences (their lines blank): where a numbered list of steps counts."""
        kept, fence = [], None
        for line in self.body.splitlines():
            after = _fence_after(line, fence)
            kept.append("" if fence is not None or after is not None else line)
            fence = after
        return "\n".join(kept)


@dataclass
class MarkdownDoc:
    file: str
    front: YamlDoc | None
    sections: list[Section] = field(default_factory=list)
    front_end_line: int = 0  # the closing `---` line; 0 when there is no front matter
    # False when the front matter is never closed: where the body starts is unknown, so the
    # sections are unknown too (not missing).
    sections_known: bool = True
    # When the front matter could not be parsed: the id its `id:` line names (see scan_id).
    scanned_id: str | None = None

    def sections_named(self, key: str) -> list[Section]:
        return [s for s in self.sections if s.key == key]

    def section(self, key: str) -> Section | None:
        found = self.sections_named(key)
        return found[0] if found else None


def _fence_closes(line: str, opener: str) -> bool:
    match = _FENCE.match(line)
    if not match:
        return False
    marks, rest = match.groups()
    return marks[0] == opener[0] and len(marks) >= len(opener) and not rest.strip()


def _fence_after(line: str, fence: str | None) -> str | None:
    """The fence open after `line` (None: outside any), given the one open before it."""
    if fence is not None:
        return None if _fence_closes(line, fence) else fence
    match = _FENCE.match(line)
    # A backtick fence's info string may not contain a backtick (CommonMark).
    if match and not (match.group(1)[0] == "`" and "`" in match.group(2)):
        return match.group(1)
    return None


def _without_comments(text: str) -> str:
    """`text` without its closed `<!-- ... -->` comments (an unclosed `<!--` stays as text)."""
    kept, pos = [], 0
    while (start := text.find("<!--", pos)) >= 0:
        end = text.find("-->", start + 4)
        if end < 0:
            break
        kept.append(text[pos:start])
        pos = end + 3
    kept.append(text[pos:])
    return "".join(kept)


def code_spans(line: str) -> list[tuple[int, int]]:
    """(begin, end) of each inline code span of one line, in order: a run of backticks up to the
    next run of the same length (CommonMark); a run with no such partner is text.

    A scan of backtick runs, not one regex: `(`+).*?\\1` looks for a partner from
    every run again: quadratic time on a line of unmatched runs (docs/security.md#linear-time-parsing).
    """
    runs = [(match.start(), len(match.group())) for match in _BACKTICKS.finditer(line)]
    by_length: dict[int, list[int]] = {}
    for index, (_, length) in enumerate(runs):
        by_length.setdefault(length, []).append(index)
    spans, index = [], 0
    while index < len(runs):
        start, length = runs[index]
        same = by_length[length]
        after = bisect_right(same, index)
        if after == len(same):
            index += 1
            continue
        partner = same[after]
        spans.append((start, runs[partner][0] + length))
        index = partner + 1
    return spans


def _comment_start(line: str, pos: int, spans: list[tuple[int, int]]) -> int:
    """Where the next `<!--` at or after `pos` opens a comment: not inside one of the line's
    inline code `spans` (`<!--` written as code is text); -1 when none does."""
    start = line.find("<!--", pos)
    while start >= 0 and spans:
        # The last span beginning at or before `start` is the only one that can hold it.
        index = bisect_right(spans, (start, len(line) + 1)) - 1
        if index < 0 or spans[index][1] <= start:
            return start
        start = line.find("<!--", spans[index][1])
    return start


def _outside_comments(line: str, in_comment: bool) -> tuple[str, bool]:
    """The text of `line` outside HTML comments, and whether a comment is still open after it."""
    spans = code_spans(line) if "`" in line and "<!--" in line else []
    visible, pos = [], 0
    while True:
        if in_comment:
            end = line.find("-->", pos)
            if end < 0:
                return "".join(visible), True
            pos, in_comment = end + 3, False
        else:
            start = _comment_start(line, pos, spans)
            if start < 0:
                visible.append(line[pos:])
                return "".join(visible), False
            visible.append(line[pos:start])
            pos, in_comment = start + 4, True


def split_sections(lines: list[str], first_line: int) -> list[Section]:
    """`## ` sections of `lines`, whose first element is line `first_line` of the file.

    HTML comments are not content: a heading or fence inside one does not count, and bodies
    hold the text outside comments (one body line per file line, so lines keep their numbers).
    """
    sections: list[Section] = []
    current: tuple[str, int, list[str]] | None = None
    fence: str | None = None
    in_comment = False

    def close() -> None:
        if current is not None:
            title, line, body = current
            sections.append(Section(title, section_key(title), line, "\n".join(body), line + 1))

    for offset, raw in enumerate(lines):
        number = first_line + offset
        if fence is not None:  # inside a fence `<!--` is code, not a comment
            line, fence = raw, _fence_after(raw, fence)
        else:
            line, in_comment = _outside_comments(raw, in_comment)
            fence = _fence_after(line, None)
            heading = _HEADING.match(line) if fence is None else None
            if heading and len(heading.group(1)) <= 2:
                close()
                title = (heading.group(2) or "").strip(" \t")
                current = (title, number, []) if len(heading.group(1)) == 2 else None
                continue
        if current is not None:
            current[2].append(line)
    close()
    return sections


def scan_id(lines: list[str]) -> str | None:
    """The id named by a top-level `id:` line of the front-matter block, read without YAML.

    Best effort, for a file whose front matter cannot be parsed (not on line 1, never closed,
    a YAML error elsewhere): references to the file still resolve, so one mistake is reported
    once. The block is the first `---` line (only blank lines before it) up to the next `---`
    or the end of the file. The file name is not used: it need not match the id.
    """
    start = next((i for i, line in enumerate(lines) if line.strip()), None)
    if start is None or lines[start].rstrip() != "---":
        return None
    for line in lines[start + 1:]:
        if line.rstrip() == "---":
            return None
        if match := _ID_LINE.match(line.rstrip()):
            return match.group(2)
    return None


def parse_markdown(text: str, file: str) -> tuple[MarkdownDoc, list[Problem]]:
    """Front matter (between `---` lines, the first on line 1) and sections of one `.md` text."""
    lines = text.splitlines()
    if not lines or lines[0].rstrip() != "---":
        problem = Problem(file, 1, 1, "", Code.NO_FRONT_MATTER,
                          "the file must start with YAML front matter between `---` lines on line 1")
        return MarkdownDoc(file, None, split_sections(lines, 1), scanned_id=scan_id(lines)), [problem]
    closing = next((i for i in range(1, len(lines)) if lines[i].rstrip() == "---"), None)
    if closing is None:
        problem = Problem(file, 1, 1, "", Code.NO_FRONT_MATTER,
                          "the front matter opened on line 1 is never closed with a `---` line")
        return MarkdownDoc(file, None, [], sections_known=False, scanned_id=scan_id(lines)), [problem]
    yaml_text = "\n".join(lines[1:closing]) + "\n"
    front, problems = load_yaml_text(yaml_text, file, line_offset=1)
    if front is None and yaml_text.strip() == "":
        problems = [Problem(file, 1, 1, "", Code.EMPTY_DOCUMENT, "the front matter is empty")]
    body_start = closing + 1
    sections = split_sections(lines[body_start:], body_start + 1)
    scanned = scan_id(lines) if front is None else None
    return MarkdownDoc(file, front, sections, front_end_line=closing + 1, scanned_id=scanned), problems


def load_markdown_file(path: Path, file: str | None = None) -> tuple[MarkdownDoc | None, list[Problem]]:
    file = file if file is not None else str(path)
    text, problems = read_text(path, file)
    if text is None:
        return None, problems
    doc, more = parse_markdown(text, file)
    return doc, problems + more
