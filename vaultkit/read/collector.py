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
def paused() -> Iterator[None]:
    """The collector off inside the block, and back as it was after (even on an error)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
