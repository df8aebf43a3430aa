"""New records of a few notes put into the index, without building the index again.

A save in `vaultkit watch` most often changes one person's own note (a log line, a
follow-up, a tag) or a daily or meeting note that links a few people. Building the index
again for it went over every record of the vault (at 10,000 people with daily and
meeting notes, a tenth of a second) and gave each person that other notes link a new
record, so the pages' memo could reuse nothing of theirs.

When every note that changed was there before and is there still, and is either a
person's note that still names the same person (the same key, name and aliases) or a
note that is no one's (daily, meeting, ledger notes: `Mentions`), the names that links
resolve to are the same, and so are who attended which event and what every other note
gives each person. Then only these change: the record of each person whose note changed,
of each person to whom a changed daily or meeting note gives other lines or tasks than
before, and the problems of the notes. `patch` makes that index, equal to what
`vault.built_index` makes from the same records (tests/test_index_patch.py holds it to
that); for anything else it returns None and the caller builds the index again.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Mapping
from dataclasses import replace
from itertools import compress
from operator import attrgetter, is_not

from vaultkit.errors import Problem
from vaultkit.index.vault import (
    Built,
    favour_tags_of,
    link_problems,
    mentioned_by,
    sorted_problems,
    with_given,
)
from vaultkit.model import FollowUp, Interaction, Mentions, Person, Record

_ORDER = attrgetter("order")
_SOURCE = attrgetter("source")


def patch(
    built: Built, changed: dict[str, tuple[Record | None, Record | None]], records: Mapping[str, Record]
) -> Built | None:
    """`built` with each note's record replaced: rel -> (the record it was built from, the new
    one); `records`: every note's record now. None when a change is not one a patch can make
    (see the module's docstring)."""
    if not changed:
        return built
    index = built.index
    people = list(index.people)
    lookup = dict(index.lookup)
    counts = built.counts.copy()
    persons, notes = {}, {}
    for rel, (old, new) in changed.items():
        if old is None or new is None:
            return None  # a note added or gone
        before, after = old.item, new.item
        if type(before) is Mentions and type(after) is Mentions and before.key == after.key:
            notes[rel] = (before, after)
        elif type(before) is Person and type(after) is Person:
            if (before.key, before.name, before.other_keys) != (after.key, after.name, after.other_keys):
                return None  # names, and so links, resolve differently
            persons[rel] = (before, after)
        else:
            return None
        counts.subtract(old.problems)
        counts.update(new.problems)
    given, tasks, redo = _given_anew(built, notes, lookup, counts)

    def place(person: Person, rel: str) -> int | None:
        """Where the person whose record is at `rel` is in `people`, if the lookup reaches them."""
        at = bisect_left(people, person.order, key=_ORDER)
        if at == len(people) or people[at].path != rel or lookup.get(person.key) is not people[at]:
            return None  # another note has the name: its record is the one links reach
        return at

    def put(at: int, raw: Person) -> None:
        current = people[at]
        more, todo = given.get(raw.key), tasks.get(raw.key)
        person = people[at] = with_given(raw, more, todo) if more or todo else raw
        for key in (raw.key, *(key for _, key in raw.other_keys)):
            if lookup.get(key) is current:
                lookup[key] = person

    for rel, (before, after) in persons.items():
        at = place(before, rel)
        if at is None:
            return None
        counts.subtract(link_problems(before, built.targets))
        counts.update(link_problems(after, built.targets))
        if after is not before or before.key in redo:  # else a note that does not read: the same person
            put(at, after)
        redo.discard(before.key)
    for key in redo:  # people whom the notes that changed give other lines or tasks now
        raw = records[lookup[key].path].item
        at = place(raw, raw.path) if type(raw) is Person and raw.key == key else None
        if at is None:
            return None
        put(at, raw)
    counts = +counts  # those still found
    index = replace(index, people=tuple(people), lookup=lookup, problems=sorted_problems(counts))
    return replace(built, index=index, given=given, tasks=tasks, counts=counts)


def _given_anew(
    built: Built, notes: dict[str, tuple[Mentions, Mentions]], lookup: dict[str, Person], counts: Counter
) -> tuple[dict[str, list[Interaction]], dict[str, list[FollowUp]], set[str]]:
    """What other notes give each person, with what these notes give now instead of before:
    (lines, tasks, the keys of the people whose share changed). Their problems are counted anew."""
    if not notes:
        return built.given, built.tasks, set()
    given, tasks = dict(built.given), dict(built.tasks)
    favour = favour_tags_of(built.index.settings)
    redo: set[str] = set()
    for rel, (before, after) in notes.items():
        shares = []
        for note in (before, after):
            more: dict[str, list[Interaction]] = {}
            todo: dict[str, list[FollowUp]] = {}
            found: list[Problem] = []
            mentioned_by(note, lookup, favour, more, todo, found)
            shares.append((more, todo, found))
        (old_more, old_todo, old_found), (new_more, new_todo, new_found) = shares
        counts.subtract(old_found)
        counts.update(new_found)
        for key in {*old_more, *new_more}:
            if old_more.get(key) != new_more.get(key):
                lines = [line for line in given.get(key, ()) if line.source != rel] + new_more.get(key, [])
                _set(given, key, lines)  # in any order: a person's lines are sorted by (day, note, line)
                redo.add(key)
        for key in {*old_todo, *new_todo}:
            if old_todo.get(key) != new_todo.get(key):
                # in the order of the notes' paths, as the index reads them, each note's in its order
                todo_now = sorted([t for t in tasks.get(key, ()) if t.source != rel] + new_todo.get(key, []), key=_SOURCE)
                _set(tasks, key, todo_now)
                redo.add(key)
    return given, tasks, redo


def _set(found: dict[str, list], key: str, values: list) -> None:
    if values:
        found[key] = values
    else:
        found.pop(key, None)


def replaced(before: tuple, after: tuple) -> list[int] | None:
    """The places where `after` holds another object than `before` (the people a patch gave
    new records); None if they are not the same length, or if more than a quarter of them
    changed (working everyone out again is then about as quick). A pass in C over both: a
    patched index's memo looks at the few that changed, not at every person."""
    if len(before) != len(after):
        return None
    places = list(compress(range(len(after)), map(is_not, before, after)))
    return None if len(places) * 4 > len(after) else places
