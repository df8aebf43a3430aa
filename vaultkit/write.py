"""Writing files safely: marker check, write only when the bytes differ, atomic replace."""

from __future__ import annotations

import contextlib
import os
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path

from vaultkit.errors import Problem
from vaultkit.words import MARKER

TEMP_PREFIX = ".vaultkit-tmp-"


def _discard(temp: str) -> None:
    """Remove a temporary file if it is still there."""
    with contextlib.suppress(OSError):
        os.unlink(temp)


def _flushed_temp(path: Path, data: bytes, mode: int | None = None) -> str:
    """A temporary file beside `path` holding `data`, flushed to disk, with `mode` (or the
    umask's default); removed again if writing it fails."""
    path.parent.mkdir(parents=True, exist_ok=True)
    import tempfile  # (imported here: a build with nothing to write does not need it)

    fd, temp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, stat.S_IMODE(mode) if mode is not None else 0o666 & ~_umask())
    except BaseException:
        _discard(temp)
        raise
    return temp


def atomic_write(path: Path, data: bytes, mode: int | None = None) -> None:
    """Write a temporary file in the same folder, flush it to disk, then rename it over `path`.

    An interrupted write leaves the old file or the new one, never half of one.
    `mode` keeps a note's permissions when it is rewritten.
    """
    temp = _flushed_temp(path, data, mode)
    try:
        os.replace(temp, path)
    except BaseException:
        _discard(temp)
        raise


def atomic_create(path: Path, data: bytes) -> None:
    """Like atomic_write, but never over an existing file: FileExistsError if there is one.

    The temporary file is hard-linked to its name (which fails if the name is taken), so
    the new file appears complete or not at all.
    """
    temp = _flushed_temp(path, data)
    try:
        try:
            os.link(temp, path)
        except FileExistsError:
            raise
        except OSError:  # a file system without hard links: check, then rename
            if os.path.lexists(path):
                raise FileExistsError(path) from None
            os.replace(temp, path)
    finally:
        _discard(temp)  # the name stays linked to the file; only the temporary name goes


def atomic_write_all(items: list[tuple[Path, bytes]]) -> list[OSError | None]:
    """Pages: each written to a temporary file beside it, then renamed over it.

    An interrupted build (Ctrl-C, a kill) leaves each page old or new, never half. Unlike
    atomic_write, nothing is flushed to disk: pages are made from the notes, every build
    makes them again, and a flush per page made a cold build of 900 pages wait a tenth of
    a second or more. After a power cut a page may be empty; write_pages takes an empty
    file as its own (there is nothing of the user's in it) and the next build rewrites it.
    Returns, for each item, None or the error it met.
    """
    errors: list[OSError | None] = [None] * len(items)
    folders: set[Path] = set()
    prefix = f"{TEMP_PREFIX}{os.getpid()}-"
    for number, (path, data) in enumerate(items):
        temp = ""
        try:
            if path.parent not in folders:
                path.parent.mkdir(parents=True, exist_ok=True)
                folders.add(path.parent)
            temp, fd = _open_temp(path.parent, f"{prefix}{number}.tmp")
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view):]
            finally:
                os.close(fd)
            os.replace(temp, path)
        except BaseException as exc:
            if temp:
                _discard(temp)
            if not isinstance(exc, OSError):
                raise
            errors[number] = exc
    return errors


def _open_temp(folder: Path, name: str) -> tuple[str, int]:
    """A new temporary file in `folder` (mode 0o666 less the umask, as any new file)."""
    temp = os.path.join(folder, name)
    try:
        return temp, os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
    except FileExistsError:  # left by a killed build that had our process number
        import tempfile

        fd, temp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".tmp", dir=folder)
        os.chmod(temp, 0o666 & ~_umask())
        return temp, fd


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def is_generated(path: Path) -> bool:
    """True when the file's first line is vaultkit's marker."""
    try:
        with path.open("rb") as handle:
            first = handle.readline(len(MARKER) + 8)
    except OSError:
        return False
    return _marked(first)


def _marked(data: bytes) -> bool:
    """True when these bytes (a file's, or its first line) start with the marker line."""
    first = data[: len(MARKER) + 8].split(b"\n", 1)[0]
    return first.decode("utf-8", "replace").lstrip("\ufeff").rstrip("\r\n") == MARKER


@dataclass
class WriteResult:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    refused: list[Problem] = field(default_factory=list)


