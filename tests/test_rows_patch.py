"""The kept rows patched with the few people's notes that changed (rules/rows_patch.py) are
the rows made from the index of the notes as they are, byte for byte; a change the patch
cannot make is refused (None), and the command reads the vault."""

from __future__ import annotations

import random
import shutil
import time
from datetime import date

import pytest
from conftest import REPO, run_cli, write_vault

from vaultkit.commands.as_read import notes_changed, notes_read, read_all
from vaultkit.commands.reckoning import load_rows
from vaultkit.index.vault import load_vault
from vaultkit.read.cache import read_entries
from vaultkit.read.scan import scan
from vaultkit.rules import rows as derived
from vaultkit.rules.cards import Cards, rows_of
from vaultkit.rules.rows_patch import Spliced, patched
from vaultkit.settings import load_settings

TODAY = date(2026, 12, 7)


def _patch(settings, old, paths, before=None):
    """`old` patched with these notes read as they are now (`before`: a no one's note's
    record as it was, by path)."""
    entries = _read(settings, paths)
    return patched(old, {rel: entry[4] for rel, entry in entries.items()}, before)


def _kept(rows):
    """Rows as the cache gives them back: the payload decoded, the records read from bytes."""
    payload, records = derived.encode(rows)
    return derived.decode(rows.settings, payload, bytes(records))


def _append(path, text):
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _front(path, line):
    """A line added at the top of the note's front matter (a front matter made if it has none)."""
    text = path.read_text(encoding="utf-8")
    text = f"---\n{line}\n" + (text[4:] if text.startswith("---\n") else f"---\n{text}")
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def vault(generated, tmp_path):
    root = tmp_path / "vault"
    shutil.copytree(generated, root)
    return root


def test_patched_rows_are_the_rows_made_from_the_index(vault):
    """Edits a patch makes, one after the other, each patched onto the last rows: the same
    payload and records as rows made from nothing, and the same cards and sections."""
    settings = load_settings(vault)
    people = sorted((vault / "people").glob("*.md"))
    pick = random.Random(5)
    edits = [
        lambda p: _append(p, "\n- 2026-12-01 Coffee after the meetup. #python\n"),
        lambda p: _append(p, "\n- 2026-12-06 Call about the role, she is hiring a data engineer\n"),
        lambda p: _append(p, "\n- [ ] Send the slides 📅 2026-12-03\n"),
        lambda p: _append(p, "\n- 2025-01-02 An old lunch, written down late.\n"),
        lambda p: _front(p, "cadence: weekly"),
        lambda p: _front(p, "tags: [climber, rust]"),
        lambda p: _front(p, "status: paused"),
        lambda p: _front(p, "birthday: 1990-12-09"),
        lambda p: _front(p, "company: Ferrous Labs\nrole: Technical Recruiter"),
    ]
    rows = _kept(rows_of(load_vault(settings)))
    done = 0
    for round_ in range(3):
        for edit in edits:
            changed = pick.sample(people, 1 + round_)
            for path in changed:
                edit(path)
            made = _patch(settings, rows, [p.relative_to(vault).as_posix() for p in changed])
            index = load_vault(settings)
            cold = rows_of(index)
            if made is None:  # a note that says an introduction (#intro) or a twin's name
                assert any(_refused(index, p.relative_to(vault).as_posix()) for p in changed)
                rows = _kept(cold)
                continue
            assert derived.encode(made) == derived.encode(cold)
            for day in (TODAY, date(2027, 3, 1)):
                assert [list(map(_named, s)) for s in made.sections(day).values()] == [list(map(_named, s)) for s in cold.sections(day).values()]
            cards, want = Cards(made), Cards(cold)
            for path in changed:
                at = cards.find(path.stem.casefold())
                if at is not None:
                    assert cards.to_introduce(made.person(at), TODAY) == want.to_introduce(cold.person(at), TODAY)
            rows = _kept(made)
            done += 1
    assert done >= 20


