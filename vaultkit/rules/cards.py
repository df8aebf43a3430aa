"""What `vaultkit show` asks about one person, answered from the people's derived rows.

A prep card (pages/views.card_context) asks the network seven questions about one
person: where they stand, the thanks owed, the introductions, the events they attended,
the resources worth sharing, who a link of theirs means, and the introductions to make.
`Asked(index)` answers them from a built index; `Cards(rows)` from the rows kept in the
cache (rules/rows.py), with each person's card: the keys of their other names, whom the
notes say they know, and what matchmaking reads of them (tags, topics, company, `role`,
and the lines that may say a role). The answers are the
same (tests/test_rows.py holds every card of the test vaults to it); only the records
of the people an answer names are decoded.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import msgspec
from msgspec.structs import replace

from vaultkit.model import Event, Person, Resource
from vaultkit.rules import matchmaking
from vaultkit.rules import reminders as rules
from vaultkit.rules.rows import Rows, lookup_of, pack
from vaultkit.words import named_by

if TYPE_CHECKING:
    from vaultkit.index.vault import Index


class Asked:
    """The card's questions, answered from a built index by the rules themselves."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self.settings = index.settings

    def standing(self, person: Person, today: date) -> rules.Standing:
        return rules.standing(person, self.index, today)

    def thanks_owed(self, person: Person, today: date) -> rules.ThanksOwed | None:
        return rules.thanks_owed_for(self.index, person, today)

    def introductions(self, person: Person) -> list[rules.Introduction]:
        return rules.introductions_of(self.index, person)

    def attended(self, person: Person) -> tuple[Event, ...]:
        return self.index.attended.get(person.key, ())

    def resources(self, person: Person) -> list[tuple[Resource, tuple[str, ...]]]:
        return rules.matching_resources(self.index, person)

    def linked(self, target: str) -> Person | None:
        return self.index.lookup.get(target)

    def to_introduce(self, person: Person, today: date) -> list[matchmaking.Match]:
        return matchmaking.best_for(self.index, today, person)


class Card(msgspec.Struct, array_like=True, frozen=True):
    """What a card reads of one person besides their row and record."""

    other_keys: list[str]  # the link keys of their aliases and `name` (Person.other_keys)
    known: list[str]  # the keys of the people the notes say they know (matchmaking.linked_pairs)
    tags: tuple[str, ...]
    topics: frozenset[str]  # matchmaking.topics_of
    company: str  # case-folded
    role: str  # the `role` key
    role_lines: list[tuple[date, tuple[matchmaking.Said, ...]]]  # their lines that say a role: day, what (line_roles)


class Network(msgspec.Struct, array_like=True):
    cards: list[Card]  # in the rows' order
    lookup: dict[str, int]  # a link key -> the place of the person it means (Index.lookup)


def rows_of(index: Index, old: Rows | None = None) -> Rows:
    """The rows of a built index, with everyone's card. `old`: rows made before (with their
    cards): a person's card is kept where their merged record is the same (Rows.of), but
    for whom they know, which other notes say."""
    rows = Rows.of(index, old)
    before: list[Card | None] = [None] * len(rows)
    if old is not None and len(old.payload.cards):
        cards = _NETWORK.decode(old.payload.cards).cards
        before = [None if then is None else cards[then] for then in rows.kept]
    place = {id(p): at for at, p in enumerate(index.people)}
    rows.payload.cards = msgspec.Raw(encode_cards(index, place, before))
    return rows


def encode_cards(index: Index, place: dict[int, int], before: list[Card | None]) -> bytes:
    """Everyone's card, and the lookup, as Cards reads them (`place`: id of a person -> place;
    `before`: each one's card made before from the same record, if any)."""
    known: dict[str, list[str]] = defaultdict(list)
    for a, b in matchmaking.linked_pairs(index):
        known[a].append(b)
        known[b].append(a)
    cards = []
    for p, card in zip(index.people, before, strict=True):
        linked = sorted(known.get(p.key, ()))
        if card is not None:
            cards.append(replace(card, known=linked))
            continue
        cards.append(card_of(p, linked))
    return pack(Network(cards, {k: place[id(p)] for k, p in index.lookup.items()}))


def card_of(person: Person, known: list[str]) -> Card:
    """A person's card, from their merged record and the keys of whom they know (sorted)."""
    p = person
    return Card(
        [k for _, k in p.other_keys], known, p.tags, matchmaking.topics_of(p), p.company.casefold(), p.role,
        [(line.when, found) for line in p.interactions if (found := matchmaking.line_roles(line))],
    )  # fmt: skip


_NETWORK = msgspec.msgpack.Decoder(Network)


class Kept(msgspec.Struct, array_like=True, frozen=True):
    """An introduction to make, as kept for a day: a matchmaking.Match with the places of
    its two people in the rows."""

    a: int
    b: int
    score: int
    kind: str
    common: tuple[str, ...]
    evidence: tuple[str, str]
    named: str


_KEPT = msgspec.msgpack.Decoder(list[Kept])


