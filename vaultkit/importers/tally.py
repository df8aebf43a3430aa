"""What the interaction imports share while reading: their options and the tally of what
they read, kept and left out."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from vaultkit.importers.people_match import Strangers

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
