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

import re
from datetime import UTC, date, datetime, time, timedelta
from operator import itemgetter
from typing import NamedTuple
from urllib.parse import quote

from vaultkit.exporters import icalendar_text as ical
from vaultkit.exporters import stable_uid
from vaultkit.index.vault import Index
from vaultkit.model import Event as Item
from vaultkit.model import Person, Resource
from vaultkit.pages.text import reason_text, unlinked
from vaultkit.rules import reminders as rules

PRODID = "-//vaultkit//reminders//EN"


class Entry(NamedTuple):
    """One all-day calendar entry (a named tuple: thousands are made, and made fast)."""

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
    entries.sort(key=_DAY_UID)
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
    # Each entry's lines as add() would write them, but made here: thousands of entries, and
    # most lines are the same in all (DTSTAMP, the alarm) or short and ASCII, never folded
    # (a UUID, a date, a rule). Only the lines with note text or a path go through fold().
    fold, escape, day, one_day = ical.fold, ical.text, ical.day, timedelta(days=1)
    url = f"URL:obsidian://open?vault={vault}&file="
    dtstamp = f"DTSTAMP:{stamp}"
    closing = ("TRANSP:TRANSPARENT", "BEGIN:VALARM", "ACTION:DISPLAY")  # a reminder, not a busy slot
    alarm = (f"TRIGGER;RELATED=START:{trigger}", "END:VALARM", "END:VEVENT")
    lines = out.lines
    for e in entries:
        summary = escape(e.summary)
        lines += ("BEGIN:VEVENT", f"UID:{e.uid}@vaultkit", dtstamp, f"DTSTART;VALUE=DATE:{day(e.day)}",
                  f"DTEND;VALUE=DATE:{day(e.day + one_day)}")  # fmt: skip
        if e.rrule:
            lines.append(f"RRULE:{e.rrule}")
        lines.append(fold(f"SUMMARY:{summary}"))
        if e.description:
            lines.append(fold(f"DESCRIPTION:{escape(e.description)}"))
        if e.location:
            lines.append(fold(f"LOCATION:{escape(e.location)}"))
        lines += (fold(f"CATEGORIES:{escape(e.category)}"), fold(url + quoted(e.note)))
        lines += closing
        lines.append(fold(f"DESCRIPTION:{summary}"))
        lines += alarm
    out.end("VCALENDAR")
    return out.to_bytes(), len(entries)


_DAY_UID = itemgetter(1, 0)  # (day, uid)
_PLAIN = re.compile(r"[A-Za-z0-9_.~/ -]*")  # what quote() leaves, and the slash and space


def quoted(path: str) -> str:
    """quote(path, safe=""): most paths have no character to escape but slashes and spaces,
    and two str.replace are ten times faster than quote(), which looks at every byte."""
    if _PLAIN.fullmatch(path):
        return path.replace("/", "%2F").replace(" ", "%20")
    return quote(path, safe="")


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
        if not owner.followups:
            continue  # most notes
        seen: dict[str, int] = {}
        for task in owner.followups:
            seen[task.text] = count = seen.get(task.text, 0) + 1  # two tasks with one text in one note stay two entries
            if task.done or task.due is None or task.due > end:
                continue
            uid = stable_uid("followup", owner.path, task.text, str(count))
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
