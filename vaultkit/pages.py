"""Which pages a build produces, and the data each page's template is given."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from . import gifts, matchmaking
from . import reminders as rules
from .model import Event, Person, Resource
from .render import Renderer
from .vault import Index

PAST_EVENT_DAYS = 30
SHARE_LIMIT = 10
UNSAFE_FILE_CHARS = re.compile(r'[<>:"/\\|?*\x00-\x1f#^\[\]]')


def safe_file_name(name: str) -> str:
    """A group or person name as a file name that is valid on Windows, macOS and Linux."""
    cleaned = UNSAFE_FILE_CHARS.sub("-", name).strip().rstrip(".")
    return cleaned or "unnamed"


def draft_page(person: Person) -> str:
    """The thank-you draft's page, relative to the output folder."""
    return f"Thank-you notes/{safe_file_name(person.path.rsplit('/', 1)[-1][:-3])}.md"


@dataclass(frozen=True)
class Invitee:
    person: Person
    topics: tuple[str, ...]


@dataclass(frozen=True)
class EventView:
    event: Event
    attendees: tuple[Person | str, ...]  # a person, or the name as written
    invitees: tuple[Invitee, ...] = ()
    to_follow_up: tuple[Person, ...] = ()


@dataclass(frozen=True)
class Suggestion:
    resource: Resource
    people: tuple[tuple[rules.Standing, tuple[str, ...]], ...]  # (standing, matched topics)
    more: int  # how many were left off past the limit


@dataclass(frozen=True)
class Group:
    name: str
    page: str
    members: tuple[rules.Standing, ...]


def events_view(index: Index, today: date) -> tuple[list[EventView], list[EventView]]:
    """Upcoming events (today included) with invitees; past ones of the last 30 days with follow-ups."""
    upcoming, past = [], []
    for event in index.events:
        if event.when is None:
            continue
        attendees = tuple(index.lookup.get(t) or t for t in event.attendees)
        present = {a.key for a in attendees if isinstance(a, Person)}
        if event.when >= today:
            invite = set(event.invite)
            invitees = tuple(
                Invitee(p, tuple(sorted(invite & p.topics)))
                for p in index.people
                if invite & p.topics and p.key not in present and rules.is_active(p, today)
            )
            upcoming.append(EventView(event, attendees, invitees))
        elif event.when >= today - timedelta(days=PAST_EVENT_DAYS):
            quiet = tuple(
                a
                for a in attendees
                if isinstance(a, Person) and not any(event.when < i.when <= today for i in a.interactions)
            )
            past.append(EventView(event, attendees, to_follow_up=quiet))
    past.sort(key=lambda v: (-(v.event.when or date.min).toordinal(), v.event.name.casefold()))
    return upcoming, past


def share_view(index: Index, stand: dict[str, rules.Standing], today: date) -> list[Suggestion]:
    """Each resource with the active people it matches, most overdue first, at most ten."""
    found = []
    resources = sorted(index.resources, key=lambda r: (-(r.added or date.min).toordinal(), r.name.casefold()))
    for resource in resources:
        shared = {index.lookup[t].key for t in resource.shared_with if t in index.lookup}
        tags = set(resource.tags)
        matches = [
            (stand[p.key], tuple(t for t in resource.tags if t in p.topics))
            for p in index.people
            if tags & p.topics and p.key not in shared and stand[p.key].active
        ]
        matches.sort(key=lambda m: (-m[0].days_overdue(today), m[0].due or date.max, m[0].person.name.casefold()))
        found.append(Suggestion(resource, tuple(matches[:SHARE_LIMIT]), max(0, len(matches) - SHARE_LIMIT)))
    return found


