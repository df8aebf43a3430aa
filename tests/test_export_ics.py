"""`vaultkit export ics`: reminders as a calendar that a standard parser reads, with stable UIDs,
alarms, links back to the notes and the reason to write; RFC 5545 text (folding, escaping, CRLF)."""

from __future__ import annotations

import os
from datetime import date, timedelta

import pytest
from conftest import REPO, run_cli, write_vault
from icalendar import Calendar

from vaultkit.exporters import icalendar_text as ical

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
            "url": str(event.get("url", "")),
            "alarms": [
                (str(a["action"]), a.decoded("trigger"), a["trigger"].params.get("RELATED", "START"),
                 str(a["description"]))
                for a in event.walk("VALARM")
            ],
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
    assert ada["description"] == (
        "monthly check-in; last contact 2026-10-01; due 2026-11-01, 30 days overdue\n"
        # the reasons to write that Reminders.md gives
        "Open follow-up: Send the PyData call for proposals (due 2026-11-28). Birthday on Thursday 10 December."
    )
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
    assert "Invalid value for '--days': 0 is not in the range 1<=x<=3650." in result.output


@pytest.mark.parametrize("days", ["99999999", "3651", "-1"])
def test_days_past_ten_years_is_a_usage_error_not_a_traceback(vault, days):
    result = run_cli("export", "ics", "--days", days, vault=vault(VAULT), today="2026-12-01")
    assert result.exit_code == 2
    assert f"Invalid value for '--days': {days} is not in the range 1<=x<=3650." in result.output


def test_ten_years_ahead_from_the_last_year_allowed(vault):
    result = run_cli("export", "ics", "--days", "3650", vault=vault(VAULT), today="9000-12-01")
    assert result.exit_code == 0, result.output
    assert Calendar.from_ical(result.stdout_bytes).walk("VEVENT")


def test_every_entry_has_an_alarm_on_the_day_and_a_link_to_its_note(tmp_path):
    root = write_vault(tmp_path / "My Network", VAULT)
    found = events_of(run_cli("export", "ics", vault=root, today="2026-12-01").stdout_bytes)
    for summary, event in found.items():
        # all-day entries: 09:00 on the day, in the calendar's own time zone
        assert event["alarms"] == [("DISPLAY", timedelta(hours=9), "START", summary)], summary
    assert found["Check in with Ada Lovelace"]["url"] == (
        "obsidian://open?vault=My%20Network&file=people%2FAda%20Lovelace.md"
    )
    assert found["London Python social"]["url"] == (
        "obsidian://open?vault=My%20Network&file=events%2F2026-12-09%20London%20Python%20social.md"
    )
    assert found["Rust for Python developers: Share with the Rust group"]["url"] == (
        "obsidian://open?vault=My%20Network&file=resources%2FRust%20for%20Python%20developers.md"
    )


def test_alarm_time_from_the_settings(vault):
    root = vault(VAULT, settings='alarm_time = "07:30"\n')
    found = events_of(run_cli("export", "ics", vault=root, today="2026-12-01").stdout_bytes)
    assert {e["alarms"][0][1] for e in found.values()} == {timedelta(hours=7, minutes=30)}
    root.joinpath("vaultkit.toml").write_text('alarm_time = "00:00"\n', encoding="utf-8")
    found = events_of(run_cli("export", "ics", vault=root, today="2026-12-01").stdout_bytes)
    assert {e["alarms"][0][1] for e in found.values()} == {timedelta(0)}


def test_a_snoozed_persons_check_in_is_on_the_day_the_snooze_ends(vault):
    root = vault(VAULT)
    found = events_of(run_cli("export", "ics", "--days", "60", vault=root, today="2026-12-01").stdout_bytes)
    sam = found["Check in with Snoozed Sam"]
    assert sam["start"] == date(2027, 1, 1)
    assert sam["description"] == (
        "monthly check-in; last contact never; snoozed until 2027-01-01\nBirthday on Thursday 24 December."
    )
    # not within the days asked for: left out, as any check-in
    week = events_of(run_cli("export", "ics", "--days", "30", vault=root, today="2026-12-01").stdout_bytes)
    assert "Check in with Snoozed Sam" not in week
    # a paused person still has no check-in
    assert "Check in with Paused Pat" not in found


