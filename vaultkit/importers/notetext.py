"""The text of people notes: a new note's, and a note's with a contact's keys merged in.

Merging adds what a note lacks and never takes away: a missing or empty key is added,
new items are appended to a list, new entries to `social`; a key the user filled in is
left as written, and the body is not touched. Each edit changes only its own lines
(edit/frontmatter.py) and is checked by reading the note back with vaultkit's own reader;
an edit that would change anything else is not made, and is reported.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from vaultkit.edit.frontmatter import add_entries, add_keys, extend_list, set_key
from vaultkit.edit.person import yaml_scalar
from vaultkit.read.note import Note, parse_note
from vaultkit.read.records import written_keys

LIST_KEYS = {"aliases", "tags", "email", "interests", "groups"}


def fold(name: str) -> str:
    """A name for matching: accents dropped (é -> e), case folded, one space between words.

    Only the combining accents of Latin, Greek and Cyrillic letters are dropped, so
    Japanese voiced marks (ド vs ト) still tell names apart.
    """
    decomposed = unicodedata.normalize("NFKD", name)
    kept = "".join(c for c in decomposed if not "\u0300" <= c <= "\u036f")
    return " ".join(unicodedata.normalize("NFC", kept).casefold().split())


def same(key: str, value: str) -> str:
    """What two list items are compared by: tags and emails without case, names without accents."""
    if key == "tags":
        return value.lstrip("#").lower()
    if key == "aliases":
        return fold(value)
    return unicodedata.normalize("NFC", str(value)).strip().casefold()


FENCE_START = re.compile(r"^\s*(`{3,}|~{3,})", re.MULTILINE)


def quoted_notes(notes: str) -> str:
    """An imported contact's free text in a fenced block, where neither vaultkit nor Obsidian's
    Tasks reads it as log lines, follow-ups or headings: the text is the export's, not the user's.

    The fence is of a character no line of the text starts a fence with; when the text has both
    kinds, such lines are kept behind a backslash, since vaultkit's reader ends a fence at any.
    """
    if not notes:
        return ""
    starts = {found.group(1)[0] for found in FENCE_START.finditer(notes)}
    mark = "`" if "`" not in starts else "~" if "~" not in starts else ""
    if not mark:
        notes, mark = FENCE_START.sub(lambda m: m.group(0).replace(m.group(1), "\\" + m.group(1), 1), notes), "`"
    return f"{mark * 3}text\n{notes}\n{mark * 3}"


def new_note_text(values: dict[str, Any], notes: str) -> str | None:
    """A new note: the values as front matter (in their order), the notes (quoted) as its body.
    None when the text would not read back as these values."""
    notes = quoted_notes(notes)
    front = [
        "---",
        *(line for key, value in values.items() for line in _key_text(key, value)),
        "---",
    ]
    text = "\n".join(front) + "\n" + (notes + "\n" if notes else "")
    if not values and not notes.startswith("---"):
        text = notes + "\n" if notes else ""  # nothing for the front matter: a body only
    note = parse_note(text.encode("utf-8"), "new.md")
    return None if note.problems or note.meta != expected_meta(values) else text


def key_yaml(key: str, value: Any) -> str:
    if key == "email" and len(value) == 1:
        value = value[0]  # one address is written as text, as people write it
    return yaml_value(value)


def _key_text(key: str, value: Any) -> list[str]:
    rendered = key_yaml(key, value)
    if rendered.startswith("\n"):
        return [f"{key}:", *rendered[1:].split("\n")]
    return [f"{key}: {rendered}"]


def expected_meta(values: dict[str, Any]) -> dict[str, Any]:
    """The mapping a new note's front matter must read back as."""
    out = {k: list(v) if isinstance(v, (list, tuple)) else v for k, v in values.items()}
    if len(out.get("email") or ()) == 1:
        out["email"] = out["email"][0]
    return out


PLAIN_RE = re.compile(r"[A-Za-z0-9][\w.@/+:%?=&~#-]*")


