"""What the rules read of everyone's log lines, gathered in one pass over all of them.

A build asks several rules about every person: when they were last in touch
(standings), whether a line is a favour (thanks owed) or an #intro
(introductions), which lines are recent (matchmaking). Each rule reading every
line itself meant four passes over some 40,000 lines at 10,000 people, each as
long as the rule's own work; this reads them once. The rules still read the
lines themselves when not given a Logbook (`vaultkit show`, `due`), and give
the same answers (tests/test_fast_pages.py holds them to it).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from vaultkit.index.patch import replaced
from vaultkit.index.vault import INTRO_TAG, Index
from vaultkit.model import Interaction, Person

Entry = tuple["date | None", Sequence[Interaction], bool, bool]
NO_LINES: Entry = (None, (), False, False)


class Logbook:
    """Everyone's log lines as of `today`; recent ones are those from `since` to today."""

    def __init__(self, index: Index, today: date, since: date, last: Logbook | None = None) -> None:
        """`last`: the logbook of the index this one was patched from (index/patch.py), if any:
        the entries of the people who kept their record are taken from it, not read again."""
        self.today, self.since = today, since
        self.favour = frozenset(index.settings.thanks_tags)
        # Holding the records keeps their ids theirs while the logbook lives.
        self.people = index.people
        # id(person) -> (latest line up to today, recent lines, a favour?, an #intro?)
        if last is not None and (last.today, last.since, last.favour) == (today, since, self.favour):
            places = replaced(last.people, index.people)
            if places is not None:
                self._read = last._read.copy()
                for at in places:
                    self._read.pop(id(last.people[at]), None)
                for at in places:
                    person = index.people[at]
                    if person.interactions:
                        self._read[id(person)] = self.read(person)
                return
        self._read = {id(p): self.read(p) for p in index.people if p.interactions}

    def read(self, person: Person) -> Entry:
        """One person's entry, from their lines."""
        today, since, favour = self.today, self.since, self.favour
        latest, recent, favours, intros = None, [], False, False
        for line in person.interactions:
            when = line.when
            if when <= today:
                if latest is None or when > latest:
                    latest = when
                if when >= since:
                    recent.append(line)
            tags = line.tags
            if tags:
                favours = favours or not favour.isdisjoint(tags)
                intros = intros or INTRO_TAG in tags
        return latest, recent, favours, intros

    def _other(self, person: Person) -> Entry:
        """The entry of one not read with the index: none if no lines, else read now."""
        return self.read(person) if person.interactions else NO_LINES

    def latest(self, person: Person) -> date | None:
        """The date of their latest log line on or before today."""
        return (self._read.get(id(person)) or self._other(person))[0]

    def recent(self, person: Person) -> Sequence[Interaction]:
        """Their log lines from `since` to today, in the note's order."""
        return (self._read.get(id(person)) or self._other(person))[1]

    def has_favour(self, person: Person) -> bool:
        """Whether a line of theirs has a thanks tag (settings.thanks_tags), on any date."""
        return (self._read.get(id(person)) or self._other(person))[2]

    def has_intro(self, person: Person) -> bool:
        """Whether a line of theirs is tagged #intro, on any date."""
        return (self._read.get(id(person)) or self._other(person))[3]
