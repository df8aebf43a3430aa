"""One test (or a few) per rule of the vault format, each on a vault of a few lines."""

from __future__ import annotations

from datetime import date

import pytest

from vaultkit.index.vault import load_vault
from vaultkit.model import Cadence, parse_cadence
from vaultkit.pages.views import events_view, share_view
from vaultkit.rules import reminders as rules
from vaultkit.settings import load_settings

TODAY = date(2026, 12, 1)


def index_of(vault, files, settings=None):
    root = vault(files, settings)
    return load_vault(load_settings(root))


def person(cadence="", log=(), extra=""):
    lines = ["---"]
    if cadence:
        lines.append(f"cadence: {cadence}")
    if extra:
        lines.extend(extra.strip("\n").split("\n"))
    lines += ["---", "## Log", *[f"- {line}" for line in log], ""]
    return "\n".join(lines)


# --- cadence units -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "due"),
    [
        ("weekly", date(2026, 11, 1), date(2026, 11, 8)),
        ("biweekly", date(2026, 11, 1), date(2026, 11, 15)),
        ("monthly", date(2026, 1, 31), date(2026, 2, 28)),
        ("monthly", date(2028, 1, 31), date(2028, 2, 29)),
        ("quarterly", date(2026, 11, 30), date(2027, 2, 28)),
        ("yearly", date(2024, 2, 29), date(2025, 2, 28)),
        ("10d", date(2026, 11, 25), date(2026, 12, 5)),
        ("6w", date(2026, 10, 1), date(2026, 11, 12)),
        ("3m", date(2026, 8, 31), date(2026, 11, 30)),
        ("1y", date(2025, 12, 1), date(2026, 12, 1)),
        ("Monthly", date(2026, 3, 15), date(2026, 4, 15)),
    ],
)
def test_cadence_units(text, start, due):
    cadence = parse_cadence(text)
    assert cadence is not None
    assert cadence.after(start) == due


@pytest.mark.parametrize("text", ["sometimes", "0d", "3x", "-1w", "", "1.5m"])
def test_unknown_cadence_is_none(text):
    assert parse_cadence(text) is None


def test_unknown_cadence_is_a_problem_with_its_line(vault):
    index = index_of(vault, {"people/A.md": "---\ntags: [x]\ncadence: sometimes\n---\n"})
    assert [str(p) for p in index.problems] == [
        "people/A.md:3: cadence: unknown cadence 'sometimes' (weekly, biweekly, monthly, "
        "quarterly, yearly, or a count and unit like 10d, 6w, 3m, 1y)"
    ]
    assert index.people[0].cadence is None


# --- due, overdue, due soon ----------------------------------------------------------


def test_overdue_is_most_days_past_due_first(vault):
    index = index_of(
        vault,
        {
            "people/A.md": person("monthly", ["2026-10-20 Call."]),  # due 11-20: 11 days
            "people/B.md": person("weekly", ["2026-11-20 Call."]),  # due 11-27: 4 days
            "people/C.md": person("yearly", ["2025-06-01 Call."]),  # due 2026-06-01: 183 days
            "people/D.md": person("monthly", ["2026-11-05 Call."]),  # due 12-05: not overdue
        },
    )
    stand = rules.standings(index, TODAY)
    late = rules.overdue(stand, TODAY)
    assert [(s.person.name, s.days_overdue(TODAY)) for s in late] == [("C", 183), ("A", 11), ("B", 4)]


def test_due_soon_includes_today_and_the_seventh_day(vault):
    index = index_of(
        vault,
        {
            "people/Today.md": person("weekly", ["2026-11-24 Call."]),
            "people/Seventh.md": person("weekly", ["2026-12-01 Call."]),
            "people/Eighth.md": person("10d", ["2026-11-29 Call."]),
            "people/Never.md": person("monthly"),
        },
    )
    stand = rules.standings(index, TODAY)
    soon = rules.due_soon(stand, TODAY)
    assert [(s.person.name, s.due) for s in soon] == [
        ("Never", TODAY),
        ("Today", TODAY),
        ("Seventh", date(2026, 12, 8)),
    ]
    assert rules.overdue(stand, TODAY) == []


def test_met_is_the_start_when_there_is_no_interaction(vault):
    index = index_of(vault, {"people/A.md": person("monthly", extra="met: 2026-10-15")})
    s = rules.standings(index, TODAY)["a"]
    assert (s.last_contact, s.due, s.days_overdue(TODAY)) == (None, date(2026, 11, 15), 16)