def test_patched_rows_after_daily_and_meeting_notes_changed(vault):
    """Daily and meeting notes that link people (no one's notes: each person whose lines or
    tasks from them change gets a new merged record), edited one after the other, with
    people's notes now and then: the rows made from the index, byte for byte."""
    people = sorted(p for p in (vault / "people").glob("*.md"))
    names = [p.stem for p in people]
    pick = random.Random(8)
    (vault / "Daily").mkdir()
    (vault / "Meetings").mkdir()
    for n in range(12):
        a, b, c = pick.sample(names, 3)
        (vault / "Daily" / f"2026-11-{n + 10:02d}.md").write_text(
            f"# Day {n}\n\nLunch with [[{a}]] #lunch\nCall with [[{b}]] and [[{c}]]\n- [ ] Send [[{a}]] the notes 📅 2026-12-0{n % 9 + 1}\n",
            encoding="utf-8",
        )
        (vault / "Meetings" / f"Planning {n}.md").write_text(
            f'---\ndate: 2026-11-{n + 10:02d}\ntype: meeting\npeople: ["[[{b}]]", "[[{c}]]"]\n---\nNotes of the planning.\n',
            encoding="utf-8",
        )
    settings = load_settings(vault)
    notes = sorted(vault.glob("Daily/*.md")) + sorted(vault.glob("Meetings/*.md"))
    edits = [
        lambda p: _append(p, f"\nCoffee with [[{pick.choice(names)}]] #coffee\n"),
        lambda p: _append(p, f"\n- [ ] Ask [[{pick.choice(names)}]] about the talk 📅 2026-12-04\n"),
        lambda p: p.write_text(p.read_text(encoding="utf-8").replace("Lunch with", "Dinner with"), encoding="utf-8"),
        lambda p: p.write_text(p.read_text(encoding="utf-8").replace('people: ["', f'people: ["[[{pick.choice(names)}]]", "'), encoding="utf-8"),
        lambda p: p.write_text("\n".join(p.read_text(encoding="utf-8").split("\n")[:3]) + "\n", encoding="utf-8"),  # lines gone
        lambda p: _append(p, f"\nMet [[{pick.choice(names)}]] through a friend #intro\n"),  # refused: an introduction
        lambda p: _append(p, "\n- 2026-12-01 Coffee after the meetup.\n") if p.parent.name == "people" else _append(p, "\nNothing new.\n"),
    ]
    rows = _kept(rows_of(load_vault(settings)))
    done = refused = 0
    for round_ in range(4):
        for edit in edits:
            changed = pick.sample(notes, 1 + round_ % 2) + ([pick.choice(people)] if round_ >= 2 else [])
            rels = [p.relative_to(vault).as_posix() for p in changed]
            then = {rel: entry[4].item for rel, entry in _read(settings, rels).items()}
            for path in changed:
                edit(path)
            made = _patch(settings, rows, rels, then.get)
            cold = rows_of(load_vault(settings))
            if made is None:
                refused += 1
            else:
                assert derived.encode(made) == derived.encode(cold), rels
                for day in (TODAY, date(2026, 11, 20)):
                    assert [list(map(_named, s)) for s in made.sections(day).values()] == [list(map(_named, s)) for s in cold.sections(day).values()]
                done += 1
            rows = _kept(cold)
    assert done >= 10 and refused >= 3, (done, refused)  # (refused: #intro, a twin, a person's new link)


def _read(settings, rels):
    found = scan(settings)
    return read_entries(settings, [(rel, found.notes[rel], found.stats[rel]) for rel in rels], time.time_ns())


def _named(entry):
    person = getattr(entry, "person", None) or getattr(entry, "by", None)
    return (type(entry).__name__, person.path if person else entry.owner.path, str(entry))


def _refused(index, rel):
    """Whether the person of this note is one a patch leaves to the index."""
    person = next(p for p in index.people if p.path == rel)
    return sum(p.key == person.key for p in index.people) > 1 or any("intro" in line.tags for line in person.interactions)


