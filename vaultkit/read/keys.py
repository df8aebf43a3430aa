"""Property spellings: `Last Contact`, `last-contact`, `lastContact` and `last_contacted` are one key.

Keys match case-insensitively, and spaces, hyphens and camelCase are the same as underscores;
each key also takes the spellings that people-note templates and plugins use (the table of
vault-format.md), and `[keys]` in vaultkit.toml adds more. Dataview's inline fields
(`birthday:: 1815-12-10`, `[cadence:: monthly]`) count as properties when the front matter does
not set the key.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

# vaultkit's key -> the other spellings it accepts, in order of preference: when a note has two
# spellings of one key, the key's own name wins, then the earlier one here.
PERSON_KEYS: dict[str, tuple[str, ...]] = {
    "last_contact": ("last_contacted", "last_interaction", "last_chat", "last_seen"),
    "birthday": ("bday", "birthdate", "birth_date", "date_of_birth", "dob"),
    "company": ("org", "organization", "organisation", "employer"),
    "role": ("title", "job_title", "position"),
    "email": ("emails", "e_mail", "mail"),
    "phone": ("phones", "tel", "telephone", "mobile"),
    "cadence": ("frequency", "contact_frequency", "keep_in_touch"),
    "met": ("first_met", "met_on", "date_met"),
    "how_met": ("met_at", "how_we_met"),
    "introduced_by": ("referred_by",),
    "aliases": ("alias",),
    "tags": ("tag",),
}
# Events and other notes (meeting notes, daily notes): who was there.
NOTE_KEYS: dict[str, tuple[str, ...]] = {
    "attendees": ("people", "participants", "with"),
    "aliases": ("alias",),
    "tags": ("tag",),
}

_CAMEL_RE = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SEPARATORS_RE = re.compile(r"[\s\-_]+")


@lru_cache(maxsize=4096)  # a vault writes a few dozen distinct keys, in every note
def normal(key: str) -> str:
    """`Last Contact`, `last-contact`, `lastContact` -> `last_contact`."""
    return _SEPARATORS_RE.sub("_", _CAMEL_RE.sub("_", key.strip())).strip("_").lower()


Table = dict[str, tuple[str, int]]  # a spelling, normalised -> (vaultkit's key, its rank)


@lru_cache(maxsize=64)
def table(kind: str, extra: tuple[tuple[str, tuple[str, ...]], ...] = ()) -> Table:
    """Every accepted spelling for a kind of note ("person" or "note"), with `[keys]` added.

    Rank 0 is the key's own name; `[keys]` spellings come after the built-in ones.
    A spelling that two keys claim goes to the first (a `[keys]` entry cannot take `org`).
    """
    base = PERSON_KEYS if kind == "person" else NOTE_KEYS
    spellings: dict[str, list[str]] = {key: list(others) for key, others in base.items()}
    for key, others in extra:
        spellings.setdefault(normal(key), []).extend(others)
    found: Table = {}
    for key, others in spellings.items():
        found[key] = (key, 0)
        for rank, other in enumerate(others, 1):
            found.setdefault(normal(other), (key, rank))
    return found


def canonical_names(meta: dict[str, Any], spellings: Table) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    """vaultkit's key -> the key as the note writes it, and the keys written twice.

    A key vaultkit does not know keeps its normal form (`Loves coffee` -> `loves_coffee`).
    Each duplicate is (vaultkit's key, the spelling kept, the spelling left out).
    """
    names: dict[str, str] = {}
    ranks: dict[str, int] = {}
    duplicates: list[tuple[str, str, str]] = []
    for written in meta:
        if not isinstance(written, str):
            continue
        plain = normal(written)
        key, rank = spellings.get(plain, (plain, 0))
        rank = 0 if written == key else 1 + rank  # `last_contact`, then `Last Contact`, then aliases
        kept = names.get(key)
        if kept is None:
            names[key], ranks[key] = written, rank
        elif rank < ranks[key]:
            duplicates.append((key, written, kept))
            names[key], ranks[key] = written, rank
        else:
            duplicates.append((key, kept, written))
    return names, duplicates


# `key:: value` as a whole line (after a list marker, maybe), or `[key:: value]` / `(key:: value)`
# inside one. Keys are words, spaces and hyphens, as Dataview allows.
# A value inside brackets holds no bracket but whole [[links]]; possessive, so each opening is
# read once (a line of 50,000 "[due::" stays linear).
_LINE_FIELD_RE = re.compile(r"^[^\S\n]*+(?:[-*+][^\S\n]++)?(\w[\w \-]{0,60}?)::[^\S\n]*+([^\n]*)", re.M)
_INLINE_FIELD_RE = re.compile(r"[\[(](\w[\w \-]{0,60}?)::[^\S\n]*+((?:\[\[[^\[\]\n]*+\]\]|[^\[\]()\n])*+)[\])]")


def inline_fields(body: str, body_line: int) -> list[tuple[str, str, int]]:
    """Dataview inline fields of a body (with code, quotes and comments blanked): (key, value, line).

    Tasks' own fields (`[due:: …]`, `[completion:: …]`) are read as task fields, not here.
    """
    if "::" not in body:
        return []
    found: list[tuple[int, str, str]] = []
    for match in _LINE_FIELD_RE.finditer(body):
        if not match.group(0).lstrip().startswith(("[", "(", "- [")):
            found.append((match.start(), match.group(1), match.group(2)))
    for match in _INLINE_FIELD_RE.finditer(body):
        found.append((match.start(), match.group(1), match.group(2)))
    found.sort()
    out = []
    for at, key, value in found:
        value = value.strip()
        if value:
            out.append((key.strip(), value, body_line + body.count("\n", 0, at)))
    return out