def test_last_contact_key_wins_when_later(vault):
    index = index_of(
        vault,
        {
            "people/Later.md": person("weekly", ["2026-11-01 Call."], "last_contact: 2026-11-28"),
            "people/Earlier.md": person("weekly", ["2026-11-28 Call."], "last_contact: 2026-11-01"),
        },
    )
    stand = rules.standings(index, TODAY)
    assert stand["later"].last_contact == date(2026, 11, 28)
    assert stand["earlier"].last_contact == date(2026, 11, 28)


def test_future_lines_are_plans_not_contact(vault):
    index = index_of(vault, {"people/A.md": person("monthly", ["2026-10-01 Call.", "2026-12-10 Lunch booked."])})
    s = rules.standings(index, TODAY)["a"]
    assert s.last_contact == date(2026, 10, 1)
    assert s.days_overdue(TODAY) == 30


def test_no_cadence_no_reminder_unless_default_cadence(vault):
    files = {"people/A.md": person("", ["2026-10-01 Call."])}
    assert rules.overdue(rules.standings(index_of(vault, files), TODAY), TODAY) == []
    index = index_of(vault, files, settings='default_cadence = "monthly"\n')
    assert [s.person.name for s in rules.overdue(rules.standings(index, TODAY), TODAY)] == ["A"]


# --- paused, archived, snoozed ---------------------------------------------------------


def test_paused_archived_snoozed_are_left_out_but_keep_followups_and_thanks(vault):
    followup = "\n## Follow-ups\n- [ ] Return the book 📅 2026-11-30\n"
    index = index_of(
        vault,
        {
            "people/Paused.md": person("weekly", ["2025-01-01 Help with CV. #help"], "status: paused\nbirthday: 1990-12-05") + followup,
            "people/Archived.md": person("weekly", ["2025-01-01 Call."], "status: archived"),
            "people/Snoozed.md": person("weekly", ["2025-01-01 Call."], "snooze_until: 2026-12-15"),
            "people/Woken.md": person("weekly", ["2025-01-01 Call."], "snooze_until: 2026-12-01"),
        },
    )
    stand = rules.standings(index, TODAY)
    assert [s.person.name for s in rules.overdue(stand, TODAY)] == ["Woken"]
    assert [s.person.name for s in rules.drifted(stand, TODAY)] == ["Woken"]
    assert rules.birthdays(index, TODAY) == []
    assert [(f.owner.name, f.task.text) for f in rules.followups_due(index, TODAY)] == [("Paused", "Return the book")]
    assert [t.person.name for t in rules.thanks_owed(index, TODAY)] == ["Paused"]


# --- drifted -----------------------------------------------------------------------------


def test_drifted_by_a_year_or_three_cadences_never_without_contact(vault):
    index = index_of(
        vault,
        {
            "people/Year.md": person("", ["2025-11-30 Call."]),  # one year and a day
            "people/JustAYear.md": person("", ["2025-12-01 Call."]),  # exactly a year: not more
            "people/Three.md": person("monthly", ["2026-08-31 Call."]),  # 3 months = 11-30 < today
            "people/NotThree.md": person("monthly", ["2026-09-01 Call."]),  # 12-01: not before
            "people/Met.md": person("", extra="met: 2024-04-18"),
            "people/Nothing.md": person(""),
        },
    )
    drifted = rules.drifted(rules.standings(index, TODAY), TODAY)
    assert [s.person.name for s in drifted] == ["Year", "Three"]


# --- follow-ups -------------------------------------------------------------------------


def test_followup_syntaxes_and_done(vault):
    body = "\n".join(
        [
            "---",
            "---",
            "- [ ] Tasks syntax 📅 2026-11-28",
            "- [ ] Dataview-ish syntax due: 2026-12-04",
            "- [ ] Inline field [due:: 2026-12-02]",
            "- [x] Done one 📅 2026-11-20 ✅ 2026-11-21",
            "- [X] Done too due: 2026-11-20",
            "- [-] Cancelled 📅 2026-11-20",
            "- [ ] Later 📅 2026-12-09",
            "- [ ] No date",
            "- [ ] 2026-12-03 starts with a date",
            "* [ ] Star bullet ⏫ 📅 2026-12-01",
            "```",
            "- [ ] In a code block 📅 2026-11-20",
            "```",
            "",
        ]
    )
    index = index_of(vault, {"people/A.md": body})
    due = rules.followups_due(index, TODAY)
    assert [(f.task.text, f.task.due, f.days_late(TODAY)) for f in due] == [
        ("Tasks syntax", date(2026, 11, 28), 3),
        ("Star bullet", date(2026, 12, 1), 0),
        ("Inline field", date(2026, 12, 2), 0),
        ("Dataview-ish syntax", date(2026, 12, 4), 0),
    ]
    a = index.people[0]
    assert a.interactions == ()  # a task item is never an interaction
    assert [f.text for f in rules.open_followups(a)][-2:] == ["No date", "2026-12-03 starts with a date"]


