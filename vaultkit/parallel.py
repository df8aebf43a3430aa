"""Both cores for a big vault: reading the notes, then rendering and writing the pages.

Notes are read in the cache's segments (see cache.py): a worker reads whole segments
and sends each back pickled, which is also the form the cache stores, so the parent
saves those bytes as they come instead of pickling the records a second time.

Pages: once the index is built, a forked process (which shares the index without
copying it) renders and writes some of the pages while this one does the others.
Both work out every page's data, which is the smaller part; rendering and writing
are split.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from typing import TYPE_CHECKING, Any

from .cache import Entry, decode_segment, encode_segment, read_entry
from .config import Settings
from .scan import Stat

if TYPE_CHECKING:
    from .vault import Index
    from .write import WriteResult

PARALLEL_MIN = 2000  # notes to read; below this, starting a process costs more than it saves
PARENT_SHARE = 0.6  # the parent also unpickles what the workers send: give it less to read

Item = tuple[str, str, "Stat | None"]  # rel, kind, stat


def workers() -> int:
    """Processes to read with, the parent included: the cores this process may use."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS, Windows
        cores = os.cpu_count() or 1
    return max(1, cores)


def read_group(settings: Settings, items: list[Item], seen_ns: int) -> dict[str, Entry]:
    return {rel: read_entry(settings, rel, kind, stat, seen_ns) for rel, kind, stat in items}


def _read_segments(settings: Settings, segments: list[tuple[int, list[Item]]], seen_ns: int) -> list[tuple[int, bytes]]:
    gc.disable()  # a short-lived worker: collecting its records' cycles (there are none) is waste
    return [(number, encode_segment(read_group(settings, items, seen_ns))) for number, items in segments]


def read_segments(settings: Settings, groups: dict[int, list[Item]], seen_ns: int) -> dict[int, tuple[dict[str, Entry], bytes | None]]:
    """Each segment's entries, and its pickled form when a worker made it."""
    total = sum(len(items) for items in groups.values())
    count = workers() if total >= PARALLEL_MIN else 1
    context = _context()
    if count == 1 or context is None:
        return {n: (read_group(settings, items, seen_ns), None) for n, items in groups.items()}
    capacity = [PARENT_SHARE, *([1.0] * (count - 1))]
    buckets: list[list[tuple[int, list[Item]]]] = [[] for _ in capacity]
    load = [0.0] * count
    for number in sorted(groups, key=lambda n: (-len(groups[n]), n)):  # largest first, to balance
        best = min(range(count), key=lambda b: (load[b] + len(groups[number])) / capacity[b])
        buckets[best].append((number, groups[number]))
        load[best] += len(groups[number])
    found: dict[int, tuple[dict[str, Entry], bytes | None]] = {}
    with ProcessPoolExecutor(max_workers=count - 1, mp_context=context) as pool:
        futures = [pool.submit(_read_segments, settings, bucket, seen_ns) for bucket in buckets[1:] if bucket]
        for number, items in buckets[0]:
            found[number] = (read_group(settings, items, seen_ns), None)
        for future in futures:
            for number, payload in future.result():
                found[number] = (decode_segment(payload, restricted=False), payload)
    return found


def _context() -> multiprocessing.context.BaseContext | None:
    """fork where it is safe and cheap (Linux); elsewhere reading stays in one process."""
    if sys.platform != "linux" or "fork" not in multiprocessing.get_all_start_methods():
        return None
    return multiprocessing.get_context("fork")


PAGES_MIN = 2000  # people; below this, one process renders every page
# Above this, one process too: the forked process shares the index only until it touches it
# (reference counts are writes), and two copies of a 100,000-person index pass 1 GiB.
PAGES_MAX = 50_000
# The pages the forked process renders: at 10,000 people, about as much text and as many
# files as the rest (Reminders.md alone is a third of all the text).
FORKED = ("Events.md", "Share.md", "Thank-you notes.md", "Thank-you notes/")
_shared: dict[str, Any] = {}  # what the forked process inherits


def _forked(page: str) -> bool:
    return page in FORKED or page.startswith(FORKED[-1])


def _renderer(settings: Settings, forked: bool) -> Any:
    from .render import Renderer

    class Part(Renderer):
        """Renders only this process's pages; the others are left empty for the other process."""

        def render(self, template: str, page: str, **context: Any) -> str:
            if _forked(page) != forked:
                return ""
            return super().render(template, page, **context)

    return Part(settings)


def _pages_part(forked: bool) -> tuple[dict[str, str], list[str], WriteResult]:
    from .pages import build_pages
    from .write import write_pages

    settings, index, today = _shared["settings"], _shared["index"], _shared["today"]
    pages = build_pages(index, today, _renderer(settings, forked))
    mine = {name: text for name, text in pages.items() if _forked(name) == forked}
    return mine, sorted(pages), write_pages(settings.output, mine, settings.root, prune=False)


def build_and_write_pages(settings: Settings, index: Index, today: date) -> tuple[dict[str, str], WriteResult] | None:
    """Every page, rendered and written on two processes; None when one is better (small vault)."""
    from .write import WriteResult, prune_pages

    context = _context()
    if context is None or workers() < 2 or not PAGES_MIN <= len(index.people) <= PAGES_MAX:
        return None
    _shared.update(settings=settings, index=index, today=today)
    try:
        with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
            future = pool.submit(_pages_part, True)
            mine, names, result = _pages_part(False)
            theirs, their_names, their_result = future.result()
    finally:
        _shared.clear()
    if names != their_names:  # pragma: no cover - both processes work from the same index
        raise AssertionError("the two processes made different pages")
    pages = {**mine, **theirs}
    merged = WriteResult(
        written=sorted(result.written + their_result.written),
        unchanged=sorted(result.unchanged + their_result.unchanged),
        refused=sorted(result.refused + their_result.refused, key=lambda p: p.path),
    )
    merged.deleted = prune_pages(settings.output, set(pages))
    return pages, merged


__all__ = ["read_segments", "read_group", "workers", "build_and_write_pages", "PARALLEL_MIN", "encode_segment"]