@pytest.mark.parametrize(
    ("name", "edit"),
    [
        ("a new alias", lambda p: _front(p, "aliases: [Someone Else]")),
        ("another name", lambda p: _front(p, "name: Somebody New")),
        ("a link", lambda p: _append(p, "\n- 2026-12-01 Lunch with [[Somebody]]\n")),
        ("an introduction", lambda p: _append(p, "\n- 2026-12-01 Met them through a friend #intro\n")),
        ("introduced_by", lambda p: _front(p, "introduced_by: \"[[Nobody]]\"")),
        ("met", lambda p: p.write_text(p.read_text(encoding="utf-8").replace("met: 2022-06-09", "met: 2020-01-01"), encoding="utf-8")),
        ("no longer a person", lambda p: p.write_text("---\ntype: event\ndate: 2026-12-01\n---\n", encoding="utf-8")),
        ("broken", lambda p: p.write_text("---\nname: [unclosed\n---\n", encoding="utf-8")),
    ],
)
def test_a_change_a_patch_cannot_make_is_refused(tmp_path, name, edit):
    root = tmp_path / "vault"
    shutil.copytree(REPO / "example-vault", root, ignore=shutil.ignore_patterns("Overview", ".vaultkit"))
    settings = load_settings(root)
    rows = _kept(rows_of(load_vault(settings)))
    note = root / "people" / "Henrik Larsson.md"
    edit(note)
    assert _patch(settings, rows, ["people/Henrik Larsson.md"]) is None, name


def test_a_note_that_is_no_ones_or_was_not_there_is_refused(tmp_path):
    root = tmp_path / "vault"
    shutil.copytree(REPO / "example-vault", root, ignore=shutil.ignore_patterns("Overview", ".vaultkit"))
    settings = load_settings(root)
    rows = _kept(rows_of(load_vault(settings)))
    event = sorted(p.relative_to(root).as_posix() for p in (root / "events").glob("*.md"))[0]
    _append(root / event, "\n- 2026-12-01 Wrote the recap.\n")
    assert _patch(settings, rows, [event]) is None
    (root / "people" / "New Person.md").write_text("---\ncadence: monthly\n---\n", encoding="utf-8")
    assert _patch(settings, rows, ["people/New Person.md"]) is None


def test_the_changed_notes_are_those_with_another_stat_or_other_bytes(tmp_path):
    root = tmp_path / "vault"
    shutil.copytree(REPO / "example-vault", root, ignore=shutil.ignore_patterns("Overview", ".vaultkit"))
    settings = load_settings(root)
    found = scan(settings)
    entries, _ = read_all(settings, found, None, time.time_ns() + 10**12)  # everything read as racy
    notes, kinds, stats, racy = notes_read(found, entries)
    assert notes_changed(settings, scan(settings), notes, kinds, stats, racy) == []
    _append(root / "people" / "Henrik Larsson.md", "\n- 2026-12-01 Coffee.\n")
    _append(root / "people" / "Priya Raman.md", "\n- 2026-12-01 Coffee.\n")
    assert sorted(notes_changed(settings, scan(settings), notes, kinds, stats, racy)) == ["people/Henrik Larsson.md", "people/Priya Raman.md"]
    # a racy note with the same stat and other bytes counts too
    same = dict(racy, **{"people/Aiko Tanaka.md": b"0" * 16})
    assert "people/Aiko Tanaka.md" in notes_changed(settings, scan(settings), notes, kinds, stats, same)
    (root / "people" / "New Person.md").write_text("---\ncadence: monthly\n---\n", encoding="utf-8")
    assert notes_changed(settings, scan(settings), notes, kinds, stats, racy) is None  # another list of notes


