"""The sections of Reminders.md kept by a watcher's memo and changed one person at a time.

Each section (rules/reminders.py) is the entries everyone gives, in the order of a
stable sort by the entry's rank: ties keep the order of the people in the index, then
the order of one person's entries. So `Ranked` keeps each entry under (its rank, the
place of who gives it in the index, its number among theirs), which no two entries
share, in a sorted list; when the index is patched (index/patch.py), the entries of
the places whose record changed are taken out and their new ones put in, each where
a bisection finds it, instead of going over everyone and sorting them again.
`Sections` holds the sections Reminders.md shows, and the thanks owed that
Thank-you notes.md shows; tests/test_index_patch.py holds them to the rules' own answers.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any

from vaultkit.index.logbook import Logbook
from vaultkit.index.vault import Index
from vaultkit.rules import reminders as rules


class Ranked:
    """Entries in the order of a stable sort by `rank`: `entries` is the sorted list."""

    def __init__(self, rank: Callable[[Any], Any], found: Iterable[tuple[int, Sequence[Any]]]) -> None:
        """`found`: (place, its entries) for each place that gives any, places in order."""
        self.rank = rank
        given = [(place, n, entry) for place, entries in found for n, entry in enumerate(entries)]
        ranks = [rank(entry) for _, _, entry in given]
        order = sorted(range(len(given)), key=ranks.__getitem__)  # stable: ties in (place, n) order
        self.keys = [(ranks[i], given[i][0], given[i][1]) for i in order]
        self.entries = [given[i][2] for i in order]
        self.of: dict[int, list[tuple]] = {}  # place -> the keys of its entries
        for key in self.keys:
            if key[1] in self.of:
                self.of[key[1]].append(key)
            else:
                self.of[key[1]] = [key]

    def put(self, place: int, entries: Sequence[Any]) -> None:
        """The place's entries are now these."""
        for key in self.of.pop(place, ()):
            at = bisect_left(self.keys, key)
            del self.keys[at], self.entries[at]
        if entries:
            keys = self.of[place] = []
            for n, entry in enumerate(entries):
                key = (self.rank(entry), place, n)
                at = bisect_left(self.keys, key)
                self.keys.insert(at, key)
                self.entries.insert(at, entry)
                keys.append(key)


class Sections:
    """The sections of the reminders for one day, and whom introductions can come from.

    Made from every person of an index; `patch` then takes the places of the people a
    patched index gave a new record (with the same key: their standings are `stand[key]`).
    """

    def __init__(self, index: Index, stand: dict[str, rules.Standing], today: date, logbook: Logbook) -> None:
        self.today = today
        people = index.people
        standings = [stand[p.key] for p in people]
        self.overdue = Ranked(
            lambda s: rules.overdue_rank(s, today),
            ((at, (s,)) for at, s in enumerate(standings) if rules.is_overdue(s, today)),
        )
        self.due_soon = Ranked(
            rules.due_soon_rank, ((at, (s,)) for at, s in enumerate(standings) if rules.is_due_soon(s, today))
        )
        self.drifted = Ranked(rules.drifted_rank, ((at, (s,)) for at, s in enumerate(standings) if rules.is_drifted(s)))
        self.birthdays = Ranked(
            rules.birthday_rank,
            ((at, (b,)) for at, p in enumerate(people) if p.birthday and (b := rules.birthday_of(p, today))),
        )
        self.followups = Ranked(
            rules.followup_rank,
            ((at, found) for at, owner in enumerate(index.items) if owner.followups and (found := rules.followups_of(owner, today))),
        )
        self.givers = [at for at, p in enumerate(people) if rules.is_giver(p, logbook)]  # places, in order
        self.thanks: Ranked | None = None  # made by thanks_owed (the memo's finish asks at once)

    def patch(self, index: Index, places: Iterable[int], stand: dict[str, rules.Standing], logbook: Logbook) -> None:
        today = self.today
        givers = set(self.givers)
        for at in places:
            person = index.people[at]
            s = stand[person.key]
            self.overdue.put(at, (s,) if rules.is_overdue(s, today) else ())
            self.due_soon.put(at, (s,) if rules.is_due_soon(s, today) else ())
            self.drifted.put(at, (s,) if rules.is_drifted(s) else ())
            birthday = rules.birthday_of(person, today)
            self.birthdays.put(at, (birthday,) if birthday else ())
            self.followups.put(at, rules.followups_of(person, today))
            if rules.is_giver(person, logbook):
                givers.add(at)
            else:
                givers.discard(at)
            if self.thanks is not None:
                owed = rules.owed_by(index, person, today, logbook)
                self.thanks.put(at, (owed,) if owed else ())
        self.givers = sorted(givers)

    def thanks_owed(self, index: Index, logbook: Logbook) -> list[rules.ThanksOwed]:
        """rules.thanks_owed: the memo's entries, copied (a page's inputs are kept, and compared)."""
        if self.thanks is None:
            self.thanks = Ranked(
                rules.thanks_rank,
                ((at, (o,)) for at, p in enumerate(index.people) if (o := rules.owed_by(index, p, self.today, logbook))),
            )
        return list(self.thanks.entries)

    def of(self, index: Index, logbook: Logbook) -> dict[str, list]:
        """The sections as reminders_context takes them (the lists are the memo's: not to be changed)."""
        people = index.people
        return {
            "overdue": self.overdue.entries,
            "due_soon": self.due_soon.entries,
            "followups": self.followups.entries,
            "birthdays": self.birthdays.entries,
            "intros": rules.intros_to_follow(index, self.today, logbook, [people[at] for at in self.givers]),
            "drifted": self.drifted.entries,
        }
