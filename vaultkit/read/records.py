"""Note -> typed record (Person, Event, Resource), normalized once; problems for bad values."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from operator import itemgetter
from typing import Any

from vaultkit.errors import Problem
from vaultkit.model import (
    STATUSES,
    Birthday,
    Cadence,
    Event,
    FollowUp,
    Interaction,
    Link,
    Mentions,
    Person,
    Record,
    Resource,
    make,
    parse_cadence,
)
from vaultkit.read import keys
from vaultkit.read.body import ITEM_RE, TARGET_RE, _valid_day, parse_body
from vaultkit.read.lines import DATE_HEADING_RE, body_lines, dated_sections, links_of, tags_of
from vaultkit.read.masks import for_lines, mask
from vaultkit.read.note import Note, as_date, parse_note, read_note
from vaultkit.settings import Settings
from vaultkit.words import key_of, nfc


def parse_birthday(value: Any) -> Birthday | None:
    day = as_date(value)
    if day is not None:
        return Birthday(day.month, day.day, day.year)
    if isinstance(value, str):
        found = re.fullmatch(r"--(\d{2})-?(\d{2})", value.strip())
        if found:
            month, dom = int(found.group(1)), int(found.group(2))
            try:
                date(2000, month, dom)  # a leap year: 29 February is allowed
            except ValueError:
                return None
            return Birthday(month, dom)
    return None


# Other people-note templates name the same things differently (`Email`, `org`, `Birthday`).
SYNONYMS = {"company": ("organization", "org"), "email": ("emails", "mail"), "phone": ("phones", "mobile")}


def written_keys(meta: dict[str, Any]) -> dict[str, str]:
    """vaultkit's key -> the key as the note writes it: case-insensitively (the lower-case
    spelling wins when a note has both) and through SYNONYMS (`org` is the company)."""
    return _written_keys(meta)[0]


_SYNONYM_SPELLINGS = frozenset(other for others in SYNONYMS.values() for other in others)


def _written_keys(meta: dict[str, Any]) -> tuple[dict[str, str], bool]:
    """written_keys, and True when it maps each key of `meta` to itself (every key lower-case)."""
    names: dict[str, str] = {}
    same = True
    for key in meta:
        lower = key.lower()
        if lower == key:
            names[lower] = key
        else:
            same = False
            if lower not in names:
                names[lower] = key
    if not _SYNONYM_SPELLINGS.isdisjoint(names):
        for key, others in SYNONYMS.items():
            for other in others:
                if key not in names and other in names:
                    names[key] = names[other]
                    same = False
    return names, same


_TAG_SPLIT_RE = re.compile(r"[,\s]+")
_ALIAS_SPLIT_RE = re.compile(r"\s*,\s*")


def _clean(text: str) -> str:
    """NFC, stripped."""
    return nfc(text).strip()


class _Fields:
    """Reads typed values out of a note's front matter, recording problems with lines.

    Keys are matched case-insensitively (Obsidian treats `Email` and `email` as one
    property); the lower-case spelling wins when a note has both.
    """

    def __init__(self, note: Note, spellings: keys.Table | None = None, body: str | None = None) -> None:
        """`spellings`: the accepted spellings of keys (keys.table); None: the lower-case spelling
        of each key only. `body`: the body with code, quotes and comments blanked, to read
        Dataview inline fields from (none when None)."""
        self.note = note
        self.problems: list[Problem] = []
        self.inline: dict[str, int] = {}  # keys set by a Dataview inline field -> its line
        if spellings is None:
            self.names, same = _written_keys(note.meta)  # vaultkit's key -> the key as written
            # (meta is only read: when every key is written as vaultkit's, the note's own will do)
            self.meta = note.meta if same else {lower: note.meta[key] for lower, key in self.names.items()}
            return
        self.names, duplicates = keys.canonical_names(note.meta, spellings)
        self.meta = {key: note.meta[written] for key, written in self.names.items()}
        for key, kept, other in duplicates:
            self.problems.append(Problem(note.rel, note.key_line(other), f"{other} and {kept} are both {key}; {kept} is used", "warning", "duplicate-key"))
        if body is not None and "::" in body:
            for written, value, line in keys.inline_fields(body, note.body_line):
                key = spellings.get(keys.normal(written), (keys.normal(written), 0))[0]
                if key not in self.meta:
                    self.meta[key], self.names[key], self.inline[key] = value, written, line

    def problem(self, key: str, message: str, code: str = "type") -> None:
        written = self.names.get(key, key)
        line = self.line(key)
        self.problems.append(Problem(self.note.rel, line, f"{written}: {message}", code=code))

    def line(self, key: str) -> int | None:
        if key in self.inline:
            return self.inline[key]
        return self.note.key_line(self.names.get(key, key))

    def text(self, key: str) -> str:
        value = self.meta.get(key)
        if value is None:
            return ""
        if type(value) is str:  # the common case, first
            return _clean(_link_text(value) if "[[" in value else value)
        if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
            return ", ".join(_link_text(v) for v in self.texts(key))  # Obsidian's list property for a text key
        if isinstance(value, bool) or isinstance(value, (list, dict)):
            self.problem(key, f"expected text, got {_shown(value)}")
            return ""
        if isinstance(value, date):
            return value.isoformat()
        return _clean(str(value))

    def texts(self, key: str, split: re.Pattern[str] | None = None) -> tuple[str, ...]:
        """A list of strings; a single string is one item, or split on the `split` pattern."""
        value = self.meta.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            items: Iterable[Any] = split.split(value) if split else (value,)
        elif isinstance(value, list):
            items = value
        else:
            self.problem(key, f"expected a list, got {_shown(value)}")
            return ()
        out = []
        for item in items:
            if type(item) is str:  # the common case, first
                text = _clean(item)
            elif item is None:
                continue
            elif isinstance(item, (list, dict, bool)):
                self.problem(key, f"expected a list of text, found {_shown(item)}")
                continue
            else:
                text = _clean(item.isoformat() if isinstance(item, date) else str(item))
            if text:
                out.append(text)
        return tuple(out)

    def tags(self, key: str) -> tuple[str, ...]:
        if key not in self.meta:
            return ()
        seen: dict[str, None] = {}
        for tag in self.texts(key, split=_TAG_SPLIT_RE):
            for part in _TAG_SPLIT_RE.split(tag):
                part = part.lstrip("#").lower()
                if part:
                    seen.setdefault(part, None)
        return tuple(seen)

    def links(self, key: str) -> tuple[str, ...]:
        """Link targets from "[[Name]]" strings or plain names."""
        return tuple(target for target, _ in self.named_links(key))

    def named_links(self, key: str) -> tuple[tuple[str, str], ...]:
        """(link target, the name as written) from "[[Name]]" strings or plain names."""
        if key not in self.meta:
            return ()
        out = []
        for item in self.texts(key):
            names = [target for target, _ in TARGET_RE.findall(item) if target.strip()] or [item]
            out.extend((target, name.strip()) for name in names if (target := key_of(name)))
        return tuple(out)

    def day(self, key: str) -> date | None:
        value = self.meta.get(key)
        if value is None or value == "":
            return None
        day = as_date(value)
        if day is None:
            self.problem(key, f"expected a date YYYY-MM-DD, got {_shown(value)}", code="date")
        return day


def _link_text(text: str) -> str:
    """`[[Acme]]` reads as `Acme`, `[[Acme Ltd|Acme]]` as `Acme`: a link given as a company or role."""
    return TARGET_RE.sub(lambda m: m.group(2) or m.group(1), text)


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _about(body: str) -> str:
    """The first paragraph of prose in the body, for the prep card: not code (a Dataview query
    is a fenced block), not a heading, list, quote, table or comment."""
    paragraph: list[str] = []
    in_code = False
    for line in body.split("\n"):
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            in_code = not in_code
            if paragraph:
                break
            continue
        if in_code or stripped.startswith("%%") or "::" in stripped:
            continue
        if not stripped:
            if paragraph:
                break
            continue
        if stripped.startswith(("#", "-", "*", "+", ">", "|", "```", "~~~", "<!--")) or ITEM_RE.match(line):
            if paragraph:
                break
            continue
        paragraph.append(stripped)
    return " ".join(paragraph)


def _front_links(f: _Fields, key: str, targets: tuple[str, ...]) -> list[Link]:
    """Links held in a front matter key, for link checking; they point at the key's line."""
    line = f.line(key) or 1
    return [Link(target, f"{key}: {target}", line) for target in targets]


