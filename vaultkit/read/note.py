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
import stat
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from vaultkit.errors import Problem
from vaultkit.model import make
from vaultkit.read.flatyaml import Decline, flat_mapping

try:  # the C parser: several times faster than the pure-Python one
    _BaseLoader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader

MAX_YAML_NODES = 50_000  # after alias expansion; a billion-laughs bomb is refused
MAX_NOTE_BYTES = 32 * 1024 * 1024  # a bigger ".md" is a log or a dump, not a note
# A conflict starts with <<<<<<< and has ======= after it; ======= alone is a Markdown heading underline.
CONFLICT_RE = re.compile(r"^<{7}(?: .*)?\n(?:.*\n)*?={7}[ \t]*$", re.M)
# Characters YAML refuses (control characters other than tab and newlines, surrogates, non-characters).
YAML_BAD_CHAR_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
MERGE_TAG = "tag:yaml.org,2002:merge"
# The line that closes the front matter: `---` or `...`, then only whitespace (what rstrip removes).
CLOSING_FENCE_RE = re.compile(r"^(?:---|\.\.\.)[^\S\n]*$", re.M)


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
        name = self.rel.rsplit("/", 1)[-1]  # Path(rel).stem, without building a Path
        dot = name.rfind(".")
        return unicodedata.normalize("NFC", name[:dot] if 0 < dot < len(name) - 1 else name)

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
            # no leading zero: `phone: 0123` and `zip: 01234` stay text
            r"^(?:[-+]?(?:0|[1-9][0-9]*)|0o[0-7]+|0x[0-9a-fA-F]+)$",
            "-+0123456789",
        ),
        (
            "tag:yaml.org,2002:float",
            r"^(?:[-+]?(?:\.[0-9]+|(?:0|[1-9][0-9]*)\.[0-9]*)(?:[eE][-+]?[0-9]+)?"
            r"|[-+]?(?:0|[1-9][0-9]*)[eE][-+]?[0-9]+"
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
_CONSTRUCTOR = yaml.constructor.SafeConstructor()  # `self` for the scalar constructors below
_NO_FAST_TAGS = ("tag:yaml.org,2002:merge", "tag:yaml.org,2002:value")
_WILDCARD = _NoteLoader.yaml_implicit_resolvers.get(None, [])
_RESOLVERS_BY_FIRST = {first: [*rs, *_WILDCARD] for first, rs in _NoteLoader.yaml_implicit_resolvers.items() if first is not None}


_ISO_DAY_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_RESOLVED_FIRSTS = frozenset(_RESOLVERS_BY_FIRST) if not _WILDCARD else None  # None: every value may resolve


def _plain_scalar(value: str) -> Any:
    """A plain scalar's value exactly as _NoteLoader resolves and constructs it (flatyaml's path)."""
    if _RESOLVED_FIRSTS is not None and value[:1] not in _RESOLVED_FIRSTS:
        return value  # no resolver takes a value starting so: text (most values)
    return _resolved(value)


@lru_cache(maxsize=1 << 12)  # dates, numbers, null: the same few hundred in every note; immutable
def _resolved(value: str) -> Any:
    if _ISO_DAY_RE.match(value):  # YYYY-MM-DD, the most common: what the timestamp path gives, directly
        try:
            return date.fromisoformat(value)
        except ValueError:  # an impossible date stays text, as construct_lenient_timestamp keeps it
            return value
    tag = next((tag for tag, regexp in _RESOLVERS_BY_FIRST.get(value[:1], _WILDCARD) if regexp.match(value)), None)
    if tag is None:
        return value
    if tag in _NO_FAST_TAGS:
        raise Decline
    try:
        return _NoteLoader.yaml_constructors[tag](_CONSTRUCTOR, yaml.ScalarNode(tag, value))
    except Exception:  # PyYAML's path reports it, with the place
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


def read_note(path: Path, rel: str) -> Note:
    """Read one file; any bytes give a Note, with problems for what was wrong."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a pipe would block the read forever
            return _broken(rel, None, "not a regular file (a pipe, socket or device); skipped", "io")
        if info.st_size > MAX_NOTE_BYTES:
            size = f"{info.st_size / 1024 / 1024:.0f} MB"
            return _broken(rel, None, f"{size} is too big for a note (limit 32 MB); skipped", "io")
        data = path.read_bytes()
    except OSError as exc:
        return _broken(rel, None, f"cannot read the file: {exc.strerror or exc}", "io")
    return parse_note(data, rel)


def parse_note(data: bytes, rel: str) -> Note:
    """Bytes -> Note; never raises."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _broken(rel, 1, "UTF-16 text; re-save the note as UTF-8", "encoding")
    if b"\x00" in data[:8192]:
        return _broken(rel, None, "a binary file, not a Markdown note", "encoding")
    try:
        # (as data.decode("utf-8-sig"), without its Python-level codec; positions are the same)
        text = (data[3:] if data.startswith(b"\xef\xbb\xbf") else data).decode("utf-8")
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
    conflict = CONFLICT_RE.search(text) if "<<<<<<<" in text else None
    if conflict:
        line = text.count("\n", 0, conflict.start()) + 1
        message = "unresolved git merge conflict (<<<<<<< ... ======= ... >>>>>>>); resolve it"
        return _broken(rel, line, message, "conflict")
    return _split(text, rel)


def _broken(rel: str, line: int | None, message: str, code: str) -> Note:
    return Note(rel=rel, problems=(Problem(rel, line, message, code=code),), readable=False)


def _split(text: str, rel: str) -> Note:
    if not (text.startswith("---\n") or text == "---" or text.startswith("---\r")):
        first = text.split("\n", 1)[0]
        if first.startswith("---") and first.strip() == "---":  # "--- " would silently drop the keys
            message = "line 1 is '---' with spaces after it; remove them so the front matter is read"
            return Note(rel=rel, body=text, body_line=1, problems=(Problem(rel, 1, message, code="fence"),))
        return Note(rel=rel, body=text, body_line=1)
    opened = text.find("\n")  # the end of the opening fence
    closing = CLOSING_FENCE_RE.search(text, opened + 1) if opened >= 0 else None
    if closing is None:
        return _broken(
            rel, 1, "front matter opened with '---' on line 1 is never closed with '---'", "fence"
        )
    yaml_text = text[opened + 1 : max(opened + 1, closing.start() - 1)]
    body = text[closing.end() + 1 :]
    body_line = text.count("\n", 0, closing.start()) + 2
    meta, key_lines, problems, ok = _load_yaml(yaml_text, rel)
    values = {"rel": rel, "meta": meta, "body": body, "body_line": body_line, "key_lines": key_lines, "problems": tuple(problems), "readable": ok}
    return make(Note, values)


def _load_yaml(source: str, rel: str) -> tuple[dict[str, Any], dict[str, int], list[Problem], bool]:
    """Front matter text -> (mapping, key lines, problems, readable). Lines are file lines."""
    offset = 2  # the opening fence is line 1; YAML's line 0 is the file's line 2
    if not source.strip():
        return {}, {}, [], True
    pairs = flat_mapping(source, _plain_scalar, MAX_YAML_NODES)
    if pairs is not None:  # the common flat front matter, read without building YAML nodes
        return _from_pairs(pairs, rel, offset)
    return _load_yaml_pyyaml(source, rel)


def _load_yaml_pyyaml(source: str, rel: str) -> tuple[dict[str, Any], dict[str, int], list[Problem], bool]:
    """_load_yaml without the fast path: PyYAML reads everything."""
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
        if _expanded_size(node, memo) - len(memo) > MAX_YAML_NODES:
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


def _from_pairs(pairs: list[tuple[str, int, Any]], rel: str, offset: int) -> tuple[dict[str, Any], dict[str, int], list[Problem], bool]:
    """flatyaml's (key, line, value) -> what the PyYAML path returns for the same text."""
    meta: dict[str, Any] = {}
    key_lines: dict[str, int] = {}
    problems: list[Problem] = []
    for key, line, value in pairs:
        line += offset
        if key in meta:
            problems.append(Problem(rel, line, f"duplicate key {key!r}; the last one wins", code="duplicate-key"))
        meta[key] = value
        key_lines[key] = line
    return meta, key_lines, problems, True


def as_date(value: Any) -> date | None:
    """A front matter value that should be a date; None when it is not one."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        if len(text) > 10 and _DATETIME_RE.fullmatch(text):  # 2026-11-02T10:30: the day as written
            text = text[:10]
        try:
            return date.fromisoformat(text)
        except ValueError:
            return None
    return None


# A date and a time, with seconds, fractions or a zone: `2026-11-02T10:30`, `2026-11-02 10:30:00+01:00`.
_DATETIME_RE = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?)?")
