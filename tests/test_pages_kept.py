"""A build keeps the last build's Introductions.md and Events.md while nothing they read changed.

Each case edits the SMALL network of test_introductions.py (with a daily note and two
events) after a build, builds again through the cache, and compares every page with a
cold build of the same notes. Which pages are kept is asked of commands/build.pages_kept
on the vault's real files and cache, as the build asks it.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import time
from datetime import date
from pathlib import Path

import pytest
from conftest import run_cli, write_vault
from test_introductions import SMALL
from test_watch import read_until, start_process

from vaultkit.commands.as_read import notes_changed, read_all
from vaultkit.commands.build import pages_kept
from vaultkit.index.vault import load_vault
from vaultkit.pages.render import Renderer
from vaultkit.pages.views import KEEPABLE, build_pages
from vaultkit.read.cache import KEEP_MAX, Cache
from vaultkit.read.scan import scan
from vaultkit.settings import load_settings

TODAY = "2026-12-01"
DAILY = {"Daily/2026-11-25.md": "Lunch with [[Gil Ross]].\n"}
EVENTS = {
    "events/2026-12-10 Climate evening.md": '---\ndate: 2026-12-10\ninvite: [climate, ux]\nattendees: ["[[Dara Quinn]]"]\n---\n',
    "events/2026-11-20 Data meetup.md": '---\ndate: 2026-11-20\nattendees: ["[[Cleo Marsh]]", "[[Lev Hart]]"]\n---\n',
    # the first day Events.md looks back to (PAST_EVENT_DAYS before TODAY)
    "events/2026-11-01 Edge talk.md": '---\ndate: 2026-11-01\nattendees: ["[[Ben Okri]]"]\n---\n',
}
BOTH = {"Introductions.md", "Events.md"}
THANKS = "Thank-you notes.md"  # kept too where no changed person's favours, names or file changed


def pages(out: Path) -> dict[str, str]:
    return {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in sorted(out.rglob("*.md"))}


def append(root: Path, rel: str, text: str) -> None:
    path = root / rel
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)
    stamp = time.time() + 5  # another stat than the build took, on any file system
    os.utime(path, (stamp, stamp))


def replace(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    stamp = time.time() + 5
    os.utime(path, (stamp, stamp))


def kept(root: Path) -> dict[str, str]:
    """The pages the next build of the vault will take as the last build wrote them, asked
    as the build asks it; the cache is left as it was, so the build that follows
    reads the same notes anew and comes to the same answer."""
    saved = root.parent / "cache-before"
    shutil.copytree(root / ".vaultkit", saved)
    try:
        return _kept(root)
    finally:
        shutil.rmtree(root / ".vaultkit")
        saved.rename(root / ".vaultkit")


def _kept(root: Path) -> dict[str, str]:
    settings = load_settings(root)
    found = scan(settings)
    cache = Cache(settings)
    manifest = cache.manifest()
    assert manifest is not None
    changed = notes_changed(settings, found, manifest.notes, manifest.kinds, manifest.stats, manifest.racy)
    assert changed is not None
    replaced: dict = {}
    entries, index = read_all(settings, found, cache, time.time_ns(), replaced)
    return pages_kept(settings, cache, manifest, changed, replaced, entries, date.fromisoformat(TODAY), index)


def cold(root: Path, tmp_path: Path, codes: tuple[int, ...] = (0,)) -> dict[str, str]:
    copy = tmp_path / "cold"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns(".vaultkit", "Overview"))
    assert run_cli("build", "--no-cache", vault=copy, today=TODAY).exit_code in codes
    return pages(copy / "Overview")


@pytest.fixture
def built(tmp_path: Path) -> Path:
    root = write_vault(tmp_path / "vault", {**SMALL, **DAILY, **EVENTS})
    assert run_cli("build", vault=root, today=TODAY).exit_code == 0
    assert "Ada Byron" in (root / "Overview" / "Introductions.md").read_text(encoding="utf-8")
    events = (root / "Overview" / "Events.md").read_text(encoding="utf-8")
    assert "[[Eli Stone]]" in events and "[[Cleo Marsh]]" in events  # an invitee, one to follow up
    assert "[[Ben Okri]]" in events.split("Edge talk")[1]  # to follow up after the talk 30 days ago
    return root


# each edit, and the pages it leaves as they were
EDITS = {
    "a log line that says no role": (("append", "people/Ada Byron.md", "- 2026-11-30 Coffee again. #coffee\n"), BOTH),
    "an old line that says a role": (("append", "people/Ben Okri.md", "- 2025-01-02 Was hiring then.\n"), BOTH),
    "a follow-up": (("append", "people/Cleo Marsh.md", "- [ ] Send her the deck 📅 2026-12-03\n"), BOTH),
    "a cadence": (("replace", "people/Eli Stone.md", "tags: [investor, climate]", "cadence: monthly\ntags: [investor, climate]"), BOTH),
    "a recent line that says a role": (("append", "people/Dara Quinn.md", "- 2026-11-29 She is hiring a designer.\n"), {"Events.md"}),
    "a recent line with a role tag": (("append", "people/Gil Ross.md", "- 2026-11-29 Talked shop. #hiring\n"), {"Events.md"}),
    "a company": (("replace", "people/Lev Hart.md", "company: lumen", "company: Elsewhere"), {"Events.md"}),
    "a line after an event they attended": (("append", "people/Cleo Marsh.md", "- 2026-11-28 Coffee after the meetup.\n"), {"Introductions.md"}),
    "a line on the day of an event 30 days ago": (("append", "people/Ben Okri.md", "- 2026-11-01 Saw him at the talk.\n"), BOTH),
    "a line the day after an event 30 days ago": (("append", "people/Ben Okri.md", "- 2026-11-02 Coffee.\n"), {"Introductions.md"}),
    "a line after the event, dated after today": (("append", "people/Ben Okri.md", "- 2026-12-05 Lunch, planned.\n"), BOTH),
    "a tag": (("replace", "people/Hal Pike.md", "tags: [ux]", "tags: [ux, climate]"), set()),
    "an interest": (("replace", "people/Ivo Lane.md", "typography]", "typography, letterpress]"), set()),
    "a status": (("replace", "people/Eli Stone.md", "tags: [investor, climate]", "status: paused\ntags: [investor, climate]"), set()),
    "a link": (("append", "people/Hal Pike.md", "Met [[Gil Ross]] at a fair.\n"), {"Events.md"}),
    "a daily note": (("append", "Daily/2026-11-25.md", "Introduced [[Hal Pike]] to [[Gil Ross]].\n"), set()),
    "an event": (("append", "events/2026-11-20 Data meetup.md", "Good talks.\n"), set()),
}


def edit(root: Path, how: tuple[str, ...]) -> None:
    if how[0] == "append":
        append(root, how[1], how[2])
    else:
        replace(root, *how[1:])


@pytest.mark.parametrize("case", sorted(EDITS))
def test_a_page_is_kept_while_what_it_reads_is_the_same(built, tmp_path, case):
    how, pages_left = EDITS[case]
    before = pages(built / "Overview")
    edit(built, how)
    if how[1].startswith("people/"):  # (no edit here touches a favour or a name)
        pages_left = {*pages_left, THANKS}
    assert kept(built) == {page: before[page] for page in pages_left}
    assert run_cli("build", vault=built, today=TODAY).exit_code == 0
    assert pages(built / "Overview") == cold(built, tmp_path)


def test_a_line_before_an_attendees_latest_since_the_event_keeps_events(built, tmp_path):
    """Whether a line came after an event is whether their latest did."""
    append(built, "people/Lev Hart.md", "- 2026-11-25 Call after the meetup.\n")
    assert run_cli("build", vault=built, today=TODAY).exit_code == 0
    before = pages(built / "Overview")
    append(built, "people/Lev Hart.md", "- 2026-11-22 Lunch.\n")
    assert kept(built) == {page: before[page] for page in {*BOTH, THANKS}}
    assert run_cli("build", vault=built, today=TODAY).exit_code == 0
    assert pages(built / "Overview") == cold(built, tmp_path)


def test_the_pages_change_where_matchmaking_reads_a_change(built, tmp_path):
    """The remade page differs from the last one (the cases above could not tell)."""
    before = (built / "Overview" / "Introductions.md").read_text(encoding="utf-8")
    edit(built, EDITS["a status"][0])  # Eli pauses: Dara and Eli are no pair any more
    assert run_cli("build", vault=built, today=TODAY).exit_code == 0
    after = (built / "Overview" / "Introductions.md").read_text(encoding="utf-8")
    assert "[[Eli Stone]]" in before and "[[Eli Stone]]" not in after


def test_a_vaults_own_template_makes_the_page_again(built, tmp_path):
    """A vault's Introductions.md.j2 may show anything of a person, not only what
    matchmaking reads: here how many log lines they have."""
    builtin = Path(__file__).resolve().parent.parent / "templates" / "Introductions.md.j2"
    own = builtin.read_text(encoding="utf-8").replace("{{ m.reason | one_line }}", "{{ m.reason | one_line }} ({{ m.a.interactions | length }} lines)")
    assert own != builtin.read_text(encoding="utf-8")
    (built / "templates").mkdir()
    (built / "templates" / "Introductions.md.j2").write_text(own, encoding="utf-8")
    assert run_cli("build", vault=built, today=TODAY).exit_code == 0
    edit(built, EDITS["a log line that says no role"][0])
    assert "Introductions.md" not in kept(built)
    assert run_cli("build", vault=built, today=TODAY).exit_code == 0
    assert "[[Ada Byron]] ↔ [[Ben Okri]]" in (built / "Overview" / "Introductions.md").read_text(encoding="utf-8")
    assert pages(built / "Overview") == cold(built, tmp_path)


def test_a_page_changed_by_hand_is_made_again(built, tmp_path):
    append(built, "Overview/Introductions.md", "my own line\n")
    edit(built, EDITS["a log line that says no role"][0])
    assert "Introductions.md" not in kept(built)
    assert run_cli("build", vault=built, today=TODAY).exit_code == 0
    assert pages(built / "Overview") == cold(built, tmp_path)


def displaced(root: Path) -> Path:
    """Where Cache.keep_displaced keeps the entries other commands replaced."""
    return Cache(load_settings(root)).folder / "displaced.msgpack"


@pytest.mark.parametrize("between", [[("due",)], [("show", "Ada Byron")], [("due",), ("due",)]])
def test_commands_between_the_edit_and_the_build_leave_what_the_build_read(built, tmp_path, between):
    """`vaultkit due` (or `show`) after an edit keeps that note's new record in the cache's
    segments, and the one the last build read aside (Cache.keep_displaced): the next build
    still compares the two."""
    before = pages(built / "Overview")
    edit(built, EDITS["a log line that says no role"][0])
    for command in between:
        assert run_cli(*command, vault=built, today=TODAY).exit_code == 0
    assert displaced(built).exists()
    assert kept(built) == {page: before[page] for page in {*BOTH, THANKS}}
    assert run_cli("build", vault=built, today=TODAY).exit_code == 0
    assert pages(built / "Overview") == cold(built, tmp_path)
    assert displaced(built).exists() is False  # (the build read them: forgotten)


def test_a_watch_session_between_the_edit_and_the_build_leaves_what_the_build_read(built, tmp_path):
    """`vaultkit watch` reads the vault at its start as `due` does (read/notes.read_records):
    it keeps the changed note's new record in the segments and the one the last build read
    aside, and writes its pages itself (the same Introductions.md and Events.md: nothing
    they read changed). The build after it still keeps them, and equals a cold build."""
    before = pages(built / "Overview")
    edit(built, EDITS["a log line that says no role"][0])
    process = start_process(built)
    read_until(process, "Built Overview/")
    process.send_signal(signal.SIGINT)
    assert process.communicate(timeout=20)[0].strip() == "Stopped watching."
    assert process.returncode == 0
    assert displaced(built).exists()
    assert pages(built / "Overview") != before  # the watcher wrote the log line's pages
    assert kept(built) == {page: before[page] for page in {*BOTH, THANKS}}
    assert run_cli("build", vault=built, today=TODAY).exit_code == 0
    assert pages(built / "Overview") == cold(built, tmp_path)
    assert displaced(built).exists() is False


def test_more_changed_notes_than_a_build_compares_are_not_kept_aside(tmp_path):
    """Past KEEP_MAX notes changed (an import, a checkout) a build compares nothing: due keeps
    nothing aside for it."""
    names = [f"Person {n:03d}" for n in range(KEEP_MAX + 1)]
    root = write_vault(tmp_path / "vault", {f"people/{name}.md": "---\ntags: [python]\n---\n" for name in names})
    assert run_cli("build", vault=root, today=TODAY).exit_code == 0
    for name in names:
        append(root, f"people/{name}.md", "- 2026-11-30 Coffee.\n")
    assert run_cli("due", vault=root, today=TODAY).exit_code == 0
    assert not displaced(root).exists()
    assert run_cli("build", vault=root, today=TODAY).exit_code == 0
    assert pages(root / "Overview") == cold(root, tmp_path)


def test_two_edits_with_due_between_compare_with_what_the_build_read(built, tmp_path):
    """The entry kept aside is the one the last build read, not the first edit's."""
    edit(built, EDITS["a recent line that says a role"][0])  # Introductions.md changes
    assert run_cli("due", vault=built, today=TODAY).exit_code == 0
    append(built, "people/Dara Quinn.md", "- 2026-11-30 Coffee.\n")  # this one alone would keep it
    assert run_cli("due", vault=built, today=TODAY).exit_code == 0
    assert "Introductions.md" not in kept(built)
    assert run_cli("build", vault=built, today=TODAY).exit_code == 0
    assert pages(built / "Overview") == cold(built, tmp_path)


