"""Which pairs of one person the matchmaking's walk over candidate groups reaches.

matchmaking.py finds the pairs it scores through groups of people (those who share a
distinctive topic; the givers and takers of complementary roles who share a topic; ...),
taken smallest first. It walks them pair by pair, skipping a pair already met in an
earlier group, and stops once it has met `budget` pairs; a pair's place is how many
pairs it met before it. Walking every pair to list one person's five best (`vaultkit
show`) is most of the work of scoring them all, so this finds that person's pairs
without walking the others', giving the walk's answer:

- A pair of theirs is first met in the first group, in the groups' order, that holds
  both, at its position in that group's order (see `_positions`). Their pairs' places
  are therefore in the order of (group, position) of their first meeting: that is the
  number `reach` gives each, in place of the place, which the walk breaks ties by.
- The walk meets a group's pairs, its own duplicates included, at most; while those of
  every group up to their last one are within the budget, it reaches all of theirs.
  Else the pairs each group adds are counted, as numbers in a set (a few times cheaper
  than the walk, which makes and scores a tuple for each), up to the group where the
  budget runs out, which is walked in order, as matchmaking does, until it does.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import combinations

# A group as matchmaking orders them: (its pairs counted with duplicates, its name, the
# keys on one side, the keys on the other; the same list for a group of pairs within).
Group = tuple[int, str, list[str], list[str]]


def reach(groups: Sequence[Group], key: str, budget: int) -> dict[str, int]:
    """The other key of each pair of `key` that the walk over `groups` (in order) meets
    before `budget` pairs, with a number that orders them as their places do."""
    theirs = [g for g, (_, _, left, right) in enumerate(groups) if key in left or key in right]
    if not theirs:
        return {}
    last = theirs[-1]
    stride = 1 + max(len(side) for _, _, left, right in groups for side in (left, right))
    found: dict[str, int] = {}

    def meet(g: int, pairs: Iterator[tuple[int, int, str]]) -> None:
        for i, j, other in pairs:
            place = (g * stride + i) * stride + j
            if found.get(other, place) >= place:  # the first meeting counts
                found[other] = place

    whole = last + 1  # the groups walked whole
    if sum(size for size, _, _, _ in groups[: last + 1]) > budget:
        whole, partial = _count(groups[: last + 1], budget, key)
        if partial is not None:
            meet(whole, iter(partial))
    for g in theirs:
        if g < whole:
            meet(g, _positions(groups[g], key))
    return found


def _positions(group: Group, key: str) -> Iterator[tuple[int, int, str]]:
    """Where the walk meets each pair of `key` in a group: (i, j, the other key), the pair
    being (left[i], right[j]); a group within one list meets left[i] and left[j], i < j."""
    _, _, left, right = group
    if left is right:
        at = left.index(key)
        for j, other in enumerate(left):
            if j != at:
                yield min(at, j), max(at, j), other
        return
    for i, one in enumerate(left):
        if one == key:
            yield from ((i, j, other) for j, other in enumerate(right) if other != key)
    for j, one in enumerate(right):
        if one == key:
            yield from ((i, j, other) for i, other in enumerate(left) if other != key)


def _count(groups: Sequence[Group], budget: int, key: str) -> tuple[int, list[tuple[int, int, str]] | None]:
    """How many groups the walk takes whole within the budget, and, if it stops within the
    next, where it meets the pairs of `key` it reaches there: (i, j, the other key)."""
    numbers: dict[str, int] = {}
    for _, _, left, right in groups:
        for side in (left, right):
            for one in side:
                numbers.setdefault(one, len(numbers))
    n = len(numbers)
    seen: set[int] = set()  # pairs met, as lower * n + higher
    count = 0
    for g, (_, _, left, right) in enumerate(groups):
        if count >= budget:
            return g, []
        ids = [numbers[k] for k in left]
        if left is right:
            pairs = {a * n + b if a < b else b * n + a for a, b in combinations(ids, 2)}
        else:
            others = [numbers[k] for k in right]
            pairs = {a * n + b if a < b else b * n + a for a in ids for b in others if a != b}
        pairs -= seen
        if count + len(pairs) <= budget:
            count += len(pairs)
            seen |= pairs
            continue
        # The budget runs out in this group: walk it in order, as matchmaking does.
        me, reached = numbers[key], []
        if left is right:
            walk: Iterator = ((i, j, ids[i], ids[j]) for i, j in combinations(range(len(ids)), 2))
        else:
            walk = ((i, j, a, b) for i, a in enumerate(ids) for j, b in enumerate(others) if a != b)
        for i, j, a, b in walk:
            pair = a * n + b if a < b else b * n + a
            if pair in seen:
                continue
            if count >= budget:
                break
            count += 1
            seen.add(pair)
            if me in (a, b):
                reached.append((i, j, left[i] if b == me else right[j]))
        return g, reached
    return len(groups), None
