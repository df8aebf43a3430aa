"""Each person's derived row: what the reminders rank everyone by, kept in the build cache.

`vaultkit due` ranks every person of the vault to print the most urgent few. Making the
index for that means 10,000 records and their 45,000 log lines made again from the cache,
then linked, in every run. A row holds what the reminders read of one person that does
not depend on the day -- their status, cadence, `met`, the days they had contact, their
birthday, their open dated tasks -- as a few plain values, so that ranking everyone is a
loop over small tuples. The day-dependent answers (last contact up to today, due, days
overdue, drifted) are worked out from a row by the same functions the index's path uses
(rules.reckon, rules.active_on). Only the entries shown are made into the rules' own
objects (Standing, OpenFollowUp, ...), from each shown person's merged record, which the
rows keep encoded and decode one by one (Rows.person).

Rows are made from a built index (`Rows.of`) and kept as a MessagePack payload, with the
people's records one after the other beside it, each checked by the digest the payload
holds when it is read (`encode`, `decode`); commands/reckoning.py keeps them in the cache
with the stats of the notes they were made from. `sections` gives exactly what rules.sections gives for the
index they were made from (tests/test_rows.py holds them to it).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from datetime import date, timedelta
from operator import gt, itemgetter
from typing import Any, Protocol, overload

import msgspec
import msgspec.structs

from vaultkit.model import Birthday, Cadence, Event, Person, Resource
from vaultkit.read.cache import digest as record_digest
from vaultkit.rules import reminders as rules
from vaultkit.settings import Settings


class Records(Protocol):
    """The people's records, one after the other: bytes (or a bytearray), or read/cache.Unsigned."""

    def __len__(self) -> int: ...
    def __getitem__(self, piece: slice, /) -> bytes | memoryview: ...


class Row(msgspec.Struct, array_like=True, frozen=True):
    """One person, as the reminders rank them (see the module's docstring)."""

    key: str
    path: str
    fold: str  # name.casefold(): every section's second sort key
    status: str
    snooze_until: date | None
    cadence: Cadence | None
    cadence_source: str
    met: date | None
    last_key: date | None  # the `last_contact` key
    days: list[int]  # ordinals of the days of their lines and the events they attended, sorted, once each
    birthday: Birthday | None
    tasks: list[tuple[int, int, int]]  # open dated tasks: (due's ordinal, line, place in followups)
    attended: list[int]  # the events that list them (of their key): places in the events; their days are in `days`

    def last_contact(self, today: date) -> date | None:
        """rules.last_contact: the latest day of contact up to today, or the key if later."""
        at = bisect_right(self.days, today.toordinal())
        last = date.fromordinal(self.days[at - 1]) if at else None
        key = self.last_key
        if key and key <= today and (last is None or key > last):
            last = key
        return last

    def talked_between(self, since: date | None, today: date) -> bool:
        """A line or an attended event after `since` (None: ever) and up to today."""
        start = bisect_right(self.days, (since or date.min).toordinal())
        return start < len(self.days) and self.days[start] <= today.toordinal()


def row_of(person: Person, events: Sequence[Event], attended: list[int]) -> Row:
    """A person's row, from their merged record and the places in `events` of those that list them."""
    days = {i.when.toordinal() for i in person.interactions}
    days.update(when.toordinal() for e in attended if (when := events[e].when))
    tasks = [(t.due.toordinal(), t.line, at) for at, t in enumerate(person.followups) if not t.done and t.due]
    return Row(
        person.key, person.path, person.name.casefold(), person.status, person.snooze_until, person.cadence, person.cadence_source,
        person.met, person.last_contact, sorted(days), person.birthday, tasks, attended,
    )  # fmt: skip


