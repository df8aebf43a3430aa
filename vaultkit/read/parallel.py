"""Reading many notes at once: every core for the cold build of a big vault.

Notes are read in the cache's segments (see cache.py): a worker reads whole segments
and sends each back encoded (codec.encode_segment), which is also the form the cache stores,
so the parent saves those bytes as they come instead of encoding the records a second time.

(Pages are made from the index in memory: pages/forked.py forks once the index is read,
so the child makes its page from the same records without reading or sending them.)
"""

from __future__ import annotations

import gc
import os
import sys
from typing import TYPE_CHECKING

from vaultkit.read.cache import read_entries
from vaultkit.read.codec import Entry, decode_segment, encode_segment
from vaultkit.read.scan import Stat
from vaultkit.settings import Settings

if TYPE_CHECKING:
    import multiprocessing

PARALLEL_MIN = 2000  # notes to read; below this, starting a process costs more than it saves
# The parent also decodes what the workers send, and encodes what it read itself for the cache
# (together about a quarter of reading a note): it reads a little less than a worker.
PARENT_SHARE = 0.8
PARTS = 4  # each worker's share is sent back in this many parts

Item = tuple[str, str, "Stat | None"]  # rel, kind, stat


def workers() -> int:
    """Processes to read with, the parent included: the cores this process may use."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS, Windows
        cores = os.cpu_count() or 1
    return max(1, cores)


def _read_segments(settings: Settings, segments: list[tuple[int, list[Item]]], seen_ns: int) -> list[tuple[int, bytes]]:
    gc.disable()  # a short-lived worker: collecting its records' cycles (there are none) is waste
    return [(number, encode_segment(read_entries(settings, items, seen_ns))) for number, items in segments]


def read_segments(
    settings: Settings, groups: dict[int, list[Item]], seen_ns: int, encode: bool = True
) -> dict[int, tuple[dict[str, Entry], bytes | None]]:
    """Each segment's entries, and its encoded form when one was made.

    With more than one process, every segment is encoded (a worker's to send it, the parent's
    while it waits for the workers), unless `encode` is False (no cache to save it in).
    """
    total = sum(len(items) for items in groups.values())
    count = workers() if total >= PARALLEL_MIN else 1
    context = _context() if count > 1 else None
    if context is None:
        return {n: (read_entries(settings, items, seen_ns), None) for n, items in groups.items()}
    # (imported here: a build that reads a few notes does not need it)
    from concurrent.futures import ProcessPoolExecutor

    capacity = [PARENT_SHARE, *([1.0] * (count - 1))]
    buckets: list[list[tuple[int, list[Item]]]] = [[] for _ in capacity]
    load = [0.0] * count
    for number in sorted(groups, key=lambda n: (-len(groups[n]), n)):  # largest first, to balance
        best = min(range(count), key=lambda b: (load[b] + len(groups[number])) / capacity[b])
        buckets[best].append((number, groups[number]))
        load[best] += len(groups[number])
    found: dict[int, tuple[dict[str, Entry], bytes | None]] = {}
    with ProcessPoolExecutor(max_workers=count - 1, mp_context=context) as pool:
        # A worker's share comes back in parts, so that the parent decodes the first ones while
        # the worker reads the last.
        parts = [bucket[i::PARTS] for bucket in buckets[1:] for i in range(PARTS)]
        futures = [pool.submit(_read_segments, settings, part, seen_ns) for part in parts if part]
        for number, items in buckets[0]:
            entries = read_entries(settings, items, seen_ns)
            found[number] = (entries, encode_segment(entries) if encode else None)
        for future in futures:
            for number, payload in future.result():
                found[number] = (decode_segment(payload), payload)
    return found


def _context() -> multiprocessing.context.BaseContext | None:
    """fork where it is safe and cheap (Linux); elsewhere reading stays in one process."""
    import multiprocessing

    if sys.platform != "linux" or "fork" not in multiprocessing.get_all_start_methods():
        return None
    return multiprocessing.get_context("fork")


__all__ = ["read_segments", "workers", "PARALLEL_MIN", "encode_segment"]
