"""Importers: an exported address book -> contacts (importers/<source>.py), then a plan of
notes to create and to merge into (importers/merge.py)."""

from __future__ import annotations

from pathlib import Path

from vaultkit.errors import VaultkitError
from vaultkit.importers.contact import Parsed

SOURCES = ("linkedin", "google", "vcard")


def read_contacts(source: str, path: Path) -> Parsed:
    """The contacts in `path`, read as `source` exports them."""
    from vaultkit.importers import google, linkedin, vcard

    readers = {"linkedin": linkedin.read, "google": google.read, "vcard": vcard.read}
    if source not in readers:
        raise VaultkitError(f"unknown source {source!r}; choose one of {', '.join(SOURCES)}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise VaultkitError(f"{path}: cannot read: {exc.strerror}") from None
    return readers[source](path, data)