def test_spliced_records_give_each_record_and_the_whole():
    old = b"aaabbbbccddddd"
    ends = [3, 7, 9, 14]
    spliced = Spliced(old, ends, {1: b"XY", 3: b"ZZZZZZZ"})
    assert len(spliced) == 3 + 2 + 2 + 7
    assert (spliced[0:3], spliced[3:5], spliced[5:7], spliced[7:14]) == (b"aaa", b"XY", b"cc", b"ZZZZZZZ")
    assert spliced[:] == spliced[0 : len(spliced)] == b"aaaXYccZZZZZZZ"
    with pytest.raises(ValueError):
        spliced[2:4]


def test_due_and_show_after_a_line_added_print_what_the_notes_say(tmp_path):
    """The CLI: after `log`-like edits to people's notes, `due` and `show` answer from the
    patched rows what they answer on a copy of the vault with no cache at all; the rows
    kept after are the rows made from the index."""
    root = tmp_path / "vault"
    shutil.copytree(REPO / "example-vault", root, ignore=shutil.ignore_patterns("Overview", ".vaultkit"))
    assert run_cli("build", vault=root, today="2026-12-07").exit_code == 0
    assert run_cli("due", vault=root, today="2026-12-07").exit_code == 0  # the rows kept
    settings = load_settings(root)
    for name, line in [("Henrik Larsson", "- 2026-12-05 Coffee in Stockholm. #climate"), ("Priya Raman", "- [ ] Send the deck 📅 2026-12-08")]:
        _append(root / "people" / f"{name}.md", f"\n{line}\n")
        loaded = load_rows(settings)
        assert (loaded.rows is not None, loaded.index, loaded.remake is not None) == (True, None, True)  # patched
        fresh = tmp_path / f"fresh-{name}"
        shutil.copytree(root, fresh, ignore=shutil.ignore_patterns("Overview", ".vaultkit"))
        for args in (("due",), ("due", "--all"), ("show", name), ("show", name, "--json")):
            got = run_cli(*args, vault=root, today="2026-12-07")
            want = run_cli(*args, vault=fresh, today="2026-12-07")
            assert (got.exit_code, got.output) == (want.exit_code, want.output), args
        kept = derived.decode(settings, *_kept_files(root))
        assert derived.encode(kept)[0] == derived.encode(rows_of(load_vault(settings)))[0]


def _kept_files(root):
    """The rows' payload and records as the cache keeps them."""
    from vaultkit.commands.reckoning import ROWS_FILE, _decoded
    from vaultkit.read.cache import Cache

    cache = Cache(load_settings(root), create=False)
    kept = _decoded(cache.read(ROWS_FILE))
    return bytes(kept[5]), (cache.folder / kept[4]).read_bytes()


def test_the_console_script_keeps_the_patched_rows_in_its_child(tmp_path):
    """Through the console script, as a user runs it: the child that keeps the patched rows
    reads the old records through the file the command had open (it closes every other
    descriptor), and the rows it keeps are the rows made from the index."""
    import subprocess
    import sys

    root = tmp_path / "vault"
    shutil.copytree(REPO / "example-vault", root, ignore=shutil.ignore_patterns("Overview", ".vaultkit"))
    assert run_cli("build", vault=root, today="2026-12-07").exit_code == 0
    assert run_cli("due", vault=root, today="2026-12-07").exit_code == 0  # the rows kept
    settings = load_settings(root)
    rows_file = root / ".vaultkit" / "cache" / "rows.msgpack"
    before = rows_file.stat().st_mtime_ns
    _append(root / "people" / "Henrik Larsson.md", "\n- 2026-12-05 Coffee in Stockholm. #climate\n")
    command = [sys.executable, "-m", "vaultkit", "due", "--vault", str(root), "--today", "2026-12-07"]
    first = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert (first.returncode, first.stderr) == (0, "")
    _wait_for(root, rows_file, before)
    loaded = load_rows(settings)
    assert loaded.rows is not None and loaded.remake is None  # read as kept
    assert derived.encode(loaded.rows) == derived.encode(rows_of(load_vault(settings)))
    second = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert (second.returncode, second.stdout, second.stderr) == (0, first.stdout, "")


