"""The index `vaultkit watch` patches when only people's own notes changed (index/patch.py) is
the index built afresh from the same notes, after any run of saves; the shortcut is taken
when it may be (the people not saved keep their records), and not otherwise."""

from __future__ import annotations

import re
from datetime import date

from conftest import write_vault
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vaultkit.index.live import LiveVault
from vaultkit.index.vault import Index, build_index, load_vault
from vaultkit.pages.memo import Memo, logbook_of
from vaultkit.pages.render import Renderer
from vaultkit.pages.views import build_pages
from vaultkit.rules import reminders as rules
from vaultkit.settings import load_settings
from vaultkit.words import key_of

TODAY = date(2026, 11, 20)

PEOPLE = {
    "people/Ada Lovelace.md": "---\naliases: [Ada]\ncadence: monthly\n---\n## Log\n- 2026-10-01 Coffee with [[Grace Hopper]].\n",
    "people/Grace Hopper.md": "---\ntags: [navy]\nbirthday: 1906-12-09\nintroduced_by: \"[[Ada]]\"\nmet: 2026-11-01\n---\n## Log\n- 2026-06-01 Lunch. #help\n",
    "people/Alan Turing.md": "---\ncadence: weekly\n---\nSee [[Nobody In Particular]].\n",
    "people/team/Alan Turing.md": "---\ntags: [math]\n---\nThe other Alan.\n",  # the same name: a problem
    "people/Katherine Johnson.md": "---\naliases: [Ada, KJ]\n---\n## Log\n- 2026-11-02 Call. #intro [[Ada]]\n",
    "people/Hedy Lamarr.md": "---\ncadence: quarterly\n---\n## Log\n- 2024-03-01 Call about radios.\n",  # overdue, drifted
}
SECOND_ALAN = "people/team/Alan Turing.md"  # with `twice`: two notes of the same name
OTHERS = {
    "Daily/2026-11-10.md": "Met [[Ada]] and [[Grace Hopper]] #thanked\n- [ ] Write to [[Alan Turing]] 📅 2026-11-25\n",
    "Meetings/standup.md": '---\ndate: 2026-11-12\npeople: ["[[KJ]]", "[[Nobody]]"]\n---\nNotes.\n- [ ] Share the slides with [[Ada]] 📅 2026-11-18\n',
    # never saved in a batch that may be patched: Hedy and Ada keep what it gives them
    "Meetings/retro.md": '---\ndate: 2026-11-05\npeople: ["[[Hedy Lamarr]]"]\n---\n- [ ] Send the retro notes to [[Ada]] 📅 2026-11-19\n',
    "events/2026-11-14 Meetup.md": '---\ndate: 2026-11-14\nattendees: ["[[Ada]]", "[[Alan Turing]]"]\n---\n',
}
DAILY, MEETING = "Daily/2026-11-10.md", "Meetings/standup.md"
# saves of a person's own note that leave every name as it was, and of daily and meeting
# notes that were there: the index is patched
OWN = ["log", "task", "link", "tag", "same", "pause", "birthday", "old", "mention", "meeting", "unmention"]
KINDS = [*OWN, "break", "restore", "alias", "name", "daily", "new", "delete"]


def edits(people: list[str]):
    return st.lists(st.lists(st.tuples(st.sampled_from(KINDS), st.sampled_from(people), st.integers(1, 28)), min_size=1, max_size=3), min_size=1, max_size=6)


