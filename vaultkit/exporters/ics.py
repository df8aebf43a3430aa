"""Reminders -> an iCalendar file (icalendar): check-ins due, dated follow-ups, birthdays
(yearly) and upcoming events, all-day entries.

Each entry's UID comes from what it is about (the person, the note and the task's text,
the event), never from the date, so a calendar subscribed to the file moves an entry
when it changes instead of adding a second one. A check-in or follow-up already late
is shown today, with its due date in the description. DTSTAMP is the start of `today`
in UTC: the same vault and the same `--today` give the same bytes.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta

from icalendar import Calendar, Event

from vaultkit.exporters import stable_uid
from vaultkit.index.vault import Index
from vaultkit.model import Event as Item
from vaultkit.model import Person, Resource
from vaultkit.rules import reminders as rules

PRODID = "-//vaultkit//reminders//EN"


def export_ics(index: Index, today: date, days: int = 30) -> tuple[bytes, int]:
    """The calendar's bytes and how many entries it holds."""
    end = today + timedelta(days=days)
    stamp = datetime.combine(today, time(0), tzinfo=UTC)
    events = [
        *_checkins(index, today, end),
        *_followups(index, today, end),
        *_birthdays(index, today),
        *_events(index, today, end),
    ]
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "vaultkit reminders")
    for event in sorted(events, key=lambda e: (e.decoded("dtstart"), str(e["uid"]))):
        event.add("dtstamp", stamp)
        calendar.add_component(event)
    return calendar.to_ical(), len(events)


def _entry(uid: str, day: date, summary: str, description: str = "", category: str = "") -> Event:
    event = Event()
    event.add("uid", f"{uid}@vaultkit")
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", summary)
    if description:
        event.add("description", description)
    if category:
        event.add("categories", [category])
    event.add("transp", "TRANSPARENT")  # a reminder, not a busy slot
    return event


def _checkins(index: Index, today: date, end: date) -> list[Event]:
    found = []
    for s in rules.standings(index, today).values():
        if not (s.active and s.due and s.due <= end and s.cadence):
            continue
        last = s.last_contact.isoformat() if s.last_contact else "never"
        description = f"{s.cadence.label} check-in; last contact {last}"
        late = s.days_overdue(today)
        if late:
            description += f"; due {s.due.isoformat()}, {late} days overdue"
        day = max(s.due, today)
        found.append(
            _entry(
                stable_uid("checkin", s.person.key),
                day,
                f"Check in with {s.person.name}",
                description,
                "check-in",
            )
        )
    return found


def _followups(index: Index, today: date, end: date) -> list[Event]:
    found = []
    owners: tuple[Person | Item | Resource, ...] = (*index.people, *index.events, *index.resources)
    for owner in owners:
        seen: Counter[str] = Counter()
        for task in owner.followups:
            seen[task.text] += 1  # two tasks with one text in one note stay two entries
            if task.done or task.due is None or task.due > end:
                continue
            uid = stable_uid("followup", owner.path, task.text, str(seen[task.text]))
            description = f"From {owner.path}, line {task.line}"
            if task.due < today:
                description += f"; due {task.due.isoformat()}, {(today - task.due).days} days late"
            found.append(
                _entry(
                    uid,
                    max(task.due, today),
                    f"{owner.name}: {task.text}",
                    description,
                    "follow-up",
                )
            )
    return found


def _birthdays(index: Index, today: date) -> list[Event]:
    found = []
    for person in index.people:
        b = person.birthday
        if b is None or not rules.is_active(person, today):
            continue
        first = date(b.year or 2000, b.month, b.day)  # 2000: a leap year, for 29 February
        event = _entry(
            stable_uid("birthday", person.key),
            first,
            f"{person.name}'s birthday",
            _born(person),
            "birthday",
        )
        if b.month == 2 and b.day == 29:
            event.add(
                "rrule", {"freq": "yearly", "bymonth": 2, "bymonthday": -1}
            )  # 28 February in other years
        else:
            event.add("rrule", {"freq": "yearly"})
        found.append(event)
    return found


def _born(person: Person) -> str:
    b = person.birthday
    return f"Born {b.year}" if b and b.year else ""


def _events(index: Index, today: date, end: date) -> list[Event]:
    found = []
    for item in index.events:
        if item.when is None or not today <= item.when <= end:
            continue
        names = [index.person(a).name if index.person(a) else a for a in item.attendees]  # type: ignore[union-attr]
        description = f"Attendees: {', '.join(names)}" if names else ""
        title = (
            item.name.removeprefix(f"{item.when.isoformat()} ") or item.name
        )  # the date is the entry's
        event = _entry(stable_uid("event", item.key), item.when, title, description, "event")
        if item.location:
            event.add("location", item.location)
        found.append(event)
    return found
