"""Pages are written only into the output folder, only over vaultkit's own, only when changed."""

from __future__ import annotations

import os

from conftest import run_cli, write_vault

from vaultkit.pages.render import MARKER

ADA = "---\ncadence: monthly\ngroups: [PSF]\n---\n## Log\n- 2026-10-01 Coffee. #help\n"


def snapshot(folder):
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_second_build_changes_nothing_not_even_mtimes(vault):
    root = vault({"people/Ada.md": ADA})
    assert run_cli("build", vault=root, today="2026-12-01").exit_code == 0
    before = snapshot(root)
    result = run_cli("build", vault=root, today="2026-12-01")
    assert result.exit_code == 0
    assert "8 pages: 0 written, 8 unchanged" in result.output
    assert snapshot(root) == before


def test_every_page_starts_with_the_marker_and_has_no_checkbox_or_dated_line(vault):
    root = vault(
        {
            "people/Ada.md": ADA + "\n## Follow-ups\n- [ ] 2026-11-30 starts with a date 📅 2026-11-30\n",
            "events/2026-11-20 Meetup.md": '---\nattendees: ["[[Ada]]"]\n---\n',
        }
    )
    run_cli("build", vault=root, today="2026-12-01")
    pages = sorted((root / "Overview").rglob("*.md"))
    assert len(pages) == 8
    for page in pages:
        lines = page.read_text(encoding="utf-8").split("\n")
        assert lines[0] == MARKER
        for line in lines:
            stripped = line.lstrip("-*+ >")
            assert "[ ]" not in line and "[x]" not in line, (page, line)
            assert not stripped[:4].isdigit(), (page, line)


def test_a_hand_written_page_is_refused_named_and_left_alone(vault):
    root = vault({"people/Ada.md": ADA, "Overview/Reminders.md": "my own notes\n", "Overview/Mine.md": "keep\n"})
    result = run_cli("build", vault=root, today="2026-12-01")
    assert result.exit_code == 1
    assert (
        "Overview/Reminders.md:1: not written by vaultkit (no marker line); left as it is — "
        "move it away to let vaultkit write this page" in result.output
    )
    assert (root / "Overview/Reminders.md").read_text() == "my own notes\n"
    assert (root / "Overview/Mine.md").read_text() == "keep\n"
    assert (root / "Overview/Dashboard.md").read_text().startswith(MARKER)


def test_stale_pages_of_our_own_are_deleted_others_kept(vault):
    root = vault({"people/Ada.md": ADA})
    run_cli("build", vault=root, today="2026-12-01")
    draft = root / "Overview/Thank-you notes/Ada.md"
    assert draft.exists()
    (root / "Overview/Thank-you notes/mine.md").write_text("a note of my own\n")
    with (root / "people/Ada.md").open("a") as handle:
        handle.write("- 2026-10-02 Sent a card. #thanked\n")
    result = run_cli("build", vault=root, today="2026-12-01")
    assert result.exit_code == 0
    assert "1 deleted" in result.output
    assert not draft.exists()
    assert (root / "Overview/Thank-you notes/mine.md").read_text() == "a note of my own\n"


def test_a_group_folder_that_empties_is_removed(vault):
    root = vault({"people/Ada.md": ADA})
    run_cli("build", vault=root, today="2026-12-01")
    assert (root / "Overview/Groups/PSF.md").exists()
    (root / "people/Ada.md").write_text(ADA.replace("groups: [PSF]\n", ""))
    run_cli("build", vault=root, today="2026-12-01")
    assert not (root / "Overview/Groups").exists()


def test_output_is_deterministic_across_vaults(tmp_path):
    from conftest import write_vault

    files = {f"people/P{n}.md": f"---\ncadence: weekly\ntags: [t{n % 3}]\ngroups: [G{n % 2}]\n---\n- 2026-11-{n:02} x\n" for n in range(1, 20)}
    a = write_vault(tmp_path / "a", files)
    b = write_vault(tmp_path / "b", dict(reversed(list(files.items()))))
    run_cli("build", vault=a, today="2026-12-01")
    run_cli("build", vault=b, today="2026-12-01")
    assert {k: v[0] for k, v in snapshot(a / "Overview").items()} == {k: v[0] for k, v in snapshot(b / "Overview").items()}


