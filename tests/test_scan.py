"""The scan gives each file the kind Places.kind_of gives it (what watch uses), folder by folder."""

from __future__ import annotations

import os

import pytest
from conftest import run_cli, write_vault

from vaultkit.read.scan import Places, scan
from vaultkit.settings import load_settings
from vaultkit.words import key_of


def test_scan_and_places_agree_on_every_file(tmp_path):
    root = write_vault(
        tmp_path / "vault",
        {
            "Team/People/Ada.md": "# Ada\n",
            "Team/People/People.md": "a folder note\n",  # not a person
            "Team/People/PEOPLE.MD": "the same, in capitals\n",
            "Team/People/Old/Grace.md": "# Grace\n",
            "Team/People/Old/Old.md": "the subfolder's own folder note\n",
            "Team/People/Archive/Linus.md": "excluded\n",
            "Team/People/photo.png": "",
            "team/people/Alan.md": "the same folder, another case\n",
            "events/Party.md": "---\ndate: 2026-12-05\n---\n",
            "EVENTS/Events.md": "a folder note of events: an event\n",
            "resources/Book.md": "---\nurl: https://example.com\n---\n",
            "Daily/2026-11-02.md": "- Lunch with [[Ada]]\n",
            "Daily/draft.md~": "a backup\n",
            "Daily/scratch.txt": "other\n",
            "Daily/private.md": "excluded, in a folder that is read\n",
            "notes/Straße.md": "a note whose name folds longer\n",
            "Note.md": "at the root\n",
        },
        settings='people_dir = "Team/People"\nexclude = ["Team/People/Archive/**", "Daily/*.txt", "*/private.md"]\n',
    )
    os.symlink("Ada.md", root / "Team/People/Ada again.md")  # a link to a note in the vault: read
    os.symlink(root / "events", root / "Team/People/Linked events")  # a linked folder: not walked
    settings = load_settings(root)
    found = scan(settings)
    assert found.notes["Team/People/Ada again.md"] == "person" and not any("Linked events" in rel for rel in found.notes)
    st = os.stat(root / "Team/People/Ada again.md")
    assert found.stats["Team/People/Ada again.md"] == (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)  # the note's, not the link's
    places = Places(settings)
    expected_notes, expected_others = {}, set()
    for folder, _, names in os.walk(root):
        for name in names:
            rel = os.path.relpath(os.path.join(folder, name), root).replace(os.sep, "/")
            kind = places.kind_of(rel)
            parts = rel.split("/")
            walked = not any(places.folder_skipped("/".join(parts[:depth])) for depth in range(1, len(parts)))
            if kind is None:
                if walked and places.excluded(rel) and name.lower().endswith(".md"):
                    expected_others.add(key_of(name))  # excluded, but a name links may point at
                continue
            if kind == "other":
                expected_others.add(name.casefold())
                continue
            expected_notes[rel] = kind
            if kind == "note":
                expected_others.add(key_of(name))
    assert found.notes == expected_notes
    assert found.notes["Team/People/Ada.md"] == found.notes["team/people/Alan.md"] == "person"
    assert found.notes["Team/People/People.md"] == found.notes["Team/People/PEOPLE.MD"] == found.notes["Team/People/Old/Old.md"] == "note"
    assert found.notes["EVENTS/Events.md"] == "event" and "Team/People/Archive/Linus.md" not in found.notes
    assert "private" in found.other_names and "Daily/private.md" not in found.notes
    assert found.other_names == expected_others
    assert found.stats.keys() == found.notes.keys()


def test_a_name_that_is_not_utf8_is_reported_and_the_rest_of_the_vault_builds(tmp_path):
    """A file or folder whose name's bytes are not UTF-8 (from an old archive, another system's
    disk) was an internal error for every command; it is left out, named as a terminal shows it."""
    root = write_vault(tmp_path / "vault", {"people/Ada.md": "---\ncadence: monthly\n---\n- 2026-10-01 Coffee.\n"})
    people = os.fsencode(root / "people")
    try:
        with open(os.path.join(people, b"Bad\xffName.md"), "wb") as note:
            note.write(b"---\ncadence: weekly\n---\n")
        os.makedirs(os.path.join(people, b"Old\xe9"))
        with open(os.path.join(people, b"Old\xe9", b"Grace.md"), "wb") as note:
            note.write(b"# Grace\n")
    except OSError:  # a file system that takes UTF-8 names only (macOS's)
        pytest.skip("this file system refuses names that are not UTF-8")
    settings = load_settings(root)
    found = scan(settings)
    assert sorted(found.notes) == ["people/Ada.md"]
    places = Places(settings)  # (what the watcher asks of a file it is told of)
    assert [places.kind_of(os.fsdecode(rel)) for rel in (b"people/Bad\xffName.md", b"people/Old\xe9/Grace.md")] == [None, None]
    assert sorted((p.path, p.code) for p in found.problems) == [("people/Bad\ufffdName.md", "encoding"), ("people/Old\ufffd", "encoding")]
    built = run_cli("build", vault=root, today="2026-12-01")
    assert built.exit_code == 1  # a note had a problem; the pages are written from the others
    assert "people/Bad\ufffdName.md: its name is not UTF-8 text; left out (and what is in it, for a folder): rename it\n" in built.output
    assert "Built Overview/ from 1 person" in built.output
    due = run_cli("due", vault=root, today="2026-12-01")
    assert due.exit_code == 0 and "- Ada — monthly, last contact 2026-10-01" in due.output
