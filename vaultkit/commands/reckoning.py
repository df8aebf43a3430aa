"""The people's derived rows (rules/rows.py) for `vaultkit due`: from the cache while every
note is as they were made from, else made from the index and kept for next time.

The rows are kept in the build cache's folder (`rows.msgpack`, signed like its other files,
so keyed on the code and the settings too) with the notes they were made from: their paths
in the scan's order, kinds and stats, and the digests of notes changed too close to the
read to trust their stat. A command that finds any of that changed reads the vault as
`load_index` does (only the changed notes from their files) and makes every row again.
"""

from __future__ import annotations

import time

import msgspec

from vaultkit.commands.build import check_note_folders, notes_read, read_all
from vaultkit.read import collector
from vaultkit.read.cache import notes_digest_ok, pack_stats
from vaultkit.read.notes import existing_cache
from vaultkit.read.scan import Scan, scan
from vaultkit.rules import rows as derived
from vaultkit.settings import Settings

ROWS_FILE = "rows.msgpack"

# (paths, kinds, packed stats, racy digests, the rows' payload): the rows' payload is decoded
# only once the rest says the notes are as they were
_Kept = tuple[list[str], list[str], bytes, dict[str, bytes], msgspec.Raw]
_KEPT = msgspec.msgpack.Decoder(_Kept)


def load_rows(settings: Settings) -> derived.Rows:
    """Every person's row, from the cache when the notes are as they were made from."""
    check_note_folders(settings)
    seen_ns = time.time_ns()
    found = scan(settings)
    cache = existing_cache(settings)
    data = cache.read(ROWS_FILE)
    if data is not None:
        rows = _kept(settings, found, data)
        if rows is not None:
            return rows
    from vaultkit.rules.cards import rows_of  # (with matchmaking: only where rows are made)

    entries, index = read_all(settings, found, cache, seen_ns)
    rows = rows_of(index)
    with collector.paused():
        payload = derived.encode(rows)
    cache.write(ROWS_FILE, msgspec.msgpack.encode((*notes_read(found, entries), msgspec.Raw(payload))))
    return rows


def _kept(settings: Settings, found: Scan, data: bytes) -> derived.Rows | None:
    """The kept rows, if made from the notes as the scan found them now."""
    try:
        notes, kinds, stats, racy, payload = _KEPT.decode(data)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None
    if not stats or len(found.stats) != len(found.notes) or list(found.notes) != notes:
        return None  # (listed in another order: made again, which is rare and always right)
    if list(found.notes.values()) != kinds or pack_stats(found.stats.values()) != stats:
        return None
    if not all(notes_digest_ok(rel, settings.root, sums) for rel, sums in racy.items()):
        return None
    with collector.paused(keep=True):
        rows = derived.decode(settings, payload)
    collector.keep(rows)
    return rows
