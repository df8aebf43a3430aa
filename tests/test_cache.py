"""The build cache changes nothing in the output: every build writes what a build without it writes.

Each test builds a vault with the cache, in whatever state the test puts it, and
compares the output folder byte for byte with a build of a fresh copy of the same
notes with --no-cache. The example vault exercises every rule; a generated vault
(benchmarks/generate.py) adds size.
"""

from __future__ import annotations

import marshal
import os
import pickle
import shutil
import sys
import time
from dataclasses import fields
from datetime import date
from pathlib import Path

import pytest
from conftest import REPO, run_cli, same_values

from vaultkit.errors import Problem
from vaultkit.model import (
    Birthday,
    Cadence,
    Event,
    FollowUp,
    Interaction,
    Link,
    Mentions,
    Person,
    Record,
    Resource,
)
from vaultkit.read.cache import (
    CACHE_DIR,
    HEADER,
    SEGMENTS,
    Cache,
    Manifest,
    _pack,
    cache_key,
    segment_of,
    vault_key,
)
from vaultkit.read.codec import decode_segment, encode_segment
from vaultkit.read.records import read_record
from vaultkit.read.scan import pack_stats
from vaultkit.settings import load_settings

sys.path.insert(0, str(REPO / "benchmarks"))
from generate import generate  # noqa: E402

TODAY = "2026-12-01"


