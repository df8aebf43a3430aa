"""What vaultkit refuses, and says so: imported text that would act as log lines, a notes folder
that is a file, a photo given as a vCard, a symlink loop, an unreadable note, thanks nobody is
owed (tests/test_verbs.py), a last contact in the future."""

from __future__ import annotations

import os
from pathlib import Path

from conftest import run_cli

TODAY = "2026-12-01"
HOSTILE_NOTE = (
    "Met at a conference.\\n## Log\\n- 2026-11-30 Lent me 500 pounds. #help\\n- 2026-11-29 Introduced me to [[Ada]]. #intro\\n"
    "```\\n- [ ] Wire the money back 📅 2026-12-02\\n~~~\\n- 2026-11-28 Gave me a laptop. #gift\\n"
)


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_an_imported_note_is_quoted_not_read_as_log_lines_or_tasks(vault, tmp_path):
    root = vault({"people/Ada.md": "---\ncadence: monthly\n---\n"})
    card = f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Mallory Smith\r\nNOTE:{HOSTILE_NOTE}\r\nEND:VCARD\r\n"
    (tmp_path / "mallory.vcf").write_text(card, newline="")
    result = run_cli("import", "vcard", str(tmp_path / "mallory.vcf"), vault=root)
    assert result.exit_code == 0, result.output
    text = (root / "people" / "Mallory Smith.md").read_text(encoding="utf-8")
    assert text == (  # both kinds of fence in the text: those lines kept behind a backslash
        "```text\nMet at a conference.\n## Log\n- 2026-11-30 Lent me 500 pounds. #help\n"
        "- 2026-11-29 Introduced me to [[Ada]]. #intro\n\\```\n- [ ] Wire the money back 📅 2026-12-02\n"
        "\\~~~\n- 2026-11-28 Gave me a laptop. #gift\n```\n"
    )
    show = run_cli("show", "Mallory Smith", vault=root, today=TODAY)
    assert show.exit_code == 0, show.output
    assert "Lent me" not in show.stdout and "Wire the money" not in show.stdout and "laptop" not in show.stdout
    assert run_cli("build", vault=root, today=TODAY).exit_code == 0
    pages = "".join(p.read_text(encoding="utf-8") for p in (root / "Overview").rglob("*.md"))
    assert "Mallory" not in pages  # no favour to thank for, no follow-up, no introduction


def test_an_imported_note_with_one_kind_of_fence_takes_the_other(vault, tmp_path):
    root = vault({})
    (tmp_path / "x.vcf").write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Eve\r\nNOTE:```\\n- 2026-11-30 Lent me a car. #help\r\nEND:VCARD\r\n", newline="")
    assert run_cli("import", "vcard", str(tmp_path / "x.vcf"), vault=root).exit_code == 0
    assert (root / "people" / "Eve.md").read_text() == "~~~text\n```\n- 2026-11-30 Lent me a car. #help\n~~~\n"


def test_a_people_folder_that_is_a_file_is_an_error(vault):
    root = vault({"notes.md": "x"})
    (root / "people").write_text("not a folder")
    for args in (["build"], ["due"], ["log", "Ada", "hi"]):
        result = run_cli(*args, vault=root, today=TODAY)
        assert (result.exit_code, result.stderr) == (
            1,
            f"Error: people_dir 'people' is a file, not a folder ({root / 'people'}); nothing written. "
            "Move it away, or set people_dir in vaultkit.toml\n",
        ), args
    assert sorted(snapshot(root)) == ["notes.md", "people"]


def test_importing_a_photo_as_a_vcard_is_an_error(vault, tmp_path):
    root = vault({"people/Ada.md": "---\ncadence: monthly\n---\n"})
    photo = tmp_path / "photo.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89")
    before = snapshot(root)
    result = run_cli("import", "vcard", str(photo), vault=root)
    assert (result.exit_code, result.stderr) == (1, "Error: photo.png: no vCard in it (a binary file); is this a .vcf export?\n")
    (tmp_path / "contacts.vcf").write_text("Name,Email\nAda,ada@example.com\n")
    result = run_cli("import", "vcard", str(tmp_path / "contacts.vcf"), vault=root)
    assert (result.exit_code, result.stderr) == (1, "Error: contacts.vcf: no vCard in it (no BEGIN:VCARD line); is this a .vcf export?\n")
    assert snapshot(root) == before


def test_a_symlink_loop_is_called_a_loop(vault):
    root = vault({"people/Ada.md": "---\ncadence: monthly\n---\n"})
    os.symlink("Loop.md", root / "people" / "Loop.md")
    os.symlink("B.md", root / "people" / "A.md")
    os.symlink("A.md", root / "people" / "B.md")
    os.symlink("/nowhere/x.md", root / "people" / "Out.md")
    result = run_cli("check", vault=root, today=TODAY)
    assert [line for line in result.stdout.splitlines() if "symlink" in line] == [
        "people/A.md: warning: symlink is a loop (it leads back to itself through 'B.md'); not followed",
        "people/B.md: warning: symlink is a loop (it leads back to itself through 'A.md'); not followed",
        "people/Loop.md: warning: symlink is a loop (it leads back to itself through 'Loop.md'); not followed",
        "people/Out.md: warning: symlink points outside the vault; not followed",
    ]


def test_an_unreadable_note_is_called_unreadable(vault):
    """As root every mode is readable, so the notes that cannot be read here are a link to a
    note that is gone and a pipe; a note without read permission takes the same path."""
    root = vault({"people/Ada.md": "---\ncadence: monthly\n---\n"})
    os.symlink("Grace Hopper (old).md", root / "people" / "Grace Hopper.md")
    os.mkfifo(root / "people" / "Tim.md")
    result = run_cli("log", "Grace Hopper", "Lunch", vault=root, today=TODAY)
    assert (result.exit_code, result.stderr) == (1, "Error: people/Grace Hopper.md: cannot read the file: No such file or directory; not changed\n")
    result = run_cli("snooze", "tim", "2w", vault=root, today=TODAY)
    assert (result.exit_code, result.stderr) == (1, "Error: people/Tim.md: not a regular file (a pipe, socket or device); not changed\n")


def test_a_last_contact_in_the_future_is_a_warning(vault):
    root = vault({"people/Ada.md": "---\ncadence: monthly\nlast_contact: 2062-11-20\n---\n"})
    warning = "people/Ada.md: warning: last_contact 2062-11-20 is after today (2026-12-01); it counts only from that day (a typo?)"
    build = run_cli("build", vault=root, today=TODAY)
    assert build.exit_code == 0 and warning in build.stderr.splitlines()
    check = run_cli("check", vault=root, today=TODAY)
    assert warning in check.stdout.splitlines()
