"""Contacts -> a plan (notes to create, notes to merge into), then the plan applied.

A contact is matched to a person by email, then by LinkedIn profile, then by name or
alias (case- and accent-insensitive), against the vault *and* against the contacts met
earlier in the same file, so one person exported three times is one note. A name match
is refused when both sides carry a different LinkedIn profile or birthday: two people
who share a name get two notes ("Jane Doe.md", "Jane Doe (2).md").

Merging adds what a note lacks and never takes away: a missing or empty key is added,
new items are appended to a list, new entries to `social`; a key the user filled in is
left as written, and the body is not touched. Each edit changes only its own lines
(frontmatter_edit) and is checked by reading the note back; an edit that would change
anything else is not made, and is reported.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..config import Settings
from ..edit import BAD_NAME_CHARS, WINDOWS_RESERVED, check_note_name, yaml_scalar
from ..errors import VaultkitError
from ..frontmatter_edit import add_entries, add_keys, extend_list, set_key
from ..model import Person
from ..notes import Note, parse_note
from ..records import SYNONYMS, key_of
from ..vault import Index, scan
from ..write import atomic_write
from .contact import Contact, Notice, Parsed, as_tag, profile_key

# The order keys are written in, as in the vault format's example.
KEY_ORDER = (
    "name", "aliases", "tags", "company", "role", "email", "phone", "social", "birthday", "met",
    "how_met", "introduced_by", "cadence", "interests", "groups", "status", "snooze_until", "last_contact",
)  # fmt: skip
LIST_KEYS = {"aliases", "tags", "email", "interests", "groups"}


@dataclass(frozen=True)
class NewNote:
    path: str  # vault-relative, forward slashes
    text: str
    keys: tuple[str, ...]
    lines: tuple[int, ...]  # the rows or cards it came from


@dataclass(frozen=True)
class Merge:
    path: str
    before: bytes  # the note as read; it is not written if it changed since
    text: str
    gained: tuple[str, ...]  # "email", "social.linkedin", ...
    lines: tuple[int, ...]


@dataclass(frozen=True)
class Plan:
    """What an import will do, or did."""

    source: str
    new: tuple[NewNote, ...]
    merged: tuple[Merge, ...]
    unchanged: tuple[str, ...]  # paths of matched notes that gain nothing
    skipped: tuple[Notice, ...]
    warnings: tuple[Notice, ...]
    repeats: int  # contacts that were the same person as an earlier one in the file

    @property
    def changes(self) -> tuple[NewNote | Merge, ...]:
        return (*self.new, *self.merged)

    def change_lines(self, applied: Applied | None = None) -> list[str]:
        """One line per note to create and merge (a dry run), or created and merged (once
        `applied`), with the keys each gains."""
        done = applied.written if applied else None
        new = [n for n in self.new if done is None or n.path in done]
        merged = [m for m in self.merged if done is None or m.path in done]
        lines = [f"{'new' if applied is None else 'created':9} {n.path}" for n in new]
        lines += [f"{'merged':9} {m.path}: + {', '.join(m.gained)}" for m in merged]
        return lines

    def notice_lines(self, late: Iterable[Notice] = ()) -> list[str]:
        """Rows skipped and values left out, each with the file's line."""
        out = [f"skipped   {self._where(n)}: {n.message}" for n in (*self.skipped, *late)]
        out += [f"warning   {self._where(n)}: {n.message}" for n in self.warnings]
        return out

    def _where(self, notice: Notice) -> str:
        return f"{self.source}:{notice.line}" if notice.line else self.source

    def summary(self, applied: Applied | None = None) -> str:
        """The closing line: N new, N merged, N unchanged, N skipped."""
        done = applied.written if applied else None
        new = sum(1 for n in self.new if done is None or n.path in done)
        merged = sum(1 for m in self.merged if done is None or m.path in done)
        failed = len(applied.failed) if applied else 0
        counts = (
            f"{new} new, {merged} merged, {len(self.unchanged)} unchanged, "
            f"{len(self.skipped) + failed} skipped"
        )
        dry_run = applied is None
        repeats = f"; {self.repeats} repeated an earlier contact" if self.repeats else ""
        if dry_run:
            return f"Dry run of {self.source}: {counts}{repeats}. Nothing was written."
        return f"Imported {self.source}: {counts}{repeats}."


def fold(name: str) -> str:
    """A name for matching: accents dropped (é -> e), case folded, one space between words.

    Only the combining accents of Latin, Greek and Cyrillic letters are dropped, so
    Japanese voiced marks (ド vs ト) still tell names apart.
    """
    decomposed = unicodedata.normalize("NFKD", name)
    kept = "".join(c for c in decomposed if not "\u0300" <= c <= "\u036f")
    return " ".join(unicodedata.normalize("NFC", kept).casefold().split())


