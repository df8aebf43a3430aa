"""Advisory locks: one per note for the commands that change it (a lock file in `.vaultkit/locks/`),
one per vault for the commands that write its pages (on the vault folder itself).

They are `flock` locks: the operating system releases a lock when the
process holding it ends, however it ends (Ctrl-C, a kill, a crash), so a lock file left behind
holds nothing and is simply used again. A note's lock file is deleted when its command is done. Only vaultkit takes them; an editor saving a note does
not (the commands re-read the note under the lock and replace it atomically, so an editor's save
lands before or after a command's change, never inside it). Where the locks folder cannot be
written (a read-only vault) or the system has no `flock` (Windows), commands run unlocked and the
write that follows reports what the disk says.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from vaultkit.errors import VaultkitError
from vaultkit.settings import Settings

try:
    import fcntl
except ImportError:  # Windows: no flock
    fcntl = None  # type: ignore[assignment]

LOCKS_DIR = ".vaultkit/locks"
NOTE_WAIT = 30.0  # seconds a command waits for another one changing the same note
BUILD_WAIT = 600.0  # seconds a build waits for another build (or a watch's rebuild) of the vault
POLL = 0.02  # seconds between two tries of a lock another process holds


class Busy(Exception):
    """The lock was held by another process for the whole wait."""


def _open(path: Path, folder: bool = False) -> int | None:
    """The lock file's descriptor (`folder`: the folder's own, never made); None when it cannot
    be had (no flock, a read-only vault, a vault folder gone)."""
    if fcntl is None:
        return None
    try:
        if folder:
            return os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
        # never parents=True: a vault folder that went away must not be made again here
        path.parent.parent.mkdir(exist_ok=True)
        path.parent.mkdir(exist_ok=True)
        return os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o666)
    except OSError:
        return None


def _try(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


@contextlib.contextmanager
def _locked(
    path: Path, wait: float, waiting: Callable[[], None] | None = None, remove: bool = False, folder: bool = False
) -> Iterator[None]:
    """Hold an exclusive flock on `path`. `remove`: delete the lock file when done, so the locks
    folder holds only the locks in use (a process that got the lock of a file deleted meanwhile
    sees that it is not the file at `path` any more, and takes the new one)."""
    deadline = time.monotonic() + wait
    told = False
    while True:
        fd = _open(path, folder)
        if fd is None:
            yield
            return
        try:
            while not _try(fd):
                if waiting is not None and not told:
                    waiting()
                    told = True
                if time.monotonic() > deadline:
                    raise Busy()
                time.sleep(POLL)
            if remove and not _same_file(fd, path):
                continue  # (closed in finally) its holder deleted it: lock the one there now
            try:
                yield
            finally:
                if remove:
                    with contextlib.suppress(OSError):
                        os.unlink(path)
            return
        finally:
            os.close(fd)  # closing the file releases the lock


@contextlib.contextmanager
def tried(path: Path) -> Iterator[bool]:
    """An exclusive flock on `path` if no other process holds it: True while held (or where
    there are no locks, as for the others), False when another process has it. The file stays."""
    fd = _open(path)
    if fd is None:
        yield True
        return
    try:
        yield _try(fd)
    finally:
        os.close(fd)  # closing the file releases the lock


def _same_file(fd: int, path: Path) -> bool:
    try:
        return os.stat(path).st_ino == os.fstat(fd).st_ino
    except OSError:
        return False


def note_lock_path(settings: Settings, path: Path) -> Path:
    """The lock file of the note at `path` (by its real path: a symlinked note shares its target's)."""
    import hashlib  # (here: a build does not need it)

    name = hashlib.blake2b(os.fsencode(os.path.realpath(path)), digest_size=10).hexdigest()
    return settings.root / LOCKS_DIR / f"note-{name}.lock"


@contextlib.contextmanager
def note_locked(settings: Settings, path: Path, shown: str) -> Iterator[None]:
    """Hold the note's lock: another vaultkit command changing it waits until this one is done."""
    lock = note_lock_path(settings, path)
    try:
        with _locked(lock, NOTE_WAIT, remove=True):
            yield
    except Busy:
        raise VaultkitError(
            f"{shown}: another vaultkit command has been changing this note for {NOTE_WAIT:g} s "
            f"(lock {lock}); not changed. Try again; see docs/troubleshooting.md"
        ) from None


@contextlib.contextmanager
def build_locked(settings: Settings, waiting: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the vault's build lock: one build (or watch rebuild) writes the pages at a time.

    The lock is on the vault folder itself, so a build (even with --no-cache) makes no file
    for it. A second build waits for the first to finish, saying so once through `waiting`.
    """
    lock = settings.root
    message = f"Another vaultkit build or watch is writing this vault's pages; waiting for it (a lock on {lock})"
    try:
        with _locked(lock, BUILD_WAIT, (lambda: waiting(message)) if waiting else None, folder=True):
            yield
    except Busy:
        raise VaultkitError(
            f"another vaultkit build or watch held {lock} for {BUILD_WAIT:g} s; nothing written. "
            "If no vaultkit is running, see docs/troubleshooting.md"
        ) from None
