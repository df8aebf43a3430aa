"""The index: every note of the vault read into typed records, links resolved."""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from itertools import compress
from operator import attrgetter, itemgetter

from vaultkit.errors import Problem
from vaultkit.model import (
    Event,
    FollowUp,
    Interaction,
    Item,
    Mentions,
    Person,
    Record,
    Resource,
    make,
)
from vaultkit.read.scan import scan
from vaultkit.settings import Settings
from vaultkit.words import key_of

INTRO_TAG = "intro"  # a line that says who introduced whom (the logbook, the reminders, the rows' patch)


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


@dataclass(frozen=True)
class Built:
    """An index with what index/patch.py needs to put one person's new record in it without
    building it all again: what other notes give each person, every link target, and every
    problem counted as often as it was found."""

    index: Index
    given: dict[str, list[Interaction]]  # person key -> lines of other notes that link them
    tasks: dict[str, list[FollowUp]]  # person key -> tasks of other notes that link them
    targets: frozenset[str]  # what a link may point at
    counts: Counter[Problem]


def build_index(settings: Settings, records: Iterable[Record], other_names: frozenset[str] = frozenset(), extra_problems: Iterable[Problem] = ()) -> Index:
    """Records -> Index: sort, resolve names and aliases, check links. No file is read here."""
    return built_index(settings, records, other_names, extra_problems).index


def built_index(settings: Settings, records: Iterable[Record], other_names: frozenset[str] = frozenset(), extra_problems: Iterable[Problem] = ()) -> Built:
    """build_index, with what a patch of the index needs (Built)."""
    records = sorted(records, key=attrgetter("rel"))
    problems: list[Problem] = list(extra_problems)
    people: list[Person] = []
    events: list[Event] = []
    resources: list[Resource] = []
    mentions: list[Mentions] = []
    kinds: dict[type, list] = {Person: people, Event: events, Resource: resources, Mentions: mentions}
    for record in records:
        if record.problems:
            problems.extend(record.problems)
        item = record.item
        group = kinds.get(type(item))
        if group is None and item is not None:  # (a subclass of one of them)
            group = next((g for cls, g in kinds.items() if isinstance(item, cls)), None)
        if group is not None:
            group.append(item)
    # file names first: they win over aliases. Made in C, as most vaults have no two people of
    # one name; where two share one, the first (by path) keeps it.
    lookup: dict[str, Person] = dict(zip(map(_KEY, people), people, strict=True))
    if len(lookup) < len(people):
        lookup = {}
        for person in people:
            first = lookup.setdefault(person.key, person)
            if first is not person:
                problems.append(Problem(person.path, None, f"two people named {person.name!r}: here and {first.path}", code="duplicate-name"))
    for person in compress(people, map(_OTHER_KEYS, people)):  # (only people with other names: a loop in C)
        for alias, key in person.other_keys:
            first = lookup.setdefault(key, person)
            if first is not person and alias != person.name:
                problems.append(Problem(person.path, None, f"alias {alias!r} is also {first.path}; links to it go there", code="duplicate-name"))
    given: dict[str, list[Interaction]] = {}
    tasks: dict[str, list[FollowUp]] = {}
    if mentions:
        given, tasks = _mentioned(mentions, lookup, settings, problems)
        changed: dict[int, Person] = {}  # id of a person's record -> the record with what others give
        for key in (*given, *(k for k in tasks if k not in given)):
            person = lookup[key]  # whose file name this is: of two people of one name, the first
            changed[id(person)] = with_given(person, given.get(key), tasks.get(key))
        people = [changed.get(id(person), person) for person in people]
        for key, person in lookup.items():  # (the same keys: only the values change)
            lookup[key] = changed.get(id(person), person)
    targets = frozenset(set(lookup) | {e.key for e in events} | {r.key for r in resources} | {m.key for m in mentions} | other_names)
    items: list[Item] = [*people, *events, *resources]
    for item in compress(items, map(_LINKS, items)):  # (only the items with links: a loop in C)
        problems.extend(link_problems(item, targets))
    attended: dict[str, list[Event]] = {}
    for event in events:
        for target in event.attendees:
            attendee = lookup.get(target)
            if attendee is not None:
                attended.setdefault(attendee.key, []).append(event)
    index = Index(
        settings=settings,
        people=tuple(sorted(people, key=attrgetter("order"))),
        events=tuple(sorted(events, key=lambda e: (e.when or date.min, e.name.casefold()))),
        resources=tuple(sorted(resources, key=lambda r: r.name.casefold())),
        problems=sorted_problems(set(problems)),
        lookup=lookup,
        attended={k: tuple(v) for k, v in attended.items()},
    )
    return Built(index, given, tasks, targets, Counter(problems))