def tag_cadence(
    tags: Iterable[str], rules: Iterable[tuple[str, str]]
) -> tuple[Cadence, str] | None:
    """The shortest cadence among the rules for these tags, with its tag (ties: first tag by name)."""
    mine = set(tags)
    found = [(c, tag) for tag, text in sorted(rules) if tag in mine and (c := parse_cadence(text))]
    return min(found, key=lambda ct: ct[0].after(date(2000, 1, 1)), default=None)


def person_from_note(
    note: Note,
    default_cadence: str = "",
    cadence_by_tag: tuple[tuple[str, str], ...] = (),
    extra_keys: tuple[tuple[str, tuple[str, ...]], ...] = (),
) -> tuple[Person, list[Problem]]:
    """A person's note: its keys in any accepted spelling, its dated lines and tasks.

    `extra_keys`: `[keys]` of vaultkit.toml, more spellings of a key.
    """
    body, said = for_lines(note.body)  # (code marked, not blanked: masks.py)
    f = _Fields(note, keys.table("person", extra_keys), body if said is None else mask(note.body))
    interactions, followups, links, body_problems = parse_body(note, body, said)
    if DATE_HEADING_RE.search(body):  # `### 2026-11-02`: the list items below it are on that day
        for day, line in dated_sections(body_lines(body, note.body_line, said)):
            text = line.text
            interactions.append(_new_tuple(Interaction, (day, line.said, tags_of(text), links_of(text), line.number, "")))
    cadence = None
    cadence_source = ""
    cadence_text = f.text("cadence")
    tags = f.tags("tags")
    by_tag = tag_cadence(tags, cadence_by_tag) if not cadence_text and cadence_by_tag else None
    if cadence_text:
        cadence, cadence_source = parse_cadence(cadence_text), "note"
        if cadence is None:
            cadence_source = ""
            f.problem(
                "cadence",
                f"unknown cadence {cadence_text!r} (weekly, biweekly, monthly, quarterly, "
                "yearly, or a count and unit like 10d, 6w, 3m, 1y)",
                code="cadence",
            )
    elif by_tag:
        cadence, cadence_source = by_tag[0], f"tag:{by_tag[1]}"
    elif default_cadence:
        cadence, cadence_source = parse_cadence(default_cadence), "default"
    birthday = None
    if f.meta.get("birthday") not in (None, ""):
        birthday = parse_birthday(f.meta["birthday"])
        if birthday is None:
            f.problem("birthday", f"expected YYYY-MM-DD or --MM-DD, got {_shown(f.meta['birthday'])}", code="date")
    status = f.text("status").lower() or "active"
    if status not in STATUSES:
        f.problem("status", f"expected one of {', '.join(STATUSES)}, got {status!r}; read as active")
        status = "active"
    social_value = f.meta.get("social")
    social: tuple[tuple[str, str], ...] = ()
    if isinstance(social_value, dict):
        social = tuple(sorted((str(k), str(v)) for k, v in social_value.items() if v is not None))
    elif social_value is not None:
        f.problem("social", f"expected keys and values (linkedin: URL), got {_shown(social_value)}")
    introduced = f.links("introduced_by")
    links.extend(_front_links(f, "introduced_by", introduced))
    stem = note.stem
    person = make(
        Person,
        {
            "key": key_of(stem),
            "name": f.text("name") or stem,
            "path": note.rel,
            "aliases": f.texts("aliases", split=_ALIAS_SPLIT_RE),
            "tags": tags,
            "company": f.text("company"),
            "role": f.text("role"),
            "emails": tuple(dict.fromkeys(f.texts("email"))),
            "phone": f.text("phone"),
            "social": social,
            "birthday": birthday,
            "met": f.day("met"),
            "how_met": f.text("how_met"),
            "introduced_by": introduced[0] if introduced else "",
            "cadence": cadence,
            "interests": f.tags("interests"),
            "groups": f.texts("groups"),
            "status": status,
            "snooze_until": f.day("snooze_until"),
            "last_contact": f.day("last_contact"),
            "about": _about(note.body),
            "interactions": tuple(sorted(interactions, key=itemgetter(0))),  # by date; the lines are in order already
            "followups": tuple(followups),
            "links": tuple(links),
            "cadence_source": cadence_source,
        },
    )
    return person, [*note.problems, *f.problems, *body_problems]


