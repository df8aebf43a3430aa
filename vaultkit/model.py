"""The typed records of the index: frozen, normalized once when a note is read."""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from typing import Any, NamedTuple, TypeVar

from vaultkit.errors import Problem
from vaultkit.words import key_of

STATUSES = ("active", "paused", "archived")
T = TypeVar("T")


class cached_property(functools.cached_property):  # noqa: N801 - it is functools' with one change
    """functools.cached_property without its lock, as in Python 3.12.

    Python 3.11's takes a lock shared by every instance the first time each instance reads
    the value: nearly three times the cost of computing what these properties compute, for
    each of 10,000 people. The values are pure functions of the record, so two threads that
    both compute one get the same value.
    """

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        if instance is None:
            return self
        value = instance.__dict__[self.attrname] = self.func(instance)  # type: ignore[index]
        return value


@dataclass(frozen=True)
class Cadence:
    """How often to check in: a count of days, weeks, months or years."""

    count: int
    unit: str  # "d" | "w" | "m" | "y"
    label: str  # as the user wrote it, normalized: "monthly", "6w"

    def after(self, start: date, times: int = 1) -> date:
        """The date `times` cadences after `start`; months clamp to the month's end."""
        n = self.count * times
        try:
            if self.unit == "d":
                return start + timedelta(days=n)
            if self.unit == "w":
                return start + timedelta(weeks=n)
            months = n if self.unit == "m" else 12 * n
            return add_months(start, months)
        except (OverflowError, ValueError):  # past year 9999 (`cadence: 9999y`): never due
            return date.max


NAMED_CADENCES = {
    "daily": (1, "d"),
    "weekly": (1, "w"),
    "biweekly": (2, "w"),
    "fortnightly": (2, "w"),
    "monthly": (1, "m"),
    "bimonthly": (2, "m"),
    "quarterly": (3, "m"),
    "biannually": (6, "m"),
    "yearly": (1, "y"),
    "annually": (1, "y"),
}
CADENCE_RE = re.compile(r"^(\d+)\s*(d|w|m|y)$")


def parse_cadence(value: str) -> Cadence | None:
    label = value.strip().lower()
    if label in NAMED_CADENCES:
        count, unit = NAMED_CADENCES[label]
        return Cadence(count, unit, label)
    found = CADENCE_RE.match(label)
    if found and int(found.group(1)) > 0:
        return Cadence(int(found.group(1)), found.group(2), f"{int(found.group(1))}{found.group(2)}")
    return None


def add_months(start: date, months: int) -> date:
    """Calendar months, clamped: 01-31 plus one month is 02-28 (or 02-29)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


@dataclass(frozen=True)
class Birthday:
    month: int
    day: int
    year: int | None = None

    def next_on_or_after(self, today: date) -> date:
        """The next birthday from today; 29 February falls on 28 February in other years."""
        for year in (today.year, today.year + 1):
            day = self.day
            if self.month == 2 and day == 29 and not calendar.isleap(year):
                day = 28
            when = date(year, self.month, day)
            if when >= today:
                return when
        raise AssertionError("unreachable: a birthday recurs within a year")


# Interaction, FollowUp and Link are named tuples, not dataclasses: a big vault has hundreds of
# thousands of them, and a tuple is several times cheaper to make and to store.
class Interaction(NamedTuple):
    """A dated list item in a note's body: one contact on that day."""

    when: date
    text: str  # the line without the date and list marker
    tags: tuple[str, ...]
    links: tuple[str, ...]  # link targets, lower-case keys
    line: int
    source: str = ""  # the note it was read from, vault-relative; "" for the person's own note


class FollowUp(NamedTuple):
    """A Markdown task item; due from Tasks' `📅 date` or `due: date`."""

    text: str  # without the checkbox and the date markers
    due: date | None
    done: bool
    line: int
    links: tuple[str, ...] = ()
    source: str = ""  # the note it was read from, vault-relative; "" for the owner's own note


class Link(NamedTuple):
    """A wikilink as written in a note, for link checking."""

    target: str  # lower-case key
    text: str  # as written, e.g. "[[Ada|label]]"
    line: int


def link_shape(links: tuple[Link, ...] | list[Link]) -> tuple:
    """What of a note's links the index and matchmaking read: each one's target and text, in
    order, and which of them are on one line (a line that links two people says they know
    each other); not the lines' numbers, which a key added to the front matter moves."""
    lines: dict[int, int] = {}  # a link's line -> the first of those lines' place among them
    together = tuple(lines.setdefault(link.line, len(lines)) for link in links)
    return tuple(link[:2] for link in links), together