def files_under(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def build(root: Path, *args: str, today: str = TODAY) -> str:
    result = run_cli("build", *args, vault=root, today=today)
    assert result.exit_code in (0, 1), result.output
    return result.output


def cold_pages(root: Path, tmp_path: Path, today: str = TODAY) -> dict[str, bytes]:
    """The pages of a fresh copy of the notes, built without the cache."""
    fresh = tmp_path / f"fresh-{time.monotonic_ns()}"
    shutil.copytree(root, fresh, ignore=shutil.ignore_patterns(".vaultkit", "Overview"))
    build(fresh, "--no-cache", today=today)
    assert not (fresh / ".vaultkit").exists()
    return files_under(fresh / "Overview")


def same_as_cold(root: Path, tmp_path: Path, today: str = TODAY) -> str:
    output = build(root, today=today)
    assert files_under(root / "Overview") == cold_pages(root, tmp_path, today)
    return output


@pytest.fixture
def example(tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    shutil.copytree(REPO / "example-vault", root, ignore=shutil.ignore_patterns(".vaultkit", "Overview"))
    return root


def cache_files(root: Path) -> list[Path]:
    return sorted(p for p in (root / CACHE_DIR).iterdir() if p.is_file())


def test_cold_warm_and_no_cache_builds_write_the_same_pages(example, tmp_path):
    first = build(example)
    assert "0 unchanged" in first and cache_files(example)
    cold = files_under(example / "Overview")
    assert cold == cold_pages(example, tmp_path)
    again = build(example)
    assert "pages: 0 written," in again
    assert again.split(" (")[0] == first.split(" (")[0].replace(f"{len(cold)} written, 0 unchanged", f"0 written, {len(cold)} unchanged")
    assert files_under(example / "Overview") == cold
    shutil.rmtree(example / ".vaultkit")
    build(example)
    assert files_under(example / "Overview") == cold


def test_a_build_with_nothing_changed_reports_the_same_problems(vault, tmp_path):
    root = vault(
        {
            "people/Ada.md": "---\ncadence: sometimes\n---\n- 2026-11-01 Coffee with [[Nobody]].\n",
            "people/Broken.md": "---\ntags: [a, b\n---\n",
        }
    )
    first = run_cli("build", vault=root, today=TODAY)
    second = run_cli("build", vault=root, today=TODAY)
    assert first.exit_code == second.exit_code == 1
    lines = lambda out: [line for line in out.splitlines() if not line.startswith("Built")]  # noqa: E731
    assert lines(second.output) == lines(first.output) and len(lines(first.output)) == 3


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty", "other version", "flipped byte"])
def test_a_damaged_cache_is_rebuilt_not_trusted(example, tmp_path, damage):
    build(example)
    expected = files_under(example / "Overview")
    edit = example / "people" / "Aiko Tanaka.md"
    edit.write_text(edit.read_text(encoding="utf-8") + "- 2026-11-30 Call about the interviews. #mentoring\n", encoding="utf-8")
    other = cache_key(load_settings(example)).replace(b"'", b'"')  # as if written by another version
    for path in cache_files(example):
        data = path.read_bytes()
        if damage == "garbage":
            path.write_bytes(os.urandom(len(data)))
        elif damage == "truncated":
            path.write_bytes(data[: len(data) // 2])
        elif damage == "empty":
            path.write_bytes(b"")
        elif damage == "other version":  # a well-formed file that another vaultkit or settings wrote
            path.write_bytes(_pack(vault_key(example), other, data[HEADER + len(other) :]))
        elif data:  # (a lock file is empty)
            middle = len(data) // 2
            path.write_bytes(data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :])
    same_as_cold(example, tmp_path)
    assert files_under(example / "Overview") != expected  # the edit shows
    assert "pages: 0 written," in build(example)  # the cache was written again, whole


def test_a_planted_cache_cannot_run_code(example, tmp_path):
    settings = load_settings(example)
    marker = tmp_path / "pwned"

    class Exploit:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    pickled = pickle.dumps({"people/Ada.md": ("person", (1, 1, 1, 1), b"", False, Exploit())})
    code = compile(f"open({str(marker)!r}, 'w')", "planted", "exec")  # marshal can hold code: never run
    marshalled = marshal.dumps((("people/Ada.md", "person", (1, 1, 1, 1), b"", False, "person", 0, code, ()),))
    (example / CACHE_DIR).mkdir(parents=True)
    for number in range(SEGMENTS):
        payload = pickled if number % 2 else marshalled
        # signed as the cache signs: as if the attacker had the user's key; the formats alone refuse them
        (example / CACHE_DIR / f"records-{number:02d}.msgpack").write_bytes(Cache(settings).pack(payload))
    (example / CACHE_DIR / "manifest.pickle").write_bytes(Cache(settings).pack(pickle.dumps({"notes": Exploit()})))
    same_as_cold(example, tmp_path)
    assert not marker.exists()
    assert decode_segment(pickled) == {} and decode_segment(marshalled) == {}


def test_every_field_of_the_records_is_kept_by_the_segment_format():
    """A record with every field set (none at its default) comes back with each value equal and of
    the same type: a new field of a type msgspec cannot decode fails here (add it to FULL)."""
    for item in FULL:
        assert all(getattr(item, f.name) != f.default for f in fields(item)), f"{type(item).__name__}: a field of FULL is at its default"
        entry = ("person", (1, 2, 3, 4), b"", False, Record(item.path, "person", item, (Problem(item.path, 3, "bad", "warning", "yaml", 7),)))
        back = decode_segment(encode_segment({item.path: entry}))[item.path]
        assert back == entry
        same_values(back[4].item, item)
        assert list(vars(back[4].item))[: len(fields(item))] == [f.name for f in fields(item)]  # every field, in order


FULL = (
    Person(
        key="ada", name="Ada Lovelace", path="people/Ada.md", aliases=("Countess",), tags=("python",),
        company="Analytical Engines", role="Analyst", emails=("ada@example.com",), phone="+44 1",
        social=(("mastodon", "@ada"),), birthday=Birthday(12, 10, 1815), met=date(2020, 1, 2), how_met="PyCon",
        introduced_by="grace", cadence=Cadence(1, "m", "monthly"), interests=("poetry",), groups=("psf",),
        status="paused", snooze_until=date(2027, 1, 1), last_contact=date(2026, 11, 2), about="About her.",
        interactions=(Interaction(date(2026, 11, 2), "Coffee", ("intro",), ("grace",), 9, "Daily/x.md"),),
        followups=(FollowUp("call", date(2026, 12, 1), True, 10, ("grace",), "Daily/x.md"),),
        links=(Link("grace", "[[Grace]]", 9),), cadence_source="tag:psf",
    ),
    Event(
        key="party", name="Party", path="events/Party.md", when=date(2026, 12, 5), location="Here",
        invite=("python",), attendees=("ada",), followups=(FollowUp("cake", None, False, 4),), links=(Link("ada", "[[Ada|her]]", 3),),
    ),
    Resource(
        key="book", name="Book", path="resources/Book.md", url="https://example.com", kind="book", tags=("python",),
        added=date(2026, 1, 1), shared_with=("ada",), followups=(FollowUp("read", date(2026, 2, 1), False, 5),), links=(Link("ada", "[[Ada]]", 6),),
    ),
    Mentions(
        key="2026-11-02", name="2026-11-02", path="Daily/2026-11-02.md", when=date(2026, 11, 2), attendees=("ada",),
        attendees_key="people", attendees_line=2, attendees_names=("Ada",), interactions=(Interaction(date(2026, 11, 2), "Tea", (), ("ada",), 5),),
        followups=(FollowUp("write", None, False, 6, ("ada",)),),
    ),
)


def test_a_segment_gives_back_the_records_it_was_made_of(example):
    settings = load_settings(example)
    kinds = {"people": "person", "events": "event", "resources": "resource"}
    entries = {}
    for path in sorted(example.glob("*/*.md")):
        rel = path.relative_to(example).as_posix()
        entries[rel] = ("person", (1, 2, 3, 4), b"sums", False, read_record(settings, rel, kinds[rel.split("/")[0]]))
    entries["people/Broken.md"] = ("person", None, b"", True, Record("people/Broken.md", "person", None, (Problem("people/Broken.md", 2, "bad", code="yaml"),)))
    entries["events/Full.md"] = ("event", None, b"", True, Record("events/Full.md", "event", Event(
        key="full", name="Full", path="events/Full.md", when=date(2026, 12, 5),
        followups=(FollowUp("bring cake", date(2026, 12, 4), False, 7, ("ada",)), FollowUp("x", None, True, 8)),
        links=(Link("ada", "[[Ada]]", 3),)), ()))
    assert sum(1 for e in entries.values() if e[4].item is not None and getattr(e[4].item, "interactions", ())) > 5
    back = decode_segment(encode_segment(entries))
    assert back == entries
    for rel, entry in back.items():
        item = entry[4].item
        if item is not None:
            assert type(item) is type(entries[rel][4].item)
            for name in ("interactions", "followups", "links"):
                for row in getattr(item, name, ()):
                    assert type(row) in (Interaction, FollowUp, Link)
            if isinstance(item, Person):  # kept with the record, as computed from its fields
                assert vars(item)["other_keys"] == Person.other_keys.func(item)


def test_deleting_renaming_and_adding_notes_gives_the_pages_of_a_cold_build(example, tmp_path):
    build(example)
    people = example / "people"
    (people / "Grace Liu.md").unlink()
    (people / "Priya Raman.md").rename(people / "Priya Raman-Iyer.md")
    (people / "New Person.md").write_text("---\ncadence: monthly\ngroups: [PSF]\n---\n- 2026-10-01 Met. #help\n", encoding="utf-8")
    same_as_cold(example, tmp_path)
    (example / "resources" / "Sharing.md").write_text("---\ntags: [python]\n---\n", encoding="utf-8")
    same_as_cold(example, tmp_path)


def test_an_edit_that_keeps_size_and_mtime_is_still_seen(example, tmp_path):
    """Size and mtime can be put back (rsync -t, touch -r); ctime and the inode cannot."""
    build(example)
    time.sleep(2.1)  # past the racy window: from now on the cache trusts the stat alone
    with (example / "people" / "Zoë Brennan.md").open("a", encoding="utf-8") as handle:
        handle.write("- 2026-11-29 Lunch.\n")
    build(example)  # reads Zoë again, and saves the others as no longer racy
    note = example / "people" / "Aiko Tanaka.md"
    rel = "people/Aiko Tanaka.md"
    assert Cache(load_settings(example)).load_segment(segment_of(rel))[rel][3] is False
    before = note.stat()
    text = note.read_text(encoding="utf-8")
    changed = text.replace("biweekly", "yearly  ")  # same length in bytes
    assert len(changed.encode()) == len(text.encode()) and changed != text
    with note.open("r+", encoding="utf-8") as handle:  # in place: the same inode
        handle.write(changed)
    os.utime(note, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = note.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (before.st_size, before.st_mtime_ns, before.st_ino)
    output = same_as_cold(example, tmp_path)
    assert "pages: 0 written," not in output


def test_a_dangling_symlink_keeps_the_quick_paths_and_its_target_is_seen(example, tmp_path):
    """A note that is a link to nothing has no stat to follow: it is given the link's own,
    with a size no file has (read/scan._dangling), so a build with nothing changed is still
    answered from the manifest; a target that appears, and goes again, is read as it is."""
    from vaultkit.commands.build import build as build_report
    from vaultkit.read.scan import scan

    ghost = example / "people" / "Ghost Writer.md"
    os.symlink("../.attic/Ghost Writer.md", ghost)  # a hidden folder: the target is no note of its own
    settings = load_settings(example)
    link = os.lstat(ghost)
    assert scan(settings).stats["people/Ghost Writer.md"] == (-1, link.st_mtime_ns, link.st_ctime_ns, link.st_ino)
    assert "people/Ghost Writer.md: cannot read the file" in build(example)
    again = build_report(settings, date.fromisoformat(TODAY))
    assert again.index is None  # the manifest answered: nothing was read
    assert [str(p) for p in again.problems if "Ghost" in str(p)] == ["people/Ghost Writer.md: cannot read the file: No such file or directory"]

    def cold() -> dict[str, bytes]:
        fresh = tmp_path / f"fresh-{time.monotonic_ns()}"
        shutil.copytree(example, fresh, symlinks=True, ignore=shutil.ignore_patterns(".vaultkit", "Overview"))
        build(fresh, "--no-cache")
        return files_under(fresh / "Overview")

    (example / ".attic").mkdir()
    (example / ".attic" / "Ghost Writer.md").write_text("---\ncadence: monthly\n---\n- 2026-09-01 Coffee.\n", encoding="utf-8")
    assert scan(settings).stats["people/Ghost Writer.md"][0] > 0
    assert "Ghost Writer" not in build(example)  # read now: no problem
    assert files_under(example / "Overview") == cold()
    assert "[[Ghost Writer]]" in (example / "Overview" / "Reminders.md").read_text(encoding="utf-8")
    (example / ".attic" / "Ghost Writer.md").unlink()
    assert "people/Ghost Writer.md: cannot read the file" in build(example)
    assert files_under(example / "Overview") == cold()
    assert "[[Ghost Writer]]" not in (example / "Overview" / "Reminders.md").read_text(encoding="utf-8")


def test_changes_outside_the_notes_are_seen_too(example, tmp_path):
    build(example)
    overview = example / "Overview"
    (overview / "Reminders.md").unlink()  # a page the user deleted
    (overview / "Dashboard.md").write_text("edited by hand\n", encoding="utf-8")  # no marker: refused
    (overview / "Empty").mkdir()  # an empty folder: a build removes it
    same_as_cold_but_refused = build(example)
    assert "Dashboard.md" in same_as_cold_but_refused and not (overview / "Empty").exists()
    (overview / "Dashboard.md").unlink()
    same_as_cold(example, tmp_path)
    (example / "templates").mkdir()
    (example / "templates" / "group.md.j2").write_text("# {{ group.name }}: {{ group.members | length }}\n", encoding="utf-8")
    same_as_cold(example, tmp_path)
    (example / "people" / "notes.pdf").write_bytes(b"%PDF")  # another file's name is a link target
    same_as_cold(example, tmp_path)
    same_as_cold(example, tmp_path, today="2026-12-24")
    (example / "vaultkit.toml").write_text('default_cadence = "yearly"\n', encoding="utf-8")
    same_as_cold(example, tmp_path)


def test_a_generated_vault_through_a_day_of_edits(tmp_path):
    root = tmp_path / "vault"
    generate(300, root, seed=11)
    same_as_cold(root, tmp_path)
    people = sorted((root / "people").iterdir())
    with people[5].open("a", encoding="utf-8") as handle:
        handle.write("- 2026-12-01 Coffee; she introduced me to [[" + people[9].stem + "]]. #intro\n")
    people[17].write_text(people[17].read_text(encoding="utf-8").replace("---\n", "---\nstatus: paused\n", 1), encoding="utf-8")
    people[23].unlink()
    people[31].rename(people[31].with_name("Renamed Person.md"))
    same_as_cold(root, tmp_path)
    same_as_cold(root, tmp_path, today="2026-12-09")


def test_records_read_in_parallel_are_the_records_read_one_by_one(tmp_path):
    root = tmp_path / "vault"
    generate(2100, root, seed=3)  # above the size at which a cold build reads on every core
    build(root)
    settings = load_settings(root)
    cache = Cache(settings)
    entries = {rel: entry for n in range(SEGMENTS) for rel, entry in cache.load_segment(n).items()}
    notes = sorted(p.relative_to(root).as_posix() for folder in ("people", "events", "resources") for p in (root / folder).iterdir())
    assert sorted(entries) == notes
    kinds = {"people": "person", "events": "event", "resources": "resource"}
    for rel in notes:
        assert entries[rel][4] == read_record(settings, rel, kinds[rel.split("/")[0]])


def test_the_other_commands_read_through_the_cache_and_say_the_same(example, tmp_path):
    commands = [("check", "--format", "json"), ("due", "--json"), ("show", "Aiko Tanaka")]

    def outputs(root: Path) -> list[str]:
        return [run_cli(*command, vault=root, today=TODAY).output for command in commands]

    build(example)
    note = example / "people" / "Aiko Tanaka.md"
    note.write_text(note.read_text(encoding="utf-8") + "- 2026-11-30 Helped me with the slides. #help\n", encoding="utf-8")
    (example / "people" / "Grace Liu.md").unlink()
    first = outputs(example)  # reads the changed note, takes the others from the cache
    assert outputs(example) == first
    fresh = tmp_path / "fresh"
    shutil.copytree(example, fresh, ignore=shutil.ignore_patterns(".vaultkit", "Overview"))
    assert outputs(fresh) == first
    assert "Helped me with the slides" in first[2] and "Grace Liu" not in first[1]


def test_the_watcher_starts_from_the_cache_and_reads_what_changed_since(example, tmp_path):
    from dataclasses import replace

    from vaultkit.index.live import LiveVault
    from vaultkit.read.scan import scan

    build(example)
    settings = load_settings(example)
    # Proof that an unchanged note is taken from the cache, not read: its cached record is
    # swapped for another (a valid segment, written as the cache writes one) and comes back.
    cache = Cache(settings, create=False)
    ada = "people/Aiko Tanaka.md"
    entries = cache.load_segment(segment_of(ada))
    kind, stat, sums, racy, record = entries[ada]
    entries[ada] = (kind, stat, sums, racy, replace(record, item=replace(record.item, role="From the cache")))
    cache.save_segment(segment_of(ada), encode_segment(entries))
    # What changed since the build is read: an edit, a new note, a deleted one.
    with (example / "people" / "Grace Liu.md").open("a", encoding="utf-8") as handle:
        handle.write("- 2026-11-30 Coffee after the build.\n")
    (example / "people" / "New Person.md").write_text("---\ncadence: monthly\n---\n", encoding="utf-8")
    (example / "people" / "Priya Raman.md").unlink()

    live = LiveVault(settings)
    changes = live.load()

    assert live.records[ada].item.role == "From the cache"
    found = scan(settings)
    fresh = {rel: read_record(settings, rel, kind) for rel, kind in found.notes.items()}
    assert live.records.keys() == fresh.keys()
    assert {rel for rel in fresh if live.records[rel] != fresh[rel]} == {ada}
    assert live.records["people/Grace Liu.md"].item.interactions[-1].text == "Coffee after the build."
    assert sorted(changes.read) == sorted(fresh)


def test_a_first_build_tidies_what_an_older_cache_format_left_and_nothing_else(example, tmp_path):
    folder = example / CACHE_DIR
    folder.mkdir(parents=True)
    (folder / "records-07.pickle").write_bytes(b"a segment of format 1")
    (folder / "records-08.marshal").write_bytes(b"a segment of format 2")
    (folder / "manifest.pickle").write_bytes(b"a manifest of another version")
    (folder / ".tmp-abc123").write_bytes(b"left by a killed build")
    (folder / "my notes.txt").write_text("not the cache's", encoding="utf-8")
    same_as_cold(example, tmp_path)
    names = sorted(p.name for p in folder.iterdir())
    assert "records-07.pickle" not in names and "records-08.marshal" not in names and ".tmp-abc123" not in names
    assert "my notes.txt" in names and "manifest.pickle" in names
    assert all(n.endswith(".msgpack") for n in names if n.startswith("records-"))


# --- the cache is signed with a key kept outside the vault -------------------------------------


def forge(example: Path, signing: bytes) -> None:
    """Change Aiko's cached role and her last interaction, re-encoded as the cache encodes a
    segment, signed with `signing`: what someone with write access to the vault alone can do."""
    from dataclasses import replace

    settings = load_settings(example)
    cache = Cache(settings, create=False)
    rel = "people/Aiko Tanaka.md"
    entries = cache.load_segment(segment_of(rel))
    kind, stat, sums, racy, record = entries[rel]
    entries[rel] = (kind, stat, sums, racy, replace(record, item=replace(record.item, role="Forged role")))
    payload = encode_segment(entries)
    path = example / CACHE_DIR / f"records-{segment_of(rel):02d}.msgpack"
    path.write_bytes(_pack(signing, cache_key(settings), payload))
    manifest = example / CACHE_DIR / "manifest.pickle"  # and the manifest, so the fast path cannot answer
    manifest.unlink()


@pytest.mark.parametrize("signing", ["none", "crc-era", "another vault's"])
def test_an_edited_cache_cannot_change_the_pages(example, tmp_path, signing):
    build(example)
    other = tmp_path / "other vault"
    other.mkdir()
    keys = {"none": b"\0" * 32, "crc-era": cache_key(load_settings(example))[:32], "another vault's": vault_key(other)}
    forge(example, keys[signing])
    (example / "people" / "Aiko Tanaka.md").touch()  # not even a stat that matches is needed: read again
    output = same_as_cold(example, tmp_path)
    assert "Forged role" not in "".join(p.read_text() for p in (example / "Overview").rglob("*.md"))
    assert "pages: 0 written" in output


def test_a_cache_copied_from_another_vault_is_not_used(example, tmp_path):
    build(example)
    copy = tmp_path / "copy"
    shutil.copytree(example, copy)
    forged_role = "people/Aiko Tanaka.md"
    note = copy / forged_role
    note.write_text(note.read_text(encoding="utf-8").replace("---\n", "---\nrole: The copy's own\n", 1), encoding="utf-8")
    assert Cache(load_settings(copy)).load_segment(segment_of(forged_role)) == {}  # signed for the other vault
    same_as_cold(copy, tmp_path)


def test_without_a_place_for_the_key_a_build_reads_every_note(example, tmp_path, monkeypatch):
    (tmp_path / "a file").write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "a file"))  # its vaultkit/ folder cannot be made
    same_as_cold(example, tmp_path)
    assert not (example / CACHE_DIR).exists() or not any((example / CACHE_DIR).iterdir())


def test_the_key_is_the_users_alone(example, cache_home):
    build(example)
    key = cache_home / "vaultkit" / "cache-key"
    assert len(key.read_bytes()) == 32 and (key.stat().st_mode & 0o777) == 0o600
    assert not list(example.rglob("cache-key"))


def test_the_manifest_packs_stats_one_to_one_and_says_when_a_note_had_none():
    stats = [(120, 1_765_000_000_123_456_789, 1_765_000_000_123_456_790, 42), (0, -5, 7, (1 << 64) - 3)]
    packed = pack_stats(stats)
    assert len(packed) == 2 * 4 * 8 and packed != pack_stats([stats[0], (0, -5, 7, (1 << 64) - 4)])
    manifest = Manifest(["a.md", "b.md"], ["person", "note"], packed, {}, b"", {}, {})
    assert manifest.valid()
    assert [manifest.stat_of("a.md"), manifest.stat_of("b.md"), manifest.stat_of("c.md")] == [*stats, None]
    assert pack_stats([stats[0], None]) == b""  # then no build is taken as unchanged


def test_a_manifest_whose_stats_were_looked_up_is_saved_and_loaded_as_it_was(tmp_path):
    settings = load_settings(tmp_path)
    cache = Cache(settings)
    stat = (120, 1_765_000_000_123_456_789, 1_765_000_000_123_456_790, 42)
    manifest = Manifest(["a.md"], ["person"], pack_stats([stat]), {"a.md": b"digest"}, b"inputs", {}, {"pages": ()})
    assert manifest.stat_of("a.md") == stat  # (after a checkout, every note is checked so)
    cache.save_manifest(manifest)
    assert cache.manifest() == Manifest(["a.md"], ["person"], pack_stats([stat]), {"a.md": b"digest"}, b"inputs", {}, {"pages": ()})