TRICKY = {
    "people/Jane Smith.md": """\
---
name: 'Smith, Jane; the \\ backslash'
cadence: weekly
---
- 2026-11-01 Coffee at Café Zoë; she asked about the résumé workshop, the one in Kraków, again 🎉
- [x] Sent the [[Dinner|dinner invite]] 📅 2026-11-02
""",
    "events/2026-12-05 Dinner.md": """\
---
location: |-
  The Fellow, 24 York Way
  London N1 9AA; upstairs
attendees: ["[[Jane Smith]]"]
---
- [ ] Book a table for [[Jane Smith|Jane]] and [[Ada Lovelace]] 📅 2026-12-02
""",
}


def test_text_is_escaped_and_long_lines_folded_at_75_octets(vault):
    data = run_cli("export", "ics", vault=vault(TRICKY), today="2026-12-01").stdout_bytes
    assert b"\n" not in data.replace(b"\r\n", b"")  # CRLF only
    lines = data.split(b"\r\n")
    assert lines[-1] == b""
    assert max(len(line) for line in lines) <= 75
    folded = [line for line in lines if line.startswith(b" ")]
    assert folded, "the long description is folded"
    for line in lines:
        line.decode("utf-8")  # no character split across a fold
    text = data.decode("utf-8").replace("\r\n ", "")  # unfolded
    assert "SUMMARY:Check in with Smith\\, Jane\\; the \\\\ backslash\r\n" in text
    assert "LOCATION:The Fellow\\, 24 York Way\\nLondon N1 9AA\\; upstairs\r\n" in text
    found = events_of(data)
    jane = found["Check in with Smith, Jane; the \\ backslash"]
    assert jane["description"] == (
        "weekly check-in; last contact 2026-11-01; due 2026-11-08, 23 days overdue\n"
        "Last time (2026-11-01): Coffee at Café Zoë; she asked about the résumé workshop, the one in "
        "Kraków, again 🎉"
    )
    assert found["Dinner"]["location"] == "The Fellow, 24 York Way\nLondon N1 9AA; upstairs"
    assert "Smith, Jane; the \\ backslash: Sent the dinner invite" not in found  # done: not listed
    # links as the words a reader sees, outside the vault
    assert found["2026-12-05 Dinner: Book a table for Jane and Ada Lovelace"]["start"] == date(2026, 12, 2)
    assert found["Dinner"]["description"] == "Attendees: Smith, Jane; the \\ backslash"


def test_same_vault_same_bytes_and_a_round_trip_through_icalendar(vault):
    root = vault({**VAULT, **TRICKY})
    first = run_cli("export", "ics", vault=root, today="2026-12-01").stdout_bytes
    assert run_cli("export", "ics", vault=root, today="2026-12-01").stdout_bytes == first
    parsed = Calendar.from_ical(first)
    again = Calendar.from_ical(parsed.to_ical())
    assert events_of(again.to_ical()) == events_of(first)
    for event in parsed.walk("VEVENT"):  # what RFC 5545 requires of each VEVENT
        assert {"UID", "DTSTAMP", "DTSTART"} <= set(event), event
        assert event.decoded("dtstamp").isoformat() == "2026-12-01T00:00:00+00:00"
        for alarm in event.walk("VALARM"):
            assert {"ACTION", "TRIGGER", "DESCRIPTION"} <= set(alarm)
    assert [c.name for c in parsed.subcomponents if c.name != "VEVENT"] == []
    assert str(parsed["version"]) == "2.0" and str(parsed["prodid"]) == "-//vaultkit//reminders//EN"


