"""Writing files safely: marker check, write only when the bytes differ, atomic replace."""

from __future__ import annotations

import os
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Problem
from .render import MARKER

TEMP_PREFIX = ".vaultkit-tmp-"


def atomic_write(path: Path, data: bytes, mode: int | None = None) -> None:
    """Write a temporary file in the same folder, flush it to disk, then rename it over `path`.

    An interrupted write leaves the old file or the new one, never half of one.
    `mode` keeps a note's permissions when it is rewritten.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(temp, stat.S_IMODE(mode))
        else:
            os.chmod(temp, 0o666 & ~_umask())
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise


def atomic_create(path: Path, data: bytes) -> None:
    """Like atomic_write, but never over an existing file: FileExistsError if there is one.

    The temporary file is hard-linked to its name (which fails if the name is taken), so
    the new file appears complete or not at all.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o666 & ~_umask())
        try:
            os.link(temp, path)
        except FileExistsError:
            raise
        except OSError:  # a file system without hard links: check, then rename
            if os.path.lexists(path):
                raise FileExistsError(path) from None
            os.replace(temp, path)
    finally:
        try:
            os.unlink(temp)
        except OSError:
            pass


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
    return first.decode("utf-8", "replace").lstrip("\ufeff").rstrip("\r\n") == MARKER


@dataclass
class WriteResult:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    refused: list[Problem] = field(default_factory=list)


def write_pages(output: Path, pages: dict[str, str], vault_root: Path, prune: bool = True) -> WriteResult:
    """Write each page under `output` when its bytes changed; delete own pages no longer made.

    A file without the marker is the user's: it is neither overwritten nor deleted.
    """
    result = WriteResult()
    rel_output = output.relative_to(vault_root).as_posix()
    real_output = output.resolve()
    for name in sorted(pages):
        path = output / name
        data = pages[name].encode("utf-8")
        shown = f"{rel_output}/{name}"
        if path.is_symlink() or (path.exists() and not path.is_file()):
            result.refused.append(Problem(shown, None, "not a regular file; vaultkit leaves it alone", code="refused"))
            continue
        if path.parent.resolve() != real_output.joinpath(*Path(name).parts[:-1]):
            # a symlinked folder inside the output folder would lead the write elsewhere
            message = "its folder is a symlink; vaultkit writes only inside its output folder"
            result.refused.append(Problem(shown, None, message, code="refused"))
            continue
        if path.exists():
            try:
                current = path.read_bytes()
            except OSError as exc:
                result.refused.append(Problem(shown, None, f"cannot read: {exc.strerror}", code="refused"))
                continue
            if current == data:
                result.unchanged.append(name)
                continue
            if not is_generated(path):
                result.refused.append(
                    Problem(shown, 1, "not written by vaultkit (no marker line); left as it is — move it away to let vaultkit write this page", code="refused")
                )
                continue
        try:
            atomic_write(path, data)
        except OSError as exc:
            result.refused.append(Problem(shown, None, f"cannot write: {exc.strerror}", code="refused"))
            continue
        result.written.append(name)
    if prune and output.is_dir():
        result.deleted = _prune(output, set(pages))
    return result


def _prune(output: Path, keep: set[str]) -> list[str]:
    """Delete pages carrying the marker that this build did not produce, and leftover temp files."""
    deleted = []
    for path in sorted(output.rglob("*")):
        if path.is_symlink() or not path.is_file():
            continue
        name = path.relative_to(output).as_posix()
        if path.name.startswith(TEMP_PREFIX):
            path.unlink(missing_ok=True)
            continue
        if name in keep or not name.endswith(".md") or not is_generated(path):
            continue
        path.unlink(missing_ok=True)
        deleted.append(name)
    for folder in sorted((p for p in output.rglob("*") if p.is_dir() and not p.is_symlink()), reverse=True):
        try:
            folder.rmdir()  # only empty folders go
        except OSError:
            pass
    return deleted
