"""A build after a few people's notes changed makes its pages from the kept rows (commands/build_rows.py).

Each case edits the example vault after a build, builds again, and compares every page
with a cold build of the same notes; whether the build took the rows (no index: its
report has none) or read the vault is asserted too, since either gives the same pages.
"""

from __future__ import annotations

import shutil
import sys
from datetime import date
from pathlib import Path

import pytest
from conftest import REPO, run_cli, with_twins
from test_pages_kept import append, edit, pages, replace

from vaultkit.commands.build import build
from vaultkit.settings import load_settings

TODAY = "2026-12-07"


def built_again(root: Path) -> bool:
    """Build; True when the build made its pages from the rows (it has no index then)."""
    report = build(load_settings(root), date.fromisoformat(TODAY))
    return report.index is None


def problems(root: Path, use_cache: bool = True) -> list:
    """What `vaultkit build` reports (a build with nothing to do reports the last build's)."""
    return build(load_settings(root), date.fromisoformat(TODAY), use_cache=use_cache).problems


def cold(root: Path, tmp_path: Path) -> dict[str, str]:
    copy = tmp_path / "cold"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns(".vaultkit", "Overview"))
    assert run_cli("build", "--no-cache", vault=copy, today=TODAY).exit_code in (0, 1)
    return pages(copy / "Overview")


