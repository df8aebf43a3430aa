"""Python's cycle collector paused while a build makes many small objects.

Reading 10,000 notes and making their pages allocate millions of small objects, and
every so many allocations the collector walks all of them, the whole index included:
at 10,000 people that was a third of the time the pages took. Almost all of them are
freed by their reference count; the few cycles left wait for the collector's next run.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused(keep: bool = False) -> Iterator[None]:
    """The collector off inside the block, and back as it was after (even on an error).

    `keep`: what the block made lives to the end of the command (a CLI command's index), so
    it is frozen (gc.freeze) before the collector is back. Otherwise the first allocation
    after the block starts a collection that walks every object the block made, which at
    10,000 people cost 60 ms, to find no garbage. Only for a process that ends soon (or calls
    gc.unfreeze): cycles among frozen objects are never freed.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
        if keep:
            gc.freeze()
    finally:
        if enabled:
            gc.enable()
