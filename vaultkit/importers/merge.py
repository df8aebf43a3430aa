"""Contacts -> a plan (notes to create, notes to merge into), then the plan applied.

A contact is matched to a person by email, then by LinkedIn profile, then by name or
alias (case- and accent-insensitive), against the vault *and* against the contacts met
earlier in the same file, so one person exported three times is one note. A name match
is refused when both sides carry a different LinkedIn profile or birthday: two people
who share a name get two notes ("Jane Doe.md", "Jane Doe (2).md").

How a note's text is made or merged into is notetext.py's concern; this module
decides which note each contact goes to, and writes the plan.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from vaultkit.edit.lock import note_locked
from vaultkit.edit.person import BAD_NAME_CHARS, WINDOWS_RESERVED, check_note_name
from vaultkit.importers.contact import Contact, Notice, Parsed, as_tag, profile_key
from vaultkit.importers.notetext import LIST_KEYS, fold, merge_text, new_note_text, same
from vaultkit.index.vault import Index
from vaultkit.model import Person
from vaultkit.read.note import parse_note
from vaultkit.read.scan import scan
from vaultkit.settings import Settings
from vaultkit.words import key_of
from vaultkit.write import atomic_write

# The order keys are written in, as in the vault format's example.
KEY_ORDER = (
    "name", "aliases", "tags", "company", "role", "email", "phone", "social", "birthday", "met",
    "how_met", "introduced_by", "cadence", "interests", "groups", "status", "snooze_until", "last_contact",
)  # fmt: skip


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
                seen = {same(key, v) for v in have}
                have.extend(v for v in value if same(key, v) not in seen)
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
    notes = "\n\n".join(dict.fromkeys(c.notes.strip() for c in contacts if c.notes.strip()))
    text = new_note_text(values, notes)
    rel = f"{Path(settings.people_dir).as_posix()}/{stem}.md"
    if text is None:
        message = f"{display}: could not write its note safely (a value YAML cannot hold?); skipped"
        return Notice(lines[0], message)
    return NewNote(rel, text, tuple(values), lines)


# --- merging into a note -----------------------------------------------------------------


def _merge(
    settings: Settings,
    person: Person,
    proposal: dict[str, Any],
    lines: tuple[int, ...],
    warnings: list[Notice],
) -> Merge | Notice:
    """The person's note with the proposal merged in, or why it cannot be merged into."""
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
        message = f"{person.path}: its front matter has a problem (run vaultkit check); not merged"
        return Notice(lines[0], message)
    text, gained, problems = merge_text(text, person.path, proposal)
    warnings.extend(Notice(lines[0], f"{person.path}: {message}") for message in problems)
    return Merge(person.path, before, text, tuple(gained), lines)


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
                with note_locked(settings, path, change.path):  # as log and snooze do
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
