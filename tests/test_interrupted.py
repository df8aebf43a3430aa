"""Interrupted writes: real `vaultkit` processes killed with SIGKILL at random moments.

Every page must then be the old one or the new one, never torn or empty; a temporary file
may be left behind but never under a page's name, and the next build removes it. `log`
and `add` leave a note whole: as it was, or with the change.
"""

from __future__ import annotations

import random
import signal
import stat
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from vaultkit.index.vault import load_vault
from vaultkit.pages.render import Renderer
from vaultkit.pages.views import build_pages
from vaultkit.settings import load_settings
from vaultkit.write import TEMP_PREFIX

VAULTKIT = [sys.executable, "-c", "from vaultkit.cli import main; main()"]
TODAY = "2026-12-01"
PEOPLE = 30  # about 65 pages: writing them is a good part of each run
KILLS = 8


def write_notes(root: Path, state: str) -> None:
    """State "A" or "B" of the same people: B changes every page (dates and texts)."""
    people = root / "people"
    people.mkdir(parents=True, exist_ok=True)
    day = 1 if state == "A" else 2
    for i in range(PEOPLE):
        (people / f"Person {i:03}.md").write_text(
            f"---\ncadence: monthly\ngroups: [Group {i:03}]\n---\n## Log\n"
            f"- 2026-10-{day:02} Helped me with thing {i}, version {state} #help\n",
            encoding="utf-8",
        )


def build(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*VAULTKIT, "build", "--vault", str(root), "--today", TODAY],
        capture_output=True,
        timeout=120,
    )


def pages_of(root: Path) -> dict[str, bytes]:
    out = root / "Overview"
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def expected_pages(tmp_path: Path, state: str) -> dict[str, bytes]:
    """The pages a whole build of `state` writes, rendered in this process (nothing written)."""
    root = tmp_path / f"expected-{state}"
    write_notes(root, state)
    settings = load_settings(root)
    pages = build_pages(load_vault(settings), date.fromisoformat(TODAY), Renderer(settings))
    return {name: text.encode("utf-8") for name, text in pages.items()}


def start_build(root: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [*VAULTKIT, "build", "--vault", str(root), "--today", TODAY],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def kill_after(process: subprocess.Popen, delay: float) -> None:
    time.sleep(delay)
    if process.poll() is None:
        process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)


def first_write(process: subprocess.Popen, output: Path) -> float:
    """Wait until the first page is replaced (the output folder's mtime moves); when it was."""
    start = output.stat().st_mtime_ns
    deadline = time.monotonic() + 30
    while (
        process.poll() is None
        and output.stat().st_mtime_ns == start
        and time.monotonic() < deadline
    ):
        time.sleep(0.0005)
    return time.monotonic()


def test_killed_builds_leave_every_page_old_or_new(tmp_path):
    old, new = expected_pages(tmp_path, "A"), expected_pages(tmp_path, "B")
    assert old.keys() == new.keys() and len(old) > 60
    assert sum(old[name] != new[name] for name in old) > 60  # Events and Share stay the same
    assert all(old.values()) and all(new.values())

    root = tmp_path / "vault"
    write_notes(root, "A")
    assert build(root).returncode == 0 and pages_of(root) == old
    write_notes(root, "B")  # one whole run, timed: when writing starts, how long it lasts
    started = time.monotonic()
    process = start_build(root)
    writing = first_write(process, root / "Overview")
    assert process.wait(timeout=60) == 0 and pages_of(root) == new
    full, window = time.monotonic() - started, time.monotonic() - writing

    rng = random.Random(5)
    mixed = 0
    state = "B"
    for kill in range(KILLS):
        state = "B" if state == "A" else "A"
        write_notes(root, state)
        process = start_build(root)
        if kill % 3:  # two kills in three land while the pages are being written
            first_write(process, root / "Overview")
            kill_after(process, rng.uniform(0, window))
        else:
            kill_after(process, rng.uniform(0.3 * full, 1.1 * full))
        found: dict[str, bytes] = {}
        for path in (root / "Overview").rglob("*"):
            if not path.is_file():
                continue
            name = path.relative_to(root / "Overview").as_posix()
            if path.name.startswith(TEMP_PREFIX):
                assert not name.endswith(".md"), name  # a leftover never poses as a page
                continue
            found[name] = path.read_bytes()
        assert found.keys() == old.keys(), f"kill {kill}: pages lost or added"
        torn = [name for name, data in found.items() if data not in (old[name], new[name])]
        assert torn == [], f"kill {kill}: torn or empty pages {torn[:3]}"
        if {data == old[name] for name, data in found.items()} == {True, False}:
            mixed += 1

    assert build(root).returncode == 0
    assert pages_of(root) == (new if state == "B" else old)  # temporary files are cleaned up too
    print(f"{KILLS} kills, {mixed} of them in the middle of writing pages")


def test_killed_log_leaves_the_note_whole(tmp_path):
    root = tmp_path / "vault"
    note = root / "people" / "Ada.md"
    note.parent.mkdir(parents=True)
    note.write_bytes(
        b"---\r\ncadence: monthly\r\n---\r\nAbout Ada.\r\n\r\n## Log\r\n- 2026-10-01 Coffee\r\n"
    )
    note.chmod(0o600)
    rng = random.Random(7)
    current = note.read_bytes()
    for n in range(6):
        line = f"- 2026-11-{n + 1:02} Call {n}\r\n".encode()
        process = subprocess.Popen(
            [
                *VAULTKIT,
                "log",
                "Ada",
                f"Call {n}",
                "--date",
                f"2026-11-{n + 1:02}",
                "--vault",
                str(root),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        kill_after(process, rng.uniform(0.05, 0.4))
        data = note.read_bytes()
        assert data in (current, current + line), f"log {n} left a torn note"
        current = data
        assert stat.S_IMODE(note.stat().st_mode) == 0o600
        assert [p.name for p in note.parent.iterdir() if p.suffix == ".md"] == ["Ada.md"]


def test_killed_add_leaves_no_note_or_a_whole_one(tmp_path):
    reference = tmp_path / "reference"
    (reference / "people").mkdir(parents=True)
    done = subprocess.run(
        [*VAULTKIT, "add", "Ada Lovelace", "--tag", "python", "--vault", str(reference)],
        capture_output=True,
    )
    assert done.returncode == 0, done.stderr
    whole = (reference / "people" / "Ada Lovelace.md").read_bytes()
    rng = random.Random(11)
    for n in range(5):
        root = tmp_path / f"vault{n}"
        (root / "people").mkdir(parents=True)
        process = subprocess.Popen(
            [*VAULTKIT, "add", "Ada Lovelace", "--tag", "python", "--vault", str(root)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        kill_after(process, rng.uniform(0.05, 0.4))
        note = root / "people" / "Ada Lovelace.md"
        assert not note.exists() or note.read_bytes() == whole
        assert [p.name for p in (root / "people").iterdir() if p.suffix == ".md"] in (
            [],
            ["Ada Lovelace.md"],
        )
