"""`vaultkit export ics`: reminders as a calendar that a standard parser reads, with stable UIDs."""

from __future__ import annotations

from datetime import date

from conftest import run_cli
from icalendar import Calendar

VAULT = {
    "people/Ada Lovelace.md": """\
---
cadence: monthly
birthday: 1815-12-10
---
## Log
- 2026-10-01 Coffee.

## Follow-ups
- [ ] Send the PyData call for proposals 📅 2026-11-28
- [ ] Book the dinner due: 2027-02-01
- [x] Return the book 📅 2026-12-03
- [ ] Someday, an undated idea
""",
    "people/Grace Hopper.md": "---\ncadence: quarterly\n---\n- 2026-09-20 Call.\n",
    "people/Charles Babbage.md": "---\ncadence: yearly\n---\n- 2026-06-01 Lunch.\n",
    "people/Paused Pat.md": """\
---
cadence: weekly
status: paused
birthday: --12-05
---
- [ ] Send the slides 📅 2026-12-05
""",
    "people/Snoozed Sam.md": "---\ncadence: monthly\nsnooze_until: 2027-01-01\nbirthday: 1990-12-24\n---\n",
    "people/Leap Lee.md": "---\nbirthday: --02-29\n---\n",
    "events/2026-12-09 London Python social.md": """\
---
location: The Fellow, King's Cross
attendees: ["[[Ada Lovelace]]", "[[Grace Hopper]]"]
---
""",
    "events/2026-11-14 PyData meetup.md": "---\nattendees: [\"[[Charles Babbage]]\"]\n---\n",
    "events/2027-03-01 Spring conference.md": "---\nlocation: Berlin\n---\n",
    "resources/Rust for Python developers.md": "---\ntags: [rust]\n---\n- [ ] Share with the Rust group 📅 2026-12-15\n",
}

EXPECTED = {
    ("Check in with Ada Lovelace", date(2026, 12, 1)),
    ("Ada Lovelace: Send the PyData call for proposals", date(2026, 12, 1)),
    ("Paused Pat: Send the slides", date(2026, 12, 5)),
    ("London Python social", date(2026, 12, 9)),
    ("Rust for Python developers: Share with the Rust group", date(2026, 12, 15)),
    ("Check in with Grace Hopper", date(2026, 12, 20)),
    ("Ada Lovelace's birthday", date(1815, 12, 10)),
    ("Leap Lee's birthday", date(2000, 2, 29)),
}


def events_of(data: bytes) -> dict[str, dict]:
    calendar = Calendar.from_ical(data)
    found = {}
    for event in calendar.walk("VEVENT"):
        summary = str(event["summary"])
        assert summary not in found
        found[summary] = {
            "start": event.decoded("dtstart"),
            "end": event.decoded("dtend"),
            "uid": str(event["uid"]),
            "rrule": event.get("rrule"),
            "description": str(event.get("description", "")),
            "location": str(event.get("location", "")),
        }
    return found


def test_calendar_holds_checkins_followups_birthdays_and_events(vault, tmp_path):
    root = vault(VAULT)
    out = tmp_path / "reminders.ics"
    result = run_cli("export", "ics", "-o", str(out), vault=root, today="2026-12-01")
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote {out} (8 calendar entries)\n"
    data = out.read_bytes()
    assert data.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//vaultkit//reminders//EN\r\n")
    found = events_of(data)
    assert {(s, e["start"]) for s, e in found.items()} == EXPECTED
    assert all(e["end"] == date.fromordinal(e["start"].toordinal() + 1) for e in found.values())
    assert len({e["uid"] for e in found.values()}) == len(found)
    ada = found["Check in with Ada Lovelace"]
    assert ada["description"] == "monthly check-in; last contact 2026-10-01; due 2026-11-01, 30 days overdue"
    late = found["Ada Lovelace: Send the PyData call for proposals"]
    assert late["description"] == "From people/Ada Lovelace.md, line 9; due 2026-11-28, 3 days late"
    assert found["London Python social"]["location"] == "The Fellow, King's Cross"
    assert found["London Python social"]["description"] == "Attendees: Ada Lovelace, Grace Hopper"
    assert found["Ada Lovelace's birthday"]["rrule"].to_ical() == b"FREQ=YEARLY"
    # 29 February: the last day of February, so 28 February in other years
    assert found["Leap Lee's birthday"]["rrule"].to_ical() == b"FREQ=YEARLY;BYMONTHDAY=-1;BYMONTH=2"


def test_uids_stay_the_same_from_one_export_to_the_next(vault):
    root = vault(VAULT)
    first = run_cli("export", "ics", vault=root, today="2026-12-01").stdout_bytes
    same_day = run_cli("export", "ics", vault=root, today="2026-12-01").stdout_bytes
    assert first == same_day
    (root / "people" / "Ada Lovelace.md").write_text(
        VAULT["people/Ada Lovelace.md"].replace("- 2026-10-01 Coffee.", "- 2026-10-01 Coffee.\n- 2026-11-30 Call."),
        encoding="utf-8",
    )
    later = run_cli("export", "ics", vault=root, today="2026-12-02").stdout_bytes
    before, after = events_of(first), events_of(later)
    # Ada's check-in moved (a call on 30 November: due 30 December), with the same UID
    assert after["Check in with Ada Lovelace"]["start"] == date(2026, 12, 30)
    for summary in before:
        assert after[summary]["uid"] == before[summary]["uid"], summary


def test_days_sets_how_far_ahead(vault):
    root = vault(VAULT)
    week = events_of(run_cli("export", "ics", "--days", "7", vault=root, today="2026-12-01").stdout_bytes)
    assert set(week) == {
        "Check in with Ada Lovelace",
        "Ada Lovelace: Send the PyData call for proposals",
        "Paused Pat: Send the slides",
        "Ada Lovelace's birthday",
        "Leap Lee's birthday",
    }
    result = run_cli("export", "ics", "--days", "0", vault=root, today="2026-12-01")
    assert result.exit_code == 2
    assert "0 is not in the range x>=1" in result.output