@dataclass(frozen=True)
class Person:
    key: str  # lower-case NFC file stem: the identity used everywhere
    name: str
    path: str  # vault-relative, forward slashes
    aliases: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    company: str = ""
    role: str = ""
    emails: tuple[str, ...] = ()
    phone: str = ""
    social: tuple[tuple[str, str], ...] = ()
    birthday: Birthday | None = None
    met: date | None = None
    how_met: str = ""
    introduced_by: str = ""  # lower-case link target, "" if none
    cadence: Cadence | None = None
    interests: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    status: str = "active"
    snooze_until: date | None = None
    last_contact: date | None = None  # the `last_contact` key, not derived
    about: str = ""  # the first paragraph of the body
    interactions: tuple[Interaction, ...] = ()
    followups: tuple[FollowUp, ...] = ()
    links: tuple[Link, ...] = field(default=(), repr=False)
    cadence_source: str = ""  # "note", "tag:<tag>" (a cadence_by_tag rule), "default", or ""

    @cached_property  # read for every person by every event and resource: computed once
    def topics(self) -> frozenset[str]:
        """Tags, interests and groups, lower-case: what resources and events match on."""
        return frozenset(t.lower() for t in (*self.tags, *self.interests, *self.groups))

    @property  # read once a build, to sort the index: cheaper made again than kept
    def order(self) -> tuple[str, str]:
        """How the index sorts people: by name, any case, then path."""
        return (self.name.casefold(), self.path)

    def answers_to(self, key: str) -> bool:
        """Whether a link key or a typed name's key means them: file name, `name` or alias."""
        return key == self.key or any(k == key for _, k in self.other_keys)

    @cached_property
    def other_keys(self) -> tuple[tuple[str, str], ...]:
        """(alias or name, its link key) for each that is not the file name's key."""
        found = []
        for alias in (*self.aliases, self.name):
            key = key_of(alias)
            if key and key != self.key:
                found.append((alias, key))
        return tuple(found)


@dataclass(frozen=True)
class Event:
    key: str
    name: str
    path: str
    when: date | None
    location: str = ""
    invite: tuple[str, ...] = ()
    attendees: tuple[str, ...] = ()  # lower-case link targets
    followups: tuple[FollowUp, ...] = ()
    links: tuple[Link, ...] = field(default=(), repr=False)


@dataclass(frozen=True)
class Resource:
    key: str
    name: str
    path: str
    url: str = ""
    kind: str = ""
    tags: tuple[str, ...] = ()
    added: date | None = None
    shared_with: tuple[str, ...] = ()  # lower-case link targets
    followups: tuple[FollowUp, ...] = ()
    links: tuple[Link, ...] = field(default=(), repr=False)


@dataclass(frozen=True)
class Mentions:
    """A note that is not a person's, an event or a resource: what it says about people.

    Daily notes, meeting notes, ledger notes. Its interactions and follow-ups name people by
    link target; the index gives each to the people they resolve to (index/vault.py).
    """

    key: str
    name: str
    path: str
    when: date | None  # the note's own date: `date`/`day`, a dated file name, the daily notes format
    attendees: tuple[str, ...] = ()  # lower-case link targets of an attendees key (any spelling)
    attendees_key: str = ""  # that key as the note writes it
    attendees_names: tuple[str, ...] = ()  # the attendees as written ("Ada Lovelace"), one per link target
    attendees_line: int = 0
    interactions: tuple[Interaction, ...] = ()  # each with the links of its line
    followups: tuple[FollowUp, ...] = ()  # tasks that link someone


Item = Person | Event | Resource | Mentions


@dataclass(frozen=True)
class Record:
    """One file's contribution to the index: its record (or None) and its problems.

    Here rather than beside the readers (read/records.py): the index and the cache use it
    without importing the note parser, which a command whose notes all come from the cache
    never runs.
    """

    rel: str
    kind: str  # "person" | "event" | "resource"
    item: Item | None
    problems: tuple[Problem, ...] = ()


_FIELD_COUNT: dict[type, int] = {}


def make(cls: type[T], values: dict[str, Any]) -> T:
    """`cls(**values)` for a frozen dataclass, several times faster; `values` names every field.

    The __init__ that dataclasses write for a frozen class sets each field through
    object.__setattr__, and a call with 25 keyword arguments costs as much again; a person
    has 25 fields, and reading a vault of 10,000 people spent more time there than in
    parsing their front matter. `values` (a dict made for the call: it becomes the
    instance's dictionary, as unpickling would make it) must hold every field and no other
    name; the count is checked here, the names by tests that rebuild what the readers make
    through the classes themselves.
    """
    count = _FIELD_COUNT.get(cls)
    if count is None:
        count = _FIELD_COUNT[cls] = len(fields(cls))  # type: ignore[arg-type]
    if len(values) != count:
        raise TypeError(f"{cls.__name__} has {count} fields, not {len(values)}: {sorted(values)}")
    obj = object.__new__(cls)
    object.__setattr__(obj, "__dict__", values)
    return obj