def event_from_note(note: Note) -> tuple[Event, list[Problem]]:
    f = _Fields(note)
    _, followups, links, body_problems = parse_body(note, *for_lines(note.body))
    when = f.day("date")
    if when is None and "date" not in f.meta:
        found = re.match(r"(\d{4}-\d{2}-\d{2})", note.stem)  # "2026-12-05 Python meetup"
        when = _valid_day(found.group(1)) if found else None
    attendees = f.links("attendees")
    links.extend(_front_links(f, "attendees", attendees))
    event = make(
        Event,
        {
            "key": key_of(note.stem),
            "name": f.text("name") or note.stem,
            "path": note.rel,
            "when": when,
            "location": f.text("location"),
            "invite": f.tags("invite"),
            "attendees": attendees,
            "followups": tuple(followups),
            "links": tuple(links),
        },
    )
    return event, [*note.problems, *f.problems, *body_problems]


def resource_from_note(note: Note) -> tuple[Resource, list[Problem]]:
    f = _Fields(note)
    _, followups, links, body_problems = parse_body(note, *for_lines(note.body))
    shared = f.links("shared_with")
    links.extend(_front_links(f, "shared_with", shared))
    resource = make(
        Resource,
        {
            "key": key_of(note.stem),
            "name": f.text("name") or f.text("title") or note.stem,
            "path": note.rel,
            "url": f.text("url"),
            "kind": f.text("kind").lower(),
            "tags": f.tags("tags"),
            "added": f.day("added"),
            "shared_with": shared,
            "followups": tuple(followups),
            "links": tuple(links),
        },
    )
    return resource, [*note.problems, *f.problems, *body_problems]


