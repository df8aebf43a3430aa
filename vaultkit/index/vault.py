"""The index: every note of the vault read into typed records, links resolved."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from operator import attrgetter

from vaultkit.errors import Problem
from vaultkit.model import Event, Person, Resource
from vaultkit.read.records import Item, Record, key_of, read_record
from vaultkit.read.scan import scan
from vaultkit.settings import Settings


@dataclass(frozen=True)
class Index:
    """The whole vault in memory: records sorted by name, a link resolver, all problems."""

    settings: Settings
    people: tuple[Person, ...]
    events: tuple[Event, ...]
    resources: tuple[Resource, ...]
    problems: tuple[Problem, ...]
    lookup: dict[str, Person] = field(repr=False)  # file name, alias or name -> person
    attended: dict[str, tuple[Event, ...]] = field(repr=False)  # person key -> events attended

    @property
    def items(self) -> tuple[Item, ...]:
        """Every record: people, then events, then resources."""
        return (*self.people, *self.events, *self.resources)

    def person(self, target: str) -> Person | None:
        """The person a link target or typed name points at (case-insensitive)."""
        return self.lookup.get(key_of(target))


def build_index(settings: Settings, records: Iterable[Record], other_names: frozenset[str] = frozenset(), extra_problems: Iterable[Problem] = ()) -> Index:
    """Records -> Index: sort, resolve names and aliases, check links. No file is read here."""
    records = sorted(records, key=attrgetter("rel"))
    problems: list[Problem] = list(extra_problems)
    people: list[Person] = []
    events: list[Event] = []
    resources: list[Resource] = []
    for record in records:
        problems.extend(record.problems)
        if isinstance(record.item, Person):
            people.append(record.item)
        elif isinstance(record.item, Event):
            events.append(record.item)
        elif isinstance(record.item, Resource):
            resources.append(record.item)
    lookup: dict[str, Person] = {}
    owner: dict[str, str] = {}  # key -> path of the note that claimed it first
    for person in people:  # file names first: they win over aliases
        if person.key in lookup:
            problems.append(Problem(person.path, None, f"two people named {person.name!r}: here and {owner[person.key]}", code="duplicate-name"))
            continue
        lookup[person.key] = person
        owner[person.key] = person.path
    for person in people:
        for alias, key in person.other_keys:
            if key in lookup and lookup[key] is not person:
                if alias != person.name:
                    problems.append(Problem(person.path, None, f"alias {alias!r} is also {owner[key]}; links to it go there", code="duplicate-name"))
                continue
            lookup[key] = person
            owner[key] = person.path
    targets = set(lookup) | {e.key for e in events} | {r.key for r in resources} | other_names
    items: list[Item] = [*people, *events, *resources]
    for item in items:
        for link in item.links:
            if link.target not in targets:
                problems.append(Problem(item.path, link.line, f"link {link.text} points to no note", "warning", "link"))
    attended: dict[str, list[Event]] = {}
    for event in events:
        for target in event.attendees:
            attendee = lookup.get(target)
            if attendee is not None:
                attended.setdefault(attendee.key, []).append(event)
    return Index(
        settings=settings,
        people=tuple(sorted(people, key=attrgetter("order"))),
        events=tuple(sorted(events, key=lambda e: (e.when or date.min, e.name.casefold()))),
        resources=tuple(sorted(resources, key=lambda r: r.name.casefold())),
        problems=tuple(sorted(set(problems), key=lambda p: (p.path, p.line or 0, p.message))),
        lookup=lookup,
        attended={k: tuple(v) for k, v in attended.items()},
    )


def load_vault(settings: Settings) -> Index:
    """Read every note of the vault."""
    found = scan(settings)
    records = [read_record(settings, rel, kind) for rel, kind in found.notes.items()]
    return build_index(settings, records, found.other_names, found.problems)
