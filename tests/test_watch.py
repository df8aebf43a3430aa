"""`vaultkit watch`: a real watcher (in a thread, or as a `vaultkit watch` process) on a real
folder, driven by real saves on disk; every test asserts the pages' exact lines afterwards.

Waits are on conditions with a timeout. The few fixed sleeps prove that something did *not*
happen (no rebuild from the watcher's own writes), and are commented where they stand.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import pytest
from conftest import run_cli, write_vault

from vaultkit.index.vault import load_vault
from vaultkit.settings import load_settings
from vaultkit.watch import Watcher, is_temporary

TODAY = date(2026, 12, 1)
ADA = "people/Ada Lovelace.md"
ADA_NOTE = """\
---
cadence: monthly
tags: [python]
---
Ada builds engines.

## Log
- 2026-10-01 Coffee.
"""
ADA_OVERDUE = "- [[Ada Lovelace]] — monthly, last contact 2026-10-01 (30 days overdue). Last time (2026-10-01): Coffee."
GRACE_NOTE = """\
---
cadence: yearly
---
## Log
- 2025-06-01 Met at PyCon.
"""


def ada_with(task: str) -> str:
    """Ada's note with one more follow-up, due in two days: it shows on Reminders.md."""
    return ADA_NOTE + f"\n## Follow-ups\n- [ ] {task} 📅 2026-12-03\n"


def followup_line(task: str) -> str:
    return f"- [[Ada Lovelace]]: {task} — due Thu 3 Dec"


def overdue_line(task: str) -> str:
    """Ada's line among the overdue check-ins once she has an open follow-up."""
    return (
        "- [[Ada Lovelace]] — monthly, last contact 2026-10-01 (30 days overdue). "
        f"Open follow-up: {task} (due 2026-12-03)."
    )


