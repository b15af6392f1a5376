"""Text from users' files as GitHub-flavoured markdown: one line of inline text, never markup."""

from __future__ import annotations

import re

# `_` inside a word (created_at) is not emphasis in GFM, so it stays readable unescaped there;
# `&` is escaped so an entity (`&lt;`, `&copy;`) stays the text it was in the export.
_MARKUP = r"[\\`*\[\]<>|#&~]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])"
# Also the `:` of `scheme://` and the `.` of `www.`, so a URL from the export is not made a link
# by GFM's autolinks.
_SPECIAL = re.compile(f"({_MARKUP}|(?<=[A-Za-z]):(?=//)|(?<=(?<![A-Za-z0-9])[wW]{{3}})\\.)")
_SPECIAL_LINKS_KEPT = re.compile(f"({_MARKUP})")


def escape(value: object, *, links: bool = False) -> str:
    """One line of inline markdown text: backslash-escape what GFM would read as markup or a cell
    break, and (unless `links`: the context line is the lead's own text) as a URL to link. GFM
    links an e-mail address past any escape, so a value with an `@` is a code span instead."""
    text = " ".join(str(value).split())
    if not links and "@" in text:
        return code_span(text)
    return (_SPECIAL_LINKS_KEPT if links else _SPECIAL).sub(r"\\\1", text)


def code_span(text: str) -> str:
    """A code span holding `text` as is (a `|` still needs its backslash inside a table)."""
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text.replace('|', chr(92) + '|')}{pad}{fence}"


def table(headers: list[str], rows: list[list[str]], right: set[int] = frozenset()) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |",
             "|" + "|".join("---:" if i in right else "---" for i in range(len(headers))) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines
