"""`vaultkit watch`: keep every page fresh while the user edits notes, in any editor.

watchdog reports file events from the OS (inotify on Linux) in its own thread;
the handler here only files them, as paths relative to the vault, and wakes the
loop. The loop waits for a burst to go quiet (`QUIET`), then hands the paths to
`LiveVault.update`, which reads only those files again, rebuilds the index and
the pages (with a `Memo` of the previous build), and writes only the pages whose
text changed. Editors save in many ways (write in place, truncate and write,
write a temporary file and rename it over the note, vim's backup-and-rename, a
delete and re-create); all of them end with the note's final bytes on disk, so
the loop never interprets events: it looks at what is on disk once they stop.
"""

from __future__ import annotations

import errno
import gc
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileAttribEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from vaultkit.commands.build import check_output_inside, require_people
from vaultkit.edit.lock import build_locked
from vaultkit.errors import Problem, VaultkitError
from vaultkit.index.live import Changes, LiveVault
from vaultkit.obsidian import CONFIG_FILES as OBSIDIAN_FILES
from vaultkit.pages.memo import Memo
from vaultkit.pages.render import Renderer, long_date, plural
from vaultkit.pages.views import iter_pages
from vaultkit.rules.reminders import date_warnings
from vaultkit.settings import CONFIG_NAME, Settings, load_settings
from vaultkit.write import WriteResult, prune_pages, write_pages

QUIET = 0.02  # seconds without an event that end a burst: one editor save is a few ms of events
MAX_WAIT = 1.0  # a burst that goes on longer is rebuilt anyway, then again when it ends
TICK = 1.0  # how often the loop looks at the clock and at the vault folder without events
POLL_INTERVAL = 1.0  # seconds between two looks at the disk when polling
SHOWN_PROBLEMS = 20  # problems printed for one rebuild; `vaultkit check` lists them all
EVENTS = [
    FileCreatedEvent,
    FileModifiedEvent,
    FileClosedEvent,
    FileAttribEvent,
    FileDeletedEvent,
    FileMovedEvent,
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
]
# Editors' temporary and backup files, by name: they never wake the watcher. Hidden files
# (vim's .note.md.swp, emacs' .#note.md, vaultkit's own temporary files) and names ending
# in ~ (vim's and emacs' backups) are skipped wherever they are.
TEMP_SUFFIXES = (".swp", ".swx", ".swo", ".tmp", ".temp", ".part", ".crdownload", ".kate-swp")
TEMP_MARKS = ("___jb_tmp___", "___jb_old___")  # JetBrains "safe write"

Echo = Callable[[str, "str | None"], None]  # (line, colour or None)


def is_temporary(name: str) -> bool:
    """An editor's scratch file: vim's 4913 write test, a swap file, a backup, a safe-write temp."""
    return (
        name.startswith(".")
        or name.endswith("~")
        or name.endswith(TEMP_SUFFIXES)
        or any(mark in name for mark in TEMP_MARKS)
        or (name.startswith("#") and name.endswith("#"))  # emacs auto-save
        or name.isdigit()  # vim checks that it may write a folder by creating 4913 (then 5036, ...)
    )


@dataclass
class Batch:
    """What changed since the last rebuild, as the events told it."""

    paths: set[str] = field(default_factory=set)  # vault-relative files
    rescan: bool = False  # a folder appeared, moved or went: walk the vault
    settings: tuple[str, ...] = ()  # vaultkit.toml or Obsidian's settings files that changed
    templates: bool = False  # the vault's template overrides
    repair: bool = False  # the output folder was deleted: write every page again
    first: float = 0.0  # monotonic time of the first and the last event
    last: float = 0.0

    def __bool__(self) -> bool:
        return bool(self.paths or self.rescan or self.settings or self.templates or self.repair)

    def setting(self, rel: str) -> None:
        """A settings file changed (each named once, in the order they came)."""
        if rel not in self.settings:
            self.settings = (*self.settings, rel)