@dataclass
class _Target:
    """A person that contacts are merged into: one already in the vault, or a new note."""

    person: Person | None
    contacts: list[Contact] = field(default_factory=list)
    profile: str = ""
    birthday: str = ""

    def conflicts(self, contact: Contact) -> bool:
        """True when the contact is surely someone else: another profile or birthday."""
        profile = _profile_of(contact)
        if self.profile and profile and self.profile != profile:
            return True
        return bool(
            self.birthday
            and contact.birthday
            and not _same_birthday(self.birthday, contact.birthday)
        )


def _profile_of(contact: Contact) -> str:
    url = dict(contact.social).get("linkedin", "")
    return profile_key(url) if url else ""


def _same_birthday(a: str, b: str) -> bool:
    if a[-5:] != b[-5:]:
        return False
    return a.startswith("--") or b.startswith("--") or a == b


def _person_birthday(person: Person) -> str:
    b = person.birthday
    if b is None:
        return ""
    return f"{b.year:04d}-{b.month:02d}-{b.day:02d}" if b.year else f"--{b.month:02d}-{b.day:02d}"


def plan_import(index: Index, parsed: Parsed, tags: Iterable[str] = ()) -> Plan:
    """Match each contact, then work out each note's new text. Reads notes; writes nothing."""
    settings = index.settings
    extra_tags = tuple(t for t in (as_tag(t) for t in tags) if t)
    by_email: dict[str, _Target] = {}
    by_profile: dict[str, _Target] = {}
    by_name: dict[str, list[_Target]] = {}
    for person in index.people:
        target = _Target(
            person,
            profile=profile_key(dict(person.social).get("linkedin", ""))
            if dict(person.social).get("linkedin")
            else "",
            birthday=_person_birthday(person),
        )
        for email in person.emails:
            by_email.setdefault(email.casefold(), target)
        if target.profile:
            by_profile.setdefault(target.profile, target)
        for name in dict.fromkeys(
            fold(n) for n in (Path(person.path).stem, person.name, *person.aliases)
        ):
            by_name.setdefault(name, []).append(target)
    found = scan(settings)
    readable = {p.path for p in index.people}
    unreadable = {
        fold(Path(rel).stem): rel
        for rel, kind in found.notes.items()
        if kind == "person" and rel not in readable
    }
    skipped = list(parsed.skipped)
    warnings = list(parsed.warnings)
    targets: list[_Target] = []
    repeats = 0
    for contact in parsed.contacts:
        if extra_tags:
            contact = _with_tags(contact, extra_tags)
        match = _match(contact, by_email, by_profile, by_name)
        if match is None:
            blocked = next(
                (unreadable[fold(n)] for n in contact.names if fold(n) in unreadable), None
            )
            if blocked:
                skipped.append(
                    Notice(
                        contact.line,
                        f"{contact.name}: {blocked} cannot be read (run vaultkit check); not merged",
                    )
                )
                continue
            target = _Target(None)
        else:
            target = match
            repeats += bool(target.contacts)  # the same person as a contact earlier in the file
        if not target.contacts:  # first met in this file
            targets.append(target)
        target.contacts.append(contact)
        target.profile = target.profile or _profile_of(contact)
        target.birthday = target.birthday or contact.birthday
        for email in contact.emails:
            by_email.setdefault(email.casefold(), target)
        if target.profile:
            by_profile.setdefault(target.profile, target)
        for name in dict.fromkeys(fold(n) for n in (*contact.names, contact.name)):
            if not any(t is target for t in by_name.get(name, [])):
                by_name.setdefault(name, []).append(target)
    taken = _taken_names(settings, index)
    new: list[NewNote] = []
    merged: list[Merge] = []
    unchanged: list[str] = []
    for target in targets:
        proposal = _proposal(target.contacts)
        lines = tuple(c.line for c in target.contacts)
        if target.person is None:
            note = _new_note(settings, target.contacts, proposal, taken, lines)
            if isinstance(note, Notice):
                skipped.append(note)
            else:
                new.append(note)
            continue
        result = _merge(settings, target.person, proposal, lines, warnings)
        if isinstance(result, Notice):
            skipped.append(result)
        elif result.gained:
            merged.append(result)
        else:
            unchanged.append(target.person.path)
    by_line = lambda n: n.line or 0  # noqa: E731
    return Plan(
        parsed.source,
        tuple(new),
        tuple(merged),
        tuple(unchanged),
        tuple(sorted(skipped, key=by_line)),
        tuple(sorted(warnings, key=by_line)),
        repeats,
    )


def _with_tags(contact: Contact, tags: tuple[str, ...]) -> Contact:
    from dataclasses import replace

    return replace(contact, tags=tuple(dict.fromkeys((*contact.tags, *tags))))


