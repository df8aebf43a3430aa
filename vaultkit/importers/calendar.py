"""An iCalendar file -> one ledger entry per event that took place with people in the vault.

Recurring events are expanded by recurring-ical-events (RRULE, RDATE, EXDATE, occurrences
moved by RECURRENCE-ID). Each series (one UID) is expanded on its own, so a broken event is
counted and skipped while the others are read. The day is the start's day in the event's
own zone.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from vaultkit.errors import VaultkitError
from vaultkit.importers.ledger import Entry, block_id, names_text, with_subject
from vaultkit.importers.people_match import People, ignored, link
from vaultkit.importers.tally import Options, Tally, Wrap

EARLIEST = date(1900, 1, 1)
NOT_PEOPLE = {"ROOM", "RESOURCE"}


def _calendars(path: Path) -> list[Any]:
    import icalendar

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise VaultkitError(f"{path}: cannot read: {exc.strerror}") from None
    if not data.lstrip(b"\xef\xbb\xbf \t\r\n").upper().startswith(b"BEGIN:VCALENDAR"):
        raise VaultkitError(
            f"{path}: not an iCalendar file (expected one starting with BEGIN:VCALENDAR, "
            "as a calendar exported to .ics is)"
        )
    try:
        return list(icalendar.Calendar.from_ical(data, multiple=True))
    except (ValueError, KeyError, IndexError, UnicodeError) as exc:
        raise VaultkitError(f"{path}: not valid iCalendar: {exc}") from None


def read(path: Path, people: People, options: Options, tally: Tally, wrap: Wrap) -> Iterator[Entry]:
    import icalendar
    import recurring_ical_events

    series: dict[str, list[Any]] = {}
    timezones = []
    zone = None  # X-WR-TIMEZONE: Google's calendar zone, for events given in UTC
    for calendar in _calendars(path):
        timezones.extend(calendar.walk("VTIMEZONE"))
        zone = zone or calendar.get("X-WR-TIMEZONE")
        for number, event in enumerate(calendar.walk("VEVENT"), 1):
            uid = " ".join(str(event.get("UID", "")).split()) or f"(event {number} without a UID)"
            series.setdefault(uid, []).append(event)
    start = (options.since or EARLIEST) - timedelta(days=1)  # a day each side for the zones
    stop = options.today + timedelta(days=2)
    for uid, events in wrap(series.items(), series.__len__):
        one = icalendar.Calendar()
        if zone is not None:
            one.add("X-WR-TIMEZONE", zone)
        for component in (*timezones, *events):
            one.add_component(component)
        try:
            occurrences = list(recurring_ical_events.of(one).between(start, stop))
            found = [_occurrence(uid, event) for event in occurrences]
        except Exception as exc:  # noqa: BLE001 - a broken event is skipped and counted, as khal does
            summary = " ".join(str(events[0].get("SUMMARY", "")).split())
            what = f"event {summary!r} (UID {uid})" if summary else f"event UID {uid}"
            reason = str(exc).split("): ", 1)[-1] if str(exc) else type(exc).__name__
            tally.unreadable.append(f"{what}: {reason[:200]}")
            continue
        for day, when, occurrence, event in sorted(found, key=lambda f: (f[0], f[1])):
            entry = _entry(uid, day, when, occurrence, event, people, options, tally)
            if entry is not None:
                yield entry


def _occurrence(uid: str, event: Any) -> tuple[date, str, str, Any]:
    """(day, time, occurrence id, event): the start's day in its own zone."""
    start = event.get("DTSTART")
    if start is None:
        raise ValueError("no DTSTART")
    value = start.dt
    original = event.get("RECURRENCE-ID")
    identity = _stamp(original.dt if original is not None else value)
    if isinstance(value, datetime):
        return value.date(), value.strftime("%H:%M:%S"), identity, event
    return value, "", identity, event


def _stamp(value: date | datetime) -> str:
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        return value.strftime("%Y%m%dT%H%M%S")
    return value.strftime("%Y%m%d")


def _address(value: Any) -> str:
    text = str(value).strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    return text.strip().casefold()


def _param(value: Any, name: str) -> str:
    params = getattr(value, "params", {}) or {}
    return str(params.get(name, "")).strip()


def _entry(
    uid: str,
    day: date,
    when: str,
    occurrence: str,
    event: Any,
    people: People,
    options: Options,
    tally: Tally,
) -> Entry | None:
    tally.read += 1
    why = options.when(day)
    if why:
        tally.left_out[why] += 1
        return None
    if str(event.get("STATUS", "")).strip().upper() == "CANCELLED":
        tally.left_out["cancelled"] += 1
        return None
    attendees = event.get("ATTENDEE", [])
    if not isinstance(attendees, list):
        attendees = [attendees]
    organizer = event.get("ORGANIZER")
    me = set(options.me)
    others: dict[str, str] = {}
    for value in ([organizer] if organizer is not None else []) + attendees:
        address = _address(value)
        partstat = _param(value, "PARTSTAT").upper()
        if address in me:
            if partstat == "DECLINED" and value is not organizer:
                tally.left_out["declined by me"] += 1
                return None
            continue
        if not address or partstat == "DECLINED" or _param(value, "CUTYPE").upper() in NOT_PEOPLE:
            continue
        others.setdefault(address, _param(value, "CN"))
    if len(others) > options.max_attendees:
        tally.left_out[f"more than {options.max_attendees} attendees"] += 1
        return None
    kept = {a: n for a, n in others.items() if not ignored(a, options.ignore)}
    if not kept:
        tally.left_out["with nobody else"] += 1
        return None
    matched = tally.match(people, kept.items())
    if not matched:
        return None
    text = f"Meeting with {names_text([link(p) for p in matched])}"
    if options.subjects:
        text = with_subject(text, str(event.get("SUMMARY", "")))
    return Entry(day, when, block_id("calendar", uid, occurrence), text)