def groups_view(index: Index, stand: dict[str, rules.Standing]) -> list[Group]:
    """Groups by name (case-insensitive; the first spelling met names the group)."""
    members: dict[str, list[Person]] = {}
    names: dict[str, str] = {}
    for person in index.people:
        for group in person.groups:
            key = group.casefold()
            names.setdefault(key, group)
            if person not in members.setdefault(key, []):
                members[key].append(person)
    groups, used = [], set()
    for key in sorted(members, key=lambda k: names[k].casefold()):
        base = safe_file_name(names[key])
        page, n = f"Groups/{base}.md", 2
        while page.casefold() in used:
            page, n = f"Groups/{base} ({n}).md", n + 1
        used.add(page.casefold())
        groups.append(Group(names[key], page, tuple(stand[p.key] for p in members[key])))
    return groups


def dashboard_view(index: Index, stand: dict[str, rules.Standing], groups: list[Group], today: date) -> dict:
    statuses = Counter(p.status for p in index.people)
    tags = Counter(t for p in index.people for t in p.tags)
    with_cadence = [s for s in stand.values() if s.active and s.due]
    def contacts(p: Person) -> list[date]:
        """Interaction days, event attendance included."""
        return [i.when for i in p.interactions] + [e.when for e in index.attended.get(p.key, ()) if e.when]

    recent = {
        days: sum(1 for p in index.people for d in contacts(p) if today - timedelta(days=days) < d <= today)
        for days in (30, 90)
    }
    contacted = {
        days: sum(
            1
            for s in stand.values()
            if s.last_contact and s.last_contact > today - timedelta(days=days)
        )
        for days in (30, 90)
    }
    return {
        "total": len(index.people),
        "statuses": [(s, statuses.get(s, 0)) for s in ("active", "paused", "archived")],
        "snoozed": sum(1 for p in index.people if p.status == "active" and not rules.is_active(p, today)),
        "tags": sorted(tags.items(), key=lambda kv: (-kv[1], kv[0])),
        "groups": groups,
        "with_cadence": len(with_cadence),
        "on_track": sum(1 for s in with_cadence if s.due and s.due >= today),
        "interactions": recent,
        "contacted": contacted,
        "new_people": [p for p in index.people if p.met and p.met.year == today.year and p.met <= today],
        "events": len(index.events),
        "resources": len(index.resources),
    }


def reminders_context(index: Index, stand: dict[str, rules.Standing], today: date) -> dict:
    """What Reminders.md (and `vaultkit due`) shows."""
    return {
        "today": today,
        "overdue": [(s, rules.reasons(index, s, today)) for s in rules.overdue(stand, today)],
        "due_soon": rules.due_soon(stand, today),
        "followups": rules.followups_due(index, today),
        "birthdays": rules.birthdays(index, today),
        "intros": rules.intros_to_follow(index, today),
        "drifted": rules.drifted(stand, today),
    }


def build_pages(index: Index, today: date, renderer: Renderer) -> dict[str, str]:
    """Every page of a build: path relative to the output folder -> text."""
    stand = rules.standings(index, today)
    pages: dict[str, str] = {}
    pages["Reminders.md"] = renderer.render("Reminders.md.j2", "Reminders.md", **reminders_context(index, stand, today))
    owed = rules.thanks_owed(index, today)
    drafts = {t.person.key: draft_page(t.person) for t in owed}
    pages["Thank-you notes.md"] = renderer.render(
        "Thank-you notes.md.j2", "Thank-you notes.md", today=today, owed=owed, drafts=drafts,
        kind=lambda line: rules.favour_kind(index, line),
    )
    for item in owed:
        page = drafts[item.person.key]
        pages[page] = renderer.render(
            "thank-you.md.j2", page, today=today, person=item.person, favours=item.favours,
            kind=rules.favour_kind(index, item.favours[-1]),
            mentioned=[index.lookup[t].name if t in index.lookup else t for t in item.favours[-1].links],
            kinds=favour_kinds(index, item.favours),
        )
    groups = groups_view(index, stand)
    pages["Dashboard.md"] = renderer.render(
        "Dashboard.md.j2", "Dashboard.md", today=today, **dashboard_view(index, stand, groups, today)
    )
    upcoming, past = events_view(index, today)
    pages["Events.md"] = renderer.render("Events.md.j2", "Events.md", today=today, upcoming=upcoming, past=past)
    pages["Share.md"] = renderer.render(
        "Share.md.j2", "Share.md", today=today, suggestions=share_view(index, stand, today)
    )
    for group in groups:
        pages[group.page] = renderer.render("group.md.j2", group.page, today=today, group=group)
    matches = matchmaking.suggestions(index, today)
    best = matchmaking.top(matches)
    pages["Introductions.md"] = renderer.render(
        "Introductions.md.j2",
        "Introductions.md",
        today=today,
        matches=best,
        more=len(matches) - len(best),
    )
    return pages