def test_entries_kept_aside_before_a_build_are_not_taken_after_it(built, tmp_path):
    """A build that could not drop them (say, stopped after its manifest) leaves entries of
    an older build: they are not what the newer manifest read, and are not compared."""
    edit(built, EDITS["a recent line that says a role"][0])
    assert run_cli("due", vault=built, today=TODAY).exit_code == 0
    stale = displaced(built).read_bytes()
    assert run_cli("build", vault=built, today=TODAY).exit_code == 0
    assert not displaced(built).exists()
    displaced(built).write_bytes(stale)
    append(built, "people/Dara Quinn.md", "- 2026-11-30 Coffee.\n")
    assert run_cli("due", vault=built, today=TODAY).exit_code == 0
    assert kept(built) == {page: (built / "Overview" / page).read_text(encoding="utf-8") for page in {*BOTH, THANKS}}
    assert run_cli("build", vault=built, today=TODAY).exit_code == 0
    assert pages(built / "Overview") == cold(built, tmp_path)


def test_another_day_makes_the_page_again(built, tmp_path):
    edit(built, EDITS["a log line that says no role"][0])
    assert run_cli("build", vault=built, today="2026-12-02").exit_code == 0
    copy = tmp_path / "cold"
    shutil.copytree(built, copy, ignore=shutil.ignore_patterns(".vaultkit", "Overview"))
    assert run_cli("build", "--no-cache", vault=copy, today="2026-12-02").exit_code == 0
    assert pages(built / "Overview") == pages(copy / "Overview")
    assert "Wednesday 2 December 2026" in (built / "Overview" / "Introductions.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("page", sorted(KEEPABLE))
def test_a_keepable_pages_template_includes_no_other(page):
    """A vault's own template is looked for under the page's template name only: the built-in
    one must not include, import or extend another template a vault could override."""
    text = (Path(__file__).resolve().parent.parent / "templates" / KEEPABLE[page][0]).read_text(encoding="utf-8")
    assert not re.search(r"{%-?\s*(include|import|from|extends)\b", text)


# favours that leave three people owed thanks, and so three thank-you drafts
FAVOURS = {
    "people/Cleo Marsh.md": "- 2026-11-26 Introduced me to [[Dara Quinn]]. #intro\n",
    "people/Eli Stone.md": "- 2026-11-27 Sent a referral to [[Gilbert]] for the grant. #referral\n",  # no such note, yet
    "people/Hal Pike.md": "- 2026-11-24 Reviewed my deck. #help\n",
}
DRAFTS = {"Thank-you notes/Cleo Marsh.md", "Thank-you notes/Eli Stone.md", "Thank-you notes/Hal Pike.md"}


@pytest.fixture
def drafted(built: Path) -> Path:
    for rel, line in FAVOURS.items():
        append(built, rel, line)
    assert run_cli("build", vault=built, today=TODAY).exit_code == 0
    assert {p for p in pages(built / "Overview") if p.startswith("Thank-you notes/")} == DRAFTS
    return built


def kept_drafts(root: Path) -> set[str]:
    return {page for page in kept(root) if page.startswith("Thank-you notes/")}


def test_a_line_that_is_no_favour_keeps_the_thank_you_notes_and_every_draft(drafted, tmp_path):
    """Hal is owed thanks for the same favours after a coffee: his draft holds too, and who
    is owed thanks is not worked out again (KeptPages.all_drafts)."""
    append(drafted, "people/Hal Pike.md", "- 2026-11-30 Coffee. #coffee\n")
    assert kept_drafts(drafted) == DRAFTS
    assert THANKS in kept(drafted)
    assert run_cli("build", vault=drafted, today=TODAY).exit_code == 0
    assert pages(drafted / "Overview") == cold(drafted, tmp_path)


def test_a_new_favour_keeps_the_other_peoples_drafts(drafted, tmp_path):
    append(drafted, "people/Hal Pike.md", "- 2026-11-30 Lent me his projector. #help\n")
    assert kept_drafts(drafted) == DRAFTS - {"Thank-you notes/Hal Pike.md"}
    assert THANKS not in kept(drafted)
    assert run_cli("build", vault=drafted, today=TODAY).exit_code == 0
    assert pages(drafted / "Overview") == cold(drafted, tmp_path)
    assert "Lent me his projector." in (drafted / "Overview" / "Thank-you notes" / "Hal Pike.md").read_text(encoding="utf-8")


def test_a_thanked_line_for_a_favour_a_daily_note_gives_keeps_no_thanks(drafted, tmp_path):
    """Gil is owed thanks for a favour that only the daily note gives him. A #thanked line on
    his own note ends it, though his own record owed nothing before or after: what the page
    reads of him is his thanks and thanked lines, not what his own record owes."""
    append(drafted, "Daily/2026-11-25.md", "[[Gil Ross]] lent me his bike. #help\n")
    assert run_cli("build", vault=drafted, today=TODAY).exit_code == 0
    assert "[[Gil Ross]]" in (drafted / "Overview" / THANKS).read_text(encoding="utf-8")
    append(drafted, "people/Gil Ross.md", "- 2026-11-28 Sent him a card. #thanked\n")
    assert THANKS not in kept(drafted)
    assert run_cli("build", vault=drafted, today=TODAY).exit_code == 0
    assert pages(drafted / "Overview") == cold(drafted, tmp_path)
    assert "[[Gil Ross]]" not in (drafted / "Overview" / THANKS).read_text(encoding="utf-8")


def test_a_vaults_own_draft_template_makes_the_changed_persons_draft_again(drafted, tmp_path):
    """A vault's thank-you.md.j2 may show any field: the changed person's draft is made again."""
    templates = drafted / "templates"
    templates.mkdir()
    (templates / "thank-you.md.j2").write_text("# {{ person.name }} at {{ person.company }}\n", encoding="utf-8")
    assert run_cli("build", vault=drafted, today=TODAY).exit_code == 0
    replace(drafted, "people/Hal Pike.md", "tags: [ux]", "company: Pike & Sons\ntags: [ux]")  # (his lines move down one)
    assert THANKS in kept(drafted)
    assert kept_drafts(drafted) == DRAFTS - {"Thank-you notes/Hal Pike.md"}
    assert run_cli("build", vault=drafted, today=TODAY).exit_code == 0
    assert pages(drafted / "Overview") == cold(drafted, tmp_path)
    assert "Pike & Sons" in (drafted / "Overview" / "Thank-you notes" / "Hal Pike.md").read_text(encoding="utf-8")


def test_a_draft_changed_by_hand_while_every_draft_holds_is_made_again(drafted, tmp_path):
    draft = drafted / "Overview" / "Thank-you notes" / "Eli Stone.md"
    draft.write_text(draft.read_text(encoding="utf-8") + "My own words.\n", encoding="utf-8")
    append(drafted, "people/Hal Pike.md", "- 2026-11-30 Coffee. #coffee\n")
    assert kept_drafts(drafted) == DRAFTS - {"Thank-you notes/Eli Stone.md"}
    assert run_cli("build", vault=drafted, today=TODAY).exit_code == 0
    assert pages(drafted / "Overview") == cold(drafted, tmp_path)


def test_a_new_name_for_someone_a_draft_mentions_keeps_no_draft(drafted, tmp_path):
    """Cleo's draft names Dara, whose note says another name now: no draft is kept."""
    replace(drafted, "people/Dara Quinn.md", "tags: [founder, climate]", "name: Dara Q. Quinn\ntags: [founder, climate]")
    assert kept_drafts(drafted) == set()
    assert run_cli("build", vault=drafted, today=TODAY).exit_code == 0
    assert pages(drafted / "Overview") == cold(drafted, tmp_path)
    assert "the introduction to Dara Q. Quinn." in (drafted / "Overview" / "Thank-you notes" / "Cleo Marsh.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("how", ["alias", "file name"])
def test_other_names_for_someone_keep_no_draft(drafted, tmp_path, how):
    """Eli's draft names whom [[Gilbert]] means: nobody until Gil takes that alias, which keeps
    no draft; a new file name keeps no page at all (the build compares nothing when the
    notes' names differ)."""
    assert "for the referral to gilbert." in pages(drafted / "Overview")["Thank-you notes/Eli Stone.md"]
    if how == "alias":
        replace(drafted, "people/Gil Ross.md", "---\n", "---\naliases: [Gilbert]\n")
        assert kept_drafts(drafted) == set()
    else:
        (drafted / "people" / "Gil Ross.md").rename(drafted / "people" / "Gilbert.md")
    assert run_cli("build", vault=drafted, today=TODAY).exit_code == 0
    assert pages(drafted / "Overview") == cold(drafted, tmp_path)
    now = "Gil Ross" if how == "alias" else "Gilbert"
    assert f"for the referral to {now}." in pages(drafted / "Overview")["Thank-you notes/Eli Stone.md"]


def test_a_draft_changed_by_hand_is_made_again_and_a_thanked_persons_goes(drafted, tmp_path):
    draft = drafted / "Overview" / "Thank-you notes" / "Cleo Marsh.md"
    draft.write_text(draft.read_text(encoding="utf-8") + "My own words.\n", encoding="utf-8")
    assert run_cli("thank", "Hal Pike", vault=drafted, today=TODAY).exit_code == 0
    assert kept_drafts(drafted) == {"Thank-you notes/Eli Stone.md"}
    assert run_cli("build", vault=drafted, today=TODAY).exit_code == 0
    assert pages(drafted / "Overview") == cold(drafted, tmp_path)
    assert not (drafted / "Overview" / "Thank-you notes" / "Hal Pike.md").exists()


@pytest.mark.parametrize("line", ["- 2026-11-30 Coffee. #coffee\n", "- 2026-11-30 Lent me a tent. #gift\n"])
@pytest.mark.parametrize("which", ["A", "B"])
def test_twins_whose_drafts_have_one_name_are_made_again_when_either_changes(drafted, tmp_path, line, which):
    """Two people with one file name in two folders, both owed thanks, have one draft page
    (the second one made wins): one of them edited, it is made as a cold build makes it."""
    for folder, favour in (("A", "- 2026-11-21 Fixed my bike. #help\n"), ("B", "- 2026-11-22 Fed the cat. #help\n")):
        (drafted / "people" / folder).mkdir()
        (drafted / "people" / folder / "Sam Reed.md").write_text(f"---\ntags: [ux]\n---\n{favour}", encoding="utf-8")
    assert run_cli("build", vault=drafted, today=TODAY).exit_code in (0, 1)  # (the twins are a problem)
    append(drafted, f"people/{which}/Sam Reed.md", line)
    assert run_cli("build", vault=drafted, today=TODAY).exit_code in (0, 1)
    assert pages(drafted / "Overview") == cold(drafted, tmp_path, codes=(1,))  # (two people named Sam Reed)


@pytest.mark.parametrize("fork", [False, True])
def test_pages_made_with_kept_drafts_are_the_same(drafted, fork):
    """Kept drafts are taken where the child or this process makes the drafts."""
    index = load_vault(load_settings(drafted))
    today = date.fromisoformat(TODAY)
    made = build_pages(index, today, Renderer(index.settings), fork=False)
    drafts = {page: made[page] for page in sorted(DRAFTS)[:2]}
    for page_kept in (drafts, {**drafts, "Introductions.md": made["Introductions.md"]}):
        assert build_pages(index, today, Renderer(index.settings), fork=fork, kept=page_kept) == made


@pytest.mark.parametrize("fork", [False, True])
def test_pages_made_with_kept_pages_are_the_same(built, fork):
    """With Introductions.md kept, a child, when there is one, makes the thank-you notes and
    Events.md instead."""
    index = load_vault(load_settings(built))
    today = date.fromisoformat(TODAY)
    made = build_pages(index, today, Renderer(index.settings), fork=False)
    for page_kept in ({"Introductions.md"}, {"Events.md"}, BOTH):
        kept_pages = {page: made[page] for page in page_kept}
        assert build_pages(index, today, Renderer(index.settings), fork=fork, kept=kept_pages) == made
