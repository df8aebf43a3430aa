"""`vaultkit import calendar`: a Google-style .ics with time zones, a weekly series with an
EXDATE, a moved and a cancelled occurrence, RDATE, all-day, cancelled and declined events."""

from __future__ import annotations

from pathlib import Path

from conftest import REPO, run_cli

MEETINGS = REPO / "tests" / "data" / "calendar" / "meetings.ics"
TODAY = "2026-12-01"

PEOPLE = {
    "people/Ada Lovelace.md": "---\nemail: [ada@example.com]\ncadence: monthly\n---\n",
    "people/Grace Hopper.md": "---\nemail: grace@navy.example\n---\n",
    "people/Katherine Johnson.md": "---\ntags: [space]\n---\n",  # matched by the CN
}
SETTINGS = 'me = ["me@example.com"]\n'

# Worked by hand from meetings.ics:
# - PyData sync, weekly from Tue 6 Oct 21:30 New York (Wed 01:30 UTC: the day stays the 6th),
#   6 times: 6, 13, (20 is an EXDATE), 27 moved to Thu 29 Oct 10:00, 3 Nov, 10 Nov cancelled;
#   the room is not a person;
# - Grace's party: all day on 14 Nov; Ada declined it, so only Grace;
# - the Berlin call at 00:30 on 20 Nov (23:30 UTC on the 19th) is on the 20th.
OCTOBER = """\
---
source: calendar
---
- 2026-10-06 Meeting with [[Ada Lovelace]]: "PyData sync" ^calendar-e1eb5bba
- 2026-10-13 Meeting with [[Ada Lovelace]]: "PyData sync" ^calendar-8413be1f
- 2026-10-29 Meeting with [[Ada Lovelace]]: "PyData sync (moved to the morning)" ^calendar-bac886ee
"""
NOVEMBER = """\
---
source: calendar
---
- 2026-11-03 Meeting with [[Ada Lovelace]]: "PyData sync" ^calendar-5d87e109
- 2026-11-14 Meeting with [[Grace Hopper]]: "Grace's retirement party ＃gift" ^calendar-29a8582e
- 2026-11-20 Meeting with [[Katherine Johnson]]: "Late call [Orbits]" ^calendar-5d7f43e8
"""


def ledger(root: Path) -> dict[str, str]:
    folder = root / "Interactions"
    return (
        {p.name: p.read_bytes().decode("utf-8") for p in sorted(folder.glob("*"))}
        if folder.is_dir()
        else {}
    )


def test_a_calendar_becomes_ledger_notes(vault):
    root = vault(PEOPLE, SETTINGS)
    result = run_cli("import", "calendar", str(MEETINGS), vault=root, today=TODAY)
    assert result.exit_code == 0, result.output
    assert ledger(root) == {"2026-10 calendar.md": OCTOBER, "2026-11 calendar.md": NOVEMBER}
    assert result.stdout.splitlines() == [
        "created Interactions/2026-10 calendar.md (3 lines)",
        "created Interactions/2026-11 calendar.md (3 lines)",
        "12 events read; 6 with people in the vault (3 people); 6 lines added, 0 already there",
        "left out: 2 cancelled, 1 declined by me, 1 more than 10 attendees",
        "People you meet who are not in your vault (the 10 seen most often):",
        "  vaultkit add 'Hedy Lamarr' --email hedy@example.com  # 2 events",
    ]
    assert result.stderr.splitlines() == [
        "1 event could not be read (left out):",
        "  meetings.ics: event 'Broken start' (UID broken@example.com): "
        "Expected datetime, date, or time. Got: 'not a time'",
    ]
    again = run_cli("import", "calendar", str(MEETINGS), vault=root, today=TODAY)
    assert ledger(root) == {"2026-10 calendar.md": OCTOBER, "2026-11 calendar.md": NOVEMBER}
    assert again.stdout.splitlines()[0] == (
        "12 events read; 6 with people in the vault (3 people); 0 lines added, 6 already there"
    )


def test_today_since_and_limits(vault):
    # On 3 Nov only what took place by then (the coffee on the 4th is after today); --since
    # drops the first; one other attendee at most: the room and Ada's "declined" do not count
    root = vault(PEOPLE, SETTINGS + "max_attendees = 1\n")
    result = run_cli(
        "import",
        "calendar",
        str(MEETINGS),
        "--since",
        "2026-10-10",
        "--no-subjects",
        vault=root,
        today="2026-11-03",
    )
    assert result.exit_code == 0, result.output
    assert ledger(root) == {
        "2026-10 calendar.md": "---\nsource: calendar\n---\n"
        "- 2026-10-13 Meeting with [[Ada Lovelace]] ^calendar-8413be1f\n"
        "- 2026-10-29 Meeting with [[Ada Lovelace]] ^calendar-bac886ee\n",
        "2026-11 calendar.md": "---\nsource: calendar\n---\n"
        "- 2026-11-03 Meeting with [[Ada Lovelace]] ^calendar-5d87e109\n",
    }
    assert result.stdout.splitlines()[2:4] == [
        "5 events read; 3 with people in the vault (1 person); 3 lines added, 0 already there",
        "left out: 1 after today",
    ]


def test_the_declining_attendee_is_me_only_by_my_address(vault):
    # with another `me`, the COBOL meeting was not declined by me: Grace is met there
    root = vault(PEOPLE, 'me = ["someone@else.example"]\n')
    result = run_cli("import", "calendar", str(MEETINGS), "--dry-run", vault=root, today=TODAY)
    assert (
        '  - 2026-11-05 Meeting with [[Grace Hopper]]: "COBOL standards meeting" ^calendar-'
        in "\n".join(line[:-8] for line in result.stdout.splitlines())
    )


def test_files_that_are_not_calendars(vault, tmp_path):
    root = vault(PEOPLE, SETTINGS)
    csv = tmp_path / "calendar.ics"
    csv.write_text("Subject,Start Date\nLunch,2026-11-02\n", encoding="utf-8")
    result = run_cli("import", "calendar", str(csv), vault=root, today=TODAY)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"Error: {csv}: not an iCalendar file (expected one starting with BEGIN:VCALENDAR, "
        "as a calendar exported to .ics is)"
    ]
    assert not (root / "Interactions").exists()


def test_calendar_needs_me(vault):
    root = vault(PEOPLE)
    result = run_cli("import", "calendar", str(MEETINGS), vault=root, today=TODAY)
    assert result.exit_code == 1 and "--me" in result.output


def test_events_in_utc_take_the_calendar_zone_of_google_exports(vault, tmp_path):
    # 06:00 UTC on 3 Nov is 22:00 on 2 Nov in Los Angeles, the calendar's own zone
    ics = tmp_path / "google.ics"
    ics.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\r\n"
        "X-WR-TIMEZONE:America/Los_Angeles\r\n"
        "BEGIN:VEVENT\r\nDTSTART:20261103T060000Z\r\nDTEND:20261103T070000Z\r\nUID:late@google.com\r\n"
        "ATTENDEE;CN=Ada Lovelace:mailto:ada@example.com\r\nSUMMARY:Late call\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n",
        encoding="utf-8",
        newline="",
    )
    root = vault(PEOPLE, SETTINGS)
    result = run_cli("import", "calendar", str(ics), "--dry-run", vault=root, today=TODAY)
    assert result.stdout.splitlines()[1].startswith(
        '  - 2026-11-02 Meeting with [[Ada Lovelace]]: "Late call" ^calendar-'
    )
