"""Front matter read by PyYAML: what the fast path (flatyaml.py) declines, and the values
of plain scalars it does not construct itself (note._resolved: floats, timestamps).

Imported only when a note needs it: PyYAML takes about 15 ms to import, at the start of
every command that reads a note. The loader is PyYAML's C parser with safe constructors
only, YAML 1.2's reading of booleans and numbers (`country: NO` stays "NO", `1:30` stays
"1:30"), duplicate keys and each key's line recorded.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from vaultkit.errors import Problem
from vaultkit.read.flatyaml import YAML12_SCALARS, Decline

try:  # the C parser: several times faster than the pure-Python one
    _BaseLoader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader

MERGE_TAG = "tag:yaml.org,2002:merge"
# Characters YAML refuses (control characters other than tab and newlines, surrogates, non-characters).
YAML_BAD_CHAR_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
_NOT_CONSTRUCTED = ("tag:yaml.org,2002:merge", "tag:yaml.org,2002:value")  # (in a flat note's value: declined)


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


def yaml12_resolvers() -> dict:
    """YAML 1.1's implicit resolvers minus yes/no/on/off booleans and base-60 numbers, plus
    YAML 1.2's booleans and numbers (flatyaml.YAML12_SCALARS)."""
    resolvers: dict = {}
    for first, entries in yaml.SafeLoader.yaml_implicit_resolvers.items():
        kept = [
            (tag, rx)
            for tag, rx in entries
            if tag
            not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
        ]
        resolvers[first] = kept
    for tag, pattern, firsts in YAML12_SCALARS:
        rx = re.compile(pattern)
        for ch in firsts:
            resolvers.setdefault(ch, []).append((tag, rx))
    return resolvers


_NoteLoader.yaml_implicit_resolvers = yaml12_resolvers()
_NoteLoader.add_constructor("tag:yaml.org,2002:timestamp", _NoteLoader.construct_lenient_timestamp)
_CONSTRUCTOR = yaml.constructor.SafeConstructor()  # `self` for the scalar constructors below


def construct(tag: str, value: str) -> Any:
    """A plain scalar of this resolved tag, as the loader constructs it; Decline when the
    loader would not make a plain value of it (`<<`, `=`) or fails (PyYAML's path then
    reports it, with the place)."""
    if tag in _NOT_CONSTRUCTED:
        raise Decline
    try:
        return _NoteLoader.yaml_constructors[tag](_CONSTRUCTOR, yaml.ScalarNode(tag, value))
    except Exception:
        raise Decline from None


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


def load(source: str, rel: str, max_nodes: int) -> tuple[dict[str, Any], dict[str, int], list[Problem], bool]:
    """Front matter text -> (mapping, key lines, problems, readable), as note._load_yaml gives
    them, PyYAML reading everything; more than `max_nodes` values after alias expansion is refused."""
    offset = 2
    if not source.strip():
        return {}, {}, [], True
    loader = _NoteLoader(source)
    problems: list[Problem] = []
    try:
        node = loader.get_single_node()
        if node is None:
            return {}, {}, [], True
        memo: dict[int, int] = {}
        if _expanded_size(node, memo) - len(memo) > max_nodes:
            message = "front matter expands to too many values through YAML aliases (&a, *a); refused"
            return {}, {}, [Problem(rel, offset, message, code="yaml")], False
        if not isinstance(node, yaml.MappingNode):
            kind = "a list" if isinstance(node, yaml.SequenceNode) else "a single value"
            message = f"front matter must be keys and values (a mapping), found {kind}"
            return {}, {}, [Problem(rel, node.start_mark.line + offset, message, code="yaml")], False
        key_lines: dict[str, int] = {}
        meta: dict[str, Any] = {}
        own = len([k for k, _ in node.value if k.tag != MERGE_TAG])
        loader.flatten_mapping(node)  # `<<: *base` merge keys: their entries come first
        merged = len(node.value) - own
        own_keys: set[str] = set()
        for number, (key_node, value_node) in enumerate(node.value):
            line = key_node.start_mark.line + offset
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                problems.append(
                    Problem(rel, line, f"key {key!r} is not text; ignored", code="type")
                )
                continue
            value = loader.construct_object(value_node, deep=True)
            if number >= merged:  # a key of the note's own may override a merged one
                if key in own_keys:
                    message = f"duplicate key {key!r}; the last one wins"
                    problems.append(Problem(rel, line, message, code="duplicate-key"))
                own_keys.add(key)
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
        if re.search(r"\btab\b", what) or _char_at(source, exc.problem_mark) == "\t":
            what = "a tab character; YAML indents with spaces only"
        elif "unhashable key" in what:  # `created: {{date}}`, a template placeholder left as it was
            what = 'braces or brackets read as a key; quote text like "{{date}}"'
        elif exc.context and exc.context_mark and _place(exc.context_mark) != _place(exc.problem_mark):
            started = f"line {exc.context_mark.line + offset}, column {exc.context_mark.column + 1}"
            what += f" ({exc.context} started at {started})"
        tag = re.search(r"constructor for the tag '([^']*)'", what)
        if tag:  # !!python/object and friends: safe loading builds plain data only
            name = tag.group(1).replace("tag:yaml.org,2002:", "!!")
            what = f"the tag {name} is not allowed; front matter holds plain data only"
        message = f"invalid YAML in front matter: {what}"
        return {}, {}, [Problem(rel, line, message, code="yaml", column=column)], False
    except yaml.reader.ReaderError as exc:
        bad = YAML_BAD_CHAR_RE.search(source)
        line = source.count("\n", 0, bad.start()) + offset if bad else offset
        column = bad.start() - source.rfind("\n", 0, bad.start()) if bad else None
        message = f"invalid YAML in front matter: character U+{exc.character:04X} is not allowed"
        return {}, {}, [Problem(rel, line, message, code="yaml", column=column)], False
    except RecursionError:
        message = "invalid YAML in front matter: nested too deeply"
        return {}, {}, [Problem(rel, offset, message, code="yaml")], False
    except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
        # e.g. an integer of 5,000 digits (Python refuses to convert it)
        message = f"invalid YAML in front matter: {str(exc).split(';')[0]}"
        return {}, {}, [Problem(rel, offset, message, code="yaml")], False
    finally:
        loader.dispose()


def _place(mark: Any) -> tuple[int, int] | None:
    return (mark.line, mark.column) if mark is not None else None


def _char_at(source: str, mark: Any) -> str:
    lines = source.split("\n")
    if mark is None or not 0 <= mark.line < len(lines):
        return ""
    return lines[mark.line][mark.column : mark.column + 1]