# --- interactions, tags, links ---------------------------------------------------------------


def test_interactions_anywhere_in_the_body_with_tags_and_links(vault):
    body = "---\n---\nIntro text.\n\n## Notes\n* 2026-11-02 Coffee with [[Ada Lovelace|Ada]] #Coffee #intro\n1. 2026-11-03: Call #1 not a tag\n- [[2026-11-04]] Daily note link #call\n- 2026-13-40 not a date\n"
    index = index_of(vault, {"people/B.md": body, "people/Ada Lovelace.md": "---\n---\n"})
    b = index.person("b")
    assert [(i.when, i.tags, i.links) for i in b.interactions] == [
        (date(2026, 11, 2), ("coffee", "intro"), ("ada lovelace",)),
        (date(2026, 11, 3), (), ()),
        (date(2026, 11, 4), ("call",), ()),
    ]
    assert [str(p) for p in index.problems] == [
        "people/B.md:8: warning: link [[2026-11-04]] points to no note",
        "people/B.md:9: 2026-13-40 is not a real date",
    ]


def test_links_resolve_by_file_name_alias_and_name_case_insensitively(vault):
    index = index_of(
        vault,
        {
            "people/Ada Lovelace.md": "---\naliases: [Ada, Countess]\n---\n",
            "people/grace.md": "---\nname: Grace Hopper\n---\n",
            "people/Zoë.md": "---\n---\n",
        },
    )
    ada = index.person("Ada Lovelace")
    for target in ["ada lovelace", "ADA", "countess", "[[Ada Lovelace#Log]]", "people/Ada Lovelace", "Ada Lovelace.md"]:
        from vaultkit.read.body import link_targets

        key = (link_targets(target) or [target])[0]
        assert index.person(key) is ada, target
    assert index.person("grace hopper").path == "people/grace.md"
    assert index.person("Zoe\u0308").name == "Zoë"  # NFD as typed on macOS


def test_broken_links_are_warnings_naming_the_note(vault):
    index = index_of(
        vault,
        {
            "people/A.md": "---\nintroduced_by: \"[[Nobody]]\"\n---\n- 2026-11-01 Met [[B]] and [[Ghost|G]] #x\n",
            "people/B.md": "---\n---\n",
            "Daily/2026-11-01.md": "a daily note\n",
            "people/C.md": "---\n---\nSee [[2026-11-01]] and [[photo.png]].\n",
            "photo.png": "",
        },
    )
    assert [str(p) for p in index.problems] == [
        "people/A.md:2: warning: link introduced_by: nobody points to no note",
        "people/A.md:4: warning: link [[Ghost|G]] points to no note",
    ]


def test_duplicate_names_and_aliases_are_problems(vault):
    index = index_of(
        vault,
        {
            "people/Ada.md": "---\naliases: [Countess]\n---\n",
            "people/work/Ada.md": "---\n---\n",
            "people/Bea.md": "---\naliases: [countess]\n---\n",
        },
    )
    assert sorted(p.message for p in index.problems) == [
        "alias 'countess' is also people/Ada.md; links to it go there",
        "two people named 'Ada': here and people/Ada.md",
    ]