class Facet(msgspec.Struct, array_like=True, frozen=True):
    """What the build's dashboard, group and share pages read of a person besides their row
    (pages/from_rows.py). Kept beside the rows, encoded apart: `due` and `show` do not
    decode them."""

    lines: list[int]  # the days of their lines and attended events, each as often as it comes (the dashboard counts them)
    tags: tuple[str, ...]  # as written: the dashboard counts them
    groups: tuple[str, ...]  # as written: the groups' pages list their members
    topics: tuple[str, ...]  # Person.topics, sorted: the share page matches resources on them
    name: str  # as written: with path, met and how_met, what the dashboard shows of someone new
    how_met: str


def facet_of(person: Person, events: Sequence[Event], attended: list[int]) -> Facet:
    """A person's facet, from their merged record and the places in `events` of those that list them."""
    lines = [i.when.toordinal() for i in person.interactions]
    lines.extend(when.toordinal() for e in attended if (when := events[e].when))
    lines.sort()
    topics = tuple(sorted(person.topics)) if person.tags or person.interests or person.groups else ()
    return Facet(lines, person.tags, person.groups, topics, person.name, person.how_met)


# An introduction: (who introduced, to whom: places in people; its day's ordinal or -1; the
# place of its #intro line in the introducer's lines, or -1 for an `introduced_by` key)
Intro = tuple[int, int, int, int]


class Payload(msgspec.Struct, array_like=True):
    """What the cache keeps: the rows, the digest and end of each person's merged record (the
    records themselves are kept beside), the events and resources whole (the reminders list
    their tasks), the introductions, and the cards."""

    rows: list[Row]
    digests: bytes  # of each person's merged record encoded (DIGEST bytes each), in the rows' order
    ends: list[int]  # where each record's bytes end in the records (kept beside: see Rows.records)
    events: list[Event]
    resources: list[Resource]
    shared: list[frozenset[str]]  # with each resource, the keys of the people it was shared with
    intros: list[Intro]
    cards: msgspec.Raw  # what `vaultkit show` reads besides (rules/cards.py): decoded only there
    facets: msgspec.Raw  # each person's Facet, in the rows' order: decoded only by the build


