"""The dashboard, the groups and the share page made from the people's derived rows.

pages/views.py makes them from a built index and everyone's standing. A build whose
changes the rows can take (commands/build_rows.py) has no index: it makes them here from
the rows (rules/rows.py: each person's status, cadence, `met`, days of contact) and the
facets kept beside them (every day of contact as often as it comes, tags, groups,
topics, name and how you met). Each function gives exactly what its views.py twin gives
for the index the rows were made from, through the built-in templates
(tests/test_build_rows.py holds them to it); no person's record is decoded: a page is
given what it shows of a person (rows.Named).

As rules.standings does, a key's standing is its last person's (twins share one), and the
people are in the index's order.
"""

from __future__ import annotations

import heapq
from bisect import bisect_right
from collections import Counter
from datetime import date

from vaultkit.pages.views import SHARE_LIMIT, Group, Suggestion, grouped
from vaultkit.rules import reminders as rules
from vaultkit.rules.rows import Ranked, Rows


class Standings:
    """Everyone's standing on one day, from the rows: what the pages rank and count by worked
    out for every key at once (`last`, `due`, `active`: by the place of the key's last
    person), the Standing itself only for those a page shows."""

    def __init__(self, rows: Rows, today: date) -> None:
        self.rows, self.today = rows, today
        self.holder: dict[str, int] = {}  # key -> the place of its last person (rules.standings)
        found = rows.rows
        for at, row in enumerate(found):
            self.holder[row.key] = at
        self.last: dict[int, int] = {}  # place -> the last contact's ordinal, where there is one
        self.due: dict[int, date] = {}  # place -> when a check-in is due, where one is
        self.active: set[int] = set()
        reckon, active_on = rules.reckon, rules.active_on
        for at in self.holder.values():
            row = found[at]
            last = row.last_contact(today) if row.days or row.last_key else None
            if last:
                self.last[at] = last.toordinal()
            if active_on(row.status, row.snooze_until, today):
                self.active.add(at)
            if row.cadence is not None:  # (no cadence: no check-in due)
                due = reckon(row.cadence, row.cadence_source, row.met, last, today)[1]
                if due is not None:
                    self.due[at] = due
        self._made: dict[int, rules.Standing] = {}

    def of(self, at: int) -> rules.Standing:
        """The standing of the key of the person at this place (its last person's), with what
        the built-in share and group pages show of them (rows.Named) for the person."""
        holder = self.holder[self.rows.rows[at].key]
        made = self._made.get(holder)
        if made is None:
            row, today = self.rows.rows[holder], self.today
            last = self.last.get(holder)
            when = date.fromordinal(last) if last else None
            cadence, due, drifted = rules.reckon(row.cadence, row.cadence_source, row.met, when, today)
            person = self.rows.named(holder)
            made = self._made[holder] = rules.Standing(person, when, due, holder in self.active, drifted, cadence)  # type: ignore[arg-type]
        return made


def groups_of(rows: Rows, standings: Standings) -> list[Group]:
    """views.groups_view: each group's members made into standings only when taken."""
    found = grouped((facet.groups, row.key, at) for at, (row, facet) in enumerate(zip(rows.rows, rows.facets(), strict=True)))
    return [Group(name, page, Ranked(places, standings.of)) for name, page, places in found]  # type: ignore[arg-type]


def dashboard_of(rows: Rows, standings: Standings, groups: list[Group], today: date) -> dict:
    """views.dashboard_view."""
    found = rows.rows
    statuses = Counter([row.status for row in found])
    facets = rows.facets()
    tags = Counter([t for facet in facets if facet.tags for t in facet.tags])
    ordinal = today.toordinal()
    since = {days: ordinal - days for days in (30, 90)}
    with_cadence = sum(1 for at in standings.active if at in standings.due)
    on_track = sum(1 for at in standings.active if standings.due.get(at, date.min) >= today)
    contacted = {days: sum(1 for last in standings.last.values() if last > start) for days, start in since.items()}
    quiet = set(standings.holder.values()) - {at for at, last in standings.last.items() if last > since[90]}
    recent = dict.fromkeys(since, 0)  # lines and attended events, of all but the quiet
    for at, facet in enumerate(facets):
        lines = facet.lines
        if not lines or at in quiet:
            continue
        end = bisect_right(lines, ordinal)
        recent[90] += end - bisect_right(lines, since[90], hi=end)
        recent[30] += end - bisect_right(lines, since[30], hi=end)
    snoozed = sum(1 for row in found if row.snooze_until and row.status == "active" and not rules.active_on(row.status, row.snooze_until, today))
    return {
        "total": len(found),
        "statuses": [(s, statuses.get(s, 0)) for s in ("active", "paused", "archived")],
        "snoozed": snoozed,
        "tags": sorted(tags.items(), key=lambda kv: (-kv[1], kv[0])),
        "groups": groups,
        "with_cadence": with_cadence,
        "on_track": on_track,
        "interactions": recent,
        "contacted": contacted,
        "new_people": [rows.named(at) for at, row in enumerate(found) if row.met and row.met.year == today.year and row.met <= today],
        "events": len(rows.payload.events),
        "resources": len(rows.payload.resources),
    }


def share_of(rows: Rows, standings: Standings, today: date) -> list[Suggestion]:
    """views.share_view: each resource with the active people it matches, most overdue first."""
    found = rows.rows
    by_topic: dict[str, list[int]] = {}
    topics = [facet.topics for facet in rows.facets()]
    for at, theirs in enumerate(topics):
        for topic in theirs:
            by_topic.setdefault(topic, []).append(at)
    order: list[tuple] = []
    holder, active, dues = standings.holder, standings.active, standings.due
    for at, row in enumerate(found):
        mine = holder[row.key]
        if mine not in active:
            continue
        due = dues.get(mine)
        if due is None:
            order.append((0, date.max, found[mine].fold, at))
        else:
            order.append((-(today - due).days if due < today else 0, due, found[mine].fold, at))
    order.sort()
    rank = {key[3]: r for r, key in enumerate(order)}
    known = rows.resources
    positions: dict[str, list[int]] = {}  # person key -> places, of those shared with
    if any(known.shared):
        wanted = set().union(*known.shared)
        for at, row in enumerate(found):
            if row.key in wanted:
                positions.setdefault(row.key, []).append(at)
    suggestions = []
    for resource, shared in zip(known.order, known.shared, strict=True):
        candidates: set[int] = set()
        for tag in resource.tags:
            candidates.update(by_topic.get(tag, ()))
        matched = candidates & rank.keys()
        for key in shared:
            matched.difference_update(positions.get(key, ()))
        top = [order[r][3] for r in heapq.nsmallest(SHARE_LIMIT, map(rank.__getitem__, matched))]
        people = tuple((standings.of(at), tuple(t for t in resource.tags if t in topics[at])) for at in top)
        suggestions.append(Suggestion(resource, people, max(0, len(matched) - SHARE_LIMIT)))
    return suggestions

