"""A fast path for the front matter that most notes have; PyYAML reads everything else.

Hand-written on purpose: even with PyYAML's C parser, building and resolving a node
per value in Python costs more than the rest of reading a note, and it is the largest
part of a cold build of a big vault. Most front matter is flat: `key: value` lines
whose value is a plain or quoted scalar, a one-line `[a, b]` list, or a block below the
key (`- item` lines, as Obsidian's property editor writes lists, or indented
`key: value` lines, like `social:`). This module reads exactly that and *declines*
(returns None) on anything else -- anchors, tags, block scalars, escapes, multi-line
scalars, indented comments, tabs, deeper nesting -- so PyYAML keeps the last word on
every hard case. A plain scalar is resolved and constructed by the caller with the
same resolvers and constructors as the PyYAML path (dates, null, numbers), so both
paths give the same values; tests/test_flatyaml.py checks them against each other
on generated front matter.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

KEY_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):(?: +(.*))?$")
NESTED_KEY = re.compile(r"( +)([A-Za-z_][A-Za-z0-9_-]*):(?: +(.*))?$")
ITEM_LINE = re.compile(r"( *)- +(.*)$")
DOUBLE = re.compile(r'"([^"\\]*)"')
SINGLE = re.compile(r"'((?:[^']|'')*)'")
FLOW_EMPTY = re.compile(r"\[ *\]")
# One item of a flow list and what follows it: a quoted or plain scalar, then "," or "]".
# (A bare item ends with a character other than a space: the spaces before "," or "]" are not
# part of it; written so rather than with a lazy `*?`, which tries the end at every character.)
FLOW_ITEM = re.compile(r""" *(?:"([^"\\]*)"|'((?:[^']|'')*)'|([^\[\]{},#:'" ](?:[^\[\]{},#:'"]*[^\[\]{},#:'" ])?)) *([,\]])""")
# What YAML's reader refuses (PyYAML's Reader.NON_PRINTABLE), plus tab, carriage return, BOM
# and the next-line, line and paragraph separators, which the fast path leaves to PyYAML.
# Written as the characters refused rather than all but those allowed: the same set, compiled
# in a tenth of the time (4 ms, at the start of every command that reads a note).
REFUSED = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
MAX_LINE = 1000  # YAML's simple keys are limited to 1024 characters; a longer line is declined


# YAML 1.2's booleans and numbers, which the loader (fullyaml.py) and the fast path's plain
# scalars (note._plain_scalar) read in place of YAML 1.1's, so that `country: NO` stays "NO"
# and `1:30` stays "1:30": (tag, pattern, the first characters of what it matches).
YAML12_SCALARS = (
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    # no leading zero: `phone: 0123` and `zip: 01234` stay text
    ("tag:yaml.org,2002:int", r"^(?:[-+]?(?:0|[1-9][0-9]*)|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (
        "tag:yaml.org,2002:float",
        r"^(?:[-+]?(?:\.[0-9]+|(?:0|[1-9][0-9]*)\.[0-9]*)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?(?:0|[1-9][0-9]*)[eE][-+]?[0-9]+"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
)


class Decline(Exception):
    """The text is outside the fast path's subset; PyYAML will read it."""


Plain = Callable[[str], Any]  # a plain scalar -> its value, as the PyYAML path constructs it


def flat_mapping(source: str, plain: Plain, max_nodes: int) -> list[tuple[str, int, Any]] | None:
    """Top-level (key, 0-based line, value) in order, duplicates included; None to decline.

    `plain` may raise Decline. More than `max_nodes` values is declined too: PyYAML's
    path refuses such front matter and says so.
    """
    if REFUSED.search(source):
        return None
    lines = source.split("\n")
    if len(source) > MAX_LINE and max(map(len, lines)) > MAX_LINE:
        return None  # (checked once here, not line by line)
    try:
        pairs = _read(lines, plain)
    except Decline:
        return None
    nodes = 1 + 2 * len(pairs)
    for _, _, value in pairs:
        if isinstance(value, (list, dict)):
            nodes += len(value) * (2 if isinstance(value, dict) else 1)
    return pairs if nodes <= max_nodes else None


def _read(lines: list[str], plain: Plain) -> list[tuple[str, int, Any]]:
    pairs: list[tuple[str, int, Any]] = []
    i, count = 0, len(lines)
    while i < count:
        line = lines[i]
        if not line.strip(" ") or line[0] == "#":  # YAML's spaces only: "\u00a0" is text
            i += 1
            continue
        found = KEY_LINE.match(line)
        if not found:
            raise Decline
        key, text = found.groups()
        if not isinstance(plain(key), str):
            raise Decline  # a key such as `true:` or `null:`
        if text is None:
            text = ""
        elif "#" in text or text[-1:] == " ":  # else _strip_comment would return it as it is
            text = _strip_comment(text)
        if not text:
            value, after = _block(lines, i + 1, plain)
            pairs.append((key, i, value))
            i = after
            continue
        if text[0] in INDICATORS or ": " in text or text[-1] == ":":
            pairs.append((key, i, _value(text, plain, flow_ok=True)))
        else:  # a plain scalar: what _value would do, without the call
            pairs.append((key, i, plain(text)))
        i += 1
    return pairs


def _block(lines: list[str], i: int, plain: Plain) -> tuple[Any, int]:
    """What stands below `key:`: `- item` lines, indented `key: value` lines, or nothing."""
    first = lines[i] if i < len(lines) else ""
    item = ITEM_LINE.match(first)
    if item:
        indent, items = len(item.group(1)), []
        while i < len(lines):
            item = ITEM_LINE.match(lines[i])
            if not item or len(item.group(1)) != indent:
                break
            text = _strip_comment(item.group(2))
            if not text:
                raise Decline
            items.append(_value(text, plain, flow_ok=False))
            i += 1
        return items, i
    nested = NESTED_KEY.match(first)
    if nested:
        indent, mapping = len(nested.group(1)), {}
        while i < len(lines):
            nested = NESTED_KEY.match(lines[i])
            if not nested or len(nested.group(1)) != indent:
                break
            key, text = nested.group(2), _strip_comment(nested.group(3) or "")
            if not text or key in mapping or not isinstance(plain(key), str):
                raise Decline  # deeper nesting, or a duplicate (PyYAML reports where)
            mapping[key] = _value(text, plain, flow_ok=True)
            i += 1
        return mapping, i
    return plain(""), i


def _strip_comment(text: str) -> str:
    """The value part of `value  # comment`, for a value that is not quoted."""
    if text.startswith(("'", '"')):
        return text.rstrip(" ")
    cut = text.find(" #")
    if text.startswith("#"):
        return ""
    return (text if cut < 0 else text[:cut]).rstrip(" ")


def _after_quote(rest: str) -> None:
    """After a closing quote or bracket: nothing, or spaces and a comment."""
    if rest.strip(" ") and not (rest[0] == " " and rest.lstrip(" ").startswith("#")):
        raise Decline


def _value(text: str, plain: Plain, flow_ok: bool) -> Any:
    first = text[0]
    if first == '"':
        found = DOUBLE.match(text)
        if not found:
            raise Decline
        _after_quote(text[found.end():])
        return found.group(1)
    if first == "'":
        found = SINGLE.match(text)
        if not found:
            raise Decline
        _after_quote(text[found.end():])
        return found.group(1).replace("''", "'")
    if first == "[" and flow_ok:
        return _flow_list(text, plain)
    if first in INDICATORS or ": " in text or text.endswith(":"):
        raise Decline
    return plain(text)


def _flow_list(text: str, plain: Plain) -> list[Any]:
    """`[a, "b", 'c']` on one line: scalars only."""
    items: list[Any] = []
    empty = FLOW_EMPTY.match(text)
    pos = empty.end() if empty else 1
    while not empty:
        found = FLOW_ITEM.match(text, pos)
        if not found:
            raise Decline
        double, single, bare, end = found.groups()
        if double is not None:
            items.append(double)
        elif single is not None:
            items.append(single.replace("''", "'"))
        elif bare[0] in INDICATORS:
            raise Decline
        else:
            items.append(plain(bare))
        pos = found.end()
        if end == "]":
            break
    _after_quote(text[pos:])
    return items
