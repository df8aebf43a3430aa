"""The reader on notes written by other projects, copied into tests/data/real with their provenance."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import REAL

from vaultkit.model import Birthday
from vaultkit.read.note import read_note
from vaultkit.read.records import person_from_note

OBSIDIAN = REAL / "obsidian"


def person(path: Path):
    note = read_note(path, f"people/{path.name}")
    assert note.readable, note.problems
    return person_from_note(note)


def test_a_people_note_from_obsidian_people_reads_with_its_own_key_names():
    carlo, problems = person(OBSIDIAN / "czottmann-obsidian-people/People/Carlo Zottmann.md")
    assert problems == []
    assert carlo.name == "Carlo Zottmann"
    assert carlo.company == "ActionsDotWork."
    assert carlo.emails == ("carlo@zottmann.dev",)
    assert carlo.phone == "+491234567890"
    assert carlo.birthday == Birthday(1, 1, 1974)
    assert carlo.tags == ("person", "creator", "indiedev")
    assert carlo.interactions == () and carlo.followups == ()  # the dataviewjs block is code


def test_empty_properties_are_no_values():
    jane, problems = person(OBSIDIAN / "czottmann-obsidian-people/People/Jane Doe.md")
    assert problems == []
    assert (jane.company, jane.birthday, jane.emails) == ("", None, ("jane.doe@example.com",))


def test_kepano_reference_note_with_list_org_and_embeds():
    steph, problems = person(OBSIDIAN / "kepano-obsidian/References/Steph Ango.md")
    assert problems == []
    assert steph.company == "Obsidian"  # a company given as a link reads as its text
    assert [link.target for link in steph.links] == ["clippings.base", "meetings.base"]


def test_tasks_plugin_formats_give_due_dates_and_clean_text():
    tasks = OBSIDIAN / "obsidian-tasks/Tasks-Demo"
    emoji, _ = person(tasks / "Formats/Tasks Format.md")
    dataview, _ = person(tasks / "Formats/Dataview Format.md")
    expected_start = [
        ("#task Has a created date", None, False),
        ("#task Has a scheduled date", None, False),
        ("#task Has a start date", None, False),
        ("#task Has a due date", date(2023, 4, 16), False),
        ("#task Has a done date", None, True),
        ("#task Has a cancelled date", None, True),
        ("#task Lowest priority", None, False),
    ]
    for p in (emoji, dataview):
        assert [(f.text, f.due, f.done) for f in p.followups][:7] == expected_start, p.path
    # both syntaxes give the same tasks; the Dataview file has two more at its end
    assert [f.text for f in emoji.followups] == [f.text for f in dataview.followups][:-2]
    assert [(f.text, f.due, f.done) for f in dataview.followups][-2:] == [
        ("#task Has one of every field except done", date(2023, 4, 27), False),
        ("#task Has one of every except recurring", date(2023, 4, 26), True),
    ]
    assert "#task do this after first and some other task" in [f.text for f in emoji.followups]


def test_aliases_written_on_one_line_are_split_on_commas():
    p, problems = person(OBSIDIAN / "obsidian-tasks/Tasks-Demo/Test Data/yaml_aliases_with_two_values_on_one_line.md")
    assert problems == []
    assert p.aliases == ("value-1-of-2-on-one-line", "value-2-of-2-on-one-line")


def test_every_list_marker_and_a_zero_width_indent_make_tasks():
    data = OBSIDIAN / "obsidian-tasks/Tasks-Demo/Test Data"
    mixed, _ = person(data / "mixed_list_markers.md")
    assert [f.text for f in mixed.followups] == [
        "hyphen",
        "asterisk",
        "plus",
        "numbered task with dot",
        "numbered task with parenthesis",
    ]
    zero, _ = person(data / "zero_width.md")
    assert len(zero.followups) == 2


@pytest.mark.parametrize("path", sorted(p for p in OBSIDIAN.rglob("*.md")))
def test_every_real_note_reads_without_an_exception(path):
    note = read_note(path, path.name)
    if note.readable:
        person_from_note(note)


def test_every_real_file_named_in_the_provenance_is_in_the_repository():
    """A fresh clone tests alone: each file PROVENANCE.md names is here, and nothing unnamed."""
    import re

    named = set(re.findall(r"^### `([^`]+)`$", (REAL / "PROVENANCE.md").read_text(encoding="utf-8"), re.M))
    present = {p.relative_to(REAL).as_posix() for p in REAL.rglob("*") if p.is_file()} - {"PROVENANCE.md"}
    assert len(named) >= 30
    assert present == named