PERSON_KINDS = frozenset(["people", "person", "contact", "contacts"])
_KIND_KEYS = ("type", "category", "categories")


def is_person(note: Note, kind: str, person_tags: tuple[str, ...]) -> bool:
    """Is this note a person's? In the people folder: unless its type or category names
    something else (`categories: ["[[Meetings]]"]`). Anywhere else: when it is tagged with one of
    `person_tags`, or its type or category names People, Person or Contact (kepano's layout)."""
    named = _kinds_named(note.meta)
    if kind == "person":
        return not named or not PERSON_KINDS.isdisjoint(named)
    if named and not PERSON_KINDS.isdisjoint(named):
        return True
    if not person_tags:
        return False
    tags = next((v for k, v in note.meta.items() if isinstance(k, str) and keys.normal(k) in ("tags", "tag")), None)
    if isinstance(tags, str):
        tags = _TAG_SPLIT_RE.split(tags)
    if isinstance(tags, list):
        return any(isinstance(t, str) and t.strip().lstrip("#").lower() in person_tags for t in tags)
    return False


def _kinds_named(meta: dict[str, Any]) -> set[str]:
    """What a note's `type`, `category` and `categories` name, lower-case, links as their text."""
    if not meta:
        return set()
    named: set[str] = set()
    for written, value in meta.items():
        if not isinstance(written, str) or keys.normal(written) not in _KIND_KEYS:
            continue
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str) and item.strip():
                named.add(_link_text(item).strip().lower())
    return named