def test_due_after_a_daily_note_changed_twice_reads_it_into_the_rows(tmp_path):
    """A daily note edited, then edited again: each time `due` and `show` patch the rows
    (the first patch put the note's new record into the build cache, which the second
    reads as the note was) and print what a copy without the cache prints."""
    root = tmp_path / "vault"
    shutil.copytree(REPO / "example-vault", root, ignore=shutil.ignore_patterns("Overview", ".vaultkit"))
    (root / "Daily").mkdir()
    daily = root / "Daily" / "2026-12-02.md"
    daily.write_text("# Wednesday\n\nLunch with [[Henrik Larsson]] #lunch\n", encoding="utf-8")
    assert run_cli("build", vault=root, today="2026-12-07").exit_code == 0
    assert run_cli("due", vault=root, today="2026-12-07").exit_code == 0  # the rows kept
    settings = load_settings(root)
    for n, line in enumerate(["Coffee with [[Priya Raman]] and [[Henrik Larsson]]", "Tea with [[Aiko Tanaka]]\n- [ ] Send [[Aiko Tanaka]] the deck 📅 2026-12-05"]):
        time.sleep(0.05)  # (past the racy window of the last read)
        _append(daily, f"{line}\n")
        loaded = load_rows(settings)
        assert (loaded.rows is not None, loaded.index) == (True, None), n  # patched
        fresh = tmp_path / f"fresh-{n}"
        shutil.copytree(root, fresh, ignore=shutil.ignore_patterns("Overview", ".vaultkit"))
        for args in (("due", "--all"), ("show", "Henrik Larsson"), ("show", "Aiko Tanaka", "--json")):
            got = run_cli(*args, vault=root, today="2026-12-07")
            want = run_cli(*args, vault=fresh, today="2026-12-07")
            assert (got.exit_code, got.output) == (want.exit_code, want.output), args
        kept = derived.decode(settings, *_kept_files(root))
        assert derived.encode(kept)[0] == derived.encode(rows_of(load_vault(settings)))[0]
    assert "Send [[Aiko Tanaka]] the deck" in run_cli("due", vault=root, today="2026-12-07").output


def _same_as_without_cache(root, tmp_path, commands):
    """Each command prints, from the vault with its cache, what it prints on a copy without."""
    fresh = tmp_path / "fresh"
    shutil.rmtree(fresh, ignore_errors=True)
    shutil.copytree(root, fresh, ignore=shutil.ignore_patterns("Overview", ".vaultkit"))
    for args in commands:
        got = run_cli(*args, vault=root, today="2026-12-07")
        want = run_cli(*args, vault=fresh, today="2026-12-07")
        assert (got.exit_code, got.output) == (want.exit_code, want.output), args


def _built(root, ok=(0,)):
    """`ok`: the exit codes the build may give (1: the vault has a problem, on purpose)."""
    assert run_cli("build", vault=root, today="2026-12-07").exit_code in ok
    assert run_cli("due", vault=root, today="2026-12-07").exit_code == 0  # the rows kept
    time.sleep(0.05)  # (past the racy window of the reads)
    return load_settings(root)


def test_a_meeting_note_that_gives_an_introducer_lines_is_not_patched(tmp_path):
    """An introduction is kept as the place of its #intro line among the introducer's lines:
    a note that gives them other lines would move it (found by a review: an IndexError)."""
    root = write_vault(tmp_path / "vault", {
        "people/Grace Hopper.md": "---\ncadence: weekly\n---\n## Log\n- 2026-11-25 Introduced to [[Kay]] #intro\n",
        "people/Kay.md": "---\ntags: [x]\n---\n",
        "meetings/Standup.md": '---\ndate: 2026-11-20\npeople: ["[[Grace Hopper]]"]\n---\n- 2026-11-05 Tea with [[Grace Hopper]]\n',
    })
    settings = _built(root)
    rows = _kept_rows(settings)
    _replace_text(root / "meetings" / "Standup.md", "- 2026-11-05 Tea with [[Grace Hopper]]\n", "")
    assert _patch(settings, rows, ["meetings/Standup.md"], {"meetings/Standup.md": _item_then(rows, root)}.get) is None
    _same_as_without_cache(root, tmp_path, [("due", "--all"), ("show", "Kay"), ("show", "Grace Hopper")])