def yaml_value(value: Any) -> str:
    """A value as YAML for the front matter: plain dates, flow lists, an indented mapping."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_scalar(str(v), flow=True) for v in value) + "]"
    if isinstance(value, dict):
        return "".join(f"\n  {k}: {_scalar(str(v))}" for k, v in value.items())
    return _scalar(str(value))


def _scalar(text: str, flow: bool = False) -> str:
    """Plain when that reads back the same (names, emails, URLs, `--12-10`), else quoted."""
    if yaml_scalar(text) == text:
        return text  # edit.yaml_scalar's plain form is safe in block and flow context
    if (PLAIN_RE.fullmatch(text) or re.fullmatch(r"--\d{2}-\d{2}", text)) and _reads_back(
        text, flow
    ):
        return text
    quoted = json.dumps(text, ensure_ascii=False)
    if text.isprintable() or _reads_back(quoted, flow, text):
        return quoted  # JSON's escapes are YAML's; printable characters stand as they are
    return json.dumps(text)


@lru_cache(maxsize=4096)
def _reads_back(written: str, flow: bool, wanted: str | None = None) -> bool:
    wanted = written if wanted is None else wanted
    source = f"---\nk: [{written}]\n---\n" if flow else f"---\nk: {written}\n---\n"
    meta = parse_note(source.encode("utf-8"), "check.md").meta
    return meta.get("k") == ([wanted] if flow else wanted)


@dataclass(frozen=True)
class _Edit:
    key: str  # the key as the note writes it: "Tags", "emails", "org"
    text: str | None  # the note after the edit; None when the value's shape cannot be edited
    wanted: Any  # what the key must read back as
    label: str  # for the report: "tags", "social.linkedin"
    kind: str = ""  # vaultkit's name for the key, for how its items are read


def merge_text(text: str, rel: str, proposal: dict[str, Any]) -> tuple[str, list[str], list[str]]:
    """The note's text with the proposal's keys merged in, the keys it gained, and what
    could not be added (each a message). The note must be readable, without a key twice."""
    current = parse_note(text.encode("utf-8"), rel)
    gained: list[str] = []
    problems: list[str] = []
    missing: dict[str, Any] = {}
    for key, value in proposal.items():
        meta = current.meta
        names = written_keys(meta)
        written = names.get(key)
        edit: _Edit | None
        if written is None:
            missing[key] = value  # added with the other new keys, in the proposal's order
            continue
        if key in LIST_KEYS:
            edit = _list_edit(text, meta, names, key, value)
        elif key == "social":
            edit = _social_edit(text, meta, written, value)
        elif meta[written] not in (None, ""):
            continue  # the user's value stays, even when the contact says otherwise
        else:  # written but empty: filled in on its own line
            edit = _Edit(written, set_key(text, written, yaml_value(value)), value, key, key)
        if edit is None:
            continue
        after = parse_note(edit.text.encode("utf-8"), rel) if edit.text else None
        if edit.text is not None and after is not None and _only_changed(current, after, edit):
            text, current = edit.text, after
            gained.append(edit.label)
        else:
            shown = yaml_value(value).strip().replace("\n", ", ")
            problems.append(
                f"{written} is written in a way vaultkit does not edit; add {shown} by hand"
            )
    if missing:
        candidate = add_keys(text, [(key, key_yaml(key, value)) for key, value in missing.items()])
        new = parse_note(candidate.encode("utf-8"), rel)
        if new.body == current.body and new.meta == {**current.meta, **expected_meta(missing)}:
            text = candidate
            gained.extend(missing)
        else:
            problems.append(f"could not add {', '.join(missing)} safely; not changed")
    return text, gained, problems


def _read_items(kind: str, value: Any) -> list[str]:
    """A list key's items as vaultkit reads them: tags split on commas and spaces, a
    string of aliases split on commas, any other string one item."""
    items = _items(value)
    if kind in ("tags", "interests"):
        return [part for v in items for part in re.split(r"[,\s]+", v) if part]
    if kind == "aliases" and isinstance(value, str):
        return [part for part in re.split(r"\s*,\s*", value.strip()) if part]
    return items


def _list_edit(
    text: str, meta: dict[str, Any], names: dict[str, str], key: str, value: list[str]
) -> _Edit | None:
    """The new items of a list key appended to what the note has."""
    target = names[key]
    present = _read_items(key, meta[target])
    if key == "email" and names.get("emails") not in (None, target):
        present += _read_items(key, meta[names["emails"]])
    seen = {same(key, v) for v in present}
    if key == "aliases" and names.get("name"):
        seen.add(fold(str(meta[names["name"]] or "")))
    new = [v for v in value if same(key, v) not in seen]
    if not new:
        return None
    old = meta[target]
    wanted = _read_items(key, old) + new
    items = [_scalar(v, flow=True) for v in new]
    candidate = extend_list(text, target, items)
    if (
        isinstance(old, str)
        and candidate is not None
        and not _reads_as_list(candidate, target, wanted, key)
    ):
        # One value on the key's line that a flow list cannot hold as written (a comma
        # in a group's name): quoted, its comment kept. A block scalar (|) is left alone.
        candidate = set_key(text, target, "[" + ", ".join([_scalar(old, flow=True), *items]) + "]")
    return _Edit(target, candidate, wanted, key, key)


def _social_edit(
    text: str, meta: dict[str, Any], written: str, value: dict[str, str]
) -> _Edit | None:
    old = meta.get(written)
    if old is not None and not isinstance(old, dict):
        return _Edit(written, None, None, "social", "social")
    old = old or {}
    new = {k: v for k, v in value.items() if old.get(k) in (None, "")}
    if not new:
        return None
    candidate = add_entries(text, written, [(k, _scalar(v)) for k, v in new.items()])
    label = ", ".join(f"social.{k}" for k in new)
    return _Edit(written, candidate, {**old, **new}, label, "social")


def _items(value: Any) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, list):
        return [str(v) for v in value if v is not None]
    return [str(value)]


def _reads_as_list(text: str, key: str, wanted: list[str], kind: str) -> bool:
    """True when the list under `key` reads (as vaultkit reads a `kind` key) as `wanted`."""
    return _read_items(kind, parse_note(text.encode("utf-8"), "check.md").meta.get(key)) == wanted


def _only_changed(old: Note, new: Note, edit: _Edit) -> bool:
    """True when `new` reads as `old` with only the edit's key changed, as wanted, and
    the body untouched."""
    key = edit.key
    if not new.readable or new.problems or new.body != old.body:
        return False
    if {k: v for k, v in new.meta.items() if k != key} != {
        k: v for k, v in old.meta.items() if k != key
    }:
        return False
    if isinstance(edit.wanted, list):
        return _read_items(edit.kind, new.meta.get(key)) == edit.wanted
    return new.meta.get(key) == edit.wanted
