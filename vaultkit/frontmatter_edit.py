"""Edit one key of a note's front matter as text: every other byte stays as it was.

Round-tripping YAML through a parser would lose the user's comments, key order
and quoting, so edits work on lines: find the key's line (and the indented or
list lines that continue its value), replace just those, or add the key before
the closing fence.
"""

from __future__ import annotations

import re

KEY_RE = re.compile(r"^([A-Za-z_][\w-]*)\s*:(?:\s|$)")


def front_matter_span(lines: list[str]) -> tuple[int, int] | None:
    """(first, end) line indexes of the front matter's YAML (between the fences), or None."""
    if not lines or lines[0].lstrip("\ufeff").rstrip("\r") != "---":
        return None
    for i in range(1, len(lines)):
        if lines[i].rstrip("\r").rstrip() in ("---", "..."):
            return 1, i
    return None


def key_span(lines: list[str], key: str) -> tuple[int, int] | None:
    """(start, stop) line indexes of a top-level key and the lines that continue its value."""
    span = front_matter_span(lines)
    if span is None:
        return None
    first, end = span
    for i in range(first, end):
        found = KEY_RE.match(lines[i])
        if found and found.group(1) == key:
            stop = i + 1
            while stop < end and (lines[stop][:1] in (" ", "\t", "-") or not lines[stop].strip("\r ")):
                if not lines[stop].strip("\r ") and (stop + 1 >= end or KEY_RE.match(lines[stop + 1])):
                    break  # a blank line before the next key belongs to neither
                stop += 1
            return i, stop
    return None


def set_key(text: str, key: str, value: str) -> str:
    """`key: value` in the front matter (value already YAML), replacing the old value's lines.

    A note without front matter gets one. The note's newline style is kept.
    """
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.split("\n")
    cr = "\r" if newline == "\r\n" else ""
    new_line = f"{key}: {value}{cr}"
    span = front_matter_span(lines)
    if span is None:
        return f"---{newline}{key}: {value}{newline}---{newline}{text}"
    found = key_span(lines, key)
    if found is None:
        _, end = span
        return "\n".join([*lines[:end], new_line, *lines[end:]])
    start, stop = found
    comment = re.search(r"\s+#.*$", lines[start].rstrip("\r")) if stop == start + 1 else None
    if comment and '"' not in lines[start] and "'" not in lines[start]:
        new_line = f"{key}: {value}{comment.group(0)}{cr}"  # keep the user's comment
    return "\n".join([*lines[:start], new_line, *lines[stop:]])
