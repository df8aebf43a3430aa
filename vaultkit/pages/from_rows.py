"""The dashboard, the groups and the share page made from the people's derived rows.

pages/views.py makes them from a built index and everyone's standing. A build whose
changes the rows can take (commands/build_rows.py) has no index: it makes them here from
the rows (rules/rows.py), which hold each person's status, cadence, days of contact,
tags, groups and topics. Each function gives exactly what its views.py twin gives for the
index the rows were made from (tests/test_build_rows.py holds them to it); only the
people a page shows are decoded from their records.

As rules.standings does, a key's standing is its last person's (twins share one), and the
people are in the index's order.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from datetime import date

from vaultkit.pages.views import SHARE_LIMIT, Group, Suggestion, safe_file_name
from vaultkit.rules import reminders as rules
from vaultkit.rules.rows import Ranked, Rows


class Standings:
    """Everyone's standing on one day, from the rows: the fields worked out once a key, the
    Standing (with the person's decoded record) only for those a page shows."""

    def __init__(self, rows: Rows, today: date) -> None:
        self.rows, self.today = rows, today
        self.holder: dict[str, int] = {}  # key -> the place of its last person (rules.standings)
        for at, row in enumerate(rows.rows):
            self.holder[row.key] = at
        self._fields: dict[int, tuple] = {}
        self._made: dict[int, rules.Standing] = {}

    def fields(self, at: int) -> tuple:
        """(last contact, due, active) of the person at this place (a key holder)."""
        found = self._fields.get(at)
        if found is None:
            row, today = self.rows.rows[at], self.today
            last = row.last_contact(today)
            due = None if row.cadence is None else rules.reckon(row.cadence, row.cadence_source, row.met, last, today)[1]
            found = self._fields[at] = (last, due, rules.active_on(row.status, row.snooze_until, today))
        return found

    def of(self, at: int) -> rules.Standing:
        """The standing of the key of the person at this place (its last person's)."""
        holder = self.holder[self.rows.rows[at].key]
        made = self._made.get(holder)
        if made is None:
            made = self._made[holder] = self.rows.standing(holder, self.today)
        return made


def groups_of(rows: Rows, standings: Standings) -> list[Group]:
    """views.groups_view: each group's members made into standings only when taken."""
    members: dict[str, dict[str, int]] = {}  # group -> person key -> their first place, in order
    names: dict[str, str] = {}
    for at, row in enumerate(rows.rows):
        for group in row.groups:
            key = group.casefold()
            names.setdefault(key, group)
            members.setdefault(key, {}).setdefault(row.key, at)
    groups, used = [], set()
    for key in sorted(members, key=lambda k: names[k].casefold()):
        base = safe_file_name(names[key])
        page, n = f"Groups/{base}.md", 2
        while page.casefold() in used:
            page, n = f"Groups/{base} ({n}).md", n + 1
        used.add(page.casefold())
        groups.append(Group(names[key], page, Ranked(list(members[key].values()), standings.of)))  # type: ignore[arg-type]
    return groups


def dashboard_of(rows: Rows, standings: Standings, groups: list[Group], today: date) -> dict:
    """views.dashboard_view."""
    found = rows.rows
    statuses = Counter([row.status for row in found])
    tags = Counter([t for row in found if row.tags for t in row.tags])
    ordinal = today.toordinal()
    since = {days: ordinal - days for days in (30, 90)}
    with_cadence = on_track = 0
    contacted = dict.fromkeys(since, 0)
    quiet: set[int] = set()  # key holders with no contact in the last 90 days
    for at in standings.holder.values():
        last, due, active = standings.fields(at)
        if active and due:
            with_cadence += 1
            on_track += due >= today
        if last and last.toordinal() > since[90]:
            contacted[90] += 1
            if last.toordinal() > since[30]:
                contacted[30] += 1
        else:
            quiet.add(at)
    recent = dict.fromkeys(since, 0)
    for at, row in enumerate(found):
        if at in quiet or not row.days:
            continue
        end = bisect_right(row.days, ordinal)
        recent[90] += end - bisect_right(row.days, since[90], hi=end)
        recent[30] += end - bisect_right(row.days, since[30], hi=end)
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
        "new_people": [rows.person(at) for at, row in enumerate(found) if row.met and row.met.year == today.year and row.met <= today],
        "events": len(rows.payload.events),
        "resources": len(rows.payload.resources),
    }


def share_of(rows: Rows, standings: Standings, today: date) -> list[Suggestion]:
    """views.share_view: each resource with the active people it matches, most overdue first."""
    found = rows.rows
    by_topic: dict[str, list[int]] = {}
    for at, row in enumerate(found):
        for topic in row.topics:
            by_topic.setdefault(topic, []).append(at)
    order: list[tuple] = []
    later: list[tuple] = []  # active, with no check-in due
    for at, row in enumerate(found):
        holder = standings.holder[row.key]
        _, due, active = standings.fields(holder)
        if not active:
            continue
        fold = found[holder].fold
        if due is None:
            later.append((0, date.max, fold, at))
        else:
            order.append((-(today - due).days if due < today else 0, due, fold, at))
    order += later
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
        top = [order[r][3] for r in sorted(map(rank.__getitem__, matched))[:SHARE_LIMIT]]
        people = tuple((standings.of(at), tuple(t for t in resource.tags if t in found[at].topics)) for at in top)
        suggestions.append(Suggestion(resource, people, max(0, len(matched) - SHARE_LIMIT)))
    return suggestions

