"""One file -> one Note (front matter + body). Never raises on bad input.

python-frontmatter is the obvious tool, but it raises on bad YAML without the
line in the file, keeps the last of duplicate keys silently, and would need a
second pass to find where each key stands. This reader splits the fence
itself and loads the YAML with PyYAML's C parser, safe constructors only, and
YAML 1.2's reading of booleans and numbers (`country: NO` stays "NO",
`1:30` stays "1:30").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem

try:  # the C parser: several times faster than the pure-Python one
    _BaseLoader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader

MAX_YAML_NODES = 50_000  # after alias expansion; a billion-laughs bomb is refused
CONFLICT_RE = re.compile(r"^(<{7}|={7}|>{7})(\s|$)", re.M)


@dataclass(frozen=True)
class Note:
    """A note as read: front matter mapping, body text, and what was wrong."""

    rel: str  # vault-relative path, forward slashes
    meta: dict[str, Any] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1  # line number of the body's first line in the file
    key_lines: dict[str, int] = field(default_factory=dict)  # key -> line in the file
    problems: tuple[Problem, ...] = ()
    readable: bool = True  # False: the front matter could not be read; skip the note

    @property
    def stem(self) -> str:
        return unicodedata.normalize("NFC", Path(self.rel).stem)

    def key_line(self, key: str) -> int | None:
        return self.key_lines.get(key)


class _NoteLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loading, YAML 1.2 scalars, duplicate keys and key lines recorded."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[str, int]] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                if key_node.value in seen and key_node.value != "<<":
                    self.duplicates.append((key_node.value, key_node.start_mark.line))
                seen.add(key_node.value)
        return super().construct_mapping(node, deep=deep)

    def construct_lenient_timestamp(self, node: yaml.ScalarNode) -> Any:
        # An impossible date (2026-02-30) stays text so the field, not the note, is reported.
        try:
            return self.construct_yaml_timestamp(node)
        except ValueError:
            return node.value


def _yaml12_resolvers() -> dict:
    """YAML 1.1's implicit resolvers minus yes/no/on/off booleans and base-60 numbers."""
    resolvers: dict = {}
    for first, entries in yaml.SafeLoader.yaml_implicit_resolvers.items():
        kept = [
            (tag, rx)
            for tag, rx in entries
            if tag
            not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
        ]
        resolvers[first] = kept
    extra = [
        ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
        (
            "tag:yaml.org,2002:int",
            r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$",
            "-+0123456789",
        ),
        (
            "tag:yaml.org,2002:float",
            r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
            r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
            "-+0123456789.",
        ),
    ]
    for tag, pattern, firsts in extra:
        rx = re.compile(pattern)
        for ch in firsts:
            resolvers.setdefault(ch, []).append((tag, rx))
    return resolvers


_NoteLoader.yaml_implicit_resolvers = _yaml12_resolvers()
_NoteLoader.add_constructor("tag:yaml.org,2002:timestamp", _NoteLoader.construct_lenient_timestamp)


def _expanded_size(node: yaml.Node, memo: dict[int, int]) -> int:
    """Nodes after expanding aliases, counted without expanding them."""
    known = memo.get(id(node))
    if known is not None:
        return known
    memo[id(node)] = 1  # cycles count once
    if isinstance(node, yaml.SequenceNode):
        size = 1 + sum(_expanded_size(child, memo) for child in node.value)
    elif isinstance(node, yaml.MappingNode):
        size = 1 + sum(_expanded_size(k, memo) + _expanded_size(v, memo) for k, v in node.value)
    else:
        size = 1
    memo[id(node)] = size
    return size


