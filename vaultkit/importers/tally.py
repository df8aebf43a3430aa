"""What the interaction imports share while reading: their options and the tally of what
they read, kept and left out."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from vaultkit.importers.people_match import People, Strangers
from vaultkit.model import Person

T = TypeVar("T")
# A progress bar around the items; it calls the second argument for their number if it needs it.
Wrap = Callable[[Iterable[T], Callable[[], int]], Iterable[T]]


@dataclass(frozen=True)
class Options:
    today: date
    since: date | None
    me: tuple[str, ...]  # lower-case addresses or LinkedIn profiles
    ignore: tuple[str, ...]
    max_recipients: int
    max_attendees: int
    subjects: bool

    def when(self, day: date) -> str:
        """Why a day is left out, or "" when it is kept."""
        if day > self.today:
            return "after today"
        if self.since and day < self.since:
            return "before --since"
        return ""


@dataclass
class Tally:
    """What one import read, kept and left out."""

    noun: str  # "message", "event"
    read: int = 0
    unreadable: list[str] = field(default_factory=list)
    left_out: Counter[str] = field(default_factory=Counter)
    matched: int = 0
    people: set[str] = field(default_factory=set)
    strangers: Strangers = field(default_factory=Strangers)

    def match(self, people: People, correspondents: Iterable[tuple[str, str]]) -> list[Person]:
        """The people these (address, name) pairs are, each once, in order; the others are
        strangers. An interaction with someone matched is counted."""
        matched: list[Person] = []
        for address, name in correspondents:
            person = people.by_address(address, name)
            if person is None:
                self.strangers.add(address, name)
            elif person not in matched:
                matched.append(person)
        if matched:
            self.matched += 1
            self.people.update(p.path for p in matched)
        return matched
