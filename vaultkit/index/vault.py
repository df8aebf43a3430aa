"""The index: every note of the vault read into typed records, links resolved."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date
from operator import attrgetter

from vaultkit.errors import Problem
from vaultkit.model import Event, FollowUp, Interaction, Mentions, Person, Resource, make
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
    for record in records:
        problems.extend(record.problems)
        if isinstance(record.item, Person):
            people.append(record.item)
        elif isinstance(record.item, Event):
            events.append(record.item)
        elif isinstance(record.item, Resource):
            resources.append(record.item)
        elif isinstance(record.item, Mentions):
            mentions.append(record.item)
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
    given: dict[str, list[Interaction]] = {}
    tasks: dict[str, list[FollowUp]] = {}
    if mentions:
        given, tasks = _mentioned(mentions, lookup, settings, problems)
        changed = {  # id of a person's record -> the record with what others give
            id(person): with_given(person, given.get(person.key), tasks.get(person.key))
            for person in people
            if (person.key in given or person.key in tasks) and lookup.get(person.key) is person
        }
        people = [changed.get(id(person), person) for person in people]
        lookup = {key: changed.get(id(person), person) for key, person in lookup.items()}
    targets = frozenset(set(lookup) | {e.key for e in events} | {r.key for r in resources} | {m.key for m in mentions} | other_names)
    items: list[Item] = [*people, *events, *resources]
    for item in items:
        if item.links:
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
    values = {name: person.__dict__[name] for name in PERSON_FIELDS}
    if more:
        values["interactions"] = tuple(sorted((*person.interactions, *more), key=_by_day))
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
    if note.attendees:
        for target in note.attendees:
            person = lookup.get(target)
            if person is None:
                problems.append(Problem(note.path, note.attendees_line, f"{note.attendees_key}: {target!r} is no person in the vault", "warning", "attendee"))
            elif note.when is not None:
                given.setdefault(person.key, []).append(Interaction(note.when, note.name, (), (), note.attendees_line, note.path))
    for line in note.interactions:
        linked = list(dict.fromkeys(p.key for t in line.links if (p := lookup.get(t)) is not None))
        for number, key in enumerate(linked):
            tags = line.tags if number == 0 or favour_tags.isdisjoint(line.tags) else tuple(t for t in line.tags if t not in favour_tags)
            others = tuple(k for k in linked if k != key)
            given.setdefault(key, []).append(Interaction(line.when, line.text, tags, others, line.line, note.path))
    for task in note.followups:
        for key in dict.fromkeys(p.key for t in task.links if (p := lookup.get(t)) is not None):
            tasks.setdefault(key, []).append(task._replace(source=note.path))


def favour_tags_of(settings: Settings) -> frozenset[str]:
    """The tags of a line that only the first person it links gets."""
    return frozenset((*settings.thanks_tags, "intro"))


def _by_day(line: Interaction) -> tuple:
    return (line.when, line.source, line.line)  # the person's own lines first on a day


PERSON_FIELDS = tuple(f.name for f in fields(Person))


def load_vault(settings: Settings) -> Index:
    """Read every note of the vault."""
    found = scan(settings)
    records = [read_record(settings, rel, kind) for rel, kind in found.notes.items()]
    return build_index(settings, records, found.other_names, found.problems)
