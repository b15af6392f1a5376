"""Which strptime formats have a fixed layout, and what a format could read
(docs/metrics.md#date-formats): the reasoning on formats that `cetool.metrics.layouts` reads the
bytes by.

A layout is a format whose every value has one length: literal bytes, numeric fields and the
English month abbreviation (`%b`) and AM/PM (`%p`) at fixed positions, as Jira writes
`18/Nov/25 10:35 AM`. pandas reads those names case-insensitively, in the C locale a Python
program starts in; a value whose name is written in other bytes (`ſep`, `Sept`) has another
length, and is left to pandas.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

# strptime fields read here: width, lowest and highest value. pandas' pattern for each accepts
# its two-digit forms first (`3[01]|[12]\d|0[1-9]|[1-9]`), so on a value of the exact layout
# its first match is the fixed positions read here, and it consumes the whole value.
FIELDS = {"d": (2, 1, 31), "m": (2, 1, 12), "Y": (4, 1678, 2261), "y": (2, 0, 99),
          "H": (2, 0, 23), "M": (2, 0, 59), "S": (2, 0, 59), "I": (2, 1, 12)}
DEFAULTS = {"m": 1, "d": 1}  # what strptime assumes for a missing field (year 1900, time 0:00)
# Fields written as names: the names, lower-case, in the order of their value (month 1..12;
# AM, PM). pandas' pattern is `(?P<b>jan|feb|...)` and `(?P<p>am|pm)`, ignoring case.
NAMES = {"b": ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
         "p": ("am", "pm")}


def width_of(directive: str) -> int:
    return len(NAMES[directive][0]) if directive in NAMES else FIELDS[directive][0]


@dataclass(frozen=True)
class Layout:
    """A strptime format whose every value has one length: literal bytes and fields (numbers or
    names) at fixed positions."""

    length: int
    literals: tuple[tuple[int, int], ...]  # (position, byte)
    fields: tuple[tuple[str, int], ...]  # (directive, position of its first character)

    def template(self) -> str:
        """The layout with 0 for every digit and the first name for a name: a pattern that tells
        digits from other characters (`\\d`, `[T ]`, `[+-]`) matches it exactly when it
        matches any value of the layout, the letters of a name aside (`letter_positions`)."""
        chars = ["0"] * self.length
        for position, byte in self.literals:
            chars[position] = chr(byte)
        for directive, start in self.fields:
            if directive in NAMES:
                chars[start:start + width_of(directive)] = NAMES[directive][0]
        return "".join(chars)

    def letter_positions(self) -> frozenset[int]:
        """Where a name's letters are: a value may hold any name there, not only the template's."""
        return frozenset(position for directive, start in self.fields if directive in NAMES
                         for position in range(start, start + width_of(directive)))


def _pieces(fmt: str) -> Iterator[tuple[bool, str]]:
    """A strptime format as (whether a directive, its letter or the literal character); `%%` is
    the literal `%`, and a `%` at the very end a directive with no letter."""
    index = 0
    while index < len(fmt):
        if fmt[index] == "%":
            directive = fmt[index + 1:index + 2]
            index += 2
            yield (False, "%") if directive == "%" else (True, directive)
        else:
            yield False, fmt[index]
            index += 1


def layout_of(fmt: str) -> Layout | None:
    """The fixed layout of `fmt`, or None when it has a field read otherwise (a full month name,
    `%f`, `%z`, ...), a field twice, a field given two ways (`%m` and `%b`, `%H` and `%I`), `%p`
    without `%I`, or a character other than printable ASCII."""
    literals: list[tuple[int, int]] = []
    fields: dict[str, int] = {}
    position = 0
    for directive, piece in _pieces(fmt):
        if directive:
            if piece not in FIELDS and piece not in NAMES or piece in fields:
                return None
            fields[piece] = position
            position += width_of(piece)
        elif " " <= piece <= "~":
            literals.append((position, ord(piece)))
            position += 1
        else:
            return None
    given_twice = any(set(pair) <= set(fields) for pair in ("Yy", "mb", "HI"))
    if not fields or given_twice or ("p" in fields and "I" not in fields):
        return None
    return Layout(position, tuple(literals), tuple(fields.items()))


# pandas' strptime pattern of each directive, widened: (fewest, most) digits, and whether
# " 5" is allowed as well (`%d`, `%I`); None for any text (a name, an offset, AM/PM). A format
# whose widened pattern cannot match a layout's template cannot read any value of that layout.
_WIDER: dict[str, tuple[int, int, bool] | None] = {
    **dict.fromkeys("dmHMSI", (1, 2, True)), "Y": (4, 4, False), "y": (2, 2, False), "f": (1, 9, False),
    "j": (1, 3, False), **dict.fromkeys("bBaApzZ", None)}


def _widened(fmt: str) -> list[tuple[str, object]] | None:
    """`fmt` as tokens of its widened pattern; None when a directive is not understood (or
    repeated: pandas then refuses the format, whatever the values)."""
    tokens: list[tuple[str, object]] = []
    seen: set[str] = set()
    for directive, piece in _pieces(fmt):
        if directive:
            if piece not in _WIDER or piece in seen:
                return None
            seen.add(piece)
            tokens.append(("digits", _WIDER[piece]) if _WIDER[piece] else ("any", None))
        elif piece.isspace():  # strptime turns a run of white space into \s+
            if not tokens or tokens[-1][0] != "space":
                tokens.append(("space", None))
        else:  # a literal digit stands for any digit; a non-ASCII one for any character
            tokens.append(("char", piece) if piece.isascii() else ("any1", None))
    return tokens or None


def _ends(token: tuple[str, object], text: str, start: int, letters: frozenset[int]) -> set[int]:
    """Where a match of `token` starting at `start` of `text` may end; at a position of
    `letters` the text may hold any (name's) letter."""
    kind, detail = token
    if kind == "any":
        return set(range(start, len(text) + 1))
    if kind == "any1":
        return {start + 1} if start < len(text) else set()
    if kind == "space":
        end = start
        while end < len(text) and text[end].isspace():
            end += 1
        return set(range(start, end + 1))  # \s* here: wider than \s+
    if kind == "char":
        if start >= len(text):
            return set()
        here = text[start]
        if start in letters:
            same = detail.isalpha()
        else:
            same = here.isdigit() if detail.isdigit() else here.lower() == detail.lower()
        return {start + 1} if same else set()
    fewest, most, spaced = detail
    ends = {start + width for width in range(fewest, most + 1) if text[start:start + width].isdigit()
            and len(text[start:start + width]) == width}
    if spaced and text[start:start + 1] == " " and text[start + 1:start + 2].isdigit():
        ends.add(start + 2)
    return ends


def could_read(fmt: str, layout: Layout) -> bool:
    """Whether pandas, reading with `fmt`, might read some value that has `layout`; False is a
    proof that it reads none (it then gives NaT), so those values need not be tried. True also
    for a format not understood here. The widened pattern is matched against the layout's
    template by following every way through it (a template is a few dozen characters)."""
    tokens = _widened(fmt)
    if tokens is None:
        return True
    text, letters = layout.template(), layout.letter_positions()
    reachable = {0}
    for token in tokens:
        reachable = {end for start in reachable for end in _ends(token, text, start, letters)}
        if not reachable:
            return False
    return len(text) in reachable
