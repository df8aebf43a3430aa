"""Exporters: the vault as other tools read it (vcard.py: contacts; ics.py: a calendar)."""

from __future__ import annotations

from hashlib import sha1

# uuid.uuid5(uuid.NAMESPACE_URL, "vaultkit").bytes
NAMESPACE = bytes.fromhex("b9d03afd97f350ad8cdfef8eec9e86b4")


def stable_uid(*parts: str) -> str:
    """The same UUID for the same parts in every run, so subscribers update, not duplicate.

    uuid.uuid5(NAMESPACE, "\\x1f".join(parts)) as a string, made without a UUID object
    (an export writes thousands): SHA-1 of the namespace and the name, version 5 and the
    RFC 4122 variant set in its first 16 bytes."""
    digest = bytearray(sha1(NAMESPACE + "\x1f".join(parts).encode("utf-8")).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50
    digest[8] = (digest[8] & 0x3F) | 0x80
    x = digest.hex()
    return f"{x[:8]}-{x[8:12]}-{x[12:16]}-{x[16:20]}-{x[20:]}"