def note_date(f: _Fields, note: Note, settings: Settings) -> date | None:
    """The date of a note that is not a person: `date` or `day` in its front matter (a date and
    time reads as its day), else a file name that starts with a date, else its place in the
    daily notes folder (the format of .obsidian/daily-notes.json)."""
    for key in ("date", "day"):
        if f.meta.get(key) not in (None, ""):
            return f.day(key)
    found = _DATED_NAME_RE.match(note.stem)
    if found:
        day = _valid_day(found.group(1))
        if day is not None:
            return day
    if settings.daily_format:
        from vaultkit.obsidian import daily_date

        return daily_date(note.rel, settings.daily_folder, settings.daily_format)
    return None


_BLOCK_ID_RE = re.compile(r"\s+\^[A-Za-z0-9-]+$")  # an Obsidian block id ends a ledger line: not part of its text
_DATED_NAME_RE = re.compile(r"(\d{4}-\d{2}-\d{2})(?!\d)")


def mentions_from_note(note: Note, settings: Settings) -> tuple[Mentions, list[Problem]]:
    """A note that is not a person's, an event or a resource: the people it says you met.

    Dated list items that link someone; in a dated note, its attendees and every line that links
    someone (on the day of the date heading above it, else the note's); tasks that link someone.
    """
    body, said = for_lines(note.body)
    f = _Fields(note, keys.table("note", settings.keys))
    when = note_date(f, note, settings)
    named = f.named_links("attendees")
    attendees = tuple(target for target, _ in named)
    interactions: list[Interaction] = []
    followups: list[FollowUp] = []
    problems: list[Problem] = []
    if "[[" in body:
        dated, tasks, _, problems = parse_body(note, body, said)
        interactions = [i._replace(text=_BLOCK_ID_RE.sub("", i.text)) if "^" in i.text else i for i in dated if i.links]
        followups = [t for t in tasks if t.links]
        if when is not None:
            for line in body_lines(body, note.body_line, said):
                if line.kind in ("item", "text") and line.day is None and "[[" in line.text:
                    targets = links_of(line.text)
                    if targets:
                        day = line.under or when
                        interactions.append(_new_tuple(Interaction, (day, line.said, tags_of(line.text), targets, line.number, "")))
    mentions = make(
        Mentions,
        {
            "key": key_of(note.stem),
            "name": f.text("title") or note.stem,
            "path": note.rel,
            "when": when,
            "attendees": attendees,
            "attendees_key": f.names.get("attendees", "") if attendees else "",
            "attendees_line": (f.line("attendees") or 1) if attendees else 0,
            "attendees_names": tuple(name for _, name in named),
            "interactions": tuple(sorted(interactions, key=itemgetter(4))),
            "followups": tuple(followups),
        },
    )
    return mentions, [*note.problems, *f.problems, *problems]


_new_tuple = tuple.__new__  # an Interaction from a tuple of its fields, without its Python __new__


def read_record(settings: Settings, rel: str, kind: str, data: bytes | None = None) -> Record:
    """Read one note into its record; a note that cannot be read gives only problems.

    `data`: the note's bytes when the caller has read them already.
    """
    note = read_note(settings.root / rel, rel) if data is None else parse_note(data, rel)
    if not note.readable:
        return Record(rel, kind, None, note.problems)
    if kind in ("person", "note"):
        if is_person(note, kind, settings.person_tags):
            item, problems = person_from_note(note, settings.default_cadence, settings.cadence_by_tag, settings.keys)
        else:
            item, problems = mentions_from_note(note, settings)  # type: ignore[assignment]
    elif kind == "event":
        item, problems = event_from_note(note)  # type: ignore[assignment]
    else:
        item, problems = resource_from_note(note)  # type: ignore[assignment]
    return make(Record, {"rel": rel, "kind": kind, "item": item, "problems": tuple(problems)})