def write_pages(
    output: Path, pages: dict[str, str], vault_root: Path, prune: bool = True, known: dict[str, tuple] | None = None
) -> WriteResult:
    """Write each page under `output` when its bytes changed; delete own pages no longer made.

    A file without the marker is the user's: it is neither overwritten nor deleted.
    `known`: page -> the stat its file had when it held the bytes the page has now (the last
    build's, not racy); a file whose stat is still that is unchanged, unread.
    """
    result = WriteResult()
    rel_output = output.relative_to(vault_root).as_posix()
    real_output = output.resolve()
    outcomes: dict[str, Problem | tuple[str, int] | None] = {}  # refused, to write (shown, number), unchanged
    pending: list[tuple[Path, bytes]] = []
    folders_inside: dict[Path, bool] = {}
    for name in sorted(pages):
        path = output / name
        data = pages[name].encode("utf-8")
        shown = f"{rel_output}/{name}"
        try:
            st = os.lstat(path)
            mode = st.st_mode
        except FileNotFoundError:
            mode = None
        except OSError as exc:
            outcomes[name] = Problem(shown, None, f"cannot read: {exc.strerror}", code="refused")
            continue
        if mode is not None and known and known.get(name) == (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino):
            outcomes[name] = None  # as the last build wrote it, and the same bytes again
            continue
        if mode is not None and not stat.S_ISREG(mode):
            outcomes[name] = Problem(shown, None, "not a regular file; vaultkit leaves it alone", code="refused")
            continue
        inside = folders_inside.get(path.parent)
        if inside is None:  # once a folder: a build writes hundreds of pages into three folders
            inside = folders_inside[path.parent] = path.parent.resolve() == real_output.joinpath(*Path(name).parts[:-1])
        if not inside:
            # a symlinked folder inside the output folder would lead the write elsewhere
            message = "its folder is a symlink; vaultkit writes only inside its output folder"
            outcomes[name] = Problem(shown, None, message, code="refused")
            continue
        if mode is not None:
            try:
                current = path.read_bytes()
            except OSError as exc:
                outcomes[name] = Problem(shown, None, f"cannot read: {exc.strerror}", code="refused")
                continue
            if current == data:
                outcomes[name] = None
                continue
            if current and not _marked(current):  # (an empty file holds nothing of the user's)
                outcomes[name] = Problem(shown, 1, "not written by vaultkit (no marker line); left as it is — move it away to let vaultkit write this page", code="refused")
                continue
        outcomes[name] = (shown, len(pending))
        pending.append((path, data))
    errors = atomic_write_all(pending)
    for name in sorted(pages):  # results in page order, whichever way each page went
        outcome = outcomes.get(name)
        if isinstance(outcome, Problem):
            result.refused.append(outcome)
        elif outcome is None:
            result.unchanged.append(name)
        elif errors[outcome[1]] is None:
            result.written.append(name)
        else:
            result.refused.append(Problem(outcome[0], None, f"cannot write: {errors[outcome[1]].strerror}", code="refused"))  # type: ignore[union-attr]
    if prune and output.is_dir():
        result.deleted = prune_pages(output, set(pages))
    return result


TEMP_KEEP_SECONDS = 3600  # a temporary file of no known process is taken as left behind after this


def _left_behind(entry: os.DirEntry) -> bool:
    """A temporary file that no running process is writing: its process (the number in its name)
    is gone, or it has no number and is an hour old. Another build's files in flight stay."""
    number = entry.name[len(TEMP_PREFIX) :].split("-", 1)[0]
    if number.isdigit() and int(number) != os.getpid():
        try:
            os.kill(int(number), 0)
        except ProcessLookupError:
            return True
        except OSError:  # (PermissionError: it runs, as another user)
            return False
        return False
    try:
        return entry.stat(follow_symlinks=False).st_mtime < time.time() - TEMP_KEEP_SECONDS
    except OSError:
        return False


def prune_pages(output: Path, keep: set[str]) -> list[str]:
    """Delete pages carrying the marker that this build did not produce, and leftover temp files.

    Symlinks are never followed nor deleted; folders left empty go.
    """
    deleted: list[str] = []
    folders: list[str] = []

    def walk(folder: str, prefix: str) -> None:
        try:
            with os.scandir(folder) as found:
                entries = sorted(found, key=lambda e: e.name)
        except OSError:
            return
        for entry in entries:
            name = prefix + entry.name
            if entry.is_symlink():
                continue
            if entry.is_dir():
                folders.append(entry.path)
                walk(entry.path, name + "/")
            elif entry.name.startswith(TEMP_PREFIX):
                if _left_behind(entry):
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)
            elif name not in keep and name.endswith(".md") and entry.is_file() and is_generated(Path(entry.path)):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(entry.path)
                deleted.append(name)

    walk(str(output), "")
    for folder in reversed(folders):  # the deepest first
        try:
            os.rmdir(folder)  # only empty folders go
        except OSError:
            pass
    return sorted(deleted)