@pytest.fixture
def built(tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    shutil.copytree(REPO / "example-vault", root, ignore=shutil.ignore_patterns("Overview", ".vaultkit"))
    assert run_cli("build", vault=root, today=TODAY).exit_code == 0
    assert (root / ".vaultkit" / "cache" / "rows.msgpack").exists()  # kept by the build
    return root


KWAME = "people/Kwame Mensah.md"  # in a group, with a cadence, introduced by Priya
AIKO = "people/Aiko Tanaka.md"  # attended an event 23 days ago: Events.md lists her to follow up

# each edit of one person's note, and whether the rows make the pages after it
EDITS = {
    "a log line today": (("append", KWAME, "- 2026-12-07 Coffee: his interviews. #coffee\n"), True),
    "an old log line": (("append", KWAME, "- 2025-03-01 Coffee.\n"), True),
    "a follow-up": (("append", KWAME, "- [ ] Send him the job list 📅 2026-12-08\n"), True),
    "a cadence": (("replace", KWAME, "cadence: monthly", "cadence: weekly"), True),
    "no cadence": (("replace", KWAME, "cadence: monthly\n", ""), True),
    "a birthday": (("replace", KWAME, "met: 2026-11-10", "met: 2026-11-10\nbirthday: 1995-12-09"), True),
    "a met": (("replace", KWAME, "met: 2026-11-10", "met: 2025-11-10"), False),  # the day he was introduced
    "a last_contact": (("replace", KWAME, "met: 2026-11-10", "met: 2026-11-10\nlast_contact: 2026-12-01"), True),
    "words of the body": (("replace", KWAME, "strong on Airflow", "strong on Spark"), True),
    "a favour": (("append", KWAME, "- 2026-12-06 Reviewed my slides. #help\n"), False),  # Thank-you notes.md
    "a tag": (("replace", KWAME, "tags: [python, data, job-seeker]", "tags: [python, data]"), False),  # Introductions.md
    "a group": (("replace", KWAME, "groups: [London Python]", "groups: [London Python, PSF]"), False),
    "a status": (("replace", KWAME, "cadence: monthly", "cadence: monthly\nstatus: paused"), False),  # Events.md
    "a last_contact after today": (("replace", KWAME, "met: 2026-11-10", "met: 2026-11-10\nlast_contact: 2027-01-01"), False),
    "a line with a problem": (("append", KWAME, "- [ ] Call him 📅 2026-13-45\n"), False),
    "a link": (("append", KWAME, "- 2026-12-06 Lunch with [[Priya Raman]].\n"), False),
    "a line after an event they attended": (("append", AIKO, "- 2026-12-06 Mentoring session. #mentoring\n"), False),
}


@pytest.mark.parametrize("case", sorted(EDITS))
def test_the_pages_after_an_edit_are_a_cold_builds(built, tmp_path, case):
    how, from_rows = EDITS[case]
    before = pages(built / "Overview")
    edit(built, how)
    assert built_again(built) is from_rows
    after = pages(built / "Overview")
    assert after == cold(built, tmp_path)
    assert problems(built) == problems(tmp_path / "cold", use_cache=False)
    if from_rows and case != "words of the body":
        assert after != before  # (the edit shows on some page)


def test_the_changed_persons_pages_change_and_their_groups(built, tmp_path):
    before = pages(built / "Overview")
    append(built, KWAME, "- 2026-12-07 Coffee: his interviews. #coffee\n")
    assert built_again(built)
    after = pages(built / "Overview")
    assert after == cold(built, tmp_path)
    changed = {page for page in after if after[page] != before[page]}
    assert changed == {"Dashboard.md", "Groups/London Python.md", "Reminders.md", "Share.md"}
    assert "[[Kwame Mensah]] — active; last contact 2026-12-07; next check-in 2027-01-07" in after["Groups/London Python.md"]


def test_edits_one_after_another_take_the_rows_each_time(built, tmp_path):
    """The rows the build patched are kept for the next build (and the one after)."""
    for step, rel in enumerate(["people/Grace Liu.md", KWAME, "people/Grace Liu.md", "people/Henrik Larsson.md"]):
        append(built, rel, f"- 2026-12-0{step + 2} Call {step}.\n")
        assert built_again(built)
        assert pages(built / "Overview") == cold(built, tmp_path)
        shutil.rmtree(tmp_path / "cold")


def test_a_link_to_no_note_is_reported_where_it_is_now(built, tmp_path):
    """A key added to the front matter moves every line of the body down, and with them the
    warning about a link that points to no note."""
    append(built, KWAME, "- 2026-11-20 Met [[Nobody Known]] through him.\n")
    assert not built_again(built)  # (a new link)
    before = [str(p) for p in problems(built) if p.code == "link"]
    assert "people/Kwame Mensah.md:22: warning: link [[Nobody Known]] points to no note" in before
    replace(built, KWAME, "cadence: monthly", "cadence: monthly\nbirthday: 1995-12-09")
    assert built_again(built)
    after = [str(p) for p in problems(built) if p.code == "link"]
    assert "people/Kwame Mensah.md:23: warning: link [[Nobody Known]] points to no note" in after
    assert pages(built / "Overview") == cold(built, tmp_path)
    assert problems(built) == problems(tmp_path / "cold", use_cache=False)
    result = run_cli("build", vault=built, today=TODAY)  # nothing to do: the same report
    assert "people/Kwame Mensah.md:23: warning: link [[Nobody Known]]" in result.output


def test_two_people_changed_at_once(built, tmp_path):
    append(built, KWAME, "- 2026-12-06 Call.\n")
    append(built, "people/Henrik Larsson.md", "- 2026-12-06 Coffee at the harbour.\n")
    assert built_again(built)
    assert pages(built / "Overview") == cold(built, tmp_path)


def test_the_build_says_what_it_wrote(built):
    append(built, KWAME, "- 2026-12-07 Coffee. #coffee\n")
    result = run_cli("build", vault=built, today=TODAY)
    assert result.exit_code == 0
    counts = result.output.split("pages: ")[1].split(" (")[0]
    written, unchanged = (int(part.split()[0]) for part in counts.split(", "))
    assert written >= 3 and written + unchanged == len(pages(built / "Overview"))


@pytest.mark.parametrize("template", ["Dashboard.md.j2", "group.md.j2", "Share.md.j2", "Reminders.md.j2"])
def test_a_vaults_own_template_reads_the_vault(built, tmp_path, template):
    (built / "templates").mkdir()
    (built / "templates" / template).write_text("{{ today }} by hand\n", encoding="utf-8")
    assert run_cli("build", vault=built, today=TODAY).exit_code == 0
    append(built, KWAME, "- 2026-12-07 Call.\n")
    assert not built_again(built)
    assert pages(built / "Overview") == cold(built, tmp_path)


def test_a_page_changed_by_hand_reads_the_vault_and_is_made_again(built, tmp_path):
    page = built / "Overview" / "Events.md"  # a page the rows would leave as it is
    page.write_text(page.read_text(encoding="utf-8") + "My own words.\n", encoding="utf-8")
    append(built, KWAME, "- 2026-12-07 Call.\n")
    assert not built_again(built)
    assert pages(built / "Overview") == cold(built, tmp_path)


@pytest.mark.parametrize("damage", ["missing", "damaged", "records damaged"])
def test_rows_missing_or_damaged_read_the_vault(built, tmp_path, damage):
    cache = built / ".vaultkit" / "cache"
    if damage == "missing":
        (cache / "rows.msgpack").unlink()
    elif damage == "damaged":
        (cache / "rows.msgpack").write_bytes(b"not the rows")
    else:
        (records,) = cache.glob("people-*.bin")
        records.write_bytes(records.read_bytes().replace(b"Kwame Mensah", b"Kwame Mensai"))
    append(built, KWAME, "- 2026-12-07 Call.\n")
    assert built_again(built) is False
    assert pages(built / "Overview") == cold(built, tmp_path)
    append(built, KWAME, "- 2026-12-07 Another call.\n")
    assert built_again(built)  # the rows made again by the build that read the vault
    assert pages(built / "Overview") == cold(built, tmp_path / "again")


@pytest.mark.parametrize("command", [("due",), ("show", "Kwame Mensah")])
def test_rows_a_command_patched_after_the_edit_make_the_pages(built, tmp_path, command):
    """`due` after an edit patches the rows (and keeps what the build read of the note aside):
    the build takes them as they are."""
    append(built, KWAME, "- 2026-12-07 Call.\n")
    assert run_cli(*command, vault=built, today=TODAY).exit_code == 0
    rows_file = built / ".vaultkit" / "cache" / "rows.msgpack"
    kept = rows_file.read_bytes()
    assert built_again(built)
    assert rows_file.read_bytes() == kept  # (not made again)
    assert pages(built / "Overview") == cold(built, tmp_path)
    append(built, "people/Grace Liu.md", "- 2026-12-07 Call.\n")
    assert built_again(built)  # and the next build patches them
    assert pages(built / "Overview") == cold(built, tmp_path / "again")


def test_rows_a_command_made_after_an_edit_the_rows_cannot_take_read_the_vault(built, tmp_path):
    replace(built, KWAME, "tags: [python, data, job-seeker]", "tags: [python, data]")
    assert run_cli("due", vault=built, today=TODAY).exit_code == 0  # (the index, then the rows made again)
    assert built_again(built) is False  # (Introductions.md reads tags)
    assert pages(built / "Overview") == cold(built, tmp_path)


def test_two_edits_with_due_between_take_the_rows(built, tmp_path):
    append(built, KWAME, "- 2026-12-06 Call.\n")
    assert run_cli("due", vault=built, today=TODAY).exit_code == 0
    append(built, "people/Grace Liu.md", "- 2026-12-07 Call.\n")
    assert built_again(built)
    assert pages(built / "Overview") == cold(built, tmp_path)


def test_rows_older_than_the_last_build_are_patched_with_what_changed_since(built, tmp_path):
    """Rows kept before the last build (its own could not be kept) lack what changed since:
    they are patched with it too."""
    cache = built / ".vaultkit" / "cache"
    saved = tmp_path / "saved"
    saved.mkdir()
    for name in ("rows.msgpack", *(p.name for p in cache.glob("people-*.bin"))):
        shutil.copy2(cache / name, saved / name)
    append(built, KWAME, "- 2026-12-07 Coffee. #coffee\n")
    assert built_again(built)
    for old in saved.iterdir():
        shutil.copy2(old, cache / old.name)
    append(built, "people/Grace Liu.md", "- 2026-12-07 Call.\n")
    assert built_again(built)
    assert pages(built / "Overview") == cold(built, tmp_path)


def test_rows_older_than_a_daily_notes_change_read_the_vault(built, tmp_path):
    (built / "Daily").mkdir()
    (built / "Daily" / "2026-12-06.md").write_text("Coffee with [[Grace Liu]].\n", encoding="utf-8")
    assert run_cli("build", vault=built, today=TODAY).exit_code == 0
    cache = built / ".vaultkit" / "cache"
    saved = {p.name: p.read_bytes() for p in (cache / "rows.msgpack", *cache.glob("people-*.bin"))}
    append(built, "Daily/2026-12-06.md", "Lunch with [[Kwame Mensah]].\n")
    assert built_again(built) is False  # (a daily note)
    for name, data in saved.items():
        (cache / name).write_bytes(data)
    append(built, "people/Grace Liu.md", "- 2026-12-07 Call.\n")
    assert built_again(built) is False  # (the daily note as the rows were made from it is gone)
    assert pages(built / "Overview") == cold(built, tmp_path)


def test_a_daily_note_reads_the_vault(built, tmp_path):
    (built / "Daily").mkdir()
    (built / "Daily" / "2026-12-06.md").write_text("Coffee with [[Aiko Tanaka]].\n", encoding="utf-8")
    assert run_cli("build", vault=built, today=TODAY).exit_code == 0
    append(built, "Daily/2026-12-06.md", "Lunch with [[Priya Raman]].\n")
    assert built_again(built) is False
    assert pages(built / "Overview") == cold(built, tmp_path)


@pytest.mark.parametrize("command", [("due",), ("show", "Kwame Mensah"), ("log", "Kwame Mensah", "Coffee", "--date", "2026-12-01")])
def test_a_twin_edited_then_a_command_reads_the_vault(built, tmp_path, command):
    """Found by a review: a twin's edit that a command after it read the vault for (its rows
    made again, with the edit) was not checked as a patched one is, and the other twin's
    group page kept the key's old standing."""
    (built / "people" / "again").mkdir()
    (built / "people" / "again" / "Grace Liu.md").write_text(
        "---\ngroups: [Solo Group]\ncadence: monthly\n---\n## Log\n- 2026-06-01 Old call.\n", encoding="utf-8"
    )
    assert run_cli("build", vault=built, today=TODAY).exit_code == 1  # (two people named Grace Liu)
    append(built, "people/again/Grace Liu.md", "- 2026-12-06 Call.\n")
    assert run_cli(*command, vault=built, today=TODAY).exit_code in (0, 1)
    assert built_again(built) is False
    assert pages(built / "Overview") == cold(built, tmp_path)
    assert "[[Grace Liu]] — active; last contact 2026-12-06" in pages(built / "Overview")["Groups/Climate Tech Circle.md"]


def test_where_no_process_forks_a_build_leaves_the_rows_to_due(tmp_path, monkeypatch):
    """On macOS and Windows a build would have to wait for the rows: it leaves them to `due`,
    whose rows the next build takes (and keeps patched)."""
    from vaultkit.pages import forked

    monkeypatch.setattr(forked, "PLATFORM_FORKS", False)  # (the platform: macOS)
    root = tmp_path / "vault"
    shutil.copytree(REPO / "example-vault", root, ignore=shutil.ignore_patterns("Overview", ".vaultkit"))
    assert run_cli("build", vault=root, today=TODAY).exit_code == 0
    rows_file = root / ".vaultkit" / "cache" / "rows.msgpack"
    assert not rows_file.exists()
    append(root, KWAME, "- 2026-12-07 Call.\n")
    assert built_again(root) is False
    assert run_cli("due", vault=root, today=TODAY).exit_code == 0
    assert rows_file.exists()
    append(root, KWAME, "- 2026-12-07 Another call.\n")
    assert built_again(root)
    assert pages(root / "Overview") == cold(root, tmp_path)


def test_a_generated_network_with_twins(tmp_path):
    """Twins (two people of one key) read the vault when one of them changes; anyone else's
    edit takes the rows. Every page is a cold build's either way."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    from generate import generate

    root = tmp_path / "vault"
    generate(300, root, seed=5)
    with_twins(root)
    assert run_cli("build", vault=root, today="2026-12-01").exit_code in (0, 1)
    notes = sorted((root / "people").glob("*.md"))
    twin = notes[0]  # copied under people/again/ (with_twins)
    took = []
    for step, note in enumerate([notes[1], notes[7], twin, notes[2]]):
        append(root, note.relative_to(root).as_posix(), f"- 2026-11-30 Call {step}.\n")
        report = build(load_settings(root), date(2026, 12, 1))
        took.append(report.index is None)
        copy = tmp_path / f"cold-{step}"
        shutil.copytree(root, copy, ignore=shutil.ignore_patterns(".vaultkit", "Overview"))
        assert run_cli("build", "--no-cache", vault=copy, today="2026-12-01").exit_code in (0, 1)
        assert pages(root / "Overview") == pages(copy / "Overview")
    assert took[2] is False and took.count(True) >= 2
