"""Reminders -> an iCalendar file: check-ins due, dated follow-ups, birthdays (yearly) and
upcoming events, all-day entries, each with an alarm and a link to its note.

Each entry's UID comes from what it is about (the person, the note and the task's text,
the event), never from the date, so a calendar subscribed to the file moves an entry
when it changes instead of adding a second one. A check-in or follow-up already late
is shown today, with its due date in the description; a snoozed person's check-in is on
the day the snooze ends. DTSTAMP is the start of `today` in UTC: the same vault and the
same `--today` give the same bytes. The text is written by icalendar_text (see there why).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import quote

from vaultkit.exporters import icalendar_text as ical
from vaultkit.exporters import stable_uid
from vaultkit.index.vault import Index
from vaultkit.model import Event as Item
from vaultkit.model import Person, Resource
from vaultkit.pages.text import reason_text, unlinked
from vaultkit.rules import reminders as rules

PRODID = "-//vaultkit//reminders//EN"


@dataclass(frozen=True)
class Entry:
    """One all-day calendar entry."""

    uid: str
    day: date
    summary: str
    description: str
    category: str
    note: str  # the vault-relative path of the note it is about
    rrule: str = ""
    location: str = ""


def export_ics(index: Index, today: date, days: int = 30) -> tuple[bytes, int]:
    """The calendar's bytes and how many entries it holds."""
    end = today + timedelta(days=days)
    entries = [
        *_checkins(index, today, end),
        *_followups(index, today, end),
        *_birthdays(index, today),
        *_events(index, today, end),
    ]
    entries.sort(key=lambda e: (e.day, e.uid))
    settings = index.settings
    vault = quote(settings.root.name, safe="")
    stamp = ical.utc(datetime.combine(today, time(0), tzinfo=UTC))
    trigger = ical.duration(settings.alarm_minutes)  # from the start of the day: floating, local time
    out = ical.Writer()
    out.begin("VCALENDAR")
    out.add("VERSION", "2.0")
    out.add("PRODID", PRODID)
    out.add("CALSCALE", "GREGORIAN")
    out.add("METHOD", "PUBLISH")
    out.add("X-WR-CALNAME", "vaultkit reminders")
    for e in entries:
        out.begin("VEVENT")
        out.add("UID", f"{e.uid}@vaultkit")
        out.add("DTSTAMP", stamp)
        out.add("DTSTART", ical.day(e.day), value="DATE")
        out.add("DTEND", ical.day(e.day + timedelta(days=1)), value="DATE")
        if e.rrule:
            out.add("RRULE", e.rrule)
        out.add("SUMMARY", ical.text(e.summary))
        if e.description:
            out.add("DESCRIPTION", ical.text(e.description))
        if e.location:
            out.add("LOCATION", ical.text(e.location))
        out.add("CATEGORIES", ical.text(e.category))
        out.add("URL", f"obsidian://open?vault={vault}&file={quote(e.note, safe='')}")
        out.add("TRANSP", "TRANSPARENT")  # a reminder, not a busy slot
        out.begin("VALARM")
        out.add("ACTION", "DISPLAY")
        out.add("DESCRIPTION", ical.text(e.summary))
        out.add("TRIGGER", trigger, related="START")
        out.end("VALARM")
        out.end("VEVENT")
    out.end("VCALENDAR")
    return out.to_bytes(), len(entries)


def _checkins(index: Index, today: date, end: date) -> list[Entry]:
    found = []
    resources = rules.Resources(index)  # made once: every check-in is matched against them
    for person in index.people:
        if person.cadence is None or person.status != "active":
            continue  # most people: no check-in, so no standing worked out
        s = rules.standing(person, index, today)
        if not (s.due and s.cadence):
            continue
        day = max(s.due, today)
        if not s.active:  # snoozed: the check-in comes back the day the snooze ends
            day = max(day, person.snooze_until or day)
        if day > end:
            continue
        last = s.last_contact.isoformat() if s.last_contact else "never"
        description = f"{s.cadence.label} check-in; last contact {last}"
        late = s.days_overdue(today)
        if late:
            description += f"; due {s.due.isoformat()}, {late} days overdue"
        if not s.active and person.snooze_until:
            description += f"; snoozed until {person.snooze_until.isoformat()}"
        why = [unlinked(reason_text(r)) for r in rules.reasons(index, s, today, resources)]
        if why:
            description += "\n" + " ".join(why)
        uid = stable_uid("checkin", person.key)
        found.append(Entry(uid, day, f"Check in with {person.name}", description, "check-in", person.path))
    return found


def _followups(index: Index, today: date, end: date) -> list[Entry]:
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
            summary = f"{owner.name}: {unlinked(task.text)}"  # read in a calendar, outside the vault
            found.append(Entry(uid, max(task.due, today), summary, description, "follow-up", owner.path))
    return found


def _birthdays(index: Index, today: date) -> list[Entry]:
    found = []
    for person in index.people:
        b = person.birthday
        if b is None or not rules.is_active(person, today):
            continue
        first = date(b.year or 2000, b.month, b.day)  # 2000: a leap year, for 29 February
        # 29 February: the last day of February, so 28 February in other years
        rrule = "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1" if (b.month, b.day) == (2, 29) else "FREQ=YEARLY"
        born = f"Born {b.year}" if b.year else ""
        uid = stable_uid("birthday", person.key)
        found.append(Entry(uid, first, f"{person.name}'s birthday", born, "birthday", person.path, rrule))
    return found


def _events(index: Index, today: date, end: date) -> list[Entry]:
    found = []
    for item in index.events:
        if item.when is None or not today <= item.when <= end:
            continue
        names = [index.person(a).name if index.person(a) else a for a in item.attendees]  # type: ignore[union-attr]
        description = f"Attendees: {', '.join(names)}" if names else ""
        title = item.name.removeprefix(f"{item.when.isoformat()} ") or item.name  # the date is the entry's
        uid = stable_uid("event", item.key)
        found.append(Entry(uid, item.when, title, description, "event", item.path, location=item.location))
    return found
