"""One note changed safely: under its lock, re-read, changed as text, replaced atomically."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from vaultkit.edit.lock import note_locked
from vaultkit.errors import VaultkitError
from vaultkit.settings import Settings
from vaultkit.write import atomic_write

BOM = b"\xef\xbb\xbf"


def os_error(shown: str, action: str, exc: OSError) -> VaultkitError:
    """An OS error (a full disk, a read-only folder, no permission) as the user's to act on."""
    return VaultkitError(f"{shown}: cannot {action}: {exc.strerror or exc}")


def rewrite_note(settings: Settings, rel: str, change: Callable[[str], str]) -> Path:
    """Apply `change` to the note's text (without a BOM) and write it back atomically, its mode
    kept; nothing is written when the text stays the same.

    The note is read under its lock (lock.py), so a second command changing it at the same time
    sees this one's result: none of their changes is lost. A symlinked note is written through
    to the file the link points at; the link stays.
    """
    path = settings.root / rel
    if path.is_symlink():
        path = path.resolve()
    with note_locked(settings, path, rel):
        try:
            data = path.read_bytes()
            mode = path.stat().st_mode
        except OSError as exc:
            raise os_error(rel, "read", exc) from None
        bom = data.startswith(BOM)
        try:
            text = data[len(BOM) if bom else 0 :].decode("utf-8")
        except UnicodeDecodeError:
            raise VaultkitError(f"{rel}: not UTF-8 text; not changed") from None
        new = change(text)
        if new != text:
            try:
                atomic_write(path, (BOM if bom else b"") + new.encode("utf-8"), mode=mode)
            except OSError as exc:
                raise os_error(rel, "write", exc) from None
    return path