def _match(contact: Contact, by_email: dict, by_profile: dict, by_name: dict) -> _Target | None:
    for email in contact.emails:
        if email.casefold() in by_email:
            return by_email[email.casefold()]
    profile = _profile_of(contact)
    if profile and profile in by_profile:
        return by_profile[profile]
    for name in (contact.name, *contact.names):
        for target in by_name.get(fold(name), []):
            if not target.conflicts(contact):
                return target
    return None


def _proposal(contacts: list[Contact]) -> dict[str, Any]:
    """The keys the contacts give, in KEY_ORDER: the first value of a single key, every list item."""
    out: dict[str, Any] = {}
    for contact in contacts:
        values: dict[str, Any] = {
            "aliases": [a for a in contact.aliases if fold(a) != fold(contact.name)],
            "tags": list(contact.tags),
            "company": contact.company,
            "role": contact.role,
            "email": list(contact.emails),
            "phone": contact.phone,
            "social": dict(contact.social),
            "birthday": _birthday_value(contact.birthday),
            "met": contact.met,
            "how_met": contact.how_met,
            "introduced_by": _link(contact.introduced_by),
            "cadence": contact.cadence,
            "interests": list(contact.interests),
            "groups": list(contact.groups),
            "status": contact.status,
            "snooze_until": contact.snooze_until,
            "last_contact": contact.last_contact,
        }
        for key, value in values.items():
            if value in (None, "", [], {}):
                continue
            if key in LIST_KEYS:
                have = out.setdefault(key, [])
                seen = {_same(key, v) for v in have}
                have.extend(v for v in value if _same(key, v) not in seen)
            elif key == "social":
                for name, url in value.items():
                    out.setdefault("social", {}).setdefault(name, url)
            else:
                out.setdefault(key, value)
    return {key: out[key] for key in KEY_ORDER if key in out}


def _birthday_value(text: str) -> date | str | None:
    if not text:
        return None
    return text if text.startswith("--") else date.fromisoformat(text)


def _link(name: str) -> str:
    name = name.strip()
    if not name or name.startswith("[["):
        return name
    return f"[[{name}]]"


def _same(key: str, value: str) -> str:
    """What two list items are compared by: tags and emails without case, names without accents."""
    if key == "tags":
        return value.lstrip("#").lower()
    if key == "aliases":
        return fold(value)
    return unicodedata.normalize("NFC", str(value)).strip().casefold()


# --- new notes ---------------------------------------------------------------------------


def safe_note_name(name: str) -> str:
    """A display name made into a valid note name (the rules of edit.check_note_name)."""
    name = unicodedata.normalize("NFC", name)
    name = BAD_NAME_CHARS.sub("-", name).replace("[", "(").replace("]", ")")
    name = re.sub(r"[#^]", "", name)
    name = " ".join(name.split()).strip(" .")
    while len(name.encode("utf-8")) > 200:
        name = name[:-1].rstrip(" .")
    if not name:
        name = "Unnamed contact"
    if name.split(".")[0].lower() in WINDOWS_RESERVED:
        name = f"{name} (contact)"
    return check_note_name(name)


def _taken_names(settings: Settings, index: Index) -> set[str]:
    """Names a new note may not take: every file in the people folder and every name in use."""
    taken = set(index.lookup)
    folder = settings.root / settings.people_dir
    if folder.is_dir():
        taken.update(key_of(path.stem) for path in folder.rglob("*") if path.is_file())
    return taken


def _new_note(
    settings: Settings,
    contacts: list[Contact],
    proposal: dict[str, Any],
    taken: set[str],
    lines: tuple[int, ...],
) -> NewNote | Notice:
    display = contacts[0].name
    base = safe_note_name(display)
    stem, number = base, 2
    while key_of(stem) in taken:
        stem, number = f"{base} ({number})", number + 1
    taken.add(key_of(stem))
    values = dict(proposal)
    if stem != display:
        values = {"name": display, **values}
    body_lines = [
        "---",
        *(line for key, value in values.items() for line in _key_text(key, value)),
        "---",
    ]
    notes = "\n\n".join(dict.fromkeys(c.notes.strip() for c in contacts if c.notes.strip()))
    text = "\n".join(body_lines) + "\n" + (notes + "\n" if notes else "")
    if not values and not notes.startswith("---"):
        text = notes + "\n" if notes else ""  # nothing for the front matter: a body only
    rel = f"{Path(settings.people_dir).as_posix()}/{stem}.md"
    note = parse_note(text.encode("utf-8"), rel)
    if note.problems or note.meta != _expected(values):
        return Notice(
            lines[0],
            f"{display}: could not write its note safely (a value YAML cannot hold?); skipped",
        )
    return NewNote(rel, text, tuple(values), lines)


def _key_yaml(key: str, value: Any) -> str:
    if key == "email" and len(value) == 1:
        value = value[0]  # one address is written as text, as people write it
    return yaml_value(value)


