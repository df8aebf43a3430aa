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
                if not lines[stop].strip("\r ") and (stop + 1 >= end or lines[stop + 1][:1] not in (" ", "\t", "-")):
                    break  # a blank line before the next key (or a comment) belongs to neither
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


# Edits for importers: add keys, add items to a list, add entries to a mapping. Each changes
# only the lines it names; the caller re-reads the result to check nothing else moved.

COMMENT_RE = re.compile(r"\s+#.*$")


def _newline(text: str) -> tuple[str, str]:
    """The note's newline and the carriage return each new line must carry ('' or '\\r')."""
    newline = "\r\n" if "\r\n" in text else "\n"
    return newline, "\r" if newline == "\r\n" else ""


def _key_lines(key: str, value: str) -> list[str]:
    """`key: value` as lines; a value starting with a newline is a block already indented."""
    if value.startswith("\n"):
        return [f"{key}:", *value[1:].split("\n")]
    return [f"{key}: {value}"]


def add_keys(text: str, items: list[tuple[str, str]]) -> str:
    """Add `key: value` lines (values already YAML) at the end of the front matter.

    A note without front matter gets one, after a byte order mark if it has one.
    A value that starts with a newline is a block (a mapping's indented lines).
    """
    newline, cr = _newline(text)
    new = [line for key, value in items for line in _key_lines(key, value)]
    lines = text.split("\n")
    span = front_matter_span(lines)
    if span is None:
        bom = "\ufeff" if text.startswith("\ufeff") else ""
        block = newline.join(["---", *new, "---"])
        return f"{bom}{block}{newline}{text[len(bom):]}"
    _, end = span
    return "\n".join([*lines[:end], *(line + cr for line in new), *lines[end:]])


def _key_value(lines: list[str], start: int, stop: int, key: str) -> tuple[str, str, str, list[int]] | None:
    """The key's line (without its line end), its value and comment on that line, and the
    indexes of the non-blank lines that continue it; None when the line cannot be split."""
    head = lines[start].rstrip("\r")
    parts = _value_and_comment(head, key)
    if parts is None:
        return None
    body = [i for i in range(start + 1, stop) if lines[i].strip("\r ")]
    return head, parts[0], parts[1], body


def _value_and_comment(line: str, key: str) -> tuple[str, str] | None:
    """The value text written after `key:` on its line and a trailing comment; None if unclear."""
    found = KEY_RE.match(line)
    if not found or found.group(1) != key:
        return None
    rest = line[line.index(":") + 1 :]
    comment = COMMENT_RE.search(rest)
    if comment and ('"' in rest or "'" in rest):
        return None  # a '#' inside quotes or a comment: not worth guessing
    value = rest[: comment.start()] if comment else rest
    return value.strip(), comment.group(0) if comment else ""


def extend_list(text: str, key: str, items: list[str]) -> str | None:
    """Add YAML scalars to the list under `key`, keeping its style (flow `[a, b]` or `- a` lines).

    A missing or empty key gets a flow list; a single value becomes a flow list holding the
    value as written and the new items. None when the value has a shape not edited safely
    (a flow list over several lines, a block scalar).
    """
    if not items:
        return text
    _, cr = _newline(text)
    lines = text.split("\n")
    flow = ", ".join(items)
    found = key_span(lines, key)
    if found is None:
        return add_keys(text, [(key, f"[{flow}]")])
    start, stop = found
    parts = _key_value(lines, start, stop, key)
    if parts is None:
        return None
    head, value, comment, body = parts
    if not value:
        if not body:  # `key:` with nothing: an empty value
            return _replace(lines, start, stop, [f"{key}: [{flow}]{comment}{cr}"])
        first = lines[body[0]].rstrip("\r")
        if not first.lstrip().startswith("- ") and first.strip() != "-":
            return None  # a mapping or a block scalar, not a list
        indent = first[: len(first) - len(first.lstrip())]
        new = [f"{indent}- {item}{cr}" for item in items]
        return _replace(lines, body[-1] + 1, body[-1] + 1, new)
    if body:
        return None  # a value continued on the next lines
    if value.startswith("["):
        if not value.endswith("]"):
            return None
        inner = value[1:-1]
        joined = f"[{inner.rstrip()}, {flow}]" if inner.strip() else f"[{flow}]"
    elif value.startswith(("{", "|", ">", "&", "*", "!")):
        return None
    else:
        joined = f"[{value}, {flow}]"
    prefix = head[: head.index(":") + 1]
    return _replace(lines, start, stop, [f"{prefix} {joined}{comment}{cr}"])


def add_entries(text: str, key: str, items: list[tuple[str, str]]) -> str | None:
    """Add `name: value` entries (values already YAML) to the mapping under `key`.

    A missing or empty key gets an indented block. None when the value is not a mapping
    written on its own lines or as a one-line `{...}`.
    """
    if not items:
        return text
    _, cr = _newline(text)
    lines = text.split("\n")
    found = key_span(lines, key)
    if found is None:
        return add_keys(text, [(key, "".join(f"\n  {k}: {v}" for k, v in items))])
    start, stop = found
    parts = _key_value(lines, start, stop, key)
    if parts is None:
        return None
    head, value, comment, body = parts
    if not value:
        if not body:
            new = [f"{head}{cr}", *(f"  {k}: {v}{cr}" for k, v in items)]
            return _replace(lines, start, stop, new)
        first = lines[body[0]].rstrip("\r")
        indent = first[: len(first) - len(first.lstrip())]
        if not indent or first.lstrip().startswith("-"):
            return None
        new = [f"{indent}{k}: {v}{cr}" for k, v in items]
        return _replace(lines, body[-1] + 1, body[-1] + 1, new)
    if body or not (value.startswith("{") and value.endswith("}")):
        return None
    inner = value[1:-1]
    pairs = ", ".join(f"{k}: {v}" for k, v in items)
    joined = f"{{{inner.rstrip()}, {pairs}}}" if inner.strip() else f"{{{pairs}}}"
    prefix = head[: head.index(":") + 1]
    return _replace(lines, start, stop, [f"{prefix} {joined}{comment}{cr}"])


def _replace(lines: list[str], start: int, stop: int, new: list[str]) -> str:
    return "\n".join([*lines[:start], *new, *lines[stop:]])