def sorted_problems(problems: Iterable[Problem]) -> tuple[Problem, ...]:
    return tuple(sorted(problems, key=lambda p: (p.path, p.line or 0, p.message)))


def link_problems(item: Item, targets: frozenset[str]) -> list[Problem]:
    """The item's links that point to no note."""
    return [
        Problem(item.path, link.line, f"link {link.text} points to no note", "warning", "link")
        for link in item.links
        if link.target not in targets
    ]


def with_given(person: Person, more: list[Interaction] | None, todo: list[FollowUp] | None) -> Person:
    """The person's record with the lines and tasks of other notes that link them."""
    values = person.__dict__.copy()  # its fields, and the cached properties it has computed: not kept
    for name in _CACHED:
        values.pop(name, None)
    if more:
        values["interactions"] = tuple(sorted((*person.interactions, *more), key=_BY_DAY))
    if todo:
        values["followups"] = (*person.followups, *todo)
    return make(Person, values)


def _mentioned(
    mentions: list[Mentions], lookup: dict[str, Person], settings: Settings, problems: list[Problem]
) -> tuple[dict[str, list[Interaction]], dict[str, list[FollowUp]]]:
    """What other notes give people: person key -> lines, person key -> tasks.

    A line gives one interaction to each person it links (once, however often it links them);
    on it, a thanks tag or #intro belongs to the first person linked: the others get the line
    without those tags. A dated note's attendees each get one interaction, its title.
    """
    favour_tags = favour_tags_of(settings)
    given: dict[str, list[Interaction]] = {}
    tasks: dict[str, list[FollowUp]] = {}
    for note in mentions:
        mentioned_by(note, lookup, favour_tags, given, tasks, problems)
    return given, tasks


def mentioned_by(
    note: Mentions,
    lookup: dict[str, Person],
    favour_tags: frozenset[str],
    given: dict[str, list[Interaction]],
    tasks: dict[str, list[FollowUp]],
    problems: list[Problem],
) -> None:
    """What one note gives people, added to `given` and `tasks` (see _mentioned), and the
    problems of its attendees."""
    path = note.path
    if note.attendees:
        for target, name in zip(note.attendees, note.attendees_names, strict=True):
            person = lookup.get(target)
            if person is None:
                problems.append(Problem(path, note.attendees_line, f"{note.attendees_key}: {name!r} is no person in the vault", "warning", "attendee"))
            elif note.when is not None:
                given.setdefault(person.key, []).append(_new_tuple(Interaction, (note.when, note.name, (), (), note.attendees_line, path)))
    for line in note.interactions:
        when, text, tags, links, number = line[:5]
        if len(links) == 1:  # most lines link one person
            person = lookup.get(links[0])
            if person is not None:
                given.setdefault(person.key, []).append(_new_tuple(Interaction, (when, text, tags, (), number, path)))
            continue
        linked = list(dict.fromkeys(p.key for t in links if (p := lookup.get(t)) is not None))
        for order, key in enumerate(linked):
            kept = tags if order == 0 or favour_tags.isdisjoint(tags) else tuple(t for t in tags if t not in favour_tags)
            others = tuple(k for k in linked if k != key)
            given.setdefault(key, []).append(_new_tuple(Interaction, (when, text, kept, others, number, path)))
    for task in note.followups:
        for key in dict.fromkeys(p.key for t in task.links if (p := lookup.get(t)) is not None):
            tasks.setdefault(key, []).append(_new_tuple(FollowUp, (*task[:_SOURCE], path)))


def favour_tags_of(settings: Settings) -> frozenset[str]:
    """The tags of a line that only the first person it links gets."""
    return frozenset((*settings.thanks_tags, INTRO_TAG))


_KEY, _OTHER_KEYS, _LINKS = attrgetter("key"), attrgetter("other_keys"), attrgetter("links")
# (when, source, line), a C-level key: the person's own lines (source "") first on a day
_BY_DAY = itemgetter(Interaction._fields.index("when"), Interaction._fields.index("source"), Interaction._fields.index("line"))
# A named tuple from the tuple of its fields without its Python __new__ (or _replace), several
# times cheaper: the index makes one for each line that links someone, in every build.
_new_tuple = tuple.__new__
_SOURCE = FollowUp._fields.index("source")
assert _SOURCE == len(FollowUp._fields) - 1 and Interaction._fields[:5] == ("when", "text", "tags", "links", "line")
_CACHED = tuple(name for name, value in vars(Person).items() if isinstance(value, functools.cached_property))


def load_vault(settings: Settings) -> Index:
    """Read every note of the vault."""
    from vaultkit.read.records import read_record  # the note parser: only where notes are read

    found = scan(settings)
    records = [read_record(settings, rel, kind) for rel, kind in found.notes.items()]
    return build_index(settings, records, found.other_names, found.problems)
