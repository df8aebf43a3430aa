"""One file -> one Note (front matter + body). Never raises on bad input.

python-frontmatter is the obvious tool, but it raises on bad YAML without the
line in the file, keeps the last of duplicate keys silently, and would need a
second pass to find where each key stands. This reader splits the fence
itself; flat front matter (most notes') is read by flatyaml.py, anything else by
PyYAML's C parser (fullyaml.py, imported only then), safe constructors only, with
YAML 1.2's reading of booleans and numbers (`country: NO` stays "NO",
`1:30` stays "1:30") either way.
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

from vaultkit.errors import Problem
from vaultkit.model import make
from vaultkit.read.flatyaml import YAML12_SCALARS, Decline, flat_mapping

MAX_YAML_NODES = 50_000  # after alias expansion; a billion-laughs bomb is refused
MAX_NOTE_BYTES = 32 * 1024 * 1024  # a bigger ".md" is a log or a dump, not a note
# A conflict starts with <<<<<<< and has ======= after it; ======= alone is a Markdown heading underline.
CONFLICT_RE = re.compile(r"^<{7}(?: .*)?\n(?:.*\n)*?={7}[ \t]*$", re.M)
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


# The loader's implicit resolvers (fullyaml.yaml12_resolvers): PyYAML's SafeLoader's but its
# booleans and numbers, written out here so that a note whose front matter is flat is read
# without importing PyYAML (15 ms of every command that reads a note), then YAML 1.2's booleans
# and numbers; tests/test_flatyaml.py checks that they are the loader's. By first character, in
# the order the loader tries them; no other first character resolves (a value so starting is text).
_NULL, _BOOL, _INT = "tag:yaml.org,2002:null", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int"
_RESOLVERS = (  # (tag, pattern, flags, first characters; "" the empty value)
    ("tag:yaml.org,2002:merge", r"^(?:<<)$", 0, ["<"]),
    (_NULL, r"""^(?: ~
                    |null|Null|NULL
                    | )$""", re.X, ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:timestamp", r"""^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
                    |[0-9][0-9][0-9][0-9] -[0-9][0-9]? -[0-9][0-9]?
                     (?:[Tt]|[ \t]+)[0-9][0-9]?
                     :[0-9][0-9] :[0-9][0-9] (?:\.[0-9]*)?
                     (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$""", re.X, list("0123456789")),
    ("tag:yaml.org,2002:value", r"^(?:=)$", 0, ["="]),
    ("tag:yaml.org,2002:yaml", r"^(?:!|&|\*)$", 0, list("!&*")),
    *((tag, pattern, 0, list(firsts)) for tag, pattern, firsts in YAML12_SCALARS),
)


def _by_first() -> dict[str, list[tuple[str, re.Pattern[str]]]]:
    table: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
    for tag, pattern, flags, firsts in _RESOLVERS:
        compiled = re.compile(pattern, flags)
        for first in firsts:
            table.setdefault(first, []).append((tag, compiled))
    return table


_RESOLVERS_BY_FIRST = _by_first()

_ISO_DAY_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_RESOLVED_FIRSTS = frozenset(_RESOLVERS_BY_FIRST)


def _plain_scalar(value: str) -> Any:
    """A plain scalar's value exactly as _NoteLoader resolves and constructs it (flatyaml's path)."""
    if value[:1] not in _RESOLVED_FIRSTS:
        return value  # no resolver takes a value starting so: text (most values)
    return _resolved(value)


@lru_cache(maxsize=1 << 12)  # dates, numbers, null: the same few hundred in every note; immutable
def _resolved(value: str) -> Any:
    if _ISO_DAY_RE.match(value):  # YYYY-MM-DD, the most common: what the timestamp path gives, directly
        try:
            return date.fromisoformat(value)
        except ValueError:  # an impossible date stays text, as construct_lenient_timestamp keeps it
            return value
    tag = next((tag for tag, regexp in _RESOLVERS_BY_FIRST[value[:1]] if regexp.match(value)), None)
    if tag is None:
        return value
    # null, booleans and integers as PyYAML's safe constructors make them (the patterns above
    # leave no other form: no `_` or base 60); floats and timestamps by those constructors
    if tag == _NULL:
        return None
    if tag == _BOOL:
        return value[0] in "tT"
    if tag == _INT:
        try:
            return int(value, 0)
        except ValueError:  # more digits than Python converts: PyYAML's path reports it
            raise Decline from None
    from vaultkit.read import fullyaml

    return fullyaml.construct(tag, value)


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
    from vaultkit.read import fullyaml

    return fullyaml.load(source, rel, MAX_YAML_NODES)


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
