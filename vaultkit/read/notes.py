"""The vault's notes read into records: unchanged notes from the build cache, the rest on every core.

`vaultkit build` (commands/build.py) and `vaultkit watch` (index/live.py) read through here.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from vaultkit.read import collector
from vaultkit.read.scan import Scan
from vaultkit.settings import Settings

if TYPE_CHECKING:
    from vaultkit.model import Record
    from vaultkit.read.cache import Cache
    from vaultkit.read.codec import Entry


def read_records(settings: Settings, found: Scan, seen_ns: int) -> dict[str, Record]:
    """Every note's record, as load_index reads them (`vaultkit watch` at start).

    `found`: a scan begun after `seen_ns` (time.time_ns()).
    """
    with collector.paused():
        entries = entries_of(settings, found, existing_cache(settings), seen_ns, displace=True)
    return {rel: entry[4] for rel, entry in entries.items()}


def existing_cache(settings: Settings) -> Cache:
    from vaultkit.read.cache import Cache

    return Cache(settings, create=False)


def entries_of(
    settings: Settings, found: Scan, cache: Cache | None, seen_ns: int, replaced: dict[str, Entry] | None = None,
    displace: bool = False,
) -> dict[str, Entry]:
    """Every note's cache entry. `replaced`: filled with the cache's entries of the notes
    read anew, as the cache held them (a build compares what changed: commands/build.py).
    `displace`: a command other than build, which keeps those that the last build read
    (Cache.keep_displaced) for the next build to compare."""
    if cache is not None:
        if displace and replaced is None:
            replaced = {}
        entries = _entries(settings, found, cache, seen_ns, replaced)
        if displace and replaced:
            cache.keep_displaced(replaced)
        return entries
    from vaultkit.read.parallel import read_segments

    read = read_segments(settings, _groups(found), seen_ns, encode=False)
    return {rel: entry for group, _ in read.values() for rel, entry in group.items()}


def _groups(found: Scan) -> dict[int, list[tuple[str, str, tuple | None]]]:
    from vaultkit.read.cache import segment_of

    groups: dict[int, list[tuple[str, str, tuple | None]]] = {}
    for rel, kind in found.notes.items():
        groups.setdefault(segment_of(rel), []).append((rel, kind, found.stats.get(rel)))
    return groups


def _entries(
    settings: Settings, found: Scan, cache: Cache, seen_ns: int, replaced: dict[str, Entry] | None = None
) -> dict[str, Entry]:
    """Every note's cache entry: from the cache when its stat (or digest) still matches, else read.

    Segments that changed are saved again; the others are left as they are.
    """
    from vaultkit.read.cache import SEGMENTS, digest, is_racy
    from vaultkit.read.codec import encode_segment
    from vaultkit.read.parallel import read_segments

    groups = _groups(found)
    entries: dict[str, Entry] = {}
    todo: dict[int, list[tuple[str, str, tuple | None]]] = {}
    dirty: set[int] = set()
    for number in range(SEGMENTS):
        wanted = groups.get(number, [])
        stored = cache.load_segment(number) if wanted else {}
        if not wanted:
            cache.drop_segment(number)
            continue
        if len(stored) != len(wanted):
            dirty.add(number)
        for rel, kind, stat in wanted:
            entry = stored.get(rel)
            if entry is not None and entry[0] == kind and entry[1] == stat and stat is not None:
                if not entry[3]:
                    entries[rel] = entry
                    continue
                data = _read(settings, rel)
                if data is not None and digest(data) == entry[2]:  # racy: trusted by its digest
                    if not is_racy(stat, seen_ns):  # old enough now: trusted by its stat from now on
                        entry = (*entry[:3], False, entry[4])  # type: ignore[assignment]
                        dirty.add(number)
                    entries[rel] = entry
                    continue
            if replaced is not None and entry is not None:
                replaced[rel] = entry
            todo.setdefault(number, []).append((rel, kind, stat))
            dirty.add(number)
    payloads: dict[int, bytes] = {}
    for number, (read, payload) in read_segments(settings, todo, seen_ns).items():
        entries.update(read)
        if payload is not None and len(read) == len(groups[number]):
            payloads[number] = payload  # the whole segment was read and encoded: save its bytes as they are
    for number in sorted(dirty):
        payload = payloads.get(number)
        if payload is None:
            payload = encode_segment({rel: entries[rel] for rel, _, _ in groups[number]})
        cache.save_segment(number, payload)
    return entries


def _read(settings: Settings, rel: str) -> bytes | None:
    from vaultkit.read.cache import read_regular

    return read_regular(os.path.join(settings.root, rel))
