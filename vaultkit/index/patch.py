"""One person's new record put into the index, without building the index again.

A save in `vaultkit watch` most often changes one person's own note: a log line, a
follow-up, a tag. Building the index again for it went over every record of the vault
(at 10,000 people with daily and meeting notes, a tenth of a second) and gave each
person that other notes link a new record, so the pages' memo could reuse nothing of
theirs. When every note that changed is a person's note that still names the same person
(the same key, name and aliases) and holds the names it held, what links resolve to, who
attended what and what other notes give each person are as they were: only that person's
record, their place in the lookup and the problems of their note change. `patch` makes
that index, equal to what `vault.built_index` makes from the same records
(tests/test_index_patch.py holds it to that); for anything else it returns None and the
caller builds the index again.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import replace
from itertools import compress
from operator import attrgetter, is_not

from vaultkit.index.vault import Built, link_problems, sorted_problems, with_given
from vaultkit.model import Person
from vaultkit.read.records import Record

_ORDER = attrgetter("order")


def patch(built: Built, changed: dict[str, tuple[Record | None, Record | None]]) -> Built | None:
    """`built` with each note's record replaced: rel -> (the record it was built from, the new
    one). None when a change is not one a patch can make (see the module's docstring)."""
    if not changed:
        return built
    index = built.index
    people = list(index.people)
    lookup = dict(index.lookup)
    counts = built.counts.copy()
    for rel, (old, new) in changed.items():
        if old is None or new is None:
            return None  # a note added or gone
        before, after = old.item, new.item
        if type(before) is not Person or type(after) is not Person:
            return None
        if (before.key, before.name, before.other_keys) != (after.key, after.name, after.other_keys):
            return None  # names, and so links, resolve differently
        at = bisect_left(people, before.order, key=_ORDER)
        if at == len(people) or people[at].path != rel:
            return None
        current = people[at]
        if lookup.get(before.key) is not current:
            return None  # another note has the name: its record is the one links reach
        counts.subtract(old.problems)
        counts.subtract(link_problems(before, built.targets))
        counts.update(new.problems)
        counts.update(link_problems(after, built.targets))
        if after is before:
            continue  # a note that does not read keeps its last good version: the same person
        more, todo = built.given.get(after.key), built.tasks.get(after.key)
        person = with_given(after, more, todo) if more or todo else after
        people[at] = person
        for key in (before.key, *(key for _, key in before.other_keys)):
            if lookup.get(key) is current:
                lookup[key] = person
    counts = +counts  # those still found
    index = replace(index, people=tuple(people), lookup=lookup, problems=sorted_problems(counts))
    return replace(built, index=index, counts=counts)


def replaced(before: tuple, after: tuple) -> list[int] | None:
    """The places where `after` holds another object than `before` (the people a patch gave
    new records); None if they are not the same length. A pass in C over both: a patched
    index's memo looks at the few that changed, not at every person."""
    if len(before) != len(after):
        return None
    return list(compress(range(len(after)), map(is_not, before, after)))
