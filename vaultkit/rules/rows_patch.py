"""New records of a few notes put into the kept rows, without building the index.

The change a user makes most is a line added to one person's note (`vaultkit log`, or a
save in their editor) or to a daily note, and then they ask `vaultkit due` or `show`. The
rows kept in the cache (rules/rows.py) then no longer match the notes, and the command
read every note's record, built the index and made everyone's row again: at 10,000
people, half a second.

When every note that changed is a person's note that still names the same person (the
same key, name, path and aliases), with the same links (wherever they moved),
`introduced_by` and `met`, and no line tagged #intro before or after, then what other
notes give that person (their lines and tasks, which the merged record holds with the
note they came from), the events they attended, whom they know and every introduction of
the vault are as they were. Only that person's merged record, row and card change: made
from the note's new record and the old merged record.

A note that is no one's (a daily or meeting note: Mentions) gives the people it links
lines and tasks, and nothing else the rows hold (whom people know comes from people's,
events' and resources' notes; attending, from events). Known as it was, and without an
#intro line then or now, its old and new shares are worked out as the index works them
out (vault.mentioned_by), from the records of the people it links only; each person whose
share changed gets their merged record made again, unless they introduced someone (an
introduction is kept as the place of its #intro line among theirs) or are left with no
line from other notes (their own lines' order is then the note reader's).

The rows so made are equal, byte for byte, to rows made from the index
(tests/test_rows_patch.py holds them to it). For anything else `patched` returns None and
the caller reads the vault.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from itertools import accumulate
from operator import attrgetter

import msgspec

from vaultkit.index.vault import INTRO_TAG, favour_tags_of, mentioned_by, with_given
from vaultkit.model import FollowUp, Interaction, Item, Mentions, Person, Record, link_shape
from vaultkit.read.cache import digest as record_digest
from vaultkit.rules.rows import (
    DIGEST,
    Facet,
    Payload,
    Records,
    Rows,
    decode_facets,
    facet_of,
    lookup_of,
    pack,
    row_of,
)
from vaultkit.settings import Settings

MOST = 16  # notes changed at most: past that, reading the vault costs about as much
_SOURCE = attrgetter("source")


def patched(rows: Rows, changed: Mapping[str, Record], before: Callable[[str], Item | None] | None = None) -> Rows | None:
    """`rows` with the notes at these paths read anew (path -> the note's record now); None
    when a change is not one this can make (see the module's docstring). `before`: the
    record a note that is no one's (Mentions) had when the rows were made, if known. Reads
    the records kept beside the rows of the people it changes (derived.DamagedRows if one is
    not theirs)."""
    payload = rows.payload
    if not changed or len(changed) > MOST:
        return None
    place = {row.path: at for at, row in enumerate(payload.rows)}
    people: dict[int, Person] = {}  # place -> their merged record now
    notes: dict[str, Mentions] = {}
    for rel, record in changed.items():
        after = record.item
        if type(after) is Mentions:
            notes[rel] = after
            continue
        at = place.get(rel)
        if at is None or type(after) is not Person:
            return None  # not a person's note before, or not now
        old = rows.person(at)
        if not takes(rows, at, old, after):
            return None
        more = [line for line in old.interactions if line.source]  # what other notes give them
        todo = [task for task in old.followups if task.source]
        people[at] = with_given(after, more, todo) if more or todo else after
    if notes:
        lookup = lookup_of(payload.cards)
        favour = favour_tags_of(rows.settings)
        for rel, after in notes.items():
            then = before(rel) if before is not None else None
            if type(then) is not Mentions or then.key != after.key or _has_intro(then) or _has_intro(after):
                return None  # not known as it was, or not a note that is no one's then, or an introduction
            (old_more, old_todo), (new_more, new_todo) = (_shares(note, lookup, rows, favour) for note in (then, after))
            for key in {*old_more, *new_more, *old_todo, *new_todo}:
                if old_more.get(key) == new_more.get(key) and old_todo.get(key) == new_todo.get(key):
                    continue
                at = lookup[key]  # (the person a line of it goes to: the key's first, by path)
                if not _alone(rows, at):
                    return None
                person = people.get(at) or rows.person(at)
                if _has_intro(person):
                    return None  # an introduction is kept as the place of its line among theirs
                anew = _given_anew(person, rel, new_more.get(key, []), new_todo.get(key, []))
                if anew is None:
                    return None
                people[at] = anew
    now = list(payload.rows)
    digests = bytearray(payload.digests)
    pieces: dict[int, bytes] = {}
    for at, person in people.items():
        now[at] = row_of(person, payload.events, now[at].attended)
        pieces[at] = encoded = pack(person)
        digests[at * DIGEST : (at + 1) * DIGEST] = record_digest(encoded)
    ends = payload.ends
    sizes = [end - start for start, end in zip((0, *ends), ends, strict=False)]
    for at, encoded in pieces.items():
        sizes[at] = len(encoded)
    made = Payload(
        now, bytes(digests), list(accumulate(sizes)), payload.events, payload.resources, payload.shared, payload.intros,
        payload.cards, payload.facets,
    )  # fmt: skip
    return Patched(rows.settings, made, Spliced(rows.records, ends, pieces), people)


class Patched(Rows):
    """Rows patched: the changed people's cards and facets are made when asked for (`vaultkit
    show`, a build, or the rows kept), not for `vaultkit due`, which reads neither."""

    def __init__(self, settings: Settings, payload: Payload, records: Records, changed: dict[int, Person]) -> None:
        super().__init__(settings, payload, records)
        self.changed = changed  # place -> the person's merged record now
        self._cards: msgspec.Raw | None = None

    def facets(self) -> list[Facet]:
        if self._facets is None:
            facets = decode_facets(self.payload.facets)  # (the payload's are the rows' before the patch)
            events = self.payload.events
            for at, person in self.changed.items():
                facets[at] = facet_of(person, events, self.rows[at].attended)
            self._facets = facets
        return self._facets

    def facets_encoded(self) -> msgspec.Raw:
        return msgspec.Raw(pack(self.facets()))

    def cards(self) -> msgspec.Raw:
        if self._cards is None:
            from vaultkit.rules.cards import _NETWORK, Network, card_of  # (with matchmaking)

            network = _NETWORK.decode(self.payload.cards)
            cards = list(network.cards)
            for at, person in self.changed.items():
                cards[at] = card_of(person, cards[at].known)
            self._cards = msgspec.Raw(pack(Network(cards, network.lookup)))
        return self._cards


def takes(rows: Rows, at: int, was: Person, now: Person) -> bool:
    """Whether a change of a person's own note from `was` to `now` (the person at this place
    of `rows`) is one the rows take: it changes nobody else's row (see the module)."""
    return _identity(was) == _identity(now) and not _has_intro(was) and not _has_intro(now) and _alone(rows, at)


def _identity(person: Person) -> tuple:
    """What of a person's note other notes' records and the network read (of its links:
    model.link_shape)."""
    p = person
    return (p.key, p.name, p.path, p.other_keys, link_shape(p.links), p.introduced_by, p.met)


def _has_intro(item: Person | Mentions) -> bool:
    """Whether a line of theirs is tagged #intro: a person's gives an introduction; a note's
    says one, which its first person gives."""
    return any(INTRO_TAG in line.tags for line in item.interactions)


def _alone(rows: Rows, at: int) -> bool:
    """Whether the person at this place is the only one of their key (else links and lines
    to that key go to the first by path, and the index decides which)."""
    key, rows_ = rows.rows[at].key, rows.rows
    return not any(row.key == key for row in rows_ if row is not rows_[at])


def _shares(
    note: Mentions, lookup: dict[str, int], rows: Rows, favour: frozenset[str]
) -> tuple[dict[str, list[Interaction]], dict[str, list[FollowUp]]]:
    """What the note gives each person (index/vault.mentioned_by): their key -> lines, tasks.
    Only the people it links are decoded."""
    targets = {*note.attendees, *(t for line in note.interactions for t in line.links), *(t for task in note.followups for t in task.links)}
    people = {target: rows.person(lookup[target]) for target in targets if target in lookup}
    more: dict[str, list[Interaction]] = {}
    todo: dict[str, list[FollowUp]] = {}
    mentioned_by(note, people, favour, more, todo, [])
    return more, todo


def _given_anew(person: Person, rel: str, lines: list[Interaction], tasks: list[FollowUp]) -> Person | None:
    """A merged record with what the note at `rel` gives now instead of before, made as the
    index makes it (vault.with_given): the person's own lines and tasks (their source is ""),
    then the others', the tasks in the order of their notes' paths. None when no other note
    gives them a line any more: the index then keeps their own lines as they were, in
    the order the note's reader gave them, which a merged record (sorted by day, note and
    line) no longer tells; so also when other notes give them tasks but no line."""
    more = [i for i in person.interactions if i.source and i.source != rel] + lines
    if not more:
        return None
    todo = sorted([t for t in person.followups if t.source and t.source != rel] + tasks, key=_SOURCE)
    own = replace(person, interactions=tuple(i for i in person.interactions if not i.source),
                  followups=tuple(t for t in person.followups if not t.source))  # fmt: skip
    return with_given(own, more, todo)


class Spliced:
    """The records kept beside rows (`old`, whose records end at `ends`), with the records
    at some places replaced (`pieces`: place -> the record's bytes). Sliced record by record,
    as Rows.record does, or whole (`[:]`), to be kept."""

    def __init__(self, old: Records, ends: list[int], pieces: dict[int, bytes]) -> None:
        self.old, self.pieces = old, pieces
        # where each replaced record starts now, and how far the records after it moved
        self.marks: list[tuple[int, int, int, int]] = []  # (start now, end now, shift after, place)
        shift = 0
        for at in sorted(pieces):
            start = (ends[at - 1] if at else 0) + shift
            shift += len(pieces[at]) - (ends[at] - (ends[at - 1] if at else 0))
            self.marks.append((start, start + len(pieces[at]), shift, at))
        self.size = len(old) + shift

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, piece: slice, /) -> bytes | memoryview:
        start, stop, _ = piece.indices(self.size)
        if (start, stop) == (0, self.size):
            return self.whole()
        shift = 0
        for begin, end, after, at in self.marks:
            if stop <= begin:
                break
            if (start, stop) == (begin, end):
                return self.pieces[at]
            if start < end:
                raise ValueError("a slice across a replaced record")  # (never: Rows.record slices one)
            shift = after
        return self.old[start - shift : stop - shift]

    def whole(self) -> bytes:
        """Every record, one after the other."""
        parts, done, shift = [], 0, 0
        for begin, end, after, at in self.marks:
            parts.append(self.old[done - shift : begin - shift])
            parts.append(self.pieces[at])
            done, shift = end, after
        parts.append(self.old[done - shift : self.size - shift])
        return b"".join(parts)