@dataclass(frozen=True)
class Rebuild:
    """One rebuild, as reported: why, what it wrote, how long it took."""

    what: str  # what changed: "people/Ada Lovelace.md changed", "New day, ..."
    written: tuple[str, ...]
    deleted: tuple[str, ...]
    seconds: float = 0.0
    problems: tuple[Problem, ...] = ()
    unchanged: int = 0
    notes: tuple[str, ...] = ()  # the notes read again
    removed: tuple[str, ...] = ()  # the notes gone
    partial: bool = False  # more changes came in: the last pages are left to the next rebuild

    def line(self) -> str:
        if self.written or self.deleted:
            parts = []
            if self.written:
                parts.append("wrote " + _names(self.written))
            if self.deleted:
                parts.append("deleted " + _names(self.deleted))
            done = ", ".join(parts)
        else:
            done = "no page changed"
        if self.partial:
            done += "; more changes came in, the other pages follow"
        took = f"{self.seconds * 1000:.0f} ms" if self.seconds < 1 else f"{self.seconds:.1f} s"
        return f"{self.what}: {done} ({took})"


def _names(pages: tuple[str, ...]) -> str:
    if len(pages) <= 4:
        return ", ".join(pages)
    return f"{len(pages)} pages ({', '.join(pages[:3])}, ...)"


class _VaultGone(Exception):
    """The vault folder went away during a rebuild: nothing may be written (it would recreate it)."""


class _Handler(FileSystemEventHandler):
    def __init__(self, watcher: Watcher) -> None:
        self.watcher = watcher

    def dispatch(self, event: FileSystemEvent) -> None:
        self.watcher.file_event(event)


