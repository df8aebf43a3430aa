"""Exporters: the vault as other tools read it (vcard.py: contacts; ics.py: a calendar)."""

from __future__ import annotations

import uuid

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "vaultkit")


def stable_uid(*parts: str) -> str:
    """The same UUID for the same parts in every run, so subscribers update, not duplicate."""
    return str(uuid.uuid5(NAMESPACE, "\x1f".join(parts)))