@pytest.mark.parametrize(
    "line",
    [
        "X" * 75,
        "X" * 76,
        "DESCRIPTION:" + "é" * 100,
        "DESCRIPTION:" + "🎉" * 40 + "a",
        "S:" + "a" * 73 + "ü" + "b" * 200,
    ],
)
def test_fold_keeps_every_line_within_75_octets_and_unfolds_to_the_same(line):
    folded = ical.fold(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert folded.replace("\r\n ", "") == line
    assert (len(parts) > 1) == (len(line.encode("utf-8")) > 75)


def test_text_escapes_backslash_semicolon_comma_and_newlines():
    assert ical.text("a\\b;c,d\ne\r\nf\rg") == "a\\\\b\\;c\\,d\\ne\\nf\\ng"
    assert ical.text("tab\tand\x07bell") == "tab\tandbell"


# Every kind of entry and of reason, and the text that needs care: the calendar's exact bytes
# are held in tests/data/ics/reminders-<today>.ics (written by the export before it was made faster;
# a change to the export's speed must leave them as they are).
EXACT = {
    **VAULT,
    **TRICKY,
    "people/Émile Zola.md": """\
---
cadence: 6w
tags: [rust, writing]
birthday: 1840-12-20
---
- 2026-10-10 Long talk about [[Jane Smith|Jane]], naturalism, the Dreyfus affair, Les Rougon-Macquart and much more
- [ ] Post\x07 the letter 📅 2026-11-25
- [ ] Post\x07 the letter 📅 2026-12-20
- [ ] Post\x07 the letter
""",
    "people/Rita Shared.md": "---\ncadence: 10d\ntags: [rust]\nlast_contact: 2026-11-01\n---\n",
    "people/Kim Recent.md": "---\ncadence: biweekly\n---\n- 2026-11-10 Walk in the park; talked about a very long list of things, far beyond one line.\n",
    "resources/Borrow checker notes.md": """\
---
tags: [rust]
added: 2026-11-20
shared_with: ["[[Rita Shared]]"]
---
""",
    "Daily/2026-11-28.md": "# Saturday 28 November 2026\n\nCall with [[Grace Hopper]]\n- [ ] Send [[Charles Babbage]] the notes 📅 2026-12-03\n",
    "Meetings/2026-12-12 Planning.md": """\
---
date: 2026-12-12T15:30
type: meeting
people: ["[[Émile Zola]]", "[[Nobody Here]]"]
---
""",
}


@pytest.mark.parametrize("today", ["2026-12-01", "2027-01-20"])
def test_the_calendar_bytes_are_as_held(tmp_path, today):
    root = write_vault(tmp_path / "Réseau perso", EXACT)
    data = run_cli("export", "ics", "--days", "60", vault=root, today=today).stdout_bytes
    held = REPO / "tests" / "data" / "ics" / f"reminders-{today}.ics"
    if os.environ.get("VAULTKIT_REGENERATE"):
        held.parent.mkdir(exist_ok=True)
        held.write_bytes(data)
    assert data == held.read_bytes()


@pytest.mark.parametrize("parts", [("checkin", "ada lovelace"), ("followup", "people/Émile Zola.md", "Post\x07 🎉", "2"), ("",)])
def test_stable_uid_is_uuid5_of_the_parts_in_the_vaultkit_namespace(parts):
    import uuid

    from vaultkit.exporters import stable_uid

    assert stable_uid(*parts) == str(uuid.uuid5(uuid.uuid5(uuid.NAMESPACE_URL, "vaultkit"), "\x1f".join(parts)))


@pytest.mark.parametrize(
    "path", ["people/Ada Lovelace.md", "a-b_c.d~e/ f", "", "people/Émile Zola.md", "x%20y.md", "a+b&c=d?.md", "tab\there.md", "🎉.md"]
)
def test_a_notes_path_in_a_link_is_quoted_as_urllib_quotes_it(path):
    from urllib.parse import quote

    from vaultkit.exporters.ics import quoted

    assert quoted(path) == quote(path, safe="")