class Rows:
    """The rows of a vault's people, and what the reminders need besides."""

    def __init__(self, settings: Settings, payload: Payload, records: Records, people: list[Person | None] | None = None) -> None:
        """`records`: each person's merged record encoded, one after the other (bytes, or a
        file read a piece at a time: read/cache.Unsigned). They are not in the payload: a
        command reads a few of them, and each is checked by its digest when it is (the
        payload, which holds the digests, is checked whole where it is kept)."""
        self.settings = settings
        self.payload = payload
        self.records = records
        self.rows = payload.rows
        self._people: list[Person | None] = people if people is not None else [None] * len(self.rows)
        self._places: dict[int, int] = {} if people is None else {id(p): at for at, p in enumerate(people)}
        self._resources: rules.Resources | None = None
        self._facets: list[Facet] | None = None
        self.kept: list[int | None] = []  # (made by of(): each person's place in the old rows, if the same)

    @classmethod
    def of(cls, index: Any, old: Rows | None = None) -> Rows:
        """The rows of a built index (an index.vault.Index), without the cards (rules/cards.py
        rows_of makes both). `old`: rows made before; a person's is kept where their merged
        record has the same digest and no event listed them, then or now (an event's days are
        in the row, not in the record)."""
        people = list(index.people)
        place = {id(p): at for at, p in enumerate(people)}
        intros = [
            (place[id(i.by)], place[id(i.to)], i.when.toordinal() if i.when else -1,
             -1 if i.line is None else i.by.interactions.index(i.line))
            for i in rules.introductions(index)
        ]  # fmt: skip
        # the records one after the other in one buffer as they are made (at 100,000 people,
        # a list of them joined after held 80 MB twice)
        records, digests, ends = bytearray(), [], []
        for person in people:
            record = pack(person)
            digests.append(record_digest(record))
            records += record
            ends.append(len(records))
        was = old.same_records(people, digests) if old is not None else [None] * len(people)
        attended, events = index.attended, list(index.events)
        event_place = {id(e): at for at, e in enumerate(events)}
        places = [[event_place[id(e)] for e in attended.get(p.key, ())] for p in people]  # the events that list each
        payload = Payload(
            [
                old.rows[then] if then is not None and p.key not in attended and not old.rows[then].attended  # type: ignore[union-attr]
                else row_of(p, events, mine)
                for p, then, mine in zip(people, was, places, strict=True)
            ],
            b"".join(digests),
            ends,
            events,
            list(index.resources),
            [frozenset(rules.shared_keys(index, r)) for r in index.resources],
            intros,
            msgspec.Raw(b""),
            msgspec.Raw(pack([facet_of(p, events, mine) for p, mine in zip(people, places, strict=True)])),
        )
        rows = cls(index.settings, payload, records, people)  # type: ignore[arg-type]
        rows.kept = was
        return rows

    def same_records(self, people: list[Person], digests: list[bytes]) -> list[int | None]:
        """For each of these people (the digests of their merged records encoded), the place
        of the same person with the same record in these rows, or None."""
        by_path = {row.path: at for at, row in enumerate(self.rows)}
        found: list[int | None] = []
        for person, digest in zip(people, digests, strict=True):
            at = by_path.get(person.path)
            found.append(at if at is not None and self._digest(at) == digest else None)
        return found

    def _digest(self, at: int) -> bytes:
        return self.payload.digests[at * DIGEST : at * DIGEST + DIGEST]

    def record(self, at: int) -> bytes | memoryview:
        """The encoded merged record of the person at this place, checked by its digest."""
        ends = self.payload.ends
        record = self.records[ends[at - 1] if at else 0 : ends[at]]
        if record_digest(record) != self._digest(at):
            raise DamagedRows(f"the record of {self.rows[at].path} in the cache is not the one its rows were made from")
        return record

    def __len__(self) -> int:
        return len(self.rows)

    def cards(self) -> msgspec.Raw:
        """Everyone's card, encoded (rules/cards.py reads them)."""
        return self.payload.cards

    def facets(self) -> list[Facet]:
        """Everyone's facet, decoded the first time they are asked for."""
        if self._facets is None:
            self._facets = decode_facets(self.facets_encoded())
        return self._facets

    def facets_encoded(self) -> msgspec.Raw:
        return self.payload.facets

    def person(self, at: int) -> Person:
        """The merged record of the person at this place, decoded the first time it is asked for."""
        found = self._people[at]
        if found is None:
            found = self._people[at] = _PERSON.decode(self.record(at))
            self._places[id(found)] = at
        return found

    def named(self, at: int) -> Named:
        """What the built-in dashboard, share and group pages show of the person at this place
        (a link to them, their status, when and how you met), without decoding their record."""
        row, facet = self.rows[at], self.facets()[at]
        return Named(facet.name, row.path, row.status, row.met, facet.how_met)

    def place(self, person: Person) -> int:
        """The place of a person this object made (person())."""
        return self._places[id(person)]

    def standing(self, at: int, today: date) -> rules.Standing:
        """rules.standing of the person at this place."""
        return rules.standing_at(self.person(at), self.rows[at].last_contact(today), today)

    def introduction(self, entry: Intro) -> rules.Introduction:
        by, to, when, line = entry
        giver = self.person(by)
        return rules.Introduction(
            giver, self.person(to), date.fromordinal(when) if when >= 0 else None, giver.interactions[line] if line >= 0 else None
        )

    @property
    def resources(self) -> rules.Resources:
        if self._resources is None:
            self._resources = rules.Resources(None, self.payload.resources, map(frozenset, self.payload.shared))
        return self._resources

    def reasons(self, s: rules.Standing, today: date) -> list[rules.Reason]:
        return rules.reasons(None, s, today, self.resources)  # type: ignore[arg-type]

    def sections(self, today: date) -> dict[str, Ranked]:
        """rules.sections(index, rules.standings(index, today), today), each section's
        entries made only when taken (Ranked)."""
        rows, ordinal = self.rows, today.toordinal()
        soon, end = today + timedelta(days=rules.SOON_DAYS), ordinal + rules.SOON_DAYS
        overdue: list[tuple] = []
        due_soon: list[tuple] = []
        drifted: list[tuple] = []
        standings: dict[str, int] = {}  # as rules.standings: a key's last person, in its first one's place
        for at, row in enumerate(rows):
            standings[row.key] = at
        reckoned: dict[int, tuple] = {}  # place -> the Standing's fields but the person, for the entries
        active_on, reckon = rules.active_on, rules.reckon
        for at in standings.values():
            row = rows[at]
            if not active_on(row.status, row.snooze_until, today):
                continue  # (in none of these three sections)
            days = row.days
            if row.cadence is None and not row.last_key and (not days or days[-1] <= ordinal):
                # No cadence, and the last contact is the last day (or there is none): never due,
                # and drifted as reckon would say without asking it (a year later is 365 or 366
                # days later): most of a network
                if not days or ordinal - days[-1] <= YEAR:
                    continue
                if ordinal - days[-1] > YEAR + 1:
                    last = date.fromordinal(days[-1])
                    reckoned[at] = (last, None, True, True, None)
                    drifted.append((last, row.fold, at))
                    continue
            last = row.last_contact(today)
            cadence, due, gone = reckon(row.cadence, row.cadence_source, row.met, last, today)
            if not (due or gone):
                continue
            reckoned[at] = (last, due, True, gone, cadence)
            if due and due < today:
                overdue.append((due.toordinal() - ordinal, row.fold, at))  # (-days overdue, name)
            elif due and due <= soon:
                due_soon.append((due, row.fold, at))
            if gone:
                drifted.append((last or date.min, row.fold, at))
        for found in (overdue, due_soon, drifted):
            found.sort(key=_RANK)

        def standing(entry: tuple) -> rules.Standing:
            at = entry[-1]
            return rules.Standing(self.person(at), *reckoned[at])

        tasks: list[tuple] = []  # ((due, name, line), person's place, task's place) or (..., owner, task)
        birthdays: list[tuple] = []
        for at, row in enumerate(rows):
            for due_ordinal, line, place in row.tasks:
                if due_ordinal <= end:
                    tasks.append(((due_ordinal, row.fold, line), at, place))
            if row.birthday and rules.active_on(row.status, row.snooze_until, today):
                when = row.birthday.next_on_or_after(today)
                if when <= today + timedelta(days=rules.BIRTHDAY_DAYS):
                    birthdays.append((when, row.fold, at))
        for owner in (*self.payload.events, *self.payload.resources):
            if owner.followups:
                for entry in rules.followups_of(owner, today):
                    tasks.append(((entry.task.due.toordinal(), owner.name.casefold(), entry.task.line), owner, entry))  # type: ignore[union-attr]
        tasks.sort(key=itemgetter(0))
        birthdays.sort(key=_RANK)

        def task(entry: tuple) -> rules.OpenFollowUp:
            _, owner, place = entry
            if isinstance(place, rules.OpenFollowUp):
                return place
            person = self.person(owner)
            return rules.OpenFollowUp(person, person.followups[place])

        def birthday(entry: tuple) -> rules.UpcomingBirthday:
            when, _, at = entry
            return rules.UpcomingBirthday(self.person(at), when)

        intros = [entry for entry in self.payload.intros if self._pending(entry, today)]

        return {
            "overdue": Ranked(overdue, standing),
            "due_soon": Ranked(due_soon, standing),
            "followups": Ranked(tasks, task),
            "birthdays": Ranked(birthdays, birthday),
            "intros": Ranked(intros, self.introduction),
            "drifted": Ranked(drifted, standing),
        }

    def _pending(self, entry: Intro, today: date) -> bool:
        """rules.intros_to_follow's test of one introduction."""
        _, to, when, _ = entry
        if when > today.toordinal():
            return False
        row = self.rows[to]
        if not rules.active_on(row.status, row.snooze_until, today):
            return False
        return not row.talked_between(date.fromordinal(when) if when >= 0 else None, today)