def wait_until(condition, timeout: float = 10.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


class Running:
    """A Watcher running in a thread, with what it reported."""

    def __init__(self, root: Path, **options) -> None:
        self.root = root
        self.lines: list[str] = []
        self.error: BaseException | None = None
        options.setdefault("today", TODAY)
        self.watcher = Watcher(load_settings(root), echo=lambda line, colour: self.lines.append(line), **options)
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        wait_until(lambda: self.watcher.ready.is_set() or self.error, what="the first build")
        assert self.error is None, self.error

    def _run(self) -> None:
        try:
            self.watcher.run()
        except BaseException as exc:  # surfaced by stop()
            self.error = exc

    def page(self, name: str = "Reminders.md") -> str:
        try:
            return (self.root / "Overview" / name).read_text(encoding="utf-8")
        except OSError:
            return ""

    def wait_for_line(self, line: str, page: str = "Reminders.md", timeout: float = 10.0) -> str:
        """Wait until `page` holds `line` (a whole line); return the page."""
        return wait_until(lambda: line in self.page(page).splitlines() and self.page(page), timeout, repr(line))

    def wait_for_report(self, text: str, timeout: float = 10.0) -> str:
        return wait_until(lambda: next((x for x in self.lines if text in x), None), timeout, repr(text))

    def stop(self) -> None:
        self.watcher.stop()
        self.thread.join(10)
        assert not self.thread.is_alive(), "the watcher did not stop"
        assert self.error is None, self.error


@pytest.fixture
def watching(vault):
    """watching(files=None, root=None, **Watcher options) -> a Running watcher on a vault with Ada."""
    started: list[Running] = []

    def start(files: dict[str, str] | None = None, root: Path | None = None, **options) -> Running:
        running = Running(root or vault({ADA: ADA_NOTE, **(files or {})}), **options)
        started.append(running)
        return running

    yield start
    for running in started:
        if running.thread.is_alive():
            running.stop()


def test_first_build_then_a_plain_write_rebuilds_only_what_changed(watching):
    w = watching()
    assert ADA_OVERDUE in w.page().splitlines()
    assert w.lines[1].startswith("Built Overview/ from 1 person, 0 events, 0 resources; 6 pages: 6 written, 0 unchanged (")
    dashboard = w.root / "Overview" / "Dashboard.md"
    before = dashboard.stat().st_mtime_ns

    (w.root / ADA).write_text(ada_with("Send the slides"), encoding="utf-8")

    w.wait_for_line(followup_line("Send the slides"))
    rebuild = wait_until(lambda: w.watcher.history[1:] and w.watcher.history[-1])
    assert rebuild.notes == (ADA,)  # the one note was read again, nothing else
    assert rebuild.written == ("Reminders.md",)
    assert rebuild.line().startswith("people/Ada Lovelace.md changed: wrote Reminders.md (")
    assert dashboard.stat().st_mtime_ns == before  # an unchanged page is not written again


def test_truncate_then_write_in_two_steps(watching):
    w = watching()
    path = w.root / ADA
    with open(path, "r+", encoding="utf-8") as handle:
        handle.truncate(0)
        handle.flush()
        os.fsync(handle.fileno())
        time.sleep(0.1)  # an editor that is slow to write: the watcher may read the empty note
        text = ada_with("Send the truncated slides")
        handle.write(text[:40])
        handle.flush()
        time.sleep(0.1)  # half-written: the front matter is not closed yet
        handle.write(text[40:])
    page = w.wait_for_line(followup_line("Send the truncated slides"))
    assert overdue_line("Send the truncated slides") in page.splitlines()


def test_temporary_file_renamed_over_the_note(watching):
    # VS Code, Obsidian and most "atomic save" editors
    w = watching()
    temp = w.root / "people" / "Ada Lovelace.md.tmp"
    temp.write_text(ada_with("Send the renamed slides"), encoding="utf-8")
    os.replace(temp, w.root / ADA)
    w.wait_for_line(followup_line("Send the renamed slides"))
    assert sorted(p.name for p in (w.root / "people").iterdir()) == ["Ada Lovelace.md"]


def test_jetbrains_safe_write(watching):
    w = watching()
    folder = w.root / "people"
    (folder / "Ada Lovelace.md___jb_tmp___").write_text(ada_with("Send the IDE slides"), encoding="utf-8")
    os.replace(folder / "Ada Lovelace.md", folder / "Ada Lovelace.md___jb_old___")
    os.replace(folder / "Ada Lovelace.md___jb_tmp___", folder / "Ada Lovelace.md")
    (folder / "Ada Lovelace.md___jb_old___").unlink()
    w.wait_for_line(followup_line("Send the IDE slides"))


def test_vim_backup_and_rename(watching):
    w = watching()
    folder = w.root / "people"
    swap = folder / ".Ada Lovelace.md.swp"
    swap.write_bytes(b"b0VIM 9.0")  # vim's swap file, while the note is open
    probe = folder / "4913"  # vim checks it may create files in the folder
    probe.write_bytes(b"")
    probe.unlink()
    os.rename(folder / "Ada Lovelace.md", folder / "Ada Lovelace.md~")  # the backup
    (folder / "Ada Lovelace.md").write_text(ada_with("Send the vim slides"), encoding="utf-8")
    (folder / "Ada Lovelace.md~").unlink()
    swap.write_bytes(b"b0VIM 9.0 after the save")
    page = w.wait_for_line(followup_line("Send the vim slides"))
    assert overdue_line("Send the vim slides") in page.splitlines()
    assert set(w.watcher.live.records) == {ADA}


def test_delete_and_recreate(watching):
    w = watching()
    (w.root / ADA).unlink()
    (w.root / ADA).write_text(ada_with("Send the recreated slides"), encoding="utf-8")
    w.wait_for_line(followup_line("Send the recreated slides"))


def test_delete_then_recreate_later_drops_then_restores_the_person(watching):
    w = watching()
    (w.root / ADA).unlink()
    w.wait_for_line("Nobody is overdue.")
    w.wait_for_report("people/Ada Lovelace.md deleted")
    (w.root / ADA).write_text(ADA_NOTE, encoding="utf-8")
    w.wait_for_line(ADA_OVERDUE)


def test_temporary_hidden_and_backup_files_never_wake_the_watcher(watching):
    w = watching()
    folder = w.root / "people"
    for name in ("Ada Lovelace.md~", ".Ada Lovelace.md.swp", "4913", "Ada.md.tmp", "#Ada.md#", ".obsidian.md"):
        (folder / name).write_text("---\ncadence: weekly\n---\n", encoding="utf-8")
    (w.root / ".obsidian").mkdir()
    (w.root / ".obsidian" / "workspace.json").write_text("{}", encoding="utf-8")
    (w.root / ADA).write_text(ada_with("Send the real slides"), encoding="utf-8")
    w.wait_for_line(followup_line("Send the real slides"))
    wait_until(lambda: w.watcher.rebuilds == 1)
    # Had any of them reached the watcher, it would have walked the vault and seen "4913".
    assert "4913" not in w.watcher.live.other_names
    assert [r.notes for r in w.watcher.history[1:]] == [(ADA,)]


def test_obsidians_daily_notes_settings_are_read_again(watching):
    """A changed `.obsidian/daily-notes.json` dates the notes of its folder anew: Lunch with Ada
    in a daily note named as the new format names them is her last contact."""
    w = watching({"Journal/21 November 2026.md": "Lunch with [[Ada Lovelace]].\n"})
    assert ADA_OVERDUE in w.page().splitlines()  # an undated note: the lunch does not count yet
    (w.root / ".obsidian").mkdir()
    config = w.root / ".obsidian" / "daily-notes.json"
    config.write_text('{"folder": "Journal", "format": "D MMMM YYYY"}', encoding="utf-8")
    w.wait_for_report(".obsidian/daily-notes.json changed: wrote ")
    wait_until(lambda: ADA_OVERDUE not in w.page().splitlines(), what="the lunch counted")
    assert "[[Ada Lovelace]]" not in w.page()  # monthly from 21 November: not due this week
    w.stop()
    # what the watcher saw is what a fresh read of the vault sees
    fresh = json.loads(run_cli("due", "--json", vault=w.root, today=TODAY.isoformat()).output)
    assert fresh["overdue"] == [] and fresh["due_soon"] == []


def test_is_temporary():
    for name in ("4913", "5036", "note.md~", ".note.md.swp", "note.md.swx", "note.md.tmp", "#note.md#",
                 ".#note.md", "note.md___jb_tmp___", "note.md___jb_old___", ".vaultkit-tmp-x.tmp"):
        assert is_temporary(name), name
    for name in ("Ada Lovelace.md", "2026-12-05 Python meetup.md", "photo.png", "vaultkit.toml"):
        assert not is_temporary(name), name


def test_no_rebuild_from_its_own_writes(watching):
    w = watching()
    (w.root / ADA).write_text(ada_with("Send the quiet slides"), encoding="utf-8")
    w.wait_for_line(followup_line("Send the quiet slides"))
    time.sleep(0.3)  # ten quiet windows: a rebuild caused by the pages it wrote would have come
    assert w.watcher.rebuilds == 1
    assert set(w.watcher.live.records) == {ADA}  # Overview/ never feeds the index


def test_broken_note_keeps_its_last_good_version_then_recovers(watching):
    w = watching()
    (w.root / ADA).write_text("---\ncadence: monthly\ntags: [python\n---\n", encoding="utf-8")
    w.wait_for_report("people/Ada Lovelace.md does not read")
    problem = w.wait_for_report("people/Ada Lovelace.md:4:1: invalid YAML in front matter")
    assert problem.strip().startswith("people/Ada Lovelace.md:4:1:")
    assert ADA_OVERDUE in w.page().splitlines()  # the last good version still counts
    (w.root / ADA).write_text(ada_with("Send the fixed slides"), encoding="utf-8")
    w.wait_for_line(followup_line("Send the fixed slides"))
    assert ADA not in w.watcher.live.last_good


def test_a_failing_rebuild_is_reported_and_the_watcher_goes_on(watching):
    w = watching()
    templates = w.root / "templates"
    templates.mkdir()
    (templates / "Reminders.md.j2").write_text("# Reminders {{ no_such_value }}\n", encoding="utf-8")
    failed = w.wait_for_report("Rebuild failed: template")
    assert "Reminders.md.j2" in failed and "no_such_value" in failed and failed.endswith("(still watching)")
    (templates / "Reminders.md.j2").write_text("# My reminders for {{ today }}\n", encoding="utf-8")
    w.wait_for_line("# My reminders for 2026-12-01")
    (w.root / ADA).write_text(ada_with("Send the slides"), encoding="utf-8")
    wait_until(lambda: w.watcher.history[-1].notes == (ADA,), what="a rebuild for Ada")


def test_burst_of_1000_notes_from_git_checkout_gives_one_or_two_rebuilds(watching, vault):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = vault({ADA: ADA_NOTE})

    def git(*args: str) -> None:
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=root,
                       check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("commit", "-qm", "one person")
    git("checkout", "-q", "-b", "many")
    for n in range(1000):
        (root / "people" / f"Person {n:04d}.md").write_text(
            f"---\ncadence: monthly\n---\n## Log\n- 2026-09-{n % 28 + 1:02d} Call.\n", encoding="utf-8"
        )
    git("add", "-A")
    git("commit", "-qm", "a thousand people")
    git("checkout", "-q", "main")
    w = watching(root=root)
    assert "## Overdue check-ins (1)" in w.page().splitlines()

    git("checkout", "-q", "many")  # 1,000 notes appear at once
    w.wait_for_line("## Overdue check-ins (1001)", timeout=30)
    wait_until(lambda: sum(len(r.notes) for r in w.watcher.history[1:]) == 1000, what=str(w.lines))
    assert 1 <= w.watcher.rebuilds <= 2, w.lines
    page = w.page().splitlines()  # the 20 most overdue, then how many more (page_limit)
    assert "- [[Person 0028]] — monthly, last contact 2026-09-01 (61 days overdue). Last time (2026-09-01): Call." in page
    assert "- …and 981 more: vaultkit due --all" in page
    before = w.watcher.rebuilds
    git("checkout", "-q", "main")  # and go again
    w.wait_for_line("## Overdue check-ins (1)", timeout=30)
    wait_until(lambda: sum(len(r.removed) for r in w.watcher.history[1:]) == 1000, what=str(w.lines))
    assert 1 <= w.watcher.rebuilds - before <= 2, w.lines
    assert len(w.watcher.live.records) == 1


def test_moves_renames_and_folders(watching):
    w = watching({"people/Grace Hopper.md": GRACE_NOTE})
    grace_overdue = "- [[Grace Hopper]] — yearly, last contact 2025-06-01 (183 days overdue). Last time (2025-06-01): Met at PyCon."
    assert grace_overdue in w.page().splitlines()
    # rename inside people/
    os.rename(w.root / "people/Grace Hopper.md", w.root / "people/Grace Brewster Hopper.md")
    w.wait_for_line(grace_overdue.replace("[[Grace Hopper]]", "[[Grace Brewster Hopper]]"))
    # out of the watched folders, and back in
    (w.root / "archive").mkdir()
    os.rename(w.root / "people/Grace Brewster Hopper.md", w.root / "archive/Grace Brewster Hopper.md")
    wait_until(lambda: "Grace" not in w.page(), what="Grace to leave the pages")
    os.rename(w.root / "archive/Grace Brewster Hopper.md", w.root / "people/Grace Brewster Hopper.md")
    w.wait_for_line(grace_overdue.replace("[[Grace Hopper]]", "[[Grace Brewster Hopper]]"))
    # a whole folder moved into people/
    (w.root / "archive" / "team").mkdir()
    (w.root / "archive/team/Alan Turing.md").write_text(GRACE_NOTE, encoding="utf-8")
    os.rename(w.root / "archive/team", w.root / "people/team")
    w.wait_for_line(grace_overdue.replace("[[Grace Hopper]]", "[[Alan Turing]]"))
    shutil.rmtree(w.root / "people/team")
    wait_until(lambda: "Alan Turing" not in w.page(), what="Alan to leave the pages")
    w.stop()
    # What the watcher left is exactly what a full build makes.
    index = load_vault(load_settings(w.root))
    assert sorted(p.path for p in index.people) == [ADA, "people/Grace Brewster Hopper.md"]
    result = run_cli("build", vault=w.root, today="2026-12-01")
    assert result.exit_code == 0, result.output
    assert "0 written" in result.output


def test_the_date_rolls_over_at_midnight(vault):
    root = vault({ADA: ADA_NOTE})
    day = [TODAY]
    w = Running(root, today=None, clock=lambda: day[0], tick=0.05)
    try:
        assert "# Reminders — Tuesday 1 December 2026" in w.page().splitlines()
        day[0] = date(2026, 12, 2)
        page = w.wait_for_line("# Reminders — Wednesday 2 December 2026")
        assert ADA_OVERDUE.replace("30 days", "31 days") in page.splitlines()
        assert w.wait_for_report("New day, Wednesday 2 December 2026: wrote ")
    finally:
        w.stop()


def test_deleted_vault_folder_is_waited_for(vault):
    root = vault({ADA: ADA_NOTE})
    w = Running(root, tick=0.05)
    try:
        shutil.rmtree(root)
        w.wait_for_report("is gone; waiting for it to come back")
        write_vault(root, {ADA: ada_with("Send the restored slides")})
        w.wait_for_report("is back; reading it again")
        w.wait_for_line(followup_line("Send the restored slides"))
        (root / ADA).write_text(ada_with("Send the later slides"), encoding="utf-8")
        w.wait_for_line(followup_line("Send the later slides"))  # and it watches the new folder
    finally:
        w.stop()


def test_polling(watching):
    w = watching(poll=True, poll_interval=0.1)
    assert w.watcher.mode == "polling every 0.1 s"
    (w.root / ADA).write_text(ada_with("Send the polled slides"), encoding="utf-8")
    w.wait_for_line(followup_line("Send the polled slides"))


# -- a real `vaultkit watch` process ---------------------------------------------------------


def start_process(root: Path, *prefix: str) -> subprocess.Popen:
    command = [*prefix, sys.executable, "-c", "from vaultkit.cli import main; main()", "watch",
               "--vault", str(root), "--today", "2026-12-01"]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})


