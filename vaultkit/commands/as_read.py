"""The notes as a command reads them, and whether they are still as the last build read them.

`vaultkit build` (build.py) and the commands that read the people's rows (reckoning.py)
both ask these: reading every note into the index (only the changed ones from their files,
with the build cache), and comparing the notes the scan finds with those a build read
(`notes_read`): the same paths, kinds and stats, and the same bytes for the racy ones.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Container
from typing import TYPE_CHECKING

from vaultkit.errors import VaultkitError
from vaultkit.read import collector
from vaultkit.read.notes import entries_of, existing_cache
from vaultkit.read.scan import Scan, Stat, scan
from vaultkit.settings import Settings

if TYPE_CHECKING:
    from vaultkit.index.vault import Index
    from vaultkit.read.cache import Cache
    from vaultkit.read.codec import Entry


def check_note_folders(settings: Settings) -> None:
    """Refuse a notes folder that is a file: its notes would be missing from every page."""
    for key in ("people_dir", "events_dir", "resources_dir"):
        folder = getattr(settings, key)
        path = settings.root / folder
        if os.path.lexists(path) and not path.is_dir():
            raise VaultkitError(
                f"{key} {folder!r} is a file, not a folder ({path}); nothing written. "
                f"Move it away, or set {key} in vaultkit.toml"
            )


def load_index(settings: Settings, use_cache: bool = True) -> Index:
    """Every note in the index, for the commands besides build: unchanged notes from the cache.

    The cache is kept up to date where build made one; these commands never make one.
    """
    check_note_folders(settings)
    seen_ns = time.time_ns()
    found = scan(settings)
    return read_all(settings, found, existing_cache(settings) if use_cache else None, seen_ns, displace=True)[1]


def read_all(
    settings: Settings, found: Scan, cache: Cache | None, seen_ns: int, replaced: dict[str, Entry] | None = None,
    displace: bool = False,
) -> tuple[dict[str, Entry], Index]:
    """Each note's cache entry (read or from the cache), and the index of their records.
    `replaced`, `displace`: see read/notes.entries_of."""
    from vaultkit.index.vault import build_index

    # Hundreds of thousands of small objects, no cycles, kept to the end of the command: no
    # collection walks them (a build unfreezes them once its pages are written).
    with collector.paused(keep=True):
        entries = entries_of(settings, found, cache, seen_ns, replaced, displace)
        index = build_index(settings, [entry[4] for entry in entries.values()], found.other_names, found.problems)
    collector.keep(entries, index)  # (freed by the process's end, if it ends with the command)
    return entries, index


def notes_read(found: Scan, entries: dict[str, Entry]) -> tuple[list[str], list[str], bytes, dict[str, bytes]]:
    """The notes as they were read, for a check that they are still so (_unchanged,
    commands/reckoning.py): in the scan's order, their kinds, their stats packed, and the
    digests of the racy ones (changed too close to the read to trust their stat)."""
    # (each entry has the stat the scan found: read with it, or taken from the cache for it;
    # a note without one packs the notes' stats into b"", as pack_stats does)
    return (
        list(found.notes),
        [entries[rel][0] for rel in found.notes],
        found.packed_stats if len(found.stats) == len(found.notes) else b"",
        {rel: entry[2] for rel, entry in entries.items() if entry[3]},
    )


def notes_reread(found: Scan, racy: dict[str, bytes], entries: dict[str, Entry]) -> tuple[list[str], list[str], bytes, dict[str, bytes]]:
    """The notes as read (notes_read) when only those of `entries` were read anew since notes
    read with these `racy` digests: the others' digests, then the new entries' own."""
    now = {rel: sums for rel, sums in racy.items() if rel not in entries}
    now.update((rel, entry[2]) for rel, entry in entries.items() if entry[3])
    return list(found.notes), list(found.notes.values()), found.packed_stats, now


def notes_as_read(
    settings: Settings, found: Scan, notes: list[str], kinds: list[str], stats: bytes, racy: dict[str, bytes],
    stat_of: Callable[[str], Stat | None] | None = None,
) -> bool:
    """Whether the notes the scan found are the notes as notes_read took them: the same
    paths and kinds, each with the same stat, and the racy ones with the same bytes.
    `stat_of`: the kept stat of one note, to compare them path by path when the scan lists
    them in another order (without it, another order counts as a change)."""
    if list(found.notes) == notes:  # listed in the same order, as a folder usually is
        return notes_changed(settings, found, notes, kinds, stats, racy) == []
    if not stats or len(found.stats) != len(found.notes):
        return False  # (a note without a stat is never taken as unchanged)
    if stat_of is None or found.notes != dict(zip(notes, kinds, strict=True)) or any(
        found.stats[rel] != stat_of(rel) for rel in found.notes
    ):
        return False
    return not _racy_changed(settings, racy)


def notes_changed(
    settings: Settings, found: Scan, notes: list[str], kinds: list[str], stats: bytes, racy: dict[str, bytes]
) -> list[str] | None:
    """The notes that changed since notes_read took them, when the scan finds the same notes
    in the same order and of the same kinds, each with a stat (None else): those with
    another stat, and the racy ones with other bytes."""

    if list(found.notes) != notes or list(found.notes.values()) != kinds or len(found.stats) != len(found.notes):
        return None  # (a note without a stat is never taken as unchanged)
    now = found.packed_stats
    if not now or len(now) != len(stats):
        return None
    changed: list[int] = []
    block = STAT_BYTES * 256  # compared a block at a time, then note by note where they differ
    for start in range(0, len(now), block):
        if now[start : start + block] != stats[start : start + block]:
            for at in range(start, min(start + block, len(now)), STAT_BYTES):
                if now[at : at + STAT_BYTES] != stats[at : at + STAT_BYTES]:
                    changed.append(at // STAT_BYTES)
    paths = [notes[at] for at in changed]
    return paths + _racy_changed(settings, racy, but=set(paths))


def _racy_changed(settings: Settings, racy: dict[str, bytes], but: Container[str] = ()) -> list[str]:
    """The racy notes (kept with the digest of their bytes) whose bytes are other now, but
    these. A note kept without a digest was not read (too big, not a regular file,
    unreadable): its stat, the same, says it is still so."""
    from vaultkit.read.cache import notes_digest_ok

    return [rel for rel, sums in racy.items() if sums and rel not in but and not notes_digest_ok(rel, settings.root, sums)]


STAT_BYTES = 32  # a note's stat as pack_stats packs it: four 64-bit numbers