YEAR = 365  # days: the least that rules' "a year later" adds
_RANK = itemgetter(0, 1)  # (rank, name): ties in the order of the people, as a stable sort of theirs


class Ranked(Sequence):
    """A section's entries in order, each made into the rules' object when taken: the page
    shows 20 of thousands."""

    def __init__(self, entries: list, make: Callable[[Any], Any]) -> None:
        self.entries = entries
        self.make = make

    def __len__(self) -> int:
        return len(self.entries)

    @overload
    def __getitem__(self, at: int) -> Any: ...
    @overload
    def __getitem__(self, at: slice) -> list: ...
    def __getitem__(self, at: int | slice) -> Any:
        if isinstance(at, slice):
            return [self.make(entry) for entry in self.entries[at]]
        return self.make(self.entries[at])

    def __iter__(self) -> Iterator:
        return (self.make(entry) for entry in self.entries)


# Sets and dicts in a sorted order: the same rows give the same bytes, however they were made
# (from an index, decoded, patched: rules/rows_patch.py)
pack = msgspec.msgpack.Encoder(order="deterministic").encode


class _Lookup(msgspec.Struct, array_like=True):
    """rules/cards.Network's lookup, its cards left undecoded."""

    cards: msgspec.Raw
    lookup: dict[str, int]


