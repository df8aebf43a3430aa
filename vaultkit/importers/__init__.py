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
    parsed = readers[source](path, data)
    if source == "vcard" and not parsed.contacts and not parsed.skipped:  # a photo, a CSV, an empty file
        what = "a binary file" if b"\x00" in data[:1024] or data.startswith(b"\x89PNG") else "no BEGIN:VCARD line"
        raise VaultkitError(f"{path.name}: no vCard in it ({what}); is this a .vcf export?")
    return parsed