class Watcher:
    """Builds the vault's pages, then rebuilds them on every burst of changes until stopped.

    `today` fixes the date (as --today does); without it the date is `clock()` and
    a watcher left running past midnight rebuilds for the new day. `echo` gets
    every line the watcher reports. `rebuilds` counts the rebuilds after the first build.
    """

    def __init__(
        self,
        settings: Settings,
        today: date | None = None,
        poll: bool = False,
        echo: Echo | None = None,
        clock: Callable[[], date] = date.today,
        quiet: float = QUIET,
        poll_interval: float = POLL_INTERVAL,
        tick: float = TICK,
        freeze: bool = False,
    ) -> None:
        self.settings = settings
        self.fixed_today = today
        self.poll = poll
        self.echo: Echo = echo or (lambda line, colour: print(line, flush=True))
        self.clock = clock
        self.quiet = quiet
        self.poll_interval = poll_interval
        self.tick = tick
        self.freeze = freeze  # a process of its own: set the first build's objects aside from the GC
        self.root = settings.root
        self.mode = ""
        self.rebuilds = 0
        self.stopped_early = 0  # rebuilds that left their last pages to the next one
        self.history: list[Rebuild] = []
        self.ready = threading.Event()  # set once the first build is written
        self._stopping = threading.Event()
        self._wake = threading.Event()
        self._lock = threading.Lock()
        self._batch = Batch()
        self._touched: set[str] = set()  # pages that changed on disk since we last looked
        self._observer: BaseObserver | None = None
        self._root_id: tuple[int, int] | None = None
        self._gone = False
        self._shown: set[Problem] = set()
        self._reset(settings)

    def _reset(self, settings: Settings) -> None:
        self.settings = settings
        self.live = LiveVault(settings)
        self.renderer = Renderer(settings)
        self.memo = Memo()
        self.on_disk: dict[str, str] = {}  # page -> text we know the output folder holds
        self.built_for: date | None = None
        self._reload = True  # read every note and compare every page with the disk
        self._write_all = False  # compare every page with the disk

    # -- running -------------------------------------------------------------------------------

    def run(self) -> None:
        """Watch until stop() is called (or KeyboardInterrupt); the first build comes first."""
        check_output_inside(self.settings)
        try:
            self._start_observer()
            self.echo(f"Watching {self.root} ({self.mode}); Ctrl-C to stop.", None)
            self._rebuild(Batch())  # with `freeze`, sets the first build's objects aside (_settle)
            self.ready.set()
            while not self._stopping.is_set():
                self._wake.wait(self.tick)
                self._wake.clear()
                if self._stopping.is_set():
                    break
                if not self._vault_is_there():
                    continue
                batch = self._take_batch()
                if batch:
                    self._rebuild(batch)
                elif self.fixed_today is None and self.clock() != self.built_for:
                    day = self.clock()
                    self._rebuild(Batch(), f"New day, {long_date(day)}")
        finally:
            self._stop_observer()

    def stop(self) -> None:
        self._stopping.set()
        self._wake.set()

    def _today(self) -> date:
        return self.fixed_today or self.clock()

    # -- events (the observer's thread) --------------------------------------------------------

    def file_event(self, event: FileSystemEvent) -> None:
        """File one event's paths into the pending batch; wake the loop if one matters."""
        paths = [event.src_path, getattr(event, "dest_path", "")]
        woke = False
        for path in paths:
            if path:
                woke |= self._file_path(os.fsdecode(path), event)
        if woke:
            self._wake.set()

    def _file_path(self, path: str, event: FileSystemEvent) -> bool:
        root = str(self.root)
        if path == root:
            return True  # the vault folder itself: deleted or moved; the loop looks
        if not path.startswith(root + os.sep):
            return False  # moved out of the vault: its source path already told us
        rel = path[len(root) + 1 :].replace(os.sep, "/")
        parts = rel.split("/")
        if rel in OBSIDIAN_FILES:  # the daily notes folder and format, the templates folders
            with self._lock:
                self._batch.setting(rel)
                return self._stamp()
        if any(part.startswith(".") for part in parts):
            return False  # .git, the rest of .obsidian, swap files, vaultkit's own temporary files
        output, templates = self.live.output_rel, self.live.templates_rel
        with self._lock:
            if rel == output or rel.startswith(output + "/"):
                # Our own writes land here: they never trigger a rebuild. A page someone else
                # changed is compared with the disk at the next rebuild; a deleted output
                # folder is written again at once.
                self._touched.add(rel[len(output) + 1 :])
                if rel == output and event.event_type in ("deleted", "moved"):
                    self._batch.repair = True
                    return self._stamp()
                return False
            if rel == CONFIG_NAME:
                self._batch.setting(rel)
            elif rel == templates or rel.startswith(templates + "/"):
                self._batch.templates = True
            elif event.is_directory:
                self._batch.rescan = True
            elif is_temporary(parts[-1]):
                return False
            else:
                self._batch.paths.add(rel)
            return self._stamp()

    def _stamp(self) -> bool:
        now = time.monotonic()
        if not self._batch.first:
            self._batch.first = now
        self._batch.last = now
        return True

    def _take_batch(self) -> Batch:
        """Wait for the burst to go quiet, then take what it changed."""
        while not self._stopping.is_set():
            with self._lock:
                batch = self._batch
                if not batch:
                    return Batch()
                now = time.monotonic()
                wait = min(batch.last + self.quiet - now, batch.first + MAX_WAIT - now)
                if wait <= 0:
                    self._batch = Batch()
                    return batch
            self._stopping.wait(wait)
        return Batch()

    # -- the observer --------------------------------------------------------------------------

    def _start_observer(self) -> None:
        handler = _Handler(self)
        if not self.poll:
            observer: BaseObserver = Observer()
            observer.schedule(handler, str(self.root), recursive=True, event_filter=EVENTS)
            try:
                observer.start()
            except OSError as exc:
                if exc.errno not in (errno.ENOSPC, errno.EMFILE):
                    raise
                self.echo(
                    f"The system's limit of file watches is reached ({exc.strerror}); polling the vault "
                    f"every {self.poll_interval:g} s instead. To watch with events, raise the limit: "
                    "sudo sysctl fs.inotify.max_user_watches=524288",
                    "yellow",
                )
                self.poll = True
            else:
                self._observer = observer
                self.mode = _observer_name(observer)
        if self.poll:
            observer = PollingObserver(timeout=self.poll_interval)
            observer.schedule(handler, str(self.root), recursive=True, event_filter=EVENTS)
            observer.start()
            self._observer = observer
            self.mode = f"polling every {self.poll_interval:g} s"
        self._root_id = _identity(self.root)

    def _stop_observer(self) -> None:
        if self._observer is not None:
            self._observer.stop()
            if self._observer.is_alive():
                self._observer.join()
            self._observer = None

    def _vault_is_there(self) -> bool:
        """Notice a vault folder that was deleted (wait for it) or replaced (watch the new one)."""
        now = _identity(self.root)
        if now == self._root_id and not self._gone:
            return True
        if now is None:
            if not self._gone:
                self._gone = True
                self._stop_observer()
                with self._lock:
                    self._batch = Batch()
                self.echo(f"{_clock()} The vault folder {self.root} is gone; waiting for it to come back.", "red")
            return False
        self._gone = False
        self._stop_observer()
        self.echo(f"{_clock()} The vault folder {self.root} is back; reading it again.", "yellow")
        self._start_observer()
        self._reload = True
        self._rebuild(Batch(), "Read the vault again")
        return True

    # -- rebuilding ----------------------------------------------------------------------------

    def _rebuild(self, batch: Batch, what: str | None = None) -> None:
        """One rebuild; an error is reported and the watcher goes on.

        `what` says why when no file did (the first build, a new day); the first
        build's errors are the user's to fix before watching, so they are raised.
        """
        started = time.perf_counter()
        first = not self.ready.is_set()
        try:
            with build_locked(self.settings, lambda line: self.echo(f"{_clock()} {line}", "yellow")):
                report = self._build(batch, what)
        except _VaultGone:
            self._reload = True
            self._wake.set()  # the loop notices the folder is gone and waits for it
            return
        except VaultkitError as exc:
            if first:
                raise
            self._write_all = True
            self.echo(f"{_clock()} Rebuild failed: {exc.format_message()} (still watching)", "red")
            return
        except Exception as exc:  # a bug, or the disk changing under us: say it, keep going
            if first or os.environ.get("VAULTKIT_DEBUG"):
                raise
            self._reload = True
            self.echo(f"{_clock()} Rebuild failed: {type(exc).__name__}: {exc} (still watching)", "red")
            return
        if report is None:
            return
        if first:
            self._settle()  # before the line that says the watcher is ready
        report = replace(report, seconds=time.perf_counter() - started)
        self.history.append(report)
        if first:
            self.echo(
                f"{report.what}: {len(report.written)} written, {report.unchanged} unchanged "
                f"({report.seconds:.2f} s)",
                None,
            )
        else:
            self.rebuilds += 1
            self.echo(f"{_clock()} {report.line()}", None)
        self._show_problems(report.problems)

    def _settle(self) -> None:
        """With `freeze`: the vault's records live as long as the process. Set aside from the
        garbage collector, they are not scanned again at every full collection, which in a
        10,000-person vault took tens of milliseconds in the middle of rebuilds. (The few
        objects of theirs that later die in reference cycles, such as a renderer replaced
        after a template change, are not freed: a small price.) The collection first takes
        0.13 s at 10,000 people; done after the first build was announced, it delayed the
        rebuild of a save made at once."""
        if self.freeze:
            gc.collect()
            gc.freeze()

    def _build(self, batch: Batch, what: str | None) -> Rebuild | None:
        if batch.settings:
            self._settings_changed()
        if batch.templates:
            self.renderer = Renderer(self.settings)
        full = self._reload
        if full:
            check_output_inside(self.settings)
            changes = self.live.load()
        elif batch.rescan:
            changes = self.live.rescan()
            more = self.live.update(batch.paths)
            changes.read += more.read
            changes.removed += more.removed
            changes.kept += more.kept
            changes.names |= more.names
        else:
            changes = self.live.update(batch.paths)
        today = self._today()
        if not (full or changes or batch.settings or batch.templates or batch.repair or today != self.built_for):
            return None  # a file was touched but nothing in it counts: nothing to say
        index = self.live.index()
        if not self.ready.is_set():
            require_people(self.settings, len(index.people))  # before the first page is written
        stopped = self.stopped_early
        pages, result = self._write(iter_pages(index, today, self.renderer, self.memo), full or batch.repair)
        self._reload = self._write_all = False
        self.built_for = today
        if not self.ready.is_set():
            what = (
                f"Built {self.live.output_rel}/ from {plural(len(index.people), 'person', 'people')}, "
                f"{plural(len(index.events), 'event')}, {plural(len(index.resources), 'resource')}; "
                f"{plural(len(pages), 'page')}"
            )
        return Rebuild(
            what or _what_changed(changes, batch),
            tuple(result.written),
            tuple(result.deleted),
            problems=(*index.problems, *date_warnings(index, today), *result.refused),
            unchanged=len(result.unchanged),
            notes=tuple(sorted(changes.read)),
            removed=tuple(sorted(changes.removed)),
            partial=self.stopped_early > stopped,
        )

    def _settings_changed(self) -> None:
        try:
            settings = load_settings(self.root)
        except VaultkitError as exc:
            self.echo(f"{_clock()} {exc.format_message()} (keeping the settings read before)", "red")
            return
        if settings != self.settings:
            self._reset(settings)

    def _write(self, made: Iterator[tuple[str, str]], everything: bool) -> tuple[dict[str, str], WriteResult]:
        """Write each page whose text changed as soon as it is made (Reminders.md comes first);
        then delete our pages that are no longer made. `everything` compares every page with
        the disk and clears the folder of stale pages, as `vaultkit build` does."""
        output = self.settings.output
        if _identity(self.root) != self._root_id:
            raise _VaultGone()
        with self._lock:
            touched, self._touched = self._touched, set()
        for page in touched:
            self.on_disk.pop(page, None)
        if everything or self._write_all:
            pages = dict(made)
            result = write_pages(output, pages, self.root)
            self.on_disk = {}
        else:
            pages, result = {}, WriteResult()
            finished = True
            while True:
                if pages and self._changes_waiting():
                    # More saves came in: the pages acted on first are written; the rest
                    # (the slow ones of a big vault) are left to the next rebuild.
                    made.close()  # type: ignore[attr-defined]
                    self.stopped_early += 1
                    finished = False
                    break
                try:
                    page, text = next(made)
                except StopIteration:
                    break
                pages[page] = text
                if self.on_disk.get(page) == text:
                    result.unchanged.append(page)
                    continue
                if not self.root.is_dir():
                    raise _VaultGone()
                one = write_pages(output, {page: text}, self.root, prune=False)
                result.written += one.written
                result.unchanged += one.unchanged
                result.refused += one.refused
            if finished:  # only a whole build knows which pages are no longer made
                # as a build does: every page of ours in the folder that this build did not make
                # goes, whatever put it there (a person deleted, a git checkout, an older watch)
                result.deleted = prune_pages(output, set(pages)) if output.is_dir() else []
        for page in (*result.written, *result.unchanged):
            self.on_disk[page] = pages[page]
        for page in result.deleted:
            self.on_disk.pop(page, None)
        return pages, result

    def _changes_waiting(self) -> bool:
        with self._lock:
            return bool(self._batch)

    def _show_problems(self, problems: tuple[Problem, ...]) -> None:
        new = [p for p in problems if p not in self._shown]
        self._shown = set(problems)
        for problem in new[:SHOWN_PROBLEMS]:
            self.echo(f"  {problem}", "yellow" if problem.severity == "warning" else "red")
        if len(new) > SHOWN_PROBLEMS:
            self.echo(f"  ... and {len(new) - SHOWN_PROBLEMS} more: vaultkit check lists them all", None)