def lookup_of(cards: msgspec.Raw | bytes) -> dict[str, int]:
    """From the cards encoded (Rows.cards): a link key -> the place of the person it means
    (Index.lookup), without decoding the cards."""
    return _LOOKUP.decode(cards).lookup


_LOOKUP = msgspec.msgpack.Decoder(_Lookup)


class Named(msgspec.Struct):
    """Of a person's record, what a link to them, the dashboard's new people and the share
    and group pages show (the built-in templates'; a vault's own may show anything, and its
    build reads the vault: commands/build_rows.py)."""

    name: str
    path: str
    status: str
    met: date | None
    how_met: str


_PERSON = msgspec.msgpack.Decoder(Person)
decode_facets = msgspec.msgpack.Decoder(list[Facet]).decode
_PAYLOAD = msgspec.msgpack.Decoder(Payload)


class DamagedRows(Exception):
    """A record kept beside the rows is not the one they were made from (changed on disk, or
    rows and records of two different writes): the rows are not to be used."""


DIGEST = 16  # bytes of a record's digest (read/cache.digest)


def encode(rows: Rows) -> tuple[bytes, bytes | bytearray | memoryview]:
    """The rows' payload, and the records kept beside it."""
    records = rows.records
    return pack(msgspec.structs.replace(rows.payload, cards=rows.cards(), facets=rows.facets_encoded())), records if isinstance(records, (bytes, bytearray, memoryview)) else records[0 : len(records)]


def records_match(payload: Payload, records: bytes | bytearray | memoryview) -> bool:
    """Whether these are all the payload's records, each the one its digest says."""
    ends, digests = payload.ends, payload.digests
    if len(records) != (ends[-1] if ends else 0):
        return False
    start = 0
    for at, end in enumerate(ends):
        if record_digest(records[start:end]) != digests[at * DIGEST : at * DIGEST + DIGEST]:
            return False
        start = end
    return True


def decode(settings: Settings, data: bytes | memoryview, records: Records | None) -> Rows | None:
    """The rows encode() wrote, with the records kept beside them (None: not at hand, for
    rows only made again from); None for bytes of another shape. A record that is not the
    one its rows were made from is found when it is read: Rows.record raises DamagedRows."""
    try:
        payload = _PAYLOAD.decode(data)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None
    ends = payload.ends
    if (
        len(ends) != len(payload.rows) or len(payload.digests) != DIGEST * len(ends)
        or (records is not None and ends and ends[-1] != len(records)) or any(map(gt, ends, ends[1:]))
    ):  # fmt: skip
        return None
    return Rows(settings, payload, b"" if records is None else records)
