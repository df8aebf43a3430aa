"""A full disk, a read-only folder, a refused write: exit 1 with the file and what the system
said, never "internal error". The conditions are real: a read-only bind mount (EROFS), a tiny
tmpfs (ENOSPC) and an immutable folder (chattr +i: EPERM, as root has no EACCES); each test is
skipped where mounting or chattr is not allowed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import write_vault

from vaultkit.edit.lock import LOCKS_DIR

TODAY = "2026-12-01"
ADA = "---\ncadence: monthly\n---\n## Log\n- 2026-11-01 Coffee.\n\n## Follow-ups\n- [ ] Send the slides\n- 2026-10-15 Introduced me to Charles. #intro\n"
VCARD = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Grace Hopper\r\nN:Hopper;Grace;;;\r\nEMAIL:grace@example.com\r\nEND:VCARD\r\n"


def vaultkit(*args: str, vault: Path) -> tuple[int, str, str]:
    env = {**os.environ, "VAULTKIT_TODAY": TODAY}
    done = subprocess.run([sys.executable, "-m", "vaultkit", *args, "--vault", str(vault)], capture_output=True, text=True, env=env, timeout=60)
    return done.returncode, done.stdout, done.stderr


def _run(*command: str) -> bool:
    return subprocess.run(command, capture_output=True).returncode == 0


@pytest.fixture
def read_only(tmp_path):
    """mount(path): `path` becomes a read-only bind of itself until the test ends."""
    mounted: list[Path] = []

    def mount(path: Path) -> Path:
        if not _run("mount", "--bind", "-o", "ro", str(path), str(path)):
            pytest.skip("cannot make a read-only bind mount here (not root, or no mount permission)")
        mounted.append(path)
        return path

    yield mount
    for path in reversed(mounted):
        _run("umount", str(path))


@pytest.fixture
def full_disk(tmp_path):
    """mount(path, files): a full tmpfs at `path` holding `files`."""
    mounted: list[Path] = []

    def mount(path: Path, files: dict[str, str]) -> Path:
        path.mkdir(parents=True, exist_ok=True)
        if not _run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(path)):
            pytest.skip("cannot mount a tmpfs here (not root, or no mount permission)")
        mounted.append(path)
        for name, text in files.items():
            (path / name).write_text(text)
        fd = os.open(path / ".filler", os.O_WRONLY | os.O_CREAT)
        try:  # fill it to the last block
            while os.write(fd, b"\0" * 4096):
                pass
        except OSError:
            pass
        finally:
            os.close(fd)
        return path

    yield mount
    for path in reversed(mounted):
        _run("umount", str(path))


@pytest.mark.parametrize(
    "args",
    [
        ("log", "Ada Lovelace", "Tea"),
        ("snooze", "Ada Lovelace", "2w"),
        ("done", "Ada Lovelace", "1"),
        ("thank", "Ada Lovelace"),
    ],
)
def test_a_read_only_people_folder_is_an_error_naming_the_note(tmp_path, read_only, args):
    root = write_vault(tmp_path / "vault", {"people/Ada Lovelace.md": ADA})
    read_only(root / "people")
    code, out, err = vaultkit(*args, vault=root)
    assert (code, out, err) == (1, "", "Error: people/Ada Lovelace.md: cannot write: Read-only file system\n")
    assert (root / "people" / "Ada Lovelace.md").read_text() == ADA


def test_add_into_a_read_only_people_folder(tmp_path, read_only):
    root = write_vault(tmp_path / "vault", {"people/Ada Lovelace.md": ADA})
    read_only(root / "people")
    assert vaultkit("add", "Grace Hopper", vault=root) == (1, "", "Error: people/Grace Hopper.md: cannot write: Read-only file system\n")


def test_import_into_a_read_only_people_folder(tmp_path, read_only):
    root = write_vault(tmp_path / "vault", {"people/Ada Lovelace.md": ADA})
    (tmp_path / "grace.vcf").write_text(VCARD, newline="")
    read_only(root / "people")
    code, out, err = vaultkit("import", "vcard", str(tmp_path / "grace.vcf"), vault=root)
    assert code == 1
    assert "people/Grace Hopper.md: cannot write: Read-only file system" in err
    assert not (root / "people" / "Grace Hopper.md").exists()


def test_build_into_a_read_only_output_folder(tmp_path, read_only):
    root = write_vault(tmp_path / "vault", {"people/Ada Lovelace.md": ADA})
    assert vaultkit("build", vault=root)[0] == 0
    (root / "people" / "Ada Lovelace.md").write_text(ADA.replace("monthly", "weekly"))
    read_only(root / "Overview")
    code, out, err = vaultkit("build", vault=root)
    assert code == 1
    assert "Overview/Reminders.md: cannot write: Read-only file system\n" in err
    assert "Traceback" not in err and "internal error" not in err


def test_build_of_a_read_only_vault(tmp_path, read_only):
    root = write_vault(tmp_path / "vault", {"people/Ada Lovelace.md": ADA})
    read_only(root)
    code, out, err = vaultkit("build", vault=root)
    assert code == 1
    assert err.startswith("Overview: cannot write: Read-only file system") or "Overview/Reminders.md: cannot write: Read-only file system" in err, err
    assert "internal error" not in err


def test_log_on_a_full_disk(tmp_path, full_disk):
    root = write_vault(tmp_path / "vault", {})
    full_disk(root / "people", {"Ada Lovelace.md": ADA})
    code, out, err = vaultkit("log", "Ada Lovelace", "Tea " * 2000, vault=root)
    assert (code, out, err) == (1, "", "Error: people/Ada Lovelace.md: cannot write: No space left on device\n")
    assert (root / "people" / "Ada Lovelace.md").read_text() == ADA
    assert sorted(p.name for p in (root / "people").iterdir()) == [".filler", "Ada Lovelace.md"]  # no temporary file left


def test_an_immutable_folder(tmp_path):
    root = write_vault(tmp_path / "vault", {"people/Ada Lovelace.md": ADA})
    if not _run("chattr", "+i", str(root / "people")):
        pytest.skip("chattr +i is not allowed here")
    try:
        code, out, err = vaultkit("log", "Ada Lovelace", "Tea", vault=root)
    finally:
        _run("chattr", "-i", str(root / "people"))
    assert (code, out, err) == (1, "", "Error: people/Ada Lovelace.md: cannot write: Operation not permitted\n")


def test_a_notes_lock_file_goes_when_the_command_is_done(tmp_path):
    root = write_vault(tmp_path / "vault", {"people/Ada Lovelace.md": ADA})
    assert vaultkit("log", "Ada Lovelace", "Tea", vault=root)[0] == 0
    assert (root / LOCKS_DIR).is_dir() and list((root / LOCKS_DIR).iterdir()) == []