def test_a_person_left_with_tasks_but_no_line_from_other_notes_is_not_patched(tmp_path):
    """Their own lines are then in the order the note's reader gave them (a line under a date
    heading after the dated items), which the merged record, sorted by day and line, lost."""
    root = write_vault(tmp_path / "vault", {
        "people/Dora.md": "---\ncadence: weekly\n---\n## Log\n### 2026-11-02\n- Met at the fair\n\n## Notes\n- 2026-11-02 Second thing\n",
        "Daily/2026-12-02.md": "Coffee with [[Dora]]\n- [ ] Send [[Dora]] the link 📅 2026-12-09\n",
    })
    _built(root)
    _replace_text(root / "Daily" / "2026-12-02.md", "Coffee with [[Dora]]\n", "")
    _same_as_without_cache(root, tmp_path, [("show", "Dora"), ("show", "Dora", "--json"), ("due", "--all")])
    assert load_rows(load_settings(root)).index is None  # (and the rows kept after are read)


def test_a_note_too_big_to_read_does_not_keep_the_rows_from_being_read(tmp_path):
    """A note past the size limit is kept without a digest (never read); its stat alone says
    it is the same, so the rows are still the notes' (found by a review: every command
    read the whole vault)."""
    from vaultkit.read.note import MAX_NOTE_BYTES

    root = tmp_path / "vault"
    shutil.copytree(REPO / "example-vault", root, ignore=shutil.ignore_patterns("Overview", ".vaultkit"))
    (root / "Dump.md").write_bytes(b"x" * (MAX_NOTE_BYTES + 1))
    settings = _built(root, ok=(1,))  # (the note is a problem: too big)
    loaded = load_rows(settings)
    assert (loaded.rows is not None, loaded.remake) == (True, None)


def test_the_child_keeps_the_rows_when_the_command_started_with_stdin_closed(tmp_path):
    """The records' file then opens as descriptor 0, which the child points at /dev/null:
    it is moved past the standard streams first (found by a review)."""
    import os
    import subprocess
    import sys

    root = tmp_path / "vault"
    shutil.copytree(REPO / "example-vault", root, ignore=shutil.ignore_patterns("Overview", ".vaultkit"))
    settings = _built(root)
    rows_file = root / ".vaultkit" / "cache" / "rows.msgpack"
    before = rows_file.stat().st_mtime_ns
    _append(root / "people" / "Henrik Larsson.md", "\n- 2026-12-05 Coffee in Stockholm.\n")
    command = [sys.executable, "-m", "vaultkit", "due", "--vault", str(root), "--today", "2026-12-07"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, preexec_fn=lambda: os.close(0))  # noqa: PLW1509
    assert (done.returncode, done.stderr) == (0, "")
    _wait_for(root, rows_file, before)
    loaded = load_rows(settings)
    assert loaded.rows is not None and loaded.remake is None
    assert derived.encode(loaded.rows) == derived.encode(rows_of(load_vault(settings)))


def _wait_for(root, rows_file, before):
    import fcntl

    deadline = time.monotonic() + 60
    while rows_file.stat().st_mtime_ns == before:
        assert time.monotonic() < deadline, "the child kept no rows"
        time.sleep(0.05)
    with open(root / ".vaultkit" / "cache" / "rows.lock", "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the child is done


def _kept_rows(settings):
    loaded = load_rows(settings)
    assert loaded.rows is not None
    return loaded.rows


def _item_then(rows, root):
    """The meeting note's record as it was, before the edit (read from the build cache)."""
    from vaultkit.read.cache import Cache, segment_of

    cache = Cache(load_settings(root), create=False)
    return cache.load_segment(segment_of("meetings/Standup.md"))["meetings/Standup.md"][4].item


def _replace_text(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