def test_what_other_notes_say_goes_to_the_person_a_link_resolves_to(vault):
    """Of two people of one name, the first (by path) gets the name's lines and tasks; an alias
    goes to its owner; a line linking two people gives each one, in date order with their own."""
    index = index_of(
        vault,
        {
            "people/Ada.md": "---\naliases: [Countess]\n---\n- 2026-11-03 Own line, later in the note.\n- 2026-11-01 Own first.\n",
            "people/work/Ada.md": "---\naliases: [Countess]\n---\n- 2026-11-02 The other Ada.\n",
            "people/Grace.md": "---\naliases: [Lovelace]\n---\n",
            "Daily/2026-11-03.md": "- 2026-11-03 Lunch with [[Ada]] and [[Grace]] #intro #help #thanked\n- 2026-11-03 Tea [[Countess]]\n"
            "- [ ] call [[Lovelace]] and [[Ada]]\n- 2026-11-02 [[Ada]] and [[ada]] once\n",
            "Meetings/Kickoff.md": "---\ndate: 2026-11-05\npeople: [Ada, Nobody, Grace]\n---\n",
        },
    )
    ada, other, grace = (next(p for p in index.people if p.path == path) for path in ("people/Ada.md", "people/work/Ada.md", "people/Grace.md"))
    assert [(i.when.day, i.text, i.tags, i.links, i.source) for i in ada.interactions] == [
        (1, "Own first.", (), (), ""),
        (2, "[[Ada]] and [[ada]] once", (), (), "Daily/2026-11-03.md"),
        (3, "Own line, later in the note.", (), (), ""),
        (3, "Lunch with [[Ada]] and [[Grace]] #intro #help #thanked", ("intro", "help", "thanked"), ("grace",), "Daily/2026-11-03.md"),
        (3, "Tea [[Countess]]", (), (), "Daily/2026-11-03.md"),
        (5, "Kickoff", (), (), "Meetings/Kickoff.md"),
    ]
    assert [(i.text, i.tags, i.links) for i in grace.interactions if i.when.day == 3] == [("Lunch with [[Ada]] and [[Grace]] #intro #help #thanked", ("thanked",), ("ada",))]
    assert [i.source for i in grace.interactions] == ["Daily/2026-11-03.md", "Meetings/Kickoff.md"]
    assert [(f.text, f.source) for f in ada.followups] == [(f.text, f.source) for f in grace.followups] == [("call [[Lovelace]] and [[Ada]]", "Daily/2026-11-03.md")]
    assert [i.text for i in other.interactions] == ["The other Ada."] and other.followups == ()
    assert index.lookup["ada"] is ada and index.lookup["countess"] is ada and index.lookup["lovelace"] is grace


def test_tags_as_one_string_are_split_and_normalized(vault):
    index = index_of(vault, {"people/A.md": "---\ntags: \"#Python, London  mentor\"\ninterests: ML\n---\n"})
    a = index.people[0]
    assert a.tags == ("python", "london", "mentor")
    assert a.interests == ("ml",)


# --- thanks -------------------------------------------------------------------------------------


def test_thanks_owed_and_cleared(vault):
    index = index_of(
        vault,
        {
            "people/Owed.md": person("", ["2026-11-01 Reviewed my CV. #help", "2026-10-01 Old thanks. #thanked"]),
            "people/SameDay.md": person("", ["2026-11-01 Helped. #help", "2026-11-01 Card. #thanked"]),
            "people/Later.md": person("", ["2026-11-01 Gift. #gift", "2026-11-05 Card. #thanked"]),
            "people/Custom.md": person("", ["2026-11-01 Lent a drill. #favour"]),
            "people/Future.md": person("", ["2026-12-05 Will help. #help"]),
            "people/Both.md": person("", ["2026-11-01 Sent flowers to say thanks. #gift #thanked"]),
        },
    )
    owed = rules.thanks_owed(index, TODAY)
    assert [(t.person.name, [f.text for f in t.favours]) for t in owed] == [("Owed", ["Reviewed my CV. #help"])]
    index = index_of(
        vault,
        {"people/Custom.md": person("", ["2026-11-01 Lent a drill. #favour", "2026-11-02 Beer. #cheers"])},
        settings='thanks_tags = ["favour"]\nthanked_tags = ["cheers"]\n',
    )
    assert rules.thanks_owed(index, TODAY) == []


# --- introductions ----------------------------------------------------------------------------------


def test_introductions_to_follow_up(vault):
    index = index_of(
        vault,
        {
            "people/Priya.md": person("", ["2026-11-18 Introduced me to [[Mateo]] and [[Kim]]. #intro"]),
            "people/Mateo.md": person("", [], "met: 2026-11-18"),
            "people/Kim.md": person("", ["2026-11-20 First call."]),
            "people/Kwame.md": person("", [], 'introduced_by: "[[priya|P]]"\nmet: 2026-11-10'),
            "people/Old.md": person("", ["2026-11-01 Call."], 'introduced_by: "[[Priya]]"\nmet: 2026-10-01'),
            "people/Quiet.md": person("", [], 'introduced_by: "[[Priya]]"\nstatus: paused'),
        },
    )
    pending = rules.intros_to_follow(index, TODAY)
    assert [(i.by.name, i.to.name, i.when) for i in pending] == [
        ("Priya", "Kwame", date(2026, 11, 10)),
        ("Priya", "Mateo", date(2026, 11, 18)),
    ]


# --- birthdays ------------------------------------------------------------------------------------