def read_until(process: subprocess.Popen, text: str, timeout: float = 20.0) -> list[str]:
    """Lines of stdout up to the one holding `text`."""
    lines: list[str] = []
    found = threading.Event()

    def read() -> None:
        for line in process.stdout:
            lines.append(line.rstrip("\n"))
            if text in line:
                found.set()
                return

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    if not found.wait(timeout):
        process.kill()
        raise AssertionError(f"no {text!r} in {lines} / {process.stderr.read()}")
    return lines


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_exits_0_without_a_traceback(vault, how):
    root = vault({ADA: ADA_NOTE})
    process = start_process(root)
    lines = read_until(process, "Built Overview/")
    assert lines[0] == f"Watching {root} (inotify); Ctrl-C to stop."
    process.send_signal(how)
    out, err = process.communicate(timeout=20)
    assert process.returncode == 0
    assert out.strip() == "Stopped watching."
    assert "Traceback" not in err and "Aborted" not in err


def unshare_prefix(*options: str) -> list[str]:
    """Run a command in a new user namespace, or skip the test where that is not allowed."""
    if shutil.which("unshare") is None:
        pytest.skip("no unshare")
    probe = subprocess.run(["unshare", *options, "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"user namespaces not available: {probe.stderr.decode().strip()}")
    return ["unshare", *options]


def test_inotify_watch_limit_falls_back_to_polling(vault):
    # A user namespace has its own inotify limits: set them to none, as a full system would be.
    prefix = unshare_prefix("--user", "--map-root-user")
    root = vault({ADA: ADA_NOTE})
    command = " ".join(
        ["echo 0 > /proc/sys/user/max_inotify_watches && exec", sys.executable, "-c",
         "'from vaultkit.cli import main; main()'", "watch", "--vault", f"'{root}'", "--today", "2026-12-01"]
    )
    process = subprocess.Popen([*prefix, "sh", "-c", command], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        lines = read_until(process, "Built Overview/")
        assert lines[0] == f"Watching {root} (polling every 1 s); Ctrl-C to stop."
        (root / ADA).write_text(ada_with("Send the limited slides"), encoding="utf-8")
        read_until(process, "people/Ada Lovelace.md changed: wrote Reminders.md")
        assert followup_line("Send the limited slides") in (root / "Overview/Reminders.md").read_text().splitlines()
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    assert "The system's limit of file watches is reached" in err
    assert "polling the vault every 1 s instead" in err
    assert process.returncode == 0


def test_permission_errors_are_reported_and_survived(vault):
    # As root every file is readable; a user namespace mapped to another user makes it a user again.
    prefix = unshare_prefix("--user", "--map-user=1000", "--map-group=1000") if os.geteuid() == 0 else []
    root = vault({ADA: ADA_NOTE})
    process = start_process(root, *prefix)
    try:
        read_until(process, "Built Overview/")
        note = root / ADA
        note.write_text(ada_with("Send the private slides"), encoding="utf-8")
        note.chmod(0)
        read_until(process, "people/Ada Lovelace.md does not read")
        assert ADA_OVERDUE in (root / "Overview/Reminders.md").read_text().splitlines()  # kept
        output = root / "Overview"
        output.chmod(0o555)
        note.chmod(0o644)
        read_until(process, "people/Ada Lovelace.md changed")
        output.chmod(0o755)
        note.write_text(ada_with("Send the public slides"), encoding="utf-8")
        read_until(process, "people/Ada Lovelace.md changed: wrote Reminders.md")
        assert followup_line("Send the public slides") in (output / "Reminders.md").read_text().splitlines()
    finally:
        for path in (root / ADA, root / "Overview"):
            path.chmod(0o755)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    assert "people/Ada Lovelace.md: cannot read the file: Permission denied" in err
    assert "Overview/Reminders.md: cannot write: Permission denied" in err
    assert process.returncode == 0


# -- the incremental index and the memo give what a full build gives -------------------------


def test_incremental_pages_equal_a_full_build_through_many_edits(tmp_path):
    from conftest import REPO

    from vaultkit.index.live import LiveVault
    from vaultkit.pages.memo import Memo
    from vaultkit.pages.render import Renderer
    from vaultkit.pages.views import build_pages

    root = tmp_path / "vault"
    shutil.copytree(REPO / "example-vault", root)
    settings = load_settings(root)
    live, renderer = LiveVault(settings), Renderer(settings)
    memos = {TODAY: Memo(), date(2026, 12, 20): Memo()}  # one a day: each carries work across the steps
    live.load()

    def edit(rel: str, change) -> None:
        path = root / rel
        if change is None:
            path.unlink()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(change(path.read_text(encoding="utf-8") if path.exists() else ""), encoding="utf-8")

    def append(line: str):
        return lambda text: text.rstrip("\n") + "\n" + line + "\n"

    def replace(old: str, new: str):
        return lambda text: text.replace(old, new, 1)

    def becomes(new: str):
        return lambda text: new

    priya, tomas = "people/Priya Raman.md", "people/Tomás Ferreira.md"
    job = "resources/Senior Data Engineer at Lumen Analytics.md"
    social = "events/2026-12-09 London Python December social.md"
    priya_before_break = (root / priya).read_text(encoding="utf-8")
    steps = [
        [(priya, append("- 2026-11-20 Introduced me to [[Zoë Brennan]]. #intro"))],
        [(social, replace('["[[Marcus Webb]]"]', '["[[Marcus Webb]]", "[[Priya]]"]'))],
        [(job, replace('["[[Tomás Ferreira]]"]', "[]"))],
        [(tomas, replace("---\n", "---\naliases: [Tom]\n")), (job, replace("[]", '["[[Tom]]"]'))],
        [(priya, becomes("---\ntags: [python\n---\n"))],  # broken: the last good version is kept
        [(priya, lambda text: priya_before_break + "- 2026-11-28 Thanked her for the intro. #thanked\n")],
        [("people/Zoë Brennan.md", None)],
        [("people/team/New Person.md", becomes("---\ncadence: weekly\ngroups: [PSF]\n---\n"))],
        [(social, None), (priya, append("- [ ] Ask about the cohort 📅 2026-12-02"))],
        [(tomas, replace("tags: [", "tags: [job-seeker, "))],
        [(tomas, append("- [ ] Send him the job ad 📅 2026-12-03"))],  # matchmaking reads none of it
        [(tomas, append("- 2025-01-05 Old coffee, looking for a new role."))],  # too old to count
        [(tomas, append("- 2026-11-30 Call; looking for a new role in data."))],
    ]
    for number, step in enumerate(steps):
        for rel, change in step:
            edit(rel, change)
        live.update(rel for rel, _ in step)
        for today, memo in memos.items():
            introductions = memo.intro_best
            incremental = build_pages(live.index(), today, renderer, memo)
            if number in (10, 11) and today == TODAY:  # nothing matchmaking reads changed: not scored again
                assert memo.intro_best is introductions
            if number in (9, 12):
                assert memo.intro_best is not introductions
            full = build_pages(load_vault(settings), today, Renderer(settings))
            if number == 4:  # the broken note: the full build drops Priya, the watcher keeps her
                assert "[[Priya Raman]]" in incremental["Reminders.md"]
                assert "[[Priya Raman]]" not in full["Reminders.md"]
                continue
            assert incremental == full, f"step {number}, {today}"
            assert memo.rendered != list(full) or number == 0  # the memo did reuse pages


def test_saves_of_peoples_and_daily_notes_patch_the_index_and_give_a_full_builds_pages(watching, tmp_path):
    """A save of a person's own note that renames no one, or of a daily or meeting note,
    patches the index (index/patch.py): the people that other notes link keep their records,
    and every page is still what `vaultkit build` writes from the same notes."""
    grace, daily, meeting = "people/Grace Hopper.md", "Daily/2026-11-20.md", "Meetings/standup.md"
    w = watching({
        grace: GRACE_NOTE,
        "people/Alan Turing.md": "---\naliases: [Alan]\ncadence: monthly\n---\n## Log\n- 2026-11-02 Tea. #intro [[Grace Hopper]]\n",
        daily: "Met [[Ada Lovelace]] and [[Grace Hopper]] #thanked\n- [ ] Write to [[Alan]] 📅 2026-11-28\n",
        meeting: '---\ndate: 2026-11-25\npeople: ["[[Ada Lovelace]]", "[[Alan]]"]\n---\nNotes.\n',
        "events/2026-12-05 Meetup.md": '---\ndate: 2026-12-05\nattendees: ["[[Alan]]"]\ninvite: [python]\n---\n',
    })
    alan = w.watcher.memo.standings["alan turing"][0]
    saves = [
        (ADA, ada_with("Send the slides")),
        (grace, GRACE_NOTE + "- 2026-11-30 Call about [[Nobody]]. #thanked\n"),
        (ADA, ada_with("Send the slides").replace("tags: [python]", "tags: [python, navy]")),
        (ADA, "---\ntags: [python\n---\n"),  # does not read: the last good version is kept
        (ADA, ADA_NOTE + "- 2026-11-29 Lunch with [[Alan]]. #help\n"),
        (daily, "Met [[Ada Lovelace]] and [[Grace Hopper]] #thanked\n- [ ] Write to [[Alan]] 📅 2026-11-28\n"
                "- [ ] Send [[Grace Hopper]] the paper 📅 2026-11-30\n- 2026-11-19 Lunch with [[Ada Lovelace]] #help\n"),
        (meeting, '---\ndate: 2026-11-25\npeople: ["[[Ada Lovelace]]", "[[Alan]]", "[[Grace Hopper]]"]\n---\nNotes.\n'),
        (daily, "Met [[Grace Hopper]].\n- [ ] Write to [[Alan]] 📅 2026-11-28\n"),
        (grace, GRACE_NOTE.replace("---\n", "---\naliases: [Amazing Grace]\n", 1)),  # a new name: built afresh
        (ADA, ADA_NOTE),
    ]
    for number, (rel, text) in enumerate(saves, 1):
        (w.root / rel).write_text(text, encoding="utf-8")
        wait_until(lambda n=number: w.watcher.rebuilds == n and not w.watcher.history[-1].partial, what=str(w.lines))
        if number < 9:  # nothing renamed yet: Alan, whom other notes link, kept his record
            assert w.watcher.memo.standings["alan turing"][0] is alan
        fresh = tmp_path / f"fresh{number}"
        shutil.copytree(w.root, fresh, ignore=shutil.ignore_patterns("Overview", ".vaultkit"))
        if number == 4:  # a build drops the note that does not read; the watcher keeps its last version
            (fresh / ADA).write_text(ada_with("Send the slides").replace("tags: [python]", "tags: [python, navy]"))
        run_cli("build", vault=fresh, today=TODAY.isoformat())
        built = {p.relative_to(fresh).as_posix(): p.read_bytes() for p in sorted((fresh / "Overview").rglob("*.md"))}
        kept = {p.relative_to(w.root).as_posix(): p.read_bytes() for p in sorted((w.root / "Overview").rglob("*.md"))}
        assert kept == built, f"save {number}"
    assert w.watcher.memo.standings["alan turing"][0] is not alan


def test_saves_during_a_long_rebuild_leave_its_last_pages_to_the_next(watching):
    # A group page that takes a second to render stands for the slow pages of a big vault.
    slow = "{% for i in range(100000) %}{% for j in range(30) %}{% endfor %}{% endfor %}# {{ group.name }}\n"
    w = watching({"templates/group.md.j2": slow, ADA: ADA_NOTE.replace("tags: [python]", "groups: [PSF]")})
    (w.root / ADA).write_text(ada_with("Send the first slides").replace("tags: [python]", "groups: [PSF]"))
    w.wait_for_line(followup_line("Send the first slides"))
    (w.root / ADA).write_text(ada_with("Send the second slides").replace("tags: [python]", "groups: [PSF]"))
    w.wait_for_line(followup_line("Send the second slides"))
    wait_until(lambda: w.watcher.rebuilds == 2 and not w.watcher.history[-1].partial, what=str(w.lines))
    first = w.watcher.history[1]
    assert first.partial and first.written == ("Reminders.md",), w.lines
    assert first.line().startswith(
        "people/Ada Lovelace.md changed: wrote Reminders.md; more changes came in, the other pages follow ("
    )
    assert w.page("Groups/PSF.md") == "<!-- generated by vaultkit: edit the notes, not this page -->\n# PSF\n"


def test_settings_are_read_again_and_a_broken_file_keeps_the_old_ones(watching):
    w = watching({"people/Grace Hopper.md": "---\ntags: [navy]\n---\n## Log\n- 2026-06-01 Lunch.\n"})
    assert "[[Grace Hopper]]" not in w.page()  # no cadence, not drifted yet
    (w.root / "vaultkit.toml").write_text('default_cadence = "quarterly"\n', encoding="utf-8")
    grace = "- [[Grace Hopper]] — quarterly, last contact 2026-06-01 (91 days overdue). Last time (2026-06-01): Lunch."
    w.wait_for_line(grace)
    w.wait_for_report("vaultkit.toml changed: wrote Dashboard.md, Reminders.md (")
    (w.root / "vaultkit.toml").write_text('default_cadence = "every so often"\n', encoding="utf-8")
    error = w.wait_for_report("keeping the settings read before")
    assert "default_cadence: 'every so often' is not a cadence" in error
    (w.root / ADA).write_text(ada_with("Send the settled slides"), encoding="utf-8")
    page = w.wait_for_line(followup_line("Send the settled slides"))
    assert grace in page.splitlines()  # still quarterly