def _what_changed(changes: Changes, batch: Batch) -> str:
    reasons = []
    if batch.templates:
        reasons.append("templates changed")
    if batch.settings:  # new settings read every note again: that is not news
        return "; ".join([f"{' and '.join(batch.settings)} changed", *reasons])
    notes = changes.notes()
    if len(notes) == 1:
        verb = "deleted" if changes.removed else "does not read" if changes.kept else "changed"
        reasons.append(f"{notes[0]} {verb}")
    elif notes:
        parts = []
        if changes.read:
            parts.append(f"{plural(len(changes.read), 'note')} changed")
        if changes.removed:
            parts.append(f"{len(changes.removed)} deleted")
        reasons.append(", ".join(parts))
    elif changes.names:
        reasons.append("files renamed")
    if batch.repair:
        reasons.append("the output folder was deleted")
    return "; ".join(reasons) or "Rebuilt"


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_dev, info.st_ino)


def _observer_name(observer: BaseObserver) -> str:
    name = type(observer).__name__.removesuffix("Observer")
    return {"Inotify": "inotify", "FSEvents": "FSEvents", "Kqueue": "kqueue", "WindowsApi": "Windows events"}.get(
        name, name
    )


def _clock() -> str:
    return time.strftime("[%H:%M:%S]")


__all__ = ["Watcher", "Rebuild", "is_temporary"]