def read_note(path: Path, rel: str) -> Note:
    """Read one file; any bytes give a Note, with problems for what was wrong."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return _broken(rel, None, f"cannot read the file: {exc.strerror or exc}", "io")
    return parse_note(data, rel)


def parse_note(data: bytes, rel: str) -> Note:
    if b"\x00" in data[:8192]:
        return _broken(rel, None, "a binary file, not a Markdown note", "encoding")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return _broken(
            rel,
            line,
            f"not UTF-8 text (byte 0x{data[exc.start]:02x}); re-save the note as UTF-8",
            "encoding",
        )
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    conflict = CONFLICT_RE.search(text)
    if conflict:
        line = text.count("\n", 0, conflict.start()) + 1
        return _broken(rel, line, "unresolved git merge conflict marker; resolve the conflict", "conflict")
    return _split(text, rel)


def _broken(rel: str, line: int | None, message: str, code: str) -> Note:
    return Note(rel=rel, problems=(Problem(rel, line, message, code=code),), readable=False)


def _split(text: str, rel: str) -> Note:
    if not (text.startswith("---\n") or text == "---" or text.startswith("---\r")):
        return Note(rel=rel, body=text, body_line=1)
    lines = text.split("\n")
    end = None
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            end = i
            break
    if end is None:
        return _broken(
            rel, 1, "front matter opened with '---' on line 1 is never closed with '---'", "fence"
        )
    yaml_text = "\n".join(lines[1:end])
    body = "\n".join(lines[end + 1 :])
    body_line = end + 2
    meta, key_lines, problems, ok = _load_yaml(yaml_text, rel)
    return Note(
        rel=rel,
        meta=meta,
        body=body,
        body_line=body_line,
        key_lines=key_lines,
        problems=tuple(problems),
        readable=ok,
    )


def _load_yaml(source: str, rel: str) -> tuple[dict[str, Any], dict[str, int], list[Problem], bool]:
    """Front matter text -> (mapping, key lines, problems, readable). Lines are file lines."""
    offset = 2  # the opening fence is line 1; YAML's line 0 is the file's line 2
    if not source.strip():
        return {}, {}, [], True
    loader = _NoteLoader(source)
    problems: list[Problem] = []
    try:
        node = loader.get_single_node()
        if node is None:
            return {}, {}, [], True
        if _expanded_size(node, {}) > MAX_YAML_NODES:
            message = "front matter expands to too many values (YAML aliases); refused"
            return {}, {}, [Problem(rel, offset, message, code="yaml")], False
        if not isinstance(node, yaml.MappingNode):
            kind = "a list" if isinstance(node, yaml.SequenceNode) else "a single value"
            message = f"front matter must be keys and values (a mapping), found {kind}"
            return {}, {}, [Problem(rel, node.start_mark.line + offset, message, code="yaml")], False
        key_lines: dict[str, int] = {}
        meta: dict[str, Any] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + offset
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                problems.append(
                    Problem(rel, line, f"key {key!r} is not text; ignored", code="type")
                )
                continue
            if key == "<<":
                continue
            value = loader.construct_object(value_node, deep=True)
            if key in meta:
                problems.append(
                    Problem(rel, line, f"duplicate key {key!r}; the last one wins", code="duplicate-key")
                )
            meta[key] = value
            key_lines[key] = line
        for dup_key, dup_line in loader.duplicates:
            if dup_line + offset not in {p.line for p in problems}:
                problems.append(
                    Problem(
                        rel,
                        dup_line + offset,
                        f"duplicate key {dup_key!r}; the last one wins",
                        code="duplicate-key",
                    )
                )
        return meta, key_lines, problems, True
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + offset if mark else None
        column = mark.column + 1 if mark else None
        what = exc.problem or exc.context or "cannot be read"
        if "found character '\\t'" in what:
            what = "a tab character; YAML indents with spaces only"
        elif exc.context and exc.context_mark and exc.problem_mark is not exc.context_mark:
            started = f"line {exc.context_mark.line + offset}, column {exc.context_mark.column + 1}"
            what += f" ({exc.context} started at {started})"
        message = f"invalid YAML in front matter: {what}"
        return {}, {}, [Problem(rel, line, message, code="yaml", column=column)], False
    except (yaml.YAMLError, RecursionError, ValueError, TypeError) as exc:
        message = f"invalid YAML in front matter: {exc}"
        return {}, {}, [Problem(rel, offset, message, code="yaml")], False
    finally:
        loader.dispose()


def as_date(value: Any) -> date | None:
    """A front matter value that should be a date; None when it is not one."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None