class Cards:
    """The card's questions, answered from the rows (see the module's docstring)."""

    def __init__(self, rows: Rows) -> None:
        self.rows = rows
        self.settings = rows.settings
        self._cards: list[Card] | None = None  # decoded when first asked for (cards)
        self._lookup: dict[str, int] | None = None
        # everyone's introductions to make on a day, kept (commands/reckoning.py): the day,
        # and each person's key -> their list of Kept encoded (see of_day)
        self.day: tuple[date, Mapping[str, bytes | msgspec.Raw]] | None = None

    @property
    def cards(self) -> list[Card]:
        """Everyone's card, in the rows' order. Decoded when first asked for: a prep card
        whose person is found by file name, with the day's introductions kept, reads none
        of them (10,000 cards take 10 ms to decode)."""
        if self._cards is None:
            network = _NETWORK.decode(self.rows.cards())
            if len(network.cards) != len(self.rows.rows):
                raise ValueError("cards and rows of different vaults")  # (never: written together)
            self._cards, self._lookup = network.cards, network.lookup
        return self._cards

    @property
    def lookup(self) -> dict[str, int]:
        """A link key -> the place of the person it means (Index.lookup)."""
        if self._lookup is None:
            self._lookup = lookup_of(self.rows.cards())
        return self._lookup

    def find(self, key: str) -> int | None:
        """The place of the one person a typed name's key means by file name, `name` or
        alias, as edit/find.find_person takes them; None if no one or several (then
        find_person, on the index, says why or guesses)."""
        rows = self.rows.rows
        by_file = [at for at, row in enumerate(rows) if row.key == key]
        if len(by_file) == 1:
            return by_file[0]  # (named_by: the one whose file name it is; no card read)
        found = named_by(key, ((at, row.key, card.other_keys) for at, (row, card) in enumerate(zip(rows, self.cards, strict=True))))
        return found[0] if len(found) == 1 else None

    def standing(self, person: Person, today: date) -> rules.Standing:
        return self.rows.standing(self.rows.place(person), today)

    def thanks_owed(self, person: Person, today: date) -> rules.ThanksOwed | None:
        same = (self.rows.person(at) for at, row in enumerate(self.rows.rows) if row.key == person.key)
        return rules.first_owed(self.settings, same, today)

    def introductions(self, person: Person) -> list[rules.Introduction]:
        rows, key = self.rows.rows, person.key
        return [self.rows.introduction(i) for i in self.rows.payload.intros if key in (rows[i[0]].key, rows[i[1]].key)]

    def attended(self, person: Person) -> tuple[Event, ...]:
        events = self.rows.payload.events
        return tuple(events[e] for e in self.rows.rows[self.rows.place(person)].attended)

    def resources(self, person: Person) -> list[tuple[Resource, tuple[str, ...]]]:
        return self.rows.resources.matching(person)

    def linked(self, target: str) -> Person | None:
        at = self.lookup.get(target)
        return None if at is None else self.rows.person(at)

    def to_introduce(self, person: Person, today: date) -> list[matchmaking.Match]:
        if self.day is None or self.day[0] != today:
            return matchmaking.best_in(self.network(today), person.key)
        kept = self.day[1].get(person.key)
        if kept is None:
            return []
        person_of = self.rows.person
        return [
            matchmaking.Match(person_of(k.a), person_of(k.b), k.score, k.kind, k.common, k.evidence, k.named)
            for k in _KEPT.decode(kept)
        ]

    def of_day(self, today: date) -> dict[str, bytes]:
        """Everyone's to_introduce on this day, found in one walk of the network's pairs
        (matchmaking.best_of_everyone), each person's list of Kept encoded apart: a card
        decodes its person's only. Only those with one are in it."""
        network = self.network(today)
        return {
            key: msgspec.msgpack.encode([network.parts(case) for case in cases])
            for key, cases in matchmaking.best_of_everyone(network).items()
        }

    def network(self, today: date) -> Any:
        """matchmaking's network of the day, from the rows and cards (as _Network(index, today))."""
        start = today - timedelta(days=matchmaking.RECENT_DAYS)
        opt_out = frozenset(self.settings.intro_opt_out_tags)
        rows, cards = self.rows.rows, self.cards
        active_on, roles_said = rules.active_on, matchmaking.roles_said
        facts = []
        for at, (row, card) in enumerate(zip(rows, cards, strict=True)):
            if active_on(row.status, row.snooze_until, today) and opt_out.isdisjoint(card.tags):
                said = [said for said in reversed(card.role_lines) if start <= said[0] <= today] if card.role_lines else ()
                facts.append((row.key, at, card.topics, roles_said(card.role, card.tags, said), card.company, row.fold))
        return matchmaking.network_of(facts, self.known, self.rows.person)

    def known(self, among: Any, of: str | None) -> set[tuple[str, str]]:
        """matchmaking.linked_pairs(index, among, of=of) for the pairs a network scores (both
        in `among`), which is all it asks for."""
        if of is None:  # every pair (those of people outside `among` are never asked about)
            return {
                (key, other) if key < other else (other, key)
                for row, card in zip(self.rows.rows, self.cards, strict=True)
                for key in (row.key,)
                for other in card.known
            }
        at = self.lookup.get(of)
        if at is None:
            return set()
        return {(of, other) if of < other else (other, of) for other in self.cards[at].known}