def favour_kinds(index: Index, favours: tuple) -> list[tuple[str, list[str]]]:
    """Each kind of favour once, in order, with the names its lines link (whom you met through it)."""
    kinds: dict[str, list[str]] = {}
    for line in favours:
        names = kinds.setdefault(rules.favour_kind(index, line), [])
        for target in line.links:
            name = index.lookup[target].name if target in index.lookup else target
            if name not in names:
                names.append(name)
    return list(kinds.items())


def card_context(index: Index, person: Person, today: date) -> dict:
    """What `vaultkit show` prints: a prep card before meeting someone."""
    stand = rules.standing(person, index, today)
    owed = next((t for t in rules.thanks_owed(index, today) if t.person.key == person.key), None)
    past = [i for i in person.interactions if i.when <= today]
    intros = [i for i in rules.introductions(index) if person.key in (i.by.key, i.to.key)]
    return {
        "today": today,
        "s": stand,
        "p": person,
        "recent": list(reversed(past[-5:])),
        "planned": [i for i in person.interactions if i.when > today],
        "followups": rules.open_followups(person),
        "owed": owed.favours if owed else (),
        "intros": intros,
        "events": index.attended.get(person.key, ()),
        "resources": rules.matching_resources(index, person)[:3],
        "introduced_by": index.lookup.get(person.introduced_by) if person.introduced_by else None,
        "to_introduce": matchmaking.for_person(matchmaking.suggestions(index, today), person),
        "gifts": gifts.ledger(person, today, index.settings.thanked_tags),
    }


def due_data(index: Index, today: date) -> dict:
    """`vaultkit due --json`: the reminders as plain data for scripts."""
    stand = rules.standings(index, today)

    def who(p: Person | Event | Resource) -> dict:
        return {"name": p.name, "path": p.path}

    def reason(r: rules.Reason) -> dict:
        out: dict = {"kind": r.kind}
        if r.followup:
            out.update(text=r.followup.text, due=r.followup.due.isoformat() if r.followup.due else None)
        if r.birthday:
            out.update(date=r.birthday.isoformat())
        if r.resource:
            out.update(resource=who(r.resource), topics=list(r.topics))
        if r.interaction:
            out.update(date=r.interaction.when.isoformat(), text=r.interaction.text)
        return out

    def checkin(s: rules.Standing) -> dict:
        return {
            **who(s.person),
            "cadence": s.person.cadence.label if s.person.cadence else None,
            "last_contact": s.last_contact.isoformat() if s.last_contact else None,
            "due": s.due.isoformat() if s.due else None,
            "days_overdue": s.days_overdue(today),
        }

    return {
        "today": today.isoformat(),
        "overdue": [
            {**checkin(s), "reasons": [reason(r) for r in rules.reasons(index, s, today)]}
            for s in rules.overdue(stand, today)
        ],
        "due_soon": [checkin(s) for s in rules.due_soon(stand, today)],
        "followups": [
            {**who(f.owner), "text": f.task.text, "due": f.task.due.isoformat() if f.task.due else None,
             "days_late": f.days_late(today), "line": f.task.line}
            for f in rules.followups_due(index, today)
        ],
        "birthdays": [{**who(b.person), "date": b.when.isoformat()} for b in rules.birthdays(index, today)],
        "introductions": [
            {"by": who(i.by), "to": who(i.to), "date": i.when.isoformat() if i.when else None}
            for i in rules.intros_to_follow(index, today)
        ],
        "drifted": [checkin(s) for s in rules.drifted(stand, today)],
    }
