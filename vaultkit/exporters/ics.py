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
from collections.abc import Callable, Iterable
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
from vaultkit.rules.rows import Rows, lookup_of
from vaultkit.settings import Settings
from vaultkit.words import key_of

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
        *_followups((*index.people, *index.events, *index.resources), today, end),
        *_birthdays(index.people, today),
        *_events(index.events, lambda target: index.person(target), today, end),
    ]
    return calendar(index.settings, entries, today)


def export_ics_of_rows(rows: Rows, today: date, days: int = 30) -> tuple[bytes, int]:
    """export_ics of the index the rows were made from (rules/rows.py): each person's record
    is decoded only where a row says they have an entry in the calendar (`vaultkit due`
    reads the rows the same way). tests/test_export_ics.py holds the two to the same bytes."""
    end = today + timedelta(days=days)
    people = rows.rows
    first, last = today.toordinal(), end.toordinal()
    checkins = []
    for at, row in enumerate(people):
        if row.cadence is None or row.status != "active":
            continue
        _, due, _ = rules.reckon(row.cadence, row.cadence_source, row.met, row.last_contact(today), today)
        if due is None:
            continue  # (as the entry's test: no due, no check-in)
        if max(due, today) > end:
            continue  # (the check-in's day is no earlier: a snooze only puts it later)
        checkins.append(rows.standing(at, today))
    owners = [rows.person(at) for at, row in enumerate(people) if any(due <= last for due, _, _ in row.tasks)]
    born = [rows.person(at) for at, row in enumerate(people) if row.birthday and rules.active_on(row.status, row.snooze_until, today)]
    events = rows.payload.events
    lookup: dict[str, int] | None = None

    def person(target: str) -> Person | None:
        """Index.person: the person a link target means, by its key."""
        nonlocal lookup
        if lookup is None:
            lookup = lookup_of(rows.cards())
        at = lookup.get(key_of(target))
        return None if at is None else rows.person(at)

    entries = [
        *_checkin_entries(checkins, today, end, rows.resources),
        *_followups((*owners, *(o for o in (*events, *rows.payload.resources) if o.followups)), today, end),
        *_birthdays(born, today),
        *_events([e for e in events if e.when and first <= e.when.toordinal() <= last], person, today, end),
    ]
    return calendar(rows.settings, entries, today)


def calendar(settings: Settings, entries: list[Entry], today: date) -> tuple[bytes, int]:
    """The calendar of these entries, and how many it holds."""
    entries.sort(key=_DAY_UID)
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
    stand = (
        rules.standing(person, index, today)
        for person in index.people
        if person.cadence is not None and person.status == "active"  # most people: no check-in, no standing
    )
    return _checkin_entries(stand, today, end, rules.Resources(index))


def _checkin_entries(stand: Iterable[rules.Standing], today: date, end: date, resources: rules.Resources) -> list[Entry]:
    """The check-ins of these standings due by `end`; `resources`: to match each against."""
    found = []
    for s in stand:
        person = s.person
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
        why = [unlinked(reason_text(r)) for r in rules.reasons(None, s, today, resources)]  # type: ignore[arg-type]
        if why:
            description += "\n" + " ".join(why)
        uid = stable_uid("checkin", person.key)
        found.append(Entry(uid, day, f"Check in with {person.name}", description, "check-in", person.path))
    return found


def _followups(owners: Iterable[Person | Item | Resource], today: date, end: date) -> list[Entry]:
    found = []
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


def _birthdays(people: Iterable[Person], today: date) -> list[Entry]:
    found = []
    for person in people:
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


def _events(events: Iterable[Item], person: Callable[[str], Person | None], today: date, end: date) -> list[Entry]:
    """`person`: whom a link target means, if anyone."""
    found = []
    for item in events:
        if item.when is None or not today <= item.when <= end:
            continue
        names = [p.name if (p := person(a)) else a for a in item.attendees]
        description = f"Attendees: {', '.join(names)}" if names else ""
        title = item.name.removeprefix(f"{item.when.isoformat()} ") or item.name  # the date is the entry's
        uid = stable_uid("event", item.key)
        found.append(Entry(uid, item.when, title, description, "event", item.path, location=item.location))
    return found