def test_no_temporary_file_is_left_and_pages_keep_umask_permissions(vault):
    root = vault({"people/Ada.md": ADA})
    run_cli("build", vault=root, today="2026-12-01")
    names = [p.name for p in (root / "Overview").rglob("*")]
    assert not [n for n in names if n.startswith(".vaultkit-tmp")]
    mode = (root / "Overview/Reminders.md").stat().st_mode & 0o777
    mask = os.umask(0)
    os.umask(mask)
    assert mode == 0o666 & ~mask


def test_the_output_folder_is_never_read_as_notes(vault):
    root = vault(
        {
            "people/Ada.md": ADA,
            "vaultkit.toml": 'people_dir = "."\noutput_dir = "Overview"\n',
        }
    )
    result = run_cli("build", vault=root, today="2026-12-01")
    assert "must not be the vault root" not in result.output
    # people_dir "." would contain the output folder: refused before anything is written
    assert result.exit_code == 1
    assert "output_dir: 'Overview' overlaps people_dir '.'" in result.output
    assert not (root / "Overview").exists()


def test_an_empty_page_left_by_a_power_cut_is_rewritten_but_an_empty_file_elsewhere_stays(vault):
    root = vault({"people/Ada.md": ADA, "Overview/Reminders.md": "", "Overview/Empty.md": ""})
    result = run_cli("build", vault=root, today="2026-12-01")
    assert result.exit_code == 0, result.output
    assert (root / "Overview/Reminders.md").read_text(encoding="utf-8").startswith(MARKER + "\n# Reminders")
    assert (root / "Overview/Empty.md").read_bytes() == b""  # not a page of ours: never deleted


def test_a_leftover_temporary_file_with_our_name_is_left_for_pruning_and_the_page_still_written(tmp_path):
    from vaultkit.write import TEMP_PREFIX, atomic_write_all

    leftover = tmp_path / f"{TEMP_PREFIX}{os.getpid()}-0.tmp"  # what a killed build with our pid left
    leftover.write_bytes(b"half a page")
    errors = atomic_write_all([(tmp_path / "Reminders.md", b"new page\n"), (tmp_path / "sub" / "Share.md", b"share\n")])
    assert errors == [None, None]
    assert (tmp_path / "Reminders.md").read_bytes() == b"new page\n"
    assert (tmp_path / "sub" / "Share.md").read_bytes() == b"share\n"
    assert leftover.read_bytes() == b"half a page"
    assert sorted(p.name for p in tmp_path.rglob("*")) == sorted(
        [leftover.name, "Reminders.md", "sub", "Share.md"]
    )
    assert oct((tmp_path / "Reminders.md").stat().st_mode & 0o777) == oct(0o666 & ~_umask())


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_a_page_edited_to_the_same_size_and_mtime_is_still_written_again(vault, tmp_path):
    """A build trusts a page it wrote by its stat and digest, unread; an edit that keeps the
    size and sets the modification time back (`touch -r`) still changes its change time."""
    import time

    root = vault({"people/Ada.md": ADA, "people/Grace.md": "---\ncadence: yearly\n---\n"})
    assert run_cli("build", vault=root, today="2026-12-01").exit_code == 0
    page = root / "Overview" / "Dashboard.md"
    good = page.read_bytes()
    time.sleep(0.05)  # past the racy window: the build trusts the page by its stat
    before = page.stat()
    edited = good.replace(b"Dashboard", b"Dashbxard", 1)
    assert len(edited) == len(good) and edited != good
    page.write_bytes(edited)
    os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))
    (root / "people" / "Grace.md").write_text("---\ncadence: yearly\n---\n## Log\n- 2026-11-30 Call.\n", encoding="utf-8")
    result = run_cli("build", vault=root, today="2026-12-01")
    assert result.exit_code == 0, result.output
    fresh = write_vault(tmp_path / "fresh", {"people/Ada.md": ADA, "people/Grace.md": (root / "people" / "Grace.md").read_text()})
    assert run_cli("build", "--no-cache", vault=fresh, today="2026-12-01").exit_code == 0
    assert page.read_bytes() == (fresh / "Overview" / "Dashboard.md").read_bytes() != good