def apply(root, op: tuple[str, str, int], step: int) -> None:
    kind, rel, day = op
    path = root / rel
    text = path.read_text(encoding="utf-8") if path.exists() else PEOPLE[rel]
    if kind == "log":
        text += f"- 2026-11-{day:02d} Call {step} with [[Grace Hopper]] #thanked\n" if day % 2 else f"- 2026-11-{day:02d} Introduced me to [[Hedy Lamarr]] #intro\n"
    elif kind == "task":
        text += f"- [ ] Ask about it {step} 📅 2026-11-{day:02d}\n"
    elif kind == "link":
        text += f"- 2026-10-{day:02d} Met [[Nobody {step}]]\n"
    elif kind == "pause":
        text = text.replace("---\n", "---\nstatus: paused\n", 1) if "status:" not in text else text.replace("status: paused\n", "")
    elif kind == "birthday":
        text = text.replace("---\n", f"---\nbirthday: 1950-12-{day:02d}\n", 1) if "birthday:" not in text else text
    elif kind == "old":  # a last contact long ago: drifted
        text += f"- 2024-01-{day:02d} Old call {step}\n"
    elif kind == "tag":
        text = text.replace("---\n", f"---\ninterests: [topic{day}]\n", 1)
    elif kind == "break":
        text = "---\ntags: [python\n---\n" + text
    elif kind == "restore":
        text = PEOPLE[rel]
    elif kind == "alias":
        text = text.replace("---\n", f"---\naliases: [Nick{day % 3}]\n", 1) if "aliases" not in text else text.replace("aliases: [", "aliases: [Extra, ", 1)
    elif kind == "name":
        text = text.replace("---\n", f"---\nname: Someone {day % 2}\n", 1)
    elif kind == "mention":  # a line, a dated line or a task of the daily note links them
        name = rel.rsplit("/", 1)[1][:-3]
        path = root / DAILY
        text = path.read_text(encoding="utf-8") + [
            f"Saw [[{name}]] and [[Grace Hopper]] {step} #help\n",
            f"- 2026-11-{day:02d} Lunch with [[{name}]] #thanked\n",
            f"- [ ] Write to [[{name}]] {step} 📅 2026-11-{day:02d}\n",
            f"- 2026-11-{day:02d} Call with [[Nobody {step}]]\n",
        ][day % 4]
    elif kind == "meeting":  # they attended
        name = rel.rsplit("/", 1)[1][:-3]
        path, text = root / MEETING, OTHERS[MEETING].replace('"[[KJ]]"', f'"[[{name}]]"' if day % 2 else f'"[[KJ]]", "[[{name}]]"')
        if day % 3 == 0:  # and no one unknown: the note's problem goes
            text = text.replace(', "[[Nobody]]"', "")
    elif kind == "unmention":
        path, text = root / DAILY, OTHERS[DAILY]
    elif kind == "daily":
        path, text = root / f"Daily/2026-11-{day:02d}.md", f"Saw [[{rel.rsplit('/', 1)[1][:-3]}]] {step}\n"
    elif kind == "new":
        path, text = root / f"people/New {day % 3}.md", "---\n---\nNew.\n"
    elif kind == "delete":
        if path.exists():
            path.unlink()
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def assert_same(got: Index, want: Index) -> None:
    assert got.people == want.people
    assert [p.interactions for p in got.people] == [p.interactions for p in want.people]
    assert got.lookup == want.lookup
    assert got.attended == want.attended
    assert (got.events, got.resources) == (want.events, want.resources)
    assert set(got.problems) == set(want.problems)
    assert [(p.path, p.line or 0, p.message) for p in got.problems] == [(p.path, p.line or 0, p.message) for p in want.problems]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_a_patched_index_is_the_index_built_afresh(tmp_path_factory, data):
    twice = data.draw(st.booleans(), "two notes named Alan Turing")  # else every person has a key of their own
    people = PEOPLE if twice else {rel: text for rel, text in PEOPLE.items() if rel != SECOND_ALAN}
    batches = data.draw(edits(sorted(people)), "saves")
    root = write_vault(tmp_path_factory.mktemp("vault"), {**people, **OTHERS})
    config = load_settings(root)
    live = LiveVault(config)
    live.load()
    index = live.index()
    memo, renderer = Memo(), Renderer(config)
    logbook = build_pages(index, TODAY, renderer, memo) and memo.logbook
    step = 0
    for batch in batches:
        rels = []
        others = [(root / rel).read_text(encoding="utf-8") for rel in (DAILY, MEETING)]
        for op in batch:
            step += 1
            apply(root, op, step)
            rels += [op[1], *(p.relative_to(root).as_posix() for p in root.rglob("*.md") if "Overview" not in p.parts)]
        previous = index
        changes = live.update(rels)
        index = live.index()
        plain = build_index(config, live.records.values(), live.other_names, live.scan_problems)
        assert_same(index, plain)
        # the memo's work on the patched index (the log lines and standings of those who kept
        # their record taken from last time) is the work done afresh
        assert build_pages(index, TODAY, renderer, memo) == build_pages(plain, TODAY, Renderer(config))
        fresh = logbook_of(plain, TODAY)
        assert [memo.logbook.read(p) for p in index.people] == [fresh.read(p) for p in plain.people]
        for ask in ("latest", "recent", "has_favour", "has_intro"):
            assert [getattr(memo.logbook, ask)(p) for p in index.people] == [getattr(fresh, ask)(p) for p in plain.people]
        assert memo.logbook is not logbook
        if memo.sections is not None:  # the sections the memo keeps are the rules' own
            stand = rules.standings(plain, TODAY, fresh)
            assert memo.sections.of(index, memo.logbook) == {
                "overdue": rules.overdue(stand, TODAY),
                "due_soon": rules.due_soon(stand, TODAY),
                "followups": rules.followups_due(plain, TODAY),
                "birthdays": rules.birthdays(plain, TODAY),
                "intros": rules.intros_to_follow(plain, TODAY, fresh),
                "drifted": rules.drifted(stand, TODAY),
            }
            assert memo.thanks_owed(index, TODAY) == rules.thanks_owed(plain, TODAY, fresh)
        logbook = memo.logbook
        if not any(r.problems and any(p.code == "kept" for p in r.problems) for r in live.records.values()):
            assert_same(index, load_vault(config))  # no note kept at its last good version: the notes as read
        # only notes of people in the index changed (not the second Alan Turing's: links reach the first)
        indexed = ({p.path for p in previous.people} - {SECOND_ALAN}) | {DAILY, MEETING}
        if all(kind in OWN for kind, _, _ in batch) and not changes.removed and set(changes.read) <= indexed:
            # only people's own notes and the daily and meeting notes changed, no name: the others
            # (not saved, not linked by what those notes said before or say now) keep their records
            texts = [*others, *((root / rel).read_text(encoding="utf-8") for rel in (DAILY, MEETING))]
            linked = {previous.lookup[key_of(t)].path for text in texts for t in re.findall(r"\[\[([^\]]+)\]\]", text) if key_of(t) in previous.lookup}
            saved = set(changes.read) | linked
            assert [p.path for p in index.people] == [p.path for p in previous.people]
            assert all(a is b for a, b in zip(index.people, previous.people, strict=True) if a.path not in saved)