def test_birthdays_in_the_next_30_days(vault):
    index = index_of(
        vault,
        {
            "people/Today.md": person("", [], "birthday: 1990-12-01"),
            "people/NoYear.md": person("", [], 'birthday: "--12-12"'),
            "people/Day30.md": person("", [], "birthday: 1980-12-31"),
            "people/Day31.md": person("", [], "birthday: 1980-01-01"),
            "people/Yesterday.md": person("", [], "birthday: 1980-11-30"),
        },
    )
    found = rules.birthdays(index, TODAY)
    assert [(b.person.name, b.when, b.turns) for b in found] == [
        ("Today", date(2026, 12, 1), 36),
        ("NoYear", date(2026, 12, 12), None),
        ("Day30", date(2026, 12, 31), 46),
    ]


def test_leap_day_birthday_falls_on_28_february(vault):
    index = index_of(vault, {"people/Leap.md": person("", [], "birthday: 2000-02-29")})
    found = rules.birthdays(index, date(2027, 2, 20))
    assert [(b.when, b.turns) for b in found] == [(date(2027, 2, 28), 27)]
    assert rules.birthdays(index, date(2028, 2, 20))[0].when == date(2028, 2, 29)


# --- events -----------------------------------------------------------------------------------------


def test_event_invitees_attendees_and_follow_ups(vault):
    index = index_of(
        vault,
        {
            "people/Ada.md": person("", [], "tags: [python]"),
            "people/Bob.md": person("", [], "interests: [London]"),
            "people/Cy.md": person("", [], "groups: [python]\nstatus: paused"),
            "people/Di.md": person("", ["2026-11-20 Coffee after the meetup."], "tags: [python]"),
            "people/Ed.md": person("", ["2026-11-14 Talked at the meetup."], "tags: [rust]"),
            "events/2026-12-01 Social.md": '---\ndate: 2026-12-01\ninvite: [python, london]\nattendees: ["[[Di]]"]\n---\n',
            "events/2026-11-14 Meetup.md": '---\ndate: 2026-11-14\nattendees: ["[[Di]]", "[[Ed]]", "[[Ghost]]"]\n---\n',
            "events/2026-10-01 Old.md": '---\ndate: 2026-10-01\nattendees: ["[[Ed]]"]\n---\n',
        },
    )
    upcoming, past = events_view(index, TODAY)
    assert [(v.event.name, [i.person.name for i in v.invitees]) for v in upcoming] == [
        ("2026-12-01 Social", ["Ada", "Bob"])
    ]
    assert [(v.event.name, [p.name for p in v.to_follow_up]) for v in past] == [("2026-11-14 Meetup", ["Ed"])]
    # attendance is an interaction: Di's last contact is today's event
    assert rules.standings(index, TODAY)["di"].last_contact == TODAY


def test_event_date_from_file_name_when_no_date_key(vault):
    index = index_of(vault, {"events/2026-12-05 Python meetup.md": "---\nlocation: London\n---\n"})
    assert index.events[0].when == date(2026, 12, 5)


# --- share -------------------------------------------------------------------------------------------


def test_share_matches_tags_most_overdue_first_at_most_ten(vault):
    files = {
        f"people/P{n:02}.md": person("monthly", [f"2026-10-{n:02} Call."], "tags: [python]") for n in range(1, 13)
    }
    files["people/Shared.md"] = person("monthly", ["2026-01-01 Call."], "tags: [python]")
    files["people/Other.md"] = person("monthly", ["2026-01-01 Call."], "tags: [rust]")
    files["people/Snoozed.md"] = person("monthly", ["2026-01-01 Call."], "tags: [python]\nsnooze_until: 2027-01-01")
    files["resources/Guide.md"] = '---\ntags: [python]\nshared_with: ["[[Shared]]"]\n---\n'
    index = index_of(vault, files)
    (suggestion,) = share_view(index, rules.standings(index, TODAY), TODAY)
    assert [s.person.name for s, _ in suggestion.people] == [f"P{n:02}" for n in range(1, 11)]
    assert suggestion.more == 2


def test_cadence_after_several_times():
    assert Cadence(1, "m", "monthly").after(date(2026, 1, 31), 3) == date(2026, 4, 30)


def test_invitees_are_capped_those_matching_most_tags_first(vault):
    files = {f"people/P{n:02}.md": person("", [], "tags: [python]") for n in range(1, 31)}
    files["people/Both.md"] = person("", [], "tags: [python, london]")
    files["events/2026-12-05 Meetup.md"] = "---\ninvite: [python, london]\n---\n"
    index = index_of(vault, files)
    (view,), _ = events_view(index, TODAY)
    assert [i.person.name for i in view.invitees][:3] == ["Both", "P01", "P02"]
    assert len(view.invitees) == 25
    assert view.more_invitees == 6