def _key_text(key: str, value: Any) -> list[str]:
    rendered = _key_yaml(key, value)
    if rendered.startswith("\n"):
        return [f"{key}:", *rendered[1:].split("\n")]
    return [f"{key}: {rendered}"]


def _expected(values: dict[str, Any]) -> dict[str, Any]:
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


# --- merging into a note -----------------------------------------------------------------


@dataclass(frozen=True)
class _Edit:
    key: str  # the key as the note writes it: "Tags", "emails", "org"
    text: str | None  # the note after the edit; None when the value's shape cannot be edited
    wanted: Any  # what the key must read back as
    label: str  # for the report: "tags", "social.linkedin"
    kind: str = ""  # vaultkit's name for the key, for how its items are read


def _merge(
    settings: Settings,
    person: Person,
    proposal: dict[str, Any],
    lines: tuple[int, ...],
    warnings: list[Notice],
) -> Merge | Notice:
    path = settings.root / person.path
    try:
        before = path.read_bytes()
        text = before.decode("utf-8")
    except OSError as exc:
        return Notice(lines[0], f"{person.path}: cannot read: {exc.strerror}; not merged")
    except UnicodeDecodeError:
        return Notice(lines[0], f"{person.path}: not UTF-8 text; not merged")
    note = parse_note(before, person.path)
    if not note.readable or any(p.code == "duplicate-key" for p in note.problems):
        return Notice(
            lines[0],
            f"{person.path}: its front matter has a problem (run vaultkit check); not merged",
        )
    gained: list[str] = []
    missing: dict[str, Any] = {}
    current = note
    for key, value in proposal.items():
        meta = current.meta
        names = written_keys(meta)
        written = names.get(key)
        edit: _Edit | None
        if written is None:
            missing[key] = value  # added with the other new keys, in KEY_ORDER
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
        after = parse_note(edit.text.encode("utf-8"), person.path) if edit.text else None
        if edit.text is not None and after is not None and _only_changed(current, after, edit):
            text, current = edit.text, after
            gained.append(edit.label)
        else:
            shown = yaml_value(value).strip().replace("\n", ", ")
            message = f"{written} is written in a way vaultkit does not edit; add {shown} by hand"
            warnings.append(Notice(lines[0], f"{person.path}: {message}"))
    if missing:
        candidate = add_keys(text, [(key, _key_yaml(key, value)) for key, value in missing.items()])
        new = parse_note(candidate.encode("utf-8"), person.path)
        if new.body == current.body and new.meta == {**current.meta, **_expected(missing)}:
            text = candidate
            gained.extend(missing)
        else:
            keys = ", ".join(missing)
            warnings.append(
                Notice(lines[0], f"{person.path}: could not add {keys} safely; not changed")
            )
    return Merge(person.path, before, text, tuple(gained), lines)


def written_keys(meta: dict[str, Any]) -> dict[str, str]:
    """vaultkit's key -> the key as the note writes it, resolved as records._Fields reads
    notes: case-insensitively (the lower-case spelling wins) and through SYNONYMS (`org`
    is the company). A contact never adds `company` beside a note's `Company` or `org`."""
    names: dict[str, str] = {}
    for key in meta:
        lower = key.lower()
        if lower not in names or key == lower:
            names[lower] = key
    for key, others in SYNONYMS.items():
        for other in others:
            if key not in names and other in names:
                names[key] = names[other]
    return names


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
    seen = {_same(key, v) for v in present}
    if key == "aliases" and names.get("name"):
        seen.add(fold(str(meta[names["name"]] or "")))
    new = [v for v in value if _same(key, v) not in seen]
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


# --- applying ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Applied:
    """What writing a plan did: the notes written, the changes left undone and why."""

    written: frozenset[str]
    failed: tuple[Notice, ...]


def apply(settings: Settings, changes: Iterable[NewNote | Merge]) -> Applied:
    """Write each new note and merge, atomically; a note changed meanwhile is left alone."""
    written: set[str] = set()
    failed: list[Notice] = []
    for change in changes:
        path = settings.root / change.path
        try:
            if isinstance(change, NewNote):
                if path.exists():
                    failed.append(
                        Notice(change.lines[0], f"{change.path} appeared meanwhile; not written")
                    )
                    continue
                atomic_write(path, change.text.encode("utf-8"))
            else:
                if path.read_bytes() != change.before:
                    failed.append(
                        Notice(
                            change.lines[0], f"{change.path} changed while importing; not merged"
                        )
                    )
                    continue
                atomic_write(path, change.text.encode("utf-8"), mode=path.stat().st_mode)
        except OSError as exc:
            failed.append(Notice(change.lines[0], f"{change.path}: cannot write: {exc.strerror}"))
            continue
        written.add(change.path)
    return Applied(frozenset(written), tuple(failed))