def test_a_save_that_renames_a_person_builds_the_index_afresh(tmp_path):
    root = write_vault(tmp_path / "vault", {**PEOPLE, **OTHERS})
    live = LiveVault(load_settings(root))
    live.load()
    first = live.index()
    rel = "people/Ada Lovelace.md"
    (root / rel).write_text(PEOPLE[rel].replace("aliases: [Ada]", "aliases: [Countess]"), encoding="utf-8")
    live.update([rel])
    second = live.index()
    grace = next(p for p in second.people if p.name == "Grace Hopper")
    assert grace is not next(p for p in first.people if p.name == "Grace Hopper")  # built again
    assert second.lookup["countess"].path == rel
    assert second.lookup["ada"].name == "Katherine Johnson"  # her alias, no longer taken by Ada's
    assert_same(second, load_vault(load_settings(root)))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 3), max_size=3), max_size=8),
    st.lists(st.tuples(st.integers(0, 7), st.lists(st.integers(0, 3), max_size=3)), max_size=10),
)
def test_ranked_entries_are_in_the_order_of_a_stable_sort(gives, puts):
    """Entries of equal rank keep the order of their places, then their order in a place."""
    from vaultkit.pages.ranked import Ranked

    def rank(entry: tuple[int, int, int]) -> int:
        return entry[2]

    def entries(place: int, ranks: list[int]) -> list[tuple[int, int, int]]:
        return [(place, n, r) for n, r in enumerate(ranks)]

    given = dict(enumerate(gives))
    kept = Ranked(rank, ((place, entries(place, ranks)) for place, ranks in given.items()))
    for place, ranks in puts:
        given[place] = ranks
        kept.put(place, entries(place, ranks))
        everyone = [e for place in sorted(given) for e in entries(place, given[place])]
        assert kept.entries == sorted(everyone, key=rank)


def test_a_task_saved_in_a_daily_note_goes_before_those_of_notes_after_it(tmp_path):
    """A person's tasks from other notes come in the order of those notes' paths: a patch puts
    a daily note's new task before the meeting notes' (D before M), as a build does."""
    root = write_vault(tmp_path / "vault", {**PEOPLE, **OTHERS})
    live = LiveVault(load_settings(root))
    live.load()
    first = live.index()
    (root / DAILY).write_text(OTHERS[DAILY] + "- [ ] Call [[Ada]] back 📅 2026-11-21\n", encoding="utf-8")
    live.update([DAILY])
    second = live.index()
    ada = second.lookup["ada lovelace"]
    assert [t.source for t in ada.followups] == [DAILY, "Meetings/retro.md", MEETING]
    assert second.lookup["hedy lamarr"] is first.lookup["hedy lamarr"]  # patched: Hedy kept her record
    assert_same(second, load_vault(load_settings(root)))


def test_a_meeting_note_saved_with_other_attendees_is_patched_with_its_problems(tmp_path):
    root = write_vault(tmp_path / "vault", {**PEOPLE, **OTHERS})
    live = LiveVault(load_settings(root))
    live.load()
    first = live.index()
    assert any(p.path == MEETING and "'Nobody'" in p.message for p in first.problems)
    (root / MEETING).write_text(OTHERS[MEETING].replace('"[[KJ]]", "[[Nobody]]"', '"[[Grace Hopper]]", "[[Someone Else]]"'), encoding="utf-8")
    live.update([MEETING])
    second = live.index()
    assert second.lookup["hedy lamarr"] is first.lookup["hedy lamarr"]  # patched
    assert second.lookup["katherine johnson"] is not first.lookup["katherine johnson"]  # no longer attended
    assert [p.message for p in second.problems if p.path == MEETING] == ["people: 'Someone Else' is no person in the vault"]
    assert_same(second, load_vault(load_settings(root)))
